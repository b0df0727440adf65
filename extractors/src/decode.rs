//! Text decoding shared by the delimited and text extractors.
//!
//! The rule, in order:
//! 1. A byte order mark decides: UTF-8 (`EF BB BF`), UTF-16LE (`FF FE`), UTF-16BE (`FE FF`).
//! 2. Without a BOM, a file whose first 4 KiB has NUL in most odd (even) byte positions and almost
//!    none in the others is UTF-16LE (UTF-16BE).
//! 3. Pure 7-bit input with ISO-2022-JP escape sequences (`ESC $ B`, `ESC $ @`) is ISO-2022-JP
//!    when it decodes without error.
//! 4. Input that is valid UTF-8 is UTF-8.
//! 5. Otherwise Shift_JIS (encoding_rs' `SHIFT_JIS`, which is the Windows code page 932 /
//!    Windows-31J superset used by Japanese public bodies) and EUC-JP are tried. When only one
//!    decodes without error it wins. When both do, the one with fewer implausible characters
//!    wins (half-width katakana, private-use characters and control characters other than tab,
//!    line feed, carriage return and form feed: the marks of a double-byte text read in the
//!    wrong double-byte encoding); a tie goes to Shift_JIS, the far more common of the two.
//! 6. When no encoding decodes without error, UTF-8, Shift_JIS and EUC-JP are each decoded with
//!    U+FFFD in place of the bad bytes and scored `10 × malformed sequences + implausible
//!    characters`; the lowest score wins (ties in that order). Every malformed sequence is
//!    recorded as an [`InvalidBytes`] with its 1-based line and byte offset, so that the
//!    extractors report it as a diagnostic: bad bytes are never replaced silently.
//!
//! Line ends are normalised afterwards: CRLF and lone CR become LF. Form feeds are kept.

use crate::{Diagnostic, Document, Format};
use encoding_rs::{
    DecoderResult, Encoding, EUC_JP, ISO_2022_JP, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8,
};

/// How many lines with invalid bytes get a diagnostic of their own; the rest are summed up in one.
pub const MAX_INVALID_LINE_DIAGNOSTICS: usize = 20;

/// Decoded text.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text with LF line ends; U+FFFD where bytes did not decode.
    pub text: String,
    /// The encoding's name as in the WHATWG list (`UTF-8`, `Shift_JIS`, `EUC-JP`, `UTF-16LE`, ...).
    pub encoding: &'static str,
    /// True when the input started with a byte order mark.
    pub bom: bool,
    /// Every malformed byte sequence, in input order.
    pub invalid: Vec<InvalidBytes>,
    /// True when no encoding decoded the input without error and `encoding` is only the best
    /// of UTF-8, Shift_JIS and EUC-JP (rule 6).
    pub guessed: bool,
}

/// One malformed byte sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBytes {
    /// 1-based line (after line-end normalisation) holding the replacement character.
    pub line: u32,
    /// Byte offset of the sequence in the input.
    pub offset: usize,
    /// The bytes (at most 8).
    pub bytes: Vec<u8>,
}

/// One decoding attempt before line-end normalisation.
struct Attempt {
    text: String,
    /// (input offset, output byte position, bad bytes)
    errors: Vec<(usize, usize, Vec<u8>)>,
}

/// Decodes `bytes` following the module rule.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (encoding, bom_len, guessed, attempt) = choose(bytes);
    let mut d = finish(encoding, bom_len > 0, attempt);
    d.guessed = guessed;
    d
}

/// Decodes a prefix of at most `max` bytes for sniffing: the prefix is cut after its last line
/// feed (a byte no double-byte encoding uses inside a character) so that a character cut in two
/// does not count as an error.
pub fn decode_prefix(bytes: &[u8], max: usize) -> Decoded {
    if bytes.len() <= max {
        return decode(bytes);
    }
    let head = &bytes[..max];
    let utf16 =
        matches!(bom_of(head), Some((enc, _)) if enc != UTF_8) || sniff_utf16(head).is_some();
    let cut = if utf16 {
        max & !1
    } else {
        match head.iter().rposition(|&b| b == b'\n') {
            Some(p) if p > 0 => p + 1,
            _ => max,
        }
    };
    decode(&bytes[..cut])
}

fn bom_of(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some((UTF_8, 3))
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some((UTF_16LE, 2))
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some((UTF_16BE, 2))
    } else {
        None
    }
}

