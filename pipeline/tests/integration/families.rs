//! The seed document families beyond the 目次 and 予算の概要 tables: Yokohama project sheets, the
//! Kanagawa press material, the foundation's plan sections and amounts in slides' prose, read from
//! the seed texts (`seeds_*`, skipped without `../shared/`) and from the project's Excel renderings
//! of the same content in `fixtures/inputs` (`golden_*`), with the exact figures of the seeds.

use crate::common::{lines_of, process_dir, root, shared};
use std::collections::BTreeMap;
use yosan::ingest::DocResult;
use yosan::model::{BudgetLine, Check, Phase};

const K: i64 = 1000;
const MAN: i64 = 10_000;

fn seeds() -> Option<Vec<DocResult>> {
    let dir = shared("seeds")?;
    Some(process_dir(
        &dir,
        Some(&root().join("fixtures/seeds-manifest/sources.json")),
    ))
}

fn fixtures() -> Vec<DocResult> {
    let f = root().join("fixtures");
    process_dir(&f.join("inputs"), Some(&f.join("sources.json")))
}

/// A cell of a transcribed table: an amount in 千円, a none mark (`-`), or empty.
#[derive(Clone, Copy, Debug)]
enum C {
    Y(i64),
    N,
    B,
}
use C::{B, N, Y};

struct Sheet {
    name: &'static str,
    funding_cols: &'static [&'static str],
    /// 金額 then one cell per funding column.
    this: &'static [C],
    last: &'static [C],
    change: &'static [C],
    /// 予算 事業費, 予算 市債+一般財源, 決算 事業費, 決算 市債+一般財源 over 平成30年度 … 令和7年度.
    history: [&'static [C]; 4],
    details: &'static [(&'static str, &'static str, C, C, C, &'static str)],
    total: (i64, i64, i64),
}

