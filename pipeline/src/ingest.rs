//! The main job: discover files, extract, parse, check, write.
//!
//! Each document is processed on its own behind a panic boundary: whatever goes wrong in one file
//! becomes an `error` row in the documents table and a diagnostic, and the batch goes on.
//!
//! How a run goes ([`ingest`]):
//! 1. The inputs are discovered and sorted by the name they are recorded under.
//! 2. Documents are processed in parallel (`jobs` at a time). Each one is read and hashed; when
//!    the previous output's state ([`crate::store`]) holds a document with the same id (same name,
//!    bytes, declarations, build and options) it is reused as it is, otherwise it is extracted and
//!    parsed, and its rows are spilled to the row store in the staging folder as soon as it is
//!    done. Memory holds the documents in flight, not the corpus.
//! 3. Each `budget_lines` partition is assembled from the store, one row group at a time, in
//!    document order then row order; a partition whose documents are all unchanged is linked from
//!    the previous output. Then the documents and diagnostics tables, the state and the manifest.
//!    Another table is one more writer in `assemble`, reading from the same store.
//! 4. The staging folder replaces the output in one rename ([`Staging::commit`]).
//!
//! A document that runs past `doc_timeout` becomes a failed document (`limit.timeout`) and the run
//! goes on without it. A thread cannot be stopped safely from outside, so its worker is abandoned
//! instead: it keeps its CPU and memory until it ends on its own or the process exits (the worker
//! threads never keep the process alive), and whatever it produces later is dropped — a worker
//! writes to the store only after claiming its document, and an abandoned document can no longer
//! be claimed. A new document thread takes its place, so a stuck worker never starves the rest.

use crate::context::DocContext;
use crate::dataset::{self, DatasetError, RowSink, Staging, WrittenFile};
use crate::families::{self, FamilyOutput};
use crate::model::{BudgetLine, DiagnosticRecord, DocumentRecord, Provenance, Status};
use crate::sources::{Declared, Sources, SourcesError};
use crate::store::{self, DocEntry, Home, PartEntry, PartKey, State, StoreDirs, BUILD_ID};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use thiserror::Error;
use yosan_extractors::{Diagnostic, ExtractOptions};

pub use crate::store::sha256_hex;

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
    #[error("internal error: {0}")]
    Internal(String),
}

/// What to ingest and where to.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub inputs: Vec<PathBuf>,
    pub sources: Option<PathBuf>,
    pub out: PathBuf,
    /// Documents processed at a time (default: one per core).
    pub jobs: Option<usize>,
    pub strict: bool,
    /// Ignore the previous output's state: extract and write everything.
    pub full: bool,
    /// Longest time one document may take; past it the document fails with `limit.timeout`.
    pub doc_timeout: Option<Duration>,
    /// Largest input file read (default [`DEFAULT_MAX_FILE_BYTES`]); larger ones fail with
    /// `limit.file_size`.
    pub max_file_bytes: Option<u64>,
    /// Largest size a decompressed stream or archive member may reach (default: the extractors').
    pub max_decompressed_bytes: Option<u64>,
    /// Deepest nesting of objects the extractors follow (default: the extractors').
    pub max_depth: Option<u32>,
    /// Testing aid: documents whose name contains the text sleep this long before extraction,
    /// standing in for an extractor that hangs (the CLI reads it from `YOSAN_TEST_STALL`,
    /// `<text>:<milliseconds>`).
    pub stall: Option<(String, Duration)>,
}

/// Default of [`IngestOptions::max_file_bytes`]: 1 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

impl IngestOptions {
    fn extract_options(&self) -> ExtractOptions {
        let mut o = ExtractOptions {
            strict: self.strict,
            ..Default::default()
        };
        if let Some(b) = self.max_decompressed_bytes {
            o.max_decompressed_bytes = b;
        }
        if let Some(d) = self.max_depth {
            o.max_depth = d;
        }
        o
    }

    fn max_file(&self) -> u64 {
        self.max_file_bytes.unwrap_or(DEFAULT_MAX_FILE_BYTES)
    }

    /// What, besides a document's own bytes, name and declarations, its rows depend on.
    fn run_config(&self) -> String {
        let o = self.extract_options();
        format!(
            "{BUILD_ID}|strict={}|max_decompressed={}|max_depth={}|max_file={}",
            o.strict,
            o.max_decompressed_bytes,
            o.max_depth,
            self.max_file()
        )
    }
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
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub documents: usize,
    pub ok: usize,
    pub partial: usize,
    pub failed: usize,
    /// Documents taken unchanged from the previous output (not extracted again).
    pub reused: usize,
    /// Documents extracted and parsed in this run.
    pub processed: usize,
    /// Documents of the previous output that are no longer among the inputs.
    pub removed: usize,
    pub lines: usize,
    pub checks_ok: i64,
    pub checks_mismatch: i64,
    pub diagnostics_by_code: BTreeMap<String, usize>,
    /// Pairs of lines of the same amount that agree / disagree (see [`crate::reconcile`]).
    pub reconciliation_matches: usize,
    pub reconciliation_mismatches: usize,
    pub elapsed_ms: u128,
    /// Where the time went: `discover` (listing and the previous state), `documents` (reading,
    /// hashing, extracting, parsing, spilling), `assemble` (tables from the row store) and
    /// `commit` (state, manifest, the swap with the previous output).
    pub phases_ms: BTreeMap<String, u128>,
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

/// What a run reports while it goes, for progress bars and structured logs
/// (`yosan ingest --log-format json` prints each as one JSON object per line).
#[derive(Debug, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event<'a> {
    /// Inputs discovered; nothing read yet.
    RunStarted {
        inputs: usize,
        /// Documents in the previous output's state (0 for a full run).
        previous_documents: usize,
        full: bool,
        jobs: usize,
    },
    DocumentStarted {
        file: &'a str,
        index: usize,
        total: usize,
    },
    DocumentFinished {
        file: &'a str,
        index: usize,
        total: usize,
        status: &'a str,
        reused: bool,
        lines: i64,
        diagnostics: i64,
        error: Option<&'a str>,
        ms: u64,
    },
    RunFinished {
        out: &'a str,
        summary: &'a Summary,
    },
}

