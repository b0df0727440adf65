//! Writes the PDF fixtures of `extractors/tests/data/pdf/`: one small file per font, encoding,
//! structure or damage case, built with lopdf from hand-written font dictionaries and content
//! streams.
//!
//! `cargo run -p yosan-extractors --example make_pdf_fixtures -- OUT_DIR [--font SUBSET.ttf]`
//!
//! `--font` names a small TrueType font (made by `fixtures/generators/make_pdf_fixtures.sh` with
//! pyftsubset from IPAGothic) for the cases with an embedded font program; without it those cases
//! are left as they are. The encrypted cases are made from `plain_for_encryption.pdf` by qpdf in
//! the same script.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};
use std::path::{Path, PathBuf};

/// A file under construction: a page tree and its objects.
struct Fx {
    doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
    pages_extra: Dictionary,
    modern: bool,
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::from("<");
    for b in bytes {
        s.push_str(&format!("{b:02X}"));
    }
    s.push('>');
    s
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect()
}

fn arr(v: &[f64]) -> Object {
    Object::Array(
        v.iter()
            .map(|x| {
                if x.fract() == 0.0 {
                    Object::Integer(*x as i64)
                } else {
                    Object::Real(*x as f32)
                }
            })
            .collect(),
    )
}

impl Fx {
    fn new() -> Fx {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        Fx {
            doc,
            pages_id,
            kids: Vec::new(),
            pages_extra: Dictionary::new(),
            modern: false,
        }
    }

    fn add(&mut self, o: impl Into<Object>) -> ObjectId {
        self.doc.add_object(o.into())
    }

    fn stream(&mut self, dict: Dictionary, data: Vec<u8>) -> ObjectId {
        self.add(Stream::new(dict, data).with_compression(false))
    }

    /// Adds a page drawing `content` with `resources`; `extra` entries go into the page
    /// dictionary (MediaBox, CropBox, Rotate, ...).
    fn page(
        &mut self,
        content: &[u8],
        resources: Option<Dictionary>,
        extra: Dictionary,
    ) -> ObjectId {
        let c = self.stream(Dictionary::new(), content.to_vec());
        let mut d = dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "Contents" => c,
        };
        if !extra.has(b"MediaBox") {
            d.set("MediaBox", arr(&[0.0, 0.0, 300.0, 200.0]));
        }
        if let Some(r) = resources {
            d.set("Resources", r);
        }
        for (k, v) in extra.iter() {
            d.set(k.clone(), v.clone());
        }
        let id = self.add(d);
        self.kids.push(id.into());
        id
    }

    fn bytes(mut self) -> Vec<u8> {
        let mut pages = dictionary! {
            "Type" => "Pages",
            "Kids" => self.kids.clone(),
            "Count" => self.kids.len() as i64,
        };
        for (k, v) in self.pages_extra.iter() {
            pages.set(k.clone(), v.clone());
        }
        self.doc.objects.insert(self.pages_id, pages.into());
        let catalog = self.add(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        self.doc.trailer.set("Root", catalog);
        let info = self.add(dictionary! {
            "Producer" => Object::string_literal("yosan fixture generator"),
        });
        self.doc.trailer.set("Info", info);
        if !self.modern {
            self.doc.reference_table.cross_reference_type =
                lopdf::xref::XrefType::CrossReferenceTable;
        }
        let mut out = Vec::new();
        // Classic cross-reference tables, as most budget books have; `modern` files use
        // object and cross-reference streams.
        let opts = lopdf::SaveOptions::builder()
            .use_xref_streams(self.modern)
            .use_object_streams(self.modern)
            .build();
        self.doc
            .save_with_options(&mut out, opts)
            .expect("serialise fixture");
        out
    }
}

fn fonts(list: &[(&str, ObjectId)]) -> Dictionary {
    let mut f = Dictionary::new();
    for (n, id) in list {
        f.set(*n, *id);
    }
    dictionary! { "Font" => f }
}

