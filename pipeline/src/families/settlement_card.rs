//! 決算カード: 総務省's one-sheet summary of a body's settled accounts (都道府県決算カード), one
//! sheet per body in a workbook that also holds a 目次 sheet.
//!
//! A card is not a table but several blocks side by side on one sheet, with hundreds of merged
//! cells. Each block is found by its printed labels, never by cell address: sheet names, the
//! grid's origin and size drift between years.
//!
//! | block | found by | lines |
//! |---|---|---|
//! | 歳入の状況 | title `歳入の状況`, the `区分` header below it | revenue: 決算額 → `settled`, 経常一般財源等 → `recurring_general` |
//! | 道府県税の状況 | title `…税の状況`, its `区分` header | revenue: 収入済額 → `settled`, 超過課税分 → `part` |
//! | 性質別歳出の状況 | title, its `区分` header | expenditure: 決算額 → `settled`, 充当一般財源等 → `funding_general`, 経常経費充当一般財源等 → `recurring_general`; the 経常経費充当一般財源等計 and 歳入一般財源等 figures printed below that column |
//! | 目的別歳出の状況 | title, its `区分` header | expenditure: 決算額(A) → `settled`, (A)のうち普通建設事業費 → `part`, (A)の充当一般財源等 → `funding_general` |
//! | 収支状況 | the title `収支状況` beside a `区分` header whose columns name fiscal years | 歳入総額 / 歳出総額 / 積立金 / 繰上償還金 / 積立金取崩し額 → `settled`; 歳入歳出差引, 翌年度に繰り越すべき財源, 実質収支, 単年度収支, 実質単年度収支 → `balance` (direction `revenue`: a surplus is revenue carried into the next year); one line per year column (the card's year and the year before), `measure_label` the row's name (the column headers only name the year) |
//!
//! In a tabular block, a column is a header cell in the `区分` row under which the data rows hold
//! numbers; its amounts are the cells whose merged range overlaps the header's columns. A row's
//! label is its rightmost label cell; a label cell merged over several rows (`元利償還金` over
//! 元金 and 利子) names a group that appears in the path of the rows it covers; `内訳` and
//! brackets are decoration. Nesting follows the column a label starts in. `…合計` closes the
//! block (a total of its top-level items), `うち…` rows are parts of the row above them (kept out
//! of every sum), a bracketed `（一般財源計）` is a subtotal of the top-level items above it. A text
//! cell inside an amount column ends that column for the block: what follows below it is a small
//! captioned figure (`経常経費充当一般財源等計` with its amount and unit), read as such.
//!
//! Every line carries the sheet's jurisdiction (the `都道府県名` cell, else the sheet name, through
//! the registry: 神奈川県 → 140007), the card's fiscal year (`平成27年度` → 2015), phase `settled`.
//! Amounts are in the unit of the block's caption (`（単位：千円・％）`) or column header
//! (`平成27年度(千円)`), 千円 with a `settlement_card.unit_assumed` diagnostic when neither says.
//!
//! Checks, written to the lines' `check` and, when they fail, to `check.mismatch` diagnostics:
//! children add up to their parent and 合計 rows to the top-level items (each block, each column);
//! `（一般財源計）` to the items above it; 経常経費充当一般財源等計 to its column; in 収支状況, per year:
//! 歳入歳出差引 = 歳入総額 − 歳出総額, 実質収支 = 歳入歳出差引 − 翌年度に繰り越すべき財源,
//! 実質単年度収支 = 単年度収支 + 積立金 + 繰上償還金 − 積立金取崩し額, and 単年度収支 = 実質収支 −
//! the year before's; across blocks: 収支状況 歳入総額 = 歳入の状況 歳入合計, 歳出総額 = each 歳出
//! block's 歳出合計. (道府県税 合計 is not checked against 歳入 地方税: on 東京都's card 地方税 also
//! holds the municipal taxes levied in the special wards, which the tax block does not list.)
//!
//! Not read, because they are not budget lines: 構成比 and every other percentage or ratio
//! (経常収支比率, the 財政指標: 財政力指数, 実質収支比率, 健全化判断比率 ...); the standardised
//! amounts of the 財政指標 block (基準財政収入額, 基準財政需要額, 標準税収入額等, 標準財政規模),
//! which are computed for the 地方交付税 formula and are neither revenue received nor expenditure
//! made; the year-end stocks (積立金現在高, 地方債現在高, 債務負担行為額), which are balances, not
//! flows of the year; staff numbers and salaries; population and area.

use super::common::{compact, label};
use super::{Family, FamilyOutput};
use crate::context::{DocContext, JurisdictionRef};
use crate::model::{BudgetLine, Check, Direction, Phase};
use crate::table::{Amount, ColumnSpec, HierRow, HierTable, Location, RowKind};
use std::collections::{BTreeSet, HashMap};
use yosan_extractors::{CellValue, Diagnostic, Document, Grid};
use yosan_normalize::amount::Unit;
use yosan_normalize::era::{find_fiscal_years, parse_fiscal_year};

pub struct SettlementCard;

const ID: &str = "settlement_card";

impl Family for SettlementCard {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "a sheet holding the blocks 歳入の状況 and 収支状況 (総務省 決算カード)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        doc.grids.iter().any(is_card)
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        let mut cards = 0;
        for grid in &doc.grids {
            if !is_card(grid) {
                continue;
            }
            cards += 1;
            let card = Card::new(grid);
            card.parse(ctx, &mut out);
        }
        if cards == 0 {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "no sheet holds the blocks of a 決算カード (歳入の状況, 収支状況)",
            ));
        }
        out
    }
}

/// True when the grid holds a 歳入の状況 block and a 収支状況 block.
fn is_card(grid: &Grid) -> bool {
    let (mut revenue, mut balance) = (false, false);
    for cell in grid.rows.iter().flatten() {
        if cell.text.is_empty() {
            continue;
        }
        match BlockKind::of_title(&compact(&cell.text)) {
            Some(BlockKind::Revenue) => revenue = true,
            Some(BlockKind::Balance) => balance = true,
            _ => {}
        }
        if revenue && balance {
            return true;
        }
    }
    false
}

/// The blocks of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// 歳入の状況
    Revenue,
    /// 道府県税の状況 (都税, 市町村税 ... on other cards)
    Tax,
    /// 性質別歳出の状況
    ByType,
    /// 目的別歳出の状況
    ByPurpose,
    /// 収支状況
    Balance,
}

impl BlockKind {
    /// The block a title names. A caption may follow the title in its cell
    /// (`歳入の状況（単位：千円・％）`).
    fn of_title(key: &str) -> Option<BlockKind> {
        let key = match key.find(['(', '（']) {
            Some(at) if at > 0 => &key[..at],
            _ => key,
        };
        if key == "収支状況" {
            return Some(BlockKind::Balance);
        }
        let stem = key.strip_suffix("の状況")?;
        match stem {
            "歳入" => Some(BlockKind::Revenue),
            "性質別歳出" => Some(BlockKind::ByType),
            "目的別歳出" => Some(BlockKind::ByPurpose),
            s if s.ends_with('税') && s.chars().count() <= 6 => Some(BlockKind::Tax),
            _ => None,
        }
    }

