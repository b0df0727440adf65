//! The main job: discover files, extract, parse, check, write.
//!
//! Each document is processed on its own behind a panic boundary: whatever goes wrong in one file
//! becomes an `error` row in the documents table and a diagnostic, and the batch goes on.

use crate::context::DocContext;
use crate::dataset::{self, DatasetError, Staging, WrittenFile};
use crate::families::{self, FamilyOutput};
use crate::model::{BudgetLine, DiagnosticRecord, DocumentRecord, Provenance, Status};
use crate::sources::{Declared, Sources, SourcesError};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;
use yosan_extractors::{Diagnostic, ExtractOptions};

/// Errors that stop the whole run (exit code 2). Problems with single documents never do.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error(transparent)]
    Sources(#[from] SourcesError),
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    #[error("no input files: {0}")]
    NoInputs(String),
    #[error("cannot write the manifest: {0}")]
    Manifest(String),
}

/// What to ingest and where to.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub inputs: Vec<PathBuf>,
    pub sources: Option<PathBuf>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    pub strict: bool,
}

/// One input file to process, with the name it is recorded under.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// `source_file` in the dataset: relative to the folder given on the command line (prefixed
    /// with that folder's name) or relative to the sources manifest's folder.
    pub name: String,
}

/// Everything one document produced.
#[derive(Debug, Default)]
pub struct DocResult {
    pub record: DocumentRecord,
    pub lines: Vec<BudgetLine>,
    pub diagnostics: Vec<DiagnosticRecord>,
}

/// The outcome of a run.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub documents: usize,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    pub lines: usize,
    pub checks_ok: i64,
    pub checks_mismatch: i64,
    pub diagnostics_by_code: BTreeMap<String, usize>,
    /// Pairs of lines of the same amount that agree / disagree (see [`crate::reconcile`]).
    pub reconciliation_matches: usize,
    pub reconciliation_mismatches: usize,
    pub elapsed_ms: u128,
}

impl Summary {
    /// 0 when every document is ok, 1 when some failed or are partial.
    pub fn exit_code(&self) -> i32 {
        if self.partial + self.failed > 0 {
            1
        } else {
            0
        }
    }
}

/// Files under `inputs` (folders walked recursively, in sorted order), skipping hidden files,
/// manifests (`*.json`) and Parquet files.
pub fn discover(inputs: &[PathBuf], skip: Option<&Path>) -> Vec<InputFile> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let base = input
                .canonicalize()
                .ok()
                .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            walk(input, input, &base, skip, &mut out);
        } else {
            let name = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| input.to_string_lossy().into_owned());
            out.push(InputFile {
                path: input.clone(),
                name,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

fn walk(root: &Path, dir: &Path, base: &str, skip: Option<&Path>, out: &mut Vec<InputFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        // An unreadable folder is reported as an input that fails to read.
        out.push(InputFile {
            path: dir.to_path_buf(),
            name: format!("{base}/{}", dir.strip_prefix(root).unwrap_or(dir).display()),
        });
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let fname = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if fname.starts_with('.') {
            continue;
        }
        if let (Some(skip), Ok(c)) = (skip, p.canonicalize()) {
            if c == skip {
                continue;
            }
        }
        if p.is_dir() {
            walk(root, &p, base, skip, out);
            continue;
        }
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if matches!(ext.as_str(), "json" | "parquet" | "jsonl") {
            continue;
        }
        let rel = p
            .strip_prefix(root)
            .unwrap_or(&p)
            .to_string_lossy()
            .replace('\\', "/");
        out.push(InputFile {
            path: p.clone(),
            name: if base.is_empty() {
                rel
            } else {
                format!("{base}/{rel}")
            },
        });
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Processes one file: read, hash, extract, detect, parse. Never panics; never fails the batch.
pub fn process_file(
    input: &InputFile,
    declared: Option<&Declared>,
    opts: &ExtractOptions,
) -> DocResult {
    let mut res = DocResult::default();
    res.record.source_file = input.name.clone();
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            let what = if input.path.is_dir() {
                "is a folder that cannot be read".to_string()
            } else {
                format!("cannot be read: {e}")
            };
            fail(
                &mut res,
                "file.unreadable",
                format!("{} {what}", input.path.display()),
            );
            return res;
        }
    };
    res.record.bytes = bytes.len() as i64;
    res.record.source_sha256 = sha256_hex(&bytes);
    let sha = res.record.source_sha256.clone();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process_bytes(&bytes, input, declared, opts, &mut res)
    }));
    if let Err(payload) = outcome {
        let msg = panic_message(payload);
        res.lines.clear();
        fail(
            &mut res,
            "internal.panic",
            format!("internal error while parsing (panic: {msg})"),
        );
    }
    for d in &mut res.diagnostics {
        d.source_sha256 = Some(sha.clone());
    }
    res.record.diagnostics = res.diagnostics.len() as i64;
    res
}

