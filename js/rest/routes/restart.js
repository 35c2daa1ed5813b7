// routes/restart.js — process instance restart (rest-contract.md §6.1, §6.2, §6.7; semantics.md
// §2, §4.6):
//
//   POST /process-definition/{id}/restart             204: every instance restarted, or none
//   POST /process-definition/{id}/restart-async       200 BatchDto, type instance-restart
//   POST /process-definition/key/{key}/restart[-async]  the latest version of the key (Java serves
//                                                     every /{id} sub-path under /key/{key} too)
//   POST /detour/process-definition/{id}/restart[-async]  Detour: the same body, and
//                                                     `targetProcessDefinitionId` starts the new
//                                                     instances on another version of the process
//
// ProcessDefinitionResourceImpl builds a RestartProcessInstanceBuilder from the body and rewraps
// the engine's BadUserRequestExceptions as 400 InvalidRequestException (code null); ENGINE-13039 /
// 13040 (an instance of another definition, one still running) stay 500s.
//
// restartBody, readRestart, checkRequest and checkTarget are exported for the dry run
// (dry-run.js), which reads a restart request exactly as the synchronous restart does.

import { CoreError } from '../../core.js';
import { INSTANCE_RESTART } from '../../batch/index.js';
import { invalidRequest, isBadUserRequest } from '../errors.js';
import { instructionsFor, instructionsShape } from '../instructions.js';
import { dtoBody } from '../params.js';
import { batchOut } from './batch.js';
import { historicProcessInstancesByQuery } from './history-process-instance.js';
import { definitionByKey } from './process-definition.js';

export function register(router) {
  const byKey = (run) => async (ctx) => run(ctx, (await definitionByKey(ctx)).id);
  router.post('/process-definition/:id/restart', (ctx) => restart(ctx, ctx.params.id));
  router.post('/process-definition/:id/restart-async', (ctx) => restartAsync(ctx, ctx.params.id));
  router.post('/process-definition/key/:key/restart', byKey(restart));
  router.post('/process-definition/key/:key/restart-async', byKey(restartAsync));
  router.post('/detour/process-definition/:id/restart', (ctx) => restart(ctx, ctx.params.id, { detour: true }));
  router.post('/detour/process-definition/:id/restart-async', (ctx) => restartAsync(ctx, ctx.params.id, { detour: true }));
}

/** RestartProcessInstanceDto → 204 (RestartProcessInstancesCmd). */
async function restart(ctx, definitionId, { detour = false } = {}) {
  const body = restartBody(ctx.body, { detour });
  try {
    const request = await readRestart(ctx.engine, definitionId, body);
    await checkRequest(ctx.engine, request, { nullIdsName: 'Process instance ids', instructionsFirst: true });
    await checkTarget(ctx.engine, request);
    await ctx.engine.restartProcessInstances(definitionId, request.processInstanceIds, request.options);
  } catch (e) {
    throw rewrapped(e);
  }
}

/**
 * RestartProcessInstanceDto → 200 BatchDto (RestartProcessInstancesBatchCmd): the request-time
 * checks in that command's order; the historic instances themselves are checked by the jobs.
 */
async function restartAsync(ctx, definitionId, { detour = false } = {}) {
  const body = restartBody(ctx.body, { detour });
  try {
    const request = await readRestart(ctx.engine, definitionId, body);
    const definition = await checkRequest(ctx.engine, request, { nullIdsName: 'processInstanceIds', instructionsFirst: false });
    await checkTarget(ctx.engine, request);
    const batch = await ctx.engine.createBatch({
      type: INSTANCE_RESTART,
      processDefinitionId: definitionId,
      instanceIds: request.processInstanceIds,
      tenantId: definition.tenantId ?? null,
      deploymentId: definition.deploymentId ?? null,
      configuration: request.options,
    });
    return batchOut(batch);
  } catch (e) {
    throw rewrapped(e);
  }
}

// ProcessDefinitionResourceImpl: catch (BadUserRequestException e) → InvalidRequestException(400, message).
function rewrapped(e) {
  return isBadUserRequest(e) ? invalidRequest(e.message) : e;
}

/**
 * The builder the Java resource makes of the body: the instructions translated in order
 * (instructions.js, 'restart': cancel entries skipped), the historic query run and its ids added to
 * processInstanceIds without duplicates. → {processInstanceIds, instructions, options}.
 */