/// UTF-16 without a BOM: NULs in most high bytes of the first 4 KiB and almost none elsewhere.
pub(crate) fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        if pair[0] == 0 {
            even_nul += 1;
        }
        if pair[1] == 0 {
            odd_nul += 1;
        }
    }
    if odd_nul * 10 >= pairs * 3 && even_nul * 20 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 3 && odd_nul * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn looks_iso_2022_jp(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b < 0x80)
        && bytes
            .windows(3)
            .any(|w| w == b"\x1b$B" || w == b"\x1b$@" || w == b"\x1b(J")
}

fn choose(bytes: &[u8]) -> (&'static Encoding, usize, bool, Attempt) {
    if let Some((enc, len)) = bom_of(bytes) {
        return (enc, len, false, decode_tracked(enc, bytes, len));
    }
    if let Some(enc) = sniff_utf16(bytes) {
        return (enc, 0, false, decode_tracked(enc, bytes, 0));
    }
    if looks_iso_2022_jp(bytes) {
        if let Some(text) = ISO_2022_JP.decode_without_bom_handling_and_without_replacement(bytes) {
            return (ISO_2022_JP, 0, false, clean(text.into_owned()));
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (UTF_8, 0, false, clean(text.to_string()));
    }
    let sjis = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes);
    let euc = EUC_JP.decode_without_bom_handling_and_without_replacement(bytes);
    match (sjis, euc) {
        (Some(s), Some(e)) => {
            if implausible(&e) < implausible(&s) {
                (EUC_JP, 0, false, clean(e.into_owned()))
            } else {
                (SHIFT_JIS, 0, false, clean(s.into_owned()))
            }
        }
        (Some(s), None) => (SHIFT_JIS, 0, false, clean(s.into_owned())),
        (None, Some(e)) => (EUC_JP, 0, false, clean(e.into_owned())),
        (None, None) => {
            let mut best: Option<(usize, &'static Encoding, Attempt)> = None;
            for enc in [UTF_8, SHIFT_JIS, EUC_JP] {
                let attempt = decode_tracked(enc, bytes, 0);
                let score = attempt
                    .errors
                    .len()
                    .saturating_mul(10)
                    .saturating_add(implausible(&attempt.text));
                if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
                    best = Some((score, enc, attempt));
                }
            }
            match best {
                Some((_, enc, attempt)) => (enc, 0, true, attempt),
                None => (UTF_8, 0, true, decode_tracked(UTF_8, bytes, 0)),
            }
        }
    }
}

fn clean(text: String) -> Attempt {
    Attempt {
        text,
        errors: Vec::new(),
    }
}

/// Characters that are rare in real Japanese documents but common when a double-byte text is
/// read in the wrong encoding.
fn implausible(text: &str) -> usize {
    text.chars()
        .filter(|&c| {
            matches!(c, '\u{FF61}'..='\u{FF9F}' | '\u{E000}'..='\u{F8FF}' | '\u{FFFD}')
                || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
        })
        .count()
}

/// Decodes with U+FFFD for malformed sequences, recording each one.
fn decode_tracked(enc: &'static Encoding, bytes: &[u8], skip: usize) -> Attempt {
    let input = bytes.get(skip..).unwrap_or(&[]);
    let mut decoder = enc.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(input.len())
        .unwrap_or(input.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity.saturating_add(16));
    let mut errors = Vec::new();
    let mut pos = 0usize;
    loop {
        let rest = input.get(pos..).unwrap_or(&[]);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        pos = pos.saturating_add(read);
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(input.len().saturating_sub(pos))
                    .unwrap_or(64)
                    .max(64);
                text.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                let end = pos.saturating_sub(after as usize);
                let start = end.saturating_sub(bad as usize);
                let bad_bytes = input.get(start..end.min(start + 8)).unwrap_or(&[]).to_vec();
                errors.push((skip + start, text.len(), bad_bytes));
                if text.capacity() - text.len() < 3 {
                    text.reserve(64);
                }
                text.push('\u{FFFD}');
            }
        }
    }
    Attempt { text, errors }
}

