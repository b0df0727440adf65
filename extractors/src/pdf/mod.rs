//! PDF: positioned glyphs, words, lines and ruling lines from every page.
//!
//! lopdf reads the file (objects, streams, encryption, cross-reference repair); everything from
//! the content streams on is this module's own: a content-stream interpreter ([`content`]),
//! fonts and CMaps ([`font`], [`cmap`], [`encoding`], [`truetype`]), layout ([`layout`]) and a
//! layout-preserving text rendering ([`render`]). Pages are processed in parallel; fonts are
//! parsed once per font object and shared.

pub mod cmap;
pub mod compare;
mod content;
pub mod encoding;
mod error;
pub mod font;
pub mod layout;
mod lexer;
mod load;
mod objects;
pub mod render;
pub mod truetype;

pub use error::PdfError;
pub use render::render_layout;

use crate::{Diagnostic, Document, ExtractOptions, Format, Page, Severity};
use content::{Interp, Matrix, Shared};
use font::Font;
use lopdf::{Dictionary, Object, ObjectId};
use objects::{get_dict, nums, resolve, stream_data, StreamError};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

/// Fonts parsed once per font object and shared by all pages.
pub struct FontCache {
    /// Font dictionaries of the file in object order: their index in the document's font list.
    index: HashMap<ObjectId, u32>,
    loaded: RwLock<HashMap<ObjectId, Arc<Font>>>,
    /// Fonts written directly into a resource dictionary, keyed by the dictionary's address.
    inline: Mutex<HashMap<usize, (Arc<Font>, u32)>>,
    next_inline: Mutex<u32>,
}

impl FontCache {
    fn new(doc: &lopdf::Document) -> Self {
        let mut index = HashMap::new();
        let mut n = 0u32;
        for (id, obj) in &doc.objects {
            if let Object::Dictionary(d) = obj {
                let is_font =
                    matches!(d.get(b"Type"), Ok(Object::Name(t)) if t.as_slice() == b"Font");
                let sub = d
                    .get(b"Subtype")
                    .ok()
                    .and_then(|s| s.as_name().ok())
                    .unwrap_or(b"");
                if is_font && sub != b"CIDFontType0" && sub != b"CIDFontType2" {
                    n += 1;
                    index.insert(*id, n);
                }
            }
        }
        FontCache {
            index,
            loaded: RwLock::new(HashMap::new()),
            inline: Mutex::new(HashMap::new()),
            next_inline: Mutex::new(n),
        }
    }

    /// The parsed font and its index for a font dictionary (`id` when it is an indirect object).
    pub fn get_or_load(
        &self,
        doc: &lopdf::Document,
        id: Option<ObjectId>,
        dict: &Dictionary,
        display: &str,
        limit: u64,
    ) -> (Arc<Font>, u32) {
        match id {
            Some(id) => {
                if let Some(f) = self.loaded.read().ok().and_then(|m| m.get(&id).cloned()) {
                    return (f, self.index_of(id));
                }
                let f = Arc::new(font::load_font(doc, dict, display, limit));
                let f = match self.loaded.write() {
                    Ok(mut m) => m.entry(id).or_insert(f).clone(),
                    Err(_) => f,
                };
                (f, self.index_of(id))
            }
            None => {
                let key = dict as *const Dictionary as usize;
                if let Some(hit) = self.inline.lock().ok().and_then(|m| m.get(&key).cloned()) {
                    return hit;
                }
                let f = Arc::new(font::load_font(doc, dict, display, limit));
                let idx = match self.next_inline.lock() {
                    Ok(mut n) => {
                        *n += 1;
                        *n
                    }
                    Err(_) => 0,
                };
                match self.inline.lock() {
                    Ok(mut m) => m.entry(key).or_insert((f, idx)).clone(),
                    Err(_) => (f, idx),
                }
            }
        }
    }

