//! What each extractor fuzz target runs on one input. Shared, through `#[path]`, by the targets in
//! `fuzz_targets/` and by `extractors/tests/fuzz_regressions.rs`, which replays every file of
//! `fuzz/regressions/<target>/` under an ordinary `cargo test`.
//!
//! The extractors are called directly, not through `yosan_extractors::extract`, whose panic
//! boundary would hide a panic from the fuzzer. The first byte picks the format where an
//! extractor reads several.

#![allow(dead_code)]

use yosan_extractors::{delimited, detect, pdf, render, sheet, text, ExtractOptions, Format};

/// Limits low enough that a hostile input cannot make one run take the fuzzer's memory.
pub fn options() -> ExtractOptions {
    ExtractOptions {
        max_decompressed_bytes: 32 << 20,
        ..Default::default()
    }
}

fn split(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(s, rest)| (*s, rest))
}

pub fn pdf(data: &[u8]) {
    let _ = detect(data, "input.pdf");
    if let Ok(doc) = pdf::extract(data, &options()) {
        let _ = render::to_text(&doc);
    }
}

/// `sheet::extract` runs each call into calamine behind a panic boundary: calamine indexes some
/// damaged records unchecked, and such a panic is a verdict on the file (`sheet.malformed`), not a
/// crash. libFuzzer's panic hook aborts on every panic, caught or not, so for the sheet target a
/// panic raised in calamine's own source is passed on to that boundary instead; should nothing
/// catch it, the fuzz target's `catch_unwind` still aborts. Every other panic (this project's
/// code, the guard, other crates) goes to the previous hook and aborts as before; exhausted memory
/// and hangs are reported as always.
fn let_calamine_panics_reach_their_boundary() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().replace('\\', "/").contains("/calamine-"));
            if !in_calamine {
                previous(info);
            }
        }));
    });
}

pub fn sheet(data: &[u8]) {
    let_calamine_panics_reach_their_boundary();
    let Some((sel, rest)) = split(data) else {
        return;
    };
    let format = [Format::Xlsx, Format::Xls, Format::Ods, Format::Xlsb][sel as usize % 4];
    let _ = detect(rest, "input.xlsx");
    if let Ok(doc) = sheet::extract(rest, format, &options()) {
        let _ = render::to_text(&doc);
    }
}

pub fn csv(data: &[u8]) {
    let Some((sel, rest)) = split(data) else {
        return;
    };
    let format = if sel % 2 == 0 {
        Format::Csv
    } else {
        Format::Tsv
    };
    let _ = detect(rest, "input.csv");
    let mut opts = options();
    opts.strict = sel & 2 != 0;
    if let Ok(doc) = delimited::extract(rest, format, &opts) {
        let _ = render::to_text(&doc);
    }
}

pub fn text(data: &[u8]) {
    let Some((sel, rest)) = split(data) else {
        return;
    };
    let format = [Format::Text, Format::Markdown, Format::Html][sel as usize % 3];
    let _ = detect(rest, "input.txt");
    if let Ok(doc) = text::extract(rest, format, &options()) {
        let _ = render::to_text(&doc);
    }
}