/// Files under `inputs` (folders walked recursively, in sorted order), skipping hidden files,
/// manifests (`*.json`) and Parquet files. Symbolic links to folders are followed once: a link
/// back into a folder already walked is skipped.
pub fn discover(inputs: &[PathBuf], skip: Option<&Path>) -> Vec<InputFile> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for input in inputs {
        if input.is_dir() {
            let base = input
                .canonicalize()
                .ok()
                .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            walk(input, input, &base, skip, &mut seen, &mut out);
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

fn walk(
    root: &Path,
    dir: &Path,
    base: &str,
    skip: Option<&Path>,
    seen: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<InputFile>,
) {
    if let Ok(c) = dir.canonicalize() {
        if !seen.insert(c) {
            return;
        }
    }
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
            walk(root, &p, base, skip, seen, out);
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

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// A failed document with one error diagnostic, for files whose bytes could not be had.
fn failed(input: &InputFile, code: &str, message: String) -> DocResult {
    let mut res = DocResult::default();
    res.record.source_file = input.name.clone();
    res.record.format = "unknown".into();
    fail(&mut res, code, message);
    res.record.diagnostics = res.diagnostics.len() as i64;
    res
}

/// Reads an input's bytes, or explains why it cannot be read. `listed` says the file existed
/// when the run discovered it (so that "not found" means it disappeared during the run).
fn read_input(input: &InputFile, max_bytes: u64, listed: bool) -> Result<Vec<u8>, Box<DocResult>> {
    let shown = input.path.display();
    let meta = match std::fs::metadata(&input.path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let link = std::fs::symlink_metadata(&input.path)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false);
            return Err(Box::new(if link {
                failed(
                    input,
                    "file.unreadable",
                    format!("{shown} is a symbolic link to a file that does not exist"),
                )
            } else if listed {
                failed(
                    input,
                    "file.vanished",
                    format!("{shown} disappeared after the run started (it was deleted or moved while the batch ran)"),
                )
            } else {
                failed(input, "file.unreadable", format!("{shown} does not exist"))
            }));
        }
        Err(e) => {
            return Err(Box::new(failed(
                input,
                "file.unreadable",
                format!("{shown} cannot be read: {e}"),
            )))
        }
    };
    if meta.is_dir() {
        return Err(Box::new(failed(
            input,
            "file.unreadable",
            format!("{shown} is a folder, not a file: nothing was read from it (a sources glob matched it, or it could not be listed)"),
        )));
    }
    if !meta.is_file() {
        return Err(Box::new(failed(
            input,
            "file.not_regular",
            format!("{shown} is not a regular file (a pipe, socket or device): not read"),
        )));
    }
    if meta.len() > max_bytes {
        let mut res = failed(
            input,
            "limit.file_size",
            format!(
                "{shown} is {} bytes, more than the limit of {max_bytes} bytes (--max-file-mb): not read",
                meta.len()
            ),
        );
        res.record.bytes = meta.len() as i64;
        return Err(Box::new(res));
    }
    // Read at most one byte past the limit, in case the file grows while it is read.
    let read = std::fs::File::open(&input.path).and_then(|f| {
        use std::io::Read;
        let mut buf = Vec::with_capacity(meta.len() as usize);
        f.take(max_bytes.saturating_add(1)).read_to_end(&mut buf)?;
        Ok(buf)
    });
    match read {
        Ok(b) if b.len() as u64 > max_bytes => {
            let mut res = failed(
                input,
                "limit.file_size",
                format!(
                    "{shown} grew to more than the limit of {max_bytes} bytes while it was read"
                ),
            );
            res.record.bytes = b.len() as i64;
            Err(Box::new(res))
        }
        Ok(b) => Ok(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && listed => Err(Box::new(failed(
            input,
            "file.vanished",
            format!("{shown} disappeared after the run started (it was deleted or moved while the batch ran)"),
        ))),
        Err(e) => Err(Box::new(failed(
            input,
            "file.unreadable",
            format!("{shown} cannot be read: {e}"),
        ))),
    }
}

/// Processes one file: read, hash, extract, detect, parse. Never panics; never fails the batch.
pub fn process_file(
    input: &InputFile,
    declared: Option<&Declared>,
    opts: &ExtractOptions,
) -> DocResult {
    match read_input(input, u64::MAX, false) {
        Ok(bytes) => process_read(input, &bytes, &sha256_hex(&bytes), declared, opts),
        Err(res) => *res,
    }
}

/// Processes bytes already read (and hashed) from `input`.
fn process_read(
    input: &InputFile,
    bytes: &[u8],
    sha: &str,
    declared: Option<&Declared>,
    opts: &ExtractOptions,
) -> DocResult {
    let mut res = DocResult::default();
    res.record.source_file = input.name.clone();
    res.record.bytes = bytes.len() as i64;
    res.record.source_sha256 = sha.to_string();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        process_bytes(bytes, input, declared, opts, &mut res)
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
        d.source_sha256 = Some(sha.to_string());
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
    let mut doc = match yosan_extractors::extract(bytes, &name, opts) {
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
    // A PDF's tables, put into columns from the positions of its words, for the families that
    // read grids.
    let pdf_grids_synthesised =
        doc.format == Some(yosan_extractors::Format::Pdf) && doc.grids.is_empty();
    if pdf_grids_synthesised {
        doc.grids = families::rows::pdf_grids(&doc);
    }
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
        // A part of the file that could not be read is the likelier cause: name it first.
        let cause = res
            .diagnostics
            .iter()
            .find(|d| d.severity == "error")
            .map(|d| d.message.clone());
        let message = format!(
            "no document family recognises this {} file",
            res.record.format
        );
        fail(res, "family.unrecognised", message.clone());
        if let Some(cause) = cause {
            res.record.error = Some(format!("{cause}; {message}"));
        }
        return;
    };
    res.record.family = Some(family.id().to_string());
    if pdf_grids_synthesised && family.builds_own_pdf_tables() {
        doc.grids.clear();
    }
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
    // An account found by the family (a workbook's cover sheet names it) is the document's when
    // every line has it.
    if res.record.account.is_none() {
        let mut accounts = out.lines.iter().map(|l| &l.account);
        if let Some(Some(first)) = accounts.next() {
            if accounts.all(|a| a.as_ref() == Some(first)) {
                res.record.account = Some(first.clone());
            }
        }
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
    /// The build that wrote the dataset (see [`crate::store::BUILD_ID`]).
    pub build: String,
    /// `full` or `incremental`.
    pub mode: String,
    pub started_unix: u64,
    pub jobs: usize,
    pub doc_timeout_s: Option<f64>,
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
    /// True when the document's rows were taken from the previous output.
    pub reused: bool,
}

/// A fingerprint of the declarations that applied to a file (the glob that matched is left out:
/// only what changes the rows counts).
fn declared_fingerprint(d: Option<&Declared>) -> String {
    match d {
        None => "-".into(),
        Some(d) => {
            let mut d = d.clone();
            d.pattern.clear();
            format!("{d:?}")
        }
    }
}

/// The inputs of a run, sorted by name: the given paths, or the files the manifest names.
fn collect_inputs(
    opts: &IngestOptions,
    sources: Option<&Sources>,
) -> Result<Vec<InputFile>, IngestError> {
    let out_canon = opts.out.canonicalize().ok();
    let mut inputs = discover(&opts.inputs, out_canon.as_deref());
    if inputs.is_empty() {
        if let Some(s) = sources {
            // No paths given: the files the manifest names.
            for p in s.files() {
                let name = p
                    .strip_prefix(s.root.canonicalize().unwrap_or_default())
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .into_owned();
                inputs.push(InputFile { path: p, name });
            }
            inputs.sort_by(|a, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
        }
    }
    if inputs.is_empty() {
        return Err(IngestError::NoInputs(
            "give files or folders, or a sources manifest whose globs match files".into(),
        ));
    }
    Ok(inputs)
}

fn default_jobs(opts: &IngestOptions) -> usize {
    opts.jobs.filter(|&j| j > 0).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

/// Sizes rayon's global pool, where the page tasks of every document run, to `jobs` threads. It
/// can be sized once per process: a later run in the same process keeps the first size.
fn page_pool_size(jobs: usize) {
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(16 << 20)
        .thread_name(|i| format!("yosan-page-{i}"))
        .build_global();
}

fn build_pool(jobs: usize) -> Result<rayon::ThreadPool, IngestError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(16 << 20)
        .thread_name(|i| format!("yosan-worker-{i}"))
        .build()
        .map_err(|e| IngestError::Internal(format!("cannot start worker threads: {e}")))
}

/// What every document of a run shares.
struct RunShared {
    extract: ExtractOptions,
    stall: Option<(String, Duration)>,
    run_config: String,
    max_file: u64,
    dirs: StoreDirs,
    /// Reusable documents of the previous output, by id.
    previous: HashMap<String, DocEntry>,
    /// Paths named in the input list that did not exist when the run started: "not found" is
    /// then no disappearance.
    absent_at_start: std::collections::HashSet<PathBuf>,
}

/// Who may finish a document: its worker, or the scheduler that gave up waiting for it.
enum Claim {
    /// The worker is at it; once it has read the file, its hash and size are known.
    Running { read: Option<(String, i64)> },
    /// The worker claimed the document and is writing its rows; it will report.
    Finishing,
    /// The scheduler gave up on it; whatever the worker makes is dropped.
    Abandoned,
}

type DocOutcome = Result<(DocEntry, Home), DatasetError>;

/// One document, start to end: read, hash, reuse or process, spill. Returns None when the
/// document was abandoned meanwhile.
fn work_on(
    input: &InputFile,
    declared: Option<&Declared>,
    listed: bool,
    shared: &RunShared,
    claim: &Mutex<Claim>,
) -> Option<DocOutcome> {
    let fp = declared_fingerprint(declared);
    let (id, res) = match read_input(input, shared.max_file, listed) {
        Err(res) => {
            let res = *res;
            let id = store::document_id(
                &input.name,
                None,
                &fp,
                &format!("{}|{}", shared.run_config, input.path.display()),
            );
            (id, res)
        }
        Ok(bytes) => {
            let sha = sha256_hex(&bytes);
            if let Ok(mut c) = claim.lock() {
                if let Claim::Running { read } = &mut *c {
                    *read = Some((sha.clone(), bytes.len() as i64));
                }
            }
            let id = store::document_id(&input.name, Some(&sha), &fp, &shared.run_config);
            if let Some(prev) = shared.previous.get(&id) {
                if shared.dirs.file(Home::Previous, &id).is_file() {
                    let mut entry = prev.clone();
                    entry.path = input.path.display().to_string();
                    return claim_for(claim).then_some(Ok((entry, Home::Previous)));
                }
            }
            if let Some((part, pause)) = &shared.stall {
                if input.name.contains(part.as_str()) {
                    std::thread::sleep(*pause);
                }
            }
            let res = process_read(input, &bytes, &sha, declared, &shared.extract);
            (id, res)
        }
    };
    if !claim_for(claim) {
        return None;
    }
    Some(
        store::spill(
            &shared.dirs.new,
            &id,
            &input.path.display().to_string(),
            res.record,
            res.diagnostics,
            res.lines,
        )
        .map(|e| (e, Home::New)),
    )
}

/// Claims a document for its worker; false when the scheduler abandoned it.
fn claim_for(claim: &Mutex<Claim>) -> bool {
    let mut c = match claim.lock() {
        Ok(c) => c,
        Err(p) => p.into_inner(),
    };
    match *c {
        Claim::Abandoned => false,
        _ => {
            *c = Claim::Finishing;
            true
        }
    }
}

/// The record of a document given up after `limit`.
fn timed_out(input: &InputFile, read: Option<(String, i64)>, limit: Duration) -> DocResult {
    let mut res = failed(
        input,
        "limit.timeout",
        format!(
            "processing took longer than the limit of {} s per document (--doc-timeout) and was abandoned",
            limit.as_secs_f64()
        ),
    );
    if let Some((sha, bytes)) = read {
        res.record.source_sha256 = sha.clone();
        res.record.bytes = bytes;
        for d in &mut res.diagnostics {
            d.source_sha256 = Some(sha.clone());
        }
    }
    res
}

/// Processes every input, `jobs` at a time, on `jobs` long-lived document threads (no thread per
/// document: that cost more than the small documents of a nightly corpus). The documents are not
/// rayon tasks: a rayon thread waiting inside a join runs whatever task is queued, so a document
/// queued behind a PDF's page tasks could run nested inside that PDF, and the PDF would then take
/// as long as both (a stuck document would time out an innocent one). Page tasks run on rayon's
/// pool, sized by [`page_pool_size`]. A document that runs past the timeout is abandoned with its
/// thread, and a new thread takes its place. Returns the entries in input order.
fn run_documents(
    inputs: &[InputFile],
    sources: Option<&Sources>,
    shared: Arc<RunShared>,
    jobs: usize,
    timeout: Option<Duration>,
    report: &dyn Fn(&Event),
) -> Result<Vec<(DocEntry, Home)>, IngestError> {
    let n = inputs.len();
    let mut results: Vec<Option<(DocEntry, Home)>> = (0..n).map(|_| None).collect();
    page_pool_size(jobs);
    type Job = Box<dyn FnOnce() + Send>;
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let spawn_worker = |k: usize| -> Result<(), IngestError> {
        let job_rx = job_rx.clone();
        std::thread::Builder::new()
            .name(format!("yosan-doc-{k}"))
            .stack_size(16 << 20)
            .spawn(move || loop {
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(p) => p.into_inner().recv(),
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            })
            .map(|_| ())
            .map_err(|e| IngestError::Internal(format!("cannot start worker threads: {e}")))
    };
    let mut workers = 0;
    while workers < jobs.max(1) {
        spawn_worker(workers)?;
        workers += 1;
    }
    let (tx, rx) = mpsc::channel::<(usize, DocOutcome)>();
    let mut in_flight: BTreeMap<usize, (Instant, Arc<Mutex<Claim>>)> = BTreeMap::new();
    // Largest files first: a large document taken up last would finish alone while the other
    // threads idle. (Results keep the input order.)
    let sizes: Vec<u64> = inputs
        .iter()
        .map(|i| std::fs::metadata(&i.path).map_or(0, |m| m.len()))
        .collect();
    let mut dispatch: Vec<usize> = (0..n).collect();
    dispatch.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let mut next = 0;
    loop {
        while in_flight.len() < jobs && next < n {
            let i = dispatch[next];
            next += 1;
            report(&Event::DocumentStarted {
                file: &inputs[i].name,
                index: i + 1,
                total: n,
            });
            let claim = Arc::new(Mutex::new(Claim::Running { read: None }));
            in_flight.insert(i, (Instant::now(), claim.clone()));
            let input = inputs[i].clone();
            let declared = sources.and_then(|s| s.for_file(&input.path)).cloned();
            let (shared, tx) = (shared.clone(), tx.clone());
            let body = move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let listed = !shared.absent_at_start.contains(&input.path);
                    work_on(&input, declared.as_ref(), listed, &shared, &claim)
                }));
                let msg = match outcome {
                    Ok(Some(o)) => o,
                    Ok(None) => return,
                    Err(payload) => {
                        if !claim_for(&claim) {
                            return;
                        }
                        let mut res = failed(
                            &input,
                            "internal.panic",
                            format!(
                                "internal error while processing (panic: {})",
                                panic_message(payload)
                            ),
                        );
                        res.record.diagnostics = res.diagnostics.len() as i64;
                        let id = store::document_id(
                            &input.name,
                            None,
                            "panic",
                            &format!("{}|{}", shared.run_config, input.path.display()),
                        );
                        store::spill(
                            &shared.dirs.new,
                            &id,
                            &input.path.display().to_string(),
                            res.record,
                            res.diagnostics,
                            Vec::new(),
                        )
                        .map(|e| (e, Home::New))
                    }
                };
                let _ = tx.send((i, msg));
            };
            job_tx
                .send(Box::new(body))
                .map_err(|_| IngestError::Internal("the document threads have ended".into()))?;
        }
        if in_flight.is_empty() {
            break;
        }
        let received = match timeout {
            None => Some(rx.recv().map_err(|_| {
                IngestError::Internal("a document worker ended without reporting".into())
            })?),
            Some(limit) => {
                let now = Instant::now();
                let earliest = in_flight
                    .values()
                    .map(|(s, _)| *s + limit)
                    .min()
                    .unwrap_or(now);
                match rx.recv_timeout(earliest.saturating_duration_since(now)) {
                    Ok(m) => Some(m),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(IngestError::Internal(
                            "a document worker ended without reporting".into(),
                        ))
                    }
                }
            }
        };
        match received {
            Some((i, outcome)) => {
                let Some((started, _)) = in_flight.remove(&i) else {
                    continue;
                };
                let (entry, home) = outcome?;
                report_finished(report, &entry, home, i, n, started);
                results[i] = Some((entry, home));
            }
            None => {
                let limit = timeout.unwrap_or_default();
                let now = Instant::now();
                let expired: Vec<usize> = in_flight
                    .iter()
                    .filter(|(_, (s, _))| now >= *s + limit)
                    .map(|(i, _)| *i)
                    .collect();
                let mut abandoned = 0;
                for i in expired {
                    let read = {
                        let (_, claim) = &in_flight[&i];
                        let mut c = match claim.lock() {
                            Ok(c) => c,
                            Err(p) => p.into_inner(),
                        };
                        match &*c {
                            Claim::Running { read } => {
                                let read = read.clone();
                                *c = Claim::Abandoned;
                                read
                            }
                            // It is writing its rows and will report.
                            _ => continue,
                        }
                    };
                    let (started, _) = in_flight.remove(&i).expect("in flight");
                    abandoned += 1;
                    let input = &inputs[i];
                    let res = timed_out(input, read, limit);
                    let id = store::document_id(
                        &input.name,
                        None,
                        "timeout",
                        &format!("{}|{}", shared.run_config, input.path.display()),
                    );
                    let entry = store::spill(
                        &shared.dirs.new,
                        &id,
                        &input.path.display().to_string(),
                        res.record,
                        res.diagnostics,
                        Vec::new(),
                    )?;
                    report_finished(report, &entry, Home::New, i, n, started);
                    results[i] = Some((entry, Home::New));
                }
                // An abandoned document keeps its thread: a new one takes its place.
                for _ in 0..abandoned {
                    spawn_worker(workers)?;
                    workers += 1;
                }
            }
        }
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.ok_or_else(|| IngestError::Internal(format!("no outcome for {}", inputs[i].name)))
        })
        .collect()
}

