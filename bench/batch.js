// bench/batch.js — a batch modification of many instances through the job executor on SQLite
// (`npm run bench` runs it after bench/service.js):
//
//   batch     N instances of a two-task process (start → a → b → end) wait at user task `a`; one
//             POST /modification/executeAsync (cancel `a`, start before `b`) over all of them, run
//             by a JobExecutor with its default options on an Engine with the service's options
//             (conflictRetries as js/service.js, default batch settings: 100 jobs per seed, one
//             instance per execution job, monitor polling every 30 s). Timed: the historic
//             batch's startTime → endTime (creation to the monitor ending the batch) → instances/s;
//             also to the last execution job done (without the monitor's poll wait).
//   raw       the ceiling: what the storage must at least do per instance, without the core — one
//             transaction that reads the instance's document row, JSON.parse, changes it,
//             JSON.stringify, writes it back with the revision check and sets its batch instance
//             row to done — on a raw better-sqlite3 file with the store's pragmas, over N rows of
//             an instance's real state document. Target: batch / raw ≥ 0.7.
//   memory    process.resourceUsage().maxRSS right after the batch ended (the process's peak so
//             far: the starts and the batch), and heap used then.
//
// Afterwards (not timed) every instance is checked: the batch's instance rows all done (read when
// the last execution job finished, before the monitor deletes them), no task left at `a`, one at
// `b` per instance, every running instance at `b`. A check that fails exits non-zero.
//
//   node bench/batch.js [--instances N] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadCore } from '../js/core.js';
import { Engine } from '../js/engine.js';
import { CONFLICT_RETRIES } from '../js/service.js';
import { openStore } from '../js/store/open.js';
import {
  RAW_BATCH_INSTANCES,
  TARGET_RATIO,
  checkList,
  figureRow,
  mb,
  openRawDatabase,
  option,
  printChecks,
  progressTo,
  ratioText,
  rawId,
  runBatch,
  twoTasksXml,
} from './support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasm = readFileSync(join(root, 'dist', 'detour-core.wasm'));

// start → a → b → end, two user tasks in a row (tests/js/rest/batch.test.js)
const TWO_TASKS = twoTasksXml('benchBatch');
const MOVE_A_TO_B = [
  { type: 'cancel', activityId: 'a' },
  { type: 'startBeforeActivity', activityId: 'b' },
];

const instances = option('instances', 100000);
const asJson = process.argv.includes('--json');
const progress = progressTo('batch');

async function batchRun(dir) {
  const store = await openStore(`sqlite:${join(dir, 'engine.db')}`);
  const engine = new Engine({ core: await loadCore(wasm), store, conflictRetries: CONFLICT_RETRIES });
  const deployment = await engine.deploy(TWO_TASKS);
  const definition = Object.values(deployment.deployedProcessDefinitions)[0];

  // the instances, one after another (each start is one synchronous SQLite commit)
  const t0 = performance.now();
  const ids = new Array(instances);
  for (let i = 0; i < instances; i++) {
    ids[i] = (await engine.startProcessInstanceById(definition.id)).id;
    if ((i + 1) % 20000 === 0) progress(`${i + 1} instances started`);
  }
  const startSeconds = (performance.now() - t0) / 1000;
  const stateDoc = (await store.getInstance(ids[0])).state;
  const docBytes = Buffer.byteLength(JSON.stringify(stateDoc));

  // the batch, as a client creates it: POST /modification/executeAsync with every id
  const body = JSON.stringify({ processDefinitionId: definition.id, instructions: MOVE_A_TO_B, processInstanceIds: ids });
  const { batch, createSeconds, history, lastExecutionDone, instanceStates, executor: status, maxRssKB, heapUsed } = await runBatch({
    engine,
    store,
    jobType: 'instance-modification',
    path: '/modification/executeAsync',
    body,
    progress,
  });

  // the checks (not timed)
  const { checks, check } = checkList();
  check('batch instance rows all done (read at the last execution job)', instanceStates?.done === instances && Object.keys(instanceStates).length === 1, JSON.stringify(instanceStates));
  const tasksAt = async (key) => (await store.rows('tasks', { taskDefinitionKey: key })).length;
  const [atA, atB] = [await tasksAt('a'), await tasksAt('b')];
  check('user tasks: none at a, one per instance at b', atA === 0 && atB === instances, `a: ${atA}, b: ${atB}`);
  const running = await store.instances({});
  const atBOnly = running.filter((r) => r.activityIds.length === 1 && r.activityIds[0] === 'b').length;
  check('running instances, each only at b', running.length === instances && atBOnly === instances, `running: ${running.length}, at b only: ${atBOnly}`);
  check('job executor: no failed job, no error', status.failed === 0 && status.errors === 0, `executed ${status.executed}, failed ${status.failed}, conflicts ${status.conflicts}, skipped ${status.skipped}, errors ${status.errors}${status.lastError ? ` (${status.lastError})` : ''}`);

  engine.close();
  await store.close();
  const batchSeconds = (history.endTime - history.startTime) / 1000;
  const executionSeconds = (lastExecutionDone - history.startTime) / 1000;
  return {
    instances,
    docBytes,
    stateDoc,
    startSeconds,
    startsPerSecond: instances / startSeconds,
    createSeconds,
    totalJobs: batch.totalJobs,
    batchSeconds,
    instancesPerSecond: instances / batchSeconds,
    executionSeconds,
    instancesPerSecondToLastJob: instances / executionSeconds,
    maxRssMB: maxRssKB / 1024,
    heapUsedMB: mb(heapUsed),
    executor: status,
    checks,
  };
}

