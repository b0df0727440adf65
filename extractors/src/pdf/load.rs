//! Loading a file into a lopdf object graph: decryption with the empty user password, and repair
//! of damaged files.
//!
//! lopdf already rebuilds a broken cross-reference table in lenient mode. When loading still
//! fails, or gives no page tree, the bytes are scanned here for `N G obj ... endobj` and a new
//! file with a fresh cross-reference table and trailer is assembled and loaded again.

use super::error::PdfError;
use crate::{Diagnostic, ExtractOptions};
use lopdf::{Document, LoadOptions, Object};
use std::borrow::Cow;

/// A loaded document with what loading had to say about it.
pub struct Loaded {
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

fn lopdf_options(opts: &ExtractOptions) -> LoadOptions {
    LoadOptions {
        max_decompressed_size: Some(
            usize::try_from(opts.max_decompressed_bytes).unwrap_or(usize::MAX),
        ),
        ..LoadOptions::default()
    }
}

fn page_count(doc: &Document) -> usize {
    doc.page_iter().take(1).count()
}

fn is_limit_error(e: &lopdf::Error) -> bool {
    matches!(
        e,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
    )
}

/// Loads `bytes`, decrypting and repairing as needed.
pub fn load(bytes: &[u8], opts: &ExtractOptions) -> Result<Loaded, PdfError> {
    let mut diagnostics = Vec::new();
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        diagnostics.push(Diagnostic::warning(
            "pdf.bad_header",
            "no %PDF- header in the first 1024 bytes; read as a PDF anyway",
        ));
    }
    let first = Document::load_mem_with_options(bytes, lopdf_options(opts));
    let doc = match first {
        Ok(doc) if page_count(&doc) > 0 || doc.trailer.has(b"Encrypt") => doc,
        Ok(_) | Err(_) => {
            let why = match &first {
                Ok(_) => "no page tree could be read".to_string(),
                Err(e) if is_limit_error(e) => {
                    return Err(PdfError::TooLarge {
                        limit: opts.max_decompressed_bytes,
                        what: "an object or cross-reference stream".into(),
                    })
                }
                Err(e) => e.to_string(),
            };
            match rebuild(bytes) {
                Some(fixed) => match Document::load_mem_with_options(&fixed, lopdf_options(opts)) {
                    Ok(mut doc) => {
                        expand_object_streams(&mut doc, opts);
                        if page_count(&doc) == 0 && !doc.trailer.has(b"Encrypt") {
                            return Err(if first.is_ok() {
                                PdfError::NoPages
                            } else {
                                PdfError::Unreadable { detail: why }
                            });
                        }
                        diagnostics.push(Diagnostic::warning(
                            "pdf.repaired",
                            format!("the file is damaged ({why}); its objects were found by scanning the bytes"),
                        ));
                        doc
                    }
                    Err(e) => {
                        return Err(PdfError::Unreadable {
                            detail: format!(
                                "{why}; after rebuilding the cross-reference table: {e}"
                            ),
                        })
                    }
                },
                None => {
                    return Err(match first {
                        Ok(_) => PdfError::NoPages,
                        Err(_) => PdfError::Unreadable { detail: why },
                    })
                }
            }
        }
    };
    if let Some(r) = doc.xref_recovery {
        diagnostics.push(Diagnostic::warning(
            "pdf.repaired",
            format!("damaged cross-reference data was repaired while loading ({r:?})"),
        ));
    }
    if doc.trailer.has(b"Encrypt") {
        // lopdf decrypts with the empty user password while loading; an /Encrypt entry that is
        // still there means that password did not open the file.
        let detail = encryption_summary(&doc);
        if detail.contains("unsupported") {
            return Err(PdfError::UnsupportedEncryption { detail });
        }
        return Err(PdfError::PasswordRequired { detail });
    }
    if doc.encryption_state.is_some() {
        diagnostics.push(Diagnostic::info(
            "pdf.decrypted",
            "the file is encrypted with an empty user password; decrypted (permissions are not enforced on extraction)",
        ));
    }
    Ok(Loaded { doc, diagnostics })
}

fn encryption_summary(doc: &Document) -> String {
    let Ok(dict) = doc.get_encrypted() else {
        return "encryption dictionary unreadable".into();
    };
    let filter = dict
        .get(b"Filter")
        .ok()
        .and_then(|f| f.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let v = dict
        .get(b"V")
        .ok()
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0);
    let r = dict
        .get(b"R")
        .ok()
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0);
    if filter != "Standard" {
        return format!("unsupported security handler {filter}");
    }
    format!("Standard security handler, V {v}, R {r}")
}

