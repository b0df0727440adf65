//! A hierarchical amount table: the shape most budget documents reduce to once their layout is
//! read. Rows carry a name, a nesting depth and one amount per column; columns say what their
//! amounts measure and for which fiscal year. Families build a [`HierTable`]; this module checks
//! its arithmetic (children add up to their parent, totals to their items, printed differences to
//! the difference of their columns) and turns it into [`BudgetLine`]s.
//!
//! Amounts are carried only on the row they were printed on: labels may be filled down by the
//! families, amounts never are.

use crate::context::DocContext;
use crate::model::{BudgetLine, Check, Phase};
use yosan_normalize::amount::{parse_amount, AmountValue, Unit};

/// What one amount column measures.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    /// A measure of the vocabulary in `schemas/measures.json`.
    pub measure: String,
    /// The header as printed.
    pub label: String,
    pub fiscal_year: i64,
    pub phase: Phase,
    /// 1-based column in the source grid, when there is one.
    pub source_column: Option<i32>,
}

/// One amount cell as printed and as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Amount {
    pub text: String,
    /// Integer yen; `None` when the cell says "none" or is blank.
    pub yen: Option<i64>,
    /// True when the cell was blank (no line is written for it).
    pub blank: bool,
    pub unit: Option<Unit>,
    pub parenthesized: bool,
}

impl Amount {
    /// Reads a printed amount with `unit` as the table's unit. Text that is no amount at all
    /// (percentages, counts, words) gives `Err` with the reason.
    pub fn read(text: &str, unit: Unit) -> Result<Amount, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(Amount {
                blank: true,
                ..Default::default()
            });
        }
        match parse_amount(trimmed, unit) {
            Ok(p) => match p.value {
                AmountValue::Yen(y) => Ok(Amount {
                    text: trimmed.to_string(),
                    yen: Some(y),
                    blank: false,
                    unit: Some(p.unit),
                    parenthesized: p.parenthesized,
                }),
                AmountValue::NoneMark => Ok(Amount {
                    text: trimmed.to_string(),
                    yen: None,
                    blank: false,
                    unit: Some(p.unit),
                    parenthesized: p.parenthesized,
                }),
                AmountValue::NotMoney(kind) => Err(format!("not money ({kind:?}): {trimmed}")),
            },
            Err(e) => Err(format!("{e:?}")),
        }
    }

    /// A cell the document left empty.
    pub fn blank() -> Amount {
        Amount {
            blank: true,
            ..Default::default()
        }
    }
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// An ordinary item; its depth places it in the hierarchy.
    Item,
    /// A printed total of the depth-0 items (計, 合計).
    Total,
    /// An amount printed for reference, outside every sum (`(貸与予定額) (400,000)`).
    Reference,
    /// A printed figure derived from others in a way the table does not model; kept, not checked.
    Derived,
}

/// Where a row was found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Location {
    pub page: Option<i32>,
    pub sheet: Option<String>,
    pub row: Option<i32>,
    pub bbox: Option<[f32; 4]>,
}

impl Location {
    /// Source row `row` (1-based, see [`yosan_extractors::Grid::source_row`]) of `grid`'s page or sheet.
    pub fn in_grid(grid: &yosan_extractors::Grid, row: i32) -> Location {
        Location {
            page: grid.page.map(|p| p as i32),
            sheet: grid.sheet.clone(),
            row: Some(row),
            bbox: None,
        }
    }
}

/// One row of a hierarchical table.
#[derive(Debug, Clone, PartialEq)]
pub struct HierRow {
    /// The numbering as printed (`1`, `(1)`, `I`, `ア`), if any.
    pub code: Option<String>,
    pub name: String,
    /// The row's label exactly as printed (numbering, wraps and all).
    pub label_text: String,
    /// 0 for the top level.
    pub depth: usize,
    /// The level's own word (款, 項, 事業, 細事業, 区分, 合計 ...).
    pub level: String,
    pub kind: RowKind,
    /// One entry per column of the table.
    pub amounts: Vec<Amount>,
    pub location: Location,
}

/// A printed difference between columns: `result = minuend − subtrahend` on every row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub result: usize,
    pub minuend: usize,
    pub subtrahend: usize,
}

/// A table of amounts with a hierarchy of rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HierTable {
    /// Names above the table's own rows (`経済局`, `5款1項3目`), the start of every row's path.
    pub prefix: Vec<(String, String)>,
    pub columns: Vec<ColumnSpec>,
    pub rows: Vec<HierRow>,
    pub differences: Vec<Difference>,
    /// The unit the table states (`（単位：千円）`).
    pub unit: Option<Unit>,
    /// `high` for tables, `low` for amounts read from prose.
    pub confidence: &'static str,
}

/// The outcome of the arithmetic checks on one table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckReport {
    pub ok: usize,
    pub mismatches: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct CellCheck {
    check: Check,
    detail: Vec<String>,
}

impl CellCheck {
    fn record(&mut self, ok: bool, detail: String) {
        if ok {
            if self.check != Check::Mismatch {
                self.check = Check::Ok;
            }
        } else {
            self.check = Check::Mismatch;
        }
        self.detail.push(detail);
    }
}

