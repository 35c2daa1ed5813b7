// routes/detour.js — Detour's own operator endpoints (not Camunda's): GET /detour/job-executor, the
// status of this process's job executor (lock owner, whether it runs, jobs held now, and counters
// since start: acquired, executed, failed, conflicts, skipped, errors, the last error).
import { RestError } from '../errors.js';

export function register(router) {
  router.get('/detour/job-executor', ({ services }) => {
    if (!services.jobExecutor) throw new RestError(404, 'This service has no job executor', { type: 'NotFoundException' });
    return services.jobExecutor.status();
  });
}
