//! 予算記者発表資料: a prefecture's budget press material (e.g. 神奈川県 令和6年度当初予算(案)
//! 記者発表付属資料). Each policy package (`中小企業支援パッケージによる地域経済の活性化`) has a
//! 予算額 line (`２ 予算額 総額 ９３億５，１２６万円（６年度当初予算額 ８３億６，４５６万円、
//! ５年度12月補正予算額 ９億８，６６９万円）`) and a table of 区分 `(1)`…`(n)` with numbered items
//! `①`…`㉓` under sub-heads `ア`, `イ` …, amounts in 億/万円 (`42億5,062万円`), 補正 amounts in
//! parentheses (`(8億4,615万円)`), `〇 その他 …など３事業` rows and a 合計 row; detail pages after it
//! repeat single items' amounts (`(2) 予算額 ４２億５，０６２万円`).
//!
//! Recognised by the column header 主な事業名及び事業概要 with a 当初予算額 column.
//!
//! Years: the 当初 column's header names its year (`６年度当初予算額` → 2024 in a 令和 document);
//! the 補正 column's header names the year of the supplementary budget
//! (`(５年度12月補正予算額)` → 2023: lines with phase `supplementary`, measure `supplementary`).
//!
//! Read from rows: every non-empty cell of a row (a text line is one cell; a cell's lines are read
//! in order) is a piece, read in order. Items sit under their 区分 and its current sub-head; a
//! `〇 その他` row sits under the 区分 itself. A label (区分, item, 合計) takes the amounts printed with it
//! or right after it; an amount that comes when the current label already has its amounts is
//! displaced (the text of a PDF prints a 合計 row's amounts before its label) and goes to the next
//! 合計; a displaced amount that no 合計 takes is paired with the package's one `その他` row that has
//! none, else reported (`press.orphan_amount`).
//!
//! Checks: Σ items = 区分 and Σ 区分 = 合計 per column, and 当初 + 補正 = 総額. The press material
//! truncates every figure below 万円 (its own note says sums may not match), so a sum of n figures
//! is accepted when the printed total lies within −9,999 … +n×9,999 yen of it, and check_detail says
//! so. A 備考 line that takes duplicates out of a 区分 (`(5)の計…のうち…重複（X）を除いた額は Y`) makes
//! that 区分 count Y in the 合計. Detail pages' amounts are compared with their item, found by name
//! within the package the page names (`（労働施策の推進 ①、④…）`).
//!
//! Every line is `confidence = low`: amounts are attributed from the reading order of press
//! material, not from table cells.

use super::checks::{self, fmt_yen, record, Tally};
use super::common::compact;
use super::rows::{streams, Row};
use super::{Family, FamilyOutput};
use crate::context::DocContext;
use crate::model::{BudgetLine, Phase};
use crate::table::Location;
use yosan_extractors::{Diagnostic, Document};
use yosan_normalize::amount::{find_amounts, AmountValue, ParsedAmount};
use yosan_normalize::era::{era_of_year, find_fiscal_years, parse_fiscal_year, Era};
use yosan_normalize::label::normalize_label;
use yosan_normalize::numbering::split_numbering;
use yosan_normalize::width::fold_width;

pub struct PressRelease;

pub const ID: &str = "press_release_budget";

/// One tenth-of-a-万円 short of the next 万円: the truncation of one figure.
const TRUNCATION: i64 = 9_999;

impl Family for PressRelease {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "the column header 主な事業名及び事業概要 with a 当初予算額 column (予算記者発表資料)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        streams(doc).iter().any(|s| {
            s.rows.iter().any(|r| {
                let c = r.compact();
                c.contains("主な事業名及び事業概要") && c.contains("当初予算額")
            })
        })
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        let mut lines = Vec::new();
        let mut tally = Tally::default();
        let all: Vec<Vec<Piece>> = streams(doc).iter().map(|s| pieces(&s.rows)).collect();
        // Package titles from the table of contents, wherever it is (a text's first page, a
        // workbook's first sheet).
        let titles: Vec<String> = all.iter().flat_map(|p| toc_titles(p)).collect();
        for p in &all {
            parse_pieces(p, &titles, ctx, &mut lines, &mut out, &mut tally);
        }
        out.checks_ok += tally.ok;
        out.checks_mismatch += tally.mismatches.len();
        for m in tally.mismatches {
            out.diagnostics
                .push(Diagnostic::warning("check.mismatch", m));
        }
        if lines.is_empty() {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "press material recognised but no package table with amounts was found",
            ));
        }
        out.lines = lines;
        out
    }
}

/// A piece of printed text in reading order, with where it is.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    location: Location,
    column: Option<i32>,
}

/// True for a cell that starts with a package's section number (`１`, `２　予算額`), as a PDF's
/// table rows give `１ | 目 | 的` or `２ 予算額 | 48億4,595万円` when the heading is spaced out.
fn is_section_number(cell: &str) -> bool {
    let f = fold_width(cell.trim()).into_owned();
    let digits = f.chars().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&digits)
        && f[digits..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '\u{3000}')
}

