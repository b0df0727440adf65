//! Helpers shared by the integration tests.

#![allow(dead_code)]

use polars::prelude::*;
use std::path::{Path, PathBuf};
use yosan::ingest::{discover, process_file, DocResult};
use yosan::model::BudgetLine;
use yosan::sources::Sources;
use yosan_extractors::ExtractOptions;

/// The workspace root.
pub fn root() -> PathBuf {
    std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .parent()
    .expect("workspace root")
    .to_path_buf()
}

/// `../shared/<sub>` beside the checkout, or None (the test then says it was skipped).
pub fn shared(sub: &str) -> Option<PathBuf> {
    let base = std::env::var_os("YOSAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    let p = base.join(sub);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("corpus test skipped: {} not found", p.display());
        None
    }
}

/// A fresh temporary folder, removed when the guard is dropped (kept, and its path printed, when
/// the test is failing, to look into).
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test files kept in {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A fresh temporary folder (under the system's temporary folder) named after the test.
pub fn temp_dir(name: &str) -> TempDir {
    let p = std::env::temp_dir().join(format!("yosan-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).expect("temp dir");
    TempDir(p)
}

/// Runs every file under `dir` through the pipeline with `manifest`'s declarations.
pub fn process_dir(dir: &Path, manifest: Option<&Path>) -> Vec<DocResult> {
    let sources = manifest.map(|m| Sources::load(m).expect("manifest loads"));
    discover(&[dir.to_path_buf()], None)
        .iter()
        .map(|input| {
            let declared = sources.as_ref().and_then(|s| s.for_file(&input.path));
            process_file(input, declared, &ExtractOptions::default())
        })
        .collect()
}

/// The lines of the document whose source file name contains `needle`.
pub fn lines_of<'a>(results: &'a [DocResult], needle: &str) -> &'a [BudgetLine] {
    &results
        .iter()
        .find(|r| r.record.source_file.contains(needle))
        .unwrap_or_else(|| panic!("no document named like {needle}"))
        .lines
}

/// The one line with this path tail, measure and fiscal year.
pub fn find<'a>(lines: &'a [BudgetLine], name: &str, measure: &str, fy: i64) -> &'a BudgetLine {
    let found: Vec<&BudgetLine> = lines
        .iter()
        .filter(|l| {
            l.path.last().map(String::as_str) == Some(name)
                && l.measure == measure
                && l.fiscal_year == fy
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one line {name} / {measure} / {fy}, found {}: {:#?}",
        found.len(),
        found
    );
    found[0]
}

/// Reads every Parquet file of a Hive-partitioned table into one frame.
pub fn read_table(dir: &Path) -> DataFrame {
    let mut files = Vec::new();
    collect_parquet(dir, &mut files);
    files.sort();
    let mut out: Option<DataFrame> = None;
    for f in files {
        let df = ParquetReader::new(std::fs::File::open(&f).expect("open parquet"))
            .finish()
            .expect("read parquet");
        out = Some(match out {
            None => df,
            Some(acc) => acc.vstack(&df).expect("same schema"),
        });
    }
    out.expect("at least one parquet file")
}

fn collect_parquet(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    out.extend(
        files(dir, true)
            .into_iter()
            .map(|(_, p)| p)
            .filter(|p| p.extension().is_some_and(|x| x == "parquet")),
    );
}

/// Every file under `dir` (hidden ones too when `hidden`), as (relative path, path), sorted.
pub fn files(dir: &Path, hidden: bool) -> Vec<(String, PathBuf)> {
    fn walk(root: &Path, d: &Path, hidden: bool, out: &mut Vec<(String, PathBuf)>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if !hidden && e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, hidden, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, p));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, hidden, &mut out);
    out.sort();
    out
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir, true)
        .into_iter()
        .map(|(rel, p)| (rel, std::fs::read(&p).unwrap_or_default()))
        .collect()
}

/// A fixture's golden output (`fixtures/expected/<rel>.jsonl`): its document record and its
/// budget lines, as JSON. Tests that run a fixture in another setting compare with it instead of
/// a count written into the test.
pub fn golden(rel: &str) -> (serde_json::Value, Vec<serde_json::Value>) {
    let path = root()
        .join("fixtures/expected")
        .join(format!("{rel}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut record = serde_json::Value::Null;
    let mut lines = Vec::new();
    for l in text.lines() {
        let v: serde_json::Value = serde_json::from_str(l).expect("golden line is JSON");
        if let Some(d) = v.get("document") {
            record = d.clone();
        } else if v.get("diagnostic").is_none() {
            lines.push(v);
        }
    }
    assert_eq!(
        record["lines"].as_u64(),
        Some(lines.len() as u64),
        "{rel}: the golden's record counts its lines"
    );
    (record, lines)
}
