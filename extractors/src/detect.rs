//! File type from content.
//!
//! Binary containers are recognised by their magic bytes only:
//! - `%PDF-` within the first 1024 bytes (some generators put junk before it) → PDF;
//! - a ZIP archive → XLSX when it holds `xl/workbook.xml` (XLSM when `[Content_Types].xml` says
//!   `macroEnabled` or `xl/vbaProject.bin` exists), XLSB when it holds `xl/workbook.bin`, ODS when
//!   its `mimetype` member is `application/vnd.oasis.opendocument.spreadsheet`; any other or
//!   unreadable ZIP → unknown;
//! - an OLE2 compound file → XLS when its directory has a `Workbook` or `Book` stream. An
//!   encrypted OOXML package (`EncryptedPackage` stream) is XLSX/XLSM/XLSB when the name says so,
//!   so that the spreadsheet reader reports it as encrypted; anything else (a Word `.doc`) →
//!   unknown;
//! - images, executables, compressed archives and data with more than 2% control bytes in its
//!   first 8 KiB → unknown.
//!
//! Everything else is text. A prefix (64 KiB) is decoded with [`crate::decode`] and classified;
//! the name's extension only breaks ties between text kinds:
//! 1. HTML when it starts with `<!DOCTYPE html` or `<html` (any extension);
//! 2. extension `.csv` → CSV (TSV instead when the lines split consistently on tabs and not on
//!    commas); `.tsv`/`.tab` → TSV;
//! 3. HTML when it contains a `<table` tag;
//! 4. Markdown when the extension is `.md`/`.markdown`, or when ATX headings (`# …`) and pipe
//!    table rows (`| … |`) make up at least 3 lines and 5% of the non-blank lines;
//! 5. TSV when the lines split consistently on tabs and the extension is not `.txt`;
//! 6. CSV when the lines split consistently on commas (quote-aware); with a `.txt` extension at
//!    least 3 records of 3 fields are needed;
//! 7. plain text.
//!
//! "Consistently" means: at least two records in the sample, every record with at least two
//! fields, and one field count shared by at least 90% of them.

use crate::decode::{decode_prefix, hex, sniff_utf16};
use crate::Format;
use std::io::{Cursor, Read};

/// Bytes of a text file looked at to classify it.
const TEXT_SAMPLE: usize = 64 * 1024;
/// Most records looked at for delimiter consistency.
const MAX_SAMPLE_RECORDS: usize = 200;

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The file type of `bytes`, from content; `name` (a file name or path) breaks ties between text
/// kinds only.
pub fn detect(bytes: &[u8], name: &str) -> Format {
    if bytes.is_empty() {
        return Format::Unknown;
    }
    if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Format::Pdf;
    }
    let ext = extension(name);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_kind(bytes).unwrap_or(Format::Unknown);
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return ole_kind(bytes, &ext);
    }
    if binary_magic(bytes).is_some() || looks_binary(bytes) {
        return Format::Unknown;
    }
    classify_text(bytes, &ext)
}

/// A short description of what unsupported content looks like, for error messages:
/// `PNG image`, `ZIP archive without a spreadsheet`, `binary data (first bytes 7f 45 4c 46)`.
pub fn describe_unknown(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "empty file".to_string();
    }
    if let Some(what) = binary_magic(bytes) {
        return what.to_string();
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return match zip_names(bytes) {
            None => "damaged ZIP archive".to_string(),
            Some(names) => {
                let has = |n: &str| names.iter().any(|m| m.eq_ignore_ascii_case(n));
                let what = if has("word/document.xml") {
                    " (a Word .docx document)"
                } else if has("ppt/presentation.xml") {
                    " (a PowerPoint .pptx presentation)"
                } else if names.iter().any(|m| m.eq_ignore_ascii_case("mimetype")) {
                    " (an OpenDocument file that is not a spreadsheet)"
                } else {
                    ""
                };
                format!("ZIP archive without a spreadsheet{what}")
            }
        };
    }
    if bytes.starts_with(OLE2_MAGIC) {
        let names = ole_stream_names(bytes);
        let has = |n: &str| names.iter().any(|m| m == n);
        return if has("EncryptedPackage") {
            "encrypted (password-protected) Office document".to_string()
        } else if has("WordDocument") {
            "OLE2 compound file without a workbook (a Word .doc document)".to_string()
        } else if has("PowerPoint Document") {
            "OLE2 compound file without a workbook (a PowerPoint .ppt presentation)".to_string()
        } else {
            "OLE2 compound file without a workbook".to_string()
        };
    }
    let head = &bytes[..bytes.len().min(8)];
    format!("binary data (first bytes {})", hex(head))
}

