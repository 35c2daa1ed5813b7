// bench/service.js — the service's figures (`npm run bench` runs it after bench/index.js):
//
//   storage   engine commands/s on SQLite (start and completeTask through Engine + SqliteStore,
//             each one transaction: read the instance, run the core, write the document, index
//             and history rows) against raw SQLite read-modify-write transactions/s on a document
//             of the same size (SELECT, JSON.parse, change, JSON.stringify, UPDATE … WHERE
//             revision = ?), both on a temp file with the store's settings, in this process.
//             Target: ratio ≥ 0.5.
//   REST      POST /process-definition/key/{key}/start and POST /task/{id}/complete over loopback
//             with autocannon (10 connections): requests/s, p50 and p99 latency. Starts run for
//             --seconds; then each started instance's task is completed once (autocannon ends
//             runs on whole seconds, so short runs would misstate the rate).
//
//   node bench/service.js [--cycles N] [--seconds N] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';
import Database from 'better-sqlite3';

import { loadCore } from '../js/core.js';
import { Engine } from '../js/engine.js';
import { startRestServer } from '../js/rest/server.js';
import { openStore } from '../js/store/open.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const xml = readFileSync(join(root, 'tests', 'fixtures', 'bpmn', 'five-activities.bpmn'), 'utf8');
const wasm = readFileSync(join(root, 'dist', 'detour-core.wasm'));
const TARGET_RATIO = 0.5;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const cycles = option('cycles', 3000);
const seconds = option('seconds', 10);

async function newEngine(dir, name) {
  const store = await openStore(`sqlite:${join(dir, name)}`);
  const engine = new Engine({ core: await loadCore(wasm), store });
  const deployment = await engine.deploy(xml);
  const key = Object.values(deployment.deployedProcessDefinitions)[0].key;
  return { store, engine, key };
}

// start → complete cycles through the engine: two commands (two transactions) per cycle.
async function engineCommands(dir) {
  const { store, engine, key } = await newEngine(dir, 'engine.db');
  const cycle = async () => {
    const pi = await engine.startProcessInstanceByKey(key);
    const [task] = await engine.tasks({ processInstanceId: pi.id });
    await engine.completeTask(task.id);
  };
  for (let i = 0; i < Math.min(300, cycles / 10); i++) await cycle();
  // the size of a waiting instance's document, for the raw row below
  const pi = await engine.startProcessInstanceByKey(key);
  const docBytes = Buffer.byteLength(JSON.stringify((await store.getInstance(pi.id)).state));
  const t0 = performance.now();
  for (let i = 0; i < cycles; i++) await cycle();
  const seconds = (performance.now() - t0) / 1000;
  engine.close();
  await store.close();
  return { commandsPerSecond: (2 * cycles) / seconds, docBytes };
}

// The ceiling: the same number of read-modify-write transactions on one row per instance.
function rawReadModifyWrite(dir, docBytes, n) {
  const db = new Database(join(dir, 'raw.db'));
  // the store's settings (js/store/sqlite.js)
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('cache_size = -65536');
  db.exec('CREATE TABLE doc (id TEXT PRIMARY KEY, revision INTEGER NOT NULL, data TEXT NOT NULL)');
  const filler = 'x'.repeat(Math.max(0, docBytes - 60));
  const insert = db.prepare('INSERT INTO doc (id, revision, data) VALUES (?, 1, ?)');
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`pi-${i}`, JSON.stringify({ id: `pi-${i}`, step: 0, filler }));
  })();
  const read = db.prepare('SELECT revision, data FROM doc WHERE id = ?');
  const write = db.prepare('UPDATE doc SET data = ?, revision = revision + 1 WHERE id = ? AND revision = ?');
  const rmw = db.transaction((id) => {
    const row = read.get(id);
    const doc = JSON.parse(row.data);
    doc.step += 1;
    if (write.run(JSON.stringify(doc), id, row.revision).changes !== 1) throw new Error('lost update');
  });
  const t0 = performance.now();
  for (let i = 0; i < 2 * n; i++) rmw(`pi-${i % n}`);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { transactionsPerSecond: (2 * n) / seconds };
}

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 10, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function restRequests(dir) {
  const { store, engine, key } = await newEngine(dir, 'rest.db');
  const rest = await startRestServer({ engine, port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${rest.port}/engine-rest`;
  const json = { 'content-type': 'application/json' };

  const start = await cannon({ url: `${base}/process-definition/key/${key}/start`, method: 'POST', headers: json, body: '{}', duration: seconds });
  const tasks = (await engine.tasks({})).map((t) => t.id);
  let next = 0;
  const complete = await cannon({
    url: base,
    amount: tasks.length,
    requests: [{ method: 'POST', headers: json, body: '{}', setupRequest: (req) => ({ ...req, path: `/engine-rest/task/${tasks[next++]}/complete` }) }],
  });
  await rest.close();
  engine.close();
  await store.close();
  const row = (name, r, okStatus) => ({
    request: name,
    requests: r.requests.total,
    failed: r.non2xx + r.errors,
    perSecond: r.requests.total / (r.duration || 1),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    ok: r.non2xx === 0 && r.errors === 0,
    okStatus,
  });
  return [row('POST /process-definition/key/{key}/start', start, 200), row('POST /task/{id}/complete', complete, 204)];
}

const dir = mkdtempSync(join(tmpdir(), 'detour-bench-'));
try {
  const engineRow = await engineCommands(dir);
  const raw = rawReadModifyWrite(dir, engineRow.docBytes, cycles);
  const ratio = engineRow.commandsPerSecond / raw.transactionsPerSecond;
  const rest = await restRequests(dir);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ engine: engineRow, raw, ratio, rest }, null, 2));
  } else {
    console.log(`\nService on SQLite (WAL, synchronous=NORMAL), ${cycles} start → complete cycles, state document ${engineRow.docBytes} B\n`);
    console.table([
      { row: 'engine commands (Engine + SqliteStore)', perSecond: Math.round(engineRow.commandsPerSecond) },
      { row: 'raw SQLite read-modify-write transactions', perSecond: Math.round(raw.transactionsPerSecond) },
    ]);
    console.log(`ratio engine / raw: ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'})\n`);
    console.log(`REST over loopback, autocannon, 10 connections: starts for ${seconds} s, then one completion per started instance\n`);
    console.table(rest.map((r) => ({ request: r.request, requests: r.requests, failed: r.failed, 'req/s': Math.round(r.perSecond), 'p50 ms': r.p50ms, 'p99 ms': r.p99ms })));
  }
  if (rest.some((r) => !r.ok)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