fn fail(res: &mut DocResult, code: &str, message: String) {
    res.record.status = Status::Error;
    res.record.error = Some(message.clone());
    res.diagnostics.push(DiagnosticRecord {
        source_file: res.record.source_file.clone(),
        source_sha256: None,
        page: None,
        sheet: None,
        location: None,
        code: code.to_string(),
        severity: "error".to_string(),
        message,
    });
}

fn process_bytes(
    bytes: &[u8],
    input: &InputFile,
    declared: Option<&Declared>,
    opts: &ExtractOptions,
    res: &mut DocResult,
) {
    let name = input.name.clone();
    let doc = match yosan_extractors::extract(bytes, &name, opts) {
        Ok(doc) => doc,
        Err(e) => {
            res.record.format = yosan_extractors::detect(bytes, &name).as_str().to_string();
            fail(res, &e.code(), e.to_string());
            return;
        }
    };
    res.record.format = doc
        .format
        .map(|f| f.as_str())
        .unwrap_or("unknown")
        .to_string();
    res.record.encoding = doc.encoding.clone();
    res.record.units = doc.unit_count() as i32;
    for d in &doc.diagnostics {
        res.diagnostics
            .push(DiagnosticRecord::from_diagnostic(&name, None, d));
    }

    let mut ctx = DocContext {
        source_file: name.clone(),
        source_sha256: res.record.source_sha256.clone(),
        ..Default::default()
    };
    if let Some(d) = declared {
        if let Some(j) = &d.jurisdiction {
            ctx.jurisdiction = Some(j.clone());
            ctx.jurisdiction_source = Provenance::Declared;
        }
        if let Some(y) = d.fiscal_year {
            ctx.fiscal_year = Some(y);
            ctx.fiscal_year_source = Provenance::Declared;
        }
        ctx.account = d.account.clone();
        ctx.phase = d.phase;
        ctx.unit = d.unit;
        ctx.direction = d.direction;
        ctx.family = d.family.clone();
    }
    ctx.detect_from(&doc);

    let (family, family_source) = match ctx.family.as_deref().and_then(families::by_id) {
        Some(f) => (Some(f), Provenance::Declared),
        None => (families::recognise(&doc), Provenance::Detected),
    };
    res.record.family_source = if family.is_some() {
        family_source
    } else {
        Provenance::Unknown
    };
    res.record.jurisdiction_code = ctx.jurisdiction.as_ref().and_then(|j| j.code.clone());
    res.record.jurisdiction_name = ctx.jurisdiction.as_ref().map(|j| j.name.clone());
    res.record.jurisdiction_source = ctx.jurisdiction_source;
    res.record.document_fiscal_year = ctx.fiscal_year;
    res.record.fiscal_year_source = ctx.fiscal_year_source;
    res.record.account = ctx.account.clone();
    res.record.phase = ctx.phase.map(|p| p.as_str().to_string());

    let Some(family) = family else {
        fail(
            res,
            "family.unrecognised",
            format!(
                "no document family recognises this {} file",
                res.record.format
            ),
        );
        return;
    };
    res.record.family = Some(family.id().to_string());
    let out: FamilyOutput = family.parse(&doc, &ctx);
    for d in &out.diagnostics {
        res.diagnostics
            .push(DiagnosticRecord::from_diagnostic(&name, None, d));
    }
    // Families that read several bodies from one document (a 決算カード workbook) set the
    // jurisdiction per line: the document then has none of its own.
    let bodies: std::collections::BTreeSet<(&Option<String>, &String)> = out
        .lines
        .iter()
        .map(|l| (&l.jurisdiction_code, &l.jurisdiction_name))
        .collect();
    if bodies.len() > 1 {
        res.record.jurisdiction_code = None;
        res.record.jurisdiction_name = None;
    }
    if out
        .lines
        .iter()
        .any(|l| l.jurisdiction_code.is_none() && l.jurisdiction_name.is_empty())
    {
        res.diagnostics.push(DiagnosticRecord::from_diagnostic(
            &name,
            None,
            &Diagnostic::warning(
                "context.jurisdiction_unknown",
                "no jurisdiction declared or found in the document: lines are written under jurisdiction=unknown",
            ),
        ));
    }
    res.record.lines = out.lines.len() as i64;
    res.record.checks_ok = out.checks_ok as i64;
    res.record.checks_mismatch = out.checks_mismatch as i64;
    res.lines = out.lines;
    let has_error = res.diagnostics.iter().any(|d| d.severity == "error");
    res.record.status = match (res.lines.is_empty(), has_error) {
        (true, _) => Status::Error,
        (false, true) => Status::Partial,
        (false, false) => Status::Ok,
    };
    if res.lines.is_empty() {
        res.record.error = Some(
            res.diagnostics
                .iter()
                .find(|d| d.severity == "error")
                .map(|d| d.message.clone())
                .unwrap_or_else(|| "the document yielded no budget lines".to_string()),
        );
    }
}

