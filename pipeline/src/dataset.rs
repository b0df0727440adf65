//! The polars stage: budget lines, documents and diagnostics to Parquet, written to a staging
//! folder and moved into place only when complete.
//!
//! Layout under the output folder:
//! ```text
//! budget_lines/jurisdiction=141003-横浜市/year=2022/part-0.parquet
//! documents.parquet
//! diagnostics.parquet
//! manifest.json
//! ```
//! Every file is zstd-compressed; rows are sorted, so the same inputs give byte-identical files.

use crate::model::{BudgetLine, DiagnosticRecord, DocumentRecord};
use polars::prelude::*;
use polars_parquet::write::{schema_to_metadata_key, KeyValue};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why the dataset could not be written.
#[derive(Debug, Error)]
pub enum DatasetError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot build the {table} table: {source}")]
    Polars {
        table: &'static str,
        #[source]
        source: PolarsError,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> DatasetError + '_ {
    move |source| DatasetError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The Hive partition value for a jurisdiction: `141003-横浜市`, the name alone for bodies without
/// a code, `unknown` when neither is known. Characters that would break a path are replaced.
pub fn partition_value(code: Option<&str>, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | '=' | ':' | '\0' => '_',
            c => c,
        })
        .collect();
    match (code, clean.is_empty()) {
        (Some(c), false) => format!("{c}-{clean}"),
        (Some(c), true) => c.to_string(),
        (None, false) => clean,
        (None, true) => "unknown".to_string(),
    }
}

fn str_col(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}
fn opt_str_col(name: &str, v: Vec<Option<String>>) -> Column {
    Column::new(name.into(), v)
}

fn list_str_col(name: &str, lines: &[BudgetLine], f: fn(&BudgetLine) -> &[String]) -> Column {
    // Sized exactly, and typed even when there are no rows (a collected ListChunked would infer
    // List<Null> then).
    let values = lines.iter().map(|l| f(l).len()).sum();
    let mut b = ListStringChunkedBuilder::new(name.into(), lines.len(), values);
    for l in lines {
        b.append_values_iter(f(l).iter().map(String::as_str));
    }
    b.finish().into_series().into_column()
}

/// The `budget_lines` columns, in the order of `schemas/columns.json`. Strings are borrowed from
/// the lines, not copied, so a row group costs the lines and the frame, nothing more.
pub fn budget_lines_frame(lines: &[BudgetLine]) -> PolarsResult<DataFrame> {
    let s = |name: &str, f: fn(&BudgetLine) -> &str| {
        Column::new(name.into(), lines.iter().map(f).collect::<Vec<&str>>())
    };
    let os = |name: &str, f: fn(&BudgetLine) -> Option<&str>| {
        Column::new(
            name.into(),
            lines.iter().map(f).collect::<Vec<Option<&str>>>(),
        )
    };
    let oi32 = |name: &str, f: fn(&BudgetLine) -> Option<i32>| {
        Column::new(
            name.into(),
            lines.iter().map(f).collect::<Vec<Option<i32>>>(),
        )
    };
    let mut bbox = ListPrimitiveChunkedBuilder::<Float32Type>::new(
        "bbox".into(),
        lines.len(),
        lines.iter().filter(|l| l.bbox.is_some()).count() * 4,
        DataType::Float32,
    );
    for l in lines {
        bbox.append_opt_slice(l.bbox.as_ref().map(|b| &b[..]));
    }
    let columns = vec![
        os("jurisdiction_code", |l| l.jurisdiction_code.as_deref()),
        s("jurisdiction_name", |l| &l.jurisdiction_name),
        Column::new(
            "fiscal_year".into(),
            lines
                .iter()
                .map(|l| l.fiscal_year as i32)
                .collect::<Vec<i32>>(),
        ),
        Column::new(
            "document_fiscal_year".into(),
            lines
                .iter()
                .map(|l| l.document_fiscal_year as i32)
                .collect::<Vec<i32>>(),
        ),
        os("account", |l| l.account.as_deref()),
        s("direction", |l| l.direction.as_str()),
        s("phase", |l| l.phase.as_str()),
        s("family", |l| &l.family),
        list_str_col("path", lines, |l| &l.path),
        list_str_col("path_codes", lines, |l| &l.path_codes),
        os("code", |l| l.code.as_deref()),
        s("label_text", |l| &l.label_text),
        s("level", |l| &l.level),
        s("measure", |l| &l.measure),
        s("measure_label", |l| &l.measure_label),
        Column::new(
            "amount_yen".into(),
            lines
                .iter()
                .map(|l| l.amount_yen)
                .collect::<Vec<Option<i64>>>(),
        ),
        s("amount_text", |l| &l.amount_text),
        s("unit", |l| &l.unit),
        Column::new(
            "is_total".into(),
            lines.iter().map(|l| l.is_total).collect::<Vec<bool>>(),
        ),
        s("confidence", |l| &l.confidence),
        s("source_file", |l| &l.source_file),
        s("source_sha256", |l| &l.source_sha256),
        oi32("page", |l| l.page),
        os("sheet", |l| l.sheet.as_deref()),
        oi32("row", |l| l.row),
        oi32("column", |l| l.column),
        bbox.finish().into_series().into_column(),
        s("check", |l| l.check.as_str()),
        os("check_detail", |l| l.check_detail.as_deref()),
        os("note", |l| l.note.as_deref()),
        list_str_col("marks", lines, |l| &l.marks),
    ];
    DataFrame::new_infer_height(columns)
}

