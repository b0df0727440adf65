//! A small formatter for spreadsheet number formats: what a person sees for a number.
//!
//! Supported: up to four `;`-separated sections (positive; negative; zero; text — the text
//! section is ignored for numbers), with the Excel rules for choosing one (a single section shows
//! negatives with a leading `-`; in a negative section the value is shown without its sign);
//! digit placeholders `0`, `#`, `?`; the decimal point; `,` as thousands separator between digit
//! placeholders and as a divisor by 1000 after the last one; `%` (×100); quoted literals `"…"`,
//! escaped characters `\x`, `_x` (a space as wide as `x`: one space here), `*x` (fill: nothing),
//! other characters as literals (`△`, `▲`, `円`, `(`, `-`, ...); `[Red]`-style colours (dropped);
//! `[$¥-411]` currency/locale tags (the symbol is kept); `General` (the value with up to 15
//! significant digits, never in exponent form).
//!
//! Not supported, `None` is returned and the caller falls back to the plain value: conditions
//! (`[>=100]`), exponent formats (`0.00E+00`), fractions (`# ?/?`), date and time codes (dates are
//! recognised by the spreadsheet reader before this point), `[DBNum]` numeral systems, `@` in a
//! number section.
//!
//! Rounding is decimal, half away from zero, on the shortest round-trip digits of the value
//! (after rounding to Excel's 15 significant digits), so `2.675` with `0.00` shows `2.68`.

use crate::value::Decimal;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    /// `0`, `#` or `?`.
    Digit(u8),
    Point,
    Comma,
    Percent,
    General,
}

/// Formats `v` with the number format `code`; `None` when the format uses something this
/// formatter does not implement.
pub fn format_number(v: f64, code: &str) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let sections = split_sections(code);
    let sections: Vec<&str> = sections.iter().map(String::as_str).collect();
    let (section, signed) = match sections.len() {
        0 => ("General", true),
        1 => (sections[0], true),
        2 => {
            if v < 0.0 {
                (sections[1], false)
            } else {
                (sections[0], false)
            }
        }
        _ => {
            if v > 0.0 {
                (sections[0], false)
            } else if v < 0.0 {
                (sections[1], false)
            } else {
                (sections[2], false)
            }
        }
    };
    let toks = tokenize(section)?;
    let mut d = Decimal::from_f64(v.abs())?;
    let negative_sign = signed && v < 0.0;
    render(&toks, &mut d, negative_sign)
}

/// Splits a format code on `;` outside quotes, brackets and escapes.
fn split_sections(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = code.chars();
    let mut in_quote = false;
    let mut in_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if !in_bracket => {
                in_quote = !in_quote;
                cur.push(c);
            }
            '\\' | '_' | '*' if !in_quote && !in_bracket => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '[' if !in_quote => {
                in_bracket = true;
                cur.push(c);
            }
            ']' if !in_quote => {
                in_bracket = false;
                cur.push(c);
            }
            ';' if !in_quote && !in_bracket => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    // A trailing empty text section (`0;-0;;`) is still a section; only a code that is empty
    // as a whole has none.
    if out.len() == 1 && out[0].is_empty() {
        out.clear();
    }
    out
}

