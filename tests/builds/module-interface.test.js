// module-interface.test.js — pins what the two WebAssembly modules import and export. The core
// does no I/O: an import beyond these lists means a build started pulling in libc I/O (see
// wasm/build-wasi.sh and wasm/build-emscripten.sh), an export beyond them that the ABI leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { BUILDS, need } from './builds.js';

const ABI = ['detour_alloc', 'detour_free', 'detour_compile', 'detour_execute', 'detour_release'];

function moduleOf(build) {
  need(build);
  return new WebAssembly.Module(readFileSync(BUILDS[build].path));
}
const importsOf = (build) => WebAssembly.Module.imports(moduleOf(build)).map((i) => `${i.module}.${i.name}`).sort();
const exportsOf = (build) => WebAssembly.Module.exports(moduleOf(build)).map((e) => e.name).sort();

test('the wasi module exports only the ABI, memory and _initialize', () => {
  assert.deepEqual(exportsOf('wasi'), [...ABI, '_initialize', 'memory'].sort());
});

test('the wasi module imports only the host hook and the three WASI functions wasi-libc always links', () => {
  // wasi-libc links its stderr stream (for a message about unsupported long double formatting,
  // reached from strtod/printf) and with it these three; the core never calls them.
  assert.deepEqual(importsOf('wasi'), [
    'env.detour_host_invoke',
    'wasi_snapshot_preview1.fd_close',
    'wasi_snapshot_preview1.fd_seek',
    'wasi_snapshot_preview1.fd_write',
  ]);
});

test('the Emscripten module exports the ABI, memory, _initialize and only the runtime helpers Emscripten adds', () => {
  const helpers = ['__errno_location', '__indirect_function_table', 'stackAlloc', 'stackRestore', 'stackSave'];
  assert.deepEqual(exportsOf('emscripten'), [...ABI, '_initialize', 'memory', ...helpers].sort());
});

test('the Emscripten module imports only the host hook, the memory-growth notice and proc_exit', () => {
  assert.deepEqual(importsOf('emscripten'), [
    'env.detour_host_invoke',
    'env.emscripten_notify_memory_growth',
    'wasi_snapshot_preview1.proc_exit',
  ]);
});
