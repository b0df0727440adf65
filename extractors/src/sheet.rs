//! Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) through calamine: one grid per worksheet.
//!
//! Each grid has `name` and `sheet` = the sheet name and `origin` = the top-left corner of the
//! sheet's non-empty cells (0-based row, column); rows run from there to the last non-empty row,
//! each row up to its own last non-empty cell (rows are not padded). Merged ranges go to
//! `merged`, relative to `origin` (clipped to it; a merged range entirely above or left of every
//! value is dropped).
//!
//! Values:
//! - numbers are [`CellValue::Number`] with canonical decimal text (shortest round-trip digits,
//!   never an exponent, integral values without `.0`);
//! - the cell's `text` is what the sheet shows: for XLSX/XLSM the number format of the cell is
//!   applied by a small formatter ([`format_number`]: `#,##0`, `#,##0;"△"#,##0`, `0.0%`, `0.00`,
//!   sections, literals, ...); where the format is one it does not implement, and for XLSB, XLS
//!   and ODS (calamine does not expose their number formats), `text` is the canonical number;
//! - dates and times (recognised by calamine from the number format) are [`CellValue::Date`]
//!   with ISO 8601 text (`2024-01-01`, `2024-01-01T09:30:00`), durations ISO 8601 (`PT1H30M`);
//!   `text` is that ISO text;
//! - strings are text (empty strings are empty cells), booleans [`CellValue::Bool`] shown as
//!   `TRUE`/`FALSE`, errors [`CellValue::Error`] (`#DIV/0!`).
//!
//! Formula cells give their cached value. Merged ranges are read for XLSX/XLSM and XLS; calamine
//! does not expose them for XLSB and ODS.
//!
//! Guards: before a ZIP-based workbook is opened, the uncompressed sizes its central directory
//! declares are added up and compared with [`ExtractOptions::max_decompressed_bytes`] (the ZIP
//! reader refuses to inflate a member past its declared size, so the declaration binds).
//! A compound file (XLS, or an encrypted OOXML package) is checked first by [`xls_guard`]:
//! sector chains that loop or dangle, allocation tables larger than the file and XLS worksheets
//! declaring more cells than the format holds are `sheet.malformed` errors; an XLS sheet whose
//! dense grid (calamine holds the bounding box of its cells) would take more than
//! `max_decompressed_bytes` is `sheet.too_large`. A panic inside calamine (which indexes some
//! damaged records unchecked) is caught around each call into it and is `sheet.malformed` too.
//! XLSX/XLSM/XLSB cells are streamed and stored sparsely, so a sheet with one cell at `A1` and one
//! at `XFD1048576` costs two cells, not seventeen billion; positions outside Excel's limits are
//! dropped with a `sheet.cell_out_of_bounds` warning.

mod numfmt;
mod ods_guard;
mod xls_guard;

use crate::value::{canonical_f64, Decimal};
use crate::{Cell, CellRange, CellValue, Diagnostic, Document, ExtractOptions, Format, Grid};
use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, SheetType, Xls, Xlsb, Xlsx};
use std::io::Cursor;
use thiserror::Error;

pub use numfmt::format_number;

/// Rows in an Excel sheet.
const MAX_ROWS: u32 = 1_048_576;
/// Columns in an Excel sheet.
const MAX_COLS: u32 = 16_384;

