//! Stream tables: columns from the alignment of words, for pages that draw no rules.
//!
//! Only lines that carry an amount are looked at (headers are often spaced out across several
//! columns, and titles run across all of them). Over those lines, an x position is white space
//! when at most a few lines have a word there (a few names or amounts may spill across a column
//! boundary); a run of white space at least [`MIN_GAP_EM`] wide between words is a column
//! boundary, placed in its middle.

use super::{is_numeric_text, Column};
use yosan_extractors::TextLine;

/// Narrowest white-space band that separates columns, in font sizes (wider than the space left
/// between an item number and its name).
pub const MIN_GAP_EM: f32 = 0.9;

/// Words of `line` whose centre lies in `[x0, x1)`.
fn words_between(
    line: &TextLine,
    x0: f32,
    x1: f32,
) -> impl Iterator<Item = &yosan_extractors::Word> {
    line.words
        .iter()
        .filter(move |w| w.bbox.center_x() >= x0 && w.bbox.center_x() < x1)
}

/// The columns of the text between `x0` and `x1`, and the left edge each column's indentation is
/// measured from (the leftmost text in it).
pub fn columns(lines: &[&TextLine], x0: f32, x1: f32) -> (Vec<Column>, Vec<f32>) {
    let data: Vec<&TextLine> = lines
        .iter()
        .copied()
        .filter(|l| words_between(l, x0, x1).any(|w| is_numeric_text(&w.text)))
        .collect();
    let mut sizes: Vec<f32> = data
        .iter()
        .flat_map(|l| words_between(l, x0, x1).map(|w| w.font_size))
        .collect();
    sizes.sort_by(f32::total_cmp);
    let em = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0).max(1.0);
    let lo = data
        .iter()
        .flat_map(|l| words_between(l, x0, x1).map(|w| w.bbox.x0))
        .fold(f32::INFINITY, f32::min);
    let hi = data
        .iter()
        .flat_map(|l| words_between(l, x0, x1).map(|w| w.bbox.x1))
        .fold(f32::NEG_INFINITY, f32::max);
    let whole = vec![Column { x0, x1, page: None }];
    if data.len() < 2 || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        let content = lines
            .iter()
            .flat_map(|l| words_between(l, x0, x1).map(|w| w.bbox.x0))
            .fold(f32::INFINITY, f32::min);
        return (whole, vec![if content.is_finite() { content } else { x0 }]);
    }
    let start = lo.floor() as i64;
    let width = (hi.ceil() as i64 - start).max(1) as usize;
    let mut count = vec![0u32; width];
    for l in &data {
        let mut covered = vec![false; width];
        for w in words_between(l, x0, x1) {
            let a = ((w.bbox.x0 - start as f32).floor().max(0.0) as usize).min(width);
            let b = ((w.bbox.x1 - start as f32).ceil().max(0.0) as usize).min(width);
            for c in covered.iter_mut().take(b).skip(a) {
                *c = true;
            }
        }
        for (n, c) in count.iter_mut().zip(covered) {
            *n += c as u32;
        }
    }
    let tolerance = ((data.len() as f32) * 0.03).floor().max(1.0) as u32;
    let tolerance = if data.len() < 6 { 0 } else { tolerance };
    let mut bounds = vec![x0];
    let mut i = 0;
    while i < width {
        if count[i] <= tolerance {
            let run_start = i;
            while i < width && count[i] <= tolerance {
                i += 1;
            }
            let run = (i - run_start) as f32;
            if run >= MIN_GAP_EM * em && run_start > 0 && i < width {
                bounds.push(start as f32 + run_start as f32 + run / 2.0);
            }
        } else {
            i += 1;
        }
    }
    bounds.push(x1);
    let columns = Column::between(&bounds);
    // Indentation is measured from the leftmost word of each column (item numbers included).
    let mut content = vec![f32::INFINITY; columns.len()];
    for l in lines {
        for w in words_between(l, x0, x1) {
            let c = super::column_of(&columns, &w.bbox, is_numeric_text(&w.text));
            content[c] = content[c].min(w.bbox.x0);
        }
    }
    let content = content
        .iter()
        .zip(&columns)
        .map(|(&c, col)| if c.is_finite() { c } else { col.x0 })
        .collect();
    (columns, content)
}

