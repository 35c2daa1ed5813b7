// bench/dry-run.js — how long the page's dry run of a modification takes on a big instance, in
// Chromium and in Node, and how many bytes the page costs to load (`npm run bench` runs it last):
//
//   setup     (not timed) a model of --activities activities (start → parallel fork → N user tasks
//             → join → end) compiled, and an instance of it with --instances active activity
//             instances: one `start` command with that many startBeforeActivity instructions
//             spread round-robin over the tasks. Its state document is what the page would load.
//   chromium  Debian's chromium (headless, through playwright-core) loads a blank page from a
//             loopback server that serves the repository's js/ and dist/ and the generated
//             documents; in the page, as the page does it: import /js/core.js and /js/dry-run.js,
//             load the wasm, compile the model, parse the state document (untimed), then time
//             simulateModification of the plan "cancel every instance of t0, start before t1":
//             the first (cold) run, --warmup runs, then --runs timed runs → median and p90.
//             Twice, each in a browser of its own (so each first run is cold): with
//             {withState: false} (the page and the service routes drop the resulting state
//             document) and with the defaults (the simulation carries it, docs/dry-run.md).
//   node      the same, in this process (for comparison; its first runs follow the setup, which
//             ran the same core).
//   page      the page's transfer size: when the page is built (web/dist/app.js, made by
//             scripts/build-web.sh, which is run when present and the page is not built), web/ is
//             served and index.html loaded in chromium; every response's bytes (headers and body,
//             uncompressed, as a plain static server sends them) are summed, and each file's gzip
//             size (level 9) is shown beside it. Not built: the output says so.
//
// Target (reported, not asserted): Chromium median < 50 ms. The results of every run are checked
// (the plan's counts, Chromium and Node agreeing); a failed check exits 1.
//
//   node bench/dry-run.js [--activities N] [--instances N] [--runs N] [--warmup N] [--json]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { loadCore } from '../js/core.js';
import { simulateModification } from '../js/dry-run.js';
import { checkList, option, printChecks, progressTo } from './support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmPath = join(root, 'dist', 'detour-core.wasm');
const web = join(root, 'web');
const buildWeb = join(root, 'scripts', 'build-web.sh');
const CHROMIUM = '/usr/bin/chromium';
const TARGET_MS = 50;

const activities = option('activities', 1000);
const instances = option('instances', 5000);
const runs = Math.max(1, option('runs', 20));
const warmup = Math.max(0, option('warmup', 5));
const asJson = process.argv.includes('--json');
const progress = progressTo('dry-run');

/** The plan timed: every instance of the first task cancelled, one more started before the second. */
const PLAN = { instructions: [{ type: 'cancel', activityId: 't0' }, { type: 'startBeforeActivity', activityId: 't1' }] };
const CLOCK = { now: 1700000000000, idSeed: '2'.repeat(32) };

/** The two ways of calling simulateModification that are timed: their options beyond the clock. */
const VARIANTS = [
  { name: 'withState: false', what: 'no resulting state document (what the page and the routes use)', options: { withState: false } },
  { name: 'defaults', what: 'with the resulting state document', options: {} },
];

// --- the documents ---------------------------------------------------------------------------------

/** start → fork → `tasks` user tasks in parallel → join → end: tasks + 4 activities. */
function wideModel(tasks) {
  const elements = [
    { type: 'startEvent', id: 'start' },
    { type: 'parallelGateway', id: 'fork' },
    { type: 'parallelGateway', id: 'join' },
    { type: 'endEvent', id: 'end' },
  ];
  const flows = [{ id: 'f_start', sourceRef: 'start', targetRef: 'fork' }, { id: 'f_end', sourceRef: 'join', targetRef: 'end' }];
  for (let i = 0; i < tasks; i++) {
    elements.push({ type: 'userTask', id: `t${i}`, name: `Task ${i}` });
    flows.push({ id: `fi${i}`, sourceRef: 'fork', targetRef: `t${i}` }, { id: `fo${i}`, sourceRef: `t${i}`, targetRef: 'join' });
  }
  return { definition: { id: 'wide:1:bench', key: 'wide', name: 'Wide', version: 1 }, process: { id: 'wide', isExecutable: true, elements, flows } };
}

