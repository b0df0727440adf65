//! CSV (comma) and TSV (tab) files: one grid named `table`.
//!
//! The bytes are decoded by [`crate::decode`] (BOM, UTF-8, Shift_JIS/CP932, EUC-JP; invalid bytes
//! become `csv.invalid_bytes` errors with their line, never silent replacements). Records follow
//! RFC 4180: fields separated by the delimiter, records by line ends, a field starting with `"`
//! is quoted and may hold delimiters, line ends and doubled quotes (`""`).
//!
//! Leniency (strict mode turns the first two into errors):
//! - a quote left open at the end of the file keeps everything after it as the field's text and
//!   gives a `csv.unterminated_quote` warning naming the line where the field starts;
//! - in CSV, text after a closing quote (`"ab"cd,`) is appended to the field (`abcd`) with a
//!   `csv.stray_quote` warning; a quote inside an unquoted field is an ordinary character;
//! - in TSV, quotes are only honoured when a field is entirely quoted (`"a<TAB>b"` followed by a
//!   tab or a line end); otherwise the field is taken literally, quotes and all, since many TSV
//!   writers never quote.
//!
//! Rows are kept as they are (ragged rows are not padded); lines with no characters at all are
//! skipped. `Grid.row_lines` holds the 1-based physical line where each record starts. Each cell
//! is empty, a number ([`crate::CellValue::Number`], for plain decimals such as `32774` or `-450`), or
//! text: `"32,774"` stays text for the amount normaliser, and so do codes with leading zeros
//! (`011002`).

use crate::decode::start_document;
use crate::value::field_cell;
use crate::{Cell, Diagnostic, Document, ExtractOptions, Format, Grid};
use thiserror::Error;

/// Most cells one file may produce (about 1.1 GB of cells); a file of nothing but delimiters
/// could otherwise turn every byte into a cell.
pub const MAX_CELLS: usize = 20_000_000;

/// How many `csv.stray_quote` warnings are given before they are summed up.
const MAX_STRAY_QUOTE_DIAGNOSTICS: usize = 10;

/// Why a delimited file yielded no document. Only strict mode and the size guard fail; lenient
/// mode reports problems as diagnostics.
#[derive(Debug, Error)]
pub enum DelimitedError {
    /// The extractor was called for a format it does not read.
    #[error("the delimited-text extractor does not read {format} files")]
    NotDelimited { format: &'static str },
    /// Strict mode: bytes that decode in no supported encoding.
    #[error("line {line}: bytes at offset {offset} are not valid {encoding}")]
    InvalidBytes {
        encoding: String,
        line: u32,
        offset: usize,
    },
    /// Strict mode: a quoted field still open at the end of the file.
    #[error("line {line}: quoted field is never closed")]
    UnterminatedQuote { line: u32 },
    /// The file holds more cells than [`MAX_CELLS`].
    #[error("more than {limit} cells (stopped at line {line})")]
    TooManyCells { limit: usize, line: u32 },
}

impl DelimitedError {
    /// A stable code for the `diagnostics` table.
    pub fn code(&self) -> &'static str {
        match self {
            DelimitedError::NotDelimited { .. } => "csv.unsupported_format",
            DelimitedError::InvalidBytes { .. } => "csv.invalid_bytes",
            DelimitedError::UnterminatedQuote { .. } => "csv.unterminated_quote",
            DelimitedError::TooManyCells { .. } => "csv.too_many_cells",
        }
    }
}

