//! Budget figures stated in sentences: slides and explanatory material (説明資料) that name a
//! project and its budget in prose, each with its year.
//!
//! Three statements are read, one line each:
//! - a numbered project with this year's amount and last year's in brackets:
//!   `ア.創業・スタートアップ成長推進事業 8,824万円 （令和３年度 9,894万円）`;
//! - a numbered total with a year before every amount:
//!   `（１）総予算額 令和4年度３億265万円 （令和３年度 ３億3,300万円）`;
//! - a `予算` statement with bracketed years after a project named in 「」 on the same or the
//!   previous line: `予算：【令和３年度】2,100万円 【令和4年度】2,100万円`,
//!   `【令和5年度、6年度予定】3,696万円/年` (one figure per year for each year named).
//!
//! Amounts need their unit (`万円`, `億円` ...). An amount printed without a year is the
//! document's year. Years after the document's are `forecast`, the others `initial` budgets.
//! Figures of other kinds in the same sentences (`投資額 120億円`, `助成額100万円`) are not
//! budget statements and are left alone. Every line is `confidence = low`: what an amount measures
//! is inferred from the sentence.
//!
//! Recognised, when no other family does, by at least one such statement.

use super::common::compact;
use super::rows::streams;
use super::{Family, FamilyOutput};
use crate::context::DocContext;
use crate::model::{Phase, Provenance};
use yosan_extractors::{Diagnostic, Document};
use yosan_normalize::amount::{find_amounts, AmountValue, ParsedAmount};
use yosan_normalize::era::{era_of_year, find_fiscal_years, Era};
use yosan_normalize::label::normalize_label;
use yosan_normalize::numbering::split_numbering;
use yosan_normalize::width::fold_width;

pub struct ProseBudget;

pub const ID: &str = "prose_budget";

impl Family for ProseBudget {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "budget statements in sentences: a numbered project with an amount and last year's in brackets (`ア.… 8,824万円 （令和３年度 9,894万円）`), `総予算額 令和4年度…`, `予算：【令和４年度】…` (slides, 説明資料)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        streams(doc).iter().any(|s| {
            s.rows
                .iter()
                .any(|r| !statements(&r.text, None, 2000, Era::Reiwa).is_empty())
        })
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        for stream in streams(doc) {
            // The document's year: declared, else the year of the first statement that dates its
            // own first amount (`総予算額 令和4年度…`), else the detected one. Prose is full of
            // calendar dates (`平成31年1月に宣言`) that say nothing of the budget year.
            let era = ctx
                .fiscal_year
                .map_or(Era::Reiwa, |y| era_of_year(y as i32));
            let stated = stream.rows.iter().find_map(|r| {
                statements(&r.text, None, 0, era)
                    .into_iter()
                    .find_map(|s| s.amounts.first().and_then(|a| a.years.first().copied()))
            });
            let doc_year = match (ctx.fiscal_year_source, ctx.fiscal_year, stated) {
                (Provenance::Declared, Some(y), _) => Some(y),
                (_, detected, Some(y)) => {
                    if let Some(d) = detected.filter(|d| *d != y) {
                        out.diagnostics.push(Diagnostic::warning(
                            "prose.fiscal_year_from_statements",
                            format!(
                                "the budget statements date this document FY{y} (their first dated amount); the year detected from its opening text, FY{d}, is not used for its lines: declare fiscal_year to settle it"
                            ),
                        ));
                    }
                    Some(y)
                }
                (_, detected, None) => detected,
            };
            let Some(doc_year) = doc_year else {
                out.diagnostics.push(Diagnostic::error(
                    "family.fiscal_year_unknown",
                    "no fiscal year declared or stated for the budget statements",
                ));
                continue;
            };
            let mut previous: Option<&str> = None;
            for row in &stream.rows {
                for s in statements(&row.text, previous, doc_year, era) {
                    for a in &s.amounts {
                        let years = if a.years.is_empty() {
                            vec![doc_year]
                        } else {
                            a.years.clone()
                        };
                        for y in years {
                            let mut l = ctx.line(ID);
                            l.document_fiscal_year = doc_year;
                            l.fiscal_year = y;
                            l.phase = if y > doc_year {
                                Phase::Forecast
                            } else {
                                Phase::Initial
                            };
                            l.path = vec![s.name.clone()];
                            l.path_codes = vec![s.code.clone().unwrap_or_default()];
                            l.code = s.code.clone();
                            l.label_text = s.printed.clone();
                            l.level = if s.total { "合計" } else { "事業" }.to_string();
                            l.is_total = s.total;
                            l.measure = "budget".to_string();
                            l.measure_label = a.label.clone();
                            l.amount_yen = a.parsed.yen();
                            l.amount_text = a.text.clone();
                            l.unit = a.parsed.unit.label().to_string();
                            l.confidence = "low".to_string();
                            l.page = row.page.map(|p| p as i32);
                            l.sheet = row.sheet.clone();
                            l.row = row.line;
                            if a.years.len() > 1 {
                                l.note = Some(format!(
                                    "one figure printed for {} years ({})",
                                    a.years.len(),
                                    a.label
                                ));
                            }
                            out.lines.push(l);
                        }
                    }
                }
                previous = Some(&row.text);
            }
        }
        if out.lines.is_empty() {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "no budget statement with a project and a dated amount was found",
            ));
        }
        out
    }
}

