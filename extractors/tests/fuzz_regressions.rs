//! Replays every input kept in `fuzz/regressions/<target>/` (inputs that once crashed a fuzz
//! target) through the same harness the target runs: each must now return, without panicking.

#[path = "../../fuzz/harness/extractors.rs"]
mod harness;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting: the largest single request and the most bytes live at once,
/// so that inputs found for exhausting memory are regressions here too (under overcommit a huge
/// reservation would otherwise pass unnoticed).
struct Counting;

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
const MEMORY_LIMIT: usize = 1 << 30;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
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
        LARGEST.store(0, Ordering::Relaxed);
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let before = LIVE.load(Ordering::Relaxed);
        run(&bytes);
        let (largest, peak) = (
            LARGEST.load(Ordering::Relaxed),
            PEAK.load(Ordering::Relaxed) - before,
        );
        assert!(
            largest < MEMORY_LIMIT && peak < MEMORY_LIMIT,
            "{}: largest allocation {largest} bytes, peak {peak} bytes",
            f.display()
        );
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
fn fuzz_regressions_pdf() {
    replay("pdf", harness::pdf);
}

#[test]
fn fuzz_regressions_sheet() {
    replay("sheet", harness::sheet);
}

#[test]
fn fuzz_regressions_csv() {
    replay("csv", harness::csv);
}

#[test]
fn fuzz_regressions_text() {
    replay("text", harness::text);
}