fn report_finished(
    report: &dyn Fn(&Event),
    entry: &DocEntry,
    home: Home,
    i: usize,
    n: usize,
    started: Instant,
) {
    report(&Event::DocumentFinished {
        file: &entry.record.source_file,
        index: i + 1,
        total: n,
        status: entry.record.status.as_str(),
        reused: home == Home::Previous,
        lines: entry.record.lines,
        diagnostics: entry.record.diagnostics,
        error: entry.record.error.as_deref(),
        ms: started.elapsed().as_millis() as u64,
    });
}

/// What the reconciliation of all partitions adds to the summary and the documents table.
#[derive(Debug, Default)]
struct ReconTotals {
    matches: usize,
    mismatches: usize,
    codes: BTreeMap<String, usize>,
    by_file: HashMap<String, usize>,
}

/// One partition: its `budget_lines` file and the reconciliation of its lines. Reused from the
/// previous output when it is made of the same documents, else written from the row store.
#[allow(clippy::too_many_arguments)]
fn assemble_partition(
    key: &PartKey,
    docs: &[usize],
    entries: &[(DocEntry, Home)],
    dirs: &StoreDirs,
    previous: Option<&PartEntry>,
    previous_out: &Path,
    staging: &Path,
) -> Result<(WrittenFile, PartEntry), DatasetError> {
    let ids: Vec<String> = docs.iter().map(|&i| entries[i].0.id.clone()).collect();
    let rel = key.rel_path();
    let target = staging.join(&rel);
    let id = store::part_id(key, &ids);
    let part_file = |out: &Path| store::part_file(out, &id);
    let old = previous_out.join(&rel);
    // A partition whose reconciliation found nothing has no reconciliation file.
    let has_recon = |p: &PartEntry| p.recon_rows.rows + p.recon_diagnostics.rows > 0;
    if let Some(p) = previous.filter(|p| {
        p.docs == ids
            && p.id == id
            && old.is_file()
            && (!has_recon(p) || part_file(previous_out).is_file())
    }) {
        store::link_or_copy(&old, &target)?;
        if has_recon(p) {
            store::link_or_copy(&part_file(previous_out), &part_file(staging))?;
        }
        let bytes = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
        return Ok((
            WrittenFile {
                path: rel,
                rows: p.rows,
                bytes,
            },
            p.clone(),
        ));
    }
    // The partition's lines, in document order: written in row groups, then reconciled (the
    // comparison needs every line of a body and year at once; a partition is exactly that).
    let mut lines = Vec::new();
    for &i in docs {
        let (e, home) = &entries[i];
        let span = e
            .parts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| *s)
            .unwrap_or_default();
        store::for_each_line(&dirs.file(*home, &e.id), span, |l| {
            lines.push(l);
            Ok(())
        })?;
    }
    let mut sink = RowSink::create(&target, "budget_lines", dataset::budget_lines_frame)?;
    for l in &lines {
        sink.push(l.clone())?;
    }
    let (rows, bytes) = sink.finish()?;
    let recon = crate::reconcile::reconcile(&lines);
    drop(lines);
    let spans = if recon.rows.is_empty() && recon.diagnostics.is_empty() {
        (store::Span::default(), store::Span::default())
    } else {
        store::write_json_lines(&part_file(staging), &recon.rows, &recon.diagnostics)?
    };
    let mut codes = BTreeMap::new();
    let mut by_file = BTreeMap::new();
    for d in &recon.diagnostics {
        *codes.entry(d.code.clone()).or_insert(0) += 1;
        *by_file.entry(d.source_file.clone()).or_insert(0) += 1;
    }
    Ok((
        WrittenFile {
            path: rel,
            rows,
            bytes,
        },
        PartEntry {
            key: key.clone(),
            docs: ids,
            rows,
            id,
            recon_rows: spans.0,
            recon_diagnostics: spans.1,
            recon_matches: recon.matches(),
            recon_codes: codes,
            recon_by_file: by_file,
        },
    ))
}
/// Writes the tables into the staging folder from the row store; returns what was written, the
/// partitions for the state and the reconciliation totals.
///
/// Another table is a few lines here: a [`RowSink`] fed from the row store (document order) or
/// from the partitions (per body and year, as the reconciliation is).
fn assemble(
    entries: &[(DocEntry, Home)],
    dirs: &StoreDirs,
    previous: Option<&State>,
    previous_out: &Path,
    staging: &Path,
    pool: &rayon::ThreadPool,
) -> Result<(Vec<WrittenFile>, Vec<PartEntry>, ReconTotals), IngestError> {
    // budget_lines and their reconciliation: each partition from its documents' pieces.
    let mut parts: BTreeMap<&PartKey, Vec<usize>> = BTreeMap::new();
    for (i, (e, _)) in entries.iter().enumerate() {
        for (key, _) in &e.parts {
            parts.entry(key).or_default().push(i);
        }
    }
    let previous_parts: HashMap<&PartKey, &PartEntry> = previous
        .map(|s| s.partitions.iter().map(|p| (&p.key, p)).collect())
        .unwrap_or_default();
    let parts: Vec<(&PartKey, Vec<usize>)> = parts.into_iter().collect();
    // Largest partitions first, so that a large one (a budget book's year) does not start last and
    // leave the other threads idle; the results are put back in key order.
    let rows_of = |(key, docs): &(&PartKey, Vec<usize>)| -> usize {
        docs.iter()
            .flat_map(|&i| entries[i].0.parts.iter())
            .filter(|(k, _)| k == *key)
            .map(|(_, span)| span.rows)
            .sum()
    };
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(rows_of(&parts[k])));
    // The documents' own diagnostics, most of diagnostics.parquet, depend on no partition: they
    // are written while the partitions are assembled (a task taken up first by the other
    // thread), not after them on one thread while the others wait. Not when the documents are
    // the previous output's: the whole tables are then reused as they are.
    let reuse_whole = previous.is_some_and(|prev| same_documents(prev, entries));
    let (written, early_diagnostics) = pool.install(|| {
        rayon::join(
            || {
                order
                    .par_iter()
                    .with_max_len(1)
                    .map(|&k| {
                        let (key, docs) = &parts[k];
                        assemble_partition(
                            key,
                            docs,
                            entries,
                            dirs,
                            previous_parts.get(key).copied(),
                            previous_out,
                            staging,
                        )
                        .map(|w| (k, w))
                    })
                    .collect::<Result<Vec<_>, DatasetError>>()
            },
            || {
                (!reuse_whole)
                    .then(|| document_diagnostics(entries, dirs, staging))
                    .transpose()
            },
        )
    });
    let mut written: Vec<(usize, (WrittenFile, PartEntry))> = written?;
    let early_diagnostics = early_diagnostics?;
    written.sort_by_key(|(k, _)| *k);
    let written = written.into_iter().map(|(_, w)| w);
    let (mut outputs, part_entries): (Vec<WrittenFile>, Vec<PartEntry>) =
        written.into_iter().unzip();
    let totals = recon_totals(&part_entries);

    // When every document and every partition is the previous output's, so are the tables
    // that gather them all: they are linked, not rewritten.
    let unchanged = previous
        .is_some_and(|prev| same_documents(prev, entries) && prev.partitions == part_entries);
    let whole_tables = [
        "documents.parquet",
        "diagnostics.parquet",
        "reconciliation.parquet",
    ];
    if unchanged && whole_tables.iter().all(|t| previous_out.join(t).is_file()) {
        for t in whole_tables {
            store::link_or_copy(&previous_out.join(t), &staging.join(t))?;
            let rows = match t {
                "documents.parquet" => entries.len(),
                "diagnostics.parquet" => {
                    entries
                        .iter()
                        .map(|(e, _)| e.diagnostics.rows)
                        .sum::<usize>()
                        + totals.by_file.values().sum::<usize>()
                }
                _ => totals.matches + totals.mismatches,
            };
            outputs.push(WrittenFile {
                path: t.to_string(),
                rows,
                bytes: std::fs::metadata(staging.join(t))
                    .map(|m| m.len())
                    .unwrap_or(0),
            });
        }
        link_reused_documents(entries, dirs)?;
        return Ok((outputs, part_entries, totals));
    }

    // diagnostics: each document's, in document order, then the reconciliation's by partition.
    let mut sink = match early_diagnostics {
        Some(sink) => sink,
        None => document_diagnostics(entries, dirs, staging)?,
    };
    for p in part_entries.iter().filter(|p| p.recon_diagnostics.rows > 0) {
        store::for_each_json(
            &store::part_file(staging, &p.id),
            p.recon_diagnostics,
            |d| sink.push(d),
        )?;
    }
    // documents and reconciliation, side by side, while the diagnostics are finished here.
    let (diagnostics, (documents, reconciliation)) = pool.install(|| {
        rayon::join(
            || sink.finish(),
            || {
                rayon::join(
                    || write_documents(entries, &totals, staging),
                    || write_reconciliation(&part_entries, staging),
                )
            },
        )
    });
    let (rows, bytes) = documents?;
    outputs.push(WrittenFile {
        path: "documents.parquet".into(),
        rows,
        bytes,
    });
    let (rows, bytes) = diagnostics?;
    outputs.push(WrittenFile {
        path: "diagnostics.parquet".into(),
        rows,
        bytes,
    });
    let (rows, bytes) = reconciliation?;
    outputs.push(WrittenFile {
        path: "reconciliation.parquet".into(),
        rows,
        bytes,
    });

    link_reused_documents(entries, dirs)?;
    Ok((outputs, part_entries, totals))
}

