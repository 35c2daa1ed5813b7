// jobs.js — jobs (async continuations, timers) through Camunda's managementService: the job
// query, running one job now, running every due job (a job executor in one call, for tests and
// embedding), setting retries, and the entry of the service's job executor (js/job-executor.js)
// for a job it acquired. A batch's jobs (batchId set, no instance) are listed, run and given
// retries here too; what they do is js/batch/jobs.js's.

import { executeBatchJob, findBatchJob, setBatchJobRetries } from '../batch/index.js';
import { CoreError } from '../core.js';
import { jobDto } from '../dto.js';

/** Jobs (JobDto-like), batch jobs after instance jobs; the query holds index fields: jobId, processInstanceId, activityId, ... */
export async function jobs(engine, query = {}) {
  const { jobId, ...rest } = query;
  const filter = { ...rest, id: jobId };
  return [...(await engine.store.rows('jobs', filter)), ...(await engine.store.batchJobs(filter))].map(jobDto);
}

/**
 * Runs one job now, whatever its due date. As Camunda's managementService.executeJob, a job
 * that fails is recorded (retries − 1, exception message, an incident at 0 retries) and the
 * failure is then thrown as a CoreError.
 */
export async function executeJob(engine, jobId) {
  const result = await runJob(engine, jobId);
  if (result?.failed) throw new CoreError('ProcessEngineException', result.message ?? `Job ${jobId} failed`);
}

// Runs one job and hands back the core's result: a failure is recorded and reported, not thrown.
async function runJob(engine, jobId) {
  const batchJob = await findBatchJob(engine, jobId);
  if (batchJob) {
    const { outcome, message } = await executeBatchJob(engine, batchJob); // js/batch/jobs.js
    return outcome === 'failed' ? { failed: true, message } : {};
  }
  const job = await engine._indexRow('jobs', jobId, `No job found with id '${jobId}'`);
  return (await engine._run(await engine._instance(job.processInstanceId), { command: 'executeJob', jobId })).result;
}

/**
 * Executes due jobs (due date ≤ clock, retries left, not suspended) until none is due, as a job
 * executor would. Failures are recorded and do not stop the run. → {executed, failed}.
 */
export async function runDueJobs(engine, { maxRounds = 1000 } = {}) {
  let executed = 0;
  let failed = 0;
  const broken = new Set(); // jobs the core refused outright: retrying them would loop
  for (let round = 0; ; round++) {
    const now = engine.clock();
    const candidates = [...(await engine.store.rows('jobs', { suspended: false })), ...(await engine.store.batchJobs({ suspended: false }))];
    const due = candidates.filter(
      (j) => j.retries > 0 && (j.dueDate == null || j.dueDate <= now) && !broken.has(j.id),
    );
    if (!due.length) return { executed, failed };
    if (round >= maxRounds) throw new Error(`runDueJobs: jobs are still due after ${maxRounds} rounds`);
    for (const job of due) {
      try {
        const result = await runJob(engine, job.id);
        if (result?.failed) failed++;
        else executed++;
      } catch (e) {
        if (!(e instanceof CoreError)) throw e;
        if (e.type !== 'OptimisticLockingException' && e.type !== 'NotFoundException') broken.add(job.id);
      }
    }
  }
}

/**
 * Sets a job's retries, and its due date when {dueDate} is given (epoch ms, a Date, or null: due
 * now). Retries 0 → n resolve the job's failedJob incident, n → 0 raise one. Messages are those
 * of Camunda's SetJobRetriesBuilder / SetJobRetriesCmd, checked in the same order.
 */
export async function setJobRetries(engine, jobId, retries, options = {}) {
  if (typeof retries === 'number' && retries < 0) {
    throw new CoreError(
      'ProcessEngineException',
      `ENGINE-13054 The number of job retries must be a non-negative Integer, but '${retries}' has been provided.`,
    );
  }
  if (!jobId) {
    throw new CoreError(
      'ProcessEngineException',
      'ENGINE-13052 You must specify exactly one of jobId, jobIds or jobDefinitionId as parameter. The parameter can not be null.',
    );
  }
  const [job] = await engine.store.rows('jobs', { id: jobId });
  if (!job) {
    const batchJob = await findBatchJob(engine, jobId);
    if (batchJob) {
      const due = options.dueDate;
      const dueOption = 'dueDate' in options ? { dueDate: due instanceof Date ? due.getTime() : (due ?? null) } : {};
      return setBatchJobRetries(engine, batchJob, retries, dueOption); // js/batch/jobs.js
    }
    throw new CoreError('ProcessEngineException', `ENGINE-13053 No job found with id '${jobId}'.'`);
  }
  const command = { command: 'setJobRetries', jobId, retries };
  if ('dueDate' in options) {
    const due = options.dueDate;
    command.dueDate = due instanceof Date ? due.getTime() : (due ?? null);
  }
  await engine._run(await engine._instance(job.processInstanceId), command);
}

/**
 * Runs a job the job executor acquired (the store holds its lock for `lockOwner`) and releases
 * the lock in the same commit. → {outcome: 'executed' | 'failed' | 'conflict' | 'vanished',
 * message}. A failure is the core's to record (retries − 1, an incident at 0); a conflict left
 * after the retries releases the lock without touching retries, so the job runs again; a job
 * whose instance or row is gone (the instance moved on, ended or was deleted) is skipped.
 */
export async function executeAcquiredJob(engine, job, { lockOwner }) {
  if (job.batchId != null && job.processInstanceId == null) return executeBatchJob(engine, job, { lockOwner }); // js/batch/jobs.js
  const row = await engine.store.getInstance(job.processInstanceId);
  if (!row) return { outcome: 'vanished' };
  let out;
  try {
    out = await engine._run(row, { command: 'executeJob', jobId: job.id }, { unlockJobIds: [job.id] });
  } catch (e) {
    if (e?.type === 'NotFoundException') return { outcome: 'vanished' };
    if (e?.type !== 'OptimisticLockingException') throw e;
    await engine.store.unlockJob(job.id, lockOwner);
    return { outcome: 'conflict' };
  }
  return out.result?.failed ? { outcome: 'failed', message: out.result.message ?? null } : { outcome: 'executed' };
}