/// One budget statement of a line.
#[derive(Debug, Clone, PartialEq)]
struct Statement {
    code: Option<String>,
    name: String,
    printed: String,
    total: bool,
    amounts: Vec<Stated>,
}

#[derive(Debug, Clone, PartialEq)]
struct Stated {
    text: String,
    parsed: ParsedAmount,
    /// The years the text names for the amount; empty for the document's year.
    years: Vec<i64>,
    /// The words that say which year it is, as printed (`令和３年度`), or `予算额`.
    label: String,
}

fn money(text: &str) -> Vec<(std::ops::Range<usize>, ParsedAmount)> {
    find_amounts(text)
        .into_iter()
        .filter(|(_, p)| matches!(p.value, AmountValue::Yen(_)))
        .collect()
}

/// The fiscal years named right before byte `at` (after the previous amount), with their text.
fn years_before(text: &str, from: usize, at: usize, era: Era) -> (Vec<i64>, String) {
    let window = &text[from..at];
    let found = find_fiscal_years(window, Some(era));
    let years: Vec<i64> = found.iter().map(|(_, y)| i64::from(*y)).collect();
    let label = match (found.first(), found.last()) {
        (Some((a, _)), Some((b, _))) => window[a.start..b.end].to_string(),
        _ => String::new(),
    };
    (years, label)
}

/// The budget statements of one line. `previous` is the line before (a project named in 「」 there
/// may own this line's `予算：` statement).
fn statements(line: &str, previous: Option<&str>, doc_year: i64, era: Era) -> Vec<Statement> {
    let text = fold_width(line).into_owned();
    let text = text.trim();
    let found = money(text);
    if found.is_empty() {
        return Vec::new();
    }
    // `予算：【令和３年度】1億3,300万円 【令和4年度】2,100万円`
    if let Some(at) = text.find("予算") {
        let rest = &text[at..];
        if rest
            .trim_start_matches("予算")
            .trim_start_matches([':', '：'])
            .trim_start()
            .starts_with('【')
        {
            let name = quoted_name(&text[..at])
                .or_else(|| previous.and_then(|p| quoted_name(&fold_width(p))));
            let Some(name) = name else { return Vec::new() };
            let mut amounts = Vec::new();
            let mut from = at;
            for (r, p) in &found {
                if r.start < at {
                    continue;
                }
                let (years, label) = years_before(text, from, r.start, era);
                if years.is_empty() {
                    from = r.end;
                    continue;
                }
                let end = if text[r.end..].starts_with("/年") {
                    r.end + "/年".len()
                } else {
                    r.end
                };
                amounts.push(Stated {
                    text: text[r.start..end].trim().to_string(),
                    parsed: *p,
                    years,
                    label,
                });
                from = end;
            }
            if amounts.is_empty() {
                return Vec::new();
            }
            return vec![Statement {
                code: None,
                name,
                printed: text.to_string(),
                total: false,
                amounts,
            }];
        }
    }
    // A numbered name, then amounts: `ア.創業… 8,824万円 （令和３年度 9,894万円）`,
    // `（１）総予算額 令和4年度３億265万円 （令和３年度 ３億3,300万円）`.
    let (Some(code), rest) = split_numbering(text) else {
        return Vec::new();
    };
    // The name ends where the first figure (or the era word before it) starts.
    let cut = rest
        .find(|ch: char| ch.is_ascii_digit())
        .map_or(rest.as_str(), |i| &rest[..i])
        .trim_end();
    let cut = ["令和", "平成"]
        .iter()
        .find_map(|e| cut.strip_suffix(e))
        .unwrap_or(cut);
    let name = normalize_label(cut.trim().trim_end_matches(['(', '（']).trim());
    let is_project = name.ends_with("事業") || name.ends_with("事業費");
    let total = name.contains("予算");
    if name.is_empty() || !(is_project || total) {
        return Vec::new();
    }
    // The amount after the name, and the one in the bracket that follows it.
    let mut amounts = Vec::new();
    let mut from = 0;
    for (i, (r, p)) in found.iter().take(2).enumerate() {
        if i == 1 && !text[from..r.start].contains(['(', '（']) {
            break;
        }
        let (years, label) = years_before(text, from, r.start, era);
        amounts.push(Stated {
            text: text[r.clone()].trim().to_string(),
            parsed: *p,
            label: if label.is_empty() {
                "予算額".to_string()
            } else {
                compact(&label)
            },
            years,
        });
        from = r.end;
    }
    let _ = doc_year;
    vec![Statement {
        code: Some(code),
        name,
        printed: text.to_string(),
        total,
        amounts,
    }]
}

