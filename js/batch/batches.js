// batch/batches.js — batches (semantics.md §3, docs/batches.md): creation, suspension, deletion,
// the runtime and historic queries, statistics, and what a batch shows elsewhere — its three job
// definitions (GET /job-definition) and the failedJob incidents of its jobs (GET /incident).
//
// A batch is rows of its own (store.getBatch, batchJobs, batchInstances, history kind `batch`),
// written by store.commitBatch in one transaction each. Its job definitions are not stored: they
// are the batch's three ids, so they come and go with the batch row. Read-modify-write of one
// batch row runs one at a time in this process (engine._exclusive on `batch:<id>`), and every
// commit after such a read passes the revision read (another process's change in between is an
// OptimisticLockingException, as for instances).

import { CoreError } from '../core.js';
import { matches } from '../store/memory.js';

export const SEED_JOB_TYPE = 'batch-seed-job';
export const MONITOR_JOB_TYPE = 'batch-monitor-job';
export const DEFAULT_BATCH_JOBS_PER_SEED = 100;
export const DEFAULT_INVOCATIONS_PER_BATCH_JOB = 1;
export const DEFAULT_BATCH_POLL_TIME_MS = 30000;
export const JOB_RETRIES = 3;

/** Runs fn() after every earlier read-modify-write of batch `id` in this engine. */
export function exclusive(engine, id, fn) {
  return engine._exclusive(`batch:${id}`, fn);
}

/** The batch settings of an engine (its options, else Camunda's defaults). */
export function batchSettings(engine) {
  const o = engine.batchOptions ?? {};
  return {
    batchJobsPerSeed: o.batchJobsPerSeed ?? DEFAULT_BATCH_JOBS_PER_SEED,
    invocationsPerBatchJob: o.invocationsPerBatchJob ?? DEFAULT_INVOCATIONS_PER_BATCH_JOB,
    batchPollTimeMs: o.batchPollTimeMs ?? DEFAULT_BATCH_POLL_TIME_MS,
  };
}

// --- creation --------------------------------------------------------------------------------------

/**
 * Creates a batch (semantics.md §3.3): {type, processDefinitionId, instanceIds, configuration,
 * tenantId, totalJobs (default ceil(n / invocationsPerBatchJob)), deploymentId}. The ids are
 * deduplicated in order. One commitBatch writes the row, the historic batch, the seed job (due
 * now) and one pending instance row per id. → the batch row.
 */
export async function createBatch(engine, { type, processDefinitionId, instanceIds, configuration = {}, tenantId = null, totalJobs, deploymentId = null, createUserId = null }) {
  const { batchJobsPerSeed, invocationsPerBatchJob } = batchSettings(engine);
  const ids = [...new Set(instanceIds)];
  const now = engine.clock();
  const id = engine._uuid();
  const batch = {
    id,
    type,
    totalJobs: totalJobs ?? Math.ceil(ids.length / invocationsPerBatchJob),
    jobsCreated: 0,
    batchJobsPerSeed,
    invocationsPerBatchJob,
    seedJobDefinitionId: engine._uuid(),
    monitorJobDefinitionId: engine._uuid(),
    batchJobDefinitionId: engine._uuid(),
    suspended: false,
    tenantId,
    createUserId,
    startTime: now,
    executionStartTime: null,
    configuration: { ...configuration, processDefinitionId, deploymentId },
    remaining: ids,
  };
  const seed = newJob(engine, batch, SEED_JOB_TYPE, { dueDate: null });
  await engine.store.commitBatch({
    batchId: id,
    batch,
    revision: 0,
    putJobs: [seed],
    instances: ids.map((processInstanceId) => ({ processInstanceId, state: 'pending', errorMessage: null })),
    history: [{ kind: 'batch', row: historicBatchRow(batch) }],
  });
  engine._jobsCommitted([seed]);
  return batch;
}

/** A new job of `batch`: a seed, monitor or execution job (jobType the batch type, with its ids). */
export function newJob(engine, batch, jobType, { dueDate = null, processInstanceIds } = {}) {
  const jobDefinitionId =
    jobType === SEED_JOB_TYPE ? batch.seedJobDefinitionId : jobType === MONITOR_JOB_TYPE ? batch.monitorJobDefinitionId : batch.batchJobDefinitionId;
  return {
    id: engine._uuid(),
    batchId: batch.id,
    jobType,
    jobDefinitionId,
    ...(processInstanceIds ? { processInstanceIds } : {}),
    processInstanceId: null,
    processDefinitionId: null,
    processDefinitionKey: null,
    executionId: null,
    dueDate,
    retries: JOB_RETRIES,
    suspended: !!batch.suspended,
    createTime: engine.clock(),
    exceptionMessage: null,
    priority: 0,
    tenantId: batch.tenantId ?? null,
    deploymentId: jobType === SEED_JOB_TYPE ? batch.configuration?.deploymentId ?? null : null,
  };
}

