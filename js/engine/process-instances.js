// process-instances.js — Camunda's runtimeService for process instances: starting one (by key or
// by definition id), the instance query and the candidates the REST query filters, the activity
// instance tree, suspending and deleting an instance. (Their variables: js/engine/variables.js.)
//
// A running instance is one row: its state document, with index fields (activityIds,
// executionIds, ...) written by every commit for the store's queries. An ended instance has no row.

import { CoreError } from '../core.js';
import { incidentDto, instanceDto } from '../dto.js';
import { activateIfDue } from './definitions.js';

export async function startProcessInstanceByKey(engine, key, options = {}) {
  const def = await engine.latestDefinition(key, { tenantId: options.tenantId ?? null });
  return engine.startProcessInstanceById(def.id, options);
}

/**
 * Starts an instance: {businessKey, variables, startInstructions, skipCustomListeners,
 * skipIoMappings, restartedProcessInstanceId} → ProcessInstanceDto-like {id, definitionId, ...}.
 */
export async function startProcessInstanceById(engine, definitionId, options = {}) {
  const def = await activateIfDue(engine, await engine.store.getDefinition(definitionId));
  // Camunda's ProcessDefinitionCache.checkDefinitionFound
  if (!def) throw new CoreError('NotFoundException', `no deployed process definition found with id '${definitionId}': processDefinition is null`);
  if (def.suspended) {
    throw new CoreError('SuspendedEntityInteractionException', `Process definition ${definitionId} is suspended`);
  }
  const command = {
    command: 'start',
    businessKey: options.businessKey ?? null,
    variables: options.variables ?? {},
    skipCustomListeners: !!options.skipCustomListeners,
    skipIoMappings: !!options.skipIoMappings,
    tenantId: def.tenantId ?? null,
  };
  if (options.startInstructions) command.startInstructions = options.startInstructions;
  if (options.restartedProcessInstanceId) command.restartedProcessInstanceId = options.restartedProcessInstanceId;
  const row = { id: null, revision: 0, processDefinitionId: def.id, processDefinitionKey: def.key, tenantId: def.tenantId ?? null };
  const { result, state } = await engine._run(row, command);
  return {
    id: result.processInstanceId,
    definitionId: def.id,
    definitionKey: def.key,
    businessKey: state.businessKey ?? null,
    caseInstanceId: null,
    ended: !!state.ended,
    suspended: !!state.suspended,
    tenantId: def.tenantId ?? null,
  };
}

/** Running instances: {processInstanceId, businessKey, processDefinitionId, processDefinitionKey, activityId, ...}. */
export async function processInstances(engine, query = {}) {
  const { processInstanceId, activityId, ...rest } = query;
  const filter = { ...rest, id: processInstanceId, activityIds: activityId === undefined ? undefined : { has: activityId } };
  return (await engine.store.instances(filter)).map(instanceDto);
}

export async function processInstance(engine, id) {
  return instanceDto(await engine._instance(id));
}

/** Camunda's activity instance tree (ActivityInstanceDto). */
export async function activityInstances(engine, processInstanceId) {
  const row = await engine._instance(processInstanceId);
  return (await engine._run(row, { command: 'activityInstances' })).result;
}

/**
 * Suspends (true) or activates (false) a running instance. While suspended its tasks, external
 * tasks and jobs show as suspended and refuse to move on (SuspendedEntityInteractionException),
 * messages do not correlate to it and its historic state is SUSPENDED. Twice is no error.
 */
export async function suspendProcessInstance(engine, id, suspended = true) {
  const row = await engine._instance(id);
  await engine._run(row, { command: 'suspend', suspended: !!suspended });
}

/**
 * Deletes a running instance: {reason, skipCustomListeners, skipIoMappings,
 * externallyTerminated (default true)}. Its history stays.
 */
export async function deleteProcessInstance(engine, id, { reason = null, skipCustomListeners = false, skipIoMappings = false, externallyTerminated = true } = {}) {
  const row = await engine.store.getInstance(id);
  if (!row) throw new CoreError('NotFoundException', `No process instance found for id '${id}'`);
  await engine._run(row, { command: 'delete', deleteReason: reason, skipCustomListeners, skipIoMappings, externallyTerminated });
}

