//! 決算カード: the 総務省 FY2015 workbook of all prefectures (corpus) and the committed two-card
//! fixture, whose cards sit at different places on their sheets.

use crate::common::{root, shared};
use std::collections::{BTreeMap, BTreeSet};
use yosan::ingest::{process_file, DocResult, InputFile};
use yosan::model::{BudgetLine, Check, Direction, Phase, Status};
use yosan_extractors::ExtractOptions;

const K: i64 = 1000;

fn run(path: std::path::PathBuf, name: &str) -> DocResult {
    let input = InputFile {
        path,
        name: name.into(),
    };
    process_file(&input, None, &ExtractOptions::default())
}

/// The one line of a block with this row name, measure and fiscal year.
fn one<'a>(
    lines: &[&'a BudgetLine],
    block: &str,
    name: &str,
    measure: &str,
    fy: i64,
) -> &'a BudgetLine {
    let found: Vec<&BudgetLine> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.path.first().map(String::as_str) == Some(block)
                && l.path.last().map(String::as_str) == Some(name)
                && l.measure == measure
                && l.fiscal_year == fy
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{block} / {name} / {measure} / {fy}: {found:#?}"
    );
    found[0]
}

/// 歳入合計 equals the sum of the revenue block's top-level items (recomputed here from the
/// lines), the 収支状況 block's 歳入総額 equals 歳入合計, and both checks are recorded as ok.
fn assert_revenue_checks(who: &str, lines: &[&BudgetLine], fy: i64) -> i64 {
    let total = one(lines, "歳入", "歳入合計", "settled", fy);
    let items: Vec<&&BudgetLine> = lines
        .iter()
        .filter(|l| {
            l.path.first().map(String::as_str) == Some("歳入")
                && l.path.len() == 2
                && l.measure == "settled"
                && l.fiscal_year == fy
                && l.level == "区分"
        })
        .collect();
    assert!(!items.is_empty(), "{who}: no revenue items");
    let sum: i64 = items.iter().map(|l| l.amount_yen.unwrap_or(0)).sum();
    assert_eq!(total.amount_yen, Some(sum), "{who}: 歳入合計 = Σ items");
    assert_eq!(total.check, Check::Ok, "{who}: {:?}", total.check_detail);
    assert!(
        total
            .check_detail
            .as_deref()
            .unwrap_or("")
            .contains("Σ items"),
        "{who}: {:?}",
        total.check_detail
    );
    let revenue = one(lines, "収支状況", "歳入総額", "settled", fy);
    assert_eq!(
        revenue.amount_yen, total.amount_yen,
        "{who}: 歳入総額 = 歳入合計"
    );
    assert_eq!(
        revenue.check,
        Check::Ok,
        "{who}: {:?}",
        revenue.check_detail
    );
    assert!(
        revenue
            .check_detail
            .as_deref()
            .unwrap_or("")
            .contains("歳入合計"),
        "{who}: {:?}",
        revenue.check_detail
    );
    sum
}

