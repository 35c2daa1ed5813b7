// routes/external-task.js — external tasks (rest-contract.md §7.9): GET|POST /external-task,
// GET|POST /external-task/count, GET /external-task/{id}, POST /external-task/fetchAndLock (with
// long polling) and POST /external-task/{id}/complete | failure | bpmnError | extendLock.
//
// Status codes follow ExternalTaskResourceImpl: an unknown task is a 404 RestException "External
// task with id X does not exist", a BadUserRequestException (locked by another worker, a bad
// retry count, a suspended instance) a 400 RestException, any other engine failure the generic 500.

import { externalTaskDto } from '../../dto.js';
import { withDates } from '../dates.js';
import { invalidRequest, isBadUserRequest, isEngineError, RestError } from '../errors.js';
import { checkComparators, likeMatches, page, queryFromBody, queryOf, sortingOf, sortRows, variableConditionsOf } from '../params.js';
import { variablesIn, variablesMatch, variablesOut } from '../variables.js';

const QUERY = {
  externalTaskId: 'string',
  externalTaskIdIn: 'stringList',
  topicName: 'string',
  workerId: 'string',
  locked: 'boolean',
  notLocked: 'boolean',
  withRetriesLeft: 'boolean',
  noRetriesLeft: 'boolean',
  lockExpirationAfter: 'date',
  lockExpirationBefore: 'date',
  activityId: 'string',
  activityIdIn: 'stringList',
  executionId: 'string',
  processInstanceId: 'string',
  processInstanceIdIn: 'stringList',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionKeyIn: 'stringList',
  processDefinitionName: 'string',
  processDefinitionNameLike: 'string',
  tenantIdIn: 'stringList',
  active: 'boolean',
  suspended: 'boolean',
  priorityHigherThanOrEquals: 'integer',
  priorityLowerThanOrEquals: 'integer',
  variableNamesIgnoreCase: 'boolean',
  variableValuesIgnoreCase: 'boolean',
};

// The comparators ExternalTaskQueryDto accepts on process variables.
const VARIABLE_OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like', 'notLike'];

const SORT_KEYS = {
  id: 'id',
  lockExpirationTime: 'lockExpirationTime',
  processInstanceId: 'processInstanceId',
  processDefinitionId: 'processDefinitionId',
  processDefinitionKey: 'processDefinitionKey',
  taskPriority: 'priority',
  tenantId: 'tenantId',
};

// FetchAndLockHandlerImpl: the longest wait a client may ask for, and its queue of waiting requests.
const MAX_RESPONSE_TIMEOUT = 1800000;
const MAX_PENDING_POLLS = 200;
// How often a waiting fetchAndLock asks the engine again (Camunda is woken by new tasks instead).
const POLL_INTERVAL_MS = 500;

export function register(router) {
  router.get('/external-task', listExternalTasks);
  router.post('/external-task', listExternalTasks);
  router.get('/external-task/count', countExternalTasks);
  router.post('/external-task/count', countExternalTasks);
  router.post('/external-task/fetchAndLock', fetchAndLock);
  router.get('/external-task/:id', getExternalTask);
  router.post('/external-task/:id/complete', complete);
  router.post('/external-task/:id/failure', failure);
  router.post('/external-task/:id/bpmnError', bpmnError);
  router.post('/external-task/:id/extendLock', extendLock);
}

// --- queries -----------------------------------------------------------------------------------

async function listExternalTasks(ctx) {
  const rows = await findExternalTasks(ctx);
  return page(sortRows(rows, sortingOf(ctx, SORT_KEYS)), ctx.search).map(externalTaskOut);
}

async function countExternalTasks(ctx) {
  sortingOf(ctx, SORT_KEYS);
  return { count: (await findExternalTasks(ctx)).length };
}

