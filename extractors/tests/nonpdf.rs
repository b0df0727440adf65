//! Whole-file tests of the non-PDF extractors: fixtures in `tests/data/` (written by
//! `fixtures/generators/make_extractor_fixtures.py`), corpus files from `../shared/corpus/` when
//! present, and property tests.

use proptest::prelude::*;
use std::path::PathBuf;
use std::time::Instant;
use yosan_extractors::{
    delimited, detect, render, sheet, text, Cell, CellRange, CellValue, Document, ExtractError,
    ExtractOptions, Format, Grid, Severity,
};

fn data_path(name: &str) -> PathBuf {
    std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("tests")
    .join("data")
    .join(name)
}

fn data(name: &str) -> Vec<u8> {
    let path = data_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

fn extract(name: &str) -> Document {
    extract_with(name, &ExtractOptions::default())
}

fn extract_with(name: &str, opts: &ExtractOptions) -> Document {
    yosan_extractors::extract(&data(name), name, opts)
        .unwrap_or_else(|e| panic!("{name}: {} ({})", e, e.code()))
}

fn number(s: &str) -> CellValue {
    CellValue::Number(s.to_string())
}

fn grid<'a>(doc: &'a Document, name: &str) -> &'a Grid {
    doc.grids
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no grid {name:?}"))
}

fn row_texts(g: &Grid, row: usize) -> Vec<&str> {
    g.rows[row].iter().map(|c| c.text.as_str()).collect()
}

// ------------------------------------------------------------------------------ delimited text

#[test]
fn cp932_csv_with_quoted_commas() {
    let doc = extract("cp932_quoted_commas.csv");
    assert_eq!(doc.format, Some(Format::Csv));
    assert_eq!(doc.encoding.as_deref(), Some("Shift_JIS"));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    assert_eq!(doc.grids.len(), 1);
    let g = &doc.grids[0];
    assert_eq!(g.name, "table");
    assert_eq!(g.row_lines, vec![1, 2, 3, 4]);
    assert_eq!(g.rows[0][0].text, "年度");
    let r = &g.rows[1];
    assert_eq!(r[0].value, number("2024"));
    assert_eq!((r[1].text.as_str(), &r[1].value), ("02", &CellValue::Text));
    assert_eq!(
        (r[3].text.as_str(), &r[3].value),
        ("011002", &CellValue::Text)
    );
    assert_eq!(r[4].text, "①区民相談等事業運営");
    assert_eq!(
        (r[5].text.as_str(), &r[5].value),
        ("32,774", &CellValue::Text)
    );
    assert_eq!(r[6].value, number("32774"));
    assert_eq!(r[7].value, number("-450"));
    let r = &g.rows[2];
    assert_eq!(r[4].text, "㈱髙島屋委託, 保育");
    assert_eq!(r.len(), 8);
    assert_eq!(r[7], Cell::default());
    let r = &g.rows[3];
    assert_eq!(r[4].text, "説明に\"引用\"を含む");
    assert_eq!(
        (r[5].text.as_str(), &r[5].value),
        ("12.50", &number("12.5"))
    );
    assert_eq!(r[6].value, number("0"));
    assert_eq!(
        (r[7].text.as_str(), &r[7].value),
        ("△1,594", &CellValue::Text)
    );
}

#[test]
fn euc_jp_tsv() {
    let doc = extract("euc_jp.tsv");
    assert_eq!(doc.format, Some(Format::Tsv));
    assert_eq!(doc.encoding.as_deref(), Some("EUC-JP"));
    let g = &doc.grids[0];
    assert_eq!(row_texts(g, 0), vec!["款", "項", "目", "本年度予算額"]);
    assert_eq!(g.rows[1][3].value, number("1234567"));
    assert_eq!(g.rows[2][3].value, number("-89"));
}

