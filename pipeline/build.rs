//! Embeds `YOSAN_BUILD_ID`: a hash of every source and data file that can change what the
//! pipeline writes (the crates' sources, the schemas, Cargo.lock). Incremental runs reuse a
//! document's rows only when they were made by a build with the same id, so any change to the
//! code or the header dictionary re-processes everything, without anyone bumping a version.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// FNV-1a, 64-bit: stable across Rust versions, unlike `DefaultHasher`.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("rs" | "json" | "toml" | "lock")
        ) {
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let watched = [
        manifest.join("src"),
        manifest.join("normalize/src"),
        manifest.join("Cargo.toml"),
        root.join("extractors/src"),
        root.join("extractors/Cargo.toml"),
        root.join("schemas"),
        root.join("Cargo.lock"),
    ];
    let mut files = Vec::new();
    for w in &watched {
        println!("cargo:rerun-if-changed={}", w.display());
        if w.is_dir() {
            collect(w, &mut files);
        } else if w.is_file() {
            files.push(w.clone());
        }
    }
    files.sort();
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f);
        h.write(rel.to_string_lossy().as_bytes());
        h.write(&[0]);
        h.write(&std::fs::read(f).unwrap_or_default());
        h.write(&[0]);
    }
    println!(
        "cargo:rustc-env=YOSAN_BUILD_ID={}-{:016x}",
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
        h.finish()
    );
}
