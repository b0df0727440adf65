//! The statutory budget book (予算書): 歳入歳出予算事項別明細書, 第1表 歳入歳出予算 and the 総額 of
//! 第1条, from PDF pages or from sheets.
//!
//! Every prefecture and municipality prints the 事項別明細書 in the same form: for 歳入 and 歳出 of
//! each account, 款 and 項 headings with their amounts, then per 目 a row with 本年度予算額,
//! 前年度予算額, 比較 and (for 歳出) the 財源内訳 (国県支出金, 地方債, その他, 一般財源), a 計 row per
//! 項, and beside them the 節 (number, name, amount, with sub-items 小区分) and the 説明 lines
//! (project code, name, amount, indented). Books print this as two-page spreads: the left page
//! carries the 目 rows, the right page the 節 and 説明 of the same rows at the same height; some
//! put both on one A3 page.
//!
//! How it is read:
//!
//! 1. Every page (or sheet) becomes [`crate::layout::Table`]s. A table's columns get their roles
//!    from its header rows (rows made only of header words: 目, 本年度予算額, 国県支出金, 区分,
//!    金額, 説明, 千円 ...), wherever in the row those words are. A table with 目 columns followed
//!    by a table with 節/説明 columns (the next page, or the right half of the same page) is
//!    joined with it row by row by height ([`crate::layout::join_side_by_side`]); a sheet that
//!    has all columns in one row is read as it is.
//! 2. Rows are read top to bottom with the context a reader keeps: the section (第1表, 総括, the
//!    itemised part), 歳入 or 歳出, the account, and the current 款, 項 and 目. Headings repeated on
//!    every page change nothing unless their value changes; a 款 or 項 may change in the middle of
//!    a page. 節 and 説明 cells belong to the 目 whose row is at or above them, so the 節 printed at
//!    the top of a right page continue the last 目 of the previous spread, and 説明 lines attach
//!    to the 目, never to the 節 beside them.
//! 3. A name wrapped over two lines (`4 市史編さん` / `費`, `使用料及び賃` / `借料`) is joined without
//!    the space the wrap leaves; a line that is only text continues the name above it unless a
//!    ruling line separates them, in which case it starts the name of the numbered row below it
//!    (a cell whose text is centred around its number). A 説明 line far to the right of the
//!    indentation levels continues the line above.
//! 4. Amounts are taken only from the row they are printed on: nothing is filled down.
//! 5. The arithmetic is checked ([`Book::run_checks`]): 比較 = 本年度 − 前年度, Σ財源内訳 = 本年度,
//!    Σ節 = 目, Σ小区分 = 節, Σ事業 = 目 and Σ細事業 = 事業 (coded 説明 lines), Σ目 = 計 for every
//!    column, 項 heading = 計, Σ項 = 款, each 款 and 項 = its 第1表 line and 総括 row, Σ款 = 第1表
//!    total = 総額 of 第1条. Every failed check is a `check.mismatch` diagnostic.
//! 6. 節 names of 歳出 are checked against the national list of 27; a name that matches only once
//!    a lost glyph is restored (`補償、補�及び賠償金`, `補償、補 及 び賠償金` → `補償、補塡及び賠償金`)
//!    is repaired, with the printed text kept in label_text and a `budget_book.repaired_name`
//!    diagnostic.
//!
//! Lines written: 款 and 項 from their headings (本年度), 目 (every printed column), 計 of each 項
//! (is_total), 節, 小区分, 説明 lines with an amount (level 事業 for coded lines under the 目, 細事業
//! for coded lines under those, 説明 for the others). The summary tables repeat amounts of the
//! itemised part and are written with is_total = true and the same paths: 第1表 款 and 項, 総括 款
//! rows (their 前年度, 比較 and 財源 are printed nowhere else), the 歳入合計 / 歳出合計 rows, and
//! the 総額 of 第1条 (one line for 歳入 and one for 歳出, path `["総額"]`).
//!
//! Not read: 補正予算 books' columns (補正前の額, 補正額), the tables after the 明細書 (給与費明細書,
//! 債務負担行為 and 地方債 調書); 説明 lines without an amount are read (they continue names and
//! place the lines under them) but write no line, as budget_lines holds amounts only.

use crate::context::DocContext;
use crate::families::{Family, FamilyOutput};
use crate::layout::{self, Row, Table};
use crate::model::{BudgetLine, Check, Direction, Phase};
use crate::table::fmt_yen;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use yosan_extractors::{BBox, Diagnostic, Document};
use yosan_normalize::amount::{parse_amount, AmountValue, Unit};
use yosan_normalize::label::normalize_label;
use yosan_normalize::numbering::split_numbering;
use yosan_normalize::width::fold_width;

pub const ID: &str = "budget_book";

/// The 27 節 of expenditure, in their statutory order (the order gives their numbers, 1 to 27).
pub const SETSU_NAMES: [&str; 27] = [
    "報酬",
    "給料",
    "職員手当等",
    "共済費",
    "災害補償費",
    "恩給及び退職年金",
    "報償費",
    "旅費",
    "交際費",
    "需用費",
    "役務費",
    "委託料",
    "使用料及び賃借料",
    "工事請負費",
    "原材料費",
    "公有財産購入費",
    "備品購入費",
    "負担金、補助及び交付金",
    "扶助費",
    "貸付金",
    "補償、補塡及び賠償金",
    "償還金、利子及び割引料",
    "投資及び出資金",
    "積立金",
    "寄附金",
    "公課費",
    "繰出金",
];

/// The family.
pub struct BudgetBook;

impl Family for BudgetBook {
    fn id(&self) -> &'static str {
        ID
    }

    fn recognises(&self) -> &'static str {
        "budget books (予算書): 歳入歳出予算事項別明細書 with 款/項/目, 本年度・前年度予算額, 比較, 財源内訳, 節 and 説明, from PDF spreads or sheets; also 第1表 and 第1条"
    }

    fn builds_own_pdf_tables(&self) -> bool {
        true
    }

    fn recognise(&self, doc: &Document) -> bool {
        // The title, or the column headers of the 明細書 (本年度予算額 and 前年度予算額 over the 目
        // rows, 区分 / 説明 over the 節 rows), on the pages of a PDF or a text file.
        let (mut current, mut previous, mut beside) = (false, false, false);
        for line in doc.pages.iter().flat_map(|p| p.lines.iter()) {
            let t = compact(&line.text);
            if t.contains("事項別明細書") {
                return true;
            }
            current |= t.contains("本年度予算額");
            previous |= t.contains("前年度予算額");
            beside |= t == "説明" || t.contains("区分金額");
            if current && previous && beside {
                return true;
            }
        }
        doc.grids.iter().any(|g| {
            let mut current = false;
            let mut previous = false;
            let mut beside = false;
            for row in g.rows.iter().take(60) {
                for c in row {
                    let t = compact(&c.text);
                    if t.contains("事項別明細書") {
                        return true;
                    }
                    current |= t.contains("本年度予算額") || t == "本年度";
                    previous |= t.contains("前年度予算額") || t == "前年度";
                    beside |= t == "説明" || t == "区分" || t == "節";
                }
            }
            current && previous && beside
        })
    }

    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let tables = tables_of(doc);
        let mut book = Book::new(ctx);
        book.detect_account(doc);
        for t in &tables {
            book.read_table(t);
        }
        book.finish_pending();
        book.run_checks();
        book.check_setsu_names();
        book.into_output()
    }
}

/// Text with width folded and all white space removed, for matching words.
fn compact(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Column roles from header rows

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// 目 (or 款 in 総括 and 第1表) number and name.
    Name,
    /// 項 number and name in 第1表.
    SubName,
    Current,
    Previous,
    Change,
    FundNationalPrefectural,
    FundNational,
    FundPrefectural,
    FundBonds,
    FundOther,
    FundGeneral,
    /// 第1表 金額.
    Amount,
    /// 節 number and name (区分).
    SetsuName,
    SetsuAmount,
    Expl,
    ExplAmount,
}

