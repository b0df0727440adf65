//! Arithmetic checks between budget lines that do not sit in one [`crate::table::HierTable`]
//! column: Σ財源内訳 = 金額 across the columns of one row, 増△減 = this year − last year between
//! rows of a transposed table, one amount printed twice in a document (a 目次 row and its project
//! sheet, a summary table and its plan section), and sums of figures truncated to a display unit.
//!
//! Each check records its result on every line it covers (a mismatch wins over ok) and appends a
//! readable detail to `check_detail`; [`Tally`] counts them for the documents table.

use crate::model::{BudgetLine, Check};

/// Checks run and the mismatches found, as messages for diagnostics.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    pub ok: usize,
    pub mismatches: Vec<String>,
}

impl Tally {
    fn count(&mut self, ok: bool, what: &str, detail: &str) {
        if ok {
            self.ok += 1;
        } else {
            self.mismatches.push(format!("{what}: {detail}"));
        }
    }
}

/// Records one check result on a line.
pub fn record(line: &mut BudgetLine, ok: bool, detail: &str) {
    line.check = match (line.check, ok) {
        (Check::Mismatch, _) | (_, false) => Check::Mismatch,
        _ => Check::Ok,
    };
    line.check_detail = Some(match line.check_detail.take() {
        Some(d) if !d.is_empty() => format!("{d}; {detail}"),
        _ => detail.to_string(),
    });
}

pub use crate::table::fmt_yen;

/// The amount of line `i`, with a blank (no line) as 0 and a none mark (`-`) as 0.
fn value(lines: &[BudgetLine], i: Option<usize>) -> i64 {
    i.and_then(|i| lines[i].amount_yen).unwrap_or(0)
}

/// Σ parts = total, blank parts counting 0. `tolerance` is how far the printed total may lie from
/// the sum (below, above), for figures truncated to a display unit; `(0, 0)` for exact sums.
/// Nothing is checked when the total is blank or prints none.
pub fn sum(
    lines: &mut [BudgetLine],
    total: Option<usize>,
    parts: &[usize],
    what: &str,
    tolerance: (i64, i64),
    tally: &mut Tally,
) {
    let Some(t) = total else { return };
    let Some(total_yen) = lines[t].amount_yen else {
        return;
    };
    if parts.is_empty() {
        return;
    }
    let Some(s) = parts
        .iter()
        .try_fold(0i64, |acc, &p| acc.checked_add(value(lines, Some(p))))
    else {
        return;
    };
    let diff = total_yen.saturating_sub(s);
    let ok = -tolerance.0 <= diff && diff <= tolerance.1;
    let detail = if diff == 0 {
        format!("Σ {what} {} = {}", fmt_yen(s), fmt_yen(total_yen))
    } else if ok {
        format!(
            "Σ {what} {} ≈ {} (diff {}, within the truncation tolerance −{} … +{})",
            fmt_yen(s),
            fmt_yen(total_yen),
            fmt_yen(diff),
            fmt_yen(tolerance.0),
            fmt_yen(tolerance.1)
        )
    } else {
        format!(
            "Σ {what} {} ≠ {} (diff {})",
            fmt_yen(s),
            fmt_yen(total_yen),
            fmt_yen(diff)
        )
    };
    tally.count(ok, &lines[t].label_text.clone(), &detail);
    record(&mut lines[t], ok, &detail);
    for &p in parts {
        record(&mut lines[p], ok, &detail);
    }
}

/// result = minuend − subtrahend, blanks counting 0 (a 財源 column left empty in both years has a
/// printed 増△減 of 0). Nothing is checked when the result is blank.
pub fn difference(
    lines: &mut [BudgetLine],
    result: Option<usize>,
    minuend: Option<usize>,
    subtrahend: Option<usize>,
    what: &str,
    tally: &mut Tally,
) {
    let Some(r) = result else { return };
    let Some(printed) = lines[r].amount_yen else {
        return;
    };
    let Some(expected) = value(lines, minuend).checked_sub(value(lines, subtrahend)) else {
        return;
    };
    let ok = expected == printed;
    let detail = format!(
        "{what} {} {} {} − {}",
        fmt_yen(printed),
        if ok { "=" } else { "≠" },
        fmt_yen(value(lines, minuend)),
        fmt_yen(value(lines, subtrahend))
    );
    tally.count(ok, &lines[r].label_text.clone(), &detail);
    for i in [Some(r), minuend, subtrahend].into_iter().flatten() {
        record(&mut lines[i], ok, &detail);
    }
}

/// The same amount printed twice in one document: line `a` against line `b`.
pub fn agree(lines: &mut [BudgetLine], a: usize, b: usize, what: &str, tally: &mut Tally) {
    let (x, y) = (lines[a].amount_yen, lines[b].amount_yen);
    let ok = x == y;
    let show = |v: Option<i64>| v.map_or_else(|| "none".to_string(), fmt_yen);
    let detail = format!(
        "{what} {} {} {}",
        show(x),
        if ok { "=" } else { "≠" },
        show(y)
    );
    tally.count(ok, &lines[a].label_text.clone(), &detail);
    record(&mut lines[a], ok, &detail);
    record(&mut lines[b], ok, &detail);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(v: Option<i64>) -> BudgetLine {
        BudgetLine {
            amount_yen: v,
            label_text: "x".into(),
            ..Default::default()
        }
    }

    #[test]
    fn sums_differences_and_agreement() {
        let mut lines = vec![
            line(Some(379_682)),
            line(Some(45_090)),
            line(Some(117_063)),
            line(Some(217_529)),
        ];
        let mut t = Tally::default();
        sum(&mut lines, Some(0), &[1, 2, 3], "財源", (0, 0), &mut t);
        assert_eq!(t.ok, 1);
        assert!(lines.iter().all(|l| l.check == Check::Ok));
        assert_eq!(
            lines[0].check_detail.as_deref(),
            Some("Σ 財源 379,682 = 379,682")
        );
        let mut d = vec![line(Some(0)), line(None), line(Some(5))];
        difference(&mut d, Some(0), None, None, "増△減", &mut t);
        assert_eq!(d[0].check, Check::Ok);
        difference(&mut d, Some(0), Some(2), None, "増△減", &mut t);
        assert_eq!(d[0].check, Check::Mismatch);
        assert_eq!(d[2].check, Check::Mismatch);
        assert_eq!(t.mismatches.len(), 1);
        agree(&mut d, 1, 1, "same", &mut t);
        assert_eq!(d[1].check, Check::Ok);
    }

    #[test]
    fn truncated_sums_pass_within_tolerance_and_say_so() {
        let mut lines = vec![line(Some(83_6456_0000)), line(Some(83_6454_0000))];
        let mut t = Tally::default();
        sum(
            &mut lines,
            Some(0),
            &[1],
            "区分",
            (9_999, 4 * 9_999),
            &mut t,
        );
        assert_eq!(lines[0].check, Check::Ok);
        assert!(lines[0]
            .check_detail
            .as_deref()
            .unwrap()
            .contains("truncation tolerance"));
        let mut far = vec![line(Some(100_000)), line(Some(50_000))];
        sum(&mut far, Some(0), &[1], "区分", (9_999, 9_999), &mut t);
        assert_eq!(far[0].check, Check::Mismatch);
    }
}