#[test]
fn corpus_settlement_card_47_prefectures_with_codes_and_revenue_checks() {
    let Some(path) = shared("corpus/soumu/FY2015-settlementcard.xlsx") else {
        return;
    };
    let res = run(path, "soumu/FY2015-settlementcard.xlsx");
    assert_eq!(res.record.status, Status::Ok, "{:#?}", res.diagnostics);
    assert_eq!(res.record.family.as_deref(), Some("settlement_card"));
    assert_eq!(res.record.document_fiscal_year, Some(2015));
    // One document, 47 bodies: the document itself has none.
    assert_eq!(res.record.jurisdiction_name, None);
    assert_eq!(res.record.checks_mismatch, 0, "{:#?}", res.diagnostics);
    assert!(res.diagnostics.is_empty(), "{:#?}", res.diagnostics);

    let mut by_body: BTreeMap<(String, String), Vec<&BudgetLine>> = BTreeMap::new();
    for l in &res.lines {
        let code = l
            .jurisdiction_code
            .clone()
            .expect("every card line has a code");
        by_body
            .entry((code, l.jurisdiction_name.clone()))
            .or_default()
            .push(l);
    }
    assert_eq!(
        by_body.len(),
        47,
        "{:?}",
        by_body.keys().collect::<Vec<_>>()
    );
    let reg = yosan_schemas::registry();
    for (code, name) in by_body.keys() {
        let j = reg.by_code(code).expect("a registry code");
        assert_eq!(
            (j.name.as_str(), j.kind.as_str()),
            (name.as_str(), "prefecture")
        );
    }
    let codes: BTreeSet<&str> = by_body.keys().map(|(c, _)| c.as_str()).collect();
    for (code, name) in [
        ("010006", "北海道"),
        ("130001", "東京都"),
        ("140007", "神奈川県"),
        ("470007", "沖縄県"),
    ] {
        assert!(codes.contains(code), "{name}");
    }

    for ((code, name), lines) in &by_body {
        let who = format!("{name} ({code})");
        assert_revenue_checks(&who, lines, 2015);
        // The card's year and the prior-year column of 収支状況.
        let years: BTreeSet<i64> = lines.iter().map(|l| l.fiscal_year).collect();
        assert_eq!(years, BTreeSet::from([2014, 2015]), "{who}");
        assert!(
            one(lines, "収支状況", "歳入総額", "settled", 2014)
                .amount_yen
                .is_some(),
            "{who}"
        );
        assert!(lines
            .iter()
            .all(|l| l.document_fiscal_year == 2015 && l.phase == Phase::Settled));
        // Every block is there.
        let blocks: BTreeSet<&str> = lines
            .iter()
            .filter_map(|l| l.path.first().map(String::as_str))
            .collect();
        assert_eq!(
            blocks,
            BTreeSet::from(["収支状況", "性質別歳出", "歳入", "目的別歳出", "道府県税"]),
            "{who}"
        );
        // Percentages and ratios are never lines.
        assert!(lines
            .iter()
            .all(|l| !l.measure_label.contains("構成比") && !l.measure_label.contains("比率")));
        // Both expenditure blocks add up to the balance's 歳出総額.
        let spent = one(lines, "収支状況", "歳出総額", "settled", 2015);
        assert_eq!(spent.check, Check::Ok, "{who}: {:?}", spent.check_detail);
        assert_eq!(
            one(lines, "性質別歳出", "歳出合計", "settled", 2015).amount_yen,
            spent.amount_yen
        );
        assert_eq!(
            one(lines, "目的別歳出", "歳出合計", "settled", 2015).amount_yen,
            spent.amount_yen
        );
    }

    let kanagawa = &by_body[&("140007".to_string(), "神奈川県".to_string())];
    assert_eq!(
        assert_revenue_checks("神奈川県", kanagawa, 2015),
        2_027_344_346 * K
    );
    let tax = one(kanagawa, "歳入", "地方税", "settled", 2015);
    assert_eq!(tax.amount_yen, Some(1_253_326_163 * K));
    assert_eq!(
        (tax.unit.as_str(), tax.direction),
        ("千円", Direction::Revenue)
    );
    let surplus = one(kanagawa, "収支状況", "単年度収支", "balance", 2015);
    assert_eq!(surplus.amount_yen, Some(-434_477 * K));
    assert_eq!(surplus.check, Check::Ok, "{:?}", surplus.check_detail);
    let principal = kanagawa
        .iter()
        .find(|l| l.path.last().map(String::as_str) == Some("元金") && l.measure == "settled")
        .expect("元金");
    assert_eq!(
        principal.path[..4],
        ["性質別歳出", "義務的経費計", "公債費", "元利償還金"]
    );
}

