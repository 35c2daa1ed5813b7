// routes/batch.js — batches over REST (rest-contract.md §6.4, §6.6, §7.6; semantics.md §1.11,
// §1.12.4, §3, §4.4, §4.5, §4.8):
//
//   POST /process-instance/{id}/modification-async   one instance, a batch of one job
//   POST /modification/executeAsync                  several instances of one definition
//   GET  /batch, /batch/count, /batch/{id}
//   GET  /batch/statistics, /batch/statistics/count
//   PUT  /batch/{id}/suspended                       {suspended}
//   DELETE /batch/{id}?cascade=
//
// The batch's work happens in its jobs (js/batch/); these routes create, show, suspend and delete
// batches. Error messages are BatchResourceImpl's / ProcessInstanceResourceImpl's.

import { CoreError } from '../../core.js';
import { batchDto, INSTANCE_MODIFICATION } from '../../batch/index.js';
import { withDates } from '../dates.js';
import { invalidRequest, isBadUserRequest, RestError } from '../errors.js';
import { instructionsFor } from '../instructions.js';
import { page, queryFromBody, queryFromSearch, sorting } from '../params.js';
import { orderRows } from './history-query.js';
import { modificationBody, readModification } from './modification.js';

export function register(router) {
  router.post('/process-instance/:id/modification-async', modifyOneAsync);
  router.post('/modification/executeAsync', executeModificationAsync);
  router.get('/batch', (ctx) => listBatches(ctx, false));
  router.get('/batch/count', (ctx) => countBatches(ctx, false));
  router.get('/batch/statistics', (ctx) => listBatches(ctx, true));
  router.get('/batch/statistics/count', (ctx) => countBatches(ctx, true));
  router.get('/batch/:id', getBatch);
  router.put('/batch/:id/suspended', setSuspended);
  router.delete('/batch/:id', deleteBatch);
}

/** A batch row as BatchDto with REST dates. */
export function batchOut(b) {
  return withDates(batchDto(b), ['startTime', 'executionStartTime']);
}

// --- creation ------------------------------------------------------------------------------------------

/**
 * ProcessInstanceModificationDto → 200 BatchDto (totalJobs 1). No instructions: 400 "The provided
 * instuctions are invalid." (sic); then the instructions as the synchronous form reads them
 * (their variables are applied, Detour's policy 2); then the instance must exist (500 ENGINE-13036).
 */
async function modifyOneAsync(ctx) {
  const { id } = ctx.params;
  const body = modificationBody(ctx.body, { single: true });
  if (!body.instructions?.length) throw invalidRequest('The provided instuctions are invalid.');
  const instructions = instructionsFor(body.instructions, 'single');
  try {
    const [instance] = await ctx.engine.processInstances({ processInstanceId: id });
    if (!instance) {
      throw new CoreError('ProcessEngineException', `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`);
    }
    const definition = await ctx.engine.processDefinition(instance.definitionId);
    const batch = await ctx.engine.createBatch({
      type: INSTANCE_MODIFICATION,
      processDefinitionId: instance.definitionId,
      instanceIds: [id],
      totalJobs: 1,
      tenantId: instance.tenantId ?? null,
      deploymentId: definition.deploymentId ?? null,
      configuration: { instructions, skipCustomListeners: body.skipCustomListeners, skipIoMappings: body.skipIoMappings, annotation: body.annotation },
    });
    return batchOut(batch);
  } catch (e) {
    // ProcessInstanceResourceImpl: BadUserRequestException → InvalidRequestException(400, message)
    throw isBadUserRequest(e) ? invalidRequest(e.message) : e;
  }
}

/**
 * ModificationDto → 200 BatchDto: the request-time checks of the synchronous form (readModification:
 * 400s with the engine's messages); the instances' existence and definition are checked by the jobs.
 * tenantId: the definition's.
 */