/** The history row of kind `batch` (HistoricBatchDto fields) for a batch row. */
export function historicBatchRow(batch, { endTime = null } = {}) {
  return {
    id: batch.id,
    type: batch.type,
    totalJobs: batch.totalJobs,
    batchJobsPerSeed: batch.batchJobsPerSeed,
    invocationsPerBatchJob: batch.invocationsPerBatchJob,
    seedJobDefinitionId: batch.seedJobDefinitionId,
    monitorJobDefinitionId: batch.monitorJobDefinitionId,
    batchJobDefinitionId: batch.batchJobDefinitionId,
    tenantId: batch.tenantId ?? null,
    createUserId: batch.createUserId ?? null,
    startTime: batch.startTime,
    executionStartTime: batch.executionStartTime ?? null,
    endTime,
    removalTime: null,
  };
}

/** The batch row as BatchDto (dates epoch ms). */
export function batchDto(b) {
  return {
    id: b.id,
    type: b.type,
    totalJobs: b.totalJobs,
    jobsCreated: b.jobsCreated,
    batchJobsPerSeed: b.batchJobsPerSeed,
    invocationsPerBatchJob: b.invocationsPerBatchJob,
    seedJobDefinitionId: b.seedJobDefinitionId,
    monitorJobDefinitionId: b.monitorJobDefinitionId,
    batchJobDefinitionId: b.batchJobDefinitionId,
    suspended: !!b.suspended,
    tenantId: b.tenantId ?? null,
    createUserId: b.createUserId ?? null,
    startTime: b.startTime,
    executionStartTime: b.executionStartTime ?? null,
  };
}

// --- queries ---------------------------------------------------------------------------------------

/** Batch rows matching a store filter (BatchDto fields). */
export async function batches(engine, filter = {}) {
  return engine.store.batches(filter);
}

/** One batch row (without the ids not handed out yet) or null. */
export async function batch(engine, id) {
  return engine.store.getBatch(id, { remaining: false });
}

/**
 * BatchStatisticsDto-like rows (semantics.md §3.7): remainingJobs = execution jobs that exist
 * (failed ones too) + jobs not created yet; completedJobs = totalJobs − remainingJobs; failedJobs
 * = execution jobs without retries.
 */
export async function batchStatistics(engine, filter = {}) {
  const out = [];
  for (const b of await engine.store.batches(filter)) {
    const jobs = await engine.store.batchJobs({ batchId: b.id, jobType: b.type });
    const remainingJobs = jobs.length + (b.totalJobs - b.jobsCreated);
    out.push({ ...b, remainingJobs, completedJobs: b.totalJobs - remainingJobs, failedJobs: jobs.filter((j) => j.retries === 0).length });
  }
  return out;
}

/** Historic batch rows matching a filter; rows removed by a cascading delete are gone. */
export async function historicBatches(engine, filter = {}) {
  return (await engine.store.history('batch', filter)).filter((r) => !r.removed);
}

/**
 * Deletes a historic batch (HistoryService.deleteHistoricBatch). Detour's store keeps history rows
 * until their instance's history goes, so the row is marked removed and no query shows it again.
 */
export async function deleteHistoricBatch(engine, id) {
  const [row] = await historicBatches(engine, { id });
  if (!row) throw new CoreError('BadUserRequestException', `Historic batch for id '${id}' cannot be found: historicBatch is null`);
  await engine.store.commitBatch({ batchId: id, history: [{ kind: 'batch', row: { ...row, removed: true } }] });
}

/** A batch's instance rows ({processInstanceId, state, errorMessage}); NotFoundException if no batch. */
export async function batchInstances(engine, batchId, filter = {}) {
  await existingBatch(engine, batchId);
  return engine.store.batchInstances(batchId, filter);
}

