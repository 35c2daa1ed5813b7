// routes/process-definition.js — process definitions (rest-contract.md §7.2): the query and
// count, one definition by id or by key (latest version without tenant), its BPMN XML, starting
// an instance (with start instructions), activity statistics and the suspension state.
//
// Messages and statuses are those of Camunda's ProcessDefinitionRestServiceImpl and
// ProcessDefinitionResourceImpl: an unknown id is a 404 for the definition itself, a 400 for its
// XML, a 500 for a start (like every engine failure of a start); an unknown key is a 404
// RestException for every /key/{key} path.

import { CoreError } from '../../core.js';
import { matches } from '../../store/memory.js';
import { parseDate } from '../dates.js';
import { RestError, asRestError, invalidRequest, isEngineError } from '../errors.js';
import { page, queryFromSearch, sorting, sortRows, splitFilters, tenantConditions } from '../params.js';
import { instructionsFor, instructionsShape } from '../instructions.js';
import { typedValues, variablesIn, variablesOut } from '../variables.js';
import { processInstanceDto } from './process-instance.js';

const QUERY = {
  processDefinitionId: 'string',
  processDefinitionIdIn: 'stringList',
  name: 'string',
  nameLike: 'string',
  deploymentId: 'string',
  deployedAfter: 'date',
  deployedAt: 'date',
  key: 'string',
  keysIn: 'stringList',
  keyLike: 'string',
  category: 'string',
  categoryLike: 'string',
  version: 'integer',
  ver: 'integer', // legacy alias of version
  latestVersion: 'boolean',
  latest: 'boolean', // legacy alias of latestVersion
  resourceName: 'string',
  resourceNameLike: 'string',
  startableBy: 'string',
  active: 'boolean',
  suspended: 'boolean',
  incidentId: 'string',
  incidentType: 'string',
  incidentMessage: 'string',
  incidentMessageLike: 'string',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  includeProcessDefinitionsWithoutTenantId: 'boolean',
  versionTag: 'string',
  versionTagLike: 'string',
  withoutVersionTag: 'boolean',
  startableInTasklist: 'boolean',
  notStartableInTasklist: 'boolean',
  startablePermissionCheck: 'boolean', // an authorization check: nothing to check without authorizations
};

const SORT_KEYS = {
  category: 'category',
  key: 'key',
  id: 'id',
  name: 'name',
  version: 'version',
  deploymentId: 'deploymentId',
  deployTime: 'deployTime',
  tenantId: 'tenantId',
  versionTag: 'versionTag',
};

const STATISTICS_CLASS = 'org.camunda.bpm.engine.rest.dto.repository.ActivityStatisticsResultDto';

export function register(router) {
  router.get('/process-definition', async (ctx) => page(await findDefinitions(ctx), ctx.search).map(processDefinitionDto));
  router.get('/process-definition/count', async (ctx) => ({ count: (await findDefinitions(ctx)).length }));
  router.get('/process-definition/:id', async (ctx) => processDefinitionDto(await definitionById(ctx.engine, ctx.params.id)));
  router.get('/process-definition/key/:key', async (ctx) => processDefinitionDto(await definitionByKey(ctx)));
  router.get('/process-definition/:id/xml', (ctx) => xml(ctx, ctx.params.id));
  router.get('/process-definition/key/:key/xml', async (ctx) => xml(ctx, (await definitionByKey(ctx)).id));
  router.post('/process-definition/:id/start', (ctx) => start(ctx, ctx.params.id));
  router.post('/process-definition/key/:key/start', async (ctx) => start(ctx, (await definitionByKey(ctx)).id));
  router.get('/process-definition/:id/statistics', (ctx) => statistics(ctx, ctx.params.id));
  router.get('/process-definition/key/:key/statistics', async (ctx) => statistics(ctx, (await definitionByKey(ctx)).id));
  router.put('/process-definition/:id/suspended', (ctx) => updateSuspensionState(ctx, ctx.params.id));
  router.put('/process-definition/key/:key/suspended', async (ctx) => updateSuspensionState(ctx, (await definitionByKey(ctx)).id));
}

