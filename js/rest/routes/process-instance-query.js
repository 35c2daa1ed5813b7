// routes/process-instance-query.js — Camunda's process instance query (ProcessInstanceQueryDto,
// rest-contract.md §7.3 / §7.4) over the engine's running instances: the filters of GET and POST
// /process-instance and their counts, also usable by other resources that take a
// `processInstanceQuery` body (batch deletion, modification).
//
// Semantics follow Camunda's ProcessInstanceQueryImpl and its SQL (Execution.xml):
//  - the top-level criteria all hold (AND); each entry of `orQueries` is a group whose criteria
//    are OR-ed, and the groups are AND-ed with the rest (an empty group restricts nothing);
//  - the incident criteria of one query look at the same incident row (one join);
//  - a variable condition holds when some execution of the instance has a variable of that name
//    with a matching value (task variables do not count);
//  - Detour has no call activities and no cases: every instance is a root and a leaf instance,
//    none has a super/sub process instance or a case instance.

import { CoreError } from '../../core.js';
import { matches } from '../../store/memory.js';
import { parseDate } from '../dates.js';
import { invalidRequest } from '../errors.js';
import { queryFromBody, queryFromSearch } from '../params.js';
import { variablesMatch } from '../variables.js';

/** The filters of GET /process-instance (query string). */
export const QUERY_PARAMS = {
  processInstanceIds: 'stringList',
  businessKey: 'string',
  businessKeyLike: 'string',
  caseInstanceId: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionKeyIn: 'stringList',
  processDefinitionKeyNotIn: 'stringList',
  deploymentId: 'string',
  superProcessInstance: 'string',
  subProcessInstance: 'string',
  superCaseInstance: 'string',
  subCaseInstance: 'string',
  active: 'boolean',
  suspended: 'boolean',
  withIncident: 'boolean',
  incidentId: 'string',
  incidentType: 'string',
  incidentMessage: 'string',
  incidentMessageLike: 'string',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  processDefinitionWithoutTenantId: 'boolean',
  activityIdIn: 'stringList',
  rootProcessInstances: 'boolean',
  rootProcessInstanceId: 'string',
  leafProcessInstances: 'boolean',
  variables: 'variables',
  variableNamesIgnoreCase: 'boolean',
  variableValuesIgnoreCase: 'boolean',
};

/** The body form (ProcessInstanceQueryDto) adds the OR groups. */
export const BODY_PARAMS = { ...QUERY_PARAMS, orQueries: 'json' };

/** sortBy values → ProcessInstanceDto fields. */
export const SORT_KEYS = {
  instanceId: 'id',
  definitionKey: 'definitionKey',
  definitionId: 'definitionId',
  tenantId: 'tenantId',
  businessKey: 'businessKey',
};

/** A query from a GET query string. */
export function queryFromGet(search) {
  return checked(queryFromSearch(search, QUERY_PARAMS));
}

/** A query from a POST body (ProcessInstanceQueryDto), its `orQueries` read the same way. */
export function queryFromPost(body) {
  const query = checked(queryFromBody(body, BODY_PARAMS));
  if (query.orQueries !== undefined) {
    if (!Array.isArray(query.orQueries)) throw invalidRequest('');
    // Nested orQueries inside an OR group are taken by Camunda's DTO and never reach its SQL.
    query.orQueries = query.orQueries.map((q) => {
      const { orQueries, ...group } = queryFromPost(q ?? {});
      return group;
    });
  }
  return query;
}

// ProcessInstanceQueryDto knows no notLike (rest-contract.md §1.3: not every endpoint does).
function checked(query) {
  for (const c of query.variables ?? []) {
    if (c.operator === 'notLike') throw invalidRequest(`Invalid variable comparator specified: ${c.operator}`);
  }
  return query;
}

/**
 * The running instances (ProcessInstanceDto-like, without links) matching `query`, in no
 * particular order. Throws the engine exceptions Camunda's query builder throws for the same input.
 */
export async function findProcessInstances(engine, query) {
  const groups = (query.orQueries ?? []).map((q) => predicates(q, { or: true }));
  const base = predicates(query, { or: false });
  const withIncidents = [query, ...(query.orQueries ?? [])].some(usesIncidents);
  const candidates = await engine.processInstanceCandidates(storeFilter(query), { withIncidents });
  return candidates
    .filter((c) => base.every((p) => p(c)) && groups.every((g) => !g.length || g.some((p) => p(c))))
    .map((c) => c.instance);
}

// The top-level criteria the store can narrow by (the predicates check them again).
function storeFilter(q) {
  const filter = {};
  if (q.processInstanceIds?.length) filter.id = { in: q.processInstanceIds };
  if (q.processDefinitionId !== undefined) filter.processDefinitionId = q.processDefinitionId;
  if (q.processDefinitionKey !== undefined) filter.processDefinitionKey = q.processDefinitionKey;
  if (q.businessKey !== undefined) filter.businessKey = q.businessKey;
  return filter;
}

function usesIncidents(q) {
  return q.withIncident || ['incidentId', 'incidentType', 'incidentMessage', 'incidentMessageLike'].some((k) => q[k] !== undefined);
}

/**
 * One predicate (candidate → boolean) per criterion set in `q`, checked in the order Camunda's
 * ProcessInstanceQueryDto.applyFilters sets them (its complaints come in that order).
 */