    fn direction(self) -> Direction {
        match self {
            BlockKind::Revenue | BlockKind::Tax | BlockKind::Balance => Direction::Revenue,
            BlockKind::ByType | BlockKind::ByPurpose => Direction::Expenditure,
        }
    }
}

/// A non-empty cell with the range it covers (its merged range, or itself), in grid coordinates.
#[derive(Debug, Clone)]
struct Item {
    r0: usize,
    c0: usize,
    r1: usize,
    c1: usize,
    /// As printed, trimmed.
    text: String,
    /// Width folded, white space removed.
    key: String,
    number: bool,
}

impl Item {
    fn overlap(&self, c0: usize, c1: usize) -> usize {
        let lo = self.c0.max(c0);
        let hi = self.c1.min(c1);
        if hi >= lo {
            hi - lo + 1
        } else {
            0
        }
    }
}

/// `内訳`, braces and lone brackets: printed to group rows visually, never names.
fn is_decoration(key: &str) -> bool {
    key == "内訳"
        || key.chars().all(|c| {
            matches!(
                c,
                '{' | '}' | '｛' | '｝' | '(' | ')' | '（' | '）' | '[' | ']'
            )
        })
}

/// A unit or percent sign printed beside a figure (`千円`, `％`, `％）`).
fn is_unit_mark(key: &str) -> bool {
    let k = key.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
    k.is_empty() || matches!(k, "%" | "％") || Unit::from_label(k).is_some()
}

/// The unit named in brackets inside a header (`平成27年度(千円)`), or by a caption.
fn unit_of_header(key: &str) -> Option<Unit> {
    if let Some(u) = Unit::from_caption(key) {
        return Some(u);
    }
    let open = key.find('(')?;
    let close = key[open..].find(')')? + open;
    Unit::from_label(&key[open + 1..close])
}

/// What an amount column of a tabular block measures.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Money(String),
    /// Percentages and ratios (構成比, 経常収支比率): not money.
    NotMoney,
}

fn role_of(key: &str) -> Option<Role> {
    if let Some(h) = yosan_schemas::lookup_header(key) {
        return Some(Role::Money(h.measure.clone()));
    }
    if key.contains('比') || key.contains('率') || key.contains("指数") {
        return Some(Role::NotMoney);
    }
    None
}

/// The rows of 収支状況 and what each measures.
fn balance_row(key: &str) -> Option<(&'static str, Direction)> {
    Some(match key {
        "歳入総額" => ("settled", Direction::Revenue),
        "歳出総額" => ("settled", Direction::Expenditure),
        "積立金" | "繰上償還金" => ("settled", Direction::Expenditure),
        "積立金取崩し額" | "積立金取崩額" => ("settled", Direction::Revenue),
        "歳入歳出差引"
        | "歳入歳出差引額"
        | "形式収支"
        | "翌年度に繰り越すべき財源"
        | "実質収支"
        | "単年度収支"
        | "実質単年度収支" => ("balance", Direction::Revenue),
        _ => return None,
    })
}

/// Spreadsheet column letters of a 0-based column (`0` → `A`, `26` → `AA`).
fn col_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn fmt_yen(v: i64) -> String {
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A column of a tabular block.
#[derive(Debug, Clone)]
struct Header {
    c0: usize,
    c1: usize,
    key: String,
    role: Role,
}

/// A captioned single figure printed inside an amount column (`経常経費充当一般財源等計`, value
/// below, unit beside it).
#[derive(Debug, Clone)]
struct Figure {
    caption: String,
    value: Item,
    unit: Unit,
}

/// One data row of a tabular block before it becomes a [`HierRow`].
#[derive(Debug, Clone)]
struct CardRow {
    r: usize,
    label: Item,
    groups: Vec<String>,
    kind: RowKind,
    /// One per money column: the cell read there.
    cells: Vec<Option<Item>>,
}

/// A sheet read as a card.
struct Card<'a> {
    grid: &'a Grid,
    sheet: String,
    items: Vec<Item>,
}

/// A line of a check: (block, row name, fiscal year, measure).
type Term<'a> = (&'a str, &'a str, i64, &'a str);

/// Budget lines of one sheet, with the bookkeeping the cross-block checks need.
#[derive(Default)]
struct SheetLines {
    lines: Vec<BudgetLine>,
    /// (block name, row name) of every row read, amounts or not.
    rows: BTreeSet<(String, String)>,
    checks_ok: usize,
    mismatches: Vec<String>,
}

impl SheetLines {
    /// The indices of the lines with this block, row name, fiscal year and measure.
    fn find(&self, block: &str, name: &str, fy: i64, measure: &str) -> Vec<usize> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.path.first().map(String::as_str) == Some(block)
                    && l.path.last().map(String::as_str) == Some(name)
                    && l.fiscal_year == fy
                    && l.measure == measure
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The amount of a term of a check: `Some(0)` for a row printed without an amount (blank or
    /// `-`) in that column; `None` when the row is not on the card or is ambiguous.
    fn term(
        &self,
        block: &str,
        name: &str,
        fy: i64,
        measure: &str,
    ) -> Option<(Option<usize>, i64)> {
        let found = self.find(block, name, fy, measure);
        match found.as_slice() {
            [i] => Some((Some(*i), self.lines[*i].amount_yen.unwrap_or(0))),
            [] if self.rows.contains(&(block.to_string(), name.to_string())) => Some((None, 0)),
            _ => None,
        }
    }

    /// Checks `result = Σ sign × term` and records the outcome on every line involved.
    fn check(&mut self, result: Term<'_>, terms: &[(i64, Term<'_>)]) {
        let (rb, rn, ry, rm) = result;
        let found = self.find(rb, rn, ry, rm);
        let &[r] = found.as_slice() else {
            return;
        };
        let Some(expected) = self.lines[r].amount_yen else {
            return;
        };
        let mut sum = 0i64;
        let mut involved = vec![r];
        let mut expr = String::new();
        for (k, &(sign, (b, n, y, m))) in terms.iter().enumerate() {
            let Some((idx, v)) = self.term(b, n, y, m) else {
                return;
            };
            let Some(s) = v.checked_mul(sign).and_then(|v| sum.checked_add(v)) else {
                return;
            };
            sum = s;
            involved.extend(idx);
            let op = match (k, sign < 0) {
                (0, false) => "",
                (0, true) => "−",
                (_, false) => " + ",
                (_, true) => " − ",
            };
            let which = if b == rb {
                n.to_string()
            } else {
                format!("{b} {n}")
            };
            let year = if y != ry {
                format!(" ({y})")
            } else {
                String::new()
            };
            expr.push_str(&format!("{op}{which}{year}"));
        }
        let ok = sum == expected;
        let detail = format!(
            "{rn} {} {} {expr} ({})",
            fmt_yen(expected),
            if ok { "=" } else { "≠" },
            fmt_yen(sum)
        );
        for i in involved {
            record(&mut self.lines[i], ok, &detail);
        }
        if ok {
            self.checks_ok += 1;
        } else {
            self.mismatches.push(detail);
        }
    }
}

