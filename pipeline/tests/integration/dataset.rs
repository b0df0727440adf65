//! The Parquet dataset: Hive layout, determinism, atomic replacement of the previous output.

use crate::common::{read_table, root, snapshot, temp_dir};
use std::process::{Command, Stdio};

fn ingest_fixtures(out: &std::path::Path) -> std::process::ExitStatus {
    Command::new(env!("CARGO_BIN_EXE_yosan"))
        .args(["ingest", "--quiet", "--out"])
        .arg(out)
        .arg("--sources")
        .arg(root().join("fixtures/sources.json"))
        .arg(root().join("fixtures/inputs"))
        .status()
        .unwrap()
}

#[test]
fn dataset_two_runs_over_the_same_inputs_are_byte_identical() {
    let dir = temp_dir("determinism");
    let (a, b) = (dir.join("a"), dir.join("b"));
    assert!(ingest_fixtures(&a).code().is_some_and(|c| c <= 1));
    assert!(ingest_fixtures(&b).code().is_some_and(|c| c <= 1));
    let strip = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        // manifest.json records timings and is expected to differ.
        files
            .into_iter()
            .filter(|(p, _)| p != "manifest.json")
            .collect()
    };
    let (sa, sb) = (strip(snapshot(&a)), strip(snapshot(&b)));
    assert!(sa.iter().any(|(p, _)| p.ends_with(".parquet")));
    assert_eq!(
        sa.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        sb.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
    );
    for ((pa, ba), (_, bb)) in sa.iter().zip(sb.iter()) {
        assert!(
            ba == bb,
            "{pa} differs between two runs over the same inputs"
        );
    }
}

#[test]
fn dataset_is_hive_partitioned_by_jurisdiction_and_fiscal_year() {
    let dir = temp_dir("hive");
    let out = dir.join("out");
    ingest_fixtures(&out);
    let files: Vec<String> = snapshot(&out).into_iter().map(|(p, _)| p).collect();
    assert!(
        files.contains(
            &"budget_lines/jurisdiction=141003-横浜市/year=2022/part-0.parquet".to_string()
        ),
        "{files:#?}"
    );
    assert!(files.iter().any(|f| f
        .starts_with("budget_lines/jurisdiction=公益財団法人神奈川産業振興センター/year=2021/")));
    assert!(files.contains(&"documents.parquet".to_string()));
    assert!(files.contains(&"diagnostics.parquet".to_string()));
    assert!(files.contains(&"manifest.json".to_string()));
    // Each partition holds only its own jurisdiction and year.
    let part = read_table(&out.join("budget_lines/jurisdiction=141003-横浜市/year=2021"));
    let years = part.column("fiscal_year").unwrap().i32().unwrap();
    assert!(years.iter().all(|y| y == Some(2021)));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["tool"], "yosan");
    assert!(manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["sha256"].as_str().unwrap().len() == 64));
}

#[test]
fn dataset_killed_run_leaves_the_previous_output_untouched() {
    let dir = temp_dir("kill");
    let out = dir.join("out");
    assert!(ingest_fixtures(&out).code().is_some_and(|c| c <= 1));
    let before = snapshot(&out);
    // A second run over different inputs, held just before it moves its output into place, killed.
    let mut child = Command::new(env!("CARGO_BIN_EXE_yosan"))
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg(root().join("fixtures/inputs/open_data"))
        .env("YOSAN_PAUSE_BEFORE_COMMIT_MS", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the staging folder is complete (its manifest written), then kill.
    let staging = dir.join(format!(".out.staging-{}", child.id()));
    let t0 = std::time::Instant::now();
    while !staging.join("manifest.json").exists() {
        assert!(
            t0.elapsed().as_secs() < 60,
            "the run never reached its commit point"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(snapshot(&out), before, "the previous dataset is intact");
    // The next run cleans the abandoned staging folder and replaces the output.
    assert!(ingest_fixtures(&out).code().is_some_and(|c| c <= 1));
    assert!(!staging.exists(), "abandoned staging folder removed");
}
