//! The extractor output model: what a file looks like once its bytes are read, with no knowledge of
//! budgets.
//!
//! A [`Document`] holds two views, filled as the format allows:
//! - **pages** of positioned text (PDF pages; plain-text files, one page per form feed, with x in
//!   display columns and y in line numbers), made of words grouped into lines, plus ruling lines;
//! - **grids** of cells (spreadsheet sheets, CSV/TSV files, tables found inside text files).
//!
//! Coordinates: page space in PDF points with the origin at the **top-left** of the page's crop box,
//! x growing right and y growing down (so reading order is ascending y, then x). For text files one
//! unit of x is one display column (a full-width character is two) and one unit of y is one line.
//!
//! Numbers in cells are carried as canonical decimal text ([`CellValue::Number`]), never as `f64`,
//! so that amounts reach the normalisers without binary rounding.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The file type, detected from content (magic bytes), not from the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Tsv,
    Text,
    Markdown,
    Html,
    Unknown,
}

impl Format {
    /// The lower-case name used in the `documents` table.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Unknown => "unknown",
        }
    }
}

/// Everything an extractor read from one file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Document {
    pub format: Option<Format>,
    /// The text encoding that decoded the file (`UTF-8`, `Shift_JIS`, `EUC-JP`, ...), for text formats.
    pub encoding: Option<String>,
    /// Positioned text, one entry per page, in page order.
    pub pages: Vec<Page>,
    /// Cell grids: sheets, delimited files, tables found in text.
    pub grids: Vec<Grid>,
    /// Document information (title, producer, creator, page count, ...), as found.
    pub metadata: BTreeMap<String, String>,
    /// Problems found while extracting; the document may still be usable.
    pub diagnostics: Vec<Diagnostic>,
}

impl Document {
    pub fn new(format: Format) -> Self {
        Document {
            format: Some(format),
            ..Default::default()
        }
    }

    /// Number of pages (PDF, text) or sheets/tables (spreadsheets, CSV).
    pub fn unit_count(&self) -> usize {
        if self.pages.is_empty() {
            self.grids.len()
        } else {
            self.pages.len()
        }
    }

    /// True when any diagnostic has [`Severity::Error`].
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// An axis-aligned box in page space (top-left origin, y down).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl BBox {
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        BBox {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn center_y(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
    pub fn center_x(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    /// The smallest box holding both.
    pub fn union(&self, other: &BBox) -> BBox {
        BBox {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }
}

/// One page of positioned text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number in the file.
    pub number: u32,
    pub width: f32,
    pub height: f32,
    /// Page rotation in degrees as declared (`/Rotate`), already applied to all coordinates.
    pub rotation: i32,
    /// Individual glyphs; filled only when [`ExtractOptions::keep_glyphs`] is set.
    pub glyphs: Vec<Glyph>,
    /// Words in reading order.
    pub words: Vec<Word>,
    /// Words grouped into lines, top to bottom.
    pub lines: Vec<TextLine>,
    /// Horizontal and vertical ruling lines (strokes and thin filled rectangles).
    pub rules: Vec<Rule>,
}

impl Page {
    /// The page's text, lines joined by `\n`, words of a line by a single space.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }
}

/// One glyph as drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Glyph {
    /// The Unicode text of the glyph (usually one char; ligatures give several; U+FFFD when unmapped).
    pub text: String,
    pub bbox: BBox,
    pub font_size: f32,
    /// Index into the document's font list in `metadata` (`font.N`), or 0 when unknown.
    pub font: u32,
    pub vertical: bool,
}

/// A run of glyphs with no gap wider than about a space between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub bbox: BBox,
    pub font_size: f32,
    pub vertical: bool,
}

/// Words that share a baseline, left to right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    /// The words' text joined by single spaces.
    pub text: String,
    pub bbox: BBox,
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    Horizontal,
    Vertical,
}

/// A ruling line: a horizontal or vertical segment in page space.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub orientation: Orientation,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Stroke width (or the short side of a thin filled rectangle).
    pub width: f32,
}