/// Adds one check's outcome to a line: ok never overrides a mismatch.
fn record(line: &mut BudgetLine, ok: bool, detail: &str) {
    if ok {
        if line.check != Check::Mismatch {
            line.check = Check::Ok;
        }
    } else {
        line.check = Check::Mismatch;
    }
    line.check_detail = Some(match line.check_detail.take() {
        Some(d) => format!("{d}; {detail}"),
        None => detail.to_string(),
    });
}

impl<'a> Card<'a> {
    fn new(grid: &'a Grid) -> Card<'a> {
        let merged: HashMap<(u32, u32), (u32, u32)> = grid
            .merged
            .iter()
            .map(|m| ((m.first_row, m.first_col), (m.last_row, m.last_col)))
            .collect();
        let mut items = Vec::new();
        for (r, row) in grid.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let text = cell.text.trim();
                if text.is_empty() {
                    continue;
                }
                let (r1, c1) = merged
                    .get(&(r as u32, c as u32))
                    .map_or((r, c), |&(lr, lc)| (lr as usize, lc as usize));
                items.push(Item {
                    r0: r,
                    c0: c,
                    r1: r1.max(r),
                    c1: c1.max(c),
                    text: text.to_string(),
                    key: compact(text),
                    number: matches!(cell.value, CellValue::Number(_)),
                });
            }
        }
        Card {
            grid,
            sheet: grid.sheet.clone().unwrap_or_else(|| grid.name.clone()),
            items,
        }
    }

    fn sheet_row(&self, r: usize) -> i32 {
        (self.grid.origin.0 as usize + r + 1) as i32
    }

    fn sheet_col(&self, c: usize) -> i32 {
        (self.grid.origin.1 as usize + c + 1) as i32
    }

    fn addr(&self, it: &Item) -> String {
        format!(
            "cell {}{}",
            col_letters(self.grid.origin.1 + it.c0 as u32),
            self.grid.origin.0 as usize + it.r0 + 1
        )
    }

    fn diag(&self, d: Diagnostic) -> Diagnostic {
        d.on_sheet(self.sheet.clone())
    }

    /// The body the card is about: the cell beside `都道府県名` (or `団体名`), else the sheet name.
    fn jurisdiction(&self, out: &mut FamilyOutput) -> Option<JurisdictionRef> {
        let reg = yosan_schemas::registry();
        let find = |text: &str| {
            reg.find_in_text(text)
                .into_iter()
                .next()
                .map(|j| JurisdictionRef {
                    code: j.code.clone(),
                    name: j.name.clone(),
                })
        };
        let mut from_cell = None;
        if let Some(lab) = self
            .items
            .iter()
            .find(|i| i.key == "都道府県名" || i.key == "団体名")
        {
            let mut beside: Vec<&Item> = self
                .items
                .iter()
                .filter(|i| i.r0 >= lab.r0 && i.r0 <= lab.r1 && i.c0 > lab.c1 && !i.number)
                .collect();
            beside.sort_by_key(|i| i.c0);
            from_cell = beside.iter().take(3).find_map(|i| find(&i.text));
        }
        let from_name = find(&self.sheet);
        match (from_cell, from_name) {
            (Some(a), Some(b)) if a != b => {
                out.diagnostics.push(self.diag(Diagnostic::warning(
                    "settlement_card.jurisdiction_conflict",
                    format!(
                        "the card names {} but the sheet is called {:?}; the card's name is used",
                        a.name, self.sheet
                    ),
                )));
                Some(a)
            }
            (Some(a), _) => Some(a),
            (None, b) => b,
        }
    }

    /// The card's fiscal year: the first cell that is a fiscal year alone (`平成２７年度`).
    fn fiscal_year(&self) -> Option<i64> {
        let mut order: Vec<&Item> = self.items.iter().filter(|i| !i.number).collect();
        order.sort_by_key(|i| (i.r0, i.c0));
        order
            .iter()
            .find_map(|i| parse_fiscal_year(&i.key, None))
            .map(i64::from)
    }

    fn titles(&self) -> Vec<(usize, BlockKind)> {
        self.items
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.number)
            .filter_map(|(k, i)| BlockKind::of_title(&i.key).map(|b| (k, b)))
            .collect()
    }

    fn parse(&self, ctx: &DocContext, out: &mut FamilyOutput) {
        let Some(jurisdiction) = self.jurisdiction(out) else {
            out.diagnostics.push(self.diag(Diagnostic::error(
                "settlement_card.jurisdiction_unknown",
                format!(
                    "sheet {:?}: no known body named on the card or in the sheet name; the card is skipped",
                    self.sheet
                ),
            )));
            return;
        };
        let Some(year) = self.fiscal_year().or(ctx.fiscal_year) else {
            out.diagnostics.push(self.diag(Diagnostic::error(
                "settlement_card.fiscal_year_unknown",
                format!(
                    "sheet {:?}: the card names no fiscal year; the card is skipped",
                    self.sheet
                ),
            )));
            return;
        };
        let mut sctx = ctx.clone();
        sctx.jurisdiction = Some(jurisdiction);
        sctx.fiscal_year = Some(year);
        sctx.phase = Some(Phase::Settled);

        let titles = self.titles();
        let mut sheet = SheetLines::default();
        for &(t, kind) in &titles {
            let mut bctx = sctx.clone();
            bctx.direction = Some(kind.direction());
            match kind {
                BlockKind::Balance => {
                    self.read_balance(&self.items[t], &bctx, year, &mut sheet, out)
                }
                _ => self.read_tabular(&self.items[t], &titles, &bctx, year, &mut sheet, out),
            }
        }
        self.cross_checks(year, &mut sheet);
        out.checks_ok += sheet.checks_ok;
        out.checks_mismatch += sheet.mismatches.len();
        for m in sheet.mismatches {
            out.diagnostics.push(self.diag(Diagnostic::warning(
                "check.mismatch",
                format!("{}: {m}", self.sheet),
            )));
        }
        out.lines.extend(sheet.lines);
    }

    /// The name a block's lines start their path with.
    fn block_name(title: &Item) -> String {
        let name = label(&title.text);
        let mut compact_name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(at) = compact_name.find(['(', '（']).filter(|&at| at > 0) {
            compact_name.truncate(at);
        }
        compact_name
            .strip_suffix("の状況")
            .map(str::to_string)
            .unwrap_or(compact_name)
    }

    /// The unit of a block: a caption in the title's rows to the right of the title.
    fn block_unit(&self, title: &Item, right: usize) -> Option<Unit> {
        if title.key.contains("単位") {
            return Unit::from_caption(&title.key);
        }
        self.items
            .iter()
            .filter(|i| i.r0 <= title.r1 && i.r1 >= title.r0 && i.c0 > title.c1 && i.c0 < right)
            .filter(|i| i.key.contains("単位"))
            .min_by_key(|i| i.c0)
            .and_then(|i| Unit::from_caption(&i.key))
    }

    fn read_tabular(
        &self,
        title: &Item,
        titles: &[(usize, BlockKind)],
        ctx: &DocContext,
        year: i64,
        sheet: &mut SheetLines,
        out: &mut FamilyOutput,
    ) {
        let block = Self::block_name(title);
        // The 区分 header cell: just below the title, nearest its first column.
        let Some(kubun) = self
            .items
            .iter()
            .filter(|i| {
                i.key == "区分"
                    && i.r0 > title.r1
                    && i.r0 <= title.r1 + 4
                    && i.c0 <= title.c1
                    && i.c0 + 12 >= title.c0
            })
            .min_by_key(|i| (i.r0, i.c0.abs_diff(title.c0)))
        else {
            out.diagnostics.push(
                self.diag(
                    Diagnostic::warning(
                        "settlement_card.block_unreadable",
                        format!("{block}: no 区分 header below the title"),
                    )
                    .at(self.addr(title)),
                ),
            );
            return;
        };
        let (hr0, hr1) = (kubun.r0, kubun.r1);
        let in_header_rows = |i: &Item| i.r0 <= hr1 && i.r1 >= hr0;
        // The block ends at the next block to the right: another 区分 header in these rows or a
        // block title beside them.
        let right = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| in_header_rows(i) && i.c0 > kubun.c1)
            .filter(|(k, i)| i.key == "区分" || titles.iter().any(|(t, _)| t == k))
            .map(|(_, i)| i.c0)
            .min()
            .unwrap_or(usize::MAX);
        // ... and starts after the cells of the block to its left in the header rows.
        let left = self
            .items
            .iter()
            .filter(|i| in_header_rows(i) && i.c1 < kubun.c0)
            .map(|i| i.c1 + 1)
            .max()
            .unwrap_or(0);
        let unit = match self.block_unit(title, right) {
            Some(u) => u,
            None => {
                out.diagnostics.push(self.diag(Diagnostic::info(
                    "settlement_card.unit_assumed",
                    format!("{block}: no unit caption; amounts read as 千円"),
                )));
                Unit::Thousand
            }
        };
        // The data rows: below the header until a row holding another 区分 header or title in
        // the block's columns (the row of a 合計 ends the block too).
        let last_row = self.grid.rows.len();
        let in_block = |i: &Item| i.c0 >= left && i.c0 < right;
        let mut end = last_row;
        for r in hr1 + 1..last_row {
            if self.items.iter().enumerate().any(|(k, i)| {
                i.r0 == r && in_block(i) && (i.key == "区分" || titles.iter().any(|(t, _)| *t == k))
            }) {
                end = r;
                break;
            }
        }
        // Candidate headers: text in the header rows whose columns hold numbers below.
        let mut cands: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| in_header_rows(i) && i.c0 > kubun.c1 && i.c0 < right && !i.number)
            .collect();
        cands.sort_by_key(|i| i.c0);
        let mut headers: Vec<Header> = Vec::new();
        for h in cands {
            let below: Vec<&Item> = self
                .items
                .iter()
                .filter(|i| {
                    i.r0 > hr1 && i.r0 <= hr1 + 6 && i.r0 < end && i.overlap(h.c0, h.c1) > 0
                })
                .collect();
            let numeric = below
                .iter()
                .filter(|i| {
                    i.number || matches!(Amount::read(&i.text, Unit::Yen), Ok(a) if !a.blank)
                })
                .count();
            if below.is_empty() || numeric * 2 <= below.len() {
                continue;
            }
            match role_of(&h.key) {
                Some(role) => headers.push(Header {
                    c0: h.c0,
                    c1: h.c1,
                    key: h.key.clone(),
                    role,
                }),
                None => out.diagnostics.push(self.diag(
                    Diagnostic::warning(
                        "settlement_card.column_unknown",
                        format!("{block}: column {:?} is not a known amount header; its figures are not read", h.text),
                    )
                    .at(self.addr(h)),
                )),
            }
        }
        let Some(first_header) = headers.iter().map(|h| h.c0).min() else {
            out.diagnostics.push(
                self.diag(
                    Diagnostic::warning(
                        "settlement_card.block_unreadable",
                        format!("{block}: no amount columns under the 区分 header"),
                    )
                    .at(self.addr(kubun)),
                ),
            );
            return;
        };
        let header_of = |i: &Item| -> Option<usize> {
            headers
                .iter()
                .enumerate()
                .map(|(k, h)| (i.overlap(h.c0, h.c1), k))
                .filter(|(o, _)| *o > 0)
                .max()
                .map(|(_, k)| k)
        };
        let is_label = |i: &Item| {
            !i.number
                && i.c0 >= left
                && i.c0 < first_header
                && header_of(i).is_none()
                && !is_decoration(&i.key)
                && BlockKind::of_title(&i.key).is_none()
        };
        let money: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| matches!(h.role, Role::Money(_)))
            .map(|(k, _)| k)
            .collect();

        let mut closed = vec![false; headers.len()];
        let mut captions: Vec<&Item> = Vec::new();
        let mut rows: Vec<CardRow> = Vec::new();
        for r in hr1 + 1..end {
            let mut here: Vec<&Item> = self
                .items
                .iter()
                .filter(|i| i.r0 == r && is_label(i))
                .collect();
            here.sort_by_key(|i| i.c0);
            let mut cells: Vec<Option<Item>> = vec![None; money.len()];
            for i in self.items.iter().filter(|i| i.r0 == r && in_block(i)) {
                let Some(h) = header_of(i) else { continue };
                let is_amount = i.number || Amount::read(&i.text, unit).is_ok();
                if !is_amount {
                    let has_digit = i.key.chars().any(|c| c.is_ascii_digit());
                    if !has_digit && !is_unit_mark(&i.key) && !is_decoration(&i.key) {
                        // A caption: the column ends here for the block.
                        for (k, hd) in headers.iter().enumerate() {
                            if i.overlap(hd.c0, hd.c1) > 0 {
                                closed[k] = true;
                            }
                        }
                        captions.push(i);
                    }
                    continue;
                }
                if closed[h] {
                    continue;
                }
                if let Some(m) = money.iter().position(|&k| k == h) {
                    if cells[m].is_some() {
                        out.diagnostics.push(self.diag(
                            Diagnostic::warning(
                                "settlement_card.cell_ambiguous",
                                format!("{block}: two figures under {:?} in one row; the first is kept", headers[h].key),
                            )
                            .at(self.addr(i)),
                        ));
                    } else {
                        cells[m] = Some(i.clone());
                    }
                }
            }
            let Some(row_label) = here.last().copied() else {
                if let Some(c) = cells.iter().flatten().next() {
                    out.diagnostics.push(
                        self.diag(
                            Diagnostic::error(
                                "settlement_card.unlabelled_amount",
                                format!(
                                    "{block}: {:?} has no row label; the row is not read",
                                    c.text
                                ),
                            )
                            .at(self.addr(c)),
                        ),
                    );
                }
                continue;
            };
            // Groups: labels of this row left of its own, and labels merged down over it.
            let mut groups: Vec<&Item> = self
                .items
                .iter()
                .filter(|i| i.r0 < r && i.r1 >= r && is_label(i))
                .collect();
            groups.extend(here[..here.len() - 1].iter().copied());
            groups.sort_by_key(|i| i.c0);
            let key = &row_label.key;
            let kind = if key.ends_with("合計") {
                RowKind::Total
            } else if key.starts_with("うち") {
                RowKind::Reference
            } else if key.starts_with('(') && key.ends_with(')') {
                RowKind::Derived
            } else {
                RowKind::Item
            };
            sheet.rows.insert((block.clone(), label(&row_label.text)));
            rows.push(CardRow {
                r,
                label: row_label.clone(),
                groups: groups.iter().map(|g| label(&g.text)).collect(),
                kind,
                cells,
            });
            if kind == RowKind::Total {
                break;
            }
        }
        if rows.is_empty() {
            return;
        }
        if !rows.iter().any(|r| r.kind == RowKind::Total) {
            out.diagnostics.push(self.diag(Diagnostic::warning(
                "settlement_card.no_total",
                format!("{block}: no 合計 row closes the block; its items are not checked against a total"),
            )));
        }

        // Nesting: the rank of the column a label starts in, normalised so that a child is one
        // level below its parent.
        let ranks: Vec<usize> = rows
            .iter()
            .map(|r| r.label.c0)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut stack: Vec<usize> = Vec::new();
        let mut table = HierTable {
            prefix: vec![(String::new(), block.clone())],
            columns: money
                .iter()
                .map(|&k| {
                    let h = &headers[k];
                    let Role::Money(measure) = &h.role else {
                        unreachable!("money columns have a measure")
                    };
                    ColumnSpec {
                        measure: measure.clone(),
                        label: h.key.clone(),
                        fiscal_year: year,
                        phase: Phase::Settled,
                        source_column: Some(self.sheet_col(h.c0)),
                    }
                })
                .collect(),
            rows: Vec::new(),
            differences: Vec::new(),
            unit: Some(unit),
            confidence: "high",
        };
        for row in &rows {
            let rank = ranks.iter().position(|&c| c == row.label.c0).unwrap_or(0);
            let depth = if row.kind == RowKind::Total {
                stack.clear();
                0
            } else {
                while stack.last().is_some_and(|&s| s >= rank) {
                    stack.pop();
                }
                stack.len()
            };
            if row.kind == RowKind::Item {
                stack.push(rank);
            }
            let mut amounts = Vec::new();
            for cell in &row.cells {
                amounts.push(match cell {
                    None => Amount::blank(),
                    Some(i) => match Amount::read(&i.text, unit) {
                        Ok(a) => a,
                        Err(e) => {
                            out.diagnostics.push(
                                self.diag(
                                    Diagnostic::warning(
                                        "amount.unreadable",
                                        format!("{:?}: {e}", i.text),
                                    )
                                    .at(self.addr(i)),
                                ),
                            );
                            Amount::blank()
                        }
                    },
                });
            }
            let name = label(&row.label.text);
            table.rows.push(HierRow {
                code: None,
                name: name.clone(),
                label_text: row.label.text.clone(),
                depth,
                level: match row.kind {
                    RowKind::Total => "合計",
                    RowKind::Reference => "うち",
                    RowKind::Derived => "小計",
                    RowKind::Item => "区分",
                }
                .to_string(),
                kind: row.kind,
                amounts,
                location: Location {
                    page: None,
                    sheet: Some(self.sheet.clone()),
                    row: Some(self.sheet_row(row.r)),
                    bbox: None,
                },
            });
        }
        let (mut lines, report) = table.emit(ctx, ID);
        // Lines come out row by row, column by column, skipping blank cells: walk the same order
        // to put each amount's own cell, its groups and its total mark on it.
        let mut k = 0;
        for (ri, row) in table.rows.iter().enumerate() {
            for (c, a) in row.amounts.iter().enumerate() {
                if a.blank || c >= table.columns.len() {
                    continue;
                }
                let Some(line) = lines.get_mut(k) else { break };
                k += 1;
                let src = &rows[ri];
                if let Some(cell) = &src.cells[c] {
                    line.column = Some(self.sheet_col(cell.c0));
                }
                if !src.groups.is_empty() {
                    let at = line.path.len() - 1;
                    for (g, name) in src.groups.iter().enumerate() {
                        line.path.insert(at + g, name.clone());
                        line.path_codes.insert(at + g, String::new());
                    }
                }
                let key = &src.label.key;
                line.is_total =
                    row.kind == RowKind::Total || key.trim_end_matches(')').ends_with('計');
                line.document_fiscal_year = year;
            }
        }
        sheet.checks_ok += report.ok;
        sheet.mismatches.extend(
            report
                .mismatches
                .into_iter()
                .map(|m| format!("{block}: {m}")),
        );
        sheet.lines.extend(lines);

        // A bracketed subtotal (（一般財源計）) adds up the top-level items above it.
        for (ri, row) in table.rows.iter().enumerate() {
            if row.kind != RowKind::Derived || !row.name.trim_end_matches(')').ends_with('計') {
                continue;
            }
            let start = table.rows[..ri]
                .iter()
                .rposition(|r| r.kind == RowKind::Derived || r.kind == RowKind::Total)
                .map_or(0, |p| p + 1);
            let items: Vec<String> = table.rows[start..ri]
                .iter()
                .filter(|r| r.kind == RowKind::Item && r.depth == 0)
                .map(|r| r.name.clone())
                .collect();
            for col in &table.columns {
                let terms: Vec<(i64, Term<'_>)> = items
                    .iter()
                    .map(|n| (1, (block.as_str(), n.as_str(), year, col.measure.as_str())))
                    .collect();
                sheet.check((&block, &row.name, year, &col.measure), &terms);
            }
        }

        // Captioned figures inside the amount columns.
        for cap in captions {
            let Some(fig) = self.figure(cap, right) else {
                continue;
            };
            let measure = if fig.caption.contains("経常") && fig.caption.contains("一般財源")
            {
                "recurring_general"
            } else if fig.caption.contains("充当一般財源") {
                "funding_general"
            } else if fig.caption.starts_with("歳入") {
                "settled"
            } else {
                out.diagnostics.push(
                    self.diag(
                        Diagnostic::warning(
                            "settlement_card.figure_unknown",
                            format!(
                                "{block}: the figure {:?} ({}) is not a known amount; not read",
                                fig.caption, fig.value.text
                            ),
                        )
                        .at(self.addr(&fig.value)),
                    ),
                );
                continue;
            };
            let amount = match Amount::read(&fig.value.text, fig.unit) {
                Ok(a) if !a.blank => a,
                _ => continue,
            };
            let mut line = ctx.line(ID);
            line.direction = if fig.caption.starts_with("歳入") {
                Direction::Revenue
            } else {
                Direction::Expenditure
            };
            line.phase = Phase::Settled;
            line.fiscal_year = year;
            line.document_fiscal_year = year;
            line.path = vec![block.clone(), fig.caption.clone()];
            line.path_codes = vec![String::new(), String::new()];
            line.label_text = cap.text.clone();
            let total = fig.caption.ends_with('計');
            line.level = if total { "合計" } else { "区分" }.to_string();
            line.is_total = total;
            line.measure = measure.to_string();
            line.measure_label = fig.caption.clone();
            line.amount_yen = amount.yen;
            line.amount_text = amount.text.clone();
            line.unit = amount.unit.unwrap_or(fig.unit).label().to_string();
            line.sheet = Some(self.sheet.clone());
            line.row = Some(self.sheet_row(fig.value.r0));
            line.column = Some(self.sheet_col(fig.value.c0));
            sheet.rows.insert((block.clone(), fig.caption.clone()));
            sheet.lines.push(line);
            // A printed column total adds up the column's top-level items.
            if total {
                if let Some(col) = table.columns.iter().find(|c| c.measure == measure) {
                    let items: Vec<String> = table
                        .rows
                        .iter()
                        .filter(|r| r.kind == RowKind::Item && r.depth == 0)
                        .map(|r| r.name.clone())
                        .collect();
                    let terms: Vec<(i64, Term<'_>)> = items
                        .iter()
                        .map(|n| (1, (block.as_str(), n.as_str(), year, col.measure.as_str())))
                        .collect();
                    sheet.check((&block, &fig.caption, year, measure), &terms);
                }
            }
        }
    }

    /// The figure a caption introduces: the amount to its right on the same row, else just below
    /// it, with the unit printed after the amount. `None` for percentages and captions without a
    /// money figure.
    fn figure(&self, cap: &Item, right: usize) -> Option<Figure> {
        let same_row = self
            .items
            .iter()
            .filter(|i| i.r0 == cap.r0 && i.c0 > cap.c1 && i.c0 < right && i.number)
            .min_by_key(|i| i.c0);
        let below = || {
            self.items
                .iter()
                .filter(|i| {
                    i.r0 > cap.r1 && i.r0 <= cap.r1 + 2 && i.number && i.overlap(cap.c0, cap.c1) > 0
                })
                .min_by_key(|i| (i.r0, i.c0))
        };
        let value = same_row.or_else(below)?;
        let unit_item = self
            .items
            .iter()
            .filter(|i| i.r0 == value.r0 && i.c0 > value.c1 && !i.number && i.c0 <= value.c1 + 4)
            .min_by_key(|i| i.c0)?;
        let unit = Unit::from_label(unit_item.key.trim_matches(|c| matches!(c, '(' | ')')))?;
        Some(Figure {
            caption: label(&cap.text)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect(),
            value: value.clone(),
            unit,
        })
    }

    /// 収支状況: rows of the balance of the accounts, one column per fiscal year.
    fn read_balance(
        &self,
        title: &Item,
        ctx: &DocContext,
        year: i64,
        sheet: &mut SheetLines,
        out: &mut FamilyOutput,
    ) {
        let block = Self::block_name(title);
        // The 区分 header: the one nearest the title's first row (beside a vertical title, or
        // just below a horizontal one), in its columns, whose row names fiscal years.
        let year_headers = |k: &Item| -> Vec<(Item, i64, Option<Unit>)> {
            let mut v: Vec<(Item, i64, Option<Unit>)> = self
                .items
                .iter()
                .filter(|i| i.r0 <= k.r1 && i.r1 >= k.r0 && i.c0 > k.c1 && !i.number)
                .filter_map(|i| {
                    let (_, y) = find_fiscal_years(&i.key, None).into_iter().next()?;
                    Some((i.clone(), i64::from(y), unit_of_header(&i.key)))
                })
                .collect();
            v.sort_by_key(|(i, _, _)| i.c0);
            v
        };
        let Some((kubun, cols)) = self
            .items
            .iter()
            .filter(|i| {
                i.key == "区分"
                    && i.r0 + 8 >= title.r0
                    && i.r0 <= title.r1 + 3
                    && i.c0 + 2 >= title.c0
                    && i.c0 <= title.c1 + 2
            })
            .map(|k| (k, year_headers(k)))
            .filter(|(_, cols)| !cols.is_empty())
            .min_by_key(|(k, _)| (k.r0.abs_diff(title.r0), k.r0))
        else {
            out.diagnostics.push(
                self.diag(
                    Diagnostic::warning(
                        "settlement_card.block_unreadable",
                        format!(
                            "{block}: no 区分 header with fiscal-year columns beside the title"
                        ),
                    )
                    .at(self.addr(title)),
                ),
            );
            return;
        };
        let first_col = cols
            .iter()
            .map(|(i, _, _)| i.c0)
            .min()
            .unwrap_or(usize::MAX);
        let left = title.c0.min(kubun.c0);
        let mut units_assumed = false;
        for r in kubun.r1 + 1..self.grid.rows.len() {
            let row_items: Vec<&Item> = self.items.iter().filter(|i| i.r0 == r).collect();
            if row_items.iter().any(|i| {
                i.c0 >= left
                    && i.c0 < first_col
                    && (i.key == "区分"
                        || (BlockKind::of_title(&i.key).is_some() && i.key != title.key))
            }) {
                break;
            }
            let Some(row_label) = row_items
                .iter()
                .filter(|i| {
                    i.c0 >= left
                        && i.c0 < first_col
                        && !i.number
                        && !is_decoration(&i.key)
                        && BlockKind::of_title(&i.key).is_none()
                })
                .max_by_key(|i| i.c0)
            else {
                continue;
            };
            let name = label(&row_label.text);
            let name_key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
            let Some((measure, direction)) = balance_row(&name_key) else {
                out.diagnostics.push(self.diag(
                    Diagnostic::error(
                        "settlement_card.row_unknown",
                        format!("{block}: row {name:?} is not a known line of the 収支状況; its figures are not read"),
                    )
                    .at(self.addr(row_label)),
                ));
                continue;
            };
            sheet.rows.insert((block.clone(), name_key.clone()));
            for (h, fy, hunit) in &cols {
                let Some(cell) = row_items
                    .iter()
                    .filter(|i| i.overlap(h.c0, h.c1) > 0 && i.c0 >= first_col)
                    .max_by_key(|i| i.overlap(h.c0, h.c1))
                else {
                    continue;
                };
                let unit = hunit.unwrap_or_else(|| {
                    units_assumed = true;
                    Unit::Thousand
                });
                let amount = match Amount::read(&cell.text, unit) {
                    Ok(a) if a.blank => continue,
                    Ok(a) => a,
                    Err(e) => {
                        out.diagnostics.push(
                            self.diag(
                                Diagnostic::warning(
                                    "amount.unreadable",
                                    format!("{:?}: {e}", cell.text),
                                )
                                .at(self.addr(cell)),
                            ),
                        );
                        continue;
                    }
                };
                let mut line = ctx.line(ID);
                line.direction = direction;
                line.phase = Phase::Settled;
                line.fiscal_year = *fy;
                line.document_fiscal_year = year;
                line.path = vec![block.clone(), name_key.clone()];
                line.path_codes = vec![String::new(), String::new()];
                line.label_text = row_label.text.clone();
                line.level = "区分".to_string();
                line.measure = measure.to_string();
                line.measure_label = name_key.clone();
                line.amount_yen = amount.yen;
                line.amount_text = amount.text.clone();
                line.unit = amount.unit.unwrap_or(unit).label().to_string();
                line.sheet = Some(self.sheet.clone());
                line.row = Some(self.sheet_row(r));
                line.column = Some(self.sheet_col(cell.c0));
                sheet.lines.push(line);
            }
        }
        if units_assumed {
            out.diagnostics.push(self.diag(Diagnostic::info(
                "settlement_card.unit_assumed",
                format!("{block}: a year column names no unit; amounts read as 千円"),
            )));
        }
        // The balance's own arithmetic, per year column.
        let b = block.as_str();
        let years: Vec<i64> = cols.iter().map(|(_, y, _)| *y).collect();
        for &y in &years {
            sheet.check(
                (b, "歳入歳出差引", y, "balance"),
                &[
                    (1, (b, "歳入総額", y, "settled")),
                    (-1, (b, "歳出総額", y, "settled")),
                ],
            );
            sheet.check(
                (b, "実質収支", y, "balance"),
                &[
                    (1, (b, "歳入歳出差引", y, "balance")),
                    (-1, (b, "翌年度に繰り越すべき財源", y, "balance")),
                ],
            );
            sheet.check(
                (b, "実質単年度収支", y, "balance"),
                &[
                    (1, (b, "単年度収支", y, "balance")),
                    (1, (b, "積立金", y, "settled")),
                    (1, (b, "繰上償還金", y, "settled")),
                    (-1, (b, "積立金取崩し額", y, "settled")),
                ],
            );
            if years.contains(&(y - 1)) {
                sheet.check(
                    (b, "単年度収支", y, "balance"),
                    &[
                        (1, (b, "実質収支", y, "balance")),
                        (-1, (b, "実質収支", y - 1, "balance")),
                    ],
                );
            }
        }
    }

    /// Checks that tie the blocks together: the balance's totals against the revenue and
    /// expenditure blocks. (The tax block's 合計 is not checked against 歳入 地方税: Tokyo's 地方税
    /// includes the municipal taxes it levies in the special wards, which its 都税 block omits.)
    fn cross_checks(&self, year: i64, sheet: &mut SheetLines) {
        let blocks: BTreeSet<String> = sheet.rows.iter().map(|(b, _)| b.clone()).collect();
        let balance = blocks.iter().find(|b| b.as_str() == "収支状況").cloned();
        let revenue = blocks.iter().find(|b| b.as_str() == "歳入").cloned();
        let spending: Vec<String> = blocks
            .iter()
            .filter(|b| {
                matches!(
                    BlockKind::of_title(&format!("{b}の状況")),
                    Some(BlockKind::ByType) | Some(BlockKind::ByPurpose)
                )
            })
            .cloned()
            .collect();
        if let (Some(bal), Some(rev)) = (&balance, &revenue) {
            sheet.check(
                (bal, "歳入総額", year, "settled"),
                &[(1, (rev, "歳入合計", year, "settled"))],
            );
        }
        if let Some(bal) = &balance {
            for s in &spending {
                sheet.check(
                    (bal, "歳出総額", year, "settled"),
                    &[(1, (s, "歳出合計", year, "settled"))],
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yosan_extractors::{Cell, CellRange};

    /// A grid from (row, column, text, merged down to row, merged right to column) cells;
    /// texts made of digits and commas are number cells.
    fn grid(cells: &[(usize, usize, &str, usize, usize)]) -> Grid {
        let mut g = Grid {
            name: "31鳥取県".into(),
            sheet: Some("31鳥取県".into()),
            ..Default::default()
        };
        for &(r, c, t, r1, c1) in cells {
            while g.rows.len() <= r {
                g.rows.push(Vec::new());
            }
            let row = &mut g.rows[r];
            while row.len() <= c {
                row.push(Cell::default());
            }
            let digits: String = t.chars().filter(|ch| *ch != ',').collect();
            row[c] = if !digits.is_empty() && digits.chars().all(|ch| ch.is_ascii_digit()) {
                Cell {
                    text: t.into(),
                    value: CellValue::Number(digits),
                }
            } else {
                Cell::text(t)
            };
            if r1 > r || c1 > c {
                g.merged.push(CellRange {
                    first_row: r as u32,
                    first_col: c as u32,
                    last_row: r1.max(r) as u32,
                    last_col: c1.max(c) as u32,
                });
            }
        }
        g
    }

    fn card(total: &str, balance_revenue: &str, difference: &str) -> Grid {
        grid(&[
            (0, 0, "平成２７年度", 0, 1),
            (0, 3, "都道府県名", 0, 3),
            (0, 4, "鳥取県", 0, 5),
            (1, 7, "区分", 1, 8),
            (1, 9, "平成２７年度(千円)", 1, 9),
            (2, 1, "歳入の状況", 2, 1),
            (2, 2, "（単位：千円・％）", 2, 3),
            (2, 6, "収支状況", 8, 6),
            (3, 0, "区分", 3, 1),
            (3, 2, "決算額", 3, 2),
            (3, 3, "構成比", 3, 3),
            (3, 8, "歳入総額", 3, 8),
            (3, 9, balance_revenue, 3, 9),
            (4, 0, "地方税", 4, 1),
            (4, 2, "100", 4, 2),
            (4, 3, "66.7", 4, 3),
            (4, 8, "歳出総額", 4, 8),
            (4, 9, "140", 4, 9),
            (5, 0, "国庫支出金", 5, 1),
            (5, 2, "50", 5, 2),
            (5, 3, "33.3", 5, 3),
            (5, 8, "歳入歳出差引", 5, 8),
            (5, 9, difference, 5, 9),
            (6, 0, "歳入合計", 6, 1),
            (6, 2, total, 6, 2),
            (6, 3, "100.0", 6, 3),
        ])
    }

    fn parse(g: &Grid) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        Card::new(g).parse(&DocContext::for_tests(), &mut out);
        out
    }

    #[test]
    fn a_wrong_revenue_total_is_a_mismatch_named_with_its_sheet() {
        let out = parse(&card("160", "160", "20"));
        // 歳入合計 160 ≠ 100 + 50: the total and its items are marked, the balance agrees.
        let total = out
            .lines
            .iter()
            .find(|l| l.path == ["歳入", "歳入合計"])
            .unwrap();
        assert_eq!(total.check, Check::Mismatch, "{:?}", total.check_detail);
        assert_eq!(total.jurisdiction_code.as_deref(), Some("310000"));
        assert_eq!(total.fiscal_year, 2015);
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.code == "check.mismatch")
            .expect("a mismatch diagnostic");
        assert_eq!(d.sheet.as_deref(), Some("31鳥取県"));
        assert!(d.message.contains("歳入合計"), "{}", d.message);
        assert_eq!(out.checks_mismatch, 1);
        let revenue = out
            .lines
            .iter()
            .find(|l| l.path == ["収支状況", "歳入総額"])
            .unwrap();
        assert_eq!(revenue.check, Check::Ok, "{:?}", revenue.check_detail);
        let diff = out
            .lines
            .iter()
            .find(|l| l.path == ["収支状況", "歳入歳出差引"])
            .unwrap();
        assert_eq!((diff.measure.as_str(), diff.check), ("balance", Check::Ok));
        // Percentages are not lines.
        assert!(out.lines.iter().all(|l| l.measure_label != "構成比"));
        assert_eq!(out.lines.len(), 3 + 3);
    }

    #[test]
    fn titles_with_their_caption_and_a_balance_title_above_its_header() {
        assert_eq!(
            BlockKind::of_title("歳入の状況(単位:千円・%)"),
            Some(BlockKind::Revenue)
        );
        // The same card, its 収支状況 title printed above the 区分 header instead of beside it.
        let g = grid(&[
            (0, 0, "令和５年度", 0, 1),
            (0, 3, "都道府県名", 0, 3),
            (0, 4, "島根県", 0, 5),
            (1, 0, "歳入の状況（単位：千円・％）", 1, 3),
            (1, 7, "収支状況", 1, 9),
            (2, 0, "区分", 2, 1),
            (2, 2, "決算額", 2, 2),
            (2, 7, "区分", 2, 8),
            (2, 9, "令和５年度(千円)", 2, 9),
            (2, 10, "令和４年度(千円)", 2, 10),
            (3, 0, "地方税", 3, 1),
            (3, 2, "100", 3, 2),
            (3, 8, "歳入総額", 3, 8),
            (3, 9, "150", 3, 9),
            (3, 10, "140", 3, 10),
            (4, 0, "地方交付税", 4, 1),
            (4, 2, "50", 4, 2),
            (5, 0, "歳入合計", 5, 1),
            (5, 2, "150", 5, 2),
        ]);
        let out = parse(&g);
        assert_eq!(out.checks_mismatch, 0, "{:?}", out.diagnostics);
        let total = out
            .lines
            .iter()
            .find(|l| l.path == ["歳入", "歳入合計"])
            .unwrap();
        assert_eq!((total.fiscal_year, total.unit.as_str()), (2023, "千円"));
        let prior = out
            .lines
            .iter()
            .find(|l| l.path == ["収支状況", "歳入総額"] && l.fiscal_year == 2022)
            .unwrap();
        assert_eq!(
            (prior.amount_yen, prior.document_fiscal_year),
            (Some(140_000), 2023)
        );
        let this = out
            .lines
            .iter()
            .find(|l| l.path == ["収支状況", "歳入総額"] && l.fiscal_year == 2023)
            .unwrap();
        assert_eq!(this.check, Check::Ok, "{:?}", this.check_detail);
    }

    #[test]
    fn a_consistent_card_checks_ok_and_a_card_naming_no_body_is_skipped() {
        let out = parse(&card("150", "150", "10"));
        assert_eq!(out.checks_mismatch, 0, "{:?}", out.diagnostics);
        // 歳入合計 = Σ items, 歳入総額 = 歳入合計, 歳入歳出差引 = 歳入総額 − 歳出総額.
        assert_eq!(out.checks_ok, 3, "{:?}", out.lines);
        let revenue = out
            .lines
            .iter()
            .find(|l| l.path == ["歳入", "歳入合計"])
            .unwrap();
        assert_eq!(revenue.check, Check::Ok);
        let mut nameless = card("150", "150", "10");
        nameless.rows[0][4] = Cell::text("どこでもない");
        nameless.sheet = Some("シート1".into());
        let out = parse(&nameless);
        assert!(out.lines.is_empty());
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.code == "settlement_card.jurisdiction_unknown"));
    }

    #[test]
    fn block_titles() {
        assert_eq!(BlockKind::of_title("歳入の状況"), Some(BlockKind::Revenue));
        assert_eq!(BlockKind::of_title("道府県税の状況"), Some(BlockKind::Tax));
        assert_eq!(BlockKind::of_title("都税の状況"), Some(BlockKind::Tax));
        assert_eq!(
            BlockKind::of_title("性質別歳出の状況"),
            Some(BlockKind::ByType)
        );
        assert_eq!(
            BlockKind::of_title("目的別歳出の状況"),
            Some(BlockKind::ByPurpose)
        );
        assert_eq!(BlockKind::of_title("収支状況"), Some(BlockKind::Balance));
        assert_eq!(BlockKind::of_title("決算状況"), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(94), "CQ");
    }

    #[test]
    fn header_units_and_marks() {
        assert_eq!(unit_of_header("平成27年度(千円)"), Some(Unit::Thousand));
        assert_eq!(unit_of_header("(単位:千円・%)"), Some(Unit::Thousand));
        assert!(is_unit_mark("％"));
        assert!(is_unit_mark("%)"));
        assert!(is_unit_mark("千円"));
        assert!(!is_unit_mark("経常収支比率"));
        assert!(is_decoration("内訳"));
        assert!(is_decoration("｛"));
        assert!(!is_decoration("(一般財源計)"));
    }
}
