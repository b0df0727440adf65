//! Small helpers over lopdf objects: bounded dereferencing, numbers, names, stream data under a
//! size limit.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::borrow::Cow;

/// Follows references (at most a few hops, so reference cycles end).
pub fn resolve<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..8 {
        match obj {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(o) => obj = o,
                None => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

/// The referenced object's id, when `obj` is a reference.
pub fn ref_id(obj: &Object) -> Option<ObjectId> {
    match obj {
        Object::Reference(id) => Some(*id),
        _ => None,
    }
}

pub fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| resolve(doc, o))
}

pub fn get_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n.as_slice()),
        _ => None,
    }
}

pub fn get_array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
    match get(doc, dict, key)? {
        Object::Array(a) => Some(a.as_slice()),
        _ => None,
    }
}

pub fn num(doc: &Document, obj: &Object) -> Option<f64> {
    match resolve(doc, obj) {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(f64::from(*r)),
        _ => None,
    }
}

pub fn get_num(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f64> {
    num(doc, dict.get(key).ok()?)
}

/// Numbers of an array (non-numbers dropped).
pub fn nums(doc: &Document, arr: &[Object]) -> Vec<f64> {
    arr.iter().filter_map(|o| num(doc, o)).collect()
}

/// Why a stream's data could not be had in full.
#[derive(Debug)]
pub enum StreamError {
    /// It would expand beyond the limit.
    TooLarge,
    /// Its filters failed; what could be decoded before the failure, if anything.
    Bad { message: String, partial: Vec<u8> },
}

fn is_plain_flate(stream: &Stream) -> bool {
    let single = match stream.dict.get(b"Filter") {
        Ok(Object::Name(n)) => n.as_slice() == b"FlateDecode",
        Ok(Object::Array(a)) => {
            a.len() == 1 && matches!(&a[0], Object::Name(n) if n.as_slice() == b"FlateDecode")
        }
        _ => false,
    };
    single && stream.dict.get(b"DecodeParms").is_err()
}

/// Inflates zlib data (raw deflate when the zlib header is damaged) into at most `limit` bytes.
fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, StreamError> {
    use std::io::Read;
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(limit).min(1 << 24));
    let cap = (limit as u64).saturating_add(1);
    let res = flate2::read::ZlibDecoder::new(data)
        .take(cap)
        .read_to_end(&mut out);
    if out.len() > limit {
        return Err(StreamError::TooLarge);
    }
    match res {
        Ok(_) => Ok(out),
        Err(e) => {
            if out.is_empty() && data.len() > 2 {
                let mut raw = Vec::new();
                let r = flate2::read::DeflateDecoder::new(&data[2..])
                    .take(cap)
                    .read_to_end(&mut raw);
                if raw.len() > limit {
                    return Err(StreamError::TooLarge);
                }
                if r.is_ok() && !raw.is_empty() {
                    return Ok(raw);
                }
            }
            Err(StreamError::Bad {
                message: format!("FlateDecode failed: {e}"),
                partial: out,
            })
        }
    }
}

/// The decoded data of a stream, at most `limit` bytes.
pub fn stream_data(stream: &Stream, limit: u64) -> Result<Cow<'_, [u8]>, StreamError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let has_filter = stream
        .dict
        .get(b"Filter")
        .map(|f| !matches!(f, Object::Null) && !matches!(f, Object::Array(a) if a.is_empty()))
        .unwrap_or(false);
    if !has_filter {
        if stream.content.len() > limit {
            return Err(StreamError::TooLarge);
        }
        return Ok(Cow::Borrowed(&stream.content));
    }
    if is_plain_flate(stream) {
        return inflate(&stream.content, limit).map(Cow::Owned);
    }
    match stream.decompressed_content_with_limit(limit) {
        Ok(d) => Ok(Cow::Owned(d)),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            Err(StreamError::TooLarge)
        }
        Err(e) => Err(StreamError::Bad {
            message: e.to_string(),
            partial: Vec::new(),
        }),
    }
}

/// A text string object as Rust text (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding read
/// as Latin-1).
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap_or_default();
        e.finish().unwrap_or_default()
    }

    #[test]
    fn inflate_reports_damage_and_keeps_what_decoded() {
        let data: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("{i} 0 Td (x) Tj\n").into_bytes())
            .collect();
        let z = deflate(&data);
        assert_eq!(inflate(&z, 1 << 30).ok(), Some(data.clone()));
        // Cut in the middle: an error, with the beginning recovered.
        match inflate(&z[..z.len() / 2], 1 << 30) {
            Err(StreamError::Bad { partial, .. }) => {
                assert!(partial.len() > 1000 && data.starts_with(&partial));
            }
            other => panic!("truncated stream: {:?}", other.map(|d| d.len())),
        }
        // Over the limit.
        assert!(matches!(inflate(&z, 1000), Err(StreamError::TooLarge)));
    }
}
