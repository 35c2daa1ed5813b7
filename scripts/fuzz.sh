#!/usr/bin/env bash
# fuzz.sh — builds and runs the libFuzzer target tests/fuzz/fuzz_core.c.
#
#   bash scripts/fuzz.sh [SECONDS]      (npm run fuzz -- SECONDS; default 60)
# Starts from the seed corpus tests/fuzz/corpus/ (read only) plus what earlier runs found in
# build/fuzz/corpus/ (new inputs go there). A crash, a sanitizer report, a leak or a timeout fails
# the run and leaves the input in tests/artifacts/fuzz/ (git-ignored); replay it with
#   build/fuzz/fuzz_core tests/artifacts/fuzz/<file>
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }

bash scripts/build.sh fuzz
mkdir -p build/fuzz/corpus tests/artifacts/fuzz

export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# DETOUR_FUZZ_LOG=FILE: libFuzzer's progress goes to FILE; only its summary (or, on failure, the
# end of the log with the report) is printed. scripts/test.sh uses it.
log="${DETOUR_FUZZ_LOG:-}"
echo "fuzz: running build/fuzz/fuzz_core for $seconds s"
args=(
    -max_total_time="$seconds"
    -timeout=10
    -rss_limit_mb=2048
    -max_len=8192
    -detect_leaks=1
    -print_final_stats=1
    -dict=tests/fuzz/json.dict
    -artifact_prefix=tests/artifacts/fuzz/
    build/fuzz/corpus tests/fuzz/corpus
)
# DETOUR_FUZZ_SEED=N: libFuzzer's random seed, so a short run explores the same inputs each time
# (scripts/test.sh sets it: a test run must not pass or fail by chance).
[[ -n "${DETOUR_FUZZ_SEED:-}" ]] && args=(-seed="$DETOUR_FUZZ_SEED" "${args[@]}")
set +e
if [[ -n "$log" ]]; then
    build/fuzz/fuzz_core "${args[@]}" >"$log" 2>&1
else
    build/fuzz/fuzz_core "${args[@]}"
fi
status=$?
set -e
if [[ -n "$log" ]]; then
    if [[ $status -eq 0 ]]; then
        grep -E '^(Done|stat::|#[0-9]+[[:space:]]+DONE)' "$log" || true
    else
        tail -n 100 "$log"
    fi
fi
if [[ $status -ne 0 ]]; then
    echo "fuzz: FAILED (exit $status); the input is in tests/artifacts/fuzz/" >&2
else
    echo "fuzz: no crash, sanitizer report or leak"
fi
exit $status