/// Why a workbook yielded no document. One unreadable sheet in lenient mode is a
/// `sheet.read_failed` diagnostic instead, and the other sheets are kept.
#[derive(Debug, Error)]
pub enum SheetError {
    /// The extractor was called for a format it does not read.
    #[error("the spreadsheet extractor does not read {format} files")]
    NotASpreadsheet { format: &'static str },
    /// The members of the ZIP package declare more uncompressed bytes than allowed.
    #[error("the workbook's members expand to {claimed} bytes, more than the limit of {limit}")]
    TooLarge { claimed: u64, limit: u64 },
    /// The file's structure is damaged in a way the workbook reader would not survive (an XLS
    /// compound file whose sector chains loop, a worksheet declaring more cells than the format
    /// holds, ...): refused before it is opened.
    #[error("the {format} workbook is malformed: {message}")]
    Malformed {
        format: &'static str,
        message: String,
    },
    /// A worksheet would take more memory than the limit on expanded sizes (an XLS sheet is
    /// held as a dense grid of its cells' bounding box).
    #[error("{what}, which would take {bytes} bytes, more than the limit of {limit}")]
    SheetTooLarge {
        what: String,
        bytes: u64,
        limit: u64,
    },
    /// The workbook is password-protected.
    #[error("the workbook is encrypted (password-protected)")]
    Encrypted,
    /// The file could not be opened as a workbook of its format.
    #[error("cannot open the {format} workbook: {message}")]
    OpenFailed {
        format: &'static str,
        message: String,
    },
    /// Strict mode: one sheet could not be read.
    #[error("cannot read sheet {sheet:?}: {message}")]
    ReadFailed { sheet: String, message: String },
}

impl SheetError {
    /// A stable code for the `diagnostics` table.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::NotASpreadsheet { .. } => "sheet.unsupported_format",
            SheetError::TooLarge { .. } | SheetError::SheetTooLarge { .. } => "sheet.too_large",
            SheetError::Malformed { .. } => "sheet.malformed",
            SheetError::Encrypted => "sheet.encrypted",
            SheetError::OpenFailed { .. } => "sheet.open_failed",
            SheetError::ReadFailed { .. } => "sheet.read_failed",
        }
    }
}

/// Extracts every sheet of a workbook.
pub fn extract(
    bytes: &[u8],
    format: Format,
    opts: &ExtractOptions,
) -> Result<Document, SheetError> {
    match format {
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Ods | Format::Xls => {}
        other => {
            return Err(SheetError::NotASpreadsheet {
                format: other.as_str(),
            })
        }
    }
    if bytes.starts_with(OLE2_MAGIC) {
        // An XLS workbook, or an encrypted OOXML package (calamine opens the compound file to
        // find out).
        xls_guard::check(bytes, format == Format::Xls, opts.max_decompressed_bytes).map_err(
            |r| match r {
                xls_guard::Refusal::Malformed(message) => SheetError::Malformed {
                    format: format.as_str(),
                    message,
                },
                xls_guard::Refusal::TooLarge { what, bytes, limit } => {
                    SheetError::SheetTooLarge { what, bytes, limit }
                }
            },
        )?;
    } else if format != Format::Xls {
        check_zip_size(bytes, opts.max_decompressed_bytes)?;
        if format == Format::Ods {
            let limit = opts.max_decompressed_bytes;
            ods_guard::check(bytes, limit).map_err(|(what, bytes)| SheetError::SheetTooLarge {
                what,
                bytes,
                limit,
            })?;
        }
    }
    let mut doc = Document::new(format);
    let mut budget = Budget::new(opts.max_decompressed_bytes);
    match format {
        Format::Xlsx | Format::Xlsm => read_xlsx(bytes, format, opts, &mut doc, &mut budget)?,
        Format::Xlsb => read_xlsb(bytes, format, opts, &mut doc, &mut budget)?,
        Format::Xls => {
            let mut wb: Xls<_> = calamine_call(format, || Xls::new(Cursor::new(bytes)))?
                .map_err(|e| open_error(format, e))?;
            let sheets = sheet_list(&wb, &mut doc);
            for name in sheets {
                let range = match wb.worksheet_range(&name) {
                    Ok(r) => r,
                    Err(e) => {
                        sheet_failed(&name, e, opts, &mut doc)?;
                        continue;
                    }
                };
                let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                let mut b = GridBuilder::new(&name);
                add_range(&mut b, &range, &mut budget)?;
                doc.grids
                    .push(b.finish(&merges, &mut doc.diagnostics, &mut budget)?);
            }
        }
        Format::Ods => {
            let mut wb: Ods<_> = calamine_call(format, || Ods::new(Cursor::new(bytes)))?
                .map_err(|e| open_error(format, e))?;
            let sheets = sheet_list(&wb, &mut doc);
            for name in sheets {
                let range = match calamine_call(format, || wb.worksheet_range(&name))? {
                    Ok(r) => r,
                    Err(e) => {
                        sheet_failed(&name, e, opts, &mut doc)?;
                        continue;
                    }
                };
                let mut b = GridBuilder::new(&name);
                add_range(&mut b, &range, &mut budget)?;
                doc.grids
                    .push(b.finish(&[], &mut doc.diagnostics, &mut budget)?);
            }
        }
        _ => {}
    }
    doc.metadata
        .insert("sheet_count".into(), doc.grids.len().to_string());
    Ok(doc)
}

