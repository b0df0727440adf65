//! The normaliser chain for names (款項目節 names, project names, 説明 lines).
//!
//! The chain is declared once, in order, in [`LABEL_CHAIN`]:
//!
//! 1. `fold_width` ([`crate::width::fold_width`]): full-width ASCII (U+FF01–U+FF5E) to ASCII, U+3000
//!    to a space, half-width katakana to full-width with dakuten composed.
//! 2. `collapse_spaces` ([`crate::space::collapse_spaces`]): whitespace runs to one space, trimmed.
//! 3. `join_wrapped` ([`crate::space::join_wrapped`]): removes the spaces that line wraps leave
//!    in names, keeping those next to a Latin letter or a digit. It runs after `fold_width`, so a
//!    full-width `Ｔ` or `４` has become ASCII and keeps its space.
//!
//! Characters outside those rules (`①`, `㈱`, `Ⅱ`, `〇`, `△`, kanji, kana) pass through unchanged.
//! The chain is idempotent: `normalize_label(normalize_label(s)) == normalize_label(s)`.

use crate::space::{collapse_spaces, join_wrapped};
use crate::width::fold_width;

/// One step of a chain: a pure function from text to text.
pub type Normalizer = fn(&str) -> String;

fn fold_width_owned(s: &str) -> String {
    fold_width(s).into_owned()
}

/// The label chain, in the order it is applied, each step with its name.
pub const LABEL_CHAIN: &[(&str, Normalizer)] = &[
    ("fold_width", fold_width_owned),
    ("collapse_spaces", collapse_spaces),
    ("join_wrapped", join_wrapped),
];

/// Applies the steps of `chain` to `s`, first to last.
pub fn apply_chain(chain: &[(&str, Normalizer)], s: &str) -> String {
    chain
        .iter()
        .fold(s.to_owned(), |text, (_, step)| step(&text))
}

/// Normalises a name with [`LABEL_CHAIN`].
pub fn normalize_label(s: &str) -> String {
    apply_chain(LABEL_CHAIN, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn chain_order_is_declared() {
        let names: Vec<&str> = LABEL_CHAIN.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["fold_width", "collapse_spaces", "join_wrapped"]);
    }

    /// Each step on its own, fed with the previous step's output.
    #[test]
    fn each_step_in_order() {
        let input = "\u{3000}（１）プラットフォー　ム推進事業  ｶﾞｲﾄﾞ ";
        let expected = [
            " (1)プラットフォー ム推進事業  ガイド ",
            "(1)プラットフォー ム推進事業 ガイド",
            "(1)プラットフォーム推進事業ガイド",
        ];
        let mut text = input.to_owned();
        for ((name, step), want) in LABEL_CHAIN.iter().zip(expected) {
            text = step(&text);
            assert_eq!(text, want, "after step {name}");
        }
        assert_eq!(normalize_label(input), expected[2]);
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("市史編さん 費", "市史編さん費"),
            ("使用料及び賃 借料", "使用料及び賃借料"),
            ("  議員報酬\u{3000}", "議員報酬"),
            ("中小企業ＩＴ・ＩｏＴ 導入", "中小企業IT・IoT 導入"),
            ("①中小企業への基礎的支援", "①中小企業への基礎的支援"),
            ("㈱ 横浜", "㈱横浜"),
            ("戸籍住民基本\n台帳費委託金", "戸籍住民基本台帳費委託金"),
            ("補償、補 及 び賠償金", "補償、補及び賠償金"),
            (
                "保険基盤安定負担金 （国民健康保険）",
                "保険基盤安定負担金(国民健康保険)",
            ),
            ("(1) 目的", "(1)目的"),
            ("令和 ４ 年度", "令和 4 年度"),
            ("(一般財源計）", "(一般財源計)"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_label(input), *want, "input {input:?}");
        }
    }

    /// The same steps in another order give another result: the declared order is the one applied.
    #[test]
    fn order_matters() {
        let reversed: Vec<(&str, Normalizer)> = LABEL_CHAIN.iter().rev().copied().collect();
        // Folding first turns `Ｔ` into an ASCII letter, which keeps the space after it.
        assert_eq!(apply_chain(LABEL_CHAIN, "ＩｏＴ 導入"), "IoT 導入");
        assert_eq!(apply_chain(&reversed, "ＩｏＴ 導入"), "IoT導入");
        assert_eq!(normalize_label("ＩｏＴ 導入"), "IoT 導入");
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            let once = normalize_label(&s);
            prop_assert_eq!(normalize_label(&once), once);
        }

        #[test]
        fn idempotent_on_japanese(s in "[ 　\t（）()ｱ-ﾝﾞﾟ０-９a-zA-Z0-9ア-ン費事業①㈱、・]{0,40}") {
            let once = normalize_label(&s);
            prop_assert_eq!(normalize_label(&once), once);
        }
    }
}
