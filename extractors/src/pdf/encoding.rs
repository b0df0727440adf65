//! Simple-font encodings (`WinAnsiEncoding`, `MacRomanEncoding`, `StandardEncoding`, with
//! `/Differences`) and glyph names to Unicode (`uniXXXX`, `uXXXX[XX]`, Adobe names, ligature
//! names such as `f_f_i`, suffixes such as `a.sc`).

use super::cmap::UText;

mod tables;
use tables::{GLYPH_LIST, MAC_ROMAN, STANDARD, STANDARD_WIDTHS, WIN_ANSI};

/// A base encoding of a simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    /// The font's own (symbolic) encoding: codes have no standard meaning.
    Builtin,
}

impl BaseEncoding {
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// The Unicode character for `code`, if the encoding defines it.
    pub fn char_for(self, code: u8) -> Option<char> {
        let table = match self {
            BaseEncoding::Standard => &STANDARD,
            BaseEncoding::WinAnsi => &WIN_ANSI,
            BaseEncoding::MacRoman => &MAC_ROMAN,
            BaseEncoding::Builtin => return None,
        };
        match table[usize::from(code)] {
            0 => None,
            u => char::from_u32(u32::from(u)),
        }
    }
}

fn hex_units(s: &[u8]) -> Option<Vec<u32>> {
    if s.is_empty() || !s.len().is_multiple_of(4) {
        return None;
    }
    s.chunks(4)
        .map(|c| {
            let t = std::str::from_utf8(c).ok()?;
            u32::from_str_radix(t, 16).ok()
        })
        .collect()
}

fn single_name(name: &[u8]) -> Option<String> {
    if let Ok(i) = GLYPH_LIST.binary_search_by(|(n, _)| n.as_bytes().cmp(name)) {
        return char::from_u32(u32::from(GLYPH_LIST[i].1)).map(String::from);
    }
    if let Some(rest) = name.strip_prefix(b"uni") {
        let units = hex_units(rest)?;
        let s: Option<String> = units
            .into_iter()
            .map(|u| {
                if (0xd800..0xe000).contains(&u) {
                    None
                } else {
                    char::from_u32(u)
                }
            })
            .collect();
        return s;
    }
    if let Some(rest) = name.strip_prefix(b"u") {
        if (4..=6).contains(&rest.len()) && rest.iter().all(u8::is_ascii_hexdigit) {
            let v = u32::from_str_radix(std::str::from_utf8(rest).ok()?, 16).ok()?;
            if !(0xd800..0xe000).contains(&v) {
                return char::from_u32(v).map(String::from);
            }
        }
    }
    None
}

/// The Unicode text a glyph name stands for, following the Adobe Glyph List specification
/// (suffix after `.` dropped, `_` joins ligature components).
pub fn glyph_name_to_unicode(name: &[u8]) -> Option<UText> {
    if name.is_empty() || name == b".notdef" {
        return None;
    }
    let base = match name.iter().position(|&b| b == b'.') {
        Some(0) | None => name,
        Some(i) => &name[..i],
    };
    if let Some(s) = single_name(base) {
        return UText::from_string(s);
    }
    if base.contains(&b'_') {
        let mut out = String::new();
        for part in base.split(|&b| b == b'_') {
            out.push_str(&single_name(part)?);
        }
        return UText::from_string(out);
    }
    None
}

/// Widths of codes 32–126 for a standard font (or a common alias such as Arial or Times New
/// Roman), for simple fonts that carry no `/Widths`.
pub fn standard_widths(base_font: &str) -> Option<Vec<f64>> {
    let name = base_font.split('+').next_back().unwrap_or(base_font);
    let lower = name.to_ascii_lowercase().replace([' ', '-', ','], "");
    if lower.starts_with("courier") {
        return Some(vec![600.0; 95]);
    }
    let bold = lower.contains("bold");
    let italic = lower.contains("italic") || lower.contains("oblique");
    let family = if lower.starts_with("helvetica") || lower.starts_with("arial") {
        "Helvetica"
    } else if lower.starts_with("times") {
        "Times"
    } else {
        return None;
    };
    let full = match (family, bold, italic) {
        ("Helvetica", false, false) => "Helvetica",
        ("Helvetica", true, false) => "Helvetica-Bold",
        ("Helvetica", false, true) => "Helvetica-Oblique",
        ("Helvetica", true, true) => "Helvetica-BoldOblique",
        (_, false, false) => "Times-Roman",
        (_, true, false) => "Times-Bold",
        (_, false, true) => "Times-Italic",
        _ => "Times-BoldItalic",
    };
    STANDARD_WIDTHS
        .iter()
        .find(|(n, _)| *n == full)
        .map(|(_, w)| w.iter().map(|&x| f64::from(x)).collect())
}

/// The glyph index a name like `g12`, `G12`, `glyph12`, `gid12`, `cid12` or `index12` refers to.
pub fn glyph_name_index(name: &[u8]) -> Option<u16> {
    let digits = [
        &b"glyph"[..],
        &b"gid"[..],
        &b"cid"[..],
        &b"index"[..],
        &b"g"[..],
        &b"G"[..],
    ]
    .iter()
    .find_map(|p| name.strip_prefix(*p).filter(|r| !r.is_empty()))?;
    if !digits.iter().all(u8::is_ascii_digit) || digits.len() > 5 {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let t = |n: &str| {
            glyph_name_to_unicode(n.as_bytes()).map(|u| {
                let mut s = String::new();
                u.push_to(&mut s);
                s
            })
        };
        assert_eq!(t("A").as_deref(), Some("A"));
        assert_eq!(t("Euro").as_deref(), Some("€"));
        assert_eq!(t("fi").as_deref(), Some("\u{FB01}"));
        assert_eq!(t("uni3042").as_deref(), Some("あ"));
        assert_eq!(t("uni00660069").as_deref(), Some("fi"));
        assert_eq!(t("u2000B").as_deref(), Some("\u{2000B}"));
        assert_eq!(t("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(t("a.sc").as_deref(), Some("a"));
        assert_eq!(t("g12"), None);
        assert_eq!(glyph_name_index(b"g12"), Some(12));
        assert_eq!(glyph_name_index(b"glyph7"), Some(7));
        assert_eq!(glyph_name_index(b"gamma"), None);
    }

    #[test]
    fn base_encodings() {
        assert_eq!(BaseEncoding::WinAnsi.char_for(0x80), Some('€'));
        assert_eq!(BaseEncoding::MacRoman.char_for(0x80), Some('Ä'));
        assert_eq!(BaseEncoding::Standard.char_for(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::Standard.char_for(0xae), Some('\u{FB01}'));
        assert_eq!(BaseEncoding::Builtin.char_for(0x41), None);
        let w = standard_widths("ABCDEF+Arial,Bold").unwrap_or_default();
        assert_eq!((w[0], w[usize::from(b'W' - 32)]), (278.0, 944.0));
        assert_eq!(
            standard_widths("Courier-Oblique").map(|w| w[10]),
            Some(600.0)
        );
        assert_eq!(standard_widths("MS-Mincho"), None);
    }
}
