//! CMaps: code-space ranges (how many bytes each character code takes), code → CID maps for
//! composite fonts, and ToUnicode maps (code → Unicode text).
//!
//! Codes are matched against the code-space ranges a whole code at a time, byte by byte as the
//! PDF specification requires (a two-byte range `<0000> <FFFF>` accepts `<0BE7>`), and ranges are
//! kept as ranges, never expanded, so a hostile `<00000000> <FFFFFFFF>` costs nothing.

use super::lexer::{Lexer, Operand};
use std::collections::HashMap;
use std::sync::Arc;

/// The Unicode text of one character code: usually one `char`, several for ligatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UText {
    One(char),
    Many(Arc<str>),
}

impl UText {
    /// Builds from UTF-16BE bytes (surrogate pairs joined); `None` when empty or invalid.
    pub fn from_utf16be(bytes: &[u8]) -> Option<UText> {
        if bytes.len() == 1 {
            return Some(UText::One(char::from(bytes[0])));
        }
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        Self::from_units(&units)
    }

    pub fn from_units(units: &[u16]) -> Option<UText> {
        let s: String = char::decode_utf16(units.iter().copied())
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
        Self::from_string(s)
    }

    pub fn from_string(s: String) -> Option<UText> {
        let mut it = s.chars();
        let first = it.next()?;
        if it.next().is_none() {
            Some(UText::One(first))
        } else {
            Some(UText::Many(Arc::from(s.as_str())))
        }
    }

    pub fn push_to(&self, out: &mut String) {
        match self {
            UText::One(c) => out.push(*c),
            UText::Many(s) => out.push_str(s),
        }
    }

    pub fn is_whitespace(&self) -> bool {
        match self {
            UText::One(c) => c.is_whitespace(),
            UText::Many(s) => s.chars().all(char::is_whitespace),
        }
    }

    pub fn first_char(&self) -> char {
        match self {
            UText::One(c) => *c,
            UText::Many(s) => s.chars().next().unwrap_or('\u{FFFD}'),
        }
    }
}

/// One code-space range: codes of `len` bytes whose every byte lies within `lo[i]..=hi[i]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CodeRange {
    len: u8,
    lo: [u8; 4],
    hi: [u8; 4],
}

/// How a byte string splits into character codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeSpace {
    ranges: Vec<CodeRange>,
}

fn bytes4(b: &[u8]) -> [u8; 4] {
    let mut out = [0u8; 4];
    for (i, v) in b.iter().take(4).enumerate() {
        out[i] = *v;
    }
    out
}

/// The big-endian value of up to four bytes.
pub fn code_value(b: &[u8]) -> u32 {
    b.iter()
        .take(4)
        .fold(0u32, |acc, &x| (acc << 8) | u32::from(x))
}

impl CodeSpace {
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn add(&mut self, lo: &[u8], hi: &[u8]) {
        if lo.is_empty() || lo.len() != hi.len() || lo.len() > 4 || self.ranges.len() >= 256 {
            return;
        }
        self.ranges.push(CodeRange {
            len: lo.len() as u8,
            lo: bytes4(lo),
            hi: bytes4(hi),
        });
    }

    /// A code space of fixed-width codes (`n` bytes, any value).
    pub fn fixed(n: usize) -> CodeSpace {
        let mut cs = CodeSpace::default();
        cs.add(&vec![0u8; n], &vec![0xffu8; n]);
        cs
    }

    fn from_pairs(pairs: &[(&[u8], &[u8])]) -> CodeSpace {
        let mut cs = CodeSpace::default();
        for (lo, hi) in pairs {
            cs.add(lo, hi);
        }
        cs
    }

    /// Shift_JIS as in the `RKSJ` CMaps: lead bytes 0x81–0x9F and 0xE0–0xFC start two-byte codes.
    pub fn shift_jis() -> CodeSpace {
        Self::from_pairs(&[
            (b"\x00", b"\x80"),
            (b"\xa0", b"\xdf"),
            (b"\xfd", b"\xff"),
            (b"\x81\x40", b"\x9f\xfc"),
            (b"\xe0\x40", b"\xfc\xfc"),
        ])
    }

