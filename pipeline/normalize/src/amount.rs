//! Money amounts to integer yen.
//!
//! All arithmetic is exact: numbers are read as decimal mantissa and scale into `i128` with checked
//! operations and the result is converted to `i64` yen. No floating point is used anywhere; an
//! amount that does not fit is [`AmountError::Overflow`], one that is not a whole number of yen
//! is [`AmountError::Fractional`], and nothing panics.
//!
//! Before parsing, the text is width-folded ([`crate::width::fold_width`]), so full-width digits,
//! `，` `．` `－` `（` `）` `％` `／` `：` and U+3000 are read as their ASCII forms.
//!
//! What [`parse_amount`] reads (the whole text, surrounding whitespace allowed):
//!
//! - Digits with optional thousands separators, which must group by three, and spaces allowed after
//!   each comma: `12,426`, `1, 379, 383`, `１０１，８００，０００`; a decimal part: `1.5`.
//! - Kanji numerals: digits `〇 零 一 二 三 四 五 六 七 八 九 壱 弐 参` (consecutive digits are read
//!   positionally: `二〇` = 20), small multipliers `十 拾 百 千` and large ones `万 萬 億 兆`:
//!   `五千万円` = 50,000,000, `三億二千万円`, `千二百円` = 1,200. Arabic digits may stand before
//!   multipliers: `5千万円`, `163百万`, `51億9,433万円`, `4億   65万円`, `１兆２３４５億円`.
//!   A large-unit group must be smaller than the unit before it allows (`1億12345万円` is rejected).
//! - An optional trailing `円`. `円`, `万` `億` `兆`, or `十` `百` `千` right after Arabic digits
//!   make the unit explicit and override the default unit: `12,426千円`, `163百万`, `8,824万円`,
//!   `3億円`, `1.5億円`, `12,426 千円`, `5千`. Kanji numerals without them (`五千`, `千二百`) are
//!   plain numbers in the default unit.
//! - A unit word alone (`円`, `千円`, `万円`, `百万円`, `億円`, `兆円`, or `千`, `万`, `百万`, `億`,
//!   `兆`) is a caption, not an amount: [`AmountError::NotANumber`]. Other kanji numerals without a
//!   digit are numbers: `十円` = 10, `百円` = 100.
//! - A sign before the number, spaces allowed after it: `△` and `▲` (the usual minus in budget
//!   tables), `-` (also `－` U+FF0D), `−` (U+2212), and `+`.
//! - One pair of enclosing parentheses, ASCII or full-width: `(400,000)`, `（400,000）`, which sets
//!   [`ParsedAmount::parenthesized`] and does not change the sign.
//! - "None" marks: a text made only of `-` `－` `‐` `‑` `–` `—` `―` `−` `…` `‥` `─` `⸺` `⸻` and `ー`
//!   (one to three of them, e.g. `―`, `――`; a longer run is a rule line, not a cell value) is
//!   [`AmountValue::NoneMark`], kept apart from zero. The katakana
//!   prolonged sound mark `ー` is included because it is what a Japanese input method types for a
//!   dash, and in an amount cell it cannot mean anything else.
//! - Figures that are not money ([`AmountValue::NotMoney`]): percentages `99.4%`, `%` alone;
//!   counts `32人`, `29件`, `5回`, `3か所` (see [`COUNTERS`]); rates `1/2`, `補助率 1/2`,
//!   `補助率：1/2`; ratios `皆増`, `皆減`, `1.5倍`, `3割`.
//!
//! Anything else is [`AmountError::NotANumber`]: the parser never guesses.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::width::{fold_char, fold_width};

/// The unit an amount is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Unit {
    /// 円
    Yen,
    /// 千円
    Thousand,
    /// 万円
    TenThousand,
    /// 百万円
    Million,
    /// 億円
    HundredMillion,
    /// 兆円
    Trillion,
}

impl Unit {
    /// Every unit, smallest first.
    pub const ALL: [Unit; 6] = [
        Unit::Yen,
        Unit::Thousand,
        Unit::TenThousand,
        Unit::Million,
        Unit::HundredMillion,
        Unit::Trillion,
    ];

    /// Yen per unit.
    pub fn multiplier(self) -> i64 {
        match self {
            Unit::Yen => 1,
            Unit::Thousand => 1_000,
            Unit::TenThousand => 10_000,
            Unit::Million => 1_000_000,
            Unit::HundredMillion => 100_000_000,
            Unit::Trillion => 1_000_000_000_000,
        }
    }

    /// The unit as printed: `円`, `千円`, `万円`, `百万円`, `億円`, `兆円`.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Yen => "円",
            Unit::Thousand => "千円",
            Unit::TenThousand => "万円",
            Unit::Million => "百万円",
            Unit::HundredMillion => "億円",
            Unit::Trillion => "兆円",
        }
    }

    /// The unit whose [`label`](Unit::label) is exactly `text` (after width folding and trimming).
    pub fn from_label(text: &str) -> Option<Unit> {
        let folded = fold_width(text);
        let t = folded.trim();
        Unit::ALL.into_iter().find(|u| u.label() == t)
    }

    /// Finds the unit stated in a caption.
    ///
    /// Reads `単位` followed by optional spaces and an optional `:` / `：`, then the list of units up
    /// to a bracket or line end, split at `/`, `・`, `、`, `,` and spaces: `（単位：千円）`,
    /// `(単位 : 千円)`, `単位：百万円`, `単位:円)`, `（単位：件/千円）`, `(単位：千円、%)`. The list must
    /// name exactly one money unit; other entries (`件`, `%`) are ignored. A caption that is only a
    /// unit label, optionally in brackets (`千円`, `（千円）`, as printed above budget-book columns),
    /// is read too. Anything else is `None`.
    pub fn from_caption(text: &str) -> Option<Unit> {
        let folded = fold_width(text);
        let t = folded.trim();
        let unbracketed = strip_brackets(t).unwrap_or(t);
        if let Some(u) = Unit::from_label(unbracketed) {
            return Some(u);
        }
        let mut search = t;
        while let Some(at) = search.find("単位") {
            let after = &search[at + "単位".len()..];
            if let Some(u) = caption_list_unit(after) {
                return Some(u);
            }
            search = after;
        }
        None
    }
}

