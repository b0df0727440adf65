//! Hostile and broken inputs in one batch: each gets its documents row with a clear error (or is
//! read where it can be), and the rest of the batch is written. Fixtures: `fixtures/hostile/`
//! and the PDF cases of `extractors/tests/data/pdf/`; a pipe, a file without permission, a folder
//! and a file deleted during the run are made here.

use crate::common::{read_table, root, snapshot, temp_dir};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use yosan::ingest::{ingest, Event, IngestOptions};

#[derive(Debug)]
struct Row {
    status: String,
    error: Option<String>,
    units: i32,
    lines: i64,
    codes: Vec<String>,
}

fn rows(out: &Path) -> BTreeMap<String, Row> {
    let docs = read_table(&out.join("documents.parquet"));
    let diags = read_table(&out.join("diagnostics.parquet"));
    let s = |df: &DataFrame, c: &str| -> Vec<Option<String>> {
        df.column(c)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    };
    let mut codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, c) in s(&diags, "source_file").into_iter().zip(s(&diags, "code")) {
        codes.entry(f.unwrap()).or_default().push(c.unwrap());
    }
    let units: Vec<Option<i32>> = docs
        .column("units")
        .unwrap()
        .i32()
        .unwrap()
        .iter()
        .collect();
    let lines: Vec<Option<i64>> = docs
        .column("lines")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect();
    s(&docs, "source_file")
        .into_iter()
        .zip(s(&docs, "status"))
        .zip(s(&docs, "error"))
        .enumerate()
        .map(|(i, ((f, st), e))| {
            let f = f.unwrap();
            let name = f.rsplit('/').next().unwrap().to_string();
            (
                name,
                Row {
                    status: st.unwrap(),
                    error: e,
                    units: units[i].unwrap_or(0),
                    lines: lines[i].unwrap_or(0),
                    codes: codes.remove(&f).unwrap_or_default(),
                },
            )
        })
        .collect()
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
}

/// True when permissions do not stop this process from reading (it runs as root).
fn permissions_are_ignored(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::write(&probe, b"x").unwrap();
    set_mode(&probe, 0o000);
    let ignored = std::fs::read(&probe).is_ok();
    set_mode(&probe, 0o644);
    std::fs::remove_file(&probe).unwrap();
    ignored
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}
#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

