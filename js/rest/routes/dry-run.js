// routes/dry-run.js — Detour's dry runs (docs/dry-run.md): what a modification or restart plan
// would do, computed by the core's own `modify` and `restart` commands on copies (js/dry-run.js),
// with nothing stored, no job run and no delegate called.
//
//   GET  /detour/process-instance/{id}/state   the export document: state, historic rows
//   POST /detour/modification/dry-run          a /modification/execute body, or a single-instance
//                                              body {processInstanceId, instructions, skip flags}
//   POST /detour/restart/dry-run               a restart body + processDefinitionId (and
//                                              targetProcessDefinitionId, as the /detour/ restart)
//
// A request is read by the real endpoint's own functions (modification.js, restart.js), so it is
// refused with the same statuses, bodies and order. What the real command refuses only when it
// reaches an instance is that instance's `error`, worded and typed as the real endpoint answers it.

import { batchSettings } from '../../batch/index.js';
import { CoreError } from '../../core.js';
import { simulateBatchSplit, simulateModification, simulateRestart } from '../../dry-run.js';
import { errorResponse, invalidRequest, isBadUserRequest, RestError } from '../errors.js';
import { instructionsFor } from '../instructions.js';
import { modificationBody, readModification } from './modification.js';
import { checkRequest, checkTarget, readRestart, restartBody } from './restart.js';

export function register(router) {
  router.get('/detour/process-instance/:id/state', exportState);
  router.post('/detour/modification/dry-run', modificationDryRun);
  router.post('/detour/restart/dry-run', restartDryRun);
}

// --- GET /detour/process-instance/{id}/state -------------------------------------------------------

/** The export document: the running instance's state document (null once ended) and its historic rows. */
async function exportState(ctx) {
  const { id } = ctx.params;
  const { store } = ctx.engine;
  const row = await store.getInstance(id);
  const historic = (await store.getHistory('processInstance', id)) ?? null;
  if (!row && !historic) throw new RestError(404, `Process instance with id ${id} does not exist`);
  const definitionId = row?.processDefinitionId ?? historic.processDefinitionId;
  const definition = await store.getDefinition(definitionId);
  return {
    format: 'detour-state/1',
    processInstanceId: id,
    processDefinitionId: definitionId,
    processDefinitionKey: definition?.key ?? historic?.processDefinitionKey ?? null,
    processDefinitionVersion: definition?.version ?? historic?.processDefinitionVersion ?? null,
    tenantId: definition?.tenantId ?? row?.tenantId ?? historic?.tenantId ?? null,
    state: row?.state ?? null,
    history: {
      processInstance: historic,
      variableInstances: await store.history('variableInstance', { processInstanceId: id }),
      details: await store.history('detail', { processInstanceId: id }),
    },
  };
}

// --- POST /detour/modification/dry-run ---------------------------------------------------------------

/**
 * The ModificationDto form is read as POST /modification/execute reads it (readModification), then
 * each instance is checked as the command checks it (ENGINE-13036 not running, ENGINE-13037 of
 * another definition) and simulated; its errors are rewrapped as that endpoint rewraps them. The
 * single-instance form is read as POST /process-instance/{id}/modification reads it: no
 * instructions, nothing happens (no instance, not even an existence check); errors as they are.
 */
async function modificationDryRun(ctx) {
  const { engine } = ctx;
  const single = ctx.body != null && typeof ctx.body === 'object' && !Array.isArray(ctx.body) && ctx.body.processInstanceId !== undefined;
  const request = single ? singleModification(ctx.body) : await readModification(engine, ctx.body);
  const asAnswered = single ? (e) => e : rewrapped; // how the real endpoint answers an engine error
  const instances = [];
  let definitionId = request.processDefinitionId; // the single form: its instance's
  for (const id of request.processInstanceIds) {
    const row = await engine.store.getInstance(id);
    let simulation;
    if (!row) {
      simulation = refusal(engine13036(id));
    } else if (!single && row.processDefinitionId !== request.processDefinitionId) {
      simulation = refusal(engine13037(id, row.processDefinitionId, request.processDefinitionId));
    } else {
      definitionId ??= row.processDefinitionId;
      simulation = simulateModification(engine.core, await engine._handle(row.processDefinitionId), row.state, request, clock(engine));
    }
    instances.push(instanceResult(id, simulation, asAnswered));
  }
  return result(engine, definitionId, request.processInstanceIds, instances);
}

// {processInstanceId, instructions, skipCustomListeners, skipIoMappings}: the body of
// POST /process-instance/{id}/modification with the path's id in it.
function singleModification(rawBody) {
  if (typeof rawBody.processInstanceId !== 'string') throw invalidRequest('');
  const body = modificationBody(rawBody, { single: true });
  const instructions = body.instructions?.length ? instructionsFor(body.instructions, 'single') : [];
  return {
    processDefinitionId: null,
    processInstanceIds: instructions.length ? [rawBody.processInstanceId] : [],
    instructions,
    skipCustomListeners: body.skipCustomListeners,
    skipIoMappings: body.skipIoMappings,
  };
}