async function executeModificationAsync(ctx) {
  const request = await readModification(ctx.engine, ctx.body);
  const definition = await ctx.engine.processDefinition(request.processDefinitionId);
  const batch = await ctx.engine.createBatch({
    type: INSTANCE_MODIFICATION,
    processDefinitionId: request.processDefinitionId,
    instanceIds: request.processInstanceIds,
    tenantId: definition.tenantId ?? null,
    deploymentId: definition.deploymentId ?? null,
    configuration: {
      instructions: request.instructions,
      skipCustomListeners: request.skipCustomListeners,
      skipIoMappings: request.skipIoMappings,
      annotation: request.annotation,
    },
  });
  return batchOut(batch);
}

// --- queries -------------------------------------------------------------------------------------------

const QUERY = {
  batchId: 'string',
  type: 'string',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  suspended: 'boolean',
};

// BatchStatisticsQueryDto's further filters (BatchQueryDto ignores them: rest-contract.md §9.2.6)
const STATISTICS_QUERY = {
  ...QUERY,
  createdBy: 'string',
  startedBefore: 'date',
  startedAfter: 'date',
  withFailures: 'boolean',
  withoutFailures: 'boolean',
};

const SORT_KEYS = { batchId: 'id', tenantId: 'tenantId' };
const STATISTICS_SORT_KEYS = { ...SORT_KEYS, startTime: 'startTime' };

async function findBatches(ctx, statistics) {
  const q = queryFromSearch(ctx.search, statistics ? STATISTICS_QUERY : QUERY);
  const filter = { id: q.batchId, type: q.type };
  if (q.withoutTenantId) filter.tenantId = null;
  else if (q.tenantIdIn) filter.tenantId = { in: q.tenantIdIn };
  if (q.suspended) filter.suspended = true; // a flag: false means "no condition"
  if (!statistics) return ctx.engine.batches(filter);
  if (q.createdBy != null) filter.createUserId = q.createdBy;
  if (q.startedBefore != null) filter.startTime = { ...filter.startTime, lte: q.startedBefore };
  if (q.startedAfter != null) filter.startTime = { ...filter.startTime, gte: q.startedAfter };
  return (await ctx.engine.batchStatistics(filter)).filter(
    (s) => (!q.withFailures || s.failedJobs > 0) && (!q.withoutFailures || s.failedJobs === 0),
  );
}

async function listBatches(ctx, statistics) {
  const order = sorting(ctx.search, statistics ? STATISTICS_SORT_KEYS : SORT_KEYS);
  const rows = page(orderRows(await findBatches(ctx, statistics), order), ctx.search);
  return rows.map((b) => (statistics ? statisticsOut(b) : batchOut(b)));
}

async function countBatches(ctx, statistics) {
  sorting(ctx.search, statistics ? STATISTICS_SORT_KEYS : SORT_KEYS);
  return { count: (await findBatches(ctx, statistics)).length };
}

function statisticsOut(s) {
  return { ...batchOut(s), remainingJobs: s.remainingJobs, completedJobs: s.completedJobs, failedJobs: s.failedJobs };
}

async function getBatch(ctx) {
  const b = await ctx.engine.batch(ctx.params.id);
  if (!b) throw new RestError(404, `Batch with id '${ctx.params.id}' does not exist`);
  return batchOut(b);
}

// --- suspension and deletion ---------------------------------------------------------------------------

/** SuspensionStateDto {suspended} → 204; an unknown batch: 400 "Unable to suspend|activate batch with id 'X'". */
async function setSuspended(ctx) {
  const { suspended = false } = queryFromBody(ctx.body, { suspended: 'boolean' });
  const { id } = ctx.params;
  try {
    await ctx.engine.setBatchSuspended(id, suspended);
  } catch (e) {
    if (isBadUserRequest(e)) throw invalidRequest(`Unable to ${suspended ? 'suspend' : 'activate'} batch with id '${id}'`);
    throw e;
  }
}

/** ?cascade=true|false (default false) → 204; an unknown batch: 400 "Unable to delete batch with id 'X'". */
async function deleteBatch(ctx) {
  const { id } = ctx.params;
  const { cascade = false } = queryFromSearch(ctx.search, { cascade: 'boolean' });
  try {
    await ctx.engine.deleteBatch(id, { cascade });
  } catch (e) {
    if (isBadUserRequest(e)) throw invalidRequest(`Unable to delete batch with id '${id}'`);
    throw e;
  }
}
