#![no_main]
//! Fuzz target: see `harness/normalize.rs` (shared with the regression test in yosan-normalize).

#[path = "../harness/normalize.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::amount(data));
