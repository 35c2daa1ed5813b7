// job-executor.js — runs due jobs (async continuations, timers) in the background, as Camunda's
// job executor does: it acquires due jobs through the store under a lock owner and a lock expiry,
// executes each in its own transaction (Engine.executeAcquiredJob), and backs off while nothing
// is due.
//
// Several processes may each run one over one database: acquisition is atomic in the store (one
// write transaction on SQLite, FOR UPDATE SKIP LOCKED on PostgreSQL), so a job has one owner at a
// time; a crashed owner's locks expire after lockDurationMs and its jobs are taken over. Failure
// semantics are the core's: a failing job loses a retry (3 by default) and raises an incident with
// the error message at 0. Nothing is logged per job; the counters (status()) tell an operator
// what happened.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const DEFAULT_LOCK_DURATION_MS = 300000; // Camunda's 5 minutes

/** hostname:pid:random — unique per executor, readable in the jobs table. */
export function defaultLockOwner() {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export class JobExecutor {
  /**
   * @param {object} options
   *   engine                 the Engine jobs run through (required)
   *   store                  where jobs are acquired (default engine.store)
   *   lockOwner              default hostname:pid:random
   *   lockDurationMs         how long an acquired job stays locked (default 5 minutes)
   *   maxJobsPerAcquisition  jobs claimed at once (default 10)
   *   concurrency            jobs of different instances executed at once (default 4); jobs of one
   *                          instance run one after another, they would only conflict
   *   minIdleMs, maxIdleMs   the wait after an empty acquisition: doubles from min to max
   *   log                    line → void, for acquisition failures (not per job)
   */
  constructor({
    engine,
    store = engine?.store,
    lockOwner = defaultLockOwner(),
    lockDurationMs = DEFAULT_LOCK_DURATION_MS,
    maxJobsPerAcquisition = 10,
    concurrency = 4,
    minIdleMs = 50,
    maxIdleMs = 1000,
    log = () => {},
  } = {}) {
    if (!engine) throw new TypeError('JobExecutor: an engine is required');
    Object.assign(this, { engine, store, lockOwner, lockDurationMs, maxJobsPerAcquisition, concurrency, minIdleMs, maxIdleMs, log });
    this.running = false;
    this.acquired = 0; // jobs claimed
    this.executed = 0; // jobs that ran and committed
    this.failed = 0; // jobs that ran and failed (a retry spent)
    this.conflicts = 0; // jobs given back after an optimistic locking conflict
    this.skipped = 0; // jobs gone before they ran, or whose lock expired first
    this.errors = 0; // acquisitions or executions that threw (store down, a bug)
    this.lastError = null;
    this.locked = 0; // jobs held right now: acquired, not finished
    this._loop = null;
    this._stopping = false; // stop() called: start no more jobs
    this._wake = null; // resolves the current idle wait
    this._woken = false; // a wake while not waiting: skip the next wait
  }

  /** Starts the acquisition loop (again after stop()). */
  start() {
    if (this.running) return;
    this.running = true;
    this._unsubscribe = this.engine.onJobsCommitted?.((jobs) => this._jobsCommitted(jobs));
    this._loop = this._run();
  }

  /** Finishes the jobs in flight, starts no more, then releases every lock this owner holds. */
  async stop() {
    if (!this.running) return;
    this.running = false;
    this._stopping = true;
    this._unsubscribe?.();
    this.wake();
    try {
      await this._loop;
      await this.store.unlockAll(this.lockOwner);
    } finally {
      this._stopping = false;
      this._loop = null;
    }
  }

  /** Ends the idle wait now (new due jobs). */
  wake() {
    this._woken = true;
    this._wake?.();
  }

  /** What an operator sees (GET /detour/job-executor). */
  status() {
    const fields = ['lockOwner', 'running', 'lockDurationMs', 'maxJobsPerAcquisition', 'locked', 'acquired', 'executed', 'failed', 'conflicts', 'skipped', 'errors', 'lastError'];
    return Object.fromEntries(fields.map((name) => [name, this[name]]));
  }

  /**
   * One acquisition and the execution of what it got. → the number of jobs acquired. start()'s
   * loop calls it; tests call it directly to run due jobs step by step.
   */
  async acquireAndExecute() {
    const now = this.engine.clock();
    let jobs;
    try {
      jobs = await this.store.acquireJobs({ lockOwner: this.lockOwner, now, lockDuration: this.lockDurationMs, maxJobs: this.maxJobsPerAcquisition });
    } catch (e) {
      this._error(e, 'job acquisition failed');
      return 0;
    }
    this.acquired += jobs.length;
    this.locked += jobs.length;
    await this._executeAll(jobs, now + this.lockDurationMs);
    return jobs.length;
  }

  // The loop: acquire while there is work, else wait (doubling up to maxIdleMs) or until woken.
  async _run() {
    let idle = this.minIdleMs;
    while (this.running) {
      const count = await this.acquireAndExecute();
      if (!this.running) break;
      if (count > 0) {
        idle = this.minIdleMs;
        continue;
      }
      const woken = await this._idle(idle);
      idle = woken ? this.minIdleMs : Math.min(idle * 2, this.maxIdleMs);
    }
  }

  // Waits `ms` or until wake(); → whether it was woken.
  _idle(ms) {
    if (this._woken) {
      this._woken = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), ms);
      const finish = (woken) => {
        clearTimeout(timer);
        this._wake = null;
        this._woken = false;
        resolve(woken);
      };
      this._wake = () => finish(true);
    });
  }

  // A commit in this process left jobs behind: wake if one of them is due now.
  _jobsCommitted(jobs) {
    const now = this.engine.clock();
    if (jobs.some((j) => j.retries > 0 && !j.suspended && (j.dueDate == null || j.dueDate <= now))) this.wake();
  }

  // Jobs of one instance in order, instances `concurrency` at a time.
  async _executeAll(jobs, lockExpiry) {
    const byInstance = new Map();
    for (const job of jobs) {
      if (!byInstance.has(job.processInstanceId)) byInstance.set(job.processInstanceId, []);
      byInstance.get(job.processInstanceId).push(job);
    }
    const queue = [...byInstance.values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const job of group) {
          await this._execute(job, lockExpiry);
          // A synchronous store (SQLite) never yields on its own: let requests and timers in
          // between jobs, or a long batch would hold the REST API until it ends.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
  }

  async _execute(job, lockExpiry) {
    try {
      if (this._stopping) return; // stop() releases the lock
      // Past its expiry another owner may hold the job: leave it to whoever acquires it next.
      if (this.engine.clock() >= lockExpiry) {
        this.skipped++;
        return;
      }
      const { outcome } = await this.engine.executeAcquiredJob(job, { lockOwner: this.lockOwner });
      if (outcome === 'executed') this.executed++;
      else if (outcome === 'failed') this.failed++;
      else if (outcome === 'conflict') this.conflicts++;
      else this.skipped++;
    } catch (e) {
      // Not the job's own failure (the core records that) but the store or a bug: the job keeps
      // its lock until it expires, so it is retried then rather than in a tight loop.
      this._error(e);
    } finally {
      this.locked--;
    }
  }

  _error(e, logAs) {
    this.errors++;
    const message = e?.message ?? String(e);
    if (logAs && message !== this.lastError) this.log(`detour: ${logAs}: ${message}`);
    this.lastError = message;
  }
}
