//! The seed documents the project was specified from (`../shared/seeds/`), ingested with the
//! declarations a user would give: 横浜市 2021 and 2022 for the 事業計画書, the foundation 2022.

use crate::common::{find, lines_of, process_dir, root, shared};
use yosan::model::{Check, Phase};

const K: i64 = 1000;

fn seeds() -> Option<Vec<yosan::ingest::DocResult>> {
    let dir = shared("seeds")?;
    Some(process_dir(
        &dir,
        Some(&root().join("fixtures/seeds-manifest/sources.json")),
    ))
}

fn fixtures() -> Vec<yosan::ingest::DocResult> {
    let f = root().join("fixtures");
    process_dir(&f.join("inputs"), Some(&f.join("sources.json")))
}

#[test]
fn seeds_r3_index_every_amount_and_the_total_checks() {
    let Some(results) = seeds() else { return };
    assert_r3_index(lines_of(&results, "000_"));
}

#[test]
fn golden_r3_index_excel_and_pdf_renderings_every_amount() {
    let results = fixtures();
    for file in [
        "yokohama/r3_plan_index_workbook.xlsx",
        "yokohama/r3_plan_index_workbook_libreoffice.pdf",
        "yokohama/r3_plan_index_workbook_reportlab.pdf",
    ] {
        assert_r3_index(lines_of(&results, file));
    }
}

/// Seed 000's 目次: thirteen rows of six amounts, the sub-projects under their project, 計 checked.
fn assert_r3_index(lines: &[yosan::model::BudgetLine]) {
    assert_eq!(lines.len(), 13 * 6, "13 rows of six amounts");
    assert!(lines
        .iter()
        .all(|l| l.jurisdiction_code.as_deref() == Some("141003")));
    let l = find(lines, "中小製造業成長力強化事業", "budget", 2021);
    assert_eq!(l.amount_yen, Some(142_817 * K));
    assert_eq!(
        l.path,
        vec!["経済局", "5款1項3目", "中小製造業成長力強化事業"]
    );
    assert_eq!(l.code.as_deref(), Some("1"));
    assert_eq!(
        find(lines, "中小製造業成長力強化事業", "budget", 2020).amount_yen,
        Some(155_243 * K)
    );
    let fb: Vec<_> = lines
        .iter()
        .filter(|l| {
            l.path.last().map(String::as_str) == Some("中小製造業成長力強化事業")
                && l.measure == "funding_general_and_bonds"
        })
        .map(|l| (l.fiscal_year, l.amount_yen))
        .collect();
    assert_eq!(
        fb,
        vec![(2021, Some(110_408 * K)), (2020, Some(130_443 * K))]
    );
    let change: Vec<_> = lines
        .iter()
        .filter(|l| {
            l.path.last().map(String::as_str) == Some("中小製造業成長力強化事業")
                && l.measure == "change"
        })
        .map(|l| l.amount_yen)
        .collect();
    assert_eq!(change, vec![Some(-12_426 * K), Some(-20_035 * K)]);
    assert_eq!(
        find(lines, "「グローバル拠点都市」推進事業", "budget", 2021).amount_yen,
        Some(22_600 * K)
    );
    let sub = find(lines, "プラットフォーム推進事業", "budget", 2021);
    assert_eq!(sub.amount_yen, Some(87_482 * K));
    assert_eq!(sub.path[2], "オープンイノベーション推進事業費");
    assert_eq!(sub.code.as_deref(), Some("(1)"));
    let hc: Vec<_> = lines
        .iter()
        .filter(|l| {
            l.path.last().map(String::as_str) == Some("ヘルスケアビジネス推進事業")
                && l.measure == "change"
        })
        .map(|l| l.amount_yen)
        .collect();
    assert_eq!(hc, vec![Some(11_600 * K), Some(5_800 * K)]);
    let total = find(lines, "計", "budget", 2021);
    assert!(total.is_total);
    assert_eq!(total.amount_yen, Some(672_867 * K));
    assert_eq!(total.check, Check::Ok, "{:?}", total.check_detail);
    assert_eq!(
        find(lines, "計", "funding_general_and_bonds", 2021).amount_yen,
        Some(499_400 * K)
    );
    assert_eq!(
        find(lines, "計", "budget", 2020).amount_yen,
        Some(804_305 * K)
    );
    let bad: Vec<_> = lines.iter().filter(|l| l.check != Check::Ok).collect();
    assert!(
        bad.is_empty(),
        "every line is covered by a printed total or difference: {bad:#?}"
    );
}