/** ProcessDefinitionDto from an engine definition row. */
export function processDefinitionDto(d) {
  return {
    id: d.id,
    key: d.key,
    category: d.category ?? null,
    description: d.description ?? null,
    name: d.name ?? null,
    version: d.version,
    resource: d.resource ?? null,
    deploymentId: d.deploymentId ?? null,
    diagram: d.diagram ?? null,
    suspended: !!d.suspended,
    tenantId: d.tenantId ?? null,
    versionTag: d.versionTag ?? null,
    historyTimeToLive: d.historyTimeToLive ?? null,
    startableInTasklist: d.startableInTasklist ?? true,
  };
}

// --- one definition ----------------------------------------------------------------------------------

async function definitionById(engine, id) {
  await engine.activateDueDefinitions();
  try {
    return await engine.processDefinition(id);
  } catch (e) {
    throw asRestError(e, 404, { message: () => `No matching definition with id ${id}` });
  }
}

/** The latest version of a key without tenant, as every /key/{key} path resolves it. */
export async function definitionByKey(ctx) {
  await ctx.engine.activateDueDefinitions();
  const { key } = ctx.params;
  try {
    return await ctx.engine.latestDefinition(key, { tenantId: null });
  } catch (e) {
    if (!isEngineError(e)) throw e;
    throw new RestError(404, `No matching process definition with key: ${key} and no tenant-id`, { type: 'RestException' });
  }
}

async function xml(ctx, id) {
  try {
    return { id, bpmn20Xml: await ctx.engine.processDefinitionXml(id) };
  } catch (e) {
    throw asRestError(e, 400, { message: () => `No matching definition with id ${id}` });
  }
}

// --- the query -----------------------------------------------------------------------------------------

/** The definitions GET /process-definition(/count) asks for, filtered and sorted (default: by id). */
async function findDefinitions(ctx) {
  const q = normalized(queryFromSearch(ctx.search, QUERY));
  const order = sorting(ctx.search, SORT_KEYS); // checked for counts too: Java builds the whole query
  checkQuery(q);
  if (q.startableBy !== undefined) return []; // no definition has candidate starters (see definitionConditions)
  await ctx.engine.activateDueDefinitions();
  const [storeFilter, ...others] = splitFilters(definitionConditions(q));
  let rows = (await ctx.engine.processDefinitions(storeFilter)).filter((d) => others.every((f) => matches(d, f)));
  if (needsDeployTime(q, order)) rows = await withDeployTime(ctx.engine, rows);
  rows = rows.filter((d) => deployedMatches(d, q));
  if (q.latestVersion) rows = await onlyLatest(ctx.engine, rows);
  rows = await withIncidents(ctx.engine, rows, q);
  return sortRows(sortRows(rows, [{ value: (d) => d.id, descending: false }]), order);
}

// The legacy aliases, as the Java DTO's setters map them.
function normalized(q) {
  const out = { ...q };
  if (out.version === undefined && q.ver !== undefined) out.version = q.ver;
  if (out.latestVersion === undefined && q.latest !== undefined) out.latestVersion = q.latest;
  return out;
}

// ProcessDefinitionQueryImpl's own checks (NotValidException: 400, code 0).
function checkQuery(q) {
  const notValid = (message) => new CoreError('NotValidException', message);
  if (q.version !== undefined && q.version <= 0) throw notValid('version is not greater than 0');
  if (q.latestVersion && (q.processDefinitionId !== undefined || q.version !== undefined || q.deploymentId !== undefined)) {
    throw notValid('Calling latest() can only be used in combination with key(String) and keyLike(String) or name(String) and nameLike(String)');
  }
}

/**
 * The query as store conditions (memory.js matches()), one per filter. Only `true` turns a flag
 * filter on. startableBy (candidate starter users and groups, an identity link Detour's models do
 * not carry) matches no definition, as in Camunda for processes without candidate starters.
 */
