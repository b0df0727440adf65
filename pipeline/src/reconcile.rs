//! Reconciliation: the same amount seen in several places must agree.
//!
//! A 令和4年度 事業計画書 prints last year's budget of each project, and the 令和3年度 plan printed
//! it as its own; slides quote the same projects in 万円; a budget book and its open data carry the
//! same 款項目. This stage pairs such lines and compares their amounts. It never merges or drops a
//! line: every line stays in `budget_lines` as read, and the pairs go to the `reconciliation`
//! table, one row per pair, with mismatches also as `reconcile.mismatch` diagnostics naming both
//! sources.
//!
//! **How lines are matched.** Two lines are the same amount when they agree on the body
//! (jurisdiction code and name), fiscal year, measure, phase and direction, and on the name of the
//! line itself: the last element of `path` (the project or 款項目 name), compared after
//! [`yosan_schemas::fold_label`] (white space removed, full-width ASCII folded, so
//! `減債基金積立金（市工連）` matches `減債基金積立金(市工連)`). The rest of the path is not required to
//! agree, because documents place the same project under different headings (`経済局 / 5款1項3目`
//! in one, a bureau name or nothing in another); it only breaks ties: when a name occurs several
//! times in one source (a `その他` under several parents), a line is paired with the line of the
//! other source that shares the longest path tail with it, and only when each is the other's
//! unique best match. A name left ambiguous is not paired (a `reconcile.ambiguous` info diagnostic
//! says so). Lines whose accounts are both known and differ are not paired.
//!
//! Pairs are formed between different source files, and inside one source file between lines
//! whose whole normalised paths (and printed codes, where both have one) are equal but which were
//! read on different rows under different column headers: the same amount printed twice in one
//! document, such as a summary table and the section that details it, or an open-data file's
//! 予算前額 of one year against the previous year's 予算見積額. (Two rows under the same header
//! are two items of one table, not one amount printed twice.) Inside one document, a path must
//! name the line's parent too, and lines of the generic parser are not paired: a bare name, or a
//! generic table's row name (`事業費` in each of a plan's project sheets), could be any of several
//! items. When a name occurs
//! several times in a source, a line printed under the same column header (`measure_label`) as
//! the other source's line is preferred over one that is not, after the longest path tail.
//!
//! Printed totals (`is_total`) are not compared: two documents' 計 lines cover different sets of
//! items as often as not (a 目次 of one year lists projects the next year's does not).
//!
//! A name shared by more than 2,000 lines of one body, year and measure is not paired (a
//! `reconcile.group_too_large` note): such lines cannot be told apart, and pairing is quadratic.
//!
//! **Tolerance.** Amounts agree when |a − b| ≤ `tolerance_yen`: 0 when both were printed in the
//! same unit, else the rounding of the coarser unit (999 yen when one source prints 千円 and the
//! other 円, 9,999 yen for amounts stated in 万円 such as the slides' `8,824万円` against a table's
//! `88,245` 千円): a source printing in a coarser unit truncates below it. A line printed as none
//! (`-`) against a line with an amount is a mismatch; two nones match.

use crate::model::{BudgetLine, DiagnosticRecord};
use polars::prelude::*;
use std::collections::BTreeMap;
use yosan_normalize::amount::Unit;

/// One row of the `reconciliation` table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReconRow {
    pub jurisdiction_code: Option<String>,
    pub jurisdiction_name: String,
    pub fiscal_year: i64,
    pub path: Vec<String>,
    pub measure: String,
    pub amount_yen_a: Option<i64>,
    pub source_a: String,
    pub amount_yen_b: Option<i64>,
    pub source_b: String,
    pub tolerance_yen: i64,
    /// `match` or `mismatch`.
    pub status: String,
}

impl ReconRow {
    pub fn is_match(&self) -> bool {
        self.status == "match"
    }
}

