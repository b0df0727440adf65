//! A document as streams of rows, whatever its format: the families that read forms (project
//! sheets, press tables, plan sections) walk rows top to bottom and look at cells where the format
//! kept them.
//!
//! - **Text** (plain, Markdown, HTML fragments, a PDF's text lines): one stream, one row per
//!   printed line in reading order. A line that is a row of a table the extractor found (tab- or
//!   pipe-separated) carries that table row's cells; any other line is one cell holding the line.
//! - **Spreadsheets**: one stream per sheet, one row per sheet row, with the sheet's cells.
//! - **Other grids** (a CSV file, a table reconstructed on a PDF page without text positions):
//!   one stream per grid.
//!
//! So a parser written over rows reads a sheet of a workbook, a table of a layout-aware text and
//! a reconstructed PDF table with the same code; only where the cells sit differs, and the parsers
//! in this crate find amounts relative to labels rather than by fixed cell addresses.

use super::common::compact;
use crate::table::Location;
use std::collections::HashMap;
use yosan_extractors::{Document, Format, Grid, Page};

/// One printed row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// The cells as printed, trimmed; a text line outside a table is one cell.
    pub cells: Vec<String>,
    /// The whole row as printed (cells joined by a space).
    pub text: String,
    pub page: Option<u32>,
    pub sheet: Option<String>,
    /// 1-based line of a text file or row of a sheet.
    pub line: Option<i32>,
    /// 0-based sheet column of `cells[0]` (the grid's origin column).
    pub col0: u32,
    /// True when the cells come from a table (a sheet row, a tab or pipe row).
    pub tabular: bool,
}

impl Row {
    /// The cell at `i`, or `""`.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
    /// The row's text without any white space, width folded.
    pub fn compact(&self) -> String {
        compact(&self.text)
    }
    /// Index of the first non-empty cell.
    pub fn first_filled(&self) -> Option<usize> {
        self.cells.iter().position(|c| !c.trim().is_empty())
    }
    /// The 1-based source column of cell `i` (sheets: the sheet column; text tables: the field).
    pub fn column(&self, i: usize) -> i32 {
        (self.col0 as usize + i + 1) as i32
    }
    /// Where the row is, for budget lines.
    pub fn location(&self) -> Location {
        Location {
            page: self.page.map(|p| p as i32),
            sheet: self.sheet.clone(),
            row: self.line,
            bbox: None,
        }
    }
    /// True when no cell has text.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Rows read in order from one part of a document.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    /// The sheet or grid name, or `text`.
    pub name: String,
    pub rows: Vec<Row>,
}

fn grid_row(grid: &Grid, r: usize) -> Row {
    let cells: Vec<String> = grid.rows[r]
        .iter()
        .map(|c| c.text.trim().to_string())
        .collect();
    let text = cells
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    Row {
        text,
        cells,
        page: grid.page,
        sheet: grid.sheet.clone(),
        line: Some(grid.source_row(r)),
        col0: if grid.row_lines.is_empty() {
            grid.origin.1
        } else {
            0
        },
        tabular: true,
    }
}