/// Runs one call into calamine. calamine indexes some of what it reads from a damaged file
/// without checking it (record lengths in XLS, partial sectors of a compound file, ...) and then
/// panics; such a panic is the file's fault, so it becomes a `sheet.malformed` error of the
/// document here rather than a panic. Only calamine's own work runs inside: a panic in this
/// crate's code is not turned into a verdict on the file.
fn calamine_call<T>(format: Format, call: impl FnOnce() -> T) -> Result<T, SheetError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".to_string());
        SheetError::Malformed {
            format: format.as_str(),
            message: format!("the workbook reader failed on it ({message})"),
        }
    })
}

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Adds up the uncompressed sizes declared in the ZIP central directory.
fn check_zip_size(bytes: &[u8], limit: u64) -> Result<(), SheetError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::OpenFailed {
            format: "zip",
            message: e.to_string(),
        })?;
    let mut claimed = 0u64;
    for i in 0..archive.len() {
        let size = archive
            .by_index_raw(i)
            .map_err(|e| SheetError::OpenFailed {
                format: "zip",
                message: e.to_string(),
            })?
            .size();
        claimed = claimed.saturating_add(size);
        if claimed > limit {
            return Err(SheetError::TooLarge { claimed, limit });
        }
    }
    Ok(())
}

fn open_error(format: Format, e: impl std::fmt::Display) -> SheetError {
    let message = e.to_string();
    if message.to_ascii_lowercase().contains("password") {
        SheetError::Encrypted
    } else {
        SheetError::OpenFailed {
            format: format.as_str(),
            message,
        }
    }
}

/// Worksheet names in workbook order; other sheet kinds get an info diagnostic.
fn sheet_list<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(
    wb: &R,
    doc: &mut Document,
) -> Vec<String> {
    let mut names = Vec::new();
    for s in wb.sheets_metadata() {
        match s.typ {
            SheetType::WorkSheet => names.push(s.name.clone()),
            other => doc.diagnostics.push(
                Diagnostic::info(
                    "sheet.skipped",
                    format!("{other:?} is not a worksheet; skipped"),
                )
                .on_sheet(&s.name),
            ),
        }
    }
    names
}

fn sheet_failed(
    name: &str,
    e: impl std::fmt::Display,
    opts: &ExtractOptions,
    doc: &mut Document,
) -> Result<(), SheetError> {
    if opts.strict {
        return Err(SheetError::ReadFailed {
            sheet: name.to_string(),
            message: e.to_string(),
        });
    }
    doc.diagnostics.push(
        Diagnostic::error("sheet.read_failed", format!("cannot read the sheet: {e}"))
            .on_sheet(name),
    );
    Ok(())
}

/// Why reading one sheet stopped: calamine's error (the sheet is unreadable), or a failure of
/// the whole document.
enum SheetFailure<E> {
    Sheet(E),
    Document(SheetError),
}

impl<E> From<SheetError> for SheetFailure<E> {
    fn from(e: SheetError) -> Self {
        SheetFailure::Document(e)
    }
}