impl Role {
    /// Roles printed on the 目 side of a spread (the left page).
    fn left_side(self) -> bool {
        !matches!(
            self,
            Role::SetsuName | Role::SetsuAmount | Role::Expl | Role::ExplAmount
        )
    }
    fn is_amount(self) -> bool {
        !matches!(
            self,
            Role::Name | Role::SubName | Role::SetsuName | Role::Expl
        )
    }
    fn is_fund(self) -> bool {
        matches!(
            self,
            Role::FundNationalPrefectural
                | Role::FundNational
                | Role::FundPrefectural
                | Role::FundBonds
                | Role::FundOther
                | Role::FundGeneral
        )
    }
    /// The measure and the fiscal-year offset of an amount in this column.
    fn measure(self) -> (&'static str, i64) {
        match self {
            Role::Previous => ("budget", -1),
            Role::Change => ("change", 0),
            Role::FundNationalPrefectural => ("funding_national_prefectural", 0),
            Role::FundNational => ("funding_national", 0),
            Role::FundPrefectural => ("funding_prefectural", 0),
            Role::FundBonds => ("funding_bonds", 0),
            Role::FundOther => ("funding_other", 0),
            Role::FundGeneral => ("funding_general", 0),
            _ => ("budget", 0),
        }
    }
    fn default_label(self) -> &'static str {
        match self {
            Role::Current => "本年度予算額",
            Role::Previous => "前年度予算額",
            Role::Change => "比較",
            Role::FundNationalPrefectural => "国県支出金",
            Role::FundNational => "国庫支出金",
            Role::FundPrefectural => "県支出金",
            Role::FundBonds => "地方債",
            Role::FundOther => "その他",
            Role::FundGeneral => "一般財源",
            Role::SetsuAmount | Role::ExplAmount | Role::Amount => "金額",
            _ => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kw {
    Role(Role),
    /// 款 or 目 over the name column; 項 over the second name column of 第1表.
    NameWord(bool),
    /// 節: over the 節 columns.
    Setsu,
    /// 金額: its role depends on where it stands.
    AmountWord,
    Unit(Unit),
    Ignore,
}

/// Header words, longest first where one starts another.
static KEYWORDS: &[(&str, Kw)] = &[
    ("本年度予算額の財源内訳", Kw::Ignore),
    ("本年度予算額", Kw::Role(Role::Current)),
    ("前年度予算額", Kw::Role(Role::Previous)),
    ("本年度", Kw::Role(Role::Current)),
    ("前年度", Kw::Role(Role::Previous)),
    ("財源内訳", Kw::Ignore),
    ("特定財源", Kw::Ignore),
    ("比較", Kw::Role(Role::Change)),
    ("増△減", Kw::Role(Role::Change)),
    ("増減", Kw::Role(Role::Change)),
    ("国県支出金", Kw::Role(Role::FundNationalPrefectural)),
    ("国・県支出金", Kw::Role(Role::FundNationalPrefectural)),
    ("国庫支出金", Kw::Role(Role::FundNational)),
    ("都道府県支出金", Kw::Role(Role::FundPrefectural)),
    ("県支出金", Kw::Role(Role::FundPrefectural)),
    ("都支出金", Kw::Role(Role::FundPrefectural)),
    ("道支出金", Kw::Role(Role::FundPrefectural)),
    ("府支出金", Kw::Role(Role::FundPrefectural)),
    ("地方債", Kw::Role(Role::FundBonds)),
    ("市債", Kw::Role(Role::FundBonds)),
    ("町債", Kw::Role(Role::FundBonds)),
    ("村債", Kw::Role(Role::FundBonds)),
    ("区債", Kw::Role(Role::FundBonds)),
    ("県債", Kw::Role(Role::FundBonds)),
    ("その他", Kw::Role(Role::FundOther)),
    ("一般財源", Kw::Role(Role::FundGeneral)),
    ("区分", Kw::Role(Role::SetsuName)),
    ("説明", Kw::Role(Role::Expl)),
    ("金額", Kw::AmountWord),
    ("単位", Kw::Ignore),
    ("千円", Kw::Unit(Unit::Thousand)),
    ("円", Kw::Unit(Unit::Yen)),
    ("節", Kw::Setsu),
    ("款", Kw::NameWord(false)),
    ("目", Kw::NameWord(false)),
    ("項", Kw::NameWord(true)),
    ("財源", Kw::Ignore),
    ("特定", Kw::Ignore),
    // A header wrapped inside its cell (`本年度予算額の` / `財源内訳`).
    ("の", Kw::Ignore),
];

/// [`KEYWORDS`] as characters, prepared once.
static KEYWORD_CHARS: LazyLock<Vec<(Vec<char>, Kw, &'static str)>> = LazyLock::new(|| {
    KEYWORDS
        .iter()
        .map(|(w, kw)| (w.chars().collect(), *kw, *w))
        .collect()
});

/// Characters dropped before matching header words.
fn is_header_noise(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '（' | '）' | ':' | '：' | '[' | ']' | '【' | '】'
        )
}

/// The header words of a row with the column each stands over, or None when the row holds
/// anything else (a row is a header row only when it is made entirely of header words).
///
/// On a PDF page each header word stands over the column its centre is in (headers are centred or
/// aligned either way, unlike names and amounts); in a sheet, over its cell's column.
fn header_tokens(row: &Row, columns: &[layout::Column]) -> Option<Vec<(Kw, usize, String)>> {
    let mut chars: Vec<(char, usize)> = Vec::new();
    for cell in &row.cells {
        let words: Vec<&str> = cell.text.split(' ').collect();
        let by_word = !cell.words.is_empty() && words.len() == cell.words.len();
        for (wi, w) in words.iter().enumerate() {
            let col = if by_word {
                let cx = cell.words[wi].center_x();
                columns
                    .iter()
                    .position(|c| c.page == cell.page && cx >= c.x0 && cx < c.x1)
                    .unwrap_or(cell.col)
            } else {
                cell.col
            };
            for c in fold_width(w).chars() {
                if !is_header_noise(c) {
                    chars.push((c, col));
                }
            }
        }
    }
    if chars.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    'outer: while i < chars.len() {
        for (wc, kw, word) in KEYWORD_CHARS.iter() {
            if i + wc.len() <= chars.len()
                && chars[i..i + wc.len()]
                    .iter()
                    .map(|p| p.0)
                    .eq(wc.iter().copied())
            {
                let col = chars[i + wc.len() / 2].1;
                out.push((*kw, col, word.to_string()));
                i += wc.len();
                continue 'outer;
            }
        }
        return None;
    }
    Some(out)
}

/// Roles, printed labels and units of a table's columns.
#[derive(Debug, Clone, Default)]
struct Header {
    /// For each column, whether it is on the 目 side (see [`Header::sides`]).
    side: Vec<bool>,
    roles: Vec<Option<Role>>,
    labels: Vec<String>,
    units: Vec<Option<Unit>>,
    unit: Option<Unit>,
}

impl Header {
    fn of(table: &Table) -> Option<Header> {
        let n = table.columns.len().max(
            table
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().map(|c| c.col + 1))
                .max()
                .unwrap_or(0),
        );
        let mut h = Header {
            side: Vec::new(),
            roles: vec![None; n],
            labels: vec![String::new(); n],
            units: vec![None; n],
            unit: None,
        };
        let mut amount_words = Vec::new();
        let mut setsu_words = Vec::new();
        let mut name_words: Vec<(usize, bool)> = Vec::new();
        let mut any = false;
        for row in &table.rows {
            let Some(tokens) = header_tokens(row, &table.columns) else {
                continue;
            };
            for (kw, col, word) in tokens {
                if col >= n {
                    continue;
                }
                match kw {
                    Kw::Role(r) => {
                        any = true;
                        h.roles[col] = Some(r);
                        h.labels[col] = word;
                    }
                    Kw::NameWord(sub) => name_words.push((col, sub)),
                    Kw::Setsu => setsu_words.push(col),
                    Kw::AmountWord => amount_words.push(col),
                    Kw::Unit(u) => {
                        h.units[col] = Some(u);
                        h.unit.get_or_insert(u);
                    }
                    Kw::Ignore => {}
                }
            }
        }
        for (col, sub) in name_words {
            if h.roles[col].is_none() {
                any = true;
                h.roles[col] = Some(if sub { Role::SubName } else { Role::Name });
            }
        }
        for col in setsu_words {
            if h.roles[col].is_none() && !h.roles.contains(&Some(Role::SetsuName)) {
                h.roles[col] = Some(Role::SetsuName);
            }
        }
        let expl = h.roles.iter().position(|r| *r == Some(Role::Expl));
        let setsu = h.roles.iter().position(|r| *r == Some(Role::SetsuName));
        for col in amount_words {
            if h.roles[col].is_some() {
                continue;
            }
            any = true;
            h.roles[col] = Some(match (expl, setsu) {
                (Some(e), _) if col > e => Role::ExplAmount,
                (_, Some(s)) if col > s => Role::SetsuAmount,
                _ => Role::Amount,
            });
            h.labels[col] = "金額".into();
        }
        for (i, r) in h.roles.iter().enumerate() {
            if let Some(r) = r {
                if h.labels[i].is_empty() {
                    h.labels[i] = r.default_label().to_string();
                }
            }
        }
        h.side = h.sides();
        any.then_some(h)
    }

    fn has(&self, role: Role) -> bool {
        self.roles.contains(&Some(role))
    }

    fn col(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(role))
    }

    fn kind(&self) -> TableKind {
        let left = self.has(Role::Current) && self.has(Role::Previous);
        let right = self.has(Role::SetsuName) || self.has(Role::Expl);
        let funds = self.roles.iter().flatten().any(|r| r.is_fund());
        match (left, right) {
            (true, true) => TableKind::Full,
            (true, false) => TableKind::Left,
            (false, true) => TableKind::Right,
            (false, false) if funds => TableKind::FundsOnly,
            _ if self.has(Role::Amount) => TableKind::FirstTable,
            _ => TableKind::Other,
        }
    }

    /// For each column, whether it is on the 目 side: roled columns by role, others like the
    /// nearest roled column on their right (a code printed in a column of its own goes with the
    /// name after it), else on their left.
    fn sides(&self) -> Vec<bool> {
        let n = self.roles.len();
        (0..n)
            .map(|i| {
                if let Some(r) = self.roles[i] {
                    return r.left_side();
                }
                if let Some(r) = self.roles[i..].iter().flatten().next() {
                    return r.left_side();
                }
                self.roles[..i]
                    .iter()
                    .rev()
                    .flatten()
                    .next()
                    .is_none_or(|r| r.left_side())
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    Left,
    Right,
    FundsOnly,
    Full,
    FirstTable,
    Other,
}

/// The document's tables in reading order, spreads joined.
fn tables_of(doc: &Document) -> Vec<(Table, Option<Header>)> {
    let mut raw: Vec<Table> = Vec::new();
    for page in &doc.pages {
        raw.extend(layout::page_tables(page));
    }
    for g in &doc.grids {
        raw.push(Table::from_grid(g));
    }
    let headers: Vec<Option<Header>> = raw.iter().map(Header::of).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let kind = headers[i].as_ref().map(Header::kind);
        let next_kind = headers
            .get(i + 1)
            .and_then(|h| h.as_ref().map(Header::kind));
        let adjacent = match (raw[i].page, raw.get(i + 1).and_then(|t| t.page)) {
            (Some(a), Some(b)) => b == a || b == a + 1,
            _ => false,
        };
        if kind == Some(TableKind::Left)
            && matches!(next_kind, Some(TableKind::Right | TableKind::FundsOnly))
            && adjacent
        {
            let mut joined = layout::join_side_by_side(&raw[i], &raw[i + 1], 3.0);
            layout::sort_rows(&mut joined);
            let header = Header::of(&joined);
            out.push((joined, header));
            i += 2;
            continue;
        }
        out.push((raw[i].clone(), headers[i].clone()));
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The parsed book

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Kan,
    Kou,
    Moku,
    KouTotal,
    Setsu,
    SubSetsu,
    Expl,
    FirstKan,
    FirstKou,
    FirstTotal,
    SummaryKan,
    SummaryTotal,
    Article1,
}

#[derive(Debug, Clone)]
struct Amt {
    role: Role,
    label: String,
    text: String,
    yen: Option<i64>,
    unit: Unit,
    page: Option<u32>,
    bbox: Option<BBox>,
    column: Option<i32>,
    check: Check,
    details: Vec<String>,
}

#[derive(Debug, Clone)]
struct Item {
    level: Level,
    parent: Option<usize>,
    code: Option<String>,
    name: String,
    label_text: String,
    direction: Direction,
    account: Option<String>,
    amounts: Vec<Amt>,
    page: Option<u32>,
    row: Option<i32>,
    bbox: Option<BBox>,
    /// Bottom of the last printed line of the item's name (for wraps), and its page.
    name_bottom: f32,
    indent: u32,
}

impl Item {
    fn amount(&self, role: Role) -> Option<&Amt> {
        self.amounts.iter().find(|a| a.role == role)
    }
    fn yen(&self, role: Role) -> Option<i64> {
        self.amount(role).and_then(|a| a.yen)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    FirstTable,
    Summary,
    Detail,
    Other,
}

/// Where a wrapped name continues, on one side of a spread.
#[derive(Debug, Default, Clone)]
struct Wrap {
    target: Option<usize>,
    /// Text seen before its numbered row (a name centred on its number).
    pending: Option<String>,
}

static KAN_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+)\s*款\s*(.*?)\s*(?:(△?[\d,]+)\s*(千円|円))?$").expect("regex")
});
static KOU_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+)\s*項\s*(.*?)\s*(?:(△?[\d,]+)\s*(千円|円))?$").expect("regex")
});
static PAGE_NUMBERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([-‐－―]\d+[-‐－―])+$").expect("regex"));
static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[-‐－―]?\d+[-‐－―]?$").expect("regex"));
static DIRECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[(（]?(?:\d+[.．]?)?(歳入|歳出)[)）]?$").expect("regex"));
static ARTICLE1: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"総額は[^0-9]{0,20}?([0-9][0-9,]*)\s*(千円|円)").expect("regex"));