fn strip_brackets(t: &str) -> Option<&str> {
    [('(', ')'), ('[', ']'), ('【', '】'), ('〔', '〕')]
        .into_iter()
        .find_map(|(open, close)| t.strip_prefix(open)?.strip_suffix(close))
        .map(str::trim)
}

/// Reads the unit list right after `単位`.
fn caption_list_unit(after: &str) -> Option<Unit> {
    let rest = after.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
    let end = rest
        .find(['(', ')', '[', ']', '【', '】', '〔', '〕', '\n', '\r'])
        .unwrap_or(rest.len());
    let mut found: Option<Unit> = None;
    for item in rest[..end].split(['/', '・', '、', ',', ' ', '\t']) {
        if let Some(u) = Unit::from_label(item) {
            match found {
                Some(prev) if prev != u => return None,
                _ => found = Some(u),
            }
        }
    }
    found
}

/// Figures that sit in amount columns or next to amounts but are not money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NotMoney {
    /// `99.4%`, `％`
    Percent,
    /// A number with a counter: `32人`, `29件`, `5回`, `3か所`
    Count,
    /// A fraction: `1/2`, `補助率 1/2`
    Rate,
    /// `皆増`, `皆減` (in A/B columns when one side is zero), `1.5倍`, `3割`
    Ratio,
}

/// What an amount cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AmountValue {
    /// Integer yen, sign applied.
    Yen(i64),
    /// A dash or ellipsis that means "none": not zero, not minus.
    NoneMark,
    /// A figure that is not money.
    NotMoney(NotMoney),
}

/// The result of [`parse_amount`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ParsedAmount {
    pub value: AmountValue,
    /// The unit applied: the printed one when [`explicit_unit`](Self::explicit_unit), else the
    /// default. For compounds it is the unit of the last group (`51億9,433万円` → `TenThousand`,
    /// `千二百円` → `Yen`, `163百万` → `Million`, `5千万円` → `TenThousand`). For none marks and
    /// figures that are not money it is the default unit.
    pub unit: Unit,
    /// The text printed its unit (see the module documentation): `円`, `万` `億` `兆`, or a
    /// multiplier right after Arabic digits.
    pub explicit_unit: bool,
    /// The text was wrapped in `(…)` or `（…）`.
    pub parenthesized: bool,
    /// The text carried a minus sign (`△`, `▲`, `-`, `−`, `－`); also true for `△0`.
    pub negative: bool,
}

impl ParsedAmount {
    /// The amount in yen, if the text was money.
    pub fn yen(&self) -> Option<i64> {
        match self.value {
            AmountValue::Yen(v) => Some(v),
            _ => None,
        }
    }
}

/// Why a text is not an amount. Each variant except `Empty` carries the input text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AmountError {
    /// Only whitespace.
    Empty,
    /// Not one of the accepted forms.
    NotANumber { text: String },
    /// Does not fit in `i64` yen, or has too many digits to compute exactly.
    Overflow { text: String },
    /// Not a whole number of yen (`0.5円`, `1.2345` in 千円).
    Fractional { text: String },
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => write!(f, "empty amount"),
            AmountError::NotANumber { text } => write!(f, "not an amount: {text:?}"),
            AmountError::Overflow { text } => write!(f, "amount out of range: {text:?}"),
            AmountError::Fractional { text } => {
                write!(f, "amount is not a whole number of yen: {text:?}")
            }
        }
    }
}

impl std::error::Error for AmountError {}

/// Counter words that make a number a count ([`NotMoney::Count`]), longest first where one is a
/// suffix of another.
pub const COUNTERS: &[&str] = &[
    "か所", "ヵ所", "ヶ所", "ケ所", "カ所", "箇所", "か月", "ヵ月", "ヶ月", "カ月", "箇月", "世帯",
    "団体", "施設", "事業", "時間", "人", "件", "回", "社", "者", "名", "個", "台", "枚", "冊",
    "校", "園", "戸", "日", "週", "年", "歳", "棟", "室", "店", "頭", "機", "隻", "本", "点",
];

/// Counter words that make a number a ratio ([`NotMoney::Ratio`]).
const RATIO_WORDS: &[&str] = &["倍", "割"];

/// Characters that, alone or in a run, mean "none" in an amount cell.
fn is_none_mark(c: char) -> bool {
    matches!(
        c,
        '-' | '‐' | '‑' | '–' | '—' | '―' | '−' | '…' | '‥' | '─' | '⸺' | '⸻' | 'ー'
    )
}

/// An exact decimal: `m / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dec {
    m: i128,
    scale: u32,
}

/// Internal failure kinds, turned into [`AmountError`] with the input text at the boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fail {
    Syntax,
    Overflow,
}

impl Dec {
    const ZERO: Dec = Dec { m: 0, scale: 0 };

    fn int(m: i128) -> Dec {
        Dec { m, scale: 0 }
    }

    fn normalized(mut self) -> Dec {
        while self.scale > 0 && self.m % 10 == 0 {
            self.m /= 10;
            self.scale -= 1;
        }
        self
    }

    fn mul_int(self, k: i128) -> Result<Dec, Fail> {
        let m = self.m.checked_mul(k).ok_or(Fail::Overflow)?;
        Ok(Dec {
            m,
            scale: self.scale,
        }
        .normalized())
    }

    fn add(self, other: Dec) -> Result<Dec, Fail> {
        let scale = self.scale.max(other.scale);
        let lift = |d: Dec| -> Result<i128, Fail> {
            let f = 10i128.checked_pow(scale - d.scale).ok_or(Fail::Overflow)?;
            d.m.checked_mul(f).ok_or(Fail::Overflow)
        };
        let m = lift(self)?
            .checked_add(lift(other)?)
            .ok_or(Fail::Overflow)?;
        Ok(Dec { m, scale }.normalized())
    }

    /// Whether `self < 10^exp`; `self` is non-negative.
    fn below_pow10(self, exp: u32) -> bool {
        match 10i128.checked_pow(exp.saturating_add(self.scale)) {
            Some(limit) => self.m < limit,
            None => true,
        }
    }
}

