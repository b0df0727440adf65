//! The prose sections of a public foundation's 事業計画書 that repeat the 予算の概要 hierarchy with
//! amounts: `3 主要事業の概要` and `III 事業計画` (`I 企業経営に対する支援 1, 379, 383千円`,
//! `(2) 総合相談…の実施` with `25, 923千円` on the next line, `ア 経営総合相談 25, 778千円`).
//!
//! Part of the `foundation_budget_summary` family: run after its 予算の概要 table so that every
//! section amount is checked against the table row with the same numbering path (I / 1 / (1)) and
//! fiscal year; rows below the table's depth (`ア`) are checked as children of their parent.
//!
//! Sections are delimited by the numbered headings that the document's table of contents lists
//! (`4 事業体系 ..... 8`) and that print no amount; within a section a row is a numbering
//! (I, 1, (1), ア, after marks such as 新, 一部新, （新）), a name and an amount in 千円 at its end or
//! alone on the next row. A lone `—`, `－` or `一` where the amount should be is "none". Amounts
//! in brackets inside the name (`ア 設備貸与事業 (貸与予定額 400,000千円)`) are reference figures
//! outside the sums. The section's fiscal year is the document's; its phase is that of the
//! 予算の概要 column of the same year (a 10月補正 plan is `revised`), else `initial`.

use super::checks::{self, Tally};
use super::common::{compact, numbering_rank};
use super::rows::{streams, Row};
use crate::context::DocContext;
use crate::model::{BudgetLine, Phase};
use yosan_extractors::Document;
use yosan_normalize::amount::{find_amounts, AmountValue, ParsedAmount};
use yosan_normalize::label::normalize_label;
use yosan_normalize::numbering::split_numbering;
use yosan_normalize::width::fold_width;

/// A numbered row of a section.
#[derive(Debug, Clone)]
struct Item {
    code: String,
    name: String,
    printed: String,
    marks: Vec<String>,
    /// The amount as printed and read; `None` amount with text is a none mark.
    amount: Option<(String, Option<i64>, ParsedAmount)>,
    reference: Option<(String, String, i64, ParsedAmount)>,
    row: Row,
}

/// Marks printed before a numbering: 新, 一部新, （新）, and a circled digit glued to a kana
/// numbering (`④イ`, an icon the converter read as a digit).
fn strip_marks(text: &str) -> (Vec<String>, String) {
    let mut t = fold_width(text).into_owned();
    // Markdown leftovers: list bullets and emphasis.
    t = t.replace("**", "");
    let mut s = t.trim().trim_start_matches("- ").trim().to_string();
    let mut marks = Vec::new();
    loop {
        let before = s.clone();
        for (m, word) in [("一部新", "一部新"), ("(新)", "新"), ("新", "新")] {
            if let Some(rest) = s.strip_prefix(m) {
                // `新ア`, `(新)(4)`: a mark only when a numbering follows.
                let (code, _) = split_numbering(rest);
                if code.is_some() {
                    marks.push(word.to_string());
                    s = rest.trim_start().to_string();
                    break;
                }
            }
        }
        let mut chars = s.chars();
        if let (Some(c), Some(next)) = (chars.next(), chars.next()) {
            let circled = ('\u{2460}'..='\u{2473}').contains(&c);
            if circled && ('ア'..='ン').contains(&next) {
                s = s[c.len_utf8()..].to_string();
            }
        }
        if s == before {
            break;
        }
    }
    (marks, s)
}

/// A `千円` (or other explicit-unit) amount ending the text: its byte start and the amount.
fn trailing_amount(text: &str) -> Option<(usize, String, ParsedAmount)> {
    let found = find_amounts(text);
    let (r, p) = found.last()?;
    if !matches!(p.value, AmountValue::Yen(_)) || !p.explicit_unit {
        return None;
    }
    text[r.end..]
        .trim()
        .is_empty()
        .then(|| (r.start, text[r.clone()].trim().to_string(), *p))
}

/// The none mark of a section row, in 千円.
fn none_mark() -> ParsedAmount {
    ParsedAmount {
        value: AmountValue::NoneMark,
        unit: yosan_normalize::amount::Unit::Thousand,
        explicit_unit: false,
        parenthesized: false,
        negative: false,
    }
}