/// What the stage found.
#[derive(Debug, Default)]
pub struct Reconciliation {
    pub rows: Vec<ReconRow>,
    /// `reconcile.mismatch` warnings and `reconcile.ambiguous` notes, one per row or group.
    pub diagnostics: Vec<DiagnosticRecord>,
}

impl Reconciliation {
    pub fn matches(&self) -> usize {
        self.rows.iter().filter(|r| r.is_match()).count()
    }
    pub fn mismatches(&self) -> usize {
        self.rows.len() - self.matches()
    }
}

/// The key under which lines are the same amount.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    jurisdiction_name: String,
    jurisdiction_code: Option<String>,
    fiscal_year: i64,
    measure: String,
    phase: crate::model::Phase,
    direction: crate::model::Direction,
    name: String,
}

fn norm(s: &str) -> String {
    yosan_schemas::fold_label(s)
}

/// Number of trailing elements two normalised paths share.
fn common_tail(a: &[String], b: &[String]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The generic parser's family id.
const GENERIC: &str = "generic";

/// A group with more lines than this (one name printed thousands of times in a year) is not
/// paired: its lines could not be told apart anyway, and pairing is quadratic.
const MAX_GROUP: usize = 2_000;

/// The normalised path and column header of a line, computed once per line of a group.
struct Norm {
    path: Vec<String>,
    label: String,
}

fn unit_multiplier(label: &str) -> i64 {
    Unit::from_label(label).map_or(1, Unit::multiplier)
}

/// The largest difference still a match between two lines: the rounding of the coarser unit when
/// their units differ.
fn tolerance(a: &BudgetLine, b: &BudgetLine) -> i64 {
    let (ma, mb) = (unit_multiplier(&a.unit), unit_multiplier(&b.unit));
    if ma == mb {
        0
    } else {
        ma.max(mb) - 1
    }
}

fn compare(a: &BudgetLine, b: &BudgetLine) -> ReconRow {
    let tol = tolerance(a, b);
    let ok = match (a.amount_yen, b.amount_yen) {
        (Some(x), Some(y)) => x
            .checked_sub(y)
            .is_some_and(|d| d.checked_abs().is_some_and(|d| d <= tol)),
        (None, None) => true,
        _ => false,
    };
    ReconRow {
        jurisdiction_code: a.jurisdiction_code.clone(),
        jurisdiction_name: a.jurisdiction_name.clone(),
        fiscal_year: a.fiscal_year,
        path: a.path.clone(),
        measure: a.measure.clone(),
        amount_yen_a: a.amount_yen,
        source_a: a.source_file.clone(),
        amount_yen_b: b.amount_yen,
        source_b: b.source_file.clone(),
        tolerance_yen: tol,
        status: if ok { "match" } else { "mismatch" }.to_string(),
    }
}

fn where_(l: &BudgetLine) -> String {
    let mut parts = vec![l.source_file.clone()];
    if let Some(p) = l.page {
        parts.push(format!("page {p}"));
    }
    if let Some(s) = &l.sheet {
        parts.push(format!("sheet {s}"));
    }
    if let Some(r) = l.row {
        parts.push(format!("row {r}"));
    }
    parts.join(" ")
}

fn fmt_amount(v: Option<i64>) -> String {
    match v {
        None => "none".to_string(),
        Some(v) => {
            let s = v.unsigned_abs().to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            if v < 0 {
                format!("-{out} yen")
            } else {
                format!("{out} yen")
            }
        }
    }
}

/// True when two lines of equal paths print different numbers at the same level (two 目 of the
/// same name under one 項, told apart only by their codes).
fn codes_conflict(a: &BudgetLine, b: &BudgetLine) -> bool {
    a.path_codes
        .iter()
        .rev()
        .zip(b.path_codes.iter().rev())
        .any(|(x, y)| !x.is_empty() && !y.is_empty() && norm(x) != norm(y))
}

fn accounts_conflict(a: &BudgetLine, b: &BudgetLine) -> bool {
    matches!((&a.account, &b.account), (Some(x), Some(y)) if x != y)
}

/// Pairs the lines of two sources inside one key group: mutual unique best matches by common
/// path tail. Returns the pairs and whether some line was left ambiguous.
fn pair_sources(
    lines: &[BudgetLine],
    norms: &BTreeMap<usize, Norm>,
    a_ids: &[usize],
    b_ids: &[usize],
) -> (Vec<(usize, usize)>, bool) {
    let best = |from: usize, among: &[usize]| -> Option<usize> {
        let nf = &norms[&from];
        let scored: Vec<((usize, bool), usize)> = among
            .iter()
            .filter(|&&o| !accounts_conflict(&lines[from], &lines[o]))
            .map(|&o| {
                let no = &norms[&o];
                ((common_tail(&nf.path, &no.path), nf.label == no.label), o)
            })
            .collect();
        let top = scored.iter().map(|(s, _)| *s).max()?;
        let mut winners = scored.iter().filter(|(s, _)| *s == top);
        let first = winners.next()?.1;
        if winners.next().is_some() {
            None
        } else {
            Some(first)
        }
    };
    let mut pairs = Vec::new();
    let mut ambiguous = false;
    for &a in a_ids {
        match best(a, b_ids) {
            Some(b) if best(b, a_ids) == Some(a) => pairs.push((a, b)),
            _ => ambiguous = true,
        }
    }
    (pairs, ambiguous)
}

/// Compares every amount seen more than once. Deterministic: rows sorted by body, year, path,
/// measure and sources.
pub fn reconcile(lines: &[BudgetLine]) -> Reconciliation {
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        if l.is_total {
            continue;
        }
        let Some(last) = l.path.last() else { continue };
        let name = norm(last);
        if name.is_empty() {
            continue;
        }
        groups
            .entry(Key {
                jurisdiction_name: l.jurisdiction_name.clone(),
                jurisdiction_code: l.jurisdiction_code.clone(),
                fiscal_year: l.fiscal_year,
                measure: l.measure.clone(),
                phase: l.phase,
                direction: l.direction,
                name,
            })
            .or_default()
            .push(i);
    }
    let mut out = Reconciliation::default();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (key, ids) in &groups {
        if ids.len() < 2 {
            continue;
        }
        if ids.len() > MAX_GROUP {
            let l = &lines[ids[0]];
            out.diagnostics.push(DiagnosticRecord {
                source_file: l.source_file.clone(),
                source_sha256: Some(l.source_sha256.clone()),
                page: None,
                sheet: None,
                location: None,
                code: "reconcile.group_too_large".to_string(),
                severity: "info".to_string(),
                message: format!(
                    "{} {} {} {:?}: {} lines share this name; they are not compared",
                    key.jurisdiction_name,
                    key.fiscal_year,
                    key.measure,
                    key.name,
                    ids.len()
                ),
            });
            continue;
        }
        let norms: BTreeMap<usize, Norm> = ids
            .iter()
            .map(|&i| {
                (
                    i,
                    Norm {
                        path: lines[i].path.iter().map(|p| norm(p)).collect(),
                        label: norm(&lines[i].measure_label),
                    },
                )
            })
            .collect();
        let mut by_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in ids {
            by_source
                .entry(lines[i].source_file.as_str())
                .or_default()
                .push(i);
        }
        // Inside one source: the same whole path printed twice, on different rows (two columns
        // of one row, such as the 増△減 of 総額 and of 一財+市債, are different amounts).
        for ids in by_source.values() {
            let mut by_path: BTreeMap<&[String], Vec<usize>> = BTreeMap::new();
            for &i in ids {
                // A bare name (no parent in its path) or a line of the generic parser (whose
                // paths carry no context beyond its table) could be any of several items.
                if lines[i].path.len() >= 2 && lines[i].family != GENERIC {
                    by_path.entry(&norms[&i].path).or_default().push(i);
                }
            }
            for same in by_path.values() {
                for (x, &i) in same.iter().enumerate() {
                    // Each line is paired with the first later line it can be compared with.
                    let partner = same[x + 1..].iter().copied().find(|&j| {
                        let (a, b) = (&lines[i], &lines[j]);
                        (a.page, &a.sheet, a.row) != (b.page, &b.sheet, b.row)
                            && norms[&i].label != norms[&j].label
                            && !codes_conflict(a, b)
                            && !accounts_conflict(a, b)
                    });
                    if let Some(j) = partner {
                        pairs.push((i, j));
                    }
                }
            }
        }
        // Across sources.
        let sources: Vec<&Vec<usize>> = by_source.values().collect();
        for x in 0..sources.len() {
            for y in x + 1..sources.len() {
                let (found, ambiguous) = pair_sources(lines, &norms, sources[x], sources[y]);
                pairs.extend(found);
                if ambiguous {
                    let a = &lines[sources[x][0]];
                    let b = &lines[sources[y][0]];
                    out.diagnostics.push(DiagnosticRecord {
                        source_file: a.source_file.clone(),
                        source_sha256: Some(a.source_sha256.clone()),
                        page: None,
                        sheet: None,
                        location: None,
                        code: "reconcile.ambiguous".to_string(),
                        severity: "info".to_string(),
                        message: format!(
                            "{} {} {} {:?}: the name occurs several times and not every line of {} could be paired with one of {}; those are not compared",
                            key.jurisdiction_name, key.fiscal_year, key.measure, key.name, a.source_file, b.source_file
                        ),
                    });
                }
            }
        }
    }
    for (a, b) in pairs {
        let (la, lb) = (&lines[a], &lines[b]);
        let row = compare(la, lb);
        if !row.is_match() {
            out.diagnostics.push(DiagnosticRecord {
                source_file: la.source_file.clone(),
                source_sha256: Some(la.source_sha256.clone()),
                page: la.page,
                sheet: la.sheet.clone(),
                location: la.row.map(|r| format!("row {r}")),
                code: "reconcile.mismatch".to_string(),
                severity: "warning".to_string(),
                message: format!(
                    "{} {} {} {}: {} in {} ({}) but {} in {} ({}); tolerance {} yen",
                    la.jurisdiction_name,
                    la.fiscal_year,
                    la.path.join(" / "),
                    la.measure,
                    fmt_amount(la.amount_yen),
                    where_(la),
                    la.amount_text,
                    fmt_amount(lb.amount_yen),
                    where_(lb),
                    lb.amount_text,
                    row.tolerance_yen
                ),
            });
        }
        out.rows.push(row);
    }
    out.rows.sort_by(|x, y| {
        (
            &x.jurisdiction_name,
            &x.jurisdiction_code,
            x.fiscal_year,
            &x.path,
            &x.measure,
            &x.source_a,
            &x.source_b,
            x.amount_yen_a,
            x.amount_yen_b,
        )
            .cmp(&(
                &y.jurisdiction_name,
                &y.jurisdiction_code,
                y.fiscal_year,
                &y.path,
                &y.measure,
                &y.source_a,
                &y.source_b,
                y.amount_yen_a,
                y.amount_yen_b,
            ))
    });
    out
}