fn pow10(exp: u32) -> i128 {
    // Only called with the exponents of 万, 億, 兆 (4, 8, 12).
    10i128.pow(exp)
}

/// A token of the amount grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Num(Dec),
    KDigit(u8),
    /// 十 百 千: the multiplier.
    Small(i128),
    /// 万 億 兆: the power of ten.
    Big(u32),
    Yen,
}

fn kanji_digit(c: char) -> Option<u8> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壱' => 1,
        '二' | '弐' => 2,
        '三' | '参' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn small_multiplier(c: char) -> Option<i128> {
    match c {
        '十' | '拾' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

fn big_exponent(c: char) -> Option<u32> {
    match c {
        '万' | '萬' => Some(4),
        '億' => Some(8),
        '兆' => Some(12),
        _ => None,
    }
}

/// Reads an Arabic number at the start of `s` (ASCII digits, commas grouping by three with spaces
/// allowed after a comma, an optional decimal part). Returns the number and the rest, or `None`
/// when `s` does not start with a digit. A malformed grouping is a syntax failure.
fn read_number(s: &str) -> Result<Option<(Dec, &str)>, Fail> {
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return Ok(None);
    }
    let mut m: i128 = 0;
    let mut i = 0;
    let push_digit = |m: i128, b: u8| -> Result<i128, Fail> {
        m.checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(b - b'0')))
            .ok_or(Fail::Overflow)
    };
    let mut first_group = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        m = push_digit(m, bytes[i])?;
        i += 1;
        first_group += 1;
    }
    let mut grouped = false;
    while i < bytes.len() && bytes[i] == b',' {
        let mut j = i + 1;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        let start = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j - start != 3 {
            return Err(Fail::Syntax);
        }
        for &b in &bytes[start..j] {
            m = push_digit(m, b)?;
        }
        grouped = true;
        i = j;
    }
    if grouped && first_group > 3 {
        return Err(Fail::Syntax);
    }
    let mut scale = 0u32;
    if i < bytes.len() && bytes[i] == b'.' {
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            m = push_digit(m, bytes[j])?;
            scale = scale.saturating_add(1);
            j += 1;
        }
        if j == start {
            return Err(Fail::Syntax);
        }
        i = j;
    }
    Ok(Some((Dec { m, scale }.normalized(), &s[i..])))
}

fn tokenize(s: &str) -> Result<Vec<Tok>, Fail> {
    let mut toks = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if let Some((d, after)) = read_number(rest)? {
            toks.push(Tok::Num(d));
            rest = after;
            continue;
        }
        let tok = if let Some(d) = kanji_digit(c) {
            Tok::KDigit(d)
        } else if let Some(m) = small_multiplier(c) {
            Tok::Small(m)
        } else if let Some(e) = big_exponent(c) {
            Tok::Big(e)
        } else if c == '円' {
            Tok::Yen
        } else {
            return Err(Fail::Syntax);
        };
        toks.push(tok);
        rest = &rest[c.len_utf8()..];
    }
    Ok(toks)
}

/// Where the current coefficient came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coef {
    Arabic,
    Kanji,
}

/// Evaluates a token list to `(value, explicit unit)`; the default unit is applied by the caller.
fn evaluate(toks: &[Tok]) -> Result<(Dec, Option<Unit>), Fail> {
    let mut total = Dec::ZERO;
    let mut section = Dec::ZERO;
    let mut section_used = false;
    let mut current: Option<(Dec, Coef)> = None;
    let mut last_small: Option<i128> = None;
    let mut last_big: Option<u32> = None;
    let mut has_digit = false;
    if toks.is_empty() {
        return Err(Fail::Syntax);
    }

    for (idx, tok) in toks.iter().enumerate() {
        match *tok {
            Tok::Num(d) => {
                if current.is_some() {
                    return Err(Fail::Syntax);
                }
                current = Some((d, Coef::Arabic));
                has_digit = true;
            }
            Tok::KDigit(k) => {
                let next = match current {
                    None => Dec::int(i128::from(k)),
                    Some((d, Coef::Kanji)) => d.mul_int(10)?.add(Dec::int(i128::from(k)))?,
                    Some((_, Coef::Arabic)) => return Err(Fail::Syntax),
                };
                current = Some((next, Coef::Kanji));
                has_digit = true;
            }
            Tok::Small(m) => {
                if last_small.is_some_and(|prev| m >= prev) {
                    return Err(Fail::Syntax);
                }
                let coef = match current.take() {
                    None => Dec::int(1),
                    // Kanji numerals put one digit 1–9 before 十 百 千.
                    Some((d, Coef::Kanji)) if d.scale == 0 && (1..=9).contains(&d.m) => d,
                    Some((_, Coef::Kanji)) => return Err(Fail::Syntax),
                    Some((d, Coef::Arabic)) => d,
                };
                let term = coef.mul_int(m)?;
                if let Some(prev) = last_small {
                    if !lt_int(term, prev) {
                        return Err(Fail::Syntax);
                    }
                }
                section = section.add(term)?;
                section_used = true;
                last_small = Some(m);
            }
            Tok::Big(e) => {
                if last_big.is_some_and(|prev| e >= prev) {
                    return Err(Fail::Syntax);
                }
                let mut group = section;
                let mut used = section_used;
                if let Some((d, _)) = current.take() {
                    if let Some(prev) = last_small {
                        if !lt_int(d, prev) {
                            return Err(Fail::Syntax);
                        }
                    }
                    group = group.add(d)?;
                    used = true;
                }
                if !used {
                    return Err(Fail::Syntax);
                }
                if let Some(prev) = last_big {
                    if !group.below_pow10(prev - e) {
                        return Err(Fail::Syntax);
                    }
                }
                total = total.add(group.mul_int(pow10(e))?)?;
                section = Dec::ZERO;
                section_used = false;
                last_small = None;
                last_big = Some(e);
            }
            Tok::Yen => {
                if idx + 1 != toks.len() {
                    return Err(Fail::Syntax);
                }
            }
        }
    }
    if !has_digit && is_unit_word(toks) {
        return Err(Fail::Syntax);
    }
    let mut group = section;
    if let Some((d, _)) = current {
        if let Some(prev) = last_small {
            if !lt_int(d, prev) {
                return Err(Fail::Syntax);
            }
        }
        group = group.add(d)?;
    }
    if let Some(prev) = last_big {
        if !group.below_pow10(prev) {
            return Err(Fail::Syntax);
        }
    }
    let value = total.add(group)?;
    Ok((value, explicit_unit(toks)))
}