#[test]
fn utf16le_bom_csv() {
    let doc = extract("utf16le_bom.csv");
    assert_eq!(doc.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(doc.metadata.get("bom").map(String::as_str), Some("true"));
    let g = &doc.grids[0];
    assert_eq!(row_texts(g, 1), vec!["議会費", "1,000"]);
    assert_eq!(g.rows[2][1].value, number("2000"));
}

#[test]
fn utf8_bom_multiline_field() {
    let doc = extract("utf8_bom_multiline.csv");
    assert_eq!(doc.encoding.as_deref(), Some("UTF-8"));
    let g = &doc.grids[0];
    assert_eq!(
        g.rows[0][0].text, "項目",
        "the BOM must not stick to the first field"
    );
    assert_eq!(g.rows[1][1].text, "一行目\n二行目");
    assert_eq!(g.row_lines, vec![1, 2, 4]);
}

#[test]
fn invalid_bytes_in_every_encoding_are_reported_per_line() {
    let doc = extract("invalid_bytes_every_encoding.csv");
    let errors: Vec<_> = doc
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2, "{:?}", doc.diagnostics);
    assert!(errors.iter().all(|d| d.code == "csv.invalid_bytes"));
    assert_eq!(errors[0].location.as_deref(), Some("line 3"));
    assert_eq!(errors[1].location.as_deref(), Some("line 4"));
    assert!(
        errors[0].message.contains("byte offset 29"),
        "{}",
        errors[0].message
    );
    let g = &doc.grids[0];
    assert_eq!(g.rows.len(), 4);
    assert_eq!(g.rows[2][0].text, "民生費\u{FFFD}");
    assert_eq!(g.rows[3][1].text, "\u{FFFD}\u{FFFD}300");
    let strict = ExtractOptions {
        strict: true,
        ..Default::default()
    };
    let err =
        yosan_extractors::extract(&data("invalid_bytes_every_encoding.csv"), "x.csv", &strict)
            .err()
            .map(|e| e.code());
    assert_eq!(err.as_deref(), Some("csv.invalid_bytes"));
}

#[test]
fn unterminated_quote_is_a_warning() {
    let doc = extract("unterminated_quote.csv");
    assert_eq!(doc.diagnostics.len(), 1);
    assert_eq!(doc.diagnostics[0].code, "csv.unterminated_quote");
    assert_eq!(doc.diagnostics[0].severity, Severity::Warning);
    assert_eq!(doc.diagnostics[0].location.as_deref(), Some("line 2"));
    let g = &doc.grids[0];
    assert_eq!(g.rows[1][1].text, "never closed\n2,3\n");
}

// ------------------------------------------------------------------------------ text

#[test]
fn seed_tabs_and_html() {
    let doc = extract("seed_tabs_and_html.txt");
    assert_eq!(doc.format, Some(Format::Text));
    assert_eq!(doc.pages.len(), 1);
    let page = &doc.pages[0];
    let line = |y: f32| {
        page.lines
            .iter()
            .find(|l| l.bbox.y0 == y)
            .unwrap_or_else(|| panic!("no line at y {y}"))
    };
    assert_eq!(line(0.0).text, "(単位：千円)");
    assert!(
        page.lines.iter().all(|l| l.bbox.y0 != 1.0),
        "blank line 2 is left out"
    );
    assert_eq!(line(2.0).words[0].text, "計画書頁");
    assert_eq!(line(7.0).text, "事業局課 経済局 新規拡充 ☐ 新規 ☑ 拡充");
    assert_eq!(
        line(10.0).text,
        "# 事業計画書",
        "plain text keeps heading marks"
    );
    assert_eq!(line(12.0).text, "II 企業活動に対する支援 325,776千円");
    assert_eq!(
        line(12.0).words[0].bbox.x0,
        3.0,
        "columns count the removed <b>"
    );
    assert_eq!(
        line(16.0).text,
        "サプライチェーン全体での CO2 排出削減 <取組>"
    );

    assert_eq!(doc.grids.len(), 3);
    let t1 = grid(&doc, "table 1");
    assert_eq!(t1.page, Some(1));
    assert_eq!(t1.row_lines, vec![3, 4, 5, 6]);
    assert_eq!(
        row_texts(t1, 0),
        vec!["計画書頁", "事業名", "令和4年度", "", "令和3年度"]
    );
    assert_eq!(t1.rows[2][0].value, number("1"));
    assert_eq!(
        (t1.rows[2][2].text.as_str(), &t1.rows[2][2].value),
        ("379,682", &CellValue::Text)
    );
    assert_eq!(t1.rows[3][4].text, "△ 3,080");
    let t2 = grid(&doc, "table 2");
    assert_eq!(t2.row_lines, vec![8, 9]);
    assert_eq!(t2.rows[0][3].text, "☐ 新規 ☑ 拡充");
    let t3 = grid(&doc, "table 3");
    assert_eq!(t3.row_lines, vec![13, 14, 15]);
    assert_eq!(
        row_texts(t3, 0),
        vec!["II 企業活動に対する支援", "325,776千円"]
    );
    assert_eq!(
        row_texts(t3, 2),
        vec![
            "中小企業の業況等を把握するための景気動向調査を実施します。",
            ""
        ]
    );
}