/// Normalises line ends and turns output positions of errors into line numbers.
fn finish(encoding: &'static Encoding, bom: bool, attempt: Attempt) -> Decoded {
    let Attempt { text, errors } = attempt;
    let raw = text.as_bytes();
    let mut invalid = Vec::with_capacity(errors.len());
    let mut line = 1u32;
    let mut scanned = 0usize;
    for (offset, out_pos, bytes) in errors {
        let upto = out_pos.min(raw.len());
        if upto > scanned {
            line = line.saturating_add(count_line_breaks(&raw[scanned..upto], raw.get(upto)));
            scanned = upto;
        }
        invalid.push(InvalidBytes {
            line,
            offset,
            bytes,
        });
    }
    let text = if raw.contains(&b'\r') {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(p) = rest.find('\r') {
            out.push_str(&rest[..p]);
            out.push('\n');
            rest = &rest[p + 1..];
            if let Some(stripped) = rest.strip_prefix('\n') {
                rest = stripped;
            }
        }
        out.push_str(rest);
        out
    } else {
        text
    };
    Decoded {
        text,
        encoding: encoding.name(),
        bom,
        invalid,
        guessed: false,
    }
}

/// Line breaks in `chunk` (LF, CRLF counted once, lone CR); `next` is the byte after the chunk so
/// that a CR ending the chunk is not counted twice with its LF.
fn count_line_breaks(chunk: &[u8], next: Option<&u8>) -> u32 {
    let mut n = 0u32;
    for (i, &b) in chunk.iter().enumerate() {
        match b {
            b'\n' => n = n.saturating_add(1),
            b'\r' => {
                let following = chunk
                    .get(i + 1)
                    .or(if i + 1 == chunk.len() { next } else { None });
                if following != Some(&b'\n') {
                    n = n.saturating_add(1);
                }
            }
            _ => {}
        }
    }
    n
}

/// Diagnostics for invalid bytes: one per line for the first
/// [`MAX_INVALID_LINE_DIAGNOSTICS`] lines, then one summary. `code` is the extractor's code
/// (`csv.invalid_bytes`, `text.invalid_bytes`); all have severity error.
pub fn invalid_bytes_diagnostics(code: &str, decoded: &Decoded) -> Vec<Diagnostic> {
    let invalid = decoded.invalid.as_slice();
    let encoding = if decoded.guessed {
        format!(
            "UTF-8, Shift_JIS or EUC-JP (the file is read as {}, the closest)",
            decoded.encoding
        )
    } else {
        decoded.encoding.to_string()
    };
    let mut out = Vec::new();
    let mut lines_seen = 0usize;
    let mut i = 0usize;
    while i < invalid.len() {
        let line = invalid[i].line;
        let mut j = i;
        while j < invalid.len() && invalid[j].line == line {
            j += 1;
        }
        lines_seen += 1;
        if lines_seen <= MAX_INVALID_LINE_DIAGNOSTICS {
            let first = &invalid[i];
            let count = j - i;
            let more = if count > 1 {
                format!(" (and {} more bad sequences on this line)", count - 1)
            } else {
                String::new()
            };
            out.push(
                Diagnostic::error(
                    code,
                    format!(
                        "bytes {} at byte offset {} are not valid {}{}; the line is kept with U+FFFD in their place",
                        hex(&first.bytes),
                        first.offset,
                        encoding,
                        more
                    ),
                )
                .at(format!("line {line}")),
            );
        }
        i = j;
    }
    if lines_seen > MAX_INVALID_LINE_DIAGNOSTICS {
        let skipped_lines = lines_seen - MAX_INVALID_LINE_DIAGNOSTICS;
        out.push(Diagnostic::error(
            code,
            format!(
                "{skipped_lines} more lines hold bytes that are not valid {encoding} ({} bad sequences in all); they are kept with U+FFFD",
                invalid.len()
            ),
        ));
    }
    out
}

