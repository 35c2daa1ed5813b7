// batch/jobs.js — the jobs of a batch (docs/batches.md "Jobs", semantics.md §3.4–3.6): the seed job
// hands out execution jobs (the core's splitBatch), execution jobs run the batch's operation on
// their instances (js/batch/operations.js), the monitor job ends the batch once no execution job
// is left. Also what managementService does to any job — execute it now, set its retries — for a
// batch job.
//
// A batch job's failure is recorded as an instance job's is (retries − 1, the message kept, a
// failedJob incident at 0 retries), in the batch's commit. Every read-modify-write of the batch row
// and its jobs runs under exclusive() (batches.js); the operation on each instance runs in that
// instance's own transaction, recorded done in the same commit (commit({…, batch})).

import { CoreError } from '../core.js';
import { batchSettings, endHistory, exclusive, historicBatchRow, historicIncidentOfJob, MONITOR_JOB_TYPE, newJob, SEED_JOB_TYPE } from './batches.js';
import { OPERATIONS } from './operations.js';

// Batch jobs but the seed never read the ids not handed out yet (megabytes for a large batch); a
// batch row they write back without them keeps the stored list (the store's rule).
const WITHOUT_REMAINING = { remaining: false };

/**
 * Runs batch job `job` (a row from the store) → {outcome: 'executed' | 'failed' | 'conflict' |
 * 'vanished', message}. lockOwner: the job executor's (its lock is released in the job's commit);
 * null for managementService.executeJob (POST /job/{id}/execute), which ignores locks.
 */
export async function executeBatchJob(engine, job, { lockOwner = null } = {}) {
  try {
    return await runBatchJob(engine, job, lockOwner);
  } catch (e) {
    // another process changed the batch since it was read: give the job back untouched
    if (e?.type !== 'OptimisticLockingException' || !lockOwner) throw e;
    await engine.store.unlockJob(job.id, lockOwner);
    return { outcome: 'conflict' };
  }
}

async function runBatchJob(engine, job, lockOwner) {
  const unlock = lockOwner ? [job.id] : [];
  const current = (await engine.store.batchJobs({ id: job.id }))[0];
  const b = current && (await engine.store.getBatch(current.batchId, WITHOUT_REMAINING));
  if (!current || !b) return { outcome: 'vanished' };
  if (current.suspended) {
    if (!lockOwner) throw new CoreError('SuspendedEntityInteractionException', `Job with id '${job.id}' is suspended`);
    await engine.store.unlockJob(job.id, lockOwner); // suspended since it was acquired: leave it
    return { outcome: 'vanished' };
  }
  if (current.jobType !== SEED_JOB_TYPE && current.jobType !== MONITOR_JOB_TYPE) return execute(engine, current, b, unlock, lockOwner);
  try {
    return await (current.jobType === SEED_JOB_TYPE ? seed : monitor)(engine, current, unlock);
  } catch (e) {
    // the engine refused (e.g. the batch's definition is gone): a job failure like any other
    if (typeof e?.type !== 'string' || e.type === 'OptimisticLockingException') throw e;
    return failJob(engine, current, e.message ?? null, unlock);
  }
}

// Records a seed or monitor job's failure (retries − 1, the message, an incident at 0).
async function failJob(engine, job, message, unlock) {
  return exclusive(engine, job.batchId, async () => {
    const [current] = await engine.store.batchJobs({ id: job.id });
    const b = await engine.store.getBatch(job.batchId, WITHOUT_REMAINING);
    if (!current || !b) return { outcome: 'vanished' };
    const { history, job: failedJob } = jobFailure(engine, current, message);
    await engine.store.commitBatch({ batchId: b.id, revision: b.revision ?? 0, putJobs: [failedJob], history, unlockJobIds: unlock });
    engine._jobsCommitted([failedJob]);
    return { outcome: 'failed', message };
  });
}

// --- seed ------------------------------------------------------------------------------------------

