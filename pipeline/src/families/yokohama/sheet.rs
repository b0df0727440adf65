//! One project sheet of the 令和4年度 form (`令和 4 年度 事業計画書`), read from rows (a sheet of the
//! workbook, or the tab tables of a layout-aware text):
//!
//! - the head: 事業局課 (局, 課 and the 新規/拡充 boxes), 歳出予算科目 (会計 and 款/項/目), 事業名称;
//! - the 財源内訳 table: 金額 and 国, 県, 諸収入, 財産収入, 市債, 一般財源 (the columns printed) for
//!   this year and last year, and their 増△減; checked Σ財源 = 金額 per year and
//!   増△減 = this year − last year per column;
//! - the 歳出 table of five to eight years: 予算 事業費 and 市債+一般財源, 決算 事業費 and
//!   市債+一般財源. Budget rows are `initial` for years up to the document's and `forecast` after it;
//!   決算 rows are `settled`;
//! - the 細事業 table: name, this year, last year, 差引 and 増減説明 (kept in `note`), closed by
//!   細事業合計; checked Σ細事業 = 細事業合計, 差引 = this − last, and 細事業合計 against the
//!   財源内訳 金額 and 増△減.
//!
//! The project's 金額 is also checked against the 目次 row of the same path (総額, and
//! 市債 + 一般財源 against 一財+市債).
//!
//! Where cells sit differs between renderings (a converter shifts a row's cells by one, a merged
//! label spans two columns), so amounts are found relative to each row's label:
//! - 財源内訳 rows follow the header's columns (they align in every rendering seen);
//! - 歳出 rows are read in a fixed order (予算 事業費, 予算 市債+一般財源, 決算 事業費, 決算
//!   市債+一般財源), the form's own; their amounts follow the year columns when they sit under
//!   them, else they are taken in order, one per year. A printed row label that contradicts its
//!   place is reported and the table's lines get `confidence = low`; a budget row with fewer amounts than
//!   years is reported (the missing years get no line);
//! - 細事業 rows: three amount slots after the name (this year, last year, 差引). When a row prints
//!   three amounts they fill the slots in order; otherwise the slots are the cells right after the
//!   name, past the empty cells the header has between 細事業名称 and the first year.

use super::index::kanko_re;
use super::ID;
use crate::context::DocContext;
use crate::families::checks::{self, Tally};
use crate::families::common::{compact, is_amount_token, label, unit_in};
use crate::families::rows::{Row, Stream};
use crate::families::FamilyOutput;
use crate::model::{BudgetLine, Phase};
use crate::table::{Amount, ColumnSpec, Difference, HierRow, HierTable, RowKind};
use regex::Regex;
use std::sync::OnceLock;
use yosan_extractors::{Diagnostic, Document};
use yosan_normalize::amount::Unit;
use yosan_normalize::era::{era_of_year, parse_fiscal_year};
use yosan_normalize::numbering::split_numbering;

/// True when the document has a project sheet: the row labels 事業名称 and 歳出予算科目 and a
/// 財源内訳 header.
pub fn recognise(doc: &Document) -> bool {
    let mut name = false;
    let mut kamoku = false;
    let mut funding = false;
    let mut see = |t: &str| {
        let c = compact(t);
        name |= c.starts_with("事業名称");
        kamoku |= c.starts_with("歳出予算科目");
        funding |= c.contains("財源内訳");
    };
    for page in &doc.pages {
        for l in &page.lines {
            see(&l.text);
        }
    }
    for g in &doc.grids {
        for row in &g.rows {
            for cell in row {
                see(&cell.text);
            }
        }
    }
    name && kamoku && funding
}

/// The label word of a row: its first filled cell, compacted.
fn head(row: &Row) -> String {
    row.first_filled()
        .map(|i| compact(row.cell(i)))
        .unwrap_or_default()
}

