//! Incremental runs: the state in `.yosan/`, reuse of unchanged documents, and the guarantee that
//! an incremental run writes exactly what a full rebuild over the same inputs writes.

use crate::common::{root, snapshot, temp_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yosan::ingest::{ingest, plan, IngestOptions, PlanAction, Summary};

/// Copies of the fixtures and their sources manifest in `dir` (`dir/inputs`, `dir/sources.json`).
pub fn make_corpus(dir: &Path) {
    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy_tree(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    // A fixed set of fixture families, so that adding fixtures elsewhere does not move counts.
    for family in CORPUS_FAMILIES {
        copy_tree(
            &root().join("fixtures/inputs").join(family),
            &dir.join("inputs").join(family),
        );
    }
    std::fs::copy(
        root().join("fixtures/sources.json"),
        dir.join("sources.json"),
    )
    .unwrap();
}

/// The fixture folders `make_corpus` copies.
const CORPUS_FAMILIES: [&str; 3] = ["foundation", "open_data", "yokohama"];

/// The fixture documents `make_corpus` copies, as `inputs/<family>/<file>`.
pub fn fixture_files() -> Vec<String> {
    CORPUS_FAMILIES
        .iter()
        .flat_map(|f| {
            crate::common::files(&root().join("fixtures/inputs").join(f), false)
                .into_iter()
                .map(move |(rel, _)| format!("inputs/{f}/{rel}"))
        })
        .collect()
}

/// How many fixture documents `make_corpus` copies.
pub fn fixture_count() -> usize {
    fixture_files().len()
}

pub fn options(dir: &Path, out: &Path, full: bool) -> IngestOptions {
    IngestOptions {
        inputs: vec![dir.join("inputs")],
        sources: Some(dir.join("sources.json")),
        out: out.to_path_buf(),
        jobs: Some(2),
        full,
        ..Default::default()
    }
}

pub fn run(dir: &Path, out: &Path, full: bool) -> Summary {
    ingest(&options(dir, out, full), &|_| {}).expect("ingest runs")
}

/// Every file of a dataset folder but manifest.json (which records times), state and store
/// included.
pub fn dataset_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(out)
        .into_iter()
        .filter(|(p, _)| p != "manifest.json")
        .collect()
}

pub fn assert_same_dataset(a: &Path, b: &Path) {
    let (fa, fb) = (dataset_files(a), dataset_files(b));
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&fa), names(&fb), "the same files");
    assert!(fa.iter().any(|(p, _)| p.starts_with("budget_lines/")));
    for ((p, x), (_, y)) in fa.iter().zip(fb.iter()) {
        assert!(
            x == y,
            "{p} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// Edits the corpus: one file changed (an amount), one removed, one added.
fn change_remove_add(dir: &Path) {
    let csv = dir.join("inputs/open_data/ward_budget_sample_cp932.csv");
    let bytes = std::fs::read(&csv).unwrap();
    let at = bytes
        .windows(6)
        .position(|w| w == b"32,774")
        .expect("amount in the CSV");
    let mut changed = bytes.clone();
    changed[at..at + 6].copy_from_slice(b"32,775");
    std::fs::write(&csv, changed).unwrap();
    std::fs::remove_file(dir.join("inputs/yokohama/r3_plan_pdftotext.txt")).unwrap();
    std::fs::copy(
        dir.join("inputs/yokohama/r4_plan_layout.txt"),
        dir.join("inputs/yokohama/r4_plan_layout_copy.txt"),
    )
    .unwrap();
}

fn amounts_of(out: &Path, needle: &str) -> Vec<Option<i64>> {
    let df = crate::common::read_table(&out.join("budget_lines"));
    let files = df.column("source_file").unwrap().str().unwrap().clone();
    let texts = df.column("amount_text").unwrap().str().unwrap().clone();
    let yen = df.column("amount_yen").unwrap().i64().unwrap().clone();
    (0..df.height())
        .filter(|&i| {
            files.get(i).is_some_and(|f| f.contains(needle)) && texts.get(i) == Some("32,775")
        })
        .map(|i| yen.get(i))
        .collect()
}

#[test]
fn incremental_run_after_change_remove_add_equals_a_full_rebuild() {
    let dir = temp_dir("inc-cra");
    make_corpus(&dir);
    let inc = dir.join("out-inc");
    let first = run(&dir, &inc, false);
    assert_eq!((first.processed, first.reused), (fixture_count(), 0));
    change_remove_add(&dir);
    let second = run(&dir, &inc, false);
    // One file removed and one added: as many documents as before; all reused but the CSV.
    assert_eq!(
        (
            second.documents,
            second.reused,
            second.processed,
            second.removed
        ),
        (fixture_count(), fixture_count() - 2, 2, 1),
        "the rest reused; the CSV and the copy processed; r3 removed: {second:?}"
    );
    let full = dir.join("out-full");
    let rebuilt = run(&dir, &full, true);
    assert_eq!((rebuilt.processed, rebuilt.reused), (fixture_count(), 0));
    assert_same_dataset(&inc, &full);
    // The changed file's rows are its new rows, and the removed file has none left.
    assert_eq!(amounts_of(&inc, "ward_budget"), vec![Some(32_775_000)]);
    let docs = crate::common::read_table(&inc.join("documents.parquet"));
    let names: Vec<String> = docs
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("r3_plan_pdftotext")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains("r4_plan_layout_copy")),
        "{names:?}"
    );
    let lines = crate::common::read_table(&inc.join("budget_lines"));
    let from_r3 = lines
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .filter(|f| f.is_some_and(|f| f.contains("r3_plan_pdftotext")))
        .count();
    assert_eq!(from_r3, 0, "rows of the removed file are dropped");
}