function predicates(q, { or }) {
  const list = [];
  const add = (p) => list.push(p);

  if (q.processInstanceIds !== undefined) {
    if (!q.processInstanceIds.length) throw new CoreError('ProcessEngineException', 'Set of process instance ids is empty');
    const ids = new Set(q.processInstanceIds);
    add((c) => ids.has(c.instance.id));
  }
  if (q.processDefinitionKey !== undefined) add((c) => c.instance.definitionKey === q.processDefinitionKey);
  if (q.processDefinitionKeyIn?.length) add((c) => q.processDefinitionKeyIn.includes(c.instance.definitionKey));
  if (q.processDefinitionKeyNotIn?.length) add((c) => !q.processDefinitionKeyNotIn.includes(c.instance.definitionKey));
  if (q.deploymentId !== undefined) add((c) => c.deploymentId === q.deploymentId);
  if (q.businessKey !== undefined) add((c) => c.instance.businessKey === q.businessKey);
  if (q.businessKeyLike !== undefined) add((c) => like(c.instance.businessKey, q.businessKeyLike));
  if (q.withIncident) add((c) => c.incidents.length > 0);
  if (q.caseInstanceId !== undefined) add(() => false); // no instance belongs to a case
  if (q.processDefinitionId !== undefined) add((c) => c.instance.definitionId === q.processDefinitionId);
  if (q.superProcessInstance !== undefined) add(() => false); // no call activities: no sub instances
  if (q.subProcessInstance !== undefined) add(() => false); // …and no super instances
  if (q.superCaseInstance !== undefined) add(() => false);
  if (q.subCaseInstance !== undefined) add(() => false);
  // active() and suspended() set the same field: the later call, suspended, wins
  if (q.suspended) add((c) => c.instance.suspended);
  else if (q.active) add((c) => !c.instance.suspended);
  for (const p of incidentPredicates(q, { or })) add(p);
  // withoutTenantId() is applied after tenantIdIn() and replaces it
  if (q.withoutTenantId) add((c) => c.instance.tenantId == null);
  else if (q.tenantIdIn?.length) add((c) => q.tenantIdIn.includes(c.instance.tenantId));
  if (q.activityIdIn?.length) add((c) => c.activityIds().some((id) => q.activityIdIn.includes(id)));
  if (q.rootProcessInstances) {
    if (q.superProcessInstance !== undefined) {
      throw new CoreError('ProcessEngineException', 'Invalid query usage: cannot set both rootProcessInstances and superProcessInstanceId');
    }
    add(() => true); // every instance is a root instance
  }
  if (q.rootProcessInstanceId !== undefined) add((c) => c.instance.id === q.rootProcessInstanceId);
  if (q.leafProcessInstances) {
    if (q.subProcessInstance !== undefined) {
      throw new CoreError('ProcessEngineException', 'Invalid query usage: cannot set both leafProcessInstances and subProcessInstanceId');
    }
    add(() => true); // no instance calls another one
  }
  if (q.processDefinitionWithoutTenantId) add((c) => c.definitionTenantId == null);
  const options = { namesIgnoreCase: !!q.variableNamesIgnoreCase, valuesIgnoreCase: !!q.variableValuesIgnoreCase };
  for (const condition of q.variables ?? []) {
    checkCondition(condition);
    add((c) => c.variableScopes().some((scope) => conditionHolds(scope, condition, options)));
  }
  return list;
}

// The incident criteria of one query apply to the same incident (one join on ACT_RU_INCIDENT);
// in an OR group each one is its own alternative.
function incidentPredicates(q, { or }) {
  const tests = [];
  if (q.incidentId !== undefined) tests.push((i) => i.id === q.incidentId);
  if (q.incidentType !== undefined) tests.push((i) => i.incidentType === q.incidentType);
  if (q.incidentMessage !== undefined) tests.push((i) => i.incidentMessage === q.incidentMessage);
  if (q.incidentMessageLike !== undefined) tests.push((i) => like(i.incidentMessage, q.incidentMessageLike));
  if (!tests.length) return [];
  if (or) return tests.map((t) => (c) => c.incidents.some(t));
  return [(c) => c.incidents.some((i) => tests.every((t) => t(i)))];
}

const ORDER_WORDS = { gt: 'greater than', gteq: 'greater than or equal', lt: 'less than', lteq: 'less than or equal' };

// Camunda's variable query refuses to order by null or a boolean (NotValidException).
function checkCondition({ operator, value }) {
  if (ORDER_WORDS[operator] && (value == null || typeof value === 'boolean')) {
    throw new CoreError('NotValidException', `Booleans and null cannot be used in '${ORDER_WORDS[operator]}' condition`);
  }
}

// One condition against one execution's variables. Date variables compare as instants, so
// "…+0100" finds the variable written as "…+0000" an hour earlier, as Camunda's Date compare does.
function conditionHolds(scope, condition, options) {
  const name = findName(scope, condition.name, options.namesIgnoreCase);
  if (name === undefined) return false;
  const variable = scope[name];
  const wanted = variable.type === 'Date' ? parseDate(condition.value) : null;
  if (wanted !== null && condition.operator !== 'like') {
    const held = { [name]: { value: parseDate(variable.value) } };
    return variablesMatch(held, [{ ...condition, name, value: wanted }]);
  }
  return variablesMatch({ [name]: variable }, [{ ...condition, name }], { valuesIgnoreCase: options.valuesIgnoreCase });
}

function findName(scope, name, ignoreCase) {
  if (Object.hasOwn(scope, name)) return name;
  if (!ignoreCase) return undefined;
  return Object.keys(scope).find((n) => n.toLowerCase() === name.toLowerCase());
}

// SQL LIKE (% and _) as the stores understand it; null never matches.
function like(value, pattern) {
  return matches({ value }, { value: { like: pattern } });
}