/// True when a name holds figures of its own (amounts, percentages): a table row, not a heading.
fn has_figures(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        super::common::is_amount_token(w)
            || yosan_normalize::amount::parse_amount(w, yosan_normalize::amount::Unit::Yen)
                .is_ok_and(|p| matches!(p.value, AmountValue::NotMoney(_)))
    })
}

/// A row that is only a none mark where an amount should be.
fn is_none_mark(text: &str) -> bool {
    matches!(
        compact(text).as_str(),
        "—" | "―" | "－" | "-" | "一" | "ー" | "‐"
    )
}

fn read_item(row: &Row, next: Option<&Row>) -> Option<(Item, bool)> {
    let (marks, rest) = strip_marks(&row.text);
    let (code, body) = split_numbering(&rest);
    let code = code?;
    numbering_rank(&code)?;
    if body.is_empty() {
        return None;
    }
    let folded = fold_width(&body).into_owned();
    // `ア 設備貸与事業 (貸与予定額 400,000千円)`: a reference figure in brackets closing the row.
    if let Some(inner_end) = folded.trim_end().strip_suffix(')') {
        if let (Some(open), Some((at, shown, p))) =
            (inner_end.rfind('('), trailing_amount(inner_end))
        {
            if open < at {
                let label = inner_end[open + 1..at].trim();
                if !label.is_empty() && !label.chars().any(|c| c.is_ascii_digit()) {
                    let reference = Some((normalize_label(label), shown, p.yen().unwrap_or(0), p));
                    let name = normalize_label(&inner_end[..open]);
                    return (!name.is_empty()).then(|| {
                        (
                            Item {
                                code,
                                name,
                                printed: row.text.trim().to_string(),
                                marks,
                                amount: None,
                                reference,
                                row: row.clone(),
                            },
                            false,
                        )
                    });
                }
            }
        }
    }
    // A trailing none mark: `エ 食品・酒類他販路開拓支援 一` (read before the name is normalised,
    // which joins the mark to the name).
    if let Some((head, last)) = rest.trim_end().rsplit_once(char::is_whitespace) {
        let (_, name) = split_numbering(head);
        if is_none_mark(last) && !has_figures(&name) && !name.is_empty() {
            return Some((
                Item {
                    code,
                    name,
                    printed: row.text.trim().to_string(),
                    marks,
                    amount: Some((last.to_string(), None, none_mark())),
                    reference: None,
                    row: row.clone(),
                },
                false,
            ));
        }
    }
    let (name, amount, used_next) = if let Some((at, shown, p)) = trailing_amount(&folded) {
        (
            normalize_label(folded[..at].trim_end()),
            Some((shown, p.yen(), p)),
            false,
        )
    } else {
        // The amount alone on the next row.
        match next {
            Some(n) if is_none_mark(&n.text) => (
                normalize_label(&folded),
                Some((n.text.trim().to_string(), None, none_mark())),
                true,
            ),
            Some(n) => match trailing_amount(&fold_width(n.text.trim())) {
                Some((0, shown, p)) => (normalize_label(&folded), Some((shown, p.yen(), p)), true),
                _ => (normalize_label(&folded), None, false),
            },
            None => (normalize_label(&folded), None, false),
        }
    };
    // A row of a table (`I 企業経営に対する支援 1,379,383 1,387,855 99.4%`) is not a section row.
    if name.is_empty() || has_figures(&name) {
        return None;
    }
    Some((
        Item {
            code,
            name,
            printed: row.text.trim().to_string(),
            marks,
            amount,
            reference: None,
            row: row.clone(),
        },
        used_next,
    ))
}

/// Names of the table of contents (`4 事業体系 ..... 8`).
fn toc_names(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.text.contains("....") || r.text.contains("…"))
        .filter_map(|r| {
            let t = r.text.split("....").next()?.split('…').next()?;
            let (_, name) = split_numbering(t.trim());
            (!name.is_empty()).then(|| compact(&name))
        })
        .collect()
}