fn pieces(rows: &[Row]) -> Vec<Piece> {
    let mut out = Vec::new();
    for row in rows {
        let filled: Vec<&str> = row
            .cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if filled.len() >= 2 && is_section_number(filled[0]) {
            // A section heading spread over cells (`１ | 目 | 的`, `２ 予算額 | 48億…`): one piece,
            // as a sheet's cell or a text line holds it.
            out.push(Piece {
                text: filled.join(" "),
                location: row.location(),
                column: row.tabular.then(|| row.column(0)),
            });
            continue;
        }
        for (c, cell) in row.cells.iter().enumerate() {
            for part in cell.split('\n') {
                let t = part.trim();
                if t.is_empty() {
                    continue;
                }
                out.push(Piece {
                    text: t.to_string(),
                    location: row.location(),
                    column: row.tabular.then(|| row.column(c)),
                });
            }
        }
    }
    out
}

/// What a piece says.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `(1) 生産性向上への支援 51億9,433万円`
    Division { code: String, name: String },
    /// `ア 設備導入・生成ＡＩによる生産性向上の支援`
    SubHead { code: String, name: String },
    /// `① 中小企業生産性向上促進事業費補助`, `〇 その他 … 1,985万円`
    Item { code: Option<String>, name: String },
    /// `合 計`
    Total,
    /// Amounts only: `42億5,062万円`, `(8億4,615万円)`.
    Amounts,
    /// Anything else (descriptions, contacts, page numbers).
    Other,
}

fn is_circled(code: &str) -> bool {
    code.chars().next().is_some_and(|c| {
        ('\u{2460}'..='\u{2473}').contains(&c)
            || ('\u{3251}'..='\u{325F}').contains(&c)
            || ('\u{32B1}'..='\u{32BF}').contains(&c)
    })
}

/// Money amounts in a text with their byte ranges (prose amounts need their unit: 円, 万円 ...).
fn money(text: &str) -> Vec<(std::ops::Range<usize>, ParsedAmount)> {
    find_amounts(text)
        .into_iter()
        .filter(|(_, p)| matches!(p.value, AmountValue::Yen(_)))
        .collect()
}

/// A piece that is nothing but amounts (and brackets, spaces).
fn amounts_only(text: &str) -> Option<Vec<(String, ParsedAmount)>> {
    let folded = fold_width(text).into_owned();
    let found = money(&folded);
    if found.is_empty() {
        return None;
    }
    let mut rest = String::new();
    let mut last = 0;
    let mut out = Vec::new();
    for (r, p) in &found {
        rest.push_str(&folded[last..r.start]);
        last = r.end;
        // A bracketed amount: `(8億4,615万円)` prints its brackets around the amount.
        let before = folded[..r.start].trim_end();
        let after = folded[r.end..].trim_start();
        let bracketed = before.ends_with('(') && after.starts_with(')');
        let mut p = *p;
        p.parenthesized |= bracketed;
        let shown = if bracketed {
            format!("({})", folded[r.clone()].trim())
        } else {
            folded[r.clone()].trim().to_string()
        };
        out.push((shown, p));
    }
    rest.push_str(&folded[last..]);
    rest.retain(|c| !c.is_whitespace() && !matches!(c, '(' | ')'));
    rest.is_empty().then_some(out)
}

fn classify(text: &str) -> (Kind, Vec<(String, ParsedAmount)>) {
    if let Some(a) = amounts_only(text) {
        return (Kind::Amounts, a);
    }
    let c = compact(text);
    if c == "合計" || c.starts_with("合計") && c.chars().count() <= 4 {
        return (Kind::Total, Vec::new());
    }
    // Strip a leading 〇/○ of `〇 その他 …` and of new-item marks.
    let (code, rest) = split_numbering(text);
    let folded = fold_width(text).into_owned();
    let trimmed = folded.trim_start();
    let other_row = trimmed.starts_with('〇') || trimmed.starts_with('○');
    if other_row {
        let body = trimmed.trim_start_matches(['〇', '○']).trim();
        if compact(body).starts_with("その他") {
            let (name, amounts) = split_amounts(body);
            return (Kind::Item { code: None, name }, amounts);
        }
        return (Kind::Other, Vec::new());
    }
    let Some(code) = code else {
        return (Kind::Other, Vec::new());
    };
    let (name, amounts) = split_amounts(&rest);
    if name.is_empty() {
        return (Kind::Other, Vec::new());
    }
    if code.starts_with('(') && code[1..].chars().next().is_some_and(|c| c.is_ascii_digit()) {
        (Kind::Division { code, name }, amounts)
    } else if is_circled(&code) {
        (
            Kind::Item {
                code: Some(code),
                name,
            },
            amounts,
        )
    } else if code.chars().count() == 1
        && code
            .chars()
            .next()
            .is_some_and(|c| ('ア'..='ン').contains(&c))
    {
        (Kind::SubHead { code, name }, amounts)
    } else {
        (Kind::Other, Vec::new())
    }
}

