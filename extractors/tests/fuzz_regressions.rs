//! Replays every input kept in `fuzz/regressions/<target>/` (inputs that once crashed a fuzz
//! target) through the same harness the target runs: each must now return, without panicking,
//! within bounded memory and time (`fuzz/harness/replay.rs`).

#[path = "../../fuzz/harness/extractors.rs"]
mod harness;
#[path = "../../fuzz/harness/replay.rs"]
mod replay;

use std::path::PathBuf;

fn regressions(target: &str) -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("../fuzz/regressions")
    .join(target)
}

#[test]
fn fuzz_regressions_pdf() {
    replay::replay(&regressions("pdf"), harness::pdf);
}

#[test]
fn fuzz_regressions_sheet() {
    replay::replay(&regressions("sheet"), harness::sheet);
}

#[test]
fn fuzz_regressions_csv() {
    replay::replay(&regressions("csv"), harness::csv);
}

#[test]
fn fuzz_regressions_text() {
    replay::replay(&regressions("text"), harness::text);
}