/** The model and the state document as text (as the page loads them), and the plan's counts. */
function documents(core) {
  const tasks = activities - 4;
  if (tasks < 2) throw new Error('dry-run bench: --activities must be at least 6');
  const model = wideModel(tasks);
  const { handle } = core.compile(model);
  const startInstructions = [];
  for (let k = 0; k < instances; k++) startInstructions.push({ type: 'startBeforeActivity', activityId: `t${k % tasks}` });
  const started = core.execute(handle, { command: 'start', now: CLOCK.now - 1000, idSeed: '1'.repeat(32), startInstructions });
  core.release(handle);
  const perTask = (i) => Math.floor(instances / tasks) + (i < instances % tasks ? 1 : 0);
  return { modelText: JSON.stringify(model), stateText: JSON.stringify(started.state), expected: { t0: perTask(0), t1: perTask(1) } };
}

// --- the measurement (runs in Node and, as source text, in the page) -------------------------------

/**
 * Times simulateModification: one cold run, `warmup` untimed runs, `runs` timed ones. Self-contained
 * (the page gets its source): everything it uses comes in as a parameter.
 * → {coldMs, samples (ms, in run order), summary (of the first and the last run)}.
 */
async function measureSimulation({ simulateModification, core, handle, state, plan, options, warmup, runs }) {
  const total = (counts) => Object.values(counts).reduce((sum, c) => sum + c.instances + c.transitions, 0);
  // the activities whose count changes, as JSON text
  const changed = (changes) => JSON.stringify(Object.fromEntries(Object.entries(changes).filter(([, c]) => c.delta !== 0)));
  const once = () => {
    const t0 = performance.now();
    const sim = simulateModification(core, handle, state, plan, options);
    return { ms: performance.now() - t0, sim };
  };
  const cold = once();
  for (let i = 0; i < warmup; i++) once();
  const samples = [];
  let last = cold;
  for (let i = 0; i < runs; i++) {
    last = once();
    samples.push(last.ms);
  }
  const s = last.sim;
  return {
    coldMs: cold.ms,
    samples,
    summary: {
      ok: s.ok,
      error: s.error,
      changed: changed(s.changes),
      coldChanged: changed(cold.sim.changes),
      beforeTotal: s.before ? total(s.before.counts) : null,
      afterTotal: s.after ? total(s.after.counts) : null,
      tasks: s.tasks.length,
      hasState: s.state !== null && typeof s.state === 'object',
    },
  };
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { median, p90: sorted[Math.ceil(0.9 * n) - 1], min: sorted[0], max: sorted[n - 1] };
}

// --- a tiny static server ---------------------------------------------------------------------------

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves GET requests on a free loopback port: `files` (path → {body, type}) from memory, then
 * each mount (URL prefix → directory), nothing outside them. → {url, close()}.
 */
async function serve({ files = {}, mounts = {} }) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      path = '';
    }
    let body = null;
    let type = null;
    if (files[path]) {
      ({ body, type } = files[path]);
    } else {
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (!path.startsWith(prefix)) continue;
        const file = normalize(join(dir, path.slice(prefix.length)));
        if (file !== dir && !file.startsWith(dir + sep)) continue; // no way out of the mount
        const target = existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
        if (existsSync(target) && statSync(target).isFile()) {
          body = readFileSync(target);
          type = TYPES[extname(target)] ?? 'application/octet-stream';
          break;
        }
      }
    }
    if (req.method !== 'GET' || body == null) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// --- chromium ---------------------------------------------------------------------------------------

async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (scripts/bootstrap.sh --with-browser installs it)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The page the dry run is timed in: loads the core and the documents as the page does. */
function benchPage() {
  return `<!doctype html><meta charset="utf-8"><title>dry-run bench</title>
<script type="module">
import { loadCore } from '/js/core.js';
import { simulateModification } from '/js/dry-run.js';
const measureSimulation = ${measureSimulation.toString()};
window.runBench = async ({ plan, options, warmup, runs }) => {
  const core = await loadCore('/dist/detour-core.wasm');
  const { handle } = core.compile(await (await fetch('/bench/model.json')).text());
  const state = JSON.parse(await (await fetch('/bench/state.json')).text());
  return measureSimulation({ simulateModification, core, handle, state, plan, options, warmup, runs });
};
window.benchReady = true;
</script>`;
}

