//! The per-document row store and the run state that make runs incremental.
//!
//! Every document's output (its diagnostics and its budget lines, grouped by partition and sorted)
//! is spilled to one file, `.yosan/docs/<id>.jsonl`, inside the output folder, as soon as the
//! document is done. The Parquet tables are then assembled from these files one partition at a
//! time, so memory holds one document and one row group, never the corpus.
//!
//! `.yosan/state.json` lists, for the dataset beside it, every document with its id, record and
//! where its rows are in its store file, and every partition with the ids of the documents it was
//! assembled from. A document's id hashes everything its rows depend on: the name it is recorded
//! under, the SHA-256 of its bytes, the declarations that applied to it, the build of yosan
//! ([`BUILD_ID`]) and the options that change extraction. The next run reuses a document whose id
//! is in the state (no read beyond hashing, no extraction), and a partition whose list of ids is
//! unchanged (hard-linked, not rewritten). Everything else is rebuilt, and removed documents
//! simply contribute nothing, so an incremental run writes exactly what a full run writes.

use crate::dataset::DatasetError;
use crate::model::{BudgetLine, DiagnosticRecord, DocumentRecord, Status};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Identifies the code that wrote a dataset: the package version and a hash of every source and
/// data file the output depends on (computed by `build.rs`).
pub const BUILD_ID: &str = env!("YOSAN_BUILD_ID");

/// The hidden folder of the output that holds the state and the row store.
pub const STATE_DIR: &str = ".yosan";
/// The state file, relative to the output folder.
pub const STATE_FILE: &str = ".yosan/state.json";
/// The row store, relative to the output folder.
pub const DOCS_DIR: &str = ".yosan/docs";
/// Version of the state and store formats; a different version is ignored (full rebuild).
pub const STATE_FORMAT: u32 = 2;

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A document's store id: what its rows depend on, hashed. `sha256` is None for a file whose
/// bytes could not be read; `run_config` fingerprints the build and the extraction options.
pub fn document_id(
    source_file: &str,
    sha256: Option<&str>,
    declared: &str,
    run_config: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        source_file,
        sha256.unwrap_or("-unread-"),
        declared,
        run_config,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize()[..16])
}

/// A partition of `budget_lines`: jurisdiction (as in the path) and fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartKey {
    pub jurisdiction: String,
    pub year: i64,
}

impl PartKey {
    pub fn of(line: &BudgetLine) -> PartKey {
        PartKey {
            jurisdiction: crate::dataset::partition_value(
                line.jurisdiction_code.as_deref(),
                &line.jurisdiction_name,
            ),
            year: line.fiscal_year,
        }
    }

    /// The file's path relative to the output folder.
    pub fn rel_path(&self) -> String {
        format!(
            "budget_lines/jurisdiction={}/year={}/part-0.parquet",
            self.jurisdiction, self.year
        )
    }
}

/// A run of JSON lines in a store file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub offset: u64,
    pub len: u64,
    pub rows: usize,
}

/// One document as the state records it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocEntry {
    /// Store id (file `.yosan/docs/<id>.jsonl`).
    pub id: String,
    /// The path the file was read from, as given.
    pub path: String,
    /// False for outcomes that a later run must retry (unreadable, vanished, timed out).
    pub reusable: bool,
    pub record: DocumentRecord,
    pub diagnostics: Span,
    /// Diagnostics by code, for the run summary without reading the store.
    pub codes: BTreeMap<String, usize>,
    pub parts: Vec<(PartKey, Span)>,
}

/// One partition file as the state records it, with what the reconciliation of its lines gave
/// (kept in `.yosan/parts/<id>.jsonl`: rows, then diagnostics).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PartEntry {
    pub key: PartKey,
    /// Ids of the documents whose rows it holds, in file order.
    pub docs: Vec<String>,
    pub rows: usize,
    /// Store id of the partition's reconciliation ([`part_id`]).
    pub id: String,
    pub recon_rows: Span,
    pub recon_diagnostics: Span,
    pub recon_matches: usize,
    /// Reconciliation diagnostics by code and by source file, for the summary and the
    /// documents table without reading the store.
    pub recon_codes: BTreeMap<String, usize>,
    pub recon_by_file: BTreeMap<String, usize>,
}

/// The partitions' reconciliation store, relative to the output folder.
pub const PARTS_DIR: &str = ".yosan/parts";

/// A partition's reconciliation store file in the output folder `out`.
pub fn part_file(out: &Path, id: &str) -> PathBuf {
    out.join(PARTS_DIR).join(format!("{id}.jsonl"))
}

/// A partition's store id: its key and the documents it is made of, hashed. Everything the
/// partition holds, its reconciliation included, is a function of these.
pub fn part_id(key: &PartKey, docs: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(key.jurisdiction.as_bytes());
    h.update([0u8]);
    h.update(key.year.to_le_bytes());
    for d in docs {
        h.update(d.as_bytes());
        h.update([0u8]);
    }
    h.update(BUILD_ID.as_bytes());
    hex(&h.finalize()[..16])
}

