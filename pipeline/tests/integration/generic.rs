//! The generic table parser: documents of a layout no family knows still yield lines, documents
//! without a usable table still fail, and documents a family knows never go to it.

use crate::common::{find, process_dir, root, shared, temp_dir};
use yosan::ingest::{process_file, DocResult, InputFile};
use yosan::model::{Check, Phase, Status};
use yosan_extractors::ExtractOptions;

const K: i64 = 1000;

fn run(path: std::path::PathBuf) -> DocResult {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    process_file(&InputFile { path, name }, None, &ExtractOptions::default())
}

#[test]
fn generic_unknown_layout_yields_low_confidence_lines() {
    let res = run(root().join("fixtures/inputs/generic/hayama_main_projects.md"));
    assert_eq!(res.record.status, Status::Ok, "{:#?}", res.diagnostics);
    assert_eq!(res.record.family.as_deref(), Some("generic"));
    assert_eq!(res.record.jurisdiction_code.as_deref(), Some("143014"));
    let lines = &res.lines;
    assert_eq!(
        lines.len(),
        6 * 4,
        "six rows of four amount columns (one printed as none)"
    );
    assert!(lines
        .iter()
        .all(|l| l.family == "generic" && l.confidence == "low" && l.unit == "千円"));
    let nursery = find(lines, "保育所運営費補助", "budget", 2024);
    assert_eq!(nursery.amount_yen, Some(90_000 * K));
    assert_eq!(nursery.path, ["子育て支援の充実", "保育所運営費補助"]);
    assert_eq!(nursery.path_codes, ["1", "(1)"]);
    assert_eq!(nursery.measure_label, "令和6年度予算額");
    assert_eq!(nursery.level, "事業");
    assert_eq!(nursery.check, Check::Ok, "{:?}", nursery.check_detail);
    assert_eq!(
        find(lines, "保育所運営費補助", "budget", 2023).amount_yen,
        Some(85_000 * K)
    );
    assert_eq!(
        find(lines, "子育て支援の充実", "funding_general", 2024).amount_yen,
        Some(80_000 * K)
    );
    assert_eq!(
        find(lines, "観光振興", "change", 2024).amount_yen,
        Some(-3_000 * K)
    );
    assert_eq!(
        find(lines, "防災対策の推進", "funding_general", 2024).amount_yen,
        None
    );
    let total = find(lines, "合計", "budget", 2024);
    assert!(total.is_total);
    assert_eq!(total.amount_yen, Some(177_500 * K));
    assert_eq!(total.check, Check::Ok, "{:?}", total.check_detail);
    assert_eq!(res.record.checks_mismatch, 0);
    assert!(res.diagnostics.iter().any(|d| d.code == "generic.used"));
}

#[test]
fn generic_table_without_a_unit_is_read_in_yen_and_says_so() {
    let res = run(root().join("fixtures/inputs/generic/facility_upkeep_no_unit.csv"));
    assert_eq!(res.record.family.as_deref(), Some("generic"));
    assert!(res
        .diagnostics
        .iter()
        .any(|d| d.code == "generic.unit_assumed"));
    let l = find(&res.lines, "公園の維持管理", "settled", 2023);
    assert_eq!(
        (l.amount_yen, l.unit.as_str(), l.phase),
        (Some(12_340), "円", Phase::Settled)
    );
    assert_eq!(
        find(&res.lines, "道路の補修", "budget", 2025).amount_yen,
        Some(9_600)
    );
    assert_eq!(find(&res.lines, "計", "budget", 2024).check, Check::Ok);
}

#[test]
fn generic_document_without_a_table_still_fails_as_unrecognised() {
    let dir = temp_dir("generic-prose");
    let path = dir.join("notes.txt");
    std::fs::write(
        &path,
        "令和6年度の予算について\n\n町は子育て支援を充実させます。詳しくは担当課へお問い合わせください。\n",
    )
    .unwrap();
    let res = run(path);
    assert_eq!(res.record.status, Status::Error);
    assert!(res.lines.is_empty());
    assert!(res
        .diagnostics
        .iter()
        .any(|d| d.code == "family.unrecognised"));
}

#[test]
fn generic_never_takes_a_document_another_family_knows() {
    let fixtures = root().join("fixtures");
    let results = process_dir(
        &fixtures.join("inputs"),
        Some(&fixtures.join("sources.json")),
    );
    for r in &results {
        let generic = r.record.family.as_deref() == Some("generic");
        assert_eq!(
            generic,
            r.record.source_file.starts_with("inputs/generic/"),
            "{}: family {:?}",
            r.record.source_file,
            r.record.family
        );
    }
    if let Some(seeds) = shared("seeds") {
        let results = process_dir(
            &seeds,
            Some(&root().join("fixtures/seeds-manifest/sources.json")),
        );
        for r in results.iter().filter(|r| r.record.status != Status::Error) {
            let name = &r.record.source_file;
            if ["000_", "001_", "004_"].iter().any(|p| name.contains(p)) {
                assert_ne!(r.record.family.as_deref(), Some("generic"), "{name}");
            }
        }
    }
}
