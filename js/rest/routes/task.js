// routes/task.js — user tasks (rest-contract.md §7.8): GET|POST /task, GET|POST /task/count,
// GET /task/{id}, POST /task/{id}/complete, GET /task/{id}/variables.
//
// The query reads the engine's task rows (filters the store understands go down to it, the rest are
// checked here) and answers with Camunda's TaskDto: plain by default, with `attachment`/`comment`
// for withCommentAttachmentInfo and `variables` for with(Local)TaskVariablesInReturn, as the Java
// TaskRestServiceImpl does. Detour keeps no comments, attachments or candidate users: the first
// two are always false, candidateUser/candidateGroup are not among the filters (ignored as unknown).

import { formatDate } from '../dates.js';
import { isEngineError, RestError } from '../errors.js';
import { checkComparators, likeMatches, page, queryFromBody, queryOf, sortingOf, sortRows, variableConditionsOf } from '../params.js';
import { reply } from '../router.js';
import { variablesIn, variablesMatch, variablesOut } from '../variables.js';

const QUERY = {
  taskId: 'string',
  taskIdIn: 'stringList',
  processInstanceId: 'string',
  processInstanceIdIn: 'stringList',
  processInstanceBusinessKey: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionKeyIn: 'stringList',
  executionId: 'string',
  activityInstanceIdIn: 'stringList',
  taskDefinitionKey: 'string',
  taskDefinitionKeyIn: 'stringList',
  taskDefinitionKeyLike: 'string',
  name: 'string',
  nameLike: 'string',
  assignee: 'string',
  assigned: 'boolean',
  unassigned: 'boolean',
  active: 'boolean',
  suspended: 'boolean',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  variableNamesIgnoreCase: 'boolean',
  variableValuesIgnoreCase: 'boolean',
  withCommentAttachmentInfo: 'boolean',
  withTaskVariablesInReturn: 'boolean',
  withTaskLocalVariablesInReturn: 'boolean',
};

// TaskQueryDto's sortBy values → TaskDto field (case ids and dates Detour does not keep sort as null).
const SORT_KEYS = {
  instanceId: 'processInstanceId',
  caseInstanceId: 'caseInstanceId',
  dueDate: 'due',
  followUpDate: 'followUp',
  executionId: 'executionId',
  caseExecutionId: 'caseExecutionId',
  assignee: 'assignee',
  created: 'created',
  lastUpdated: 'lastUpdated',
  description: 'description',
  id: 'id',
  name: 'name',
  nameCaseInsensitive: (t) => t.name?.toLowerCase() ?? null,
  priority: 'priority',
  tenantId: 'tenantId',
};

// The comparators TaskQueryDto.applyFilters accepts per kind of variable condition.
const PROCESS_OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like', 'notLike'];
const TASK_OPERATORS = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like'];

const TASK_DATES = ['created', 'lastUpdated', 'due', 'followUp'];

export function register(router) {
  router.get('/task', listTasks);
  router.post('/task', listTasks);
  router.get('/task/count', countTasks);
  router.post('/task/count', countTasks);
  router.get('/task/:id', getTask);
  router.post('/task/:id/complete', completeTask);
  router.get('/task/:id/variables', getTaskVariables);
}

// --- queries -----------------------------------------------------------------------------------

async function listTasks(ctx) {
  const { query, rows } = await findTasks(ctx);
  const out = [];
  for (const row of page(sortRows(rows, sortingOf(ctx, SORT_KEYS)), ctx.search)) out.push(await listEntry(ctx, row, query));
  return out;
}

async function countTasks(ctx) {
  sortingOf(ctx, SORT_KEYS); // a bad sorting is refused for counts too (the DTO checks it)
  return { count: (await findTasks(ctx)).rows.length };
}

/** The engine's task rows matching the request's query → {query, rows}. */
async function findTasks(ctx) {
  const query = queryOf(ctx, QUERY);
  const processVariables = checkComparators(variableConditionsOf(ctx, 'processVariables'), PROCESS_OPERATORS, 'process');
  const taskVariables = checkComparators(variableConditionsOf(ctx, 'taskVariables'), TASK_OPERATORS, 'task');
  let rows = (await ctx.engine.tasks(storeFilter(query))).filter((t) => accepts(query, t));
  if (query.processInstanceBusinessKey != null) {
    const ids = new Set((await ctx.engine.processInstances({ businessKey: query.processInstanceBusinessKey })).map((i) => i.id));
    rows = rows.filter((t) => ids.has(t.processInstanceId));
  }
  if (processVariables || taskVariables) {
    const ignoreCase = { namesIgnoreCase: !!query.variableNamesIgnoreCase, valuesIgnoreCase: !!query.variableValuesIgnoreCase };
    const kept = [];
    for (const t of rows) {
      if (processVariables && !variablesMatch(await ctx.engine.variables(t.processInstanceId), processVariables, ignoreCase)) continue;
      if (taskVariables && !variablesMatch(await ctx.engine.taskVariables(t.id, { local: true }), taskVariables, ignoreCase)) continue;
      kept.push(t);
    }
    rows = kept;
  }
  return { query, rows };
}

// The conditions on task row fields the store answers itself (memory.js matches() language).
function storeFilter(q) {
  return {
    taskId: q.taskId,
    processInstanceId: q.processInstanceId,
    processDefinitionId: q.processDefinitionId,
    processDefinitionKey: definitionKeys(q),
    executionId: q.executionId,
    taskDefinitionKey: q.taskDefinitionKey,
    assignee: q.assignee,
  };
}

