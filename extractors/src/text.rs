//! Plain text, Markdown and HTML: positioned lines on pages, and the tables found in the text.
//!
//! **Pages.** The text is split into pages at form feeds (`\f`, as `pdftotext` writes them),
//! numbered from 1. A form feed inside a line ends the page there; the rest of the line starts the
//! next page. A trailing form feed does not open an empty last page.
//!
//! **Lines and words.** Every non-blank line becomes a [`TextLine`]; blank lines are left out but
//! keep their place in the numbering, so `y` is the real 0-based line index within the page. A
//! word is a maximal run of characters that are not white space (`char::is_whitespace`: ASCII
//! space, tab, U+3000 ideographic space, ...). Words keep their position in display columns of
//! the line as written: East Asian wide and full-width characters count 2, every other character
//! (tab included) counts 1. A word's box is `x0` = its first column, `x1` = the column after its
//! last character, `y0` = line index, `y1` = line index + 1. `font_size` is 1.0.
//!
//! **Markup in lines.** Document converters leave HTML fragments in text (`<b>…</b>`, `<p>`,
//! `<input type="checkbox" checked>`). In every text kind, tags of known HTML elements are
//! removed from lines (inline elements join their neighbours, `CO<sub>2</sub>` is one word;
//! block elements and `<br>` separate words); checkbox and radio inputs show as `☐`/`☑`/`○`/`◉`.
//! Columns still count the removed characters, so positions stay those of the file. Markdown and
//! HTML also get character references decoded (`&amp;`). A whole HTML document (starting with
//! `<!DOCTYPE html` or `<html`) has every tag removed, including tags and comments spanning
//! lines, and `<script>`/`<style>`/`<title>` content (the title goes to `metadata["title"]`);
//! other text detected as HTML (text with a `<table>` in it) is read like Markdown without
//! heading markers. Markdown heading markers
//! (`# `, `## `, closing `#`s) are removed from headings (`# 事業計画書` is the line `事業計画書`
//! at column 2); everything else is kept as printed.
//!
//! **Tables** (grids named `table 1`, `table 2`, ... in file order, with `page` and the 1-based
//! file line of every row in `row_lines`):
//! - HTML `<table>` elements anywhere in the text (a small reader of plain HTML tables): `<th>`/`<td>` cells,
//!   `colspan`/`rowspan` recorded in `merged` (the covered cells stay empty, as in a sheet), tags
//!   stripped, `<br>` as a line break, white space collapsed, entities decoded;
//! - Markdown pipe tables: two or more consecutive lines starting with `|` (or a line with `|`
//!   followed by a `---|---` separator row); separator rows are dropped, `\|` is a literal pipe;
//! - runs of two or more consecutive lines containing a tab, one cell per tab-separated field.
//!
//! A line belongs to at most one table (HTML first, then pipe tables, then tab runs). In a whole
//! HTML document, white space is not structure: only `<table>` elements are tables. Cells of
//! pipe and tab tables are trimmed, have markup stripped as in lines (and entities decoded), and
//! are numbers when they are plain decimals (see [`crate::value::plain_number`]).

use crate::decode::start_document;
use crate::html::{self, TagSet};
use crate::value::field_cell;
use crate::{BBox, Cell, Diagnostic, Document, ExtractOptions, Format, Grid, Page, TextLine, Word};
use thiserror::Error;
use unicode_width::UnicodeWidthChar;

/// Why a text file yielded no document. Only strict mode fails; lenient mode reports the same
/// problems as diagnostics.
#[derive(Debug, Error)]
pub enum TextError {
    /// The extractor was called for a format it does not read.
    #[error("the text extractor does not read {format} files")]
    NotText { format: &'static str },
    /// Strict mode: bytes that decode in no supported encoding.
    #[error("line {line}: bytes at offset {offset} are not valid {encoding}")]
    InvalidBytes {
        encoding: String,
        line: u32,
        offset: usize,
    },
    /// Strict mode: a `<table>` that is never closed.
    #[error("line {line}: <table> is never closed")]
    UnclosedTable { line: u32 },
}

impl TextError {
    /// A stable code for the `diagnostics` table.
    pub fn code(&self) -> &'static str {
        match self {
            TextError::NotText { .. } => "text.unsupported_format",
            TextError::InvalidBytes { .. } => "text.invalid_bytes",
            TextError::UnclosedTable { .. } => "text.unclosed_table",
        }
    }
}

