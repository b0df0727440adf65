//! The small amount of HTML the text extractor needs: tags, entities, inline markup inside text
//! lines and table cells, and simple `<table>` elements with `colspan`/`rowspan`.
//!
//! This is not an HTML parser. It reads the fragments that document converters leave in text
//! (`<b>…</b>`, `<p>`, `<br>`, `<input type="checkbox" checked>`, `<sup>`) and plain tables.

use crate::value::field_cell;
use crate::{Cell, CellRange};

/// Largest `colspan` honoured (the HTML limit).
const MAX_COLSPAN: u32 = 1000;
/// Largest `rowspan` honoured (the HTML limit).
const MAX_ROWSPAN: u32 = 65534;
/// Widest table row kept; cells beyond are dropped with a warning.
pub(crate) const MAX_TABLE_COLUMNS: usize = 16384;

/// HTML element names recognised as markup inside plain text and Markdown. Anything else that
/// looks like a tag (`<取組>`, `<推移>`, `a<b`) is text.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "footer",
    "hr",
    "html",
    "i",
    "img",
    "input",
    "ins",
    "label",
    "li",
    "link",
    "mark",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "wbr",
];

/// Elements that separate text (a word boundary, a line in a cell); the others are inline.
const BLOCK_TAGS: &[&str] = &[
    "article",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Elements whose content is not text.
const RAW_TEXT_TAGS: &[&str] = &["script", "style"];

pub(crate) fn is_known(name: &str) -> bool {
    KNOWN_TAGS.contains(&name)
}

pub(crate) fn is_block(name: &str) -> bool {
    BLOCK_TAGS.contains(&name)
}

pub(crate) fn is_raw_text(name: &str) -> bool {
    RAW_TEXT_TAGS.contains(&name)
}

/// One tag-like construct at the start of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Markup<'a> {
    /// `<name attrs>` or `</name>`; `name` is lower-case ASCII.
    Tag {
        name: String,
        closing: bool,
        attrs: &'a str,
        len: usize,
    },
    /// `<!-- … -->`, `<!DOCTYPE …>`, `<? … ?>`.
    Other { len: usize },
}

impl Markup<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Markup::Tag { len, .. } | Markup::Other { len } => *len,
        }
    }
}

/// Longest tag read; a longer `<…>` is text. Bounds the work spent on each `<`.
const MAX_TAG_LEN: usize = 64 * 1024;

/// Reads the tag at the start of `s` (which starts with `<`). `None` when it is not a complete
/// tag within `s`: a `<` followed by a non-letter, a `<` before the closing `>`, no closing `>`
/// within [`MAX_TAG_LEN`] bytes. A comment that is never closed runs to the end of `s`, as in a
/// browser (this also keeps scanning linear).
pub(crate) fn parse_markup(s: &str) -> Option<Markup<'_>> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    if let Some(rest) = s.strip_prefix("<!--") {
        let len = rest.find("-->").map_or(s.len(), |end| 4 + end + 3);
        return Some(Markup::Other { len });
    }
    if matches!(b.get(1), Some(b'!') | Some(b'?')) {
        let end = b
            .iter()
            .take(MAX_TAG_LEN)
            .skip(1)
            .position(|&c| c == b'>' || c == b'<')?
            + 1;
        return (b[end] == b'>').then_some(Markup::Other { len: end + 1 });
    }
    let closing = b.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    if !b.get(name_start).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut i = name_start;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    match b.get(i) {
        Some(b'>') | Some(b'/') => {}
        Some(c) if c.is_ascii_whitespace() => {}
        _ => return None,
    }
    let attrs_start = i;
    let mut quote: Option<u8> = None;
    while i < b.len().min(MAX_TAG_LEN) {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                return Some(Markup::Tag {
                    name,
                    closing,
                    attrs: &s[attrs_start..i],
                    len: i + 1,
                })
            }
            None if c == b'<' => return None,
            None => {}
        }
        i += 1;
    }
    None
}

/// The value of attribute `name` in a tag's attribute text (`Some("")` for a bare attribute).
pub(crate) fn attr(attrs: &str, name: &str) -> Option<String> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let key = &attrs[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i += 1;
                let vs = i;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = attrs[vs..i].to_string();
                i = (i + 1).min(b.len());
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = attrs[vs..i].to_string();
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if i == start {
            i += 1;
        }
    }
    None
}

