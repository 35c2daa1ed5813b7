// routes/history-process-instance.js — /history/process-instance (rest-contract.md §7.5):
// GET|POST list and count, GET /{id}. Rows are the engine's historic process instances; the
// filters that look at other history (incidents, activity instances, variables) or at the
// runtime (active activities, retrying jobs) load those rows once per query, for the candidates.
//
// Camunda builds one SQL query: the main query's conditions are ANDed; each `orQueries` entry is a
// group whose conditions are ORed, ANDed with the rest. Conditions on a joined table share one
// joined row in the main query (an incident that is both of that type and open), and stand alone
// in an or-group — the functions below keep that distinction (`mode`).

import { CoreError } from '../../core.js';
import { invalidRequest, RestError } from '../errors.js';
import { queryFromBody } from '../params.js';
import { variablesMatch } from '../variables.js';
import { badQuery, checkComparators, groupBy, pickDto, registerGet, registerQuery, tenantCondition, where } from './history-query.js';

const PATH = '/history/process-instance';
const MAX_IDS = 1000;

const FILTERS = {
  processInstanceId: 'string',
  processInstanceIds: 'stringList',
  processInstanceIdNotIn: 'stringList',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionKeyIn: 'stringList',
  processDefinitionKeyNotIn: 'stringList',
  processDefinitionName: 'string',
  processDefinitionNameLike: 'string',
  processInstanceBusinessKey: 'string',
  processInstanceBusinessKeyIn: 'stringList',
  processInstanceBusinessKeyLike: 'string',
  rootProcessInstances: 'boolean',
  rootProcessInstanceId: 'string',
  finished: 'boolean',
  unfinished: 'boolean',
  withJobsRetrying: 'boolean',
  withIncidents: 'boolean',
  withRootIncidents: 'boolean',
  incidentIdIn: 'stringList',
  incidentType: 'string',
  incidentStatus: 'string',
  incidentMessage: 'string',
  incidentMessageLike: 'string',
  startedBefore: 'date',
  startedAfter: 'date',
  finishedBefore: 'date',
  finishedAfter: 'date',
  executedActivityAfter: 'date',
  executedActivityBefore: 'date',
  executedJobAfter: 'date',
  executedJobBefore: 'date',
  startedBy: 'string',
  superProcessInstanceId: 'string',
  subProcessInstanceId: 'string',
  superCaseInstanceId: 'string',
  subCaseInstanceId: 'string',
  caseInstanceId: 'string',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  activityIdIn: 'stringList',
  executedActivityIdIn: 'stringList',
  activeActivityIdIn: 'stringList',
  active: 'boolean',
  suspended: 'boolean',
  completed: 'boolean',
  externallyTerminated: 'boolean',
  internallyTerminated: 'boolean',
  variables: 'variables',
  variableNamesIgnoreCase: 'boolean',
  variableValuesIgnoreCase: 'boolean',
};

const BODY = { ...FILTERS, orQueries: 'json' };

const SORT_KEYS = {
  instanceId: 'id',
  definitionId: 'processDefinitionId',
  definitionKey: 'processDefinitionKey',
  definitionName: 'processDefinitionName',
  definitionVersion: 'processDefinitionVersion',
  businessKey: 'businessKey',
  startTime: 'startTime',
  endTime: 'endTime',
  duration: 'durationInMillis',
  tenantId: 'tenantId',
};

// HistoricProcessInstanceDto: exactly these fields (the row's endActivityId stays internal).
const FIELDS = [
  'id', 'businessKey', 'processDefinitionId', 'processDefinitionKey', 'processDefinitionName',
  'processDefinitionVersion', 'startTime', 'endTime', 'removalTime', 'durationInMillis', 'startUserId',
  'startActivityId', 'deleteReason', 'rootProcessInstanceId', 'superProcessInstanceId',
  'superCaseInstanceId', 'caseInstanceId', 'tenantId', 'state', 'restartedProcessInstanceId',
];

export function historicProcessInstanceDto(row) {
  return pickDto(row, FIELDS, ['startTime', 'endTime', 'removalTime']);
}

// The state flags in the order Java applies them; a second one is refused by the engine.
const STATES = [
  ['active', 'ACTIVE'],
  ['suspended', 'SUSPENDED'],
  ['completed', 'COMPLETED'],
  ['externallyTerminated', 'EXTERNALLY_TERMINATED'],
  ['internallyTerminated', 'INTERNALLY_TERMINATED'],
];

