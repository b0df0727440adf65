//! yosan's integration tests: one binary, tests named after what they guard.
//!
//! - `golden_*`: every file under `fixtures/inputs/` runs through the pipeline and its output is
//!   compared with `fixtures/expected/<same path>.jsonl`; `YOSAN_BLESS=1` rewrites the goldens.
//! - `seeds_*` and `corpus_*`: the real documents beside the checkout (`../shared/`); they say so
//!   and skip when that folder is absent.
//! - `dataset_*`: the Parquet output: layout, types, determinism, atomic replacement.
//! - `cli_*`: the binary's exit codes and messages.
//! - `incremental_*`: reuse of unchanged documents; an incremental run equals a full rebuild.
//! - `hostile_*`: broken and hostile inputs in a batch.
//! - `ops_*`: parallel runs, timeouts, structured logs, the run summary.

mod common;

mod cli;
mod corpus;
mod corpus_book;
mod dataset;
mod docs;
mod families;
mod generic;
mod golden;
mod hostile;
mod incremental;
mod ops;
mod reconciliation;
mod seeds;
mod settlement_card;