/// A ToUnicode CMap program with the given sections.
fn tounicode(body: &str) -> Vec<u8> {
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{body}\n\
         endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    .into_bytes()
}

/// A Type0 font over a CIDFontType2 descendant; no font program unless `program` is given.
fn type0(
    fx: &mut Fx,
    base: &str,
    encoding: Object,
    to_unicode: Option<Vec<u8>>,
    program: Option<(ObjectId, Object)>,
    extra_cid: Dictionary,
) -> ObjectId {
    let mut desc = dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => name(base),
        "Flags" => 4,
        "FontBBox" => arr(&[0.0, -141.0, 1000.0, 859.0]),
        "ItalicAngle" => 0,
        "Ascent" => 859,
        "Descent" => -141,
        "CapHeight" => 700,
        "StemV" => 80,
    };
    let mut cid = dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => name(base),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Japan1"),
            "Supplement" => 6,
        },
        "DW" => 1000,
    };
    if let Some((file, map)) = program {
        desc.set("FontFile2", file);
        cid.set("CIDToGIDMap", map);
        cid.set(
            "CIDSystemInfo",
            dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
        );
    }
    for (k, v) in extra_cid.iter() {
        cid.set(k.clone(), v.clone());
    }
    let desc_id = fx.add(desc);
    cid.set("FontDescriptor", desc_id);
    let cid_id = fx.add(cid);
    let mut f = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => name(base),
        "Encoding" => encoding,
        "DescendantFonts" => vec![Object::Reference(cid_id)],
    };
    if let Some(tu) = to_unicode {
        let id = fx.stream(Dictionary::new(), tu);
        f.set("ToUnicode", id);
    }
    fx.add(f)
}

/// A simple Type1 font (Helvetica metrics approximated by a flat width) with `encoding`.
fn simple_font(fx: &mut Fx, encoding: Option<Object>) -> ObjectId {
    let mut f = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "FirstChar" => 32,
        "LastChar" => 255,
        "Widths" => Object::Array((32..=255).map(|_| Object::Integer(556)).collect()),
    };
    if let Some(e) = encoding {
        f.set("Encoding", e);
    }
    fx.add(f)
}

fn write(dir: &Path, case: &str, bytes: &[u8]) {
    let p = dir.join(format!("{case}.pdf"));
    std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
    println!("wrote {} ({} bytes)", p.display(), bytes.len());
}

/// One line of Type0 text at (x, y).
fn cid_line(x: f64, y: f64, size: f64, codes: &[u8]) -> String {
    format!("BT /F1 {size} Tf {x} {y} Td {} Tj ET\n", hex(codes))
}

fn case_tounicode(dir: &Path) {
    // bfchar only.
    let mut fx = Fx::new();
    let tu = tounicode(
        "6 beginbfchar\n<0BE7> <4EE4>\n<0BE8> <548C>\n<0010> <FF16>\n<0011> <5E74>\n<0012> <5EA6>\n<0013> <0020>\nendbfchar",
    );
    let f = type0(
        &mut fx,
        "MS-Mincho",
        name("Identity-H"),
        Some(tu),
        None,
        Dictionary::new(),
    );
    let mut c = String::new();
    c += &cid_line(
        20.0,
        150.0,
        12.0,
        &[0x0b, 0xe7, 0x0b, 0xe8, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12],
    );
    // A glyph drawn twice at the same spot (fake bold) counts once.
    c += &cid_line(20.0, 120.0, 12.0, &[0x0b, 0xe7]);
    c += &cid_line(20.2, 120.0, 12.0, &[0x0b, 0xe7]);
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "tounicode_bfchar", &fx.bytes());

    // bfrange, start and array forms, with one-byte and two-byte code spaces.
    let mut fx = Fx::new();
    let tu = tounicode(
        "2 beginbfrange\n<0020> <0029> <FF10>\n<0030> <0032> [<4E88> <7B97> <66F8>]\nendbfrange\n\
         1 beginbfchar\n<0040> <25B3>\nendbfchar",
    );
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu),
        None,
        Dictionary::new(),
    );
    let c = cid_line(
        20.0,
        150.0,
        10.0,
        &[
            0, 0x30, 0, 0x31, 0, 0x32, 0, 0x40, 0, 0x21, 0, 0x22, 0, 0x29,
        ],
    );
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "tounicode_bfrange", &fx.bytes());

    // Surrogate pairs and a ligature; one code with no entry (reported, kept as U+FFFD).
    let mut fx = Fx::new();
    let tu = tounicode(
        "3 beginbfchar\n<0001> <D842DFB7>\n<0002> <006600660069>\n<0003> <91CE>\nendbfchar",
    );
    let f = type0(
        &mut fx,
        "IPAexMincho",
        name("Identity-H"),
        Some(tu),
        None,
        Dictionary::new(),
    );
    let c = cid_line(20.0, 150.0, 12.0, &[0, 1, 0, 3, 0, 9, 0, 2]);
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "tounicode_surrogates_ligature", &fx.bytes());
}