export function register(router) {
  registerQuery(router, PATH, { spec: FILTERS, bodySpec: BODY, sortKeys: SORT_KEYS, select: selectInstances, dto: historicProcessInstanceDto });
  registerGet(router, PATH, {
    find: async (engine, id) => (await engine.historicProcessInstances({ processInstanceId: id }))[0],
    dto: historicProcessInstanceDto,
    message: (id) => `Historic process instance with id ${id} does not exist`,
  });
}

/**
 * The historic process instance rows matching a `historicProcessInstanceQuery` JSON object of
 * another resource's body (restart, deletion, modification): HistoricProcessInstanceQueryDto with
 * its orQueries. Bad fields are the same 400s as on POST /history/process-instance.
 */
export function historicProcessInstancesByQuery(engine, dto) {
  return selectInstances(engine, queryFromBody(dto, BODY));
}

/** The historic process instances matching a parsed HistoricProcessInstanceQueryDto. */
export async function selectInstances(engine, query) {
  const orQueries = parseOrQueries(query.orQueries);
  const main = queryTerms(query, 'and');
  const groups = orQueries.map((q) => queryTerms(q, 'or'));
  const rows = await engine.historicProcessInstances(storeFilter(query));
  const related = await loadRelated(engine, rows, [main, ...groups]);
  return rows.filter((row) =>
    main.tests.every((test) => test(row, related)) &&
    groups.every((g) => !g.tests.length || g.tests.some((test) => test(row, related))));
}

// The body's orQueries: each a query object read with the same parameter types (nested orQueries
// are dropped, as Java's SQL only looks at the top-level list).
function parseOrQueries(raw) {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalidRequest('');
  return raw.map((q) => queryFromBody(q, FILTERS));
}

// The store does the cheap part: the instance ids and the definition, when the main query has them.
function storeFilter(q) {
  const filter = {};
  if (q.processInstanceId != null) filter.processInstanceId = q.processInstanceId;
  else if (q.processInstanceIds?.length) filter.processInstanceId = { in: q.processInstanceIds };
  if (q.processDefinitionId != null) filter.processDefinitionId = q.processDefinitionId;
  if (q.processDefinitionKey != null) filter.processDefinitionKey = q.processDefinitionKey;
  return filter;
}

/**
 * One query (main or or-group) → {tests: [(row, related) → boolean], needs: the related data
 * the tests read, query}. Refuses what Java's query builder refuses.
 */
function queryTerms(q, mode) {
  const tests = [];
  const needs = new Set();
  instanceTests(q, tests);
  relatedTests(q, mode, tests, needs);
  return { tests, needs, query: q };
}

// Conditions on the historic process instance row itself.
function instanceTests(q, tests) {
  const field = (name, condition) => tests.push(where(name, condition));
  if (q.processInstanceId != null) field('id', q.processInstanceId);
  if (q.processInstanceIds != null) {
    if (!q.processInstanceIds.length) throw badQuery('Set of process instance ids is empty');
    field('id', { in: q.processInstanceIds });
  }
  if (q.processInstanceIdNotIn?.length) tests.push((row) => !q.processInstanceIdNotIn.includes(row.id));
  if (q.rootProcessInstanceId != null) field('rootProcessInstanceId', q.rootProcessInstanceId);
  definitionTests(q, field, tests);
  if (q.processInstanceBusinessKey != null) field('businessKey', q.processInstanceBusinessKey);
  if (q.processInstanceBusinessKeyIn?.length) field('businessKey', { in: q.processInstanceBusinessKeyIn });
  if (q.processInstanceBusinessKeyLike != null) field('businessKey', { like: q.processInstanceBusinessKeyLike });
  if (q.rootProcessInstances) {
    if (q.superProcessInstanceId != null) throw badQuery('Invalid query usage: cannot set both rootProcessInstances and superProcessInstanceId');
    if (q.superCaseInstanceId != null) throw badQuery('Invalid query usage: cannot set both rootProcessInstances and superCaseInstanceId');
    field('superProcessInstanceId', null);
  }
  if (q.finished) field('endTime', { ne: null });
  if (q.unfinished) field('endTime', null);
  if (q.startedBefore != null) field('startTime', { lte: q.startedBefore });
  if (q.startedAfter != null) field('startTime', { gte: q.startedAfter });
  if (q.finishedBefore != null) field('endTime', { lte: q.finishedBefore });
  if (q.finishedAfter != null) field('endTime', { gte: q.finishedAfter });
  if (q.startedBy != null) field('startUserId', q.startedBy);
  if (q.superProcessInstanceId != null) field('superProcessInstanceId', q.superProcessInstanceId);
  if (q.superCaseInstanceId != null) field('superCaseInstanceId', q.superCaseInstanceId);
  if (q.subCaseInstanceId != null) tests.push(() => false); // Detour runs no case instances
  if (q.caseInstanceId != null) field('caseInstanceId', q.caseInstanceId);
  const tenant = tenantCondition(q);
  if (tenant !== undefined) field('tenantId', tenant);
  const state = stateFilter(q);
  if (state) field('state', state);
}