#[test]
fn markdown_pipe_tables() {
    let doc = extract("markdown_pipe_tables.md");
    assert_eq!(doc.format, Some(Format::Markdown));
    let page = &doc.pages[0];
    assert_eq!(page.lines[0].text, "予算の概要");
    assert_eq!(page.lines[0].bbox.x0, 2.0);
    assert_eq!(doc.grids.len(), 2);
    let t1 = grid(&doc, "table 1");
    assert_eq!(t1.rows.len(), 4, "the separator row is dropped");
    assert_eq!(t1.row_lines, vec![5, 7, 8, 9]);
    assert_eq!(
        row_texts(t1, 0),
        vec!["事業区分及び事業名", "令和4年度 A", "令和3年度 B", "A／B"]
    );
    assert_eq!(
        row_texts(t1, 2),
        vec!["(5)DXに対する総合支援", "1,000", "-", "-"]
    );
    assert_eq!(t1.rows[3][1].value, number("78536901"));
    assert_eq!(t1.rows[1][3].value, CellValue::Text);
    let t2 = grid(&doc, "table 2");
    assert_eq!(t2.row_lines, vec![13, 14]);
    assert_eq!(row_texts(t2, 1), vec!["国", "補助率 1/2 | 定額"]);
}

#[test]
fn html_table_with_spans() {
    let doc = extract("html_table_spans.html");
    assert_eq!(doc.format, Some(Format::Html));
    assert_eq!(doc.metadata.get("title").map(String::as_str), Some("予算"));
    let texts: Vec<&str> = doc.pages[0].lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts[0], "歳出予算事項別明細書 & 説明");
    assert!(
        !texts.iter().any(|t| t.contains("color")),
        "style content is not text"
    );
    assert_eq!(doc.grids.len(), 1);
    let g = &doc.grids[0];
    assert_eq!(g.name, "table 1");
    assert_eq!(g.row_lines, vec![7, 8, 9, 10]);
    assert_eq!(row_texts(g, 0), vec!["款", "予算額", ""]);
    assert_eq!(row_texts(g, 1), vec!["", "本年度", "前年度"]);
    assert_eq!(row_texts(g, 2), vec!["議会費", "1,379,383", "△ 8,472"]);
    assert_eq!(row_texts(g, 3), vec!["総務費\n（一般管理費）", "2000", ""]);
    assert_eq!(g.rows[3][1].value, number("2000"));
    assert!(g.rows[3][2].is_empty(), "&nbsp; alone is an empty cell");
    assert_eq!(g.merged.len(), 2);
    assert!(g.merged.contains(&CellRange {
        first_row: 0,
        first_col: 0,
        last_row: 1,
        last_col: 0
    }));
    assert!(g.merged.contains(&CellRange {
        first_row: 0,
        first_col: 1,
        last_row: 0,
        last_col: 2
    }));
}

#[test]
fn form_feed_pages_and_display_columns() {
    let doc = extract("form_feed_pages.txt");
    assert_eq!(doc.pages.len(), 2, "a trailing form feed opens no page");
    let p2 = &doc.pages[1];
    assert_eq!(p2.number, 2);
    assert_eq!(p2.lines[0].text, "総務費 △ 12,426");
    assert_eq!(p2.lines[0].bbox.y0, 0.0);
    let last = &p2.lines[1];
    assert_eq!(
        last.bbox.y0, 3.0,
        "y is the real line index, blank lines included"
    );
    let w = &last.words[0];
    assert_eq!(w.text, "ＬＩＮＫＡＩ横浜");
    assert_eq!(
        (w.bbox.x0, w.bbox.x1),
        (2.0, 18.0),
        "full-width characters are 2 columns"
    );
    assert_eq!(last.words[1].bbox.x0, 21.0);
    assert_eq!(w.font_size, 1.0);
    let only2 = ExtractOptions {
        pages: Some((2, 2)),
        ..Default::default()
    };
    let doc = extract_with("form_feed_pages.txt", &only2);
    assert_eq!(
        doc.pages.iter().map(|p| p.number).collect::<Vec<_>>(),
        vec![2]
    );
}

#[test]
fn shift_jis_plain_text() {
    let doc = extract("shift_jis_plain.txt");
    assert_eq!(doc.format, Some(Format::Text));
    assert_eq!(doc.encoding.as_deref(), Some("Shift_JIS"));
    assert_eq!(
        doc.pages[0].lines[1].text,
        "歳入歳出予算の総額は ９３億５，１２６万円"
    );
}

// ------------------------------------------------------------------------------ spreadsheets