/// The x ranges of the text blocks of a page: two halves when a landscape page holds two pages'
/// worth of text side by side (a vertical band of white space near the middle that no line
/// crosses), else the whole page.
pub fn split_halves(lines: &[&TextLine], page_width: f32, page_height: f32) -> Vec<(f32, f32)> {
    let whole = vec![(0.0, page_width.max(1.0))];
    if page_width <= page_height || lines.len() < 4 {
        return whole;
    }
    let width = page_width.ceil() as usize + 1;
    let mut covered = vec![false; width];
    for l in lines {
        for w in &l.words {
            let a = (w.bbox.x0.floor().max(0.0) as usize).min(width);
            let b = (w.bbox.x1.ceil().max(0.0) as usize).min(width);
            for c in covered.iter_mut().take(b).skip(a) {
                *c = true;
            }
        }
    }
    let (lo, hi) = ((page_width * 0.3) as usize, (page_width * 0.7) as usize);
    // Among the white bands near the middle wide enough to part two pages, the one nearest the
    // middle (the two halves of a spread are pages of one size).
    let min_width = (page_width * 0.02).max(8.0);
    let middle = page_width / 2.0;
    let mut best: Option<(f32, f32)> = None;
    let mut i = lo;
    while i < hi.min(width) {
        if !covered[i] {
            let s = i;
            while i < width && !covered[i] {
                i += 1;
            }
            let (a, b) = (s as f32, i as f32);
            if b - a >= min_width {
                let d = ((a + b) / 2.0 - middle).abs();
                if best.is_none_or(|(ba, bb)| d < ((ba + bb) / 2.0 - middle).abs()) {
                    best = Some((a, b));
                }
            }
        } else {
            i += 1;
        }
    }
    match best {
        Some((a, b)) => {
            let mid = (a + b) / 2.0;
            vec![(0.0, mid), (mid, page_width)]
        }
        None => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yosan_extractors::{BBox, Word};

    fn line(y: f32, words: &[(&str, f32, f32)]) -> TextLine {
        let words: Vec<Word> = words
            .iter()
            .map(|(t, a, b)| Word {
                text: t.to_string(),
                bbox: BBox::new(*a, y, *b, y + 10.0),
                font_size: 10.0,
                vertical: false,
            })
            .collect();
        TextLine {
            text: words
                .iter()
                .map(|w| w.text.clone())
                .collect::<Vec<_>>()
                .join(" "),
            bbox: words
                .iter()
                .map(|w| w.bbox)
                .reduce(|a, b| a.union(&b))
                .unwrap(),
            words,
        }
    }

    #[test]
    fn gaps_between_aligned_columns_become_boundaries() {
        let lines = [
            line(
                0.0,
                &[
                    ("目", 60.0, 70.0),
                    ("本年度", 120.0, 150.0),
                    ("前年度", 190.0, 220.0),
                ],
            ),
            line(
                20.0,
                &[
                    ("1", 40.0, 45.0),
                    ("総務費", 52.0, 82.0),
                    ("1,234", 140.0, 165.0),
                    ("1,000", 200.0, 225.0),
                ],
            ),
            line(
                40.0,
                &[
                    ("2", 40.0, 45.0),
                    ("議会費", 52.0, 82.0),
                    ("12,345,678", 115.0, 165.0),
                    ("900", 210.0, 225.0),
                ],
            ),
            line(
                60.0,
                &[
                    ("3", 40.0, 45.0),
                    ("市史編さん", 52.0, 102.0),
                    ("5", 160.0, 165.0),
                    ("△5", 215.0, 225.0),
                ],
            ),
        ];
        let refs: Vec<&TextLine> = lines.iter().collect();
        let (cols, content) = columns(&refs, 0.0, 300.0);
        assert_eq!(cols.len(), 3, "{cols:?}");
        assert!(cols[0].x1 > 102.0 && cols[0].x1 < 115.0);
        assert!(cols[1].x1 > 165.0 && cols[1].x1 < 200.0);
        assert_eq!(content[0], 40.0);
    }

    #[test]
    fn a_portrait_page_is_never_split() {
        let lines = [line(0.0, &[("a", 10.0, 20.0), ("b", 500.0, 510.0)])];
        let refs: Vec<&TextLine> = lines.iter().collect();
        assert_eq!(split_halves(&refs, 595.0, 842.0).len(), 1);
    }
}
