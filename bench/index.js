// bench/index.js — `npm run bench`: how fast the core runs start → user task → complete cycles,
// through WebAssembly (js/core.js directly, then through the Engine with the memory store) and
// natively (bench/bench_native.c), on the five-activity fixture.
//
//   node bench/index.js [--cycles N] [--warmup N] [--rounds N] [--json]
//
// Two tables:
//   full cycle  the whole cycle timed, the host's JSON work included: V8's JSON.parse/stringify
//               for wasm, cJSON for native (most of the native row);
//   core only   the same cycles, only the calls into the core timed (detour_execute: parse the
//               command text, run, write the result text). For wasm that is core.executeJSON,
//               which also copies the text into and out of the module's memory and frees both
//               buffers: using the module costs that. Commands are prepared outside the timer.
// Targets, reported, not asserted: wasm ≤ 1.3× native core-only time per cycle, wasm full cycle
// ≥ 20,000 cycles/s, module ≤ 400 KB.
//
// The cycles run in --rounds equal rounds (default 5); each row reports its fastest round, so a
// busy machine (other builds, other tests) disturbs the comparison less.
// The native program is built into build/bench-native with cc when it is missing or older than
// the sources (the command is in bench/README.md).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bpmnToModels } from '../js/bpmn.js';
import { loadCore } from '../js/core.js';
import { Engine } from '../js/engine.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmPath = join(root, 'dist', 'detour-core.wasm');
const fixture = join(root, 'tests', 'fixtures', 'bpmn', 'five-activities.bpmn');
const nativePath = join(root, 'build', 'bench-native');
const modelPath = join(root, 'build', 'bench-model.json');

const TARGET = { ratio: 1.3, cyclesPerSecond: 20000, moduleKB: 400 };

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const cycles = option('cycles', 20000);
const warmup = option('warmup', 2000);
const rounds = Math.max(1, option('rounds', 5));

// The commands of cycle i (completeTask built from the start result); bench_native.c builds the same.
function startCommand(i) {
  return { command: 'start', now: 1700000000000 + i, idSeed: i.toString(16).padStart(32, '0'), businessKey: null, variables: {} };
}
function completeCommand(i, started) {
  const taskId = started.index.tasks[0].id;
  return { command: 'completeTask', now: 1700000000000 + i, idSeed: i.toString(16).padStart(32, '0'), taskId, variables: {}, state: started.state };
}

// One cycle as the engine does it: start, then complete the instance's task with its state.
function coreCycle(core, handle, i) {
  const started = core.execute(handle, startCommand(i));
  core.execute(handle, completeCommand(i, started));
}

function checked(text) {
  const doc = JSON.parse(text);
  if (doc.error) throw new Error(`bench: the core failed: ${text.slice(0, 300)}`);
  return doc;
}

// What one process.hrtime.bigint() adds to a timed interval: the mean of many back-to-back pairs.
function timerOverheadNs() {
  const n = 200000;
  let sum = 0n;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    sum += process.hrtime.bigint() - t0;
  }
  return Number(sum) / n;
}

// Core only: cycles first … first+n-1 with only core.executeJSON timed. They run in batches: the
// batch's start commands are stringified, then run back to back under one timer; their results
// are parsed and the completeTask commands stringified, then those run under one timer. Two
// timer readings per batch of calls; their cost (timerNs each) is subtracted.
const BATCH = 50;
function coreOnly(core, handle, first, n, timerNs) {
  let ns = 0n;
  let timed = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  const texts = new Array(BATCH);
  const outs = new Array(BATCH);
  for (let b = 0; b < n; b += BATCH) {
    const m = Math.min(BATCH, n - b);
    for (let k = 0; k < m; k++) texts[k] = JSON.stringify(startCommand(first + b + k));
    let t0 = process.hrtime.bigint();
    for (let k = 0; k < m; k++) outs[k] = core.executeJSON(handle, texts[k]);
    ns += process.hrtime.bigint() - t0;
    for (let k = 0; k < m; k++) {
      bytesIn += Buffer.byteLength(texts[k]);
      bytesOut += Buffer.byteLength(outs[k]);
      texts[k] = JSON.stringify(completeCommand(first + b + k, checked(outs[k])));
    }
    t0 = process.hrtime.bigint();
    for (let k = 0; k < m; k++) outs[k] = core.executeJSON(handle, texts[k]);
    ns += process.hrtime.bigint() - t0;
    for (let k = 0; k < m; k++) {
      bytesIn += Buffer.byteLength(texts[k]);
      bytesOut += Buffer.byteLength(outs[k]);
      checked(outs[k]);
    }
    timed += 2;
  }
  return { ms: (Number(ns) - timed * timerNs) / 1e6, bytesIn, bytesOut };
}