/// A label with amounts at its end: the name and the amounts.
fn split_amounts(text: &str) -> (String, Vec<(String, ParsedAmount)>) {
    let folded = fold_width(text).into_owned();
    let found = money(&folded);
    // Amounts count only as a run at the end of the text.
    let mut start = folded.len();
    let mut taken = Vec::new();
    for (r, p) in found.iter().rev() {
        let tail = folded[r.end..start].trim();
        if !tail.chars().all(|c| matches!(c, '(' | ')' | ' ')) {
            break;
        }
        let before = folded[..r.start].trim_end();
        let bracketed = before.ends_with('(') && folded[r.end..].trim_start().starts_with(')');
        let mut p = *p;
        p.parenthesized |= bracketed;
        taken.push((
            if bracketed {
                format!("({})", folded[r.clone()].trim())
            } else {
                folded[r.clone()].trim().to_string()
            },
            p,
        ));
        start = if bracketed { before.len() - 1 } else { r.start };
    }
    taken.reverse();
    (normalize_label(folded[..start].trim()), taken)
}

/// A label of the package table with the amounts it took.
#[derive(Debug, Clone)]
struct Entry {
    kind: Kind,
    /// Index of its piece in the package.
    pos: usize,
    printed: String,
    initial: Option<(String, ParsedAmount, Location, Option<i32>)>,
    supplementary: Option<(String, ParsedAmount, Location, Option<i32>)>,
    /// Index of the 区分 it belongs to, for items.
    division: Option<usize>,
    sub_head: Option<(String, String)>,
    marks: Vec<String>,
    /// The 予算額 a detail page prints for this item: yen, as printed, where.
    detail: Option<(i64, String, Location)>,
}

impl Entry {
    fn new(kind: Kind, p: &Piece, pos: usize) -> Entry {
        Entry {
            kind,
            pos,
            printed: p.text.clone(),
            initial: None,
            supplementary: None,
            division: None,
            sub_head: None,
            marks: Vec::new(),
            detail: None,
        }
    }
    fn has_amounts(&self) -> bool {
        self.initial.is_some() || self.supplementary.is_some()
    }
    /// Takes one amount; false when its slot is taken (or a 補正 already came).
    fn take(&mut self, text: &str, p: ParsedAmount, at: &Piece) -> bool {
        let v = (text.to_string(), p, at.location.clone(), at.column);
        if p.parenthesized {
            if self.supplementary.is_some() {
                return false;
            }
            self.supplementary = Some(v);
        } else {
            if self.initial.is_some() || self.supplementary.is_some() {
                return false;
            }
            self.initial = Some(v);
        }
        true
    }
}

/// An amount printed where the label before it cannot take it.
#[derive(Debug, Clone)]
struct Orphan {
    text: String,
    amount: ParsedAmount,
    piece: Piece,
    /// Index of its piece in the package.
    pos: usize,
}

/// A package: its title, its 予算額 lines, its table.
#[derive(Debug, Default)]
struct Package {
    title: Option<String>,
    total: Option<(String, ParsedAmount, Piece)>,
    total_initial: Option<(String, ParsedAmount, Piece)>,
    total_supplementary: Option<(String, ParsedAmount, Piece)>,
    initial_year: Option<i64>,
    supplementary_year: Option<i64>,
    entries: Vec<Entry>,
    /// Displaced amounts no 合計 took, in reading order.
    orphans: Vec<Orphan>,
    /// 区分 code → the amount the 合計 counts for it (備考: duplicates taken out).
    net: Vec<(String, i64, String)>,
}

/// Package titles from a table of contents: `○ 中小企業支援パッケージ… ･･････`.
fn toc_titles(pieces: &[Piece]) -> Vec<String> {
    pieces
        .iter()
        .take(200)
        .filter_map(|p| {
            let t = fold_width(&p.text).into_owned();
            let t = t.trim();
            let body = t.strip_prefix('○').or_else(|| t.strip_prefix('〇'))?;
            // Leaders: a run of three or more dots (half-width ･ folds to ・).
            let leaders = ["・・・", "･･･", "...", "…"]
                .iter()
                .filter_map(|l| body.find(l))
                .min()?;
            let name = normalize_label(body[..leaders].trim());
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

fn parse_pieces(
    pieces: &[Piece],
    titles: &[String],
    ctx: &DocContext,
    lines: &mut Vec<BudgetLine>,
    out: &mut FamilyOutput,
    tally: &mut Tally,
) {
    let doc_year = ctx.fiscal_year.or_else(|| {
        pieces
            .iter()
            .take(80)
            .find(|p| p.text.contains("当初予算"))
            .and_then(|p| {
                find_fiscal_years(&p.text, None)
                    .first()
                    .map(|(_, y)| i64::from(*y))
            })
    });
    let era = doc_year.map_or(Era::Reiwa, |y| era_of_year(y as i32));
    // Packages start at `１　目　的`.
    let starts: Vec<usize> = pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| compact(&p.text) == "1目的")
        .map(|(i, _)| i)
        .collect();
    let mut packages: Vec<Package> = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(pieces.len());
        // A sheet or page that prints the title above `１　目　的` (a long title wrapped over two
        // or three lines); else the title is looked for inside the package.
        let above = (1..=3.min(s)).find_map(|k| {
            let text: String = pieces[s - k..s].iter().map(|p| compact(&p.text)).collect();
            titles.iter().find(|t| compact(t) == text).cloned()
        });
        let pkg = read_package(&pieces[s..e], titles, above, era, doc_year, out);
        packages.push(pkg);
    }
    // Detail pages: `（<package title> ①、④～⑦）` then `１ ○新<item name>` … `(2) 予算額 ４２億…`.
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(pieces.len());
        details(&pieces[s..e], titles, &mut packages, out);
    }
    for p in &packages {
        emit_package(p, ctx, doc_year.unwrap_or(0), lines, out, tally);
    }
}

