//! Glyphs → lines → words, in reading order.
//!
//! Glyphs are grouped by advance direction (right, down, left, up) and, within a direction, in a
//! canonical frame where the advance is +x and successive lines go +y (so vertical Japanese
//! columns, read top to bottom, come out right to left). A line is a run of glyphs whose centres
//! sit on the same band; inside a line, glyphs are ordered by position (not by drawing order)
//! and split into words where there is a visible gap (Japanese has no spaces: a word is a run
//! of glyphs with no visible gap) or an explicit space glyph.
//!
//! Filled vector outlines the size of a glyph that sit inside a text line are text drawn as
//! paths with no Unicode (the 塡 of 補塡 in some budget books): they become U+FFFD glyphs and
//! are counted, so that the loss is reported rather than hidden.

use super::content::RawGlyph;
use crate::{BBox, Glyph, TextLine, Word};

/// A gap wider than this fraction of the font size splits words.
pub const WORD_GAP_EM: f32 = 0.3;
/// Glyph centres within this fraction of the glyph height share a line.
const LINE_BAND: f32 = 0.35;

const REPLACEMENT: char = '\u{FFFD}';

/// The layout of one page.
#[derive(Debug, Default)]
pub struct Layout {
    pub glyphs: Vec<Glyph>,
    pub words: Vec<Word>,
    pub lines: Vec<TextLine>,
    /// Vector outlines inside text lines turned into U+FFFD glyphs.
    pub outline_glyphs: u32,
}

#[derive(Clone)]
struct G {
    /// Index into the raw glyph list, or `usize::MAX` for an outline glyph.
    raw: usize,
    /// Canonical box.
    c: BBox,
    page: BBox,
    size: f32,
    space: bool,
}

fn canon(dir: u8, b: &BBox) -> BBox {
    match dir {
        1 => BBox::new(b.y0, -b.x1, b.y1, -b.x0),
        2 => BBox::new(-b.x1, -b.y1, -b.x0, -b.y0),
        3 => BBox::new(-b.y1, b.x0, -b.y0, b.x1),
        _ => *b,
    }
}

struct LineAcc {
    glyphs: Vec<G>,
    cy: f32,
    h: f32,
    dir: u8,
}