/// What reading one sheet came to: `Ok(true)` read, `Ok(false)` failed on its own (reported, the
/// other sheets go on), `Err` the whole document fails.
fn sheet_read<E: std::fmt::Display>(
    result: Result<(), SheetFailure<E>>,
    name: &str,
    opts: &ExtractOptions,
    doc: &mut Document,
) -> Result<bool, SheetError> {
    match result {
        Ok(()) => Ok(true),
        Err(SheetFailure::Document(e)) => Err(e),
        Err(SheetFailure::Sheet(e)) => sheet_failed(name, e, opts, doc).map(|()| false),
    }
}

impl From<calamine::XlsxError> for SheetFailure<calamine::XlsxError> {
    fn from(e: calamine::XlsxError) -> Self {
        SheetFailure::Sheet(e)
    }
}

impl From<calamine::XlsbError> for SheetFailure<calamine::XlsbError> {
    fn from(e: calamine::XlsbError) -> Self {
        SheetFailure::Sheet(e)
    }
}

fn read_xlsx(
    bytes: &[u8],
    format: Format,
    opts: &ExtractOptions,
    doc: &mut Document,
    budget: &mut Budget,
) -> Result<(), SheetError> {
    let mut wb: Xlsx<_> = calamine_call(format, || Xlsx::new(Cursor::new(bytes)))?
        .map_err(|e| open_error(format, e))?;
    let sheets = sheet_list(&wb, doc);
    for name in sheets {
        let merges = match calamine_call(format, || wb.merge_cells_by_sheet_name(&name))? {
            Ok(m) => m,
            Err(e) => {
                doc.diagnostics.push(
                    Diagnostic::warning(
                        "sheet.merges_unreadable",
                        format!("merged ranges not read: {e}"),
                    )
                    .on_sheet(&name),
                );
                Vec::new()
            }
        };
        let mut b = GridBuilder::new(&name);
        let result = (|| -> Result<(), SheetFailure<calamine::XlsxError>> {
            let mut reader = calamine_call(format, || wb.worksheet_cells_reader(&name))??;
            let styles: Vec<Option<String>> = reader
                .styles()
                .iter()
                .map(|s| s.number_format.as_ref().map(|n| n.format_code.clone()))
                .collect();
            while let Some((cell, style)) =
                calamine_call(format, || reader.next_cell_with_style_id())??
            {
                let (r, c) = cell.get_position();
                let fmt = styles.get(style).and_then(|f| f.as_deref());
                if let Some(cell) = convert_ref(cell.get_value(), fmt) {
                    b.push(r, c, cell, budget)?;
                }
            }
            Ok(())
        })();
        if !sheet_read(result, &name, opts, doc)? {
            continue;
        }
        doc.grids
            .push(b.finish(&merges, &mut doc.diagnostics, budget)?);
    }
    Ok(())
}

fn read_xlsb(
    bytes: &[u8],
    format: Format,
    opts: &ExtractOptions,
    doc: &mut Document,
    budget: &mut Budget,
) -> Result<(), SheetError> {
    let mut wb: Xlsb<_> = calamine_call(format, || Xlsb::new(Cursor::new(bytes)))?
        .map_err(|e| open_error(format, e))?;
    let sheets = sheet_list(&wb, doc);
    for name in sheets {
        let mut b = GridBuilder::new(&name);
        let result = (|| -> Result<(), SheetFailure<calamine::XlsbError>> {
            let mut reader = calamine_call(format, || wb.worksheet_cells_reader(&name))??;
            while let Some(cell) = calamine_call(format, || reader.next_cell())?? {
                let (r, c) = cell.get_position();
                if let Some(cell) = convert_ref(cell.get_value(), None) {
                    b.push(r, c, cell, budget)?;
                }
            }
            Ok(())
        })();
        if !sheet_read(result, &name, opts, doc)? {
            continue;
        }
        doc.grids.push(b.finish(&[], &mut doc.diagnostics, budget)?);
    }
    Ok(())
}