    /// EUC-JP as in the `EUC` CMaps.
    pub fn euc_jp() -> CodeSpace {
        Self::from_pairs(&[
            (b"\x00", b"\x80"),
            (b"\x8e\xa0", b"\x8e\xdf"),
            (b"\xa1\xa1", b"\xfe\xfe"),
            (b"\x8f\xa1\xa1", b"\x8f\xfe\xfe"),
        ])
    }

    /// One byte below 0x81 (0x80 for EUC-KR style), two bytes from `lead` upward.
    pub fn double_byte(lead: u8, trail_lo: u8) -> CodeSpace {
        Self::from_pairs(&[(b"\x00", &[lead - 1]), (&[lead, trail_lo], b"\xfe\xfe")])
    }

    /// UTF-16BE: two bytes, four for surrogate pairs.
    pub fn utf16() -> CodeSpace {
        Self::from_pairs(&[
            (b"\x00\x00", b"\xd7\xff"),
            (b"\xd8\x00\xdc\x00", b"\xdb\xff\xdf\xff"),
            (b"\xe0\x00", b"\xff\xff"),
        ])
    }

    /// The next code at the start of `bytes`: (code value, byte length, matched a range).
    /// `bytes` must not be empty.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize, bool) {
        if self.ranges.is_empty() {
            return (u32::from(bytes[0]), 1, true);
        }
        for n in 1..=4usize {
            if n > bytes.len() {
                break;
            }
            let code = &bytes[..n];
            for r in &self.ranges {
                if r.len as usize == n
                    && code
                        .iter()
                        .enumerate()
                        .all(|(i, &b)| b >= r.lo[i] && b <= r.hi[i])
                {
                    return (code_value(code), n, true);
                }
            }
        }
        // No range matches: take as many bytes as the shortest range whose first byte fits, or
        // the shortest range length, so that the rest of the string stays aligned.
        let n = self
            .ranges
            .iter()
            .filter(|r| bytes[0] >= r.lo[0] && bytes[0] <= r.hi[0])
            .map(|r| r.len as usize)
            .min()
            .or_else(|| self.ranges.iter().map(|r| r.len as usize).min())
            .unwrap_or(1)
            .clamp(1, bytes.len());
        (code_value(&bytes[..n]), n, false)
    }

    /// Longest code length in bytes.
    pub fn max_len(&self) -> usize {
        self.ranges
            .iter()
            .map(|r| r.len as usize)
            .max()
            .unwrap_or(1)
    }
}

#[inline]
fn key(code: u32, len: usize) -> u64 {
    (u64::from(len as u8) << 32) | u64::from(code)
}

#[derive(Debug, Clone)]
enum RangeDst {
    /// Destination of the first code; later codes increment the last UTF-16 unit.
    Base(Vec<u16>),
    Array(Vec<Option<UText>>),
}

#[derive(Debug, Clone)]
struct BfRange {
    len: u8,
    lo: u32,
    hi: u32,
    dst: RangeDst,
}

/// Indexes ranges sorted by (length, start) with a running maximum of their ends, so that the
/// ranges holding a code are found without scanning them all.
#[derive(Debug, Clone, Default)]
struct RangeIndex {
    /// (length, lo, hi, position in the owner's list), sorted by (length, lo).
    keys: Vec<(u8, u32, u32, usize)>,
    max_hi: Vec<u32>,
}

impl RangeIndex {
    fn build(items: impl Iterator<Item = (u8, u32, u32)>) -> RangeIndex {
        let mut keys: Vec<(u8, u32, u32, usize)> = items
            .enumerate()
            .map(|(i, (len, lo, hi))| (len, lo, hi, i))
            .collect();
        keys.sort_by_key(|k| (k.0, k.1, k.3));
        let mut max_hi = Vec::with_capacity(keys.len());
        let mut cur: Option<(u8, u32)> = None;
        for k in &keys {
            let m = match cur {
                Some((len, m)) if len == k.0 => m.max(k.2),
                _ => k.2,
            };
            cur = Some((k.0, m));
            max_hi.push(m);
        }
        RangeIndex { keys, max_hi }
    }