struct Book<'a> {
    ctx: &'a DocContext,
    items: Vec<Item>,
    diagnostics: Vec<Diagnostic>,
    checks_ok: usize,
    checks_mismatch: usize,
    section: Section,
    direction: Direction,
    direction_seen: bool,
    account: Option<String>,
    kan: Option<usize>,
    kou: Option<usize>,
    moku: Option<usize>,
    setsu: Option<usize>,
    left_wrap: Wrap,
    setsu_wrap: Wrap,
    expl_stack: Vec<(u32, usize)>,
    last_expl: Option<usize>,
    unit: Option<Unit>,
    /// Sections of the book this family does not read: heading, first and last page.
    skipped: Vec<(String, Option<u32>, Option<u32>)>,
}

/// The parts of one row on one side, read with the table's roles.
struct Side<'r> {
    row: &'r Row,
    header: &'r Header,
    left: bool,
}

impl<'r> Side<'r> {
    /// The text of the cells on this side (all cells for a table without sides).
    fn text(&self) -> String {
        let sides = &self.header.side;
        let mut out = String::new();
        for c in &self.row.cells {
            if sides.get(c.col).copied().unwrap_or(true) != self.left || c.text.trim().is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(c.text.trim());
        }
        out
    }

    /// The text of a name column together with the unroled columns just left of it.
    fn name(&self, role: Role) -> String {
        let Some(col) = self.header.col(role) else {
            return String::new();
        };
        let mut first = col;
        while first > 0 && self.header.roles[first - 1].is_none() {
            first -= 1;
        }
        self.row.joined_in(first..col + 1)
    }

    /// The page this side's cells are on (a row joined from a spread has cells on two pages).
    fn page(&self) -> Option<u32> {
        let sides = &self.header.side;
        self.row
            .cells
            .iter()
            .find(|c| {
                sides.get(c.col).copied().unwrap_or(true) == self.left && !c.text.trim().is_empty()
            })
            .and_then(|c| c.page)
            .or(self.row.page)
    }

    /// The box of this side's cells.
    fn bbox(&self) -> Option<BBox> {
        let sides = &self.header.side;
        self.row
            .cells
            .iter()
            .filter(|c| sides.get(c.col).copied().unwrap_or(true) == self.left)
            .filter_map(|c| c.bbox)
            .reduce(|a, b| a.union(&b))
            .or(self.row.bbox)
    }

    fn cell(&self, role: Role) -> Option<&'r layout::Cell> {
        let col = self.header.col(role)?;
        self.row.cell(col).filter(|c| !c.text.trim().is_empty())
    }
}

impl<'a> Book<'a> {
    fn new(ctx: &'a DocContext) -> Self {
        Book {
            ctx,
            items: Vec::new(),
            diagnostics: Vec::new(),
            checks_ok: 0,
            checks_mismatch: 0,
            section: Section::Preamble,
            direction: ctx.direction.unwrap_or(Direction::Revenue),
            direction_seen: ctx.direction.is_some(),
            account: ctx.account.clone(),
            kan: None,
            kou: None,
            moku: None,
            setsu: None,
            left_wrap: Wrap::default(),
            setsu_wrap: Wrap::default(),
            expl_stack: Vec::new(),
            last_expl: None,
            unit: ctx.unit,
            skipped: Vec::new(),
        }
    }

    /// The account named on the first pages (`一般会計予算書`, `国民健康保険事業特別会計`), when
    /// none was declared.
    fn detect_account(&mut self, doc: &Document) {
        if self.account.is_some() {
            return;
        }
        let lines = doc
            .pages
            .iter()
            .take(5)
            .flat_map(|p| p.lines.iter())
            .map(|l| l.text.as_str());
        let cells = doc
            .grids
            .iter()
            .flat_map(|g| g.rows.iter().take(10))
            .flat_map(|r| r.iter().map(|c| c.text.as_str()));
        for text in lines.chain(cells) {
            if let Some(a) = crate::context::account_in_title(text) {
                self.account = Some(a);
                return;
            }
        }
    }

    fn read_table(&mut self, (table, header): &(Table, Option<Header>)) {
        let empty = Header::default();
        let header = header.as_ref().unwrap_or(&empty);
        if let Some(u) = header.unit {
            self.unit = Some(u);
        }
        let has_right = header.roles.iter().flatten().any(|r| !r.left_side());
        for row in &table.rows {
            if header_tokens(row, &table.columns).is_some() {
                continue;
            }
            // Page numbers (`- 17 -`, on both pages of a spread) carry nothing.
            if !row.ruled && PAGE_NUMBERS.is_match(&compact(&row.joined())) {
                continue;
            }
            let left = Side {
                row,
                header,
                left: true,
            };
            self.left_row(&left, table);
            if self.section == Section::Other {
                if let Some(last) = self.skipped.last_mut() {
                    last.2 = row.page.or(last.2);
                }
            }
            if has_right && self.section == Section::Detail {
                let right = Side {
                    row,
                    header,
                    left: false,
                };
                self.setsu_row(&right, table);
                self.expl_row(&right);
            }
        }
        self.article1(table);
    }

    // -- the 目 side ----------------------------------------------------------------------------

    fn left_row(&mut self, side: &Side, table: &Table) {
        let text = side.text();
        let c = compact(&text);
        if c.is_empty() || PAGE_NUMBER.is_match(&c) {
            return;
        }
        let folded = normalize_label(&text);
        if c.contains("第1表") && c.contains("歳入歳出予算") {
            self.section = Section::FirstTable;
            return;
        }
        if (c.starts_with('第') && c.chars().nth(2) == Some('表'))
            || c.contains("給与費明細書")
            || c.contains("補正予算整理表")
            || c.starts_with("債務負担行為")
        {
            if self.section != Section::Other {
                let heading: String = c.chars().take(40).collect();
                self.skipped.push((heading, side.row.page, side.row.page));
            }
            self.section = Section::Other;
            return;
        }
        if self.section == Section::Other && c.contains("事項別明細書") {
            // The title of the itemised part ends a section that is not read.
            self.section = Section::Preamble;
            return;
        }
        if c.chars().count() <= 8 && c.contains("総括") {
            self.section = Section::Summary;
            return;
        }
        if let Some(cap) = DIRECTION.captures(&c) {
            self.direction = if &cap[1] == "歳入" {
                Direction::Revenue
            } else {
                Direction::Expenditure
            };
            self.direction_seen = true;
            return;
        }
        if !side.row.ruled {
            if let Some(a) = crate::context::account_in_title(&c) {
                self.account = Some(a);
                return;
            }
        }
        if let Some(cap) = KAN_HEADING.captures(&folded) {
            // A running head names both 款 and 項 and carries no amount: nothing changes.
            if KOU_HEADING.is_match(cap[2].trim_start_matches(|ch: char| !ch.is_ascii_digit()))
                || cap[2].contains('項')
            {
                return;
            }
            self.section = Section::Detail;
            self.kan_heading(side, &cap);
            return;
        }
        if let Some(cap) = KOU_HEADING.captures(&folded) {
            if self.section == Section::Detail {
                self.kou_heading(side, &cap);
            }
            return;
        }
        match self.section {
            Section::Detail => self.moku_row(side, table, Level::Moku),
            Section::Summary => self.moku_row(side, table, Level::SummaryKan),
            Section::FirstTable => self.first_table_row(side, table),
            _ => {}
        }
    }

    fn heading_amount(&self, side: &Side, cap: &regex::Captures) -> Vec<Amt> {
        let Some(num) = cap.get(3) else {
            return Vec::new();
        };
        let text = format!("{}{}", num.as_str(), &cap[4]);
        let bbox = side
            .row
            .cells
            .iter()
            .filter(|c| fold_width(&c.text).contains(num.as_str()))
            .filter_map(|c| c.bbox)
            .next_back()
            .or(side.row.bbox);
        let unit = if &cap[4] == "千円" {
            Unit::Thousand
        } else {
            Unit::Yen
        };
        let yen = parse_amount(&text, unit).ok().and_then(|p| p.yen());
        vec![Amt {
            role: Role::Current,
            label: "予算額".into(),
            text,
            yen,
            unit,
            page: side.page(),
            bbox,
            column: None,
            check: Check::Unchecked,
            details: Vec::new(),
        }]
    }

