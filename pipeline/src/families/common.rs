//! Small readers shared by the families: amounts at the end of a line, numbering styles, total
//! lines, units in captions.

use yosan_extractors::{Document, Grid, TextLine};
use yosan_normalize::amount::{parse_amount, AmountValue, Unit};
use yosan_normalize::label::normalize_label;
use yosan_normalize::width::fold_width;

/// Marks printed in flag columns (新規・拡充 ○), never amounts.
pub fn is_mark(token: &str) -> bool {
    matches!(token, "○" | "〇" | "◯" | "●" | "◎" | "✓" | "レ")
}

/// True for a sign printed apart from its number (`△ 12,426`).
fn is_sign(token: &str) -> bool {
    matches!(token, "△" | "▲" | "-" | "−" | "－")
}

/// True when `token` reads as an amount (digits with separators, a none mark, a signed number).
pub fn is_amount_token(token: &str) -> bool {
    let folded = fold_width(token);
    let t = folded.trim();
    if t.is_empty() {
        return false;
    }
    // Bare none marks count only where a table has them: they are handled as amounts by callers
    // that know the column; here a lone dash is an amount token.
    matches!(
        parse_amount(t, Unit::Yen).map(|p| p.value),
        Ok(AmountValue::Yen(_)) | Ok(AmountValue::NoneMark)
    )
}

/// A line split into its label and the amounts printed at its end, read right to left: names are
/// left-aligned and amounts right-aligned, so the run of amounts at the end of a line is the
/// robust part even when a long name spills into the amount columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SplitLine {
    pub label: String,
    pub amounts: Vec<String>,
    pub marks: Vec<String>,
}

pub fn split_trailing_amounts(text: &str) -> SplitLine {
    let mut tokens: Vec<&str> = text.split_whitespace().collect();
    // A mark set in the next cell can touch the last figure when a form is printed to PDF
    // (`8,612○`): split it off.
    let mut glued_mark = None;
    if let Some(last) = tokens.last().copied() {
        if !is_mark(last) && !is_amount_token(last) {
            if let Some((i, ch)) = last.char_indices().last() {
                let (figure, mark) = last.split_at(i);
                if is_mark(&ch.to_string()) && is_amount_token(figure) {
                    tokens.pop();
                    tokens.push(figure);
                    glued_mark = Some(mark);
                }
            }
        }
    }
    if let Some(m) = glued_mark {
        tokens.push(m);
    }
    let mut end = tokens.len();
    let mut marks = Vec::new();
    while end > 0 && is_mark(tokens[end - 1]) {
        marks.push(tokens[end - 1].to_string());
        end -= 1;
    }
    marks.reverse();
    let mut amounts = Vec::new();
    while end > 0 {
        let t = tokens[end - 1];
        if !is_amount_token(t) {
            break;
        }
        // Join a sign printed apart: `△ 12,426`.
        if end >= 2 && is_sign(tokens[end - 2]) && !is_sign(t) {
            amounts.push(format!("{}{}", tokens[end - 2], t));
            end -= 2;
        } else {
            amounts.push(t.to_string());
            end -= 1;
        }
    }
    amounts.reverse();
    SplitLine {
        label: tokens[..end].join(" "),
        amounts,
        marks,
    }
}

/// The nesting rank of a numbering style: I/Ⅰ (0) > 1 (1) > (1) (2) > ア (3) > ① (4).
pub fn numbering_rank(code: &str) -> Option<usize> {
    let c = fold_width(code);
    let c = c.trim();
    if c.is_empty() {
        return None;
    }
    let first = c.chars().next()?;
    if c.chars().all(|ch| matches!(ch, 'I' | 'V' | 'X'))
        || ('\u{2160}'..='\u{216F}').contains(&first)
    {
        return Some(0);
    }
    if c.chars().all(|ch| ch.is_ascii_digit()) {
        return Some(1);
    }
    if c.starts_with('(') {
        return Some(2);
    }
    if ('\u{30A2}'..='\u{30F3}').contains(&first) {
        return Some(3);
    }
    if ('\u{2460}'..='\u{24FF}').contains(&first) || ('\u{3251}'..='\u{32BF}').contains(&first) {
        return Some(4);
    }
    None
}

