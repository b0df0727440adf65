//! Tables rebuilt from positioned text: the layout stage between the extractors' pages of words
//! and ruling lines and the families that read tables.
//!
//! Every input format ends up as the same [`Table`]: rows of cells, each cell in a numbered
//! column, with its text, and on PDF pages its box. A sheet or a CSV file gives one table per
//! grid ([`Table::from_grid`]); a PDF page gives one table per column structure found on it
//! ([`page_tables`]), built either
//!
//! - **lattice**: from the ruling lines, where the page draws them ([`lattice`]): the vertical
//!   rules that run down a ruled box are the column boundaries; or
//! - **stream**: from the alignment of the words, where it does not ([`stream`]): the column
//!   boundaries are the vertical bands of white space that (almost) no line crosses.
//!
//! The choice is made per table: a ruled box is read as a lattice, the lines outside every ruled
//! box as stream text. Lines outside the boxes (titles, headings between two boxes, page numbers)
//! stay in the table as rows of their own, in reading order, so that a family sees headings
//! where they were printed (a 款 that changes in the middle of a page).
//!
//! Words are put into columns by the side they are aligned on: amounts are right-aligned, so an
//! amount goes to the column its right edge is in, even when it is too long for its column and
//! spills into the one on its left; names are left-aligned, so text goes to the column its left
//! edge is in, even when a long name runs into the amount columns.
//!
//! Two tables printed side by side for the same rows (the two pages of a budget book's spread, or
//! the two halves of one A3 page) are joined into one by vertical position with
//! [`join_side_by_side`]; the family decides which tables belong together.

pub mod lattice;
pub mod stream;
pub mod svg;

use yosan_extractors::{BBox, Grid, Page, TextLine, Word};
use yosan_normalize::width::fold_width;

/// How a table's columns were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// From ruling lines.
    Lattice,
    /// From the alignment of words.
    Stream,
    /// The cells of a spreadsheet or delimited file.
    Sheet,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Lattice => "lattice",
            Method::Stream => "stream",
            Method::Sheet => "sheet",
        }
    }
}

/// A column's horizontal extent in page space (PDF); for sheets both are the column index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub x0: f32,
    pub x1: f32,
    /// The page the column is on (tables joined from a spread have columns on two pages).
    pub page: Option<u32>,
}

impl Column {
    /// The columns between consecutive boundaries (sorted x positions), on no particular page.
    pub fn between(bounds: &[f32]) -> Vec<Column> {
        bounds
            .windows(2)
            .map(|w| Column {
                x0: w[0],
                x1: w[1],
                page: None,
            })
            .collect()
    }
}

/// One cell: the words of one line that fall into one column, or a sheet cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub col: usize,
    /// The words joined by single spaces (PDF), or the cell's displayed text (sheets).
    pub text: String,
    pub bbox: Option<BBox>,
    pub page: Option<u32>,
    /// Indentation of the text inside its column, in character widths: from the offset of the
    /// first word on a PDF page, from leading spaces in a sheet (a full-width space or two ASCII
    /// spaces count one).
    pub indent: u32,
    /// The cell holds a number that is aligned on its right (an amount), not text.
    pub numeric: bool,
    /// The box of each word of `text` (PDF), in order; empty for sheets.
    pub words: Vec<BBox>,
}

/// One row: the cells of one printed line (PDF) or one sheet row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Cells in column order, at most one per column.
    pub cells: Vec<Cell>,
    /// The row's box on its (first) page.
    pub bbox: Option<BBox>,
    pub page: Option<u32>,
    /// Vertical position used to order and join rows: the line's centre (PDF), the row index
    /// (sheets).
    pub y: f32,
    /// 1-based row of the sheet or line of the file, where there is one.
    pub source_row: Option<u32>,
    /// The row lies inside a ruled box (lattice) rather than outside every box.
    pub ruled: bool,
}