#[test]
fn incremental_unchanged_rerun_reuses_every_document_and_links_every_partition() {
    let dir = temp_dir("inc-same");
    make_corpus(&dir);
    let out = dir.join("out");
    let first = run(&dir, &out, false);
    let before = dataset_files(&out);
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt;
        let p = out.join("budget_lines/jurisdiction=141003-横浜市/year=2022/part-0.parquet");
        std::fs::metadata(p).unwrap().ino()
    };
    let again = run(&dir, &out, false);
    assert_eq!(
        (again.processed, again.reused, again.removed),
        (0, fixture_count(), 0)
    );
    assert_eq!((again.lines, again.ok), (first.lines, first.ok));
    assert_eq!(dataset_files(&out), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let p = out.join("budget_lines/jurisdiction=141003-横浜市/year=2022/part-0.parquet");
        assert_eq!(
            std::fs::metadata(p).unwrap().ino(),
            inode,
            "an unchanged partition is linked from the previous output, not rewritten"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["mode"], "incremental");
    assert_eq!(manifest["summary"]["reused"], fixture_count());
    assert!(manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["reused"] == true));
}

#[test]
fn incremental_changed_declarations_reprocess_only_the_files_they_cover() {
    let dir = temp_dir("inc-decl");
    make_corpus(&dir);
    let out = dir.join("out");
    run(&dir, &out, false);
    let manifest = std::fs::read_to_string(dir.join("sources.json")).unwrap();
    let edited = manifest.replace(
        r#""fiscal_year": 2021, "account": "一般会計""#,
        r#""fiscal_year": 2021, "account": "国民健康保険事業費会計""#,
    );
    assert_ne!(manifest, edited, "the r3 declaration was edited");
    std::fs::write(dir.join("sources.json"), edited).unwrap();
    // The edited declaration covers the 令和3年度 plan in each of its forms.
    let covered = fixture_files()
        .iter()
        .filter(|f| f.starts_with("inputs/yokohama/r3_"))
        .count();
    assert!(covered >= 1);
    let again = run(&dir, &out, false);
    assert_eq!(
        (again.processed, again.reused),
        (covered, fixture_count() - covered),
        "{again:?}"
    );
    let full = dir.join("full");
    run(&dir, &full, true);
    assert_same_dataset(&out, &full);
    let lines = crate::common::read_table(&out.join("budget_lines"));
    let accounts: Vec<(String, String)> = lines
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .zip(lines.column("account").unwrap().str().unwrap().iter())
        .map(|(f, a)| (f.unwrap_or("").to_string(), a.unwrap_or("").to_string()))
        .filter(|(f, _)| f.contains("r3_plan"))
        .collect();
    assert!(!accounts.is_empty());
    assert!(accounts.iter().all(|(_, a)| a == "国民健康保険事業費会計"));
}

#[test]
fn incremental_full_flag_rebuilds_everything_with_the_same_result() {
    let dir = temp_dir("inc-full");
    make_corpus(&dir);
    let out = dir.join("out");
    run(&dir, &out, false);
    let before = dataset_files(&out);
    let again = run(&dir, &out, true);
    assert_eq!((again.processed, again.reused), (fixture_count(), 0));
    assert_eq!(dataset_files(&out), before);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["mode"], "full");
}