/// Reads every project sheet of one stream; returns how many were found.
pub fn parse_stream(
    stream: &Stream,
    ctx: &DocContext,
    lines: &mut Vec<BudgetLine>,
    index_count: usize,
    out: &mut FamilyOutput,
    tally: &mut Tally,
) -> usize {
    let starts: Vec<usize> = stream
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| head(r).starts_with("事業局課"))
        .map(|(i, _)| i)
        .collect();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(stream.rows.len());
        // The title (`令和 4 年度 事業計画書`) sits just above the sheet's head.
        let title_year = stream.rows[start.saturating_sub(3)..start]
            .iter()
            .filter(|r| r.compact().contains("事業計画書"))
            .find_map(|r| parse_fiscal_year(&r.compact(), None))
            .map(i64::from);
        let rows = &stream.rows[start..end];
        let sheet = Sheet::read(rows, ctx, title_year, &lines[..index_count], out);
        match sheet {
            Some(s) => s.emit(ctx, lines, index_count, out, tally),
            None => out.diagnostics.push(located(
                Diagnostic::warning(
                    "yokohama.sheet_unreadable",
                    "a project sheet (事業局課 ...) without 事業名称: its tables were not read",
                ),
                &stream.rows[start],
            )),
        }
    }
    starts.len()
}

fn located(d: Diagnostic, row: &Row) -> Diagnostic {
    let mut d = d;
    if let Some(p) = row.page {
        d = d.on_page(p);
    }
    if let Some(s) = &row.sheet {
        d = d.on_sheet(s.clone());
    }
    if let Some(l) = row.line {
        d = d.at(if row.sheet.is_some() {
            format!("row {l}")
        } else {
            format!("line {l}")
        });
    }
    d
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

/// A project sheet's head and the rows of its tables.
struct Sheet<'a> {
    rows: &'a [Row],
    doc_year: i64,
    /// Path prefix: 局, 款項目, then the project.
    path: Vec<(String, String)>,
    name_printed: String,
    account: Option<String>,
    marks: Vec<String>,
}

