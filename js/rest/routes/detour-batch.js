// routes/detour-batch.js — Detour's own view of a batch (not Camunda's): what happened to each
// instance, for an operator repairing instances in bulk.
//
//   GET /detour/batch/{id}/instances  [{processInstanceId, state: pending | done | failed,
//                                      errorMessage}] in the batch's order; ?state= filters,
//                                      firstResult / maxResults page
//   GET /detour/batch/{id}/failures   [{errorMessage, count, processInstanceIds}], the largest
//                                      group first
// An unknown (or finished and removed) batch: 404 NotFoundException "Batch with id 'X' does not exist".

import { RestError } from '../errors.js';
import { page, queryFromSearch } from '../params.js';

export function register(router) {
  router.get('/detour/batch/:id/instances', async (ctx) => {
    const { state } = queryFromSearch(ctx.search, { state: 'string' });
    if (state != null && !['pending', 'done', 'failed'].includes(state)) {
      throw new RestError(400, `state must be pending, done or failed, not '${state}'`);
    }
    const rows = await found(ctx, () => ctx.engine.batchInstances(ctx.params.id, state ? { state } : {}));
    return page(rows, ctx.search).map((r) => ({ processInstanceId: r.processInstanceId, state: r.state, errorMessage: r.errorMessage ?? null }));
  });
  router.get('/detour/batch/:id/failures', (ctx) => found(ctx, () => ctx.engine.batchFailures(ctx.params.id)));
}

async function found(ctx, fn) {
  try {
    return await fn();
  } catch (e) {
    if (e?.type === 'NotFoundException') throw new RestError(404, e.message, { type: 'NotFoundException' });
    throw e;
  }
}