fn read_package(
    pieces: &[Piece],
    titles: &[String],
    title: Option<String>,
    era: Era,
    doc_year: Option<i64>,
    out: &mut FamilyOutput,
) -> Package {
    let mut pkg = Package {
        title,
        ..Package::default()
    };
    let mut current: Option<usize> = None;
    let mut division: Option<usize> = None;
    let mut sub_head: Option<(String, String)> = None;
    let mut done = false;
    let mut run: Vec<Orphan> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let p = &pieces[i];
        i += 1;
        let c = compact(&p.text);
        if pkg.title.is_none() {
            if let Some(t) = titles.iter().find(|t| compact(t) == c) {
                pkg.title = Some(t.clone());
                continue;
            }
        }
        // `２ 予算額 総額 ９３億５，１２６万円` and `（６年度当初予算額 …、５年度12月補正予算額 …）`.
        if c.starts_with("2予算額") {
            if let Some((_, a)) = split_amounts(&p.text).1.into_iter().next().map(|x| ((), x)) {
                pkg.total = Some((a.0, a.1, p.clone()));
            }
            continue;
        }
        // The bracket may wrap onto the next lines of a PDF: read it to its closing bracket.
        let mut p = p;
        let mut c = c;
        let joined;
        if c.starts_with('(') && c.contains("当初予算額") && !c.contains(')') {
            let mut text = p.text.clone();
            let mut k = i;
            while k < pieces.len() && k < i + 4 && !compact(&text).contains(')') {
                text.push_str(&pieces[k].text);
                k += 1;
            }
            if compact(&text).contains("補正予算額") && compact(&text).contains(')') {
                joined = Piece {
                    text,
                    location: p.location.clone(),
                    column: p.column,
                };
                p = &joined;
                c = compact(&p.text);
                i = k;
            }
        }
        if c.starts_with('(') && c.contains("当初予算額") && c.contains("補正予算額") {
            let folded = fold_width(&p.text).into_owned();
            for (r, a) in money(&folded) {
                let before = &folded[..r.start];
                let shown = folded[r.clone()].trim().to_string();
                let phrase_start = before
                    .char_indices()
                    .rfind(|(_, ch)| matches!(ch, '(' | '、'))
                    .map_or(0, |(x, ch)| x + ch.len_utf8());
                let phrase = &before[phrase_start..];
                if phrase.contains("補正") {
                    pkg.total_supplementary = Some((shown, a, p.clone()));
                } else if phrase.contains("当初") {
                    pkg.total_initial = Some((shown, a, p.clone()));
                }
            }
            continue;
        }
        // The column header names the years: `６年度当初予算額`, `(５年度12月補正予算額)`.
        if c.contains("当初予算額") && !c.starts_with('(') {
            if let Some(y) = header_year(&c, "当初予算額", era) {
                pkg.initial_year = Some(y);
            }
            if let Some(next) = pieces.get(i) {
                let n = compact(&next.text);
                if n.starts_with('(') && n.contains("補正予算額") {
                    pkg.supplementary_year = header_year(&n, "補正予算額", era);
                    i += 1;
                }
            }
            continue;
        }
        if c.starts_with("備考")
            || c.starts_with('(') && c.contains("の計") && c.contains("除いた額")
        {
            note_net(&p.text, &mut pkg);
            continue;
        }
        if done {
            // After the 合計: its own amounts when printed after it (a sheet's row order), then
            // only a displaced `〇 その他` row can still belong to the table.
            let (kind, amounts) = classify(&p.text);
            if kind == Kind::Amounts {
                if let Some(k) = current {
                    for (t, a) in amounts {
                        pkg.entries[k].take(&t, a, p);
                    }
                    continue;
                }
            }
            if kind != Kind::Other {
                current = None;
            }
            if let (Kind::Item { code: None, name }, amounts) = (kind, amounts) {
                if amounts.is_empty() {
                    let mut e = Entry::new(Kind::Item { code: None, name }, p, i - 1);
                    e.division = division;
                    pkg.entries.push(e);
                }
            }
            continue;
        }
        let (kind, amounts) = classify(&p.text);
        let pos = i - 1;
        match kind {
            Kind::Amounts => {
                for (t, a) in amounts {
                    // Amounts after a displaced one are displaced too: they cannot belong to the
                    // label before it.
                    let fresh = current
                        .is_some_and(|k| pkg.entries[k].pos > run.last().map_or(0, |o| o.pos));
                    let taken = (run.is_empty() || fresh)
                        && current.is_some_and(|k| pkg.entries[k].take(&t, a, p));
                    if taken && fresh {
                        // The label after the displaced run took its own amount: the run is
                        // nobody's here.
                        pkg.orphans.append(&mut run);
                    }
                    if !taken {
                        run.push(Orphan {
                            text: t,
                            amount: a,
                            piece: p.clone(),
                            pos,
                        });
                    }
                }
            }
            Kind::Total => {
                let mut e = Entry::new(Kind::Total, p, pos);
                // The 合計 takes the displaced amounts printed since the last label that took one.
                for o in std::mem::take(&mut run) {
                    if !e.take(&o.text, o.amount, &o.piece) {
                        pkg.orphans.push(o);
                    }
                }
                pkg.entries.push(e);
                current = Some(pkg.entries.len() - 1);
                done = true;
            }
            Kind::Division { .. } | Kind::Item { .. } => {
                let is_division = matches!(kind, Kind::Division { .. });
                // `…事業費（再掲）`: shown again, counted in another package too.
                let kind = match kind {
                    Kind::Item {
                        code: Some(code),
                        name,
                    } if name.ends_with("(再掲)") => Kind::Item {
                        code: Some(code),
                        name: name.trim_end_matches("(再掲)").trim_end().to_string(),
                    },
                    k => k,
                };
                let mut e = Entry::new(kind, p, pos);
                if compact(&p.text).contains("再掲") {
                    e.marks.push("再掲".to_string());
                }
                for (t, a) in amounts {
                    if !e.take(&t, a, p) {
                        out.diagnostics.push(
                            Diagnostic::warning(
                                "press.extra_amount",
                                format!(
                                    "{}: more amounts than 当初 and 補正: {t} not read",
                                    p.text
                                ),
                            )
                            .at(loc(&p.location)),
                        );
                    }
                }
                if is_division {
                    sub_head = None;
                } else {
                    e.division = division;
                    // `〇 その他 …など３事業` is the 区分's remainder, not one of its ア/イ heads.
                    if matches!(e.kind, Kind::Item { code: Some(_), .. }) {
                        e.sub_head = sub_head.clone();
                    }
                }
                // A label that prints its amounts: displaced amounts before it are nobody's here.
                if e.has_amounts() {
                    pkg.orphans.append(&mut run);
                }
                pkg.entries.push(e);
                let k = pkg.entries.len() - 1;
                if is_division {
                    division = Some(k);
                }
                current = Some(k);
            }
            Kind::SubHead { code, name } => {
                sub_head = Some((code, name));
            }
            Kind::Other => {}
        }
    }
    let _ = doc_year;
    pkg.orphans.append(&mut run);
    pkg
}