    /// The position (in the owner's list) of the latest-defined range holding `code`.
    fn find(&self, code: u32, len: u8) -> Option<usize> {
        let mut j = self.keys.partition_point(|k| (k.0, k.1) <= (len, code));
        let mut best: Option<usize> = None;
        while j > 0 {
            j -= 1;
            let k = self.keys[j];
            if k.0 != len || self.max_hi[j] < code {
                break;
            }
            if code <= k.2 {
                best = Some(best.map_or(k.3, |b: usize| b.max(k.3)));
            }
        }
        best
    }
}

/// A ToUnicode map.
#[derive(Debug, Clone, Default)]
pub struct UnicodeMap {
    chars: HashMap<u64, UText>,
    ranges: Vec<BfRange>,
    index: RangeIndex,
}

impl UnicodeMap {
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    pub fn len(&self) -> usize {
        self.chars.len() + self.ranges.len()
    }

    fn lookup_len(&self, code: u32, len: usize) -> Option<UText> {
        if let Some(t) = self.chars.get(&key(code, len)) {
            return Some(t.clone());
        }
        let r = &self.ranges[self.index.find(code, len as u8)?];
        let off = code - r.lo;
        match &r.dst {
            RangeDst::Base(units) => {
                let mut u = units.clone();
                if let Some(last) = u.last_mut() {
                    let v = u32::from(*last).checked_add(off)?;
                    if v > 0xffff {
                        // Carry into a full scalar value (rare, malformed maps).
                        return char::from_u32(v).map(UText::One);
                    }
                    *last = v as u16;
                }
                UText::from_units(&u)
            }
            RangeDst::Array(items) => items.get(off as usize).cloned().flatten(),
        }
    }

    /// The text of `code` (of `len` bytes); codes written with another byte length in the map
    /// are accepted when the exact length has no entry.
    pub fn lookup(&self, code: u32, len: usize) -> Option<UText> {
        if let Some(t) = self.lookup_len(code, len) {
            return Some(t);
        }
        (1..=4)
            .filter(|&l| l != len && (l >= 4 || code < (1u32 << (8 * l))))
            .find_map(|l| self.lookup_len(code, l))
    }

    /// Every (code, text) pair with single-code entries, for tests and diagnostics.
    #[cfg(test)]
    pub fn entry_count(&self) -> usize {
        self.chars.len()
    }
}

#[derive(Debug, Clone, Copy)]
struct CidRange {
    len: u8,
    lo: u32,
    hi: u32,
    cid: u32,
}

/// A code → CID map (an embedded encoding CMap).
#[derive(Debug, Clone, Default)]
pub struct CidMap {
    chars: HashMap<u64, u32>,
    ranges: Vec<CidRange>,
    index: RangeIndex,
}

impl CidMap {
    pub fn lookup(&self, code: u32, len: usize) -> Option<u32> {
        if let Some(c) = self.chars.get(&key(code, len)) {
            return Some(*c);
        }
        let r = &self.ranges[self.index.find(code, len as u8)?];
        Some(r.cid.saturating_add(code - r.lo))
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }
}

/// Everything read from one CMap program.
#[derive(Debug, Clone, Default)]
pub struct ParsedCMap {
    pub codespace: CodeSpace,
    pub cids: CidMap,
    pub unicode: UnicodeMap,
    /// 1 for vertical writing.
    pub wmode: u8,
    /// The name given to `usecmap`, if any.
    pub usecmap: Option<String>,
    pub name: Option<String>,
}

/// Upper bound on entries kept from one CMap, against hostile files.
const MAX_ENTRIES: usize = 1 << 20;

fn str_bytes<'a>(o: &'a Operand<'_>) -> Option<&'a [u8]> {
    match o {
        Operand::Str(s) => Some(s.as_slice()),
        _ => None,
    }
}

