//! yosan's integration tests: one binary, tests named after what they guard.
//!
//! - `golden_*`: every file under `fixtures/inputs/` runs through the pipeline and its output is
//!   compared with `fixtures/expected/<same path>.jsonl`; `YOSAN_BLESS=1` rewrites the goldens.
//! - `seeds_*` and `corpus_*`: the real documents beside the checkout (`../shared/`); they say so
//!   and skip when that folder is absent.
//! - `dataset_*`: the Parquet output: layout, types, determinism, atomic replacement.
//! - `cli_*`: the binary's exit codes and messages.

mod common;

mod cli;
mod corpus;
mod dataset;
mod docs;
mod families;
mod golden;
mod seeds;