/// The eleven project sheets of the 令和4年度 plan (seed 001), transcribed from the seed text.
const SHEETS: &[Sheet] = &[
    Sheet {
        name: "中小企業経営総合支援事業",
        funding_cols: &["国", "県", "諸収入", "財産収入", "市債", "一般財源"],
        this: &[Y(379682), B, B, Y(45090), Y(117063), B, Y(217529)],
        last: &[Y(339054), B, B, Y(30090), Y(100047), B, Y(208917)],
        change: &[Y(40628), Y(0), Y(0), Y(15000), Y(17016), Y(0), Y(8612)],
        history: [
            &[
                Y(341327),
                Y(335614),
                Y(336129),
                Y(397278),
                Y(397278),
                Y(397278),
            ],
            &[
                Y(212156),
                Y(206169),
                Y(205992),
                Y(250125),
                Y(250125),
                Y(250125),
            ],
            &[Y(335557), Y(333691), Y(335054)],
            &[Y(207402), Y(205280), Y(206078)],
        ],
        details: &[
            (
                "①",
                "中小企業への基礎的支援",
                Y(288948),
                Y(274820),
                Y(14128),
                "",
            ),
            (
                "②",
                "横浜金沢テクノコア管理事業",
                Y(55234),
                Y(55234),
                Y(0),
                "",
            ),
            ("③", "産業関連施設等の活用検討", B, Y(3000), B, ""),
            ("④", "公有不動産鑑定料", B, Y(6000), B, ""),
        ],
        total: (379682, 339054, 40628),
    },
    Sheet {
        name: "事業継続支援事業",
        funding_cols: &["国", "県", "諸収入", "市債", "一般財源"],
        this: &[Y(4420), B, B, B, B, Y(4420)],
        last: &[Y(7500), B, B, B, B, Y(7500)],
        change: &[Y(-3080), Y(0), Y(0), Y(0), Y(0), Y(-3080)],
        history: [
            &[Y(6420), Y(8000), Y(7000), Y(4420), Y(4420), Y(4420)],
            &[Y(6420), Y(8000), Y(7000), Y(4420), Y(4420), Y(4420)],
            &[Y(5989), Y(6676), Y(4844)],
            &[Y(5989), Y(6676), Y(4844)],
        ],
        details: &[
            (
                "①",
                "事業継続力強化計画策定支援",
                Y(420),
                Y(500),
                Y(-80),
                "委託内容の見直しによる減",
            ),
            (
                "②",
                "事業承継専門家相談・啓発事業",
                Y(3000),
                Y(2800),
                Y(200),
                "訪問相談の拡充",
            ),
            (
                "③",
                "次世代経営者育成講座・ネットワーク支援事業",
                Y(1000),
                Y(1000),
                Y(0),
                "",
            ),
            (
                "④",
                "事業承継・M&A支援事業助成金",
                Y(0),
                Y(3200),
                Y(-3200),
                "助成金廃止による減",
            ),
        ],
        total: (4420, 7500, -3080),
    },
    Sheet {
        name: "横浜型地域貢献企業支援事業",
        funding_cols: &["国", "県", "諸取入", "市債", "一般財源"],
        this: &[Y(9760), B, B, B, B, Y(9760)],
        last: &[Y(10827), B, B, B, B, Y(10827)],
        change: &[Y(-1067), Y(0), Y(0), Y(0), Y(0), Y(-1067)],
        history: [
            &[Y(14211), Y(12790), Y(12790), Y(9760), Y(9760), Y(9760)],
            &[Y(14211), Y(12790), Y(12790), Y(9760), Y(9760), Y(9760)],
            &[Y(14131), Y(12144), Y(4120)],
            &[Y(14131), Y(12144), Y(4120)],
        ],
        details: &[
            ("①", "地域貢献企業支援事業", Y(9660), Y(10727), Y(-1067), ""),
            ("②", "認定企業プロモーション事業", Y(100), Y(100), Y(0), ""),
        ],
        total: (9760, 10827, -1067),
    },
    Sheet {
        name: "横浜商工会議所中小企業相談事業補助金",
        funding_cols: &["国", "県", "諸収入", "市債", "一般財源"],
        this: &[Y(30000), B, B, B, B, Y(30000)],
        last: &[Y(30000), B, B, B, B, Y(30000)],
        change: &[Y(0), Y(0), Y(0), Y(0), Y(0), Y(0)],
        history: [
            &[Y(30000), Y(30000), Y(30000), Y(30000), Y(30000), Y(30000)],
            &[Y(30000), Y(30000), Y(30000), Y(30000), Y(30000), Y(30000)],
            &[Y(30000), Y(30000), Y(30000)],
            &[Y(30000), Y(30000), Y(30000)],
        ],
        details: &[(
            "①",
            "横浜商工会議所中小企業相談事業補助金",
            Y(30000),
            Y(30000),
            Y(0),
            "",
        )],
        total: (30000, 30000, 0),
    },
    Sheet {
        name: "多様で柔軟な働き方・健康経営推進事業",
        funding_cols: &["国", "県", "諸収入", "市債", "一般財源"],
        this: &[Y(2580), B, B, B, B, Y(2580)],
        last: &[Y(3870), B, B, B, B, Y(3870)],
        change: &[Y(-1290), Y(0), Y(0), Y(0), Y(0), Y(-1290)],
        history: [
            &[Y(17768), Y(22000), Y(319830), Y(2580), Y(2580), Y(2580)],
            &[Y(15018), Y(19250), Y(317015), Y(2580), Y(2580), Y(2580)],
            &[Y(15508), Y(20053), Y(293193)],
            &[Y(13350), Y(18342), Y(290074)],
        ],
        details: &[
            (
                "①",
                "多様で柔軟な働き方推進事業",
                Y(800),
                Y(1750),
                Y(-950),
                "",
            ),
            (
                "②",
                "健康経営推進事業",
                Y(1780),
                Y(2120),
                Y(-340),
                "補助期間終了による減",
            ),
        ],
        total: (2580, 3870, -1290),
    },
    Sheet {
        name: "小規模事業者への支援強化事業",
        funding_cols: &["国", "県", "諸取入", "市債", "一般財源"],
        this: &[Y(22000), Y(11000), B, B, B, Y(11000)],
        last: &[Y(22000), B, B, B, B, Y(22000)],
        change: &[Y(0), Y(11000), Y(0), Y(0), Y(0), Y(-11000)],
        history: [
            &[N, Y(40000), Y(46000), Y(20000), Y(18000), Y(18000)],
            &[N, Y(40000), Y(46000), Y(10000), Y(9000), Y(9000)],
            &[N, Y(39607), Y(43709)],
            &[N, Y(39607), Y(43709)],
        ],
        details: &[
            ("①", "小規模事業者出張相談", Y(15000), Y(15000), Y(0), ""),
            ("②", "小規模事業者設備投資補助", Y(7000), Y(7000), Y(0), ""),
        ],
        total: (22000, 22000, 0),
    },
    Sheet {
        name: "ものづくり成長力強化事業",
        funding_cols: &["国", "県", "諸取入", "市債", "一般財源"],
        this: &[Y(107663), B, B, B, B, Y(107663)],
        last: &[Y(180731), B, B, B, B, Y(180731)],
        change: &[Y(-73068), Y(0), Y(0), Y(0), Y(0), Y(-73068)],
        history: [
            &[
                Y(264858),
                Y(265477),
                Y(229162),
                Y(107663),
                Y(107663),
                Y(107663),
            ],
            &[
                Y(264858),
                Y(265477),
                Y(229162),
                Y(107663),
                Y(107663),
                Y(107663),
            ],
            &[Y(286676), Y(252997), Y(165803)],
            &[Y(286676), Y(252997), Y(165803)],
        ],
        details: &[
            (
                "①",
                "中小企業新技術・新製品開発促進助成",
                Y(45606),
                Y(55833),
                Y(-10227),
                "",
            ),
            ("②", "販路開拓支援事業", Y(4194), Y(4463), Y(-269), ""),
            (
                "③",
                "中小企業設備投資等助成事業",
                Y(36200),
                Y(104665),
                Y(-68465),
                "事業見直しによる減",
            ),
            (
                "④",
                "中小企業デジタル化推進支援事業",
                Y(12420),
                Y(6420),
                Y(6000),
                "事業統合による増",
            ),
            (
                "⑤",
                "横浜知財みらい企業支援事業",
                Y(5100),
                Y(5350),
                Y(-250),
                "",
            ),
            (
                "⑥",
                "知的財産活動助成金",
                Y(2400),
                Y(4000),
                Y(-1600),
                "事業見直しによる減",
            ),
            (
                "⑦",
                "その他事務費",
                Y(1743),
                B,
                Y(1743),
                "課事務費統合による増",
            ),
        ],
        total: (107663, 180731, -73068),
    },
    Sheet {
        name: "ものづくり経営基盤強化事業",
        funding_cols: &["国", "県", "諸収入", "市債", "一般財源"],
        this: &[Y(83693), B, B, Y(31366), B, Y(52327)],
        last: &[Y(91056), B, B, Y(43087), B, Y(47969)],
        change: &[Y(-7363), Y(0), Y(0), Y(-11721), Y(0), Y(4358)],
        history: [
            &[Y(114768), Y(105676), Y(97949), Y(83693), Y(83693), B],
            &[Y(85549), Y(81294), Y(66104), Y(52327), Y(52327), Y(52327)],
            &[Y(100195), Y(104686), Y(68256)],
            &[Y(60329), Y(63248), Y(55368)],
        ],
        details: &[
            (
                "①",
                "ものづくりコーディネート事業",
                Y(27200),
                Y(34047),
                Y(-6847),
                "",
            ),
            (
                "②",
                "工業技術見本市開催事業",
                Y(9000),
                Y(10010),
                Y(-1010),
                "事業見直しによる減",
            ),
            ("③", "受発注商談支援", Y(2542), Y(2552), Y(-10), ""),
            (
                "④",
                "横浜産貿ホール等の施設管理",
                Y(14726),
                Y(12042),
                Y(2684),
                "長期修繕による費用増",
            ),
            ("⑤", "工業団体活動等支援", Y(11900), Y(12142), Y(-242), ""),
            (
                "⑥",
                "工業集積地活性化事業・操業環境確保",
                Y(440),
                Y(1776),
                Y(-1336),
                "課事務費統合による減",
            ),
            (
                "⑦",
                "ものづくり魅力発信事業",
                Y(2950),
                Y(3452),
                Y(-502),
                "事業見直しによる減",
            ),
            (
                "⑧",
                "L I N K A I 横浜金沢活性化推進事業",
                Y(2400),
                Y(3000),
                Y(-600),
                "事業見直しによる減",
            ),
            (
                "⑨",
                "中小企業人材確保支援事業",
                Y(8000),
                Y(7500),
                Y(500),
                "支援企業数200社増による増",
            ),
            (
                "⑩",
                "ものづくり人材育成支援事業",
                Y(4535),
                Y(4535),
                Y(0),
                "",
            ),
        ],
        total: (83693, 91056, -7363),
    },
    Sheet {
        name: "グリーンリカバリー設備投資助成事業",
        funding_cols: &["国", "県", "諸取入", "市債", "一般財源"],
        this: &[Y(173000), B, B, B, B, Y(173000)],
        last: &[Y(0), B, B, B, B, Y(0)],
        change: &[Y(173000), Y(0), Y(0), Y(0), Y(0), Y(173000)],
        history: [&[], &[], &[], &[]],
        details: &[(
            "①",
            "グリーンリカバリー設備投資助成事業",
            Y(173000),
            B,
            Y(173000),
            "新規事業",
        )],
        total: (173000, 0, 173000),
    },
    Sheet {
        name: "工業技術支援センター事業",
        funding_cols: &["国", "県", "諸収入", "市債", "一般財源"],
        this: &[Y(84790), B, B, Y(51358), B, Y(33432)],
        last: &[Y(93064), B, B, Y(53264), B, Y(39800)],
        change: &[Y(-8274), Y(0), Y(0), Y(-1906), Y(0), Y(-6368)],
        history: [
            &[Y(107790), Y(103665), Y(95198), Y(71224), Y(59828), B],
            &[Y(67466), Y(60019), Y(50000), Y(28083), Y(23590), Y(19816)],
            &[Y(105781), Y(102294), Y(94262)],
            &[Y(83224), Y(73047), Y(72145)],
        ],
        details: &[
            (
                "①",
                "表面処理技術に関する技術的支援",
                Y(26832),
                Y(35403),
                Y(-8571),
                "",
            ),
            (
                "②",
                "産業デザイン支援",
                Y(11772),
                Y(11216),
                Y(556),
                "デザインツールソフトウェア更新による増",
            ),
            ("③", "技術者育成支援", Y(103), Y(103), Y(0), ""),
            (
                "④",
                "支援センター管理運営",
                Y(45953),
                Y(46212),
                Y(-259),
                "施設修繕計画の精査・見直しによる減",
            ),
            ("⑤", "3D技術支援", Y(130), Y(130), Y(0), ""),
        ],
        total: (84790, 93064, -8274),
    },
    Sheet {
        name: "減債基金積立金(市工連)",
        funding_cols: &["国", "県", "諸取入", "市債", "一般財源"],
        this: &[Y(8246), B, B, Y(8246), B, Y(0)],
        last: &[Y(2745), B, B, Y(2745), B, Y(0)],
        change: &[Y(5501), Y(0), Y(0), Y(5501), Y(0), Y(0)],
        history: [
            &[Y(2993), Y(2798), Y(2770), Y(2713), Y(2693), Y(2673)],
            &[Y(0), Y(0), Y(0), Y(0), Y(0), Y(0)],
            &[Y(2993), Y(2798), Y(0)],
            &[Y(0), Y(0), Y(0)],
        ],
        details: &[("①", "減債基金積立金(市工連)", Y(8246), Y(2745), Y(5501), "")],
        total: (8246, 2745, 5501),
    },
];

