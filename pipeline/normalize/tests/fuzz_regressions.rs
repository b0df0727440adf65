//! Replays every input kept in `fuzz/regressions/<target>/` (inputs that once crashed a fuzz
//! target) through the same harness the target runs: each must now return, without panicking.

#[path = "../../../fuzz/harness/normalize.rs"]
mod harness;

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn replay(target: &str, run: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'))
        })
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).expect("read regression input");
        let t0 = Instant::now();
        run(&bytes);
        // Hangs found by the fuzzer are regressions too; a generous bound, for slow machines.
        assert!(
            t0.elapsed() < Duration::from_secs(20),
            "{} took {:?}",
            f.display(),
            t0.elapsed()
        );
    }
}

#[test]
fn fuzz_regressions_amount() {
    replay("amount", harness::amount);
}

#[test]
fn fuzz_regressions_era() {
    replay("era", harness::era);
}
