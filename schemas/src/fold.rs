//! Folding of printed labels for dictionary look-ups.

/// Folds a printed label for comparison: removes all whitespace (including
/// the ideographic space U+3000) and maps full-width ASCII (U+FF01–U+FF5E,
/// e.g. `１`, `＋`, `（`, `Ａ`) to ASCII.
///
/// Nothing else changes: no NFKC, so `①`, `㈱` and half-width katakana keep
/// their meaning.
pub fn fold_label(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_char)
        .collect()
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::fold_label;

    #[test]
    fn removes_whitespace_and_folds_full_width_ascii() {
        assert_eq!(fold_label("本 年 度\u{3000}予算額"), "本年度予算額");
        assert_eq!(fold_label("一財＋市債"), "一財+市債");
        assert_eq!(fold_label("事業費（予算）"), "事業費(予算)");
        assert_eq!(
            fold_label("令和４年度 10月補正予算額 Ａ"),
            "令和4年度10月補正予算額A"
        );
        assert_eq!(fold_label("\t差引\n(増減)\u{a0}"), "差引(増減)");
    }

    #[test]
    fn leaves_other_characters_alone() {
        assert_eq!(fold_label("①㈱ｱ△"), "①㈱ｱ△");
        assert_eq!(fold_label("\u{FF5F}"), "\u{FF5F}");
    }
}
