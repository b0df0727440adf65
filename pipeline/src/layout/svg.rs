//! A picture of one page for people debugging a table: the words (grey boxes with their text),
//! the ruling lines (red), and the tables found on the page: their regions (blue), column
//! boundaries (green) and cells (thin blue boxes, amounts shaded). Written by hand as SVG in page
//! coordinates (points, top-left origin), so any browser shows it.

use super::{Method, Table};
use std::fmt::Write;
use yosan_extractors::{Orientation, Page};

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The SVG of `page` with the cells of `tables` (the tables found on that page).
pub fn page_svg(page: &Page, tables: &[Table]) -> String {
    let (w, h) = (page.width.max(1.0), page.height.max(1.0));
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">"#
    );
    let _ = writeln!(
        s,
        "<title>page {} — words, rules and table cells</title>",
        page.number
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{w}" height="{h}" fill="white" stroke="#999"/>"##
    );
    // Table regions and columns under everything else.
    for (ti, t) in tables.iter().enumerate() {
        let colour = match t.method {
            Method::Lattice => "#1f5fbf",
            Method::Stream => "#b05fbf",
            Method::Sheet => "#555555",
        };
        let _ = writeln!(
            s,
            r#"<g class="table" data-table="{ti}" data-method="{}">"#,
            t.method.as_str()
        );
        for r in &t.regions {
            let _ = writeln!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="{colour}" stroke-width="1.2"/>"#,
                r.x0,
                r.y0,
                r.width(),
                r.height()
            );
        }
        let (top, bottom) = t.bbox().map_or((0.0, h), |b| (b.y0, b.y1));
        // Each boundary once: a column's right edge is usually the next one's left edge.
        let mut xs: Vec<f32> = t
            .columns
            .iter()
            .filter(|c| c.page.is_none_or(|p| p == page.number))
            .flat_map(|c| [c.x0, c.x1])
            .collect();
        xs.sort_by(f32::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() < 0.5);
        for x in xs {
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#2a9d2a" stroke-width="0.6" stroke-dasharray="3,2"/>"##
            );
        }
        for row in t
            .rows
            .iter()
            .filter(|r| r.page.is_none_or(|p| p == page.number))
        {
            for cell in &row.cells {
                let Some(b) = cell.bbox else { continue };
                if cell.page.is_some_and(|p| p != page.number) {
                    continue;
                }
                let fill = if cell.numeric { "#1f5fbf22" } else { "none" };
                let _ = writeln!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{colour}" stroke-width="0.4"><title>col {} indent {}: {}</title></rect>"#,
                    b.x0 - 1.0,
                    b.y0 - 1.0,
                    b.width() + 2.0,
                    b.height() + 2.0,
                    cell.col,
                    cell.indent,
                    esc(&cell.text)
                );
            }
        }
        let _ = writeln!(s, "</g>");
    }
    for r in &page.rules {
        let (x1, y1, x2, y2) = match r.orientation {
            Orientation::Horizontal => (r.x0, (r.y0 + r.y1) / 2.0, r.x1, (r.y0 + r.y1) / 2.0),
            Orientation::Vertical => ((r.x0 + r.x1) / 2.0, r.y0, (r.x0 + r.x1) / 2.0, r.y1),
        };
        let _ = writeln!(
            s,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="red" stroke-width="{:.2}"/>"#,
            r.width.clamp(0.3, 2.0)
        );
    }
    for word in &page.words {
        let b = word.bbox;
        let _ = writeln!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#bbb" stroke-width="0.3"/><text x="{:.1}" y="{:.1}" font-size="{:.1}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs" fill="#222">{}</text>"##,
            b.x0,
            b.y0,
            b.width(),
            b.height(),
            b.x0,
            b.y1 - b.height() * 0.15,
            (b.height() * 0.85).max(1.0),
            b.width().max(1.0),
            esc(&word.text)
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use yosan_extractors::{BBox, Rule, Word};

    #[test]
    fn draws_words_rules_and_escapes_text() {
        let page = Page {
            number: 3,
            width: 100.0,
            height: 50.0,
            words: vec![Word {
                text: "a<b&c".into(),
                bbox: BBox::new(10.0, 10.0, 40.0, 20.0),
                font_size: 10.0,
                vertical: false,
            }],
            rules: vec![Rule {
                orientation: Orientation::Horizontal,
                x0: 0.0,
                y0: 30.0,
                x1: 100.0,
                y1: 30.0,
                width: 0.5,
            }],
            ..Default::default()
        };
        let svg = page_svg(&page, &[]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("a&lt;b&amp;c"));
        assert!(svg.contains("stroke=\"red\""));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
