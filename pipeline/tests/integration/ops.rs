//! Operations: parallel runs, per-document timeouts, structured logs and the run summary.

use crate::common::{read_table, root, snapshot, temp_dir};
use crate::incremental::{assert_same_dataset, make_corpus, options};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use yosan::ingest::ingest;

fn yosan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yosan"))
}

#[test]
fn ops_one_job_and_two_jobs_write_byte_identical_datasets() {
    let dir = temp_dir("ops-jobs");
    make_corpus(&dir);
    let (a, b) = (dir.join("one"), dir.join("two"));
    let mut o = options(&dir, &a, true);
    o.jobs = Some(1);
    ingest(&o, &|_| {}).unwrap();
    let mut o = options(&dir, &b, true);
    o.jobs = Some(2);
    ingest(&o, &|_| {}).unwrap();
    assert_same_dataset(&a, &b);
}

#[test]
fn ops_doc_timeout_fails_a_stuck_document_and_the_process_still_exits() {
    let dir = temp_dir("ops-timeout");
    make_corpus(&dir);
    std::fs::copy(
        root().join("fixtures/inputs/yokohama/r4_plan_layout.txt"),
        dir.join("inputs/yokohama/r4_stuck.txt"),
    )
    .unwrap();
    let out = dir.join("out");
    let t0 = Instant::now();
    // The stuck document's worker sleeps for an hour: the run must give up on it after the
    // limit, write the rest, and exit without waiting for that thread.
    let o = yosan()
        .args([
            "ingest",
            "--quiet",
            "--jobs",
            "2",
            "--doc-timeout",
            // Far above what any other document here takes even on a loaded machine (the test
            // binary runs many ingests at once), far below the stuck one's hour. A document must
            // never run nested inside another's wait (it once did, as rayon tasks: a PDF beside
            // the stuck document was abandoned with it).
            "10",
            "--out",
        ])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(dir.join("inputs"))
        .env("YOSAN_TEST_STALL", "r4_stuck:3600000")
        .output()
        .unwrap();
    let took = t0.elapsed();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(took < Duration::from_secs(120), "the run took {took:?}");
    let docs = read_table(&out.join("documents.parquet"));
    let files = docs.column("source_file").unwrap().str().unwrap();
    let status = docs.column("status").unwrap().str().unwrap();
    let errors = docs.column("error").unwrap().str().unwrap();
    let mut stuck = 0;
    for i in 0..docs.height() {
        let f = files.get(i).unwrap();
        if f.contains("r4_stuck") {
            stuck += 1;
            assert_eq!(status.get(i), Some("error"));
            assert!(errors.get(i).unwrap().contains("--doc-timeout"));
        } else {
            assert_eq!(status.get(i), Some("ok"), "{f}: {:?}", errors.get(i));
        }
    }
    assert_eq!(stuck, 1);
    let diags = read_table(&out.join("diagnostics.parquet"));
    assert!(diags
        .column("code")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .any(|c| c == Some("limit.timeout")));
    // A timed-out document is tried again by the next run (here it is quick).
    let plan = yosan()
        .args(["ingest", "--dry-run", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(dir.join("inputs"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        text.contains("changed    inputs/yokohama/r4_stuck.txt"),
        "{text}"
    );
}

#[test]
fn ops_abandoned_worker_cannot_touch_the_output_when_it_wakes_up() {
    let dir = temp_dir("ops-abandon");
    make_corpus(&dir);
    let out = dir.join("out");
    let mut o = options(&dir, &out, true);
    o.doc_timeout = Some(Duration::from_secs(2));
    // One document stalls (the name must match no other fixture: kip_r4_plan_workbook.xlsx too
    // starts with kip_r4_plan).
    o.stall = Some(("kip_r4_plan.md".into(), Duration::from_secs(4)));
    let summary = ingest(&o, &|_| {}).unwrap();
    assert_eq!(summary.failed, 1);
    assert_eq!(summary.diagnostics_by_code.get("limit.timeout"), Some(&1));
    let before = snapshot(&out);
    // Let the abandoned worker finish its document: it must drop what it made.
    std::thread::sleep(Duration::from_millis(4500));
    assert_eq!(snapshot(&out), before, "the output did not change");
    let strays: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

#[test]
fn ops_json_logs_are_one_object_per_line_with_documents_and_the_summary() {
    let dir = temp_dir("ops-json");
    make_corpus(&dir);
    std::fs::write(dir.join("inputs/empty.csv"), b"").unwrap();
    let out = dir.join("out");
    let o = ingest_corpus(&dir, &["--log-format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect();
    let of = |kind: &str| -> Vec<&serde_json::Value> {
        events.iter().filter(|e| e["event"] == kind).collect()
    };
    assert_eq!(of("run_started").len(), 1);
    let n = crate::incremental::fixture_count() + 1;
    assert_eq!(of("document_started").len(), n);
    let finished = of("document_finished");
    assert_eq!(finished.len(), n);
    assert!(events.iter().all(|e| e["ts_ms"].as_u64().is_some()));
    let empty = finished
        .iter()
        .find(|e| e["file"] == "inputs/empty.csv")
        .expect("a finished event for the empty file");
    assert_eq!(empty["status"], "error");
    assert!(empty["error"].as_str().unwrap().contains("empty"));
    let last = events.last().unwrap();
    assert_eq!(last["event"], "run_finished");
    let summary = &last["summary"];
    assert_eq!(summary["documents"], n);
    assert_eq!(summary["failed"], 1);
    assert_eq!(summary["diagnostics_by_code"]["file.empty"], 1);
    // The same summary is stored in the manifest.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for key in [
        "documents",
        "ok",
        "partial",
        "failed",
        "lines",
        "diagnostics_by_code",
    ] {
        assert_eq!(manifest["summary"][key], summary[key], "{key}");
    }
    assert!(manifest["summary"]["elapsed_ms"].as_u64().is_some());
}

/// `yosan ingest ARGS` over the corpus [`make_corpus`] wrote into `dir`, into `dir/out`.
fn ingest_corpus(dir: &Path, args: &[&str]) -> std::process::Output {
    yosan()
        .arg("ingest")
        .args(args)
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(dir.join("inputs"))
        .output()
        .unwrap()
}

/// A large file taken up last would finish alone while the other threads idle: documents start
/// in order of size, and each event still names the document's place in the input list.
#[test]
fn ops_documents_start_largest_first_and_keep_their_input_index() {
    let dir = temp_dir("ops-largest");
    make_corpus(&dir);
    let o = ingest_corpus(&dir, &["--jobs", "1", "--log-format", "json"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let started: Vec<(String, u64)> = events
        .iter()
        .filter(|e| e["event"] == "document_started")
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["index"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(started.len() > 2, "{stderr}");
    let size = |name: &str| std::fs::metadata(dir.join(name)).unwrap().len();
    let sizes: Vec<u64> = started.iter().map(|(f, _)| size(f)).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] >= w[1]),
        "started in this order: {started:?} (sizes {sizes:?})"
    );
    // The index is the place in the input list, as in document_finished.
    let mut indexes: Vec<u64> = started.iter().map(|(_, i)| *i).collect();
    // (The fixtures listed by name are not in order of size, so this run tells the orders apart.)
    assert_ne!(indexes, (1..=started.len() as u64).collect::<Vec<_>>());
    indexes.sort();
    assert_eq!(indexes, (1..=started.len() as u64).collect::<Vec<_>>());
    for e in events.iter().filter(|e| e["event"] == "document_finished") {
        let (_, i) = started
            .iter()
            .find(|(f, _)| e["file"] == f.as_str())
            .unwrap();
        assert_eq!(e["index"].as_u64(), Some(*i), "{e}");
    }
}

#[test]
fn ops_text_summary_reports_documents_rows_diagnostics_and_time() {
    let dir = temp_dir("ops-text");
    make_corpus(&dir);
    let out = dir.join("out");
    let o = yosan()
        .args(["ingest", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .arg(dir.join("inputs"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stderr);
    for part in ["documents", "budget lines", "processed", "reused", "time"] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
}