/// `６年度当初予算額` → 2024 in a 令和 document.
fn header_year(c: &str, word: &str, era: Era) -> Option<i64> {
    let at = c.find(word)?;
    let head = c[..at].trim_start_matches('(');
    let year_end = head.find("年度")? + "年度".len();
    parse_fiscal_year(&head[..year_end], Some(era)).map(i64::from)
}

/// `備考 (5)の計1億3,121万円のうち、(1)・(4)との重複（1億1,806万円）を除いた額は1,315万円`.
fn note_net(text: &str, pkg: &mut Package) {
    let folded = fold_width(text).into_owned();
    let Some(at) = folded.find("の計") else {
        return;
    };
    let head = folded[..at].trim_end();
    let Some(open) = head.rfind('(') else { return };
    let code = head[open..].trim().to_string();
    let Some(net_at) = folded.find("除いた額は") else {
        return;
    };
    let tail = &folded[net_at + "除いた額は".len()..];
    if let Some((r, a)) = money(tail).into_iter().next() {
        if let Some(v) = a.yen() {
            pkg.net.push((code, v, tail[r].trim().to_string()));
        }
    }
}

fn loc(l: &Location) -> String {
    match (&l.sheet, l.row) {
        (Some(_), Some(r)) => format!("row {r}"),
        (None, Some(r)) => format!("line {r}"),
        _ => String::new(),
    }
}

