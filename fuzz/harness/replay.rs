//! Replays the inputs kept in `fuzz/regressions/<target>/` (inputs that once crashed, hung or
//! exhausted the memory of a fuzz target) through the harness the target runs. Included through
//! `#[path]` by `extractors/tests/fuzz_regressions.rs` and
//! `pipeline/normalize/tests/fuzz_regressions.rs`; it installs the test binary's global allocator.
//!
//! The allocator counts the largest single request and the most bytes live at once, so that an
//! input found for exhausting memory is a regression here too: under overcommit a huge reservation
//! that is never touched would otherwise pass unnoticed.

#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The system allocator, counting.
pub struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most one input may take: the fuzzer's own limit (-rss_limit_mb=2048) with room to spare.
pub const MEMORY_LIMIT: usize = 1 << 30;

/// A generous bound on one input's time, for slow machines: hangs found by the fuzzer are
/// regressions too.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// One replay at a time: the counters are process-wide, and the test harness runs tests on
/// several threads.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `run` on every file of `dir` (hidden files aside) and fails on the first that panics,
/// allocates more than [`MEMORY_LIMIT`] (in one request or live at once) or takes longer than
/// [`TIME_LIMIT`]. Returns how many files were replayed.
pub fn replay(dir: &Path, run: fn(&[u8])) -> usize {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut files: Vec<_> = std::fs::read_dir(dir)
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
    for f in &files {
        let bytes = std::fs::read(f).expect("read regression input");
        let before = LIVE.load(Ordering::Relaxed);
        LARGEST.store(0, Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let t0 = Instant::now();
        run(&bytes);
        let took = t0.elapsed();
        let largest = LARGEST.load(Ordering::Relaxed);
        let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
        assert!(
            largest < MEMORY_LIMIT && peak < MEMORY_LIMIT,
            "{}: largest allocation {largest} bytes, peak {peak} bytes",
            f.display()
        );
        assert!(took < TIME_LIMIT, "{} took {took:?}", f.display());
    }
    files.len()
}