fn tokenize(section: &str) -> Option<Vec<Tok>> {
    let mut toks = Vec::new();
    let chars: Vec<char> = section.chars().collect();
    let mut i = 0usize;
    let mut seen_point = false;
    let lit = |toks: &mut Vec<Tok>, s: &str| {
        if let Some(Tok::Lit(prev)) = toks.last_mut() {
            prev.push_str(s);
        } else {
            toks.push(Tok::Lit(s.to_string()));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    s.push(chars[i]);
                    i += 1;
                }
                lit(&mut toks, &s);
            }
            '\\' => {
                if let Some(&n) = chars.get(i + 1) {
                    lit(&mut toks, &n.to_string());
                    i += 1;
                }
            }
            '_' => {
                lit(&mut toks, " ");
                i += 1;
            }
            '*' => {
                i += 1;
            }
            '[' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != ']' {
                    s.push(chars[i]);
                    i += 1;
                }
                if let Some(cur) = s.strip_prefix('$') {
                    let symbol = cur.split('-').next().unwrap_or("");
                    if !symbol.is_empty() {
                        lit(&mut toks, symbol);
                    }
                } else if is_colour(&s) {
                    // Colours do not change the text.
                } else {
                    return None;
                }
            }
            '0' | '#' | '?' => toks.push(Tok::Digit(c as u8)),
            '.' if !seen_point => {
                seen_point = true;
                toks.push(Tok::Point);
            }
            ',' => toks.push(Tok::Comma),
            '%' => toks.push(Tok::Percent),
            '@' => return None,
            'E' | 'e' if matches!(chars.get(i + 1), Some('+') | Some('-')) => return None,
            '/' => {
                if toks.iter().any(|t| matches!(t, Tok::Digit(_)))
                    && chars[i + 1..].iter().any(|c| matches!(c, '0' | '#' | '?'))
                {
                    return None;
                }
                lit(&mut toks, "/");
            }
            _ if c.is_ascii_alphabetic() => {
                let rest: String = chars[i..].iter().take(7).collect();
                if rest.eq_ignore_ascii_case("general") {
                    toks.push(Tok::General);
                    i += 7;
                    continue;
                }
                // Date/time codes and other letters mean something this formatter does not do.
                return None;
            }
            _ => lit(&mut toks, &c.to_string()),
        }
        i += 1;
    }
    Some(toks)
}