function definitionConditions(q) {
  const c = [];
  const add = (field, condition) => c.push({ [field]: condition });
  if (q.processDefinitionId !== undefined) add('id', q.processDefinitionId);
  if (q.processDefinitionIdIn?.length) add('id', { in: q.processDefinitionIdIn });
  if (q.key !== undefined) add('key', q.key);
  if (q.keysIn?.length) add('key', { in: q.keysIn });
  if (q.keyLike !== undefined) add('key', { like: q.keyLike });
  if (q.deploymentId !== undefined) add('deploymentId', q.deploymentId);
  if (q.version !== undefined) add('version', q.version);
  if (q.name !== undefined) add('name', q.name);
  if (q.nameLike !== undefined) add('name', { like: q.nameLike });
  if (q.category !== undefined) add('category', q.category);
  if (q.categoryLike !== undefined) add('category', { like: q.categoryLike });
  if (q.resourceName !== undefined) add('resource', q.resourceName);
  if (q.resourceNameLike !== undefined) add('resource', { like: q.resourceNameLike });
  if (q.active) add('suspended', false);
  if (q.suspended) add('suspended', true);
  if (q.versionTag !== undefined) add('versionTag', q.versionTag);
  if (q.versionTagLike !== undefined) add('versionTag', { like: q.versionTagLike });
  if (q.withoutVersionTag) add('versionTag', null);
  if (q.startableInTasklist) add('startableInTasklist', true);
  if (q.notStartableInTasklist) add('startableInTasklist', false);
  c.push(...tenantConditions(q.tenantIdIn, q.withoutTenantId, q.includeProcessDefinitionsWithoutTenantId));
  return c;
}

function needsDeployTime(q, order) {
  return q.deployedAfter !== undefined || q.deployedAt !== undefined || order.length > 0;
}

// deployTime: the definition's deployment's time (sortBy deployTime, deployedAfter / deployedAt).
async function withDeployTime(engine, rows) {
  const times = new Map((await engine.deployments({ id: { in: [...new Set(rows.map((d) => d.deploymentId))] } })).map((d) => [d.id, d.deploymentTime]));
  return rows.map((d) => ({ ...d, deployTime: times.get(d.deploymentId) ?? null }));
}

function deployedMatches(d, q) {
  if (q.deployedAfter !== undefined && !(d.deployTime > q.deployedAfter)) return false;
  if (q.deployedAt !== undefined && d.deployTime !== q.deployedAt) return false;
  return true;
}

/** latestVersion: the highest version of each key and tenant among all definitions (not only the filtered ones). */
async function onlyLatest(engine, rows) {
  const latest = new Map();
  const keyOf = (d) => `${d.key}\u0000${d.tenantId ?? ''}\u0000${d.tenantId == null}`;
  for (const d of await engine.processDefinitions({ key: { in: [...new Set(rows.map((r) => r.key))] } })) {
    latest.set(keyOf(d), Math.max(latest.get(keyOf(d)) ?? 0, d.version));
  }
  return rows.filter((d) => d.version === latest.get(keyOf(d)));
}

/** incidentId / incidentType / incidentMessage(Like): definitions with an open incident like that. */
async function withIncidents(engine, rows, q) {
  const conditions = [];
  if (q.incidentId !== undefined) conditions.push({ id: q.incidentId });
  if (q.incidentType !== undefined) conditions.push({ incidentType: q.incidentType });
  if (q.incidentMessage !== undefined) conditions.push({ incidentMessage: q.incidentMessage });
  if (q.incidentMessageLike !== undefined) conditions.push({ incidentMessage: { like: q.incidentMessageLike } });
  if (!conditions.length) return rows;
  const incidents = (await engine.incidents({})).filter((i) => conditions.every((f) => matches(i, f)));
  const ids = new Set(incidents.map((i) => i.processDefinitionId));
  return rows.filter((d) => ids.has(d.id));
}

// --- POST .../start ------------------------------------------------------------------------------------

/**
 * StartProcessInstanceDto → ProcessInstanceDto with a self link (and the variables when asked).
 * Java's order: the body maps (400 ""), the variables convert, each instruction is checked and its
 * variables convert, then the engine starts; every failure after the mapping names the definition.
 */