/// `d < k` for a non-negative decimal and a positive integer.
fn lt_int(d: Dec, k: i128) -> bool {
    match 10i128.checked_pow(d.scale).and_then(|f| k.checked_mul(f)) {
        Some(limit) => d.m < limit,
        None => true,
    }
}

/// Whether the tokens spell a unit word and nothing else: `円`, `千円`, `万円`, `百万円`, `億円`,
/// `兆円`, or the same without `円`. Such a text is a caption, not an amount.
fn is_unit_word(toks: &[Tok]) -> bool {
    let body = match toks.split_last() {
        Some((Tok::Yen, before)) => before,
        _ => toks,
    };
    matches!(
        body,
        [] | [Tok::Small(1000)] | [Tok::Big(_)] | [Tok::Small(100), Tok::Big(4)]
    )
}

/// The unit printed, if any: the text prints `円`, `万` `億` `兆`, or `十` `百` `千` right after
/// Arabic digits (`12,426千`, `163百万`, `5千万`). Kanji numerals alone (`五千`, `千二百`) are plain
/// numbers and take the default unit.
fn explicit_unit(toks: &[Tok]) -> Option<Unit> {
    let printed = toks.iter().enumerate().any(|(i, t)| match t {
        Tok::Big(_) | Tok::Yen => true,
        Tok::Small(_) => i > 0 && matches!(toks[i - 1], Tok::Num(_)),
        _ => false,
    });
    if !printed {
        return None;
    }
    let body = match toks.split_last() {
        Some((Tok::Yen, before)) => before,
        _ => toks,
    };
    let unit = match body {
        [.., Tok::Small(100), Tok::Big(4)] => Unit::Million,
        [.., Tok::Big(4)] => Unit::TenThousand,
        [.., Tok::Big(8)] => Unit::HundredMillion,
        [.., Tok::Big(12)] => Unit::Trillion,
        [.., Tok::Small(1000)] => Unit::Thousand,
        _ => Unit::Yen,
    };
    Some(unit)
}

/// Splits a leading sign off: returns (negative, rest).
fn strip_sign(t: &str) -> (bool, &str) {
    let mut chars = t.chars();
    match chars.next() {
        Some('△' | '▲' | '-' | '−') => (true, chars.as_str().trim_start()),
        Some('+') => (false, chars.as_str().trim_start()),
        _ => (false, t),
    }
}

/// Reads a plain non-negative number (digits, grouping commas, decimal part) that is the whole of
/// `s`.
fn plain_number(s: &str) -> bool {
    matches!(read_number(s), Ok(Some((_, rest))) if rest.is_empty())
}

