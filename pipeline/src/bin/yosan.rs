//! The `yosan` command: a thin layer over the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use yosan::ingest::{ingest, plan, Event, IngestOptions, PlanAction, Summary};
use yosan_extractors::ExtractOptions;

/// mimalloc instead of the system allocator: glibc keeps a large document's freed memory in the
/// arena of the thread that used it, so a nightly run's peak grew with the number of documents
/// that came after a large one (measured in `make bench`). Built without transparent huge pages
/// (feature `no_thp`): faulting in and zeroing 2 MB at a time cost 13 % of a batch run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory a document has freed goes back to the system after 10 ms instead of mimalloc's default
/// 1 s (10 s for whole arenas): with the default, a batch run's peak held the garbage of the
/// documents of the last second (peak 125 MB against 72 MB for the same run, no slower; `make
/// bench`). `MIMALLOC_PURGE_DELAY` in the environment still decides when it is set.
fn allocator_options() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which it reads at each purge; any value is valid.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
}

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
        /// Rebuild everything, ignoring what the previous output in --out already holds. By
        /// default a run is incremental: files whose bytes, declarations and yosan build are
        /// unchanged keep their rows without being read again beyond hashing.
        #[arg(long)]
        full: bool,
        /// List what would be processed (new / changed / unchanged / removed) and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Longest time one document may take, in seconds; past it the document fails with
        /// `limit.timeout` and the run goes on. 0 disables the limit.
        #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
        doc_timeout: f64,
        /// Largest input file read, in MiB; larger files fail with `limit.file_size`.
        #[arg(long, value_name = "MIB", default_value_t = 1024)]
        max_file_mb: u64,
        /// Largest size a decompressed PDF stream, a workbook's zip members or a workbook's cells
        /// (as the spreadsheet reader expands them) may reach, in MiB.
        #[arg(long, value_name = "MIB")]
        max_decompressed_mb: Option<u64>,
        /// Deepest nesting of objects (PDF forms, references) the extractors follow.
        #[arg(long, value_name = "N")]
        max_depth: Option<u32>,
        /// `text`: progress bar and summary table; `json`: one JSON object per line on stderr
        /// for schedulers (document started / finished with status, run summary).
        #[arg(long, value_enum, default_value = "text")]
        log_format: LogFormat,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
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
    let _ = writeln!(
        e,
        "  processed    {:>8}  (reused unchanged {}, removed {})",
        s.processed, s.reused, s.removed
    );
    let _ = writeln!(e, "  budget lines {:>8}", s.lines);
    let _ = writeln!(
        e,
        "  checks       {:>8} ok, {} mismatch",
        s.checks_ok, s.checks_mismatch
    );
    let _ = writeln!(
        e,
        "  reconciliation: {} matches, {} mismatches",
        s.reconciliation_matches, s.reconciliation_mismatches
    );
    if !s.diagnostics_by_code.is_empty() {
        let _ = writeln!(e, "  diagnostics by code:");
        for (code, n) in &s.diagnostics_by_code {
            let _ = writeln!(e, "    {code:<32} {n:>6}");
        }
    }
    let _ = writeln!(e, "  time         {:>8.2} s", s.elapsed_ms as f64 / 1000.0);
}

/// One structured log line on stderr: the event's fields plus a timestamp.
fn log_json(value: serde_json::Value) {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let mut obj = serde_json::Map::new();
    obj.insert("ts_ms".into(), ts.into());
    match value {
        serde_json::Value::Object(m) => obj.extend(m),
        other => {
            obj.insert("value".into(), other);
        }
    }
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{}", serde_json::Value::Object(obj));
}

