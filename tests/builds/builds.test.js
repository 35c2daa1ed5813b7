// builds.test.js — the three builds of the core (native, wasi clang, Emscripten) are one engine:
// each scenario in tests/builds/scenarios/ runs through all three and their outputs must be
// identical, byte for byte. Also pins down what the wasi module imports and exports.
//
// A scenario file: {"description":"...", "model": <model document, or its text>,
//   "commands":[<command document, or its text>, ...], "handle": N (optional: execute against N
//   instead of the compiled handle), "delegates":{"name": <reply document or text, or null>}}.
// Inside a command document, the string "@previous" stands for the `state` of the latest result
// that had one, and "@previous.a.b.0.c" for that path in the latest result (e.g.
// "@previous.index.tasks.0.id"). The wasi run resolves them; the very same command texts are then
// given to the native and Emscripten builds.
// Needs `npm run build` and `npm run build:emscripten` first (scripts/test.sh does both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadCore } from './wasm-loader.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const wasiPath = join(root, 'dist', 'detour-core.wasm');
const emscriptenPath = join(root, 'dist', 'emscripten', 'detour-core.wasm');
const nativeRunner = join(root, 'build', 'test', 'detour_run');

const ABI = ['detour_alloc', 'detour_free', 'detour_compile', 'detour_execute', 'detour_release'];
// wasi-libc links its stderr stream (for a message about unsupported long double formatting,
// reached from strtod/printf) and with it these three; the core never calls them.
const ALLOWED_WASI_IMPORTS = ['fd_close', 'fd_seek', 'fd_write'];

function need(path, how) {
  assert.ok(existsSync(path), `${path} is missing: run ${how}`);
}

const asText = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

function prepare(scenario) {
  const delegates = {};
  for (const [name, reply] of Object.entries(scenario.delegates ?? {})) {
    delegates[name] = reply == null ? null : asText(reply);
  }
  return {
    model: asText(scenario.model),
    commands: scenario.commands ?? [],
    handle: Number.isInteger(scenario.handle) ? scenario.handle : null,
    delegates,
  };
}

// Replaces "@previous..." strings in a command document (see the header).
function resolve(value, previous) {
  if (typeof value === 'string' && value.startsWith('@previous')) {
    if (value === '@previous') return previous.state ?? null;
    let v = previous.result;
    for (const key of value.slice('@previous.'.length).split('.')) v = v?.[key];
    return v ?? null;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, previous));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, previous)]));
  }
  return value;
}

function runNative(run) {
  const result = spawnSync(nativeRunner, { input: JSON.stringify(run), encoding: 'utf8' });
  assert.equal(result.status, 0, `detour_run failed (status ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

// Runs `run` through a wasm module. Commands may be documents with "@previous" references,
// resolved against this run's own results; returns the events and the command texts used.
async function runWasm(path, run) {
  const core = await loadCore(path);
  const events = [];
  core.setHost((request) => {
    events.push({ call: 'invoke', request });
    const name = JSON.parse(request).delegate;
    return run.delegates[name] ?? null;
  });
  const compiled = core.compile(run.model);
  events.push({ call: 'compile', result: compiled ?? '(null)' });
  let handle = -1;
  try {
    const h = JSON.parse(compiled).handle;
    if (typeof h === 'number') handle = h;
  } catch {
    // not JSON: the comparison with the native output reports it
  }
  const runHandle = run.handle ?? handle;
  const texts = [];
  const previous = { state: null, result: null };
  for (const command of run.commands) {
    const text = typeof command === 'string' ? command : JSON.stringify(resolve(command, previous));
    texts.push(text);
    const result = core.execute(runHandle, text);
    events.push({ call: 'execute', result: result ?? '(null)' });
    try {
      previous.result = JSON.parse(result);
      if (previous.result?.state !== undefined) previous.state = previous.result.state;
    } catch {
      previous.result = null;
    }
  }
  events.push({ call: 'release', result: core.release(handle) });
  return { events, texts };
}

const scenarioDir = join(here, 'scenarios');
const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort();

test('the wasi module exports only the ABI, memory and _initialize', () => {
  need(wasiPath, 'npm run build');
  const module = new WebAssembly.Module(readFileSync(wasiPath));
  const names = WebAssembly.Module.exports(module).map((e) => e.name).sort();
  assert.deepEqual(names, [...ABI, '_initialize', 'memory'].sort());
});

test('the wasi module imports only the host hook and the WASI functions wasi-libc always links', () => {
  need(wasiPath, 'npm run build');
  const module = new WebAssembly.Module(readFileSync(wasiPath));
  for (const imp of WebAssembly.Module.imports(module)) {
    const name = `${imp.module}.${imp.name}`;
    if (name === 'env.detour_host_invoke') continue;
    assert.ok(imp.module === 'wasi_snapshot_preview1' && ALLOWED_WASI_IMPORTS.includes(imp.name),
      `unexpected import ${name}: the core must do no I/O (see wasm/build-wasi.sh)`);
  }
});

test('the Emscripten module imports only the host hook, the memory-growth notice and proc_exit', () => {
  need(emscriptenPath, 'npm run build:emscripten');
  const module = new WebAssembly.Module(readFileSync(emscriptenPath));
  const allowed = ['env.detour_host_invoke', 'env.emscripten_notify_memory_growth', 'wasi_snapshot_preview1.proc_exit'];
  for (const imp of WebAssembly.Module.imports(module)) {
    const name = `${imp.module}.${imp.name}`;
    assert.ok(allowed.includes(name), `unexpected import ${name}: the core must do no I/O (see wasm/build-emscripten.sh)`);
  }
});

test('the Emscripten module exports the ABI and memory', () => {
  need(emscriptenPath, 'npm run build:emscripten');
  const module = new WebAssembly.Module(readFileSync(emscriptenPath));
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  for (const name of [...ABI, 'memory']) assert.ok(names.includes(name), `missing export ${name}`);
});

for (const file of scenarios) {
  const scenario = JSON.parse(readFileSync(join(scenarioDir, file), 'utf8'));
  test(`scenario ${file} gives the same output natively, in the wasi module and in the Emscripten module`, async () => {
    need(nativeRunner, 'npm run build');
    need(wasiPath, 'npm run build');
    need(emscriptenPath, 'npm run build:emscripten');
    const run = prepare(scenario);
    const wasi = await runWasm(wasiPath, run);
    const fixed = { ...run, commands: wasi.texts };
    const native = runNative(fixed);
    assert.deepEqual(wasi.events, native, 'the wasi module differs from the native build');
    const emscripten = await runWasm(emscriptenPath, fixed);
    assert.deepEqual(emscripten.events, native, 'the Emscripten module differs from the native build');
  });
}