fn is_colour(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    matches!(
        l.as_str(),
        "black" | "blue" | "cyan" | "green" | "magenta" | "red" | "white" | "yellow"
    ) || l
        .strip_prefix("color")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn render(toks: &[Tok], d: &mut Decimal, negative_sign: bool) -> Option<String> {
    let point = toks.iter().position(|t| *t == Tok::Point);
    let int_end = point.unwrap_or(toks.len());
    let digit_positions: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tok::Digit(_)))
        .map(|(i, _)| i)
        .collect();
    let int_digits: Vec<usize> = digit_positions
        .iter()
        .copied()
        .filter(|&i| i < int_end)
        .collect();
    let frac_digits: Vec<usize> = digit_positions
        .iter()
        .copied()
        .filter(|&i| i > int_end)
        .collect();
    let last_int_digit = int_digits.last().copied();
    let first_int_digit = int_digits.first().copied();

    // Commas: grouping between integer digit placeholders, scaling right after the last one.
    let mut grouping = false;
    let mut scale_commas = 0i32;
    let mut comma_role: Vec<Option<bool>> = vec![None; toks.len()]; // Some(true)=consumed
    for (i, t) in toks.iter().enumerate() {
        if *t != Tok::Comma {
            continue;
        }
        match (first_int_digit, last_int_digit) {
            (Some(first), Some(last)) if i > first && i < last => {
                grouping = true;
                comma_role[i] = Some(true);
            }
            // Consecutive commas straight after the last digit placeholder divide by 1000.
            (Some(_), Some(last))
                if i > last
                    && i < int_end
                    && toks[last + 1..i].iter().all(|t| *t == Tok::Comma) =>
            {
                scale_commas += 1;
                comma_role[i] = Some(true);
            }
            _ => {}
        }
    }
    let percents = toks.iter().filter(|t| **t == Tok::Percent).count() as i32;
    d.shift(2 * percents - 3 * scale_commas);

    let has_general = toks.contains(&Tok::General);
    d.round_significant(15);
    let decimals = frac_digits.len();
    if !has_general {
        d.round_to(decimals as u32);
    }

    let mut out = String::new();
    if negative_sign && !d.is_zero() {
        out.push('-');
    }
    let (int_str, frac_str) = d.split(decimals);

    // Integer part, right to left over the integer placeholders.
    let mut int_fill: Vec<String> = vec![String::new(); toks.len()];
    if !int_digits.is_empty() {
        let digits: Vec<char> = int_str.chars().collect();
        let mut idx = digits.len();
        for &p in int_digits.iter().rev() {
            let kind = match toks[p] {
                Tok::Digit(k) => k,
                _ => b'#',
            };
            if idx > 0 {
                int_fill[p].push(digits[idx - 1]);
                idx -= 1;
            } else {
                match kind {
                    b'0' => int_fill[p].push('0'),
                    b'?' => int_fill[p].push(' '),
                    _ => {}
                }
            }
        }
        if idx > 0 {
            if let Some(&first) = int_digits.first() {
                let extra: String = digits[..idx].iter().collect();
                int_fill[first] = extra + &int_fill[first];
            }
        }
    }
    let grouped_int = if grouping {
        let joined: String = int_digits.iter().map(|&p| int_fill[p].as_str()).collect();
        Some(group_thousands(&joined))
    } else {
        None
    };

    // Fraction part, left to right; trailing zeros dropped for `#`, blanked for `?`.
    let mut frac_fill: Vec<String> = vec![String::new(); toks.len()];
    let frac_chars: Vec<char> = frac_str.chars().collect();
    let mut keep = frac_chars.len();
    for (k, &p) in frac_digits.iter().enumerate().rev() {
        let kind = match toks[p] {
            Tok::Digit(kind) => kind,
            _ => b'0',
        };
        if kind == b'0' || frac_chars.get(k) != Some(&'0') || k + 1 < keep {
            break;
        }
        keep = k;
    }
    for (k, &p) in frac_digits.iter().enumerate() {
        let ch = frac_chars.get(k).copied().unwrap_or('0');
        if k < keep {
            frac_fill[p].push(ch);
        } else if let Tok::Digit(b'?') = toks[p] {
            frac_fill[p].push(' ');
        }
    }

    let mut deferred_literals = String::new();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Lit(s) => {
                let between_int_digits = grouping
                    && first_int_digit.is_some_and(|f| i > f)
                    && last_int_digit.is_some_and(|l| i < l);
                if between_int_digits {
                    deferred_literals.push_str(s);
                } else {
                    out.push_str(s);
                }
            }
            Tok::Digit(_) if i < int_end => {
                if let Some(g) = &grouped_int {
                    if Some(i) == last_int_digit {
                        out.push_str(g);
                        out.push_str(&deferred_literals);
                    }
                } else {
                    out.push_str(&int_fill[i]);
                }
            }
            Tok::Digit(_) => out.push_str(&frac_fill[i]),
            Tok::Point => out.push('.'),
            Tok::Comma => {
                if comma_role[i].is_none() {
                    out.push(',');
                }
            }
            Tok::Percent => out.push('%'),
            Tok::General => out.push_str(&d.to_plain()),
        }
    }
    Some(out)
}

