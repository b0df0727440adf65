//! Corpus test of the budget-book family on the Fuji 令和6年度 book (`../shared/corpus/fuji-r6`):
//! every 目 of 歳出 and 歳入 becomes budget lines, the 歳出 目 and 節 agree with another project's
//! extraction of the same book (`peer-expected-long.xlsx`, read here with the xlsx extractor),
//! and the book's own arithmetic holds. Skipped, saying so, when the corpus folder is absent.
//!
//! Where the two extractions differ, which one is right is written down in
//! `fixtures/README.md` (section "The Fuji budget book against the reference extraction").

use crate::common::shared;
use std::collections::{BTreeMap, BTreeSet};
use yosan::ingest::{process_file, InputFile};
use yosan::model::{BudgetLine, Check, Direction, Provenance, Status};
use yosan_extractors::{ExtractOptions, Grid};

/// (款, 項, 目 number): names without white space (the reference keeps wrap spaces).
type MokuKey = (String, String, String);

fn squash(s: &str) -> String {
    yosan_normalize::width::fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[derive(Debug, Default, Clone, PartialEq)]
struct MokuFigures {
    current: Option<i64>,
    previous: Option<i64>,
    change: Option<i64>,
}

struct Reference {
    moku: BTreeMap<MokuKey, MokuFigures>,
    setsu: BTreeMap<(MokuKey, String), i64>,
    /// 小区分 per (目, 節 number): (name, amount) in printed order.
    sub: BTreeMap<(MokuKey, String), Vec<(String, i64)>>,
    /// The 説明 amounts of each 目 (lines with an amount only).
    explain: BTreeMap<MokuKey, Vec<i64>>,
    /// The reference's 財源 sum per 目 (for the note on its fill-down).
    funds_ok: usize,
}

/// The reference sheet: one row per 節 / 小区分 / 説明 line, 目 figures repeated on every row.
fn reference(grid: &Grid) -> Reference {
    let header: Vec<String> = grid.rows[0]
        .iter()
        .map(|c| c.text.trim().to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (kan, kou, moku) = (col("款"), col("項"), col("目"));
    let (cur, prev, change) = (col("本年度予算額"), col("前年度予算額"), col("比較"));
    let funds: Vec<usize> = ["国県支出金", "地方債", "その他", "一般財源"]
        .iter()
        .map(|n| col(n))
        .collect();
    let (sno, samt) = (col("節番号"), col("節金額"));
    let (sub, subamt) = (col("小区分"), col("小区分金額"));
    let explamt = col("説明金額");
    let num = |row: &[yosan_extractors::Cell], c: usize| -> Option<i64> {
        let t = row.get(c)?.text.replace(',', "");
        let t = t.trim();
        if t.is_empty() {
            return None;
        }
        t.parse::<f64>().ok().map(|v| v.round() as i64)
    };
    let mut out = Reference {
        moku: BTreeMap::new(),
        setsu: BTreeMap::new(),
        sub: BTreeMap::new(),
        explain: BTreeMap::new(),
        funds_ok: 0,
    };
    for row in &grid.rows[1..] {
        let text = |c: usize| row.get(c).map(|x| x.text.clone()).unwrap_or_default();
        let m = squash(&text(moku));
        let code: String = m.chars().take_while(|c| c.is_ascii_digit()).collect();
        let key = (squash(&text(kan)), squash(&text(kou)), code);
        if !out.moku.contains_key(&key) {
            let f = MokuFigures {
                current: num(row, cur),
                previous: num(row, prev),
                change: num(row, change),
            };
            let fsum: i64 = funds.iter().filter_map(|&c| num(row, c)).sum();
            if Some(fsum) == f.current {
                out.funds_ok += 1;
            }
            out.moku.insert(key.clone(), f);
        }
        let s = squash(&text(sno));
        if let Some(a) = num(row, subamt) {
            out.sub
                .entry((key.clone(), s.clone()))
                .or_default()
                .push((squash(&text(sub)), a));
        }
        if let Some(a) = num(row, explamt) {
            out.explain.entry(key.clone()).or_default().push(a);
        }
        if let (false, Some(a)) = (s.is_empty(), num(row, samt)) {
            out.setsu.insert((key, s), a);
        }
    }
    out
}

fn key_of(l: &BudgetLine) -> Option<MokuKey> {
    if l.path.len() < 3 {
        return None;
    }
    // 目 printed without a number (abolished ones, 本年度 0) are keyed by their name.
    let code = match l.path_codes[2].as_str() {
        "" => squash(&l.path[2]),
        c => c.to_string(),
    };
    Some((squash(&l.path[0]), squash(&l.path[1]), code))
}

#[test]
fn corpus_fuji_budget_book_matches_the_reference_and_its_own_arithmetic() {
    let (Some(pdf), Some(xlsx)) = (
        shared("corpus/fuji-r6/r6-budget.pdf"),
        shared("corpus/fuji-r6/peer-expected-long.xlsx"),
    ) else {
        return;
    };
    let input = InputFile {
        path: pdf.clone(),
        name: "fuji-r6/r6-budget.pdf".into(),
    };
    // Nothing declared: jurisdiction, year, account and direction come from the book.
    let res = process_file(&input, None, &ExtractOptions::default());
    let rec = &res.record;
    assert_ne!(rec.status, Status::Error, "{:?}", rec.error);
    assert_eq!(rec.family.as_deref(), Some("budget_book"));
    assert_eq!(rec.jurisdiction_code.as_deref(), Some("222101"));
    assert_eq!(rec.jurisdiction_source, Provenance::Detected);
    assert_eq!(rec.document_fiscal_year, Some(2024));
    assert_eq!(rec.fiscal_year_source, Provenance::Detected);
    assert_eq!(rec.account.as_deref(), Some("一般会計"));
    let lines = &res.lines;
    assert!(lines
        .iter()
        .all(|l| l.account.as_deref() == Some("一般会計")));

    // 歳出 目 figures.
    let mut ours: BTreeMap<MokuKey, MokuFigures> = BTreeMap::new();
    let mut our_setsu: BTreeMap<(MokuKey, String), i64> = BTreeMap::new();
    let mut our_sub: BTreeMap<(MokuKey, String), Vec<(String, i64)>> = BTreeMap::new();
    let mut our_explain: BTreeMap<MokuKey, Vec<i64>> = BTreeMap::new();
    for l in lines
        .iter()
        .filter(|l| l.direction == Direction::Expenditure && !l.is_total)
    {
        let Some(key) = key_of(l) else { continue };
        match (l.level.as_str(), l.measure.as_str(), l.fiscal_year) {
            ("目", "budget", 2024) => {
                ours.entry(key).or_default().current = l.amount_yen.map(|y| y / 1000)
            }
            ("目", "budget", 2023) => {
                ours.entry(key).or_default().previous = l.amount_yen.map(|y| y / 1000)
            }
            ("目", "change", _) => {
                ours.entry(key).or_default().change = l.amount_yen.map(|y| y / 1000)
            }
            ("節", "budget", 2024) => {
                our_setsu.insert(
                    (key, l.code.clone().unwrap_or_default()),
                    l.amount_yen.unwrap_or(0) / 1000,
                );
            }
            ("小区分", "budget", 2024) => {
                let setsu = l.path_codes.get(3).cloned().unwrap_or_default();
                our_sub.entry((key, setsu)).or_default().push((
                    squash(l.path.last().map(String::as_str).unwrap_or("")),
                    l.amount_yen.unwrap_or(0) / 1000,
                ));
            }
            ("事業" | "細事業" | "説明", "budget", 2024) => {
                if let Some(y) = l.amount_yen {
                    our_explain.entry(key).or_default().push(y / 1000);
                }
            }
            _ => {}
        }
    }
    let xdoc = yosan_extractors::extract(
        &std::fs::read(&xlsx).expect("read xlsx"),
        "peer.xlsx",
        &ExtractOptions::default(),
    )
    .expect("the reference xlsx reads");
    let reference = reference(&xdoc.grids[0]);
    assert_eq!(reference.moku.len(), 182, "the reference holds 182 目");
    let mut matched = 0;
    let mut differ = Vec::new();
    for (k, theirs) in &reference.moku {
        match ours.get(k) {
            Some(o) if o == theirs => matched += 1,
            o => differ.push(format!("{k:?}: ours {o:?}, reference {theirs:?}")),
        }
    }
    let share = matched as f64 / reference.moku.len() as f64;
    eprintln!(
        "歳出 目: {matched} of {} match the reference; ours has {}",
        reference.moku.len(),
        ours.len()
    );
    for d in &differ {
        eprintln!("  differs: {d}");
    }
    assert!(share >= 0.995, "only {share:.4} of 目 match: {differ:#?}");
    // Ours has more: the reference leaves out 予備費 (a 目 without 節) and the 目 abolished this
    // year (printed without a number, 本年度 0, with their 前年度 figures). Nothing else.
    let extra: Vec<(&MokuKey, &MokuFigures)> = ours
        .iter()
        .filter(|(k, _)| !reference.moku.contains_key(*k))
        .collect();
    eprintln!("目 only ours: {extra:?}");
    assert!(
        extra.iter().all(|(k, f)| k.0 == "予備費"
            || (f.current == Some(0) && !k.2.chars().all(|c| c.is_ascii_digit()))),
        "{extra:#?}"
    );
    assert_eq!(extra.len(), 4, "{extra:#?}");

    let mut setsu_differ = Vec::new();
    for (k, a) in &reference.setsu {
        if our_setsu.get(k) != Some(a) {
            setsu_differ.push(format!("{k:?}: ours {:?}, reference {a}", our_setsu.get(k)));
        }
    }
    let extra: Vec<_> = our_setsu
        .keys()
        .filter(|k| !reference.setsu.contains_key(*k))
        .collect();
    eprintln!(
        "歳出 節: {} in the reference, {} ours, {} differ, {} only ours",
        reference.setsu.len(),
        our_setsu.len(),
        setsu_differ.len(),
        extra.len()
    );
    assert!(
        setsu_differ.is_empty(),
        "節 amounts differ: {setsu_differ:#?}"
    );
    assert!(extra.is_empty(), "節 only in ours: {extra:#?}");

    // 小区分: the same names and amounts under the same 節, except the lost glyph of 補塡 that
    // the reference drops and we keep as U+FFFD (see fixtures/README.md).
    let mut sub_lost_glyph = 0;
    let mut sub_differ = Vec::new();
    for k in reference.sub.keys().chain(our_sub.keys()) {
        let mut theirs = reference.sub.get(k).cloned().unwrap_or_default();
        let mut mine: Vec<(String, i64)> = our_sub
            .get(k)
            .into_iter()
            .flatten()
            .map(|(n, a)| {
                if n.contains('\u{FFFD}') {
                    sub_lost_glyph += 1;
                }
                (n.replace('\u{FFFD}', ""), *a)
            })
            .collect();
        theirs.sort();
        mine.sort();
        if theirs != mine {
            sub_differ.push(format!("{k:?}: ours {mine:?}, reference {theirs:?}"));
        }
    }
    sub_lost_glyph /= 2; // every key was visited twice (reference keys, then ours)
    let sub_total: usize = reference.sub.values().map(Vec::len).sum();
    eprintln!(
        "歳出 小区分: {sub_total} in the reference, {} ours, {} groups differ, {sub_lost_glyph} names keep a lost glyph",
        our_sub.values().map(Vec::len).sum::<usize>(),
        sub_differ.len()
    );
    assert!(sub_differ.is_empty(), "小区分 differ: {sub_differ:#?}");

    // 説明: every amount the reference has under a 目 is ours too. The reference stops a 目's
    // 説明 at its last 節 row and leaves some amounts inside the text, so ours has more.
    let mut expl_missing = Vec::new();
    let mut expl_extra = 0usize;
    for (k, theirs) in &reference.explain {
        let mut mine = our_explain.get(k).cloned().unwrap_or_default();
        for a in theirs {
            match mine.iter().position(|m| m == a) {
                Some(i) => {
                    mine.swap_remove(i);
                }
                None => expl_missing.push(format!("{k:?}: {a}")),
            }
        }
        expl_extra += mine.len();
    }
    eprintln!(
        "歳出 説明 amounts: {} in the reference, {} ours, {} of the reference's missing from ours, {expl_extra} more in ours under its 目",
        reference.explain.values().map(Vec::len).sum::<usize>(),
        our_explain.values().map(Vec::len).sum::<usize>(),
        expl_missing.len()
    );
    assert!(
        expl_missing.is_empty(),
        "説明 amounts missing: {expl_missing:#?}"
    );

    // Σ財源内訳 = 本年度 for at least 99% of 目 (the reference: {funds_ok} of 182).
    let mut funds: BTreeMap<MokuKey, (i64, Option<i64>)> = BTreeMap::new();
    for l in lines
        .iter()
        .filter(|l| l.direction == Direction::Expenditure && l.level == "目")
    {
        let Some(k) = key_of(l) else { continue };
        let e = funds.entry(k).or_default();
        if l.measure.starts_with("funding_") {
            e.0 += l.amount_yen.unwrap_or(0);
        } else if l.measure == "budget" && l.fiscal_year == 2024 {
            e.1 = l.amount_yen;
        }
    }
    let funds_ok = funds.values().filter(|(s, c)| Some(*s) == *c).count();
    eprintln!(
        "Σ財源 = 本年度: ours {funds_ok} of {}, the reference {} of 182",
        funds.len(),
        reference.funds_ok
    );
    assert!(funds_ok as f64 >= 0.99 * funds.len() as f64);

    // Totals: Σ目 of 歳出 and of 歳入 = 101,800,000 千円 = 第1条 = 第1表.
    for dir in [Direction::Expenditure, Direction::Revenue] {
        let moku: Vec<&BudgetLine> = lines
            .iter()
            .filter(|l| {
                l.direction == dir
                    && l.level == "目"
                    && l.measure == "budget"
                    && l.fiscal_year == 2024
            })
            .collect();
        let sum: i64 = moku.iter().filter_map(|l| l.amount_yen).sum();
        eprintln!("{dir:?}: {} 目, Σ本年度 {sum}", moku.len());
        assert_eq!(sum, 101_800_000_000, "{dir:?} Σ目");
        let article1 = lines
            .iter()
            .find(|l| l.direction == dir && l.path == ["総額"])
            .expect("第1条 総額");
        assert_eq!(article1.amount_yen, Some(101_800_000_000));
        assert_eq!(article1.check, Check::Ok, "{:?}", article1.check_detail);
    }
    // Every 目 of 歳入 has its amounts; 歳入 has no 財源 columns.
    let revenue_moku: BTreeSet<Vec<String>> = lines
        .iter()
        .filter(|l| l.direction == Direction::Revenue && l.level == "目")
        .map(|l| l.path.clone())
        .collect();
    assert!(revenue_moku.len() > 50, "{} 歳入 目", revenue_moku.len());
    for p in &revenue_moku {
        let measures: BTreeSet<(&str, i64)> = lines
            .iter()
            .filter(|l| l.direction == Direction::Revenue && l.level == "目" && &l.path == p)
            .map(|l| (l.measure.as_str(), l.fiscal_year))
            .collect();
        assert!(
            measures.contains(&("budget", 2024))
                && measures.contains(&("budget", 2023))
                && measures.iter().any(|(m, _)| *m == "change")
                && !measures.iter().any(|(m, _)| m.starts_with("funding_")),
            "{p:?}: {measures:?}"
        );
    }
    // 比較 = 本年度 − 前年度 on every 目 of 歳入, from the lines themselves.
    let revenue_change_ok = revenue_moku
        .iter()
        .filter(|p| {
            let get = |m: &str, y: Option<i64>| {
                lines
                    .iter()
                    .find(|l| {
                        l.direction == Direction::Revenue
                            && l.level == "目"
                            && &&l.path == p
                            && l.measure == m
                            && y.is_none_or(|y| l.fiscal_year == y)
                    })
                    .and_then(|l| l.amount_yen)
            };
            let (c, pr, ch) = (
                get("budget", Some(2024)),
                get("budget", Some(2023)),
                get("change", None),
            );
            matches!((c, pr, ch), (Some(c), Some(pr), Some(ch)) if c - pr == ch)
        })
        .count();
    eprintln!(
        "歳入: {} 目, 比較 = 本年度 − 前年度 on {revenue_change_ok}",
        revenue_moku.len()
    );
    assert_eq!(revenue_change_ok, revenue_moku.len());

    // The checks: at least 99% pass, and every failure is a diagnostic.
    let total = rec.checks_ok + rec.checks_mismatch;
    eprintln!(
        "checks: {} ok, {} mismatch",
        rec.checks_ok, rec.checks_mismatch
    );
    let mismatch_diags = res
        .diagnostics
        .iter()
        .filter(|d| d.code == "check.mismatch")
        .count() as i64;
    assert_eq!(mismatch_diags, rec.checks_mismatch);
    for d in res
        .diagnostics
        .iter()
        .filter(|d| d.code == "check.mismatch")
    {
        eprintln!("  {:?} {}", d.page, d.message);
    }
    assert!(total > 1000, "{total} checks");
    assert!(rec.checks_ok as f64 >= 0.99 * total as f64);
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b as f64;
    eprintln!(
        "Done-when figures: 歳出 目 matching the reference {:.2}% ({matched}/{}); 節 amounts differing {}/{}; \
         Σ財源内訳 = 本年度 {:.2}% ({funds_ok}/{}); 歳出 = 歳入 = 第1条 = 101,800,000 千円; \
         checks passing {:.2}% ({}/{total}), failures listed as diagnostics {mismatch_diags}/{}",
        pct(matched, reference.moku.len()),
        reference.moku.len(),
        setsu_differ.len(),
        reference.setsu.len(),
        pct(funds_ok, funds.len()),
        funds.len(),
        pct(rec.checks_ok as usize, total as usize),
        rec.checks_ok,
        rec.checks_mismatch,
    );
    // The lost glyph of 補塡 is restored in the 節 name and reported.
    let repaired: Vec<&BudgetLine> = lines
        .iter()
        .filter(|l| {
            l.level == "節" && l.path.last().map(String::as_str) == Some("補償、補塡及び賠償金")
        })
        .collect();
    assert!(!repaired.is_empty());
    assert!(repaired.iter().all(|l| l.label_text.contains('\u{FFFD}')));
    assert!(res
        .diagnostics
        .iter()
        .any(|d| d.code == "budget_book.repaired_name"));
}