/// True when a row's name says it is a printed total (計, 合計, 総計, 合 計 A).
pub fn is_total_name(name: &str) -> bool {
    let compact: String = fold_width(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    ["計", "合計", "総計", "総合計", "合計A", "計A"].contains(&compact.as_str())
        || compact.starts_with("合計")
        || compact == "細事業合計"
}

/// The unit a caption states (`（単位：千円）`), searched in `text`.
pub fn unit_in(text: &str) -> Option<Unit> {
    Unit::from_caption(&fold_width(text))
}

/// Every text line of the document with its 1-based page number.
pub fn lines(doc: &Document) -> impl Iterator<Item = (u32, &TextLine)> {
    doc.pages
        .iter()
        .flat_map(|p| p.lines.iter().map(move |l| (p.number, l)))
}

/// The unit stated nearest above a grid that came from text (by line number), else anywhere on
/// the lines of the same page above it.
pub fn unit_above_grid(doc: &Document, grid: &Grid) -> Option<Unit> {
    let first_line = *grid.row_lines.first()? as f32;
    let mut best = None;
    for (page, line) in lines(doc) {
        if grid.page.is_some_and(|p| p != page) {
            continue;
        }
        // Text pages carry the 0-based line index in y.
        if line.bbox.y0 + 1.0 >= first_line {
            break;
        }
        if let Some(u) = unit_in(&line.text) {
            best = Some(u);
        }
    }
    best
}

/// A cell's text as a label: width folded, spaces collapsed, wraps joined.
pub fn label(text: &str) -> String {
    normalize_label(text)
}

/// The label with all white space removed, for comparing headers.
pub fn compact(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_mark_touching_the_last_figure_is_split_off() {
        let s = split_trailing_amounts("1中小企業 379,682 217,529 40,628 8,612○");
        assert_eq!(s.amounts, vec!["379,682", "217,529", "40,628", "8,612"]);
        assert_eq!(s.marks, vec!["○"]);
        assert_eq!(s.label, "1中小企業");
        let s = split_trailing_amounts("事業名○");
        assert!(s.amounts.is_empty());
    }

    use super::*;

    #[test]
    fn trailing_amounts_with_separated_signs_and_marks() {
        let s = split_trailing_amounts(
            "1 中小製造業成長力強化事業 142,817 110,408 155,243 130,443 △ 12,426 △ 20,035 ○",
        );
        assert_eq!(s.label, "1 中小製造業成長力強化事業");
        assert_eq!(
            s.amounts,
            vec![
                "142,817",
                "110,408",
                "155,243",
                "130,443",
                "△12,426",
                "△20,035"
            ]
        );
        assert_eq!(s.marks, vec!["○"]);
    }

    #[test]
    fn a_name_ending_in_digits_keeps_them_when_amounts_follow() {
        let s = split_trailing_amounts(
            "4 ＬＩＮＫＡＩ横浜金沢活性化推進事業 3,000 3,000 3,000 3,000 0 0 ○",
        );
        assert_eq!(s.amounts.len(), 6);
        assert_eq!(s.label, "4 ＬＩＮＫＡＩ横浜金沢活性化推進事業");
    }

    #[test]
    fn numbering_ranks() {
        assert_eq!(numbering_rank("III"), Some(0));
        assert_eq!(numbering_rank("Ⅱ"), Some(0));
        assert_eq!(numbering_rank("12"), Some(1));
        assert_eq!(numbering_rank("(3)"), Some(2));
        assert_eq!(numbering_rank("（３）"), Some(2));
        assert_eq!(numbering_rank("ア"), Some(3));
        assert_eq!(numbering_rank("①"), Some(4));
        assert_eq!(numbering_rank("x"), None);
    }

    #[test]
    fn totals() {
        assert!(is_total_name("計"));
        assert!(is_total_name("合 計 A"));
        assert!(!is_total_name("計画"));
    }
}