/// One piece of a physical line on one page (a line split by form feeds gives several).
#[derive(Debug, Clone, Copy)]
struct Segment<'a> {
    page: u32,
    /// 0-based line index within the page.
    y: u32,
    /// 0-based physical line index in the file.
    line: usize,
    text: &'a str,
}

/// Extracts a plain-text, Markdown or HTML file.
pub fn extract(bytes: &[u8], format: Format, opts: &ExtractOptions) -> Result<Document, TextError> {
    if !matches!(format, Format::Text | Format::Markdown | Format::Html) {
        return Err(TextError::NotText {
            format: format.as_str(),
        });
    }
    let (mut doc, decoded) = start_document(bytes, format, opts.strict, "text.invalid_bytes")
        .map_err(|first| TextError::InvalidBytes {
            encoding: first.encoding,
            line: first.line,
            offset: first.offset,
        })?;
    let text = decoded.text.as_str();
    let html_document = format == Format::Html && is_html_document(text);
    let mode = Mode {
        tags: if html_document {
            TagSet::All
        } else {
            TagSet::Known
        },
        entities: format != Format::Text,
        headings: format == Format::Markdown,
        line_tables: !html_document,
    };
    if format == Format::Html {
        if let Some(title) = html_title(text) {
            doc.metadata.insert("title".into(), title);
        }
    }

    let segments = segments(text);
    let last_page = segments.last().map_or(1, |s| s.page);
    let trailing_ff = text.trim_end_matches('\n').ends_with('\u{0C}');
    let page_count = if trailing_ff
        && last_page > 1
        && segments
            .iter()
            .filter(|s| s.page == last_page)
            .all(|s| s.text.trim().is_empty())
    {
        last_page - 1
    } else {
        last_page
    };

    // Pages of positioned lines.
    let mut pages: Vec<Page> = (1..=page_count)
        .map(|n| Page {
            number: n,
            ..Default::default()
        })
        .collect();
    let mut state = LineState::default();
    for seg in &segments {
        let chars = visible_chars(seg.text, &mode, &mut state);
        let Some(page) = pages.get_mut(seg.page.saturating_sub(1) as usize) else {
            continue;
        };
        page.height = page.height.max(seg.y as f32 + 1.0);
        if let Some(line) = text_line(&chars, seg.y) {
            page.width = page.width.max(line.bbox.x1);
            page.words.extend(line.words.iter().cloned());
            page.lines.push(line);
        }
    }
    pages.retain(|p| opts.wants_page(p.number));
    doc.pages = pages;

    // Tables.
    let index = LineIndex::new(text);
    let mut covered = vec![false; index.starts.len()];
    let mut grids: Vec<Grid> = Vec::new();
    find_html_tables(
        text,
        &index,
        &mut covered,
        &mut grids,
        &mut doc.diagnostics,
        opts,
    )?;
    find_line_tables(&segments, &mode, &covered, &mut grids, &mut doc.diagnostics);
    grids.sort_by_key(|g| g.row_lines.first().copied().unwrap_or(0));
    grids.retain(|g| g.page.is_none_or(|p| opts.wants_page(p)));
    for (i, g) in grids.iter_mut().enumerate() {
        g.name = format!("table {}", i + 1);
    }
    doc.grids = grids;
    doc.metadata
        .insert("page_count".into(), page_count.to_string());
    Ok(doc)
}

/// How lines are read.
#[derive(Debug, Clone, Copy)]
struct Mode {
    /// Which tags are markup.
    tags: TagSet,
    /// Decode character references.
    entities: bool,
    /// Remove Markdown heading markers.
    headings: bool,
    /// Look for pipe tables and tab runs.
    line_tables: bool,
}