async function findExternalTasks(ctx) {
  const q = queryOf(ctx, QUERY);
  const processVariables = checkComparators(variableConditionsOf(ctx, 'processVariables'), VARIABLE_OPERATORS, 'process');
  const now = ctx.engine.clock();
  let rows = (await ctx.engine.externalTasks(storeFilter(q))).filter((t) => accepts(q, t, now));
  if (q.processDefinitionName != null || q.processDefinitionNameLike != null) {
    const ids = await definitionIdsByName(ctx.engine, q);
    rows = rows.filter((t) => ids.has(t.processDefinitionId));
  }
  if (processVariables) {
    const ignoreCase = { namesIgnoreCase: !!q.variableNamesIgnoreCase, valuesIgnoreCase: !!q.variableValuesIgnoreCase };
    const kept = [];
    for (const t of rows) if (variablesMatch(await ctx.engine.variables(t.processInstanceId), processVariables, ignoreCase)) kept.push(t);
    rows = kept;
  }
  return rows;
}

// Conditions the store answers on external task rows (memory.js matches() language).
function storeFilter(q) {
  return {
    externalTaskId: q.externalTaskId,
    topicName: q.topicName,
    workerId: q.workerId,
    activityId: q.activityId,
    executionId: q.executionId,
    processInstanceId: q.processInstanceId,
    processDefinitionId: q.processDefinitionId,
    processDefinitionKey: q.processDefinitionKey,
  };
}

// The other conditions; `now` (the engine's clock) decides what is locked, as in Camunda's query.
function accepts(q, t, now) {
  const inList = (list, v) => !list || list.includes(v);
  if (!inList(q.externalTaskIdIn, t.id) || !inList(q.activityIdIn, t.activityId)) return false;
  if (!inList(q.processInstanceIdIn, t.processInstanceId) || !inList(q.processDefinitionKeyIn, t.processDefinitionKey)) return false;
  if (!inList(q.tenantIdIn, t.tenantId)) return false;
  const locked = t.lockExpirationTime != null && t.lockExpirationTime > now;
  if ((q.locked && !locked) || (q.notLocked && locked)) return false;
  if (q.withRetriesLeft && !(t.retries == null || t.retries > 0)) return false;
  if (q.noRetriesLeft && t.retries !== 0) return false;
  if (q.lockExpirationAfter != null && !(t.lockExpirationTime > q.lockExpirationAfter)) return false;
  if (q.lockExpirationBefore != null && !(t.lockExpirationTime != null && t.lockExpirationTime < q.lockExpirationBefore)) return false;
  if ((q.active && t.suspended) || (q.suspended && !t.suspended)) return false;
  if (q.priorityHigherThanOrEquals != null && !(t.priority >= q.priorityHigherThanOrEquals)) return false;
  if (q.priorityLowerThanOrEquals != null && !(t.priority <= q.priorityLowerThanOrEquals)) return false;
  return true;
}

async function definitionIdsByName(engine, q) {
  const defs = await engine.processDefinitions({});
  const named = (d) => q.processDefinitionName == null || d.name === q.processDefinitionName;
  const like = (d) => q.processDefinitionNameLike == null || likeMatches(q.processDefinitionNameLike, d.name);
  return new Set(defs.filter((d) => named(d) && like(d)).map((d) => d.id));
}

/** The engine's ExternalTaskDto (js/dto.js) with REST dates. */
function externalTaskOut(t) {
  return withDates(externalTaskDto(t), ['lockExpirationTime', 'createTime']);
}

async function getExternalTask(ctx) {
  const [row] = await ctx.engine.externalTasks({ externalTaskId: ctx.params.id });
  if (!row) throw notFound(ctx.params.id);
  return externalTaskOut(row);
}

function notFound(id, code = null) {
  return new RestError(404, `External task with id ${id} does not exist`, { type: 'RestException', code });
}

// --- fetch and lock ----------------------------------------------------------------------------

const FETCH = { workerId: 'string', maxTasks: 'integer', usePriority: 'boolean', asyncResponseTimeout: 'integer', topics: 'json' };

const TOPIC = {
  topicName: 'string',
  lockDuration: 'integer',
  variables: 'stringList',
  localVariables: 'boolean',
  businessKey: 'string',
  processDefinitionId: 'string',
  processDefinitionIdIn: 'stringList',
  processDefinitionKey: 'string',
  processDefinitionKeyIn: 'stringList',
  processDefinitionVersionTag: 'string',
  withoutTenantId: 'boolean',
  tenantIdIn: 'stringList',
  processVariables: 'json',
  deserializeValues: 'boolean',
  includeExtensionProperties: 'boolean',
};

// Waiting fetchAndLock requests per engine (FetchAndLockHandlerImpl's bounded queue).
const pendingPolls = new WeakMap();