function engine13036(id) {
  return { type: 'ProcessEngineException', message: `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist` };
}

function engine13037(id, actual, given) {
  return {
    type: 'ProcessEngineException',
    message: `ENGINE-13037 Process instance '${id}' cannot be modified. Its process definition '${actual}' does not match given process definition '${given}'`,
  };
}

// --- POST /detour/restart/dry-run --------------------------------------------------------------------

/**
 * The body of POST /detour/process-definition/{id}/restart with the path's id as
 * processDefinitionId (a string; missing: 400 "processDefinitionId is null"), read and checked as
 * the synchronous restart does (restart.js), then the target definition as the engine finds it
 * (js/engine/restart.js: deployed, not suspended), then each historic instance simulated on the
 * target's model with the rows the engine would read; errors rewrapped as that endpoint does.
 */
async function restartDryRun(ctx) {
  const { engine } = ctx;
  const body = restartBody(ctx.body, { detour: true });
  const definitionId = ctx.body?.processDefinitionId ?? null;
  if (definitionId != null && typeof definitionId !== 'string') throw invalidRequest('');
  if (definitionId == null) throw invalidRequest('processDefinitionId is null');
  let request;
  let target;
  try {
    request = await readRestart(engine, definitionId, body);
    await checkRequest(engine, request, { nullIdsName: 'Process instance ids', instructionsFirst: true });
    await checkTarget(engine, request);
    target = await startableDefinition(engine, request.options.targetProcessDefinitionId ?? definitionId);
  } catch (e) {
    throw rewrapped(e);
  }
  const handle = await engine._handle(target.id);
  const plan = { processDefinitionId: definitionId, ...request.options };
  const instances = [];
  for (const id of request.processInstanceIds) {
    const simulation = simulateRestart(engine.core, handle, await restartRows(engine, id, plan), plan, clock(engine));
    instances.push(instanceResult(id, simulation, rewrapped));
  }
  return result(engine, definitionId, request.processInstanceIds, instances);
}

// What js/engine/restart.js finds for the target (ProcessDefinitionCache.checkDefinitionFound, a
// suspended definition starts nothing), without storing the activation that engine would store.
async function startableDefinition(engine, id) {
  const def = await engine.store.getDefinition(id);
  if (!def) throw new CoreError('NotFoundException', `no deployed process definition found with id '${id}': processDefinition is null`);
  const due = def.activationTime != null && def.activationTime <= engine.clock();
  if (def.suspended && !due) throw new CoreError('SuspendedEntityInteractionException', `Process definition ${id} is suspended`);
  return def;
}

// The historic rows js/engine/restart.js hands the core: the last variables, or the initial details.
async function restartRows(engine, historicId, { initialVariables }) {
  const { store } = engine;
  const processInstance = (await store.getHistory('processInstance', historicId)) ?? null;
  return {
    processInstance,
    variableInstances: processInstance && !initialVariables ? await store.history('variableInstance', { processInstanceId: historicId }) : [],
    details: processInstance && initialVariables ? await store.history('detail', { processInstanceId: historicId, initial: true }) : [],
  };
}

// --- shared ------------------------------------------------------------------------------------------

// The engine's clock and a fresh id seed, as Engine._execute gives a command.
// The engine's clock and ids; the resulting state document is not part of the answer.
function clock(engine) {
  return { now: engine.clock(), idSeed: engine.ids(), withState: false };
}

// A refusal found before the core runs, shaped as a simulation.
function refusal(error) {
  return { ok: false, error, before: null, after: null, changes: {}, variables: [], jobs: [], tasks: [], state: null };
}

// The endpoints' rewrapping: an engine BadUserRequest becomes a 400 InvalidRequestException.
function rewrapped(e) {
  return isBadUserRequest(e) ? invalidRequest(e.message) : e;
}

/** One instance's entry: the simulation without its state document, its error as the endpoint answers it. */
function instanceResult(processInstanceId, { state, ...simulation }, asAnswered) {
  if (simulation.error) {
    const { body } = errorResponse(asAnswered(simulation.error));
    simulation.error = { type: body.type, message: body.message };
  }
  return { processInstanceId, ...simulation };
}

/** {instances, summary, batch}: batch how the async form's batch would hand out its execution jobs. */
async function result(engine, definitionId, ids, instances) {
  const { batchJobsPerSeed, invocationsPerBatchJob } = batchSettings(engine);
  const split = definitionId && ids.length ? simulateBatchSplit(engine.core, await engine._handle(definitionId), ids, { batchJobsPerSeed, invocationsPerBatchJob }) : { seedRuns: [], totalJobs: 0 };
  const succeeded = instances.filter((i) => i.ok).length;
  return {
    instances,
    summary: { total: instances.length, succeeded, failed: instances.length - succeeded },
    batch: { batchJobsPerSeed, invocationsPerBatchJob, ...split },
  };
}