/// Matches detail pages' 予算額 to their item.
fn details(pieces: &[Piece], titles: &[String], packages: &mut [Package], out: &mut FamilyOutput) {
    let mut in_package: Option<usize> = None;
    let mut heading: Option<(String, Piece)> = None;
    for p in pieces {
        let folded = fold_width(&p.text).into_owned();
        let c = compact(&folded);
        // `（成長産業の創出・育成 ①、⑤、⑩）`
        if c.starts_with('(') && c.ends_with(')') {
            let inner = &c[1..c.len() - 1];
            if let Some(k) = packages.iter().position(|pk| {
                pk.title.as_ref().is_some_and(|t| {
                    inner.starts_with(&compact(t)) && inner.len() > compact(t).len()
                })
            }) {
                in_package = Some(k);
                continue;
            }
            let _ = titles;
        }
        // `１ ○新中小企業生産性向上促進事業費補助`, `○新２ 介護ロボット実用化促進事業費`
        let t = folded
            .trim()
            .trim_start_matches(['○', '〇'])
            .trim_start_matches('新');
        let (code, rest) = split_numbering(t);
        if let Some(code) = code {
            if code.chars().all(|c| c.is_ascii_digit()) && in_package.is_some() {
                let name = rest
                    .trim_start_matches(['○', '〇'])
                    .trim_start_matches('新');
                if !name.is_empty() && money(name).is_empty() {
                    heading = Some((normalize_label(name), p.clone()));
                    continue;
                }
            }
        }
        // `(2) 予算額  ４２億５，０６２万円`
        if c.starts_with("(2)予算額") || c.starts_with("予算額") {
            let Some((name, _)) = heading.take() else {
                continue;
            };
            let Some((r, a)) = money(&folded).into_iter().next() else {
                continue;
            };
            let Some(v) = a.yen() else { continue };
            let shown = folded[r].trim().to_string();
            let k = in_package.unwrap_or(0);
            let wanted = compact(&name);
            let found = packages[k].entries.iter().position(
                |e| matches!(&e.kind, Kind::Item { name: n, .. } if compact(n) == wanted),
            );
            match found {
                Some(i) => packages[k].entries[i].detail = Some((v, shown, p.location.clone())),
                None => out.diagnostics.push(
                    Diagnostic::info(
                        "press.detail_unmatched",
                        format!("detail page 予算額 {shown} of {name}: no item of that name in the package's table"),
                    )
                    .at(loc(&p.location)),
                ),
            }
        }
    }
}

fn emit_package(
    pkg: &Package,
    ctx: &DocContext,
    doc_year: i64,
    lines: &mut Vec<BudgetLine>,
    out: &mut FamilyOutput,
    tally: &mut Tally,
) {
    let Some(title) = pkg.title.clone() else {
        if !pkg.entries.is_empty() {
            out.diagnostics.push(Diagnostic::warning(
                "press.untitled_package",
                "a package table whose title is not in the table of contents: its lines have the path of their 区分",
            ));
        }
        return emit_entries(pkg, None, ctx, doc_year, lines, out, tally);
    };
    emit_entries(pkg, Some(title), ctx, doc_year, lines, out, tally)
}

#[allow(clippy::too_many_arguments)]
fn base_line(
    ctx: &DocContext,
    doc_year: i64,
    path: &[(String, String)],
    printed: &str,
    level: &str,
) -> BudgetLine {
    let mut l = ctx.line(ID);
    l.document_fiscal_year = doc_year;
    l.path = path.iter().map(|(_, n)| n.clone()).collect();
    l.path_codes = path.iter().map(|(c, _)| c.clone()).collect();
    l.code = path
        .last()
        .map(|(c, _)| c.clone())
        .filter(|c| !c.is_empty());
    l.label_text = printed.to_string();
    l.level = level.to_string();
    l.confidence = "low".to_string();
    l
}

fn put(
    mut l: BudgetLine,
    text: &str,
    a: &ParsedAmount,
    at: &Location,
    column: Option<i32>,
    supplementary: bool,
    years: (i64, i64),
) -> BudgetLine {
    l.amount_yen = a.yen();
    l.amount_text = text.to_string();
    l.unit = a.unit.label().to_string();
    l.page = at.page;
    l.sheet = at.sheet.clone();
    l.row = at.row;
    l.column = column;
    if supplementary {
        l.fiscal_year = years.1;
        l.phase = Phase::Supplementary;
        l.measure = "supplementary".to_string();
        l.measure_label = "補正予算額".to_string();
    } else {
        l.fiscal_year = years.0;
        l.phase = Phase::Initial;
        l.measure = "budget".to_string();
        l.measure_label = "当初予算額".to_string();
    }
    l
}

