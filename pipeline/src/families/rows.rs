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
use yosan_extractors::{Document, Grid};

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
        line: Some(
            grid.row_lines
                .get(r)
                .map_or(r as i32 + 1 + grid.origin.0 as i32, |l| *l as i32),
        ),
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
    if !doc.pages.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;
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
