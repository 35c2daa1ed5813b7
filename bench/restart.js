// bench/restart.js — a batch restart of many ended historic instances through the job executor on
// SQLite (`npm run bench` runs it after bench/batch.js):
//
//   setup     (not in the figures, its time printed) the two-task process (start → a → b → end)
//             deployed; N instances started one after another, each with a business key and three
//             typed variables (Integer, String, Boolean), and deleted at once
//             (engine.deleteProcessInstance): N ended historic instances, their history written by
//             the engine as any other.
//   batch     one POST /process-definition/{id}/restart-async over all N ids, instructions
//             [startBeforeActivity b], the last variables (the default), run by a JobExecutor with
//             its default options on an Engine with the service's options (as bench/batch.js).
//             Timed: the historic batch's startTime → endTime → instances/s; also to the last
//             execution job done (without the monitor's poll wait).
//   raw       the ceiling: what the storage must at least do per instance, without the core — one
//             transaction that reads the historic process instance row and its variable rows
//             (JSON.parse), builds the new instance's state document from them (the shape and size
//             of a real restarted instance's), inserts it and sets the batch instance row to done —
//             on a raw better-sqlite3 file with the store's pragmas, over copies of the real
//             history rows of N ended instances (new time-ordered uuids as ids, as the engine's). Target:
//             batch / raw ≥ 0.7.
//   memory    process.resourceUsage().maxRSS right after the batch ended (the process's peak so
//             far: the setup and the batch), and heap used then.
//
// Afterwards (not timed) the outcome is checked: the batch's instance rows all done (read when the
// last execution job finished, before the monitor deletes them); N running instances, each only at
// `b` with one task there; each one's historic instance has restartedProcessInstanceId naming a
// distinct one of the N ended instances, and the instance has that one's business key and its three
// variables. A check that fails exits non-zero.
//
//   node bench/restart.js [--instances N] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { INSTANCE_RESTART } from '../js/batch/index.js';
import { loadCore } from '../js/core.js';
import { Engine } from '../js/engine.js';
import { timeOrderedUuid } from '../js/ids.js';
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
  runBatch,
  twoTasksXml,
} from './support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasm = readFileSync(join(root, 'dist', 'detour-core.wasm'));

// start → a → b → end, two user tasks in a row (bench/batch.js's process)
const TWO_TASKS = twoTasksXml('benchRestart');
const RESTART_AT_B = [{ type: 'startBeforeActivity', activityId: 'b' }];

// What instance i is started with, and what its restart must bring back.
const businessKeyOf = (i) => `order-${i}`;
const variablesOf = (i) => ({
  amount: { value: i, type: 'Integer' },
  customer: { value: `customer ${i}`, type: 'String' },
  approved: { value: i % 2 === 0, type: 'Boolean' },
});

// Every kind of history row an ended instance of the process has (js/history-rows.js).
const HISTORY_KINDS = ['processInstance', 'activityInstance', 'variableInstance', 'detail', 'taskInstance', 'incident'];

const instances = option('instances', 100000);
const asJson = process.argv.includes('--json');
const progress = progressTo('restart');