#[test]
fn hostile_mixed_batch_gives_each_bad_file_its_row_and_writes_the_rest() {
    let dir = temp_dir("hostile");
    let batch = dir.join("batch");
    std::fs::create_dir_all(&batch).unwrap();
    let hostile = root().join("fixtures/hostile");
    for f in [
        "empty.csv",
        "png_named.pdf",
        "random_zip.xlsx",
        "invalid_every_encoding.csv",
        "bomb_declared.xlsx",
        "bomb_lying.xlsx",
        "bomb_stream.pdf",
    ] {
        copy(&hostile.join(f), &batch.join(f));
    }
    #[cfg(unix)]
    {
        let target = std::fs::read_link(hostile.join("dangling_link.csv")).unwrap();
        std::os::unix::fs::symlink(target, batch.join("dangling_link.csv")).unwrap();
    }
    let pdfs = root().join("extractors/tests/data/pdf");
    for (from, to) in [
        ("truncated.pdf", "truncated.pdf"),
        ("corrupted_xref.pdf", "corrupted_xref.pdf"),
        ("encrypted_password.pdf", "encrypted_needs_password.pdf"),
        ("encrypted_rc4_128.pdf", "encrypted_empty_user_password.pdf"),
        ("image_only.pdf", "image_only.pdf"),
        ("plain_for_encryption.pdf", "intact.pdf"),
        ("form_xobject_recursive.pdf", "form_xobject_recursive.pdf"),
    ] {
        copy(&pdfs.join(from), &batch.join(to));
    }
    // The one good document, declared.
    copy(
        &root().join("fixtures/inputs/yokohama/r4_plan_layout.txt"),
        &batch.join("plan.txt"),
    );
    std::fs::write(
        dir.join("sources.json"),
        r#"{"sources":[{"path":"batch/plan.txt","jurisdiction":"横浜市","fiscal_year":2022}]}"#,
    )
    .unwrap();
    // Made here: a pipe (reading it would block), a file deleted once the run has started, and
    // where permissions apply, a file and a folder that cannot be read.
    let pipe_made = Command::new("mkfifo")
        .arg(batch.join("pipe.csv"))
        .status()
        .is_ok_and(|s| s.success());
    copy(
        &root().join("fixtures/inputs/open_data/ward_budget_sample_cp932.csv"),
        &batch.join("vanishing.csv"),
    );
    let root_user = permissions_are_ignored(&dir);
    if root_user {
        eprintln!("hostile: running as root, where permissions do not stop reads: the unreadable-file case is skipped");
    } else {
        std::fs::write(batch.join("no_permission.csv"), b"a,b\n1,2\n").unwrap();
        set_mode(&batch.join("no_permission.csv"), 0o000);
        std::fs::create_dir_all(batch.join("locked_folder")).unwrap();
        std::fs::write(batch.join("locked_folder/inside.csv"), b"a,b\n1,2\n").unwrap();
        set_mode(&batch.join("locked_folder"), 0o000);
    }

    let out = dir.join("out");
    let vanishing = batch.join("vanishing.csv");
    let opts = IngestOptions {
        // Beside the folder, a path in the input list that never existed.
        inputs: vec![batch.clone(), dir.join("never_there.csv")],
        sources: Some(dir.join("sources.json")),
        out: out.clone(),
        jobs: Some(2),
        max_decompressed_bytes: Some(16 << 20),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let summary = ingest(&opts, &|e| {
        if let Event::RunStarted { .. } = e {
            std::fs::remove_file(&vanishing).unwrap();
        }
    })
    .expect("the run completes");
    if !root_user {
        set_mode(&batch.join("no_permission.csv"), 0o644);
        set_mode(&batch.join("locked_folder"), 0o755);
    }
    assert!(
        started.elapsed().as_secs() < 60,
        "no input may hang the run"
    );
    assert_eq!(summary.exit_code(), 1);
    let rows = rows(&out);
    let row = |name: &str| {
        rows.get(name)
            .unwrap_or_else(|| panic!("no documents row for {name}: {:?}", rows.keys()))
    };
    let error_with = |name: &str, code: &str, text: &str| {
        let r = row(name);
        assert_eq!(r.status, "error", "{name}: {r:?}");
        assert!(
            r.codes.iter().any(|c| c == code),
            "{name}: {code} expected, {r:?}"
        );
        let e = r.error.as_deref().unwrap_or("");
        assert!(e.contains(text), "{name}: error {e:?} should say {text:?}");
    };

    // The good document is read completely.
    let plan = row("plan.txt");
    let (golden, _) = crate::common::golden("yokohama/r4_plan_layout.txt");
    assert_eq!(
        (plan.status.as_str(), Some(plan.lines)),
        ("ok", golden["lines"].as_i64()),
        "the plan gives its golden's lines: {plan:?}"
    );
    let lines = read_table(&out.join("budget_lines"));
    assert_eq!(
        lines.height() as i64,
        plan.lines,
        "only the good document has lines"
    );

    error_with("empty.csv", "file.empty", "empty");
    error_with("png_named.pdf", "file.unsupported_format", "PNG");
    error_with("random_zip.xlsx", "file.unsupported_format", "ZIP");
    let bad = row("invalid_every_encoding.csv");
    assert!(bad.status == "error" || bad.status == "partial", "{bad:?}");
    assert!(
        bad.codes.iter().any(|c| c == "csv.invalid_bytes"),
        "{bad:?}"
    );
    error_with("bomb_declared.xlsx", "sheet.too_large", "limit");
    // The reader stops at the declared size instead of inflating 48 MiB.
    error_with("bomb_lying.xlsx", "sheet.read_failed", "declared");
    #[cfg(unix)]
    error_with("dangling_link.csv", "file.unreadable", "symbolic link");
    if pipe_made {
        error_with("pipe.csv", "file.not_regular", "not a regular file");
    }
    error_with("vanishing.csv", "file.vanished", "disappeared");
    // Missing from the start: not a disappearance.
    error_with("never_there.csv", "file.unreadable", "does not exist");
    if !root_user {
        error_with("no_permission.csv", "file.unreadable", "cannot be read");
        error_with("locked_folder", "file.unreadable", "folder");
    }

    // PDFs: damaged ones are repaired and read, with a diagnostic; the text they hold is the
    // intact file's, page for page (none of these is a budget document, so no family applies).
    let intact = row("intact.pdf");
    for name in ["truncated.pdf", "corrupted_xref.pdf"] {
        let r = row(name);
        assert!(r.codes.iter().any(|c| c == "pdf.repaired"), "{name}: {r:?}");
        assert_eq!(r.units, intact.units, "{name} has the intact file's pages");
        assert!(
            r.codes.iter().any(|c| c == "family.unrecognised"),
            "{name}: {r:?}"
        );
    }
    let text_of = |name: &str| {
        let bytes = std::fs::read(batch.join(name)).unwrap();
        let doc = yosan_extractors::extract(&bytes, name, &Default::default()).unwrap();
        yosan_extractors::render::to_text(&doc)
    };
    assert_eq!(text_of("corrupted_xref.pdf"), text_of("intact.pdf"));
    error_with("encrypted_needs_password.pdf", "pdf.encrypted", "password");
    let open = row("encrypted_empty_user_password.pdf");
    assert_eq!(open.units, intact.units, "{open:?}");
    assert!(
        !open.codes.iter().any(|c| c == "pdf.encrypted"),
        "the empty user password opens it: {open:?}"
    );
    assert_eq!(
        text_of("encrypted_empty_user_password.pdf"),
        text_of("intact.pdf")
    );
    error_with("image_only.pdf", "pdf.no_text_layer", "OCR");
    error_with("bomb_stream.pdf", "pdf.too_large", "limit");
    let recursive = row("form_xobject_recursive.pdf");
    assert!(
        recursive.codes.iter().any(|c| c == "pdf.recursion"),
        "{recursive:?}"
    );
    assert!(snapshot(&out).iter().any(|(p, _)| p == "manifest.json"));
}

#[test]
fn hostile_folder_named_by_the_sources_manifest_gets_an_error_row() {
    let dir = temp_dir("hostile-folder");
    std::fs::create_dir_all(dir.join("in/sub")).unwrap();
    copy(
        &root().join("fixtures/inputs/yokohama/r4_plan_layout.txt"),
        &dir.join("in/plan.txt"),
    );
    std::fs::write(
        dir.join("sources.json"),
        r#"{"sources":[{"path":"in/*","jurisdiction":"横浜市","fiscal_year":2022}]}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_yosan"))
        .args(["ingest", "--quiet", "--out"])
        .arg(&out)
        .arg("--sources")
        .arg(dir.join("sources.json"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = rows(&out);
    assert_eq!(rows["plan.txt"].status, "ok");
    let sub = &rows["sub"];
    assert_eq!(sub.status, "error");
    assert!(
        sub.error.as_deref().unwrap_or("").contains("folder"),
        "{sub:?}"
    );
}