/// What an `<input>` shows: `☑`/`☐` for checkboxes, `◉`/`○` for radio buttons, nothing else.
pub(crate) fn input_symbol(name: &str, attrs: &str) -> Option<char> {
    if name != "input" {
        return None;
    }
    let kind = attr(attrs, "type")?.to_ascii_lowercase();
    let checked = attr(attrs, "checked").is_some();
    match (kind.as_str(), checked) {
        ("checkbox", true) => Some('☑'),
        ("checkbox", false) => Some('☐'),
        ("radio", true) => Some('◉'),
        ("radio", false) => Some('○'),
        _ => None,
    }
}

/// Decodes the character reference at the start of `s` (which starts with `&`): `&amp;`,
/// `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` (as a plain space), a few typographic names, and
/// `&#NNN;` / `&#xHHHH;` (U+FFFD for a number that is no character). Returns the character and
/// the length read; `None` leaves the `&` as text.
pub(crate) fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(34).position(|&c| c == b';')?;
    let body = s.get(1..end)?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).unwrap_or(u32::MAX)
        } else {
            if num.is_empty() || !num.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            num.parse::<u32>().unwrap_or(u32::MAX)
        };
        match code {
            0 => '\u{FFFD}',
            c => char::from_u32(c).unwrap_or('\u{FFFD}'),
        }
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "yen" => '¥',
            "times" => '×',
            "divide" => '÷',
            "minus" => '−',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "middot" => '·',
            "copy" => '©',
            "reg" => '®',
            "laquo" => '«',
            "raquo" => '»',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "deg" => '°',
            "plusmn" => '±',
            "sect" => '§',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Which tags [`cell_text`] treats as markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagSet {
    /// Only [`KNOWN_TAGS`] (plain text and Markdown).
    Known,
    /// Anything tag-shaped (HTML input).
    All,
}

