// external-tasks.js — Camunda's externalTaskService: the external task query, fetchAndLock (a
// worker locks available tasks of its topics) and what a worker does with a task it locked:
// complete it, report a failure or a BPMN error, extend the lock.
//
// fetchAndLock picks its candidates from the index rows, then locks each with its own command on
// its instance; a candidate another worker locked meanwhile is skipped, not waited for.

import { CoreError } from '../core.js';
import { externalTaskDto } from '../dto.js';

export async function externalTasks(engine, query = {}) {
  const { externalTaskId, ...rest } = query;
  return (await engine.store.rows('externalTasks', { ...rest, id: externalTaskId })).map(externalTaskDto);
}

/**
 * Locks up to maxTasks available external tasks of the given topics for workerId:
 * {workerId, maxTasks, usePriority, topics: [{topicName, lockDuration, variables,
 * businessKey, processDefinitionId(In), processDefinitionKey(In), tenantIdIn, withoutTenantId,
 * processVariables}]} → LockedExternalTaskDto-like objects (with `variables`).
 */
export async function fetchAndLock(engine, { workerId, maxTasks = 1, usePriority = false, topics = [] } = {}) {
  if (!workerId) throw new CoreError('BadUserRequestException', 'workerId is null');
  const now = engine.clock();
  const byTopic = new Map(topics.map((t) => [t.topicName, t]));
  const candidates = (await engine.store.rows('externalTasks', { topicName: { in: [...byTopic.keys()] }, suspended: false }))
    .filter((t) => (t.lockExpirationTime == null || t.lockExpirationTime <= now) && (t.retries == null || t.retries > 0))
    .sort((a, b) => (usePriority ? b.priority - a.priority : 0) || a.createTime - b.createTime);
  const locked = [];
  for (const candidate of candidates) {
    if (locked.length >= maxTasks) break;
    const topic = byTopic.get(candidate.topicName);
    if (!(await topicAccepts(engine, topic, candidate))) continue;
    let row;
    let run;
    try {
      row = await engine._instance(candidate.processInstanceId);
      run = await engine._run(row, {
        command: 'lockExternalTask',
        externalTaskId: candidate.id,
        workerId,
        lockDuration: topic.lockDuration,
      });
    } catch (e) {
      // Someone else got it first (or the instance moved on): try the next one, as Camunda does.
      if (e instanceof CoreError && ['OptimisticLockingException', 'NotFoundException'].includes(e.type)) continue;
      throw e;
    }
    const fresh = run.index?.externalTasks?.find((t) => t.id === candidate.id) ?? candidate;
    const variables = run.result?.variables ?? {};
    const wanted = topic.variables;
    const dto = {
      ...externalTaskDto({ ...fresh, workerId, lockExpirationTime: fresh.lockExpirationTime ?? now + topic.lockDuration }),
      errorDetails: fresh.errorDetails ?? null,
      variables: Array.isArray(wanted) ? pick(variables, wanted) : variables,
      extensionProperties: {},
    };
    locked.push(dto);
  }
  return locked;
}

export async function completeExternalTask(engine, externalTaskId, { workerId, variables = {}, localVariables = {} } = {}) {
  await onExternalTask(engine, externalTaskId, { command: 'completeExternalTask', externalTaskId, workerId, variables, localVariables });
}

/** {workerId, errorMessage, errorDetails, retries, retryTimeout}: at 0 retries an incident is raised. */
export async function handleFailure(engine, externalTaskId, { workerId, errorMessage = null, errorDetails = null, retries = 0, retryTimeout = 0 } = {}) {
  await onExternalTask(engine, externalTaskId, {
    command: 'failExternalTask',
    externalTaskId,
    workerId,
    errorMessage,
    errorDetails,
    retries,
    retryTimeout,
  });
}

export async function extendLock(engine, externalTaskId, { workerId, newDuration } = {}) {
  await onExternalTask(engine, externalTaskId, { command: 'extendLock', externalTaskId, workerId, newDuration });
}

export async function handleBpmnError(engine, externalTaskId, { workerId, errorCode, errorMessage = null, variables = {} } = {}) {
  await onExternalTask(engine, externalTaskId, {
    command: 'bpmnErrorExternalTask',
    externalTaskId,
    workerId,
    errorCode,
    errorMessage,
    variables,
  });
}

// A worker's command on one external task, run on the instance the task belongs to.
async function onExternalTask(engine, externalTaskId, command) {
  const task = await engine._indexRow('externalTasks', externalTaskId, `External task with id ${externalTaskId} does not exist`);
  await engine._run(await engine._instance(task.processInstanceId), command);
}

// Whether a task passes the filters of the fetchAndLock topic it was found for.
async function topicAccepts(engine, topic, task) {
  const inList = (list, v) => !Array.isArray(list) || list.includes(v);
  if (topic.processDefinitionId != null && topic.processDefinitionId !== task.processDefinitionId) return false;
  if (topic.processDefinitionKey != null && topic.processDefinitionKey !== task.processDefinitionKey) return false;
  if (!inList(topic.processDefinitionIdIn, task.processDefinitionId)) return false;
  if (!inList(topic.processDefinitionKeyIn, task.processDefinitionKey)) return false;
  if (!inList(topic.tenantIdIn, task.tenantId)) return false;
  if (topic.withoutTenantId && task.tenantId != null) return false;
  if (topic.businessKey != null && topic.businessKey !== task.businessKey) return false;
  if (topic.processVariables && Object.keys(topic.processVariables).length) {
    const vars = await engine.variables(task.processInstanceId);
    for (const [name, value] of Object.entries(topic.processVariables)) {
      if (!vars[name] || vars[name].value !== value) return false;
    }
  }
  return true;
}

// The entries of `map` named in `names` (a topic's variable list).
function pick(map, names) {
  const out = {};
  for (const n of names) if (n in map) out[n] = map[n];
  return out;
}
