#!/usr/bin/env bash
# bootstrap.sh — installs what Detour needs on a Debian 12 machine, and only what is missing:
# the Debian packages of the toolchains, the npm dependencies, and cJSON's Debian source (for
# the WebAssembly builds). Run first by `npm test` (scripts/test.sh); safe to run any time: on a
# machine that has everything it only checks, in well under a second.
#
#   bash scripts/bootstrap.sh [--with-browser]
#     --with-browser  also Debian's chromium, which the browser tests and the page's benchmark
#                     drive through playwright-core (scripts/test.sh passes it; npm start does not)
set -euo pipefail

with_browser=0
[[ "${1:-}" == "--with-browser" ]] && with_browser=1

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "bootstrap: $*"; }

# --- Debian packages ------------------------------------------------------------------------------
# cmake, ninja-build: native build; clang, lld, libclang-rt-14-dev: fuzzing and wasm linking;
# libcjson-dev: cJSON natively; wasi-libc, libclang-rt-14-dev-wasm32: the wasi build; binaryen
# (wasm-opt), wabt (wasm-objdump); emscripten: the second wasm build; dpkg-dev: unpacks the cJSON
# source package; postgresql: the server binaries (initdb, pg_ctl) the PostgreSQL tests start a
# throw-away cluster with (no cluster of its own is used).
packages=(cmake ninja-build clang lld libclang-rt-14-dev libcjson-dev wasi-libc
          libclang-rt-14-dev-wasm32 binaryen wabt emscripten dpkg-dev postgresql)
[[ $with_browser -eq 1 ]] && packages+=(chromium)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { say "not root and no sudo: install ${missing[*]} by hand" >&2; exit 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Another apt may be running (an image being provisioned): wait for its locks.
    apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 -q)
    for try in 1 2 3 4 5 6 7 8 9 10; do
        if "${apt[@]}" update -qq; then break; fi
        [[ $try -lt 10 ]] || { say "apt-get update failed" >&2; exit 1; }
        say "apt-get update failed (lock held?); retrying in 30 s"
        sleep 30
    done
    "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$major" -lt 20 ]]; then
    say "Node $major found; Detour needs Node 20 or newer" >&2
    exit 1
fi

# --- npm dependencies -----------------------------------------------------------------------------
# Reinstalled when package.json or package-lock.json changed since the last install here.
stamp="node_modules/.detour-bootstrap"
want="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
if [[ ! -d node_modules || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    if [[ -f package-lock.json ]]; then
        say "npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    else
        say "npm install"
        npm install --no-audit --no-fund --loglevel=error
    fi
    cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1 >"$stamp"
fi

# --- cJSON source for the wasm builds -------------------------------------------------------------
bash "$root/wasm/fetch-cjson.sh"