/// The text of a table cell written with inline markup: tags stripped, `<br>` and block tags
/// as line breaks, checkboxes as `☐`/`☑`, entities decoded. With `collapse`, runs of white
/// space become one space (HTML rendering); without it, spaces are kept as written. Line breaks
/// are trimmed around, and the whole text is trimmed.
pub(crate) fn cell_text(raw: &str, tags: TagSet, collapse: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let b = raw.as_bytes();
    let mut skip_until: Option<String> = None;
    while i < b.len() {
        if let Some(end_name) = &skip_until {
            match raw[i..].find('<') {
                Some(p) => {
                    i += p;
                    if let Some(Markup::Tag {
                        name,
                        closing: true,
                        len,
                        ..
                    }) = parse_markup(&raw[i..])
                    {
                        if &name == end_name {
                            skip_until = None;
                            i += len;
                            continue;
                        }
                    }
                    i += 1;
                    continue;
                }
                None => break,
            }
        }
        let c = b[i];
        if c == b'<' {
            if let Some(m) = parse_markup(&raw[i..]) {
                let take = match &m {
                    Markup::Other { .. } => tags == TagSet::All || raw[i..].starts_with("<!--"),
                    Markup::Tag { name, .. } => tags == TagSet::All || is_known(name),
                };
                if take {
                    if let Markup::Tag {
                        name,
                        closing,
                        attrs,
                        ..
                    } = &m
                    {
                        if let Some(sym) = input_symbol(name, attrs) {
                            out.push(sym);
                        } else if is_block(name) {
                            out.push('\n');
                        } else if !closing && is_raw_text(name) {
                            skip_until = Some(name.clone());
                        }
                    }
                    i += m.len();
                    continue;
                }
            }
        } else if c == b'&' {
            if let Some((ch, len)) = entity(&raw[i..]) {
                out.push(ch);
                i += len;
                continue;
            }
        }
        // Copy one character.
        let ch_len = utf8_len(c);
        let end = (i + ch_len).min(b.len());
        out.push_str(raw.get(i..end).unwrap_or("\u{FFFD}"));
        i = end;
    }
    tidy(&out, collapse)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

/// Trims each line of a cell, drops empty lines, optionally collapses white space.
fn tidy(s: &str, collapse: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n') {
        let line = line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r');
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        if collapse {
            let mut space = false;
            for ch in line.chars() {
                if ch == ' ' || ch == '\t' || ch == '\r' {
                    space = true;
                } else {
                    if space {
                        out.push(' ');
                        space = false;
                    }
                    out.push(ch);
                }
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A table read from HTML.
#[derive(Debug, Clone, Default)]
pub(crate) struct HtmlTable {
    pub rows: Vec<Vec<Cell>>,
    /// Byte offset (in the parsed text) of each row's `<tr>` (or first cell).
    pub row_offsets: Vec<usize>,
    pub merged: Vec<CellRange>,
    /// Problems worth a warning (cells dropped beyond [`MAX_TABLE_COLUMNS`]).
    pub warnings: Vec<String>,
}

struct PendingCell {
    text: String,
    colspan: u32,
    rowspan: u32,
}

struct PendingRow {
    offset: usize,
    cells: Vec<PendingCell>,
}

/// Finds the end (exclusive byte offset) of the table starting at `start` (where `<table`
/// begins): after the `</table>` that closes it, nested tables counted. `None` when the table is
/// not closed.
pub(crate) fn table_end(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(p) = text.get(i..).and_then(|s| s.find('<')) {
        i += p;
        match parse_markup(&text[i..]) {
            Some(Markup::Tag {
                name, closing, len, ..
            }) if name == "table" => {
                if closing {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i + len);
                    }
                } else {
                    depth += 1;
                }
                i += len;
            }
            Some(m) => i += m.len(),
            None => i += 1,
        }
    }
    None
}

/// Reads the table in `html` (which starts at its `<table` tag). Nested tables are flattened into
/// the text of the cell holding them. Covered cells of `colspan`/`rowspan` are empty and the span
/// is recorded in `merged`, as for merged spreadsheet cells.
pub(crate) fn parse_table(html: &str) -> HtmlTable {
    let mut rows: Vec<PendingRow> = Vec::new();
    let mut cell: Option<PendingCell> = None;
    let mut depth = 0usize;
    let mut skip_until: Option<String> = None;
    let mut in_caption = false;
    let mut i = 0usize;
    let b = html.as_bytes();
    let mut text_start = 0usize;

    fn close_cell(rows: &mut Vec<PendingRow>, cell: &mut Option<PendingCell>, offset: usize) {
        if let Some(c) = cell.take() {
            if rows.is_empty() {
                rows.push(PendingRow {
                    offset,
                    cells: Vec::new(),
                });
            }
            if let Some(r) = rows.last_mut() {
                r.cells.push(c);
            }
        }
    }

    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let Some(m) = parse_markup(&html[i..]) else {
            i += 1;
            continue;
        };
        // Text between the previous markup and this one belongs to the open cell.
        if let Some(c) = cell.as_mut() {
            if skip_until.is_none() && !in_caption {
                c.text.push_str(&html[text_start..i]);
            }
        }
        let len = m.len();
        if let Markup::Tag {
            name,
            closing,
            attrs,
            ..
        } = &m
        {
            if let Some(end_name) = &skip_until {
                if *closing && name == end_name {
                    skip_until = None;
                }
            } else if !closing && is_raw_text(name) {
                skip_until = Some(name.clone());
            } else if name == "table" {
                if *closing {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        close_cell(&mut rows, &mut cell, i);
                        i += len;
                        text_start = i;
                        break;
                    }
                } else {
                    depth += 1;
                }
                if depth > 1 {
                    if let Some(c) = cell.as_mut() {
                        c.text.push('\n');
                    }
                }
            } else if depth > 1 {
                // Inside a nested table: its markup only separates text.
                if let Some(c) = cell.as_mut() {
                    if let Some(sym) = input_symbol(name, attrs) {
                        c.text.push(sym);
                    } else if is_block(name) {
                        c.text.push('\n');
                    }
                }
            } else if name == "caption" {
                in_caption = !closing;
            } else if name == "tr" {
                close_cell(&mut rows, &mut cell, i);
                if !closing {
                    rows.push(PendingRow {
                        offset: i,
                        cells: Vec::new(),
                    });
                }
            } else if name == "td" || name == "th" {
                close_cell(&mut rows, &mut cell, i);
                if !closing {
                    if rows.is_empty() {
                        rows.push(PendingRow {
                            offset: i,
                            cells: Vec::new(),
                        });
                    }
                    let span = |key: &str, max: u32, zero: u32| -> u32 {
                        match attr(attrs, key).and_then(|v| v.trim().parse::<u32>().ok()) {
                            Some(0) => zero,
                            Some(n) => n.min(max),
                            None => 1,
                        }
                    };
                    cell = Some(PendingCell {
                        text: String::new(),
                        colspan: span("colspan", MAX_COLSPAN, 1),
                        rowspan: span("rowspan", MAX_ROWSPAN, MAX_ROWSPAN),
                    });
                }
            } else if let Some(c) = cell.as_mut() {
                // Inline markup inside a cell: keep its meaning as text.
                if let Some(sym) = input_symbol(name, attrs) {
                    c.text.push(sym);
                } else if is_block(name) {
                    c.text.push('\n');
                }
            }
        }
        i += len;
        text_start = i;
    }
    if let Some(c) = cell.as_mut() {
        if skip_until.is_none() && !in_caption && text_start < html.len() {
            c.text.push_str(&html[text_start..]);
        }
    }
    close_cell(&mut rows, &mut cell, html.len());
    // Spans can make a short text expand to many cells: allow four cells per input byte (and at
    // least a million), which no honest table reaches.
    layout(rows, html.len().saturating_mul(4).max(1_000_000))
}

