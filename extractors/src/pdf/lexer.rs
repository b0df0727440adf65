//! A lenient, allocation-light tokenizer for content streams and CMap programs.
//!
//! Both are PostScript-like: operands followed by an operator keyword. [`Lexer::next_op`] collects
//! the operands before each keyword and returns the keyword. Bytes that make no sense are skipped
//! rather than reported, so a damaged stream still yields what it can; inline image data
//! (`BI ... ID <bytes> EI`) is stepped over without being tokenized.

/// One operand of a content-stream operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Number(f64),
    Name(&'a [u8]),
    /// A literal or hexadecimal string, decoded to its bytes.
    Str(Vec<u8>),
    Array(Vec<Operand<'a>>),
    /// A dictionary (marked-content properties, CMap system info); its entries.
    Dict(Vec<(&'a [u8], Operand<'a>)>),
    Bool(bool),
    Null,
}

impl Operand<'_> {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Arrays and dictionaries nested deeper than this are treated as garbage.
const MAX_NESTING: usize = 32;

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

#[inline]
fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

#[inline]
fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

#[inline]
fn is_regular(b: u8) -> bool {
    !is_white(b) && !is_delim(b)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Parses a PDF number token leniently (`-.5`, `3.`, `--2` read as `-2`, `1.2.3` as `1.2`).
pub fn parse_number(tok: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut neg = false;
    while i < tok.len() && (tok[i] == b'-' || tok[i] == b'+') {
        neg = tok[i] == b'-';
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut any = false;
    while i < tok.len() && tok[i].is_ascii_digit() {
        int = int * 10.0 + f64::from(tok[i] - b'0');
        any = true;
        i += 1;
    }
    let mut frac = 0.0;
    if i < tok.len() && tok[i] == b'.' {
        i += 1;
        let mut scale = 0.1;
        while i < tok.len() && tok[i].is_ascii_digit() {
            frac += f64::from(tok[i] - b'0') * scale;
            scale *= 0.1;
            any = true;
            i += 1;
        }
    }
    if !any {
        return None;
    }
    let v = int + frac;
    if !v.is_finite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer { data, pos: 0 }
    }

    fn skip_white(&mut self) {
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < self.data.len()
                    && self.data[self.pos] != b'\n'
                    && self.data[self.pos] != b'\r'
                {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_token(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.pos < self.data.len() && is_regular(self.data[self.pos]) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn literal_string(&mut self) -> Vec<u8> {
        // self.data[self.pos] == b'('
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return out;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn hex_string(&mut self) -> Vec<u8> {
        // self.data[self.pos] == b'<' and the next byte is not '<'
        self.pos += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        while self.pos < self.data.len() {
            let b = self.data[self.pos];
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(v) = hex_val(b) {
                match hi.take() {
                    Some(h) => out.push((h << 4) | v),
                    None => hi = Some(v),
                }
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        out
    }

    /// Reads one operand or returns the keyword that ends the operand list.
    fn token(&mut self, depth: usize) -> Option<Tok<'a>> {
        self.skip_white();
        let b = *self.data.get(self.pos)?;
        Some(match b {
            b'/' => {
                self.pos += 1;
                Tok::Operand(Operand::Name(self.regular_token()))
            }
            b'(' => Tok::Operand(Operand::Str(self.literal_string())),
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Tok::Operand(self.dict(depth + 1))
                } else {
                    Tok::Operand(Operand::Str(self.hex_string()))
                }
            }
            b'[' => {
                self.pos += 1;
                Tok::Operand(self.array(depth + 1))
            }
            b']' => {
                self.pos += 1;
                Tok::ArrayEnd
            }
            b'>' => {
                self.pos += 1;
                if self.data.get(self.pos) == Some(&b'>') {
                    self.pos += 1;
                }
                Tok::DictEnd
            }
            b'{' | b'}' | b')' => {
                self.pos += 1;
                Tok::Junk
            }
            _ => {
                let tok = self.regular_token();
                if tok.is_empty() {
                    self.pos += 1;
                    return Some(Tok::Junk);
                }
                match tok[0] {
                    b'0'..=b'9' | b'+' | b'-' | b'.' => match parse_number(tok) {
                        Some(n) => Tok::Operand(Operand::Number(n)),
                        None => Tok::Junk,
                    },
                    _ => match tok {
                        b"true" => Tok::Operand(Operand::Bool(true)),
                        b"false" => Tok::Operand(Operand::Bool(false)),
                        b"null" => Tok::Operand(Operand::Null),
                        _ => Tok::Keyword(tok),
                    },
                }
            }
        })
    }

    fn array(&mut self, depth: usize) -> Operand<'a> {
        let mut items = Vec::new();
        loop {
            match self.token(depth) {
                None | Some(Tok::ArrayEnd) => break,
                Some(Tok::Operand(o)) => {
                    if depth <= MAX_NESTING {
                        items.push(o)
                    }
                }
                // A keyword inside an array is damage; keep reading the array.
                Some(_) => {}
            }
        }
        Operand::Array(items)
    }

    fn dict(&mut self, depth: usize) -> Operand<'a> {
        let mut entries = Vec::new();
        let mut key: Option<&'a [u8]> = None;
        loop {
            match self.token(depth) {
                None | Some(Tok::DictEnd) => break,
                Some(Tok::Operand(o)) => match (key.take(), o) {
                    (None, Operand::Name(n)) => key = Some(n),
                    (Some(k), v) => {
                        if depth <= MAX_NESTING {
                            entries.push((k, v))
                        }
                    }
                    (None, _) => {}
                },
                Some(_) => {}
            }
        }
        Operand::Dict(entries)
    }

    /// Skips inline image data after `ID` up to and including the `EI` keyword.
    fn skip_inline_image(&mut self) {
        // One white-space byte follows ID.
        self.pos += 1;
        let d = self.data;
        while self.pos + 2 <= d.len() {
            if d[self.pos] == b'E'
                && d[self.pos + 1] == b'I'
                && (self.pos == 0 || is_white(d[self.pos - 1]))
                && (self.pos + 2 == d.len() || !is_regular(d[self.pos + 2]))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = d.len();
    }

    /// Collects the operands of the next operator into `operands` (cleared first) and returns the
    /// operator, or `None` at the end of the data. Inline images come back as the single operator
    /// `BI` with their dictionary entries as operands (name, value pairs).
    pub fn next_op(&mut self, operands: &mut Vec<Operand<'a>>) -> Option<&'a [u8]> {
        operands.clear();
        loop {
            match self.token(0)? {
                Tok::Operand(o) => {
                    if operands.len() < 4096 {
                        operands.push(o);
                    }
                }
                Tok::Keyword(k) => {
                    if k == b"BI" {
                        operands.clear();
                        loop {
                            match self.token(0) {
                                None => return Some(b"BI"),
                                Some(Tok::Keyword(b"ID")) => {
                                    self.skip_inline_image();
                                    return Some(b"BI");
                                }
                                Some(Tok::Keyword(b"EI")) => return Some(b"BI"),
                                Some(Tok::Operand(o)) => operands.push(o),
                                Some(_) => {}
                            }
                        }
                    }
                    return Some(k);
                }
                Tok::ArrayEnd | Tok::DictEnd | Tok::Junk => {}
            }
        }
    }
}

enum Tok<'a> {
    Operand(Operand<'a>),
    Keyword(&'a [u8]),
    ArrayEnd,
    DictEnd,
    Junk,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut lx = Lexer::new(data);
        let mut v = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lx.next_op(&mut v) {
            out.push((String::from_utf8_lossy(op).into_owned(), v.clone()));
        }
        out
    }

    #[test]
    fn operators_and_operands() {
        let r = ops(b"BT /F1 12 Tf 1 0 0 1 -3.5 .5 Tm (a\\(b\\)\\101) Tj [<0BE7> -120 (x)] TJ ET");
        assert_eq!(r[1].0, "Tf");
        assert_eq!(r[1].1, vec![Operand::Name(b"F1"), Operand::Number(12.0)]);
        assert_eq!(r[2].1[4], Operand::Number(-3.5));
        assert_eq!(r[3].1, vec![Operand::Str(b"a(b)A".to_vec())]);
        assert_eq!(
            r[4].1,
            vec![Operand::Array(vec![
                Operand::Str(vec![0x0b, 0xe7]),
                Operand::Number(-120.0),
                Operand::Str(b"x".to_vec())
            ])]
        );
        assert_eq!(r.last().map(|x| x.0.as_str()), Some("ET"));
    }

    #[test]
    fn inline_image_is_skipped() {
        let r = ops(b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00EI\xff EI Q");
        let names: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, vec!["q", "BI", "Q"]);
    }

    #[test]
    fn garbage_does_not_stop_the_stream() {
        let r = ops(b") } 1 2 ]] >> m 3 4 l");
        let names: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, vec!["m", "l"]);
        assert_eq!(parse_number(b"--2"), Some(-2.0));
        assert_eq!(parse_number(b"1.2.3"), Some(1.2));
        assert_eq!(parse_number(b"-"), None);
    }
}
