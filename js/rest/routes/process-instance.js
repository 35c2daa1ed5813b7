// routes/process-instance.js — /process-instance (rest-contract.md §7.3): the instance query (GET
// and POST, with counts), one instance (get, delete, activity instance tree, suspension) and its
// variables (routes/process-instance-variables.js). The query itself is process-instance-query.js.

import { CoreError } from '../../core.js';
import { RestError, engineCode, invalidRequest, isEngineError } from '../errors.js';
import { page, queryFromBody, queryFromSearch, sorting, sortRows } from '../params.js';
import { SORT_KEYS, findProcessInstances, queryFromGet, queryFromPost } from './process-instance-query.js';
import { registerVariables } from './process-instance-variables.js';

export function register(router) {
  router.get('/process-instance', (ctx) => list(ctx, queryFromGet(ctx.search), ctx.search));
  router.post('/process-instance', (ctx) => list(ctx, queryFromPost(ctx.body), ctx.body ?? {}));
  router.get('/process-instance/count', (ctx) => count(ctx, queryFromGet(ctx.search), ctx.search));
  router.post('/process-instance/count', (ctx) => count(ctx, queryFromPost(ctx.body), ctx.body ?? {}));
  router.put('/process-instance/suspended', updateSuspensionStates);
  router.get('/process-instance/:id', getInstance);
  router.delete('/process-instance/:id', deleteInstance);
  router.get('/process-instance/:id/activity-instances', activityInstances);
  router.put('/process-instance/:id/suspended', updateSuspensionState);
  registerVariables(router, '/process-instance/:id/variables', { typeName: 'process instance' });
}

/** ProcessInstanceDto: links first (LinkableDto), always [] outside of start. */
export function processInstanceDto(instance) {
  return {
    links: [],
    id: instance.id,
    definitionId: instance.definitionId,
    definitionKey: instance.definitionKey ?? null,
    businessKey: instance.businessKey ?? null,
    caseInstanceId: instance.caseInstanceId ?? null,
    ended: false, // deprecated, always false
    suspended: !!instance.suspended,
    tenantId: instance.tenantId ?? null,
  };
}

// --- the query --------------------------------------------------------------------------------------

async function list(ctx, query, source) {
  const order = sorting(source, SORT_KEYS);
  const rows = inOrder(await findProcessInstances(ctx.engine, query), order);
  return page(rows, ctx.search).map(processInstanceDto);
}

async function count(ctx, query, source) {
  sorting(source, SORT_KEYS); // Java builds the whole query for a count: bad sorting is a 400 here too
  return { count: (await findProcessInstances(ctx.engine, query)).length };
}

// Camunda's default order is RES.ID_ asc; a requested order sorts stably on top of it.
function inOrder(rows, order) {
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sortRows(rows, order);
}

// --- one instance -------------------------------------------------------------------------------------

async function getInstance(ctx) {
  const { id } = ctx.params;
  const [instance] = await findProcessInstances(ctx.engine, { processInstanceIds: [id] });
  if (!instance) throw new RestError(404, `Process instance with id ${id} does not exist`);
  return processInstanceDto(instance);
}

const DELETE_PARAMS = { skipCustomListeners: 'boolean', skipIoMappings: 'boolean', skipSubprocesses: 'boolean', failIfNotExists: 'boolean' };

// No delete reason on this path (Java passes null); the instance ends EXTERNALLY_TERMINATED.
// skipSubprocesses has nothing to skip: Detour has no call activities.
async function deleteInstance(ctx) {
  const { id } = ctx.params;
  const { skipCustomListeners = false, skipIoMappings = false, failIfNotExists = true } = queryFromSearch(ctx.search, DELETE_PARAMS);
  try {
    await ctx.engine.deleteProcessInstance(id, { reason: null, skipCustomListeners, skipIoMappings, externallyTerminated: true });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    if (!failIfNotExists) return; // deleteProcessInstanceIfExists: nothing to do
    // the engine's NotFoundException, turned into a 404 by the resource (code from the cause)
    throw new RestError(404, `No process instance found for id '${id}': processInstance is null`, { code: 0 });
  }
}

async function activityInstances(ctx) {
  const { id } = ctx.params;
  try {
    return await ctx.engine.activityInstances(id);
  } catch (e) {
    if (isNotFound(e)) throw new RestError(404, `Process instance with id ${id} does not exist`);
    // any other engine failure: 500 with its message (code from the cause)
    if (isEngineError(e)) throw new RestError(500, e.message, { code: engineCode(e) });
    throw e;
  }
}