// Runs n cycles in `rounds` rounds; the per-cycle figures come from the fastest round.
async function measure(n, fn) {
  const perRound = Math.max(1, Math.floor(n / rounds));
  let next = 0;
  let total = 0;
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < perRound; i++) {
      const pending = fn(next++); // the core row is synchronous: no await per cycle
      if (pending) await pending;
    }
    const ms = performance.now() - t0;
    total += ms;
    best = Math.min(best, ms);
  }
  const usPerCycle = (best * 1000) / perRound;
  return { cycles: perRound * rounds, seconds: total / 1000, cyclesPerSecond: 1e6 / usPerCycle, usPerCycle };
}

async function benchWasm(bytes, model) {
  const core = await loadCore(bytes);
  const { handle } = core.compile(model);
  for (let i = 0; i < warmup; i++) coreCycle(core, handle, i);
  const r = await measure(cycles, (i) => coreCycle(core, handle, warmup + i));
  core.release(handle);
  return { ...r, memoryKB: core.memory.buffer.byteLength / 1024 };
}

async function benchWasmCore(bytes, model) {
  const core = await loadCore(bytes);
  const { handle } = core.compile(model);
  const timerNs = timerOverheadNs();
  coreOnly(core, handle, 0, warmup, timerNs);
  const perRound = Math.max(1, Math.floor(cycles / rounds));
  let total = 0;
  let best = Infinity;
  let bytesIn = 0;
  let bytesOut = 0;
  for (let r = 0; r < rounds; r++) {
    // The same cycles (commands) as the full-cycle row: warmup … warmup+cycles-1.
    const round = coreOnly(core, handle, warmup + r * perRound, perRound, timerNs);
    total += round.ms;
    best = Math.min(best, round.ms);
    bytesIn += round.bytesIn;
    bytesOut += round.bytesOut;
  }
  core.release(handle);
  const n = perRound * rounds;
  const usPerCycle = (best * 1000) / perRound;
  return { cycles: n, seconds: total / 1000, cyclesPerSecond: 1e6 / usPerCycle, usPerCycle, timerNs, bytesIn: bytesIn / n, bytesOut: bytesOut / n };
}

async function benchEngine(bytes, xml) {
  const core = await loadCore(bytes);
  let n = 0;
  const engine = new Engine({ core, clock: () => 1700000000000 + n, ids: () => (n++).toString(16).padStart(32, '0') });
  const { deployedProcessDefinitions } = await engine.deploy(xml, { name: 'bench' });
  const definitionId = Object.keys(deployedProcessDefinitions)[0];
  const cycle = async () => {
    const pi = await engine.startProcessInstanceById(definitionId, {});
    const [task] = await engine.tasks({ processInstanceId: pi.id });
    await engine.completeTask(task.id);
  };
  const engineCycles = Math.max(1, Math.round(cycles / 4)); // the memory store keeps every history row
  for (let i = 0; i < Math.min(warmup, 500); i++) await cycle();
  return measure(engineCycles, cycle);
}

