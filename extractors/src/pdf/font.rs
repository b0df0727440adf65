//! Fonts: how a shown string splits into codes, what each code means in Unicode, and how wide it
//! is.
//!
//! Unicode comes, in order, from the ToUnicode map; for composite fonts from a predefined CMap
//! whose codes are themselves text (UCS-2/UTF-16, Shift_JIS, EUC-JP, ...) or from the embedded
//! font program (CID → GID through `CIDToGIDMap`, then the font's `cmap` read backwards); for
//! simple fonts from the encoding (base encoding plus `/Differences` glyph names), then again the
//! embedded program. What none of them maps is *unmapped*: shown as U+FFFD and reported.

use super::cmap::{self, CidMap, CodeSpace, PredefinedText, UText, UnicodeMap};
use super::encoding::{glyph_name_index, glyph_name_to_unicode, BaseEncoding};
use super::objects::{
    get, get_array, get_dict, get_name, get_num, num, ref_id, resolve, stream_data,
};
use super::truetype::{cid_to_gid_table, read_font_program, FontProgramMaps};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontKind {
    Simple,
    Type3,
    Composite,
}

/// Where the CIDs of a composite font come from.
#[derive(Debug, Clone)]
enum CidSource {
    /// CID = code.
    Identity,
    /// An embedded encoding CMap.
    Map(CidMap),
    /// A predefined CMap whose code → CID table is not carried; CIDs are unknown.
    Unknown,
}

#[derive(Debug, Clone)]
enum WidthRun {
    Const(f64),
    List(Vec<f64>),
}

/// CID widths from `W`: sorted, non-expanded runs.
#[derive(Debug, Clone, Default)]
struct CidWidths {
    runs: Vec<(u32, u32, WidthRun)>,
    /// `max_end[j]`: the largest run end among `runs[..=j]`.
    max_end: Vec<u32>,
}

impl CidWidths {
    fn new(mut runs: Vec<(u32, u32, WidthRun)>) -> CidWidths {
        // Stable sort keeps file order among equal starts, so later entries still win.
        runs.sort_by_key(|r| r.0);
        let mut max_end = Vec::with_capacity(runs.len());
        let mut m = 0;
        for r in &runs {
            m = m.max(r.1);
            max_end.push(m);
        }
        CidWidths { runs, max_end }
    }

    fn get(&self, cid: u32) -> Option<f64> {
        let mut j = self.runs.partition_point(|r| r.0 <= cid);
        while j > 0 {
            j -= 1;
            if self.max_end[j] < cid {
                return None;
            }
            let r = &self.runs[j];
            if cid <= r.1 {
                return match &r.2 {
                    WidthRun::Const(w) => Some(*w),
                    WidthRun::List(l) => l.get((cid - r.0) as usize).copied(),
                };
            }
        }
        None
    }
}

/// Vertical metrics of one CID: (w1y, vx, vy), glyph units.
type VMetric = (f64, f64, f64);

/// One decoded character code.
#[derive(Debug, Clone)]
pub struct DecodedChar {
    pub text: Option<UText>,
    /// Horizontal advance in glyph space units (before the font matrix).
    pub width: f64,
    /// A single-byte code 32 (word spacing applies).
    pub is_space_code: bool,
    /// For vertical writing: (w1y, vx, vy) in glyph units.
    pub vmetric: Option<VMetric>,
}

