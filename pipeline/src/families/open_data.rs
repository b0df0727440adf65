//! 予算 open data: a delimited or spreadsheet table with one row per project (or 款項目 line), the
//! 款 / 項 / 目 and project levels as code and name column pairs, a 年度 column, and many amount
//! columns (e.g. 世田谷区 一般会計 歳出 予算事業別, 2018–2026 in one file).
//!
//! Recognised by a header row naming 款 and 目 (with or without 名称) and at least one amount column
//! known to the header dictionary (`schemas/headers.json`). Every known amount column of every row
//! becomes a line; the column's fiscal year is the row's 年度 plus the dictionary's year offset.
//! Such files rarely state their unit: 千円 is assumed unless the manifest declares one, and a
//! diagnostic says so.

use super::common::{compact, label};
use super::{Family, FamilyOutput};
use crate::context::DocContext;
use crate::model::{Direction, Phase};
use crate::table::Amount;
use yosan_extractors::{Diagnostic, Document, Grid};
use yosan_normalize::amount::Unit;
use yosan_normalize::era::parse_fiscal_year;

pub struct OpenDataBudget;

const ID: &str = "open_data_budget";

/// The levels of the hierarchy, top down, as (code column, name column, level word).
const LEVELS: &[(&str, &str, &str)] = &[
    ("款", "款名称", "款"),
    ("項", "項名称", "項"),
    ("目", "目名称", "目"),
    ("節", "節名称", "節"),
    ("大事業", "大事業名称", "大事業"),
    ("予算事業", "予算事業名称", "予算事業"),
    ("内訳事業", "内訳事業名称", "内訳事業"),
    ("事業", "事業名称", "事業"),
    ("事業", "事業名", "事業"),
];

struct Layout {
    year: Option<usize>,
    account: Option<usize>,
    phase: Option<usize>,
    /// (code column, name column, level word) for the levels present, top down.
    levels: Vec<(Option<usize>, Option<usize>, &'static str)>,
    /// (column, dictionary entry) for the amount columns.
    amounts: Vec<(usize, &'static yosan_schemas::HeaderEntry)>,
}

fn layout(grid: &Grid) -> Option<Layout> {
    let header: Vec<String> = grid
        .rows
        .first()?
        .iter()
        .map(|c| compact(&c.text))
        .collect();
    let find = |name: &str| header.iter().position(|h| h == name);
    let mut levels = Vec::new();
    for (code, name, word) in LEVELS {
        let (c, n) = (find(code), find(name));
        if (c.is_some() || n.is_some()) && !levels.iter().any(|(_, _, w)| w == word) {
            levels.push((c, n, *word));
        }
    }
    let has = |w: &str| levels.iter().any(|(_, _, x)| *x == w);
    if !(has("款") && has("目")) {
        return None;
    }
    let amounts: Vec<_> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| yosan_schemas::lookup_header(h).map(|e| (i, e)))
        .collect();
    if amounts.is_empty() {
        return None;
    }
    Some(Layout {
        year: find("年度"),
        account: find("会計名称").or_else(|| find("会計")),
        phase: find("当初補正区分名称"),
        levels,
        amounts,
    })
}

impl Family for OpenDataBudget {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "a table whose header names 款 and 目 (code or 名称 columns) and known amount columns (予算 open data)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        doc.grids.iter().any(|g| layout(g).is_some())
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        let unit = ctx.unit.unwrap_or_else(|| {
            out.diagnostics.push(Diagnostic::info(
                "family.unit_assumed",
                "the file states no unit; amounts read as 千円 (declare `unit` in the sources manifest otherwise)",
            ));
            Unit::Thousand
        });
        for grid in &doc.grids {
            let Some(lay) = layout(grid) else { continue };
            parse_grid(grid, &lay, ctx, unit, &mut out);
        }
        out
    }
}

fn parse_grid(grid: &Grid, lay: &Layout, ctx: &DocContext, unit: Unit, out: &mut FamilyOutput) {
    let header = &grid.rows[0];
    for (r, row) in grid.rows.iter().enumerate().skip(1) {
        let cell = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|x| x.text.trim().to_string())
        };
        let source_row = grid.source_row(r);
        if row.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        let year = match lay.year {
            Some(_) => {
                let t = cell(lay.year).unwrap_or_default();
                t.parse::<i64>()
                    .ok()
                    .filter(|y| (1868..=2200).contains(y))
                    .or_else(|| parse_fiscal_year(&t, None).map(i64::from))
            }
            None => ctx.fiscal_year,
        };
        let Some(year) = year else {
            out.diagnostics.push(
                Diagnostic::error("family.fiscal_year_unknown", "row has no readable 年度")
                    .at(format!("line {source_row}")),
            );
            continue;
        };
        let phase = cell(lay.phase)
            .and_then(|p| Phase::parse(&p))
            .or(ctx.phase)
            .unwrap_or(Phase::Initial);
        let account = cell(lay.account)
            .filter(|a| !a.is_empty())
            .or_else(|| ctx.account.clone());
        let mut path = Vec::new();
        let mut codes = Vec::new();
        let mut level = "";
        let mut label_text = String::new();
        for (c, n, word) in &lay.levels {
            let code = cell(*c).unwrap_or_default();
            let raw = cell(*n).unwrap_or_default();
            let name = label(&raw);
            if code.is_empty() && name.is_empty() {
                continue;
            }
            path.push(if name.is_empty() { code.clone() } else { name });
            label_text = if raw.is_empty() { code.clone() } else { raw };
            codes.push(code);
            level = word;
        }
        for (c, entry) in &lay.amounts {
            let text = row
                .get(*c)
                .map(|x| x.text.trim().to_string())
                .unwrap_or_default();
            let amount = match Amount::read(&text, unit) {
                Ok(a) if a.blank => continue,
                Ok(a) => a,
                Err(e) => {
                    out.diagnostics.push(
                        Diagnostic::warning("amount.unreadable", format!("{text:?}: {e}"))
                            .at(format!("line {source_row} column {}", c + 1)),
                    );
                    continue;
                }
            };
            let mut line = ctx.line(ID);
            line.fiscal_year = year + i64::from(entry.year_offset);
            line.document_fiscal_year = year;
            line.account = account.clone();
            line.direction = ctx.direction.unwrap_or(Direction::Expenditure);
            line.phase = entry
                .phase
                .as_deref()
                .and_then(Phase::parse)
                .unwrap_or(phase);
            line.path = path.clone();
            line.path_codes = codes.clone();
            line.code = codes.last().cloned().filter(|c| !c.is_empty());
            line.label_text = label_text.clone();
            line.level = level.to_string();
            line.measure = entry.measure.clone();
            line.measure_label = header.get(*c).map(|h| h.text.clone()).unwrap_or_default();
            line.amount_yen = amount.yen;
            line.amount_text = amount.text;
            line.unit = amount.unit.unwrap_or(unit).label().to_string();
            line.sheet = grid.sheet.clone();
            line.row = Some(source_row);
            line.column = Some(*c as i32 + 1);
            out.lines.push(line);
        }
    }
}
