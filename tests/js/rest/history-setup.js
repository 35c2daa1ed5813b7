// rest/history-setup.js — how the history tests make history: deploy, start, set variables,
// complete tasks, fail external tasks, suspend and delete instances, all over REST.
import assert from 'node:assert/strict';

import { fixture } from './support.js';

// A setup call's body; a setup step that fails fails the suite.
async function rest(response) {
  const r = await response;
  assert.ok(r.status >= 200 && r.status < 300, `setup call failed: ${r.status} ${r.text}`);
  return r.body;
}

/** Deploys tests/fixtures/bpmn/<name> → the deployed definitions [{id, key, ...}]. */
export async function deploy(ctx, name) {
  const xml = fixture(name);
  const body = await rest(ctx.api.deploy(xml, { resourceName: name }));
  return Object.values(body.deployedProcessDefinitions);
}

/** Starts the latest version of `key` → the instance id. variables: {name: {value, type}}. */
export async function start(ctx, key, { businessKey, variables } = {}) {
  const body = await rest(ctx.api.post(`/process-definition/key/${key}/start`, { businessKey, variables }));
  return body.id;
}

export async function setVariables(ctx, processInstanceId, modifications) {
  await rest(ctx.api.post(`/process-instance/${processInstanceId}/variables`, { modifications }));
}

export async function removeVariable(ctx, processInstanceId, name) {
  await rest(ctx.api.delete(`/process-instance/${processInstanceId}/variables/${name}`));
}

/** The instance's open user tasks. */
export async function tasks(ctx, processInstanceId) {
  return rest(ctx.api.get(`/task?processInstanceId=${processInstanceId}`));
}

export async function completeTask(ctx, taskId, variables = {}) {
  await rest(ctx.api.post(`/task/${taskId}/complete`, { variables }));
}

/** Completes the one open task of an instance. */
export async function completeOnlyTask(ctx, processInstanceId, variables) {
  const [task] = await tasks(ctx, processInstanceId);
  assert.ok(task, `instance ${processInstanceId} has no open task`);
  await completeTask(ctx, task.id, variables);
  return task;
}

/** DELETE /process-instance/{id}: the instance ends EXTERNALLY_TERMINATED, without a delete reason. */
export async function deleteInstance(ctx, processInstanceId) {
  await rest(ctx.api.delete(`/process-instance/${processInstanceId}`));
}

export async function suspend(ctx, processInstanceId) {
  await rest(ctx.api.put(`/process-instance/${processInstanceId}/suspended`, { suspended: true }));
}

/** Locks the external tasks of `topic` and fails the instance's one with no retries left: an incident. */
export async function failExternalTask(ctx, processInstanceId, topic, errorMessage) {
  const workerId = 'history-worker';
  const locked = await rest(ctx.api.post('/external-task/fetchAndLock', { workerId, maxTasks: 10, topics: [{ topicName: topic, lockDuration: 60000 }] }));
  const task = locked.find((t) => t.processInstanceId === processInstanceId);
  assert.ok(task, `no external task of ${processInstanceId} on topic ${topic}`);
  await rest(ctx.api.post(`/external-task/${task.id}/failure`, { workerId, errorMessage, retries: 0, retryTimeout: 0 }));
  return task;
}

export const int = (value) => ({ value, type: 'Integer' });
export const str = (value) => ({ value, type: 'String' });

/** A date as the query string wants it ("+" escaped). */
export const q = (ms) => encodeURIComponent(new Date(ms).toISOString().replace('Z', '+0000'));