#[test]
fn incremental_missing_store_file_or_broken_state_reprocesses_and_stays_identical() {
    let dir = temp_dir("inc-broken");
    make_corpus(&dir);
    let out = dir.join("out");
    run(&dir, &out, false);
    let before = dataset_files(&out);
    // One document's stored rows lost: that document alone is processed again.
    let docs: Vec<PathBuf> = std::fs::read_dir(out.join(".yosan/docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(docs.len(), fixture_count());
    std::fs::remove_file(&docs[0]).unwrap();
    let again = run(&dir, &out, false);
    assert_eq!((again.processed, again.reused), (1, fixture_count() - 1));
    assert_eq!(dataset_files(&out), before);
    // A state file that does not parse: everything is processed again.
    std::fs::write(out.join(".yosan/state.json"), b"{not json").unwrap();
    let again = run(&dir, &out, false);
    assert_eq!((again.processed, again.reused), (fixture_count(), 0));
    assert_eq!(dataset_files(&out), before);
}

#[test]
fn incremental_dry_run_lists_each_file_and_writes_nothing() {
    let dir = temp_dir("inc-dry");
    make_corpus(&dir);
    let out = dir.join("out");
    run(&dir, &out, false);
    change_remove_add(&dir);
    let before = snapshot(&dir);
    let entries = plan(&options(&dir, &out, false)).expect("plan");
    let actions: BTreeMap<String, PlanAction> =
        entries.iter().map(|e| (e.file.clone(), e.action)).collect();
    // Every fixture file copied is unchanged but the three edited.
    let mut expect: BTreeMap<String, PlanAction> = fixture_files()
        .into_iter()
        .map(|f| (f, PlanAction::Unchanged))
        .collect();
    for (f, a) in [
        (
            "inputs/open_data/ward_budget_sample_cp932.csv",
            PlanAction::Changed,
        ),
        ("inputs/yokohama/r3_plan_pdftotext.txt", PlanAction::Removed),
        ("inputs/yokohama/r4_plan_layout_copy.txt", PlanAction::New),
    ] {
        expect.insert(f.to_string(), a);
    }
    assert!(expect.contains_key("inputs/foundation/kip_r4_plan.md"));
    assert_eq!(actions, expect);
    let changed = entries
        .iter()
        .find(|e| e.action == PlanAction::Changed)
        .unwrap();
    assert_eq!(changed.reason.as_deref(), Some("content changed"));
    assert_eq!(
        snapshot(&dir),
        before,
        "nothing written, not even a staging folder"
    );

    // The command prints the same, one file per line, and exits 0.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_yosan"))
        .args(["ingest", "--dry-run", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(dir.join("inputs"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("new        inputs/yokohama/r4_plan_layout_copy.txt"),
        "{text}"
    );
    assert!(
        text.contains("removed    inputs/yokohama/r3_plan_pdftotext.txt"),
        "{text}"
    );
    let tally = format!(
        "1 new, 1 changed, {} unchanged, 1 removed: 2 to process",
        fixture_count() - 2
    );
    assert!(text.contains(&tally), "{tally} in {text}");
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn incremental_partitions_larger_than_a_row_group_are_complete_sorted_and_equal_to_full() {
    let dir = temp_dir("inc-big");
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    // 30 copies of the 令和4年度 plan: 30 times the plan's 2022 lines (as its golden holds them)
    // in the 2022 partition, more than a row group.
    let plan = std::fs::read(root().join("fixtures/inputs/yokohama/r4_plan_layout.txt")).unwrap();
    for i in 0..30 {
        std::fs::write(inputs.join(format!("r4_{i:02}.txt")), &plan).unwrap();
    }
    std::fs::write(
        dir.join("sources.json"),
        r#"{"sources":[{"path":"inputs/*.txt","jurisdiction":"横浜市","fiscal_year":2022}]}"#,
    )
    .unwrap();
    let out = dir.join("out");
    run(&dir, &out, false);
    let part = crate::common::read_table(
        &out.join("budget_lines/jurisdiction=141003-横浜市/year=2022/part-0.parquet"),
    );
    let (_, golden) = crate::common::golden("yokohama/r4_plan_layout.txt");
    let per_copy = golden
        .iter()
        .filter(|l| l["fiscal_year"].as_i64() == Some(2022))
        .count();
    assert!(per_copy > 0);
    assert_eq!(part.height(), 30 * per_copy);
    assert!(part.height() > yosan::dataset::ROW_GROUP_ROWS);
    let files: Vec<&str> = part
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert!(
        files.windows(2).all(|w| w[0] <= w[1]),
        "rows sorted by source"
    );
    // One copy changed (a name edited), one removed: equal to a full rebuild.
    let text = String::from_utf8(plan)
        .unwrap()
        .replacen("経済局", "経済局（改）", 1);
    std::fs::write(inputs.join("r4_07.txt"), text).unwrap();
    std::fs::remove_file(inputs.join("r4_21.txt")).unwrap();
    let again = run(&dir, &out, false);
    assert_eq!((again.processed, again.reused, again.removed), (1, 28, 1));
    let full = dir.join("full");
    run(&dir, &full, true);
    assert_same_dataset(&out, &full);
}