function newestSource() {
  const files = readdirSync(join(root, 'src')).map((f) => join(root, 'src', f));
  files.push(join(root, 'bench', 'bench_native.c'));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function buildNative() {
  if (existsSync(nativePath) && statSync(nativePath).mtimeMs >= newestSource()) return;
  mkdirSync(dirname(nativePath), { recursive: true });
  const sources = readdirSync(join(root, 'src')).filter((f) => f.endsWith('.c')).map((f) => join('src', f));
  const cc = process.env.CC || 'cc';
  const args = ['-O2', '-DNDEBUG', '-D_DEFAULT_SOURCE', '-std=c11', '-Isrc', '-I/usr/include/cjson', ...sources,
    'bench/bench_native.c', '-lcjson', '-lm', '-o', nativePath];
  console.error(`bench: building ${nativePath}: ${cc} ${args.join(' ')}`);
  execFileSync(cc, args, { cwd: root, stdio: 'inherit' });
}

function benchNative(model) {
  buildNative();
  writeFileSync(modelPath, JSON.stringify(model));
  const out = execFileSync(nativePath, [modelPath, String(cycles), String(warmup), String(rounds)], { encoding: 'utf8' });
  return JSON.parse(out);
}

function table(rows) {
  const head = ['', 'cycles', 'cycles/s', 'µs/cycle', 'time ratio vs native'];
  const cells = rows.map((r) => [r.name, String(r.cycles), r.cyclesPerSecond.toFixed(0), r.usPerCycle.toFixed(2), r.ratio == null ? '–' : `${r.ratio.toFixed(2)}×`]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

async function main() {
  if (!existsSync(wasmPath)) {
    console.error(`bench: ${wasmPath} is missing: run npm run build`);
    process.exit(1);
  }
  const bytes = readFileSync(wasmPath);
  const xml = readFileSync(fixture, 'utf8');
  const [m] = await bpmnToModels(xml);
  const model = { definition: { id: `${m.key}:1:bench`, key: m.key, name: m.name, version: 1, tenantId: null }, process: m.process };

  const { core: nativeCore, ...native } = benchNative(model);
  const wasm = await benchWasm(bytes, model);
  const wasmCore = await benchWasmCore(bytes, model);
  const engine = await benchEngine(bytes, xml);
  const moduleKB = statSync(wasmPath).size / 1024;

  // Full cycle: the host's JSON work included, so wasm and native differ in more than the core.
  const rows = [
    { name: 'wasm core (js/core.js)', ...wasm, ratio: wasm.usPerCycle / native.usPerCycle },
    { name: 'wasm engine + memory store', ...engine, ratio: engine.usPerCycle / native.usPerCycle },
    { name: 'native core + cJSON (-O2)', ...native, ratio: 1 },
  ];
  // Core only: detour_execute (for wasm with the copies in and out of the module's memory).
  const coreRows = [
    { name: 'wasm (core.executeJSON)', ...wasmCore, ratio: wasmCore.usPerCycle / nativeCore.usPerCycle },
    { name: 'native (detour_execute, -O2)', ...nativeCore, ratio: 1 },
  ];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ rows, coreRows, moduleKB }, null, 2));
    return;
  }
  console.log(`start → user task → complete, ${m.key} (${fixture.slice(root.length + 1)})\n`);
  console.log('full cycle, host JSON included (wasm: V8 JSON.parse/stringify; native: cJSON)\n');
  console.log(table(rows));
  console.log('\ncore only (detour_execute): command text in → result text out, host JSON not timed\n');
  console.log(table(coreRows));
  const ok = (b) => (b ? 'met' : 'NOT met');
  const host = (full, core) => (full.usPerCycle - core.usPerCycle).toFixed(2);
  const text = (r) => `${r.bytesIn.toFixed(0)} B in, ${r.bytesOut.toFixed(0)} B out`;
  console.log();
  console.log(`host work per cycle (full − core, fastest rounds): wasm ${host(wasm, wasmCore)} µs, native ${host(native, nativeCore)} µs`);
  const near = (a, b) => Math.abs(a - b) < 0.06; // the native side prints one decimal
  const same = near(wasmCore.bytesIn, nativeCore.bytesIn) && near(wasmCore.bytesOut, nativeCore.bytesOut);
  console.log(`core text per cycle: wasm ${text(wasmCore)}; native ${text(nativeCore)}${same ? '' : ' (DIFFERENT commands: the core-only rows do not compare)'}`);
  console.log();
  const ratio = coreRows[0].ratio;
  console.log(`module size: ${moduleKB.toFixed(1)} KB (target ≤ ${TARGET.moduleKB} KB: ${ok(moduleKB <= TARGET.moduleKB)})`);
  console.log(`wasm/native core-only time per cycle: ${ratio.toFixed(2)}× (target ≤ ${TARGET.ratio}×: ${ok(ratio <= TARGET.ratio)})`);
  console.log(`wasm full-cycle cycles/s: ${wasm.cyclesPerSecond.toFixed(0)} (target ≥ ${TARGET.cyclesPerSecond}: ${ok(wasm.cyclesPerSecond >= TARGET.cyclesPerSecond)})`);
  console.log(`wasm memory after the run: ${wasm.memoryKB.toFixed(0)} KB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