const HISTORY_YEARS: [i64; 6] = [2018, 2019, 2020, 2023, 2024, 2025];

/// Lines of the 目次 (its columns are headed 総額 and 一財+市債).
fn is_index(l: &BudgetLine) -> bool {
    l.measure_label.ends_with("総額") || l.measure_label.ends_with("一財+市債")
}

/// Checks every amount of every project sheet and that nothing else was written for them.
fn assert_project_sheets(lines: &[BudgetLine], what: &str) {
    let sheet_lines: Vec<&BudgetLine> = lines.iter().filter(|l| !is_index(l)).collect();
    let mut expected_count = 0usize;
    for s in SHEETS {
        let project = ["経済局", "5款1項3目", s.name];
        let mine: Vec<&BudgetLine> = sheet_lines
            .iter()
            .copied()
            .filter(|l| l.path.len() >= 3 && l.path[..3] == project)
            .collect();
        let one = |f: &dyn Fn(&BudgetLine) -> bool, label: String| -> Option<&BudgetLine> {
            let found: Vec<&BudgetLine> = mine.iter().copied().filter(|l| f(l)).collect();
            assert!(
                found.len() <= 1,
                "{what} {}: several lines for {label}: {found:#?}",
                s.name
            );
            found.first().copied()
        };
        let expect = |cell: C, line: Option<&BudgetLine>, label: String, count: &mut usize| match (
            cell, line,
        ) {
            (B, None) => {}
            (Y(v), Some(l)) => {
                *count += 1;
                assert_eq!(l.amount_yen, Some(v * K), "{what} {} {label}", s.name);
            }
            (N, Some(l)) => {
                *count += 1;
                assert_eq!(l.amount_yen, None, "{what} {} {label}", s.name);
                assert_eq!(l.amount_text, "-", "{what} {} {label}", s.name);
            }
            (c, l) => panic!(
                "{what} {} {label}: expected {c:?}, found {l:#?} among {:?}",
                s.name,
                mine.iter()
                    .map(|l| (&l.measure_label, l.fiscal_year, l.path.len()))
                    .collect::<Vec<_>>()
            ),
        };
        // 財源内訳: 金額 and the funding columns for both years, then 増△減.
        for (year, row) in [(2022, s.this), (2021, s.last)] {
            for (i, cell) in row.iter().enumerate() {
                let label = if i == 0 {
                    "金額"
                } else {
                    s.funding_cols[i - 1]
                };
                let line = one(
                    &|l| l.path.len() == 3 && l.measure_label == label && l.fiscal_year == year,
                    format!("{label} {year}"),
                );
                expect(*cell, line, format!("{label} {year}"), &mut expected_count);
                if let Some(l) = line {
                    assert_eq!(l.phase, Phase::Initial);
                }
            }
        }
        for (i, cell) in s.change.iter().enumerate() {
            let label = format!(
                "増△減 {}",
                if i == 0 {
                    "金額"
                } else {
                    s.funding_cols[i - 1]
                }
            );
            let line = one(
                &|l| l.path.len() == 3 && l.measure_label == label && l.measure == "change",
                label.clone(),
            );
            expect(*cell, line, label, &mut expected_count);
        }
        // The 歳出 table: budgets of earlier years are initial, of later years forecasts; 決算 settled.
        let roles = [
            ("予算 事業費", "budget"),
            ("予算 市債+一般財源", "funding_general_and_bonds"),
            ("決算 事業費", "settled"),
            ("決算 市債+一般財源", "funding_general_and_bonds"),
        ];
        for (k, (label, measure)) in roles.iter().enumerate() {
            for (j, year) in HISTORY_YEARS.iter().enumerate() {
                let cell = s.history[k].get(j).copied().unwrap_or(B);
                let line = one(
                    &|l| l.measure_label == *label && l.fiscal_year == *year,
                    format!("{label} {year}"),
                );
                expect(cell, line, format!("{label} {year}"), &mut expected_count);
                if let Some(l) = line {
                    assert_eq!(l.measure, *measure);
                    let phase = match (k >= 2, *year > 2022) {
                        (true, _) => Phase::Settled,
                        (false, true) => Phase::Forecast,
                        (false, false) => Phase::Initial,
                    };
                    assert_eq!(l.phase, phase, "{what} {} {label} {year}", s.name);
                }
            }
        }
        // 細事業 with ▲ negatives and 増減説明, and their 細事業合計.
        for (code, name, this, last, diff, note) in s.details {
            for (cell, measure, year) in [
                (*this, "budget", 2022),
                (*last, "budget", 2021),
                (*diff, "change", 2022),
            ] {
                let line = one(
                    &|l| {
                        l.path.len() == 4
                            && l.path[3] == *name
                            && l.measure == measure
                            && l.fiscal_year == year
                    },
                    format!("{name} {measure} {year}"),
                );
                expect(
                    cell,
                    line,
                    format!("{name} {measure} {year}"),
                    &mut expected_count,
                );
                if let Some(l) = line {
                    assert_eq!(l.code.as_deref(), Some(*code));
                    assert_eq!(l.level, "細事業");
                    assert_eq!(l.note.as_deref().unwrap_or(""), *note, "{what} {name}");
                }
            }
        }
        for (v, measure, year) in [
            (s.total.0, "budget", 2022),
            (s.total.1, "budget", 2021),
            (s.total.2, "change", 2022),
        ] {
            let line = one(
                &|l| {
                    l.path.len() == 4
                        && l.path[3] == "細事業合計"
                        && l.measure == measure
                        && l.fiscal_year == year
                },
                format!("細事業合計 {measure} {year}"),
            );
            expect(
                Y(v),
                line,
                format!("細事業合計 {measure} {year}"),
                &mut expected_count,
            );
            assert!(line.is_some_and(|l| l.is_total));
        }
    }
    assert_eq!(
        sheet_lines.len(),
        expected_count,
        "{what}: every line of the project sheets is one of the transcribed amounts"
    );
}