    fn new_item(&mut self, level: Level, parent: Option<usize>, side: &Side) -> usize {
        self.items.push(Item {
            level,
            parent,
            code: None,
            name: String::new(),
            label_text: String::new(),
            direction: self.direction,
            account: self.account.clone(),
            amounts: Vec::new(),
            page: side.page(),
            row: side.row.source_row.map(|r| r as i32),
            bbox: side.bbox(),
            name_bottom: side.bbox().map_or(side.row.y, |b| b.y1),
            indent: 0,
        });
        self.items.len() - 1
    }

    fn kan_heading(&mut self, side: &Side, cap: &regex::Captures) {
        let code = cap[1].to_string();
        let name = normalize_label(&cap[2]);
        if let Some(k) = self.kan {
            let it = &self.items[k];
            if it.code.as_deref() == Some(code.as_str())
                && it.name == name
                && it.direction == self.direction
                && it.account == self.account
            {
                return;
            }
        }
        let id = self.new_item(Level::Kan, None, side);
        let amounts = self.heading_amount(side, cap);
        let it = &mut self.items[id];
        it.code = Some(code);
        it.name = name;
        it.label_text = side.text();
        it.amounts = amounts;
        self.kan = Some(id);
        self.kou = None;
        self.left_wrap = Wrap::default();
    }

    fn kou_heading(&mut self, side: &Side, cap: &regex::Captures) {
        let code = cap[1].to_string();
        let name = normalize_label(&cap[2]);
        if let Some(k) = self.kou {
            let it = &self.items[k];
            if it.code.as_deref() == Some(code.as_str()) && it.name == name && it.parent == self.kan
            {
                return;
            }
        }
        let Some(kan) = self.kan else {
            self.diagnostics.push(diag_at(
                "budget_book.orphan_row",
                side.row,
                format!("項 heading {:?} before any 款 heading", side.text()),
            ));
            return;
        };
        let id = self.new_item(Level::Kou, Some(kan), side);
        let amounts = self.heading_amount(side, cap);
        let it = &mut self.items[id];
        it.code = Some(code);
        it.name = name;
        it.label_text = side.text();
        it.amounts = amounts;
        self.kou = Some(id);
        self.left_wrap = Wrap::default();
    }

    /// The amounts of the row's amount columns on this side.
    fn row_amounts(&mut self, side: &Side, roles: &[Role]) -> Vec<Amt> {
        let mut out = Vec::new();
        for (col, role) in side.header.roles.iter().enumerate() {
            let Some(role) = *role else { continue };
            if !role.is_amount() || role.left_side() != side.left || !roles.contains(&role) {
                continue;
            }
            let Some(cell) = side.row.cell(col) else {
                continue;
            };
            let text = cell.text.trim();
            if text.is_empty() {
                continue;
            }
            let unit = side
                .header
                .units
                .get(col)
                .copied()
                .flatten()
                .or(side.header.unit)
                .or(self.unit)
                .unwrap_or(Unit::Yen);
            match parse_amount(text, unit) {
                Ok(p) if matches!(p.value, AmountValue::Yen(_) | AmountValue::NoneMark) => out
                    .push(Amt {
                        role,
                        label: side.header.labels[col].clone(),
                        text: text.to_string(),
                        yen: p.yen(),
                        unit: p.unit,
                        page: cell.page.or(side.row.page),
                        bbox: cell.bbox,
                        column: Some(col as i32 + 1),
                        check: Check::Unchecked,
                        details: Vec::new(),
                    }),
                _ => self.diagnostics.push(diag_at(
                    "budget_book.unreadable_amount",
                    side.row,
                    format!(
                        "{:?} under {} is not an amount",
                        text, side.header.labels[col]
                    ),
                )),
            }
        }
        out
    }

    /// True when a ruling line of the table runs between `above` (a bottom) and the top of `row`
    /// across the x range of `col`.
    fn ruled_between(table: &Table, above: f32, side: &Side, col: Option<usize>) -> bool {
        let (Some(b), Some(col)) = (side.bbox(), col) else {
            return false;
        };
        let page = side.page();
        let Some(column) = table.columns.get(col) else {
            return false;
        };
        let mid = (column.x0 + column.x1) / 2.0;
        table.rules.iter().any(|r| {
            r.page == page && r.y > above - 0.5 && r.y < b.y0 + 0.5 && r.x0 <= mid && r.x1 >= mid
        })
    }

    fn moku_row(&mut self, side: &Side, table: &Table, level: Level) {
        let name_text = side.name(Role::Name);
        let amount_roles = [
            Role::Current,
            Role::Previous,
            Role::Change,
            Role::FundNationalPrefectural,
            Role::FundNational,
            Role::FundPrefectural,
            Role::FundBonds,
            Role::FundOther,
            Role::FundGeneral,
        ];
        let amounts = self.row_amounts(side, &amount_roles);
        let nc = compact(&name_text);
        if nc.is_empty() && amounts.is_empty() {
            // Text only in columns without a role: nothing to read.
            if !side.text().is_empty() && side.header.col(Role::Name).is_some() {
                self.diagnostics.push(diag_at(
                    "budget_book.unread_text",
                    side.row,
                    format!("text outside the table's columns: {:?}", side.text()),
                ));
            }
            return;
        }
        // 計 of the 項 (itemised part) or the 歳入合計 / 歳出合計 row (総括).
        let total_level = match level {
            Level::Moku if nc == "計" || nc == "合計" => Some(Level::KouTotal),
            Level::SummaryKan if nc.contains("合計") => Some(Level::SummaryTotal),
            Level::Moku if nc.contains("歳入合計") || nc.contains("歳出合計") => {
                Some(Level::SummaryTotal)
            }
            _ => None,
        };
        if let Some(tl) = total_level {
            let parent = if tl == Level::KouTotal {
                self.kou
            } else {
                None
            };
            if tl == Level::KouTotal && parent.is_none() {
                self.diagnostics.push(diag_at(
                    "budget_book.orphan_row",
                    side.row,
                    "計 row outside any 項".to_string(),
                ));
                return;
            }
            let id = self.new_item(tl, parent, side);
            let it = &mut self.items[id];
            it.name = "計".into();
            it.label_text = name_text.clone();
            if tl == Level::SummaryTotal {
                it.name = nc.clone();
            }
            it.amounts = amounts;
            self.left_wrap = Wrap::default();
            return;
        }
        let (code, name) = split_code(&name_text);
        let parent = if level == Level::Moku { self.kou } else { None };
        if level == Level::Moku && parent.is_none() {
            self.diagnostics.push(diag_at(
                "budget_book.orphan_row",
                side.row,
                format!("目 row {name_text:?} outside any 項"),
            ));
            return;
        }
        let name_col = side.header.col(Role::Name);
        if code.is_none() && amounts.is_empty() {
            // Only text: the rest of a wrapped name, or the start of the name of the row below.
            self.continue_left(side, table, name_col, &name_text);
            return;
        }
        if code.is_none() && name.is_empty() {
            self.attach_orphan_amounts(self.left_wrap.target, amounts, side, "amounts");
            return;
        }
        let id = self.new_item(level, parent, side);
        let mut label = name_text.clone();
        let mut name = name;
        if let Some(p) = self.left_wrap.pending.take() {
            if name.is_empty() {
                name = normalize_label(&p);
                label = format!("{p} {label}");
            }
        }
        let it = &mut self.items[id];
        it.code = code;
        it.name = name;
        it.label_text = label;
        it.amounts = amounts;
        self.left_wrap.target = Some(id);
        if level == Level::Moku {
            self.moku = Some(id);
            self.setsu = None;
            self.setsu_wrap = Wrap::default();
            self.expl_stack.clear();
            self.last_expl = None;
        }
    }

    /// A text-only line on the 目 side: continues the name above unless a rule separates them.
    fn continue_left(&mut self, side: &Side, table: &Table, col: Option<usize>, text: &str) {
        // On a ruled page, text outside the boxes (footers, notes) continues no name.
        if table.method == layout::Method::Lattice && !side.row.ruled {
            return;
        }
        let target = self.left_wrap.target;
        let separated = target.is_none_or(|t| {
            let it = &self.items[t];
            it.page != side.page() || Self::ruled_between(table, it.name_bottom, side, col)
        });
        if let (Some(t), false) = (target, separated) {
            append_name(&mut self.items[t], text, side.row);
        } else {
            let p = self
                .left_wrap
                .pending
                .take()
                .map_or(text.to_string(), |p| format!("{p} {text}"));
            self.left_wrap.pending = Some(p);
        }
    }

    fn first_table_row(&mut self, side: &Side, table: &Table) {
        let amounts = self.row_amounts(side, &[Role::Amount]);
        let kan_text = side.name(Role::Name);
        let kou_text = side
            .header
            .col(Role::SubName)
            .map(|c| side.row.text(c).to_string())
            .unwrap_or_default();
        let all = compact(&format!("{kan_text}{kou_text}"));
        if all.contains("歳入合計") || all.contains("歳出合計") || all == "合計" {
            let id = self.new_item(Level::FirstTotal, None, side);
            let it = &mut self.items[id];
            it.name = all.clone();
            it.label_text = side.text();
            it.amounts = amounts;
            self.left_wrap = Wrap::default();
            return;
        }
        let (kan_code, kan_name) = split_code(&kan_text);
        if kan_code.is_some() {
            // A 款 row; its name may run on into the 項 column.
            let name = if kou_text.is_empty() {
                kan_name
            } else {
                normalize_label(&format!("{kan_name} {kou_text}"))
            };
            let id = self.new_item(Level::FirstKan, None, side);
            let it = &mut self.items[id];
            it.code = kan_code;
            it.name = name;
            it.label_text = side.text();
            it.amounts = amounts;
            self.left_wrap.target = Some(id);
            self.kan = None;
            return;
        }
        let (kou_code, kou_name) = split_code(&kou_text);
        let parent = self.items.iter().rposition(|i| i.level == Level::FirstKan);
        if kou_code.is_none() && amounts.is_empty() {
            let col = side
                .header
                .col(Role::SubName)
                .or(side.header.col(Role::Name));
            let text = if kou_text.is_empty() {
                kan_text
            } else {
                kou_text
            };
            self.continue_left(side, table, col, &text);
            return;
        }
        let Some(parent) = parent else {
            self.diagnostics.push(diag_at(
                "budget_book.orphan_row",
                side.row,
                format!("第1表 row {:?} before any 款", side.text()),
            ));
            return;
        };
        let id = self.new_item(Level::FirstKou, Some(parent), side);
        let mut name = kou_name;
        let mut label = side.text();
        if let Some(p) = self.left_wrap.pending.take() {
            if name.is_empty() {
                name = normalize_label(&p);
                label = format!("{p} {label}");
            }
        }
        let it = &mut self.items[id];
        it.code = kou_code;
        it.name = name;
        it.label_text = label;
        it.amounts = amounts;
        self.left_wrap.target = Some(id);
    }

