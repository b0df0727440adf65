#!/usr/bin/env bash
# yosan benchmarks: each figure is measured against a reference tool in the same run and printed
# as a ratio, with peak memory. Run with `make bench` (builds release binaries first).
# Targets (from the project's issues):
#   - PDF extraction of the 612-page Fuji book: time ≤ pdftotext -layout (ratio ≤ 1.0), peak RSS < 100 MB
#   - yosan ingest of the Fuji book, Parquet included: time ≤ 2 × pdftotext -layout
set -uo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
CORPUS="${CORPUS:-../shared/corpus}"
FUJI="$CORPUS/fuji-r6/r6-budget.pdf"
RUNS="${RUNS:-3}"
YOSAN="$TARGET_DIR/release/yosan"
cargo build --release -q -p yosan || { echo "build failed"; exit 2; }

# best_of CMD...: prints "seconds peak_kb" of the fastest of $RUNS runs.
best_of() {
  local best="" best_kb=0
  for _ in $(seq "$RUNS"); do
    local out tf
    tf=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$tf" "$@" >/dev/null 2>&1
    out=$(tail -n 1 "$tf"); rm -f "$tf"
    local t=${out% *} kb=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$kb" -gt "$best_kb" ] && best_kb=$kb
  done
  echo "$best $best_kb"
}
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1/$2; else print \"n/a\" }"; }

echo "yosan bench — $(nproc) cores, best of $RUNS runs"
if [ ! -f "$FUJI" ]; then
  echo "skipped: $FUJI not found (the PDF benchmarks need ../shared/corpus)"
  exit 0
fi
if ! command -v pdftotext >/dev/null; then
  echo "skipped: pdftotext not installed (make tools)"; exit 0
fi
read -r ref_t ref_kb < <(best_of pdftotext -layout "$FUJI" /dev/null)
printf "%-44s %7.2f s  %7d KB peak\n" "pdftotext -layout (reference)" "$ref_t" "$ref_kb"

if cargo build --release -q -p yosan-extractors --example pdf_bench 2>/dev/null; then
  read -r t kb < <(best_of "$TARGET_DIR/release/examples/pdf_bench" "$FUJI")
  printf "%-44s %7.2f s  %7d KB peak  ratio %s (target ≤ 1.00), memory target < 100 MB\n" \
    "PDF → positioned words (612 pages)" "$t" "$kb" "$(ratio "$t" "$ref_t")"
else
  echo "PDF extraction bench: example pdf_bench not available"
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in" && cp "$FUJI" "$tmp/in/"
read -r t kb < <(best_of "$YOSAN" ingest --quiet --out "$tmp/out" "$tmp/in")
printf "%-44s %7.2f s  %7d KB peak  ratio %s (target ≤ 2.00)\n" \
  "yosan ingest of the Fuji book (Parquet incl.)" "$t" "$kb" "$(ratio "$t" "$ref_t")"