/// `yosan ingest --dry-run`: what a run would do with each file, on stdout.
fn dry_run_report(opts: &IngestOptions, json: bool) -> ExitCode {
    let entries = match plan(opts) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("yosan: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let mut counts = std::collections::BTreeMap::new();
    for e in &entries {
        *counts.entry(e.action.as_str()).or_insert(0usize) += 1;
        if json {
            let _ = writeln!(out, "{}", serde_json::to_string(e).unwrap_or_default());
        } else {
            let reason = e
                .reason
                .as_deref()
                .map(|r| format!("  ({r})"))
                .unwrap_or_default();
            let _ = writeln!(out, "{:<10} {}{reason}", e.action.as_str(), e.file);
        }
    }
    let count = |a: PlanAction| counts.get(a.as_str()).copied().unwrap_or(0);
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::json!({"event": "dry_run", "new": count(PlanAction::New), "changed": count(PlanAction::Changed), "unchanged": count(PlanAction::Unchanged), "removed": count(PlanAction::Removed)})
        );
    } else {
        let _ = writeln!(
            out,
            "\n{} new, {} changed, {} unchanged, {} removed: {} to process; nothing written (--dry-run)",
            count(PlanAction::New),
            count(PlanAction::Changed),
            count(PlanAction::Unchanged),
            count(PlanAction::Removed),
            count(PlanAction::New) + count(PlanAction::Changed)
        );
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    allocator_options();
    let cli = Cli::parse();
    match cli.command {
        Command::Ingest {
            paths,
            sources,
            out,
            jobs,
            strict,
            quiet,
            full,
            dry_run,
            doc_timeout,
            max_file_mb,
            max_decompressed_mb,
            max_depth,
            log_format,
        } => {
            if !doc_timeout.is_finite() || doc_timeout < 0.0 {
                eprintln!("yosan: --doc-timeout: give a number of seconds (0 for no limit)");
                return ExitCode::from(2);
            }
            let json = log_format == LogFormat::Json;
            let opts = IngestOptions {
                inputs: paths,
                sources,
                out: out.clone(),
                jobs,
                strict,
                full,
                doc_timeout: (doc_timeout > 0.0).then(|| Duration::from_secs_f64(doc_timeout)),
                max_file_bytes: Some(max_file_mb.saturating_mul(1 << 20)),
                max_decompressed_bytes: max_decompressed_mb.map(|m| m.saturating_mul(1 << 20)),
                max_depth,
                stall: std::env::var("YOSAN_TEST_STALL").ok().and_then(|v| {
                    let (part, ms) = v.rsplit_once(':')?;
                    Some((part.to_string(), Duration::from_millis(ms.parse().ok()?)))
                }),
            };
            if dry_run {
                return dry_run_report(&opts, json);
            }
            if json {
                // A panic is caught at the document boundary and becomes an error row; in JSON
                // mode its message is logged as an event too, not as free text on stderr.
                std::panic::set_hook(Box::new(|info| {
                    let message = info
                        .payload()
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| info.payload().downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    log_json(serde_json::json!({
                        "event": "panic",
                        "thread": std::thread::current().name().unwrap_or(""),
                        "message": message,
                        "location": info.location().map(|l| l.to_string()),
                    }));
                }));
            }
            let bar = if !quiet && !json && std::io::stderr().is_terminal() {
                let b = indicatif::ProgressBar::new(0);
                b.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                Some(b)
            } else {
                None
            };
            let done = std::cell::Cell::new(0u64);
            let report = |event: &Event| {
                if json {
                    log_json(serde_json::to_value(event).unwrap_or_default());
                    return;
                }
                if let (Some(b), Event::DocumentFinished { file, total, .. }) = (&bar, event) {
                    done.set(done.get() + 1);
                    b.set_length(*total as u64);
                    b.set_position(done.get());
                    b.set_message(file.to_string());
                }
            };
            let result = ingest(&opts, &report);
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            match result {
                Ok(summary) => {
                    if !quiet && !json {
                        print_summary(&summary, &out);
                    }
                    ExitCode::from(summary.exit_code() as u8)
                }
                Err(e) => {
                    if json {
                        log_json(
                            serde_json::json!({"event": "run_failed", "error": e.to_string()}),
                        );
                    } else {
                        eprintln!("yosan: {e}");
                    }
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
                            match wanted {
                                Some(w) if !doc.pages.is_empty() || doc.grids.is_empty() => {
                                    eprintln!("yosan: --svg: {} has no page {w}", file.display())
                                }
                                _ => eprintln!(
                                    "yosan: --svg: {} has no pages to draw (PDF only)",
                                    file.display()
                                ),
                            }
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
