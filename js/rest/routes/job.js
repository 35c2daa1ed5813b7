// routes/job.js — jobs (rest-contract.md §7.7): GET|POST /job, GET|POST /job/count, GET /job/{id},
// POST /job/{id}/execute, PUT /job/{id}/retries and GET /job/{id}/stacktrace.
//
// Error statuses are JobResourceImpl's: executing a job turns every engine exception into a 404
// (an unknown job and a job that failed while running alike), setting retries every engine
// exception into a 500. The core keeps a failed job's exception message, not a Java stack trace:
// GET /job/{id}/stacktrace answers with the details the job holds (its message), and with 404 when
// the job has none.

import { parseDate, withDates } from '../dates.js';
import { invalidRequest, isEngineError, RestError } from '../errors.js';
import { page, queryFromBody, queryOf, sortingOf, sortRows } from '../params.js';
import { reply } from '../router.js';

const QUERY = {
  jobId: 'string',
  jobIds: 'stringList',
  jobDefinitionId: 'string',
  processInstanceId: 'string',
  processInstanceIds: 'stringList',
  executionId: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  activityId: 'string',
  withRetriesLeft: 'boolean',
  executable: 'boolean',
  timers: 'boolean',
  messages: 'boolean',
  withException: 'boolean',
  exceptionMessage: 'string',
  failedActivityId: 'string',
  noRetriesLeft: 'boolean',
  active: 'boolean',
  suspended: 'boolean',
  priorityLowerThanOrEquals: 'integer',
  priorityHigherThanOrEquals: 'integer',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  includeJobsWithoutTenantId: 'boolean',
  acquired: 'boolean',
};

const SORT_KEYS = {
  jobId: 'id',
  executionId: 'executionId',
  processInstanceId: 'processInstanceId',
  processDefinitionId: 'processDefinitionId',
  processDefinitionKey: 'processDefinitionKey',
  jobPriority: 'priority',
  jobRetries: 'retries',
  jobDueDate: 'dueDate',
  tenantId: 'tenantId',
};

// The date conditions of a job query: parameter → (wording in messages, row field, operator → test).
// JobQueryImpl: duedateHigherThan / duedateLowerThan are strict, createdBefore is "<=".
const DATE_CONDITIONS = {
  dueDates: { label: 'due date', field: 'dueDate', gt: (v, d) => v > d, lt: (v, d) => v < d },
  createTimes: { label: 'create time', field: 'createTime', gt: (v, d) => v > d, lt: (v, d) => v <= d },
};

export function register(router) {
  router.get('/job', listJobs);
  router.post('/job', listJobs);
  router.get('/job/count', countJobs);
  router.post('/job/count', countJobs);
  router.get('/job/:id', getJob);
  router.post('/job/:id/execute', executeJob);
  router.put('/job/:id/retries', setRetries);
  router.get('/job/:id/stacktrace', getStacktrace);
}

// --- queries -----------------------------------------------------------------------------------

async function listJobs(ctx) {
  const rows = await findJobs(ctx);
  return page(sortRows(rows, sortingOf(ctx, SORT_KEYS)), ctx.search).map(jobOut);
}

async function countJobs(ctx) {
  sortingOf(ctx, SORT_KEYS);
  return { count: (await findJobs(ctx)).length };
}

async function findJobs(ctx) {
  const q = queryOf(ctx, QUERY);
  if (q.timers && q.messages) throw invalidRequest('Parameter timers cannot be used together with parameter messages.');
  const dates = [];
  for (const [param, kind] of Object.entries(DATE_CONDITIONS)) dates.push(...dateConditions(ctx, param, kind));
  const now = ctx.engine.clock();
  const rows = await ctx.engine.jobs(storeFilter(q, now));
  return rows.filter((j) => accepts(q, j, now) && dates.every((test) => test(j)));
}

// Conditions the store answers on job rows (memory.js matches() language). The lock fields are the
// store's own and are not part of JobDto, so `acquired` is asked of the store.
function storeFilter(q, now) {
  const filter = {
    jobId: q.jobId,
    jobDefinitionId: q.jobDefinitionId,
    processInstanceId: q.processInstanceId,
    executionId: q.executionId,
    processDefinitionId: q.processDefinitionId,
    processDefinitionKey: q.processDefinitionKey,
    activityId: q.activityId,
    failedActivityId: q.failedActivityId,
    exceptionMessage: q.exceptionMessage,
  };
  if (q.acquired) Object.assign(filter, { lockOwner: { ne: null }, lockExpirationTime: { gt: now } });
  return filter;
}