fn add_range(
    b: &mut GridBuilder,
    range: &calamine::Range<Data>,
    budget: &mut Budget,
) -> Result<(), SheetError> {
    let Some((r0, c0)) = range.start() else {
        return Ok(());
    };
    for (r, c, v) in range.used_cells() {
        let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
            continue;
        };
        if let Some(cell) = convert(v) {
            b.push(r0.saturating_add(r), c0.saturating_add(c), cell, budget)?;
        }
    }
    Ok(())
}

/// What the grids of one workbook may take: [`ExtractOptions::max_decompressed_bytes`], counted
/// as the cells are read (each with its text) and again as they are laid out in rows (a sheet
/// with a few cells far apart is many empty cells once laid out). Without it a small workbook of
/// scattered cells could ask for gigabytes.
struct Budget {
    used: u64,
    limit: u64,
}

impl Budget {
    fn new(limit: u64) -> Self {
        Budget { used: 0, limit }
    }

    fn take(&mut self, bytes: u64, sheet: &str) -> Result<(), SheetError> {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.limit {
            return Err(SheetError::SheetTooLarge {
                what: format!("the cells of the workbook, as far as sheet {sheet:?}"),
                bytes: self.used,
                limit: self.limit,
            });
        }
        Ok(())
    }
}

/// Collects cells sparsely and lays them out relative to the top-left non-empty cell.
struct GridBuilder {
    name: String,
    cells: Vec<(u32, u32, Cell)>,
    out_of_bounds: usize,
}

impl GridBuilder {
    fn new(name: &str) -> Self {
        GridBuilder {
            name: name.to_string(),
            cells: Vec::new(),
            out_of_bounds: 0,
        }
    }

    fn push(
        &mut self,
        row: u32,
        col: u32,
        cell: Cell,
        budget: &mut Budget,
    ) -> Result<(), SheetError> {
        if row >= MAX_ROWS || col >= MAX_COLS {
            self.out_of_bounds += 1;
            return Ok(());
        }
        let bytes = std::mem::size_of::<(u32, u32, Cell)>() + cell.text.capacity();
        budget.take(bytes as u64, &self.name)?;
        self.cells.push((row, col, cell));
        Ok(())
    }

    fn finish(
        mut self,
        merges: &[Dimensions],
        diagnostics: &mut Vec<Diagnostic>,
        budget: &mut Budget,
    ) -> Result<Grid, SheetError> {
        if self.out_of_bounds > 0 {
            diagnostics.push(
                Diagnostic::warning(
                    "sheet.cell_out_of_bounds",
                    format!(
                        "{} cells lie beyond row {MAX_ROWS} or column {MAX_COLS} and were dropped",
                        self.out_of_bounds
                    ),
                )
                .on_sheet(&self.name),
            );
        }
        self.cells.sort_by_key(|(r, c, _)| (*r, *c));
        self.cells.dedup_by_key(|(r, c, _)| (*r, *c));
        let origin = (
            self.cells.iter().map(|(r, _, _)| *r).min().unwrap_or(0),
            self.cells.iter().map(|(_, c, _)| *c).min().unwrap_or(0),
        );
        // The rows as laid out: one per row from the origin down, each as long as its last cell.
        let mut slots = 0u64;
        for (i, (r, c, _)) in self.cells.iter().enumerate() {
            if self.cells.get(i + 1).is_none_or(|(next, _, _)| next != r) {
                slots += (c - origin.1) as u64 + 1;
            }
        }
        let row_count = self
            .cells
            .last()
            .map_or(0, |(r, _, _)| (r - origin.0) as u64 + 1);
        budget.take(
            row_count * std::mem::size_of::<Vec<Cell>>() as u64
                + slots * std::mem::size_of::<Cell>() as u64,
            &self.name,
        )?;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for (r, c, cell) in self.cells {
            let ri = (r - origin.0) as usize;
            let ci = (c - origin.1) as usize;
            if rows.len() <= ri {
                rows.resize_with(ri + 1, Vec::new);
            }
            let row = &mut rows[ri];
            if row.len() < ci {
                row.resize_with(ci, Cell::default);
            }
            row.push(cell);
        }
        let merged = if rows.is_empty() {
            Vec::new()
        } else {
            merges
                .iter()
                .filter(|m| {
                    m.end.0 >= origin.0
                        && m.end.1 >= origin.1
                        && m.start.0 <= m.end.0
                        && m.start.1 <= m.end.1
                })
                .map(|m| CellRange {
                    first_row: m.start.0.saturating_sub(origin.0),
                    first_col: m.start.1.saturating_sub(origin.1),
                    last_row: m.end.0 - origin.0,
                    last_col: m.end.1 - origin.1,
                })
                // Clipping can leave a single cell, which is no merge.
                .filter(|m| m.last_row > m.first_row || m.last_col > m.first_col)
                .collect()
        };
        Ok(Grid {
            name: self.name.clone(),
            sheet: Some(self.name),
            page: None,
            origin,
            row_lines: Vec::new(),
            rows,
            merged,
        })
    }
}