async function start(ctx, definitionId) {
  const body = startBody(ctx.body);
  const fail = (message) => invalidRequest(`Cannot instantiate process definition ${definitionId}: ${message}`);
  let instructions;
  try {
    typedValues(body.variables);
    instructions = instructionsFor(body.startInstructions, 'start'); // cancel instructions mean nothing to a start
  } catch (e) {
    throw e instanceof RestError ? fail(e.message) : e;
  }
  let instance;
  try {
    instance = await ctx.engine.startProcessInstanceById(definitionId, {
      businessKey: body.businessKey ?? null,
      variables: variablesIn(body.variables),
      // Camunda honours the skip flags only for a start at activities
      ...(instructions.length ? { startInstructions: instructions, skipCustomListeners: !!body.skipCustomListeners, skipIoMappings: !!body.skipIoMappings } : {}),
    });
  } catch (e) {
    if (!isEngineError(e)) throw e;
    if (e.type === 'InvalidRequestException') throw fail(e.message); // a value the core would not convert
    throw new RestError(500, `Cannot instantiate process definition ${definitionId}: ${e.message}`, { type: 'RestException', code: 0 });
  }
  const dto = {
    ...processInstanceDto(instance),
    links: [{ method: 'GET', href: `${ctx.baseUrl}/process-instance/${encodeURIComponent(instance.id)}`, rel: 'self' }],
    ended: !!instance.ended,
  };
  if (body.withVariablesInReturn) dto.variables = variablesOut(await ctx.engine.processInstanceVariables(instance.id));
  return dto;
}

// The body as Jackson maps StartProcessInstanceDto: wrong JSON types are a 400 with message "".
function startBody(body) {
  if (body == null) return {};
  const wrong = () => invalidRequest('');
  if (typeof body !== 'object' || Array.isArray(body)) throw wrong();
  if (body.businessKey != null && typeof body.businessKey !== 'string') throw wrong();
  if (body.caseInstanceId != null) {
    if (typeof body.caseInstanceId !== 'string') throw wrong();
    throw invalidRequest('caseInstanceId is not supported: Detour has no case instances');
  }
  for (const flag of ['skipCustomListeners', 'skipIoMappings', 'withVariablesInReturn']) {
    if (body[flag] != null && typeof body[flag] !== 'boolean') throw wrong();
  }
  instructionsShape(body.startInstructions);
  variablesIn(body.variables); // shape only
  return body;
}

// --- statistics and suspension -----------------------------------------------------------------------

async function statistics(ctx, definitionId) {
  const flag = (name) => ctx.search.get(name);
  if (flag('incidents') !== null && flag('incidentsForType') !== null) {
    throw invalidRequest('Only one of the query parameter includeIncidents or includeIncidentsForType can be set.');
  }
  const rows = await ctx.engine.activityStatistics(definitionId, {
    failedJobs: flag('failedJobs') === 'true',
    incidents: flag('incidents') === 'true',
    incidentType: flag('incidentsForType'),
  });
  return rows.map((s) => ({ '@class': STATISTICS_CLASS, id: s.id, instances: s.instances, failedJobs: s.failedJobs, incidents: s.incidents }));
}

/**
 * PUT .../suspended {suspended, includeProcessInstances, executionDate}: as Camunda, an unknown id
 * changes nothing (204). A delayed change (executionDate) is refused: Detour has no timer for it.
 */
async function updateSuspensionState(ctx, definitionId) {
  const body = ctx.body ?? {};
  const wrong = () => invalidRequest('');
  if (typeof body !== 'object' || Array.isArray(body)) throw wrong();
  for (const flag of ['suspended', 'includeProcessInstances']) if (body[flag] != null && typeof body[flag] !== 'boolean') throw wrong();
  if (body.processDefinitionKey != null) {
    throw invalidRequest('Only one of processDefinitionId or processDefinitionKey should be set to update the suspension state.');
  }
  if (body.executionDate != null && body.executionDate !== '') {
    const reason = parseDate(body.executionDate) === null ? `Invalid format: "${body.executionDate}"` : 'Detour does not support a delayed change (executionDate)';
    throw invalidRequest(`The suspension state of Process Definition with id ${definitionId} could not be updated due to: ${reason}`);
  }
  await ctx.engine.setProcessDefinitionSuspended(definitionId, !!body.suspended, { includeProcessInstances: !!body.includeProcessInstances });
}
