// routes/history-batch.js — historic batches (rest-contract.md §7.5, semantics.md §3.10):
// GET /history/batch, /history/batch/count, GET and DELETE /history/batch/{id} (HistoricBatchDto).
// A historic batch is written when its batch is created, gets executionStartTime with the first
// execution job and endTime when the monitor finds the batch done or the batch is deleted.

import { RestError, isBadUserRequest } from '../errors.js';
import { pickDto, registerGet, registerQuery } from './history-query.js';

const FILTERS = {
  batchId: 'string',
  type: 'string',
  completed: 'boolean',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
};

const SORT_KEYS = { batchId: 'id', startTime: 'startTime', endTime: 'endTime', tenantId: 'tenantId' };

const FIELDS = [
  'id', 'type', 'totalJobs', 'batchJobsPerSeed', 'invocationsPerBatchJob', 'seedJobDefinitionId',
  'monitorJobDefinitionId', 'batchJobDefinitionId', 'tenantId', 'createUserId', 'startTime',
  'executionStartTime', 'endTime', 'removalTime',
];

export function historicBatchDto(row) {
  return pickDto(row, FIELDS, ['startTime', 'executionStartTime', 'endTime', 'removalTime']);
}

async function select(engine, q) {
  const filter = { id: q.batchId, type: q.type };
  if (q.withoutTenantId) filter.tenantId = null;
  else if (q.tenantIdIn) filter.tenantId = { in: q.tenantIdIn };
  const rows = await engine.historicBatches(filter);
  // completed: true → ended, false → still running (HistoricBatchQueryDto sets it either way)
  return q.completed == null ? rows : rows.filter((r) => (r.endTime != null) === q.completed);
}

export function register(router) {
  registerQuery(router, '/history/batch', { spec: FILTERS, sortKeys: SORT_KEYS, select, dto: historicBatchDto, post: false });
  registerGet(router, '/history/batch', {
    find: async (engine, id) => (await engine.historicBatches({ id }))[0] ?? null,
    dto: historicBatchDto,
    message: (id) => `Historic batch with id '${id}' does not exist`,
  });
  router.delete('/history/batch/:id', async (ctx) => {
    try {
      await ctx.engine.deleteHistoricBatch(ctx.params.id);
    } catch (e) {
      if (isBadUserRequest(e)) throw new RestError(400, `Unable to delete historic batch with id '${ctx.params.id}'`);
      throw e;
    }
  });
}
