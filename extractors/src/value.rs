//! Cell values shared by the extractors: plain-number recognition for text fields and exact
//! decimal handling for spreadsheet numbers (canonical text, rounding for number formats).
//!
//! Numbers never go through `f64` arithmetic here: a spreadsheet `f64` is turned into its
//! shortest round-trip decimal digits once ([`Decimal::from_f64`]), and everything after that
//! (scaling by 100 or 1/1000, rounding to the digits a format shows) is done on those digits.

use crate::{Cell, CellValue};

/// The canonical text of `field` when it is a plain decimal number: optional `-`, digits without
/// a leading zero (a lone `0` is fine), optional `.` and digits. `32774`, `-450`, `12.50` (→
/// `12.5`), `0.5`. Anything else is not a plain number: `"32,774"` (separators are for the
/// pipeline's amount normaliser), `011002` (a code: leading zero), `+5`, `.5`, `1e3`, ` 7`.
pub fn plain_number(field: &str) -> Option<String> {
    let b = field.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &field[1..]),
        _ => (false, field),
    };
    let (int, frac) = match body.find('.') {
        Some(p) => (&body[..p], Some(&body[p + 1..])),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if int.len() > 1 && int.starts_with('0') {
        return None;
    }
    let frac = match frac {
        Some(f) if f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit()) => return None,
        Some(f) => f.trim_end_matches('0'),
        None => "",
    };
    let zero = int == "0" && frac.is_empty();
    let mut out = String::with_capacity(field.len());
    if neg && !zero {
        out.push('-');
    }
    out.push_str(int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    Some(out)
}

/// A cell for a text field: empty, a plain number ([`plain_number`]) or text. The cell's text is
/// the field as written.
pub fn field_cell(field: &str) -> Cell {
    if field.is_empty() {
        return Cell::default();
    }
    match plain_number(field) {
        Some(n) => Cell {
            text: field.to_string(),
            value: CellValue::Number(n),
        },
        None => Cell::text(field),
    }
}

/// A non-negative-exponent-free decimal: `(-1)^negative × digits × 10^exp`, `digits` ASCII
/// without leading zeros (empty means zero).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    pub negative: bool,
    pub digits: Vec<u8>,
    pub exp: i32,
}

impl Decimal {
    /// The shortest decimal that reads back as `v`; `None` for NaN and infinities.
    pub fn from_f64(v: f64) -> Option<Decimal> {
        if !v.is_finite() {
            return None;
        }
        // `{:e}` gives the shortest round-trip digits with an exponent: `3.2774e4`, `1e-7`.
        let s = format!("{:e}", v.abs());
        let (mantissa, exp) = s.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let exp = exp.checked_sub(i32::try_from(frac.len()).ok()?)?;
        while digits.first() == Some(&b'0') {
            digits.remove(0);
        }
        let mut d = Decimal {
            negative: v < 0.0,
            digits,
            exp,
        };
        d.normalise();
        Some(d)
    }