async function seed(engine, job, unlock) {
  return exclusive(engine, job.batchId, async () => {
    const b = await engine.store.getBatch(job.batchId);
    if (!b) return { outcome: 'vanished' };
    const handle = await engine._handle(b.configuration.processDefinitionId);
    const split = engine.core.execute(handle, {
      command: 'splitBatch',
      remaining: b.remaining ?? [],
      batchJobsPerSeed: b.batchJobsPerSeed,
      invocationsPerBatchJob: b.invocationsPerBatchJob,
    }).result;
    const jobs = split.jobs.map((ids) => newJob(engine, b, b.type, { processInstanceIds: ids }));
    const next = split.remaining.length ? newJob(engine, b, SEED_JOB_TYPE) : newJob(engine, b, MONITOR_JOB_TYPE);
    const putJobs = [...jobs, next];
    await engine.store.commitBatch({
      batchId: b.id,
      revision: b.revision ?? 0,
      batch: { ...b, remaining: split.remaining, jobsCreated: b.jobsCreated + jobs.length },
      putJobs,
      deleteJobIds: [job.id],
      unlockJobIds: unlock,
    });
    engine._jobsCommitted(putJobs);
    return { outcome: 'executed' };
  });
}

// --- monitor ---------------------------------------------------------------------------------------

async function monitor(engine, job, unlock) {
  return exclusive(engine, job.batchId, async () => {
    const b = await engine.store.getBatch(job.batchId, WITHOUT_REMAINING);
    if (!b) return { outcome: 'vanished' };
    const left = await engine.store.batchJobs({ batchId: b.id, jobType: b.type });
    if (!left.length) {
      // complete: the batch, its jobs and job definitions go; the historic batch ends
      await engine.store.commitBatch({ batchId: b.id, revision: b.revision ?? 0, batch: null, history: await endHistory(engine, b) });
      return { outcome: 'executed' };
    }
    const next = newJob(engine, b, MONITOR_JOB_TYPE, { dueDate: engine.clock() + batchSettings(engine).batchPollTimeMs });
    await engine.store.commitBatch({ batchId: b.id, revision: b.revision ?? 0, putJobs: [next], deleteJobIds: [job.id], unlockJobIds: unlock });
    return { outcome: 'executed' };
  });
}

// --- execution -------------------------------------------------------------------------------------

// `batch` is the row runBatchJob read; the batch row holds every id not handed out yet (megabytes
// for a large batch), so an execution job reads it once and writes it only to start the execution.
async function execute(engine, job, batch, unlock, lockOwner) {
  const b = batch.executionStartTime != null ? batch : await startExecution(engine, job.batchId);
  if (!b) return { outcome: 'vanished' };
  const operation = OPERATIONS[b.type];
  if (!operation) throw new CoreError('ProcessEngineException', `Unsupported batch type '${b.type}'`);
  // only this job's instances: reading the whole batch's rows per job made a batch quadratic
  const mine = job.processInstanceIds ?? [];
  const done = new Set(
    (await engine.store.batchInstances(b.id, { processInstanceId: { in: mine }, state: 'done' })).map((r) => r.processInstanceId),
  );
  const failed = [];
  let conflicts = 0;
  const todo = mine.filter((id) => !done.has(id)); // a re-run after a crash: never twice
  let jobDeleted = false;
  for (const [k, processInstanceId] of todo.entries()) {
    const outcome = { batchId: b.id, instances: [{ processInstanceId, state: 'done', errorMessage: null }] };
    // the job's last instance, all before it done: the job goes in the same commit (one commit fewer)
    const last = k === todo.length - 1 && !failed.length && !conflicts;
    if (last) outcome.deleteJobIds = [job.id];
    try {
      await operation(engine, b, processInstanceId, outcome);
      jobDeleted = last;
    } catch (e) {
      if (typeof e?.type !== 'string') throw e; // not the engine's refusal: a bug or the store
      if (e.type === 'OptimisticLockingException') conflicts++;
      else failed.push({ processInstanceId, state: 'failed', errorMessage: e.message ?? null });
    }
  }
  if (jobDeleted) return { outcome: 'executed' };
  return exclusive(engine, b.id, async () => {
    const [current] = await engine.store.batchJobs({ id: job.id });
    if (!current) return { outcome: 'vanished' }; // deleted meanwhile (with its batch, or by hand)
    if (!failed.length && !conflicts) {
      // the batch row is not written: no revision to check
      await engine.store.commitBatch({ batchId: b.id, deleteJobIds: [job.id] });
      return { outcome: 'executed' };
    }
    const latest = await engine.store.getBatch(b.id, WITHOUT_REMAINING);
    if (!latest) return { outcome: 'vanished' };
    const revision = latest.revision ?? 0;
    if (!failed.length) {
      // only lost races: give the job back untouched, as an instance job's conflict does
      if (!lockOwner) throw new CoreError('OptimisticLockingException', `Batch job ${job.id}: ${conflicts} instance(s) were changed concurrently; run it again`);
      await engine.store.unlockJob(job.id, lockOwner);
      return { outcome: 'conflict' };
    }
    const message = failed[0].errorMessage;
    const { history, job: failedJob } = jobFailure(engine, current, message);
    await engine.store.commitBatch({ batchId: b.id, revision, putJobs: [failedJob], instances: failed, history, unlockJobIds: unlock });
    engine._jobsCommitted([failedJob]);
    return { outcome: 'failed', message };
  });
}