/// Starts diagnostics.parquet with every document's diagnostics, in document order.
fn document_diagnostics(
    entries: &[(DocEntry, Home)],
    dirs: &StoreDirs,
    staging: &Path,
) -> Result<RowSink<DiagnosticRecord>, DatasetError> {
    let mut sink = RowSink::create(
        &staging.join("diagnostics.parquet"),
        "diagnostics",
        dataset::diagnostics_frame,
    )?;
    for (e, home) in entries {
        if e.diagnostics.rows > 0 {
            let diags = store::read_diagnostics(&dirs.file(*home, &e.id), e.diagnostics)?;
            sink.extend(diags)?;
        }
    }
    Ok(sink)
}

/// documents.parquet: one row per input, by name; reconciliation diagnostics count for their
/// file. Returns rows and bytes.
fn write_documents(
    entries: &[(DocEntry, Home)],
    totals: &ReconTotals,
    staging: &Path,
) -> Result<(usize, u64), DatasetError> {
    let mut records: Vec<&DocumentRecord> = entries.iter().map(|(e, _)| &e.record).collect();
    records.sort_by(|a, b| a.source_file.cmp(&b.source_file));
    let mut records: Vec<DocumentRecord> = records.into_iter().cloned().collect();
    for r in &mut records {
        r.diagnostics += totals.by_file.get(&r.source_file).copied().unwrap_or(0) as i64;
    }
    let mut docs_df =
        dataset::documents_frame(&records).map_err(|source| DatasetError::Polars {
            table: "documents",
            source,
        })?;
    let bytes = dataset::write_parquet(
        &mut docs_df,
        &staging.join("documents.parquet"),
        "documents",
    )?;
    Ok((records.len(), bytes))
}