impl Row {
    /// The cell in column `col`, if the row has one.
    pub fn cell(&self, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.col == col)
    }

    /// The text of column `col`, or "".
    pub fn text(&self, col: usize) -> &str {
        self.cell(col).map_or("", |c| c.text.as_str())
    }

    /// All cells' text joined by spaces, in column order.
    pub fn joined(&self) -> String {
        let mut out = String::new();
        for c in &self.cells {
            if c.text.trim().is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(c.text.trim());
        }
        out
    }

    /// The text of the cells whose column is in `cols`, joined by spaces.
    pub fn joined_in(&self, cols: std::ops::Range<usize>) -> String {
        let mut out = String::new();
        for c in self.cells.iter().filter(|c| cols.contains(&c.col)) {
            if c.text.trim().is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(c.text.trim());
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }
}

/// A table: rows of cells in numbered columns, whatever format it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// `page 12`, `page 12+13` (joined spread), a sheet name, a file stem.
    pub name: String,
    pub page: Option<u32>,
    pub sheet: Option<String>,
    pub method: Method,
    /// The ruled boxes (lattice) or the text block (stream) the table was read from, on `page`.
    pub regions: Vec<BBox>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// For a table joined from tables side by side: the index of the first column of each part.
    pub parts: Vec<usize>,
    /// The horizontal ruling lines inside the table's regions (row separators).
    pub rules: Vec<HRule>,
}

/// A horizontal ruling line inside a table: where rows are separated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HRule {
    pub y: f32,
    pub x0: f32,
    pub x1: f32,
    pub page: Option<u32>,
}

impl Table {
    /// The table of a sheet, CSV or text-table grid: one row per grid row, one column per grid
    /// column. Empty cells are left out of the rows.
    pub fn from_grid(grid: &Grid) -> Table {
        let width = grid.width();
        let columns = (0..width)
            .map(|c| Column {
                x0: c as f32,
                x1: c as f32 + 1.0,
                page: grid.page,
            })
            .collect();
        let mut rows = Vec::with_capacity(grid.rows.len());
        for (r, cells) in grid.rows.iter().enumerate() {
            let mut out = Vec::new();
            for (c, cell) in cells.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                let text = cell.text.as_str();
                let numeric = matches!(cell.value, yosan_extractors::CellValue::Number(_))
                    || is_numeric_text(text);
                out.push(Cell {
                    col: c,
                    text: text.trim().to_string(),
                    bbox: None,
                    page: grid.page,
                    indent: leading_indent(text),
                    numeric,
                    words: Vec::new(),
                });
            }
            let source_row = grid
                .row_lines
                .get(r)
                .copied()
                .or(Some(grid.origin.0 + r as u32 + 1));
            rows.push(Row {
                cells: out,
                bbox: None,
                page: grid.page,
                y: r as f32,
                source_row,
                ruled: false,
            });
        }
        Table {
            name: grid.name.clone(),
            page: grid.page,
            sheet: grid.sheet.clone(),
            method: Method::Sheet,
            regions: Vec::new(),
            columns,
            rows,
            parts: vec![0],
            rules: Vec::new(),
        }
    }

    /// The table's box on its page: the union of its regions and rows.
    pub fn bbox(&self) -> Option<BBox> {
        let mut b: Option<BBox> = None;
        for r in self
            .regions
            .iter()
            .chain(self.rows.iter().filter_map(|r| r.bbox.as_ref()))
        {
            b = Some(b.map_or(*r, |acc| acc.union(r)));
        }
        b
    }
}

/// Indentation of a sheet cell's text: leading full-width spaces count one, ASCII spaces half.
fn leading_indent(text: &str) -> u32 {
    let mut half = 0u32;
    for c in text.chars() {
        match c {
            '\u{3000}' => half += 2,
            ' ' | '\t' => half += 1,
            _ => break,
        }
    }
    half / 2
}