/// A font, parsed once and shared across pages.
#[derive(Debug)]
pub struct Font {
    /// `BaseFont`, or the resource name when there is none.
    pub name: String,
    pub kind: FontKind,
    /// Subtype and encoding, for the document's font list.
    pub description: String,
    codespace: CodeSpace,
    cid_source: CidSource,
    predefined_text: PredefinedText,
    to_unicode: Option<UnicodeMap>,
    /// Simple fonts: code → text from the encoding.
    simple_text: Vec<Option<UText>>,
    /// Simple fonts: `/Differences` glyph names that did not resolve by name (`g12`).
    simple_gid_names: HashMap<u8, u16>,
    simple_symbolic: bool,
    first_char: u32,
    widths: Vec<f64>,
    missing_width: f64,
    cid_widths: CidWidths,
    default_width: f64,
    pub vertical: bool,
    dw2: (f64, f64),
    w2: HashMap<u32, VMetric>,
    /// Glyph space → text space.
    pub font_matrix: [f64; 6],
    /// Ascent and descent in glyph space units.
    pub ascent: f64,
    pub descent: f64,
    program: Option<ObjectId>,
    cid_to_gid: Option<Vec<u16>>,
    program_maps: OnceLock<Option<FontProgramMaps>>,
    /// Problems met while reading the font: (diagnostic code, message).
    pub problems: Vec<(&'static str, String)>,
}

fn text_is_null(t: &UText) -> bool {
    match t {
        UText::One(c) => *c == '\0',
        UText::Many(s) => s.chars().all(|c| c == '\0'),
    }
}

impl Font {
    /// A font for text shown with no usable font: one-byte codes, no Unicode.
    pub fn fallback(name: &str) -> Font {
        Font {
            name: name.to_string(),
            kind: FontKind::Simple,
            description: "missing".into(),
            codespace: CodeSpace::default(),
            cid_source: CidSource::Identity,
            predefined_text: PredefinedText::Cid,
            to_unicode: None,
            simple_text: vec![None; 256],
            simple_gid_names: HashMap::new(),
            simple_symbolic: true,
            first_char: 0,
            widths: Vec::new(),
            missing_width: 500.0,
            cid_widths: CidWidths::default(),
            default_width: 1000.0,
            vertical: false,
            dw2: (880.0, -1000.0),
            w2: HashMap::new(),
            font_matrix: [0.001, 0.0, 0.0, 0.001, 0.0, 0.0],
            ascent: 880.0,
            descent: -120.0,
            program: None,
            cid_to_gid: None,
            program_maps: OnceLock::new(),
            problems: Vec::new(),
        }
    }

    fn program_maps(&self, doc: &Document, limit: u64) -> Option<&FontProgramMaps> {
        self.program_maps
            .get_or_init(|| {
                let id = self.program?;
                let stream = doc.objects.get(&id)?.as_stream().ok()?;
                let data = stream_data(stream, limit).ok()?;
                read_font_program(&data)
            })
            .as_ref()
    }

    /// Splits `bytes` into codes and decodes each.
    pub fn decode(&self, doc: &Document, limit: u64, bytes: &[u8], out: &mut Vec<DecodedChar>) {
        out.clear();
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = if self.kind == FontKind::Composite {
                let (c, n, _) = self.codespace.next_code(&bytes[i..]);
                (c, n)
            } else {
                (u32::from(bytes[i]), 1)
            };
            i += len;
            out.push(self.decode_code(doc, limit, code, len));
        }
    }

    fn decode_code(&self, doc: &Document, limit: u64, code: u32, len: usize) -> DecodedChar {
        let mut text = self
            .to_unicode
            .as_ref()
            .and_then(|m| m.lookup(code, len))
            .filter(|t| !text_is_null(t));
        match self.kind {
            FontKind::Composite => {
                let cid = match &self.cid_source {
                    CidSource::Identity => Some(code),
                    CidSource::Map(m) => m.lookup(code, len),
                    CidSource::Unknown => None,
                };
                if text.is_none() {
                    text = cmap::predefined_text(self.predefined_text, code, len);
                }
                if text.is_none() {
                    if let Some(cid) = cid {
                        text = self.text_from_program(doc, limit, cid);
                    }
                }
                let width = match cid {
                    Some(cid) => self.cid_widths.get(cid).unwrap_or(self.default_width),
                    None => match &text {
                        Some(t) if is_half_width(t.first_char()) => self.default_width / 2.0,
                        _ => self.default_width,
                    },
                };
                let vmetric = if self.vertical {
                    let m = cid.and_then(|c| self.w2.get(&c)).copied();
                    Some(m.unwrap_or((self.dw2.1, width / 2.0, self.dw2.0)))
                } else {
                    None
                };
                DecodedChar {
                    text,
                    width,
                    is_space_code: len == 1 && code == 32,
                    vmetric,
                }
            }
            FontKind::Simple | FontKind::Type3 => {
                let c = code as u8;
                if text.is_none() {
                    text = self.simple_text.get(usize::from(c)).cloned().flatten();
                }
                if text.is_none() {
                    if let Some(maps) = self.program_maps(doc, limit) {
                        let gid = self
                            .simple_gid_names
                            .get(&c)
                            .copied()
                            .or_else(|| maps.code_gid.get(&c).copied());
                        text = gid.and_then(|g| maps.gid_unicode.get(&g).cloned());
                    }
                }
                let width = code
                    .checked_sub(self.first_char)
                    .and_then(|i| self.widths.get(i as usize).copied())
                    .unwrap_or(self.missing_width);
                DecodedChar {
                    text,
                    width,
                    is_space_code: code == 32,
                    vmetric: None,
                }
            }
        }
    }

