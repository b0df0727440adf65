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
