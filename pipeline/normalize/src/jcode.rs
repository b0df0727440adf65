//! Local government codes (全国地方公共団体コード).
//!
//! A code is five digits (two for the prefecture, three for the body) and a check digit. With
//! digits d1..d5: s = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5, r = s mod 11, check = (11 − r) mod 10.
//! Examples: 横浜市 141003, 神奈川県 140007, 富士市 222101, 相模原市 141500, 世田谷区 131121,
//! 北海道 010006, 札幌市 011002.
//!
//! Only the check digit is verified, not whether a body with that code exists, nor the prefecture
//! range. Full-width digits (U+FF10–U+FF19) are folded by [`normalize_code`] and [`is_valid`];
//! [`check_digit`] takes exactly five ASCII or full-width digits.
//!
//! Spreadsheets that store codes as numbers drop the leading zero of the Hokkaido–Yamagata codes
//! (011002 becomes 11002). [`normalize_code`] reads five digits as the five digits *before* a
//! check digit, so it cannot restore those; read numeric cells with [`from_integer`] instead.

use crate::width::fold_width;

fn digit_values(text: &str, len: usize) -> Option<Vec<u32>> {
    let folded = fold_width(text);
    let digits: Vec<u32> = folded
        .chars()
        .map(|c| c.to_digit(10).filter(|_| c.is_ascii()))
        .collect::<Option<_>>()?;
    (digits.len() == len).then_some(digits)
}

fn check_of(d: &[u32]) -> u8 {
    let s: u32 = d.iter().zip([6, 5, 4, 3, 2]).map(|(a, w)| a * w).sum();
    // (11 - r) is in 1..=11, so the result is a single digit.
    ((11 - s % 11) % 10) as u8
}

/// The check digit for the first five digits of a code, or `None` if `first5` is not exactly five
/// digits.
pub fn check_digit(first5: &str) -> Option<u8> {
    digit_values(first5, 5).map(|d| check_of(&d))
}

/// Whether `code6` is six digits whose last digit is the check digit of the first five.
pub fn is_valid(code6: &str) -> bool {
    match digit_values(code6, 6) {
        Some(d) => u32::from(check_of(&d[..5])) == d[5],
        None => false,
    }
}

/// A six-digit code from `text` (whitespace trimmed, full-width digits folded): six digits with a
/// valid check digit are returned as they are; five digits get their check digit appended.
/// Anything else is `None`.
pub fn normalize_code(text: &str) -> Option<String> {
    let folded = fold_width(text);
    let t = folded.trim();
    match t.len() {
        6 if is_valid(t) => Some(t.to_owned()),
        5 => check_digit(t).map(|c| format!("{t}{c}")),
        _ => None,
    }
}

/// A six-digit code from a number read out of a spreadsheet cell, restoring leading zeros
/// (11002 → `011002`). The number must be a whole six-digit code with a valid check digit.
pub fn from_integer(n: u64) -> Option<String> {
    if n > 999_999 {
        return None;
    }
    let code = format!("{n:06}");
    is_valid(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KNOWN: [(&str, &str); 7] = [
        ("横浜市", "141003"),
        ("神奈川県", "140007"),
        ("富士市", "222101"),
        ("相模原市", "141500"),
        ("世田谷区", "131121"),
        ("北海道", "010006"),
        ("札幌市", "011002"),
    ];

    #[test]
    fn known_codes() {
        for (name, code) in KNOWN {
            assert!(is_valid(code), "{name} {code}");
            let check = code.as_bytes()[5] - b'0';
            assert_eq!(check_digit(&code[..5]), Some(check), "{name}");
            assert_eq!(normalize_code(code).as_deref(), Some(code), "{name}");
            assert_eq!(normalize_code(&code[..5]).as_deref(), Some(code), "{name}");
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("１４１００３", Some("141003")),
            ("１４１００", Some("141003")),
            (" 222101 ", Some("222101")),
            ("22210", Some("222101")),
            ("141004", None),
            ("14100", Some("141003")),
            ("1410", None),
            ("1410033", None),
            ("14-100", None),
            ("a41003", None),
            ("", None),
            ("１４１００３ ", Some("141003")),
        ];
        for (text, want) in cases {
            assert_eq!(normalize_code(text).as_deref(), *want, "text {text:?}");
        }
    }

    #[test]
    fn check_digit_rejects() {
        for text in ["", "1234", "123456", "1234a", "12 34", "١٢٣٤٥"] {
            assert_eq!(check_digit(text), None, "{text:?}");
        }
        for text in ["14100", "141003 ", "14100a", "١٤١٠٠٣"] {
            assert!(!is_valid(text), "{text:?}");
        }
    }

    /// Remainders 0 and 1 give check digits 1 and 0.
    #[test]
    fn remainder_edges() {
        // 00000: s = 0, r = 0 → 11 mod 10 = 1.
        assert_eq!(check_digit("00000"), Some(1));
        // 00005: s = 10, r = 10 → 1.
        assert_eq!(check_digit("00005"), Some(1));
        // 00006: s = 12, r = 1 → 10 mod 10 = 0.
        assert_eq!(check_digit("00006"), Some(0));
    }

    #[test]
    fn integers() {
        assert_eq!(from_integer(11002).as_deref(), Some("011002"));
        assert_eq!(from_integer(10006).as_deref(), Some("010006"));
        assert_eq!(from_integer(141003).as_deref(), Some("141003"));
        assert_eq!(from_integer(141004), None);
        assert_eq!(from_integer(1_410_030), None);
    }

    proptest! {
        #[test]
        fn check_digit_makes_valid_codes(first5 in "[0-9]{5}") {
            let c = check_digit(&first5);
            prop_assert!(c.is_some_and(|c| c < 10));
            let code = format!("{first5}{}", c.unwrap_or(0));
            prop_assert!(is_valid(&code));
            prop_assert_eq!(normalize_code(&first5), Some(code.clone()));
            prop_assert_eq!(normalize_code(&code), Some(code));
        }

        #[test]
        fn one_wrong_last_digit_is_invalid(first5 in "[0-9]{5}", delta in 1u8..10) {
            let c = check_digit(&first5).unwrap_or(0);
            let wrong = format!("{first5}{}", (c + delta) % 10);
            prop_assert!(!is_valid(&wrong));
        }

        #[test]
        fn never_panics(s in any::<String>(), n in any::<u64>()) {
            let _ = check_digit(&s);
            let _ = is_valid(&s);
            let _ = normalize_code(&s);
            let _ = from_integer(n);
        }
    }
}