/// The `reconciliation` columns, in the order of `schemas/columns.json`.
pub fn reconciliation_frame(rows: &[ReconRow]) -> PolarsResult<DataFrame> {
    let path: ListChunked = rows
        .iter()
        .map(|r| Some(Series::new(PlSmallStr::EMPTY, r.path.clone())))
        .collect();
    let path = path
        .into_series()
        .cast(&DataType::List(Box::new(DataType::String)))?
        .with_name("path".into())
        .into_column();
    DataFrame::new_infer_height(vec![
        Column::new(
            "jurisdiction_code".into(),
            rows.iter()
                .map(|r| r.jurisdiction_code.clone())
                .collect::<Vec<Option<String>>>(),
        ),
        Column::new(
            "jurisdiction_name".into(),
            rows.iter()
                .map(|r| r.jurisdiction_name.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "fiscal_year".into(),
            rows.iter()
                .map(|r| r.fiscal_year as i32)
                .collect::<Vec<i32>>(),
        ),
        path,
        Column::new(
            "measure".into(),
            rows.iter()
                .map(|r| r.measure.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "amount_yen_a".into(),
            rows.iter()
                .map(|r| r.amount_yen_a)
                .collect::<Vec<Option<i64>>>(),
        ),
        Column::new(
            "source_a".into(),
            rows.iter()
                .map(|r| r.source_a.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "amount_yen_b".into(),
            rows.iter()
                .map(|r| r.amount_yen_b)
                .collect::<Vec<Option<i64>>>(),
        ),
        Column::new(
            "source_b".into(),
            rows.iter()
                .map(|r| r.source_b.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "tolerance_yen".into(),
            rows.iter().map(|r| r.tolerance_yen).collect::<Vec<i64>>(),
        ),
        Column::new(
            "status".into(),
            rows.iter()
                .map(|r| r.status.clone())
                .collect::<Vec<String>>(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Phase;

    fn line(src: &str, path: &[&str], yen: Option<i64>, unit: &str) -> BudgetLine {
        BudgetLine {
            jurisdiction_code: Some("141003".into()),
            jurisdiction_name: "横浜市".into(),
            fiscal_year: 2021,
            document_fiscal_year: 2021,
            phase: Phase::Initial,
            family: "t".into(),
            path: path.iter().map(|s| s.to_string()).collect(),
            path_codes: path.iter().map(|_| String::new()).collect(),
            measure: "budget".into(),
            amount_yen: yen,
            unit: unit.into(),
            source_file: src.into(),
            ..Default::default()
        }
    }

    #[test]
    fn same_project_in_two_documents_matches_across_different_parents() {
        let lines = vec![
            line(
                "a.txt",
                &["経済局", "5款1項3目", "工業技術支援センター事業"],
                Some(93_064_000),
                "千円",
            ),
            line(
                "b.txt",
                &["工業技術支援センター事業"],
                Some(93_064_000),
                "千円",
            ),
        ];
        let r = reconcile(&lines);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].status, "match");
        assert_eq!(r.rows[0].tolerance_yen, 0);
        assert_eq!(r.rows[0].source_a, "a.txt");
    }

    #[test]
    fn prose_in_man_yen_matches_within_truncation_and_a_real_difference_does_not() {
        let lines = vec![
            line(
                "plan.txt",
                &["創業・スタートアップ成長推進事業"],
                Some(88_245_000),
                "千円",
            ),
            line(
                "slides.txt",
                &["創業・スタートアップ成長推進事業"],
                Some(88_240_000),
                "万円",
            ),
            line("plan.txt", &["x事業"], Some(10_000_000), "千円"),
            line("slides.txt", &["x事業"], Some(10_020_000), "万円"),
        ];
        let r = reconcile(&lines);
        assert_eq!(r.rows.len(), 2);
        let m: Vec<_> = r
            .rows
            .iter()
            .map(|r| (r.path[0].as_str(), r.status.as_str(), r.tolerance_yen))
            .collect();
        assert!(m.contains(&("創業・スタートアップ成長推進事業", "match", 9_999)));
        assert!(m.contains(&("x事業", "mismatch", 9_999)));
        assert_eq!(r.mismatches(), 1);
        assert_eq!(
            r.diagnostics
                .iter()
                .filter(|d| d.code == "reconcile.mismatch")
                .count(),
            1
        );
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == "reconcile.mismatch")
            .unwrap();
        assert!(
            d.message.contains("plan.txt") && d.message.contains("slides.txt"),
            "{}",
            d.message
        );
    }

    #[test]
    fn repeated_names_pair_by_parent_and_totals_are_not_compared() {
        let mut total_a = line("a", &["経済局", "計"], Some(5), "千円");
        total_a.is_total = true;
        let mut total_b = line("b", &["経済局", "計"], Some(6), "千円");
        total_b.is_total = true;
        let lines = vec![
            line("a", &["総務費", "その他"], Some(1_000), "千円"),
            line("a", &["商工費", "その他"], Some(2_000), "千円"),
            line("b", &["商工費", "その他"], Some(2_000), "千円"),
            line("b", &["総務費", "その他"], Some(1_000), "千円"),
            total_a,
            total_b,
        ];
        let r = reconcile(&lines);
        assert_eq!(r.rows.len(), 2, "{:#?}", r.rows);
        assert!(r.rows.iter().all(|r| r.is_match()));
    }

    #[test]
    fn none_against_an_amount_is_a_mismatch_and_fiscal_years_keep_apart() {
        let mut other_year = line("b", &["事業"], Some(1), "千円");
        other_year.fiscal_year = 2022;
        let lines = vec![
            line("a", &["事業"], None, "千円"),
            line("b", &["事業"], Some(0), "千円"),
            other_year,
        ];
        let r = reconcile(&lines);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].status, "mismatch");
    }

    #[test]
    fn inside_one_document_only_the_same_line_under_another_header_is_compared() {
        let mut generic = line("od.csv", &["総務費", "広報費"], Some(1), "千円");
        generic.family = "generic".into();
        generic.row = Some(20);
        generic.measure_label = "金額".into();
        let bare = |row: i32, label: &str| {
            let mut l = line("od.csv", &["広報費"], Some(2), "千円");
            l.row = Some(row);
            l.measure_label = label.into();
            l
        };
        let at = |row: i32, label: &str, code: &str, yen: i64| {
            let mut l = line("od.csv", &["総務費", "広報費"], Some(yen), "千円");
            l.row = Some(row);
            l.measure_label = label.into();
            l.path_codes = vec!["2".into(), code.into()];
            l
        };
        let lines = vec![
            // 2022's 予算前額 (row 9) against 2021's 予算見積額 (row 3): one amount, twice.
            at(3, "予算見積額", "1", 500),
            at(9, "予算前額", "1", 500),
            // Another item of the same name but another number, and a second row under the
            // same header: neither is the same amount.
            at(4, "予算見積額", "7", 900),
            at(5, "予算見積額", "1", 800),
            // Never paired inside one document: a generic line, bare names.
            generic,
            bare(30, "予算見積額"),
            bare(31, "予算前額"),
        ];
        let r = reconcile(&lines);
        assert_eq!(r.rows.len(), 2, "{:#?}", r.rows);
        assert_eq!(r.matches(), 1);
        // Row 5 (800) pairs with row 9 (500): a mismatch, reported.
        assert_eq!(r.mismatches(), 1);
    }

    #[test]
    fn a_name_printed_thousands_of_times_is_not_paired_and_says_so() {
        let lines: Vec<BudgetLine> = (0..=MAX_GROUP)
            .map(|i| {
                line(
                    if i % 2 == 0 { "a" } else { "b" },
                    &["事務費"],
                    Some(i as i64),
                    "円",
                )
            })
            .collect();
        let r = reconcile(&lines);
        assert!(r.rows.is_empty());
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "reconcile.group_too_large");
    }

    #[test]
    fn frame_has_the_contract_columns() {
        let lines = vec![
            line("a", &["事業"], Some(1_000), "千円"),
            line("b", &["事業"], Some(1_000), "千円"),
        ];
        let r = reconcile(&lines);
        let df = reconciliation_frame(&r.rows).unwrap();
        let empty = reconciliation_frame(&[]).unwrap();
        assert_eq!(
            empty.column("path").unwrap().dtype(),
            &DataType::List(Box::new(DataType::String))
        );
        let table = yosan_schemas::table("reconciliation").unwrap();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        let wanted: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        assert_eq!(names, wanted);
        assert_eq!(df.height(), 1);
    }
}