/// reconciliation.parquet: amounts seen in more than one place, compared, by partition.
fn write_reconciliation(
    part_entries: &[PartEntry],
    staging: &Path,
) -> Result<(usize, u64), DatasetError> {
    let mut sink = RowSink::create(
        &staging.join("reconciliation.parquet"),
        "reconciliation",
        crate::reconcile::reconciliation_frame,
    )?;
    for p in part_entries.iter().filter(|p| p.recon_rows.rows > 0) {
        store::for_each_json(&store::part_file(staging, &p.id), p.recon_rows, |r| {
            sink.push(r)
        })?;
    }
    sink.finish()
}

/// The store files of reused documents move into the new output with it.
fn link_reused_documents(
    entries: &[(DocEntry, Home)],
    dirs: &StoreDirs,
) -> Result<(), DatasetError> {
    for (e, home) in entries {
        if *home == Home::Previous {
            let to = dirs.file(Home::New, &e.id);
            if !to.exists() {
                store::link_or_copy(&dirs.file(Home::Previous, &e.id), &to)?;
            }
        }
    }
    Ok(())
}

/// True when every document is taken from the previous output, and they are its documents in
/// its order.
fn same_documents(prev: &State, entries: &[(DocEntry, Home)]) -> bool {
    entries.iter().all(|(_, home)| *home == Home::Previous)
        && prev
            .documents
            .iter()
            .map(|d| &d.id)
            .eq(entries.iter().map(|(e, _)| &e.id))
}