fn check_formats_workbook(doc: &Document) {
    let names: Vec<&str> = doc.grids.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, vec!["歳出", "空", "歳入"]);
    let g = grid(doc, "歳出");
    assert_eq!(g.sheet.as_deref(), Some("歳出"));
    assert_eq!(g.origin, (1, 1), "values start at B2");
    assert!(g.row_lines.is_empty());
    assert!(g.merged.contains(&CellRange {
        first_row: 0,
        first_col: 0,
        last_row: 0,
        last_col: 3
    }));
    assert!(g.merged.contains(&CellRange {
        first_row: 1,
        first_col: 0,
        last_row: 2,
        last_col: 0
    }));
    assert_eq!(g.cell(0, 0).text, "歳出予算");
    let expect = |r: usize, c: usize, text: &str, value: CellValue| {
        let cell = g.cell(r, c);
        assert_eq!(
            (cell.text.as_str(), &cell.value),
            (text, &value),
            "cell ({r}, {c})"
        );
    };
    expect(3, 1, "1,379,383", number("1379383"));
    expect(3, 2, "△48,204", number("-48204"));
    expect(3, 3, "99.4%", number("0.994"));
    expect(4, 1, "2.68", number("2.675"));
    expect(4, 2, "-1,594", number("-1594"));
    // openpyxl writes 0.1 + 0.2 with 16 significant digits, so the stored value is 0.3.
    expect(4, 3, "0.3", number("0.3"));
    expect(5, 1, "2024-01-01", CellValue::Date("2024-01-01".into()));
    expect(5, 2, "TRUE", CellValue::Bool(true));
    expect(5, 3, "#DIV/0!", CellValue::Error("#DIV/0!".into()));
    expect(6, 1, "011002", CellValue::Text);
    expect(6, 2, "011002", number("11002"));
    expect(6, 3, "2,416 ", number("2416"));
    assert!(grid(doc, "空").rows.is_empty());
    let g = grid(doc, "歳入");
    assert_eq!(g.origin, (0, 0));
    assert_eq!(g.cell(1, 1).value, number("0.0000001"));
    assert_eq!(g.cell(2, 1).text, "1000000000000000000000");
}

#[test]
fn xlsx_merged_cells_and_number_formats() {
    let doc = extract("merged_cells_and_formats.xlsx");
    assert_eq!(doc.format, Some(Format::Xlsx));
    check_formats_workbook(&doc);
    let text = render::to_text(&doc);
    assert!(
        text.contains("== sheet 歳出 ==\n歳出予算\n款\t本年度\t比較\t率\n"),
        "{text}"
    );
}

#[test]
fn xlsm_by_content_type() {
    let bytes = data("macro_enabled_content_type.xlsm");
    assert_eq!(detect(&bytes, "renamed.xlsx"), Format::Xlsm);
    let doc = extract("macro_enabled_content_type.xlsm");
    check_formats_workbook(&doc);
}

#[test]
fn declared_sizes_over_the_limit_are_refused() {
    let bytes = data("claims_huge_size.xlsx");
    assert_eq!(detect(&bytes, "a.xlsx"), Format::Xlsx);
    let err = yosan_extractors::extract(&bytes, "a.xlsx", &ExtractOptions::default()).err();
    assert!(
        matches!(err, Some(ExtractError::Sheet(sheet::SheetError::TooLarge { claimed, .. })) if claimed >= 0xFFFF_FFF0),
        "{err:?}"
    );
    let small = ExtractOptions {
        max_decompressed_bytes: 1000,
        ..Default::default()
    };
    let err = sheet::extract(&data("merged_cells_and_formats.xlsx"), Format::Xlsx, &small).err();
    assert_eq!(err.map(|e| e.code()), Some("sheet.too_large"));
}

