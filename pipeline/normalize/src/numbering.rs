//! Leading item numbers: `１ 議員報酬`, `(1)神奈川県よろず支援拠点`, `I 企業経営に対する支援`,
//! `ア　工業技術見本市開催事業`, `①中小企業への基礎的支援`.
//!
//! Budget documents number items inside a 目 or a section, and the numbers change from year to
//! year, so the number is kept apart from the name. [`split_numbering`] returns the number as
//! printed after width folding (`（１）` → `(1)`, `Ⅱ` stays `Ⅱ`), and the rest normalised with
//! [`crate::label::normalize_label`].
//!
//! Forms recognised at the start of the text (after width folding and leading whitespace):
//!
//! | form | separator after it | number returned |
//! |---|---|---|
//! | 1–3 digits | whitespace, `.` (`．`) not followed by a digit, or `、` | the digits: `1` |
//! | 1–3 digits and `)` | optional whitespace | `1)` |
//! | `(` + digits, one Latin letter, one katakana of the iroha / aiueo order, or a Roman numeral + `)` (also `（…）`) | optional whitespace | with its brackets: `(1)`, `(ア)`, `(iv)` |
//! | enclosed numbers: circled `①`–`⑳` `㉑`–`㉟` `㊱`–`㊿`, `❶`–`❿` `➀`–`➓`, parenthesised `⑴`–`⒇` `㈠`–`㈩` | optional whitespace | the character: `①` |
//! | a Roman numeral symbol U+2160–U+216B `Ⅰ`–`Ⅻ` or U+2170–U+217B `ⅰ`–`ⅻ` | optional whitespace | the character: `Ⅱ` |
//! | a Roman numeral in ASCII capitals `I`…`XXXIX` (canonical form only) | whitespace, `.` or `、`, then a non-ASCII character | the letters: `II` |
//! | one katakana `ア`…`ン` (not small, not voiced) | whitespace or `.` | the kana: `ア` |
//!
//! Not numbering, left whole:
//!
//! - Digits without a separator: `3億円`, `5款`, `1項`, `3目`, `1節`, `3R推進事業`, `100周年記念`.
//!   The layouts this project reads print a space or a dot after an item number, while words and
//!   amounts that start with digits are common, so no separator means no item number.
//! - Digits whose rest starts with a digit (`1 2,000`, `1 3`), or that make an amount, count or
//!   unit with the rest (`3 億円`, `12 千円`, `5 人`), or whose rest is `款` `項` `目` `節` alone or
//!   followed by a digit (`5 款 1 項 3 目`: the 款項目 codes are read by callers). `１　目　的` is
//!   numbering: `目的`. Zero (`0`, `00`) is never an item number.
//! - Any number whose rest is an amount, count or other figure (`(194) (974)`, `① 3,000`): that is
//!   a row of data, not a numbered name.
//! - A ㈱-style enclosed ideograph other than `㈠`–`㈩`.
//!
//! The name is never cut to empty, except that a text that is only a number in digit, bracketed,
//! enclosed or Roman form (`1`, `(1)`, `①`, `Ⅱ`, `II`: a heading whose name is on the next line)
//! returns `(Some(number), "")`. A lone katakana (`ア`) is returned as a name, `(None, "ア")`.

use crate::amount::{parse_amount, Unit};
use crate::label::normalize_label;
use crate::width::fold_width;

/// Splits a leading item number off `s`. See the module documentation for the forms.
pub fn split_numbering(s: &str) -> (Option<String>, String) {
    let folded = fold_width(s);
    let t = folded.trim_start();
    let found = bracketed(t)
        .or_else(|| enclosed(t))
        .or_else(|| roman_symbol(t))
        .or_else(|| digits(t))
        .or_else(|| latin_roman(t))
        .or_else(|| iroha(t));
    match found {
        Some(Split {
            number,
            rest,
            alone_ok,
        }) => {
            let name = normalize_label(rest);
            // A number followed by an amount is data, not a numbered name: `(194) (974)`.
            let rest_is_amount = !name.is_empty() && parse_amount(rest, Unit::Yen).is_ok();
            if rest_is_amount {
                (None, normalize_label(s))
            } else if !name.is_empty() || (alone_ok && rest.trim().is_empty()) {
                (Some(number.to_owned()), name)
            } else {
                (None, normalize_label(s))
            }
        }
        None => (None, normalize_label(s)),
    }
}

struct Split<'a> {
    number: &'a str,
    rest: &'a str,
    /// Whether this number may stand alone with an empty name.
    alone_ok: bool,
}

fn split_at(t: &str, number_end: usize, rest_start: usize, alone_ok: bool) -> Split<'_> {
    Split {
        number: &t[..number_end],
        rest: &t[rest_start..],
        alone_ok,
    }
}