/// The `documents` columns.
pub fn documents_frame(docs: &[DocumentRecord]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&DocumentRecord) -> String| docs.iter().map(f).collect::<Vec<_>>();
    let os = |f: fn(&DocumentRecord) -> Option<String>| docs.iter().map(f).collect::<Vec<_>>();
    let i = |f: fn(&DocumentRecord) -> i64| docs.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        str_col("source_file", s(|d| d.source_file.clone())),
        str_col("source_sha256", s(|d| d.source_sha256.clone())),
        Column::new("bytes".into(), i(|d| d.bytes)),
        str_col("format", s(|d| d.format.clone())),
        opt_str_col("encoding", os(|d| d.encoding.clone())),
        opt_str_col("family", os(|d| d.family.clone())),
        str_col("family_source", s(|d| d.family_source.as_str().to_string())),
        opt_str_col("jurisdiction_code", os(|d| d.jurisdiction_code.clone())),
        opt_str_col("jurisdiction_name", os(|d| d.jurisdiction_name.clone())),
        str_col(
            "jurisdiction_source",
            s(|d| d.jurisdiction_source.as_str().to_string()),
        ),
        Column::new(
            "document_fiscal_year".into(),
            docs.iter()
                .map(|d| d.document_fiscal_year.map(|y| y as i32))
                .collect::<Vec<Option<i32>>>(),
        ),
        str_col(
            "fiscal_year_source",
            s(|d| d.fiscal_year_source.as_str().to_string()),
        ),
        opt_str_col("account", os(|d| d.account.clone())),
        opt_str_col("phase", os(|d| d.phase.clone())),
        Column::new(
            "units".into(),
            docs.iter().map(|d| d.units).collect::<Vec<i32>>(),
        ),
        str_col("status", s(|d| d.status.as_str().to_string())),
        opt_str_col("error", os(|d| d.error.clone())),
        Column::new("lines".into(), i(|d| d.lines)),
        Column::new("checks_ok".into(), i(|d| d.checks_ok)),
        Column::new("checks_mismatch".into(), i(|d| d.checks_mismatch)),
        Column::new("diagnostics".into(), i(|d| d.diagnostics)),
    ])
}

/// The `diagnostics` columns.
pub fn diagnostics_frame(diags: &[DiagnosticRecord]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        str_col(
            "source_file",
            diags.iter().map(|d| d.source_file.clone()).collect(),
        ),
        opt_str_col(
            "source_sha256",
            diags.iter().map(|d| d.source_sha256.clone()).collect(),
        ),
        Column::new(
            "page".into(),
            diags.iter().map(|d| d.page).collect::<Vec<Option<i32>>>(),
        ),
        opt_str_col("sheet", diags.iter().map(|d| d.sheet.clone()).collect()),
        opt_str_col(
            "location",
            diags.iter().map(|d| d.location.clone()).collect(),
        ),
        str_col("code", diags.iter().map(|d| d.code.clone()).collect()),
        str_col(
            "severity",
            diags.iter().map(|d| d.severity.clone()).collect(),
        ),
        str_col("message", diags.iter().map(|d| d.message.clone()).collect()),
    ])
}