#[test]
fn seeds_r4_project_sheets_every_amount_to_the_yen() {
    let Some(results) = seeds() else { return };
    let lines = lines_of(&results, "001_");
    assert_project_sheets(lines, "seed 001 text");
    // The sheet says 拡充 for the first project and 新規 for the ninth.
    let first = lines
        .iter()
        .find(|l| {
            l.path.last().map(String::as_str) == Some("中小企業経営総合支援事業")
                && l.measure_label == "金額"
        })
        .expect("first sheet");
    assert_eq!(first.marks, vec!["拡充"]);
    let ninth = lines
        .iter()
        .find(|l| {
            l.path.last().map(String::as_str) == Some("グリーンリカバリー設備投資助成事業")
                && l.measure_label == "金額"
        })
        .expect("ninth sheet");
    assert_eq!(ninth.marks, vec!["新規"]);
}

#[test]
fn golden_r4_pdf_renderings_project_sheets_every_amount_to_the_yen() {
    let results = fixtures();
    for (file, what) in [
        (
            "yokohama/r4_plan_workbook_libreoffice.pdf",
            "PDF printed by LibreOffice",
        ),
        (
            "yokohama/r4_plan_workbook_reportlab.pdf",
            "PDF drawn with reportlab",
        ),
    ] {
        let lines = lines_of(&results, file);
        assert_project_sheets(lines, what);
        assert!(lines.iter().all(|l| l.page.is_some()), "{what}");
    }
}