/// A rectangular table of cells: a sheet, a delimited file, or a table found in text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Grid {
    /// Sheet name, `table N` for tables found in text, or the file stem for delimited files.
    pub name: String,
    /// The sheet this grid is, for spreadsheets.
    pub sheet: Option<String>,
    /// The page the grid was found on, for text and PDF.
    pub page: Option<u32>,
    /// 0-based (row, column) of `rows[0][0]` in the sheet, so that cell addresses can be reported
    /// as the spreadsheet shows them.
    pub origin: (u32, u32),
    /// 1-based source line where each row starts (delimited and text files); empty for sheets.
    pub row_lines: Vec<u32>,
    pub rows: Vec<Vec<Cell>>,
    /// Merged ranges, in grid coordinates (relative to `origin`).
    pub merged: Vec<CellRange>,
}

impl Grid {
    /// Where row `r` starts in the source, 1-based: its line in a text or delimited file, its
    /// row number in a sheet.
    pub fn source_row(&self, r: usize) -> i32 {
        self.row_lines
            .get(r)
            .map_or(r as i32 + 1 + self.origin.0 as i32, |l| *l as i32)
    }

    /// The cell at (row, col), or an empty cell outside the grid.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell {
            text: String::new(),
            value: CellValue::Empty,
        };
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.len()).max().unwrap_or(0)
    }
}

/// An inclusive range of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRange {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// One cell: the text a person sees, and the typed value behind it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cell {
    /// The displayed text: for a number with a number format, the formatted text (`△48,204`);
    /// otherwise the value as text. Not trimmed.
    pub text: String,
    pub value: CellValue,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        let text = s.into();
        if text.is_empty() {
            Cell::default()
        } else {
            Cell {
                value: CellValue::Text,
                text,
            }
        }
    }
    pub fn is_empty(&self) -> bool {
        matches!(self.value, CellValue::Empty) && self.text.trim().is_empty()
    }
}

/// The typed value of a cell.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum CellValue {
    #[default]
    Empty,
    /// A text cell; the text is in [`Cell::text`].
    Text,
    /// A number, as canonical decimal text (`-48204`, `12.5`, `1e-7` never: always positional).
    Number(String),
    Bool(bool),
    /// A date or date-time, ISO 8601.
    Date(String),
    /// A spreadsheet error value (`#DIV/0!`).
    Error(String),
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in a document, with a stable code (`csv.invalid_bytes`, `pdf.unmapped_glyph`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub page: Option<u32>,
    pub sheet: Option<String>,
    /// Where inside the page or sheet: `line 12`, `R3C4`, `font F1`, ...
    pub location: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity,
            page: None,
            sheet: None,
            location: None,
            message: message.into(),
        }
    }
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }
    pub fn warning(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }
    pub fn info(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, message)
    }
    pub fn on_page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }
    pub fn on_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
}

/// Settings shared by all extractors. Lenient by default; `strict` turns recoverable problems into
/// errors.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Fail on problems that lenient mode reports and works around.
    pub strict: bool,
    /// Keep individual glyphs on PDF pages (needed by `yosan extract --json`; costs memory).
    pub keep_glyphs: bool,
    /// Only these 1-based pages (inclusive), for PDF and text.
    pub pages: Option<(u32, u32)>,
    /// Upper bound on the bytes any one decompressed stream or archive member may expand to,
    /// and on the bytes the cells of one workbook take as the spreadsheet reader expands them.
    pub max_decompressed_bytes: u64,
    /// Upper bound on nesting (form XObjects within form XObjects, object references).
    pub max_depth: u32,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            strict: false,
            keep_glyphs: false,
            pages: None,
            max_decompressed_bytes: 256 * 1024 * 1024,
            max_depth: 32,
        }
    }
}

impl ExtractOptions {
    /// True when `page` (1-based) is inside the requested range.
    pub fn wants_page(&self, page: u32) -> bool {
        match self.pages {
            None => true,
            Some((a, b)) => page >= a && page <= b,
        }
    }
}