/// The file-level metadata: the Arrow schema in its most widely readable form (large strings and
/// lists rather than the view types polars uses inside: pandas cannot convert lists of string
/// views), and which table of the contract the file belongs to.
fn file_metadata(df: &DataFrame, table: &str) -> KeyValueMetadata {
    let arrow = df.schema().to_arrow(CompatLevel::oldest());
    KeyValueMetadata::Static(vec![
        schema_to_metadata_key(&arrow),
        KeyValue {
            key: "yosan.table".to_string(),
            value: Some(table.to_string()),
        },
    ])
}

/// Writes one frame as a zstd Parquet file.
pub fn write_parquet(
    df: &mut DataFrame,
    path: &Path,
    table: &'static str,
) -> Result<u64, DatasetError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let file = fs::File::create(path).map_err(io_err(path))?;
    let writer = io::BufWriter::new(file);
    ParquetWriter::new(writer)
        .with_key_value_metadata(Some(file_metadata(df, table)))
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .set_parallel(false)
        .finish(df)
        .map_err(|source| DatasetError::Polars { table, source })
}

/// What was written, for the manifest.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct WrittenFile {
    pub path: String,
    pub rows: usize,
    pub bytes: u64,
}

/// Writes the budget lines, Hive-partitioned by jurisdiction and fiscal year, into `root`.
/// Rows inside each partition are sorted by source, position and measure.
pub fn write_budget_lines(
    mut lines: Vec<BudgetLine>,
    root: &Path,
) -> Result<Vec<WrittenFile>, DatasetError> {
    let mut parts: BTreeMap<(String, i64), Vec<BudgetLine>> = BTreeMap::new();
    for l in lines.drain(..) {
        let key = partition_value(l.jurisdiction_code.as_deref(), &l.jurisdiction_name);
        parts.entry((key, l.fiscal_year)).or_default().push(l);
    }
    let mut written = Vec::new();
    for ((jur, fy), mut rows) in parts {
        rows.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let rel = format!("budget_lines/jurisdiction={jur}/year={fy}/part-0.parquet");
        let path = root.join(&rel);
        let mut df = budget_lines_frame(&rows).map_err(|source| DatasetError::Polars {
            table: "budget_lines",
            source,
        })?;
        let bytes = write_parquet(&mut df, &path, "budget_lines")?;
        written.push(WrittenFile {
            path: rel,
            rows: rows.len(),
            bytes,
        });
    }
    Ok(written)
}

/// Makes polars' one buffer of zeroes before the run allocates anything large. Polars keeps a
/// single 8 MiB buffer of zeroes, made on first use and never freed, for the validity bitmap of
/// every column that is entirely null. Made at the start, it comes as fresh zeroed memory from
/// the system and is never written. Made by the first all-null column in the middle of a run, it
/// is zeroed by writing over recycled memory, and then 8 MiB are added to the peak or not,
/// depending on what the allocator happens to have free at that moment. [`ingest`] calls this
/// once, at its start.
///
/// [`ingest`]: crate::ingest::ingest
pub fn prepare() {
    let _ = polars_arrow::bitmap::Bitmap::new_zeroed(1);
}

/// Rows per Parquet row group for tables written in pieces: bounds the rows held in memory while
/// a partition is assembled, whatever the size of the partition.
pub const ROW_GROUP_ROWS: usize = 1024;

