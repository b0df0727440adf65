#![no_main]
//! Fuzz target: see `harness/extractors.rs` (shared with the regression test in extractors).

#[path = "../harness/extractors.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::csv(data));