/// The run as recorded in `manifest.json`.
#[derive(Debug, serde::Serialize)]
pub struct RunManifest {
    pub tool: String,
    pub version: String,
    pub started_unix: u64,
    pub inputs: Vec<ManifestInput>,
    pub outputs: Vec<WrittenFile>,
    pub summary: Summary,
}

#[derive(Debug, serde::Serialize)]
pub struct ManifestInput {
    pub path: String,
    pub sha256: String,
    pub bytes: i64,
    pub status: String,
    pub lines: i64,
}

/// Runs the whole job and returns the summary; document problems are in the summary, only
/// run-level problems are errors.
pub fn ingest(
    opts: &IngestOptions,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
) -> Result<Summary, IngestError> {
    let started = Instant::now();
    let started_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let sources = match &opts.sources {
        Some(p) => Some(Sources::load(p)?),
        None => None,
    };
    let out_canon = opts.out.canonicalize().ok();
    let mut inputs = discover(&opts.inputs, out_canon.as_deref());
    if inputs.is_empty() {
        if let Some(s) = &sources {
            // No paths given: the files the manifest names.
            for p in s.files() {
                let name = p
                    .strip_prefix(s.root.canonicalize().unwrap_or_default())
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                inputs.push(InputFile { path: p, name });
            }
        }
    }
    if inputs.is_empty() {
        return Err(IngestError::NoInputs(
            "give files or folders, or a sources manifest whose globs match files".into(),
        ));
    }
    let extract_opts = ExtractOptions {
        strict: opts.strict,
        ..Default::default()
    };
    let total = inputs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let run = || -> Vec<DocResult> {
        inputs
            .par_iter()
            .map(|input| {
                let declared = sources.as_ref().and_then(|s| s.for_file(&input.path));
                let r = process_file(input, declared, &extract_opts);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, total, &input.name);
                r
            })
            .collect()
    };
    let results = match opts.jobs {
        Some(j) if j > 0 => match rayon::ThreadPoolBuilder::new().num_threads(j).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        _ => run(),
    };

    let mut summary = Summary {
        documents: results.len(),
        ..Default::default()
    };
    let mut records = Vec::new();
    let mut diags = Vec::new();
    let mut lines = Vec::new();
    for r in results {
        match r.record.status {
            Status::Ok => summary.ok += 1,
            Status::Partial => summary.partial += 1,
            Status::Error => summary.failed += 1,
        }
        summary.checks_ok += r.record.checks_ok;
        summary.checks_mismatch += r.record.checks_mismatch;
        for d in &r.diagnostics {
            *summary
                .diagnostics_by_code
                .entry(d.code.clone())
                .or_default() += 1;
        }
        records.push(r.record);
        diags.extend(r.diagnostics);
        lines.extend(r.lines);
    }
    summary.lines = lines.len();
    let recon = reconcile_stage(&lines, &mut records, &mut diags, &mut summary);
    records.sort_by(|a, b| a.source_file.cmp(&b.source_file));
    diags.sort_by(|a, b| {
        (
            &a.source_file,
            a.page,
            &a.sheet,
            &a.location,
            &a.code,
            &a.message,
        )
            .cmp(&(
                &b.source_file,
                b.page,
                &b.sheet,
                &b.location,
                &b.code,
                &b.message,
            ))
    });

    let staging = Staging::new(&opts.out)?;
    let mut outputs = dataset::write_budget_lines(lines, &staging.dir)?;
    let mut docs_df =
        dataset::documents_frame(&records).map_err(|source| DatasetError::Polars {
            table: "documents",
            source,
        })?;
    let bytes = dataset::write_parquet(
        &mut docs_df,
        &staging.dir.join("documents.parquet"),
        "documents",
    )?;
    outputs.push(WrittenFile {
        path: "documents.parquet".into(),
        rows: records.len(),
        bytes,
    });
    let mut diag_df =
        dataset::diagnostics_frame(&diags).map_err(|source| DatasetError::Polars {
            table: "diagnostics",
            source,
        })?;
    let bytes = dataset::write_parquet(
        &mut diag_df,
        &staging.dir.join("diagnostics.parquet"),
        "diagnostics",
    )?;
    outputs.push(WrittenFile {
        path: "diagnostics.parquet".into(),
        rows: diags.len(),
        bytes,
    });
    let mut recon_df = crate::reconcile::reconciliation_frame(&recon.rows).map_err(|source| {
        DatasetError::Polars {
            table: "reconciliation",
            source,
        }
    })?;
    let bytes = dataset::write_parquet(
        &mut recon_df,
        &staging.dir.join("reconciliation.parquet"),
        "reconciliation",
    )?;
    outputs.push(WrittenFile {
        path: "reconciliation.parquet".into(),
        rows: recon.rows.len(),
        bytes,
    });
    summary.elapsed_ms = started.elapsed().as_millis();
    let manifest = RunManifest {
        tool: "yosan".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        started_unix,
        inputs: records
            .iter()
            .map(|r| ManifestInput {
                path: r.source_file.clone(),
                sha256: r.source_sha256.clone(),
                bytes: r.bytes,
                status: r.status.as_str().into(),
                lines: r.lines,
            })
            .collect(),
        outputs,
        summary,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| IngestError::Manifest(e.to_string()))?;
    std::fs::write(staging.dir.join("manifest.json"), json)
        .map_err(|e| IngestError::Manifest(e.to_string()))?;
    // Test hook: hold the finished staging folder before the commit, so that tests can kill the
    // run at its most delicate point and see the previous output survive.
    if let Some(ms) = std::env::var("YOSAN_PAUSE_BEFORE_COMMIT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    staging.commit()?;
    Ok(manifest.summary)
}

/// The reconciliation stage: compares the amounts seen more than once, adds its diagnostics to
/// the run (and to the counts of the documents they name) and its totals to the summary.
fn reconcile_stage(
    lines: &[BudgetLine],
    records: &mut [DocumentRecord],
    diags: &mut Vec<DiagnosticRecord>,
    summary: &mut Summary,
) -> crate::reconcile::Reconciliation {
    let mut recon = crate::reconcile::reconcile(lines);
    summary.reconciliation_matches = recon.matches();
    summary.reconciliation_mismatches = recon.mismatches();
    for d in &recon.diagnostics {
        *summary
            .diagnostics_by_code
            .entry(d.code.clone())
            .or_default() += 1;
        if let Some(r) = records.iter_mut().find(|r| r.source_file == d.source_file) {
            r.diagnostics += 1;
        }
    }
    diags.append(&mut recon.diagnostics);
    recon
}