/// True when the text is a whole HTML document (`<!DOCTYPE html …>` or `<html` first).
fn is_html_document(text: &str) -> bool {
    let head: String = text
        .trim_start_matches(['\u{FEFF}', ' ', '\t', '\n', '\u{0C}'])
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// The text of the first `<title>` element, if any and not blank.
fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|s| s.find("<title")) {
        let start = from + p;
        if let Some(html::Markup::Tag {
            name,
            closing: false,
            len,
            ..
        }) = html::parse_markup(&text[start..])
        {
            if name == "title" {
                let body_start = start + len;
                let body_end = lower[body_start..]
                    .find("</title")
                    .map_or(text.len(), |e| body_start + e);
                let title = html::cell_text(&text[body_start..body_end], TagSet::All, true);
                return (!title.is_empty()).then_some(title);
            }
        }
        from = start + 1;
    }
    None
}

/// Splits the text into per-page line segments.
fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut page = 1u32;
    let mut y = 0u32;
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() && text.is_empty() {
        return out;
    }
    for (line, physical) in body.split('\n').enumerate() {
        for (k, part) in physical.split('\u{0C}').enumerate() {
            if k > 0 {
                page = page.saturating_add(1);
                y = 0;
            }
            out.push(Segment {
                page,
                y,
                line,
                text: part,
            });
        }
        y = y.saturating_add(1);
    }
    out
}

/// Byte offsets of line starts, to turn offsets into 1-based lines and pages.
struct LineIndex {
    starts: Vec<usize>,
    form_feeds: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let mut form_feeds = Vec::new();
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            } else if b == 0x0C {
                form_feeds.push(i);
            }
        }
        LineIndex { starts, form_feeds }
    }
    /// 0-based line holding byte `offset`.
    fn line0(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
    /// 1-based line holding byte `offset`.
    fn line(&self, offset: usize) -> u32 {
        u32::try_from(self.line0(offset) + 1).unwrap_or(u32::MAX)
    }
    /// 1-based page holding byte `offset`.
    fn page(&self, offset: usize) -> u32 {
        u32::try_from(self.form_feeds.partition_point(|&f| f < offset) + 1).unwrap_or(u32::MAX)
    }
}

/// Markup state carried from one line to the next (HTML only).
#[derive(Debug, Default)]
struct LineState {
    in_tag: bool,
    in_comment: bool,
    raw_text: Option<String>,
}

/// A visible character: the character, its display column in the line as written, its width.
type Visible = (char, u32, u32);

fn char_width(c: char) -> u32 {
    if c.width() == Some(2) {
        2
    } else {
        1
    }
}

fn str_width(s: &str) -> u32 {
    s.chars().map(char_width).fold(0u32, u32::saturating_add)
}

/// A half-open byte range in a line.
type ByteRange = (usize, usize);

/// Byte range of the Markdown heading markers of `line`, if it is an ATX heading: the opening
/// `#`s (with at most three spaces before them) and a closing run of `#`s.
fn heading_markers(line: &str) -> Option<(ByteRange, Option<ByteRange>)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let after = &rest[hashes..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let open = (indent, indent + hashes);
    let trimmed = line.trim_end_matches([' ', '\t']);
    let closing_hashes = trimmed.len() - trimmed.trim_end_matches('#').len();
    let close_start = trimmed.len() - closing_hashes;
    let close =
        if closing_hashes > 0 && close_start > open.1 && line[..close_start].ends_with([' ', '\t'])
        {
            Some((close_start, trimmed.len()))
        } else {
            None
        };
    Some((open, close))
}

