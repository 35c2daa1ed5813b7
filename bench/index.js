// bench/index.js — `npm run bench`: how fast the core runs start → user task → complete cycles,
// through WebAssembly (js/core.js directly, then through the Engine with the memory store) and
// natively (bench/bench_native.c), on the five-activity fixture. Prints a table; the targets are
// reported, not asserted: wasm ≤ 1.3× native time per cycle, ≥ 20,000 cycles/s, module ≤ 400 KB.
//
//   node bench/index.js [--cycles N] [--warmup N] [--rounds N] [--json]
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

// One cycle as the engine does it: start, then complete the instance's task with its state.
function coreCycle(core, handle, i) {
  const seed = i.toString(16).padStart(32, '0');
  const now = 1700000000000 + i;
  const started = core.execute(handle, { command: 'start', now, idSeed: seed, businessKey: null, variables: {} });
  const taskId = started.index.tasks[0].id;
  core.execute(handle, { command: 'completeTask', now, idSeed: seed, taskId, variables: {}, state: started.state });
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

  const native = benchNative(model);
  const wasm = await benchWasm(bytes, model);
  const engine = await benchEngine(bytes, xml);
  const moduleKB = statSync(wasmPath).size / 1024;

  const rows = [
    { name: 'wasm core (js/core.js)', ...wasm, ratio: wasm.usPerCycle / native.usPerCycle },
    { name: 'wasm engine + memory store', ...engine, ratio: engine.usPerCycle / native.usPerCycle },
    { name: 'native core (-O2)', ...native, ratio: 1 },
  ];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ rows, moduleKB }, null, 2));
    return;
  }
  console.log(`start → user task → complete, ${m.key} (${fixture.slice(root.length + 1)})\n`);
  console.log(table(rows));
  const ok = (b) => (b ? 'met' : 'NOT met');
  console.log();
  console.log(`module size: ${moduleKB.toFixed(1)} KB (target ≤ ${TARGET.moduleKB} KB: ${ok(moduleKB <= TARGET.moduleKB)})`);
  console.log(`wasm/native time per cycle: ${rows[0].ratio.toFixed(2)}× (target ≤ ${TARGET.ratio}×: ${ok(rows[0].ratio <= TARGET.ratio)})`);
  console.log(`wasm cycles/s: ${wasm.cyclesPerSecond.toFixed(0)} (target ≥ ${TARGET.cyclesPerSecond}: ${ok(wasm.cyclesPerSecond >= TARGET.cyclesPerSecond)})`);
  console.log(`wasm memory after the run: ${wasm.memoryKB.toFixed(0)} KB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