// The other conditions, on JobDto-like rows; flags act only when true.
function accepts(q, j, now) {
  const inList = (list, v) => !list || list.includes(v);
  if (!inList(q.jobIds, j.id) || !inList(q.processInstanceIds, j.processInstanceId)) return false;
  if (q.withRetriesLeft && !(j.retries > 0)) return false;
  if (q.noRetriesLeft && j.retries !== 0) return false;
  if (q.executable && !(j.retries > 0 && (j.dueDate == null || j.dueDate <= now) && !j.suspended)) return false;
  // Camunda's job types: timers are 'timer', every other job (async continuations) a 'message'
  if (q.timers && j.jobType !== 'timer') return false;
  if (q.messages && j.jobType === 'timer') return false;
  if (q.withException && j.exceptionMessage == null) return false;
  if ((q.active && j.suspended) || (q.suspended && !j.suspended)) return false;
  if (q.priorityHigherThanOrEquals != null && !(j.priority >= q.priorityHigherThanOrEquals)) return false;
  if (q.priorityLowerThanOrEquals != null && !(j.priority <= q.priorityLowerThanOrEquals)) return false;
  return tenantAccepts(q, j.tenantId);
}

// JobQueryDto applies tenantIdIn, then withoutTenantId (which replaces it), then the inclusion of
// jobs without tenant.
function tenantAccepts(q, tenantId) {
  if (q.withoutTenantId) return tenantId == null;
  if (!q.tenantIdIn) return true;
  return q.tenantIdIn.includes(tenantId) || (!!q.includeJobsWithoutTenantId && tenantId == null);
}

/**
 * The tests of one date condition parameter: "gt_<date>,lt_<date>" in a GET (ConditionListConverter),
 * [{operator, value}] in a body. The date is read before the operator is checked, as in JobQueryDto.
 */
function dateConditions(ctx, param, { label, field, ...ops }) {
  let conditions;
  if (ctx.method === 'POST') {
    const raw = ctx.body?.[param];
    if (raw == null) return [];
    if (!Array.isArray(raw) || raw.some((c) => !c || typeof c !== 'object')) throw invalidRequest('');
    conditions = raw;
  } else {
    const raw = ctx.search.get(param);
    if (raw === null) return [];
    conditions = raw.split(',').map((text) => {
      const parts = text.split('_');
      if (parts.length !== 2) throw invalidRequest('condition query parameter has to have format OPERATOR_VALUE.');
      return { operator: parts[0], value: parts[1] };
    });
  }
  return conditions.map(({ operator, value }) => {
    const date = parseDate(value);
    if (date === null) throw invalidRequest(`Invalid ${label} format: Cannot convert value "${value}" to java type java.util.Date`);
    const test = Object.hasOwn(ops, operator) ? ops[operator] : null;
    if (!test) throw invalidRequest(`Invalid ${label} comparator specified: ${operator}`);
    return (row) => row[field] != null && test(row[field], date);
  });
}

/** The engine's job (js/dto.js) as Camunda's JobDto: without the engine's activityId and jobType, REST dates. */
function jobOut(j) {
  const { activityId, jobType, ...dto } = j;
  return withDates(dto, ['dueDate', 'createTime']);
}

// --- one job -----------------------------------------------------------------------------------

async function findJob(engine, id) {
  return (await engine.jobs({ jobId: id }))[0] ?? null;
}

async function getJob(ctx) {
  const job = await findJob(ctx.engine, ctx.params.id);
  if (!job) throw new RestError(404, `Job with id ${ctx.params.id} does not exist`);
  return jobOut(job);
}

/**
 * POST /job/{id}/execute → 204. A failing job is recorded by the engine (retries − 1, exception
 * message, a failedJob incident at 0) before its failure comes back here as a 404.
 */
async function executeJob(ctx) {
  const id = ctx.params.id;
  // ExecuteJobsCmd's own message for an unknown job (JobExecutorLogger, ENGINE-14026)
  if (!(await findJob(ctx.engine, id))) throw new RestError(404, `ENGINE-14026 No job found with id '${id}'`);
  try {
    await ctx.engine.executeJob(id);
  } catch (e) {
    if (isEngineError(e)) throw new RestError(404, e.message);
    throw e;
  }
}

/** PUT /job/{id}/retries {retries, dueDate} → 204; a dueDate given as null makes the job due now. */
async function setRetries(ctx) {
  const body = queryFromBody(ctx.body, { retries: 'integer', dueDate: 'date' });
  const options = ctx.body && Object.hasOwn(ctx.body, 'dueDate') ? { dueDate: body.dueDate ?? null } : {};
  try {
    await ctx.engine.setJobRetries(ctx.params.id, body.retries ?? null, options);
  } catch (e) {
    if (isEngineError(e)) throw new RestError(500, e.message);
    throw e;
  }
}

/** GET /job/{id}/stacktrace → text/plain: the failure details the job keeps (Detour: its message). */
async function getStacktrace(ctx) {
  const id = ctx.params.id;
  const job = (await ctx.engine.jobs({ jobId: id }))[0];
  // GetJobExceptionStacktraceCmd: ensureNotNull("No job found with id " + id, "job", job)
  if (!job) throw new RestError(404, `No job found with id ${id}: job is null`);
  const text = job.exceptionDetails ?? job.exceptionMessage;
  if (text == null) throw new RestError(404, `Job with id ${id} has no exception stacktrace`);
  return reply(200, text, { 'content-type': 'text/plain;charset=UTF-8' });
}