/// The visible characters of one line, markup removed as described in the module docs.
fn visible_chars(line: &str, mode: &Mode, state: &mut LineState) -> Vec<Visible> {
    let mut out: Vec<Visible> = Vec::with_capacity(line.len());
    let tags = mode.tags;
    let entities = mode.entities;
    let heading = if mode.headings {
        heading_markers(line)
    } else {
        None
    };
    let b = line.as_bytes();
    let last_gt = line.rfind('>');
    let mut col = 0u32;
    let mut i = 0usize;
    while i < b.len() {
        // Markup continued from an earlier line.
        if state.in_comment || state.in_tag {
            let close = if state.in_comment { "-->" } else { ">" };
            match line[i..].find(close) {
                Some(p) => {
                    let end = i + p + close.len();
                    col = col.saturating_add(str_width(&line[i..end]));
                    i = end;
                    state.in_comment = false;
                    state.in_tag = false;
                    continue;
                }
                None => break,
            }
        }
        if let Some(name) = state.raw_text.clone() {
            let mut found = None;
            let mut j = i;
            while let Some(p) = line[j..].find("</") {
                let at = j + p;
                if let Some(html::Markup::Tag {
                    name: n,
                    closing: true,
                    len,
                    ..
                }) = html::parse_markup(&line[at..])
                {
                    if n == name {
                        found = Some(at + len);
                        break;
                    }
                }
                j = at + 2;
            }
            match found {
                Some(end) => {
                    col = col.saturating_add(str_width(&line[i..end]));
                    i = end;
                    state.raw_text = None;
                    continue;
                }
                None => break,
            }
        }
        if let Some((open, close)) = heading {
            let hidden = if i == open.0 {
                Some(open.1)
            } else {
                close.filter(|c| i == c.0).map(|c| c.1)
            };
            if let Some(end) = hidden {
                col = col.saturating_add(str_width(&line[i..end]));
                i = end;
                continue;
            }
        }
        let c = b[i];
        if c == b'<' {
            if line[i..].starts_with("<!--") && !line[i..].contains("-->") {
                // A comment running past the end of the line.
                if tags == TagSet::All {
                    state.in_comment = true;
                }
                break;
            }
            match html::parse_markup(&line[i..]) {
                Some(m) => {
                    let take = match &m {
                        html::Markup::Other { .. } => {
                            tags == TagSet::All || line[i..].starts_with("<!--")
                        }
                        html::Markup::Tag { name, .. } => {
                            tags == TagSet::All || html::is_known(name)
                        }
                    };
                    if take {
                        let len = m.len();
                        if let html::Markup::Tag {
                            name,
                            closing,
                            attrs,
                            ..
                        } = &m
                        {
                            if !closing
                                && tags == TagSet::All
                                && (html::is_raw_text(name) || name == "title")
                            {
                                state.raw_text = Some(name.clone());
                            } else if let Some(sym) = html::input_symbol(name, attrs) {
                                out.push((sym, col, char_width(sym)));
                            } else if html::is_block(name) {
                                out.push((' ', col, 1));
                            }
                        }
                        col = col.saturating_add(str_width(&line[i..i + len]));
                        i += len;
                        continue;
                    }
                }
                None if tags == TagSet::All => {
                    let next = b.get(i + 1).copied();
                    if next.is_some_and(|n| {
                        n.is_ascii_alphabetic() || n == b'/' || n == b'!' || n == b'?'
                    }) && last_gt.is_none_or(|p| p < i)
                    {
                        state.in_tag = true;
                        break;
                    }
                }
                None => {}
            }
        } else if c == b'&' && entities {
            if let Some((ch, len)) = html::entity(&line[i..]) {
                out.push((ch, col, char_width(ch)));
                col = col.saturating_add(str_width(&line[i..i + len]));
                i += len;
                continue;
            }
        }
        let Some(ch) = line[i..].chars().next() else {
            break;
        };
        let w = char_width(ch);
        out.push((ch, col, w));
        col = col.saturating_add(w);
        i += ch.len_utf8();
    }
    out
}