/// Every stream of the document, in document order (text first, then sheets and other grids).
pub fn streams(doc: &Document) -> Vec<Stream> {
    let mut out = Vec::new();
    // Grids found in text carry the file line of each row; index them to merge into the lines.
    let mut by_line: HashMap<u32, (usize, usize)> = HashMap::new();
    for (g, grid) in doc.grids.iter().enumerate() {
        if grid.sheet.is_some() {
            continue;
        }
        for (r, l) in grid.row_lines.iter().enumerate() {
            by_line.entry(*l).or_insert((g, r));
        }
    }
    let mut used = vec![false; doc.grids.len()];
    if doc.format == Some(Format::Pdf) {
        let rows: Vec<Row> = doc.pages.iter().flat_map(pdf_page_rows).collect();
        out.push(Stream {
            name: "text".to_string(),
            rows,
        });
    } else if !doc.pages.is_empty() {
        let mut rows = Vec::new();
        // Text pages number lines from 0 on each page: a page's file line offset is the count
        // of lines before it (pages split at form feeds; blank lines at a page end are not
        // counted, so a table row is taken only when its text agrees with the line).
        let mut offset = 0u32;
        for page in &doc.pages {
            let mut last = 0u32;
            for line in &page.lines {
                let y = line.bbox.y0.max(0.0) as u32;
                last = last.max(y + 1);
                let file_line = offset + y + 1;
                let from_grid = by_line.get(&file_line).and_then(|&(g, r)| {
                    let grid = &doc.grids[g];
                    if grid.page.is_some_and(|p| p != page.number) {
                        return None;
                    }
                    let row = grid_row(grid, r);
                    (compact(&row.text) == compact(&line.text)).then(|| {
                        used[g] = true;
                        row
                    })
                });
                rows.push(from_grid.unwrap_or_else(|| Row {
                    cells: vec![line.text.trim().to_string()],
                    text: line.text.trim().to_string(),
                    page: Some(page.number),
                    sheet: None,
                    line: Some(file_line as i32),
                    col0: 0,
                    tabular: false,
                }));
            }
            offset += last;
        }
        out.push(Stream {
            name: "text".to_string(),
            rows,
        });
    }
    for (g, grid) in doc.grids.iter().enumerate() {
        // Tables of a text file are already in the text stream.
        if used[g] || (!doc.pages.is_empty() && grid.sheet.is_none() && !grid.row_lines.is_empty())
        {
            continue;
        }
        out.push(Stream {
            name: grid.name.clone(),
            rows: (0..grid.rows.len()).map(|r| grid_row(grid, r)).collect(),
        });
    }
    out
}

/// The tables of a PDF as grids, for the families that read grids (a 予算の概要, a 目次, the
/// generic parser): the rows of [`pdf_page_rows`], one grid per run of pages with the same
/// columns (a table continued on the next page stays one grid), each row with its page line.
pub fn pdf_grids(doc: &Document) -> Vec<Grid> {
    let mut grids: Vec<Grid> = Vec::new();
    let mut width_of_last = None;
    for page in &doc.pages {
        let rows = pdf_page_rows(page);
        let width = rows
            .iter()
            .filter(|r| r.tabular)
            .map(|r| r.cells.len())
            .max();
        let Some(width) = width else {
            width_of_last = None;
            continue;
        };
        if width_of_last != Some(width) || grids.is_empty() {
            grids.push(Grid {
                name: format!("page {}", page.number),
                sheet: None,
                page: Some(page.number),
                origin: (0, 0),
                row_lines: Vec::new(),
                rows: Vec::new(),
                merged: Vec::new(),
            });
        }
        width_of_last = Some(width);
        let grid = grids.last_mut().expect("a grid was pushed");
        for r in rows {
            grid.row_lines.push(r.line.unwrap_or(0).max(0) as u32);
            grid.rows.push(
                r.cells
                    .into_iter()
                    .map(yosan_extractors::Cell::text)
                    .collect(),
            );
        }
    }
    grids
}

/// Most cells of one PDF page put into columns (a form page has a few hundred).
const MAX_PDF_CELLS: usize = 4_000;

/// A run of words on one PDF line close enough to be one cell of a form.
struct PdfCell {
    text: String,
    x0: f32,
    x1: f32,
    /// The text part of a word split after a figure ([`figure_run_on`]).
    split: bool,
}

/// Where a word that starts with a figure runs on into the text of the next cell (`556デザイン…`,
/// `8,612○`: a number set right in its cell touching a note or mark set left in the next), the
/// byte offset to split it at. A figure followed by its counter or unit (`4年度`, `2,260万円`,
/// `5款`) or by ASCII (`3D`, `5-1-4`) is one word.
fn figure_run_on(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    if let Some(&(_, c)) = chars.peek() {
        if matches!(c, '△' | '▲' | '-' | '−') {
            chars.next();
        }
    }
    let mut digits = false;
    for (i, c) in chars {
        if c.is_ascii_digit() {
            digits = true;
        } else if digits && matches!(c, ',' | '.') {
        } else {
            let counter = "年月日款項目節億万千円％%件人者回個社番号歳度倍";
            return (digits && !c.is_ascii() && !c.is_whitespace() && !counter.contains(c))
                .then_some(i);
        }
    }
    None
}

