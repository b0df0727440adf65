//! Prints the layout text of a PDF (optionally a page range), as `yosan extract FILE.pdf` does.
//!
//! `cargo run --release -p yosan-extractors --example pdf_layout -- FILE.pdf [FIRST [LAST]]`

use yosan_extractors::{pdf, ExtractOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdf_layout FILE.pdf [FIRST [LAST]]");
        std::process::exit(2);
    };
    let first: Option<u32> = args.get(1).and_then(|s| s.parse().ok());
    let last: Option<u32> = args.get(2).and_then(|s| s.parse().ok()).or(first);
    let opts = ExtractOptions {
        pages: first.zip(last),
        ..Default::default()
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    match pdf::extract(&bytes, &opts) {
        Ok(doc) => {
            print!("{}", pdf::render_layout(&doc));
            for d in &doc.diagnostics {
                eprintln!(
                    "{} {} page {:?} {:?}: {}",
                    d.severity.as_str(),
                    d.code,
                    d.page,
                    d.location,
                    d.message
                );
            }
        }
        Err(e) => {
            eprintln!("{path}: {e} ({})", e.code());
            std::process::exit(1);
        }
    }
}