#[test]
fn zip_without_spreadsheet_is_unsupported() {
    let bytes = data("docx_like_not_a_spreadsheet.xlsx");
    assert_eq!(
        detect(&bytes, "docx_like_not_a_spreadsheet.xlsx"),
        Format::Unknown
    );
    match yosan_extractors::extract(&bytes, "x.xlsx", &ExtractOptions::default()) {
        Err(ExtractError::UnsupportedFormat { what }) => {
            assert_eq!(
                what,
                "ZIP archive without a spreadsheet (a Word .docx document)"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn legacy_xls_codes_and_merges() {
    let doc = extract("legacy_codes_and_merges.xls");
    assert_eq!(doc.format, Some(Format::Xls));
    assert_eq!(doc.grids.len(), 2);
    let g = grid(&doc, "人口");
    assert_eq!(
        g.merged,
        vec![CellRange {
            first_row: 0,
            first_col: 0,
            last_row: 0,
            last_col: 3
        }]
    );
    assert_eq!(
        (g.cell(2, 0).text.as_str(), &g.cell(2, 0).value),
        ("011002", &CellValue::Text)
    );
    // .xls number formats are not exposed by calamine: the text is the canonical number.
    assert_eq!(
        (g.cell(2, 3).text.as_str(), &g.cell(2, 3).value),
        ("1936016", &number("1936016"))
    );
    assert_eq!(g.cell(3, 3).value, number("-1234"));
    assert_eq!(g.cell(4, 0).value, number("141003"));
    assert_eq!(g.cell(4, 3).value, number("12.5"));
    let n = grid(&doc, "注記");
    assert_eq!(n.origin, (2, 1));
    assert_eq!(n.cell(0, 0).text, "出典：総務省");
}

/// The offsets of every BIFF8 `DIMENSIONS` record (type 0x0200, 14 bytes) in a file.
fn dimensions_records(bytes: &[u8]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == [0x00, 0x02, 0x0E, 0x00])
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn xls_claiming_more_cells_than_a_sheet_holds_is_refused() {
    let good = data("legacy_codes_and_merges.xls");
    let found = dimensions_records(&good);
    assert!(!found.is_empty(), "the fixture has DIMENSIONS records");
    for at in found {
        let mut bytes = good.clone();
        // Last row + 1 = 2^31: calamine would reserve room for 2^31 × (columns) cells.
        bytes[at + 8..at + 12].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        let err = yosan_extractors::extract(&bytes, "x.xls", &ExtractOptions::default()).err();
        match err {
            Some(ExtractError::Sheet(e @ sheet::SheetError::Malformed { .. })) => {
                assert_eq!(e.code(), "sheet.malformed");
                assert!(e.to_string().contains("DIMENSIONS"), "{e}");
            }
            other => panic!("DIMENSIONS at {at}: {other:?}"),
        }
    }
}

#[test]
fn xls_with_a_looping_sector_chain_is_refused() {
    let good = data("legacy_codes_and_merges.xls");
    // Header: sector size 2^shift, the first FAT sector from the DIFAT in the header.
    let size = 1usize << u16::from_le_bytes([good[30], good[31]]);
    let fat_sector = u32::from_le_bytes(good[76..80].try_into().unwrap()) as usize;
    let dir_start = u32::from_le_bytes(good[48..52].try_into().unwrap()) as usize;
    let mut bytes = good.clone();
    // The directory's sector points to itself in the FAT: its chain never ends.
    let entry = size + fat_sector * size + dir_start * 4;
    bytes[entry..entry + 4].copy_from_slice(&(dir_start as u32).to_le_bytes());
    let err = yosan_extractors::extract(&bytes, "x.xls", &ExtractOptions::default()).err();
    assert_eq!(
        err.as_ref().map(|e| e.code()).as_deref(),
        Some("sheet.malformed"),
        "{err:?}"
    );
}
#[test]
fn ods_numbers_and_dates() {
    let doc = extract("numbers_and_dates.ods");
    assert_eq!(doc.format, Some(Format::Ods));
    let g = grid(&doc, "予算");
    assert_eq!(g.cell(1, 2).value, number("-48204"));
    assert_eq!(g.cell(2, 1).value, number("0.125"));
    assert_eq!(g.cell(2, 2).value, CellValue::Date("2024-01-01".into()));
}

#[test]
fn empty_and_unknown_files() {
    let err = yosan_extractors::extract(b"", "x.csv", &ExtractOptions::default()).err();
    assert_eq!(err.map(|e| e.code()).as_deref(), Some("file.empty"));
    let err = yosan_extractors::extract(
        b"\x7fELF\x02\x01\x01\0\0\0\0\0",
        "x.csv",
        &ExtractOptions::default(),
    )
    .err();
    match err {
        Some(ExtractError::UnsupportedFormat { what }) => assert_eq!(what, "ELF executable"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_rendering_of_a_text_document() {
    let doc = extract("seed_tabs_and_html.txt");
    let v = render::to_json(&doc);
    assert_eq!(v["format"], "text");
    assert_eq!(v["encoding"], "UTF-8");
    assert_eq!(v["grids"][0]["name"], "table 1");
    assert_eq!(v["grids"][0]["row_lines"][0], 3);
    let text = render::to_text(&doc);
    assert!(text.starts_with("== page 1 ==\n(単位：千円)\n"), "{text}");
    assert!(text.contains("== table 3 (page 1) ==\nII 企業活動に対する支援\t325,776千円\n"));
}

// ------------------------------------------------------------------------------ corpus

fn corpus(rel: &str) -> Option<Vec<u8>> {
    let path = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../shared/corpus")
    .join(rel);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!("corpus test skipped: {} not readable ({e})", path.display());
            None
        }
    }
}

/// Prints how long an extraction took. Speed is measured in `make bench`, never asserted in a
/// test: a busy machine must not fail the suite.
fn check_time(what: &str, secs: f64, limit: f64) {
    eprintln!("{what}: {secs:.3} s (bench target {limit} s)");
}

#[test]
fn corpus_setagaya_csv() {
    let Some(bytes) = corpus("setagaya/ippansaisyutu.csv") else {
        return;
    };
    let start = Instant::now();
    let doc = yosan_extractors::extract(&bytes, "ippansaisyutu.csv", &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    check_time(
        "Setagaya CSV extraction",
        start.elapsed().as_secs_f64(),
        1.0,
    );
    assert_eq!(doc.format, Some(Format::Csv));
    assert_eq!(doc.encoding.as_deref(), Some("Shift_JIS"));
    assert!(
        doc.diagnostics.is_empty(),
        "{:?}",
        &doc.diagnostics[..doc.diagnostics.len().min(5)]
    );
    let g = &doc.grids[0];
    // A header and 10,250 records.
    assert_eq!(g.rows.len(), 10_251);
    assert!(g.rows.iter().all(|r| r.len() == 97));
    assert_eq!(g.row_lines.first(), Some(&1));
    assert_eq!(g.row_lines.last(), Some(&10_251));
    assert_eq!(g.rows[0][0].text, "年度");
    let r = &g.rows[1];
    assert_eq!(r[0].value, number("2018"));
    assert_eq!(
        (r[26].text.as_str(), &r[26].value),
        ("32,774", &CellValue::Text)
    );
    assert_eq!(r[27].value, number("32774"));
    assert_eq!(r[38].value, number("-450"));
}

#[test]
fn corpus_settlement_card_xlsx() {
    let Some(bytes) = corpus("soumu/FY2015-settlementcard.xlsx") else {
        return;
    };
    let start = Instant::now();
    let doc = yosan_extractors::extract(
        &bytes,
        "FY2015-settlementcard.xlsx",
        &ExtractOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    check_time(
        "settlement card extraction",
        start.elapsed().as_secs_f64(),
        2.0,
    );
    assert_eq!(doc.format, Some(Format::Xlsx));
    assert_eq!(doc.grids.len(), 48);
    assert_eq!(doc.grids[0].name, "目次");
    let k = grid(&doc, "神奈川県");
    assert!(k.merged.len() > 700, "{} merged ranges", k.merged.len());
    let width = k.width() as u32;
    assert!(k.merged.iter().all(|m| m.first_row <= m.last_row
        && m.first_col <= m.last_col
        && m.first_col < width + 16));
    // 人口 (平成27年国調), formatted `#,##0_ `.
    let pop = k
        .rows
        .iter()
        .flatten()
        .find(|c| c.value == number("9126214"))
        .unwrap_or_else(|| panic!("population cell not found"));
    assert_eq!(pop.text, "9,126,214 ");
    assert!(k
        .rows
        .iter()
        .flatten()
        .any(|c| c.text == "-" && c.value == CellValue::Text));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

#[test]
fn corpus_legacy_xls_keeps_codes_as_text() {
    let Some(bytes) = corpus("soumu/FY2015-population_dynamics_municipal.xls") else {
        return;
    };
    let doc = yosan_extractors::extract(&bytes, "population.xls", &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.format, Some(Format::Xls));
    assert_eq!(doc.grids.len(), 1);
    let g = &doc.grids[0];
    assert!(g.rows.len() > 1900, "{} rows", g.rows.len());
    assert!(!g.merged.is_empty());
    let sapporo = g
        .rows
        .iter()
        .find(|r| r.first().is_some_and(|c| c.text == "011002"))
        .unwrap_or_else(|| panic!("011002 not found"));
    assert_eq!(
        sapporo[0].value,
        CellValue::Text,
        "codes are text cells in this file"
    );
    assert_eq!(sapporo[2].text, "札幌市");
    let codes = g
        .rows
        .iter()
        .filter_map(|r| r.first())
        .filter(|c| c.text.len() == 6 && c.text.bytes().all(|b| b.is_ascii_digit()))
        .count();
    assert!(codes > 1700, "{codes} six-digit codes");
    assert!(g
        .rows
        .iter()
        .filter_map(|r| r.first())
        .filter(|c| c.text.len() == 6 && c.text.bytes().all(|b| b.is_ascii_digit()))
        .all(|c| c.value == CellValue::Text));
}

#[test]
fn corpus_seeds_read_without_errors() {
    let dir = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus test skipped: {} not readable", dir.display());
        return;
    };
    let mut seen = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = yosan_extractors::extract(&bytes, &name, &ExtractOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            matches!(doc.format, Some(Format::Text | Format::Markdown)),
            "{name}: {:?}",
            doc.format
        );
        assert!(!doc.has_errors(), "{name}: {:?}", doc.diagnostics);
        assert!(!doc.pages.is_empty());
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if file_name.starts_with("001_") || file_name.starts_with("004_") {
            assert!(!doc.grids.is_empty(), "{name}: tab tables expected");
        }
        if file_name.starts_with("004_") {
            assert_eq!(doc.format, Some(Format::Markdown));
            let all: Vec<&Cell> = doc
                .grids
                .iter()
                .flat_map(|g| g.rows.iter().flatten())
                .collect();
            assert!(all.iter().any(|c| c.text == "II 企業活動に対する支援"));
            assert!(!all.iter().any(|c| c.text.contains("<b>")));
        }
        seen += 1;
    }
    assert!(seen > 0);
}

// ------------------------------------------------------------------------------ properties

const TOKENS: &[&str] = &[
    "a",
    "予算",
    "\"",
    "\"\"",
    ",",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{0C}",
    "|",
    "|---|",
    "# ",
    "<table>",
    "</table>",
    "<tr>",
    "<td colspan=\"3\">",
    "<td rowspan=0>",
    "</td>",
    "<br>",
    "<b>",
    "</b",
    "&amp;",
    "&#x25B2;",
    "&#99999999;",
    "<!--",
    "-->",
    "<script>",
    "32,774",
    "-450",
    "011002",
    " ",
    "　",
    "①",
];

fn token_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn detect_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048), name in prop::sample::select(vec!["", "a.csv", "a.tsv", "a.txt", "a.md", "a.xlsx", "a.xls"])) {
        let f = detect(&bytes, name);
        if f == Format::Unknown {
            prop_assert!(!yosan_extractors::detect::describe_unknown(&bytes).is_empty());
        }
    }

    #[test]
    fn detect_never_panics_on_container_prefixes(prefix in prop::sample::select(vec![&b"PK\x03\x04"[..], &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"[..], &b"%PDF-"[..], &b"\xFF\xFE"[..], &b"\xEF\xBB\xBF"[..]]), rest in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut bytes = prefix.to_vec();
        bytes.extend_from_slice(&rest);
        let _ = detect(&bytes, "x.xlsx");
        let _ = yosan_extractors::detect::describe_unknown(&bytes);
        // The whole dispatch, spreadsheet readers included, must not panic either.
        let r = yosan_extractors::extract(&bytes, "x.xlsx", &ExtractOptions::default());
        prop_assert!(!matches!(r, Err(ExtractError::Panic { .. })), "{:?}", r.err());
    }

    #[test]
    fn delimited_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), tsv in any::<bool>()) {
        let format = if tsv { Format::Tsv } else { Format::Csv };
        let doc = delimited::extract(&bytes, format, &ExtractOptions::default());
        prop_assert!(doc.is_ok());
        if let Ok(doc) = doc {
            let g = &doc.grids[0];
            prop_assert_eq!(g.rows.len(), g.row_lines.len());
            prop_assert!(g.row_lines.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn delimited_never_panics_on_tokens(text in token_text(), tsv in any::<bool>()) {
        let format = if tsv { Format::Tsv } else { Format::Csv };
        let doc = delimited::extract(text.as_bytes(), format, &ExtractOptions::default());
        prop_assert!(doc.is_ok());
        if let Ok(doc) = doc {
            let g = &doc.grids[0];
            prop_assert!(g.row_lines.windows(2).all(|w| w[0] < w[1]));
            // Without quotes every field is literal text between delimiters.
            if !text.contains('"') {
                let fields: usize = g.rows.iter().map(Vec::len).sum();
                let delim = if tsv { '\t' } else { ',' };
                let lines: Vec<&str> = text.split(['\n', '\r']).filter(|l| !l.is_empty()).collect();
                let expected: usize = lines.iter().map(|l| l.matches(delim).count() + 1).sum();
                prop_assert_eq!(fields, expected);
            }
        }
    }

    #[test]
    fn text_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048), kind in 0u8..3) {
        let format = [Format::Text, Format::Markdown, Format::Html][kind as usize];
        prop_assert!(text::extract(&bytes, format, &ExtractOptions::default()).is_ok());
    }

    #[test]
    fn text_never_panics_on_tokens(text_in in token_text(), kind in 0u8..3) {
        let format = [Format::Text, Format::Markdown, Format::Html][kind as usize];
        let doc = text::extract(text_in.as_bytes(), format, &ExtractOptions::default());
        prop_assert!(doc.is_ok());
        if let Ok(doc) = doc {
            for page in &doc.pages {
                for line in &page.lines {
                    prop_assert!(!line.words.is_empty());
                    prop_assert!(line.bbox.y0 < page.height);
                    for w in &line.words {
                        prop_assert!(w.bbox.x0 < w.bbox.x1);
                        prop_assert!(!w.text.chars().any(char::is_whitespace));
                    }
                }
            }
            for (i, g) in doc.grids.iter().enumerate() {
                prop_assert_eq!(&g.name, &format!("table {}", i + 1));
                prop_assert_eq!(g.rows.len(), g.row_lines.len());
                for m in &g.merged {
                    prop_assert!(m.first_row <= m.last_row && (m.last_row as usize) < g.rows.len());
                }
            }
        }
    }
}

/// Inputs built to make a careless scanner quadratic: each must be read in well under a second.
#[test]
fn adversarial_inputs_stay_fast() {
    let cases: Vec<(&str, Vec<u8>, Format)> = vec![
        (
            "declarations",
            "<!".repeat(200_000).into_bytes(),
            Format::Html,
        ),
        (
            "open comments",
            "<!--".repeat(100_000).into_bytes(),
            Format::Html,
        ),
        (
            "open tags",
            "<a <b \"".repeat(60_000).into_bytes(),
            Format::Html,
        ),
        (
            "open tables",
            "<table><tr><td>".repeat(30_000).into_bytes(),
            Format::Text,
        ),
        (
            "pipes",
            "|a|\n".repeat(100_000).into_bytes(),
            Format::Markdown,
        ),
        ("quotes", "\"a\t".repeat(100_000).into_bytes(), Format::Tsv),
        (
            "csv quotes",
            "\"a\"b,".repeat(100_000).into_bytes(),
            Format::Csv,
        ),
        ("commas", ",".repeat(400_000).into_bytes(), Format::Csv),
    ];
    for (what, bytes, format) in cases {
        let start = Instant::now();
        let ok = match format {
            Format::Csv | Format::Tsv => {
                delimited::extract(&bytes, format, &ExtractOptions::default()).is_ok()
            }
            _ => text::extract(&bytes, format, &ExtractOptions::default()).is_ok(),
        };
        assert!(ok, "{what}");
        check_time(what, start.elapsed().as_secs_f64(), 1.0);
    }
}

/// A zip archive of stored members.
fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in members {
        w.start_file(*name, stored).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A one-sheet XLSX workbook whose sheet data is `rows` (`<row>` elements).
fn xlsx_of(rows: &str) -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
            ),
        ),
    ])
}

