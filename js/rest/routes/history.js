// routes/history.js — the /history/* resources of rest-contract.md §7.5, one module each
// (history-*.js; what they share is in history-query.js). /history/batch belongs to the batch
// resources and is not registered here.
import * as activityInstance from './history-activity-instance.js';
import * as detail from './history-detail.js';
import * as incident from './history-incident.js';
import * as processInstance from './history-process-instance.js';
import * as task from './history-task.js';
import * as variableInstance from './history-variable-instance.js';

const resources = [processInstance, activityInstance, variableInstance, detail, task, incident];

export function register(router) {
  for (const resource of resources) resource.register(router);
}
