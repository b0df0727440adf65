//! Width folding: full-width ASCII and half-width katakana to their ordinary forms.
//!
//! Code points touched, and nothing else:
//!
//! | input | output |
//! |---|---|
//! | U+FF01–U+FF5E (full-width `！`…`～`: digits `０`–`９`, letters, `，` `．` `－` `（` `）` `％` `／` `：` …) | U+0021–U+007E (same character, ASCII) |
//! | U+3000 ideographic space | U+0020 space |
//! | U+FF61–U+FF9F half-width katakana and punctuation (`｡` `｢` `｣` `､` `･` `ｦ`…`ﾝ` `ﾞ` `ﾟ`) | the full-width katakana / punctuation (`。` `「` `」` `、` `・` `ヲ`…`ン`) |
//! | a half-width kana followed by `ﾞ` (U+FF9E) or `ﾟ` (U+FF9F) | one composed kana: `ｶﾞ` → `ガ`, `ﾊﾟ` → `パ`, `ｳﾞ` → `ヴ`, `ﾜﾞ` → `ヷ`, `ｦﾞ` → `ヺ` |
//! | a `ﾞ` / `ﾟ` that cannot compose with the kana before it | the spacing marks `゛` (U+309B) / `゜` (U+309C) |
//!
//! Everything else is left as it is, in particular circled and parenthesised numbers (`①`, `⑴`),
//! enclosed ideographs (`㈱`), Roman numeral symbols (`Ⅱ`), `〇`, `△`, `▲`, `ー`, kanji and full-width
//! katakana. This is deliberately not NFKC: NFKC would turn `①` into `1` and `㈱` into `(株)`, which
//! changes the meaning of item lists and company names.
//!
//! The fold is idempotent: no output character is itself in a folded range.

use std::borrow::Cow;

/// Full-width katakana and punctuation for U+FF61..=U+FF9F, in order.
const HALF_KANA: [char; 63] = [
    '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ',
    'ッ', // FF61–FF6F
    'ー', 'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ',
    'ソ', // FF70–FF7F
    'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ',
    'マ', // FF80–FF8F
    'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ', 'ン', '゛',
    '゜', // FF90–FF9F
];

const HALF_DAKUTEN: char = '\u{FF9E}';
const HALF_HANDAKUTEN: char = '\u{FF9F}';

/// Whether `c` is changed by [`fold_width`].
pub fn is_foldable(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '\u{FF61}'..='\u{FF9F}')
}

/// Folds one character on its own. A half-width `ﾞ` / `ﾟ` becomes the spacing mark `゛` / `゜`:
/// only [`fold_width`], which sees the preceding kana, composes them. Characters outside the
/// folded ranges are returned unchanged.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FF61}'..='\u{FF9F}' => HALF_KANA[(c as u32 - 0xFF61) as usize],
        _ => c,
    }
}

/// The voiced (dakuten) form of a full-width katakana, if it has one.
fn voiced(base: char) -> Option<char> {
    let cp = base as u32;
    let composed = match base {
        'ウ' => 0x30F4,
        'ワ' => 0x30F7,
        'ヲ' => 0x30FA,
        // カ キ ク ケ コ サ シ ス セ ソ タ チ: voiced form is the next code point.
        'カ' | 'キ' | 'ク' | 'ケ' | 'コ' | 'サ' | 'シ' | 'ス' | 'セ' | 'ソ' | 'タ' | 'チ' => {
            cp + 1
        }
        'ツ' | 'テ' | 'ト' => cp + 1,
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => cp + 1,
        _ => return None,
    };
    char::from_u32(composed)
}

/// The semi-voiced (handakuten) form of a full-width katakana, if it has one.
fn semi_voiced(base: char) -> Option<char> {
    match base {
        'ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ' => char::from_u32(base as u32 + 2),
        _ => None,
    }
}