/**
 * Camunda's process instance modification (semantics.md §1): {instructions, skipCustomListeners,
 * skipIoMappings, annotation, externallyTerminated (default true)}. Instructions are Camunda's
 * REST form: {type: cancel (activityId | activityInstanceId | transitionInstanceId,
 * cancelCurrentActiveActivityInstances) | startBeforeActivity | startAfterActivity (activityId) |
 * startTransition (transitionId), ancestorActivityInstanceId, variables: {name: {value, type,
 * local}}, variablesLocal}, run in order by the core's `modify` command; a failure changes
 * nothing. An instance left empty ends (EXTERNALLY_TERMINATED, or COMPLETED when its last token
 * reached an end event). The annotation is the caller's to log (operation log).
 */
export async function modifyProcessInstance(engine, id, { instructions = [], skipCustomListeners = false, skipIoMappings = false, annotation = null, externallyTerminated = true, batch = null } = {}) {
  const row = await engine.store.getInstance(id);
  if (!row) throw new CoreError('ProcessEngineException', `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`);
  // batch: a batch execution job's outcome for this instance, committed with the modification
  await engine._run(row, { command: 'modify', instructions, skipCustomListeners, skipIoMappings, annotation, externallyTerminated }, batch ? { batch } : {});
}

// --- process instance queries (REST GET/POST /process-instance) ----------------------------------
// Camunda's process instance query looks past the instance row: at its definition (deployment,
// tenant), its incidents, the activities its tokens are in and the variables of every execution.
// This hands out running instances with those facts; the state document is only read (parsed)
// for the facts a query asks for.

/**
 * Running instances matching `filter` (the store's filter language on instance row fields: id,
 * processDefinitionId, processDefinitionKey, businessKey, tenantId, suspended), each as
 *   {instance: ProcessInstanceDto-like, deploymentId, definitionTenantId,
 *    incidents: IncidentDto-like rows (only with {withIncidents: true}, else null),
 *    activityIds(): ids of the leaf activities its tokens are in (Camunda's activityIdIn),
 *    variableScopes(): one typed map per execution, task variables excluded}.
 */
export async function processInstanceCandidates(engine, filter = {}, { withIncidents = false } = {}) {
  const rows = await engine.store.instances(filter);
  const definitions = new Map();
  for (const row of rows) {
    if (!definitions.has(row.processDefinitionId)) definitions.set(row.processDefinitionId, await engine.store.getDefinition(row.processDefinitionId));
  }
  const incidents = new Map();
  if (withIncidents && rows.length) {
    for (const i of await engine.store.rows('incidents', { processInstanceId: { in: rows.map((r) => r.id) } })) {
      if (!incidents.has(i.processInstanceId)) incidents.set(i.processInstanceId, []);
      incidents.get(i.processInstanceId).push(incidentDto(i));
    }
  }
  return rows.map((row) => {
    const def = definitions.get(row.processDefinitionId);
    return {
      instance: instanceDto(row),
      deploymentId: def?.deploymentId ?? null,
      definitionTenantId: def?.tenantId ?? null,
      incidents: withIncidents ? (incidents.get(row.id) ?? []) : null,
      activityIds: () => queryActivityIds(row),
      variableScopes: () => (row.state?.executions ?? []).map((e) => stateVariables(e.variables)),
    };
  });
}

// The index's activityIds hold active tokens only; Camunda's activityIdIn (ACT_ID_ of any execution
// but event-scope ones) also matches a token waiting at a joining gateway, which is a leaf of the
// activity instance tree too. Those are inactive, non-scope tokens with an activity instance.
function queryActivityIds(row) {
  const ids = new Set(row.activityIds ?? []);
  for (const e of row.state?.executions ?? []) {
    if (!e.isActive && !e.isScope && !e.transition && e.activityId && e.activityInstanceId) ids.add(e.activityId);
  }
  return [...ids];
}

// A state document's variable list → the typed map the engine's variable methods return (dates in
// the core's text form, as the `variables` command writes them).
function stateVariables(list) {
  const out = {};
  for (const v of list ?? []) {
    const value = v.type === 'Date' && typeof v.value === 'number' ? new Date(v.value).toISOString().replace('Z', '+0000') : v.value;
    out[v.name] = { type: v.type, value: value ?? null, valueInfo: v.valueInfo ?? {} };
  }
  return out;
}