// processDefinitionKey and processDefinitionKeyIn as one condition: the engine's task rows carry
// the key but TaskDto does not, so both have to go down to the store.
function definitionKeys(q) {
  if (q.processDefinitionKeyIn == null) return q.processDefinitionKey;
  const keys = q.processDefinitionKey == null ? q.processDefinitionKeyIn : q.processDefinitionKeyIn.filter((k) => k === q.processDefinitionKey);
  return { in: keys };
}

// The remaining conditions, on TaskDto-like rows; flags act only when true (Camunda's rule).
function accepts(q, t) {
  const inList = (list, v) => !list || list.includes(v);
  if (!inList(q.taskIdIn, t.id) || !inList(q.processInstanceIdIn, t.processInstanceId)) return false;
  if (!inList(q.activityInstanceIdIn, t.activityInstanceId) || !inList(q.taskDefinitionKeyIn, t.taskDefinitionKey)) return false;
  if (q.taskDefinitionKeyLike != null && !likeMatches(q.taskDefinitionKeyLike, t.taskDefinitionKey)) return false;
  // Camunda matches task names case-insensitively (UPPER(RES.NAME_) = UPPER(#{name}))
  if (q.name != null && t.name?.toLowerCase() !== q.name.toLowerCase()) return false;
  if (q.nameLike != null && !likeMatches(q.nameLike, t.name, { ignoreCase: true })) return false;
  if (q.assigned && t.assignee == null) return false;
  if (q.unassigned && t.assignee != null) return false;
  if (q.active && t.suspended) return false;
  if (q.suspended && !t.suspended) return false;
  // withoutTenantId is applied after tenantIdIn and wins, as in TaskQueryImpl
  if (q.withoutTenantId) return t.tenantId == null;
  return inList(q.tenantIdIn, t.tenantId);
}

// One entry of GET /task: the TaskDto, plus what the request's flags add.
async function listEntry(ctx, row, q) {
  const dto = taskOut(row);
  if (q.withCommentAttachmentInfo) Object.assign(dto, { attachment: false, comment: false });
  if (q.withTaskVariablesInReturn || q.withTaskLocalVariablesInReturn) {
    const local = !q.withTaskVariablesInReturn;
    dto.variables = variablesOut(await ctx.engine.taskVariables(row.id, { local }));
  }
  return dto;
}

/** An engine task row as Camunda's TaskDto (the engine's activityInstanceId is not part of it). */
function taskOut(row) {
  const { activityInstanceId, processDefinitionKey, ...dto } = row;
  for (const field of TASK_DATES) dto[field] = formatDate(dto[field] ?? null);
  return dto;
}

// --- one task ----------------------------------------------------------------------------------

async function getTask(ctx) {
  const [row] = await ctx.engine.tasks({ taskId: ctx.params.id });
  if (!row) throw new RestError(404, `No matching task with id ${ctx.params.id}`);
  return taskOut(row);
}

/**
 * POST /task/{id}/complete → 204, or 200 with the process instance's variables after completion
 * (withVariablesInReturn). As TaskResourceImpl: a variable the engine cannot convert is a 400, any
 * other engine failure (an unknown task included) a 500, both worded "Cannot complete task X: …".
 */
async function completeTask(ctx) {
  const id = ctx.params.id;
  const body = queryFromBody(ctx.body, { variables: 'json', withVariablesInReturn: 'boolean' });
  const variables = variablesIn(body.variables);
  let task;
  try {
    [task] = await ctx.engine.tasks({ taskId: id });
    await ctx.engine.completeTask(id, variables);
  } catch (e) {
    throw completeError(id, e);
  }
  if (!body.withVariablesInReturn) return undefined;
  return reply(200, variablesOut(await variablesAfter(ctx.engine, task.processInstanceId)));
}

function completeError(id, e) {
  if (!isEngineError(e)) return e;
  const message = `Cannot complete task ${id}: ${e.message}`;
  // the variable conversion complaints (InvalidRequestException) keep their 400; the rest is a 500
  if (e.type === 'InvalidRequestException') return new RestError(400, message);
  return new RestError(500, message, { type: 'RestException', code: e.type === 'OptimisticLockingException' ? 1 : 0 });
}

// The process instance's own variables once the completion ran on: the live ones, or — when the
// instance ended — its last historic values (Camunda's ExecutionVariableSnapshotObserver).
async function variablesAfter(engine, processInstanceId) {
  const [running] = await engine.processInstances({ processInstanceId });
  if (running) return engine.variables(processInstanceId);
  const rows = await engine.historicVariableInstances({ processInstanceId, includeDeleted: true });
  const out = {};
  for (const v of rows) {
    if (v.executionId !== processInstanceId && v.activityInstanceId !== processInstanceId) continue;
    out[v.name] = { type: v.type, value: v.value, valueInfo: v.valueInfo ?? {} };
  }
  return out;
}

// --- variables ---------------------------------------------------------------------------------

/** GET /task/{id}/variables: the variables visible from the task (deserializeValues is a no-op). */
async function getTaskVariables(ctx) {
  const id = ctx.params.id;
  const [task] = await ctx.engine.tasks({ taskId: id });
  // GetTaskVariablesCmd's ensureNotNull (a NullValueException) reaches the generic handler: 500
  if (!task) throw new RestError(500, `task ${id} doesn't exist: task is null`, { type: 'NullValueException', code: 0 });
  return variablesOut(await ctx.engine.taskVariables(id));
}
