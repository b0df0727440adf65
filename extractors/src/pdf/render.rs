//! Layout-preserving text, close to `pdftotext -layout`: each text line becomes one output line,
//! words are placed on a character grid by their x position (so columns stay aligned), larger
//! vertical gaps become blank lines, and every page ends with a form feed as poppler does.

use crate::{Document, Page};

/// Display width of a character on the grid: 2 for East Asian wide and full-width characters.
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// The rightmost column a word may start at.
const MAX_COLUMN: usize = 1000;

/// Display width of a string.
pub fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// The width in points of one grid column on this page: the median of the words' width per
/// display column.
fn cell_width(page: &Page) -> f32 {
    let mut per: Vec<f32> = page
        .words
        .iter()
        .filter(|w| !w.vertical)
        .filter_map(|w| {
            let n = text_width(&w.text);
            let width = w.bbox.width();
            (n > 0 && width > 0.0).then(|| width / n as f32)
        })
        .collect();
    if per.is_empty() {
        return 5.0;
    }
    per.sort_by(f32::total_cmp);
    per[per.len() / 2].clamp(1.0, 30.0)
}

fn render_page(page: &Page, out: &mut String) {
    let cw = cell_width(page);
    let mut prev: Option<(f32, f32)> = None;
    for line in &page.lines {
        let size = line
            .words
            .iter()
            .map(|w| w.font_size)
            .fold(0.0f32, f32::max)
            .max(1.0);
        let cy = line.bbox.center_y();
        if let Some((py, ps)) = prev {
            let pitch = 1.6 * size.max(ps);
            let blanks = (((cy - py) / pitch).round() as i64 - 1).clamp(0, 3);
            for _ in 0..blanks {
                out.push('\n');
            }
        }
        prev = Some((cy, size));
        let mut col = 0usize;
        for (i, w) in line.words.iter().enumerate() {
            // Capped so that a page many metres wide cannot make megabytes of spaces.
            let target = ((w.bbox.x0.max(0.0) / cw).round() as usize).min(MAX_COLUMN);
            let target = if i == 0 { target } else { target.max(col + 1) };
            for _ in col..target {
                out.push(' ');
            }
            col = col.max(target);
            out.push_str(&w.text);
            col += text_width(&w.text);
        }
        out.push('\n');
    }
}

/// Renders every page of a document as layout text; each page ends with `\f`.
pub fn render_layout(doc: &Document) -> String {
    let mut out = String::new();
    for page in &doc.pages {
        render_page(page, &mut out);
        out.push('\x0c');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BBox, TextLine, Word};

    fn word(t: &str, x: f32, y: f32) -> Word {
        Word {
            text: t.into(),
            bbox: BBox::new(x, y, x + 5.0 * text_width(t) as f32, y + 10.0),
            font_size: 10.0,
            vertical: false,
        }
    }

    #[test]
    fn columns_align_and_pages_end_with_form_feed() {
        let l1 = vec![word("款", 0.0, 0.0), word("1,000", 100.0, 0.0)];
        let l2 = vec![word("市税", 0.0, 12.0), word("20", 115.0, 12.0)];
        let mk = |ws: Vec<Word>| TextLine {
            text: ws
                .iter()
                .map(|w| w.text.clone())
                .collect::<Vec<_>>()
                .join(" "),
            bbox: ws.iter().skip(1).fold(ws[0].bbox, |b, w| b.union(&w.bbox)),
            words: ws,
        };
        let page = Page {
            number: 1,
            words: l1.iter().chain(l2.iter()).cloned().collect(),
            lines: vec![mk(l1), mk(l2)],
            ..Default::default()
        };
        let doc = Document {
            pages: vec![page],
            ..Default::default()
        };
        let s = render_layout(&doc);
        assert_eq!(
            s,
            "款                  1,000\n市税                   20\n\x0c"
        );
    }
}