/// Parses a CMap program (ToUnicode or encoding CMap). Never fails: what cannot be read is
/// skipped.
pub fn parse_cmap(data: &[u8]) -> ParsedCMap {
    let mut out = ParsedCMap::default();
    let mut lx = Lexer::new(data);
    let mut ops = Vec::new();
    let mut entries = 0usize;
    while let Some(op) = lx.next_op(&mut ops) {
        match op {
            b"endcodespacerange" => {
                for pair in ops.chunks(2) {
                    if let [a, b] = pair {
                        if let (Some(lo), Some(hi)) = (str_bytes(a), str_bytes(b)) {
                            out.codespace.add(lo, hi);
                        }
                    }
                }
            }
            b"endbfchar" => {
                for pair in ops.chunks(2) {
                    if let [a, b] = pair {
                        let Some(src) = str_bytes(a).filter(|s| !s.is_empty() && s.len() <= 4)
                        else {
                            continue;
                        };
                        let dst = match b {
                            Operand::Str(s) => UText::from_utf16be(s),
                            Operand::Name(n) => super::encoding::glyph_name_to_unicode(n),
                            _ => None,
                        };
                        if let Some(d) = dst {
                            if entries < MAX_ENTRIES {
                                entries += 1;
                                out.unicode.chars.insert(key(code_value(src), src.len()), d);
                            }
                        }
                    }
                }
            }
            b"endbfrange" => {
                for triple in ops.chunks(3) {
                    if let [a, b, c] = triple {
                        let (Some(lo), Some(hi)) = (str_bytes(a), str_bytes(b)) else {
                            continue;
                        };
                        if lo.is_empty() || lo.len() > 4 || hi.len() != lo.len() {
                            continue;
                        }
                        let (lo_v, hi_v) = (code_value(lo), code_value(hi));
                        if hi_v < lo_v {
                            continue;
                        }
                        let dst = match c {
                            Operand::Str(s) if !s.is_empty() => {
                                let units: Vec<u16> = if s.len() == 1 {
                                    vec![u16::from(s[0])]
                                } else {
                                    s.chunks(2)
                                        .map(|ch| {
                                            u16::from_be_bytes([ch[0], *ch.get(1).unwrap_or(&0)])
                                        })
                                        .collect()
                                };
                                RangeDst::Base(units)
                            }
                            Operand::Array(items) => RangeDst::Array(
                                items
                                    .iter()
                                    .take(MAX_ENTRIES)
                                    .map(|i| match i {
                                        Operand::Str(s) => UText::from_utf16be(s),
                                        Operand::Name(n) => {
                                            super::encoding::glyph_name_to_unicode(n)
                                        }
                                        _ => None,
                                    })
                                    .collect(),
                            ),
                            _ => continue,
                        };
                        if entries < MAX_ENTRIES {
                            entries += 1;
                            out.unicode.ranges.push(BfRange {
                                len: lo.len() as u8,
                                lo: lo_v,
                                hi: hi_v,
                                dst,
                            });
                        }
                    }
                }
            }
            b"endcidrange" => {
                for triple in ops.chunks(3) {
                    if let [a, b, Operand::Number(cid)] = triple {
                        let (Some(lo), Some(hi)) = (str_bytes(a), str_bytes(b)) else {
                            continue;
                        };
                        if lo.is_empty() || lo.len() > 4 || hi.len() != lo.len() || *cid < 0.0 {
                            continue;
                        }
                        let (lo_v, hi_v) = (code_value(lo), code_value(hi));
                        if hi_v >= lo_v && entries < MAX_ENTRIES {
                            entries += 1;
                            out.cids.ranges.push(CidRange {
                                len: lo.len() as u8,
                                lo: lo_v,
                                hi: hi_v,
                                cid: *cid as u32,
                            });
                        }
                    }
                }
            }
            b"endcidchar" => {
                for pair in ops.chunks(2) {
                    if let [a, Operand::Number(cid)] = pair {
                        let Some(src) = str_bytes(a).filter(|s| !s.is_empty() && s.len() <= 4)
                        else {
                            continue;
                        };
                        if *cid >= 0.0 && entries < MAX_ENTRIES {
                            entries += 1;
                            out.cids
                                .chars
                                .insert(key(code_value(src), src.len()), *cid as u32);
                        }
                    }
                }
            }
            b"def" => {
                if let [Operand::Name(k), v] = ops.as_slice() {
                    match (*k, v) {
                        (b"WMode", Operand::Number(n)) => out.wmode = u8::from(*n == 1.0),
                        (b"CMapName", Operand::Name(n)) => {
                            out.name = Some(String::from_utf8_lossy(n).into_owned())
                        }
                        _ => {}
                    }
                }
            }
            b"usecmap" => {
                if let Some(Operand::Name(n)) = ops.last() {
                    out.usecmap = Some(String::from_utf8_lossy(n).into_owned());
                }
            }
            _ => {}
        }
    }
    out.unicode.index = RangeIndex::build(out.unicode.ranges.iter().map(|r| (r.len, r.lo, r.hi)));
    out.cids.index = RangeIndex::build(out.cids.ranges.iter().map(|r| (r.len, r.lo, r.hi)));
    out
}