/// Lays out one page's glyphs. `outlines` are glyph-shaped vector paths (see module docs).
pub fn layout(raw: &[RawGlyph], outlines: &[BBox], keep_glyphs: bool) -> Layout {
    let mut out = Layout::default();
    let mut all_lines: Vec<(LineAcc, BBox)> = Vec::new();
    for dir in 0u8..4 {
        let mut gs: Vec<G> = raw
            .iter()
            .enumerate()
            .filter(|(_, g)| g.dir == dir)
            .map(|(i, g)| G {
                raw: i,
                c: canon(dir, &g.bbox),
                page: g.bbox,
                size: g.size,
                space: g.text.as_ref().is_some_and(|t| t.is_whitespace()),
            })
            .collect();
        if gs.is_empty() {
            continue;
        }
        gs.sort_by(|a, b| a.c.center_y().total_cmp(&b.c.center_y()));
        let mut lines: Vec<LineAcc> = Vec::new();
        for g in gs {
            let h = g.c.height().max(0.1);
            let cy = g.c.center_y();
            if let Some(l) = lines.last_mut() {
                let tol = LINE_BAND * h.min(l.h).max(0.5);
                if (cy - l.cy).abs() <= tol {
                    let n = l.glyphs.len() as f32;
                    if !g.space {
                        l.cy = (l.cy * n + cy) / (n + 1.0);
                    }
                    l.glyphs.push(g);
                    continue;
                }
            }
            lines.push(LineAcc {
                glyphs: vec![g],
                cy,
                h,
                dir,
            });
        }
        // Lines made only of spaces carry nothing.
        lines.retain(|l| l.glyphs.iter().any(|g| !g.space));
        for mut l in lines {
            // Height from non-space glyphs.
            let hs: Vec<f32> = l
                .glyphs
                .iter()
                .filter(|g| !g.space)
                .map(|g| g.c.height())
                .collect();
            l.h = hs.iter().copied().fold(0.0, f32::max);
            l.glyphs
                .sort_by(|a, b| a.c.x0.total_cmp(&b.c.x0).then(a.raw.cmp(&b.raw)));
            let bbox = l
                .glyphs
                .iter()
                .filter(|g| !g.space)
                .map(|g| g.page)
                .reduce(|a, b| a.union(&b))
                .unwrap_or_default();
            all_lines.push((l, bbox));
        }
    }

    // Outlines drawn inside horizontal text lines become replacement glyphs.
    for o in outlines {
        let ocy = o.center_y();
        let mut best: Option<usize> = None;
        for (i, (l, _)) in all_lines.iter().enumerate() {
            if l.dir != 0 {
                continue;
            }
            let size = line_size(l);
            if (ocy - l.cy).abs() > LINE_BAND * l.h.max(1.0)
                || o.height() > 1.3 * size
                || o.height() < 0.3 * size
                || o.width() > 1.5 * size
                || o.width() < 0.2 * size
            {
                continue;
            }
            let near = l
                .glyphs
                .iter()
                .filter(|g| !g.space)
                .any(|g| g.c.x0 - o.x1 < 2.0 * size && o.x0 - g.c.x1 < 2.0 * size);
            let covered = l.glyphs.iter().filter(|g| !g.space).any(|g| {
                let ov = g.c.x1.min(o.x1) - g.c.x0.max(o.x0);
                ov > 0.5 * o.width()
            });
            if near && !covered {
                best = Some(i);
                break;
            }
        }
        if let Some(i) = best {
            let (l, bbox) = &mut all_lines[i];
            let size = line_size(l);
            let (y0, y1) = (
                l.glyphs
                    .iter()
                    .filter(|g| !g.space)
                    .map(|g| g.c.y0)
                    .fold(f32::MAX, f32::min),
                l.glyphs
                    .iter()
                    .filter(|g| !g.space)
                    .map(|g| g.c.y1)
                    .fold(f32::MIN, f32::max),
            );
            let b = BBox::new(o.x0, y0.min(o.y0), o.x1, y1.max(o.y1));
            let g = G {
                raw: usize::MAX,
                c: b,
                page: b,
                size,
                space: false,
            };
            // A space glyph drawn where the outline is (a placeholder for the missing
            // character) would split the word: it goes.
            l.glyphs.retain(|x| {
                !x.space || {
                    let ov = x.c.x1.min(b.x1) - x.c.x0.max(b.x0);
                    ov < 0.3 * x.c.width().min(b.width()).max(0.1)
                }
            });
            let pos = l.glyphs.partition_point(|x| x.c.x0 <= g.c.x0);
            l.glyphs.insert(pos, g);
            *bbox = bbox.union(&b);
            out.outline_glyphs += 1;
        }
    }

    // Reading order of lines: horizontal lines by their centre, then left to right; lines of
    // other directions in blocks placed at the block's top.
    let mut keyed: Vec<((f32, f32, u32), usize)> = Vec::with_capacity(all_lines.len());
    let mut block_key = (0.0f32, 0.0f32);
    let mut block_start = 0usize;
    for i in 0..all_lines.len() {
        let (l, b) = &all_lines[i];
        if l.dir == 0 {
            keyed.push(((b.center_y(), b.x0, 0), i));
            continue;
        }
        // A new block begins when the direction changes or the previous line is far away.
        let new_block = i == 0 || {
            let (pl, pb) = &all_lines[i - 1];
            pl.dir != l.dir
                || (l.cy - pl.cy).abs() > 3.0 * l.h.max(pl.h).max(1.0)
                || b.y1 < pb.y0
                || b.y0 > pb.y1
        };
        if new_block {
            block_start = i;
            block_key = (b.y0, b.x0);
        }
        keyed.push(((block_key.0, block_key.1, (i - block_start) as u32 + 1), i));
    }
    keyed.sort_by(|a, b| {
        a.0 .0
            .total_cmp(&b.0 .0)
            .then(a.0 .1.total_cmp(&b.0 .1))
            .then(a.0 .2.cmp(&b.0 .2))
            .then(a.1.cmp(&b.1))
    });

    for (_, idx) in keyed {
        let (l, _) = &all_lines[idx];
        let words = split_words(l, raw, keep_glyphs.then_some(&mut out.glyphs));
        if words.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut bbox = words[0].bbox;
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            text.push_str(&w.text);
            bbox = bbox.union(&w.bbox);
        }
        out.words.extend(words.iter().cloned());
        out.lines.push(TextLine { text, bbox, words });
    }
    out
}

fn line_size(l: &LineAcc) -> f32 {
    let mut s: Vec<f32> = l
        .glyphs
        .iter()
        .filter(|g| !g.space)
        .map(|g| g.size)
        .collect();
    if s.is_empty() {
        return 1.0;
    }
    s.sort_by(f32::total_cmp);
    s[s.len() / 2].max(0.5)
}