#[test]
fn seeds_r4_index_every_amount_and_the_total_checks() {
    let Some(results) = seeds() else { return };
    // The 目次's lines (its columns are headed 総額 and 一財+市債); the project sheets follow.
    let all = lines_of(&results, "001_");
    let lines: Vec<_> = all
        .iter()
        .filter(|l| l.measure_label.ends_with("総額") || l.measure_label.ends_with("一財+市債"))
        .cloned()
        .collect();
    let lines = &lines[..];
    assert_eq!(lines.len(), 13 * 6);
    let expect = [
        (
            "中小企業経営総合支援事業",
            379_682,
            217_529,
            339_054,
            208_917,
        ),
        ("事業継続支援事業", 4_420, 4_420, 7_500, 7_500),
        ("横浜型地域貢献企業支援事業", 9_760, 9_760, 10_827, 10_827),
        (
            "横浜商工会議所中小企業相談事業補助金",
            30_000,
            30_000,
            30_000,
            30_000,
        ),
        (
            "多様で柔軟な働き方・健康経営推進事業",
            2_580,
            2_580,
            3_870,
            3_870,
        ),
        (
            "小規模事業者への支援強化事業",
            22_000,
            11_000,
            22_000,
            22_000,
        ),
        (
            "ものづくり成長力強化事業",
            107_663,
            107_663,
            180_731,
            180_731,
        ),
        ("ものづくり経営基盤強化事業", 83_693, 52_327, 91_056, 47_969),
        ("グリーンリカバリー設備投資助成事業", 173_000, 173_000, 0, 0),
        ("工業技術支援センター事業", 84_790, 33_432, 93_064, 39_800),
        ("減債基金積立金(市工連)", 8_246, 0, 2_745, 0),
        ("事業継続・展開支援事業", 0, 0, 519_000, 519_000),
        ("計", 905_834, 641_711, 1_299_847, 1_070_614),
    ];
    for (name, b22, g22, b21, g21) in expect {
        assert_eq!(
            find(lines, name, "budget", 2022).amount_yen,
            Some(b22 * K),
            "{name}"
        );
        assert_eq!(
            find(lines, name, "budget", 2021).amount_yen,
            Some(b21 * K),
            "{name}"
        );
        let g: Vec<_> = lines
            .iter()
            .filter(|l| {
                l.path.last().map(String::as_str) == Some(name)
                    && l.measure == "funding_general_and_bonds"
            })
            .map(|l| (l.fiscal_year, l.amount_yen))
            .collect();
        assert_eq!(
            g,
            vec![(2022, Some(g22 * K)), (2021, Some(g21 * K))],
            "{name}"
        );
        let c: Vec<_> = lines
            .iter()
            .filter(|l| l.path.last().map(String::as_str) == Some(name) && l.measure == "change")
            .map(|l| l.amount_yen)
            .collect();
        assert_eq!(
            c,
            vec![Some((b22 - b21) * K), Some((g22 - g21) * K)],
            "{name}"
        );
    }
    assert!(
        lines.iter().all(|l| l.check == Check::Ok),
        "all covered by 計 and 増△減"
    );
    assert!(lines.iter().all(|l| l.unit == "千円"));
}

#[test]
fn seeds_foundation_summary_every_row_with_years_and_phases() {
    let Some(results) = seeds() else { return };
    assert_foundation_summary(lines_of(&results, "004_"));
}

#[test]
fn golden_foundation_summary_excel_and_pdf_renderings_every_row() {
    let results = fixtures();
    for file in [
        "foundation/kip_r4_plan_workbook.xlsx",
        "foundation/kip_r4_plan_workbook_libreoffice.pdf",
        "foundation/kip_r4_plan_workbook_reportlab.pdf",
    ] {
        assert_foundation_summary(lines_of(&results, file));
    }
}

/// Seed 004's 予算の概要: every row with its years and phases, `-` as none, the reference row
/// out of the sums, 合計 checked.
fn assert_foundation_summary(all: &[yosan::model::BudgetLine]) {
    // The table's lines (under its 予算額 columns); the plan's sections follow.
    let lines: Vec<_> = all
        .iter()
        .filter(|l| l.measure_label.contains("予算額"))
        .cloned()
        .collect();
    let lines = &lines[..];
    assert!(lines.iter().all(|l| l.jurisdiction_code.is_none()
        && l.jurisdiction_name == "公益財団法人神奈川産業振興センター"));
    let a = find(lines, "企業経営に対する支援", "budget", 2022);
    assert_eq!(a.amount_yen, Some(1_379_383 * K));
    assert_eq!(a.phase, Phase::Revised);
    assert_eq!(a.code.as_deref(), Some("I"));
    let b = find(lines, "企業経営に対する支援", "budget", 2021);
    assert_eq!(b.amount_yen, Some(1_387_855 * K));
    assert_eq!(b.phase, Phase::Initial);
    let yorozu = find(lines, "神奈川県よろず支援拠点の県内展開", "budget", 2022);
    assert_eq!(yorozu.amount_yen, Some(115_860 * K));
    assert_eq!(
        yorozu.path,
        vec![
            "企業経営に対する支援",
            "ワンストップによる総合支援",
            "神奈川県よろず支援拠点の県内展開"
        ]
    );
    // `-` is none, not zero.
    let invoice = find(lines, "インボイスに対応するための支援", "budget", 2022);
    assert_eq!(invoice.amount_yen, None);
    assert_eq!(invoice.amount_text, "-");
    assert_eq!(
        find(lines, "インボイスに対応するための支援", "budget", 2021).amount_yen,
        Some(0)
    );
    // The parenthesised reference figure stays out of the sums.
    let lend = find(lines, "貸与予定額", "budget", 2022);
    assert_eq!(lend.amount_yen, Some(400_000 * K));
    assert_eq!(find(lines, "設備導入支援", "budget", 2022).check, Check::Ok);
    assert_eq!(
        find(lines, "その他", "budget", 2021).amount_yen,
        Some(161_191_317 * K)
    );
    let total = lines
        .iter()
        .find(|l| l.is_total && l.fiscal_year == 2022 && l.level == "合計" && l.check == Check::Ok)
        .expect("合計 A line");
    assert_eq!(total.amount_yen, Some(78_536_901 * K));
    // Every row of the table: 46 rows under the header.
    let rows: std::collections::BTreeSet<_> = lines.iter().map(|l| l.row).collect();
    assert_eq!(rows.len(), 46, "rows of the 予算の概要 table");
    let mismatches: Vec<_> = lines
        .iter()
        .filter(|l| l.check == Check::Mismatch)
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}