/**
 * POST /external-task/fetchAndLock → LockedExternalTaskDto[]. Without asyncResponseTimeout it
 * answers at once; with it, a request that locked nothing waits up to that many ms, asking the
 * engine again every POLL_INTERVAL_MS, and answers [] when the time is up (Camunda's long polling).
 * A waiting request stops when its client goes away (nothing is locked for it then) or the server
 * closes (500 "Request rejected due to shutdown of application server.").
 */
async function fetchAndLock(ctx) {
  const request = fetchRequest(ctx.body);
  const first = await lockTasks(ctx.engine, request);
  if (first.length || request.asyncResponseTimeout == null) return first;

  const waiting = pendingPolls.get(ctx.engine) ?? 0;
  if (waiting >= MAX_PENDING_POLLS) {
    throw new RestError(500, 'At the moment the server has to handle too many requests at the same time. Please try again later.');
  }
  pendingPolls.set(ctx.engine, waiting + 1);
  try {
    return await longPoll(ctx, request);
  } finally {
    pendingPolls.set(ctx.engine, (pendingPolls.get(ctx.engine) ?? 1) - 1);
  }
}

async function longPoll(ctx, request) {
  const deadline = Date.now() + request.asyncResponseTimeout;
  const socket = ctx.req.socket;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return [];
    await pause(Math.min(POLL_INTERVAL_MS, left), socket);
    if (clientGone(socket)) return []; // lock nothing for a client that left
    if (socket.server && !socket.server.listening) {
      throw new RestError(500, 'Request rejected due to shutdown of application server.', { type: 'RestException' });
    }
    const locked = await lockTasks(ctx.engine, request);
    if (locked.length) return locked;
  }
}

// The client closed its side (the server then ends the socket: no longer writable) or the socket is gone.
function clientGone(socket) {
  return socket.destroyed || !socket.writable;
}

// Waits `ms`, or less when the client closes the connection.
function pause(ms, socket) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('end', done);
      socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('end', done);
    socket.once('close', done);
  });
}

/**
 * The body of fetchAndLock, checked before anything is locked. Camunda's engine checks the same
 * things (FetchExternalTasksCmd.validateInput) with these messages; Detour answers them with 400,
 * the only error status the REST API documents for this endpoint.
 */
function fetchRequest(body) {
  const dto = queryFromBody(body, FETCH);
  if (dto.workerId == null) throw invalidRequest('workerId is null');
  if (dto.maxTasks == null) throw invalidRequest('maxTasks is null');
  if (dto.maxTasks < 0) throw invalidRequest('maxResults is not greater than or equal to 0');
  if (dto.asyncResponseTimeout != null && dto.asyncResponseTimeout > MAX_RESPONSE_TIMEOUT) {
    throw invalidRequest(`The asynchronous response timeout cannot be set to a value greater than ${MAX_RESPONSE_TIMEOUT} milliseconds`);
  }
  if (dto.topics != null && !Array.isArray(dto.topics)) throw invalidRequest('');
  const topics = (dto.topics ?? []).map((t) => {
    const topic = queryFromBody(t, TOPIC);
    if (topic.topicName == null) throw invalidRequest('topicName is null');
    if (!(topic.lockDuration > 0)) throw invalidRequest('lockTime is not greater than 0');
    if (topic.processVariables != null && (typeof topic.processVariables !== 'object' || Array.isArray(topic.processVariables))) {
      throw invalidRequest('');
    }
    return topic;
  });
  return { ...dto, usePriority: !!dto.usePriority, topics };
}

/** One attempt: locks what the engine has for the request → LockedExternalTaskDto[]. */
async function lockTasks(engine, request) {
  if (!request.topics.length || request.maxTasks === 0) return [];
  const topics = [];
  for (const topic of request.topics) topics.push(await engineTopic(engine, topic));
  const locked = await engine.fetchAndLock({ workerId: request.workerId, maxTasks: request.maxTasks, usePriority: request.usePriority, topics });
  const out = [];
  for (const task of locked) {
    const topic = request.topics.find((t) => t.topicName === task.topicName);
    out.push(await lockedOut(engine, task, topic));
  }
  return out;
}

