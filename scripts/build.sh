#!/usr/bin/env bash
# build.sh — configures and builds Detour's build directories (see CMakeLists.txt).
#
#   bash scripts/build.sh [WHAT...]     WHAT: all (default) | release | test | wasm | emscripten | fuzz
#     release     build/release: the Release library libdetour_core.a
#     wasm        dist/detour-core.wasm (wasm/build-wasi.sh, through build/release)
#     test        build/test: ASan+UBSan library, C tests, tests/builds/detour_run
#     emscripten  dist/emscripten/detour-core.wasm (wasm/build-emscripten.sh)
#     fuzz        build/fuzz/fuzz_core (clang, libFuzzer)
#     all         release + wasm + test
# Builds are incremental; a directory is configured again only when its settings change.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v cmake >/dev/null || { echo "build: cmake not found (run scripts/bootstrap.sh)" >&2; exit 1; }
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# One compiler family everywhere: clang-14 builds the native, sanitized, fuzz and wasm code alike,
# so -Werror means the same warnings in every build (gcc's optimizer-dependent
# -Wmaybe-uninitialized would otherwise fail only the Release build). CC=gcc overrides.
cc="${CC:-clang-14}"
generator+=("-DCMAKE_C_COMPILER=$cc")
jobs="$(nproc)"

# configure DIR ARGS...: (re)configures DIR unless it was configured with exactly these ARGS.
configure() {
    local dir="$1"
    shift
    local args=("${generator[@]}" "$@")
    local want="$root ${args[*]}"
    if [[ -f "$dir/CMakeCache.txt" && -f "$dir/.detour-configure" &&
          "$(cat "$dir/.detour-configure")" == "$want" ]]; then
        return 0
    fi
    rm -rf "$dir"
    cmake -S "$root" -B "$dir" "${args[@]}" >/dev/null
    echo "$want" >"$dir/.detour-configure"
}

release() {
    configure build/release -DCMAKE_BUILD_TYPE=Release -DDETOUR_TESTS=OFF -DDETOUR_WASM=OFF
}
test_dir() {
    configure build/test -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS_DEBUG=-g -O1" -DDETOUR_SANITIZE=ON
}

build() { # dir [target]
    cmake --build "$1" --parallel "$jobs" ${2:+--target "$2"}
}

# Each step on its own line: under `set -e`, a failure inside `a && b` would not stop the script.
[[ $# -gt 0 ]] || set -- all
for what in "$@"; do
    case "$what" in
    release)
        release
        build build/release detour_core
        ;;
    wasm)
        release
        build build/release wasm
        ;;
    test)
        test_dir
        build build/test
        ;;
    emscripten)
        release
        build build/release wasm-emscripten
        ;;
    fuzz)
        # libFuzzer needs clang whatever CC says.
        configure build/fuzz -DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=Debug \
            "-DCMAKE_C_FLAGS_DEBUG=-g -O1" -DDETOUR_TESTS=OFF -DDETOUR_FUZZ=ON
        build build/fuzz fuzz_core
        ;;
    all)
        release
        build build/release detour_core
        build build/release wasm
        test_dir
        build build/test
        ;;
    *)
        echo "build: unknown target '$what' (all, release, wasm, test, emscripten, fuzz)" >&2
        exit 2
        ;;
    esac
done