function definitionTests(q, field, tests) {
  if (q.processDefinitionId != null) field('processDefinitionId', q.processDefinitionId);
  if (q.processDefinitionKey != null) field('processDefinitionKey', q.processDefinitionKey);
  if (q.processDefinitionKeyIn?.length) field('processDefinitionKey', { in: q.processDefinitionKeyIn });
  if (q.processDefinitionName != null) field('processDefinitionName', q.processDefinitionName);
  if (q.processDefinitionNameLike != null) field('processDefinitionName', { like: q.processDefinitionNameLike });
  if (q.processDefinitionKeyNotIn != null) {
    if (q.processDefinitionKeyNotIn.includes('')) throw new CoreError('NotValidException', 'processDefinitionKeys contains empty string');
    const notIn = q.processDefinitionKeyNotIn; // Java: KEY_ not like each of them
    if (notIn.length) tests.push((row) => notIn.every((k) => !where('processDefinitionKey', { like: k })(row)));
  }
}

// Conditions on other rows: incidents, activity instances, variables, jobs, the runtime, the sub instance.
function relatedTests(q, mode, tests, needs) {
  if (q.withJobsRetrying) {
    needs.add('retryingJobs');
    tests.push((row, rel) => rel.retryingJobs.has(row.id));
  }
  joined(tests, needs, 'incidents', incidentConditions(q), mode);
  if (q.subProcessInstanceId != null) {
    needs.add('superOf');
    tests.push((row, rel) => rel.superOf.get(q.subProcessInstanceId) === row.id);
  }
  variableTerms(tests, needs, q, mode);
  executedActivityTerm(tests, needs, q);
  if (q.activityIdIn?.length) {
    needs.add('runtimeActivities');
    tests.push((row, rel) => q.activityIdIn.some((a) => rel.runtimeActivities.get(a)?.has(row.id)));
  }
  joined(tests, needs, 'activities', activityConditions(q), mode);
  if (q.executedJobAfter != null || q.executedJobBefore != null) {
    const name = q.executedJobAfter != null ? 'executedJobAfter' : 'executedJobBefore';
    throw new RestError(400, `Filter '${name}' is not supported: Detour keeps no historic job log`);
  }
}

// Conditions on one joined row kind: in the main query they hold for the same row; in an or-group
// each is its own "some row" alternative.
function joined(tests, needs, kind, conditions, mode) {
  if (!conditions.length) return;
  needs.add(kind);
  const some = (row, rel, cond) => (rel[kind].get(row.id) ?? []).some(cond);
  if (mode === 'and') tests.push((row, rel) => some(row, rel, (r) => conditions.every((c) => c(r))));
  else for (const c of conditions) tests.push((row, rel) => some(row, rel, c));
}

// Incident conditions (ACT_HI_INCIDENT joined per instance). Any of them requires an incident.
function incidentConditions(q) {
  const conds = [];
  const any = () => true;
  if (q.withIncidents) conds.push(any);
  if (q.withRootIncidents) conds.push((i) => i.id === i.rootCauseIncidentId);
  if (q.incidentIdIn?.length) conds.push((i) => q.incidentIdIn.includes(i.id));
  if (q.incidentStatus != null) {
    // only 'open' and 'resolved' add a condition; another value still joins the incidents
    conds.push(q.incidentStatus === 'open' ? (i) => i.endTime == null : q.incidentStatus === 'resolved' ? (i) => i.endTime != null : any);
  }
  if (q.incidentType != null) conds.push(where('incidentType', q.incidentType));
  if (q.incidentMessage != null) conds.push(where('incidentMessage', q.incidentMessage));
  if (q.incidentMessageLike != null) conds.push(where('incidentMessage', { like: q.incidentMessageLike }));
  return conds;
}

// Activity-instance conditions (ACT_HI_ACTINST joined per instance): executed = ended there,
// active = still there. In the main query both must hold for one activity instance.
function activityConditions(q) {
  const conds = [];
  if (q.executedActivityIdIn?.length) conds.push((a) => a.endTime != null && q.executedActivityIdIn.includes(a.activityId));
  if (q.activeActivityIdIn?.length) conds.push((a) => a.endTime == null && q.activeActivityIdIn.includes(a.activityId));
  return conds;
}