// Sets the batch's executionStartTime (and its historic batch's) on the first execution. → the batch row or null.
async function startExecution(engine, batchId) {
  return exclusive(engine, batchId, async () => {
    const b = await engine.store.getBatch(batchId, WITHOUT_REMAINING);
    if (!b || b.executionStartTime != null) return b;
    const started = { ...b, executionStartTime: engine.clock() };
    const historic = (await engine.store.getHistory('batch', b.id)) ?? historicBatchRow(b);
    await engine.store.commitBatch({ batchId, revision: b.revision ?? 0, batch: started, history: [{ kind: 'batch', row: { ...historic, executionStartTime: started.executionStartTime } }] });
    return started;
  });
}

/** A job's failure: retries − 1, the message kept, an incident (open and historic) at 0 retries. */
function jobFailure(engine, job, message) {
  const { lockOwner, lockExpirationTime, ...row } = job;
  const failedJob = { ...row, retries: Math.max(0, (job.retries ?? 1) - 1), exceptionMessage: message };
  const history = [];
  if (failedJob.retries === 0 && failedJob.incidentId == null) {
    failedJob.incidentId = engine._uuid();
    failedJob.incidentTimestamp = engine.clock();
    history.push({ kind: 'incident', row: historicIncidentOfJob(failedJob) });
  }
  return { job: failedJob, history };
}

// --- managementService on batch jobs ---------------------------------------------------------------

/** The batch job with this id, or null. */
export async function findBatchJob(engine, jobId) {
  return (await engine.store.batchJobs({ id: jobId }))[0] ?? null;
}

/**
 * Sets a batch job's retries (and due date when options has dueDate): 0 → n resolves its
 * incident, n → 0 raises one (SetJobRetriesCmd on a batch job). Checks are the caller's.
 */
export async function setBatchJobRetries(engine, job, retries, options = {}) {
  await exclusive(engine, job.batchId, async () => {
    const current = await findBatchJob(engine, job.id);
    const b = current && (await engine.store.getBatch(current.batchId, WITHOUT_REMAINING));
    if (!current || !b) return;
    const { lockOwner, lockExpirationTime, ...row } = current;
    const next = { ...row, retries };
    if ('dueDate' in options) next.dueDate = options.dueDate ?? null;
    const history = [];
    if (retries > 0 && current.incidentId != null) {
      history.push({ kind: 'incident', row: historicIncidentOfJob(current, { endTime: engine.clock(), resolved: true }) });
      delete next.incidentId;
      delete next.incidentTimestamp;
    } else if (retries === 0 && current.incidentId == null) {
      next.incidentId = engine._uuid();
      next.incidentTimestamp = engine.clock();
      history.push({ kind: 'incident', row: historicIncidentOfJob(next) });
    }
    await engine.store.commitBatch({ batchId: current.batchId, revision: b.revision ?? 0, putJobs: [next], history });
    engine._jobsCommitted([next]);
  });
}