#[test]
fn settlement_card_fixture_reads_every_block_wherever_the_card_sits() {
    let path = root().join("fixtures/inputs/settlement_card/card_two_prefectures.xlsx");
    let res = run(path, "settlement_card/card_two_prefectures.xlsx");
    assert_eq!(res.record.status, Status::Ok, "{:#?}", res.diagnostics);
    assert_eq!(res.record.checks_mismatch, 0);
    assert!(res.record.checks_ok >= 80, "{}", res.record.checks_ok);
    let tottori: Vec<&BudgetLine> = res
        .lines
        .iter()
        .filter(|l| l.jurisdiction_code.as_deref() == Some("310000"))
        .collect();
    let shimane: Vec<&BudgetLine> = res
        .lines
        .iter()
        .filter(|l| l.jurisdiction_code.as_deref() == Some("320005"))
        .collect();
    assert_eq!(tottori.len() + shimane.len(), res.lines.len());
    assert_eq!(tottori.len(), shimane.len());
    // The second card sits two rows lower and one column to the right, with twice the amounts:
    // every line has its twin.
    let key = |l: &BudgetLine| {
        (
            l.path.clone(),
            l.measure.clone(),
            l.measure_label.clone(),
            l.fiscal_year,
        )
    };
    let twins: BTreeMap<_, Option<i64>> = shimane.iter().map(|l| (key(l), l.amount_yen)).collect();
    for l in &tottori {
        let twin = twins
            .get(&key(l))
            .unwrap_or_else(|| panic!("no twin for {:?}", key(l)));
        assert_eq!(*twin, l.amount_yen.map(|v| v * 2), "{:?}", key(l));
    }
    for lines in [&tottori, &shimane] {
        let k = if lines[0].jurisdiction_code.as_deref() == Some("310000") {
            1
        } else {
            2
        };
        assert_eq!(
            assert_revenue_checks("fixture", lines, 2015),
            150_000 * K * k
        );
    }
    let t = &tottori;
    // A group label merged over two rows names both rows' parent.
    let interest = one(t, "性質別歳出", "利子", "settled", 2015);
    assert_eq!(
        interest.path,
        ["性質別歳出", "義務的経費計", "公債費", "元利償還金", "利子"]
    );
    assert_eq!(interest.check, Check::Ok, "{:?}", interest.check_detail);
    // `うち` rows are parts: kept, outside every sum.
    let part = one(t, "歳入", "うち臨時財政対策債", "settled", 2015);
    assert_eq!(
        (part.level.as_str(), part.check),
        ("うち", Check::Unchecked)
    );
    // `-` is none, a blank cell is no line, △ is minus.
    let none = one(t, "道府県税", "法定外普通税", "settled", 2015);
    assert_eq!((none.amount_yen, none.amount_text.as_str()), (None, "-"));
    assert!(!t
        .iter()
        .any(|l| l.path.last().map(String::as_str) == Some("法定目的税") && l.measure == "part"));
    let deficit = one(t, "収支状況", "単年度収支", "balance", 2014);
    assert_eq!(
        (deficit.amount_yen, deficit.amount_text.as_str()),
        (Some(-200 * K), "△200")
    );
    assert_eq!(
        one(t, "収支状況", "単年度収支", "balance", 2015).check,
        Check::Ok
    );
    assert_eq!(
        one(t, "収支状況", "実質単年度収支", "balance", 2014).check,
        Check::Ok
    );
    // The captioned column total is read and checked; the ratio beside it is not a line.
    let recurring = one(
        t,
        "性質別歳出",
        "経常経費充当一般財源等計",
        "recurring_general",
        2015,
    );
    assert_eq!(recurring.amount_yen, Some(70_000 * K));
    assert_eq!(recurring.check, Check::Ok, "{:?}", recurring.check_detail);
    assert!(!t
        .iter()
        .any(|l| l.label_text.contains("比率") || l.measure_label.contains("構成比")));
    // Staff numbers are not budget lines; the 目次 sheet is not a card.
    assert!(!t
        .iter()
        .any(|l| l.label_text == "一般職員" || l.measure_label.contains("職員数")));
    assert!(res.lines.iter().all(|l| l.sheet.as_deref() != Some("目次")));
    // The (A) columns of 目的別歳出 and the 超過課税分 column.
    assert_eq!(
        one(t, "目的別歳出", "土木費", "part", 2015).amount_yen,
        Some(20_000 * K)
    );
    assert_eq!(
        one(t, "目的別歳出", "歳出合計", "funding_general", 2015).check,
        Check::Ok
    );
    assert_eq!(
        one(t, "道府県税", "合計", "part", 2015).amount_yen,
        Some(300 * K)
    );
}