/// True when `text` is a number as tables print amounts: digits with separators, an optional
/// sign (`△`, `▲`, `-`, `−`), an optional decimal part and an optional trailing `千円`/`円`, or
/// a none mark (`-`, `―`, `…`). Full-width digits count.
pub fn is_numeric_text(text: &str) -> bool {
    let folded = fold_width(text);
    let mut t = folded.trim();
    if t.is_empty() {
        return false;
    }
    if matches!(t, "-" | "−" | "―" | "—" | "…" | "‐") {
        return true;
    }
    for suffix in ["千円", "円"] {
        if let Some(s) = t.strip_suffix(suffix) {
            t = s.trim_end();
            break;
        }
    }
    let t = t
        .strip_prefix(['△', '▲', '-', '−', '－'])
        .map(str::trim_start)
        .unwrap_or(t);
    let mut digits = 0;
    for c in t.chars() {
        match c {
            '0'..='9' => digits += 1,
            ',' | '.' => {}
            _ => return false,
        }
    }
    digits > 0 && t.starts_with(|c: char| c.is_ascii_digit())
}

/// A line's words restricted to an x range, for lines that cross two tables side by side.
fn words_in(line: &TextLine, x0: f32, x1: f32) -> Vec<&Word> {
    line.words
        .iter()
        .filter(|w| w.bbox.center_x() >= x0 && w.bbox.center_x() < x1)
        .collect()
}

/// The column a word goes to: amounts by their right edge, text by its left edge, each clamped
/// into the table.
pub fn column_of(columns: &[Column], word: &BBox, numeric: bool) -> usize {
    if columns.is_empty() {
        return 0;
    }
    let x = if numeric {
        word.x1 - 0.5
    } else {
        word.x0 + 0.5
    };
    for (i, c) in columns.iter().enumerate() {
        if x < c.x1 {
            return i;
        }
    }
    columns.len() - 1
}

/// Builds the cells of one line from its words, given the columns.
pub fn cells_of(words: &[&Word], columns: &[Column], content_x0: &[f32], page: u32) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::new();
    for w in words {
        let numeric = is_numeric_text(&w.text);
        let col = column_of(columns, &w.bbox, numeric);
        match cells.iter_mut().find(|c| c.col == col) {
            Some(c) => {
                c.text.push(' ');
                c.text.push_str(&w.text);
                if let Some(b) = c.bbox.as_mut() {
                    *b = b.union(&w.bbox);
                }
                c.words.push(w.bbox);
                c.numeric = c.numeric && numeric;
            }
            None => {
                let base = content_x0.get(col).copied().unwrap_or(columns[col].x0);
                let size = w.font_size.max(1.0);
                // A quarter of a character of slack: a full-width space may be drawn a little narrower.
                let indent = ((w.bbox.x0 - base) / size + 0.25).floor().max(0.0) as u32;
                cells.push(Cell {
                    col,
                    text: w.text.clone(),
                    bbox: Some(w.bbox),
                    page: Some(page),
                    indent,
                    numeric,
                    words: vec![w.bbox],
                });
            }
        }
    }
    cells.sort_by_key(|c| c.col);
    cells
}

/// A group of lines read with one set of columns.
struct Block {
    method: Method,
    regions: Vec<BBox>,
    columns: Vec<Column>,
    /// Left edge the indentation of each column is measured from.
    content_x0: Vec<f32>,
    x0: f32,
    x1: f32,
}

impl Block {
    /// The top of its highest region.
    fn top(&self) -> f32 {
        self.regions
            .iter()
            .map(|r| r.y0)
            .fold(f32::INFINITY, f32::min)
    }

    /// The bottom of its lowest region.
    fn bottom(&self) -> f32 {
        self.regions
            .iter()
            .map(|r| r.y1)
            .fold(f32::NEG_INFINITY, f32::max)
    }
}