/// A Parquet file written one row group at a time, with the same compression, statistics and
/// file metadata as [`write_parquet`].
///
/// Pages are encoded by polars-parquet and compressed here with one zstd context per writer:
/// polars compresses every page with a fresh context, and creating one runs CPUID (in
/// `ZSTD_createCCtx`), which traps to the hypervisor on a virtual machine: a tenth of a batch
/// run went there. The compressed bytes are the same (same level, same one-shot API).
pub struct TableWriter {
    writer: polars::io::parquet::write::BatchedWriter<io::BufWriter<fs::File>>,
    fields: Vec<polars_parquet::write::ParquetType>,
    encodings: Vec<Vec<polars_parquet::write::Encoding>>,
    zstd: zstd::bulk::Compressor<'static>,
    table: &'static str,
    rows: usize,
}

/// The encoding options polars uses for files written with [`write_options`]'s settings.
fn encode_options() -> polars_parquet::write::WriteOptions {
    polars_parquet::write::WriteOptions {
        statistics: StatisticsOptions::default(),
        compression: polars_parquet::write::CompressionOptions::Zstd(None),
        version: polars_parquet::write::Version::V1,
        data_page_size: None,
    }
}

/// Compresses one encoded page as polars-parquet does (data page v1: the whole buffer; v2: the
/// levels stay uncompressed), with `zstd`'s context.
fn compress_page(
    page: polars_parquet::write::Page,
    zstd: &mut zstd::bulk::Compressor<'static>,
) -> io::Result<polars_parquet::write::CompressedPage> {
    use polars_parquet::parquet::compression::{Compression, CompressionOptions};
    use polars_parquet::parquet::page::{CompressedDictPage, DataPageHeader};
    use polars_parquet::parquet::CowBuffer;
    use polars_parquet::write::{CompressedDataPage, CompressedPage, Page};
    let codec: Compression = CompressionOptions::Zstd(None).into();
    let mut compress = |input: &[u8], out: &mut Vec<u8>| -> io::Result<()> {
        let start = out.len();
        out.resize(start + zstd::zstd_safe::compress_bound(input.len()), 0);
        let n = zstd.compress_to_buffer(input, &mut out[start..])?;
        out.truncate(start + n);
        Ok(())
    };
    Ok(match page {
        Page::Data(page) => {
            let raw = page.buffer();
            let mut out = Vec::new();
            match page.header() {
                DataPageHeader::V1(_) => compress(raw, &mut out)?,
                DataPageHeader::V2(h) => {
                    let levels = (h.repetition_levels_byte_length + h.definition_levels_byte_length)
                        as usize;
                    out.extend_from_slice(&raw[..levels]);
                    compress(&raw[levels..], &mut out)?;
                }
            }
            let num_rows = page
                .num_rows()
                .ok_or_else(|| io::Error::other("an encoded page without its row count"))?;
            CompressedPage::Data(CompressedDataPage::new(
                page.header().clone(),
                CowBuffer::Owned(out),
                codec,
                raw.len(),
                page.descriptor.clone(),
                num_rows,
            ))
        }
        Page::Dict(page) => {
            let mut out = Vec::new();
            compress(&page.buffer, &mut out)?;
            CompressedPage::Dict(CompressedDictPage::new(
                CowBuffer::Owned(out),
                codec,
                page.buffer.len(),
                page.num_values,
                page.is_sorted,
            ))
        }
    })
}

