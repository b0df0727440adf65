//! Reconciliation across documents: the seeds' 令和3年度 plan against the 令和4年度 plan's
//! 令和3年度 column, written to reconciliation.parquet and summarised in the manifest.

use crate::common::{read_table, root, shared, temp_dir};
use yosan::ingest::{ingest, IngestOptions};

#[test]
fn seeds_reconciliation_r3_plan_and_r4_plan_agree_on_2021_figures() {
    let Some(seeds) = shared("seeds") else { return };
    let pick = |prefix: &str| {
        std::fs::read_dir(&seeds)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .expect("seed file")
    };
    let tmp = temp_dir("recon-seeds");
    let out = tmp.join("out");
    let summary = ingest(
        &IngestOptions {
            inputs: vec![pick("000_"), pick("001_"), pick("002_")],
            sources: Some(root().join("fixtures/seeds-manifest/sources.json")),
            out: out.clone(),
            ..Default::default()
        },
        &|_| {},
    )
    .expect("ingest");
    let df = read_table(&out.join("reconciliation.parquet"));
    let col = |name: &str| df.column(name).unwrap().as_materialized_series().clone();
    let (path, measure, fy, a, b, sa, sb, status) = (
        col("path"),
        col("measure"),
        col("fiscal_year"),
        col("amount_yen_a"),
        col("amount_yen_b"),
        col("source_a"),
        col("source_b"),
        col("status"),
    );
    let mut rows = Vec::new();
    for i in 0..df.height() {
        let p = path.list().unwrap().get_as_series(i).unwrap();
        let name = p.str().unwrap().get(p.len() - 1).unwrap().to_string();
        rows.push((
            name,
            measure.str().unwrap().get(i).unwrap().to_string(),
            fy.i32().unwrap().get(i).unwrap(),
            a.i64().unwrap().get(i),
            b.i64().unwrap().get(i),
            sa.str().unwrap().get(i).unwrap().to_string(),
            sb.str().unwrap().get(i).unwrap().to_string(),
            status.str().unwrap().get(i).unwrap().to_string(),
        ));
    }
    // Every pair of two sources for a name, measure and 令和3年度.
    let pairs = |name: &str, m: &str, a: &str, b: &str| {
        let found: Vec<_> = rows
            .iter()
            .filter(|r| {
                r.0 == name && r.1 == m && r.2 == 2021 && r.5.contains(a) && r.6.contains(b)
            })
            .collect();
        assert!(
            !found.is_empty(),
            "no {a}/{b} pair for {name} {m}: {rows:#?}"
        );
        found
    };
    // The projects in both plans agree on their 令和3年度 figures: the 令和3年度 plan's 目次
    // against the 令和4年度 plan's 目次 and, for the budget, its project sheet's 財源内訳, which
    // prints last year's 金額 again (two pairs) ...
    for (name, budget, general) in [
        ("工業技術支援センター事業", 93_064_000, 39_800_000),
        ("小規模事業者への支援強化事業", 22_000_000, 22_000_000),
        ("減債基金積立金(市工連)", 2_745_000, 0),
    ] {
        let found = pairs(name, "budget", "000_", "001_");
        assert_eq!(found.len(), 2, "目次 and sheet of 001: {found:#?}");
        for r in found {
            assert_eq!(
                (r.3, r.4, r.7.as_str()),
                (Some(budget), Some(budget), "match"),
                "{name}"
            );
        }
        for r in pairs(name, "funding_general_and_bonds", "000_", "001_") {
            assert_eq!(
                (r.3, r.4, r.7.as_str()),
                (Some(general), Some(general), "match"),
                "{name}"
            );
        }
    }
    // ... except one the 令和4年度 plan restates: listed with both amounts, never merged.
    let found = pairs("ものづくり経営基盤強化事業", "budget", "000_", "001_");
    assert!(found
        .iter()
        .all(|r| (r.3, r.4, r.7.as_str()) == (Some(134_070_000), Some(91_056_000), "mismatch")));
    // The slides' 2,260万円 (令和3年度) against the 令和3年度 plan's 22,600 千円, compared within the
    // 万円 truncation (the 令和4年度 plan does not list the project).
    let found = pairs("「グローバル拠点都市」推進事業", "budget", "000_", "002_");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].3, found[0].4, found[0].7.as_str()),
        (Some(22_600_000), Some(22_600_000), "match")
    );
    let tolerance = rows_tolerance(&df, "「グローバル拠点都市」推進事業", "002_");
    assert_eq!(tolerance, Some(9_999));
    // The summary, the manifest and the diagnostics say the same.
    let matches = rows.iter().filter(|r| r.7 == "match").count();
    let mismatches = rows.len() - matches;
    assert_eq!(
        (
            summary.reconciliation_matches,
            summary.reconciliation_mismatches
        ),
        (matches, mismatches)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["summary"]["reconciliation_matches"], matches);
    assert_eq!(manifest["summary"]["reconciliation_mismatches"], mismatches);
    assert!(manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["path"] == "reconciliation.parquet" && o["rows"] == rows.len()));
    let diags = read_table(&out.join("diagnostics.parquet"));
    let codes = diags
        .column("code")
        .unwrap()
        .as_materialized_series()
        .clone();
    let messages = diags
        .column("message")
        .unwrap()
        .as_materialized_series()
        .clone();
    let recon: Vec<String> = (0..diags.height())
        .filter(|&i| codes.str().unwrap().get(i) == Some("reconcile.mismatch"))
        .map(|i| messages.str().unwrap().get(i).unwrap().to_string())
        .collect();
    assert_eq!(recon.len(), mismatches);
    assert!(recon
        .iter()
        .any(|m| m.contains("ものづくり経営基盤強化事業")
            && m.contains("000_")
            && m.contains("001_")));
    // Every line is still there: reconciliation adds a table, it never drops lines.
    let lines = read_table(&out.join("budget_lines"));
    assert_eq!(lines.height(), summary.lines);
}

/// The tolerance of the reconciliation row of `name` against a source named like `source_b`.
fn rows_tolerance(df: &polars::prelude::DataFrame, name: &str, source_b: &str) -> Option<i64> {
    let path = df.column("path").unwrap().list().unwrap().clone();
    let sb = df.column("source_b").unwrap().str().unwrap().clone();
    let tol = df.column("tolerance_yen").unwrap().i64().unwrap().clone();
    (0..df.height()).find_map(|i| {
        let p = path.get_as_series(i)?;
        let last = p.str().ok()?.get(p.len() - 1)?.to_string();
        (last == name && sb.get(i)?.contains(source_b)).then(|| tol.get(i))?
    })
}
