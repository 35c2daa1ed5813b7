#!/usr/bin/env bash
# test.sh — everything `npm test` (and CI, through .ci/run) checks, in order:
#   bootstrap → build (native, sanitized, wasi, Emscripten, the page) → C tests (CTest) → Node
#   tests (tests/js/, tests/builds/, tests/browser/) → a short fuzz run.
# Any failure stops the run with a non-zero exit. DETOUR_FUZZ_SECONDS sets the fuzz time (20).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

started=$SECONDS
current=""
section() {
    current="$1"
    printf '\n==== %s ====\n' "$1"
}
trap 'status=$?; if [[ $status -ne 0 ]]; then printf "\n==== FAILED in: %s (exit %s) ====\n" "$current" "$status"; fi' EXIT

section "bootstrap"
bash scripts/bootstrap.sh --with-browser

section "build: native release, sanitized tests, wasi wasm, Emscripten wasm, the page"
bash scripts/build.sh all emscripten
bash scripts/build-web.sh
ls -l dist/detour-core.wasm dist/emscripten/detour-core.wasm | awk '{print $5, $9}'

section "C tests (ctest, ASan + UBSan)"
ctest --test-dir build/test --output-on-failure --parallel "$(nproc)" | tee build/test/ctest.log
c_total="$(sed -nE 's/.* tests passed, ([0-9]+) tests failed out of ([0-9]+).*/\2/p' build/test/ctest.log)"

section "Node tests (tests/js, tests/builds, tests/browser)"
node_dirs=()
for d in tests/js tests/builds tests/browser; do
    if compgen -G "$d/*.test.js" >/dev/null || compgen -G "$d/**/*.test.js" >/dev/null; then node_dirs+=("$d/"); fi
done
node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination=build/node-tests.tap "${node_dirs[@]}"
node_pass="$(sed -nE 's/^# pass ([0-9]+)$/\1/p' build/node-tests.tap)"

section "fuzz (${DETOUR_FUZZ_SECONDS:-20} s)"
DETOUR_FUZZ_SEED="${DETOUR_FUZZ_SEED:-1}" DETOUR_FUZZ_LOG=build/fuzz/fuzz.log bash scripts/fuzz.sh "${DETOUR_FUZZ_SECONDS:-20}"

section "done in $((SECONDS - started)) s"
echo "C tests: ${c_total:-0}, Node tests: ${node_pass:-0}, fuzz: clean"
echo "total: $(( ${c_total:-0} + ${node_pass:-0} )) passed, 0 failed"