// executedActivityAfter / Before: some activity instance started or ended in the window.
function executedActivityTerm(tests, needs, q) {
  const after = q.executedActivityAfter;
  const before = q.executedActivityBefore;
  if (after == null && before == null) return;
  needs.add('activities');
  const ge = (t, x) => t != null && t >= x;
  const le = (t, x) => t != null && t <= x;
  const inWindow = (a) =>
    (after == null || ge(a.startTime, after) || ge(a.endTime, after)) &&
    (before == null || le(a.startTime, before) || le(a.endTime, before));
  tests.push((row, rel) => (rel.activities.get(row.id) ?? []).some(inWindow));
}

/**
 * Variable conditions on the instance's historic variables (their last values, any scope of the
 * instance). In the main query the conditions on one name must hold for one variable; in an
 * or-group each condition stands alone.
 */
function variableTerms(tests, needs, q, mode) {
  if (!q.variables?.length) return;
  checkComparators(q.variables);
  needs.add('variables');
  const options = { namesIgnoreCase: !!q.variableNamesIgnoreCase, valuesIgnoreCase: !!q.variableValuesIgnoreCase };
  const key = (name) => (options.namesIgnoreCase ? name.toLowerCase() : name);
  const groups = mode === 'and' ? [...groupBy(q.variables.map((c) => ({ ...c, key: key(c.name) })), 'key').values()] : q.variables.map((c) => [c]);
  for (const conditions of groups) {
    tests.push((row, rel) => (rel.variables.get(row.id) ?? []).some((v) => variablesMatch({ [v.name]: v }, conditions, options)));
  }
}

// At most one state flag (Java: "Already querying for historic process instance with another state").
function stateFilter(q) {
  let state = null;
  for (const [flag, value] of STATES) {
    if (!q[flag]) continue;
    if (state) throw badQuery(`Already querying for historic process instance with another state: ${state} is not null`);
    state = value;
  }
  return state;
}

// Loads what the queries' tests need, for the candidate instances only, once.
async function loadRelated(engine, rows, queries) {
  const needs = new Set(queries.flatMap((q) => [...q.needs]));
  const related = emptyRelated();
  if (!needs.size || !rows.length) return related;
  // the candidates' rows (all rows when there are too many ids for one SQL IN list)
  const ids = rows.map((r) => r.id);
  const ofCandidates = ids.length <= MAX_IDS ? { processInstanceId: { in: ids } } : {};
  if (needs.has('incidents')) related.incidents = groupBy(await engine.historicIncidents(ofCandidates), 'processInstanceId');
  if (needs.has('activities')) related.activities = groupBy(await engine.historicActivityInstances(ofCandidates), 'processInstanceId');
  if (needs.has('variables')) related.variables = groupBy(await engine.historicVariableInstances(ofCandidates), 'processInstanceId');
  if (needs.has('retryingJobs')) {
    const jobs = await engine.jobs(ofCandidates);
    related.retryingJobs = new Set(jobs.filter((j) => j.retries > 0 && j.exceptionMessage != null).map((j) => j.processInstanceId));
  }
  if (needs.has('runtimeActivities')) related.runtimeActivities = await runtimeActivities(engine, queries);
  if (needs.has('superOf')) related.superOf = await superInstances(engine, queries);
  return related;
}

function emptyRelated() {
  const related = { retryingJobs: new Set() };
  for (const kind of ['incidents', 'activities', 'variables', 'runtimeActivities', 'superOf']) related[kind] = new Map();
  return related;
}

// activityIdIn: the running instances with a token at each asked activity (async and failed included).
async function runtimeActivities(engine, queries) {
  const out = new Map();
  const wanted = new Set(queries.flatMap(({ query }) => query.activityIdIn ?? []));
  for (const activityId of wanted) {
    out.set(activityId, new Set((await engine.processInstances({ activityId })).map((pi) => pi.id)));
  }
  return out;
}

// subProcessInstanceId: the super instance of each named sub instance.
async function superInstances(engine, queries) {
  const out = new Map();
  for (const id of new Set(queries.map(({ query }) => query.subProcessInstanceId).filter((id) => id != null))) {
    const [sub] = await engine.historicProcessInstances({ processInstanceId: id });
    out.set(id, sub?.superProcessInstanceId ?? null);
  }
  return out;
}
