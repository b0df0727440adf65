//! Human- and machine-readable renderings of a [`Document`] (what `yosan extract FILE` prints).

use crate::{Document, Grid};

/// The document as text: each page's lines in reading order (ascending `y`, then `x`) under a
/// `== page N ==` header, then each grid as tab-separated rows under `== sheet NAME ==` (sheets),
/// `== table N (page P) ==` (tables found on a page) or `== NAME ==` (other grids). Inside a cell,
/// tab, line feed and carriage return are written `\t`, `\n`, `\r` so that one row stays one line.
pub fn to_text(doc: &Document) -> String {
    // PDF pages are drawn as a character grid aligned by x position, like `pdftotext -layout`.
    if doc.format == Some(crate::Format::Pdf) {
        return crate::pdf::render_layout(doc);
    }
    let mut out = String::new();
    for page in &doc.pages {
        out.push_str(&format!("== page {} ==\n", page.number));
        let mut lines: Vec<_> = page.lines.iter().collect();
        lines.sort_by(|a, b| {
            a.bbox
                .y0
                .total_cmp(&b.bbox.y0)
                .then(a.bbox.x0.total_cmp(&b.bbox.x0))
        });
        for line in lines {
            out.push_str(&line.text);
            out.push('\n');
        }
    }
    for grid in &doc.grids {
        out.push_str(&grid_header(grid));
        out.push('\n');
        for row in &grid.rows {
            let mut first = true;
            for cell in row {
                if !first {
                    out.push('\t');
                }
                first = false;
                escape_into(&cell.text, &mut out);
            }
            out.push('\n');
        }
    }
    out
}

fn grid_header(grid: &Grid) -> String {
    match (&grid.sheet, grid.page) {
        (Some(sheet), _) => format!("== sheet {sheet} =="),
        (None, Some(page)) => format!("== {} (page {page}) ==", grid.name),
        (None, None) => format!("== {} ==", grid.name),
    }
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
}

/// The document as JSON: the serialised [`Document`] (format, encoding, pages with words and
/// lines, grids with typed cells, metadata, diagnostics).
pub fn to_json(doc: &Document) -> serde_json::Value {
    serde_json::to_value(doc).unwrap_or_else(
        |e| serde_json::json!({ "error": format!("cannot serialise the document: {e}") }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BBox, Cell, CellValue, Format, Page, TextLine};

    fn line(text: &str, x: f32, y: f32) -> TextLine {
        TextLine {
            text: text.to_string(),
            bbox: BBox::new(x, y, x + 1.0, y + 1.0),
            words: Vec::new(),
        }
    }

    #[test]
    fn text_rendering() {
        let mut doc = Document::new(Format::Text);
        doc.pages.push(Page {
            number: 1,
            lines: vec![line("second", 0.0, 3.0), line("first", 0.0, 1.0)],
            ..Default::default()
        });
        doc.grids.push(Grid {
            name: "table 1".into(),
            page: Some(1),
            rows: vec![vec![
                Cell::text("a\tb"),
                Cell::default(),
                Cell::text("c\nd"),
            ]],
            ..Default::default()
        });
        doc.grids.push(Grid {
            name: "歳出".into(),
            sheet: Some("歳出".into()),
            rows: vec![vec![Cell {
                text: "△48,204".into(),
                value: CellValue::Number("-48204".into()),
            }]],
            ..Default::default()
        });
        doc.grids.push(Grid {
            name: "table".into(),
            rows: vec![vec![], vec![Cell::text("x")]],
            ..Default::default()
        });
        assert_eq!(
            to_text(&doc),
            "== page 1 ==\nfirst\nsecond\n== table 1 (page 1) ==\na\\tb\t\tc\\nd\n== sheet 歳出 ==\n△48,204\n== table ==\n\nx\n"
        );
    }

    #[test]
    fn json_rendering() {
        let mut doc = Document::new(Format::Csv);
        doc.grids.push(Grid {
            name: "table".into(),
            rows: vec![vec![Cell {
                text: "32774".into(),
                value: CellValue::Number("32774".into()),
            }]],
            ..Default::default()
        });
        let v = to_json(&doc);
        assert_eq!(v["format"], "csv");
        assert_eq!(v["grids"][0]["rows"][0][0]["value"]["type"], "number");
        assert_eq!(v["grids"][0]["rows"][0][0]["value"]["value"], "32774");
    }
}