/// Katakana used as item numbers: the basic (not small, not voiced) kana ア–ン, with ヰ ヱ ヲ.
fn is_iroha(c: char) -> bool {
    matches!(
        c,
        'ア' | 'イ'
            | 'ウ'
            | 'エ'
            | 'オ'
            | 'カ'
            | 'キ'
            | 'ク'
            | 'ケ'
            | 'コ'
            | 'サ'
            | 'シ'
            | 'ス'
            | 'セ'
            | 'ソ'
            | 'タ'
            | 'チ'
            | 'ツ'
            | 'テ'
            | 'ト'
            | 'ナ'
            | 'ニ'
            | 'ヌ'
            | 'ネ'
            | 'ノ'
            | 'ハ'
            | 'ヒ'
            | 'フ'
            | 'ヘ'
            | 'ホ'
            | 'マ'
            | 'ミ'
            | 'ム'
            | 'メ'
            | 'モ'
            | 'ヤ'
            | 'ユ'
            | 'ヨ'
            | 'ラ'
            | 'リ'
            | 'ル'
            | 'レ'
            | 'ロ'
            | 'ワ'
            | 'ヰ'
            | 'ヱ'
            | 'ヲ'
            | 'ン'
    )
}

/// The value of a canonical Roman numeral from 1 to 39 written with `I`, `V`, `X` in one case.
fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 6 {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    if !(s == upper || s == s.to_ascii_lowercase()) {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        _ => None,
    };
    let digits: Vec<u32> = upper.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= d as i32;
        } else {
            total += d as i32;
        }
    }
    let total = u32::try_from(total).ok().filter(|v| (1..=39).contains(v))?;
    (to_roman(total) == upper).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    let mut out = String::new();
    for (v, sym) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= v {
            out.push_str(sym);
            n -= v;
        }
    }
    out
}

/// `(1)`, `(12)`, `(ア)`, `(a)`, `(iv)`, `(II)`: brackets are already width-folded.
fn bracketed(t: &str) -> Option<Split<'_>> {
    let inner_and_rest = t.strip_prefix('(')?;
    let close = inner_and_rest.find(')')?;
    let inner = inner_and_rest[..close].trim();
    let ok = match inner.chars().count() {
        0 => false,
        1 => inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || is_iroha(c)),
        2 | 3 => inner.bytes().all(|b| b.is_ascii_digit()) || roman_value(inner).is_some(),
        _ => roman_value(inner).is_some(),
    };
    if !ok {
        return None;
    }
    let number_end = 1 + close + 1;
    let rest = t[number_end..].trim_start();
    Some(split_at(t, number_end, t.len() - rest.len(), true))
}

fn is_enclosed_number(c: char) -> bool {
    matches!(c as u32,
        0x2460..=0x2473   // ① – ⑳
        | 0x2474..=0x2487 // ⑴ – ⒇
        | 0x2776..=0x2793 // ❶ – ❿, ➀ – ➉, ➊ – ➓
        | 0x3220..=0x3229 // ㈠ – ㈩
        | 0x3251..=0x325F // ㉑ – ㉟
        | 0x32B1..=0x32BF) // ㊱ – ㊿
}

fn is_roman_symbol(c: char) -> bool {
    matches!(c as u32, 0x2160..=0x216B | 0x2170..=0x217B)
}

/// One character that is a number by itself, followed by optional whitespace.
fn single_char_number(t: &str, accept: fn(char) -> bool) -> Option<Split<'_>> {
    let c = t.chars().next()?;
    if !accept(c) {
        return None;
    }
    let number_end = c.len_utf8();
    let after = &t[number_end..];
    if after.chars().next().is_some_and(accept) {
        return None;
    }
    let rest = after.trim_start();
    Some(split_at(t, number_end, t.len() - rest.len(), true))
}

fn enclosed(t: &str) -> Option<Split<'_>> {
    single_char_number(t, is_enclosed_number)
}

fn roman_symbol(t: &str) -> Option<Split<'_>> {
    single_char_number(t, is_roman_symbol)
}

/// `1 議員報酬`, `1.スタートアップ`, `1、総則`, `1)事業`.
fn digits(t: &str) -> Option<Split<'_>> {
    let n = t.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 3 || t[..n].bytes().all(|b| b == b'0') {
        return None;
    }
    let after = &t[n..];
    if after.is_empty() {
        return Some(split_at(t, n, n, true));
    }
    let (number_end, sep_len) = if after.starts_with(')') {
        (n + 1, 1)
    } else if let Some(after_dot) = after.strip_prefix('.') {
        if after_dot.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        (n, 1)
    } else if after.starts_with('、') {
        (n, '、'.len_utf8())
    } else if after.starts_with(char::is_whitespace) {
        (n, 0)
    } else {
        return None;
    };
    let rest = t[n + sep_len..].trim_start();
    if rest.starts_with(|c: char| c.is_ascii_digit()) || is_code_heading(rest) {
        return None;
    }
    if !rest.is_empty() && parse_amount(t, Unit::Yen).is_ok() {
        return None;
    }
    Some(split_at(t, number_end, t.len() - rest.len(), true))
}