    // -- the 節 side ----------------------------------------------------------------------------

    fn setsu_row(&mut self, side: &Side, table: &Table) {
        let name_text = side.name(Role::SetsuName);
        let amounts = self.row_amounts(side, &[Role::SetsuAmount]);
        if name_text.is_empty() && amounts.is_empty() {
            return;
        }
        let Some(moku) = self.moku else {
            self.diagnostics.push(diag_at(
                "budget_book.orphan_row",
                side.row,
                format!("節 {name_text:?} before any 目"),
            ));
            return;
        };
        let (code, name) = split_code(&name_text);
        let col = side.header.col(Role::SetsuName);
        if code.is_none() && amounts.is_empty() {
            let target = self.setsu_wrap.target;
            let separated = target.is_none_or(|t| {
                let it = &self.items[t];
                it.page != side.page() || Self::ruled_between(table, it.name_bottom, side, col)
            });
            match (target, separated) {
                (Some(t), false) => append_name(&mut self.items[t], &name_text, side.row),
                _ => {
                    let p = self
                        .setsu_wrap
                        .pending
                        .take()
                        .map_or(name_text.clone(), |p| format!("{p} {name_text}"));
                    self.setsu_wrap.pending = Some(p);
                }
            }
            return;
        }
        if code.is_none() && name.is_empty() {
            self.attach_orphan_amounts(self.setsu_wrap.target, amounts, side, "節 amount");
            return;
        }
        let (level, parent) = if code.is_some() {
            (Level::Setsu, moku)
        } else {
            match self.setsu {
                Some(s) => (Level::SubSetsu, s),
                None => {
                    self.diagnostics.push(diag_at(
                        "budget_book.orphan_row",
                        side.row,
                        format!("小区分 {name_text:?} before any 節 of its 目"),
                    ));
                    return;
                }
            }
        };
        let id = self.new_item(level, Some(parent), side);
        let mut name = name;
        let mut label = name_text.clone();
        if let Some(p) = self.setsu_wrap.pending.take() {
            if name.is_empty() {
                name = normalize_label(&p);
                label = format!("{p} {label}");
            }
        }
        let cell_bbox = side.cell(Role::SetsuName).and_then(|c| c.bbox);
        let it = &mut self.items[id];
        it.code = code;
        it.name = name;
        it.label_text = label;
        it.amounts = amounts;
        if let Some(b) = cell_bbox {
            it.bbox = Some(b);
            it.name_bottom = b.y1;
        }
        if level == Level::Setsu {
            self.setsu = Some(id);
        }
        self.setsu_wrap.target = Some(id);
    }

    fn expl_row(&mut self, side: &Side) {
        let Some(cell) = side.cell(Role::Expl) else {
            return;
        };
        let Some(moku) = self.moku else {
            self.diagnostics.push(diag_at(
                "budget_book.orphan_row",
                side.row,
                format!("説明 {:?} before any 目", cell.text),
            ));
            return;
        };
        let mut text = cell.text.trim().to_string();
        let mut amount_text: Option<(String, Option<BBox>, Option<i32>)> = None;
        if let Some(a) = side.cell(Role::ExplAmount) {
            amount_text = Some((a.text.trim().to_string(), a.bbox, Some(a.col as i32 + 1)));
        } else if let Some((rest, last)) = text.rsplit_once(' ') {
            if is_plain_amount(last) {
                amount_text = Some((
                    last.to_string(),
                    cell.words.last().copied(),
                    Some(cell.col as i32 + 1),
                ));
                text = rest.trim_end().to_string();
            }
        } else if is_plain_amount(&text) {
            amount_text = Some((text.clone(), cell.bbox, Some(cell.col as i32 + 1)));
            text.clear();
        }
        let (code, name) = split_code(&text);
        let indent = cell.indent;
        // A line far right of every indentation level, without number or amount, continues the
        // line above (a long name wrapped under its own end).
        if code.is_none() && amount_text.is_none() {
            if let Some(prev) = self.last_expl {
                if indent >= self.items[prev].indent + 6 && self.items[prev].parent.is_some() {
                    append_name(&mut self.items[prev], &text, side.row);
                    return;
                }
            }
        }
        while self.expl_stack.last().is_some_and(|(i, _)| *i >= indent) {
            self.expl_stack.pop();
        }
        let parent = self.expl_stack.last().map_or(moku, |(_, id)| *id);
        let id = self.new_item(Level::Expl, Some(parent), side);
        let unit = side
            .header
            .col(Role::ExplAmount)
            .or(side.header.col(Role::Expl))
            .and_then(|c| side.header.units.get(c).copied().flatten())
            .or(side.header.unit)
            .or(self.unit)
            .unwrap_or(Unit::Yen);
        let mut amounts = Vec::new();
        if let Some((t, bbox, column)) = amount_text {
            match parse_amount(&t, unit) {
                Ok(p) if p.yen().is_some() || p.value == AmountValue::NoneMark => {
                    amounts.push(Amt {
                        role: Role::ExplAmount,
                        label: "金額".into(),
                        text: t,
                        yen: p.yen(),
                        unit: p.unit,
                        page: cell.page.or(side.row.page),
                        bbox,
                        column,
                        check: Check::Unchecked,
                        details: Vec::new(),
                    })
                }
                _ => self.diagnostics.push(diag_at(
                    "budget_book.unreadable_amount",
                    side.row,
                    format!("説明 amount {t:?} is not an amount"),
                )),
            }
        }
        let it = &mut self.items[id];
        it.code = code;
        it.name = name;
        it.label_text = text;
        it.amounts = amounts;
        it.indent = indent;
        it.bbox = cell.bbox;
        self.expl_stack.push((indent, id));
        self.last_expl = Some(id);
    }

    /// The 総額 of 第1条: `歳入歳出予算の総額は、歳入歳出それぞれ１０１，８００，０００千円と定める`.
    fn article1(&mut self, table: &Table) {
        if self.items.iter().any(|i| i.level == Level::Article1) {
            return;
        }
        for (i, row) in table.rows.iter().enumerate() {
            let here = row.joined();
            let c = compact(&here);
            if !c.contains("総額") {
                continue;
            }
            let next = table
                .rows
                .get(i + 1)
                .map(|r| compact(&r.joined()))
                .unwrap_or_default();
            let joined = format!("{c}{next}");
            let Some(cap) = ARTICLE1.captures(&joined) else {
                continue;
            };
            let text = format!("{}{}", &cap[1], &cap[2]);
            let unit = if &cap[2] == "千円" {
                Unit::Thousand
            } else {
                Unit::Yen
            };
            let yen = parse_amount(&text, unit).ok().and_then(|p| p.yen());
            let printed: String = {
                // The amount as printed (full-width digits and all), for amount_text.
                let raw = here.replace(char::is_whitespace, "");
                raw.find("総額は").map_or(text.clone(), |p| {
                    let rest = &raw[p..];
                    let start = rest
                        .find(|c: char| {
                            fold_width(&c.to_string())
                                .chars()
                                .all(|d| d.is_ascii_digit())
                        })
                        .unwrap_or(0);
                    let end = rest.find("円").map_or(rest.len(), |e| e + "円".len());
                    if start < end {
                        rest[start..end].to_string()
                    } else {
                        text.clone()
                    }
                })
            };
            let side_row = row;
            let both = ["歳入歳出それぞれ", "歳入歳出各"]
                .iter()
                .any(|w| joined.contains(w));
            let directions: Vec<Direction> = if both || !self.direction_seen {
                vec![Direction::Revenue, Direction::Expenditure]
            } else {
                vec![self.direction]
            };
            for d in directions {
                self.items.push(Item {
                    level: Level::Article1,
                    parent: None,
                    code: None,
                    name: "総額".into(),
                    label_text: "歳入歳出予算の総額".into(),
                    direction: d,
                    account: self.account.clone(),
                    amounts: vec![Amt {
                        role: Role::Current,
                        label: "総額".into(),
                        text: printed.clone(),
                        yen,
                        unit,
                        page: side_row.page,
                        bbox: side_row.bbox,
                        column: None,
                        check: Check::Unchecked,
                        details: Vec::new(),
                    }],
                    page: side_row.page,
                    row: side_row.source_row.map(|r| r as i32),
                    bbox: side_row.bbox,
                    name_bottom: 0.0,
                    indent: 0,
                });
            }
            return;
        }
    }

    /// Amounts on a line of their own belong to the item above (`target`, the row a wrapped name
    /// continues) if it has none; otherwise they are reported as an orphan row.
    fn attach_orphan_amounts(
        &mut self,
        target: Option<usize>,
        amounts: Vec<Amt>,
        side: &Side,
        what: &str,
    ) {
        if let Some(t) = target.filter(|&t| self.items[t].amounts.is_empty()) {
            self.items[t].amounts = amounts;
        } else {
            self.diagnostics.push(diag_at(
                "budget_book.orphan_row",
                side.row,
                format!("{what} without a name: {:?}", side.text()),
            ));
        }
    }

