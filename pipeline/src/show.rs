//! `yosan show`: a quick look at a dataset folder, for people (not a stable format).

use polars::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn read(path: &Path) -> PolarsResult<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| PolarsError::IO {
        error: e.into(),
        msg: Some(path.display().to_string().into()),
    })?;
    ParquetReader::new(file).finish()
}

fn parquet_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            parquet_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "parquet") {
            out.push(p);
        }
    }
}

/// Renders the documents table, every partition with its row count, and the first `rows` budget
/// lines of the first partition.
pub fn show(dir: &Path, rows: usize) -> Result<String, String> {
    let err = |e: PolarsError| e.to_string();
    let mut out = String::new();
    std::env::set_var("POLARS_FMT_MAX_COLS", "12");
    std::env::set_var("POLARS_FMT_STR_LEN", "60");
    std::env::set_var("POLARS_TABLE_WIDTH", "180");
    std::env::set_var("POLARS_FMT_TABLE_ROUNDED_CORNERS", "1");
    let docs = read(&dir.join("documents.parquet")).map_err(err)?;
    let docs = docs
        .select([
            "source_file",
            "format",
            "family",
            "jurisdiction_name",
            "document_fiscal_year",
            "status",
            "lines",
            "checks_ok",
            "checks_mismatch",
            "error",
        ])
        .map_err(err)?;
    std::env::set_var("POLARS_FMT_MAX_ROWS", "50");
    let _ = writeln!(
        out,
        "documents ({}):\n{docs}\n",
        dir.join("documents.parquet").display()
    );
    let mut files = Vec::new();
    parquet_files(&dir.join("budget_lines"), &mut files);
    let _ = writeln!(out, "budget_lines partitions:");
    let mut total = 0;
    for f in &files {
        let n = read(f).map_err(err)?.height();
        total += n;
        let rel = f.strip_prefix(dir).unwrap_or(f);
        let _ = writeln!(out, "  {:>8} rows  {}", n, rel.display());
    }
    let _ = writeln!(out, "  {total:>8} rows in all\n");
    // The sample comes from the partition with the most checked lines, the most telling one.
    let mut best: Option<(usize, &PathBuf)> = None;
    for f in &files {
        let df = read(f).map_err(err)?;
        let ok = df
            .column("check")
            .map_err(err)?
            .str()
            .map_err(err)?
            .iter()
            .filter(|c| *c == Some("ok"))
            .count();
        if best.is_none_or(|(n, _)| ok > n) {
            best = Some((ok, f));
        }
    }
    if let Some((_, first)) = best {
        let df = read(first).map_err(err)?;
        let sample = df
            .select([
                "path",
                "measure",
                "fiscal_year",
                "phase",
                "amount_yen",
                "amount_text",
                "unit",
                "check",
            ])
            .map_err(err)?
            .head(Some(rows));
        std::env::set_var("POLARS_FMT_MAX_ROWS", rows.to_string());
        let _ = writeln!(
            out,
            "first {} lines of {}:\n{sample}",
            sample.height(),
            first.strip_prefix(dir).unwrap_or(first).display()
        );
    }
    let recon_path = dir.join("reconciliation.parquet");
    if recon_path.exists() {
        let recon = read(&recon_path).map_err(err)?;
        let mismatches = recon
            .column("status")
            .map_err(err)?
            .str()
            .map_err(err)?
            .iter()
            .filter(|s| *s == Some("mismatch"))
            .count();
        let _ = writeln!(
            out,
            "\nreconciliation: {} pairs, {} mismatches (see reconciliation.parquet)",
            recon.height(),
            mismatches
        );
    }
    let diags = read(&dir.join("diagnostics.parquet")).map_err(err)?;
    let _ = writeln!(
        out,
        "\ndiagnostics: {} (see diagnostics.parquet)",
        diags.height()
    );
    Ok(out)
}