fn case_predefined(dir: &Path) {
    let text = "予算書　令和６年度";
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("UniJIS-UCS2-H", "unijis_ucs2_h", utf16(text)),
        ("UniJIS-UCS2-V", "unijis_ucs2_v", utf16(text)),
        ("UniJIS-UTF16-H", "unijis_utf16_h", utf16("𠮷野家　予算")),
        ("UniJIS-UTF16-V", "unijis_utf16_v", utf16("𠮷野家　予算")),
        (
            "90ms-RKSJ-H",
            "rksj_90ms_h",
            encoding_rs::SHIFT_JIS
                .encode("予算書 ABC ｶﾅ")
                .0
                .into_owned(),
        ),
        (
            "90ms-RKSJ-V",
            "rksj_90ms_v",
            encoding_rs::SHIFT_JIS.encode(text).0.into_owned(),
        ),
        (
            "90msp-RKSJ-H",
            "rksj_90msp_h",
            encoding_rs::SHIFT_JIS
                .encode("補正予算 Total")
                .0
                .into_owned(),
        ),
        (
            "EUC-H",
            "euc_h",
            encoding_rs::EUC_JP.encode("歳入歳出 ABC").0.into_owned(),
        ),
        (
            "EUC-V",
            "euc_v",
            encoding_rs::EUC_JP.encode(text).0.into_owned(),
        ),
    ];
    for (cmap, case, codes) in cases {
        let mut fx = Fx::new();
        let vertical = cmap.ends_with("-V");
        let f = type0(
            &mut fx,
            "MS-Mincho",
            name(cmap),
            None,
            None,
            Dictionary::new(),
        );
        let c = if vertical {
            // Two columns, the right one first in the stream.
            // Split on a code boundary: all the vertical cases are two-byte text.
            let cut = (codes.len() / 2) & !1;
            format!(
                "BT /F1 12 Tf 250 180 Td {} Tj ET\nBT /F1 12 Tf 230 180 Td {} Tj ET\n",
                hex(&codes[..cut]),
                hex(&codes[cut..])
            )
        } else {
            cid_line(20.0, 150.0, 12.0, &codes)
        };
        fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
        write(dir, case, &fx.bytes());
    }

    // Identity-V with a ToUnicode map and W2 vertical metrics.
    let mut fx = Fx::new();
    let tu = tounicode("3 beginbfchar\n<0001> <7E26>\n<0002> <66F8>\n<0003> <304D>\nendbfchar");
    let extra = dictionary! {
        "DW2" => arr(&[880.0, -1000.0]),
        "W2" => vec![Object::Integer(3), Object::Array(vec![Object::Integer(-800), Object::Integer(500), Object::Integer(880)])],
    };
    let f = type0(
        &mut fx,
        "MS-Mincho",
        name("Identity-V"),
        Some(tu),
        None,
        extra,
    );
    let c =
        "BT /F1 20 Tf 150 180 Td <000100020003> Tj ET\nBT /F1 20 Tf 120 180 Td <00030002> Tj ET\n";
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "identity_v", &fx.bytes());

    // No ToUnicode, no font program, Identity-H: nothing can map the codes.
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "HeiseiMin-W3",
        name("Identity-H"),
        None,
        None,
        Dictionary::new(),
    );
    let c = cid_line(20.0, 150.0, 12.0, &[0x0b, 0xe7, 0x0b, 0xe8]);
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "identity_h_unmapped", &fx.bytes());
}

