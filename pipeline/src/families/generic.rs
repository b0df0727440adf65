//! The generic table parser: the fallback for documents no other family recognises, so that a
//! new publisher's file yields data on day one instead of nothing. Registered last.
//!
//! Any grid (a sheet, a CSV file, a table found in text; PDF tables once they arrive as grids)
//! becomes budget lines when it has a header row naming **amount columns**: a header that names a
//! fiscal year (`令和4年度`, `R4`, `2022年度`, `4年度` in the document's era) or that the header
//! dictionary knows (`yosan_schemas::lookup_header`: 予算額, 決算額, 増減, 一般財源 ...), and under
//! which the rows hold amounts. A second header row below a banner is read with it: the banner
//! (`令和4年度`, spread over the empty cells to its right) gives the year, the lower cell the
//! measure (`総額`); a banner that names a difference (`増△減(3-2)`) makes its columns `change`.
//!
//!   Calendar years (`平成27年`, `2022年`: population as of a date) are not fiscal years.
//! - **measure**: the dictionary's measure for the header once the year and any unit are taken
//!   out of it; a header that only names a year (`令和4年度`) is taken as `budget`, as is usual for
//!   the year columns of a plan. Headers with other words (`令和4年度 構成比`) are not amounts.
//! - **fiscal year**: the year the header names, else the document's year plus the dictionary's
//!   offset (前年度 → −1); a column with neither is not read (`generic.fiscal_year_unknown`).
//! - **phase**: the dictionary's, else the document's, else `initial`.
//! - **unit**: a unit in the column's header (`（千円）`), else a caption near the table
//!   (`（単位：千円）` above it), else the unit declared for the document, else 円 with a
//!   `generic.unit_assumed` warning.
//! - **path**: the label columns are the columns left of the first amount column; a cell that is
//!   only a number (`1`, `(1)`) is the code of the name beside it. Each label column is a level
//!   (filled-down labels of outline tables and repeated names of flat tables both work); inside a
//!   column, numbering styles nest (I > 1 > (1) > ア > ①, as [`super::common::numbering_rank`]);
//!   numbers are split from names with `split_numbering`. `level` is the label column's header
//!   (`款`, `事業`), else `項目`.
//! - Columns of figures under any other header are not read; a `generic.column_unread` note names
//!   each.
//! - A row whose amounts are all in parentheses is a reference figure under the item above it
//!   (`(貸与予定額) (400,000)`): kept, outside every sum.
//! - **checks**: a row named 計 / 合計 at the top level is checked against the top-level items
//!   above it, and a row with children against their sum (each column), as in
//!   [`crate::table::HierTable`]; totals nested deeper are kept unchecked.
//!
//! Every line is `family = generic`, `confidence = low`: what a column measures is inferred from
//! its header text alone. A document with no table of this shape is not recognised, so it still
//! fails with `family.unrecognised`.

use super::common::{compact, is_total_name, numbering_rank, unit_above_grid, unit_in};
use super::{Family, FamilyOutput};
use crate::context::DocContext;
use crate::model::{Direction, Phase};
use crate::table::{Amount, ColumnSpec, HierRow, HierTable, Location, RowKind};
use yosan_extractors::{Diagnostic, Document, Grid};
use yosan_normalize::amount::Unit;
use yosan_normalize::era::{era_of_year, find_fiscal_years, Era};
use yosan_normalize::label::normalize_label;
use yosan_normalize::numbering::split_numbering;

pub struct GenericTable;

const ID: &str = "generic";

/// How many rows from the top of a grid may hold its header.
const HEADER_SCAN: usize = 12;