/// Writes `first` then `second` as JSON lines to `path` and returns the span of each.
pub fn write_json_lines<A: Serialize, B: Serialize>(
    path: &Path,
    first: &[A],
    second: &[B],
) -> Result<(Span, Span), DatasetError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let tmp = path;
    let file = fs::File::create(tmp).map_err(io_err(tmp))?;
    let mut w = CountingWriter {
        inner: BufWriter::new(file),
        written: 0,
    };
    fn group<T: Serialize, W: Write>(
        w: &mut CountingWriter<W>,
        items: &[T],
        tmp: &Path,
    ) -> Result<Span, DatasetError> {
        let start = w.written;
        for item in items {
            serde_json::to_writer(&mut *w, item).map_err(|e| io_err(tmp)(io::Error::other(e)))?;
            w.write_all(b"\n").map_err(io_err(tmp))?;
        }
        Ok(Span {
            offset: start,
            len: w.written - start,
            rows: items.len(),
        })
    }
    let a = group(&mut w, first, tmp)?;
    let b = group(&mut w, second, tmp)?;
    let file = w
        .inner
        .into_inner()
        .map_err(|e| io_err(tmp)(e.into_error()))?;
    drop(file);
    Ok((a, b))
}

/// Calls `f` with each value of one span of JSON lines, in order.
pub fn for_each_json<T: serde::de::DeserializeOwned>(
    file: &Path,
    span: Span,
    mut f: impl FnMut(T) -> Result<(), DatasetError>,
) -> Result<(), DatasetError> {
    let mut n = 0;
    for line in read_span(file, span)?.lines() {
        let line = line.map_err(io_err(file))?;
        f(serde_json::from_str(&line)
            .map_err(|e| corrupt(file, format!("store line does not parse: {e}")))?)?;
        n += 1;
    }
    if n != span.rows {
        return Err(corrupt(
            file,
            format!("expected {} entries, found {n}", span.rows),
        ));
    }
    Ok(())
}

/// `.yosan/state.json`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct State {
    pub format: u32,
    pub build_id: String,
    /// Fingerprint of the build and the options that change output (see [`document_id`]).
    pub run_config: String,
    pub documents: Vec<DocEntry>,
    pub partitions: Vec<PartEntry>,
}

impl State {
    /// The state of the dataset in `out`, when it exists and was written by this format.
    pub fn load(out: &Path) -> Option<State> {
        let text = fs::read(out.join(STATE_FILE)).ok()?;
        let state: State = serde_json::from_slice(&text).ok()?;
        (state.format == STATE_FORMAT).then_some(state)
    }