fn fraction(s: &str) -> bool {
    match s.split_once('/') {
        Some((a, b)) => {
            let (a, b) = (a.trim(), b.trim());
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Recognises the figures that are not money.
fn not_money(body: &str) -> Option<NotMoney> {
    if body == "皆増" || body == "皆減" {
        return Some(NotMoney::Ratio);
    }
    if let Some(num) = body.strip_suffix('%') {
        let num = num.trim_end();
        if num.is_empty() || plain_number(num) {
            return Some(NotMoney::Percent);
        }
        return None;
    }
    if let Some(rate) = body.strip_prefix("補助率") {
        let rate = rate.trim_start();
        let rate = rate.strip_prefix(':').unwrap_or(rate);
        return fraction(rate).then_some(NotMoney::Rate);
    }
    if fraction(body) {
        return Some(NotMoney::Rate);
    }
    let suffixed = |words: &[&str]| {
        words.iter().any(|w| {
            body.strip_suffix(w)
                .is_some_and(|num| plain_number(num.trim_end()))
        })
    };
    if suffixed(COUNTERS) {
        return Some(NotMoney::Count);
    }
    if suffixed(RATIO_WORDS) {
        return Some(NotMoney::Ratio);
    }
    None
}

/// Parses one amount cell or amount text. `default_unit` applies when the text prints no unit
/// (the caption's unit, see [`Unit::from_caption`]). See the module documentation for the forms.
pub fn parse_amount(text: &str, default_unit: Unit) -> Result<ParsedAmount, AmountError> {
    let folded = fold_width(text);
    let mut t = folded.trim();
    if t.is_empty() {
        return Err(AmountError::Empty);
    }
    let not_a_number = || AmountError::NotANumber {
        text: text.to_owned(),
    };
    let mut parenthesized = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        parenthesized = true;
        t = inner.trim();
        if t.is_empty() {
            return Err(not_a_number());
        }
    }
    let simple = |value| ParsedAmount {
        value,
        unit: default_unit,
        explicit_unit: false,
        parenthesized,
        negative: false,
    };
    if t.chars().count() <= 3 && t.chars().all(is_none_mark) {
        return Ok(simple(AmountValue::NoneMark));
    }
    let (negative, body) = strip_sign(t);
    if body.is_empty() {
        return Err(not_a_number());
    }
    if let Some(kind) = not_money(body) {
        return Ok(ParsedAmount {
            negative,
            ..simple(AmountValue::NotMoney(kind))
        });
    }
    let fail = |f: Fail| match f {
        Fail::Syntax => not_a_number(),
        Fail::Overflow => AmountError::Overflow {
            text: text.to_owned(),
        },
    };
    let toks = tokenize(body).map_err(fail)?;
    let (value, printed) = evaluate(&toks).map_err(fail)?;
    let (value, unit) = match printed {
        Some(u) => (value, u),
        None => (
            value
                .mul_int(i128::from(default_unit.multiplier()))
                .map_err(fail)?,
            default_unit,
        ),
    };
    if value.scale > 0 {
        return Err(AmountError::Fractional {
            text: text.to_owned(),
        });
    }
    let signed = if negative { -value.m } else { value.m };
    let yen = i64::try_from(signed).map_err(|_| fail(Fail::Overflow))?;
    Ok(ParsedAmount {
        value: AmountValue::Yen(yen),
        unit,
        explicit_unit: printed.is_some(),
        parenthesized,
        negative,
    })
}

// ---------------------------------------------------------------------------------------------
// Amounts in prose

/// Character classes for scanning prose, on the width-folded character.
fn is_digit(c: char) -> bool {
    fold_char(c).is_ascii_digit()
}

fn is_multiplier(c: char) -> bool {
    small_multiplier(c).is_some() || big_exponent(c).is_some()
}

fn is_numeral(c: char) -> bool {
    is_digit(c) || kanji_digit(c).is_some() || is_multiplier(c)
}

fn is_gap(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\t'
}

/// The end (byte offset) of the numeral run that starts at `start`, stopping after `円`.
fn numeral_run_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut prev: Option<char> = None;
    let mut it = text[start..].char_indices().peekable();
    while let Some((off, c)) = it.next() {
        let at = start + off;
        if is_numeral(c) {
            end = at + c.len_utf8();
            prev = Some(c);
            continue;
        }
        if c == '円' {
            if prev.is_some() {
                end = at + c.len_utf8();
            }
            break;
        }
        let Some(p) = prev else { break };
        let folded = fold_char(c);
        if folded == ',' || folded == '.' || is_gap(c) {
            // Look past the separator (and any gap after a comma or between groups).
            let rest = &text[at + c.len_utf8()..];
            let skip = if folded == '.' {
                0
            } else {
                rest.len() - rest.trim_start_matches(is_gap).len()
            };
            let Some(next) = rest[skip..].chars().next() else {
                break;
            };
            let ok = match folded {
                ',' => is_digit(p) && is_digit(next),
                '.' => is_digit(p) && is_digit(next),
                // A gap: after 億 or 兆 before the next group (`4億   65万円`), or between a
                // number and its unit (`12,426 千円`). Never between two digits, and never after
                // 万 or a smaller multiplier, which end an amount (`163百万 8百万` is two).
                _ => {
                    (matches!(p, '億' | '兆') && (is_numeral(next) || next == '円'))
                        || (is_digit(p) && (is_multiplier(next) || next == '円'))
                }
            };
            if !ok {
                break;
            }
            let consumed = c.len_utf8() + skip;
            // Advance the iterator past the skipped gap.
            while it.peek().is_some_and(|&(o, _)| start + o < at + consumed) {
                it.next();
            }
            continue;
        }
        break;
    }
    end
}

/// Finds money amounts in prose: numerals with an explicit unit ending in `円`
/// (`8,824万円 （令和３年度 9,894万円）`, `3億265万円`, `４２億５，０６２万円`, `五千万円`,
/// `△ 1,594万円`), or ending in `百万` that is not followed by a letter or kanji (`163百万`, the
/// form of some tables). A `△` or `▲` right before the number (spaces allowed) is included as the
/// sign. Returns byte ranges into `text` with the parsed amounts, in order. Numerals that do not
/// parse as a whole (`1,2345万円`) are skipped, not cut down to a part that parses.
pub fn find_amounts(text: &str) -> Vec<(Range<usize>, ParsedAmount)> {
    let mut found = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        let starts = is_digit(c) || kanji_digit(c).is_some() || small_multiplier(c).is_some();
        let prev = text[..pos].chars().next_back();
        let at_run_start =
            !prev.is_some_and(|p| is_numeral(p) || matches!(fold_char(p), ',' | '.'));
        if !(starts && at_run_start) {
            pos += c.len_utf8();
            continue;
        }
        let end = numeral_run_end(text, pos);
        let candidate = &text[pos..end];
        let next = text[end..].chars().next();
        let money_suffix = candidate.ends_with('円')
            || (candidate.ends_with("百万") && !next.is_some_and(char::is_alphanumeric));
        if money_suffix {
            let sign_start = sign_before(text, pos);
            let start = sign_start.unwrap_or(pos);
            if let Ok(parsed) = parse_amount(&text[start..end], Unit::Yen) {
                if parsed.explicit_unit && parsed.yen().is_some() {
                    found.push((start..end, parsed));
                }
            }
        }
        pos = end.max(pos + c.len_utf8());
    }
    found
}

