//! The 様式① 目次 of a bureau's 事業計画書: one row per project and sub-project with 総額 and
//! 一財+市債 for this year and last year and their 増△減, closed by a 計 line.
//!
//! Read from a grid when the table survived extraction as cells (the 令和4年度 form, tab-separated
//! text, spreadsheets), otherwise from text lines, taking the amounts from the end of each line and
//! gathering wrapped names from the lines before it (the 令和3年度 form as pdftotext prints it).
//! Without a year header (the text form) the columns follow the form's fixed order: this year,
//! last year, 増△減.

use crate::context::DocContext;
use crate::families::common::{
    compact, is_mark, is_total_name, label, lines, numbering_rank, split_trailing_amounts, unit_in,
};
use crate::families::FamilyOutput;
use crate::model::Phase;
use crate::table::{Amount, ColumnSpec, Difference, HierRow, HierTable, Location, RowKind};
use regex::Regex;
use std::sync::OnceLock;
use yosan_extractors::{Diagnostic, Document, Grid};
use yosan_normalize::amount::Unit;
use yosan_normalize::era::parse_fiscal_year;
use yosan_normalize::numbering::split_numbering;
use yosan_normalize::width::fold_width;

/// True when the document holds a 様式① 目次: the form mark and the column word 一財+市債.
pub fn recognise(doc: &Document) -> bool {
    let mut form = false;
    let mut cols = false;
    for (_, l) in lines(doc).take(400) {
        let c = compact(&l.text);
        form |= c.contains("様式①");
        cols |= c.contains("一財+市債");
    }
    for g in &doc.grids {
        for row in g.rows.iter().take(40) {
            for cell in row {
                let c = compact(&cell.text);
                form |= c.contains("様式①");
                cols |= c.contains("一財+市債");
            }
        }
    }
    form && cols
}

/// The 目次 table, read from a grid when it survived extraction as cells, else from text lines.
pub fn table(doc: &Document, ctx: &DocContext, out: &mut FamilyOutput) -> Option<HierTable> {
    let prefix = index_prefix(doc);
    grid_table(doc, ctx, &prefix).or_else(|| line_table(doc, ctx, &prefix, out))
}

pub(super) fn kanko_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(\d+)\s*款\s*(\d+)\s*項\s*(\d+)\s*目").expect("static regex"))
}

fn bureau_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\[\s*([^\]\s]+?局)\s*\]").expect("static regex"))
}

