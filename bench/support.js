// bench/support.js — what the SQLite batch benchmarks share (bench/batch.js: a batch modification,
// bench/restart.js: a batch restart): their command line, a batch run through the REST server and
// a JobExecutor up to the historic batch's end, the raw better-sqlite3 file their ceiling runs on,
// and the rows of their tables.
//
// A batch run is timed on the engine's clock, from the historic batch's startTime (set when the
// POST creates the batch) to its endTime (set by the monitor job that ends it), and to the last
// execution job done; the batch's instance rows are read at that last job, since the monitor
// deletes them with the batch.

import { readFileSync } from 'node:fs';

import Database from 'better-sqlite3';

import { JobExecutor } from '../js/job-executor.js';
import { startRestServer } from '../js/rest/server.js';

export const TARGET_RATIO = 0.7;

/** The number after `--name` on the command line, or `fallback`. */
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const mb = (bytes) => bytes / (1024 * 1024);
export const ratioText = (r) => (r < 0.1 ? r.toPrecision(2) : r.toFixed(2));

/** A line on stderr prefixed with the bench's name (stdout is the tables, or the JSON). */
export const progressTo = (name) => (line) => process.stderr.write(`${name} bench: ${line}\n`);

/** An id of a uuid's length for row `i` of a raw table (`prefix`: a few letters keeping sets apart). */
export const rawId = (i, prefix = 'pi-') => `${prefix}${String(i).padStart(36 - prefix.length, '0')}`;

/**
 * Creates the batch with one POST of `body` to `path` (under /engine-rest) and runs it with a
 * JobExecutor with its default options until the monitor ends it. The executor starts once the
 * response is in: while jobs are due it runs them back to back without yielding to I/O (the
 * SQLite store is synchronous), so the response would wait. jobType: the batch's execution jobs
 * (its type). → {batch (the BatchDto), createSeconds, history (the historic batch, ended),
 * lastExecutionDone (epoch ms on the engine's clock), instanceStates ({done: n, …} or a note),
 * executor (its status()), maxRssKB, heapUsed (bytes, right after the batch)}.
 */
export async function runBatch({ engine, store, jobType, path, body, progress }) {
  const watch = watchExecutionJobs(engine, store, jobType, progress);
  const executor = new JobExecutor({ engine, store, log: (line) => progress(line) });
  const rest = await startRestServer({ engine, port: 0, host: '127.0.0.1', log: (line) => progress(line) });
  let batch;
  let createSeconds;
  let history;
  try {
    const c0 = performance.now();
    const response = await fetch(`http://127.0.0.1:${rest.port}/engine-rest${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    batch = await response.json();
    createSeconds = (performance.now() - c0) / 1000;
    if (response.status !== 200) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(batch)}`);
    progress(`batch ${batch.id} created in ${createSeconds.toFixed(2)} s: ${batch.totalJobs} execution jobs, ${body.length} B request`);
    watch.batchStart = Date.parse(batch.startTime.replace('+0000', 'Z'));
    executor.start();

    // until the monitor ends the batch (its historic batch gets endTime)
    for (;;) {
      history = await store.getHistory('batch', batch.id);
      if (history?.endTime != null) break;
      await sleep(50);
    }
  } finally {
    await rest.close();
    await executor.stop();
  }
  return {
    batch,
    createSeconds,
    history,
    lastExecutionDone: watch.lastExecutionDone,
    instanceStates: watch.instanceStates,
    executor: executor.status(),
    maxRssKB: process.resourceUsage().maxRSS,
    heapUsed: process.memoryUsage().heapUsed,
  };
}

// Wraps engine.executeAcquiredJob to count the execution jobs of type `jobType` as the executor
// finishes them (a progress line every 30 s at most); at the last one it notes the time and reads
// the batch's instance rows. → the watch {batchStart (set by the caller), lastExecutionDone, instanceStates}.
function watchExecutionJobs(engine, store, jobType, progress) {
  const watch = { batchStart: null, lastExecutionDone: null, instanceStates: null };
  let totalJobs = null;
  let executionJobsDone = 0;
  let lastReport = performance.now();
  const executeAcquiredJob = engine.executeAcquiredJob.bind(engine);
  engine.executeAcquiredJob = async (job, options) => {
    if (job.jobType === jobType && totalJobs == null) totalJobs = (await store.getBatch(job.batchId)).totalJobs;
    const result = await executeAcquiredJob(job, options);
    if (job.jobType !== jobType || result.outcome !== 'executed') return result;
    if (++executionJobsDone % 1000 === 0 && performance.now() - lastReport > 30000) {
      lastReport = performance.now();
      progress(`${executionJobsDone}/${totalJobs} execution jobs done after ${((engine.clock() - watch.batchStart) / 1000).toFixed(0)} s, rss ${mb(process.memoryUsage.rss()).toFixed(0)} MB`);
    }
    if (executionJobsDone === totalJobs) {
      watch.lastExecutionDone = engine.clock();
      try {
        const states = {};
        for (const r of await store.batchInstances(job.batchId)) states[r.state] = (states[r.state] ?? 0) + 1;
        watch.instanceStates = states;
      } catch (e) {
        watch.instanceStates = { unread: e.message };
      }
    }
    return result;
  };
  return watch;
}

/**
 * A raw better-sqlite3 file at `path` with the store's settings (js/store/sqlite.js), for a
 * ceiling: what the storage must at least do, without the core. The caller closes it.
 */
export function openRawDatabase(path) {
  const db = new Database(path);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('cache_size = -65536');
  return db;
}

/** The batch instance rows of a raw ceiling file (the store's table). */
export const RAW_BATCH_INSTANCES = `
  CREATE TABLE batch_instances (
    seq INTEGER PRIMARY KEY, batch_id TEXT NOT NULL, process_instance_id TEXT NOT NULL, state TEXT NOT NULL, error_message TEXT,
    UNIQUE (batch_id, process_instance_id));`;

/** A row of a bench's table: seconds, instances/s, the ratio to the raw row. */
export function figureRow(row, seconds, perSecond, ratio) {
  return { row, seconds: +seconds.toFixed(1), instancesPerSecond: Math.round(perSecond), ratioToRaw: Number(ratioText(ratio)) };
}

/** The checks' list and the function that adds one: check(what, ok, detail). */
export function checkList() {
  const checks = [];
  return { checks, check: (what, ok, detail) => checks.push({ check: what, ok, detail }) };
}

export function printChecks(checks) {
  console.table(checks.map((c) => ({ check: c.check, ok: c.ok, detail: c.detail })));
}

/** tests/fixtures/bpmn/two-tasks.bpmn (start → user task `a` → user task `b` → end) as process `key`. */
export function twoTasksXml(key) {
  return readFileSync(new URL('../tests/fixtures/bpmn/two-tasks.bpmn', import.meta.url), 'utf8').replace('id="twoTasks"', `id="${key}"`).replace('id="Definitions_twoTasks"', `id="Definitions_${key}"`);
}