    fn index_of(&self, id: ObjectId) -> u32 {
        self.index.get(&id).copied().unwrap_or(0)
    }

    /// (index, font) for every font that was used, by index.
    fn used(&self) -> Vec<(u32, Arc<Font>)> {
        let mut v: Vec<(u32, Arc<Font>)> = Vec::new();
        if let Ok(m) = self.loaded.read() {
            v.extend(m.iter().map(|(id, f)| (self.index_of(*id), f.clone())));
        }
        if let Ok(m) = self.inline.lock() {
            v.extend(m.values().map(|(f, i)| (*i, f.clone())));
        }
        v.sort_by_key(|x| x.0);
        v
    }
}

/// What processing one page gave.
struct PageResult {
    page: Page,
    diagnostics: Vec<Diagnostic>,
    unmapped: BTreeMap<u32, u32>,
    outline_glyphs: u32,
    has_text: bool,
    has_graphics: bool,
    /// A limit stopped the page early.
    aborted: bool,
}

/// Inherited page attributes, looked up through the page tree.
fn inherited<'a>(doc: &'a lopdf::Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(v) = node.get(key) {
            return Some(resolve(doc, v));
        }
        match node.get(b"Parent").map(|p| resolve(doc, p)) {
            Ok(Object::Dictionary(d)) => node = d,
            _ => return None,
        }
    }
    None
}

/// Every `/Resources` from the page up through its ancestors, nearest first.
fn resource_chain<'a>(doc: &'a lopdf::Document, page: &'a Dictionary) -> Vec<&'a Dictionary> {
    let mut out = Vec::new();
    let mut node = page;
    for _ in 0..64 {
        if let Some(r) = get_dict(doc, node, b"Resources") {
            out.push(r);
        }
        match node.get(b"Parent").map(|p| resolve(doc, p)) {
            Ok(Object::Dictionary(d)) => node = d,
            _ => break,
        }
    }
    out
}

fn rect(doc: &lopdf::Document, o: Option<&Object>) -> Option<[f64; 4]> {
    let Object::Array(a) = o? else {
        return None;
    };
    let v = nums(doc, a);
    if v.len() != 4 {
        return None;
    }
    let r = [
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ];
    (r[2] - r[0] > 0.0 && r[3] - r[1] > 0.0).then_some(r)
}

/// The matrix from user space to output space (top-left of the crop box, y down, rotated).
fn page_matrix(crop: [f64; 4], rotation: i32) -> (Matrix, f64, f64) {
    let (w, h) = (crop[2] - crop[0], crop[3] - crop[1]);
    let flip: Matrix = [1.0, 0.0, 0.0, -1.0, -crop[0], crop[3]];
    let (rot, ow, oh): (Matrix, f64, f64) = match rotation {
        90 => ([0.0, 1.0, -1.0, 0.0, h, 0.0], h, w),
        180 => ([-1.0, 0.0, 0.0, -1.0, w, h], w, h),
        270 => ([0.0, -1.0, 1.0, 0.0, 0.0, w], h, w),
        _ => (content::IDENTITY, w, h),
    };
    (content::mul(&flip, &rot), ow, oh)
}