/// Reads the sections and writes their lines after the table's (`table` are the 予算の概要 lines
/// already in `lines`).
pub fn parse(
    doc: &Document,
    ctx: &DocContext,
    family: &str,
    lines: &mut Vec<BudgetLine>,
    table_count: usize,
    tally: &mut Tally,
) {
    let year = ctx.fiscal_year.unwrap_or(0);
    let phase = lines[..table_count]
        .iter()
        .find(|l| l.fiscal_year == year && !l.is_total)
        .map_or(Phase::Initial, |l| l.phase);
    for stream in streams(doc) {
        let rows = &stream.rows;
        let toc = toc_names(rows);
        // Section boundaries: numbered headings with no amount that the contents list.
        let mut sections: Vec<(usize, String)> = Vec::new();
        let mut i = 0;
        while i < rows.len() {
            let r = &rows[i];
            if !(r.text.contains("....") || r.text.contains('…')) {
                if let Some((item, _)) = read_item(r, rows.get(i + 1)) {
                    if item.amount.is_none()
                        && item.reference.is_none()
                        && toc.contains(&compact(&item.name))
                    {
                        sections.push((i, item.name.clone()));
                    }
                }
            }
            i += 1;
        }
        if toc.is_empty() {
            // No table of contents (a sheet that holds one section): the stream is one section,
            // named by its first heading without amount.
            let first = rows.iter().enumerate().find_map(|(i, r)| {
                read_item(r, rows.get(i + 1))
                    .filter(|(it, _)| it.amount.is_none() && it.reference.is_none())
                    .map(|(it, _)| (i, it.name))
            });
            if let Some(f) = first {
                sections.push(f);
            } else {
                continue;
            }
        }
        for (k, (start, name)) in sections.iter().enumerate() {
            let end = sections.get(k + 1).map_or(rows.len(), |s| s.0);
            let items = read_section(&rows[start + 1..end]);
            if !items.iter().any(|it| it.amount.is_some()) {
                continue;
            }
            emit_section(
                &items,
                name,
                ctx,
                family,
                year,
                phase,
                lines,
                table_count,
                tally,
            );
        }
    }
}