fn case_simple(dir: &Path) {
    let bytes_of = |s: &[u8]| -> String {
        let mut o = String::from("(");
        for &b in s {
            match b {
                b'(' | b')' | b'\\' => {
                    o.push('\\');
                    o.push(b as char);
                }
                32..=126 => o.push(b as char),
                _ => o.push_str(&format!("\\{b:03o}")),
            }
        }
        o.push(')');
        o
    };
    let cases: Vec<(&str, Option<Object>, Vec<u8>)> = vec![
        // WinAnsi: € (0x80), “ ” (0x93 0x94), é (0xE9), — (0x97).
        (
            "winansi",
            Some(name("WinAnsiEncoding")),
            b"Caf\xe9 \x80 5 \x93ok\x94 \x97 fin".to_vec(),
        ),
        // MacRoman: é is 0x8E, • is 0xA5, ﬁ is 0xDE.
        (
            "macroman",
            Some(name("MacRomanEncoding")),
            b"Caf\x8e \xa5 \xdeve".to_vec(),
        ),
        // Standard: quoteright at 0x27, fi at 0xAE, endash at 0xB1.
        (
            "standard",
            Some(name("StandardEncoding")),
            b"It\x27s \xaene \xb1 ok".to_vec(),
        ),
        (
            "differences",
            Some(
                dictionary! {
                    "Type" => "Encoding",
                    "BaseEncoding" => "WinAnsiEncoding",
                    "Differences" => vec![
                        Object::Integer(65), name("uni3042"), name("u1F600"), name("f_f_i"),
                        Object::Integer(200), name("Euro"), name("afii10017"), name("A.sc"),
                    ],
                }
                .into(),
            ),
            b"ABC \xc8\xc9\xca xyz".to_vec(),
        ),
    ];
    for (case, enc, text) in cases {
        let mut fx = Fx::new();
        let f = simple_font(&mut fx, enc);
        let c = format!("BT /F1 10 Tf 20 150 Td {} Tj ET\n", bytes_of(&text));
        fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
        write(dir, case, &fx.bytes());
    }

    // A standard font with no /Widths: the AFM widths place the glyphs, so the second string,
    // set right after the first by its real width, continues the word.
    let mut fx = Fx::new();
    let f = fx.add(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding",
    });
    let c = "BT /F1 10 Tf 20 150 Td (Wm) Tj 17.78 0 Td (W) Tj ET\n";
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "standard14_no_widths", &fx.bytes());

    // Text operators: TJ kerning (a large one makes a word gap), Tc, Tw, Tz, Ts, TL, T*, ', ".
    let mut fx = Fx::new();
    let f = simple_font(&mut fx, Some(name("WinAnsiEncoding")));
    let c = "BT /F1 10 Tf 12 TL 20 180 Td [(Bud) 20 (get) -3000 (Book)] TJ\n\
             T* 2 Tc (Spaced) Tj 0 Tc\n\
             T* 5 Tw (two words) Tj 0 Tw\n\
             (quote line) '\n\
             3 0 (double quote) \"\n\
             0 0 Tc 0 Tw 50 Tz T* (narrow) Tj 100 Tz\n\
             T* 3 Ts (raised) Tj 0 Ts ET\n";
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "text_operators", &fx.bytes());
}