/// True when every document is the previous output's, in the same order, and the previous
/// output still has every file the state lists.
fn nothing_changed(prev: &State, entries: &[(DocEntry, Home)], out: &Path) -> bool {
    same_documents(prev, entries)
        && prev
            .partitions
            .iter()
            .all(|p| out.join(p.key.rel_path()).is_file())
        && [
            "documents.parquet",
            "diagnostics.parquet",
            "reconciliation.parquet",
        ]
        .iter()
        .all(|t| out.join(t).is_file())
}

/// What the output holds, for the manifest of a run that left it as it was.
fn unchanged_outputs(prev: &State, entries: &[(DocEntry, Home)], out: &Path) -> Vec<WrittenFile> {
    let bytes = |rel: &str| {
        std::fs::metadata(out.join(rel))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let mut outputs: Vec<WrittenFile> = prev
        .partitions
        .iter()
        .map(|p| {
            let path = p.key.rel_path();
            WrittenFile {
                rows: p.rows,
                bytes: bytes(&path),
                path,
            }
        })
        .collect();
    let totals = recon_totals(&prev.partitions);
    for (table, rows) in [
        ("documents.parquet", entries.len()),
        (
            "diagnostics.parquet",
            entries
                .iter()
                .map(|(e, _)| e.diagnostics.rows)
                .sum::<usize>()
                + totals.by_file.values().sum::<usize>(),
        ),
        ("reconciliation.parquet", totals.matches + totals.mismatches),
    ] {
        outputs.push(WrittenFile {
            path: table.into(),
            rows,
            bytes: bytes(table),
        });
    }
    outputs
}

/// The reconciliation totals of a set of partitions.
fn recon_totals(parts: &[PartEntry]) -> ReconTotals {
    let mut totals = ReconTotals::default();
    for p in parts {
        totals.matches += p.recon_matches;
        totals.mismatches += p.recon_rows.rows - p.recon_matches;
        for (code, n) in &p.recon_codes {
            *totals.codes.entry(code.clone()).or_default() += n;
        }
        for (file, n) in &p.recon_by_file {
            *totals.by_file.entry(file.clone()).or_default() += n;
        }
    }
    totals
}

fn summarise(entries: &[(DocEntry, Home)], removed: usize) -> Summary {
    let mut s = Summary {
        documents: entries.len(),
        removed,
        ..Default::default()
    };
    for (e, home) in entries {
        match e.record.status {
            Status::Ok => s.ok += 1,
            Status::Partial => s.partial += 1,
            Status::Error => s.failed += 1,
        }
        match home {
            Home::Previous => s.reused += 1,
            Home::New => s.processed += 1,
        }
        s.lines += e.record.lines.max(0) as usize;
        s.checks_ok += e.record.checks_ok;
        s.checks_mismatch += e.record.checks_mismatch;
        for (code, n) in &e.codes {
            *s.diagnostics_by_code.entry(code.clone()).or_default() += n;
        }
    }
    s
}

/// Runs the whole job and returns the summary; document problems are in the summary, only
/// run-level problems are errors.
pub fn ingest(opts: &IngestOptions, report: &dyn Fn(&Event)) -> Result<Summary, IngestError> {
    let started = Instant::now();
    crate::dataset::prepare();
    let started_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let sources = match &opts.sources {
        Some(p) => Some(Sources::load(p)?),
        None => None,
    };
    let inputs = collect_inputs(opts, sources.as_ref())?;
    let jobs = default_jobs(opts);
    // Creating the staging folder first also puts back an output a killed commit left aside.
    let staging = Staging::new(&opts.out)?;
    let previous = if opts.full {
        None
    } else {
        State::load(&opts.out)
    };
    let run_config = opts.run_config();
    let dirs = StoreDirs {
        new: staging.dir.join(store::DOCS_DIR),
        previous: opts.out.join(store::DOCS_DIR),
    };
    std::fs::create_dir_all(&dirs.new).map_err(|source| DatasetError::Io {
        path: dirs.new.clone(),
        source,
    })?;
    let shared = Arc::new(RunShared {
        extract: opts.extract_options(),
        stall: opts.stall.clone(),
        run_config: run_config.clone(),
        max_file: opts.max_file(),
        dirs: dirs.clone(),
        previous: previous
            .iter()
            .flat_map(|s| s.documents.iter())
            .filter(|e| e.reusable)
            .map(|e| (e.id.clone(), e.clone()))
            .collect(),
        absent_at_start: opts
            .inputs
            .iter()
            .filter(|p| std::fs::symlink_metadata(p).is_err())
            .cloned()
            .collect(),
    });
    report(&Event::RunStarted {
        inputs: inputs.len(),
        previous_documents: previous.as_ref().map_or(0, |s| s.documents.len()),
        full: opts.full,
        jobs,
    });
    let mut phases: BTreeMap<String, u128> = BTreeMap::new();
    let mut mark = Instant::now();
    let mut lap = |name: &str, phases: &mut BTreeMap<String, u128>| {
        phases.insert(name.to_string(), mark.elapsed().as_millis());
        mark = Instant::now();
    };
    phases.insert("discover".into(), started.elapsed().as_millis());
    let entries = run_documents(
        &inputs,
        sources.as_ref(),
        shared,
        jobs,
        opts.doc_timeout.filter(|t| !t.is_zero()),
        report,
    )?;
    let names: std::collections::HashSet<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
    let removed = previous.as_ref().map_or(0, |s| {
        s.documents
            .iter()
            .filter(|e| !names.contains(e.record.source_file.as_str()))
            .count()
    });
    lap("documents", &mut phases);
    let mut summary = summarise(&entries, removed);

    // Nothing changed at all: the output stays as it is (only its manifest is replaced), so a
    // nightly run over an unchanged folder costs the hashing of the inputs.
    let untouched = previous
        .as_ref()
        .filter(|prev| removed == 0 && nothing_changed(prev, &entries, &opts.out));
    let (outputs, partitions, recon) = match untouched {
        Some(prev) => (
            unchanged_outputs(prev, &entries, &opts.out),
            prev.partitions.clone(),
            recon_totals(&prev.partitions),
        ),
        None => {
            let pool = build_pool(jobs)?;
            assemble(
                &entries,
                &dirs,
                previous.as_ref(),
                &opts.out,
                &staging.dir,
                &pool,
            )?
        }
    };
    lap("assemble", &mut phases);
    summary.reconciliation_matches = recon.matches;
    summary.reconciliation_mismatches = recon.mismatches;
    for (code, n) in recon.codes {
        *summary.diagnostics_by_code.entry(code).or_default() += n;
    }
    if untouched.is_none() {
        let state = State {
            format: store::STATE_FORMAT,
            build_id: BUILD_ID.to_string(),
            run_config,
            documents: entries.iter().map(|(e, _)| e.clone()).collect(),
            partitions,
        };
        state.write(&staging.dir)?;
    }
    summary.elapsed_ms = started.elapsed().as_millis();
    let mut inputs_out: Vec<ManifestInput> = entries
        .iter()
        .map(|(e, home)| ManifestInput {
            path: e.record.source_file.clone(),
            sha256: e.record.source_sha256.clone(),
            bytes: e.record.bytes,
            status: e.record.status.as_str().into(),
            lines: e.record.lines,
            reused: *home == Home::Previous,
        })
        .collect();
    inputs_out.sort_by(|a, b| a.path.cmp(&b.path));
    summary.phases_ms = phases.clone();
    let manifest = RunManifest {
        tool: "yosan".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        build: BUILD_ID.into(),
        mode: if previous.is_some() {
            "incremental".into()
        } else {
            "full".into()
        },
        started_unix,
        jobs,
        doc_timeout_s: opts.doc_timeout.map(|t| t.as_secs_f64()),
        inputs: inputs_out,
        outputs,
        summary,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| IngestError::Manifest(e.to_string()))?;
    if untouched.is_some() {
        // Replaced in one rename; the staging folder, unused, is removed when dropped.
        let tmp = opts
            .out
            .join(format!(".manifest.json.{}", std::process::id()));
        std::fs::write(&tmp, json)
            .and_then(|_| std::fs::rename(&tmp, opts.out.join("manifest.json")))
            .map_err(|e| IngestError::Manifest(e.to_string()))?;
        drop(staging);
    } else {
        std::fs::write(staging.dir.join("manifest.json"), json)
            .map_err(|e| IngestError::Manifest(e.to_string()))?;
        // Test hook: hold the finished staging folder before the commit, so that tests can kill
        // the run at its most delicate point and see the previous output survive.
        if let Some(ms) = std::env::var("YOSAN_PAUSE_BEFORE_COMMIT_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            std::thread::sleep(Duration::from_millis(ms));
        }
        staging.commit()?;
    }
    lap("commit", &mut phases);
    let mut summary = manifest.summary;
    summary.phases_ms = phases;
    summary.elapsed_ms = started.elapsed().as_millis();
    report(&Event::RunFinished {
        out: &opts.out.display().to_string(),
        summary: &summary,
    });
    Ok(summary)
}

/// What a run would do with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanAction {
    /// Not in the previous output: would be processed.
    New,
    /// In the previous output but its bytes, declarations, the build or options changed, or its
    /// previous outcome is one that is retried: would be processed again.
    Changed,
    /// Would be taken from the previous output as it is.
    Unchanged,
    /// In the previous output but no longer an input: its rows would be dropped.
    Removed,
}

