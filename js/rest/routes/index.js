// routes/index.js — every REST resource the service serves, one module per Camunda resource.
import * as batch from './batch.js'; // batches, and the async modifications that create them
import * as deployment from './deployment.js';
import * as detour from './detour.js'; // Detour's own: GET /detour/job-executor
import * as detourBatch from './detour-batch.js'; // Detour's own: GET /detour/batch/{id}/instances, /failures
import * as dryRun from './dry-run.js'; // Detour's own: /detour/…/dry-run, GET /detour/process-instance/{id}/state
import * as engine from './engine.js';
import * as execution from './execution.js';
import * as externalTask from './external-task.js';
import * as history from './history.js';
import * as historyBatch from './history-batch.js';
import * as incident from './incident.js';
import * as job from './job.js';
import * as jobDefinition from './job-definition.js';
import * as message from './message.js';
import * as modification from './modification.js';
import * as processDefinition from './process-definition.js';
import * as processInstance from './process-instance.js';
import * as restart from './restart.js';
import * as task from './task.js';

const resources = [engine, deployment, processDefinition, processInstance, execution, task, externalTask, job, jobDefinition, incident, message, modification, restart, batch, history, historyBatch, detour, detourBatch, dryRun];

export function registerRoutes(router) {
  for (const resource of resources) resource.register(router);
}