/// The byte offset of a `△` / `▲` that stands right before `pos` (gaps allowed).
fn sign_before(text: &str, pos: usize) -> Option<usize> {
    let before = text[..pos].trim_end_matches(is_gap);
    let c = before.chars().next_back()?;
    matches!(c, '△' | '▲').then(|| before.len() - c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use AmountValue::{NoneMark, Yen};

    fn yen(text: &str, unit: Unit) -> Result<i64, AmountError> {
        parse_amount(text, unit).map(|p| match p.value {
            Yen(v) => v,
            other => panic!("{text:?} is {other:?}, not yen"),
        })
    }

    #[test]
    fn units() {
        let table = [
            (Unit::Yen, 1, "円"),
            (Unit::Thousand, 1_000, "千円"),
            (Unit::TenThousand, 10_000, "万円"),
            (Unit::Million, 1_000_000, "百万円"),
            (Unit::HundredMillion, 100_000_000, "億円"),
            (Unit::Trillion, 1_000_000_000_000, "兆円"),
        ];
        for (unit, mult, label) in table {
            assert_eq!(unit.multiplier(), mult);
            assert_eq!(unit.label(), label);
            assert_eq!(Unit::from_label(label), Some(unit));
            // The label parses back as one of the unit.
            let one = format!("1{label}");
            assert_eq!(yen(&one, Unit::Yen), Ok(mult), "{one}");
            assert_eq!(parse_amount(&one, Unit::Yen).map(|p| p.unit), Ok(unit));
        }
    }

    #[test]
    fn captions() {
        let cases: &[(&str, Option<Unit>)] = &[
            ("（単位：千円）", Some(Unit::Thousand)),
            ("(単位 : 千円)", Some(Unit::Thousand)),
            ("単位：百万円", Some(Unit::Million)),
            ("単位:円)", Some(Unit::Yen)),
            ("単位:千円", Some(Unit::Thousand)),
            (
                "[経済局] ５款１項３ 目 （単位：千円）",
                Some(Unit::Thousand),
            ),
            ("（単位：件/千円）", Some(Unit::Thousand)),
            ("(単位：千円、%)", Some(Unit::Thousand)),
            ("（単位　万円）", Some(Unit::TenThousand)),
            ("単位：億円", Some(Unit::HundredMillion)),
            ("単位:兆円", Some(Unit::Trillion)),
            ("千円", Some(Unit::Thousand)),
            ("（千円）", Some(Unit::Thousand)),
            (
                "単位未満切り捨てのため合計が一致しない（単位：千円）",
                Some(Unit::Thousand),
            ),
            ("単位未満切り捨てのため合計が一致しない", None),
            ("（単位：人）", None),
            ("（単位：千円/百万円）", None),
            ("本年度予算額", None),
            ("", None),
        ];
        for (caption, want) in cases {
            assert_eq!(Unit::from_caption(caption), *want, "caption {caption:?}");
        }
    }

    #[test]
    fn money_table() {
        use Unit::*;
        // (text, default unit, yen, unit applied, explicit, parenthesized, negative)
        let cases: &[(&str, Unit, i64, Unit, bool, bool, bool)] = &[
            (
                "12,426", Thousand, 12_426_000, Thousand, false, false, false,
            ),
            ("12426", Yen, 12_426, Yen, false, false, false),
            ("0", Thousand, 0, Thousand, false, false, false),
            ("  0  ", Yen, 0, Yen, false, false, false),
            (
                "△ 12,426",
                Thousand,
                -12_426_000,
                Thousand,
                false,
                false,
                true,
            ),
            ("▲80", Thousand, -80_000, Thousand, false, false, true),
            ("▲ 80", Yen, -80, Yen, false, false, true),
            ("△1,594", Thousand, -1_594_000, Thousand, false, false, true),
            ("-5", Yen, -5, Yen, false, false, true),
            ("−5", Yen, -5, Yen, false, false, true),
            ("－5", Yen, -5, Yen, false, false, true),
            ("－５", Yen, -5, Yen, false, false, true),
            ("+5", Yen, 5, Yen, false, false, false),
            ("△0", Thousand, 0, Thousand, false, false, true),
            (
                "1, 379, 383",
                Thousand,
                1_379_383_000,
                Thousand,
                false,
                false,
                false,
            ),
            (
                "1, 379, 383千円",
                Yen,
                1_379_383_000,
                Thousand,
                true,
                false,
                false,
            ),
            (
                "１０１，８００，０００",
                Yen,
                101_800_000,
                Yen,
                false,
                false,
                false,
            ),
            (
                "１０１，８００，０００千円",
                Yen,
                101_800_000_000,
                Thousand,
                true,
                false,
                false,
            ),
            ("12,426千円", Yen, 12_426_000, Thousand, true, false, false),
            ("12,426 千円", Yen, 12_426_000, Thousand, true, false, false),
            (
                "12,426　千円",
                Yen,
                12_426_000,
                Thousand,
                true,
                false,
                false,
            ),
            ("12,426円", Thousand, 12_426, Yen, true, false, false),
            ("163百万", Yen, 163_000_000, Million, true, false, false),
            (
                "163百万円",
                Thousand,
                163_000_000,
                Million,
                true,
                false,
                false,
            ),
            (
                "8,824万円",
                Thousand,
                88_240_000,
                TenThousand,
                true,
                false,
                false,
            ),
            (
                "3億円",
                Yen,
                300_000_000,
                HundredMillion,
                true,
                false,
                false,
            ),
            (
                "2兆円",
                Yen,
                2_000_000_000_000,
                Trillion,
                true,
                false,
                false,
            ),
            (
                "51億9,433万円",
                Yen,
                5_194_330_000,
                TenThousand,
                true,
                false,
                false,
            ),
            (
                "4億   65万円",
                Yen,
                400_650_000,
                TenThousand,
                true,
                false,
                false,
            ),
            (
                "3億265万円",
                Yen,
                302_650_000,
                TenThousand,
                true,
                false,
                false,
            ),
            (
                "４２億５，０６２万円",
                Yen,
                4_250_620_000,
                TenThousand,
                true,
                false,
                false,
            ),
            (
                "９３億５，１２６万円",
                Yen,
                9_351_260_000,
                TenThousand,
                true,
                false,
                false,
            ),
            (
                "１兆２３４５億円",
                Yen,
                1_234_500_000_000,
                HundredMillion,
                true,
                false,
                false,
            ),
            (
                "1.5億円",
                Yen,
                150_000_000,
                HundredMillion,
                true,
                false,
                false,
            ),
            (
                "120.4億円",
                Yen,
                12_040_000_000,
                HundredMillion,
                true,
                false,
                false,
            ),
            ("1.25 千円", Yen, 1_250, Thousand, true, false, false),
            ("1.25", Thousand, 1_250, Thousand, false, false, false),
            ("五千万円", Yen, 50_000_000, TenThousand, true, false, false),
            ("５千万円", Yen, 50_000_000, TenThousand, true, false, false),
            (
                "三億二千万円",
                Yen,
                320_000_000,
                TenThousand,
                true,
                false,
                false,
            ),
            ("千二百円", Yen, 1_200, Yen, true, false, false),
            ("二千円", Yen, 2_000, Thousand, true, false, false),
            ("十円", Yen, 10, Yen, true, false, false),
            ("百円", Thousand, 100, Yen, true, false, false),
            ("五千", Thousand, 5_000_000, Thousand, false, false, false),
            ("千二百", Yen, 1_200, Yen, false, false, false),
            ("5千", Yen, 5_000, Thousand, true, false, false),
            ("二十一円", Yen, 21, Yen, true, false, false),
            (
                "一億円",
                Yen,
                100_000_000,
                HundredMillion,
                true,
                false,
                false,
            ),
            (
                "一兆二千三百四十五億六千七百八十九万千二百三十四円",
                Yen,
                1_234_567_891_234,
                Yen,
                true,
                false,
                false,
            ),
            ("〇円", Yen, 0, Yen, true, false, false),
            ("二〇円", Yen, 20, Yen, true, false, false),
            (
                "5千300万円",
                Yen,
                53_000_000,
                TenThousand,
                true,
                false,
                false,
            ),
            ("(400,000)", Yen, 400_000, Yen, false, true, false),
            (
                "（400,000）",
                Thousand,
                400_000_000,
                Thousand,
                false,
                true,
                false,
            ),
            ("（△400,000）", Yen, -400_000, Yen, false, true, true),
            (
                "(9億8,669万円)",
                Yen,
                986_690_000,
                TenThousand,
                true,
                true,
                false,
            ),
            (
                "  △ 1,067 ",
                Thousand,
                -1_067_000,
                Thousand,
                false,
                false,
                true,
            ),
            (
                "9223372036854775807",
                Yen,
                i64::MAX,
                Yen,
                false,
                false,
                false,
            ),
            (
                "-9223372036854775808",
                Yen,
                i64::MIN,
                Yen,
                false,
                false,
                true,
            ),
        ];
        for &(text, default, want, unit, explicit, paren, neg) in cases {
            let got = parse_amount(text, default);
            let want_parsed = ParsedAmount {
                value: AmountValue::Yen(want),
                unit,
                explicit_unit: explicit,
                parenthesized: paren,
                negative: neg,
            };
            assert_eq!(got, Ok(want_parsed), "text {text:?}");
        }
    }

    #[test]
    fn trillion_compound() {
        assert_eq!(yen("１兆２３４５億円", Unit::Yen), Ok(1_234_500_000_000));
    }

    #[test]
    fn none_marks() {
        for text in [
            "-", "－", "―", "—", "…", "‐", "ー", "ｰ", "−", "――", "--", "---", " - ", "(－)", "─",
        ] {
            let p = parse_amount(text, Unit::Thousand);
            assert_eq!(p.map(|p| p.value), Ok(NoneMark), "text {text:?}");
        }
        // A none mark is not zero.
        assert_ne!(
            parse_amount("-", Unit::Yen).map(|p| p.value),
            parse_amount("0", Unit::Yen).map(|p| p.value)
        );
    }

    #[test]
    fn not_money() {
        use NotMoney::*;
        let cases: &[(&str, NotMoney)] = &[
            ("99.4%", Percent),
            ("99.4％", Percent),
            ("９９．４％", Percent),
            ("％", Percent),
            ("%", Percent),
            ("100 %", Percent),
            ("△3.5%", Percent),
            ("32人", Count),
            ("29件", Count),
            ("5回", Count),
            ("3か所", Count),
            ("3箇所", Count),
            ("8社", Count),
            ("1,750件", Count),
            ("12 人", Count),
            ("1/2", Rate),
            ("１／２", Rate),
            ("10/10", Rate),
            ("補助率 1/2", Rate),
            ("補助率：1/2", Rate),
            ("補助率1/5", Rate),
            ("皆増", Ratio),
            ("皆減", Ratio),
            ("1.5倍", Ratio),
            ("3割", Ratio),
        ];
        for &(text, kind) in cases {
            let p = parse_amount(text, Unit::Thousand);
            assert_eq!(
                p.map(|p| p.value),
                Ok(AmountValue::NotMoney(kind)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn errors() {
        let nan = |t: &str| AmountError::NotANumber { text: t.to_owned() };
        let cases: &[(&str, Unit, AmountError)] = &[
            ("", Unit::Yen, AmountError::Empty),
            ("   ", Unit::Yen, AmountError::Empty),
            ("\u{3000}", Unit::Yen, AmountError::Empty),
            ("abc", Unit::Yen, nan("abc")),
            ("千円", Unit::Yen, nan("千円")),
            ("万円", Unit::Yen, nan("万円")),
            ("円", Unit::Yen, nan("円")),
            ("百万円", Unit::Yen, nan("百万円")),
            ("億円", Unit::Yen, nan("億円")),
            ("兆円", Unit::Yen, nan("兆円")),
            ("千", Unit::Yen, nan("千")),
            ("万", Unit::Yen, nan("万")),
            ("百万", Unit::Yen, nan("百万")),
            ("億", Unit::Yen, nan("億")),
            ("△", Unit::Yen, nan("△")),
            ("----", Unit::Yen, nan("----")),
            ("------------------", Unit::Yen, nan("------------------")),
            ("()", Unit::Yen, nan("()")),
            ("1,2345", Unit::Yen, nan("1,2345")),
            ("1,23", Unit::Yen, nan("1,23")),
            ("1234,567", Unit::Yen, nan("1234,567")),
            ("1 379", Unit::Yen, nan("1 379")),
            ("1.", Unit::Yen, nan("1.")),
            (".5", Unit::Yen, nan(".5")),
            ("1億12345万円", Unit::Yen, nan("1億12345万円")),
            ("1万2億円", Unit::Yen, nan("1万2億円")),
            ("百千円", Unit::Yen, nan("百千円")),
            ("円5", Unit::Yen, nan("円5")),
            ("5円円", Unit::Yen, nan("5円円")),
            ("1億△5万円", Unit::Yen, nan("1億△5万円")),
            ("五3円", Unit::Yen, nan("五3円")),
            ("3五円", Unit::Yen, nan("3五円")),
            ("二十十円", Unit::Yen, nan("二十十円")),
            ("5千1200万円", Unit::Yen, nan("5千1200万円")),
            (
                "8,824万円 （令和３年度 9,894万円）",
                Unit::Yen,
                nan("8,824万円 （令和３年度 9,894万円）"),
            ),
            ("令和4年度", Unit::Yen, nan("令和4年度")),
            ("3億人", Unit::Yen, nan("3億人")),
            ("1/", Unit::Yen, nan("1/")),
            ("補助率", Unit::Yen, nan("補助率")),
            ("a%", Unit::Yen, nan("a%")),
            (
                "0.5円",
                Unit::Yen,
                AmountError::Fractional {
                    text: "0.5円".into(),
                },
            ),
            (
                "99.4",
                Unit::Yen,
                AmountError::Fractional {
                    text: "99.4".into(),
                },
            ),
            (
                "1.2345",
                Unit::Thousand,
                AmountError::Fractional {
                    text: "1.2345".into(),
                },
            ),
            (
                "9223372036854775808",
                Unit::Yen,
                AmountError::Overflow {
                    text: "9223372036854775808".into(),
                },
            ),
            (
                "9223372036854776",
                Unit::Thousand,
                AmountError::Overflow {
                    text: "9223372036854776".into(),
                },
            ),
            (
                "99999999999999999999999999999999999999999",
                Unit::Yen,
                AmountError::Overflow {
                    text: "99999999999999999999999999999999999999999".into(),
                },
            ),
            (
                "9999999999兆円",
                Unit::Yen,
                AmountError::Overflow {
                    text: "9999999999兆円".into(),
                },
            ),
        ];
        for (text, unit, want) in cases {
            assert_eq!(
                parse_amount(text, *unit),
                Err(want.clone()),
                "text {text:?}"
            );
        }
    }

    #[test]
    fn error_display() {
        assert_eq!(AmountError::Empty.to_string(), "empty amount");
        let e = AmountError::NotANumber { text: "x".into() };
        assert!(e.to_string().contains("\"x\""));
    }

    #[test]
    fn prose() {
        let text = "事業費 8,824万円 （令和３年度 9,894万円）、うち3億265万円は";
        let found = find_amounts(text);
        let got: Vec<(&str, i64)> = found
            .iter()
            .map(|(r, p)| (&text[r.clone()], p.yen().unwrap_or(i64::MIN)))
            .collect();
        assert_eq!(
            got,
            [
                ("8,824万円", 88_240_000),
                ("9,894万円", 98_940_000),
                ("3億265万円", 302_650_000)
            ]
        );
    }

    #[test]
    fn prose_table() {
        let cases: &[(&str, &[(&str, i64)])] = &[
            (
                "総額４２億５，０６２万円を計上",
                &[("４２億５，０６２万円", 4_250_620_000)],
            ),
            ("予算額は五千万円です", &[("五千万円", 50_000_000)]),
            ("５千万円以上", &[("５千万円", 50_000_000)]),
            (
                "１億３，０００万円 ",
                &[("１億３，０００万円", 130_000_000)],
            ),
            ("実績120.4億円、", &[("120.4億円", 12_040_000_000)]),
            ("4億   65万円の減", &[("4億   65万円", 400_650_000)]),
            ("差額△ 1,594万円", &[("△ 1,594万円", -15_940_000)]),
            (
                "事業費163百万 8百万",
                &[("163百万", 163_000_000), ("8百万", 8_000_000)],
            ),
            (
                "三億二千万円と千二百円",
                &[("三億二千万円", 320_000_000), ("千二百円", 1_200)],
            ),
            (
                "100万円（下限額は２５万円）",
                &[("100万円", 1_000_000), ("２５万円", 250_000)],
            ),
            ("12,426 千円", &[("12,426 千円", 12_426_000)]),
            // Not money, or no explicit unit.
            ("32人 29件 99.4% 補助率 1/2", &[]),
            ("令和３年度 2022年", &[]),
            ("数百万円規模", &[]),
            ("百万人", &[]),
            ("163百万人", &[]),
            ("千円", &[]),
            ("一般財源", &[]),
            ("1,2345万円", &[]),
            ("12,426", &[]),
            ("", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<(&str, i64)> = find_amounts(text)
                .iter()
                .map(|(r, p)| (&text[r.clone()], p.yen().unwrap_or(i64::MIN)))
                .collect();
            assert_eq!(&got, want, "text {text:?}");
        }
    }

    /// Real lines from the seed documents.
    #[test]
    fn seed_lines() {
        let text =
            "令和６年度当初予算額 ９３億５，１２６万円（うち補正予算額 ２１億８,９４７万円）";
        let got: Vec<i64> = find_amounts(text)
            .iter()
            .filter_map(|(_, p)| p.yen())
            .collect();
        assert_eq!(got, [9_351_260_000, 2_189_470_000]);
    }

    fn format_thousands(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        out
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = parse_amount(&s, Unit::Thousand);
            let _ = find_amounts(&s);
            let _ = Unit::from_caption(&s);
        }

        #[test]
        fn never_panics_on_amount_like(s in "[0-9０-９,，. 　△▲\\-−()（）千万億兆百十円一二三五〇%人/]{0,40}") {
            for unit in Unit::ALL {
                let _ = parse_amount(&s, unit);
            }
            for (range, parsed) in find_amounts(&s) {
                prop_assert!(s.get(range.clone()).is_some());
                prop_assert!(parsed.yen().is_some());
            }
        }

        #[test]
        fn long_digit_strings_overflow_cleanly(digits in "[1-9][0-9]{19,200}", unit_idx in 0usize..6) {
            let unit = Unit::ALL[unit_idx];
            let got = parse_amount(&digits, unit);
            prop_assert!(matches!(got, Err(AmountError::Overflow { .. })), "{:?}", got);
            let with_unit = format!("{digits}億円");
            let got_unit = parse_amount(&with_unit, Unit::Yen);
            prop_assert!(matches!(got_unit, Err(AmountError::Overflow { .. })), "{:?}", got_unit);
        }

        #[test]
        fn thousand_yen_round_trip(n in (i64::MIN / 1000)..=(i64::MAX / 1000), spaced in any::<bool>(), full_width in any::<bool>()) {
            let mut text = String::new();
            if n < 0 {
                text.push('△');
                if spaced {
                    text.push(' ');
                }
            }
            text.push_str(&format_thousands(n.unsigned_abs()));
            if full_width {
                text = text
                    .chars()
                    .map(|c| match c {
                        '0'..='9' | ',' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                        _ => c,
                    })
                    .collect();
            }
            let cell = parse_amount(&text, Unit::Thousand);
            prop_assert_eq!(cell.map(|p| (p.value, p.negative)), Ok((Yen(n * 1000), n < 0)));
            let with_unit = format!("{text}千円");
            let explicit = parse_amount(&with_unit, Unit::Yen);
            prop_assert_eq!(explicit.map(|p| (p.value, p.unit, p.explicit_unit)), Ok((Yen(n * 1000), Unit::Thousand, true)));
        }

        #[test]
        fn oku_man_compound(oku in 0i64..100_000, man in 0i64..10_000) {
            let text = format!("{}億{}万円", format_thousands(oku as u64), format_thousands(man as u64));
            prop_assert_eq!(parse_amount(&text, Unit::Yen).map(|p| p.value), Ok(Yen(oku * 100_000_000 + man * 10_000)));
        }
    }
}