/// Groups visible characters into words and a line; `None` for a blank line.
fn text_line(chars: &[Visible], y: u32) -> Option<TextLine> {
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<(String, u32, u32)> = None;
    for &(ch, col, w) in chars {
        if ch.is_whitespace() {
            if let Some((text, x0, x1)) = current.take() {
                words.push(word(text, x0, x1, y));
            }
        } else {
            match current.as_mut() {
                Some((text, _, x1)) => {
                    text.push(ch);
                    *x1 = col.saturating_add(w);
                }
                None => current = Some((ch.to_string(), col, col.saturating_add(w))),
            }
        }
    }
    if let Some((text, x0, x1)) = current.take() {
        words.push(word(text, x0, x1, y));
    }
    let first = words.first()?;
    let mut bbox = first.bbox;
    for w in &words[1..] {
        bbox = bbox.union(&w.bbox);
    }
    let text = words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some(TextLine { text, bbox, words })
}

fn word(text: String, x0: u32, x1: u32, y: u32) -> Word {
    Word {
        text,
        bbox: BBox::new(x0 as f32, y as f32, x1 as f32, y as f32 + 1.0),
        font_size: 1.0,
        vertical: false,
    }
}

/// Finds `<table>` elements anywhere in the text.
fn find_html_tables(
    text: &str,
    index: &LineIndex,
    covered: &mut [bool],
    grids: &mut Vec<Grid>,
    diagnostics: &mut Vec<Diagnostic>,
    opts: &ExtractOptions,
) -> Result<(), TextError> {
    let mut i = 0usize;
    while let Some(p) = text.get(i..).and_then(|s| s.find('<')) {
        let start = i + p;
        match html::parse_markup(&text[start..]) {
            Some(html::Markup::Tag {
                name,
                closing: false,
                ..
            }) if name == "table" => {
                let end = match html::table_end(text, start) {
                    Some(end) => end,
                    None => {
                        let line = index.line(start);
                        if opts.strict {
                            return Err(TextError::UnclosedTable { line });
                        }
                        diagnostics.push(
                            Diagnostic::warning(
                                "text.unclosed_table",
                                "<table> is never closed; the table runs to the end of the file",
                            )
                            .on_page(index.page(start))
                            .at(format!("line {line}")),
                        );
                        text.len()
                    }
                };
                let slice = &text[start..end];
                let table = html::parse_table(slice);
                let first = index.line0(start);
                let last = index.line0(end.saturating_sub(1).max(start));
                for c in covered.iter_mut().take(last + 1).skip(first) {
                    *c = true;
                }
                let page = index.page(start);
                for w in &table.warnings {
                    diagnostics.push(
                        Diagnostic::warning("text.table_truncated", w.clone())
                            .on_page(page)
                            .at(format!("line {}", first + 1)),
                    );
                }
                if !table.rows.is_empty() {
                    grids.push(Grid {
                        name: String::new(),
                        sheet: None,
                        page: Some(page),
                        origin: (0, 0),
                        row_lines: table
                            .row_offsets
                            .iter()
                            .map(|&o| index.line(start + o))
                            .collect(),
                        rows: table.rows,
                        merged: table.merged,
                    });
                }
                i = end.max(start + 1);
            }
            Some(m) => i = start + m.len().max(1),
            None => i = start + 1,
        }
    }
    Ok(())
}

/// True for a Markdown pipe-table row: starts with `|` after indentation.
fn is_pipe_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.len() > 1
}

/// True for a pipe-table separator row: `|---|:--:|`, `--- | ---`.
fn is_separator_row(line: &str) -> bool {
    let t = line.trim();
    if !t.contains('-') {
        return false;
    }
    let cells = split_pipe_row(t);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            let inner = c.trim_start_matches(':').trim_end_matches(':');
            !inner.is_empty() && inner.bytes().all(|b| b == b'-')
        })
}

/// The raw cells of a pipe row: outer pipes removed, split on unescaped `|`, `\|` unescaped.
fn split_pipe_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

