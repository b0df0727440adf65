//! Whitespace: collapsing runs, and removing the spaces that line wraps leave inside names.
//!
//! Code points touched:
//!
//! - [`collapse_spaces`]: every character with the Unicode `White_Space` property
//!   ([`char::is_whitespace`]: ASCII space, tab, CR, LF, U+00A0, U+2000–U+200A, U+3000 ideographic
//!   space, …). A run of them becomes one U+0020; leading and trailing runs are removed.
//! - [`join_wrapped`]: removes a run of whitespace unless a letter or digit that is not CJK text
//!   (see [`keeps_space`]: ASCII letters and digits, other Latin, Greek, Cyrillic letters, Roman
//!   numeral symbols `Ⅱ`) stands on at least one side of it. So the run goes between two CJK
//!   characters (`市史編さん 費` → `市史編さん費`) and between CJK text and punctuation
//!   (`事業 (続き)` → `事業(続き)`, `(1) 目的` → `(1)目的`), and stays when a Latin letter or a digit
//!   is next to it (`IT・IoT 導入`, `令和 4 年度`, `5 款 1 項`, `△ 12,426` are unchanged). Leading and
//!   trailing runs are left alone (trimming is [`collapse_spaces`]'s job).
//!
//! Text extracted from PDFs shows a line wrap inside a table cell as a space: `市史編さん 費`,
//! `使用料及び賃 借料`, `プラットフォー ム推進事業`. Japanese names do not contain spaces between two
//! Japanese characters, so such a space is removed; a space next to Latin letters or digits may be a
//! real word boundary (`IT・IoT 導入`), so it is kept.

/// Whether `c` counts as CJK text (never keeps a space in [`join_wrapped`]): kanji (CJK unified ideographs U+3400–U+4DBF,
/// U+4E00–U+9FFF, U+20000–U+3FFFF, compatibility ideographs U+F900–U+FAFF, radicals U+2E80–U+2FDF),
/// hiragana and katakana (U+3040–U+30FF, U+31F0–U+31FF, half-width U+FF61–U+FF9F), CJK symbols and
/// punctuation U+3001–U+303F (`、` `。` `「` `」` `々` `〇` …, not the ideographic space U+3000),
/// enclosed and squared CJK U+3200–U+33FF (`㈱`, `㉑`, `㍻`), enclosed numbers U+2460–U+24FF (`①`, `⑴`),
/// vertical forms U+FE30–U+FE4F and full-width forms U+FF01–U+FF60, U+FFE0–U+FFEE.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2460..=0x24FF
        | 0x2E80..=0x2FDF
        | 0x3001..=0x303F
        | 0x3040..=0x30FF
        | 0x31C0..=0x31FF
        | 0x3200..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF01..=0xFF60
        | 0xFF61..=0xFF9F
        | 0xFFE0..=0xFFEE
        | 0x20000..=0x3FFFF)
}

/// Replaces every run of whitespace (including U+3000) by one ASCII space and trims both ends.
pub fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether a run of whitespace next to `c` is kept by [`join_wrapped`]: `c` is a letter or digit
/// ([`char::is_alphanumeric`]) and not CJK text ([`is_cjk`]).
pub fn keeps_space(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Removes each run of whitespace that has no [`keeps_space`] character on either side; keeps
/// leading and trailing runs and every other run unchanged.
pub fn join_wrapped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find(char::is_whitespace) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let run_len = after
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(after.len());
        let run = &after[..run_len];
        let next = after[run_len..].chars().next();
        let prev = out.chars().next_back();
        let remove = match (prev, next) {
            (Some(p), Some(n)) => !keeps_space(p) && !keeps_space(n),
            _ => false,
        };
        if !remove {
            out.push_str(run);
        }
        rest = &after[run_len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn collapse_table() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("   ", ""),
            ("a", "a"),
            ("  議員　　報酬 ", "議員 報酬"),
            ("4億   65万円", "4億 65万円"),
            ("a\t\r\nb", "a b"),
            ("\u{3000}ア\u{3000}工業\u{3000}", "ア 工業"),
            ("x\u{00A0}\u{2003}y", "x y"),
        ];
        for (input, want) in cases {
            assert_eq!(collapse_spaces(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn join_table() {
        let cases: &[(&str, &str)] = &[
            ("市史編さん 費", "市史編さん費"),
            ("使用料及び賃 借料", "使用料及び賃借料"),
            ("プラットフォー ム推進事業", "プラットフォーム推進事業"),
            ("補償、補 及 び賠償金", "補償、補及び賠償金"),
            ("戸籍住民基本 台帳費委託金", "戸籍住民基本台帳費委託金"),
            ("目 的", "目的"),
            ("目\u{3000}\u{3000}的", "目的"),
            ("社会福祉費委 託金", "社会福祉費委託金"),
            ("①　中小企業", "①中小企業"),
            ("㈱ 横浜", "㈱横浜"),
            (
                "保険基盤安定負担金 （国民健康保険）",
                "保険基盤安定負担金（国民健康保険）",
            ),
            // An ASCII letter or digit on either side keeps the space.
            ("IT・IoT 導入", "IT・IoT 導入"),
            ("中小企業 IT", "中小企業 IT"),
            ("令和 4 年度", "令和 4 年度"),
            ("5 款 1 項", "5 款 1 項"),
            ("△ 12,426", "△ 12,426"),
            ("Ⅱ 企業", "Ⅱ 企業"),
            ("α 線", "α 線"),
            // Punctuation and symbols next to CJK text do not keep it.
            ("(1) 目的", "(1)目的"),
            ("事業 (続き)", "事業(続き)"),
            ("( (", "(("),
            ("● 事業", "●事業"),
            // Ends are left alone.
            (" 目的 ", " 目的 "),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(join_wrapped(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn keeps_space_class() {
        for c in ['a', 'Z', '0', '9', 'é', 'α', 'Ⅱ'] {
            assert!(keeps_space(c), "{c:?}");
        }
        for c in ['費', 'ア', '①', '１', 'Ａ', '(', '・', '△', '-', '㈱'] {
            assert!(!keeps_space(c), "{c:?}");
        }
    }

    #[test]
    fn cjk_class() {
        for c in [
            '費', 'あ', 'ア', 'ー', '、', '々', '〇', '㈱', '①', '（', 'ｱ', '𠮷',
        ] {
            assert!(is_cjk(c), "{c:?}");
        }
        for c in ['a', '1', '(', ' ', '\u{3000}', 'Ⅱ', '△', '▲', '■'] {
            assert!(!is_cjk(c), "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn collapse_is_idempotent_and_clean(s in any::<String>()) {
            let once = collapse_spaces(&s);
            prop_assert_eq!(collapse_spaces(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
            prop_assert!(!once.contains("  "));
            prop_assert!(once.chars().all(|c| c == ' ' || !c.is_whitespace()));
        }

        #[test]
        fn join_is_idempotent(s in any::<String>()) {
            let once = join_wrapped(&s);
            prop_assert_eq!(join_wrapped(&once), once);
        }

        #[test]
        fn join_only_removes_whitespace(s in "[ 　a1費ア、(Ⅱ]{0,30}") {
            let joined = join_wrapped(&s);
            let strip = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(strip(&joined), strip(&s));
        }
    }
}
