// service.js — the Detour service in one call: the core (dist/detour-core.wasm), a store from a URL,
// an Engine over them, the Camunda 7 REST API on HTTP and the job executor. js/main.js runs it
// from the environment (`npm start`); tests start it in-process.
//
// Shutdown order matters: the server stops accepting and lets requests in flight finish while
// the executor finishes its jobs in flight and releases its locks; only then does the store close.

import { readFile } from 'node:fs/promises';

import { loadCore } from './core.js';
import { Engine } from './engine.js';
import { CORE_PATH } from './index.js';
import { DEFAULT_LOCK_DURATION_MS, JobExecutor } from './job-executor.js';
import { DEFAULT_BODY_LIMIT, startRestServer } from './rest/server.js';
import { openStore } from './store/open.js';

export const DEFAULT_DB = 'sqlite:data/detour.db';

// Re-runs of a command that lost an optimistic lock to another process (see Engine._run): their
// backoff adds up to about half a second, enough to outlast another node's burst on one instance.
export const CONFLICT_RETRIES = 10;

/**
 * Starts the service → {url, port, store, engine, executor, close()}. Options:
 *   db              store URL (sqlite:path, sqlite::memory:, postgres://…, memory:)
 *   port, host      where HTTP listens (port 0: any free port; host default: every interface)
 *   jobExecutor     run the job executor (default true); off, jobs run through POST /job/{id}/execute
 *   lockDurationMs  lock duration of acquired jobs
 *   bodyLimit       request body limit in bytes
 *   log             line → void, for failures (default stderr)
 *   executor        further JobExecutor options (maxJobsPerAcquisition, concurrency, ...)
 *   batch           batch settings {batchJobsPerSeed, invocationsPerBatchJob, batchPollTimeMs} (Engine)
 * Fails with a one-line message when the store cannot be opened or the port is taken.
 */
export async function startService({
  db = DEFAULT_DB,
  port = 8080,
  host,
  jobExecutor = true,
  lockDurationMs = DEFAULT_LOCK_DURATION_MS,
  bodyLimit = DEFAULT_BODY_LIMIT,
  log = (line) => console.error(line),
  executor: executorOptions = {},
  batch = {},
} = {}) {
  const core = await loadCore(await readFile(CORE_PATH));
  let store;
  try {
    store = await openStore(db);
  } catch (e) {
    throw new Error(`cannot open the store ${redact(db)}: ${e?.message ?? e}`);
  }
  const engine = new Engine({ core, store, conflictRetries: CONFLICT_RETRIES, batch });
  const executor = new JobExecutor({ engine, store, lockDurationMs, log, ...executorOptions });
  let rest;
  try {
    rest = await startRestServer({ engine, services: { jobExecutor: executor }, port, host, bodyLimit, log });
  } catch (e) {
    engine.close();
    await store.close();
    throw e?.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use`) : e;
  }
  if (jobExecutor) executor.start();

  let closing;
  return {
    url: `http://${displayHost(host)}:${rest.port}/engine-rest`,
    port: rest.port,
    store,
    engine,
    executor,
    /** Stops accepting, finishes requests and jobs in flight, releases job locks, closes the store. */
    close() {
      closing ??= (async () => {
        await Promise.all([rest.close(), executor.stop()]);
        engine.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** The store URL without its password, for log lines. */
export function redact(db) {
  try {
    const url = new URL(db);
    if (!url.password) return db;
    url.password = '***';
    return url.href;
  } catch {
    return db;
  }
}

function displayHost(host) {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