/** The variant's figures in a chromium of its own. */
async function chromiumRun(docs, variant) {
  const server = await serve({
    files: {
      '/bench/index.html': { body: Buffer.from(benchPage()), type: TYPES['.html'] },
      '/bench/model.json': { body: Buffer.from(docs.modelText), type: TYPES['.json'] },
      '/bench/state.json': { body: Buffer.from(docs.stateText), type: TYPES['.json'] },
    },
    mounts: { '/js/': join(root, 'js'), '/dist/': join(root, 'dist') },
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/bench/index.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 }).catch(() => {
      throw new Error(`the bench page did not load: ${errors.join('; ') || 'timeout'}`);
    });
    const options = { ...CLOCK, ...variant.options };
    return { version: browser.version(), ...(await page.evaluate((args) => window.runBench(args), { plan: PLAN, options, warmup, runs })) };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The built page's transfer size, or {built: false, note}. */
async function pageTransfer() {
  const index = join(web, 'index.html');
  const app = join(web, 'dist', 'app.js');
  if (existsSync(index) && !existsSync(app) && existsSync(buildWeb)) {
    progress('web/dist/app.js missing: running scripts/build-web.sh');
    try {
      execFileSync('bash', [buildWeb], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      return { built: false, note: `scripts/build-web.sh failed: ${e.message.split('\n')[0]}` };
    }
  }
  if (!existsSync(index) || !existsSync(app)) {
    return { built: false, note: `the page is not built yet (${[index, app].filter((f) => !existsSync(f)).map((f) => f.slice(root.length + 1)).join(', ')} missing)` };
  }
  const server = await serve({ mounts: { '/': web } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const pending = [];
    page.on('response', (response) => {
      pending.push((async () => {
        const url = new URL(response.url());
        if (url.origin !== server.url) return { url: response.url(), status: response.status(), bytes: 0, bodyBytes: 0, gzipBytes: null };
        const sizes = await response.request().sizes();
        const body = response.status() === 200 ? await response.body().catch(() => null) : null;
        return {
          url: url.pathname,
          status: response.status(),
          bytes: sizes.responseHeadersSize + sizes.responseBodySize,
          bodyBytes: sizes.responseBodySize,
          gzipBytes: body ? gzipSync(body, { level: 9 }).length : null,
        };
      })());
    });
    await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
    const files = await Promise.all(pending);
    return {
      built: true,
      files,
      totalBytes: files.reduce((s, f) => s + f.bytes, 0),
      totalBodyBytes: files.reduce((s, f) => s + f.bodyBytes, 0),
      totalGzipBytes: files.reduce((s, f) => s + (f.gzipBytes ?? 0), 0),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

// --- the run ----------------------------------------------------------------------------------------

const wasm = readFileSync(wasmPath);
const wall0 = performance.now();
const docs = documents(await loadCore(wasm));
progress(`model: ${activities} activities (${(docs.modelText.length / 1024).toFixed(0)} KB); state: ${instances} active activity instances (${(docs.stateText.length / 1048576).toFixed(2)} MB)`);

const results = []; // {variant, side, figures | error}
for (const variant of VARIANTS) {
  // Node: a fresh core, the documents as the page has them
  const core = await loadCore(wasm);
  const figures = await measureSimulation({
    simulateModification,
    core,
    handle: core.compile(docs.modelText).handle,
    state: JSON.parse(docs.stateText),
    plan: PLAN,
    options: { ...CLOCK, ...variant.options },
    warmup,
    runs,
  });
  results.push({ variant, side: 'node', figures });
  progress(`node, ${variant.name}: median ${stats(figures.samples).median.toFixed(1)} ms`);
  try {
    const chromium = await chromiumRun(docs, variant);
    results.push({ variant, side: 'chromium', figures: chromium });
    progress(`chromium ${chromium.version}, ${variant.name}: median ${stats(chromium.samples).median.toFixed(1)} ms`);
  } catch (e) {
    results.push({ variant, side: 'chromium', error: e.message });
  }
}
let page;
try {
  page = await pageTransfer();
} catch (e) {
  page = { built: false, note: `not measured: ${e.message.split('\n')[0]}` };
}

// --- checks and output ------------------------------------------------------------------------------

const { checks, check } = checkList();
const expectChanged = JSON.stringify({
  t0: { before: docs.expected.t0, after: 0, delta: -docs.expected.t0 },
  t1: { before: docs.expected.t1, after: docs.expected.t1 + 1, delta: 1 },
});
for (const { variant, side, figures, error } of results) {
  const label = `${side}, ${variant.name}`;
  if (!figures) {
    check(`${label}: the simulation ran`, false, error);
    continue;
  }
  const s = figures.summary;
  check(`${label}: the plan simulates without error`, s.ok === true, s.error ? `${s.error.type}: ${s.error.message}` : 'ok');
  check(`${label}: only t0 (all cancelled) and t1 (+1) change, first run and last`, s.changed === expectChanged && s.coldChanged === expectChanged, s.changed.slice(0, 200));
  check(`${label}: ${instances} instances before, ${instances - docs.expected.t0 + 1} after`, s.beforeTotal === instances && s.afterTotal === instances - docs.expected.t0 + 1, `before ${s.beforeTotal}, after ${s.afterTotal}, tasks after ${s.tasks}`);
  check(`${label}: the resulting state document ${variant.options.withState === false ? 'is left out' : 'is there'}`, s.hasState === (variant.options.withState !== false), `state: ${s.hasState ? 'a document' : 'null'}`);
}
for (const variant of VARIANTS) {
  const [n, c] = ['node', 'chromium'].map((side) => results.find((r) => r.variant === variant && r.side === side)?.figures);
  if (n && c) check(`chromium and node agree, ${variant.name}`, JSON.stringify(c.summary) === JSON.stringify(n.summary), 'changes, totals, task count');
}

const measured = results.filter((r) => r.figures).map((r) => ({ ...r, stats: stats(r.figures.samples) }));
const chromiumRows = measured.filter((r) => r.side === 'chromium');
const wallSeconds = (performance.now() - wall0) / 1000;

if (asJson) {
  console.log(JSON.stringify({
    activities,
    instances,
    stateBytes: Buffer.byteLength(docs.stateText),
    plan: PLAN,
    runs,
    warmup,
    targetMs: TARGET_MS,
    results: results.map((r) => ({
      variant: r.variant.name,
      options: r.variant.options,
      side: r.side,
      ...(r.figures ? { ...stats(r.figures.samples), coldMs: r.figures.coldMs, samples: r.figures.samples, met: r.side === 'chromium' ? stats(r.figures.samples).median < TARGET_MS : undefined } : { error: r.error }),
      ...(r.figures?.version ? { browser: r.figures.version } : {}),
    })),
    page,
    wallSeconds,
    checks,
  }, null, 2));
} else {
  console.log(`\nDry run of a modification (js/dry-run.js simulateModification): ${activities} activities, ${instances} active activity instances, state document ${(docs.stateText.length / 1048576).toFixed(2)} MB`);
  console.log(`plan: cancel every instance of t0 (${docs.expected.t0}), start before t1; first run (cold), ${warmup} warm-up runs, then ${runs} timed runs\n`);
  console.table(measured.map((r) => ({
    where: r.side === 'chromium' ? `chromium ${r.figures.version}` : `node ${process.version}`,
    options: r.variant.name,
    'median ms': +r.stats.median.toFixed(1),
    'p90 ms': +r.stats.p90.toFixed(1),
    'min ms': +r.stats.min.toFixed(1),
    'first run ms': +r.figures.coldMs.toFixed(1),
    [`target < ${TARGET_MS} ms`]: r.side === 'chromium' ? (r.stats.median < TARGET_MS ? 'met' : 'not met') : '',
  })));
  for (const r of results.filter((x) => x.error)) console.log(`${r.side}, ${r.variant.name}: not run (${r.error})`);
  for (const r of chromiumRows) console.log(`chromium median, ${r.variant.name} (${r.variant.what}): ${r.stats.median.toFixed(1)} ms, target < ${TARGET_MS} ms ${r.stats.median < TARGET_MS ? 'met' : 'not met'}`);
  if (page.built) {
    console.log(`\nThe page's transfer size (web/ served as a plain static server does, uncompressed): ${(page.totalBytes / 1024).toFixed(1)} KB in ${page.files.length} responses; gzip -9 of the bodies: ${(page.totalGzipBytes / 1024).toFixed(1)} KB`);
    console.table(page.files.map((f) => ({ file: f.url, status: f.status, 'transferred KB': +(f.bytes / 1024).toFixed(1), 'gzip KB': f.gzipBytes == null ? '-' : +(f.gzipBytes / 1024).toFixed(1) })));
  } else {
    console.log(`\nThe page's transfer size: ${page.note}`);
  }
  console.log(`wall time of this bench: ${wallSeconds.toFixed(1)} s\n`);
  printChecks(checks);
}
if (checks.some((c) => !c.ok)) {
  console.error('dry-run bench: a check failed');
  process.exitCode = 1;
}