/// Objects stored in object streams, added to a document loaded from a rebuilt file (whose
/// cross-reference table lists only top-level objects).
fn expand_object_streams(doc: &mut Document, opts: &ExtractOptions) {
    let limit = usize::try_from(opts.max_decompressed_bytes).unwrap_or(usize::MAX);
    let mut found = Vec::new();
    for obj in doc.objects.values() {
        if let Object::Stream(s) = obj {
            if s.dict.has_type(b"ObjStm") {
                let mut s = s.clone();
                if s.decompress_with_limit(limit).is_err() {
                    continue;
                }
                if let Ok(os) = lopdf::ObjectStream::new(&s) {
                    found.extend(os.objects);
                }
            }
        }
    }
    for (id, o) in found {
        doc.objects.entry(id).or_insert(o);
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

/// Reads `N G obj` ending at `end` (exclusive, just after `obj`), scanning backwards.
fn header_before(bytes: &[u8], obj_pos: usize) -> Option<(u32, u16, usize)> {
    let mut i = obj_pos;
    // whitespace before "obj"
    let mut j = i;
    while j > 0 && is_ws(bytes[j - 1]) {
        j -= 1;
    }
    if j == i {
        return None;
    }
    i = j;
    let gen_end = i;
    while i > 0 && bytes[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i == gen_end || gen_end - i > 5 {
        return None;
    }
    let generation: u16 = std::str::from_utf8(&bytes[i..gen_end]).ok()?.parse().ok()?;
    let mut j = i;
    while j > 0 && is_ws(bytes[j - 1]) {
        j -= 1;
    }
    if j == i {
        return None;
    }
    i = j;
    let num_end = i;
    while i > 0 && bytes[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i == num_end || num_end - i > 10 {
        return None;
    }
    if i > 0 && !is_ws(bytes[i - 1]) && !matches!(bytes[i - 1], b'>' | b')' | b']' | b'}') {
        return None;
    }
    let num: u32 = std::str::from_utf8(&bytes[i..num_end]).ok()?.parse().ok()?;
    Some((num, generation, i))
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Assembles a new file from the objects found in `bytes`: the last definition of each object
/// number wins, as in an incrementally updated file. `None` when no catalog can be found.
pub fn rebuild(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut objects: std::collections::BTreeMap<u32, (u16, Cow<'_, [u8]>)> = Default::default();
    let mut pos = 0;
    while let Some(p) = find(bytes, b"obj", pos) {
        pos = p + 3;
        let after_ok = bytes.get(p + 3).is_none_or(|&b| !b.is_ascii_alphanumeric());
        if !after_ok || (p >= 3 && &bytes[p - 3..p] == b"end") {
            continue;
        }
        let Some((num, generation, start)) = header_before(bytes, p) else {
            continue;
        };
        // The largest object number a PDF may use (ISO 32000-1, Annex C).
        if num == 0 || num > 8_388_607 {
            continue;
        }
        let body_start = p + 3;
        // The object ends at `endobj`; a stream body is skipped through `endstream` first so
        // that binary data containing `endobj` does not cut it.
        let next_obj = find(bytes, b"endobj", body_start);
        let stream_kw = find(bytes, b"stream", body_start);
        let end = match (stream_kw, next_obj) {
            (Some(s), Some(e)) if s < e => {
                let es = find(bytes, b"endstream", s + 6);
                match es {
                    Some(es) => find(bytes, b"endobj", es).map(|e| e + 6),
                    None => None,
                }
            }
            (Some(_), None) => find(bytes, b"endstream", body_start).map(|es| es + 9),
            (_, Some(e)) => Some(e + 6),
            (None, None) => None,
        };
        let Some(end) = end else {
            // A truncated last object: keep what there is only if it is not a stream.
            if stream_kw.is_none() {
                let mut body = bytes[start..].to_vec();
                body.extend_from_slice(b"\nendobj");
                objects.insert(num, (generation, Cow::Owned(body)));
            }
            break;
        };
        objects.insert(
            num,
            (
                generation,
                Cow::Borrowed(&bytes[start..end.min(bytes.len())]),
            ),
        );
        pos = end.max(pos);
    }
    if objects.is_empty() {
        return None;
    }
    // The catalog: the trailer's /Root if a trailer or xref stream names one that exists,
    // else an object with /Type /Catalog.
    let root = find_root(bytes, &objects)?;
    let mut out = Vec::with_capacity(bytes.len() + objects.len() * 20 + 256);
    out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    let max = *objects.keys().next_back()?;
    let mut offsets: Vec<(u32, usize, u16)> = Vec::with_capacity(objects.len());
    for (num, (generation, chunk)) in &objects {
        offsets.push((*num, out.len(), *generation));
        out.extend_from_slice(chunk);
        if !chunk.ends_with(b"endobj") {
            out.extend_from_slice(b"\nendobj");
        }
        out.push(b'\n');
    }
    // One subsection per object, so that sparse numbering costs nothing.
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f\r\n");
    for (num, off, g) in &offsets {
        out.extend_from_slice(format!("{num} 1\n{off:010} {g:05} n\r\n").as_bytes());
    }
    let mut trailer = format!(
        "trailer\n<< /Size {} /Root {} {} R",
        max + 1,
        root.0,
        root.1
    );
    if let Some((n, g)) = find_trailer_ref(bytes, b"/Encrypt") {
        if objects.contains_key(&n) {
            trailer.push_str(&format!(" /Encrypt {n} {g} R"));
            if let Some(id) = find_trailer_id(bytes) {
                trailer.push_str(&format!(" /ID {id}"));
            }
        }
    }
    if let Some((n, g)) = find_trailer_ref(bytes, b"/Info") {
        if objects.contains_key(&n) {
            trailer.push_str(&format!(" /Info {n} {g} R"));
        }
    }
    trailer.push_str(&format!(" >>\nstartxref\n{xref_at}\n%%EOF\n"));
    out.extend_from_slice(trailer.as_bytes());
    Some(out)
}

/// The last `KEY n g R` in the file (trailers and xref stream dictionaries).
fn find_trailer_ref(bytes: &[u8], key: &[u8]) -> Option<(u32, u16)> {
    let mut pos = 0;
    let mut last = None;
    while let Some(p) = find(bytes, key, pos) {
        pos = p + key.len();
        let rest = &bytes[pos..bytes.len().min(pos + 40)];
        let s = String::from_utf8_lossy(rest);
        let mut it = s.split_whitespace();
        let (Some(a), Some(b), Some(r)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        if r.starts_with('R') {
            if let (Ok(n), Ok(g)) = (a.parse::<u32>(), b.parse::<u16>()) {
                last = Some((n, g));
            }
        }
    }
    last
}

fn find_trailer_id(bytes: &[u8]) -> Option<String> {
    let p = bytes.windows(3).rposition(|w| w == b"/ID")?;
    let rest = &bytes[p + 3..];
    let open = rest.iter().position(|&b| b == b'[')?;
    let close = rest[open..].iter().position(|&b| b == b']')?;
    if close > 200 {
        return None;
    }
    Some(String::from_utf8_lossy(&rest[open..open + close + 1]).into_owned())
}

fn find_root(
    bytes: &[u8],
    objects: &std::collections::BTreeMap<u32, (u16, Cow<'_, [u8]>)>,
) -> Option<(u32, u16)> {
    if let Some((n, g)) = find_trailer_ref(bytes, b"/Root") {
        if objects.contains_key(&n) {
            return Some((n, g));
        }
    }
    for (num, (generation, chunk)) in objects.iter().rev() {
        let head = &chunk[..chunk.len().min(4096)];
        let compact: Vec<u8> = head.iter().copied().filter(|b| !is_ws(*b)).collect();
        if find(&compact, b"/Type/Catalog", 0).is_some() {
            return Some((*num, *generation));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/pdf")
            .join(name);
        std::fs::read(p).unwrap_or_default()
    }

    #[test]
    fn rebuild_finds_objects_without_any_cross_reference_data() {
        let plain = fixture("plain_for_encryption.pdf");
        let cut = plain
            .windows(6)
            .rposition(|w| w == b"\nxref\n")
            .unwrap_or(plain.len());
        // No xref, no trailer, and junk where they were.
        let mut bytes = plain[..cut].to_vec();
        bytes.extend_from_slice(b"\n%% junk \x00\xff garbage\n");
        let rebuilt = rebuild(&bytes).unwrap_or_default();
        let doc = Document::load_mem(&rebuilt).ok();
        assert_eq!(doc.map(|d| d.get_pages().len()), Some(2));
        // Cut anywhere: no panic, and whatever is rebuilt loads or fails cleanly.
        for cut in (0..plain.len()).step_by(37) {
            if let Some(r) = rebuild(&plain[..cut]) {
                let _ = Document::load_mem(&r);
            }
        }
        assert!(rebuild(b"%PDF-1.4\nnothing here").is_none());
    }
}