/// Folds full-width ASCII, the ideographic space and half-width katakana (see the module
/// documentation for the exact code points). Returns the input borrowed when nothing changes.
pub fn fold_width(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(is_foldable) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut chars = s[first..].chars().peekable();
    while let Some(c) = chars.next() {
        if ('\u{FF66}'..='\u{FF9D}').contains(&c) {
            let base = fold_char(c);
            let composed = match chars.peek() {
                Some(&HALF_DAKUTEN) => voiced(base),
                Some(&HALF_HANDAKUTEN) => semi_voiced(base),
                _ => None,
            };
            match composed {
                Some(k) => {
                    chars.next();
                    out.push(k);
                }
                None => out.push(base),
            }
        } else {
            out.push(fold_char(c));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("１０１，８００，０００千円", "101,800,000千円"),
            ("４２億５，０６２万円", "42億5,062万円"),
            ("（１）プラットフォーム", "(1)プラットフォーム"),
            ("－５", "-5"),
            ("１．５", "1.5"),
            ("９９．４％", "99.4%"),
            ("補助率：１／２", "補助率:1/2"),
            ("ＩＴ・ＩｏＴ導入", "IT・IoT導入"),
            ("（単位：千円）", "(単位:千円)"),
            ("ア　工業技術見本市", "ア 工業技術見本市"),
            ("！～", "!~"),
            ("ｶﾞｽ", "ガス"),
            ("ﾊﾟｿｺﾝ", "パソコン"),
            ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
            ("ﾎﾞﾗﾝﾃｨｱ", "ボランティア"),
            ("ﾋﾟｰｽ", "ピース"),
            ("ﾂﾞﾃﾞﾄﾞ", "ヅデド"),
            ("ﾜﾞｦﾞ", "ヷヺ"),
            ("ｱﾞ", "ア゛"),
            ("ｶﾟ", "カ゜"),
            ("ﾞﾟ", "゛゜"),
            ("｡｢｣､･", "。「」、・"),
            ("ｧｨｩｪｫｬｭｮｯｰ", "ァィゥェォャュョッー"),
            ("ｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉ", "サシスセソタチツテトナニヌネノ"),
            ("ﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ", "マミムメモヤユヨラリルレロワン"),
            ("ｻﾞｼﾞｽﾞｾﾞｿﾞ", "ザジズゼゾ"),
            ("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "バビブベボ"),
            ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
        ];
        for (input, want) in cases {
            assert_eq!(fold_width(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn leaves_meaningful_symbols_alone() {
        for s in [
            "①中小企業",
            "㈱横浜",
            "Ⅱ",
            "〇",
            "△",
            "▲",
            "ー",
            "市史編さん費",
            "⑴",
            "㊿",
            "￥",
            "｟｠",
        ] {
            assert!(
                matches!(fold_width(s), Cow::Borrowed(_)),
                "{s:?} was changed"
            );
            assert_eq!(fold_width(s), s);
        }
    }

    #[test]
    fn borrowed_when_unchanged_owned_otherwise() {
        assert!(matches!(fold_width("12,426千円"), Cow::Borrowed(_)));
        assert!(matches!(fold_width(""), Cow::Borrowed(_)));
        assert!(matches!(fold_width("１"), Cow::Owned(_)));
        assert!(matches!(fold_width("a\u{3000}b"), Cow::Owned(_)));
    }

    #[test]
    fn every_full_width_ascii_char_maps_to_ascii() {
        for cp in 0xFF01u32..=0xFF5E {
            let c = char::from_u32(cp).unwrap_or('x');
            let folded = fold_width(&c.to_string()).into_owned();
            assert_eq!(folded.len(), 1);
            assert_eq!(folded.as_bytes()[0] as u32, cp - 0xFEE0);
        }
    }

    #[test]
    fn every_half_width_kana_becomes_full_width() {
        for cp in 0xFF61u32..=0xFF9F {
            let c = char::from_u32(cp).unwrap_or('x');
            let folded = fold_width(&c.to_string()).into_owned();
            assert_eq!(folded.chars().count(), 1, "{c:?}");
            assert!(!folded.chars().any(is_foldable), "{c:?} -> {folded:?}");
        }
    }

    proptest! {
        #[test]
        fn idempotent(s in any::<String>()) {
            let once = fold_width(&s).into_owned();
            let twice = fold_width(&once);
            prop_assert!(matches!(twice, Cow::Borrowed(_)));
            prop_assert_eq!(twice, once.as_str());
        }

        #[test]
        fn idempotent_on_kana_and_full_width(s in "[\u{FF01}-\u{FF5E}\u{FF61}-\u{FF9F}\u{3000} a-zア-ン]{0,40}") {
            let once = fold_width(&s).into_owned();
            prop_assert_eq!(fold_width(&once), once.as_str());
            prop_assert!(!once.chars().any(is_foldable));
        }

        #[test]
        fn untouched_outside_ranges(s in any::<String>()) {
            let folded = fold_width(&s);
            if !s.chars().any(is_foldable) {
                prop_assert_eq!(folded, s.as_str());
            }
        }
    }
}