/// Places cells in grid positions honouring spans.
fn layout(rows: Vec<PendingRow>, budget: usize) -> HtmlTable {
    let mut table = HtmlTable::default();
    let mut cells = 0usize;
    let row_count = rows.len();
    // For each column, how many more rows (including the current one) a rowspan covers.
    let mut carry: Vec<u32> = Vec::new();
    let mut dropped = 0usize;
    for (r, row) in rows.into_iter().enumerate() {
        let mut out: Vec<Cell> = Vec::new();
        let mut col = 0usize;
        for pc in row.cells {
            while carry.get(col).is_some_and(|&n| n > 0) {
                col += 1;
            }
            let colspan = pc.colspan.max(1) as usize;
            if col + colspan > MAX_TABLE_COLUMNS || cells.saturating_add(col + colspan) > budget {
                dropped += 1;
                continue;
            }
            while out.len() < col {
                out.push(Cell::default());
            }
            let text = cell_text(&pc.text, TagSet::All, true);
            out.push(field_cell(&text));
            for _ in 1..colspan {
                out.push(Cell::default());
            }
            let rowspan = pc.rowspan.max(1);
            if carry.len() < col + colspan {
                carry.resize(col + colspan, 0);
            }
            for slot in carry.iter_mut().skip(col).take(colspan) {
                *slot = rowspan;
            }
            if colspan > 1 || rowspan > 1 {
                let last_row =
                    (r as u64 + rowspan as u64 - 1).min(row_count.saturating_sub(1) as u64);
                table.merged.push(CellRange {
                    first_row: r as u32,
                    first_col: col as u32,
                    last_row: last_row as u32,
                    last_col: (col + colspan - 1) as u32,
                });
            }
            col += colspan;
        }
        cells = cells.saturating_add(out.len());
        for slot in carry.iter_mut() {
            *slot = slot.saturating_sub(1);
        }
        table.rows.push(out);
        table.row_offsets.push(row.offset);
    }
    // A rowspan clamped to the table's end may have become a single cell.
    table
        .merged
        .retain(|m| m.last_row > m.first_row || m.last_col > m.first_col);
    if dropped > 0 {
        table.warnings.push(format!(
            "{dropped} cells beyond column {MAX_TABLE_COLUMNS} or beyond the table's cell budget were dropped"
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CellValue;

    #[test]
    fn markup_shapes() {
        assert!(
            matches!(parse_markup("<b>x"), Some(Markup::Tag { ref name, closing: false, len: 3, .. }) if name == "b")
        );
        assert!(
            matches!(parse_markup("</B>"), Some(Markup::Tag { ref name, closing: true, .. }) if name == "b")
        );
        assert!(
            matches!(parse_markup("<br/>"), Some(Markup::Tag { ref name, len: 5, .. }) if name == "br")
        );
        assert!(matches!(
            parse_markup("<a href=\"x>y\">"),
            Some(Markup::Tag { len: 14, .. })
        ));
        assert!(matches!(
            parse_markup("<!-- c -->"),
            Some(Markup::Other { len: 10 })
        ));
        assert!(matches!(
            parse_markup("<!-- open"),
            Some(Markup::Other { len: 9 })
        ));
        assert!(matches!(
            parse_markup("<!DOCTYPE html>"),
            Some(Markup::Other { len: 15 })
        ));
        assert_eq!(parse_markup("<!<!x>"), None);
        assert_eq!(parse_markup("<取組>"), None);
        assert_eq!(parse_markup("< b>"), None);
        assert_eq!(parse_markup("<b"), None);
        assert_eq!(parse_markup("a<b"), None);
    }

    #[test]
    fn attributes() {
        let a = r#" type="checkbox" checked colspan=3 data-x='1 2'"#;
        assert_eq!(attr(a, "type").as_deref(), Some("checkbox"));
        assert_eq!(attr(a, "checked").as_deref(), Some(""));
        assert_eq!(attr(a, "colspan").as_deref(), Some("3"));
        assert_eq!(attr(a, "data-x").as_deref(), Some("1 2"));
        assert_eq!(attr(a, "rowspan"), None);
    }

    #[test]
    fn entities() {
        assert_eq!(entity("&amp;x"), Some(('&', 5)));
        assert_eq!(entity("&nbsp;"), Some((' ', 6)));
        assert_eq!(entity("&#9651;"), Some(('△', 7)));
        assert_eq!(entity("&#x25B2;"), Some(('▲', 8)));
        assert_eq!(entity("&#1114112;"), Some(('\u{FFFD}', 10)));
        assert_eq!(entity("&unknown;"), None);
        assert_eq!(entity("& amp"), None);
        assert_eq!(entity("R&D"), None);
    }

    #[test]
    fn cell_text_strips_known_tags_only() {
        assert_eq!(
            cell_text("<b>II 企業活動に対する支援</b>", TagSet::Known, false),
            "II 企業活動に対する支援"
        );
        assert_eq!(
            cell_text("<取組> &amp; a<b", TagSet::Known, false),
            "<取組> & a<b"
        );
        assert_eq!(
            cell_text(
                "<input type=\"checkbox\"/> 新規 <input checked=\"\" type=\"checkbox\"/> 拡充",
                TagSet::Known,
                false
            ),
            "☐ 新規 ☑ 拡充"
        );
        assert_eq!(cell_text("a<br>b<br/> c", TagSet::Known, false), "a\nb\nc");
        assert_eq!(cell_text("CO<sub>2</sub>", TagSet::Known, false), "CO2");
        assert_eq!(
            cell_text("x<script>var a=1;</script>y", TagSet::All, false),
            "xy"
        );
        assert_eq!(cell_text("  a   b \n c ", TagSet::All, true), "a b\nc");
    }

    #[test]
    fn table_with_spans() {
        let html = "<table><caption>（単位：千円）</caption>\n<tr><th rowspan=2>区分</th><th colspan=2>予算額</th></tr>\n<tr><th>R4</th><th>R3</th></tr>\n<tr><td>計</td><td>1,379,383</td><td>&#9651; 8,472</td></tr></table>";
        let t = parse_table(html);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0].len(), 3);
        assert_eq!(t.rows[0][0].text, "区分");
        assert_eq!(t.rows[0][1].text, "予算額");
        assert!(t.rows[0][2].is_empty());
        assert!(t.rows[1][0].is_empty());
        assert_eq!(t.rows[1][1].text, "R4");
        assert_eq!(t.rows[1][2].text, "R3");
        assert_eq!(t.rows[2][2].text, "△ 8,472");
        assert_eq!(t.merged.len(), 2);
        assert!(t.merged.contains(&CellRange {
            first_row: 0,
            first_col: 0,
            last_row: 1,
            last_col: 0
        }));
        assert!(t.merged.contains(&CellRange {
            first_row: 0,
            first_col: 1,
            last_row: 0,
            last_col: 2
        }));
        assert_eq!(html[t.row_offsets[1]..].get(..4), Some("<tr>"));
    }

    #[test]
    fn table_with_omitted_end_tags_and_nesting() {
        let html = "<TABLE><TR><TD>a<TD>1<TR><TD>b<td><table><tr><td>x</td><td>y</td></tr></table></TABLE>";
        assert_eq!(table_end(html, 0), Some(html.len()));
        let t = parse_table(html);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][1].value, CellValue::Number("1".into()));
        assert_eq!(t.rows[1][1].text, "x\ny");
    }

    #[test]
    fn huge_spans_are_clamped() {
        let html =
            "<table><tr><td rowspan=999999 colspan=999999>a</td></tr><tr><td>b</td></tr></table>";
        let t = parse_table(html);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].len(), MAX_COLSPAN as usize);
        assert_eq!(
            t.merged,
            vec![CellRange {
                first_row: 0,
                first_col: 0,
                last_row: 1,
                last_col: MAX_COLSPAN - 1
            }]
        );
        // Row 2 is fully covered: its cell goes after the span.
        assert_eq!(t.rows[1].len(), MAX_COLSPAN as usize + 1);
    }

    #[test]
    fn unclosed_table_end_is_none() {
        assert_eq!(table_end("<table><tr><td>a", 0), None);
        let t = parse_table("<table><tr><td>a");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0].text, "a");
    }
}