/// Finds pipe tables and tab-separated runs among lines not inside HTML tables.
fn find_line_tables(
    segments: &[Segment<'_>],
    mode: &Mode,
    covered: &[bool],
    grids: &mut Vec<Grid>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !mode.line_tables {
        return;
    }
    let tags = mode.tags;
    let free = |k: usize| -> Option<&Segment<'_>> {
        segments
            .get(k)
            .filter(|s| !covered.get(s.line).copied().unwrap_or(false))
    };
    // Two segments are consecutive lines of one page.
    let adjacent =
        |a: &Segment<'_>, b: &Segment<'_>| a.page == b.page && a.y.checked_add(1) == Some(b.y);
    let mut k = 0usize;
    while k < segments.len() {
        let Some(seg) = free(k) else {
            k += 1;
            continue;
        };
        let next = free(k + 1).filter(|n| adjacent(seg, n));
        // Pipe table.
        let gfm_header = seg.text.contains('|') && next.is_some_and(|n| is_separator_row(n.text));
        if (is_pipe_row(seg.text) && next.is_some_and(|n| is_pipe_row(n.text))) || gfm_header {
            let mut run = vec![*seg];
            let mut j = k + 1;
            while let Some(s) = free(j) {
                let prev = run[run.len() - 1];
                if !adjacent(&prev, s)
                    || !(is_pipe_row(s.text) || (gfm_header && s.text.contains('|')))
                {
                    break;
                }
                run.push(*s);
                j += 1;
            }
            let mut grid = line_grid(seg.page);
            for s in &run {
                if is_separator_row(s.text) {
                    continue;
                }
                let cells: Vec<Cell> = split_pipe_row(s.text)
                    .iter()
                    .map(|c| field_cell(&html::cell_text(c, tags, false)))
                    .collect();
                grid.rows.push(cells);
                grid.row_lines.push(line_number(s.line));
            }
            if !grid.rows.is_empty() {
                grids.push(grid);
            }
            k = j;
            continue;
        }
        // Tab-separated run.
        if seg.text.contains('\t') {
            let mut run = vec![*seg];
            let mut j = k + 1;
            while let Some(s) = free(j) {
                let prev = run[run.len() - 1];
                if !adjacent(&prev, s) || !s.text.contains('\t') || is_pipe_row(s.text) {
                    break;
                }
                run.push(*s);
                j += 1;
            }
            if run.len() >= 2 {
                let mut grid = line_grid(seg.page);
                for s in &run {
                    let mut cells: Vec<Cell> = Vec::new();
                    for (n, field) in s.text.split('\t').enumerate() {
                        if n >= html::MAX_TABLE_COLUMNS {
                            diagnostics.push(
                                Diagnostic::warning(
                                    "text.table_truncated",
                                    format!(
                                        "fields beyond column {} were dropped",
                                        html::MAX_TABLE_COLUMNS
                                    ),
                                )
                                .on_page(s.page)
                                .at(format!("line {}", line_number(s.line))),
                            );
                            break;
                        }
                        cells.push(field_cell(&html::cell_text(field, tags, false)));
                    }
                    grid.rows.push(cells);
                    grid.row_lines.push(line_number(s.line));
                }
                grids.push(grid);
            }
            k = j;
            continue;
        }
        k += 1;
    }
}

fn line_grid(page: u32) -> Grid {
    Grid {
        page: Some(page),
        ..Default::default()
    }
}

