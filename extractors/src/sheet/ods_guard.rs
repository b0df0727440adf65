//! A check of an ODS workbook before calamine opens it.
//!
//! calamine reads every sheet of an ODS workbook when it opens it, and expands what the XML only
//! counts: a cell with `table:number-columns-repeated` becomes that many cells (up to 16,384 a
//! row), and a row with `table:number-rows-repeated` that many rows of the sheet's dense grid (up
//! to 100 million cells a sheet). A 1 KB file can so ask for tens of gigabytes. This module reads
//! `content.xml` as calamine does, counting instead of expanding, and refuses a workbook whose
//! expanded rows and dense grids would take more bytes than the limit on expanded sizes. What
//! calamine refuses on its own (no `content.xml`, broken XML) passes: calamine's error says what
//! is wrong with it.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{BufReader, Cursor};

/// calamine's caps on an ODS sheet.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// What one sheet would cost calamine, in cells.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SheetCells {
    pub name: String,
    /// Cells of the row elements with their columns repeated, held while the sheet is read.
    pub expanded: u64,
    /// Cells of the dense grid: the rows (repeats counted) from the first to the last row with
    /// a value, times the columns from the first to the last column with a value.
    pub dense: u64,
}

/// One table being read.
#[derive(Default)]
struct Table {
    cells: SheetCells,
    /// Rows so far, repeats counted (capped as calamine caps them).
    rows: u64,
    /// Rows before the first row with a value, and through the last one.
    first_row: Option<u64>,
    end_row: u64,
    col_min: u64,
    col_max: u64,
}

/// One row being read: cells pushed, pending empty cells, and the span of the cells with a value.
#[derive(Default)]
struct Row {
    repeats: u64,
    len: u64,
    pending_empty: u64,
    span: Option<(u64, u64)>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// Whether calamine would give the cell a value (or a formula). Over-counts a string cell whose
/// text is empty, which only makes the estimate larger.
fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| {
        matches!(
            a.key.as_ref(),
            "office:value"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
                | "table:formula"
        ) || (a.key.as_ref() == "office:value-type" && a.value == "string")
    })
}

/// The sheets of the workbook with what calamine would expand them to; `None` where calamine
/// refuses the file on its own.
pub fn sheet_cells(bytes: &[u8]) -> Option<Vec<SheetCells>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let content = archive.by_name("content.xml").ok()?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut table: Option<Table> = None;
    let mut row: Option<Row> = None;
    // Depth inside a cell: its content (paragraphs, annotations) is skipped.
    let mut in_cell = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match event {
            Event::Eof => break,
            Event::Start(_) if in_cell > 0 => in_cell += 1,
            Event::End(_) if in_cell > 0 => in_cell -= 1,
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    table = Some(Table {
                        cells: SheetCells {
                            name: attr(&e, "table:name").unwrap_or_default(),
                            ..Default::default()
                        },
                        col_min: u64::MAX,
                        ..Default::default()
                    });
                }
                "table:table-row" if table.is_some() => {
                    let repeats = match attr(&e, "table:number-rows-repeated") {
                        Some(v) => v.trim().parse::<u64>().ok()?,
                        None => 1,
                    };
                    row = Some(Row {
                        repeats,
                        ..Default::default()
                    });
                }
                "table:table-cell" | "table:covered-table-cell" if row.is_some() => {
                    let r = row.as_mut()?;
                    let repeats = match attr(&e, "table:number-columns-repeated") {
                        Some(v) => v.trim().parse::<u64>().ok()?,
                        None => 1,
                    };
                    let fill = r.pending_empty.min(MAX_COLUMNS.saturating_sub(r.len));
                    r.len += fill;
                    r.pending_empty = 0;
                    let n = repeats.min(MAX_COLUMNS.saturating_sub(r.len));
                    if has_value(&e) {
                        if n > 0 {
                            let (lo, hi) = (r.len, r.len + n - 1);
                            r.span = Some(match r.span {
                                None => (lo, hi),
                                Some((a, b)) => (a.min(lo), b.max(hi)),
                            });
                        }
                        r.len += n;
                    } else {
                        r.pending_empty = n;
                    }
                    in_cell = 1;
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                        let repeats = r.repeats.min(MAX_ROWS.saturating_sub(t.rows));
                        t.cells.expanded += r.len;
                        if let Some((lo, hi)) = r.span {
                            t.first_row.get_or_insert(t.rows);
                            t.end_row = t.rows + repeats;
                            t.col_min = t.col_min.min(lo);
                            t.col_max = t.col_max.max(hi);
                        }
                        t.rows += repeats;
                    }
                }
                "table:table" => {
                    if let Some(mut t) = table.take() {
                        if let Some(first) = t.first_row {
                            t.cells.dense =
                                (t.end_row - first).saturating_mul(t.col_max + 1 - t.col_min);
                        }
                        sheets.push(t.cells);
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    Some(sheets)
}

/// Ok when calamine can open the workbook within `limit` bytes of cells; otherwise the sheet
/// that would pass it, and what it would take.
pub fn check(bytes: &[u8], limit: u64) -> Result<(), (String, u64)> {
    let Some(sheets) = sheet_cells(bytes) else {
        return Ok(());
    };
    // Each cell is a value and a formula (calamine keeps both); the dense grid of values is
    // held twice, once by calamine and once as the copy it hands out.
    let value = std::mem::size_of::<calamine::Data>() as u64;
    let formula = std::mem::size_of::<String>() as u64;
    let mut total = 0u64;
    for s in &sheets {
        let bytes = s
            .expanded
            .saturating_mul(value + formula)
            .saturating_add(s.dense.saturating_mul(2 * value + formula));
        total = total.saturating_add(bytes);
        if total > limit {
            return Err((
                format!(
                    "sheet {:?} expands to {} cells in its rows and {} in its grid",
                    s.name, s.expanded, s.dense
                ),
                total,
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn ods(table: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
        );
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file("mimetype", stored).unwrap();
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        w.start_file("content.xml", stored).unwrap();
        w.write_all(content.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn repeats_are_counted_as_calamine_expands_them() {
        let b = ods(concat!(
            r#"<table:table table:name="s">"#,
            r#"<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="10">"#,
            r#"<table:table-cell table:number-columns-repeated="2"/>"#,
            r#"<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="4"><text:p>1</text:p></table:table-cell>"#,
            r#"<table:table-cell table:number-columns-repeated="1000"/>"#,
            r#"</table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
            r#"</table:table>"#
        ));
        let sheets = sheet_cells(&b).unwrap();
        assert_eq!(
            sheets,
            vec![SheetCells {
                name: "s".into(),
                // Trailing empty cells are not pushed; the leading two are.
                expanded: 6,
                dense: 10 * 4,
            }]
        );
        assert_eq!(check(&b, 1 << 20), Ok(()));
    }

    #[test]
    fn a_repeated_row_of_repeated_values_is_refused() {
        let b = ods(concat!(
            r#"<table:table table:name="bomb">"#,
            r#"<table:table-row table:number-rows-repeated="6000">"#,
            r#"<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>"#,
            r#"</table:table-row></table:table>"#
        ));
        let sheets = sheet_cells(&b).unwrap();
        assert_eq!(sheets[0].dense, 6000 * 16384);
        let (what, bytes) = check(&b, 256 << 20).unwrap_err();
        assert!(what.contains("bomb") && bytes > 256 << 20, "{what} {bytes}");
    }

    #[test]
    fn not_an_ods_is_left_to_calamine() {
        assert_eq!(check(b"PK\x03\x04 not a zip", 1), Ok(()));
        assert_eq!(check(&ods("<broken"), 1), Ok(()));
    }
}