/// Lower-case extension of a file name or path, without the dot.
fn extension(name: &str) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn binary_magic(bytes: &[u8]) -> Option<&'static str> {
    let table: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (b"\x7FELF", "ELF executable"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
        (b"Rar!\x1A\x07", "RAR archive"),
        (b"\xFD7zXZ\x00", "xz-compressed data"),
        (b"\x28\xB5\x2F\xFD", "zstd-compressed data"),
        (b"BZh", "bzip2-compressed data"),
        (b"%!PS", "PostScript document"),
        (b"\x00\x00\x01\x00", "icon image"),
    ];
    for (magic, what) in table {
        if bytes.starts_with(magic) {
            // `BZh` and `%!PS` are also plausible text starts: require binary content too.
            if (*magic == b"BZh" || *magic == b"%!PS") && !looks_binary(bytes) {
                continue;
            }
            return Some(what);
        }
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("WebP image");
    }
    if bytes.starts_with(b"MZ") && looks_binary(bytes) {
        return Some("Windows executable");
    }
    None
}

/// More than 2% control bytes (other than tab, line feed, vertical tab, form feed, carriage
/// return and escape) in the first 8 KiB, unless the data is UTF-16.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    if sniff_utf16(bytes).is_some() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x1B))
        .count();
    control * 50 > sample.len()
}

/// Names of the members of a ZIP archive; `None` when the central directory is unreadable.
fn zip_names(bytes: &[u8]) -> Option<Vec<String>> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    Some(
        archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect(),
    )
}

/// Reads at most `limit` bytes of member `name` (case-insensitive).
fn zip_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    names: &[String],
    name: &str,
    limit: u64,
) -> Option<Vec<u8>> {
    let real = names.iter().find(|n| n.eq_ignore_ascii_case(name))?;
    let file = archive.by_name(real).ok()?;
    let mut out = Vec::new();
    file.take(limit).read_to_end(&mut out).ok()?;
    Some(out)
}

fn zip_kind(bytes: &[u8]) -> Option<Format> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let has = |n: &str| names.iter().any(|m| m.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") {
        let macro_types = zip_member(&mut archive, &names, "[Content_Types].xml", 1 << 20)
            .is_some_and(|ct| find(&ct.to_ascii_lowercase(), b"macroenabled").is_some());
        return Some(if macro_types || has("xl/vbaProject.bin") {
            Format::Xlsm
        } else {
            Format::Xlsx
        });
    }
    if has("xl/workbook.bin") {
        return Some(Format::Xlsb);
    }
    if has("mimetype") {
        let mime = zip_member(&mut archive, &names, "mimetype", 256)?;
        if mime
            .trim_ascii()
            .starts_with(b"application/vnd.oasis.opendocument.spreadsheet")
        {
            return Some(Format::Ods);
        }
    }
    None
}