#[test]
fn golden_r4_workbook_project_sheets_every_amount_to_the_yen() {
    let results = fixtures();
    let lines = lines_of(&results, "yokohama/r4_plan_workbook.xlsx");
    assert_project_sheets(lines, "Excel rendering");
    assert!(lines.iter().all(|l| l.sheet.is_some() && l.page.is_none()));
}

#[test]
fn seeds_r4_sheet_checks_tie_funding_details_and_index_together() {
    let Some(results) = seeds() else { return };
    let lines = lines_of(&results, "001_");
    // Σ財源 = 金額 and 増△減 = this − last on every sheet.
    let funding: Vec<&BudgetLine> = lines
        .iter()
        .filter(|l| {
            l.path.len() == 3
                && !is_index(l)
                && (l.measure_label == "金額"
                    || l.measure.starts_with("funding_")
                        && !l.measure_label.starts_with("予算")
                        && !l.measure_label.starts_with("決算")
                    || l.measure_label.starts_with("増△減"))
        })
        .collect();
    assert!(funding.len() > 100);
    for l in &funding {
        assert_eq!(l.check, Check::Ok, "{l:#?}");
    }
    // The sheet's 金額 is the 目次's 総額 for the same path.
    let total = lines
        .iter()
        .find(|l| {
            l.path.last().map(String::as_str) == Some("工業技術支援センター事業")
                && l.measure_label == "金額"
                && l.fiscal_year == 2021
        })
        .expect("line");
    assert_eq!(total.amount_yen, Some(93_064 * K));
    assert!(
        total.check_detail.as_deref().unwrap().contains("目次 総額"),
        "{:?}",
        total.check_detail
    );
    // The first sheet's 細事業 do not add up in this text: two rows print no 4年度 and 差引 (the
    // printed totals put them at 35,500 and 26,500 千円 together); the check says so.
    let sum = lines
        .iter()
        .find(|l| {
            l.path.last().map(String::as_str) == Some("細事業合計")
                && l.path[2] == "中小企業経営総合支援事業"
                && l.fiscal_year == 2022
                && l.measure == "budget"
        })
        .expect("細事業合計");
    assert_eq!(sum.check, Check::Mismatch);
    assert!(sum
        .check_detail
        .as_deref()
        .unwrap()
        .contains("344,182,000 ≠ 379,682,000"));
    let mismatched: Vec<_> = lines
        .iter()
        .filter(|l| l.check == Check::Mismatch)
        .filter(|l| l.path.get(2).map(String::as_str) != Some("中小企業経営総合支援事業"))
        .collect();
    assert!(mismatched.is_empty(), "{mismatched:#?}");
    // The 工業技術支援センター sheet's 歳出 labels are out of order in this text: read in the form's
    // order, reported, low confidence; two budget rows print five years of six.
    let r = &results
        .iter()
        .find(|r| r.record.source_file.contains("001_"))
        .unwrap();
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "yokohama.history_short_row")
            .count(),
        2
    );
    assert!(codes.contains(&"yokohama.history_labels_out_of_order"));
    assert!(lines
        .iter()
        .filter(
            |l| l.path.get(2).map(String::as_str) == Some("工業技術支援センター事業")
                && l.measure_label.starts_with("決算")
        )
        .all(|l| l.confidence == "low"));
}

type Key = (Vec<String>, String, String, i64, String);

/// The amounts of a document by path, measure (and its label), fiscal year and phase.
fn amounts(lines: &[BudgetLine]) -> BTreeMap<Key, Option<i64>> {
    let mut out = BTreeMap::new();
    for l in lines {
        let key = (
            l.path.clone(),
            l.measure.clone(),
            l.measure_label.clone(),
            l.fiscal_year,
            l.phase.as_str().to_string(),
        );
        let prev = out.insert(key.clone(), l.amount_yen);
        assert!(
            prev.is_none() || prev == Some(l.amount_yen),
            "two amounts for {key:?}"
        );
    }
    out
}

#[test]
fn golden_excel_and_text_renderings_agree() {
    let results = fixtures();
    let pairs = [
        // The 目次 and all eleven sheets.
        (
            "yokohama/r4_plan_layout.txt",
            "yokohama/r4_plan_workbook.xlsx",
        ),
        // The 予算の概要 and both plan sections.
        (
            "foundation/kip_r4_plan.md",
            "foundation/kip_r4_plan_workbook.xlsx",
        ),
        // The package 予算額 lines and the four package tables.
        ("press/r6_press_release.txt", "press/r6_press_tables.xlsx"),
    ];
    for (text, excel) in pairs {
        let a = amounts(lines_of(&results, text));
        let b = amounts(lines_of(&results, excel));
        let only_text: Vec<_> = a.iter().filter(|(k, v)| b.get(*k) != Some(v)).collect();
        let only_excel: Vec<_> = b.iter().filter(|(k, v)| a.get(*k) != Some(v)).collect();
        assert!(
            only_text.is_empty() && only_excel.is_empty(),
            "{text} vs {excel}:\nonly or different in text: {only_text:#?}\nonly or different in Excel: {only_excel:#?}"
        );
        assert!(a.len() > 50, "{text}: {} amounts", a.len());
    }
}