async function restartRun(dir) {
  const store = await openStore(`sqlite:${join(dir, 'engine.db')}`);
  const engine = new Engine({ core: await loadCore(wasm), store, conflictRetries: CONFLICT_RETRIES });
  const deployment = await engine.deploy(TWO_TASKS);
  const definition = Object.values(deployment.deployedProcessDefinitions)[0];

  // the ended instances, one after another (a start and a delete: two synchronous SQLite commits)
  const t0 = performance.now();
  const ids = new Array(instances);
  for (let i = 0; i < instances; i++) {
    const { id } = await engine.startProcessInstanceById(definition.id, { businessKey: businessKeyOf(i), variables: variablesOf(i) });
    await engine.deleteProcessInstance(id, { reason: 'ended for the restart bench' });
    ids[i] = id;
    if ((i + 1) % 20000 === 0) progress(`${i + 1} instances started and ended`);
  }
  const setupSeconds = (performance.now() - t0) / 1000;
  const historicRows = [];
  for (const kind of HISTORY_KINDS) {
    const rows = kind === 'processInstance' ? [await store.getHistory(kind, ids[0])] : await store.history(kind, { processInstanceId: ids[0] });
    for (const row of rows) historicRows.push({ kind, row });
  }

  // the batch, as a client creates it: POST /process-definition/{id}/restart-async with every id
  const body = JSON.stringify({ processInstanceIds: ids, instructions: RESTART_AT_B });
  const { batch, createSeconds, history, lastExecutionDone, instanceStates, executor: status, maxRssKB, heapUsed } = await runBatch({
    engine,
    store,
    jobType: INSTANCE_RESTART,
    path: `/process-definition/${encodeURIComponent(definition.id)}/restart-async`,
    body,
    progress,
  });

  // the checks (not timed)
  const { checks, check } = checkList();
  check('batch instance rows all done (read at the last execution job)', instanceStates?.done === instances && Object.keys(instanceStates).length === 1, JSON.stringify(instanceStates));
  const running = await store.instances({});
  const atBOnly = running.filter((r) => r.activityIds.length === 1 && r.activityIds[0] === 'b').length;
  const tasksAtB = (await store.rows('tasks', { taskDefinitionKey: 'b' })).length;
  check('new running instances, each only at b with its task', running.length === instances && atBOnly === instances && tasksAtB === instances, `running: ${running.length}, at b only: ${atBOnly}, tasks at b: ${tasksAtB}`);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const historic = new Map((await store.history('processInstance', {})).map((h) => [h.id, h]));
  const restartedFrom = new Set();
  let fromOld = 0;
  let keyRestored = 0;
  let variablesRestored = 0;
  for (const r of running) {
    const old = historic.get(r.id)?.restartedProcessInstanceId;
    if (!indexOf.has(old)) continue;
    fromOld++;
    restartedFrom.add(old);
    const i = indexOf.get(old);
    if (r.businessKey === businessKeyOf(i) && r.state.businessKey === businessKeyOf(i)) keyRestored++;
    if (sameVariables(r.state.executions.find((e) => e.parentId == null)?.variables, variablesOf(i))) variablesRestored++;
  }
  check('each restarted from a distinct ended instance (restartedProcessInstanceId)', fromOld === instances && restartedFrom.size === instances, `from an ended one: ${fromOld}, distinct: ${restartedFrom.size}`);
  check('business key and the 3 variables restored', keyRestored === instances && variablesRestored === instances, `business key: ${keyRestored}, variables: ${variablesRestored}`);
  check('job executor: no failed job, no error', status.failed === 0 && status.errors === 0, `executed ${status.executed}, failed ${status.failed}, conflicts ${status.conflicts}, skipped ${status.skipped}, errors ${status.errors}${status.lastError ? ` (${status.lastError})` : ''}`);
  const stateDoc = running[0]?.state;

  engine.close();
  await store.close();
  const batchSeconds = (history.endTime - history.startTime) / 1000;
  const executionSeconds = (lastExecutionDone - history.startTime) / 1000;
  return {
    instances,
    docBytes: Buffer.byteLength(JSON.stringify(stateDoc)),
    stateDoc,
    historicRows,
    definitionId: definition.id,
    setupSeconds,
    setupPerSecond: instances / setupSeconds,
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

// A state document's variable list holds exactly `expected` ({name: {value, type}}).
function sameVariables(list, expected) {
  const names = Object.keys(expected);
  return list?.length === names.length && list.every((v) => expected[v.name]?.value === v.value && expected[v.name]?.type === v.type);
}

/**
 * The ceiling: per instance one transaction that reads what the restart reads (the historic
 * process instance row, its variable rows) and writes what it must at least write (the new
 * instance's document, the batch instance row done). The history table is the store's (its
 * columns and indexes), holding for each of the N ended instances a copy of every history row of
 * the engine's first one; the new documents are built like the engine's first restarted one. Ids
 * are new time-ordered uuids, as the engine's, so rows and documents have the engine's sizes and
 * the index lookups and inserts land where the engine's do.
 */
function rawCeiling(dir, { stateDoc, historicRows, definitionId }, n) {
  const db = openRawDatabase(join(dir, 'raw.db'));
  db.exec(`
    CREATE TABLE history (
      seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, process_instance_id TEXT, data TEXT NOT NULL,
      UNIQUE (kind, id));
    CREATE INDEX history_instance ON history (process_instance_id);
    CREATE TABLE instances (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL, data TEXT NOT NULL);
    ${RAW_BATCH_INSTANCES}`);

  // the history of N ended instances: the first one's rows, each of its own ids (uuids) replaced
  // per instance by a new one, as the engine's are
  const oldId = historicRows.find((h) => h.kind === 'processInstance').row.id;
  const render = idTemplate(historicRows.map(({ row }) => JSON.stringify(row)), definitionId);
  const insertHistory = db.prepare('INSERT INTO history (kind, id, process_instance_id, data) VALUES (?, ?, ?, ?)');
  const insertBatchInstance = db.prepare("INSERT INTO batch_instances (batch_id, process_instance_id, state) VALUES ('batch', ?, 'pending')");
  const historicIds = new Array(n);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const { texts, ids } = render();
      texts.forEach((text, k) => {
        const row = JSON.parse(text);
        insertHistory.run(historicRows[k].kind, row.id, row.processInstanceId ?? null, text);
      });
      historicIds[i] = ids.get(oldId);
      insertBatchInstance.run(historicIds[i]);
    }
  })();

  const readInstance = db.prepare("SELECT data FROM history WHERE kind = 'processInstance' AND id = ?").pluck();
  const readVariables = db.prepare("SELECT data FROM history WHERE kind = 'variableInstance' AND process_instance_id = ? ORDER BY seq").pluck();
  const insertInstance = db.prepare('INSERT INTO instances (id, revision, data) VALUES (?, 1, ?)');
  const done = db.prepare("UPDATE batch_instances SET state = 'done', error_message = NULL WHERE batch_id = 'batch' AND process_instance_id = ?");
  const now = Date.now();
  const newDocument = (h, variables) => {
    const id = uuid();
    const activityInstanceId = `b:${uuid()}`;
    const [execution] = stateDoc.executions;
    const [task] = stateDoc.tasks;
    return {
      ...stateDoc,
      id,
      businessKey: h.businessKey,
      restartedProcessInstanceId: h.id,
      startTime: now,
      executions: [{
        ...execution,
        id,
        scopeInstanceId: id,
        activityInstanceId,
        variables: variables.map((v) => ({ id: uuid(), name: v.name, type: v.type, value: v.value, valueInfo: v.valueInfo })),
      }],
      tasks: [{ ...task, id: uuid(), executionId: id, activityInstanceId, created: now }],
    };
  };
  const perInstance = db.transaction((pid) => {
    const h = JSON.parse(readInstance.get(pid));
    const variables = readVariables.all(pid).map((t) => JSON.parse(t));
    const doc = newDocument(h, variables);
    const text = JSON.stringify(doc);
    insertInstance.run(doc.id, text);
    if (done.run(pid).changes !== 1) throw new Error('no batch instance row');
    return text.length;
  });
  const t0 = performance.now();
  let docBytes = 0; // of the last document (ASCII)
  for (let i = 0; i < n; i++) docBytes = perInstance.immediate(historicIds[i]);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { seconds, transactionsPerSecond: n / seconds, docBytes, historicRowsPerInstance: historicRows.length };
}