/** A batch's failed instances grouped by message: [{errorMessage, count, processInstanceIds}], most first. */
export async function batchFailures(engine, batchId) {
  const groups = new Map();
  for (const r of await batchInstances(engine, batchId, { state: 'failed' })) {
    const key = r.errorMessage ?? null;
    if (!groups.has(key)) groups.set(key, { errorMessage: key, count: 0, processInstanceIds: [] });
    const g = groups.get(key);
    g.count++;
    g.processInstanceIds.push(r.processInstanceId);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

async function existingBatch(engine, id, verb) {
  if (id == null) throw new CoreError('BadUserRequestException', 'Batch id must not be null: batch id is null');
  const b = await engine.store.getBatch(id, { remaining: false }); // written back, the store keeps them
  if (!b) {
    if (verb) throw new CoreError('BadUserRequestException', `Batch for id '${id}' cannot be found: batch is null`);
    throw new CoreError('NotFoundException', `Batch with id '${id}' does not exist`);
  }
  return b;
}

// --- job definitions and incidents of batches ------------------------------------------------------

/** The three job definitions of every batch (JobDefinitionDto rows), jobConfiguration = batch id. */
export async function batchJobDefinitions(engine) {
  const out = [];
  for (const b of await engine.store.batches({})) {
    const def = (id, jobType, deploymentId = null) => ({
      id,
      processDefinitionId: null,
      processDefinitionKey: null,
      jobType,
      jobConfiguration: b.id,
      activityId: null,
      suspended: !!b.suspended,
      overridingJobPriority: null,
      tenantId: b.tenantId ?? null,
      deploymentId,
    });
    out.push(def(b.seedJobDefinitionId, SEED_JOB_TYPE, b.configuration?.deploymentId ?? null));
    out.push(def(b.monitorJobDefinitionId, MONITOR_JOB_TYPE));
    out.push(def(b.batchJobDefinitionId, b.type));
  }
  return out;
}

/** The open failedJob incidents of batch jobs (IncidentDto-like rows, as index incidents are). */
export async function batchIncidents(engine) {
  return (await engine.store.batchJobs({})).filter((j) => j.incidentId != null).map(incidentOfJob);
}

export function incidentOfJob(job) {
  return {
    id: job.incidentId,
    processDefinitionId: null,
    processInstanceId: null,
    executionId: null,
    incidentTimestamp: job.incidentTimestamp,
    incidentType: 'failedJob',
    activityId: null,
    failedActivityId: null,
    causeIncidentId: job.incidentId,
    rootCauseIncidentId: job.incidentId,
    configuration: job.id,
    tenantId: job.tenantId ?? null,
    incidentMessage: job.exceptionMessage ?? null,
    jobDefinitionId: job.jobDefinitionId ?? null,
  };
}

/** The historic incident row of a batch job's incident (history kind `incident`). */
export function historicIncidentOfJob(job, { endTime = null, resolved = false, deleted = false } = {}) {
  return {
    id: job.incidentId,
    processDefinitionKey: null,
    processDefinitionId: null,
    processInstanceId: null,
    executionId: null,
    rootProcessInstanceId: null,
    createTime: job.incidentTimestamp,
    endTime,
    removalTime: null,
    incidentType: 'failedJob',
    activityId: null,
    failedActivityId: null,
    causeIncidentId: job.incidentId,
    rootCauseIncidentId: job.incidentId,
    configuration: job.id,
    historyConfiguration: null,
    incidentMessage: job.exceptionMessage ?? null,
    tenantId: job.tenantId ?? null,
    jobDefinitionId: job.jobDefinitionId ?? null,
    open: endTime == null,
    resolved,
    deleted,
    annotation: null,
  };
}

/** Filters rows (IncidentDto-like or JobDefinitionDto) as the store would. */
export function filterRows(rows, filter) {
  return rows.filter((r) => matches(r, filter));
}

// --- suspension and deletion -----------------------------------------------------------------------

/**
 * Suspends (true) or activates (false) a batch (semantics.md §3.8): its row, its job definitions
 * (they follow the row) and every job it has; jobs created later inherit the state.
 */
export async function setBatchSuspended(engine, id, suspended) {
  await existingBatch(engine, id, suspended ? 'suspend' : 'activate');
  const jobs = await exclusive(engine, id, async () => {
    const b = await existingBatch(engine, id, 'suspend');
    const jobs = (await engine.store.batchJobs({ batchId: id })).map(({ lockOwner, lockExpirationTime, ...j }) => ({ ...j, suspended: !!suspended }));
    await engine.store.commitBatch({ batchId: id, revision: b.revision ?? 0, batch: { ...b, suspended: !!suspended }, putJobs: jobs });
    return jobs;
  });
  if (!suspended) engine._jobsCommitted(jobs);
}

/**
 * Deletes a batch (semantics.md §3.9): its jobs (failed ones too), job definitions, instance rows
 * and row; the historic batch gets its endTime and the open incidents of its jobs end as deleted.
 * cascade: the historic batch goes too (Detour: marked removed, no query shows it again).
 */
export async function deleteBatch(engine, id, { cascade = false } = {}) {
  await existingBatch(engine, id, 'delete');
  await exclusive(engine, id, async () => {
    const b = await existingBatch(engine, id, 'delete');
    await engine.store.commitBatch({ batchId: id, revision: b.revision ?? 0, batch: null, history: await endHistory(engine, b, { cascade }) });
  });
}

/** The history rows that end a batch: its historic batch (endTime now) and its jobs' open incidents (deleted). */
export async function endHistory(engine, b, { cascade = false } = {}) {
  const now = engine.clock();
  const previous = (await engine.store.getHistory('batch', b.id)) ?? historicBatchRow(b);
  const history = [{ kind: 'batch', row: { ...previous, executionStartTime: b.executionStartTime ?? previous.executionStartTime ?? null, endTime: now, ...(cascade ? { removed: true } : {}) } }];
  for (const job of await engine.store.batchJobs({ batchId: b.id })) {
    if (job.incidentId != null) history.push({ kind: 'incident', row: historicIncidentOfJob(job, { endTime: now, deleted: true }) });
  }
  return history;
}
