#!/usr/bin/env bash
# build-emscripten.sh — builds the same core with Debian's Emscripten (emcc 3.1.6) into
# dist/emscripten/detour-core.wasm: a second, independent WebAssembly build of one ABI, which
# tests/builds/ runs side by side with the wasi build and the native one.
#
#   bash wasm/build-emscripten.sh [OUTPUT]   (default OUTPUT: dist/emscripten/detour-core.wasm)
#   DETOUR_SRC_DIR=DIR   C sources to build instead of src/
#
# STANDALONE_WASM with --no-entry makes a plain reactor module, loadable by the same JS glue as
# dist/detour-core.wasm, with no generated JS loader (whose fetch of a file path fails under
# Node 18+ anyway). Its imports are env.detour_host_invoke (declared to emcc by
# wasm/host_library.js), env.emscripten_notify_memory_growth (called when memory grows; the
# loader gives a no-op) and wasi_snapshot_preview1.proc_exit (Emscripten's abort(), which the
# core calls only when malloc fails; the loader throws). Besides the ABI and `memory`, Emscripten also exports `_initialize`,
# `__indirect_function_table`, `__errno_location`, `stackSave`, `stackRestore` and `stackAlloc`,
# which the glue ignores.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${DETOUR_SRC_DIR:-$root/src}"
out="${1:-$root/dist/emscripten/detour-core.wasm}"
cjson="$root/third_party/cjson/src"

command -v emcc >/dev/null || { echo "build-emscripten: emcc not found (run scripts/bootstrap.sh)" >&2; exit 1; }
# Debian's emcc runs its JS compiler with node and needs the modules Debian installs there.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

bash "$root/wasm/fetch-cjson.sh"

sources=("$src"/*.c)
[[ -f "${sources[0]}" ]] || { echo "build-emscripten: no C sources in $src" >&2; exit 1; }

obj="$root/build/emscripten/obj"
rm -rf "$obj"
mkdir -p "$obj" "$(dirname "$out")"

cflags=(-O2 -DNDEBUG -std=c11 -D_DEFAULT_SOURCE -I"$src" -I"$cjson")
# Compile: ours with the project's warnings, cJSON as Debian ships it. Up to nproc jobs at once.
pids=()
for f in "${sources[@]}"; do
    emcc "${cflags[@]}" -Wall -Wextra -Werror -c "$f" -o "$obj/$(basename "$f" .c).o" &
    pids+=($!)
    if [[ ${#pids[@]} -ge $(nproc) ]]; then
        wait "${pids[0]}" || { wait; echo "build-emscripten: compiling failed" >&2; exit 1; }
        pids=("${pids[@]:1}")
    fi
done
emcc "${cflags[@]}" -w -c "$cjson/cJSON.c" -o "$obj/cJSON.o"
for p in "${pids[@]}"; do
    wait "$p" || { wait; echo "build-emscripten: compiling failed" >&2; exit 1; }
done

exports=_detour_alloc,_detour_free,_detour_compile,_detour_execute,_detour_release
emcc -O2 "$obj"/*.o -o "$out.tmp.wasm" \
    -sSTANDALONE_WASM --no-entry \
    -sEXPORTED_FUNCTIONS="$exports" \
    -sALLOW_MEMORY_GROWTH=1 -sTOTAL_STACK=1048576 \
    -sERROR_ON_UNDEFINED_SYMBOLS=1 \
    --js-library "$root/wasm/host_library.js"
mv "$out.tmp.wasm" "$out"
echo "build-emscripten: $out ($(stat -c %s "$out") bytes)"