/// A word's text and horizontal extent, split where a figure runs on into the next cell's text;
/// the split point is placed by character widths (half for ASCII, whole for the rest).
fn word_parts(
    w: &yosan_extractors::Word,
    glyphs: &[yosan_extractors::Glyph],
) -> Vec<(String, f32, f32)> {
    let text = w.text.trim();
    let Some(at) = figure_run_on(text) else {
        return vec![(text.to_string(), w.bbox.x0, w.bbox.x1)];
    };
    let (a, b) = text.split_at(at);
    // The word's own glyphs give the split exactly; without them, split by character widths.
    let mut own: Vec<&yosan_extractors::Glyph> = glyphs
        .iter()
        .filter(|g| {
            let (cx, cy) = (g.bbox.center_x(), g.bbox.center_y());
            cx >= w.bbox.x0 && cx <= w.bbox.x1 && cy >= w.bbox.y0 && cy <= w.bbox.y1
        })
        .collect();
    own.sort_by(|x, y| x.bbox.x0.total_cmp(&y.bbox.x0));
    let n = a.chars().filter(|c| !c.is_whitespace()).count();
    let (end_a, start_b) = if own.len() == text.chars().filter(|c| !c.is_whitespace()).count()
        && n > 0
        && n < own.len()
    {
        (own[n - 1].bbox.x1, own[n].bbox.x0)
    } else {
        let units = |s: &str| -> f32 {
            s.chars()
                .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
                .sum()
        };
        let x = w.bbox.x0 + w.bbox.width() * units(a) / units(text).max(0.5);
        (x, x)
    };
    vec![
        (a.to_string(), w.bbox.x0, end_a),
        (b.to_string(), start_b.max(end_a), w.bbox.x1),
    ]
}

/// The widest gap, in characters, that still joins a word to the cell text before it: under one
/// character, and up to one and a half after a short head such as a numbering mark or a spaced
/// heading's character (`①　中小企業…`, `ア　設備導入…`, `１　目　的`, printed with full-width
/// spaces). Tight tables leave little more than a character between columns, so a longer text
/// does not get the wider gap.
fn joining_gap(before: &str) -> f32 {
    // A figure is no head: `556` set right beside a note set left is two cells.
    if before.chars().count() <= 3 && !before.chars().any(|c| c.is_ascii_digit()) {
        1.6
    } else {
        0.9
    }
}

/// Splits a PDF line into cells: words closer than [`joining_gap`] are one cell (`5 款`,
/// `☐ 新規 ☑ 拡充`, `①　中小企業…`), a wider gap starts the next cell.
fn pdf_cells(
    line: &yosan_extractors::TextLine,
    glyphs: &[yosan_extractors::Glyph],
) -> Vec<PdfCell> {
    let mut cells: Vec<PdfCell> = Vec::new();
    let mut prev: Option<(f32, f32)> = None; // (x1, font size) of the previous word
    for w in &line.words {
        if w.text.trim().is_empty() {
            continue;
        }
        let parts = word_parts(w, glyphs);
        if parts.len() > 1 {
            for (k, (text, x0, x1)) in parts.into_iter().enumerate() {
                cells.push(PdfCell {
                    text,
                    x0,
                    x1,
                    split: k > 0,
                });
            }
            prev = None;
            continue;
        }
        let size = if w.font_size > 0.0 { w.font_size } else { 10.0 };
        let joined = match (prev, cells.last_mut()) {
            (Some((x1, prev_size)), Some(c))
                if w.bbox.x0 - x1 < joining_gap(&c.text) * size.max(prev_size) =>
            {
                c.text.push(' ');
                c.text.push_str(w.text.trim());
                c.x1 = c.x1.max(w.bbox.x1);
                true
            }
            _ => false,
        };
        if !joined {
            cells.push(PdfCell {
                text: w.text.trim().to_string(),
                x0: w.bbox.x0,
                x1: w.bbox.x1,
                split: false,
            });
        }
        prev = Some((w.bbox.x1, size));
    }
    cells
}