export async function readRestart(engine, definitionId, body) {
  const instructions = instructionsFor(body.instructions, 'restart');
  const ids = new Set(body.processInstanceIds ?? []);
  if (body.historicProcessInstanceQuery) {
    for (const h of await historicProcessInstancesByQuery(engine, body.historicProcessInstanceQuery)) ids.add(h.id);
  }
  const options = {
    instructions,
    initialVariables: body.initialVariables,
    withoutBusinessKey: body.withoutBusinessKey,
    skipCustomListeners: body.skipCustomListeners,
    skipIoMappings: body.skipIoMappings,
  };
  if (body.targetProcessDefinitionId != null) options.targetProcessDefinitionId = body.targetProcessDefinitionId;
  return { definitionId, processInstanceIds: [...ids], instructions, options };
}

/**
 * The commands' own checks, in their order: the synchronous one checks the instructions before the
 * ids, the batch one after; their null-id messages name the ids differently (semantics.md §2.2,
 * §2.3). → the definition (NotFoundException when none is deployed with that id).
 */
export async function checkRequest(engine, request, { nullIdsName, instructionsFirst }) {
  const bad = (message) => new CoreError('BadUserRequestException', message);
  const checkInstructions = () => {
    if (!request.instructions.length) throw bad('Restart instructions cannot be empty: instructions is empty');
  };
  if (instructionsFirst) checkInstructions();
  if (!request.processInstanceIds.length) throw bad('processInstanceIds is empty');
  if (!instructionsFirst) checkInstructions();
  if (request.processInstanceIds.includes(null)) throw bad(`Process instance ids cannot be null: ${nullIdsName} contains null value`);
  return deployedDefinition(engine, request.definitionId);
}

async function deployedDefinition(engine, id) {
  const [definition] = await engine.processDefinitions({ id });
  if (!definition) throw new CoreError('NotFoundException', `no deployed process definition found with id '${id}': processDefinition is null`);
  return definition;
}

// --- Detour: restart onto another version -------------------------------------------------------------

/**
 * targetProcessDefinitionId (when given) must be a deployed version of the same process (key and
 * tenant) as the request's definition, and have every activity and sequence flow the instructions
 * name — so a plan that cannot run there is refused before anything (or any batch) starts. Checked
 * after the command's own checks (checkRequest), so those keep Camunda's order and messages.
 */
export async function checkTarget(engine, { definitionId, instructions, options }) {
  const targetId = options.targetProcessDefinitionId;
  if (targetId == null) return;
  const source = await deployedDefinition(engine, definitionId);
  const target = await engine.store.getDefinition(targetId);
  if (!target) throw new CoreError('NotFoundException', `no deployed process definition found with id '${targetId}': processDefinition is null`);
  if (target.key !== source.key || (target.tenantId ?? null) !== (source.tenantId ?? null)) {
    throw invalidRequest(`Process definition '${targetId}' is not a version of process '${source.key}'${source.tenantId ? ` of tenant '${source.tenantId}'` : ''}`);
  }
  const ids = modelIds(target.model?.process);
  for (const i of instructions) {
    const [field, noun] = i.type === 'startTransition' ? ['transitionId', 'sequence flow'] : ['activityId', 'activity'];
    if (!ids.has(i[field])) {
      throw invalidRequest(`For instruction type '${i.type}': ${noun} '${i[field]}' does not exist in process definition '${targetId}'`);
    }
  }
}

// Every element and flow id of a model document (docs/model-format.md: scopes nest `elements`, `flows`).
function modelIds(scope, ids = new Set()) {
  for (const f of scope?.flows ?? []) ids.add(f.id);
  for (const e of scope?.elements ?? []) {
    ids.add(e.id);
    modelIds(e, ids);
  }
  return ids;
}

// --- the body ----------------------------------------------------------------------------------------

/**
 * RestartProcessInstanceDto as Jackson maps it (a field of the wrong JSON type: 400 with message
 * ""); the /detour/ form also reads targetProcessDefinitionId.
 */
export function restartBody(raw, { detour }) {
  const { body, wrong, flag, string } = dtoBody(raw);
  const target = detour ? string('targetProcessDefinitionId') : null;
  const ids = body.processInstanceIds;
  if (ids != null && (!Array.isArray(ids) || ids.some((id) => id !== null && typeof id !== 'string'))) throw wrong();
  const query = body.historicProcessInstanceQuery;
  if (query != null && (typeof query !== 'object' || Array.isArray(query))) throw wrong();
  return {
    processInstanceIds: ids ?? null,
    historicProcessInstanceQuery: query ?? null,
    instructions: instructionsShape(body.instructions),
    initialVariables: flag('initialVariables'),
    withoutBusinessKey: flag('withoutBusinessKey'),
    skipCustomListeners: flag('skipCustomListeners'),
    skipIoMappings: flag('skipIoMappings'),
    targetProcessDefinitionId: target,
  };
}