/// The tables of one PDF page. Ruled boxes with the same column boundaries make one table;
/// boxes side by side (the two halves of an A3 spread) make one table each, and so do boxes with
/// different columns one above the other. A page with no ruled box is read as one stream table.
pub fn page_tables(page: &Page) -> Vec<Table> {
    let regions = lattice::regions(&page.rules);
    let mut blocks: Vec<Block> = Vec::new();
    for reg in regions {
        let same = blocks.iter_mut().find(|b| {
            b.method == Method::Lattice && lattice::same_columns(&b.columns, &reg.columns)
        });
        match same {
            Some(b) => {
                b.regions.push(reg.bbox);
            }
            None => blocks.push(Block {
                method: Method::Lattice,
                regions: vec![reg.bbox],
                content_x0: reg.columns.iter().map(|c| c.x0).collect(),
                x0: reg.bbox.x0,
                x1: reg.bbox.x1,
                columns: reg.columns,
            }),
        }
    }
    if blocks.is_empty() {
        let all: Vec<&TextLine> = page.lines.iter().collect();
        // Two text blocks side by side (an A3 spread without rules) are split at the widest
        // vertical gap that runs down the whole page near its middle.
        let halves = stream::split_halves(&all, page.width, page.height);
        for (x0, x1) in halves {
            let (columns, content_x0) = stream::columns(&all, x0, x1);
            blocks.push(Block {
                method: Method::Stream,
                regions: Vec::new(),
                columns,
                content_x0,
                x0,
                x1,
            });
        }
    }
    for b in &mut blocks {
        for c in &mut b.columns {
            c.page = Some(page.number);
        }
    }
    // Which block each line belongs to: side-by-side blocks split a line by x; stacked blocks
    // take the lines inside their regions, and lines outside every region go to the next block
    // below (a heading belongs to the table under it), else the last one above.
    let mut tables: Vec<Table> = blocks
        .iter()
        .map(|b| Table {
            name: format!("page {}", page.number),
            page: Some(page.number),
            sheet: None,
            method: b.method,
            regions: b.regions.clone(),
            columns: b.columns.clone(),
            rows: Vec::new(),
            parts: vec![0],
            rules: page
                .rules
                .iter()
                .filter(|r| r.orientation == yosan_extractors::Orientation::Horizontal)
                .filter(|r| {
                    let y = (r.y0 + r.y1) / 2.0;
                    b.regions.iter().any(|g| {
                        y >= g.y0 - 1.0
                            && y <= g.y1 + 1.0
                            && r.x1 >= g.x0 - 1.0
                            && r.x0 <= g.x1 + 1.0
                    })
                })
                .map(|r| HRule {
                    y: (r.y0 + r.y1) / 2.0,
                    x0: r.x0.min(r.x1),
                    x1: r.x0.max(r.x1),
                    page: Some(page.number),
                })
                .collect(),
        })
        .collect();
    let n = blocks.len();
    for (li, line) in page.lines.iter().enumerate() {
        let cy = line.bbox.center_y();
        // Blocks this line's words can go to, split by x.
        let mut targets: Vec<usize> = Vec::new();
        for (bi, b) in blocks.iter().enumerate() {
            let inside = b.regions.iter().any(|r| cy >= r.y0 && cy <= r.y1);
            if inside {
                targets.push(bi);
            }
        }
        if targets.is_empty() {
            // Outside every region: side-by-side groups by x; else the next block below.
            let below = (0..n)
                .filter(|&bi| blocks[bi].top() >= cy)
                .min_by(|&a, &b| blocks[a].top().total_cmp(&blocks[b].top()));
            let side_by_side: Vec<usize> = (0..n)
                .filter(|&bi| {
                    (0..n).any(|bj| {
                        bj != bi
                            && (blocks[bj].x0 >= blocks[bi].x1 - 1.0
                                || blocks[bj].x1 <= blocks[bi].x0 + 1.0)
                    })
                })
                .collect();
            if !side_by_side.is_empty() {
                targets = side_by_side;
            } else if let Some(b) = below {
                targets.push(b);
            } else if n > 0 {
                // The last block above.
                let above =
                    (0..n).max_by(|&a, &b| blocks[a].bottom().total_cmp(&blocks[b].bottom()));
                targets.extend(above);
            }
        }
        let split_by_x = targets.len() > 1;
        for bi in targets {
            let b = &blocks[bi];
            let words: Vec<&Word> = if split_by_x {
                // Boundaries halfway between neighbouring blocks.
                let left = blocks
                    .iter()
                    .filter(|o| o.x1 <= b.x0 + 1.0)
                    .map(|o| (o.x1 + b.x0) / 2.0)
                    .fold(f32::NEG_INFINITY, f32::max);
                let right = blocks
                    .iter()
                    .filter(|o| o.x0 >= b.x1 - 1.0)
                    .map(|o| (o.x0 + b.x1) / 2.0)
                    .fold(f32::INFINITY, f32::min);
                words_in(line, left, right)
            } else {
                line.words.iter().collect()
            };
            if words.is_empty() {
                continue;
            }
            let cells = cells_of(&words, &b.columns, &b.content_x0, page.number);
            let bbox = words
                .iter()
                .map(|w| w.bbox)
                .reduce(|a, c| a.union(&c))
                .unwrap_or(line.bbox);
            let ruled = b.regions.iter().any(|r| cy >= r.y0 && cy <= r.y1);
            tables[bi].rows.push(Row {
                cells,
                bbox: Some(bbox),
                page: Some(page.number),
                y: bbox.center_y(),
                source_row: Some(li as u32 + 1),
                ruled,
            });
        }
    }
    // Left to right for side-by-side tables, top to bottom otherwise.
    let mut order: Vec<usize> = (0..tables.len()).collect();
    order.sort_by(|&a, &b| {
        let ta = tables[a].bbox().map_or((0.0, 0.0), |b| (b.y0, b.x0));
        let tb = tables[b].bbox().map_or((0.0, 0.0), |b| (b.y0, b.x0));
        let side = blocks[a].x1 <= blocks[b].x0 + 1.0 || blocks[b].x1 <= blocks[a].x0 + 1.0;
        if side {
            ta.1.total_cmp(&tb.1)
        } else {
            ta.0.total_cmp(&tb.0)
        }
    });
    let mut tables: Vec<Option<Table>> = tables.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| tables[i].take())
        .filter(|t| !t.rows.is_empty())
        .collect()
}