impl Family for GenericTable {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "any table whose header names fiscal years or known amount columns (fallback, tried last)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        let era = None;
        doc.grids.iter().any(|g| layout(g, era).is_some())
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        let era = ctx.fiscal_year.map(|y| era_of_year(y as i32));
        let mut tables = 0;
        for grid in &doc.grids {
            let Some(lay) = layout(grid, era) else {
                continue;
            };
            tables += 1;
            read_grid(doc, grid, &lay, ctx, &mut out);
        }
        if tables == 0 {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "no table with a header naming fiscal years or amount columns",
            ));
        } else {
            out.diagnostics.push(Diagnostic::info(
                "generic.used",
                format!(
                    "no document family recognised this file; {tables} table(s) read by the generic parser (confidence low)"
                ),
            ));
        }
        out
    }
}

/// An amount column as its header describes it.
#[derive(Debug, Clone, PartialEq)]
struct AmountCol {
    col: usize,
    /// Banner and header joined, white space removed.
    label: String,
    measure: String,
    /// The year the header names.
    year: Option<i64>,
    /// Offset from the document's year when the header names none.
    year_offset: i32,
    phase: Option<Phase>,
    unit: Option<Unit>,
}

#[derive(Debug, Clone)]
struct Layout {
    header: usize,
    banner: Option<usize>,
    /// (column, level word) of the label columns, left to right.
    labels: Vec<(usize, String)>,
    amounts: Vec<AmountCol>,
    /// (column, header) of columns of figures under a header that is no amount header.
    unread: Vec<(usize, String)>,
}

/// The text of a cell, trimmed.
fn text(grid: &Grid, r: usize, c: usize) -> &str {
    grid.cell(r, c).text.trim()
}

/// True when the cell reads as an amount (digits, a signed number, a none mark).
fn is_amount_cell(grid: &Grid, r: usize, c: usize) -> bool {
    let t = text(grid, r, c);
    !t.is_empty() && matches!(Amount::read(t, Unit::Yen), Ok(a) if !a.blank)
}

/// The banner text above each column: a cell of the row above, spread right over the empty
/// cells after it.
fn banner_texts(grid: &Grid, banner: usize, width: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(width);
    let mut current = String::new();
    for c in 0..width {
        let t = text(grid, banner, c);
        if !t.is_empty() {
            current = t.to_string();
        }
        out.push(current.clone());
    }
    out
}