/// Path, measure, fiscal year and phase.
type KeyNoLabel = (Vec<String>, String, i64, String);

/// The amounts of a document by path, measure, fiscal year and phase (the printed column header is
/// left out: a PDF may print it wrapped or spaced differently), each key with its amounts sorted.
fn amounts_by_key(lines: &[BudgetLine]) -> BTreeMap<KeyNoLabel, Vec<Option<i64>>> {
    let mut out: BTreeMap<_, Vec<Option<i64>>> = BTreeMap::new();
    for l in lines {
        out.entry((
            l.path.clone(),
            l.measure.clone(),
            l.fiscal_year,
            l.phase.as_str().to_string(),
        ))
        .or_default()
        .push(l.amount_yen);
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

#[test]
fn golden_text_excel_and_pdf_renderings_agree() {
    let results = fixtures();
    // Each seed's forms: the text, the workbook, and the workbook printed to PDF by two
    // renderers of different geometry (LibreOffice; the generator's own reportlab drawing).
    let forms = [
        (
            "yokohama/r3_plan_pdftotext.txt",
            [
                "yokohama/r3_plan_index_workbook.xlsx",
                "yokohama/r3_plan_index_workbook_libreoffice.pdf",
                "yokohama/r3_plan_index_workbook_reportlab.pdf",
            ],
        ),
        (
            "prose/yokohama_r4_slides.txt",
            [
                "prose/yokohama_r4_slides_workbook.xlsx",
                "prose/yokohama_r4_slides_workbook_libreoffice.pdf",
                "prose/yokohama_r4_slides_workbook_reportlab.pdf",
            ],
        ),
        (
            "yokohama/r4_plan_layout.txt",
            [
                "yokohama/r4_plan_workbook.xlsx",
                "yokohama/r4_plan_workbook_libreoffice.pdf",
                "yokohama/r4_plan_workbook_reportlab.pdf",
            ],
        ),
        (
            "foundation/kip_r4_plan.md",
            [
                "foundation/kip_r4_plan_workbook.xlsx",
                "foundation/kip_r4_plan_workbook_libreoffice.pdf",
                "foundation/kip_r4_plan_workbook_reportlab.pdf",
            ],
        ),
        (
            "press/r6_press_release.txt",
            [
                "press/r6_press_tables.xlsx",
                "press/r6_press_tables_libreoffice.pdf",
                "press/r6_press_tables_reportlab.pdf",
            ],
        ),
    ];
    for (text, others) in forms {
        let a = amounts_by_key(lines_of(&results, text));
        assert!(a.len() > 10, "{text}: {} amounts", a.len());
        for other in others {
            let doc = results
                .iter()
                .find(|r| r.record.source_file.ends_with(other))
                .unwrap_or_else(|| panic!("no fixture {other}"));
            assert_eq!(doc.record.status.as_str(), "ok", "{other}");
            let b = amounts_by_key(&doc.lines);
            let only_text: Vec<_> = a.iter().filter(|(k, v)| b.get(*k) != Some(v)).collect();
            let only_other: Vec<_> = b.iter().filter(|(k, v)| a.get(*k) != Some(v)).collect();
            assert!(
                only_text.is_empty() && only_other.is_empty(),
                "{text} vs {other}:\nonly or different in text: {only_text:#?}\nonly or different in {other}: {only_other:#?}"
            );
        }
    }
}

/// 神奈川県 令和6年度 press material, package 1: (name, 当初 in 万円, 補正 in 万円).
const PACKAGE_1: [(&str, Option<i64>, Option<i64>); 22] = [
    ("中小企業生産性向上促進事業費補助", Some(425_062), None),
    ("小規模事業者デジタル化支援事業費補助", Some(11_030), None),
    (
        "産業技術総合研究所交付金(生成AI活用促進事業)",
        Some(2_600),
        None,
    ),
    (
        "信用保証事業費補助(小口零細企業保証資金(ミニ)等)",
        Some(12_477),
        None,
    ),
    ("小規模企業者等設備貸与事業資金貸付金", Some(50_000), None),
    (
        "脱炭素促進資産評価事業費補助(エコアセットかながわ)",
        Some(3_500),
        None,
    ),
    (
        "信用保証事業費補助(原油高騰対応小口分・伴走支援分)",
        None,
        Some(84_615),
    ),
    ("商店街等活性化促進事業費補助", Some(9_577), None),
    ("商店街魅力アップ事業費補助", Some(3_200), None),
    ("事業承継事業費補助", Some(5_000), None),
    (
        "信用保証事業費補助(事業承継関連融資・創業支援融資)",
        Some(6_639),
        None,
    ),
    ("外国人労働者の受入環境整備の促進", Some(1_475), None),
    ("リスキリング人材育成事業費", Some(13_000), None),
    (
        "プロフェッショナル人材戦略拠点運営事業費",
        Some(3_620),
        None,
    ),
    ("大型等運転免許取得促進事業費", None, Some(8_554)),
    ("職場環境整備促進事業費", Some(17_760), None),
    ("人手不足業種就業支援事業費", Some(4_210), None),
    ("事業協同組合物流効率化対応費補助", None, Some(5_500)),
    ("中小企業団体中央会補助金", Some(25_961), None),
    (
        "経営支援事業費補助・神奈川産業振興センター事業費補助",
        Some(237_152),
        None,
    ),
    (
        "神奈川産業振興センター事業費補助(フォローアップ)",
        Some(720),
        None,
    ),
    ("神奈川産業振興センター事業費補助(未病)", Some(1_483), None),
];

const PACKAGE_1_TITLE: &str = "中小企業支援パッケージによる地域経済の活性化";

fn assert_press_package_1(lines: &[BudgetLine], what: &str) {
    let pkg: Vec<&BudgetLine> = lines
        .iter()
        .filter(|l| l.path[0] == PACKAGE_1_TITLE)
        .collect();
    let circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒";
    for (i, (name, initial, supplementary)) in PACKAGE_1.iter().enumerate() {
        let code = circled.chars().nth(i).unwrap().to_string();
        let mine: Vec<&&BudgetLine> = pkg
            .iter()
            .filter(|l| l.path.last().map(String::as_str) == Some(*name))
            .collect();
        assert_eq!(
            mine.len(),
            initial.iter().count() + supplementary.iter().count(),
            "{what} {name}: {mine:#?}"
        );
        for l in &mine {
            assert_eq!(l.code.as_deref(), Some(code.as_str()), "{what} {name}");
            assert_eq!(l.confidence, "low");
            assert_eq!(l.check, Check::Ok, "{what} {name}: {:?}", l.check_detail);
            match l.measure.as_str() {
                "budget" => {
                    assert_eq!((l.fiscal_year, l.phase), (2024, Phase::Initial));
                    assert_eq!(l.amount_yen, initial.map(|v| v * MAN), "{what} {name}");
                }
                "supplementary" => {
                    assert_eq!((l.fiscal_year, l.phase), (2023, Phase::Supplementary));
                    assert_eq!(
                        l.amount_yen,
                        supplementary.map(|v| v * MAN),
                        "{what} {name}"
                    );
                }
                m => panic!("{what} {name}: measure {m}"),
            }
        }
    }
    // The four 区分 with their 当初 and 補正, and the 合計.
    let division = |name: &str, measure: &str| {
        pkg.iter()
            .find(|l| {
                l.level == "区分"
                    && l.path.last().map(String::as_str) == Some(name)
                    && l.measure == measure
            })
            .map(|l| l.amount_yen)
    };
    assert_eq!(
        division("生産性向上への支援", "budget"),
        Some(Some(519_433 * MAN))
    );
    assert_eq!(
        division("生産性向上への支援", "supplementary"),
        Some(Some(84_615 * MAN))
    );
    assert_eq!(
        division("事業承継・創業等への支援", "budget"),
        Some(Some(11_639 * MAN))
    );
    assert_eq!(division("事業承継・創業等への支援", "supplementary"), None);
    assert_eq!(
        division("労働力不足への支援", "budget"),
        Some(Some(40_065 * MAN))
    );
    assert_eq!(
        division("労働力不足への支援", "supplementary"),
        Some(Some(14_054 * MAN))
    );
    assert_eq!(
        division("支援機関を通じた伴走支援", "budget"),
        Some(Some(265_317 * MAN))
    );
    let total: Vec<(String, i64, Option<i64>)> = pkg
        .iter()
        .filter(|l| l.level == "合計")
        .map(|l| (l.measure.clone(), l.fiscal_year, l.amount_yen))
        .collect();
    assert_eq!(
        total,
        vec![
            ("budget".to_string(), 2024, Some(836_456 * MAN)),
            ("supplementary".to_string(), 2023, Some(98_669 * MAN))
        ]
    );
    // Σ items of (4) is 26億5,316万円 against the printed 26億5,317万円: within the truncation.
    let d4 = pkg
        .iter()
        .find(|l| {
            l.level == "区分"
                && l.path.last().map(String::as_str) == Some("支援機関を通じた伴走支援")
        })
        .unwrap();
    assert!(
        d4.check_detail
            .as_deref()
            .unwrap()
            .contains("truncation tolerance"),
        "{:?}",
        d4.check_detail
    );
    assert!(pkg.iter().all(|l| l.check == Check::Ok), "{what}");
}

#[test]
fn seeds_press_release_items_divisions_and_total_with_their_years() {
    let Some(results) = seeds() else { return };
    let r = results
        .iter()
        .find(|r| r.record.source_file.contains("003_"))
        .unwrap();
    assert_eq!(r.record.family.as_deref(), Some("press_release_budget"));
    // 神奈川県 is found in the text, not declared.
    assert_eq!(r.record.jurisdiction_code.as_deref(), Some("140007"));
    assert!(r
        .lines
        .iter()
        .all(|l| l.jurisdiction_code.as_deref() == Some("140007")));
    assert_press_package_1(&r.lines, "seed 003");
    // The package's 予算額 line: 総額 = 当初 + 補正 of two fiscal years.
    let pkg_total = r
        .lines
        .iter()
        .find(|l| l.path == [PACKAGE_1_TITLE] && l.measure_label == "総額")
        .unwrap();
    assert_eq!(pkg_total.amount_yen, Some(935_126 * MAN));
    assert_eq!(pkg_total.check, Check::Ok, "{:?}", pkg_total.check_detail);
    // Detail pages repeat items' amounts: ① is checked against its page.
    let first = r
        .lines
        .iter()
        .find(|l| l.path.last().map(String::as_str) == Some("中小企業生産性向上促進事業費補助"))
        .unwrap();
    assert!(first
        .check_detail
        .as_deref()
        .unwrap()
        .contains("detail page"));
    // The other three packages add up too (with the 備考 that takes duplicates out of 労働施策の推進).
    let mismatches: Vec<_> = r
        .lines
        .iter()
        .filter(|l| l.check == Check::Mismatch)
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    let labour_total = r
        .lines
        .iter()
        .find(|l| l.path == ["労働施策の推進", "合計"])
        .unwrap();
    assert_eq!(labour_total.amount_yen, Some(218_947 * MAN));
    assert!(labour_total
        .check_detail
        .as_deref()
        .unwrap()
        .contains("備考"));
}

#[test]
fn golden_press_workbook_package_tables() {
    let results = fixtures();
    for (file, what) in [
        ("press/r6_press_tables.xlsx", "Excel rendering"),
        (
            "press/r6_press_tables_libreoffice.pdf",
            "PDF printed by LibreOffice",
        ),
        (
            "press/r6_press_tables_reportlab.pdf",
            "PDF drawn with reportlab",
        ),
    ] {
        assert_press_package_1(lines_of(&results, file), what);
    }
}

#[test]
fn seeds_foundation_plan_sections_agree_with_the_summary_table() {
    let Some(results) = seeds() else { return };
    let lines = lines_of(&results, "004_");
    let section: Vec<&BudgetLine> = lines
        .iter()
        .filter(|l| l.measure_label == "事業計画")
        .collect();
    let overview: Vec<&BudgetLine> = lines
        .iter()
        .filter(|l| l.measure_label == "主要事業の概要")
        .collect();
    assert_eq!(overview.len(), 16, "I, 1–7, II, 1–4, III, 1–2");
    let find = |name: &str, code: &str| {
        section
            .iter()
            .find(|l| {
                l.path.last().map(String::as_str) == Some(name) && l.code.as_deref() == Some(code)
            })
            .unwrap_or_else(|| panic!("{name}"))
    };
    let top = find("企業経営に対する支援", "I");
    assert_eq!(top.amount_yen, Some(1_379_383 * K));
    assert_eq!((top.fiscal_year, top.phase), (2022, Phase::Revised));
    assert!(top.check_detail.as_deref().unwrap().contains("予算の概要"));
    let consult = find("経営総合相談", "ア");
    assert_eq!(consult.amount_yen, Some(25_778 * K));
    assert_eq!(consult.marks, vec!["一部新"]);
    assert_eq!(
        consult.path,
        [
            "企業経営に対する支援",
            "ワンストップによる総合支援",
            "総合相談(ワンストップ相談・下請取引に関する相談)の実施",
            "経営総合相談"
        ]
    );
    assert_eq!(
        find("地域の支援機関との連携やサポート事業", "イ").amount_yen,
        Some(145 * K)
    );
    assert_eq!(
        find("インボイス制度に対応するための支援", "(6)").amount_yen,
        None
    );
    assert_eq!(find("食品・酒類他販路開拓支援", "エ").amount_yen, None);
    assert_eq!(find("その他", "2").amount_yen, Some(76_391_774 * K));
    // Every section line agrees with the table where the table has the row, and children add up.
    let mismatches: Vec<_> = lines
        .iter()
        .filter(|l| l.check == Check::Mismatch)
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    // Unchecked: the reference figure (貸与予定額) and the one row whose parent prints no amount in
    // the section and whose path the table does not have.
    let unchecked: Vec<&str> = section
        .iter()
        .filter(|l| l.check == Check::Unchecked)
        .map(|l| l.path.last().unwrap().as_str())
        .collect();
    assert_eq!(
        unchecked,
        ["貸与予定額", "小規模企業者等設備貸与事業費利子補助金"]
    );
    let reference = section.iter().find(|l| l.level == "参考").unwrap();
    assert_eq!(reference.amount_yen, Some(400_000 * K));
}

#[test]
fn seeds_slides_amounts_in_sentences_with_their_years() {
    let Some(results) = seeds() else { return };
    assert_slides(lines_of(&results, "002_"));
}

#[test]
fn golden_slides_workbook_and_pdf_renderings_amounts_with_their_years() {
    let results = fixtures();
    for file in [
        "prose/yokohama_r4_slides_workbook.xlsx",
        "prose/yokohama_r4_slides_workbook_libreoffice.pdf",
        "prose/yokohama_r4_slides_workbook_reportlab.pdf",
    ] {
        assert_slides(lines_of(&results, file));
    }
}

/// Seed 002's ア/イ/ウ and 総予算額 with this year's and last year's amounts.
fn assert_slides(lines: &[BudgetLine]) {
    let get = |name: &str, year: i64| {
        let found: Vec<&BudgetLine> = lines
            .iter()
            .filter(|l| l.path.last().map(String::as_str) == Some(name) && l.fiscal_year == year)
            .collect();
        assert_eq!(found.len(), 1, "{name} {year}: {found:#?}");
        found[0]
    };
    for (name, this, last) in [
        ("創業・スタートアップ成長推進事業", 8_824, 9_894),
        ("「グローバル拠点都市」推進事業", 4_746, 2_260),
        ("オープンイノベーション推進事業", 16_695, 19_357),
        ("総予算額", 30_265, 33_300),
    ] {
        assert_eq!(get(name, 2022).amount_yen, Some(this * MAN), "{name}");
        assert_eq!(get(name, 2021).amount_yen, Some(last * MAN), "{name}");
    }
    assert!(lines
        .iter()
        .all(|l| l.confidence == "low" && l.measure == "budget"));
    assert!(get("総予算額", 2022).is_total);
    // 予算：【令和5年度、6年度予定】… is a forecast for each year it names.
    let forecast: Vec<_> = lines
        .iter()
        .filter(|l| l.phase == Phase::Forecast)
        .map(|l| l.fiscal_year)
        .collect();
    assert_eq!(forecast, vec![2023, 2024, 2023, 2024]);
    // Figures that are not budgets (投資額 120億円, 助成額100万円) are not read.
    assert!(lines
        .iter()
        .all(|l| l.amount_yen != Some(12_000_000_000) && l.amount_yen != Some(1_000_000)));
}