/// Extracts a CSV or TSV file into one grid named `table`.
pub fn extract(
    bytes: &[u8],
    format: Format,
    opts: &ExtractOptions,
) -> Result<Document, DelimitedError> {
    let delimiter = match format {
        Format::Csv => b',',
        Format::Tsv => b'\t',
        other => {
            return Err(DelimitedError::NotDelimited {
                format: other.as_str(),
            })
        }
    };
    let (mut doc, decoded) = start_document(bytes, format, opts.strict, "csv.invalid_bytes")
        .map_err(|first| DelimitedError::InvalidBytes {
            encoding: first.encoding,
            line: first.line,
            offset: first.offset,
        })?;
    let parsed = parse(&decoded.text, delimiter, format == Format::Csv, MAX_CELLS)?;
    if let Some(line) = parsed.unterminated {
        if opts.strict {
            return Err(DelimitedError::UnterminatedQuote { line });
        }
        doc.diagnostics.push(
            Diagnostic::warning(
                "csv.unterminated_quote",
                "quoted field is never closed; the rest of the file is kept as its text",
            )
            .at(format!("line {line}")),
        );
    }
    for &line in parsed.stray_quotes.iter().take(MAX_STRAY_QUOTE_DIAGNOSTICS) {
        doc.diagnostics.push(
            Diagnostic::warning(
                "csv.stray_quote",
                "text after a closing quote; it is appended to the field",
            )
            .at(format!("line {line}")),
        );
    }
    if parsed.stray_quotes.len() > MAX_STRAY_QUOTE_DIAGNOSTICS {
        doc.diagnostics.push(Diagnostic::warning(
            "csv.stray_quote",
            format!(
                "{} more fields have text after a closing quote",
                parsed.stray_quotes.len() - MAX_STRAY_QUOTE_DIAGNOSTICS
            ),
        ));
    }
    doc.grids.push(Grid {
        name: "table".to_string(),
        sheet: None,
        page: None,
        origin: (0, 0),
        row_lines: parsed.row_lines,
        rows: parsed.rows,
        merged: Vec::new(),
    });
    Ok(doc)
}

/// Records of a delimited text.
#[derive(Debug, Default)]
struct Parsed {
    rows: Vec<Vec<Cell>>,
    row_lines: Vec<u32>,
    /// Line where an unterminated quoted field starts.
    unterminated: Option<u32>,
    /// Lines of fields with text after their closing quote (CSV).
    stray_quotes: Vec<u32>,
}

/// Where the next field starts and what it holds.
enum Field<'a> {
    Borrowed(&'a str),
    Owned(String),
}

fn count_newlines(s: &[u8]) -> u32 {
    s.iter()
        .filter(|&&b| b == b'\n')
        .fold(0u32, |n, _| n.saturating_add(1))
}

/// Parses `text` (LF line ends). `csv` selects CSV quoting rules, otherwise TSV rules.
fn parse(text: &str, delimiter: u8, csv: bool, max_cells: usize) -> Result<Parsed, DelimitedError> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = Parsed::default();
    let mut i = 0usize;
    let mut line = 1u32;
    let mut cells = 0usize;
    let mut width_hint = 0usize;
    while i < n {
        if b[i] == b'\n' {
            i += 1;
            line = line.saturating_add(1);
            continue;
        }
        let record_line = line;
        let mut row: Vec<Cell> = Vec::with_capacity(width_hint);
        loop {
            let field = if i < n && b[i] == b'"' {
                match quoted(text, i, delimiter, csv) {
                    Quoted::Closed {
                        value,
                        end,
                        newlines,
                        stray,
                    } => {
                        line = line.saturating_add(newlines);
                        if stray {
                            out.stray_quotes.push(line);
                        }
                        i = end;
                        Field::Owned(value)
                    }
                    Quoted::Unterminated { value, newlines } => {
                        out.unterminated = Some(line);
                        line = line.saturating_add(newlines);
                        i = n;
                        Field::Owned(value)
                    }
                    Quoted::Literal => {
                        let end = unquoted_end(b, i, delimiter);
                        let f = &text[i..end];
                        i = end;
                        Field::Borrowed(f)
                    }
                }
            } else {
                let end = unquoted_end(b, i, delimiter);
                let f = &text[i..end];
                i = end;
                Field::Borrowed(f)
            };
            row.push(match field {
                Field::Borrowed(f) => field_cell(f),
                Field::Owned(f) => field_cell(&f),
            });
            cells += 1;
            if cells > max_cells {
                return Err(DelimitedError::TooManyCells {
                    limit: max_cells,
                    line,
                });
            }
            if i < n && b[i] == delimiter {
                i += 1;
                continue;
            }
            if i < n {
                // A line feed ends the record.
                i += 1;
                line = line.saturating_add(1);
            }
            break;
        }
        width_hint = row.len();
        out.rows.push(row);
        out.row_lines.push(record_line);
    }
    Ok(out)
}

