// batch/ — Camunda's batches over Detour's store (docs/batches.md, semantics.md §3): the entity,
// its queries and lifecycle (batches.js), its jobs (jobs.js) and the operations they run per
// instance (operations.js). The engine (js/engine.js) exposes them; the REST routes call the engine.
export * from './batches.js';
export { executeBatchJob, findBatchJob, setBatchJobRetries } from './jobs.js';
export { INSTANCE_MODIFICATION, INSTANCE_RESTART, OPERATIONS } from './operations.js';
