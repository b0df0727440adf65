//! Data-driven fixture tests: one input file in, one readable golden JSONL out.
//!
//! A golden holds the document's record on its first line, then its diagnostics, then one budget
//! line per line, in the order the pipeline writes them. `YOSAN_BLESS=1 cargo test golden`
//! (`make bless`) rewrites them; review the diff before committing.

use crate::common::{process_dir, root};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn expected_path(source_file: &str) -> PathBuf {
    // source_file is `inputs/<family>/<file>`; the golden mirrors it under expected/.
    let rel = source_file.strip_prefix("inputs/").unwrap_or(source_file);
    root()
        .join("fixtures/expected")
        .join(format!("{rel}.jsonl"))
}

fn render(result: &yosan::ingest::DocResult) -> String {
    let mut out = String::new();
    let mut record = serde_json::to_value(&result.record).expect("record serialises");
    // Byte counts and hashes of the input are stable; nothing time-dependent is in the record.
    if let Some(o) = record.as_object_mut() {
        o.remove("source_sha256");
    }
    out.push_str(&serde_json::json!({ "document": record }).to_string());
    out.push('\n');
    for d in &result.diagnostics {
        let mut v = serde_json::to_value(d).expect("diagnostic serialises");
        if let Some(o) = v.as_object_mut() {
            o.remove("source_sha256");
        }
        out.push_str(&serde_json::json!({ "diagnostic": v }).to_string());
        out.push('\n');
    }
    let mut lines = result.lines.clone();
    lines.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for l in &lines {
        let mut v = serde_json::to_value(l).expect("line serialises");
        if let Some(o) = v.as_object_mut() {
            o.remove("source_sha256");
        }
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

fn first_difference(expected: &str, actual: &str) -> String {
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
        }
    }
    format!(
        "line counts differ: expected {}, actual {}",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn golden_every_fixture_matches_its_expected_output() {
    let fixtures = root().join("fixtures");
    let results = process_dir(
        &fixtures.join("inputs"),
        Some(&fixtures.join("sources.json")),
    );
    assert!(!results.is_empty(), "no fixtures found");
    let bless = std::env::var_os("YOSAN_BLESS").is_some();
    let mut failures = Vec::new();
    for r in &results {
        let path = expected_path(&r.record.source_file);
        let actual = render(r);
        if bless {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &actual).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: output differs from {}\n{}",
                r.record.source_file,
                path.display(),
                first_difference(&expected, &actual)
            )),
            Err(_) => failures.push(format!(
                "{}: no golden at {} (run `make bless`)",
                r.record.source_file,
                path.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ; if the change is intended run `make bless` and review the diff:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn files_under(dir: &Path, suffix: &str) -> BTreeSet<String> {
    crate::common::files(dir, false)
        .into_iter()
        .filter_map(|(rel, _)| rel.strip_suffix(suffix).map(str::to_string))
        .collect()
}

#[test]
fn golden_every_input_has_a_golden_and_every_golden_an_input() {
    let fixtures = root().join("fixtures");
    let inputs = files_under(&fixtures.join("inputs"), "");
    let goldens = files_under(&fixtures.join("expected"), ".jsonl");
    let missing: Vec<_> = inputs.difference(&goldens).collect();
    let orphans: Vec<_> = goldens.difference(&inputs).collect();
    assert!(
        missing.is_empty() && orphans.is_empty(),
        "inputs without a golden (run `make bless`): {missing:?}\ngoldens without an input (delete them): {orphans:?}"
    );
}

/// The made-up budget book in five forms (`fixtures/inputs/budget_book/`: a PDF of two-page
/// spreads with rules, LibreOffice PDFs of A3 pages without and with rules, the workbook they were printed
/// from, and its 歳出 sheet as CSV) reads the same: the same 款, 項, 目, 計, 節, 小区分 and 説明
/// lines with the same amounts, every check passing.
#[test]
fn golden_budget_book_forms_read_alike() {
    use std::collections::BTreeMap;
    use yosan::model::{Check, Direction};
    let dir = root().join("fixtures/inputs/budget_book");
    let results = process_dir(&dir, None);
    type Key = (
        Direction,
        Vec<String>,
        String,
        String,
        i64,
        bool,
        Option<i64>,
    );
    let mut forms: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for r in &results {
        assert_eq!(
            r.record.family.as_deref(),
            Some("budget_book"),
            "{}",
            r.record.source_file
        );
        assert_eq!(
            r.record.document_fiscal_year,
            Some(2025),
            "{}",
            r.record.source_file
        );
        // The account comes from the title (a PDF page, the cover sheet, the first CSV row).
        assert_eq!(
            r.record.account.as_deref(),
            Some("一般会計"),
            "{}",
            r.record.source_file
        );
        assert_eq!(
            r.record.checks_mismatch, 0,
            "{}: {:#?}",
            r.record.source_file, r.diagnostics
        );
        assert!(
            r.record.checks_ok > 50,
            "{}: {} checks",
            r.record.source_file,
            r.record.checks_ok
        );
        let mut keys: Vec<Key> = r
            .lines
            .iter()
            .filter(|l| !l.is_total || l.level == "計")
            .map(|l| {
                assert_ne!(l.check, Check::Mismatch, "{l:?}");
                (
                    l.direction,
                    l.path.clone(),
                    l.level.clone(),
                    l.measure.clone(),
                    l.fiscal_year,
                    l.is_total,
                    l.amount_yen,
                )
            })
            .collect();
        keys.sort();
        forms.insert(
            r.record
                .source_file
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            keys,
        );
    }
    let spread = &forms["book_spread_lattice.pdf"];
    assert!(spread.len() > 120, "{} lines", spread.len());
    for (name, keys) in &forms {
        let expected: Vec<&Key> = if name.ends_with(".csv") {
            spread
                .iter()
                .filter(|k| k.0 == Direction::Expenditure)
                .collect()
        } else {
            spread.iter().collect()
        };
        let got: Vec<&Key> = keys.iter().collect();
        let missing: Vec<_> = expected.iter().filter(|k| !got.contains(k)).collect();
        let extra: Vec<_> = got.iter().filter(|k| !expected.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: missing {missing:#?}\nextra {extra:#?}"
        );
    }
    // The summary lines of the PDFs and the workbook: 第1表 and the 総額 of 第1条.
    for r in results
        .iter()
        .filter(|r| !r.record.source_file.ends_with(".csv"))
    {
        let total = r.lines.iter().filter(|l| l.path == ["総額"]).count();
        assert_eq!(total, 2, "{}: 総額 for 歳入 and 歳出", r.record.source_file);
        assert!(
            r.lines
                .iter()
                .any(|l| l.is_total && l.level == "款" && l.measure_label == "金額"),
            "{}: 第1表",
            r.record.source_file
        );
    }
}