/// The bureau (`[経済局]`) and 款項目 (`5款1項3目`) printed above the 目次 table, as the start of
/// every row's path.
fn index_prefix(doc: &Document) -> Vec<(String, String)> {
    let mut bureau = None;
    let mut kanko = None;
    let mut seen_form = false;
    let texts = lines(doc)
        .map(|(_, l)| l.text.clone())
        .chain(doc.grids.iter().flat_map(|g| {
            g.rows.iter().take(10).map(|r| {
                r.iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }));
    for text in texts.take(200) {
        let folded = fold_width(&text).into_owned();
        if compact(&folded).contains("様式①") {
            seen_form = true;
        }
        if !seen_form {
            continue;
        }
        if bureau.is_none() {
            if let Some(c) = bureau_re().captures(&folded) {
                bureau = Some(c[1].to_string());
            }
        }
        if kanko.is_none() {
            if let Some(c) = kanko_re().captures(&folded) {
                kanko = Some((
                    format!("{}-{}-{}", &c[1], &c[2], &c[3]),
                    format!("{}款{}項{}目", &c[1], &c[2], &c[3]),
                ));
            }
        }
        if bureau.is_some() && kanko.is_some() {
            break;
        }
    }
    let mut prefix = Vec::new();
    if let Some(b) = bureau {
        prefix.push((String::new(), b));
    }
    if let Some(k) = kanko {
        prefix.push(k);
    }
    prefix
}

/// The six columns of the form, this year first.
fn columns(
    this_year: i64,
    last_year: i64,
    years_label: [&str; 3],
    cols: [Option<i32>; 6],
) -> Vec<ColumnSpec> {
    let spec = |measure: &str, label: String, fy: i64, col: Option<i32>| ColumnSpec {
        measure: measure.to_string(),
        label,
        fiscal_year: fy,
        phase: Phase::Initial,
        source_column: col,
    };
    vec![
        spec(
            "budget",
            format!("{} 総額", years_label[0]),
            this_year,
            cols[0],
        ),
        spec(
            "funding_general_and_bonds",
            format!("{} 一財+市債", years_label[0]),
            this_year,
            cols[1],
        ),
        spec(
            "budget",
            format!("{} 総額", years_label[1]),
            last_year,
            cols[2],
        ),
        spec(
            "funding_general_and_bonds",
            format!("{} 一財+市債", years_label[1]),
            last_year,
            cols[3],
        ),
        spec(
            "change",
            format!("{} 総額", years_label[2]),
            this_year,
            cols[4],
        ),
        spec(
            "change",
            format!("{} 一財+市債", years_label[2]),
            this_year,
            cols[5],
        ),
    ]
}

fn differences() -> Vec<Difference> {
    vec![
        Difference {
            result: 4,
            minuend: 0,
            subtrahend: 2,
        },
        Difference {
            result: 5,
            minuend: 1,
            subtrahend: 3,
        },
    ]
}

/// Builds the hierarchy from rows of (label, amounts): numbered `1` rows are projects, `(1)` rows
/// their parts, 計 the total.
/// Splits a 計画書頁 printed against the name (`10工業技術支援センター事業`, as a form printed to PDF
/// can set them) when it is the page that follows the last one seen: a name that starts with a
/// figure of its own (`3D技術支援`) is left whole.
fn split_glued_page(text: &str, last_page: Option<u32>) -> Option<(u32, String)> {
    let t = text.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &t[digits.len()..];
    let next = rest.chars().next()?;
    if digits.is_empty() || next.is_ascii() || next.is_whitespace() {
        return None;
    }
    let page: u32 = digits.parse().ok()?;
    (page == last_page.map_or(1, |p| p + 1)).then(|| (page, format!("{digits} {rest}")))
}

fn build_rows(raw: Vec<(String, Vec<Amount>, Location)>) -> Vec<HierRow> {
    let mut rows = Vec::new();
    let mut last_page: Option<u32> = None;
    for (printed, amounts, location) in raw {
        let text = match split_glued_page(&printed, last_page) {
            Some((page, spaced)) => {
                last_page = Some(page);
                spaced
            }
            None => {
                if let Some(p) = printed
                    .split_whitespace()
                    .next()
                    .and_then(|t| t.parse::<u32>().ok())
                {
                    last_page = Some(p);
                }
                printed.clone()
            }
        };
        let (code, name) = split_numbering(&text);
        let name = if name.is_empty() { label(&text) } else { name };
        let kind = if code.is_none() && is_total_name(&name) {
            RowKind::Total
        } else {
            RowKind::Item
        };
        let depth = match (kind, code.as_deref().and_then(numbering_rank)) {
            (RowKind::Item, Some(r)) if r >= 2 => 1,
            _ => 0,
        };
        rows.push(HierRow {
            code,
            label_text: printed.trim().to_string(),
            name: if kind == RowKind::Total {
                "計".to_string()
            } else {
                name
            },
            depth,
            level: match (kind, depth) {
                (RowKind::Total, _) => "計".to_string(),
                (_, 0) => "事業".to_string(),
                _ => "細事業".to_string(),
            },
            kind,
            amounts,
            location,
        });
    }
    rows
}

/// The 目次 as a grid: a header row with 総額 / 一財+市債, the year row above it.
fn grid_table(doc: &Document, ctx: &DocContext, prefix: &[(String, String)]) -> Option<HierTable> {
    for grid in &doc.grids {
        let Some(h) = grid.rows.iter().position(|r| {
            r.iter().any(|c| compact(&c.text) == "総額")
                && r.iter().any(|c| compact(&c.text).contains("一財+市債"))
        }) else {
            continue;
        };
        let measure_row = &grid.rows[h];
        let year_row = if h > 0 { Some(&grid.rows[h - 1]) } else { None };
        // Amount columns in order, with the year text above them (merged headers filled right).
        let mut amount_cols = Vec::new();
        let mut year_text = String::new();
        let width = grid.width();
        for c in 0..width {
            if let Some(y) = year_row.map(|r| grid_cell(r, c)) {
                if !y.trim().is_empty() {
                    year_text = y.trim().to_string();
                }
            }
            let m = compact(&grid_cell(measure_row, c));
            if m == "総額" || m.contains("一財+市債") {
                amount_cols.push((c, year_text.clone()));
            }
        }
        if amount_cols.len() != 6 {
            continue;
        }
        let doc_fy = ctx.fiscal_year;
        let this_year = parse_fiscal_year(&amount_cols[0].1, None)
            .map(i64::from)
            .or(doc_fy)?;
        let last_year = parse_fiscal_year(&amount_cols[2].1, None)
            .map(i64::from)
            .unwrap_or(this_year - 1);
        let labels = [
            amount_cols[0].1.as_str(),
            amount_cols[2].1.as_str(),
            amount_cols[4].1.as_str(),
        ];
        let cols: Vec<Option<i32>> = amount_cols
            .iter()
            .map(|(c, _)| Some(*c as i32 + 1))
            .collect();
        let columns = columns(
            this_year,
            last_year,
            [
                if labels[0].is_empty() {
                    "本年度"
                } else {
                    labels[0]
                },
                if labels[1].is_empty() {
                    "前年度"
                } else {
                    labels[1]
                },
                if labels[2].is_empty() {
                    "増△減"
                } else {
                    labels[2]
                },
            ],
            [cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]],
        );
        let unit = grid_unit(doc, grid).unwrap_or(Unit::Thousand);
        let first_amount_col = amount_cols[0].0;
        let mut raw = Vec::new();
        for (r, row) in grid.rows.iter().enumerate().skip(h + 1) {
            let text = (0..first_amount_col)
                .map(|c| grid_cell(row, c))
                .filter(|t| !t.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if text.trim().is_empty()
                && amount_cols
                    .iter()
                    .all(|(c, _)| grid_cell(row, *c).trim().is_empty())
            {
                continue;
            }
            let amounts: Vec<Amount> = amount_cols
                .iter()
                .map(|(c, _)| {
                    Amount::read(&grid_cell(row, *c), unit).unwrap_or_else(|_| Amount::blank())
                })
                .collect();
            if amounts.iter().all(|a| a.blank) {
                continue;
            }
            let location = Location::in_grid(grid, grid.source_row(r));
            let is_total = is_total_name(&text);
            raw.push((text, amounts, location));
            if is_total {
                break;
            }
        }
        return Some(HierTable {
            prefix: prefix.to_vec(),
            columns,
            rows: build_rows(raw),
            differences: differences(),
            unit: Some(unit),
            confidence: "high",
        });
    }
    None
}

fn grid_cell(row: &[yosan_extractors::Cell], c: usize) -> String {
    row.get(c).map(|x| x.text.clone()).unwrap_or_default()
}

fn grid_unit(doc: &Document, grid: &Grid) -> Option<Unit> {
    for row in grid.rows.iter().take(5) {
        for cell in row {
            if let Some(u) = unit_in(&cell.text) {
                return Some(u);
            }
        }
    }
    crate::families::common::unit_above_grid(doc, grid)
        .or_else(|| lines(doc).take(60).find_map(|(_, l)| unit_in(&l.text)))
}

/// The 目次 from text lines: from the 様式① mark to the 計 line.
fn line_table(
    doc: &Document,
    ctx: &DocContext,
    prefix: &[(String, String)],
    out: &mut FamilyOutput,
) -> Option<HierTable> {
    let Some(this_year) = ctx.fiscal_year else {
        out.diagnostics.push(Diagnostic::error(
            "family.fiscal_year_unknown",
            "the 目次 text form prints no years: declare fiscal_year in the sources manifest",
        ));
        return None;
    };
    let mut started = false;
    let mut unit = None;
    let mut pending: Vec<String> = Vec::new();
    let mut raw = Vec::new();
    for (page, line) in lines(doc) {
        let c = compact(&line.text);
        if !started {
            if c.contains("様式①") {
                started = true;
            }
            continue;
        }
        if unit.is_none() {
            unit = unit_in(&line.text);
        }
        let split = split_trailing_amounts(&line.text);
        if split.amounts.len() >= 6 {
            let n = split.amounts.len();
            let amounts: Vec<Amount> = split.amounts[n - 6..]
                .iter()
                .map(|t| {
                    Amount::read(t, unit.unwrap_or(Unit::Thousand))
                        .unwrap_or_else(|_| Amount::blank())
                })
                .collect();
            let mut text = pending.join(" ");
            let own = if n > 6 {
                // More than six numbers: the extra leading ones belong to the label (a name ending
                // in digits, or the row number on the same line).
                format!("{} {}", split.label, split.amounts[..n - 6].join(" "))
            } else {
                split.label.clone()
            };
            if !own.trim().is_empty() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(own.trim());
            }
            pending.clear();
            let location = Location {
                page: Some(page as i32),
                sheet: None,
                row: Some(line.bbox.y0 as i32 + 1),
                bbox: None,
            };
            let total = is_total_name(&text);
            raw.push((text, amounts, location));
            if total {
                break;
            }
        } else if c.contains("総額") {
            // The column header ends the preamble: what was gathered above it (the title, the
            // year header) names no row.
            pending.clear();
            continue;
        } else if c.is_empty()
            || c.contains("単位")
            || c.starts_with('[')
            || split.marks.len() == c.chars().count()
        {
            // Headers, captions and blank lines carry no row text.
            continue;
        } else if !c.chars().all(|ch| is_mark(&ch.to_string())) {
            pending.push(line.text.trim().to_string());
        }
    }
    if raw.is_empty() {
        return None;
    }
    let columns = columns(
        this_year,
        this_year - 1,
        ["本年度", "前年度", "増△減"],
        [None; 6],
    );
    Some(HierTable {
        prefix: prefix.to_vec(),
        columns,
        rows: build_rows(raw),
        differences: differences(),
        unit: Some(unit.unwrap_or(Unit::Thousand)),
        confidence: "high",
    })
}

#[cfg(test)]
mod tests {
    use super::split_glued_page;

    #[test]
    fn a_page_number_glued_to_the_name_is_split_only_when_it_is_the_next_page() {
        assert_eq!(
            split_glued_page("10工業技術支援センター事業", Some(9)),
            Some((10, "10 工業技術支援センター事業".to_string()))
        );
        assert_eq!(
            split_glued_page("1中小企業経営総合支援事業", None).map(|p| p.0),
            Some(1)
        );
        assert_eq!(split_glued_page("3D技術支援", Some(7)), None);
        assert_eq!(split_glued_page("3 中小", Some(2)), None);
        assert_eq!(split_glued_page("事業継続・展開支援事業", Some(11)), None);
    }
}
