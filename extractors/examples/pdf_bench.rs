//! Extracts a PDF to positioned words and prints pages, glyph/word counts, elapsed seconds and
//! peak resident memory (`VmHWM`).
//!
//! `cargo run --release -p yosan-extractors --example pdf_bench -- FILE.pdf [--compare]`
//!
//! With `--compare`, also runs `pdftotext -layout` on the file (when installed) and prints the
//! character agreement with this extractor's layout text.

use std::time::Instant;
use yosan_extractors::{pdf, ExtractOptions};

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: pdf_bench FILE.pdf [--compare] [--glyphs]");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let opts = ExtractOptions {
        keep_glyphs: args.iter().any(|a| a == "--glyphs"),
        ..Default::default()
    };
    let start = Instant::now();
    let doc = match pdf::extract(&bytes, &opts) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {} ({})", e, e.code());
            std::process::exit(1);
        }
    };
    let elapsed = start.elapsed().as_secs_f64();
    let words: usize = doc.pages.iter().map(|p| p.words.len()).sum();
    let chars: usize = doc
        .pages
        .iter()
        .flat_map(|p| p.words.iter())
        .map(|w| w.text.chars().count())
        .sum();
    let rules: usize = doc.pages.iter().map(|p| p.rules.len()).sum();
    println!("file: {path}");
    println!("pages: {}", doc.pages.len());
    println!("glyphs: {chars}");
    println!("words: {words}");
    println!("rules: {rules}");
    println!("diagnostics: {}", doc.diagnostics.len());
    if args.iter().any(|a| a == "--details") {
        for d in &doc.diagnostics {
            println!(
                "  {} {} page {:?} {:?}: {}",
                d.severity.as_str(),
                d.code,
                d.page,
                d.location,
                d.message
            );
        }
    }
    println!("elapsed_s: {elapsed:.3}");
    match peak_rss_kb() {
        Some(kb) => println!("peak_rss_mb: {:.1}", kb as f64 / 1024.0),
        None => println!("peak_rss_mb: unknown"),
    }
    if args.iter().any(|a| a == "--compare") {
        let out = std::process::Command::new("pdftotext")
            .args(["-layout", path, "-"])
            .output();
        match out {
            Ok(o) if o.status.success() => {
                let reference = pdf::compare::split_pages(&String::from_utf8_lossy(&o.stdout));
                let ours = pdf::compare::split_pages(&pdf::render_layout(&doc));
                let a = pdf::compare::compare_pages(&ours, &reference);
                println!("agreement: {}", a.summary());
                if args.iter().any(|a| a == "--details") {
                    for p in a
                        .pages
                        .iter()
                        .filter(|p| !p.missing.is_empty() || !p.extra.is_empty())
                    {
                        println!(
                            "  page {}: ours {} reference {} missing {:?} extra {:?}",
                            p.page, p.ours, p.reference, p.missing, p.extra
                        );
                    }
                }
            }
            _ => println!("agreement: pdftotext not available"),
        }
    }
}
