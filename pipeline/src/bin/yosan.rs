//! The `yosan` command: a thin layer over the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use yosan::ingest::{ingest, IngestOptions, Summary};
use yosan_extractors::ExtractOptions;

/// Japanese public-sector budget documents (PDF, Excel, CSV, text) to a checked Parquet dataset.
///
/// Exit codes: 0 every document ok; 1 output written but some documents failed or are partial;
/// 2 usage or fatal error (nothing written).
#[derive(Parser, Debug)]
#[command(name = "yosan", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Discover files under PATHS, extract, parse, check and write the dataset to --out.
    ///
    /// Folders are walked recursively (hidden files, *.json and *.parquet skipped). The dataset is
    /// written to a staging folder beside --out and moved into place only when complete, so a
    /// failed or killed run leaves the previous dataset as it was.
    Ingest {
        /// Files or folders to ingest. May be omitted when --sources names the files.
        paths: Vec<PathBuf>,
        /// A sources manifest (JSON) declaring jurisdiction, fiscal year, family, account, phase,
        /// unit or direction for files matched by globs; what is not declared is detected.
        #[arg(long)]
        sources: Option<PathBuf>,
        /// The output folder (budget_lines/, documents.parquet, diagnostics.parquet, manifest.json).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Documents processed in parallel (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
        /// Treat recoverable extraction problems as errors.
        #[arg(long)]
        strict: bool,
        /// Print no progress and no summary table.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Show what an extractor sees in one file: text, cells, words and rules.
    Extract {
        file: PathBuf,
        /// Print JSON (pages with glyphs, words, lines and rules; grids with cells) instead of text.
        #[arg(long)]
        json: bool,
        /// Only these pages, e.g. `3` or `3-5`.
        #[arg(long)]
        pages: Option<String>,
        /// Draw the first selected page of a PDF as SVG to this file: words, ruling lines and the
        /// table cells the layout stage finds (use with --pages N).
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
    },
    /// Print the output contract: tables, columns and the measure vocabulary.
    Schema {
        #[arg(long, value_enum, default_value = "markdown")]
        format: SchemaFormat,
    },
    /// List the document families and how each recognises its documents.
    Families,
    /// Show what a dataset folder holds: documents, partitions with row counts, sample lines.
    Show {
        /// The output folder of `yosan ingest`.
        #[arg(default_value = "out")]
        dir: PathBuf,
        /// How many budget lines to print.
        #[arg(long, default_value_t = 12)]
        rows: usize,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaFormat {
    Markdown,
    Json,
}

fn parse_pages(s: &str) -> Result<(u32, u32), String> {
    let parse = |t: &str| {
        t.trim()
            .parse::<u32>()
            .map_err(|_| format!("not a page number: {t:?}"))
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if a == 0 || b < a {
                return Err(format!("bad page range {s:?}"));
            }
            Ok((a, b))
        }
        None => {
            let p = parse(s)?;
            if p == 0 {
                return Err("pages are numbered from 1".into());
            }
            Ok((p, p))
        }
    }
}

fn print_summary(s: &Summary, out: &std::path::Path) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "\nyosan ingest → {}", out.display());
    let _ = writeln!(
        e,
        "  documents    {:>8}  (ok {}, partial {}, failed {})",
        s.documents, s.ok, s.partial, s.failed
    );
    let _ = writeln!(e, "  budget lines {:>8}", s.lines);
    let _ = writeln!(
        e,
        "  checks       {:>8} ok, {} mismatch",
        s.checks_ok, s.checks_mismatch
    );
    if !s.diagnostics_by_code.is_empty() {
        let _ = writeln!(e, "  diagnostics by code:");
        for (code, n) in &s.diagnostics_by_code {
            let _ = writeln!(e, "    {code:<32} {n:>6}");
        }
    }
    let _ = writeln!(e, "  time         {:>8.2} s", s.elapsed_ms as f64 / 1000.0);
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ingest {
            paths,
            sources,
            out,
            jobs,
            strict,
            quiet,
        } => {
            let opts = IngestOptions {
                inputs: paths,
                sources,
                out: out.clone(),
                jobs,
                strict,
            };
            let bar = if !quiet && std::io::stderr().is_terminal() {
                let b = indicatif::ProgressBar::new(0);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                Some(b)
            } else {
                None
            };
            let progress = |n: usize, total: usize, name: &str| {
                if let Some(b) = &bar {
                    b.set_length(total as u64);
                    b.set_position(n as u64);
                    b.set_message(name.to_string());
                }
            };
            let result = ingest(&opts, &progress);
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            match result {
                Ok(summary) => {
                    if !quiet {
                        print_summary(&summary, &out);
                    }
                    ExitCode::from(summary.exit_code() as u8)
                }
                Err(e) => {
                    eprintln!("yosan: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Extract {
            file,
            json,
            pages,
            svg,
        } => {
            let pages = match pages.as_deref().map(parse_pages).transpose() {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("yosan: --pages: {e}");
                    return ExitCode::from(2);
                }
            };
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("yosan: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let opts = ExtractOptions {
                keep_glyphs: json,
                pages,
                ..Default::default()
            };
            let name = file.to_string_lossy();
            match yosan_extractors::extract(&bytes, &name, &opts) {
                Ok(doc) => {
                    if let Some(path) = svg {
                        let wanted = pages.map(|p| p.0);
                        let Some(page) = doc
                            .pages
                            .iter()
                            .find(|p| wanted.is_none_or(|w| p.number == w))
                        else {
                            eprintln!(
                                "yosan: --svg: {} has no pages to draw (PDF only)",
                                file.display()
                            );
                            return ExitCode::from(2);
                        };
                        let tables = yosan::layout::page_tables(page);
                        let text = yosan::layout::svg::page_svg(page, &tables);
                        if let Err(e) = std::fs::write(&path, text) {
                            eprintln!("yosan: cannot write {}: {e}", path.display());
                            return ExitCode::from(2);
                        }
                        // The cells as text too, one table after the other.
                        let mut out = std::io::stdout().lock();
                        for (i, t) in tables.iter().enumerate() {
                            let cols: Vec<String> = t
                                .columns
                                .iter()
                                .map(|c| format!("{:.0}-{:.0}", c.x0, c.x1))
                                .collect();
                            let _ = writeln!(
                                out,
                                "table {} ({}, columns {})",
                                i + 1,
                                t.method.as_str(),
                                cols.join(" | ")
                            );
                            for r in &t.rows {
                                let cells: Vec<String> = r
                                    .cells
                                    .iter()
                                    .map(|c| format!("{}:{}", c.col + 1, c.text))
                                    .collect();
                                let _ = writeln!(
                                    out,
                                    "  {:6.1}{} {}",
                                    r.y,
                                    if r.ruled { " " } else { "*" },
                                    cells.join(" | ")
                                );
                            }
                        }
                        eprintln!(
                            "page {}: {} words, {} rules, {} tables ({}) → {}",
                            page.number,
                            page.words.len(),
                            page.rules.len(),
                            tables.len(),
                            tables
                                .iter()
                                .map(|t| format!(
                                    "{} {}×{}",
                                    t.method.as_str(),
                                    t.rows.len(),
                                    t.columns.len()
                                ))
                                .collect::<Vec<_>>()
                                .join(", "),
                            path.display()
                        );
                        return ExitCode::SUCCESS;
                    }
                    let mut out = std::io::stdout().lock();
                    let text = if json {
                        serde_json::to_string_pretty(&doc).unwrap_or_default()
                    } else {
                        yosan_extractors::render::to_text(&doc)
                    };
                    let _ = out.write_all(text.as_bytes());
                    let _ = out.write_all(b"\n");
                    for d in &doc.diagnostics {
                        eprintln!("{}: {} {}", d.severity.as_str(), d.code, d.message);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("yosan: {}: {} ({})", file.display(), e, e.code());
                    ExitCode::from(1)
                }
            }
        }
        Command::Schema { format } => {
            match format {
                SchemaFormat::Markdown => println!("{}", yosan_schemas::data_dictionary_markdown()),
                SchemaFormat::Json => {
                    let v = serde_json::json!({
                        "tables": serde_json::from_str::<serde_json::Value>(yosan_schemas::columns_json()).unwrap_or_default(),
                        "measures": serde_json::from_str::<serde_json::Value>(yosan_schemas::measures_json()).unwrap_or_default(),
                    });
                    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                }
            }
            ExitCode::SUCCESS
        }
        Command::Show { dir, rows } => match yosan::show::show(&dir, rows) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("yosan: {e}");
                ExitCode::from(2)
            }
        },
        Command::Families => {
            for f in yosan::families::FAMILIES {
                println!("{:<28} {}", f.id(), f.recognises());
            }
            ExitCode::SUCCESS
        }
    }
}
