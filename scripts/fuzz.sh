#!/usr/bin/env bash
# yosan fuzzing (`make fuzz`): runs each cargo-fuzz target in fuzz/ for FUZZ_SECONDS (default 60),
# seeded with the project's fixtures, and copies every crashing, hanging or out-of-memory input to
# fuzz/regressions/<target>/, where `cargo test` replays it (fix the code, then commit the file).
#
#   FUZZ_SECONDS=600 make fuzz            # ten minutes per target
#   FUZZ_TARGETS="pdf csv" make fuzz      # some targets only
#   FUZZ_SANITIZER=address make fuzz      # AddressSanitizer (slower; default: none, panics only)
#
# Needs cargo-fuzz (installed from crates.io when missing) and a nightly toolchain; when rustup has
# no nightly, the stable compiler is used with RUSTC_BOOTSTRAP=1.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${FUZZ_SECONDS:-60}"
TARGETS="${FUZZ_TARGETS:-pdf sheet csv text amount era}"
SANITIZER="${FUZZ_SANITIZER:-none}"
FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
JOBS_RSS_MB="${FUZZ_RSS_MB:-2048}"
# The PDF extractor reads pages on rayon's pool: one thread, so that a fuzz run takes one core.
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-1}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked || { echo "cargo-fuzz could not be installed" >&2; exit 2; }
fi
TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  TOOLCHAIN=(+nightly)
else
  echo "no nightly toolchain: using the stable compiler with RUSTC_BOOTSTRAP=1" >&2
  export RUSTC_BOOTSTRAP=1
fi

# seed TARGET: copies fixtures into fuzz/corpus/TARGET (the first byte picks the format where the
# harness reads several; see fuzz/harness/).
seed() {
  local t=$1 dir="fuzz/corpus/$1" data=extractors/tests/data
  mkdir -p "$dir"
  with_prefix() { # BYTE FILE
    local f=$2; [ -f "$f" ] || return 0
    { printf "\\x$1"; cat "$f"; } > "$dir/seed-$(basename "$f")-$1"
  }
  case $t in
    pdf) for f in "$data"/pdf/*.pdf fixtures/hostile/*.pdf; do [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"; done ;;
    sheet)
      for f in "$data"/*.xlsx "$data"/*.xlsm fixtures/hostile/random_zip.xlsx; do with_prefix 00 "$f"; done
      for f in "$data"/*.xls; do with_prefix 01 "$f"; done
      for f in "$data"/*.ods; do with_prefix 02 "$f"; done ;;
    csv)
      for f in "$data"/*.csv fixtures/inputs/open_data/*.csv fixtures/hostile/*.csv; do with_prefix 00 "$f"; done
      for f in "$data"/*.tsv; do with_prefix 01 "$f"; done ;;
    text)
      for f in "$data"/*.txt fixtures/inputs/yokohama/*.txt; do with_prefix 00 "$f"; done
      for f in "$data"/*.md fixtures/inputs/foundation/*.md; do with_prefix 01 "$f"; done
      for f in "$data"/*.html; do with_prefix 02 "$f"; done ;;
    amount)
      local i=0
      for s in "△ 12,426" "▲80" "51億9,433万円" "４２億５，０６２万円" "五千万円" "1, 379, 383千円" \
               "163百万" "4億   65万円" "-" "―" "…" "99.4%" "（単位：千円）" "１，３７９，３８３千円" "△1,594"; do
        printf '%s' "$s" > "$dir/seed-$i"; i=$((i + 1))
      done ;;
    era)
      local i=0
      for s in "令和4年度" "令和元年度" "平成31年度" "R4" "H30" "元年度" "令和６年度" "昭和64年" \
               "令和六年度" "2024年度" "令和３年度 9,894万円" "㍻30年度" "R6.4.1"; do
        printf '%s' "$s" > "$dir/seed-$i"; i=$((i + 1))
      done ;;
  esac
}

status=0
summary=()
for t in $TARGETS; do
  seed "$t"
  mkdir -p "fuzz/artifacts/$t" "fuzz/regressions/$t"
  rm -f fuzz/artifacts/"$t"/*
  echo "== fuzz $t for ${SECONDS_EACH}s" >&2
  start=$(date +%s)
  (cd fuzz && cargo "${TOOLCHAIN[@]}" fuzz run --sanitizer "$SANITIZER" --target-dir "$FUZZ_TARGET_DIR" \
     "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb="$JOBS_RSS_MB" -timeout=20 \
     -artifact_prefix="artifacts/$t/" -print_final_stats=1)
  rc=$?
  took=$(( $(date +%s) - start ))
  found=0
  for a in fuzz/artifacts/"$t"/*; do
    [ -f "$a" ] || continue
    name=$(basename "$a")
    cp "$a" "fuzz/regressions/$t/$name"
    echo "   kept $a as fuzz/regressions/$t/$name" >&2
    found=$((found + 1))
  done
  if [ $rc -ne 0 ] || [ $found -gt 0 ]; then
    status=1
    summary+=("$t: FAILED after ${took}s (exit $rc, $found new input(s) in fuzz/regressions/$t)")
  else
    summary+=("$t: ${took}s without a crash")
  fi
done
echo >&2
printf '%s\n' "${summary[@]}" >&2
exit $status