impl<'a> Sheet<'a> {
    fn read(
        rows: &'a [Row],
        ctx: &DocContext,
        title_year: Option<i64>,
        index: &[BudgetLine],
        out: &mut FamilyOutput,
    ) -> Option<Sheet<'a>> {
        let mut bureau = None;
        let mut account = None;
        let mut marks = Vec::new();
        let mut name = None;
        let (mut kan, mut kou, mut moku) = (None, None, None);
        let mut head_end = rows.len().min(8);
        for (i, row) in rows.iter().enumerate().take(8) {
            let h = head(row);
            let rest: Vec<&str> = row
                .cells
                .iter()
                .skip(row.first_filled().unwrap_or(0) + 1)
                .map(|s| s.as_str())
                .filter(|s| !s.trim().is_empty())
                .collect();
            if h.starts_with("事業局課") {
                let before_flags: Vec<&str> = rest
                    .iter()
                    .copied()
                    .take_while(|c| !compact(c).starts_with("新規拡充"))
                    .collect();
                let words: Vec<String> = before_flags
                    .iter()
                    .flat_map(|c| c.split_whitespace())
                    .map(|w| w.to_string())
                    .collect();
                bureau = words
                    .iter()
                    .find(|w| w.ends_with('局') && w.len() > 3)
                    .cloned();
                marks = checked_marks(&row.text);
            } else if h.starts_with("歳出予算科目") {
                account = rest.iter().find(|c| c.contains("会計")).map(|c| label(c));
                let text = yosan_normalize::width::fold_width(&row.text).into_owned();
                if let Some(c) = kanko_re().captures(&text) {
                    kan = Some(c[1].to_string());
                    kou = Some(c[2].to_string());
                    moku = Some(c[3].to_string());
                } else {
                    // A converter scatters the 款項目 cells; read each number before its word,
                    // the 目 possibly on the row above.
                    static KAN: OnceLock<Regex> = OnceLock::new();
                    static KOU: OnceLock<Regex> = OnceLock::new();
                    static MOKU: OnceLock<Regex> = OnceLock::new();
                    kan = re(&KAN, r"(\d+)\s*款")
                        .captures(&text)
                        .map(|c| c[1].to_string());
                    kou = re(&KOU, r"(\d+)\s*項")
                        .captures(&text)
                        .map(|c| c[1].to_string());
                    let above = if i > 0 {
                        yosan_normalize::width::fold_width(&rows[i - 1].text).into_owned()
                    } else {
                        String::new()
                    };
                    let moku_re = re(&MOKU, r"(\d+)\s*目(?:\s|$)");
                    let here = format!("{text} ");
                    let above = format!("{above} ");
                    moku = moku_re
                        .captures(&here)
                        .or_else(|| moku_re.captures(&above))
                        .map(|c| c[1].to_string());
                }
            } else if h.starts_with("事業名称") {
                name = rest.first().map(|c| c.trim().to_string());
                head_end = i + 1;
            }
        }
        let name_printed = name?;
        let name = label(&name_printed);
        let doc_year = ctx.fiscal_year.or(title_year).unwrap_or(0);
        let mut path = Vec::new();
        if let Some(b) = bureau {
            path.push((String::new(), b));
        }
        // The 目次 row of this project gives the 款項目 when the sheet does not print all of it.
        let from_index = index
            .iter()
            .find(|l| l.path.len() >= 3 && l.path[2] == name && !l.is_total)
            .map(|l| (l.path_codes[1].clone(), l.path[1].clone()));
        match (kan, kou, moku) {
            (Some(a), Some(b), Some(c)) => {
                path.push((format!("{a}-{b}-{c}"), format!("{a}款{b}項{c}目")))
            }
            (a, b, _) => {
                let agrees = from_index.as_ref().is_some_and(|(code, _)| {
                    let mut parts = code.split('-');
                    a.as_deref().is_none_or(|x| parts.next() == Some(x))
                        && b.as_deref().is_none_or(|x| parts.next() == Some(x))
                });
                match (&from_index, agrees) {
                    (Some(k), true) => {
                        out.diagnostics.push(located(
                            Diagnostic::info(
                                "yokohama.kanko_from_index",
                                format!(
                                    "{name}: the sheet does not print the whole 歳出予算科目; {} taken from the 目次",
                                    k.1
                                ),
                            ),
                            &rows[0],
                        ));
                        path.push(k.clone());
                    }
                    _ => {
                        let partial: String = [(a, "款"), (b, "項")]
                            .into_iter()
                            .filter_map(|(v, w)| v.map(|v| format!("{v}{w}")))
                            .collect();
                        out.diagnostics.push(located(
                            Diagnostic::warning(
                                "yokohama.kanko_incomplete",
                                format!(
                                    "{name}: 歳出予算科目 incomplete ({}); the path has what is printed",
                                    if partial.is_empty() { "none" } else { &partial }
                                ),
                            ),
                            &rows[0],
                        ));
                        if !partial.is_empty() {
                            path.push((String::new(), partial));
                        }
                    }
                }
            }
        }
        path.push((String::new(), name));
        Some(Sheet {
            rows: &rows[head_end.min(rows.len())..],
            doc_year,
            path,
            name_printed,
            account,
            marks,
        })
    }

    fn emit(
        &self,
        ctx: &DocContext,
        lines: &mut Vec<BudgetLine>,
        index_count: usize,
        out: &mut FamilyOutput,
        tally: &mut Tally,
    ) {
        let funding = self.funding(ctx, lines, tally);
        self.history(ctx, lines, out);
        let details = self.details(ctx, lines, tally);
        // The 細事業合計 repeats the 財源内訳 金額 and 増△減.
        if let (Some(f), Some(d)) = (&funding, &details) {
            for (a, b, what) in [
                (
                    d.total_this,
                    f.amount_this,
                    "細事業合計 = 財源内訳 金額 (this year)",
                ),
                (
                    d.total_last,
                    f.amount_last,
                    "細事業合計 = 財源内訳 金額 (last year)",
                ),
                (
                    d.total_change,
                    f.amount_change,
                    "細事業合計 差引 = 財源内訳 増△減",
                ),
            ] {
                if let (Some(a), Some(b)) = (a, b) {
                    checks::agree(lines, a, b, what, tally);
                }
            }
        }
        // The 目次 row of the same project.
        if let Some(f) = &funding {
            let names: Vec<String> = self.path.iter().map(|(_, n)| n.clone()).collect();
            let find = |measure: &str, fy: i64, lines: &[BudgetLine]| {
                lines[..index_count]
                    .iter()
                    .position(|l| l.path == names && l.measure == measure && l.fiscal_year == fy)
            };
            for (year, amount, parts) in [
                (self.doc_year, f.amount_this, &f.general_and_bonds_this),
                (self.doc_year - 1, f.amount_last, &f.general_and_bonds_last),
            ] {
                if let (Some(a), Some(ix)) = (amount, find("budget", year, lines)) {
                    checks::agree(lines, a, ix, "財源内訳 金額 = 目次 総額", tally);
                }
                if let Some(ix) = find("funding_general_and_bonds", year, lines) {
                    if !parts.is_empty() {
                        checks::sum(
                            lines,
                            Some(ix),
                            parts,
                            "市債+一般財源 of the sheet vs 目次 一財+市債",
                            (0, 0),
                            tally,
                        );
                    }
                }
            }
        }
    }

    /// A budget line of this sheet's project (or of a 細事業 under it).
    fn line(&self, ctx: &DocContext, row: &Row, col: usize) -> BudgetLine {
        let mut line = ctx.line(ID);
        line.document_fiscal_year = self.doc_year;
        if line.account.is_none() {
            line.account = self.account.clone();
        }
        line.path = self.path.iter().map(|(_, n)| n.clone()).collect();
        line.path_codes = self.path.iter().map(|(c, _)| c.clone()).collect();
        line.label_text = self.name_printed.clone();
        line.level = "事業".to_string();
        line.page = row.page.map(|p| p as i32);
        line.sheet = row.sheet.clone();
        line.row = row.line;
        line.column = Some(row.column(col));
        line.marks = self.marks.clone();
        line
    }

    /// The unit stated in the rows just above `at` (`(単位：千円)`), else 千円.
    fn unit_above(&self, at: usize) -> Unit {
        self.rows[at.saturating_sub(3)..=at]
            .iter()
            .rev()
            .find_map(|r| unit_in(&r.text))
            .unwrap_or(Unit::Thousand)
    }

    fn funding(
        &self,
        ctx: &DocContext,
        lines: &mut Vec<BudgetLine>,
        tally: &mut Tally,
    ) -> Option<Funding> {
        let h = self.rows.iter().position(|r| {
            r.cells.iter().any(|c| compact(c) == "区分")
                && r.cells.iter().any(|c| compact(c) == "金額")
        })?;
        let unit = self.unit_above(h);
        let amount_col = self.rows[h]
            .cells
            .iter()
            .position(|c| compact(c) == "金額")?;
        // The funding names are on the header's second row (under 財源内訳), or on its first.
        let mut cols: Vec<(usize, String, &'static str)> = Vec::new();
        let mut data_start = h + 1;
        for hr in [h + 1, h] {
            let Some(r) = self.rows.get(hr) else { continue };
            for (c, cell) in r.cells.iter().enumerate() {
                if c == amount_col {
                    continue;
                }
                if let Some(m) = funding_measure(cell) {
                    cols.push((c, compact(cell), m));
                }
            }
            if !cols.is_empty() {
                data_start = data_start.max(hr + 1);
                break;
            }
        }
        let mut f = Funding::default();
        let mut year_rows: Vec<(i64, Vec<Option<usize>>)> = Vec::new();
        for row in &self.rows[data_start..] {
            let h = head(row);
            let year = parse_fiscal_year(&h, None).map(i64::from);
            let change = h.starts_with("増△減") || h.starts_with("増減");
            if h.starts_with("補助事業") || h.starts_with("単独事業") {
                // The form's breakdown of this year into subsidised and own projects prints only a
                // check cell here; nothing to read.
                continue;
            }
            if year.is_none() && !change {
                break;
            }
            let mut idx = Vec::new();
            let all: Vec<(usize, String, &str)> =
                std::iter::once((amount_col, "金額".to_string(), "budget"))
                    .chain(cols.iter().cloned())
                    .collect();
            for (c, name, measure) in &all {
                let text = row.cell(*c);
                let amount = Amount::read(text, unit).unwrap_or_else(|_| Amount::blank());
                if amount.blank {
                    idx.push(None);
                    continue;
                }
                let mut line = self.line(ctx, row, *c);
                line.unit = amount.unit.unwrap_or(unit).label().to_string();
                line.amount_yen = amount.yen;
                line.amount_text = amount.text.clone();
                if change {
                    line.fiscal_year = self.doc_year;
                    line.measure = "change".to_string();
                    line.measure_label = format!("増△減 {name}");
                } else {
                    line.fiscal_year = year.unwrap_or(self.doc_year);
                    line.measure = measure.to_string();
                    line.measure_label = name.clone();
                }
                line.phase = Phase::Initial;
                idx.push(Some(lines.len()));
                lines.push(line);
            }
            if change {
                f.amount_change = idx[0];
                // 増△減 = this year − last year, per column.
                if year_rows.len() >= 2 {
                    let (this, last) = (&year_rows[0].1, &year_rows[1].1);
                    for (c, r) in idx.iter().enumerate() {
                        let what = format!("増△減 {}", all[c].1);
                        checks::difference(lines, *r, this[c], last[c], &what, tally);
                    }
                }
                break;
            }
            // Σ財源 = 金額.
            let parts: Vec<usize> = idx[1..].iter().flatten().copied().collect();
            checks::sum(lines, idx[0], &parts, "財源内訳", (0, 0), tally);
            let gb: Vec<usize> = cols
                .iter()
                .zip(&idx[1..])
                .filter(|((_, _, m), _)| matches!(*m, "funding_bonds" | "funding_general"))
                .filter_map(|(_, i)| *i)
                .collect();
            let y = year.unwrap_or(self.doc_year);
            if y == self.doc_year {
                f.amount_this = idx[0];
                f.general_and_bonds_this = gb;
            } else if y == self.doc_year - 1 {
                f.amount_last = idx[0];
                f.general_and_bonds_last = gb;
            }
            year_rows.push((y, idx));
        }
        Some(f)
    }

    fn history(&self, ctx: &DocContext, lines: &mut Vec<BudgetLine>, out: &mut FamilyOutput) {
        // The header: a row naming three or more fiscal years, with 歳出 / 予算 / 決算 / 事業費.
        let years_of = |r: &Row| -> Vec<(usize, i64)> {
            r.cells
                .iter()
                .enumerate()
                .filter_map(|(c, t)| {
                    let t = compact(t);
                    (t.ends_with("年度")
                        && !t
                            .chars()
                            .next()
                            .is_some_and(|ch| ch.is_ascii_digit() || ch == '元'))
                    .then(|| parse_fiscal_year(&t, None).map(|y| (c, i64::from(y))))
                    .flatten()
                })
                .collect()
        };
        let Some(h) = self.rows.iter().position(|r| {
            let c = r.compact();
            years_of(r).len() >= 3
                && (c.starts_with("歳出")
                    || c.contains("予算")
                    || c.contains("決算")
                    || c.contains("事業費"))
        }) else {
            return;
        };
        let unit = self.unit_above(h);
        // Merged two-row headers: a later header row names the year of its column.
        let mut year_cols: Vec<(usize, i64)> = years_of(&self.rows[h]);
        let mut data = h + 1;
        while let Some(r) = self.rows.get(data) {
            let ys = years_of(r);
            let has_amount = r.cells.iter().any(|c| is_amount_token(c));
            if ys.is_empty() || has_amount {
                break;
            }
            for (c, y) in ys {
                match year_cols.iter_mut().find(|(cc, _)| *cc == c) {
                    Some(e) => e.1 = y,
                    None => year_cols.push((c, y)),
                }
            }
            data += 1;
        }
        year_cols.sort_unstable();
        let years: Vec<i64> = year_cols.iter().map(|(_, y)| *y).collect();
        // The rows in the form's order.
        const ROLES: [(&str, &str, bool); 4] = [
            ("予算 事業費", "budget", false),
            ("予算 市債+一般財源", "funding_general_and_bonds", false),
            ("決算 事業費", "settled", true),
            ("決算 市債+一般財源", "funding_general_and_bonds", true),
        ];
        let mut role = 0usize;
        let mut reported = false;
        let first_line = lines.len();
        for row in &self.rows[data..] {
            if role >= ROLES.len() {
                break;
            }
            if row.is_blank() {
                continue;
            }
            // A data row holds only amounts and the words of the form's labels.
            let mut amounts: Vec<(usize, &str)> = Vec::new();
            let mut words = String::new();
            for (c, cell) in row.cells.iter().enumerate() {
                let t = cell.trim();
                if t.is_empty() {
                    continue;
                }
                if is_amount_token(t) {
                    amounts.push((c, t));
                } else {
                    words.push_str(&compact(t));
                }
            }
            let label_ok = words
                .replace("市債+一般財源", "")
                .replace("事業費", "")
                .chars()
                .all(|ch| matches!(ch, '予' | '算' | '決' | '歳' | '出'));
            if !label_ok {
                break;
            }
            // A group label merged over its two rows, printed on a line of its own between
            // them (a sheet printed to PDF): no row of the table.
            if amounts.is_empty() && !words.contains("事業費") && !words.contains("市債") {
                continue;
            }
            let (role_label, measure, settled) = ROLES[role];
            role += 1;
            // A printed label naming the other kind of row than its place says.
            let says_total =
                words.contains("事業費") || (words.contains("決算") && !words.contains("市債"));
            let says_general = words.contains("市債+一般財源");
            let contradicts = (role_label.ends_with("事業費") && says_general && !says_total)
                || (role_label.ends_with("一般財源") && says_total && !says_general);
            if contradicts && !reported {
                reported = true;
                out.diagnostics.push(located(
                    Diagnostic::warning(
                        "yokohama.history_labels_out_of_order",
                        format!(
                            "{}: the 歳出 table's row labels are out of the form's order (row read as {role_label} is labelled {words}); rows taken in the form's order, lines marked low confidence",
                            self.path.last().map(|p| p.1.as_str()).unwrap_or("")
                        ),
                    ),
                    row,
                ));
            }
            // Amounts under their year columns, else one per year in order.
            let aligned = !amounts.is_empty()
                && amounts.first().map(|a| a.0) == year_cols.first().map(|y| y.0)
                && amounts
                    .iter()
                    .all(|(c, _)| year_cols.iter().any(|(yc, _)| yc == c));
            let placed: Vec<(usize, &str, i64)> = if aligned {
                amounts
                    .iter()
                    .filter_map(|(c, t)| {
                        year_cols
                            .iter()
                            .find(|(yc, _)| yc == c)
                            .map(|(_, y)| (*c, *t, *y))
                    })
                    .collect()
            } else {
                amounts
                    .iter()
                    .zip(&years)
                    .map(|((c, t), y)| (*c, *t, *y))
                    .collect()
            };
            if !aligned && amounts.len() > years.len() {
                out.diagnostics.push(located(
                    Diagnostic::warning(
                        "yokohama.history_extra_amounts",
                        format!(
                            "{role_label}: {} amounts for {} years; the extra amounts were not read",
                            amounts.len(),
                            years.len()
                        ),
                    ),
                    row,
                ));
            }
            if !aligned && !settled && !amounts.is_empty() && amounts.len() < years.len() {
                let missing: Vec<String> = years[amounts.len()..]
                    .iter()
                    .map(|y| format!("FY{y}"))
                    .collect();
                out.diagnostics.push(located(
                    Diagnostic::warning(
                        "yokohama.history_short_row",
                        format!(
                            "{} {role_label}: {} amounts for {} years; taken in order, so {} printed none here and got no line",
                            self.path.last().map(|p| p.1.as_str()).unwrap_or(""),
                            amounts.len(),
                            years.len(),
                            missing.join(", ")
                        ),
                    ),
                    row,
                ));
            }
            for (c, text, year) in placed {
                let amount = match Amount::read(text, unit) {
                    Ok(a) if !a.blank => a,
                    _ => continue,
                };
                let mut line = self.line(ctx, row, c);
                line.fiscal_year = year;
                line.measure = measure.to_string();
                line.measure_label = role_label.to_string();
                line.phase = if settled {
                    Phase::Settled
                } else if year <= self.doc_year {
                    Phase::Initial
                } else {
                    Phase::Forecast
                };
                line.amount_yen = amount.yen;
                line.amount_text = amount.text.clone();
                line.unit = amount.unit.unwrap_or(unit).label().to_string();
                lines.push(line);
            }
        }
        // Rows placed against their printed labels: the whole table's attribution is inferred.
        if reported {
            for l in &mut lines[first_line..] {
                l.confidence = "low".to_string();
            }
        }
    }

    fn details(
        &self,
        ctx: &DocContext,
        lines: &mut Vec<BudgetLine>,
        tally: &mut Tally,
    ) -> Option<Details> {
        let h = self
            .rows
            .iter()
            .position(|r| r.cells.iter().any(|c| compact(c).contains("細事業名称")))?;
        let header = &self.rows[h];
        let unit = self.unit_above(h);
        let era = era_of_year(self.doc_year as i32);
        let mut year_cols = Vec::new();
        let mut name_col = None;
        let mut change_label = "差引".to_string();
        for (c, cell) in header.cells.iter().enumerate() {
            let t = compact(cell);
            if t.contains("細事業名称") {
                name_col = Some(c);
            } else if t.ends_with("年度") {
                if let Some(y) = parse_fiscal_year(&t, Some(era)) {
                    year_cols.push((c, i64::from(y), t));
                }
            } else if (t.starts_with("差引") || t.starts_with("増減") || t.starts_with("増△減"))
                && !t.contains("説明")
            {
                change_label = t;
            }
        }
        if year_cols.len() < 2 {
            return None;
        }
        // Empty header cells between 細事業名称 and the first year: a merged name column.
        let gap = name_col.filter(|&n| n < year_cols[0].0).map_or(0, |n| {
            header.cells[n + 1..year_cols[0].0]
                .iter()
                .filter(|c| c.trim().is_empty())
                .count()
        });
        let (this, last) = (&year_cols[0], &year_cols[1]);
        let columns = vec![
            ColumnSpec {
                measure: "budget".into(),
                label: this.2.clone(),
                fiscal_year: this.1,
                phase: Phase::Initial,
                source_column: None,
            },
            ColumnSpec {
                measure: "budget".into(),
                label: last.2.clone(),
                fiscal_year: last.1,
                phase: Phase::Initial,
                source_column: None,
            },
            ColumnSpec {
                measure: "change".into(),
                label: change_label,
                fiscal_year: this.1,
                phase: Phase::Initial,
                source_column: None,
            },
        ];
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        let mut cells_at = Vec::new();
        let mut source_rows = Vec::new();
        for row in &self.rows[h + 1..] {
            let Some(first) = row.first_filled() else {
                continue;
            };
            let c = compact(row.cell(first));
            if c.starts_with("本資料") {
                break;
            }
            let total = c.contains("合計");
            // The label: a numbering cell (①) and the name after it, or one cell with both.
            let (code, name, name_at) = if total {
                (None, "細事業合計".to_string(), first)
            } else {
                let (code, rest) = split_numbering(row.cell(first));
                if rest.is_empty() {
                    let Some(n) =
                        (first + 1..row.cells.len()).find(|&i| !row.cell(i).trim().is_empty())
                    else {
                        continue;
                    };
                    if is_amount_token(row.cell(n)) {
                        continue;
                    }
                    (code, label(row.cell(n)), n)
                } else if code.is_some() {
                    (code, rest, first)
                } else {
                    break;
                }
            };
            let after: Vec<usize> = (name_at + 1..row.cells.len()).collect();
            let amount_cells: Vec<usize> = after
                .iter()
                .copied()
                .filter(|&i| is_amount_token(row.cell(i)))
                .collect();
            let slots: Vec<Option<usize>> = if amount_cells.len() == 3 {
                amount_cells.iter().map(|&i| Some(i)).collect()
            } else {
                let skip = if after
                    .iter()
                    .take(gap)
                    .all(|&i| row.cell(i).trim().is_empty())
                {
                    gap
                } else {
                    0
                };
                (0..3).map(|k| after.get(skip + k).copied()).collect()
            };
            let amounts: Vec<Amount> = slots
                .iter()
                .map(|s| {
                    s.map(|i| Amount::read(row.cell(i), unit).unwrap_or_else(|_| Amount::blank()))
                        .unwrap_or_else(Amount::blank)
                })
                .collect();
            let note = after
                .iter()
                .filter(|i| !slots.contains(&Some(**i)))
                .map(|&i| row.cell(i).trim())
                .filter(|t| !t.is_empty() && !is_amount_token(t))
                .collect::<Vec<_>>()
                .join(" ");
            let label_text = if total {
                row.cell(first).trim().to_string()
            } else {
                [
                    code.clone().unwrap_or_default(),
                    row.cell(name_at).trim().to_string(),
                ]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
            };
            rows.push(HierRow {
                code,
                name,
                label_text,
                depth: 0,
                level: if total { "合計" } else { "細事業" }.to_string(),
                kind: if total { RowKind::Total } else { RowKind::Item },
                amounts,
                location: row.location(),
            });
            notes.push(note);
            cells_at.push(slots);
            source_rows.push(row);
            if total {
                break;
            }
        }
        if rows.is_empty() {
            return None;
        }
        let table = HierTable {
            prefix: self.path.clone(),
            columns,
            rows,
            differences: vec![Difference {
                result: 2,
                minuend: 0,
                subtrahend: 1,
            }],
            unit: Some(unit),
            confidence: "high",
        };
        let (mut emitted, report) = table.emit(ctx, ID);
        tally.ok += report.ok;
        tally.mismatches.extend(report.mismatches);
        // Emitted lines follow the rows and their non-blank cells in order: give each its cell,
        // the note of its row and the sheet's facts.
        let mut k = 0;
        let mut d = Details::default();
        for (r, row) in table.rows.iter().enumerate() {
            for (c, a) in row.amounts.iter().enumerate() {
                if a.blank {
                    continue;
                }
                let line = &mut emitted[k];
                k += 1;
                line.document_fiscal_year = self.doc_year;
                if line.account.is_none() {
                    line.account = self.account.clone();
                }
                if let Some(i) = cells_at[r][c] {
                    line.column = Some(source_rows[r].column(i));
                }
                if !notes[r].is_empty() {
                    line.note = Some(notes[r].clone());
                }
                if row.kind == RowKind::Total {
                    let at = Some(lines.len() + k - 1);
                    match c {
                        0 => d.total_this = at,
                        1 => d.total_last = at,
                        _ => d.total_change = at,
                    }
                }
            }
        }
        lines.extend(emitted);
        Some(d)
    }
}