fn number_cell(v: f64, fmt: Option<&str>) -> Cell {
    let Some(canonical) = canonical_f64(v) else {
        // NaN and infinities cannot be stored in a sheet; show them as Excel's number error.
        return Cell {
            text: "#NUM!".to_string(),
            value: CellValue::Error("#NUM!".to_string()),
        };
    };
    let text = fmt
        .filter(|f| !f.is_empty())
        .and_then(|f| format_number(v, f))
        .unwrap_or_else(|| canonical.clone());
    Cell {
        text,
        value: CellValue::Number(canonical),
    }
}

fn string_cell(s: &str) -> Option<Cell> {
    if s.is_empty() {
        None
    } else {
        Some(Cell {
            text: s.to_string(),
            value: CellValue::Text,
        })
    }
}

fn date_cell(iso: String) -> Cell {
    Cell {
        text: iso.clone(),
        value: CellValue::Date(iso),
    }
}

fn error_cell(e: &calamine::CellErrorType) -> Cell {
    let t = e.to_string();
    Cell {
        text: t.clone(),
        value: CellValue::Error(t),
    }
}

fn bool_cell(b: bool) -> Cell {
    Cell {
        text: if b { "TRUE" } else { "FALSE" }.to_string(),
        value: CellValue::Bool(b),
    }
}

/// A cell from a streamed value; `None` for an empty one.
fn convert_ref(v: &DataRef<'_>, fmt: Option<&str>) -> Option<Cell> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => int_cell(*i, fmt),
        DataRef::Float(f) => number_cell(*f, fmt),
        DataRef::String(s) => return string_cell(s),
        DataRef::SharedString(s) => return string_cell(s),
        DataRef::Bool(b) => bool_cell(*b),
        DataRef::DateTime(d) => date_cell(excel_datetime_iso(d)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => date_cell(s.clone()),
        DataRef::Error(e) => error_cell(e),
    })
}

/// A cell from a range value; `None` for an empty one.
fn convert(v: &Data) -> Option<Cell> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => int_cell(*i, None),
        Data::Float(f) => number_cell(*f, None),
        Data::String(s) => return string_cell(s),
        Data::Bool(b) => bool_cell(*b),
        Data::DateTime(d) => date_cell(excel_datetime_iso(d)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => date_cell(s.clone()),
        Data::Error(e) => error_cell(e),
    })
}

fn int_cell(i: i64, fmt: Option<&str>) -> Cell {
    let canonical = i.to_string();
    // Formatting goes through f64 only for the displayed text, and only when exact.
    let text = fmt
        .filter(|f| !f.is_empty() && i.unsigned_abs() < (1u64 << 53))
        .and_then(|f| format_number(i as f64, f))
        .unwrap_or_else(|| canonical.clone());
    Cell {
        text,
        value: CellValue::Number(canonical),
    }
}