fn read_section(rows: &[Row]) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        if let Some((item, used_next)) = read_item(&rows[i], rows.get(i + 1)) {
            out.push(item);
            if used_next {
                i += 1;
            }
        }
        i += 1;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn emit_section(
    items: &[Item],
    section: &str,
    ctx: &DocContext,
    family: &str,
    year: i64,
    phase: Phase,
    lines: &mut Vec<BudgetLine>,
    table_count: usize,
    tally: &mut Tally,
) {
    // Depth follows the numbering styles in the order they first appear, as in the table.
    let mut ranks_seen: Vec<usize> = Vec::new();
    let mut stack: Vec<(usize, String, String)> = Vec::new();
    // Per item: its line (if it printed an amount), its depth, and its ancestors' indices.
    let mut at: Vec<Option<usize>> = Vec::new();
    let mut depth_of: Vec<usize> = Vec::new();
    for it in items {
        let rank = numbering_rank(&it.code).unwrap_or(4);
        if !ranks_seen.contains(&rank) {
            ranks_seen.push(rank);
            ranks_seen.sort_unstable();
        }
        let depth = ranks_seen.iter().position(|&x| x == rank).unwrap_or(0);
        stack.truncate(depth);
        while stack.len() < depth {
            // A level the section skips keeps the path length of the table's.
            stack.push((0, String::new(), String::new()));
        }
        stack.push((depth, it.code.clone(), it.name.clone()));
        depth_of.push(depth);
        let path: Vec<(String, String)> = stack
            .iter()
            .filter(|(_, _, n)| !n.is_empty())
            .map(|(_, c, n)| (c.clone(), n.clone()))
            .collect();
        let make =
            |shown: &str, yen: Option<i64>, p: &ParsedAmount, name_path: &[(String, String)]| {
                let mut l = ctx.line(family);
                l.fiscal_year = year;
                l.phase = phase;
                l.path = name_path.iter().map(|(_, n)| n.clone()).collect();
                l.path_codes = name_path.iter().map(|(c, _)| c.clone()).collect();
                l.code = name_path
                    .last()
                    .map(|(c, _)| c.clone())
                    .filter(|c| !c.is_empty());
                l.label_text = it.printed.clone();
                l.level = ["区分", "事業", "細事業", "項目", "項目"][depth.min(4)].to_string();
                l.measure = "budget".to_string();
                l.measure_label = section.to_string();
                l.amount_yen = yen;
                l.amount_text = shown.to_string();
                l.unit = p.unit.label().to_string();
                l.page = it.row.page.map(|p| p as i32);
                l.sheet = it.row.sheet.clone();
                l.row = it.row.line;
                l.marks = it.marks.clone();
                l
            };
        at.push(it.amount.as_ref().map(|(shown, yen, p)| {
            lines.push(make(shown, *yen, p, &path));
            lines.len() - 1
        }));
        if let Some((name, shown, yen, p)) = &it.reference {
            let mut rp = path.clone();
            rp.push((String::new(), name.clone()));
            let mut l = make(shown, Some(*yen), p, &rp);
            l.level = "参考".to_string();
            l.label_text = it.printed.clone();
            lines.push(l);
        }
    }
    // Σ children = parent, where every child prints an amount (or none).
    for (i, _) in items.iter().enumerate() {
        let Some(parent) = at[i] else { continue };
        let d = depth_of[i];
        let kids: Vec<usize> = (i + 1..items.len())
            .take_while(|&j| depth_of[j] > d)
            .filter(|&j| depth_of[j] == d + 1)
            .collect();
        if kids.is_empty() || kids.iter().any(|&j| at[j].is_none()) {
            continue;
        }
        let parts: Vec<usize> = kids.iter().filter_map(|&j| at[j]).collect();
        checks::sum(lines, Some(parent), &parts, "children", (0, 0), tally);
    }
    // Against the 予算の概要 row with the same numbering path and year.
    for &li in at.iter().flatten() {
        let codes = lines[li].path_codes.clone();
        let found = lines[..table_count].iter().position(|t| {
            t.path_codes == codes && t.fiscal_year == year && !t.is_total && t.level != "参考"
        });
        if let Some(t) = found {
            let what = format!("{section} = 予算の概要 {}", lines[t].label_text);
            checks::agree(lines, li, t, &what, tally);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(t: &str) -> Row {
        Row {
            cells: vec![t.into()],
            text: t.into(),
            ..Default::default()
        }
    }

    #[test]
    fn section_rows() {
        let (it, next) = read_item(&row("I 企業経営に対する支援 1, 379, 383千円"), None).unwrap();
        assert!(!next);
        assert_eq!(it.code, "I");
        assert_eq!(it.name, "企業経営に対する支援");
        assert_eq!(it.amount.as_ref().unwrap().1, Some(1_379_383_000));
        let (it, next) = read_item(
            &row("(2) 総合相談（ワンストップ相談・下請取引に関する相談）の実施"),
            Some(&row("25, 923千円")),
        )
        .unwrap();
        assert!(next);
        assert_eq!(it.amount.unwrap().1, Some(25_923_000));
        let (it, _) = read_item(&row("一部新ア 経営総合相談 25, 778千円"), None).unwrap();
        assert_eq!(it.code, "ア");
        assert_eq!(it.marks, vec!["一部新"]);
        let (it, _) = read_item(
            &row("④イ ビジネスマネジメントモデル転換推進支援 8,580千円"),
            None,
        )
        .unwrap();
        assert_eq!(it.code, "イ");
        let (it, _) = read_item(&row("(新)エ 食品・酒類他販路開拓支援** 一"), None).unwrap();
        assert_eq!(it.name, "食品・酒類他販路開拓支援");
        assert_eq!(it.amount.unwrap().1, None);
        let (it, _) = read_item(&row("ア 設備貸与事業 (貸与予定額 400,000千円)"), None).unwrap();
        assert!(it.amount.is_none());
        assert_eq!(it.reference.unwrap().2, 400_000_000);
        assert!(read_item(&row("(出展予定展示会)"), None).is_none());
    }
}