impl TableWriter {
    /// Creates `path`; `schema` is any frame of the table (it may have no rows).
    pub fn create(
        path: &Path,
        table: &'static str,
        schema: &DataFrame,
    ) -> Result<TableWriter, DatasetError> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let file = fs::File::create(path).map_err(io_err(path))?;
        let polars_err = |source| DatasetError::Polars { table, source };
        let mut writer = ParquetWriter::new(io::BufWriter::new(file))
            .with_key_value_metadata(Some(file_metadata(schema, table)))
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .set_parallel(false)
            .batched(schema.schema())
            .map_err(polars_err)?;
        let fields = writer.parquet_schema().fields().to_vec();
        let arrow = schema.schema().to_arrow(CompatLevel::newest());
        let encodings = polars::io::parquet::write::get_encodings(&arrow).to_vec();
        let zstd = zstd::bulk::Compressor::new(0).map_err(io_err(path))?;
        Ok(TableWriter {
            writer,
            fields,
            encodings,
            zstd,
            table,
            rows: 0,
        })
    }

    /// Writes `df` as one row group (nothing for an empty frame).
    pub fn write(&mut self, df: &mut DataFrame) -> Result<(), DatasetError> {
        if df.height() == 0 {
            return Ok(());
        }
        df.rechunk_mut();
        self.rows += df.height();
        let table = self.table;
        let polars_err = |source| DatasetError::Polars { table, source };
        let options = encode_options();
        for batch in df.iter_chunks(CompatLevel::newest(), false) {
            let mut row_group = Vec::new();
            for ((array, type_), encoding) in batch
                .columns()
                .iter()
                .zip(&self.fields)
                .zip(&self.encodings)
            {
                let columns = polars_parquet::write::array_to_columns(
                    array,
                    type_.clone(),
                    options,
                    encoding,
                )
                .map_err(polars_err)?;
                for pages in columns {
                    let mut column = Vec::new();
                    for page in pages {
                        let page = page.map_err(polars_err)?;
                        let compressed = compress_page(page, &mut self.zstd)
                            .map_err(|e| polars_err(PolarsError::from(e)))?;
                        column.push(compressed);
                    }
                    row_group.push(column);
                }
            }
            self.writer
                .write_row_group(batch.len() as u64, &row_group)
                .map_err(polars_err)?;
        }
        Ok(())
    }

    /// Writes the footer; returns rows and bytes written.
    pub fn finish(self) -> Result<(usize, u64), DatasetError> {
        let table = self.table;
        let bytes = self
            .writer
            .finish()
            .map_err(|source| DatasetError::Polars { table, source })?;
        Ok((self.rows, bytes))
    }
}

/// Rows turned into a frame at a time while a row group fills: the rows themselves (Rust values
/// with their own strings) are the costly form, so only this many are held at once.
const FRAME_ROWS: usize = 256;

/// Buffers rows of one table and writes them to a [`TableWriter`] every [`ROW_GROUP_ROWS`] rows.
/// Row-group boundaries depend only on the sequence of rows, so the same rows give the same bytes.
pub struct RowSink<T> {
    writer: TableWriter,
    frame: fn(&[T]) -> PolarsResult<DataFrame>,
    rows: Vec<T>,
    /// Frames of FRAME_ROWS rows each, waiting to make up a row group.
    frames: Option<DataFrame>,
}

impl<T> RowSink<T> {
    pub fn create(
        path: &Path,
        table: &'static str,
        frame: fn(&[T]) -> PolarsResult<DataFrame>,
    ) -> Result<RowSink<T>, DatasetError> {
        let schema = frame(&[]).map_err(|source| DatasetError::Polars { table, source })?;
        Ok(RowSink {
            writer: TableWriter::create(path, table, &schema)?,
            frame,
            rows: Vec::with_capacity(FRAME_ROWS),
            frames: None,
        })
    }

    pub fn push(&mut self, row: T) -> Result<(), DatasetError> {
        self.rows.push(row);
        if self.rows.len() >= FRAME_ROWS {
            self.stage_rows()?;
        }
        Ok(())
    }

    pub fn extend(&mut self, rows: impl IntoIterator<Item = T>) -> Result<(), DatasetError> {
        for r in rows {
            self.push(r)?;
        }
        Ok(())
    }

    fn polars(&self) -> impl FnOnce(PolarsError) -> DatasetError {
        let table = self.writer.table;
        move |source| DatasetError::Polars { table, source }
    }

    /// Moves the buffered rows into the pending frame; writes a row group when it is full.
    fn stage_rows(&mut self) -> Result<(), DatasetError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let df = (self.frame)(&self.rows).map_err(self.polars())?;
        self.rows.clear();
        let err = self.polars();
        match &mut self.frames {
            Some(acc) => {
                acc.vstack_mut(&df).map_err(err)?;
            }
            None => self.frames = Some(df),
        }
        if self
            .frames
            .as_ref()
            .is_some_and(|f| f.height() >= ROW_GROUP_ROWS)
        {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), DatasetError> {
        match self.frames.take() {
            Some(mut df) => self.writer.write(&mut df),
            None => Ok(()),
        }
    }