    fn normalise(&mut self) {
        while self.digits.last() == Some(&b'0') {
            self.digits.pop();
            self.exp = self.exp.saturating_add(1);
        }
        if self.digits.is_empty() {
            self.exp = 0;
            self.negative = false;
        }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Multiplies by `10^n`.
    pub fn shift(&mut self, n: i32) {
        if !self.is_zero() {
            self.exp = self.exp.saturating_add(n);
        }
    }

    /// Rounds half away from zero to `decimals` digits after the point.
    pub fn round_to(&mut self, decimals: u32) {
        let min_exp = -(decimals.min(1000) as i32);
        if self.exp >= min_exp {
            return;
        }
        let drop = (min_exp - self.exp) as usize;
        self.drop_digits(drop);
    }

    /// Rounds half away from zero to `sig` significant digits.
    pub fn round_significant(&mut self, sig: usize) {
        if self.digits.len() > sig {
            let drop = self.digits.len() - sig;
            self.drop_digits(drop);
        }
    }

    fn drop_digits(&mut self, drop: usize) {
        let len = self.digits.len();
        let round_up = if drop > len {
            false
        } else {
            self.digits.get(len - drop).is_some_and(|&d| d >= b'5')
        };
        let keep = len.saturating_sub(drop);
        self.digits.truncate(keep);
        self.exp = self
            .exp
            .saturating_add(i32::try_from(drop).unwrap_or(i32::MAX));
        if round_up {
            let mut i = self.digits.len();
            loop {
                if i == 0 {
                    self.digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if self.digits[i] == b'9' {
                    self.digits[i] = b'0';
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        let negative = self.negative;
        self.normalise();
        if !self.is_zero() {
            self.negative = negative;
        }
    }

    /// The digits before the point (empty for a value below 1) and exactly `decimals` digits
    /// after it. Call [`Decimal::round_to`] first to round rather than truncate.
    pub fn split(&self, decimals: usize) -> (String, String) {
        let len = self.digits.len() as i64;
        let exp = self.exp as i64;
        let point = len + exp; // digits before the point
        let mut int = String::new();
        let mut frac = String::new();
        if point > 0 {
            for i in 0..point {
                int.push(if i < len {
                    self.digits[i as usize] as char
                } else {
                    '0'
                });
            }
        }
        for k in 0..decimals as i64 {
            let i = point + k;
            frac.push(if i >= 0 && i < len {
                self.digits[i as usize] as char
            } else {
                '0'
            });
        }
        (int, frac)
    }

    /// Positional text, never with an exponent: `-48204`, `12.5`, `0.0000001`.
    pub fn to_plain(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let decimals = if self.exp < 0 {
            (-(self.exp as i64)) as usize
        } else {
            0
        };
        let (int, frac) = self.split(decimals);
        let mut out = String::with_capacity(int.len() + frac.len() + 3);
        if self.negative {
            out.push('-');
        }
        if int.is_empty() {
            out.push('0');
        } else {
            out.push_str(&int);
        }
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        out
    }
}

/// Canonical decimal text of a spreadsheet number: shortest round-trip digits, positional,
/// integral values without `.0`, `-0` as `0`. `None` for NaN and infinities.
pub fn canonical_f64(v: f64) -> Option<String> {
    Decimal::from_f64(v).map(|d| d.to_plain())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers() {
        assert_eq!(plain_number("32774").as_deref(), Some("32774"));
        assert_eq!(plain_number("-450").as_deref(), Some("-450"));
        assert_eq!(plain_number("0").as_deref(), Some("0"));
        assert_eq!(plain_number("-0").as_deref(), Some("0"));
        assert_eq!(plain_number("12.50").as_deref(), Some("12.5"));
        assert_eq!(plain_number("3.000").as_deref(), Some("3"));
        assert_eq!(plain_number("0.05").as_deref(), Some("0.05"));
        for not in [
            "32,774", "011002", "00", "+5", ".5", "5.", "1e3", " 7", "7 ", "", "-", "１２", "1-2",
        ] {
            assert_eq!(plain_number(not), None, "{not:?}");
        }
    }

    #[test]
    fn field_cells() {
        assert_eq!(field_cell(""), Cell::default());
        assert_eq!(
            field_cell("32774").value,
            CellValue::Number("32774".to_string())
        );
        let c = field_cell("32,774");
        assert_eq!(c.value, CellValue::Text);
        assert_eq!(c.text, "32,774");
        assert_eq!(field_cell("011002").value, CellValue::Text);
    }

    #[test]
    fn canonical_floats() {
        assert_eq!(canonical_f64(48204.0).as_deref(), Some("48204"));
        assert_eq!(canonical_f64(-48204.0).as_deref(), Some("-48204"));
        assert_eq!(canonical_f64(12.5).as_deref(), Some("12.5"));
        assert_eq!(canonical_f64(1e-7).as_deref(), Some("0.0000001"));
        assert_eq!(
            canonical_f64(1e21).as_deref(),
            Some("1000000000000000000000")
        );
        assert_eq!(canonical_f64(-0.0).as_deref(), Some("0"));
        assert_eq!(
            canonical_f64(0.1 + 0.2).as_deref(),
            Some("0.30000000000000004")
        );
        assert_eq!(canonical_f64(2027344346.0).as_deref(), Some("2027344346"));
        assert_eq!(canonical_f64(f64::NAN), None);
        assert_eq!(canonical_f64(f64::INFINITY), None);
    }

    #[test]
    fn rounding_is_decimal_half_away_from_zero() {
        let mut d = Decimal::from_f64(2.675).unwrap_or_else(|| unreachable!());
        d.round_to(2);
        assert_eq!(d.to_plain(), "2.68");
        let mut d = Decimal::from_f64(-0.004).unwrap_or_else(|| unreachable!());
        d.round_to(2);
        assert_eq!(d.to_plain(), "0");
        let mut d = Decimal::from_f64(999.96).unwrap_or_else(|| unreachable!());
        d.round_to(1);
        assert_eq!(d.to_plain(), "1000");
        let mut d = Decimal::from_f64(0.30000000000000004).unwrap_or_else(|| unreachable!());
        d.round_significant(15);
        assert_eq!(d.to_plain(), "0.3");
        let mut d = Decimal::from_f64(0.5).unwrap_or_else(|| unreachable!());
        d.round_to(0);
        assert_eq!(d.to_plain(), "1");
    }

    #[test]
    fn split_parts() {
        let mut d = Decimal::from_f64(1234.5).unwrap_or_else(|| unreachable!());
        d.round_to(2);
        assert_eq!(d.split(2), ("1234".to_string(), "50".to_string()));
        let d = Decimal::from_f64(0.05).unwrap_or_else(|| unreachable!());
        assert_eq!(d.split(3), (String::new(), "050".to_string()));
    }
}