/// ISO 8601 text of a spreadsheet date-time: `YYYY-MM-DD` when there is no time of day,
/// `YYYY-MM-DDTHH:MM:SS[.mmm]` otherwise; durations as `PT…`.
fn excel_datetime_iso(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        let total_ms = Decimal::from_f64(d.as_f64() * 86_400_000.0)
            .map(|mut x| {
                x.round_to(0);
                x.to_plain()
            })
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        let neg = total_ms < 0;
        let ms = total_ms.unsigned_abs();
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        let mut out = String::from(if neg { "-PT" } else { "PT" });
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || milli > 0 || (h == 0 && m == 0) {
            if milli > 0 {
                out.push_str(&format!("{s}.{milli:03}S"));
            } else {
                out.push_str(&format!("{s}S"));
            }
        }
        return out;
    }
    let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
    if h == 0 && mi == 0 && s == 0 && ms == 0 {
        format!("{y:04}-{mo:02}-{day:02}")
    } else if ms == 0 {
        format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}.{ms:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_keep_canonical_value_and_formatted_text() {
        let c = number_cell(-48204.0, Some("#,##0;\"△\"#,##0"));
        assert_eq!(c.text, "△48,204");
        assert_eq!(c.value, CellValue::Number("-48204".into()));
        let c = number_cell(0.125, Some("0.0%"));
        assert_eq!(c.text, "12.5%");
        assert_eq!(c.value, CellValue::Number("0.125".into()));
        let c = number_cell(1e-7, None);
        assert_eq!(c.text, "0.0000001");
        let c = number_cell(5.0, Some("0.00E+00"));
        assert_eq!(c.text, "5");
        let c = int_cell(9_007_199_254_740_993, Some("#,##0"));
        assert_eq!(c.text, "9007199254740993");
        let c = int_cell(-1234, Some("#,##0"));
        assert_eq!(c.text, "-1,234");
    }

    #[test]
    fn dates_are_iso() {
        let d = ExcelDateTime::new(45292.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(excel_datetime_iso(&d), "2024-01-01");
        let d = ExcelDateTime::new(45292.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(excel_datetime_iso(&d), "2024-01-01T12:00:00");
        let d = ExcelDateTime::new(1.0 / 24.0 * 1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(excel_datetime_iso(&d), "PT1H30M");
    }

    #[test]
    fn builder_is_sparse_and_relative() {
        let mut budget = Budget::new(1 << 20);
        let mut b = GridBuilder::new("s");
        b.push(5, 3, Cell::text("a"), &mut budget).unwrap();
        b.push(7, 1, Cell::text("b"), &mut budget).unwrap();
        b.push(2_000_000, 0, Cell::text("far"), &mut budget)
            .unwrap();
        let merges = [
            Dimensions::new((5, 3), (6, 4)),
            Dimensions::new((0, 0), (1, 0)),
            Dimensions::new((4, 0), (5, 1)),
        ];
        let mut diags = Vec::new();
        let g = b.finish(&merges, &mut diags, &mut budget).unwrap();
        assert_eq!(g.origin, (5, 1));
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[0].len(), 3);
        assert_eq!(g.rows[0][2].text, "a");
        assert!(g.rows[1].is_empty());
        assert_eq!(g.rows[2][0].text, "b");
        assert_eq!(
            g.merged,
            vec![CellRange {
                first_row: 0,
                first_col: 2,
                last_row: 1,
                last_col: 3
            },]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "sheet.cell_out_of_bounds");
    }

    #[test]
    fn wrong_format_and_garbage() {
        let err = extract(b"a,b", Format::Csv, &ExtractOptions::default()).err();
        assert_eq!(err.map(|e| e.code()), Some("sheet.unsupported_format"));
        let err = extract(
            b"PK\x03\x04 not really",
            Format::Xlsx,
            &ExtractOptions::default(),
        )
        .err();
        assert_eq!(err.map(|e| e.code()), Some("sheet.open_failed"));
        let err = extract(
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 short",
            Format::Xls,
            &ExtractOptions::default(),
        )
        .err();
        assert_eq!(err.map(|e| e.code()), Some("sheet.open_failed"));
    }
}