    /// Flushes the last rows and writes the footer; returns rows and bytes written.
    pub fn finish(mut self) -> Result<(usize, u64), DatasetError> {
        self.stage_rows()?;
        self.flush()?;
        self.writer.finish()
    }
}

/// Removes `.NAME.staging-PID` folders whose process is gone (a run that was killed).
fn remove_abandoned_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let fname = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = fname
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// A folder being filled next to the final output, moved into place by [`Staging::commit`].
/// Dropped without commit, it is removed and the previous output stays as it was.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `.NAME.staging-PID` beside `target`; recovers a previous output left aside by a
    /// run that was killed between the two renames of a commit.
    pub fn new(target: &Path) -> Result<Staging, DatasetError> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let old = parent.join(format!(".{name}.previous"));
        if !target.exists() && old.exists() {
            fs::rename(&old, target).map_err(io_err(&old))?;
        }
        remove_abandoned_staging(parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Moves the staged folder into place: the old output is renamed aside, the new one renamed in,
    /// then the old one removed. Each rename is atomic on one file system.
    pub fn commit(mut self) -> Result<(), DatasetError> {
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let old = parent.join(format!(".{name}.previous"));
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        if self.target.exists() {
            fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
        }
        fs::rename(&self.dir, &self.target).map_err(io_err(&self.dir))?;
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`TableWriter`] compresses pages itself (one zstd context per file); the file must be the
    /// one polars' own writer makes, byte for byte: repeated and unique strings (dictionary and
    /// plain pages), nulls, lists, and more rows than one row group.
    #[test]
    fn table_writer_writes_the_bytes_polars_writes() {
        let lines: Vec<BudgetLine> = (0..2500)
            .map(|i| BudgetLine {
                jurisdiction_code: (i % 3 != 0).then(|| "141003".to_string()),
                jurisdiction_name: "横浜市".into(),
                fiscal_year: 2020 + (i % 4),
                path: vec!["款".into(), format!("目{}", i % 17)],
                label_text: format!("事業 {i} の説明 {}", "あ".repeat((i % 40) as usize)),
                amount_yen: (i % 5 != 0).then_some(i * 1000),
                bbox: (i % 2 == 0).then_some([1.0, 2.0, 3.5, i as f32]),
                marks: if i % 7 == 0 {
                    vec!["新規".into()]
                } else {
                    vec![]
                },
                ..Default::default()
            })
            .collect();
        let dir = std::env::temp_dir().join(format!("yosan-tablewriter-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let ours = dir.join("ours.parquet");
        let theirs = dir.join("theirs.parquet");
        let schema = budget_lines_frame(&[]).unwrap();
        let mut w = TableWriter::create(&ours, "budget_lines", &schema).unwrap();
        let mut reference =
            ParquetWriter::new(io::BufWriter::new(fs::File::create(&theirs).unwrap()))
                .with_key_value_metadata(Some(file_metadata(&schema, "budget_lines")))
                .with_compression(ParquetCompression::Zstd(None))
                .with_statistics(StatisticsOptions::default())
                .set_parallel(false)
                .batched(schema.schema())
                .unwrap();
        for chunk in lines.chunks(ROW_GROUP_ROWS) {
            let mut df = budget_lines_frame(chunk).unwrap();
            w.write(&mut df).unwrap();
            reference.write_batch(&df).unwrap();
        }
        let (rows, bytes) = w.finish().unwrap();
        reference.finish().unwrap();
        assert_eq!(rows, 2500);
        let (a, b) = (fs::read(&ours).unwrap(), fs::read(&theirs).unwrap());
        assert_eq!(bytes as usize, a.len());
        assert!(a == b, "{} bytes against polars' {}", a.len(), b.len());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn partition_values() {
        assert_eq!(partition_value(Some("141003"), "横浜市"), "141003-横浜市");
        assert_eq!(
            partition_value(None, "公益財団法人神奈川産業振興センター"),
            "公益財団法人神奈川産業振興センター"
        );
        assert_eq!(partition_value(None, ""), "unknown");
        assert_eq!(partition_value(None, "a/b=c"), "a_b_c");
    }
}