    pub fn write(&self, out: &Path) -> Result<(), DatasetError> {
        let path = out.join(STATE_FILE);
        let dir = out.join(STATE_DIR);
        fs::create_dir_all(&dir).map_err(|source| DatasetError::Io {
            path: dir.clone(),
            source,
        })?;
        let json = serde_json::to_vec(self).map_err(|e| DatasetError::Io {
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        fs::write(&path, json).map_err(|source| DatasetError::Io { path, source })
    }
}

/// A line of a store file: a budget line with its bbox as exact bit patterns (JSON numbers would
/// round-trip f32 through f64).
#[derive(Serialize)]
struct LineOut<'a> {
    l: &'a BudgetLine,
    b: Option<[u32; 4]>,
}

#[derive(Deserialize)]
struct LineIn {
    l: BudgetLine,
    b: Option<[u32; 4]>,
}

/// The order of diagnostics in the table: by place, then code and message.
pub fn sort_diagnostics(diags: &mut [DiagnosticRecord]) {
    diags.sort_by(|a, b| {
        (
            &a.source_file,
            a.page,
            &a.sheet,
            &a.location,
            &a.code,
            &a.message,
        )
            .cmp(&(
                &b.source_file,
                b.page,
                &b.sheet,
                &b.location,
                &b.code,
                &b.message,
            ))
    });
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> DatasetError + '_ {
    move |source| DatasetError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes one document's diagnostics and lines to `<docs_dir>/<id>.jsonl` and returns its entry.
pub fn spill(
    docs_dir: &Path,
    id: &str,
    path: &str,
    record: DocumentRecord,
    mut diagnostics: Vec<DiagnosticRecord>,
    lines: Vec<BudgetLine>,
) -> Result<DocEntry, DatasetError> {
    sort_diagnostics(&mut diagnostics);
    let mut parts: BTreeMap<PartKey, Vec<BudgetLine>> = BTreeMap::new();
    for l in lines {
        parts.entry(PartKey::of(&l)).or_default().push(l);
    }
    fs::create_dir_all(docs_dir).map_err(io_err(docs_dir))?;
    // Written in place: the store being filled is inside the staging folder, which is discarded
    // as a whole when a run fails, and only the worker that claimed a document writes its file.
    let tmp = docs_dir.join(format!("{id}.jsonl"));
    let file = fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut w = CountingWriter {
        inner: BufWriter::new(file),
        written: 0,
    };
    let mut codes = BTreeMap::new();
    let start = w.written;
    for d in &diagnostics {
        *codes.entry(d.code.clone()).or_insert(0) += 1;
        serde_json::to_writer(&mut w, d).map_err(|e| io_err(&tmp)(io::Error::other(e)))?;
        w.write_all(b"\n").map_err(io_err(&tmp))?;
    }
    let diag_span = Span {
        offset: start,
        len: w.written - start,
        rows: diagnostics.len(),
    };
    let mut spans = Vec::with_capacity(parts.len());
    for (key, mut rows) in parts {
        rows.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let start = w.written;
        for l in &rows {
            let out = LineOut {
                l,
                b: l.bbox.map(|b| b.map(f32::to_bits)),
            };
            serde_json::to_writer(&mut w, &out).map_err(|e| io_err(&tmp)(io::Error::other(e)))?;
            w.write_all(b"\n").map_err(io_err(&tmp))?;
        }
        spans.push((
            key,
            Span {
                offset: start,
                len: w.written - start,
                rows: rows.len(),
            },
        ));
    }
    let file = w
        .inner
        .into_inner()
        .map_err(|e| io_err(&tmp)(e.into_error()))?;
    drop(file);
    Ok(DocEntry {
        id: id.to_string(),
        path: path.to_string(),
        reusable: is_reusable(&record, &codes),
        record,
        diagnostics: diag_span,
        codes,
        parts: spans,
    })
}

struct CountingWriter<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn read_span(file: &Path, span: Span) -> Result<impl BufRead, DatasetError> {
    let mut f = fs::File::open(file).map_err(io_err(file))?;
    f.seek(SeekFrom::Start(span.offset)).map_err(io_err(file))?;
    Ok(BufReader::new(f.take(span.len)))
}

fn corrupt(file: &Path, what: String) -> DatasetError {
    DatasetError::Io {
        path: file.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidData, what),
    }
}

/// Calls `f` with each budget line of one span of a store file, in order.
pub fn for_each_line(
    file: &Path,
    span: Span,
    mut f: impl FnMut(BudgetLine) -> Result<(), DatasetError>,
) -> Result<(), DatasetError> {
    let mut n = 0;
    for line in read_span(file, span)?.lines() {
        let line = line.map_err(io_err(file))?;
        let LineIn { mut l, b } = serde_json::from_str(&line)
            .map_err(|e| corrupt(file, format!("store line does not parse: {e}")))?;
        l.bbox = b.map(|b| b.map(f32::from_bits));
        f(l)?;
        n += 1;
    }
    if n != span.rows {
        return Err(corrupt(
            file,
            format!("expected {} lines, found {n}", span.rows),
        ));
    }
    Ok(())
}

/// Reads the budget lines of one span of a store file.
pub fn read_lines(file: &Path, span: Span) -> Result<Vec<BudgetLine>, DatasetError> {
    let mut out = Vec::with_capacity(span.rows);
    for_each_line(file, span, |l| {
        out.push(l);
        Ok(())
    })?;
    Ok(out)
}

/// Reads the diagnostics of a store file.
pub fn read_diagnostics(file: &Path, span: Span) -> Result<Vec<DiagnosticRecord>, DatasetError> {
    let mut out = Vec::with_capacity(span.rows);
    for line in read_span(file, span)?.lines() {
        let line = line.map_err(io_err(file))?;
        out.push(
            serde_json::from_str(&line)
                .map_err(|e| corrupt(file, format!("store diagnostic does not parse: {e}")))?,
        );
    }
    Ok(out)
}

/// Hard-links `from` to `to`, copying when links are not possible (another file system, a file
/// system without links).
pub fn link_or_copy(from: &Path, to: &Path) -> Result<(), DatasetError> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map(|_| ()).map_err(io_err(to))
}

/// Where a document's store file is: in the new output being built, or in the previous output
/// when the document was reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    New,
    Previous,
}

/// The two store folders of a run.
#[derive(Debug, Clone)]
pub struct StoreDirs {
    pub new: PathBuf,
    pub previous: PathBuf,
}

impl StoreDirs {
    pub fn file(&self, home: Home, id: &str) -> PathBuf {
        match home {
            Home::New => self.new.join(format!("{id}.jsonl")),
            Home::Previous => self.previous.join(format!("{id}.jsonl")),
        }
    }
}

/// Whether an outcome may be reused by a later run with the same inputs: failures that depend on
/// the moment (a file that could not be read, vanished or took too long) are retried.
pub fn is_reusable(record: &DocumentRecord, codes: &BTreeMap<String, usize>) -> bool {
    !(record.status == Status::Error
        && (record.source_sha256.is_empty()
            || codes.contains_key("limit.timeout")
            || codes.contains_key("file.vanished")
            || codes.contains_key("file.unreadable")))
}