    fn finish_pending(&mut self) {
        for (heading, first, last) in std::mem::take(&mut self.skipped) {
            let pages = match (first, last) {
                (Some(a), Some(b)) if b > a => format!("pages {a}-{b}"),
                (Some(a), _) => format!("page {a}"),
                _ => "a part".to_string(),
            };
            let mut d = Diagnostic::info(
                "budget_book.section_not_read",
                format!("{pages} ({heading}…): a section other than the 事項別明細書, 第1表, 総括 and 第1条; not read"),
            );
            if let Some(p) = first {
                d = d.on_page(p);
            }
            self.diagnostics.push(d);
        }
        for (w, what) in [
            (self.left_wrap.pending.take(), "目 side"),
            (self.setsu_wrap.pending.take(), "節 side"),
        ] {
            if let Some(p) = w {
                self.diagnostics.push(Diagnostic::warning(
                    "budget_book.unread_text",
                    format!("text on the {what} that belongs to no row: {p:?}"),
                ));
            }
        }
    }

    // -- checks ---------------------------------------------------------------------------------

    fn record(&mut self, cells: &[(usize, Role)], ok: bool, detail: String, at: usize) {
        for &(item, role) in cells {
            if let Some(a) = self.items[item].amounts.iter_mut().find(|a| a.role == role) {
                if ok {
                    if a.check != Check::Mismatch {
                        a.check = Check::Ok;
                    }
                } else {
                    a.check = Check::Mismatch;
                }
                a.details.push(detail.clone());
            }
        }
        if ok {
            self.checks_ok += 1;
        } else {
            self.checks_mismatch += 1;
            let it = &self.items[at];
            let mut d = Diagnostic::warning(
                "check.mismatch",
                format!("{}: {detail}", self.path_text(at)),
            );
            if let Some(p) = it.page {
                d = d.on_page(p);
            }
            if let Some(b) = it.bbox {
                d = d.at(format!(
                    "bbox {:.0},{:.0},{:.0},{:.0}",
                    b.x0, b.y0, b.x1, b.y1
                ));
            } else if let Some(r) = it.row {
                d = d.at(format!("row {r}"));
            }
            self.diagnostics.push(d);
        }
    }

    /// Σ of `parts` (item, role) against `total`; parts that print nothing count as zero when at
    /// least one part prints a figure.
    fn sum_check(&mut self, what: &str, total: (usize, Role), parts: &[(usize, Role)]) {
        let Some(t) = self.items[total.0].yen(total.1) else {
            return;
        };
        let present: Vec<(usize, Role)> = parts
            .iter()
            .copied()
            .filter(|&(i, r)| self.items[i].amount(r).is_some())
            .collect();
        if present.is_empty() {
            return;
        }
        let sum = present
            .iter()
            .filter_map(|&(i, r)| self.items[i].yen(r))
            .try_fold(0i64, |a, v| a.checked_add(v));
        let Some(sum) = sum else { return };
        let ok = sum == t;
        let detail = format!(
            "Σ{what} {} {} {} {}",
            fmt_yen(sum),
            if ok { "=" } else { "≠" },
            self.items[total.0]
                .amount(total.1)
                .map_or("", |a| a.label.as_str()),
            fmt_yen(t)
        );
        let detail = if ok {
            detail
        } else {
            format!("{detail} (diff {})", fmt_yen(sum - t))
        };
        let mut cells = present;
        cells.push(total);
        self.record(&cells, ok, detail, total.0);
    }

    fn eq_check(&mut self, what: &str, a: (usize, Role), b: (usize, Role)) {
        let (Some(x), Some(y)) = (self.items[a.0].yen(a.1), self.items[b.0].yen(b.1)) else {
            return;
        };
        let ok = x == y;
        let detail = format!(
            "{what} {} {} {}",
            fmt_yen(x),
            if ok { "=" } else { "≠" },
            fmt_yen(y)
        );
        self.record(&[a, b], ok, detail, a.0);
    }

    fn run_checks(&mut self) {
        let mut kids: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (j, it) in self.items.iter().enumerate() {
            if let Some(p) = it.parent {
                kids.entry(p).or_default().push(j);
            }
        }
        let of = |i: usize, level: Level, items: &[Item]| -> Vec<usize> {
            kids.get(&i).map_or(Vec::new(), |v| {
                v.iter()
                    .copied()
                    .filter(|&j| items[j].level == level)
                    .collect()
            })
        };
        // Σ of the children at `level` (their `child` amount) = the item's `total` amount.
        let sum_children =
            |book: &mut Self, what: &str, i: usize, total: Role, level: Level, child: Role| {
                let parts: Vec<(usize, Role)> = of(i, level, &book.items)
                    .into_iter()
                    .map(|j| (j, child))
                    .collect();
                if !parts.is_empty() {
                    book.sum_check(what, (i, total), &parts);
                }
            };
        for i in 0..self.items.len() {
            let level = self.items[i].level;
            match level {
                Level::Moku | Level::SummaryKan | Level::KouTotal | Level::SummaryTotal => {
                    // 比較 = 本年度 − 前年度.
                    let it = &self.items[i];
                    if let (Some(c), Some(p), Some(d)) = (
                        it.yen(Role::Current),
                        it.yen(Role::Previous),
                        it.yen(Role::Change),
                    ) {
                        if let Some(expected) = c.checked_sub(p) {
                            let ok = expected == d;
                            let detail = format!(
                                "比較 {} {} 本年度 − 前年度 ({})",
                                fmt_yen(d),
                                if ok { "=" } else { "≠" },
                                fmt_yen(expected)
                            );
                            self.record(
                                &[(i, Role::Change), (i, Role::Current), (i, Role::Previous)],
                                ok,
                                detail,
                                i,
                            );
                        }
                    }
                    // Σ財源内訳 = 本年度.
                    let funds: Vec<(usize, Role)> = self.items[i]
                        .amounts
                        .iter()
                        .filter(|a| a.role.is_fund())
                        .map(|a| (i, a.role))
                        .collect();
                    if !funds.is_empty() {
                        self.sum_check("財源", (i, Role::Current), &funds);
                    }
                    if level == Level::Moku {
                        sum_children(
                            self,
                            "節",
                            i,
                            Role::Current,
                            Level::Setsu,
                            Role::SetsuAmount,
                        );
                        let expl = of(i, Level::Expl, &self.items);
                        if !expl.is_empty() && expl.iter().all(|&j| self.items[j].code.is_some()) {
                            let parts: Vec<(usize, Role)> =
                                expl.into_iter().map(|j| (j, Role::ExplAmount)).collect();
                            self.sum_check("事業", (i, Role::Current), &parts);
                        }
                    }
                }
                Level::Setsu => {
                    sum_children(
                        self,
                        "小区分",
                        i,
                        Role::SetsuAmount,
                        Level::SubSetsu,
                        Role::SetsuAmount,
                    );
                }
                Level::Expl if self.items[i].code.is_some() => {
                    let sub = of(i, Level::Expl, &self.items);
                    let coded: Vec<usize> = sub
                        .iter()
                        .copied()
                        .filter(|&j| self.items[j].code.is_some())
                        .collect();
                    // Only when every sub-line with an amount is coded (uncoded lines are details).
                    let with_amount = sub
                        .iter()
                        .filter(|&&j| self.items[j].amount(Role::ExplAmount).is_some())
                        .count();
                    if !coded.is_empty() && coded.len() == with_amount {
                        let parts: Vec<(usize, Role)> =
                            coded.into_iter().map(|j| (j, Role::ExplAmount)).collect();
                        self.sum_check("細事業", (i, Role::ExplAmount), &parts);
                    }
                }
                Level::Kan => {
                    sum_children(self, "項", i, Role::Current, Level::Kou, Role::Current);
                }
                _ => {}
            }
        }
        // 計 of each 項: Σ目 per column, and the 項 heading.
        for i in 0..self.items.len() {
            if self.items[i].level != Level::KouTotal {
                continue;
            }
            let Some(kou) = self.items[i].parent else {
                continue;
            };
            let mokus = of(kou, Level::Moku, &self.items);
            let roles: Vec<Role> = self.items[i].amounts.iter().map(|a| a.role).collect();
            for role in roles {
                let parts: Vec<(usize, Role)> = mokus.iter().map(|&m| (m, role)).collect();
                self.sum_check("目", (i, role), &parts);
            }
            self.eq_check("項 heading = 計", (kou, Role::Current), (i, Role::Current));
        }
        // Across the book: 款 and 項 against 第1表 and 総括, Σ款 against the totals.
        for dir in [Direction::Revenue, Direction::Expenditure] {
            let accounts: Vec<Option<String>> = {
                let mut v: Vec<Option<String>> = self
                    .items
                    .iter()
                    .filter(|i| i.direction == dir && i.level == Level::Kan)
                    .map(|i| i.account.clone())
                    .collect();
                v.dedup();
                v
            };
            for account in accounts {
                let kans: Vec<usize> = (0..self.items.len())
                    .filter(|&j| {
                        self.items[j].level == Level::Kan
                            && self.items[j].direction == dir
                            && self.items[j].account == account
                    })
                    .collect();
                let find = |level: Level,
                            code: &Option<String>,
                            parent_code: Option<&Option<String>>,
                            items: &[Item]|
                 -> Option<usize> {
                    items.iter().position(|x| {
                        x.level == level
                            && x.direction == dir
                            && x.account == account
                            && x.code == *code
                            && parent_code
                                .is_none_or(|pc| x.parent.is_some_and(|p| items[p].code == *pc))
                    })
                };
                for &k in &kans {
                    let code = self.items[k].code.clone();
                    if let Some(f) = find(Level::FirstKan, &code, None, &self.items) {
                        self.eq_check("款 = 第1表", (k, Role::Current), (f, Role::Amount));
                    }
                    if let Some(s) = find(Level::SummaryKan, &code, None, &self.items) {
                        self.eq_check("款 = 総括", (k, Role::Current), (s, Role::Current));
                    }
                    for q in of(k, Level::Kou, &self.items) {
                        let qc = self.items[q].code.clone();
                        if let Some(f) = find(Level::FirstKou, &qc, Some(&code), &self.items) {
                            self.eq_check("項 = 第1表", (q, Role::Current), (f, Role::Amount));
                        }
                    }
                }
                let first_total = self.items.iter().position(|x| {
                    x.level == Level::FirstTotal && x.direction == dir && x.account == account
                });
                let summary_total = self.items.iter().position(|x| {
                    x.level == Level::SummaryTotal && x.direction == dir && x.account == account
                });
                let article = self.items.iter().position(|x| {
                    x.level == Level::Article1 && x.direction == dir && x.account == account
                });
                let parts: Vec<(usize, Role)> = kans.iter().map(|&k| (k, Role::Current)).collect();
                if let Some(t) = first_total {
                    self.sum_check("款", (t, Role::Amount), &parts);
                    let firsts: Vec<(usize, Role)> = (0..self.items.len())
                        .filter(|&j| {
                            self.items[j].level == Level::FirstKan
                                && self.items[j].direction == dir
                                && self.items[j].account == account
                        })
                        .map(|j| (j, Role::Amount))
                        .collect();
                    self.sum_check("第1表 款", (t, Role::Amount), &firsts);
                    for f in firsts.iter().map(|p| p.0).collect::<Vec<_>>() {
                        let kous: Vec<(usize, Role)> = of(f, Level::FirstKou, &self.items)
                            .into_iter()
                            .map(|j| (j, Role::Amount))
                            .collect();
                        self.sum_check("第1表 項", (f, Role::Amount), &kous);
                    }
                    if let Some(a) = article {
                        self.eq_check(
                            "第1表 total = 第1条 総額",
                            (t, Role::Amount),
                            (a, Role::Current),
                        );
                    }
                } else if let Some(a) = article {
                    self.sum_check("款", (a, Role::Current), &parts);
                }
                if let Some(s) = summary_total {
                    let rows: Vec<usize> = (0..self.items.len())
                        .filter(|&j| {
                            self.items[j].level == Level::SummaryKan
                                && self.items[j].direction == dir
                                && self.items[j].account == account
                        })
                        .collect();
                    let roles: Vec<Role> = self.items[s].amounts.iter().map(|a| a.role).collect();
                    for role in roles {
                        let parts: Vec<(usize, Role)> = rows.iter().map(|&r| (r, role)).collect();
                        self.sum_check("総括 款", (s, role), &parts);
                    }
                }
            }
        }
    }