fn case_type3(dir: &Path) {
    let mut fx = Fx::new();
    // Glyph space is 0.01 of text space: widths are in hundredths.
    let sq = fx.stream(Dictionary::new(), b"60 0 d0 0 0 50 70 re f".to_vec());
    let bar = fx.stream(Dictionary::new(), b"30 0 d0 0 0 20 70 re f".to_vec());
    let f = fx.add(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontBBox" => arr(&[0.0, 0.0, 60.0, 70.0]),
        "FontMatrix" => arr(&[0.01, 0.0, 0.0, 0.01, 0.0, 0.0]),
        "CharProcs" => dictionary! { "H" => sq, "i" => bar, "g1" => sq },
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "Differences" => vec![Object::Integer(1), name("H"), name("i"), name("g1")],
        },
        "FirstChar" => 1,
        "LastChar" => 3,
        "Widths" => arr(&[60.0, 30.0, 60.0]),
        "Resources" => Dictionary::new(),
    });
    // Codes 1 and 2 are named glyphs; code 3 (/g1) has no Unicode and no font program.
    let c = "BT /T3 20 Tf 20 150 Td [<0102> -1000 <0203>] TJ ET\n";
    fx.page(c.as_bytes(), Some(fonts(&[("T3", f)])), Dictionary::new());
    write(dir, "type3", &fx.bytes());
}