// The ceiling: per instance one transaction on its document row and its batch instance row.
function rawCeiling(dir, stateDoc, n) {
  const db = openRawDatabase(join(dir, 'raw.db'));
  db.exec(`CREATE TABLE doc (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL, data TEXT NOT NULL);${RAW_BATCH_INSTANCES}`);
  const template = JSON.stringify(stateDoc);
  const insertDoc = db.prepare('INSERT INTO doc (id, revision, data) VALUES (?, 1, ?)');
  const insertBatchInstance = db.prepare("INSERT INTO batch_instances (batch_id, process_instance_id, state) VALUES ('batch', ?, 'pending')");
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      insertDoc.run(rawId(i), template.replaceAll(stateDoc.id, rawId(i)));
      insertBatchInstance.run(rawId(i));
    }
  })();
  const read = db.prepare('SELECT revision, data FROM doc WHERE id = ?');
  const write = db.prepare('UPDATE doc SET data = ?, revision = revision + 1 WHERE id = ? AND revision = ?');
  const done = db.prepare("UPDATE batch_instances SET state = 'done', error_message = NULL WHERE batch_id = 'batch' AND process_instance_id = ?");
  const perInstance = db.transaction((pid) => {
    const row = read.get(pid);
    const doc = JSON.parse(row.data);
    doc.step = (doc.step ?? 0) + 1;
    if (write.run(JSON.stringify(doc), pid, row.revision).changes !== 1) throw new Error('lost update');
    if (done.run(pid).changes !== 1) throw new Error('no batch instance row');
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) perInstance.immediate(rawId(i));
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { seconds, transactionsPerSecond: n / seconds };
}

const dir = mkdtempSync(join(tmpdir(), 'detour-bench-batch-'));
try {
  const wall0 = performance.now();
  const run = await batchRun(dir);
  const raw = rawCeiling(dir, run.stateDoc, instances);
  const ratio = run.instancesPerSecond / raw.transactionsPerSecond;
  const ratioToLastJob = run.instancesPerSecondToLastJob / raw.transactionsPerSecond;
  const wallSeconds = (performance.now() - wall0) / 1000;
  const { stateDoc, ...figures } = run;
  if (asJson) {
    console.log(JSON.stringify({ ...figures, raw, ratio, ratioToLastJob, targetRatio: TARGET_RATIO, wallSeconds }, null, 2));
  } else {
    console.log(`\nBatch modification on SQLite (WAL, synchronous=NORMAL): ${instances} instances, ${run.totalJobs} execution jobs, state document ${run.docBytes} B`);
    console.log(`instances started in ${run.startSeconds.toFixed(1)} s (${Math.round(run.startsPerSecond)}/s, not in the figures); batch created (POST /modification/executeAsync) in ${run.createSeconds.toFixed(2)} s\n`);
    console.table([
      figureRow('batch: creation → historic endTime (job executor)', run.batchSeconds, run.instancesPerSecond, ratio),
      figureRow('batch: creation → last execution job done', run.executionSeconds, run.instancesPerSecondToLastJob, ratioToLastJob),
      figureRow('raw SQLite: document read-modify-write + batch row done', raw.seconds, raw.transactionsPerSecond, 1),
    ]);
    console.log(`ratio batch / raw: ${ratioText(ratio)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'})`);
    console.log(`peak RSS after the batch: ${run.maxRssMB.toFixed(0)} MB; heap used: ${run.heapUsedMB.toFixed(0)} MB`);
    const e = run.executor;
    console.log(`job executor: acquired ${e.acquired}, executed ${e.executed}, failed ${e.failed}, conflicts ${e.conflicts}, skipped ${e.skipped}, errors ${e.errors}`);
    console.log(`wall time of this bench: ${wallSeconds.toFixed(1)} s\n`);
    printChecks(run.checks);
  }
  if (run.checks.some((c) => !c.ok)) {
    console.error('batch bench: a check failed');
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
