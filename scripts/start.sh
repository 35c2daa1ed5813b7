#!/usr/bin/env bash
# start.sh — `npm start`: installs what is missing (scripts/bootstrap.sh), builds
# dist/detour-core.wasm when it is missing or older than the core's sources, and the dry-run page
# (scripts/build-web.sh), then runs the service (js/main.js; its environment variables are in
# README.md and docs/service.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/bootstrap.sh

wasm=dist/detour-core.wasm
# Newer sources: the core (src/), its wasi build script, or the CMake project.
if [[ ! -f "$wasm" ]] || [[ -n "$(find src wasm/build-wasi.sh CMakeLists.txt -newer "$wasm" -type f -print -quit)" ]]; then
    echo "start: building $wasm"
    bash scripts/build.sh wasm
fi
bash scripts/build-web.sh # the dry-run page served at / (web/dist/), when its sources are newer

exec node js/main.js