/// Joins tables printed side by side for the same rows: rows whose vertical centres are within
/// `tolerance` of each other become one row; a row found on one side only stays a row of its own.
/// Columns are the left table's followed by the right table's. Both tables must be in the same
/// vertical coordinates (two pages of one size, or two halves of one page).
pub fn join_side_by_side(left: &Table, right: &Table, tolerance: f32) -> Table {
    let offset = left.columns.len();
    let mut rows: Vec<Row> = Vec::with_capacity(left.rows.len() + right.rows.len());
    let (mut i, mut j) = (0usize, 0usize);
    while i < left.rows.len() || j < right.rows.len() {
        match (left.rows.get(i), right.rows.get(j)) {
            (Some(l), Some(r)) if (l.y - r.y).abs() <= tolerance => {
                let mut row = l.clone();
                row.cells.extend(r.cells.iter().cloned().map(|mut c| {
                    c.col += offset;
                    c
                }));
                row.ruled = l.ruled || r.ruled;
                rows.push(row);
                i += 1;
                j += 1;
            }
            (Some(l), Some(r)) if l.y < r.y => {
                rows.push(l.clone());
                i += 1;
            }
            (Some(_), Some(r)) | (None, Some(r)) => {
                let mut row = r.clone();
                for c in &mut row.cells {
                    c.col += offset;
                }
                rows.push(row);
                j += 1;
            }
            (Some(l), None) => {
                rows.push(l.clone());
                i += 1;
            }
            (None, None) => break,
        }
    }
    let mut columns = left.columns.clone();
    columns.extend(right.columns.iter().copied());
    let mut parts = left.parts.clone();
    parts.extend(right.parts.iter().map(|p| p + offset));
    let name = match (left.page, right.page) {
        (Some(a), Some(b)) if a != b => format!("page {a}+{b}"),
        _ => left.name.clone(),
    };
    let mut regions = left.regions.clone();
    regions.extend(right.regions.iter().copied());
    let mut rules = left.rules.clone();
    rules.extend(right.rules.iter().copied());
    Table {
        name,
        page: left.page,
        sheet: left.sheet.clone(),
        method: left.method,
        regions,
        columns,
        rows,
        parts,
        rules,
    }
}

