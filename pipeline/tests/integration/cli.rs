//! The `yosan` binary: exit codes, the documents table for bad files, `schema` and `extract`.

use crate::common::{read_table, root, temp_dir};
use polars::prelude::*;
use std::process::Command;

fn yosan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yosan"))
}

/// Runs `yosan ingest` over `inputs` (a folder `in` of `dir` holding `plan.txt`, the 令和4年度
/// plan, beside the files under test) with a manifest declaring the plan; returns the output
/// folder and the exit status.
fn ingest_beside_plan(
    dir: &std::path::Path,
    inputs: &std::path::Path,
) -> (std::path::PathBuf, std::process::ExitStatus) {
    std::fs::write(
        dir.join("sources.json"),
        r#"{"sources":[{"path":"in/plan.txt","jurisdiction":"横浜市","fiscal_year":2022}]}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let status = yosan()
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(inputs)
        .status()
        .unwrap();
    (out, status)
}

#[test]
fn cli_exit_code_is_1_when_a_document_fails_and_the_rest_is_written() {
    let dir = temp_dir("cli-bad");
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(
        root().join("fixtures/inputs/yokohama/r4_plan_layout.txt"),
        inputs.join("plan.txt"),
    )
    .unwrap();
    std::fs::write(inputs.join("empty.csv"), b"").unwrap();
    std::fs::write(inputs.join("image.pdf"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let (out, status) = ingest_beside_plan(&dir, &inputs);
    assert_eq!(status.code(), Some(1));
    let docs = read_table(&out.join("documents.parquet"));
    assert_eq!(docs.height(), 3);
    let status_col = docs.column("status").unwrap().str().unwrap();
    let errors: Vec<_> = docs
        .column("error")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    assert_eq!(status_col.iter().filter(|s| *s == Some("error")).count(), 2);
    assert!(errors.iter().any(|e| e.contains("empty")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("PNG")), "{errors:?}");
    let lines = read_table(&out.join("budget_lines"));
    // The 目次's 78 amounts and the eleven project sheets' 444.
    assert_eq!(lines.height(), 522);
}

#[test]
fn cli_exit_code_is_2_for_a_bad_manifest_and_nothing_is_written() {
    let dir = temp_dir("cli-manifest");
    std::fs::write(
        dir.join("sources.json"),
        r#"{"sources":[{"path":"*","jurisdiction":"どこにもない市"}]}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let o = yosan()
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(root().join("fixtures/inputs"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("どこにもない市"));
    assert!(!out.exists());
}

#[test]
fn cli_schema_prints_every_budget_lines_column() {
    let o = yosan()
        .args(["schema", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = v.to_string();
    for col in [
        "jurisdiction_code",
        "fiscal_year",
        "amount_yen",
        "measure",
        "path",
        "check",
    ] {
        assert!(text.contains(col), "{col} missing from yosan schema");
    }
}

#[test]
fn cli_extract_shows_the_cells_of_a_csv() {
    let o = yosan()
        .arg("extract")
        .arg(root().join("fixtures/inputs/open_data/ward_budget_sample_cp932.csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("区民相談等事業運営"), "{text}");
    assert!(text.contains("32,774"), "{text}");
}

#[test]
fn cli_extract_svg_draws_words_rules_and_the_cells_of_a_page() {
    let dir = temp_dir("cli_svg");
    // A ruled spread page (lattice) and the same table printed without rules (stream).
    for (file, method, rules) in [
        ("book_spread_lattice.pdf", "lattice", true),
        ("book_a3_libreoffice.pdf", "stream", false),
    ] {
        let out = dir.join(format!("{method}.svg"));
        let o = yosan()
            .arg("extract")
            .arg(root().join("fixtures/inputs/budget_book").join(file))
            .args(["--pages", "3", "--svg"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("<title>page 3 "), "{file}");
        // Words, with their text.
        assert!(svg.contains("議会費</text>"), "{file}");
        // Ruling lines only where the page has them.
        assert_eq!(svg.contains(r#"stroke="red""#), rules, "{file}");
        // The table, its columns and its cells (amount cells shaded).
        assert!(
            svg.contains(&format!(r#"data-method="{method}""#)),
            "{file}"
        );
        assert!(svg.contains("stroke-dasharray"), "{file}");
        assert!(svg.contains("<title>col "), "{file}");
        assert!(
            svg.contains("22\" stroke=\"#"),
            "{file}: no shaded amount cell"
        );
        // The cells as text on stdout.
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.starts_with(&format!("table 1 ({method}")), "{text}");
        assert!(text.contains("120,000"), "{text}");
    }
    // A page the file does not have, and a workbook (no pages to draw): usage errors.
    let o = yosan()
        .arg("extract")
        .arg(root().join("fixtures/inputs/budget_book/book_spread_lattice.pdf"))
        .args(["--pages", "99", "--svg"])
        .arg(dir.join("none.svg"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no page 99"));
    let o = yosan()
        .arg("extract")
        .arg(root().join("fixtures/inputs/budget_book/book_a3.xlsx"))
        .args(["--svg"])
        .arg(dir.join("none.svg"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("PDF only"));
}

#[test]
fn cli_documents_table_has_the_documented_columns() {
    let dir = temp_dir("cli-cols");
    let out = dir.join("out");
    let status = yosan()
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(root().join("fixtures/sources.json"))
        .arg(root().join("fixtures/inputs"))
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1));
    for (table, file) in [
        ("documents", "documents.parquet"),
        ("diagnostics", "diagnostics.parquet"),
        ("budget_lines", "budget_lines"),
        ("reconciliation", "reconciliation.parquet"),
    ] {
        let df = read_table(&out.join(file));
        let contract = yosan_schemas::table(table).expect("table in contract");
        let ours: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        let theirs: Vec<String> = contract.columns.iter().map(|c| c.name.clone()).collect();
        assert_eq!(ours, theirs, "{table} columns follow schemas/columns.json");
        for c in &contract.columns {
            let dtype = df.column(&c.name).unwrap().dtype().clone();
            let expected = match c.dtype.as_str() {
                "Utf8" => DataType::String,
                "Int64" => DataType::Int64,
                "Int32" => DataType::Int32,
                "Boolean" => DataType::Boolean,
                "List<Utf8>" => DataType::List(Box::new(DataType::String)),
                "List<Float32>" => DataType::List(Box::new(DataType::Float32)),
                other => panic!("unknown contract type {other}"),
            };
            assert_eq!(dtype, expected, "{table}.{}", c.name);
        }
    }
}

#[test]
fn cli_broken_pdfs_each_fail_alone_and_the_rest_of_the_batch_is_written() {
    let dir = temp_dir("cli-broken-pdf");
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let pdfs = root().join("extractors/tests/data/pdf");
    for (from, to) in [
        ("truncated_header_only.pdf", "truncated.pdf"),
        ("encrypted_password.pdf", "needs_password.pdf"),
        ("image_only.pdf", "scanned.pdf"),
    ] {
        std::fs::copy(pdfs.join(from), inputs.join(to)).unwrap();
    }
    std::fs::write(
        inputs.join("picture.pdf"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0",
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/inputs/yokohama/r4_plan_layout.txt"),
        inputs.join("plan.txt"),
    )
    .unwrap();
    let (out, status) = ingest_beside_plan(&dir, &inputs);
    assert_eq!(status.code(), Some(1), "some documents failed");
    let docs = read_table(&out.join("documents.parquet"));
    let col = |name: &str| -> Vec<String> {
        docs.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect()
    };
    let (files, statuses, errors) = (col("source_file"), col("status"), col("error"));
    let row = |name: &str| files.iter().position(|f| f.ends_with(name)).unwrap();
    for (name, says) in [
        ("truncated.pdf", "cannot be read"),
        ("needs_password.pdf", "password"),
        ("scanned.pdf", "text layer"),
        ("picture.pdf", "PNG"),
    ] {
        let i = row(name);
        assert_eq!(statuses[i], "error", "{name}");
        assert!(errors[i].contains(says), "{name}: {}", errors[i]);
    }
    assert_eq!(statuses[row("plan.txt")], "ok");
    // The plan gives the lines its golden holds, and only the plan has lines.
    let plan_lines = docs
        .column("lines")
        .unwrap()
        .i64()
        .unwrap()
        .get(row("plan.txt"));
    let (golden, _) = crate::common::golden("yokohama/r4_plan_layout.txt");
    assert_eq!(plan_lines, golden["lines"].as_i64());
    assert_eq!(
        read_table(&out.join("budget_lines")).height() as i64,
        plan_lines.unwrap()
    );
    let diags = read_table(&out.join("diagnostics.parquet"));
    let codes: Vec<String> = diags
        .column("code")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or_default().to_string())
        .collect();
    for code in [
        "pdf.unreadable",
        "pdf.encrypted",
        "pdf.no_text_layer",
        "file.unsupported_format",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
}