#[allow(clippy::too_many_arguments)]
fn emit_entries(
    pkg: &Package,
    title: Option<String>,
    ctx: &DocContext,
    doc_year: i64,
    lines: &mut Vec<BudgetLine>,
    out: &mut FamilyOutput,
    tally: &mut Tally,
) {
    let years = (
        pkg.initial_year.unwrap_or(doc_year),
        pkg.supplementary_year.unwrap_or(doc_year - 1),
    );
    let root: Vec<(String, String)> = title.iter().map(|t| (String::new(), t.clone())).collect();
    // The package's 予算額 lines.
    let mut pkg_idx: [Option<usize>; 3] = [None; 3];
    for (k, slot) in [&pkg.total, &pkg.total_initial, &pkg.total_supplementary]
        .into_iter()
        .enumerate()
    {
        let Some((text, a, p)) = slot else { continue };
        let mut l = base_line(ctx, doc_year, &root, &p.text, "施策");
        l = put(l, text, a, &p.location, p.column, k == 2, years);
        l.is_total = true;
        l.measure_label = ["総額", "当初予算額", "補正予算額"][k].to_string();
        pkg_idx[k] = Some(lines.len());
        lines.push(l);
    }
    // Displaced amounts and labels printed without amounts (the text of a PDF separates a row's
    // label from its amount when the cell is merged or the row starts a page).
    let mut orphans = pkg.orphans.clone();
    let mut entries = pkg.entries.clone();
    let division_before = |entries: &[Entry], pos: usize| {
        entries
            .iter()
            .enumerate()
            .filter(|(_, x)| matches!(x.kind, Kind::Division { .. }) && x.pos < pos)
            .map(|(i, _)| i)
            .next_back()
    };
    // A 区分 label without amount after a displaced amount that heads the items before it: the
    // amount printed at the top of a continuation page, its label further down. The earliest such
    // amount after the previous 区分 is the 区分's; the items printed after it are the 区分's too.
    let bare_divisions: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, Kind::Division { .. }) && !e.has_amounts())
        .map(|(i, _)| i)
        .collect();
    for d in bare_divisions {
        let prev = division_before(&entries, entries[d].pos);
        let from = prev.map_or(0, |p| entries[p].pos);
        let Some(o) = orphans
            .iter()
            .position(|o| o.pos > from && o.pos < entries[d].pos && !o.amount.parenthesized)
        else {
            continue;
        };
        let o = orphans.remove(o);
        entries[d].take(&o.text, o.amount, &o.piece);
        let moved: Vec<usize> = (0..entries.len())
            .filter(|&k| {
                matches!(entries[k].kind, Kind::Item { .. })
                    && entries[k].division == prev
                    && entries[k].pos > o.pos
                    && entries[k].pos < entries[d].pos
            })
            .collect();
        for &k in &moved {
            entries[k].division = Some(d);
            entries[k].sub_head = None;
        }
        out.diagnostics.push(
            Diagnostic::info(
                "press.amount_paired",
                format!(
                    "{}: its amount {} is printed away from its label, before {} items; paired as the first amount without a label after the previous 区分",
                    entries[d].printed,
                    o.text,
                    moved.len()
                ),
            )
            .at(loc(&o.piece.location)),
        );
    }
    // One `その他` row without amount and one displaced amount left: the row's amount, in the 区分
    // where the amount is printed.
    let bare: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(&e.kind, Kind::Item { code: None, .. }) && !e.has_amounts())
        .map(|(i, _)| i)
        .collect();
    if bare.len() == 1 && orphans.len() == 1 {
        let o = orphans.remove(0);
        let division = division_before(&entries, o.pos);
        let e = &mut entries[bare[0]];
        e.take(&o.text, o.amount, &o.piece);
        e.division = division;
        e.sub_head = None;
        out.diagnostics.push(
            Diagnostic::info(
                "press.amount_paired",
                format!(
                    "{}: its amount {} is printed away from its label; paired as the package's only amount without a label and the only row without an amount",
                    e.printed, o.text
                ),
            )
            .at(loc(&o.piece.location)),
        );
    }
    for o in &orphans {
        out.diagnostics.push(
            Diagnostic::warning(
                "press.orphan_amount",
                format!(
                    "{}: amount {} printed where no label takes it; not written",
                    title.as_deref().unwrap_or("package"),
                    o.text
                ),
            )
            .at(loc(&o.piece.location)),
        );
    }
    // Lines, with per-entry indices of their 当初 and 補正 lines.
    let mut idx: Vec<[Option<usize>; 2]> = vec![[None, None]; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let mut path = root.clone();
        let level = match &e.kind {
            Kind::Division { code, name } => {
                path.push((code.clone(), name.clone()));
                "区分"
            }
            Kind::Item { code, name } => {
                if let Some(d) = e.division {
                    if let Kind::Division { code, name } = &entries[d].kind {
                        path.push((code.clone(), name.clone()));
                    }
                }
                if let Some(s) = &e.sub_head {
                    path.push(s.clone());
                }
                path.push((code.clone().unwrap_or_default(), name.clone()));
                "事業"
            }
            Kind::Total => {
                path.push((String::new(), "合計".to_string()));
                "合計"
            }
            _ => continue,
        };
        for (k, slot) in [&e.initial, &e.supplementary].into_iter().enumerate() {
            let Some((text, a, at, col)) = slot else {
                continue;
            };
            let mut l = base_line(ctx, doc_year, &path, &e.printed, level);
            l = put(l, text, a, at, *col, k == 1, years);
            l.is_total = e.kind == Kind::Total;
            l.marks = e.marks.clone();
            idx[i][k] = Some(lines.len());
            lines.push(l);
        }
        // A detail page's 予算額 for the item.
        if let (Some((v, shown, at)), Some(li)) = (&e.detail, idx[i][0]) {
            let ok = lines[li].amount_yen == Some(*v);
            let detail = format!(
                "detail page ({}) 予算額 {shown} {} {}",
                loc(at),
                if ok { "=" } else { "≠" },
                lines[li].amount_text
            );
            if ok {
                tally.ok += 1;
            } else {
                tally.mismatches.push(format!("{}: {detail}", e.printed));
            }
            record(&mut lines[li], ok, &detail);
        }
    }
    // Σ items = 区分, Σ 区分 = 合計, per column, within the truncation tolerance.
    let divisions: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, Kind::Division { .. }))
        .map(|(i, _)| i)
        .collect();
    for &d in &divisions {
        let items: Vec<usize> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.kind, Kind::Item { .. }) && e.division == Some(d))
            .map(|(i, _)| i)
            .collect();
        for k in [0usize, 1] {
            let parts: Vec<usize> = items.iter().filter_map(|&i| idx[i][k]).collect();
            if parts.is_empty() {
                continue;
            }
            let n = parts.len() as i64;
            checks::sum(
                lines,
                idx[d][k],
                &parts,
                "items (figures truncated to 万円)",
                (TRUNCATION, n * TRUNCATION),
                tally,
            );
        }
    }
    let total = entries.iter().position(|e| e.kind == Kind::Total);
    if let Some(t) = total {
        for k in [0usize, 1] {
            let Some(ti) = idx[t][k] else { continue };
            let parts: Vec<usize> = divisions.iter().filter_map(|&d| idx[d][k]).collect();
            if parts.is_empty() {
                continue;
            }
            // 備考: a 区分 that repeats others' items counts only its own part in the 合計.
            let mut adjust = 0i64;
            let mut said = Vec::new();
            if k == 0 {
                for (code, net, shown) in &pkg.net {
                    if let Some(&d) = divisions.iter().find(|&&d| {
                        matches!(&entries[d].kind, Kind::Division { code: c, .. } if c == code)
                    }) {
                        if let Some(v) = idx[d][0].and_then(|li| lines[li].amount_yen) {
                            adjust += v - net;
                            said.push(format!("{code} counted as {shown} (備考)"));
                        }
                    }
                }
            }
            let n = parts.len() as i64;
            let what = if said.is_empty() {
                "区分 (figures truncated to 万円)".to_string()
            } else {
                format!(
                    "区分 less duplicates {} [{}] (figures truncated to 万円)",
                    fmt_yen(adjust),
                    said.join(", ")
                )
            };
            // The adjustment is applied by comparing with the total plus the duplicates.
            let printed = lines[ti].amount_yen;
            if let Some(p) = printed {
                lines[ti].amount_yen = p.checked_add(adjust);
            }
            checks::sum(
                lines,
                Some(ti),
                &parts,
                &what,
                (TRUNCATION, n * TRUNCATION),
                tally,
            );
            lines[ti].amount_yen = printed;
        }
    }
    // 当初 + 補正 = 総額, and the package's 当初 / 補正 against the 合計 row.
    if let (Some(tot), Some(a), Some(b)) = (pkg_idx[0], pkg_idx[1], pkg_idx[2]) {
        checks::sum(
            lines,
            Some(tot),
            &[a, b],
            "当初 + 補正 (figures truncated to 万円)",
            (TRUNCATION, 2 * TRUNCATION),
            tally,
        );
    }
    if let Some(t) = total {
        for (k, p) in [(0usize, pkg_idx[1].or(pkg_idx[0])), (1, pkg_idx[2])] {
            if let (Some(a), Some(b)) = (idx[t][k], p) {
                if k == 0 && pkg_idx[1].is_none() && pkg_idx[2].is_some() {
                    continue;
                }
                checks::agree(lines, b, a, "package 予算額 = 合計", tally);
            }
        }
    }
    let _ = ctx;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_classified() {
        let (k, a) = classify("(1) 生産性向上への支援");
        assert!(matches!(k, Kind::Division { .. }));
        assert!(a.is_empty());
        let (k, a) = classify("(2) 事業承継・創業等への支援 1億1,639万円");
        assert_eq!(
            k,
            Kind::Division {
                code: "(2)".into(),
                name: "事業承継・創業等への支援".into()
            }
        );
        assert_eq!(a[0].1.yen(), Some(116_390_000));
        let (k, a) = classify("(8億4,615万円)");
        assert_eq!(k, Kind::Amounts);
        assert!(a[0].1.parenthesized);
        assert_eq!(a[0].0, "(8億4,615万円)");
        let (k, _) = classify("①　中小企業生産性向上促進事業費補助");
        assert!(matches!(k, Kind::Item { code: Some(ref c), .. } if c == "①"));
        let (k, a) = classify("〇　その他　商店街パワーアップ支援事業費など３事業 1,985万円");
        assert!(matches!(k, Kind::Item { code: None, ref name } if name.starts_with("その他")));
        assert_eq!(a[0].1.yen(), Some(19_850_000));
        assert_eq!(classify("合 計").0, Kind::Total);
        assert!(matches!(
            classify(" ア　設備導入・生成ＡＩによる生産性向上の支援").0,
            Kind::SubHead { .. }
        ));
        assert_eq!(classify("4億   65万円").0, Kind::Amounts);
    }

    #[test]
    fn header_years() {
        assert_eq!(
            header_year("6年度当初予算額", "当初予算額", Era::Reiwa),
            Some(2024)
        );
        assert_eq!(
            header_year("(5年度12月補正予算額)", "補正予算額", Era::Reiwa),
            Some(2023)
        );
    }
}