/// Names of the storages and streams in an OLE2 compound file's directory.
///
/// Directory entries are 128 bytes long and sectors are multiples of 512 bytes from the file
/// start, so every entry sits at a multiple of 128. An entry is recognised by a UTF-16LE name
/// ending in NUL whose length field (offset 64) matches, and an object type (offset 66) of
/// storage, stream or root.
fn ole_stream_names(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut off = 512usize;
    while off + 128 <= bytes.len() {
        let entry = &bytes[off..off + 128];
        off += 128;
        let name_len = u16::from_le_bytes([entry[64], entry[65]]) as usize;
        if !(4..=64).contains(&name_len)
            || !name_len.is_multiple_of(2)
            || !matches!(entry[66], 1 | 2 | 5)
        {
            continue;
        }
        let units: Vec<u16> = entry[..name_len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if units.last() != Some(&0) {
            continue;
        }
        let body = &units[..units.len() - 1];
        if body.contains(&0) {
            continue;
        }
        if let Ok(name) = String::from_utf16(body) {
            if name.chars().all(|c| !c.is_control() || (c as u32) < 0x20) {
                names.push(name);
            }
        }
    }
    names
}

fn ole_kind(bytes: &[u8], ext: &str) -> Format {
    let names = ole_stream_names(bytes);
    let has = |n: &str| names.iter().any(|m| m == n);
    if has("Workbook") || has("Book") {
        return Format::Xls;
    }
    if has("EncryptedPackage") {
        return match ext {
            "xlsx" => Format::Xlsx,
            "xlsm" => Format::Xlsm,
            "xlsb" => Format::Xlsb,
            _ => Format::Unknown,
        };
    }
    Format::Unknown
}

fn classify_text(bytes: &[u8], ext: &str) -> Format {
    let decoded = decode_prefix(bytes, TEXT_SAMPLE);
    let text = decoded.text.as_str();
    let truncated = bytes.len() > TEXT_SAMPLE;
    let head = text.trim_start_matches(['\u{FEFF}', ' ', '\t', '\n', '\u{0C}']);
    let head_lower: String = head
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    if head_lower.starts_with("<!doctype html") || head_lower.starts_with("<html") {
        return Format::Html;
    }
    let tabs = || consistent(text, b'\t', false, truncated);
    let commas = || consistent(text, b',', true, truncated);
    match ext {
        "csv" => {
            return if tabs().is_some() && commas().is_none() {
                Format::Tsv
            } else {
                Format::Csv
            }
        }
        "tsv" | "tab" => return Format::Tsv,
        _ => {}
    }
    if has_table_tag(text) {
        return Format::Html;
    }
    if ext == "md" || ext == "markdown" || markdown_dominates(text) {
        return Format::Markdown;
    }
    if ext != "txt" && tabs().is_some() {
        return Format::Tsv;
    }
    if let Some((records, fields)) = commas() {
        if ext != "txt" || (records >= 3 && fields >= 3) {
            return Format::Csv;
        }
    }
    Format::Text
}

fn has_table_tag(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("<table") {
        let at = from + p + "<table".len();
        match lower.as_bytes().get(at) {
            Some(b'>') | Some(b' ') | Some(b'\t') | Some(b'\n') | Some(b'/') => return true,
            _ => from = at,
        }
    }
    false
}

fn markdown_dominates(text: &str) -> bool {
    let mut nonblank = 0usize;
    let mut marked = 0usize;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        nonblank += 1;
        let hashes = t.len() - t.trim_start_matches('#').len();
        let heading = (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t']);
        let pipe = t.starts_with('|') && t.len() > 1;
        if heading || pipe {
            marked += 1;
        }
    }
    marked >= 3 && marked * 20 >= nonblank
}

/// When the sample's records split on `delimiter` consistently, the number of records looked at
/// and the shared field count.
fn consistent(text: &str, delimiter: u8, quotes: bool, truncated: bool) -> Option<(usize, usize)> {
    let counts = field_counts(text, delimiter, quotes, truncated);
    if counts.len() < 2 || counts.iter().any(|&c| c < 2) {
        return None;
    }
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    let (mut best, mut best_n, mut i) = (0usize, 0usize, 0usize);
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j] == sorted[i] {
            j += 1;
        }
        if j - i > best_n {
            best_n = j - i;
            best = sorted[i];
        }
        i = j;
    }
    (best_n * 10 >= counts.len() * 9).then_some((counts.len(), best))
}