    /// 節 names of 歳出 against the national list; repairs names that lost a glyph.
    fn check_setsu_names(&mut self) {
        for i in 0..self.items.len() {
            let it = &self.items[i];
            if it.level != Level::Setsu || it.direction != Direction::Expenditure {
                continue;
            }
            let name = compact(&it.name);
            let code: Option<usize> = it.code.as_deref().and_then(|c| c.parse().ok());
            let found = SETSU_NAMES.iter().position(|n| *n == name);
            let (index, repaired) = match found {
                Some(p) => (Some(p), false),
                None => match repair_setsu_name(&name) {
                    Some(p) => (Some(p), true),
                    None => (None, false),
                },
            };
            let mut d = match (index, repaired) {
                (Some(p), true) => {
                    let fixed = SETSU_NAMES[p];
                    let msg = format!("節 name {:?} restored to {fixed:?}: a character was lost in the document's text (printed text kept in label_text)", it.name);
                    self.items[i].name = fixed.to_string();
                    Some(Diagnostic::warning("budget_book.repaired_name", msg))
                }
                (Some(p), false) if code.is_some_and(|c| c != p + 1) => Some(Diagnostic::warning(
                    "budget_book.setsu_number",
                    format!(
                        "節 {} {} has number {} in the national list",
                        it.code.as_deref().unwrap_or(""),
                        it.name,
                        p + 1
                    ),
                )),
                (Some(_), false) => None,
                (None, _) => Some(Diagnostic::warning(
                    "budget_book.unknown_setsu",
                    format!("節 name {:?} is not one of the 27 national 節", it.name),
                )),
            };
            if let Some(d) = d.take() {
                let it = &self.items[i];
                let mut d = d;
                if let Some(p) = it.page {
                    d = d.on_page(p);
                }
                if let Some(b) = it.bbox {
                    d = d.at(format!(
                        "bbox {:.0},{:.0},{:.0},{:.0}",
                        b.x0, b.y0, b.x1, b.y1
                    ));
                }
                self.diagnostics.push(d);
            }
        }
    }

    // -- output ---------------------------------------------------------------------------------

    fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut chain = vec![i];
        let mut cur = i;
        while let Some(p) = self.items[cur].parent {
            chain.push(p);
            cur = p;
            if chain.len() > 64 {
                break;
            }
        }
        // The 款/項/目 above a 目 are its parents; 第1表 and 総括 lines stand for themselves.
        if let Some(&top) = chain.last() {
            if self.items[top].level == Level::Kou {
                // Unreachable by construction (項 always has a 款 parent); kept for safety.
            }
        }
        chain.reverse();
        chain
    }

    fn path_text(&self, i: usize) -> String {
        self.ancestors(i)
            .iter()
            .map(|&j| self.items[j].name.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    fn into_output(self) -> FamilyOutput {
        let fy = self.ctx.fiscal_year.unwrap_or(0);
        let phase = self.ctx.phase.unwrap_or(Phase::Initial);
        let mut lines: Vec<BudgetLine> = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            if it.amounts.is_empty() {
                continue;
            }
            let chain = self.ancestors(i);
            let mut path: Vec<String> = chain.iter().map(|&j| self.items[j].name.clone()).collect();
            let mut codes: Vec<String> = chain
                .iter()
                .map(|&j| self.items[j].code.clone().unwrap_or_default())
                .collect();
            let (level, total) = match it.level {
                Level::Kan | Level::FirstKan | Level::SummaryKan => ("款", it.level != Level::Kan),
                Level::Kou | Level::FirstKou => ("項", it.level == Level::FirstKou),
                Level::Moku => ("目", false),
                Level::KouTotal => ("計", true),
                Level::Setsu => ("節", false),
                Level::SubSetsu => ("小区分", false),
                Level::Expl => match (it.code.is_some(), it.parent.map(|p| self.items[p].level)) {
                    (true, Some(Level::Moku)) => ("事業", false),
                    (true, Some(Level::Expl)) => ("細事業", false),
                    _ => ("説明", false),
                },
                Level::FirstTotal | Level::SummaryTotal | Level::Article1 => ("合計", true),
            };
            if it.level == Level::KouTotal && path.len() >= 2 {
                // Already [款, 項, 計].
            }
            if matches!(it.level, Level::FirstTotal | Level::SummaryTotal) {
                path = vec![it.name.clone()];
                codes = vec![String::new()];
            }
            for a in &it.amounts {
                let (measure, offset) = a.role.measure();
                let mut line = self.ctx.line(ID);
                line.account = it.account.clone();
                line.direction = it.direction;
                line.fiscal_year = fy + offset;
                line.document_fiscal_year = fy;
                line.phase = phase;
                line.path = path.clone();
                line.path_codes = codes.clone();
                line.code = it.code.clone();
                line.label_text = if it.label_text.is_empty() {
                    it.name.clone()
                } else {
                    it.label_text.clone()
                };
                line.level = level.to_string();
                line.measure = measure.to_string();
                line.measure_label = a.label.clone();
                line.amount_yen = a.yen;
                line.amount_text = a.text.clone();
                line.unit = a.unit.label().to_string();
                line.is_total = total;
                line.page = a.page.or(it.page).map(|p| p as i32);
                line.sheet = None;
                line.row = it.row;
                line.column = a.column;
                line.bbox = a.bbox.or(it.bbox).map(|b| [b.x0, b.y0, b.x1, b.y1]);
                line.check = a.check;
                line.check_detail = if a.details.is_empty() {
                    None
                } else {
                    Some(a.details.join("; "))
                };
                lines.push(line);
            }
        }
        let mut out = FamilyOutput {
            lines,
            diagnostics: self.diagnostics,
            checks_ok: self.checks_ok,
            checks_mismatch: self.checks_mismatch,
        };
        if out.lines.is_empty() {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "no 事項別明細書 table with 款/項/目 rows was found in the budget book",
            ));
        }
        out
    }
}

/// Splits a leading item number (`1 一般管理費`, `１０ 需用費`, `001 給与費`) off a name.
fn split_code(text: &str) -> (Option<String>, String) {
    let t = text.trim();
    if t.is_empty() {
        return (None, String::new());
    }
    let (code, name) = split_numbering(t);
    match code {
        Some(c) if c.chars().all(|d| d.is_ascii_digit()) => (Some(c), name),
        Some(_) => (None, normalize_label(t)),
        None => {
            // A number alone (the name is on the line above or below).
            let f = fold_width(t);
            if f.chars().all(|d| d.is_ascii_digit()) && f.len() <= 3 {
                (Some(f.into_owned()), String::new())
            } else {
                (None, name)
            }
        }
    }
}

/// A 説明 amount: digits with separators and an optional sign, nothing else.
fn is_plain_amount(token: &str) -> bool {
    let f = fold_width(token);
    let t = f.trim();
    let t = t.strip_prefix(['△', '▲', '-', '−']).unwrap_or(t);
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == ',')
        && t.starts_with(|c: char| c.is_ascii_digit())
        && !t.ends_with(',')
}

/// Appends a wrapped line to an item's name, without the space a wrap leaves between Japanese
/// characters.
fn append_name(it: &mut Item, text: &str, row: &Row) {
    it.label_text = format!("{} {}", it.label_text, text.trim());
    it.name = normalize_label(&format!("{} {}", it.name, text.trim()));
    it.name_bottom = row.bbox.map_or(it.name_bottom, |b| b.y1);
}