fn process_page(sh: &Shared<'_>, number: u32, id: ObjectId) -> PageResult {
    let doc = sh.doc;
    let mut diagnostics = Vec::new();
    let empty = Dictionary::new();
    let dict = match doc.objects.get(&id).map(|o| resolve(doc, o)) {
        Some(Object::Dictionary(d)) => d,
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    "pdf.bad_page",
                    "the page object is missing or not a dictionary",
                )
                .on_page(number),
            );
            &empty
        }
    };
    let media = rect(doc, inherited(doc, dict, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let crop = rect(doc, inherited(doc, dict, b"CropBox"))
        .map(|c| {
            // The crop box is clipped to the media box.
            let r = [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ];
            if r[2] > r[0] && r[3] > r[1] {
                r
            } else {
                media
            }
        })
        .unwrap_or(media);
    let rot_raw = inherited(doc, dict, b"Rotate")
        .and_then(|o| objects::num(doc, o))
        .unwrap_or(0.0) as i64;
    let mut rotation = rot_raw.rem_euclid(360) as i32;
    if rotation % 90 != 0 {
        diagnostics.push(
            Diagnostic::warning(
                "pdf.bad_rotation",
                format!("/Rotate {rot_raw} is not a multiple of 90; ignored"),
            )
            .on_page(number),
        );
        rotation = 0;
    }
    let (pm, w, h) = page_matrix(crop, rotation);
    let res = resource_chain(doc, dict);
    let mut interp = Interp::new(sh, number, pm, w, h);

    // Content streams, concatenated.
    let mut data: Vec<u8> = Vec::new();
    let streams: Vec<&Object> = match dict.get(b"Contents").map(|c| resolve(doc, c)) {
        Ok(Object::Array(a)) => a.iter().map(|o| resolve(doc, o)).collect(),
        Ok(o @ Object::Stream(_)) => vec![o],
        _ => Vec::new(),
    };
    for (k, s) in streams.iter().enumerate() {
        let Object::Stream(s) = s else { continue };
        let what = format!("content stream {}", k + 1);
        match stream_data(s, interp.stream_limit()) {
            Ok(d) => {
                if !interp.charge(d.len(), &what) {
                    break;
                }
                data.extend_from_slice(&d);
            }
            Err(StreamError::TooLarge) => {
                interp.charge(usize::MAX, &what);
                break;
            }
            Err(StreamError::Bad { message, partial }) => {
                interp.diag(
                    Diagnostic::warning(
                        "pdf.bad_stream",
                        format!(
                            "{what} does not decompress ({message}); {} bytes recovered",
                            partial.len()
                        ),
                    )
                    .at(what.clone()),
                );
                if !interp.charge(partial.len(), &what) {
                    break;
                }
                data.extend_from_slice(&partial);
            }
        }
        data.push(b'\n');
    }
    interp.run(&data, &res);
    drop(data);
    let aborted = interp.aborted;
    let out = std::mem::take(&mut interp.out);
    diagnostics.extend(out.diagnostics);
    let lay = layout::layout(&out.glyphs, &out.outlines, sh.opts.keep_glyphs);
    let has_text = out
        .glyphs
        .iter()
        .any(|g| !g.text.as_ref().is_some_and(|t| t.is_whitespace()));
    let has_graphics = out.images > 0 || out.painted_paths > 0;
    let page = Page {
        number,
        width: w as f32,
        height: h as f32,
        rotation,
        glyphs: lay.glyphs,
        words: lay.words,
        lines: lay.lines,
        rules: out.rules,
    };
    PageResult {
        page,
        diagnostics,
        unmapped: out.unmapped,
        outline_glyphs: lay.outline_glyphs,
        has_text,
        has_graphics,
        aborted,
    }
}

fn info_metadata(doc: &lopdf::Document, meta: &mut BTreeMap<String, String>) {
    let Some(info) = doc.trailer.get(b"Info").ok().map(|o| resolve(doc, o)) else {
        return;
    };
    let Object::Dictionary(info) = info else {
        return;
    };
    for (k, v) in info.iter() {
        if let Object::String(s, _) = resolve(doc, v) {
            let text = objects::text_string(s);
            if !text.trim().is_empty() {
                meta.insert(String::from_utf8_lossy(k).to_lowercase(), text);
            }
        }
    }
}

/// Extracts every (requested) page of a PDF.
pub fn extract(bytes: &[u8], opts: &ExtractOptions) -> Result<Document, PdfError> {
    let loaded = load::load(bytes, opts)?;
    let doc = &loaded.doc;
    let all_pages = doc.get_pages();
    if all_pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let pages: Vec<(u32, ObjectId)> = all_pages
        .iter()
        .filter(|(n, _)| opts.wants_page(**n))
        .map(|(n, id)| (*n, *id))
        .collect();
    let fonts = FontCache::new(doc);
    let shared = Shared {
        doc,
        opts,
        fonts: &fonts,
    };
    let results: Vec<PageResult> = pages
        .par_iter()
        .map(|&(n, id)| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                process_page(&shared, n, id)
            }))
            .unwrap_or_else(|_| PageResult {
                page: Page {
                    number: n,
                    ..Default::default()
                },
                diagnostics: vec![Diagnostic::error(
                    "pdf.page_failed",
                    "internal error while reading this page; the page is left empty",
                )
                .on_page(n)],
                unmapped: BTreeMap::new(),
                outline_glyphs: 0,
                has_text: false,
                has_graphics: false,
                aborted: false,
            })
        })
        .collect();

    let mut out = Document::new(Format::Pdf);
    out.diagnostics.extend(loaded.diagnostics);
    info_metadata(doc, &mut out.metadata);
    out.metadata
        .insert("pages".into(), all_pages.len().to_string());
    out.metadata
        .insert("pdf_version".into(), doc.version.clone());
    let used = fonts.used();
    let names: HashMap<u32, String> = used.iter().map(|(i, f)| (*i, f.name.clone())).collect();
    for (i, f) in &used {
        out.metadata.insert(
            format!("font.{i}"),
            format!("{} ({})", f.name, f.description),
        );
    }
    let mut textless = Vec::new();
    let mut aborted = 0usize;
    for r in results {
        let n = r.page.number;
        out.diagnostics.extend(r.diagnostics);
        for (fi, count) in &r.unmapped {
            let name = names.get(fi).cloned().unwrap_or_else(|| "(no font)".into());
            out.diagnostics.push(
                Diagnostic::warning(
                    "pdf.unmapped_glyph",
                    format!(
                        "{count} glyph(s) of font {name} have no Unicode mapping; kept as U+FFFD"
                    ),
                )
                .on_page(n)
                .at(format!("font {name}")),
            );
        }
        if r.outline_glyphs > 0 {
            out.diagnostics.push(
                Diagnostic::warning(
                    "pdf.unmapped_glyph",
                    format!(
                        "{} character(s) drawn as vector outlines inside text lines have no Unicode; kept as U+FFFD",
                        r.outline_glyphs
                    ),
                )
                .on_page(n)
                .at("font (none: vector outlines)"),
            );
        }
        if r.aborted {
            aborted += 1;
        }
        if !r.has_text {
            textless.push(n);
            if r.aborted {
                // Already reported as pdf.too_large: not a missing text layer.
            } else if r.has_graphics {
                out.diagnostics.push(
                    Diagnostic::warning(
                        "pdf.no_text_layer",
                        "the page has images or drawings but no text layer (scanned or outlined): needs OCR",
                    )
                    .on_page(n),
                );
            } else if !out
                .diagnostics
                .iter()
                .any(|d| d.page == Some(n) && d.severity >= Severity::Warning)
            {
                out.diagnostics
                    .push(Diagnostic::info("pdf.empty_page", "the page draws nothing").on_page(n));
            }
        }
        out.pages.push(r.page);
    }
    if !out.pages.is_empty() && textless.len() == out.pages.len() {
        if aborted > 0 {
            return Err(PdfError::TooLarge {
                limit: opts.max_decompressed_bytes,
                what: format!("the content of {aborted} page(s)"),
            });
        }
        return Err(PdfError::NoTextLayer {
            pages: out.pages.len() as u32,
        });
    }
    if opts.strict {
        if let Some(d) = out
            .diagnostics
            .iter()
            .find(|d| d.severity >= Severity::Warning)
        {
            return Err(PdfError::Strict {
                code: d.code.clone(),
                page: d.page.unwrap_or(0),
                message: d.message.clone(),
            });
        }
    }
    Ok(out)
}