fn glyph_text(g: &G, raw: &[RawGlyph], out: &mut String) {
    match raw.get(g.raw).and_then(|r| r.text.as_ref()) {
        Some(t) => t.push_to(out),
        None => out.push(REPLACEMENT),
    }
}

fn split_words(l: &LineAcc, raw: &[RawGlyph], mut keep: Option<&mut Vec<Glyph>>) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut cur: Option<(String, BBox, f32, bool)> = None;
    let mut prev: Option<&G> = None;
    let mut after_space = false;
    for g in &l.glyphs {
        if g.space {
            after_space = true;
            continue;
        }
        // The same glyph drawn twice at (nearly) the same place (fake bold) counts once.
        if let Some(p) = prev {
            let same_text = raw.get(p.raw).map(|r| &r.text) == raw.get(g.raw).map(|r| &r.text);
            let w = g.c.width().max(0.1);
            if same_text
                && p.raw != usize::MAX
                && (g.c.x0 - p.c.x0).abs() < 0.3 * w
                && (g.c.center_y() - p.c.center_y()).abs() < 0.3 * g.c.height().max(0.1)
            {
                continue;
            }
        }
        let vertical = raw.get(g.raw).is_some_and(|r| r.vertical);
        let split = match prev {
            None => true,
            Some(p) => {
                let gap = g.c.x0 - p.c.x1;
                after_space || gap > WORD_GAP_EM * p.size.max(g.size)
            }
        };
        if split {
            if let Some((text, bbox, size, v)) = cur.take() {
                words.push(Word {
                    text,
                    bbox,
                    font_size: size,
                    vertical: v,
                });
            }
            cur = Some((String::new(), g.page, g.size, vertical));
        }
        if let Some((text, bbox, size, _)) = cur.as_mut() {
            glyph_text(g, raw, text);
            *bbox = bbox.union(&g.page);
            *size = size.max(g.size);
        }
        if let Some(k) = keep.as_deref_mut() {
            let mut t = String::new();
            glyph_text(g, raw, &mut t);
            k.push(Glyph {
                text: t,
                bbox: g.page,
                font_size: g.size,
                font: raw.get(g.raw).map(|r| r.font).unwrap_or(0),
                vertical,
            });
        }
        prev = Some(g);
        after_space = false;
    }
    if let Some((text, bbox, size, v)) = cur.take() {
        words.push(Word {
            text,
            bbox,
            font_size: size,
            vertical: v,
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::cmap::UText;

    fn g(c: char, x: f32, y: f32, dir: u8) -> RawGlyph {
        let (w, h) = (10.0, 10.0);
        RawGlyph {
            text: Some(UText::One(c)),
            bbox: BBox::new(x, y, x + w, y + h),
            size: 10.0,
            font: 1,
            vertical: dir == 1,
            dir,
        }
    }

    #[test]
    fn horizontal_words_and_lines() {
        // Drawn out of order; one gap of half an em; a second line above.
        let raw = vec![
            g('c', 20.0, 100.0, 0),
            g('a', 0.0, 100.0, 0),
            g('b', 10.0, 100.2, 0),
            g('d', 35.0, 100.0, 0),
            g('x', 0.0, 80.0, 0),
        ];
        let l = layout(&raw, &[], true);
        let texts: Vec<&str> = l.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["x", "abc d"]);
        assert_eq!(l.glyphs.len(), 5);
    }

    #[test]
    fn vertical_columns_right_to_left() {
        let raw = vec![
            g('一', 100.0, 0.0, 1),
            g('二', 100.0, 10.0, 1),
            g('三', 80.0, 0.0, 1),
            g('四', 80.0, 10.0, 1),
        ];
        let l = layout(&raw, &[], false);
        let texts: Vec<&str> = l.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["一二", "三四"]);
        assert!(l.words.iter().all(|w| w.vertical));
    }

    #[test]
    fn outline_inside_a_line_becomes_replacement() {
        let raw = vec![g('補', 0.0, 100.0, 0), g('及', 20.0, 100.0, 0)];
        let l = layout(&raw, &[BBox::new(10.5, 101.0, 19.5, 109.0)], false);
        assert_eq!(l.lines[0].text, "補\u{FFFD}及");
        assert_eq!(l.outline_glyphs, 1);
        // Far from any text: not a glyph.
        let l = layout(&raw, &[BBox::new(300.0, 101.0, 309.0, 109.0)], false);
        assert_eq!(l.outline_glyphs, 0);
    }
}