// A new id as the engine makes them.
const uuid = () => timeOrderedUuid(Date.now());

// JSON texts whose uuids (but the definition id's) are replaced by new ones, the same uuid by
// the same one in every text: render() → {texts, ids: uuid → its replacement}.
function idTemplate(texts, definitionId) {
  const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;
  const kept = new Set(definitionId.split(':'));
  const split = texts.map((text) => text.split(UUID)); // literal, uuid, literal, …
  const uuids = new Set(split.flatMap((parts) => parts.filter((p, k) => k % 2 === 1 && !kept.has(p))));
  return () => {
    const ids = new Map([...uuids].map((u) => [u, uuid()]));
    return { texts: split.map((parts) => parts.map((p) => ids.get(p) ?? p).join('')), ids };
  };
}

const dir = mkdtempSync(join(tmpdir(), 'detour-bench-restart-'));
try {
  const wall0 = performance.now();
  const run = await restartRun(dir);
  const raw = rawCeiling(dir, run, instances);
  const ratio = run.instancesPerSecond / raw.transactionsPerSecond;
  const ratioToLastJob = run.instancesPerSecondToLastJob / raw.transactionsPerSecond;
  const wallSeconds = (performance.now() - wall0) / 1000;
  const { stateDoc, historicRows, definitionId, ...figures } = run;
  if (asJson) {
    console.log(JSON.stringify({ ...figures, raw, ratio, ratioToLastJob, targetRatio: TARGET_RATIO, wallSeconds }, null, 2));
  } else {
    console.log(`\nBatch restart on SQLite (WAL, synchronous=NORMAL): ${instances} historic instances, ${run.totalJobs} execution jobs, restarted state document ${run.docBytes} B (raw: ${raw.docBytes} B)`);
    console.log(`ended instances made in ${run.setupSeconds.toFixed(1)} s (start with business key and 3 variables, then delete: ${Math.round(run.setupPerSecond)}/s, not in the figures); batch created (POST /process-definition/{id}/restart-async) in ${run.createSeconds.toFixed(2)} s\n`);
    console.table([
      figureRow('batch: creation → historic endTime (job executor)', run.batchSeconds, run.instancesPerSecond, ratio),
      figureRow('batch: creation → last execution job done', run.executionSeconds, run.instancesPerSecondToLastJob, ratioToLastJob),
      figureRow('raw SQLite: historic rows read + document insert + batch row done', raw.seconds, raw.transactionsPerSecond, 1),
    ]);
    console.log(`ratio batch / raw: ${ratioText(ratio)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'})`);
    console.log(`peak RSS after the batch: ${run.maxRssMB.toFixed(0)} MB; heap used: ${run.heapUsedMB.toFixed(0)} MB`);
    const e = run.executor;
    console.log(`job executor: acquired ${e.acquired}, executed ${e.executed}, failed ${e.failed}, conflicts ${e.conflicts}, skipped ${e.skipped}, errors ${e.errors}`);
    console.log(`wall time of this bench: ${wallSeconds.toFixed(1)} s\n`);
    printChecks(run.checks);
  }
  if (run.checks.some((c) => !c.ok)) {
    console.error('restart bench: a check failed');
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