fn case_structure(dir: &Path) {
    let tu = || {
        tounicode(
            "4 beginbfchar\n<0001> <5185>\n<0002> <5074>\n<0003> <5916>\n<0004> <5074>\nendbfchar",
        )
    };
    // Nested form XObjects: the inner form has its own resources and matrix.
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu()),
        None,
        Dictionary::new(),
    );
    let inner = fx.stream(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => arr(&[0.0, 0.0, 100.0, 100.0]),
            "Matrix" => arr(&[1.0, 0.0, 0.0, 1.0, 0.0, 60.0]),
            "Resources" => fonts(&[("FI", f)]),
        },
        b"BT /FI 10 Tf 0 0 Td <00010002> Tj ET".to_vec(),
    );
    let outer = fx.stream(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => arr(&[0.0, 0.0, 300.0, 200.0]),
            "Matrix" => arr(&[1.0, 0.0, 0.0, 1.0, 100.0, 0.0]),
            "Resources" => dictionary! { "XObject" => dictionary! { "In" => inner } , "Font" => dictionary! { "FO" => f } },
        },
        b"BT /FO 10 Tf 0 100 Td <00030004> Tj ET /In Do".to_vec(),
    );
    let res = dictionary! { "XObject" => dictionary! { "Out" => outer }, "Font" => dictionary! { "F1" => f } };
    fx.page(
        b"BT /F1 10 Tf 20 150 Td <0001> Tj ET q 1 0 0 1 0 20 cm /Out Do Q BT /F1 10 Tf 20 40 Td <0002> Tj ET",
        Some(res),
        Dictionary::new(),
    );
    write(dir, "form_xobject_nested", &fx.bytes());

    // A form that draws itself: drawn once, reported.
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu()),
        None,
        Dictionary::new(),
    );
    let self_id = fx.doc.new_object_id();
    let s = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => arr(&[0.0, 0.0, 300.0, 200.0]),
            "Matrix" => arr(&[1.0, 0.0, 0.0, 1.0, 0.0, -20.0]),
            "Resources" => dictionary! { "XObject" => dictionary! { "Me" => self_id }, "Font" => dictionary! { "F1" => f } },
        },
        b"BT /F1 10 Tf 20 150 Td <0003> Tj ET /Me Do".to_vec(),
    )
    .with_compression(false);
    fx.doc.objects.insert(self_id, s.into());
    fx.page(
        b"/Me Do",
        Some(dictionary! { "XObject" => dictionary! { "Me" => self_id } }),
        Dictionary::new(),
    );
    write(dir, "form_xobject_recursive", &fx.bytes());

    // Resources inherited from the page tree; page rotated by 90 degrees; crop box offset.
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu()),
        None,
        Dictionary::new(),
    );
    fx.pages_extra.set("Resources", fonts(&[("F1", f)]));
    fx.pages_extra.set("Rotate", 90);
    fx.page(
        b"BT /F1 10 Tf 20 150 Td <00010002> Tj ET 20 100 m 120 100 l S",
        None,
        dictionary! { "MediaBox" => arr(&[0.0, 0.0, 300.0, 200.0]) },
    );
    write(dir, "rotated_page_inherited", &fx.bytes());

    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu()),
        None,
        Dictionary::new(),
    );
    fx.page(
        // One line inside the crop box, one outside it.
        b"BT /F1 10 Tf 120 150 Td <00010002> Tj ET BT /F1 10 Tf 10 10 Td <00030004> Tj ET",
        Some(fonts(&[("F1", f)])),
        dictionary! {
            "MediaBox" => arr(&[0.0, 0.0, 300.0, 200.0]),
            "CropBox" => arr(&[100.0, 100.0, 250.0, 190.0]),
        },
    );
    write(dir, "cropbox_offset", &fx.bytes());

    // Ruling lines: thin filled rectangles, stroked lines, a stroked rectangle, a white fill
    // (invisible: no rule), a thick fill (a background: no rule), a curve (no rule).
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu()),
        None,
        Dictionary::new(),
    );
    let c = "0 g 20 180 260 0.5 re f 20 20 0.5 160 re f\n\
             0.8 w 20 100 m 280 100 l S 150 20 m 150 180 l S\n\
             0.5 w 200 30 60 40 re S\n\
             1 g 20 60 100 1 re f 0 g 20 40 100 10 re f\n\
             20 150 m 60 190 100 190 140 150 c S\n\
             q 2 0 0 2 0 0 cm 10 5 50 0.5 re f Q\n\
             BT /F1 10 Tf 30 110 Td <00010002> Tj ET\n";
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "ruling_lines", &fx.bytes());

    // Two pages: text, then an image only (needs OCR).
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu()),
        None,
        Dictionary::new(),
    );
    let img = fx.stream(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    );
    fx.page(
        b"BT /F1 10 Tf 20 150 Td <00010002> Tj ET",
        Some(fonts(&[("F1", f)])),
        Dictionary::new(),
    );
    fx.page(
        b"q 200 0 0 150 50 25 cm /Im0 Do Q",
        Some(dictionary! { "XObject" => dictionary! { "Im0" => img } }),
        Dictionary::new(),
    );
    write(dir, "image_page", &fx.bytes());

    // Only an image and an inline image: the document has no text layer at all.
    let mut fx = Fx::new();
    let img = fx.stream(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    );
    fx.page(
        b"q 200 0 0 150 50 25 cm /Im0 Do Q q 10 0 0 10 5 5 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x00\xff EI Q",
        Some(dictionary! { "XObject" => dictionary! { "Im0" => img } }),
        Dictionary::new(),
    );
    write(dir, "image_only", &fx.bytes());

    // Text converted to outlines: filled curved paths only.
    let mut fx = Fx::new();
    let mut c = String::new();
    for k in 0..5 {
        let x = 20.0 + 12.0 * f64::from(k);
        c += &format!(
            "{x} 150 m {a} 160 {b} 160 {c2} 150 c {c2} 140 l {x} 140 l h {x1} 145 m {x2} 145 l {x2} 147 l {x1} 147 l h f\n",
            a = x + 3.0,
            b = x + 6.0,
            c2 = x + 9.0,
            x1 = x + 2.0,
            x2 = x + 7.0
        );
    }
    fx.page(c.as_bytes(), None, Dictionary::new());
    write(dir, "outlined_text_only", &fx.bytes());
}