/// How the codes of a predefined CMap turn into Unicode without a ToUnicode map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredefinedText {
    /// Codes are CIDs; Unicode must come from elsewhere (ToUnicode, the embedded font).
    Cid,
    /// Codes are UTF-16BE (`Uni*-UCS2-*`, `Uni*-UTF16-*`).
    Utf16,
    /// Codes are bytes of a legacy encoding, decoded with encoding_rs.
    Legacy(&'static encoding_rs::Encoding),
}

/// A predefined CMap known by name.
#[derive(Debug, Clone)]
pub struct Predefined {
    pub codespace: CodeSpace,
    pub text: PredefinedText,
    pub vertical: bool,
}

/// Looks up a predefined CMap by name (`Identity-H`, `UniJIS-UCS2-V`, `90ms-RKSJ-H`, `EUC-H`, ...).
pub fn predefined(name: &str) -> Option<Predefined> {
    let vertical = name.ends_with("-V");
    let base = name
        .strip_suffix("-H")
        .or_else(|| name.strip_suffix("-V"))
        .unwrap_or(name);
    let (codespace, text) = if base == "Identity" {
        (CodeSpace::fixed(2), PredefinedText::Cid)
    } else if base.starts_with("Uni") && (base.contains("UCS2") || base.contains("UTF16")) {
        if base.contains("UTF16") {
            (CodeSpace::utf16(), PredefinedText::Utf16)
        } else {
            (CodeSpace::fixed(2), PredefinedText::Utf16)
        }
    } else if base.contains("RKSJ") {
        (
            CodeSpace::shift_jis(),
            PredefinedText::Legacy(encoding_rs::SHIFT_JIS),
        )
    } else if base == "EUC" || base == "H" || base == "V" || name == "H" || name == "V" {
        // `H`/`V` are ISO-2022-JP row/cell codes; read them as EUC-JP with the high bits set.
        if name == "H" || name == "V" {
            (
                CodeSpace::fixed(2),
                PredefinedText::Legacy(encoding_rs::EUC_JP),
            )
        } else {
            (
                CodeSpace::euc_jp(),
                PredefinedText::Legacy(encoding_rs::EUC_JP),
            )
        }
    } else if base.starts_with("GBK") || base.starts_with("GBpc") || base.starts_with("GB-EUC") {
        (
            CodeSpace::double_byte(0x81, 0x40),
            PredefinedText::Legacy(encoding_rs::GBK),
        )
    } else if base.starts_with("B5") || base.starts_with("ETen") || base.starts_with("HKscs") {
        (
            CodeSpace::double_byte(0x81, 0x40),
            PredefinedText::Legacy(encoding_rs::BIG5),
        )
    } else if base.starts_with("KSC") {
        (
            CodeSpace::double_byte(0x81, 0x41),
            PredefinedText::Legacy(encoding_rs::EUC_KR),
        )
    } else {
        return None;
    };
    Some(Predefined {
        codespace,
        text,
        vertical,
    })
}