/// Bytes as lower-case hex pairs separated by spaces.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_crlf() {
        let d = decode("a,b\r\nc\rd\n".as_bytes());
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "a,b\nc\nd\n");
        assert!(d.invalid.is_empty());
        assert!(!d.bom);
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBF\xE4\xBA\x88\xE7\xAE\x97");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.bom);
        assert_eq!(d.text, "予算");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "予算,1\r\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le);
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.text, "予算,1\n");
        let mut be = Vec::new();
        for u in "code,name\nabc,def\n".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&be);
        assert_eq!(d.encoding, "UTF-16BE");
        assert_eq!(d.text, "code,name\nabc,def\n");
    }

    #[test]
    fn shift_jis_and_euc_jp() {
        let (sjis, _, _) = SHIFT_JIS.encode("款,項,目\n総務費,1,2\n");
        let d = decode(&sjis);
        assert_eq!(d.encoding, "Shift_JIS");
        assert_eq!(d.text, "款,項,目\n総務費,1,2\n");
        let (euc, _, _) = EUC_JP.encode("歳出予算事項別明細書\n一般会計\n");
        let d = decode(&euc);
        assert_eq!(d.encoding, "EUC-JP");
        assert_eq!(d.text, "歳出予算事項別明細書\n一般会計\n");
    }

    #[test]
    fn cp932_extensions_decode() {
        // ① and ㈱ are NEC/IBM extensions present in CP932 only.
        let (bytes, _, _) = SHIFT_JIS.encode("①㈱髙");
        let d = decode(&bytes);
        assert_eq!(d.encoding, "Shift_JIS");
        assert_eq!(d.text, "①㈱髙");
    }

    #[test]
    fn iso_2022_jp() {
        let (bytes, _, _) = ISO_2022_JP.encode("予算書\n");
        let d = decode(&bytes);
        assert_eq!(d.encoding, "ISO-2022-JP");
        assert_eq!(d.text, "予算書\n");
    }

    #[test]
    fn invalid_everywhere_is_recorded_with_line_and_offset() {
        // 0xFF is invalid in UTF-8, Shift_JIS and EUC-JP alike.
        let mut bytes = b"a,b\r\nc,d\r\ne".to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice(b",f\r\n");
        let d = decode(&bytes);
        assert_eq!(d.invalid.len(), 1);
        assert_eq!(d.invalid[0].line, 3);
        assert_eq!(d.invalid[0].offset, 11);
        assert_eq!(d.invalid[0].bytes, vec![0xFF]);
        assert_eq!(d.text, "a,b\nc,d\ne\u{FFFD},f\n");
        let diags = invalid_bytes_diagnostics("csv.invalid_bytes", &d);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location.as_deref(), Some("line 3"));
        assert!(diags[0].message.contains("byte offset 11"));
        assert!(diags[0].message.contains("ff"));
        assert!(d.guessed);
        assert!(diags[0].message.contains("UTF-8, Shift_JIS or EUC-JP"));
    }

    #[test]
    fn many_bad_lines_are_summarised() {
        let mut bytes = Vec::new();
        for _ in 0..30 {
            bytes.extend_from_slice(b"x\xFFy\n");
        }
        let d = decode(&bytes);
        assert_eq!(d.invalid.len(), 30);
        let diags = invalid_bytes_diagnostics("text.invalid_bytes", &d);
        assert_eq!(diags.len(), MAX_INVALID_LINE_DIAGNOSTICS + 1);
        assert!(diags
            .last()
            .is_some_and(|d| d.location.is_none() && d.message.starts_with("10 more lines")));
    }

    #[test]
    fn cr_before_error_counts_one_line() {
        let d = decode(b"a\r\n\xFF\rb\xFF");
        assert_eq!(
            d.invalid.iter().map(|i| i.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert_eq!(d.text, "a\n\u{FFFD}\nb\u{FFFD}");
    }

    #[test]
    fn prefix_cut_at_line_feed() {
        let text = "予算額\n".repeat(100);
        let (sjis, _, _) = SHIFT_JIS.encode(&text);
        let d = decode_prefix(&sjis, 50);
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.invalid.is_empty());
    }
}

/// Where strict mode met the first byte that decodes in no encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstInvalid {
    pub encoding: String,
    pub line: u32,
    pub offset: usize,
}

/// Decodes `bytes` and starts a document for them: the encoding recorded, a BOM noted, and every
/// undecodable line reported under `code`. In strict mode the first undecodable byte is an error
/// instead.
pub fn start_document(
    bytes: &[u8],
    format: Format,
    strict: bool,
    code: &str,
) -> Result<(Document, Decoded), FirstInvalid> {
    let decoded = decode(bytes);
    if strict {
        if let Some(first) = decoded.invalid.first() {
            return Err(FirstInvalid {
                encoding: decoded.encoding.to_string(),
                line: first.line,
                offset: first.offset,
            });
        }
    }
    let mut doc = Document::new(format);
    doc.encoding = Some(decoded.encoding.to_string());
    if decoded.bom {
        doc.metadata.insert("bom".into(), "true".into());
    }
    doc.diagnostics
        .extend(invalid_bytes_diagnostics(code, &decoded));
    Ok((doc, decoded))
}