/// The 財源内訳 lines a sheet wrote, by index.
#[derive(Debug, Default)]
struct Funding {
    amount_this: Option<usize>,
    amount_last: Option<usize>,
    amount_change: Option<usize>,
    general_and_bonds_this: Vec<usize>,
    general_and_bonds_last: Vec<usize>,
}

/// The 細事業合計 lines, by index.
#[derive(Debug, Default)]
struct Details {
    total_this: Option<usize>,
    total_last: Option<usize>,
    total_change: Option<usize>,
}

/// The measure of a 財源内訳 column header (国, 県, 諸収入, 財産収入, 市債, 一般財源 ...).
fn funding_measure(header: &str) -> Option<&'static str> {
    let entry = yosan_schemas::lookup_header(header)?;
    let m = entry.measure.as_str();
    m.starts_with("funding_").then_some(match m {
        "funding_national" => "funding_national",
        "funding_prefectural" => "funding_prefectural",
        "funding_national_prefectural" => "funding_national_prefectural",
        "funding_bonds" => "funding_bonds",
        "funding_other" => "funding_other",
        "funding_general" => "funding_general",
        "funding_general_and_bonds" => "funding_general_and_bonds",
        _ => return None,
    })
}

/// The words after a checked box in a 新規拡充 cell (`☐ 新規 ☑ 拡充` → 拡充).
pub fn checked_marks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut checked = false;
    for w in text.split_whitespace() {
        let (box_, rest) = match w.chars().next() {
            Some(c @ ('☑' | '☒' | '■' | '☐' | '□')) => (Some(c), &w[c.len_utf8()..]),
            _ => (None, w),
        };
        if let Some(b) = box_ {
            checked = matches!(b, '☑' | '☒' | '■');
        }
        let word = if rest.is_empty() { continue } else { rest };
        if checked && matches!(word, "新規" | "拡充") {
            out.push(word.to_string());
        }
        if box_.is_none() {
            checked = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_boxes_give_marks() {
        assert_eq!(
            checked_marks("新規拡充 ☐ 新規 ☑ 拡充 事業評価書番号"),
            vec!["拡充"]
        );
        assert_eq!(checked_marks("☑新規 ☐拡充"), vec!["新規"]);
        assert!(checked_marks("☐ 新規 ☐ 拡充").is_empty());
    }
}
