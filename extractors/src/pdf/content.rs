//! The content-stream interpreter: graphics and text state, text showing, form XObjects and
//! paths, producing positioned glyphs, ruling lines and glyph-like vector outlines for one page.
//!
//! All coordinates are produced in output space: the initial transformation maps PDF user space
//! to the top-left origin of the crop box, y down, with the page rotation applied.

use super::cmap::UText;
use super::font::{DecodedChar, Font};
use super::lexer::{Lexer, Operand};
use super::objects::{get_dict, ref_id, resolve, stream_data, StreamError};
use super::FontCache;
use crate::{BBox, Diagnostic, ExtractOptions, Orientation, Rule};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// A 2-D affine matrix `[a b c d e f]` in the PDF row-vector convention.
pub type Matrix = [f64; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b`.
#[inline]
pub fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

#[inline]
pub fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[inline]
fn translate_pre(tx: f64, ty: f64, m: &Matrix) -> Matrix {
    // [1 0 0 1 tx ty] × m
    [
        m[0],
        m[1],
        m[2],
        m[3],
        tx * m[0] + ty * m[2] + m[4],
        tx * m[1] + ty * m[3] + m[5],
    ]
}

fn finite(m: &Matrix) -> bool {
    m.iter().all(|v| v.is_finite())
}

/// One glyph as drawn, in output space.
#[derive(Debug, Clone)]
pub struct RawGlyph {
    /// `None` when the font gives no Unicode for the code.
    pub text: Option<UText>,
    pub bbox: BBox,
    pub size: f32,
    /// Index in the document's font list (0 when unknown).
    pub font: u32,
    /// Drawn in vertical writing mode.
    pub vertical: bool,
    /// Advance direction in output space: 0 right, 1 down, 2 left, 3 up.
    pub dir: u8,
}

/// What one page's content streams drew.
#[derive(Debug, Default)]
pub struct PageOutput {
    pub glyphs: Vec<RawGlyph>,
    pub rules: Vec<Rule>,
    /// Filled vector paths shaped like a glyph (small, several subpaths, curves): text drawn as
    /// outlines.
    pub outlines: Vec<BBox>,
    pub images: u32,
    pub painted_paths: u32,
    /// Unmapped glyphs per font index.
    pub unmapped: BTreeMap<u32, u32>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything the pages of one document share.
pub struct Shared<'d> {
    pub doc: &'d Document,
    pub opts: &'d ExtractOptions,
    pub fonts: &'d FontCache,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<(Arc<Font>, u32)>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
    line_width: f64,
    fill_white: bool,
    stroke_white: bool,
}

#[derive(Default)]
struct SubPath {
    /// Points with whether the segment ending there is a curve.
    pts: Vec<(f64, f64, bool)>,
    closed: bool,
    is_rect: bool,
}

#[derive(Default)]
struct PathState {
    subs: Vec<SubPath>,
    segments: u32,
    curves: u32,
}

impl PathState {
    fn clear(&mut self) {
        self.subs.clear();
        self.segments = 0;
        self.curves = 0;
    }
    fn total_points(&self) -> usize {
        self.subs.iter().map(|s| s.pts.len()).sum()
    }
}

/// Upper bound on operators executed for one page (form XObjects included), against files that
/// draw a form inside a form a million times.
const MAX_OPS_PER_PAGE: u64 = 20_000_000;
/// Upper bound on points in one path.
const MAX_PATH_POINTS: usize = 1_000_000;
/// Upper bound on glyphs kept for one page.
const MAX_GLYPHS_PER_PAGE: usize = 2_000_000;

pub struct Interp<'s, 'd> {
    sh: &'s Shared<'d>,
    page: u32,
    pub out: PageOutput,
    /// Set when a limit stopped the page early.
    pub aborted: bool,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: PathState,
    ops: u64,
    /// Bytes of stream data still allowed for this page.
    budget: u64,
    forms: Vec<ObjectId>,
    scratch: Vec<DecodedChar>,
    page_w: f64,
    page_h: f64,
    reported: HashSet<(String, String)>,
    fallback_font: Arc<Font>,
}

fn is_white_gray(v: f64) -> bool {
    v >= 0.999
}

fn color_is_white(ops: &[Operand]) -> bool {
    let v: Vec<f64> = ops.iter().filter_map(Operand::as_f64).collect();
    match v.len() {
        1 => is_white_gray(v[0]),
        3 => v.iter().all(|x| is_white_gray(*x)),
        4 => v.iter().all(|x| *x <= 0.001),
        _ => false,
    }
}

impl<'s, 'd> Interp<'s, 'd> {
    pub fn new(sh: &'s Shared<'d>, page: u32, page_matrix: Matrix, w: f64, h: f64) -> Self {
        Interp {
            sh,
            page,
            out: PageOutput::default(),
            gs: GState {
                ctm: page_matrix,
                font: None,
                font_size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                hscale: 1.0,
                leading: 0.0,
                rise: 0.0,
                line_width: 1.0,
                fill_white: false,
                stroke_white: false,
            },
            stack: Vec::new(),
            tm: IDENTITY,
            tlm: IDENTITY,
            path: PathState::default(),
            ops: 0,
            budget: sh.opts.max_decompressed_bytes.saturating_mul(4),
            forms: Vec::new(),
            scratch: Vec::new(),
            page_w: w,
            page_h: h,
            reported: HashSet::new(),
            fallback_font: Arc::new(Font::fallback("(none)")),
            aborted: false,
        }
    }

    /// Adds a diagnostic once per (code, location) on this page.
    pub fn diag(&mut self, d: Diagnostic) {
        let key = (d.code.clone(), d.location.clone().unwrap_or_default());
        if self.reported.insert(key) {
            self.out.diagnostics.push(d.on_page(self.page));
        }
    }

    /// Charges `n` bytes of decoded stream data to the page budget: a page may decode at most
    /// four times `max_decompressed_bytes` in all (content streams and forms, each form counted
    /// every time it is drawn), so that forms drawn over and over cannot multiply the work.
    pub fn charge(&mut self, n: usize, what: &str) -> bool {
        let n = n as u64;
        if n > self.budget {
            let limit = self.stream_limit();
            self.diag(
                Diagnostic::error(
                    "pdf.too_large",
                    format!("{what} expands beyond the limit of {limit} bytes; the rest of the page is skipped"),
                )
                .at(what.to_string()),
            );
            self.aborted = true;
            return false;
        }
        self.budget -= n;
        true
    }

    /// The most one more stream may decode to on this page.
    pub fn stream_limit(&self) -> u64 {
        self.sh.opts.max_decompressed_bytes.min(self.budget)
    }

    fn lookup(&self, res: &[&'d Dictionary], category: &[u8], name: &[u8]) -> Option<&'d Object> {
        let doc = self.sh.doc;
        for r in res {
            if let Some(cat) = get_dict(doc, r, category) {
                if let Ok(o) = cat.get(name) {
                    return Some(o);
                }
            }
        }
        None
    }

    fn set_font(&mut self, res: &[&'d Dictionary], name: &[u8], size: f64) {
        self.gs.font_size = size;
        let doc = self.sh.doc;
        let display = String::from_utf8_lossy(name).into_owned();
        let Some(obj) = self.lookup(res, b"Font", name) else {
            self.diag(
                Diagnostic::warning(
                    "pdf.missing_font",
                    format!("font resource /{display} is not defined; its text is unmapped"),
                )
                .at(format!("font {display}")),
            );
            self.gs.font = None;
            return;
        };
        let id = ref_id(obj);
        let dict = match resolve(doc, obj) {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => {
                self.gs.font = None;
                return;
            }
        };
        let limit = self.sh.opts.max_decompressed_bytes;
        let (font, idx) = self.sh.fonts.get_or_load(doc, id, dict, &display, limit);
        for (code, message) in &font.problems {
            let d = if *code == "pdf.too_large" {
                Diagnostic::error(code, message.clone())
            } else {
                Diagnostic::warning(code, message.clone())
            };
            self.diag(d.at(format!("font {}", font.name)));
        }
        self.gs.font = Some((font, idx));
    }

    /// Runs a content stream with the given resources.
    pub fn run(&mut self, data: &[u8], res: &[&'d Dictionary]) {
        let mut lx = Lexer::new(data);
        let mut ops: Vec<Operand> = Vec::new();
        while let Some(op) = lx.next_op(&mut ops) {
            if self.aborted {
                return;
            }
            self.ops += 1;
            if self.ops > MAX_OPS_PER_PAGE {
                self.diag(Diagnostic::error(
                    "pdf.too_large",
                    format!("more than {MAX_OPS_PER_PAGE} drawing operators on the page; the rest is skipped"),
                ));
                self.aborted = true;
                return;
            }
            self.op(op, &ops, res);
        }
    }

    fn nums<const N: usize>(ops: &[Operand]) -> Option<[f64; N]> {
        if ops.len() < N {
            return None;
        }
        let tail = &ops[ops.len() - N..];
        let mut out = [0.0; N];
        for (i, o) in tail.iter().enumerate() {
            out[i] = o.as_f64()?;
        }
        Some(out)
    }

    fn op(&mut self, op: &[u8], ops: &[Operand], res: &[&'d Dictionary]) {
        match op {
            b"q" if self.stack.len() < 256 => self.stack.push(self.gs.clone()),
            b"q" => {}
            b"Q" => {
                if let Some(g) = self.stack.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = Self::nums::<6>(ops) {
                    let n = mul(&m, &self.gs.ctm);
                    if finite(&n) {
                        self.gs.ctm = n;
                    }
                }
            }
            b"w" => {
                if let Some([w]) = Self::nums::<1>(ops) {
                    self.gs.line_width = w.abs();
                }
            }
            b"g" | b"rg" | b"k" | b"sc" | b"scn" => self.gs.fill_white = color_is_white(ops),
            b"G" | b"RG" | b"K" | b"SC" | b"SCN" => self.gs.stroke_white = color_is_white(ops),
            b"cs" => self.gs.fill_white = false,
            b"CS" => self.gs.stroke_white = false,
            // Paths.
            b"m" => {
                if let Some([x, y]) = Self::nums::<2>(ops) {
                    let p = apply(&self.gs.ctm, x, y);
                    if self.path.subs.len() < MAX_PATH_POINTS {
                        self.path.subs.push(SubPath {
                            pts: vec![(p.0, p.1, false)],
                            ..Default::default()
                        });
                    }
                }
            }
            b"l" => {
                if let Some([x, y]) = Self::nums::<2>(ops) {
                    self.line_to(x, y, false);
                }
            }
            b"c" => {
                if let Some([x1, y1, x2, y2, x3, y3]) = Self::nums::<6>(ops) {
                    self.control_point(x1, y1);
                    self.control_point(x2, y2);
                    self.line_to(x3, y3, true);
                }
            }
            b"v" | b"y" => {
                if let Some([x1, y1, x3, y3]) = Self::nums::<4>(ops) {
                    self.control_point(x1, y1);
                    self.line_to(x3, y3, true);
                }
            }
            b"h" => {
                if let Some(s) = self.path.subs.last_mut() {
                    s.closed = true;
                }
            }
            b"re" => {
                if let Some([x, y, w, h]) = Self::nums::<4>(ops) {
                    let m = self.gs.ctm;
                    let c = [
                        apply(&m, x, y),
                        apply(&m, x + w, y),
                        apply(&m, x + w, y + h),
                        apply(&m, x, y + h),
                    ];
                    if self.path.subs.len() < MAX_PATH_POINTS {
                        self.path.subs.push(SubPath {
                            pts: c.iter().map(|p| (p.0, p.1, false)).collect(),
                            closed: true,
                            is_rect: true,
                        });
                        self.path.segments += 4;
                    }
                }
            }
            b"S" => self.paint(true, false),
            b"s" => {
                if let Some(s) = self.path.subs.last_mut() {
                    s.closed = true;
                }
                self.paint(true, false)
            }
            b"f" | b"F" | b"f*" => self.paint(false, true),
            b"B" | b"B*" => self.paint(true, true),
            b"b" | b"b*" => {
                if let Some(s) = self.path.subs.last_mut() {
                    s.closed = true;
                }
                self.paint(true, true)
            }
            b"n" => self.path.clear(),
            b"sh" => self.out.painted_paths += 1,
            // Text objects and state.
            b"BT" => {
                self.tm = IDENTITY;
                self.tlm = IDENTITY;
            }
            b"ET" => {}
            b"Tc" => {
                if let Some([v]) = Self::nums::<1>(ops) {
                    self.gs.char_spacing = v;
                }
            }
            b"Tw" => {
                if let Some([v]) = Self::nums::<1>(ops) {
                    self.gs.word_spacing = v;
                }
            }
            b"Tz" => {
                if let Some([v]) = Self::nums::<1>(ops) {
                    self.gs.hscale = v / 100.0;
                }
            }
            b"TL" => {
                if let Some([v]) = Self::nums::<1>(ops) {
                    self.gs.leading = v;
                }
            }
            b"Ts" => {
                if let Some([v]) = Self::nums::<1>(ops) {
                    self.gs.rise = v;
                }
            }
            b"Tr" => {}
            b"Tf" => {
                if let [.., Operand::Name(n), Operand::Number(s)] = ops {
                    self.set_font(res, n, *s);
                } else if let Some([s]) = Self::nums::<1>(ops) {
                    self.gs.font_size = s;
                }
            }
            b"Td" => {
                if let Some([x, y]) = Self::nums::<2>(ops) {
                    self.td(x, y);
                }
            }
            b"TD" => {
                if let Some([x, y]) = Self::nums::<2>(ops) {
                    self.gs.leading = -y;
                    self.td(x, y);
                }
            }
            b"Tm" => {
                if let Some(m) = Self::nums::<6>(ops) {
                    if finite(&m) {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
            }
            b"T*" => self.td(0.0, -self.gs.leading),
            b"Tj" => {
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s);
                }
            }
            b"'" => {
                self.td(0.0, -self.gs.leading);
                if let Some(Operand::Str(s)) = ops.last() {
                    self.show(s);
                }
            }
            b"\"" => {
                if let [.., Operand::Number(aw), Operand::Number(ac), Operand::Str(s)] = ops {
                    self.gs.word_spacing = *aw;
                    self.gs.char_spacing = *ac;
                    self.td(0.0, -self.gs.leading);
                    self.show(s);
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = ops.last() {
                    for it in items {
                        match it {
                            Operand::Str(s) => self.show(s),
                            Operand::Number(n) => self.kern(*n),
                            _ => {}
                        }
                    }
                }
            }
            b"Do" => {
                if let Some(Operand::Name(n)) = ops.last() {
                    self.do_xobject(n, res);
                }
            }
            b"BI" => self.out.images += 1,
            _ => {}
        }
    }

    fn control_point(&mut self, x: f64, y: f64) {
        // Control points count for the extent of outlines, not as segment ends.
        let p = apply(&self.gs.ctm, x, y);
        if let Some(s) = self.path.subs.last_mut() {
            if s.pts.len() < MAX_PATH_POINTS {
                s.pts.push((p.0, p.1, true));
            }
        }
    }

    fn line_to(&mut self, x: f64, y: f64, curve: bool) {
        let p = apply(&self.gs.ctm, x, y);
        if self.path.subs.is_empty() {
            self.path.subs.push(SubPath::default());
        }
        if self.path.total_points() >= MAX_PATH_POINTS {
            return;
        }
        if let Some(s) = self.path.subs.last_mut() {
            s.pts.push((p.0, p.1, curve));
        }
        self.path.segments += 1;
        if curve {
            self.path.curves += 1;
        }
    }

    fn paint(&mut self, stroke: bool, fill: bool) {
        self.out.painted_paths += 1;
        let path = std::mem::take(&mut self.path);
        if fill && !self.gs.fill_white {
            for sp in &path.subs {
                if let Some(b) = rect_of(sp) {
                    let (w, h) = (b.width(), b.height());
                    if h <= 2.0 && w > h && w >= 1.0 {
                        let y = (b.y0 + b.y1) / 2.0;
                        self.push_rule(Orientation::Horizontal, b.x0, y, b.x1, y, h);
                    } else if w <= 2.0 && h > w && h >= 1.0 {
                        let x = (b.x0 + b.x1) / 2.0;
                        self.push_rule(Orientation::Vertical, x, b.y0, x, b.y1, w);
                    }
                }
            }
            if path.subs.len() >= 2 && path.segments >= 10 && path.curves >= 2 {
                if let Some(b) = path_bbox(&path) {
                    let (w, h) = (b.width(), b.height());
                    if w >= 1.0
                        && h >= 1.0
                        && w <= 72.0
                        && h <= 72.0
                        && self.out.outlines.len() < 10_000
                    {
                        self.out.outlines.push(b);
                    }
                }
            }
        }
        if stroke && !self.gs.stroke_white {
            let m = &self.gs.ctm;
            let scale = (m[0] * m[3] - m[1] * m[2]).abs().sqrt();
            let lw = (self.gs.line_width * scale) as f32;
            for sp in &path.subs {
                let n = sp.pts.len();
                if n < 2 {
                    continue;
                }
                let mut segs: Vec<((f64, f64), (f64, f64))> = Vec::new();
                let mut prev: Option<(f64, f64)> = None;
                for p in &sp.pts {
                    if let (Some(a), false) = (prev, p.2) {
                        segs.push((a, (p.0, p.1)));
                    }
                    prev = Some((p.0, p.1));
                }
                if sp.closed || sp.is_rect {
                    if let (Some(last), Some(first)) = (sp.pts.last(), sp.pts.first()) {
                        segs.push(((last.0, last.1), (first.0, first.1)));
                    }
                }
                for (a, b) in segs {
                    let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
                    if dy <= 0.5 && dx >= 1.0 {
                        let y = ((a.1 + b.1) / 2.0) as f32;
                        self.push_rule(
                            Orientation::Horizontal,
                            a.0.min(b.0) as f32,
                            y,
                            a.0.max(b.0) as f32,
                            y,
                            lw,
                        );
                    } else if dx <= 0.5 && dy >= 1.0 {
                        let x = ((a.0 + b.0) / 2.0) as f32;
                        self.push_rule(
                            Orientation::Vertical,
                            x,
                            a.1.min(b.1) as f32,
                            x,
                            a.1.max(b.1) as f32,
                            lw,
                        );
                    }
                }
            }
        }
    }

    fn push_rule(&mut self, o: Orientation, x0: f32, y0: f32, x1: f32, y1: f32, width: f32) {
        if self.out.rules.len() >= 1_000_000 {
            return;
        }
        // Clip to the page.
        let (w, h) = (self.page_w as f32, self.page_h as f32);
        let (cx0, cx1) = (x0.max(0.0), x1.min(w));
        let (cy0, cy1) = (y0.max(0.0), y1.min(h));
        if cx0 > cx1 || cy0 > cy1 {
            return;
        }
        self.out.rules.push(Rule {
            orientation: o,
            x0: cx0,
            y0: cy0,
            x1: cx1,
            y1: cy1,
            width,
        });
    }

    fn td(&mut self, x: f64, y: f64) {
        self.tlm = translate_pre(x, y, &self.tlm);
        self.tm = self.tlm;
    }

    fn kern(&mut self, n: f64) {
        let fs = self.gs.font_size;
        let vertical = self.gs.font.as_ref().is_some_and(|f| f.0.vertical);
        if vertical {
            self.tm = translate_pre(0.0, -n / 1000.0 * fs, &self.tm);
        } else {
            self.tm = translate_pre(-n / 1000.0 * fs * self.gs.hscale, 0.0, &self.tm);
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let (font, fidx) = match &self.gs.font {
            Some((f, i)) => (f.clone(), *i),
            None => (self.fallback_font.clone(), 0),
        };
        let doc = self.sh.doc;
        let limit = self.sh.opts.max_decompressed_bytes;
        let mut decoded = std::mem::take(&mut self.scratch);
        font.decode(doc, limit, bytes, &mut decoded);
        let fs = self.gs.font_size;
        let th = self.gs.hscale;
        let tc = self.gs.char_spacing;
        let tw = self.gs.word_spacing;
        let fm = font.font_matrix;
        let base = [fs * th, 0.0, 0.0, fs, 0.0, self.gs.rise];
        for ch in &decoded {
            let trm = mul(&base, &mul(&self.tm, &self.gs.ctm));
            let glyph_to_out = mul(&fm, &trm);
            let (corners, adv_dir, w_text) = if let Some((w1y, vx, vy)) = ch.vmetric {
                let x0 = -vx;
                let x1 = -vx + ch.width;
                let y0 = -vy + font.descent;
                let y1 = -vy + font.ascent;
                let adv = (w1y.abs() * fm[3].abs()) * fs;
                (
                    [(x0, y0), (x1, y0), (x1, y1), (x0, y1)],
                    (-trm[2], -trm[3]),
                    adv,
                )
            } else {
                let w = ch.width;
                let adv = w * fm[0] * fs;
                (
                    [
                        (0.0, font.descent),
                        (w, font.descent),
                        (w, font.ascent),
                        (0.0, font.ascent),
                    ],
                    (trm[0], trm[1]),
                    adv,
                )
            };
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for (gx, gy) in corners {
                let (px, py) = apply(&glyph_to_out, gx, gy);
                x0 = x0.min(px);
                y0 = y0.min(py);
                x1 = x1.max(px);
                y1 = y1.max(py);
            }
            let size = trm[2].hypot(trm[3]);
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let on_page =
                cx >= -1.0 && cy >= -1.0 && cx <= self.page_w + 1.0 && cy <= self.page_h + 1.0;
            if size.is_finite() && size > 0.01 && x0.is_finite() && y0.is_finite() && on_page {
                if ch.text.is_none() {
                    *self.out.unmapped.entry(fidx).or_insert(0) += 1;
                }
                if self.out.glyphs.len() < MAX_GLYPHS_PER_PAGE {
                    let dir = direction(adv_dir.0, adv_dir.1);
                    self.out.glyphs.push(RawGlyph {
                        text: ch.text.clone(),
                        bbox: BBox::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32),
                        size: size as f32,
                        font: fidx,
                        vertical: ch.vmetric.is_some(),
                        dir,
                    });
                }
            }
            let spacing = tc + if ch.is_space_code { tw } else { 0.0 };
            if ch.vmetric.is_some() {
                self.tm = translate_pre(0.0, -(w_text + spacing), &self.tm);
            } else {
                self.tm = translate_pre((w_text + spacing) * th, 0.0, &self.tm);
            }
        }
        self.scratch = decoded;
    }

    fn do_xobject(&mut self, name: &[u8], res: &[&'d Dictionary]) {
        let doc = self.sh.doc;
        let Some(obj) = self.lookup(res, b"XObject", name) else {
            return;
        };
        let id = ref_id(obj);
        let Object::Stream(stream) = resolve(doc, obj) else {
            return;
        };
        let subtype = super::objects::get_name(doc, &stream.dict, b"Subtype").unwrap_or(b"");
        match subtype {
            b"Image" => self.out.images += 1,
            b"Form" => {
                let display = format!("XObject /{}", String::from_utf8_lossy(name));
                let max_depth = self.sh.opts.max_depth as usize;
                if self.forms.len() >= max_depth || id.is_some_and(|i| self.forms.contains(&i)) {
                    let why = if self.forms.len() >= max_depth {
                        format!("form XObjects nested deeper than {max_depth}")
                    } else {
                        "a form XObject that draws itself".to_string()
                    };
                    self.diag(
                        Diagnostic::error("pdf.recursion", format!("{why}; not drawn again"))
                            .at(display),
                    );
                    return;
                }
                let limit = self.sh.opts.max_decompressed_bytes.min(self.budget);
                let data = match stream_data(stream, limit) {
                    Ok(d) => d,
                    Err(StreamError::TooLarge) => {
                        self.charge(usize::MAX, &display);
                        return;
                    }
                    Err(StreamError::Bad { message, partial }) => {
                        self.diag(
                            Diagnostic::warning(
                                "pdf.bad_stream",
                                format!("{display}: {message}; {} bytes recovered", partial.len()),
                            )
                            .at(display.clone()),
                        );
                        std::borrow::Cow::Owned(partial)
                    }
                };
                if !self.charge(data.len(), &display) {
                    return;
                }
                let matrix = super::objects::get_array(doc, &stream.dict, b"Matrix")
                    .map(|a| super::objects::nums(doc, a))
                    .filter(|v| v.len() == 6)
                    .map(|v| [v[0], v[1], v[2], v[3], v[4], v[5]])
                    .unwrap_or(IDENTITY);
                let own = get_dict(doc, &stream.dict, b"Resources");
                let mut form_res: Vec<&'d Dictionary> = Vec::with_capacity(res.len() + 1);
                if let Some(r) = own {
                    form_res.push(r);
                }
                form_res.extend_from_slice(res);
                let saved = self.gs.clone();
                let saved_stack = self.stack.len();
                let (saved_tm, saved_tlm) = (self.tm, self.tlm);
                let m = mul(&matrix, &self.gs.ctm);
                if finite(&m) {
                    self.gs.ctm = m;
                }
                self.path.clear();
                self.forms.push(id.unwrap_or((0, 0)));
                self.run(&data, &form_res);
                self.forms.pop();
                self.stack.truncate(saved_stack);
                self.gs = saved;
                self.tm = saved_tm;
                self.tlm = saved_tlm;
            }
            _ => {}
        }
    }
}

/// The advance direction class of a vector in output space.
pub fn direction(dx: f64, dy: f64) -> u8 {
    if dx.abs() >= dy.abs() {
        if dx >= 0.0 {
            0
        } else {
            2
        }
    } else if dy > 0.0 {
        1
    } else {
        3
    }
}

fn rect_of(sp: &SubPath) -> Option<BBox> {
    let pts = &sp.pts;
    if !sp.is_rect {
        let n = pts.len();
        let closed_dup =
            n == 5 && (pts[0].0 - pts[4].0).abs() < 0.01 && (pts[0].1 - pts[4].1).abs() < 0.01;
        if !(n == 4 || closed_dup) || pts.iter().any(|p| p.2) {
            return None;
        }
        for i in 0..4 {
            let a = pts[i];
            let b = pts[(i + 1) % 4];
            if (a.0 - b.0).abs() > 0.01 && (a.1 - b.1).abs() > 0.01 {
                return None;
            }
        }
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in pts.iter().take(4) {
        x0 = x0.min(p.0);
        y0 = y0.min(p.1);
        x1 = x1.max(p.0);
        y1 = y1.max(p.1);
    }
    if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
        return None;
    }
    // A rotated rectangle is not axis-aligned: its corners would not share coordinates.
    if sp.is_rect {
        let aligned = (0..4).all(|i| {
            let a = pts[i];
            let b = pts[(i + 1) % 4];
            (a.0 - b.0).abs() < 0.01 || (a.1 - b.1).abs() < 0.01
        });
        if !aligned {
            return None;
        }
    }
    Some(BBox::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32))
}

fn path_bbox(path: &PathState) -> Option<BBox> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for s in &path.subs {
        for p in &s.pts {
            x0 = x0.min(p.0);
            y0 = y0.min(p.1);
            x1 = x1.max(p.0);
            y1 = y1.max(p.1);
        }
    }
    if x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite() && x1 >= x0 {
        Some(BBox::new(x0 as f32, y0 as f32, x1 as f32, y1 as f32))
    } else {
        None
    }
}