/// Decodes one code of a predefined CMap to Unicode.
pub fn predefined_text(text: PredefinedText, code: u32, len: usize) -> Option<UText> {
    match text {
        PredefinedText::Cid => None,
        PredefinedText::Utf16 => {
            if len == 4 {
                let units = [(code >> 16) as u16, (code & 0xffff) as u16];
                UText::from_units(&units)
            } else {
                char::from_u32(code).map(UText::One)
            }
        }
        PredefinedText::Legacy(enc) => {
            let bytes = code.to_be_bytes();
            let mut b = &bytes[4 - len.min(4)..];
            // `H`/`V` CMaps hold 7-bit JIS row/cell codes.
            let shifted;
            if enc == encoding_rs::EUC_JP && len == 2 && b[0] < 0x80 && b[0] >= 0x21 {
                shifted = [b[0] | 0x80, b[1] | 0x80];
                b = &shifted;
            }
            let (s, had_errors) = enc.decode_without_bom_handling(b);
            if had_errors || s.is_empty() {
                None
            } else {
                UText::from_string(s.into_owned())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codespace_matches_whole_codes() {
        let cs = CodeSpace::fixed(2);
        assert_eq!(cs.next_code(&[0x0b, 0xe7, 0x00]), (0x0be7, 2, true));
        let sj = CodeSpace::shift_jis();
        assert_eq!(sj.next_code(b"A\x88\x9f"), (0x41, 1, true));
        assert_eq!(sj.next_code(b"\x88\x9f"), (0x889f, 2, true));
        assert_eq!(sj.next_code(b"\xb1"), (0xb1, 1, true));
        let u = CodeSpace::utf16();
        assert_eq!(
            u.next_code(&[0xd8, 0x40, 0xdc, 0x0b]),
            (0xd840dc0b, 4, true)
        );
    }

    #[test]
    fn tounicode_forms() {
        let cm = parse_cmap(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            3 beginbfchar <0BE7> <4EE4> <0001> <D840DC0B> <0002> <00660066> endbfchar
            2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<3042> <3044>] endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end",
        );
        assert_eq!(cm.unicode.lookup(0x0be7, 2), Some(UText::One('令')));
        assert_eq!(cm.unicode.lookup(0x0001, 2), Some(UText::One('\u{2000B}')));
        assert_eq!(
            cm.unicode.lookup(0x0002, 2),
            Some(UText::Many(Arc::from("ff")))
        );
        assert_eq!(cm.unicode.lookup(0x0011, 2), Some(UText::One('B')));
        assert_eq!(cm.unicode.lookup(0x0021, 2), Some(UText::One('い')));
        assert_eq!(cm.unicode.lookup(0x0013, 2), None);
        assert_eq!(cm.unicode.entry_count(), 3);
    }

    #[test]
    fn overlapping_ranges_later_wins() {
        let cm = parse_cmap(
            b"2 beginbfrange <0000> <00FF> <0041> <0010> <0012> <3042> endbfrange
              1 begincidrange <0000> <FFFF> 0 endcidrange 1 begincidrange <0100> <0101> 500 endcidrange",
        );
        assert_eq!(cm.unicode.lookup(0x0011, 2), Some(UText::One('\u{3043}')));
        assert_eq!(cm.unicode.lookup(0x0001, 2), Some(UText::One('B')));
        assert_eq!(cm.unicode.lookup(0x0100, 2), None);
        assert_eq!(cm.cids.lookup(0x0101, 2), Some(501));
        assert_eq!(cm.cids.lookup(0x0201, 2), Some(0x0201));
    }

    #[test]
    fn predefined_legacy() {
        let p = predefined("90ms-RKSJ-V").map(|p| (p.vertical, p.text));
        assert!(matches!(p, Some((true, PredefinedText::Legacy(_)))));
        let t = predefined_text(PredefinedText::Legacy(encoding_rs::SHIFT_JIS), 0x889f, 2);
        assert_eq!(t, Some(UText::One('亜')));
        let t = predefined_text(PredefinedText::Legacy(encoding_rs::EUC_JP), 0xb0a1, 2);
        assert_eq!(t, Some(UText::One('亜')));
        let t = predefined_text(PredefinedText::Utf16, 0xd840dc0b, 4);
        assert_eq!(t, Some(UText::One('\u{2000B}')));
    }
}
