//! 予算の概要 of a public foundation's 事業計画書 (e.g. 公益財団法人神奈川産業振興センター): a table
//! of 事業区分及び事業名 with this year's amount (A), last year's (B) and A/B %, nested by
//! numbering I / 1 / (1) / ア, closed by 合計 A and derived figures.
//!
//! Recognised by a grid whose header names 事業区分 or 事業名 and at least one column whose
//! header names a fiscal year and 予算額. Each amount column takes its fiscal year and phase from
//! its header (`令和4年度 10月補正予算額 A` → 2022, revised; `令和3年度 当初予算額 B` → 2021,
//! initial); percentage columns are skipped (not money). Amounts in parentheses are reference
//! figures outside the sums (`(貸与予定額) (400,000)`).
//!
//! The document's sections that repeat the hierarchy with amounts (`主要事業の概要`,
//! `III 事業計画`) are read by [`super::foundation_plan`] and checked against the table.

use super::checks::Tally;
use super::common::{compact, is_total_name, label, numbering_rank, unit_above_grid, unit_in};
use super::foundation_plan;
use super::{Family, FamilyOutput};
use crate::context::DocContext;
use crate::model::Phase;
use crate::table::{Amount, ColumnSpec, HierRow, HierTable, Location, RowKind};
use yosan_extractors::{Diagnostic, Document, Grid};
use yosan_normalize::amount::Unit;
use yosan_normalize::era::find_fiscal_years;
use yosan_normalize::numbering::split_numbering;

pub struct FoundationSummary;

const ID: &str = "foundation_budget_summary";

impl Family for FoundationSummary {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "a grid headed 事業区分/事業名 with fiscal-year 予算額 columns (予算の概要)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        doc.grids.iter().any(|g| header(g).is_some())
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        for grid in &doc.grids {
            let Some((h, cols)) = header(grid) else {
                continue;
            };
            let unit = unit_above_grid(doc, grid)
                .or_else(|| grid.rows[h].iter().find_map(|c| unit_in(&c.text)))
                .unwrap_or(Unit::Thousand);
            let table = read_table(grid, h, cols, unit);
            if table.rows.is_empty() {
                continue;
            }
            let (lines, report) = table.emit(ctx, ID);
            out.add_table(lines, report);
        }
        if out.lines.is_empty() {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "予算の概要 recognised but no rows with amounts were found",
            ));
            return out;
        }
        // The plan's sections repeat the hierarchy with amounts: read and check them against
        // the table.
        let table_count = out.lines.len();
        let mut tally = Tally::default();
        foundation_plan::parse(doc, ctx, ID, &mut out.lines, table_count, &mut tally);
        out.checks_ok += tally.ok;
        out.checks_mismatch += tally.mismatches.len();
        for m in tally.mismatches {
            out.diagnostics
                .push(Diagnostic::warning("check.mismatch", m));
        }
        out
    }
}

/// The header row and its amount columns, when the grid is a 予算の概要 table.
fn header(grid: &Grid) -> Option<(usize, Vec<(usize, ColumnSpec)>)> {
    for (h, row) in grid.rows.iter().enumerate().take(5) {
        let first = compact(&row.first()?.text);
        if !(first.contains("事業区分") || first.contains("事業名")) {
            continue;
        }
        let mut cols = Vec::new();
        for (c, cell) in row.iter().enumerate().skip(1) {
            let text = compact(&cell.text);
            if !text.contains("予算") {
                continue;
            }
            let Some((_, year)) = find_fiscal_years(&text, None).into_iter().next() else {
                continue;
            };
            let phase = if text.contains("補正後")
                || text.contains("補正予算額")
                || text.contains("月補正")
            {
                Phase::Revised
            } else if text.contains("決算") {
                Phase::Settled
            } else {
                Phase::Initial
            };
            let measure = if phase == Phase::Settled {
                "settled"
            } else {
                "budget"
            };
            cols.push((
                c,
                ColumnSpec {
                    measure: measure.to_string(),
                    label: label(&cell.text),
                    fiscal_year: i64::from(year),
                    phase,
                    source_column: Some(c as i32 + 1),
                },
            ));
        }
        if !cols.is_empty() {
            return Some((h, cols));
        }
    }
    None
}

fn read_table(grid: &Grid, h: usize, cols: Vec<(usize, ColumnSpec)>, unit: Unit) -> HierTable {
    let mut rows = Vec::new();
    // Depth follows the numbering styles in the order they first appear.
    let mut ranks_seen: Vec<usize> = Vec::new();
    let mut last_depth = 0usize;
    let mut after_total = false;
    for (r, row) in grid.rows.iter().enumerate().skip(h + 1) {
        let text = row.first().map(|c| c.text.clone()).unwrap_or_default();
        if text.trim().is_empty() {
            continue;
        }
        let amounts: Vec<Amount> = cols
            .iter()
            .map(|(c, _)| {
                Amount::read(
                    &row.get(*c).map(|x| x.text.clone()).unwrap_or_default(),
                    unit,
                )
                .unwrap_or_else(|_| Amount::blank())
            })
            .collect();
        if amounts.iter().all(|a| a.blank) {
            continue;
        }
        let (code, name) = split_numbering(&text);
        let name = if name.is_empty() { label(&text) } else { name };
        let rank = code.as_deref().and_then(numbering_rank);
        let reference = code.is_none() && amounts.iter().any(|a| a.parenthesized);
        // A reference row's name is printed in parentheses like its amounts: `(貸与予定額)`.
        let name = if reference {
            name.strip_prefix('(')
                .and_then(|n| n.strip_suffix(')'))
                .map(str::to_string)
                .unwrap_or(name)
        } else {
            name
        };
        let (kind, depth, level) = if reference {
            (RowKind::Reference, last_depth + 1, "参考".to_string())
        } else if after_total {
            (RowKind::Derived, 0, "合計".to_string())
        } else if code.is_none() && is_total_name(&name) {
            after_total = true;
            (RowKind::Total, 0, "合計".to_string())
        } else if let Some(rank) = rank {
            let depth = match ranks_seen.iter().position(|&x| x == rank) {
                Some(d) => d,
                None => {
                    ranks_seen.push(rank);
                    ranks_seen.sort_unstable();
                    ranks_seen.iter().position(|&x| x == rank).unwrap_or(0)
                }
            };
            last_depth = depth;
            let level = ["区分", "事業", "細事業", "項目", "項目"][depth.min(4)].to_string();
            (RowKind::Item, depth, level)
        } else {
            (RowKind::Derived, 0, "その他".to_string())
        };
        rows.push(HierRow {
            code,
            name,
            label_text: text.trim().to_string(),
            depth,
            level,
            kind,
            amounts,
            location: Location::in_grid(grid, grid.source_row(r)),
        });
    }
    HierTable {
        prefix: Vec::new(),
        columns: cols.into_iter().map(|(_, s)| s).collect(),
        rows,
        differences: Vec::new(),
        unit: Some(unit),
        confidence: "high",
    }
}