/// Field counts of the first records (blank lines skipped; the last record dropped when the
/// sample was cut short).
fn field_counts(text: &str, delimiter: u8, quotes: bool, truncated: bool) -> Vec<usize> {
    let b = text.as_bytes();
    let mut counts = Vec::new();
    let mut i = 0usize;
    let mut fields = 1usize;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut record_has_content = false;
    while i < b.len() && counts.len() < MAX_SAMPLE_RECORDS {
        let c = b[i];
        if in_quotes {
            if c == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if c == b'"' && quotes && at_field_start {
            in_quotes = true;
            at_field_start = false;
            record_has_content = true;
        } else if c == delimiter {
            fields += 1;
            at_field_start = true;
            record_has_content = true;
        } else if c == b'\n' {
            if record_has_content {
                counts.push(fields);
            }
            fields = 1;
            at_field_start = true;
            record_has_content = false;
        } else {
            at_field_start = false;
            record_has_content = true;
        }
        i += 1;
    }
    if record_has_content && !truncated && counts.len() < MAX_SAMPLE_RECORDS {
        counts.push(fields);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_with_junk_before_header() {
        assert_eq!(detect(b"%PDF-1.7\n...", "x.txt"), Format::Pdf);
        let mut junk = vec![0u8; 300];
        junk.extend_from_slice(b"%PDF-1.4");
        assert_eq!(detect(&junk, ""), Format::Pdf);
        let mut far = vec![b' '; 1100];
        far.extend_from_slice(b"%PDF-1.4");
        assert_ne!(detect(&far, ""), Format::Pdf);
    }

    #[test]
    fn binary_kinds() {
        assert_eq!(
            detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.csv"),
            Format::Unknown
        );
        assert_eq!(describe_unknown(b"\x89PNG\r\n\x1a\n\0"), "PNG image");
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0", "a.txt"), Format::Unknown);
        assert_eq!(detect(b"GIF89a....", ""), Format::Unknown);
        assert_eq!(detect(b"II*\x00abc", ""), Format::Unknown);
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        assert_eq!(detect(elf, "budget.csv"), Format::Unknown);
        assert_eq!(describe_unknown(elf), "ELF executable");
        let blob: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        assert_eq!(detect(&blob, "x.csv"), Format::Unknown);
        assert_eq!(
            describe_unknown(&[0x01, 0x02, 0x03, 0x04, 0x05]),
            "binary data (first bytes 01 02 03 04 05)"
        );
        assert_eq!(describe_unknown(b""), "empty file");
        assert_eq!(detect(b"", "x.csv"), Format::Unknown);
    }

    #[test]
    fn zip_without_spreadsheet() {
        assert_eq!(detect(b"PK\x03\x04garbage", "a.xlsx"), Format::Unknown);
        assert_eq!(
            describe_unknown(b"PK\x03\x04garbage"),
            "damaged ZIP archive"
        );
    }

    #[test]
    fn ole_directory_names() {
        let mut file = OLE2_MAGIC.to_vec();
        file.resize(512, 0);
        let mut entry = [0u8; 128];
        for (i, u) in "Workbook".encode_utf16().enumerate() {
            entry[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        entry[64] = 18;
        entry[66] = 2;
        file.extend_from_slice(&entry);
        assert_eq!(detect(&file, "x.bin"), Format::Xls);
        let mut doc = OLE2_MAGIC.to_vec();
        doc.resize(512, 0);
        let mut entry = [0u8; 128];
        for (i, u) in "WordDocument".encode_utf16().enumerate() {
            entry[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        entry[64] = 26;
        entry[66] = 2;
        doc.extend_from_slice(&entry);
        assert_eq!(detect(&doc, "x.xls"), Format::Unknown);
        assert_eq!(
            describe_unknown(&doc),
            "OLE2 compound file without a workbook (a Word .doc document)"
        );
    }

    #[test]
    fn text_kinds() {
        assert_eq!(
            detect(b"<!DOCTYPE html><html></html>", "a.txt"),
            Format::Html
        );
        assert_eq!(
            detect(b"intro\n<table><tr><td>1</td></tr></table>", "a.txt"),
            Format::Html
        );
        assert_eq!(detect(b"<tablet> is not a table", ""), Format::Text);
        assert_eq!(detect(b"# title\ntext", "a.md"), Format::Markdown);
        assert_eq!(
            detect(b"# a\n\n## b\n\ntext\n\n### c\n", "a.txt"),
            Format::Markdown
        );
        assert_eq!(detect(b"a\tb\tc\n1\t2\t3\n", "data"), Format::Tsv);
        assert_eq!(detect(b"a\tb\tc\n1\t2\t3\n", "data.txt"), Format::Text);
        assert_eq!(detect(b"a,b,c\n1,\"2,5\",3\n", "data"), Format::Csv);
        assert_eq!(detect(b"a,b\n1,2\n", "data.txt"), Format::Text);
        assert_eq!(detect(b"a,b,c\n1,2,3\n4,5,6\n", "data.txt"), Format::Csv);
        assert_eq!(
            detect(b"just words, and a comma\nmore words\n", ""),
            Format::Text
        );
        assert_eq!(detect(b"single line", "x.csv"), Format::Csv);
        assert_eq!(detect(b"a\tb\n1\t2\n", "x.csv"), Format::Tsv);
        assert_eq!(detect(b"a\tb\n1\t2\n", "x.tsv"), Format::Tsv);
    }

    #[test]
    fn extension_parsing() {
        assert_eq!(extension("dir.v2/file.CSV"), "csv");
        assert_eq!(extension("C:\\x\\y.Md"), "md");
        assert_eq!(extension(".bashrc"), "");
        assert_eq!(extension("noext"), "");
    }

    #[test]
    fn shift_jis_csv_is_csv() {
        let (bytes, _, _) =
            encoding_rs::SHIFT_JIS.encode("年度,款,款名称\n2018,2,総務費\n2019,3,民生費\n");
        assert_eq!(detect(&bytes, ""), Format::Csv);
    }
}