/// Inserts `,` every three digits from the right, leaving leading spaces alone.
fn group_thousands(s: &str) -> String {
    let trimmed = s.trim_start_matches(' ');
    let pad = &s[..s.len() - trimmed.len()];
    let digits: Vec<char> = trimmed.chars().collect();
    let mut out = String::with_capacity(s.len() + digits.len() / 3);
    out.push_str(pad);
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_number as f;

    #[test]
    fn thousands_and_triangles() {
        assert_eq!(f(1234567.0, "#,##0").as_deref(), Some("1,234,567"));
        assert_eq!(f(-48204.0, "#,##0").as_deref(), Some("-48,204"));
        assert_eq!(f(-48204.0, "#,##0;\"△\"#,##0").as_deref(), Some("△48,204"));
        assert_eq!(f(48204.0, "#,##0;\"△\"#,##0").as_deref(), Some("48,204"));
        assert_eq!(f(0.0, "#,##0;\"△\"#,##0").as_deref(), Some("0"));
        assert_eq!(f(-1594.0, "#,##0;[Red]\\-#,##0").as_deref(), Some("-1,594"));
        assert_eq!(f(-80.0, "#,##0;\"▲ \"#,##0").as_deref(), Some("▲ 80"));
        assert_eq!(f(0.0, "#,##0;△#,##0;\"-\"").as_deref(), Some("-"));
        assert_eq!(f(-5.0, "#,##0;△#,##0;\"-\"").as_deref(), Some("△5"));
        assert_eq!(f(12.0, "#,##0").as_deref(), Some("12"));
        assert_eq!(f(0.0, "#,##0").as_deref(), Some("0"));
        assert_eq!(f(0.4, "#,##0").as_deref(), Some("0"));
        assert_eq!(f(1234.5, "#,##0").as_deref(), Some("1,235"));
    }

    #[test]
    fn padding_and_parentheses() {
        assert_eq!(f(2416.0, "#,##0_ ").as_deref(), Some("2,416 "));
        assert_eq!(f(0.9, "0.0_ ").as_deref(), Some("0.9 "));
        assert_eq!(f(-1234.0, "#,##0_);(#,##0)").as_deref(), Some("(1,234)"));
        assert_eq!(f(1234.0, "#,##0_);(#,##0)").as_deref(), Some("1,234 "));
        assert_eq!(f(1234.0, "#,##0\"円\"").as_deref(), Some("1,234円"));
        assert_eq!(f(1234.0, "[$¥-411]#,##0").as_deref(), Some("¥1,234"));
        assert_eq!(f(1234.0, "*-#,##0").as_deref(), Some("1,234"));
    }

    #[test]
    fn decimals_and_percent() {
        assert_eq!(f(0.125, "0.0%").as_deref(), Some("12.5%"));
        assert_eq!(f(0.994, "0.0%").as_deref(), Some("99.4%"));
        assert_eq!(f(1.0, "0%").as_deref(), Some("100%"));
        assert_eq!(f(1.23456, "0.00").as_deref(), Some("1.23"));
        assert_eq!(f(2.675, "0.00").as_deref(), Some("2.68"));
        assert_eq!(f(-2.675, "0.00").as_deref(), Some("-2.68"));
        assert_eq!(f(0.5, "#.##").as_deref(), Some(".5"));
        assert_eq!(f(1.0, "#.##").as_deref(), Some("1."));
        assert_eq!(f(1.5, "0.0#").as_deref(), Some("1.5"));
        assert_eq!(f(1.25, "0.0#").as_deref(), Some("1.25"));
        assert_eq!(f(1.5, "0.0?").as_deref(), Some("1.5 "));
        assert_eq!(f(0.00012, "0.00000_ ").as_deref(), Some("0.00012 "));
    }

    #[test]
    fn scaling_and_leading_zeros() {
        assert_eq!(f(1234567.0, "#,##0,").as_deref(), Some("1,235"));
        assert_eq!(
            f(1234567890.0, "#,##0,,\"百万円\"").as_deref(),
            Some("1,235百万円")
        );
        assert_eq!(f(11002.0, "000000").as_deref(), Some("011002"));
        assert_eq!(f(1234567.0, "000-0000").as_deref(), Some("123-4567"));
    }

    #[test]
    fn general() {
        assert_eq!(f(48204.0, "General").as_deref(), Some("48204"));
        assert_eq!(f(-48204.5, "General").as_deref(), Some("-48204.5"));
        assert_eq!(f(0.1 + 0.2, "General").as_deref(), Some("0.3"));
        assert_eq!(
            f(1e21, "General").as_deref(),
            Some("1000000000000000000000")
        );
        assert_eq!(f(5.0, "").as_deref(), Some("5"));
        assert_eq!(f(5.0, "General\"人\"").as_deref(), Some("5人"));
    }

    #[test]
    fn unsupported_formats_fall_back() {
        assert_eq!(f(1.0, "0.00E+00"), None);
        assert_eq!(f(1.0, "[>=100]0;0.0"), None);
        assert_eq!(f(1.0, "yyyy/m/d"), None);
        assert_eq!(f(1.0, "# ?/?"), None);
        assert_eq!(f(1.0, "@"), None);
        assert_eq!(f(1.0, "[DBNum1]0"), None);
        assert_eq!(f(f64::NAN, "0"), None);
    }
}