/// End (exclusive) of an unquoted field starting at `i`.
fn unquoted_end(b: &[u8], i: usize, delimiter: u8) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == delimiter || c == b'\n')
        .map_or(b.len(), |p| i + p)
}

enum Quoted {
    /// The field's value, the offset after it (at a delimiter, line feed or the end), how many
    /// line feeds it spans, and whether text followed the closing quote.
    Closed {
        value: String,
        end: usize,
        newlines: u32,
        stray: bool,
    },
    /// No closing quote before the end of the text.
    Unterminated { value: String, newlines: u32 },
    /// TSV only: not a well-formed quoted field, read it literally.
    Literal,
}

/// Reads the quoted field whose opening quote is at `start`.
fn quoted(text: &str, start: usize, delimiter: u8, csv: bool) -> Quoted {
    let b = text.as_bytes();
    let n = b.len();
    let mut value = String::new();
    let mut j = start + 1;
    let mut seg = j;
    loop {
        match b[j..].iter().position(|&c| c == b'"') {
            None => {
                if !csv {
                    return Quoted::Literal;
                }
                value.push_str(&text[seg..]);
                return Quoted::Unterminated {
                    value,
                    newlines: count_newlines(&b[start..]),
                };
            }
            Some(p) => {
                let q = j + p;
                if b.get(q + 1) == Some(&b'"') {
                    value.push_str(&text[seg..=q]);
                    j = q + 2;
                    seg = j;
                    continue;
                }
                value.push_str(&text[seg..q]);
                j = q + 1;
                break;
            }
        }
    }
    let closed_at = j;
    let mut stray = false;
    if j < n && b[j] != delimiter && b[j] != b'\n' {
        if !csv {
            return Quoted::Literal;
        }
        let end = unquoted_end(b, j, delimiter);
        value.push_str(&text[j..end]);
        j = end;
        stray = true;
    }
    Quoted::Closed {
        value,
        end: j,
        newlines: count_newlines(&b[start..closed_at]),
        stray,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CellValue;

    fn csv(text: &str) -> Document {
        extract(text.as_bytes(), Format::Csv, &ExtractOptions::default())
            .unwrap_or_else(|e| panic!("extract failed: {e}"))
    }

    fn texts(g: &Grid) -> Vec<Vec<&str>> {
        g.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn rfc4180_quoting() {
        let doc = csv("a,\"b,c\",\"d\"\"e\"\r\n\"multi\r\nline\",2\r\n3,\r\n");
        let g = &doc.grids[0];
        assert_eq!(g.name, "table");
        assert_eq!(
            texts(g),
            vec![
                vec!["a", "b,c", "d\"e"],
                vec!["multi\nline", "2"],
                vec!["3", ""]
            ]
        );
        assert_eq!(g.row_lines, vec![1, 2, 4]);
        assert!(doc.diagnostics.is_empty());
        assert_eq!(doc.encoding.as_deref(), Some("UTF-8"));
    }

    #[test]
    fn numbers_and_text() {
        let doc = csv("32774,\"32,774\",-450,011002,12.50,,x\n");
        let r = &doc.grids[0].rows[0];
        assert_eq!(r[0].value, CellValue::Number("32774".into()));
        assert_eq!(r[1].value, CellValue::Text);
        assert_eq!(r[1].text, "32,774");
        assert_eq!(r[2].value, CellValue::Number("-450".into()));
        assert_eq!(r[3].value, CellValue::Text);
        assert_eq!(r[4].value, CellValue::Number("12.5".into()));
        assert_eq!(r[4].text, "12.50");
        assert_eq!(r[5].value, CellValue::Empty);
        assert_eq!(r[6].value, CellValue::Text);
    }

    #[test]
    fn ragged_rows_and_blank_lines() {
        let doc = csv("a,b,c\n\nd\ne,f,g,h");
        let g = &doc.grids[0];
        assert_eq!(
            texts(g),
            vec![vec!["a", "b", "c"], vec!["d"], vec!["e", "f", "g", "h"]]
        );
        assert_eq!(g.row_lines, vec![1, 3, 4]);
    }

    #[test]
    fn unterminated_quote_warns() {
        let doc = csv("a,b\nc,\"open\nstill open\n");
        let g = &doc.grids[0];
        assert_eq!(
            texts(g),
            vec![vec!["a", "b"], vec!["c", "open\nstill open\n"]]
        );
        let d = &doc.diagnostics[0];
        assert_eq!(d.code, "csv.unterminated_quote");
        assert_eq!(d.location.as_deref(), Some("line 2"));
        let strict = ExtractOptions {
            strict: true,
            ..Default::default()
        };
        let err = extract(b"a,\"b", Format::Csv, &strict).err();
        assert!(matches!(
            err,
            Some(DelimitedError::UnterminatedQuote { line: 1 })
        ));
    }

    #[test]
    fn stray_quote_text_is_kept() {
        let doc = csv("\"ab\"cd,e\nx\"y\",z\n");
        assert_eq!(
            texts(&doc.grids[0]),
            vec![vec!["abcd", "e"], vec!["x\"y\"", "z"]]
        );
        assert_eq!(doc.diagnostics.len(), 1);
        assert_eq!(doc.diagnostics[0].code, "csv.stray_quote");
    }

    #[test]
    fn tsv_quotes_only_when_whole_field() {
        let doc = extract(
            "\"a\tb\"\t\"セレクト\" 事業\t\"x\n1\t2\t3\n".as_bytes(),
            Format::Tsv,
            &ExtractOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let g = &doc.grids[0];
        assert_eq!(
            texts(g),
            vec![
                vec!["a\tb", "\"セレクト\" 事業", "\"x"],
                vec!["1", "2", "3"]
            ]
        );
        assert!(doc.diagnostics.is_empty());
    }

    #[test]
    fn trailing_delimiter_gives_empty_field() {
        let doc = csv("a,\n,");
        assert_eq!(texts(&doc.grids[0]), vec![vec!["a", ""], vec!["", ""]]);
    }

    #[test]
    fn invalid_bytes_are_errors_with_lines() {
        let doc = extract(b"a,b\nc,\xFF\n", Format::Csv, &ExtractOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.has_errors());
        assert_eq!(doc.diagnostics[0].code, "csv.invalid_bytes");
        assert_eq!(doc.diagnostics[0].location.as_deref(), Some("line 2"));
        assert_eq!(doc.grids[0].rows[1][1].text, "\u{FFFD}");
        let strict = ExtractOptions {
            strict: true,
            ..Default::default()
        };
        let err = extract(b"a,b\nc,\xFF\n", Format::Csv, &strict).err();
        assert!(matches!(
            err,
            Some(DelimitedError::InvalidBytes {
                line: 2,
                offset: 6,
                ..
            })
        ));
    }

    #[test]
    fn cell_limit() {
        let err = parse(",,,,,,,,,,", b',', true, 5).err();
        assert!(matches!(
            err,
            Some(DelimitedError::TooManyCells { limit: 5, line: 1 })
        ));
        assert_eq!(err.map(|e| e.code()), Some("csv.too_many_cells"));
    }

    #[test]
    fn wrong_format() {
        let err = extract(b"x", Format::Text, &ExtractOptions::default()).err();
        assert_eq!(err.map(|e| e.code()), Some("csv.unsupported_format"));
    }
}