/// Formats yen with thousands separators (`-3,080,000`), for check details and messages.
pub fn fmt_yen(v: i64) -> String {
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

impl HierTable {
    /// Indices of the direct children of row `i` (rows after it, one level deeper, until a row at
    /// its depth or above). Reference and derived rows are never children.
    pub fn children(&self, i: usize) -> Vec<usize> {
        let depth = self.rows[i].depth;
        let mut out = Vec::new();
        for (j, r) in self.rows.iter().enumerate().skip(i + 1) {
            if r.kind == RowKind::Total || r.depth <= depth {
                break;
            }
            if r.depth == depth + 1 && r.kind == RowKind::Item {
                out.push(j);
            }
        }
        out
    }

    /// Runs every check and returns, per row and column, its result.
    fn run_checks(&self) -> (Vec<Vec<CellCheck>>, CheckReport) {
        let ncols = self.columns.len();
        let mut cells: Vec<Vec<CellCheck>> = self
            .rows
            .iter()
            .map(|_| vec![CellCheck::default(); ncols])
            .collect();
        let mut report = CheckReport::default();
        #[allow(clippy::needless_range_loop)] // c indexes the columns of several rows at once
        let sum_check = |cells: &mut Vec<Vec<CellCheck>>,
                         report: &mut CheckReport,
                         parent: usize,
                         kids: &[usize],
                         what: &str| {
            for c in 0..ncols {
                let Some(total) = self.rows[parent].amounts.get(c).and_then(|a| a.yen) else {
                    continue;
                };
                // A column where no child prints anything is not broken down there.
                if kids
                    .iter()
                    .all(|&k| self.rows[k].amounts.get(c).is_none_or(|a| a.blank))
                {
                    continue;
                }
                let sum = kids
                    .iter()
                    .filter_map(|&k| self.rows[k].amounts.get(c).and_then(|a| a.yen))
                    .try_fold(0i64, |acc, v| acc.checked_add(v));
                let Some(sum) = sum else { continue };
                let ok = sum == total;
                let detail = format!(
                    "Σ {what} {} {} {} ({})",
                    fmt_yen(sum),
                    if ok { "=" } else { "≠" },
                    fmt_yen(total),
                    self.columns[c].label
                );
                if ok {
                    report.ok += 1;
                } else {
                    report
                        .mismatches
                        .push(format!("{}: {detail}", self.rows[parent].name));
                }
                cells[parent][c].record(ok, detail.clone());
                for &k in kids {
                    if self.rows[k].amounts.get(c).is_some_and(|a| !a.blank) {
                        cells[k][c].record(ok, detail.clone());
                    }
                }
            }
        };
        for i in 0..self.rows.len() {
            match self.rows[i].kind {
                RowKind::Item => {
                    let kids = self.children(i);
                    if !kids.is_empty() {
                        sum_check(&mut cells, &mut report, i, &kids, "children");
                    }
                }
                RowKind::Total => {
                    // The items a total covers: the depth-0 items since the previous total.
                    let start = self.rows[..i]
                        .iter()
                        .rposition(|r| r.kind == RowKind::Total)
                        .map_or(0, |p| p + 1);
                    let items: Vec<usize> = (start..i)
                        .filter(|&k| self.rows[k].kind == RowKind::Item && self.rows[k].depth == 0)
                        .collect();
                    if !items.is_empty() {
                        sum_check(&mut cells, &mut report, i, &items, "items");
                    }
                }
                RowKind::Reference | RowKind::Derived => {}
            }
        }
        for d in &self.differences {
            for (i, row) in self.rows.iter().enumerate() {
                let get = |c: usize| {
                    row.amounts.get(c).and_then(|a| {
                        if a.blank {
                            None
                        } else {
                            Some(a.yen.unwrap_or(0))
                        }
                    })
                };
                let (Some(r), Some(a), Some(b)) =
                    (get(d.result), get(d.minuend), get(d.subtrahend))
                else {
                    continue;
                };
                let Some(expected) = a.checked_sub(b) else {
                    continue;
                };
                let ok = expected == r;
                let detail = format!(
                    "{} {} {} − {}",
                    fmt_yen(r),
                    if ok { "=" } else { "≠" },
                    self.columns[d.minuend].label,
                    self.columns[d.subtrahend].label
                );
                if ok {
                    report.ok += 1;
                } else {
                    report.mismatches.push(format!("{}: {detail}", row.name));
                }
                for c in [d.result, d.minuend, d.subtrahend] {
                    cells[i][c].record(ok, detail.clone());
                }
            }
        }
        (cells, report)
    }

    /// Checks the table and turns it into budget lines, one per non-blank amount cell.
    pub fn emit(&self, ctx: &DocContext, family: &str) -> (Vec<BudgetLine>, CheckReport) {
        let (checks, report) = self.run_checks();
        let mut out = Vec::new();
        // The path of names from the top: prefix, then the ancestors of each row.
        let mut stack: Vec<(String, String)> = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            stack.truncate(row.depth);
            let mut path: Vec<(String, String)> = self.prefix.clone();
            path.extend(stack.iter().cloned());
            path.push((row.code.clone().unwrap_or_default(), row.name.clone()));
            if row.kind == RowKind::Item {
                stack.push((row.code.clone().unwrap_or_default(), row.name.clone()));
            }
            for (c, amount) in row.amounts.iter().enumerate() {
                if amount.blank {
                    continue;
                }
                let Some(col) = self.columns.get(c) else {
                    continue;
                };
                let unit = amount.unit.or(self.unit).unwrap_or(Unit::Yen);
                let cc = &checks[i][c];
                let mut line = ctx.line(family);
                line.fiscal_year = col.fiscal_year;
                line.phase = col.phase;
                line.path = path.iter().map(|(_, n)| n.clone()).collect();
                line.path_codes = path.iter().map(|(c, _)| c.clone()).collect();
                line.code = row.code.clone();
                line.label_text = row.label_text.clone();
                line.level = row.level.clone();
                line.measure = col.measure.clone();
                line.measure_label = col.label.clone();
                line.amount_yen = amount.yen;
                line.amount_text = amount.text.clone();
                line.unit = unit.label().to_string();
                line.is_total = row.kind == RowKind::Total;
                line.confidence = self.confidence.to_string();
                line.page = row.location.page;
                line.sheet = row.location.sheet.clone();
                line.row = row.location.row;
                line.column = col.source_column;
                line.bbox = row.location.bbox;
                line.check = cc.check;
                line.check_detail = if cc.detail.is_empty() {
                    None
                } else {
                    Some(cc.detail.join("; "))
                };
                out.push(line);
            }
        }
        (out, report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amt(v: i64) -> Amount {
        Amount {
            text: v.to_string(),
            yen: Some(v),
            ..Default::default()
        }
    }

    fn row(name: &str, depth: usize, kind: RowKind, vals: &[i64]) -> HierRow {
        HierRow {
            code: None,
            name: name.into(),
            label_text: name.into(),
            depth,
            level: "事業".into(),
            kind,
            amounts: vals.iter().map(|&v| amt(v)).collect(),
            location: Location::default(),
        }
    }

    fn table(rows: Vec<HierRow>) -> HierTable {
        HierTable {
            columns: vec![
                ColumnSpec {
                    measure: "budget".into(),
                    label: "A".into(),
                    fiscal_year: 2022,
                    phase: Phase::Initial,
                    source_column: None,
                },
                ColumnSpec {
                    measure: "budget".into(),
                    label: "B".into(),
                    fiscal_year: 2021,
                    phase: Phase::Initial,
                    source_column: None,
                },
                ColumnSpec {
                    measure: "change".into(),
                    label: "C".into(),
                    fiscal_year: 2022,
                    phase: Phase::Initial,
                    source_column: None,
                },
            ],
            rows,
            differences: vec![Difference {
                result: 2,
                minuend: 0,
                subtrahend: 1,
            }],
            unit: Some(Unit::Thousand),
            confidence: "high",
            prefix: vec![],
        }
    }

    #[test]
    fn sums_and_differences_mark_lines_ok() {
        let t = table(vec![
            row("a", 0, RowKind::Item, &[10, 8, 2]),
            row("a1", 1, RowKind::Item, &[4, 3, 1]),
            row("a2", 1, RowKind::Item, &[6, 5, 1]),
            row("b", 0, RowKind::Item, &[5, 5, 0]),
            row("計", 0, RowKind::Total, &[15, 13, 2]),
        ]);
        let ctx = DocContext::for_tests();
        let (lines, report) = t.emit(&ctx, "test");
        assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
        assert_eq!(lines.len(), 15);
        assert!(lines.iter().all(|l| l.check == Check::Ok));
        assert_eq!(lines[3].path, vec!["a".to_string(), "a1".to_string()]);
    }

    #[test]
    fn a_wrong_total_is_a_mismatch_on_total_and_items() {
        let t = table(vec![
            row("a", 0, RowKind::Item, &[10, 8, 2]),
            row("b", 0, RowKind::Item, &[5, 5, 0]),
            row("計", 0, RowKind::Total, &[16, 13, 3]),
        ]);
        let (lines, report) = t.emit(&DocContext::for_tests(), "test");
        assert_eq!(report.mismatches.len(), 2, "{:?}", report.mismatches);
        let total_a = lines
            .iter()
            .find(|l| l.is_total && l.measure_label == "A")
            .unwrap();
        assert_eq!(total_a.check, Check::Mismatch);
        assert!(total_a.check_detail.as_deref().unwrap().contains('≠'));
    }

    #[test]
    fn reference_rows_stay_outside_sums() {
        let mut r = row("(貸与予定額)", 1, RowKind::Reference, &[400, 500, 0]);
        r.amounts[2] = Amount::blank();
        let t = table(vec![
            row("a", 0, RowKind::Item, &[10, 8, 2]),
            row("a1", 1, RowKind::Item, &[10, 8, 2]),
            r,
        ]);
        let (lines, report) = t.emit(&DocContext::for_tests(), "test");
        assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
        assert_eq!(lines.len(), 8);
    }
}