/// The index in [`SETSU_NAMES`] of the name `name` is once one lost character is restored: a
/// U+FFFD where the character was drawn without a text mapping, or a character missing (names of
/// four characters or more, so that a short word is not taken for a 節).
pub fn repair_setsu_name(name: &str) -> Option<usize> {
    let n: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut hits = SETSU_NAMES.iter().enumerate().filter(|(_, cand)| {
        let c: Vec<char> = cand.chars().collect();
        if c.len() == n.len() {
            let diffs: Vec<usize> = (0..c.len()).filter(|&i| c[i] != n[i]).collect();
            diffs.len() == 1 && n[diffs[0]] == '\u{FFFD}'
        } else if c.len() == n.len() + 1 && n.len() >= 4 {
            (0..c.len()).any(|skip| {
                c.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, ch)| *ch)
                    .eq(n.iter().copied())
            })
        } else {
            false
        }
    });
    let first = hits.next()?;
    // Ambiguous repairs are no repairs.
    hits.next().is_none().then_some(first.0)
}

fn diag_at(code: &str, row: &Row, message: String) -> Diagnostic {
    let mut d = Diagnostic::warning(code, message);
    if let Some(p) = row.page {
        d = d.on_page(p);
    }
    if let Some(b) = row.bbox {
        d = d.at(format!(
            "bbox {:.0},{:.0},{:.0},{:.0}",
            b.x0, b.y0, b.x1, b.y1
        ));
    } else if let Some(r) = row.source_row {
        d = d.at(format!("row {r}"));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_glyphs_are_restored_only_when_unambiguous() {
        assert_eq!(repair_setsu_name("補償、補\u{FFFD}及び賠償金"), Some(20));
        assert_eq!(repair_setsu_name("補償、補 及 び賠償金"), Some(20));
        assert_eq!(repair_setsu_name("補償、補塡及び賠償金"), None);
        assert_eq!(repair_setsu_name("給\u{FFFD}"), Some(1));
        assert_eq!(repair_setsu_name("委託"), None);
        assert_eq!(SETSU_NAMES[20], "補償、補塡及び賠償金");
    }

    #[test]
    fn codes_split_from_names() {
        assert_eq!(
            split_code("1 一般管理費"),
            (Some("1".into()), "一般管理費".into())
        );
        assert_eq!(
            split_code("１０ 需用費"),
            (Some("10".into()), "需用費".into())
        );
        assert_eq!(
            split_code("001 特別職 ３人"),
            (Some("001".into()), "特別職 3人".into())
        );
        assert_eq!(split_code("2"), (Some("2".into()), String::new()));
        assert_eq!(split_code("管理職手当"), (None, "管理職手当".into()));
    }

    #[test]
    fn plain_amounts_only() {
        assert!(is_plain_amount("2,064,993"));
        assert!(is_plain_amount("△1,594"));
        assert!(!is_plain_amount("15億円"));
        assert!(!is_plain_amount("402,000×98.9％"));
        assert!(!is_plain_amount("３人"));
    }

    fn header_tokens_of(row: &Row) -> Option<Vec<(Kw, usize, String)>> {
        header_tokens(row, &[])
    }

    #[test]
    fn header_rows_are_made_of_header_words_only() {
        let row = |texts: &[&str]| Row {
            cells: texts
                .iter()
                .enumerate()
                .map(|(i, t)| layout::Cell {
                    col: i,
                    text: t.to_string(),
                    bbox: None,
                    page: None,
                    indent: 0,
                    numeric: false,
                    words: vec![],
                })
                .collect(),
            bbox: None,
            page: None,
            y: 0.0,
            source_row: None,
            ruled: true,
        };
        let t = header_tokens_of(&row(&[
            "目",
            "本年度予算額",
            "前年度予算額",
            "比 較",
            "特",
            "定",
            "財",
            "源",
        ]))
        .unwrap();
        assert_eq!(t[0].0, Kw::NameWord(false));
        assert_eq!(t[3], (Kw::Role(Role::Change), 3, "比較".into()));
        assert!(header_tokens_of(&row(&["本 年 度 予 算 額 の 財 源 内 訳"])).is_some());
        assert!(header_tokens_of(&row(&["千円", "千円"])).is_some());
        assert!(header_tokens_of(&row(&["その他諸会議出席者等負担金", "185"])).is_none());
        assert!(header_tokens_of(&row(&["1 議会費", "481,596"])).is_none());
    }

    fn sheet(rows: &[&[&str]]) -> Document {
        let grid = yosan_extractors::Grid {
            name: "歳出".into(),
            sheet: Some("歳出".into()),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|t| yosan_extractors::Cell::text(*t)).collect())
                .collect(),
            ..Default::default()
        };
        Document {
            format: Some(yosan_extractors::Format::Xlsx),
            grids: vec![grid],
            ..Default::default()
        }
    }

    const HEAD: &[&str] = &[
        "目",
        "本年度予算額",
        "前年度予算額",
        "比較",
        "国県支出金",
        "地方債",
        "その他",
        "一般財源",
        "区分",
        "金額",
        "説明",
        "金額",
    ];
    const UNITS: &[&str] = &[
        "", "千円", "千円", "千円", "千円", "千円", "千円", "千円", "", "千円", "", "千円",
    ];

    #[test]
    fn a_wrong_figure_fails_its_checks_and_each_failure_is_reported() {
        let doc = sheet(&[
            &["歳入歳出予算事項別明細書"],
            &["３　歳出"],
            HEAD,
            UNITS,
            &["１款 議会費", "", "", "", "", "", "", "100千円"],
            &["１項 議会費", "", "", "", "", "", "", "100千円"],
            &[
                "1 議会費",
                "100",
                "90",
                "20",
                "",
                "",
                "",
                "100",
                "1 報酬",
                "60",
                "001 給与費",
                "100",
            ],
            &["", "", "", "", "", "", "", "", "2 給料", "30"],
            &["計", "100", "90", "10", "0", "0", "0", "100"],
        ]);
        let ctx = DocContext {
            fiscal_year: Some(2025),
            ..DocContext::for_tests()
        };
        assert!(BudgetBook.recognise(&doc));
        let out = BudgetBook.parse(&doc, &ctx);
        // 比較 20 ≠ 100 − 90; Σ節 90 ≠ 100; Σ目 of 比較 20 ≠ 計 10.
        assert_eq!(out.checks_mismatch, 3, "{:#?}", out.diagnostics);
        assert!(out.checks_ok >= 6);
        let mismatches: Vec<&Diagnostic> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == "check.mismatch")
            .collect();
        assert_eq!(mismatches.len(), 3);
        let change = out
            .lines
            .iter()
            .find(|l| l.level == "目" && l.measure == "change")
            .expect("比較 line");
        assert_eq!(change.check, Check::Mismatch);
        assert!(change.check_detail.as_deref().unwrap_or("").contains('≠'));
        let general = out
            .lines
            .iter()
            .find(|l| l.level == "目" && l.measure == "funding_general")
            .expect("一般財源 line");
        assert_eq!(general.check, Check::Ok, "{:?}", general.check_detail);
        assert_eq!(general.amount_yen, Some(100_000));
        // The previous year's column belongs to the previous fiscal year.
        let prev = out
            .lines
            .iter()
            .find(|l| l.level == "目" && l.fiscal_year == 2024)
            .expect("前年度");
        assert_eq!(prev.amount_yen, Some(90_000));
        assert_eq!(prev.path, ["議会費", "議会費", "議会費"]);
    }

    #[test]
    fn amounts_stay_on_their_own_line() {
        // A 目 that prints no 財源 gets no 財源 lines: nothing is carried from the 目 above.
        let doc = sheet(&[
            &["歳入歳出予算事項別明細書"],
            &["３　歳出"],
            HEAD,
            UNITS,
            &["１款 総務費", "", "", "", "", "", "", "30千円"],
            &["１項 総務管理費", "", "", "", "", "", "", "30千円"],
            &["1 文書費", "10", "10", "0", "1", "", "", "9"],
            &["2 市史編さん費", "20", "20", "0", "", "", "", "20"],
            &["計", "30", "30", "0", "1", "0", "0", "29"],
        ]);
        let out = BudgetBook.parse(&doc, &DocContext::for_tests());
        assert_eq!(out.checks_mismatch, 0, "{:#?}", out.diagnostics);
        let national: Vec<&BudgetLine> = out
            .lines
            .iter()
            .filter(|l| l.level == "目" && l.measure == "funding_national_prefectural")
            .collect();
        assert_eq!(national.len(), 1);
        assert_eq!(national[0].path.last().map(String::as_str), Some("文書費"));
    }

    #[test]
    fn each_account_of_a_book_keeps_its_own_lines() {
        let doc = sheet(&[
            &["一般会計歳入歳出予算事項別明細書"],
            &["３　歳出"],
            HEAD,
            UNITS,
            &["１款 議会費", "", "", "", "", "", "", "10千円"],
            &["１項 議会費", "", "", "", "", "", "", "10千円"],
            &[
                "1 議会費",
                "10",
                "10",
                "0",
                "",
                "",
                "",
                "10",
                "1 報酬",
                "10",
            ],
            &["計", "10", "10", "0", "0", "0", "0", "10"],
            &["国民健康保険事業特別会計歳入歳出予算事項別明細書"],
            &["３　歳出"],
            HEAD,
            UNITS,
            &["１款 総務費", "", "", "", "", "", "", "20千円"],
            &["１項 総務管理費", "", "", "", "", "", "", "20千円"],
            &[
                "1 一般管理費",
                "20",
                "15",
                "5",
                "",
                "",
                "",
                "20",
                "2 給料",
                "20",
            ],
            &["計", "20", "15", "5", "0", "0", "0", "20"],
        ]);
        let out = BudgetBook.parse(&doc, &DocContext::for_tests());
        assert_eq!(out.checks_mismatch, 0, "{:#?}", out.diagnostics);
        for l in &out.lines {
            let expected = if l.path[0] == "議会費" {
                "一般会計"
            } else {
                "国民健康保険事業特別会計"
            };
            assert_eq!(l.account.as_deref(), Some(expected), "{l:?}");
            assert_eq!(l.direction, Direction::Expenditure);
        }
        assert!(out
            .lines
            .iter()
            .any(|l| l.path[0] == "総務費" && l.level == "節"));
    }
}
