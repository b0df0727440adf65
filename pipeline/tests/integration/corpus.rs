//! Corpus tests: real published files in `../shared/corpus/` (never committed). Each test says
//! when it was skipped because the folder is absent.

use crate::common::shared;
use std::collections::BTreeMap;
use yosan::ingest::{process_file, InputFile};
use yosan::model::{Phase, Status};
use yosan::sources::{resolve_jurisdiction, Declared};
use yosan_extractors::ExtractOptions;
use yosan_normalize::amount::Unit;

/// The CSV's own sums, computed without the pipeline: decode CP932, split fields (quote-aware),
/// add up 予算見積額 by (年度, 会計名称).
fn csv_sums(bytes: &[u8]) -> (usize, BTreeMap<(i64, String), i64>) {
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
    assert!(!bad, "the Setagaya CSV is valid CP932");
    let mut rows = 0;
    let mut sums = BTreeMap::new();
    let mut header: Vec<String> = Vec::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        if header.is_empty() {
            header = fields;
            continue;
        }
        rows += 1;
        let col = |name: &str| &fields[header.iter().position(|h| h == name).expect("column")];
        let year: i64 = col("年度").parse().expect("year");
        let amount: i64 = col("予算見積額").replace(',', "").parse().expect("amount");
        *sums.entry((year, col("会計名称").clone())).or_insert(0) += amount;
    }
    (rows, sums)
}

#[test]
fn corpus_setagaya_csv_ingests_completely_and_totals_agree() {
    let Some(path) = shared("corpus/setagaya/ippansaisyutu.csv") else {
        return;
    };
    let bytes = std::fs::read(&path).expect("read");
    let (rows, sums) = csv_sums(&bytes);
    assert_eq!(rows, 10_250);
    let declared = Declared {
        jurisdiction: resolve_jurisdiction("世田谷区"),
        unit: Some(Unit::Thousand),
        ..Default::default()
    };
    let input = InputFile {
        path: path.clone(),
        name: "setagaya/ippansaisyutu.csv".into(),
    };
    let res = process_file(&input, Some(&declared), &ExtractOptions::default());
    assert_eq!(res.record.status, Status::Ok, "{:?}", res.diagnostics);
    assert_eq!(res.record.encoding.as_deref(), Some("Shift_JIS"));
    // One budget line per data row for the assessed budget (予算見積額) ...
    let budget: Vec<_> = res
        .lines
        .iter()
        .filter(|l| l.measure_label == "予算見積額")
        .collect();
    assert_eq!(budget.len(), rows, "every CSV data line is a budget line");
    let distinct_rows: std::collections::BTreeSet<_> = res.lines.iter().map(|l| l.row).collect();
    assert_eq!(distinct_rows.len(), rows);
    assert!(budget
        .iter()
        .all(|l| l.jurisdiction_code.as_deref() == Some("131121")
            && l.measure == "budget"
            && l.phase == Phase::Initial
            && l.unit == "千円"));
    // ... whose totals per year and account equal the CSV's own sums.
    let mut ours: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for l in &budget {
        *ours
            .entry((l.fiscal_year, l.account.clone().unwrap_or_default()))
            .or_insert(0) += l.amount_yen.expect("amount");
    }
    let theirs: BTreeMap<_, _> = sums.iter().map(|(k, v)| (k.clone(), v * 1000)).collect();
    assert_eq!(ours, theirs);
    assert_eq!(
        ours[&(2026, "一般会計".to_string())],
        431_353_010_000,
        "the official 2026 一般会計 total"
    );
    // The path runs 款 / 項 / 目 / 大事業 / 予算事業 / 内訳事業.
    assert_eq!(budget[0].path.len(), 6);
    assert_eq!(budget[0].level, "内訳事業");
}