fn line_number(line0: usize) -> u32 {
    u32::try_from(line0 + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CellValue;

    fn run(text: &str, format: Format) -> Document {
        extract(text.as_bytes(), format, &ExtractOptions::default())
            .unwrap_or_else(|e| panic!("extract failed: {e}"))
    }

    #[test]
    fn pages_lines_and_words() {
        let doc = run("予算  額\n\n  a b\u{0C}next page\n\u{0C}", Format::Text);
        assert_eq!(doc.pages.len(), 2);
        let p1 = &doc.pages[0];
        assert_eq!(p1.number, 1);
        assert_eq!(p1.lines.len(), 2);
        let l0 = &p1.lines[0];
        assert_eq!(l0.text, "予算 額");
        assert_eq!(l0.words[0].bbox, BBox::new(0.0, 0.0, 4.0, 1.0));
        assert_eq!(l0.words[1].bbox, BBox::new(6.0, 0.0, 8.0, 1.0));
        let l1 = &p1.lines[1];
        assert_eq!(l1.bbox.y0, 2.0);
        assert_eq!(l1.words[0].bbox.x0, 2.0);
        assert_eq!(p1.width, 8.0);
        let p2 = &doc.pages[1];
        assert_eq!(p2.number, 2);
        assert_eq!(p2.lines[0].text, "next page");
        assert_eq!(p2.lines[0].bbox.y0, 0.0);
        assert_eq!(
            doc.metadata.get("page_count").map(String::as_str),
            Some("2")
        );
    }

    #[test]
    fn ideographic_space_separates_words() {
        let doc = run("事　業\n", Format::Text);
        let words: Vec<_> = doc.pages[0].lines[0]
            .words
            .iter()
            .map(|w| (w.text.as_str(), w.bbox.x0))
            .collect();
        assert_eq!(words, vec![("事", 0.0), ("業", 4.0)]);
    }

    #[test]
    fn markup_in_lines() {
        let doc = run(
            "<b>II 支援</b>\t<b>325,776千円</b>\nCO<sub>2</sub> 削減 <取組>\n",
            Format::Text,
        );
        let lines: Vec<_> = doc.pages[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, vec!["II 支援 325,776千円", "CO2 削減 <取組>"]);
        assert_eq!(doc.pages[0].lines[0].words[0].bbox.x0, 3.0);
    }

    #[test]
    fn markdown_headings_and_entities() {
        let doc = run(
            "# 事業計画書\n## 予算 ##\nR&amp;D\n#hashtag\n",
            Format::Markdown,
        );
        let lines: Vec<_> = doc.pages[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, vec!["事業計画書", "予算", "R&D", "#hashtag"]);
        assert_eq!(doc.pages[0].lines[0].bbox.x0, 2.0);
        // Plain text keeps both as printed.
        let doc = run("# 見出し\nR&amp;D\n", Format::Text);
        let lines: Vec<_> = doc.pages[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, vec!["# 見出し", "R&amp;D"]);
    }

    #[test]
    fn html_lines_drop_markup_across_lines() {
        let doc = run("<html><head><style>\nbody{}\n</style></head>\n<p class=\"a\n b\">本文</p><!-- x\ny -->z\n</html>\n", Format::Html);
        let lines: Vec<_> = doc.pages[0]
            .lines
            .iter()
            .map(|l| (l.text.as_str(), l.bbox.y0))
            .collect();
        assert_eq!(lines, vec![("本文", 4.0), ("z", 5.0)]);
        let doc = run(
            "<html><head><title>歳出 &amp; 歳入</title></head><body>本文</body></html>",
            Format::Html,
        );
        assert_eq!(
            doc.metadata.get("title").map(String::as_str),
            Some("歳出 & 歳入")
        );
        assert_eq!(doc.pages[0].lines[0].text, "本文");
    }

    #[test]
    fn html_documents_have_only_html_tables() {
        let doc = run("<html>\n\t<body>\n\t\t<p>a</p>\n\t\t<table><tr><td>1</td></tr></table>\n\t</body>\n</html>\n", Format::Html);
        assert_eq!(doc.grids.len(), 1);
        assert_eq!(
            doc.grids[0].rows,
            vec![vec![Cell {
                text: "1".into(),
                value: CellValue::Number("1".into())
            }]]
        );
        // Text with an embedded table keeps its tab tables too.
        let doc = run(
            "a\tb\nc\td\n<table><tr><td>x</td></tr></table>\n",
            Format::Html,
        );
        assert_eq!(doc.grids.len(), 2);
        assert_eq!(doc.grids[0].row_lines, vec![1, 2]);
        assert_eq!(doc.grids[1].row_lines, vec![3]);
    }

    #[test]
    fn tab_runs_become_tables() {
        let doc = run("title\na\tb\n1\t<b>2,000千円</b>\t\n\nx\ty\n", Format::Text);
        assert_eq!(doc.grids.len(), 1);
        let g = &doc.grids[0];
        assert_eq!(g.name, "table 1");
        assert_eq!(g.page, Some(1));
        assert_eq!(g.row_lines, vec![2, 3]);
        assert_eq!(g.rows[1].len(), 3);
        assert_eq!(g.rows[1][0].value, CellValue::Number("1".into()));
        assert_eq!(g.rows[1][1].text, "2,000千円");
        assert!(g.rows[1][2].is_empty());
    }

    #[test]
    fn pipe_tables_with_and_without_separator() {
        let text = "| 区分 | 予算額 |\n|---|---:|\n| 計 | 1,000 |\n\n| a | b \\| c |\n| 1 | 2 |\n\nh1 | h2\n-- | --\nv1 | v2\n";
        let doc = run(text, Format::Markdown);
        assert_eq!(doc.grids.len(), 3);
        let g = &doc.grids[0];
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.row_lines, vec![1, 3]);
        assert_eq!(g.rows[1][1].text, "1,000");
        assert_eq!(doc.grids[1].rows[0][1].text, "b | c");
        assert_eq!(doc.grids[1].rows[1][0].value, CellValue::Number("1".into()));
        assert_eq!(
            doc.grids[2].rows,
            vec![
                vec![Cell::text("h1"), Cell::text("h2")],
                vec![Cell::text("v1"), Cell::text("v2")]
            ]
        );
        assert_eq!(doc.grids[2].name, "table 3");
    }

    #[test]
    fn html_tables_in_text() {
        let text = "前文\n<table>\n<tr><td colspan=\"2\">見出し</td></tr>\n<tr><td>a&amp;b</td><td>10</td></tr>\n</table>\na\tb\nc\td\n";
        let doc = run(text, Format::Text);
        assert_eq!(doc.grids.len(), 2);
        let g = &doc.grids[0];
        assert_eq!(g.row_lines, vec![3, 4]);
        assert_eq!(g.rows[0][0].text, "見出し");
        assert_eq!(g.merged.len(), 1);
        assert_eq!(g.rows[1][0].text, "a&b");
        assert_eq!(doc.grids[1].row_lines, vec![6, 7]);
    }

    #[test]
    fn unclosed_table_warns_or_fails_in_strict_mode() {
        let text = "<table><tr><td>a</td>\n";
        let doc = run(text, Format::Html);
        assert_eq!(doc.grids.len(), 1);
        assert!(doc
            .diagnostics
            .iter()
            .any(|d| d.code == "text.unclosed_table" && d.location.as_deref() == Some("line 1")));
        let strict = ExtractOptions {
            strict: true,
            ..Default::default()
        };
        let err = extract(text.as_bytes(), Format::Html, &strict).err();
        assert!(matches!(err, Some(TextError::UnclosedTable { line: 1 })));
        assert_eq!(err.map(|e| e.code()), Some("text.unclosed_table"));
    }

    #[test]
    fn tables_on_excluded_pages_are_dropped() {
        let text = "a\tb\nc\td\n\u{0C}e\tf\ng\th\n";
        let opts = ExtractOptions {
            pages: Some((2, 2)),
            ..Default::default()
        };
        let doc = extract(text.as_bytes(), Format::Text, &opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.pages.len(), 1);
        assert_eq!(doc.pages[0].number, 2);
        assert_eq!(doc.grids.len(), 1);
        assert_eq!(doc.grids[0].page, Some(2));
        assert_eq!(doc.grids[0].row_lines, vec![3, 4]);
        assert_eq!(doc.grids[0].name, "table 1");
    }

    #[test]
    fn invalid_bytes_are_reported() {
        let doc = extract(
            b"ok\nbad \xFF here\n",
            Format::Text,
            &ExtractOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.has_errors());
        assert_eq!(doc.diagnostics[0].code, "text.invalid_bytes");
        assert_eq!(doc.diagnostics[0].location.as_deref(), Some("line 2"));
        assert_eq!(doc.pages[0].lines[1].text, "bad \u{FFFD} here");
    }

    #[test]
    fn wrong_format_is_an_error() {
        let err = extract(b"a,b", Format::Csv, &ExtractOptions::default()).err();
        assert_eq!(err.map(|e| e.code()), Some("text.unsupported_format"));
    }
}
