//! Unicode recovered from an embedded TrueType/OpenType font program, for fonts that have no
//! ToUnicode map: the font's own `cmap` table read backwards (glyph → code point), completed by
//! the glyph names of its `post` table.

use super::cmap::UText;
use super::encoding::glyph_name_to_unicode;
use std::collections::HashMap;

/// What an embedded font program tells about its glyphs.
#[derive(Debug, Default)]
pub struct FontProgramMaps {
    /// Glyph id → Unicode.
    pub gid_unicode: HashMap<u16, UText>,
    /// For symbolic simple fonts: single-byte code → glyph id, from the (3,0) or (1,0) subtable.
    pub code_gid: HashMap<u8, u16>,
}

fn is_private_use(c: u32) -> bool {
    (0xe000..0xf900).contains(&c) || c >= 0xf0000
}

/// How unlikely a code point is to be the character a glyph was drawn for, when a font maps
/// several code points to one glyph (一 U+4E00 and the radical ⼀ U+2F00, say).
fn penalty(c: u32) -> u8 {
    if is_private_use(c) {
        3
    } else if (0x2e80..0x2fe0).contains(&c)
        || (0xf900..0xfb00).contains(&c)
        || (0x2f800..0x2fa20).contains(&c)
        || (0xfe10..0xfe50).contains(&c)
    {
        2
    } else {
        0
    }
}

/// Reads a TrueType or OpenType font program; `None` when it does not parse.
pub fn read_font_program(data: &[u8]) -> Option<FontProgramMaps> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let mut maps = FontProgramMaps::default();
    let mut chosen: HashMap<u16, u32> = HashMap::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables {
            if sub.is_unicode() {
                sub.codepoints(|cp| {
                    if let Some(gid) = sub.glyph_index(cp) {
                        if gid.0 == 0 {
                            return;
                        }
                        // Prefer ordinary characters over radicals, compatibility forms and
                        // private use, then the lowest code point.
                        let better = match chosen.get(&gid.0) {
                            None => true,
                            Some(&old) => (penalty(cp), cp) < (penalty(old), old),
                        };
                        if better {
                            chosen.insert(gid.0, cp);
                        }
                    }
                });
            } else {
                let (pid, eid) = (sub.platform_id, sub.encoding_id);
                let symbol = matches!(pid, ttf_parser::PlatformId::Windows) && eid == 0;
                let mac_roman = matches!(pid, ttf_parser::PlatformId::Macintosh) && eid == 0;
                if symbol || mac_roman {
                    for code in 0u16..=255 {
                        let probes: &[u32] = if symbol {
                            &[0xf000 + u32::from(code), u32::from(code)]
                        } else {
                            &[u32::from(code)]
                        };
                        for &p in probes {
                            if let Some(g) = sub.glyph_index(p) {
                                if g.0 != 0 {
                                    maps.code_gid.entry(code as u8).or_insert(g.0);
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    for (gid, cp) in chosen {
        if is_private_use(cp) {
            continue;
        }
        if let Some(c) = char::from_u32(cp) {
            maps.gid_unicode.insert(gid, UText::One(c));
        }
    }
    // Glyph names fill what the cmap does not cover.
    let n = face.number_of_glyphs();
    for gid in 1..n {
        if maps.gid_unicode.contains_key(&gid) {
            continue;
        }
        if let Some(name) = face.glyph_name(ttf_parser::GlyphId(gid)) {
            if let Some(t) = glyph_name_to_unicode(name.as_bytes()) {
                maps.gid_unicode.insert(gid, t);
            }
        }
    }
    Some(maps)
}

/// A `CIDToGIDMap` stream: two bytes per CID.
pub fn cid_to_gid_table(data: &[u8]) -> Vec<u16> {
    data.chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect()
}