fn overlaps(a: (f32, f32), b: (f32, f32)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// True when a cell holds a figure (`379,682`, `△1,290`, `▲ 8,571`, `0`).
fn is_figure(c: &PdfCell) -> bool {
    let t: String = c.text.chars().filter(|ch| !ch.is_whitespace()).collect();
    t.chars().any(|ch| ch.is_ascii_digit()) && super::common::is_amount_token(&t)
}

/// True for a dash printed for none: set left, centred or right in its cell, it says nothing
/// about where the column is, so it makes no column and is placed by where it starts.
fn is_dash(c: &PdfCell) -> bool {
    matches!(c.text.trim(), "-" | "－" | "―" | "—" | "‐" | "ー" | "一")
}

/// Groups spans into columns, narrowest first: a span overlapping no column starts one, a span
/// overlapping one widens it, a span overlapping several is a heading over them and makes none.
fn cluster(mut spans: Vec<(f32, f32)>) -> Vec<(f32, f32)> {
    spans.sort_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)));
    let mut columns: Vec<(f32, f32)> = Vec::new();
    for s in spans {
        let hit: Vec<usize> = (0..columns.len())
            .filter(|&i| overlaps(columns[i], s))
            .collect();
        match hit.as_slice() {
            [] => columns.push(s),
            [i] => columns[*i] = (columns[*i].0.min(s.0), columns[*i].1.max(s.1)),
            _ => {}
        }
    }
    // Widened columns may have come to overlap: one column.
    columns.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f32, f32)> = Vec::new();
    for c in columns {
        match merged.last_mut() {
            Some(m) if overlaps(*m, c) => *m = (m.0.min(c.0), m.1.max(c.1)),
            _ => merged.push(c),
        }
    }
    merged
}

/// The columns of a page's tables, as their right edges, from the lines that have several cells.
///
/// Figures are set right in their cells and headings often left or centred, so a heading and
/// the figures under it need not overlap on the page. Columns are therefore found from the
/// figures (which overlap within a column), plus text columns clear of every figure column
/// (labels, names, marks); and a cell belongs to the first column whose right edge lies to the
/// right of where the cell starts: a heading set left in its cell starts after the previous
/// column's figures end, one centred starts before its own figures end, and a heading merged over
/// several columns goes to the first of them, as a merged cell's value does in a sheet.
fn pdf_columns(lines: &[Vec<PdfCell>]) -> Vec<f32> {
    let cells: Vec<&PdfCell> = lines
        .iter()
        .filter(|l| l.len() >= 2)
        .flat_map(|l| l.iter())
        .collect();
    // Quadratic in the cells of a page: a page of more than this is read line by line.
    if cells.len() > MAX_PDF_CELLS {
        return Vec::new();
    }
    let figures = cluster(
        cells
            .iter()
            .filter(|c| is_figure(c))
            .map(|c| (c.x0, c.x1))
            .collect(),
    );
    let texts = cluster(
        cells
            .iter()
            .filter(|c| !is_figure(c) && !is_dash(c))
            .map(|c| (c.x0, c.x1))
            .filter(|s| !figures.iter().any(|f| overlaps(*f, *s)))
            .collect(),
    );
    let mut columns: Vec<((f32, f32), bool)> = figures
        .iter()
        .map(|c| (*c, true))
        .chain(texts.iter().map(|c| (*c, false)))
        .collect();
    columns.sort_by(|a, b| a.0 .1.total_cmp(&b.0 .1));
    columns.dedup_by(|a, b| (a.0 .1 - b.0 .1).abs() < 0.5);
    let mut edges: Vec<f32> = columns.iter().map(|c| c.0 .1).collect();
    // A text column that no line fills together with the column to its right is the left part
    // of that column: its heading or names set left, its figures set right.
    let mut i = 0;
    while i + 1 < edges.len() {
        let text = !columns[i].1;
        let together = lines.iter().filter(|l| l.len() >= 2).any(|l| {
            l.iter().any(|c| column_of(&edges, c) == i)
                && l.iter().any(|c| column_of(&edges, c) == i + 1)
        });
        if text && !together {
            edges.remove(i);
            columns.remove(i);
        } else {
            i += 1;
        }
    }
    edges
}