#[test]
fn scattered_cells_are_counted_as_laid_out() {
    // Two cells a row, in columns A and XFD: 20 KB of XML, 2,000 rows of 16,384 cells once laid
    // out (gigabytes).
    let rows: String = (1..=2000)
        .map(|r| {
            format!(r#"<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>2</v></c></row>"#)
        })
        .collect();
    let bytes = xlsx_of(&rows);
    assert_eq!(detect(&bytes, "a.xlsx"), Format::Xlsx);
    let err = yosan_extractors::extract(&bytes, "a.xlsx", &ExtractOptions::default()).err();
    match &err {
        Some(ExtractError::Sheet(e @ sheet::SheetError::SheetTooLarge { bytes, limit, .. })) => {
            assert_eq!(e.code(), "sheet.too_large");
            assert!(bytes > limit, "{e}");
        }
        other => panic!("{other:?}"),
    }
    // The same cells close together are an ordinary sheet.
    let rows: String = (1..=2000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><v>2</v></c></row>"#))
        .collect();
    let doc = yosan_extractors::extract(&xlsx_of(&rows), "a.xlsx", &ExtractOptions::default())
        .expect("a 2,000 × 2 sheet");
    assert_eq!(grid(&doc, "s").rows.len(), 2000);
}

#[test]
fn ods_rows_repeated_past_the_limit_are_refused() {
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>"#,
        r#"<table:table table:name="bomb"><table:table-row table:number-rows-repeated="6000">"#,
        r#"<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>"#,
        r#"</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let bytes = zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content),
    ]);
    // Refused before calamine expands it (expanded, it takes gigabytes).
    let err = sheet::extract(&bytes, Format::Ods, &ExtractOptions::default()).err();
    assert_eq!(err.map(|e| e.code()), Some("sheet.too_large"));
}