/// `款`, `項`, `目` or `節` alone, or followed by (whitespace and) a digit: `5 款 1 項`.
fn is_code_heading(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some('款' | '項' | '目' | '節') => {
            let after = chars.as_str().trim_start();
            after.is_empty() || after.starts_with(|c: char| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// `I 企業経営に対する支援`, `II.`, `IV、`.
fn latin_roman(t: &str) -> Option<Split<'_>> {
    let n = t
        .bytes()
        .take_while(|b| matches!(b, b'I' | b'V' | b'X'))
        .count();
    roman_value(&t[..n])?;
    let after = &t[n..];
    if after.trim().is_empty() {
        return Some(split_at(t, n, t.len(), true));
    }
    let sep_len = if after.starts_with('.') {
        1
    } else if after.starts_with('、') {
        '、'.len_utf8()
    } else if after.starts_with(char::is_whitespace) {
        0
    } else {
        return None;
    };
    let rest = t[n + sep_len..].trim_start();
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii()) {
        return None;
    }
    Some(split_at(t, n, t.len() - rest.len(), true))
}

/// `ア　工業技術見本市開催事業`, `イ.受発注商談支援`.
fn iroha(t: &str) -> Option<Split<'_>> {
    let c = t.chars().next()?;
    if !is_iroha(c) {
        return None;
    }
    let n = c.len_utf8();
    let after = &t[n..];
    let sep_len = if after.starts_with('.') {
        1
    } else if after.starts_with(char::is_whitespace) {
        0
    } else {
        return None;
    };
    let rest = t[n + sep_len..].trim_start();
    Some(split_at(t, n, t.len() - rest.len(), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(x: &str) -> String {
        x.to_owned()
    }

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            // Digits with a separator.
            ("１ 議員報酬", Some("1"), "議員報酬"),
            ("1 報酬", Some("1"), "報酬"),
            (
                "１　中小企業設備投資等助成事",
                Some("1"),
                "中小企業設備投資等助成事",
            ),
            ("３ 中小企業IT・IoT導入", Some("3"), "中小企業IT・IoT導入"),
            ("12 需用費", Some("12"), "需用費"),
            (
                "１．スタートアップ支援・オープンイノベーションの推進",
                Some("1"),
                "スタートアップ支援・オープンイノベーションの推進",
            ),
            ("６．他自治体との連携", Some("6"), "他自治体との連携"),
            ("1、総則", Some("1"), "総則"),
            ("1)事業概要", Some("1)"), "事業概要"),
            (
                "1 戸籍住民基本 台帳費委託金",
                Some("1"),
                "戸籍住民基本台帳費委託金",
            ),
            ("1 社会福祉費委\n託金", Some("1"), "社会福祉費委託金"),
            ("１　目　的", Some("1"), "目的"),
            ("１ 目的 ", Some("1"), "目的"),
            // Bracketed.
            (
                "(1)神奈川県よろず支援拠点",
                Some("(1)"),
                "神奈川県よろず支援拠点",
            ),
            (
                "（１）プラットフォー ム推進事業",
                Some("(1)"),
                "プラットフォーム推進事業",
            ),
            ("(2) 予算額", Some("(2)"), "予算額"),
            ("(1) 目 的", Some("(1)"), "目的"),
            ("  (3) 事業内容", Some("(3)"), "事業内容"),
            ("(10)その他", Some("(10)"), "その他"),
            ("（ア）受発注", Some("(ア)"), "受発注"),
            ("(a) 補助", Some("(a)"), "補助"),
            ("(iv) 補助", Some("(iv)"), "補助"),
            ("(II) 補助", Some("(II)"), "補助"),
            // Roman numerals.
            ("I 企業経営に対する支援", Some("I"), "企業経営に対する支援"),
            ("II 創業支援", Some("II"), "創業支援"),
            ("III　販路開拓", Some("III"), "販路開拓"),
            ("IV.国際化", Some("IV"), "国際化"),
            ("Ⅰ 企業経営に対する支援", Some("Ⅰ"), "企業経営に対する支援"),
            ("Ⅱ企業経営", Some("Ⅱ"), "企業経営"),
            ("ⅲ 補足", Some("ⅲ"), "補足"),
            // Iroha katakana.
            (
                "ア　工業技術見本市開催事業",
                Some("ア"),
                "工業技術見本市開催事業",
            ),
            ("イ 受発注商談支援", Some("イ"), "受発注商談支援"),
            (
                "ウ　横浜産貿ホールの施設管理",
                Some("ウ"),
                "横浜産貿ホールの施設管理",
            ),
            ("エ．海外展開", Some("エ"), "海外展開"),
            ("ｱ 工業", Some("ア"), "工業"),
            // Enclosed numbers.
            (
                "①中小企業への基礎的支援",
                Some("①"),
                "中小企業への基礎的支援",
            ),
            (
                "④横浜のビジネス環境の発信",
                Some("④"),
                "横浜のビジネス環境の発信",
            ),
            (
                "⑤ 公民連携のコンソーシアム",
                Some("⑤"),
                "公民連携のコンソーシアム",
            ),
            ("㉑事業", Some("㉑"), "事業"),
            ("㊿事業", Some("㊿"), "事業"),
            ("⑴ 事業", Some("⑴"), "事業"),
            ("㈠総則", Some("㈠"), "総則"),
            // Alone: a heading whose name follows on the next line.
            ("1", Some("1"), ""),
            ("１", Some("1"), ""),
            ("(1)", Some("(1)"), ""),
            ("①", Some("①"), ""),
            ("Ⅱ", Some("Ⅱ"), ""),
            ("II", Some("II"), ""),
            ("III ", Some("III"), ""),
            // Not numbering.
            ("3億円", None, "3億円"),
            ("3 億円", None, "3 億円"),
            ("12 千円", None, "12 千円"),
            ("5 人", None, "5 人"),
            ("5款", None, "5款"),
            ("1項", None, "1項"),
            ("3目", None, "3目"),
            ("1節", None, "1節"),
            (
                "5 款 1 項 3 目 中期計画-３８の政策",
                None,
                "5 款 1 項 3 目中期計画-38の政策",
            ),
            ("3 目", None, "3 目"),
            ("3R推進事業", None, "3R推進事業"),
            ("100周年記念事業", None, "100周年記念事業"),
            ("2024 年度計画", None, "2024 年度計画"),
            ("1 3", None, "1 3"),
            ("(194) (974)", None, "(194)(974)"),
            ("① 3,000", None, "① 3,000"),
            ("(1) 32人", None, "(1) 32人"),
            ("(5) 3D技術支援", Some("(5)"), "3D技術支援"),
            ("0", None, "0"),
            ("0 事業", None, "0 事業"),
            ("1.5億円", None, "1.5億円"),
            ("5-1-3", None, "5-1-3"),
            ("IT・IoT導入", None, "IT・IoT導入"),
            ("I love", None, "I love"),
            ("V字回復", None, "V字回復"),
            ("IIII 事業", None, "IIII 事業"),
            ("ア", None, "ア"),
            ("アンケート調査", None, "アンケート調査"),
            ("ガ 事業", None, "ガ事業"),
            ("(株)横浜", None, "(株)横浜"),
            ("㈱横浜", None, "㈱横浜"),
            ("(仮称)新施設", None, "(仮称)新施設"),
            ("ⅡⅢ", None, "ⅡⅢ"),
            ("議員報酬", None, "議員報酬"),
            ("", None, ""),
            ("   ", None, ""),
        ];
        for (input, number, name) in cases {
            let want = (number.map(s), s(name));
            assert_eq!(split_numbering(input), want, "input {input:?}");
        }
    }

    #[test]
    fn roman() {
        for (text, v) in [
            ("I", 1),
            ("IV", 4),
            ("IX", 9),
            ("XIV", 14),
            ("XXXIX", 39),
            ("iv", 4),
        ] {
            assert_eq!(roman_value(text), Some(v), "{text}");
        }
        for text in ["", "IIII", "VV", "IC", "XXXX", "iV", "A", "VX", "IIV"] {
            assert_eq!(roman_value(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_name_is_normalised(t in any::<String>()) {
            let (number, name) = split_numbering(&t);
            prop_assert_eq!(normalize_label(&name), name.clone());
            if number.is_none() {
                prop_assert_eq!(name, normalize_label(&t));
            }
        }

        #[test]
        fn never_empties_a_name(t in "[ 　1-9１-９()（）①ⅡIVアイ.．、]{0,4}[費事業報酬]{1,4}") {
            let (_, name) = split_numbering(&t);
            prop_assert!(!name.is_empty());
        }

        #[test]
        fn splits_numbered_names(n in 1u32..=999, name in "[一-龥ぁ-んァ-ヶ]{1,12}") {
            let text = format!("{n} {name}");
            let got = split_numbering(&text);
            if !super::is_code_heading(&name) && parse_amount(&text, Unit::Yen).is_err() {
                prop_assert_eq!(got, (Some(n.to_string()), name));
            }
        }
    }
}
