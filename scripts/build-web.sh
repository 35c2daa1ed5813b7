#!/usr/bin/env bash
# build-web.sh — the dry-run page (web/, docs/dry-run.md): esbuild bundles web/src/main.js with
# the JS it imports (js/core.js, js/dry-run.js, js/bpmn.js, js/rest/instructions.js, bpmn-js and
# its CSS) into web/dist/app.js + app.css (minified), and copies the core
# (dist/detour-core.wasm) next to them, so web/ is a complete static site.
#
#   bash scripts/build-web.sh [--force]
# Does nothing when web/dist is newer than every source (web/src, js/, the lockfile, this
# script, the core); --force rebuilds anyway. Needs dist/detour-core.wasm (bash scripts/build.sh wasm).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out=web/dist
wasm=dist/detour-core.wasm

if [[ ! -f "$wasm" ]]; then
    echo "build-web: $wasm is missing; build it first: bash scripts/build.sh wasm" >&2
    exit 1
fi

stamp="$out/app.js"
if [[ "${1:-}" != "--force" && -f "$stamp" && -f "$out/app.css" && -f "$out/detour-core.wasm" ]] \
    && [[ -z "$(find web/src web/index.html js package-lock.json scripts/build-web.sh "$wasm" -newer "$stamp" -type f -print -quit)" ]]; then
    exit 0
fi

echo "build-web: bundling web/src/main.js into $out/"
mkdir -p "$out"
node_modules/.bin/esbuild web/src/main.js \
    --bundle --format=esm --target=es2022 --minify \
    --outfile="$out/app.js" --log-level=warning
cp "$wasm" "$out/detour-core.wasm"
# the stamp last, so an interrupted build is redone
touch "$out/app.js"