/// The column of a cell: the first whose right edge lies right of the cell's start.
fn column_of(edges: &[f32], c: &PdfCell) -> usize {
    // Edges are sorted: the first edge right of the cell's start.
    edges
        .partition_point(|&r| r <= c.x0 + 1.0)
        .min(edges.len().saturating_sub(1))
}

/// The rows of one PDF page: a line of several cells becomes a table row whose cells sit in the
/// page's columns (empty where the line prints nothing), so that a form printed to PDF reads like
/// the sheet it was printed from; a line of one cell stays one cell.
fn pdf_page_rows(page: &Page) -> Vec<Row> {
    let lines: Vec<Vec<PdfCell>> = page
        .lines
        .iter()
        .map(|l| pdf_cells(l, &page.glyphs))
        .collect();
    let columns = pdf_columns(&lines);
    let mut rows = Vec::new();
    for (i, (line, cells)) in page.lines.iter().zip(&lines).enumerate() {
        let text = line.text.trim().to_string();
        if text.is_empty() {
            continue;
        }
        let mut row = Row {
            cells: vec![text.clone()],
            text,
            page: Some(page.number),
            sheet: None,
            line: Some(i as i32 + 1),
            col0: 0,
            tabular: false,
        };
        if cells.len() >= 2 && !columns.is_empty() {
            let mut placed = vec![String::new(); columns.len()];
            let mut last: Option<usize> = None;
            for c in cells {
                let mut col = column_of(&columns, c);
                // The text a figure ran on into was set in a cell of its own.
                if c.split && last == Some(col) && col + 1 < columns.len() {
                    col += 1;
                }
                last = Some(col);
                let slot = &mut placed[col];
                if !slot.is_empty() {
                    slot.push(' ');
                }
                slot.push_str(&c.text);
            }
            row.cells = placed;
            row.tabular = true;
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_running_on_into_a_note_or_mark_is_split() {
        assert_eq!(figure_run_on("556デザイン"), Some(3));
        assert_eq!(figure_run_on("8,612○"), Some(5));
        assert_eq!(figure_run_on("▲259施設"), Some("▲259".len()));
        for whole in [
            "4年度",
            "2,260万円",
            "5款",
            "3D技術支援",
            "5-1-4",
            "令和4年度",
            "379,682",
        ] {
            assert_eq!(figure_run_on(whole), None, "{whole}");
        }
    }
    use yosan_extractors::{extract, ExtractOptions};

    #[test]
    fn text_lines_in_tables_carry_their_cells() {
        let text = "表題\n区分\t金額\t国\n令和4年度\t379,682\t\n\n(単位：千円)\n";
        let doc = extract(text.as_bytes(), "x.txt", &ExtractOptions::default()).unwrap();
        let s = streams(&doc);
        assert_eq!(s.len(), 1);
        let rows = &s[0].rows;
        assert_eq!(rows[0].cells, vec!["表題"]);
        assert!(!rows[0].tabular);
        assert_eq!(rows[1].cells, vec!["区分", "金額", "国"]);
        assert!(rows[2].tabular);
        assert_eq!(rows[2].cell(1), "379,682");
        assert_eq!(rows[2].line, Some(3));
        assert_eq!(rows[3].text, "(単位：千円)");
        assert_eq!(rows[3].line, Some(5));
    }
}