impl PlanAction {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanAction::New => "new",
            PlanAction::Changed => "changed",
            PlanAction::Unchanged => "unchanged",
            PlanAction::Removed => "removed",
        }
    }
}

/// One line of `yosan ingest --dry-run`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanEntry {
    pub file: String,
    pub action: PlanAction,
    pub reason: Option<String>,
}

/// What [`ingest`] would (re)process, without writing anything: every input as new, changed or
/// unchanged, then the documents of the previous output that would be removed. Reads and hashes
/// every input.
pub fn plan(opts: &IngestOptions) -> Result<Vec<PlanEntry>, IngestError> {
    let sources = match &opts.sources {
        Some(p) => Some(Sources::load(p)?),
        None => None,
    };
    let inputs = collect_inputs(opts, sources.as_ref())?;
    let previous = State::load(&opts.out);
    let run_config = opts.run_config();
    let docs_dir = opts.out.join(store::DOCS_DIR);
    let mut by_name: HashMap<&str, &DocEntry> = HashMap::new();
    let mut by_id: HashMap<&str, &DocEntry> = HashMap::new();
    for e in previous.iter().flat_map(|s| s.documents.iter()) {
        by_name.insert(e.record.source_file.as_str(), e);
        by_id.insert(e.id.as_str(), e);
    }
    let classify = |input: &InputFile| -> PlanEntry {
        let declared = sources.as_ref().and_then(|s| s.for_file(&input.path));
        let fp = declared_fingerprint(declared);
        let before = by_name.get(input.name.as_str()).copied();
        let (action, reason) = match read_input(input, opts.max_file(), false) {
            Err(res) => (
                if before.is_some() {
                    PlanAction::Changed
                } else {
                    PlanAction::New
                },
                res.record.error,
            ),
            Ok(bytes) => {
                let sha = sha256_hex(&bytes);
                let id = store::document_id(&input.name, Some(&sha), &fp, &run_config);
                let stored = docs_dir.join(format!("{id}.jsonl")).is_file();
                match (by_id.get(id.as_str()), before) {
                    _ if opts.full => (
                        if before.is_some() {
                            PlanAction::Changed
                        } else {
                            PlanAction::New
                        },
                        Some("--full".to_string()),
                    ),
                    (Some(e), _) if e.reusable && stored => (PlanAction::Unchanged, None),
                    (_, None) => (PlanAction::New, None),
                    (_, Some(b)) => {
                        let why = if b.record.source_sha256 != sha {
                            "content changed".to_string()
                        } else if previous.as_ref().map(|s| s.run_config.as_str())
                            != Some(run_config.as_str())
                        {
                            "yosan build or extraction options changed".to_string()
                        } else if !b.reusable {
                            format!(
                                "retried: previous outcome was {}",
                                b.record.error.as_deref().unwrap_or("an error")
                            )
                        } else if b.id == id {
                            "its stored rows are missing".to_string()
                        } else {
                            "declarations in the sources manifest changed".to_string()
                        };
                        (PlanAction::Changed, Some(why))
                    }
                }
            }
        };
        PlanEntry {
            file: input.name.clone(),
            action,
            reason,
        }
    };
    let pool = build_pool(default_jobs(opts))?;
    let mut out: Vec<PlanEntry> = pool.install(|| inputs.par_iter().map(classify).collect());
    let names: std::collections::HashSet<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
    let mut removed: Vec<PlanEntry> = previous
        .iter()
        .flat_map(|s| s.documents.iter())
        .filter(|e| !names.contains(e.record.source_file.as_str()))
        .map(|e| PlanEntry {
            file: e.record.source_file.clone(),
            action: PlanAction::Removed,
            reason: None,
        })
        .collect();
    removed.sort_by(|a, b| a.file.cmp(&b.file));
    removed.dedup_by(|a, b| a.file == b.file);
    out.extend(removed);
    Ok(out)
}