// A topic as the engine takes it; a version tag becomes the definitions that carry it.
async function engineTopic(engine, topic) {
  const { processDefinitionVersionTag, ...rest } = topic;
  if (processDefinitionVersionTag == null) return rest;
  const tagged = (await engine.processDefinitions({})).filter((d) => d.versionTag === processDefinitionVersionTag).map((d) => d.id);
  const ids = rest.processDefinitionIdIn ? rest.processDefinitionIdIn.filter((id) => tagged.includes(id)) : tagged;
  return { ...rest, processDefinitionIdIn: ids };
}

// LockedExternalTaskDto: the task, its error details and the variables the topic asked for (only
// the execution's own with localVariables). Detour has no extension properties: always {}.
async function lockedOut(engine, task, topic) {
  let variables = task.variables ?? {};
  if (topic?.localVariables) variables = await engine.variables(task.executionId, { local: true });
  if (Array.isArray(topic?.variables)) variables = Object.fromEntries(topic.variables.filter((n) => n in variables).map((n) => [n, variables[n]]));
  return {
    ...externalTaskOut(task),
    errorDetails: task.errorDetails ?? null,
    variables: variablesOut(variables),
    extensionProperties: {},
  };
}

// --- one task: complete, failure, bpmnError, extendLock --------------------------------------------

async function complete(ctx) {
  const body = queryFromBody(ctx.body, { workerId: 'string', variables: 'json', localVariables: 'json' });
  const variables = variablesIn(body.variables);
  const localVariables = variablesIn(body.localVariables);
  await onTask(ctx, body, (engine, id) => engine.completeExternalTask(id, { workerId: body.workerId, variables, localVariables }));
}

async function failure(ctx) {
  const body = queryFromBody(ctx.body, {
    workerId: 'string',
    errorMessage: 'string',
    errorDetails: 'string',
    retries: 'integer',
    retryTimeout: 'integer',
    variables: 'json',
    localVariables: 'json',
  });
  // The core's failure command sets no variables: refuse them rather than drop them silently.
  for (const field of ['variables', 'localVariables']) {
    if (Object.keys(variablesIn(body[field])).length) throw invalidRequest(`Detour does not set ${field} on a failure report`);
  }
  await onTask(ctx, body, (engine, id) =>
    engine.handleFailure(id, {
      workerId: body.workerId,
      errorMessage: body.errorMessage ?? null,
      errorDetails: body.errorDetails ?? null,
      retries: body.retries ?? 0,
      retryTimeout: body.retryTimeout ?? 0,
    }),
  );
}

async function bpmnError(ctx) {
  const body = queryFromBody(ctx.body, { workerId: 'string', errorCode: 'string', errorMessage: 'string', variables: 'json' });
  const variables = variablesIn(body.variables);
  await onTask(ctx, body, (engine, id) =>
    engine.handleBpmnError(id, { workerId: body.workerId, errorCode: body.errorCode, errorMessage: body.errorMessage ?? null, variables }),
  );
}

async function extendLock(ctx) {
  const body = queryFromBody(ctx.body, { workerId: 'string', newDuration: 'integer' });
  // ExtendLockOnExternalTaskCmd checks the duration in its constructor, before the task is looked up
  if (!((body.newDuration ?? 0) > 0)) {
    throw new RestError(400, 'lockTime is not greater than 0', { type: 'RestException', code: 0 });
  }
  await onTask(ctx, body, (engine, id) => engine.extendLock(id, { workerId: body.workerId, newDuration: body.newDuration }));
}

/**
 * Runs `action(engine, id)` with ExternalTaskResourceImpl's error mapping. A missing workerId is
 * HandleExternalTaskCmd's NullValueException ("workerId is null"), which Camunda answers with 500.
 */
async function onTask(ctx, body, action) {
  const id = ctx.params.id;
  if (body.workerId == null) throw new RestError(500, 'workerId is null', { type: 'NullValueException', code: 0 });
  try {
    await action(ctx.engine, id);
  } catch (e) {
    if (!isEngineError(e)) throw e;
    if (e.type === 'NotFoundException') throw notFound(id, 0);
    if (isBadUserRequest(e)) {
      throw new RestError(400, e.message, { type: 'RestException', code: 0 });
    }
    throw e;
  }
}