/// Plain file for qpdf to encrypt, and the damaged-file cases cut from it.
fn case_damaged(dir: &Path) {
    let tu = tounicode(
        "4 beginbfchar\n<0001> <6697>\n<0002> <53F7>\n<0003> <5316>\n<0004> <6E08>\nendbfchar",
    );
    let mut fx = Fx::new();
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu),
        None,
        Dictionary::new(),
    );
    fx.page(
        b"BT /F1 12 Tf 20 150 Td <00010002> Tj ET",
        Some(fonts(&[("F1", f)])),
        Dictionary::new(),
    );
    fx.page(
        b"BT /F1 12 Tf 20 150 Td <00030004> Tj ET",
        Some(fonts(&[("F1", f)])),
        Dictionary::new(),
    );
    let plain = fx.bytes();
    write(dir, "plain_for_encryption", &plain);

    // The same content in object streams with a cross-reference stream.
    let mut fx = Fx::new();
    fx.modern = true;
    let tu = tounicode("2 beginbfchar\n<0001> <5727>\n<0002> <7E2E>\nendbfchar");
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu),
        None,
        Dictionary::new(),
    );
    fx.page(
        b"BT /F1 12 Tf 20 150 Td <00010002> Tj ET",
        Some(fonts(&[("F1", f)])),
        Dictionary::new(),
    );
    write(dir, "object_streams", &fx.bytes());

    // Cross-reference offsets all wrong.
    let mut bad = plain.clone();
    if let Some(x) = find_last(&bad, b"\nxref\n").map(|p| p + 1) {
        let mut i = x + 5;
        while i + 20 <= bad.len() && bad[i] != b't' {
            if bad[i..i + 10].iter().all(u8::is_ascii_digit) && bad[i + 17] == b'n' {
                bad[i..i + 10].copy_from_slice(b"0000000009");
            }
            i += 1;
        }
    }
    write(dir, "corrupted_xref", &bad);

    // Truncated download: the cross-reference table and trailer are gone.
    let cut = find_last(&plain, b"\nxref\n")
        .map(|p| p + 1)
        .unwrap_or(plain.len());
    write(dir, "truncated", &plain[..cut - 10]);

    // A damaged header line: lopdf refuses the file; the objects are found by scanning.
    let mut bad = plain.clone();
    bad[3] = b'x';
    write(dir, "damaged_header", &bad);

    // A file cut in the middle of its first objects: nothing usable.
    write(dir, "truncated_header_only", &plain[..60]);

    // A content stream whose Flate data is damaged.
    let mut fx = Fx::new();
    let tu = tounicode("2 beginbfchar\n<0001> <58CA>\n<0002> <308C>\nendbfchar");
    let f = type0(
        &mut fx,
        "MS-Gothic",
        name("Identity-H"),
        Some(tu),
        None,
        Dictionary::new(),
    );
    // A stream cut short in a damaged copy: the first text survives, the rest is lost and the
    // damage is reported. A comment of incompressible filler keeps the two apart in the data.
    let mut good = b"BT /F1 12 Tf 20 150 Td <00010002> Tj ET\n% ".to_vec();
    let mut seed: u32 = 12345;
    for _ in 0..6000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        good.push(b'!' + ((seed >> 16) % 90) as u8);
    }
    good.extend_from_slice(b"\nBT /F1 12 Tf 20 100 Td <0002> Tj ET\n");
    let z = flate(&good);
    let z = z[..z.len() * 2 / 3].to_vec();
    let c =
        fx.add(Stream::new(dictionary! { "Filter" => "FlateDecode" }, z).with_compression(false));
    let page = dictionary! {
        "Type" => "Page", "Parent" => fx.pages_id, "Contents" => c,
        "MediaBox" => arr(&[0.0, 0.0, 300.0, 200.0]), "Resources" => fonts(&[("F1", f)]),
    };
    let pid = fx.add(page);
    fx.kids.push(pid.into());
    fx.page(
        b"BT /F1 12 Tf 20 150 Td <0002> Tj ET",
        Some(fonts(&[("F1", f)])),
        Dictionary::new(),
    );
    write(dir, "bad_stream", &fx.bytes());
}