/// The project named in the first 「…」 after a bullet `●` (brackets balanced):
/// `●「横浜から世界へ羽ばたく「新たなヘルスケアビジネスの創出」支援事業」」` → the name with its inner
/// quotes.
fn quoted_name(text: &str) -> Option<String> {
    let bullet = text.find('●')?;
    let after = &text[bullet..];
    let start = after.find('「')?;
    let mut depth = 0usize;
    let mut end = None;
    for (i, ch) in after[start..].char_indices() {
        match ch {
            '「' => depth += 1,
            '」' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = Some(start + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = &after[start + '「'.len_utf8()..end?];
    let name = normalize_label(inner);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_with_last_year_in_brackets() {
        let s = statements(
            "ア.創業・スタートアップ成長推進事業 8,824万円 （令和３年度 9,894万円）",
            None,
            2022,
            Era::Reiwa,
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "創業・スタートアップ成長推進事業");
        assert_eq!(s[0].code.as_deref(), Some("ア"));
        assert_eq!(s[0].amounts.len(), 2);
        assert_eq!(s[0].amounts[0].parsed.yen(), Some(88_240_000));
        assert!(s[0].amounts[0].years.is_empty());
        assert_eq!(s[0].amounts[1].parsed.yen(), Some(98_940_000));
        assert_eq!(s[0].amounts[1].years, vec![2021]);
    }

    #[test]
    fn total_with_years() {
        let s = statements(
            " （１）総予算額 令和4年度３億265万円 （令和３年度 ３億3,300万円）",
            None,
            2022,
            Era::Reiwa,
        );
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(s[0].total);
        assert_eq!(s[0].name, "総予算額");
        assert_eq!(s[0].amounts[0].years, vec![2022]);
        assert_eq!(s[0].amounts[0].parsed.yen(), Some(302_650_000));
        assert_eq!(s[0].amounts[1].years, vec![2021]);
        assert_eq!(s[0].amounts[1].parsed.yen(), Some(333_000_000));
    }

    #[test]
    fn budget_statements_with_bracketed_years() {
        let s = statements(
            "予算：【令和４年度】5,994万円 【令和5年度、6年度予定】5,994万円/年",
            Some("●「横浜版スタートアップ・エコシステム形成推進事業～withコロナに向けた～」"),
            2022,
            Era::Reiwa,
        );
        assert_eq!(s.len(), 1);
        assert!(s[0].name.starts_with("横浜版スタートアップ"));
        assert_eq!(s[0].amounts[0].years, vec![2022]);
        assert_eq!(s[0].amounts[1].years, vec![2023, 2024]);
        assert_eq!(s[0].amounts[1].text, "5,994万円/年");
    }

    #[test]
    fn other_figures_are_not_statements() {
        assert!(statements(
            "支援企業が受けた投資額 目標100億円 実績120.4億円、",
            None,
            2022,
            Era::Reiwa
        )
        .is_empty());
        assert!(statements(
            "■健康・医療分野の研究開発等に対するトライアル助成金（助成額100万円、助成率10/10）",
            None,
            2022,
            Era::Reiwa
        )
        .is_empty());
    }
}