// --- suspension ---------------------------------------------------------------------------------------

const SUSPENSION_PARAMS = {
  suspended: 'boolean',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionTenantId: 'string',
  processDefinitionWithoutTenantId: 'boolean',
  processInstanceIds: 'stringList',
  processInstanceQuery: 'json',
  historicProcessInstanceQuery: 'json',
};

const ONLY_ONE = 'Only one of processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.';
const EITHER = 'Either processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.';
const CHOOSE =
  'Choose either a single processInstance with processInstanceId, processDefinitionId or processDefinitionKey or a group of processInstances with processInstanceIds, procesInstanceQuery or historicProcessInstanceQuery.';

/**
 * PUT /process-instance/{id}/suspended {suspended}: `suspended` is a Java primitive (absent:
 * false, i.e. activate). Camunda updates the instance's rows by id, so an unknown id is no error.
 */
async function updateSuspensionState(ctx) {
  const dto = queryFromBody(ctx.body, SUSPENSION_PARAMS);
  const single = 1 + (dto.processDefinitionId !== undefined) + (dto.processDefinitionKey !== undefined);
  if (groupCount(dto) >= 1) throw invalidRequest(CHOOSE);
  if (single > 1) throw invalidRequest(ONLY_ONE);
  await suspendIfRunning(ctx.engine, ctx.params.id, !!dto.suspended);
}

/**
 * PUT /process-instance/suspended: the same for every running instance of a definition (by id, or
 * by key with processDefinitionTenantId / processDefinitionWithoutTenantId), or for a group
 * (processInstanceIds and/or processInstanceQuery). historicProcessInstanceQuery is not served.
 */
async function updateSuspensionStates(ctx) {
  const dto = queryFromBody(ctx.body, SUSPENSION_PARAMS);
  const single = (dto.processDefinitionId !== undefined) + (dto.processDefinitionKey !== undefined);
  const group = groupCount(dto);
  if (single >= 1 && group >= 1) throw invalidRequest(CHOOSE);
  if (single > 1) throw invalidRequest(ONLY_ONE);
  if (single === 0 && group === 0) throw invalidRequest(EITHER);
  if (dto.historicProcessInstanceQuery !== undefined) {
    throw invalidRequest('historicProcessInstanceQuery is not supported by Detour: use processInstanceIds or processInstanceQuery');
  }
  const ids = single ? await idsOfDefinition(ctx.engine, dto) : await idsOfGroup(ctx.engine, dto);
  for (const id of ids) await suspendIfRunning(ctx.engine, id, !!dto.suspended);
}

function groupCount(dto) {
  return (dto.processInstanceIds !== undefined) + (dto.processInstanceQuery !== undefined) + (dto.historicProcessInstanceQuery !== undefined);
}

async function idsOfDefinition(engine, dto) {
  const query = dto.processDefinitionId !== undefined ? { processDefinitionId: dto.processDefinitionId } : { processDefinitionKey: dto.processDefinitionKey };
  if (dto.processDefinitionId === undefined && dto.processDefinitionTenantId !== undefined) query.tenantIdIn = [dto.processDefinitionTenantId];
  else if (dto.processDefinitionId === undefined && dto.processDefinitionWithoutTenantId) query.processDefinitionWithoutTenantId = true;
  return (await findProcessInstances(engine, query)).map((i) => i.id);
}

// Camunda's UpdateProcessInstancesSuspendStateCmd: the ids given plus those the query finds.
async function idsOfGroup(engine, dto) {
  const ids = new Set(dto.processInstanceIds ?? []);
  if (dto.processInstanceQuery !== undefined) {
    for (const i of await findProcessInstances(engine, queryFromPost(dto.processInstanceQuery))) ids.add(i.id);
  }
  if (!ids.size) throw new CoreError('BadUserRequestException', 'No process instance ids given: Process Instance ids is empty');
  return [...ids];
}

// An instance that is gone (or ends meanwhile) has nothing to suspend.
async function suspendIfRunning(engine, id, suspended) {
  try {
    await engine.suspendProcessInstance(id, suspended);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

function isNotFound(e) {
  return isEngineError(e) && e.type === 'NotFoundException';
}