fn flate(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("deflate");
    e.finish().expect("deflate")
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Cases with an embedded TrueType font program and no ToUnicode.
fn case_truetype(dir: &Path, font_path: &Path) {
    let data =
        std::fs::read(font_path).unwrap_or_else(|e| panic!("read {}: {e}", font_path.display()));
    let face = ttf_parser::Face::parse(&data, 0).expect("subset font parses");
    let text = "富士市予算書";
    let gids: Vec<u16> = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .map(|g| g.0)
                .expect("subset has the glyph")
        })
        .collect();

    // CIDToGIDMap Identity: codes are glyph ids.
    let mut fx = Fx::new();
    let file = fx.add(Stream::new(
        dictionary! { "Length1" => data.len() as i64 },
        data.clone(),
    ));
    let f = type0(
        &mut fx,
        "AAAAAA+IPAGothic",
        name("Identity-H"),
        None,
        Some((file, name("Identity"))),
        Dictionary::new(),
    );
    let codes: Vec<u8> = gids.iter().flat_map(|g| g.to_be_bytes()).collect();
    let c = cid_line(20.0, 150.0, 14.0, &codes);
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "identity_h_truetype", &fx.bytes());

    // CIDToGIDMap stream: CIDs 1..=n map to the glyphs.
    let mut fx = Fx::new();
    let file = fx.add(Stream::new(
        dictionary! { "Length1" => data.len() as i64 },
        data.clone(),
    ));
    let mut map = vec![0u8; 2];
    for g in &gids {
        map.extend_from_slice(&g.to_be_bytes());
    }
    let map_id = fx.stream(Dictionary::new(), map);
    let f = type0(
        &mut fx,
        "AAAAAB+IPAGothic",
        name("Identity-H"),
        None,
        Some((file, map_id.into())),
        Dictionary::new(),
    );
    let codes: Vec<u8> = (1..=gids.len() as u16)
        .flat_map(|c| c.to_be_bytes())
        .collect();
    let c = cid_line(20.0, 150.0, 14.0, &codes);
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "identity_h_truetype_cidtogid", &fx.bytes());

    // A simple TrueType font whose Differences name glyphs by index (g12): resolved through the
    // embedded program's cmap.
    let mut fx = Fx::new();
    let file = fx.add(Stream::new(
        dictionary! { "Length1" => data.len() as i64 },
        data.clone(),
    ));
    let desc = fx.add(dictionary! {
        "Type" => "FontDescriptor", "FontName" => "AAAAAC+IPAGothic", "Flags" => 4,
        "FontBBox" => arr(&[0.0, -141.0, 1000.0, 859.0]), "ItalicAngle" => 0,
        "Ascent" => 859, "Descent" => -141, "CapHeight" => 700, "StemV" => 80, "FontFile2" => file,
    });
    let mut diffs = vec![Object::Integer(33)];
    diffs.extend(gids.iter().map(|g| name(&format!("g{g}"))));
    let f = fx.add(dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "AAAAAC+IPAGothic",
        "FirstChar" => 33, "LastChar" => 33 + gids.len() as i64 - 1,
        "Widths" => Object::Array(gids.iter().map(|_| Object::Integer(1000)).collect()),
        "FontDescriptor" => desc,
        "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => diffs },
    });
    let codes: Vec<u8> = (33..33 + gids.len() as u8).collect();
    let c = format!("BT /F1 14 Tf 20 150 Td {} Tj ET\n", hex(&codes));
    fx.page(c.as_bytes(), Some(fonts(&[("F1", f)])), Dictionary::new());
    write(dir, "truetype_simple_gnames", &fx.bytes());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: make_pdf_fixtures OUT_DIR [--font SUBSET.ttf]");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&out).expect("create output folder");
    case_tounicode(&out);
    case_predefined(&out);
    case_simple(&out);
    case_type3(&out);
    case_structure(&out);
    case_damaged(&out);
    match args
        .iter()
        .position(|a| a == "--font")
        .and_then(|i| args.get(i + 1))
    {
        Some(font) => case_truetype(&out, Path::new(font)),
        None => eprintln!("no --font given: the embedded TrueType cases were not written"),
    }
}