    fn text_from_program(&self, doc: &Document, limit: u64, cid: u32) -> Option<UText> {
        let maps = self.program_maps(doc, limit)?;
        let gid = match &self.cid_to_gid {
            Some(t) => *t.get(cid as usize)?,
            None => u16::try_from(cid).ok()?,
        };
        maps.gid_unicode.get(&gid).cloned()
    }

    /// True when the font has any source of Unicode besides an embedded program.
    pub fn has_to_unicode(&self) -> bool {
        self.to_unicode.is_some()
    }
}

fn is_half_width(c: char) -> bool {
    (c as u32) < 0x1100
        || ('\u{FF61}'..='\u{FFDC}').contains(&c)
        || ('\u{FFE8}'..='\u{FFEE}').contains(&c)
}

fn parse_w(doc: &Document, arr: &[Object]) -> CidWidths {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < arr.len() && runs.len() < 1 << 20 {
        let Some(first) = num(doc, &arr[i]) else {
            i += 1;
            continue;
        };
        match arr.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                let ws: Vec<f64> = list.iter().filter_map(|o| num(doc, o)).collect();
                if first >= 0.0 && !ws.is_empty() {
                    let f = first as u32;
                    runs.push((f, f.saturating_add(ws.len() as u32 - 1), WidthRun::List(ws)));
                }
                i += 2;
            }
            Some(_) => {
                let last = arr.get(i + 1).and_then(|o| num(doc, o));
                let w = arr.get(i + 2).and_then(|o| num(doc, o));
                if let (Some(last), Some(w)) = (last, w) {
                    if first >= 0.0 && last >= first {
                        runs.push((first as u32, last as u32, WidthRun::Const(w)));
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
    CidWidths::new(runs)
}

fn parse_w2(doc: &Document, arr: &[Object]) -> HashMap<u32, VMetric> {
    let mut out = HashMap::new();
    let mut i = 0;
    while i < arr.len() && out.len() < 1 << 18 {
        let Some(first) = num(doc, &arr[i]).filter(|f| *f >= 0.0) else {
            i += 1;
            continue;
        };
        match arr.get(i + 1).map(|o| resolve(doc, o)) {
            Some(Object::Array(list)) => {
                let v: Vec<f64> = list.iter().filter_map(|o| num(doc, o)).collect();
                for (k, t) in v.chunks(3).enumerate() {
                    if let [a, b, c] = t {
                        out.insert((first as u32).saturating_add(k as u32), (*a, *b, *c));
                    }
                }
                i += 2;
            }
            Some(_) => {
                let v: Vec<f64> = arr[i + 1..(i + 5).min(arr.len())]
                    .iter()
                    .filter_map(|o| num(doc, o))
                    .collect();
                if let [last, a, b, c] = v.as_slice() {
                    let (f, l) = (first as u32, *last as u32);
                    for cid in f..=l.min(f.saturating_add(1 << 16)) {
                        out.insert(cid, (*a, *b, *c));
                    }
                }
                i += 5;
            }
            None => break,
        }
    }
    out
}

fn matrix6(v: &[f64]) -> Option<[f64; 6]> {
    if v.len() == 6 && v.iter().all(|x| x.is_finite()) {
        Some([v[0], v[1], v[2], v[3], v[4], v[5]])
    } else {
        None
    }
}

/// Reads a ToUnicode stream, if present and decodable; problems go to `problems`.
fn read_to_unicode(
    doc: &Document,
    font: &Dictionary,
    limit: u64,
    problems: &mut Vec<(&'static str, String)>,
) -> Option<UnicodeMap> {
    let stream = get(doc, font, b"ToUnicode")?.as_stream().ok()?;
    let data = match stream_data(stream, limit) {
        Ok(d) => d,
        Err(super::objects::StreamError::Bad { partial, message }) => {
            problems.push((
                "pdf.bad_stream",
                format!("the ToUnicode map does not decompress ({message})"),
            ));
            if partial.is_empty() {
                return None;
            }
            std::borrow::Cow::Owned(partial)
        }
        Err(super::objects::StreamError::TooLarge) => {
            problems.push((
                "pdf.too_large",
                format!("the ToUnicode map expands beyond the limit of {limit} bytes; not read"),
            ));
            return None;
        }
    };
    let parsed = cmap::parse_cmap(&data);
    if parsed.unicode.is_empty() {
        None
    } else {
        Some(parsed.unicode)
    }
}

fn descriptor_metrics(doc: &Document, desc: Option<&Dictionary>) -> (f64, f64) {
    let asc = desc
        .and_then(|d| get_num(doc, d, b"Ascent"))
        .filter(|a| (300.0..=1500.0).contains(a))
        .unwrap_or(880.0);
    let dsc = desc
        .and_then(|d| get_num(doc, d, b"Descent"))
        .filter(|d| (-600.0..=0.0).contains(d))
        .unwrap_or(-120.0);
    (asc, dsc)
}

fn font_program_id(doc: &Document, desc: Option<&Dictionary>) -> Option<ObjectId> {
    let d = desc?;
    for key in [&b"FontFile2"[..], b"FontFile3"] {
        if let Ok(o) = d.get(key) {
            if let Some(id) = ref_id(o) {
                let ok = match doc.objects.get(&id) {
                    Some(Object::Stream(s)) => {
                        // FontFile3 only when it is an OpenType wrapper ttf-parser can read.
                        key == b"FontFile2"
                            || matches!(s.dict.get(b"Subtype"), Ok(Object::Name(n)) if n.as_slice() == b"OpenType")
                    }
                    _ => false,
                };
                if ok {
                    return Some(id);
                }
            }
        }
    }
    None
}

/// Parses a font dictionary. `fallback_name` names the font when it has no `BaseFont`.
pub fn load_font(doc: &Document, dict: &Dictionary, fallback_name: &str, limit: u64) -> Font {
    let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"");
    let mut font = Font::fallback(fallback_name);
    if let Some(n) = get_name(doc, dict, b"BaseFont") {
        font.name = String::from_utf8_lossy(n).into_owned();
    }
    font.to_unicode = read_to_unicode(doc, dict, limit, &mut font.problems);
    if subtype == b"Type0" {
        load_composite(doc, dict, &mut font, limit);
    } else {
        load_simple(doc, dict, subtype, &mut font);
    }
    let st = String::from_utf8_lossy(subtype).into_owned();
    font.description = format!(
        "{} {}{}",
        if st.is_empty() {
            "Font".to_string()
        } else {
            st
        },
        font.description,
        if font.to_unicode.is_some() {
            ", ToUnicode"
        } else {
            ""
        }
    );
    font
}

fn load_composite(doc: &Document, dict: &Dictionary, font: &mut Font, limit: u64) {
    font.kind = FontKind::Composite;
    font.default_width = 1000.0;
    font.codespace = CodeSpace::fixed(2);
    let mut enc_desc = String::from("Identity-H");
    match get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            let name = String::from_utf8_lossy(n).into_owned();
            match cmap::predefined(&name) {
                Some(p) => {
                    font.codespace = p.codespace;
                    font.predefined_text = p.text;
                    font.vertical = p.vertical;
                    font.cid_source = if p.text == PredefinedText::Cid {
                        CidSource::Identity
                    } else {
                        CidSource::Unknown
                    };
                }
                None => font.cid_source = CidSource::Identity,
            }
            enc_desc = name;
        }
        Some(Object::Stream(s)) => {
            let data = stream_data(s, limit)
                .map(|d| d.into_owned())
                .unwrap_or_default();
            let parsed = cmap::parse_cmap(&data);
            let base = parsed.usecmap.as_deref().and_then(cmap::predefined);
            font.codespace = if parsed.codespace.is_empty() {
                base.as_ref()
                    .map(|b| b.codespace.clone())
                    .unwrap_or_else(|| CodeSpace::fixed(2))
            } else {
                parsed.codespace.clone()
            };
            font.vertical = parsed.wmode == 1 || base.as_ref().is_some_and(|b| b.vertical);
            if let Some(b) = &base {
                font.predefined_text = b.text;
            }
            font.cid_source = if parsed.cids.is_empty() {
                CidSource::Identity
            } else {
                CidSource::Map(parsed.cids)
            };
            enc_desc = format!(
                "embedded CMap{}",
                parsed.name.map(|n| format!(" {n}")).unwrap_or_default()
            );
        }
        _ => {}
    }
    let desc_font = get_array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .map(|o| resolve(doc, o))
        .and_then(|o| match o {
            Object::Dictionary(d) => Some(d),
            _ => None,
        });
    let mut desc_sub = "CIDFont".to_string();
    if let Some(cf) = desc_font {
        if let Some(s) = get_name(doc, cf, b"Subtype") {
            desc_sub = String::from_utf8_lossy(s).into_owned();
        }
        if let Some(dw) = get_num(doc, cf, b"DW") {
            font.default_width = dw;
        }
        if let Some(w) = get_array(doc, cf, b"W") {
            font.cid_widths = parse_w(doc, w);
        }
        if let Some(dw2) = get_array(doc, cf, b"DW2") {
            if let [vy, w1] = super::objects::nums(doc, dw2).as_slice() {
                font.dw2 = (*vy, *w1);
            }
        }
        if let Some(w2) = get_array(doc, cf, b"W2") {
            font.w2 = parse_w2(doc, w2);
        }
        let desc = get_dict(doc, cf, b"FontDescriptor");
        (font.ascent, font.descent) = descriptor_metrics(doc, desc);
        font.program = font_program_id(doc, desc);
        if let Some(Object::Stream(s)) = get(doc, cf, b"CIDToGIDMap") {
            if let Ok(d) = stream_data(s, limit) {
                font.cid_to_gid = Some(cid_to_gid_table(&d));
            }
        }
    }
    font.description = format!("({desc_sub}), {enc_desc}");
}

fn load_simple(doc: &Document, dict: &Dictionary, subtype: &[u8], font: &mut Font) {
    let is_type3 = subtype == b"Type3";
    font.kind = if is_type3 {
        FontKind::Type3
    } else {
        FontKind::Simple
    };
    let desc = get_dict(doc, dict, b"FontDescriptor");
    let flags = desc.and_then(|d| get_num(doc, d, b"Flags")).unwrap_or(0.0) as i64;
    let symbolic = flags & 4 != 0 && flags & 32 == 0;
    font.simple_symbolic = symbolic;
    font.first_char = get_num(doc, dict, b"FirstChar")
        .filter(|f| *f >= 0.0 && *f < 256.0)
        .unwrap_or(0.0) as u32;
    if let Some(w) = get_array(doc, dict, b"Widths") {
        font.widths = w.iter().map(|o| num(doc, o).unwrap_or(0.0)).collect();
    } else if !is_type3 {
        if let Some(w) = super::encoding::standard_widths(&font.name) {
            font.first_char = 32;
            font.widths = w;
        }
    }
    font.missing_width = desc
        .and_then(|d| get_num(doc, d, b"MissingWidth"))
        .filter(|w| *w > 0.0)
        .unwrap_or_else(|| standard_default_width(&font.name));
    (font.ascent, font.descent) = descriptor_metrics(doc, desc);
    font.program = font_program_id(doc, desc);
    if is_type3 {
        if let Some(m) = get_array(doc, dict, b"FontMatrix")
            .map(|a| super::objects::nums(doc, a))
            .and_then(|v| matrix6(&v))
        {
            font.font_matrix = m;
        }
        // Ascent and descent from the glyph bounding box, in glyph space.
        let bbox = get_array(doc, dict, b"FontBBox").map(|a| super::objects::nums(doc, a));
        match bbox.as_deref() {
            Some([_, y0, _, y1]) if y1 > y0 => {
                font.ascent = *y1;
                font.descent = *y0;
            }
            _ => {
                let d = font.font_matrix[3].abs().max(1e-9);
                font.ascent = 0.8 / d;
                font.descent = -0.2 / d;
            }
        }
        if font.missing_width == standard_default_width(&font.name) {
            font.missing_width = 0.0;
        }
    }
    // Base encoding and differences.
    let builtin_default = if subtype == b"TrueType" {
        if symbolic {
            BaseEncoding::Builtin
        } else {
            BaseEncoding::WinAnsi
        }
    } else if is_type3 || symbolic || is_symbol_font(&font.name) {
        BaseEncoding::Builtin
    } else {
        BaseEncoding::Standard
    };
    let mut base = builtin_default;
    let mut differences: Option<&[Object]> = None;
    let mut enc_desc = String::from("built-in encoding");
    match get(doc, dict, b"Encoding") {
        Some(Object::Name(n)) => {
            if let Some(b) = BaseEncoding::from_name(n) {
                base = b;
            }
            enc_desc = String::from_utf8_lossy(n).into_owned();
        }
        Some(Object::Dictionary(d)) => {
            if let Some(b) = get_name(doc, d, b"BaseEncoding").and_then(BaseEncoding::from_name) {
                base = b;
                enc_desc =
                    String::from_utf8_lossy(get_name(doc, d, b"BaseEncoding").unwrap_or(b""))
                        .into_owned();
            }
            differences = get_array(doc, d, b"Differences");
            if differences.is_some() {
                enc_desc.push_str(" with Differences");
            }
        }
        _ => {}
    }
    let mut table: Vec<Option<UText>> = (0u16..256)
        .map(|c| base.char_for(c as u8).map(UText::One))
        .collect();
    if let Some(diffs) = differences {
        let mut code: i64 = -1;
        for o in diffs {
            match resolve(doc, o) {
                Object::Integer(i) => code = *i,
                Object::Real(r) => code = *r as i64,
                Object::Name(n) => {
                    if (0..256).contains(&code) {
                        let c = code as usize;
                        table[c] = glyph_name_to_unicode(n);
                        if table[c].is_none() {
                            if let Some(g) = glyph_name_index(n) {
                                font.simple_gid_names.insert(c as u8, g);
                            }
                        }
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    font.simple_text = table;
    font.description = format!("{enc_desc}{}", if symbolic { ", symbolic" } else { "" });
}

fn is_symbol_font(name: &str) -> bool {
    let n = name.split('+').next_back().unwrap_or(name);
    n.starts_with("Symbol") || n.starts_with("ZapfDingbats") || n.starts_with("Wingdings")
}

/// The width used for codes a simple font gives no width for.
fn standard_default_width(name: &str) -> f64 {
    if name.contains("Courier") || name.contains("Mono") {
        600.0
    } else {
        500.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn w_array_forms() {
        let doc = Document::new();
        let arr = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500), Object::Integer(600)]),
            Object::Integer(10),
            Object::Integer(20),
            Object::Integer(250),
        ];
        let w = parse_w(&doc, &arr);
        assert_eq!(w.get(1), Some(500.0));
        assert_eq!(w.get(2), Some(600.0));
        assert_eq!(w.get(3), None);
        assert_eq!(w.get(15), Some(250.0));
        assert_eq!(w.get(21), None);
    }

    #[test]
    fn simple_font_differences() {
        let doc = Document::new();
        let d = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => dictionary! {
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![Object::Integer(65), Object::Name(b"uni3042".to_vec()), Object::Name(b"Euro".to_vec())],
            },
        };
        let f = load_font(&doc, &d, "F1", 1 << 20);
        let mut out = Vec::new();
        f.decode(&doc, 1 << 20, b"AB\x80C", &mut out);
        let t: Vec<Option<char>> = out
            .iter()
            .map(|c| c.text.as_ref().map(|t| t.first_char()))
            .collect();
        assert_eq!(t, vec![Some('あ'), Some('€'), Some('€'), Some('C')]);
    }
}