/// Sorts a table's rows top to bottom (stable for rows at the same height).
pub fn sort_rows(table: &mut Table) {
    table.rows.sort_by(|a, b| a.y.total_cmp(&b.y));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x0: f32, x1: f32, y: f32) -> Word {
        Word {
            text: text.into(),
            bbox: BBox::new(x0, y, x1, y + 10.0),
            font_size: 10.0,
            vertical: false,
        }
    }

    #[test]
    fn numeric_text() {
        for t in [
            "1,234",
            "△48,204",
            "▲ 80",
            "０",
            "１０１，８００，０００千円",
            "-",
            "12.5",
        ] {
            assert!(is_numeric_text(t), "{t}");
        }
        for t in [
            "給料",
            "３人",
            "1億5千万円",
            "98.9％",
            "001給与費",
            "",
            "千円",
        ] {
            assert!(!is_numeric_text(t), "{t}");
        }
    }

    #[test]
    fn amounts_go_by_their_right_edge_and_names_by_their_left() {
        let cols = vec![
            Column {
                x0: 30.0,
                x1: 105.0,
                page: None,
            },
            Column {
                x0: 105.0,
                x1: 169.0,
                page: None,
            },
            Column {
                x0: 169.0,
                x1: 232.0,
                page: None,
            },
        ];
        // An amount too wide for its column starts in the name column.
        let a = word("14,181,000", 95.0, 166.0, 0.0);
        assert_eq!(column_of(&cols, &a.bbox, true), 1);
        // A name too long for its column runs into the amount column.
        let n = word("国有資産等所在市町村交付金", 52.0, 184.0, 0.0);
        assert_eq!(column_of(&cols, &n.bbox, false), 0);
        let words = [&a, &n];
        let cells = cells_of(&words, &cols, &[30.0, 105.0, 169.0], 1);
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].col, 0);
        assert_eq!(cells[0].indent, 2);
        assert!(cells[1].numeric);
    }

    #[test]
    fn side_by_side_rows_join_by_height() {
        let mk = |page: u32, ys: &[f32]| Table {
            name: String::new(),
            page: Some(page),
            sheet: None,
            method: Method::Lattice,
            regions: vec![],
            columns: vec![Column {
                x0: 0.0,
                x1: 100.0,
                page: Some(page),
            }],
            rows: ys
                .iter()
                .map(|&y| Row {
                    cells: vec![Cell {
                        col: 0,
                        text: format!("{page}@{y}"),
                        bbox: None,
                        page: Some(page),
                        indent: 0,
                        numeric: false,
                        words: vec![],
                    }],
                    bbox: None,
                    page: Some(page),
                    y,
                    source_row: None,
                    ruled: true,
                })
                .collect(),
            parts: vec![0],
            rules: vec![],
        };
        let t = join_side_by_side(
            &mk(1, &[10.0, 50.0]),
            &mk(2, &[10.5, 30.0, 50.2, 70.0]),
            2.0,
        );
        let texts: Vec<String> = t.rows.iter().map(|r| r.joined()).collect();
        assert_eq!(texts, vec!["1@10 2@10.5", "2@30", "1@50 2@50.2", "2@70"]);
        assert_eq!(t.columns.len(), 2);
        assert_eq!(t.parts, vec![0, 1]);
        assert_eq!(t.name, "page 1+2");
    }

    #[test]
    fn sheet_cells_keep_indent_and_rows() {
        let g = Grid {
            rows: vec![
                vec![
                    yosan_extractors::Cell::text("目"),
                    yosan_extractors::Cell::text("金額"),
                ],
                vec![
                    yosan_extractors::Cell::text("　　001 特別職"),
                    yosan_extractors::Cell::text("52,291"),
                ],
            ],
            ..Default::default()
        };
        let t = Table::from_grid(&g);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells[0].indent, 2);
        assert_eq!(t.rows[1].cells[0].text, "001 特別職");
        assert!(t.rows[1].cells[1].numeric);
        assert_eq!(t.rows[1].source_row, Some(2));
    }
}