/// Takes the fiscal years, units and column letters (`A`, `(B)`) out of a header, leaving what
/// it says it measures.
fn strip_header(key: &str, era: Option<Era>) -> (String, Option<i64>, Option<Unit>) {
    // Fiscal years only: `令和4年度`, `R4`, `FY2022`; a calendar year (`平成27年`, `2022年`) heads
    // columns of other tables (population as of 1 January) and is left in the text.
    let years: Vec<_> = find_fiscal_years(key, era)
        .into_iter()
        .filter(|(range, _)| {
            let t = &key[range.clone()];
            t.contains("年度") || !t.contains('年')
        })
        .collect();
    let year = years.first().map(|(_, y)| i64::from(*y));
    let mut rest = String::new();
    let mut last = 0;
    for (range, _) in &years {
        rest.push_str(&key[last..range.start]);
        last = range.end;
    }
    rest.push_str(&key[last..]);
    let mut unit = Unit::from_caption(&rest);
    // Bracketed parts that are units, unit captions or column letters.
    let mut cleaned = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch == '(' || ch == '（' {
            let close = rest[i..].find([')', '）']).map(|e| i + e);
            if let Some(end) = close {
                let inner = &rest[i + ch.len_utf8()..end];
                let inner_t = inner.trim();
                let is_unit = Unit::from_label(inner_t).is_some() || inner_t.contains("単位");
                let is_letter =
                    inner_t.len() == 1 && inner_t.chars().all(|c| c.is_ascii_uppercase());
                if is_unit || is_letter {
                    if is_unit {
                        unit = unit.or_else(|| Unit::from_caption(inner_t));
                    }
                    while chars.peek().is_some_and(|(j, _)| *j <= end) {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        cleaned.push(ch);
    }
    let mut cleaned = cleaned.trim().to_string();
    // A trailing column letter after a name: `予算額A`.
    let chars: Vec<char> = cleaned.chars().collect();
    if chars.len() >= 2
        && chars[chars.len() - 1].is_ascii_uppercase()
        && !chars[chars.len() - 2].is_ascii()
    {
        cleaned = chars[..chars.len() - 1].iter().collect();
    }
    // Left-over unit captions such as `単位:千円`.
    if cleaned.contains("単位") && Unit::from_caption(&cleaned).is_some() {
        cleaned.clear();
    }
    (cleaned, year, unit)
}

/// What a header (with its banner) says about its column, if it is an amount column.
fn classify(banner: &str, own: &str, era: Option<Era>) -> Option<AmountCol> {
    let (b_rest, b_year, b_unit) = strip_header(banner, era);
    let (o_rest, o_year, o_unit) = strip_header(own, era);
    let b_entry = (!b_rest.is_empty())
        .then(|| yosan_schemas::lookup_header(&b_rest))
        .flatten();
    // The dictionary knows some headers with their year (`令和4年度10月補正予算額A`, whose phase
    // the year-less words do not tell): the whole header first, then without year and unit.
    let o_entry = yosan_schemas::lookup_header(own).or_else(|| {
        (!o_rest.is_empty())
            .then(|| yosan_schemas::lookup_header(&o_rest))
            .flatten()
    });
    let year = o_year.or(b_year);
    let entry = match (b_entry, o_entry) {
        (Some(b), _) if b.measure == "change" => Some(b),
        (_, Some(o)) => Some(o),
        (Some(b), None) if o_rest.is_empty() => Some(b),
        _ => None,
    };
    let (measure, year_offset, phase) = match entry {
        Some(e) => (
            e.measure.clone(),
            e.year_offset,
            e.phase.as_deref().and_then(Phase::parse),
        ),
        // A header that names only a year.
        None if year.is_some() && o_rest.is_empty() && (b_rest.is_empty() || b_entry.is_some()) => {
            ("budget".to_string(), 0, None)
        }
        None => return None,
    };
    let label = format!("{banner}{own}");
    Some(AmountCol {
        col: 0,
        label,
        measure,
        year,
        year_offset,
        phase,
        unit: o_unit.or(b_unit),
    })
}

/// The amount columns a row would give as a header (with the row above as its banner).
fn header_columns(grid: &Grid, h: usize, era: Option<Era>) -> (Option<usize>, Vec<AmountCol>) {
    let width = grid.rows.get(h).map_or(0, Vec::len);
    let banner = (h > 0).then(|| h - 1).filter(|&b| {
        // The row above is a banner when it names years or known headers over this row.
        (0..grid.rows[b].len()).any(|c| {
            let k = compact(text(grid, b, c));
            !k.is_empty()
                && !is_amount_cell(grid, b, c)
                && (!find_fiscal_years(&k, era).is_empty() || {
                    let (rest, _, _) = strip_header(&k, era);
                    yosan_schemas::lookup_header(&rest).is_some()
                })
        })
    });
    let banners = banner.map(|b| banner_texts(grid, b, width.max(grid.rows[b].len())));
    let mut cols = Vec::new();
    for c in 0..width {
        let own = compact(text(grid, h, c));
        if is_amount_cell(grid, h, c) && !own.is_empty() {
            continue;
        }
        let b = banners
            .as_ref()
            .and_then(|v| v.get(c))
            .map(|s| compact(s))
            .unwrap_or_default();
        if own.is_empty() && b.is_empty() {
            continue;
        }
        if let Some(mut col) = classify(&b, &own, era) {
            col.col = c;
            cols.push(col);
        }
    }
    (banner, cols)
}

/// The grid's table layout: its header row, label columns and amount columns, when it has one.
fn layout(grid: &Grid, era: Option<Era>) -> Option<Layout> {
    let scan = grid.rows.len().min(HEADER_SCAN);
    for h in 0..scan {
        let (banner, cols) = header_columns(grid, h, era);
        if cols.is_empty() {
            continue;
        }
        // The next row would be a header too: this one is its banner.
        if h + 1 < grid.rows.len() {
            let (_, next) = header_columns(grid, h + 1, era);
            let next_has_amounts = next.iter().any(|c| is_amount_cell(grid, h + 1, c.col));
            if !next.is_empty() && !next_has_amounts && next.len() >= cols.len() {
                continue;
            }
        }
        // Keep the columns whose rows hold amounts.
        let amounts: Vec<AmountCol> = cols
            .into_iter()
            .filter(|c| {
                let (mut yes, mut no) = (0, 0);
                for r in h + 1..grid.rows.len() {
                    let t = text(grid, r, c.col);
                    if t.is_empty() {
                        continue;
                    }
                    if is_amount_cell(grid, r, c.col) {
                        yes += 1;
                    } else {
                        no += 1;
                    }
                }
                yes > 0 && yes >= no
            })
            .collect();
        let Some(first) = amounts.iter().map(|c| c.col).min() else {
            continue;
        };
        // What the data rows of each column hold: names, codes (`1`, `(2)`) and figures.
        let census = |c: usize| {
            let (mut names, mut codes, mut figures) = (0, 0, 0);
            for r in h + 1..grid.rows.len() {
                if text(grid, r, c).is_empty() {
                    continue;
                }
                if code_only(grid, r, c).is_some() {
                    codes += 1;
                } else if is_amount_cell(grid, r, c) {
                    figures += 1;
                } else {
                    names += 1;
                }
            }
            (names, codes, figures)
        };
        // Label columns: up to the last column of names left of the amounts; a column of codes
        // counts when names follow it (a column of small numbers after the names is a count).
        let last_names = (0..first).rev().find(|&c| {
            let (names, codes, figures) = census(c);
            names > 0 && names + codes > figures
        });
        let mut labels = Vec::new();
        for c in 0..=last_names.unwrap_or(0) {
            let (names, codes, figures) = census(c);
            if last_names.is_none() || names + codes == 0 || figures > names + codes {
                continue;
            }
            let own = compact(text(grid, h, c));
            let above = banner
                .map(|b| compact(text(grid, b, c)))
                .unwrap_or_default();
            let head = if own.is_empty() { above } else { own };
            labels.push((c, level_word(&head)));
        }
        if labels.is_empty() {
            continue;
        }
        // Columns of figures (or of bare numbers) that are neither labels nor amounts.
        let unread = (0..grid.width())
            .filter(|c| !amounts.iter().any(|a| a.col == *c) && !labels.iter().any(|l| l.0 == *c))
            .filter(|&c| {
                let (names, codes, figures) = census(c);
                figures + codes > 0 && figures + codes > names
            })
            .map(|c| {
                let above = banner
                    .map(|b| compact(text(grid, b, c)))
                    .unwrap_or_default();
                (c, format!("{above}{}", compact(text(grid, h, c))))
            })
            .collect();
        return Some(Layout {
            header: h,
            banner,
            labels,
            amounts,
            unread,
        });
    }
    None
}

/// The level word of a label column from its header: `款`, `事業` (from `事業名`), else `項目`.
fn level_word(head: &str) -> String {
    let h = head
        .strip_suffix("名称")
        .or_else(|| head.strip_suffix("名"))
        .unwrap_or(head);
    if h.is_empty() || h.chars().count() > 6 || h.chars().any(|c| c.is_ascii_digit()) {
        "項目".to_string()
    } else {
        h.to_string()
    }
}

/// The table's unit caption: above a table found in text, or in a cell above the header.
fn table_unit(doc: &Document, grid: &Grid, lay: &Layout) -> Option<Unit> {
    if let Some(u) = unit_above_grid(doc, grid) {
        return Some(u);
    }
    let top = lay.banner.unwrap_or(lay.header);
    (0..=top).flat_map(|r| grid.rows[r].iter()).find_map(|c| {
        if c.text.contains("単位") {
            unit_in(&c.text)
        } else {
            None
        }
    })
}

/// A cell that is only a code: a short number, or a numbering with no name (`1`, `(1)`, `Ⅱ`).
fn code_only(grid: &Grid, r: usize, c: usize) -> Option<String> {
    let cell = grid.cell(r, c);
    let t = cell.text.trim();
    if t.is_empty() {
        return None;
    }
    // Item numbers are short: `1`, `12`, `305`; `1,379,383` is an amount.
    if t.chars().count() <= 4 && t.chars().all(|ch| ch.is_ascii_digit()) {
        return Some(t.to_string());
    }
    match split_numbering(t) {
        (Some(code), name) if name.is_empty() => Some(code),
        _ => None,
    }
}

/// One entry of a label column's stack: (numbering rank, code, name).
type Level = (Option<usize>, String, String);

fn read_grid(doc: &Document, grid: &Grid, lay: &Layout, ctx: &DocContext, out: &mut FamilyOutput) {
    let where_ = |r: usize| -> (i32, String) {
        match grid.row_lines.get(r) {
            Some(l) => (*l as i32, format!("line {l}")),
            None => {
                let row = grid.origin.0 as usize + r + 1;
                (row as i32, format!("row {row}"))
            }
        }
    };
    let sheet_col = |c: usize| (grid.origin.1 as usize + c + 1) as i32;
    let unit = match table_unit(doc, grid, lay).or(ctx.unit) {
        Some(u) => u,
        None => {
            if lay.amounts.iter().any(|c| c.unit.is_none()) {
                out.diagnostics.push(
                    Diagnostic::warning(
                        "generic.unit_assumed",
                        format!(
                            "table {:?} states no unit; amounts read as 円 (declare `unit` in the sources manifest otherwise)",
                            grid.name
                        ),
                    )
                    .at(where_(lay.header).1),
                );
            }
            Unit::Yen
        }
    };
    for (c, head) in &lay.unread {
        out.diagnostics.push(
            Diagnostic::info(
                "generic.column_unread",
                format!(
                    "column {} ({head:?}) holds figures, but its header names no fiscal year and no known amount; it is not read",
                    c + 1
                ),
            )
            .at(where_(lay.header).1),
        );
    }
    let mut columns = Vec::new();
    let mut cols = Vec::new();
    for a in &lay.amounts {
        let fy = a
            .year
            .or_else(|| ctx.fiscal_year.map(|y| y + i64::from(a.year_offset)));
        let Some(fy) = fy else {
            out.diagnostics.push(
                Diagnostic::error(
                    "generic.fiscal_year_unknown",
                    format!(
                        "column {:?} names no fiscal year and the document's is unknown; its amounts are not read",
                        a.label
                    ),
                )
                .at(where_(lay.header).1),
            );
            continue;
        };
        columns.push(ColumnSpec {
            measure: a.measure.clone(),
            label: a.label.clone(),
            fiscal_year: fy,
            phase: a.phase.or(ctx.phase).unwrap_or(Phase::Initial),
            source_column: Some(sheet_col(a.col)),
        });
        cols.push(a.clone());
    }
    if columns.is_empty() {
        return;
    }
    let header_keys: Vec<String> = cols
        .iter()
        .map(|a| compact(text(grid, lay.header, a.col)))
        .collect();
    let mut stacks: Vec<Vec<Level>> = vec![Vec::new(); lay.labels.len()];
    let mut table = HierTable {
        prefix: Vec::new(),
        columns,
        rows: Vec::new(),
        differences: Vec::new(),
        unit: Some(unit),
        confidence: "low",
    };
    let mut paths: Vec<Vec<(String, String)>> = Vec::new();
    for r in lay.header + 1..grid.rows.len() {
        // A header repeated on a continuation page.
        let repeats = cols
            .iter()
            .zip(&header_keys)
            .filter(|(a, k)| !k.is_empty() && compact(text(grid, r, a.col)) == **k)
            .count();
        if repeats >= 2 || (repeats == 1 && cols.len() == 1) {
            continue;
        }
        // The row's labels, left to right, with codes joined to the name beside them.
        let mut parts: Vec<(usize, String, String, String)> = Vec::new();
        let mut pending: Option<String> = None;
        for (k, (c, _)) in lay.labels.iter().enumerate() {
            let t = text(grid, r, *c);
            if t.is_empty() {
                continue;
            }
            if k + 1 < lay.labels.len() {
                if let Some(code) = code_only(grid, r, *c) {
                    pending = Some(code);
                    continue;
                }
            }
            let (code, name) = split_numbering(t);
            let code = pending.take().or(code).unwrap_or_default();
            parts.push((k, code, name, t.to_string()));
        }
        if let Some(code) = pending.take() {
            // A code with no name beside it names the row by its code.
            let k = lay.labels.len().saturating_sub(1);
            parts.push((k, code.clone(), code.clone(), code));
        }
        let mut amounts = Vec::new();
        for a in &cols {
            let t = text(grid, r, a.col);
            let u = a.unit.unwrap_or(unit);
            amounts.push(match Amount::read(t, u) {
                Ok(x) => x,
                Err(e) => {
                    out.diagnostics.push(
                        Diagnostic::warning("amount.unreadable", format!("{t:?}: {e}"))
                            .at(format!("{} column {}", where_(r).1, a.col + 1)),
                    );
                    Amount::blank()
                }
            });
        }
        let has_amount = amounts.iter().any(|a| !a.blank);
        let Some((k, code, name, raw)) = parts.last().cloned() else {
            if has_amount {
                out.diagnostics.push(
                    Diagnostic::warning(
                        "generic.unlabelled_row",
                        "a row has amounts but no label; its lines have an empty name",
                    )
                    .at(where_(r).1),
                );
                paths.push(vec![(String::new(), String::new())]);
                table.rows.push(HierRow {
                    code: None,
                    name: String::new(),
                    label_text: String::new(),
                    depth: 0,
                    level: "項目".to_string(),
                    kind: RowKind::Item,
                    amounts,
                    location: Location::in_grid(grid, where_(r).0),
                });
            }
            continue;
        };
        // A row whose amounts are all in parentheses is a reference figure printed under the
        // item above (`(貸与予定額) (400,000)`): kept, nested there, outside every sum.
        let reference = has_amount && amounts.iter().filter(|a| !a.blank).all(|a| a.parenthesized);
        if reference {
            let mut path: Vec<(String, String)> = stacks[..=k]
                .iter()
                .flatten()
                .map(|(_, c, n)| (c.clone(), n.clone()))
                .collect();
            path.push((code.clone(), name.clone()));
            paths.push(path.clone());
            table.rows.push(HierRow {
                code: (!code.is_empty()).then_some(code),
                name,
                label_text: raw,
                depth: path.len() - 1,
                level: lay.labels[k].1.clone(),
                kind: RowKind::Reference,
                amounts,
                location: Location::in_grid(grid, where_(r).0),
            });
            continue;
        }
        // Upper label columns printed on this row replace their level; deeper ones end.
        for (pk, pcode, pname, _) in &parts[..parts.len() - 1] {
            stacks[*pk] = vec![(numbering_rank(pcode), pcode.clone(), pname.clone())];
        }
        for s in stacks.iter_mut().skip(k + 1) {
            s.clear();
        }
        let rank = numbering_rank(&code);
        let stack = &mut stacks[k];
        match rank {
            Some(rk) => {
                while stack
                    .last()
                    .is_some_and(|(r, _, _)| r.is_some_and(|x| x >= rk))
                {
                    stack.pop();
                }
            }
            None => stack.clear(),
        }
        stack.push((rank, code.clone(), name.clone()));
        let path: Vec<(String, String)> = stacks[..=k]
            .iter()
            .flatten()
            .map(|(_, c, n)| (c.clone(), n.clone()))
            .collect();
        let depth = path.len() - 1;
        let total = is_total_name(&name);
        if total {
            // A total closes its level: the next rows do not nest under it.
            stacks[k].pop();
        }
        let kind = match (total, depth) {
            (true, 0) => RowKind::Total,
            (true, _) => RowKind::Derived,
            _ => RowKind::Item,
        };
        if !has_amount && parts.is_empty() {
            continue;
        }
        paths.push(path);
        table.rows.push(HierRow {
            code: (!code.is_empty()).then_some(code),
            name,
            label_text: raw,
            depth,
            level: if total {
                "合計".to_string()
            } else {
                lay.labels[k].1.clone()
            },
            kind,
            amounts,
            location: Location::in_grid(grid, where_(r).0),
        });
    }
    if table.rows.is_empty() {
        return;
    }
    let direction = ctx.direction.unwrap_or_else(|| {
        let head: String = (0..=lay.header)
            .flat_map(|r| grid.rows[r].iter().map(|c| c.text.as_str()))
            .chain(std::iter::once(grid.name.as_str()))
            .collect();
        if head.contains("歳入") && !head.contains("歳出") {
            Direction::Revenue
        } else {
            Direction::Expenditure
        }
    });
    let mut dctx = ctx.clone();
    dctx.direction = Some(direction);
    let (mut lines, report) = table.emit(&dctx, ID);
    // Lines come out row by row, column by column, skipping blank cells: put the paths read from
    // the label columns and the amount's own column on them.
    let mut n = 0;
    for (ri, row) in table.rows.iter().enumerate() {
        for (c, a) in row.amounts.iter().enumerate() {
            if a.blank || c >= table.columns.len() {
                continue;
            }
            let Some(line) = lines.get_mut(n) else { break };
            n += 1;
            line.path = paths[ri].iter().map(|(_, nm)| nm.clone()).collect();
            line.path_codes = paths[ri].iter().map(|(cd, _)| cd.clone()).collect();
            line.measure_label = cols[c].label.clone();
            line.column = Some(sheet_col(cols[c].col));
            if line.label_text.is_empty() {
                line.label_text = normalize_label(&row.name);
            }
        }
    }
    out.add_table(lines, report);
}

#[cfg(test)]
mod tests {
    use super::*;
    use yosan_extractors::Cell;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "t".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|t| Cell::text(*t)).collect())
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn headers_by_year_and_dictionary() {
        let era = Some(Era::Reiwa);
        let c = classify("", "令和4年度", era).unwrap();
        assert_eq!((c.measure.as_str(), c.year), ("budget", Some(2022)));
        let c = classify("", "R3決算額", era).unwrap();
        assert_eq!((c.measure.as_str(), c.year), ("settled", Some(2021)));
        let c = classify("", "前年度予算額(千円)", era).unwrap();
        assert_eq!(
            (c.measure.as_str(), c.year, c.year_offset),
            ("budget", None, -1)
        );
        assert_eq!(c.unit, Some(Unit::Thousand));
        let c = classify("令和4年度", "一財+市債", era).unwrap();
        assert_eq!(
            (c.measure.as_str(), c.year),
            ("funding_general_and_bonds", Some(2022))
        );
        let c = classify("増△減(3-2)", "総額", era).unwrap();
        assert_eq!(c.measure, "change");
        assert!(classify("", "構成比", era).is_none());
        assert!(classify("", "令和4年度構成比", era).is_none());
        assert!(classify("", "事業名", era).is_none());
        let c = classify("", "2022年度予算額A", era).unwrap();
        assert_eq!((c.measure.as_str(), c.year), ("budget", Some(2022)));
        // A calendar year is no fiscal year: population tables head their columns so.
        assert!(classify("平成27年", "", era).is_none());
        assert!(classify("平成26年", "人口", era).is_none());
    }

    #[test]
    fn a_two_row_header_and_nested_numbering() {
        let g = grid(&[
            &["（単位：千円）"],
            &["区分", "名称", "令和5年度", "", "令和4年度"],
            &["", "", "予算額", "一般財源", "予算額"],
            &["1", "総務事業", "300", "100", "250"],
            &["", "(1) 庶務", "100", "50", "50"],
            &["", "(2) 広報", "200", "50", "200"],
            &["", "計", "300", "100", "250"],
        ]);
        let lay = layout(&g, None).expect("layout");
        assert_eq!(lay.header, 2);
        assert_eq!(lay.banner, Some(1));
        assert_eq!(lay.amounts.len(), 3);
        assert_eq!(lay.labels.len(), 2);
        let mut ctx = DocContext::for_tests();
        ctx.fiscal_year = Some(2023);
        let doc = Document::default();
        let mut out = FamilyOutput::default();
        read_grid(&doc, &g, &lay, &ctx, &mut out);
        assert_eq!(out.lines.len(), 12);
        let l = out
            .lines
            .iter()
            .find(|l| l.path.last().map(String::as_str) == Some("広報") && l.fiscal_year == 2022)
            .unwrap();
        assert_eq!(l.path, vec!["総務事業", "広報"]);
        assert_eq!(l.path_codes, vec!["1", "(2)"]);
        assert_eq!(l.amount_yen, Some(200_000));
        assert_eq!(l.unit, "千円");
        assert_eq!(l.confidence, "low");
        assert_eq!(l.family, "generic");
        assert!(
            out.checks_mismatch == 0 && out.checks_ok > 0,
            "{:?}",
            out.diagnostics
        );
        let total = out
            .lines
            .iter()
            .find(|l| l.is_total && l.measure == "funding_general")
            .unwrap();
        assert_eq!(total.check, crate::model::Check::Ok);
    }

    #[test]
    fn parenthesised_rows_are_references_and_unknown_figure_columns_are_reported() {
        let g = grid(&[
            &["事業名", "件数", "令和4年度予算額", "令和3年度予算額"],
            &["1 設備導入支援", "12", "1,000", "900"],
            &["(1) 設備貸与事業", "3", "1,000", "900"],
            &["(貸与予定額)", "", "(400)", "(500)"],
            &["合計", "15", "1,000", "900"],
        ]);
        let lay = layout(&g, None).expect("layout");
        assert_eq!(lay.unread.len(), 1, "the 件数 column");
        let mut out = FamilyOutput::default();
        read_grid(
            &Document::default(),
            &g,
            &lay,
            &DocContext::for_tests(),
            &mut out,
        );
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.code == "generic.column_unread"));
        let r = out
            .lines
            .iter()
            .find(|l| {
                l.path.last().map(String::as_str) == Some("(貸与予定額)") && l.fiscal_year == 2022
            })
            .unwrap();
        assert_eq!(r.path, vec!["設備導入支援", "設備貸与事業", "(貸与予定額)"]);
        assert_eq!(r.check, crate::model::Check::Unchecked);
        assert_eq!(out.checks_mismatch, 0, "{:?}", out.diagnostics);
        assert!(out.checks_ok >= 4);
    }

    #[test]
    fn no_usable_table_is_no_layout() {
        let g = grid(&[&["名前", "説明"], &["a", "b"]]);
        assert!(layout(&g, None).is_none());
        let g = grid(&[&["事業", "令和4年度"], &["a", "とても大きい"]]);
        assert!(layout(&g, None).is_none());
    }
}
