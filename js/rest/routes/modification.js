// routes/modification.js — process instance modification (rest-contract.md §6.3, §6.5;
// semantics.md §1.12, §4.3, §4.5):
//
//   POST /process-instance/{id}/modification  one instance (ProcessInstanceResourceImpl.modifyProcessInstance)
//   POST /modification/execute                several instances of one definition (ModificationRestServiceImpl)
//
// Instructions are read by ../instructions.js ('single' and 'multi'). readModification() is the
// request-time part of a ModificationDto that /modification/executeAsync shares (the same 400s in
// the same order); the existence and definition checks of each instance belong to the execution.

import { CoreError } from '../../core.js';
import { RestError, invalidRequest, isBadUserRequest } from '../errors.js';
import { instructionsFor, instructionsShape } from '../instructions.js';
import { dtoBody } from '../params.js';
import { historicProcessInstancesByQuery } from './history-process-instance.js';
import { findProcessInstances, queryFromPost } from './process-instance-query.js';

export function register(router) {
  router.post('/process-instance/:id/modification', modifyOne);
  router.post('/modification/execute', executeModification);
}

// --- POST /process-instance/{id}/modification -------------------------------------------------------

/**
 * ProcessInstanceModificationDto {skipCustomListeners, skipIoMappings, instructions, annotation}
 * → 204. No instructions: nothing happens, not even an existence check (Java). Engine errors are
 * not translated: an unknown or ended instance is a 500 (ENGINE-13036), an unknown activity or
 * activity instance a 400 NotValidException (code 0).
 */
async function modifyOne(ctx) {
  const { id } = ctx.params;
  const body = modificationBody(ctx.body, { single: true });
  if (!body.instructions?.length) return;
  const instructions = instructionsFor(body.instructions, 'single');
  try {
    await ctx.engine.modifyProcessInstance(id, {
      instructions,
      skipCustomListeners: body.skipCustomListeners,
      skipIoMappings: body.skipIoMappings,
      annotation: body.annotation,
    });
  } catch (e) {
    throw notRunningAsEngine13036(e, id);
  }
}

// --- POST /modification/execute -------------------------------------------------------------------

/**
 * ModificationDto → 204. The instances: the union of processInstanceIds, processInstanceQuery and
 * historicProcessInstanceQuery. Camunda modifies them all in one transaction; Detour modifies each
 * in its own (one store transaction holds one instance), after checking first that every one is
 * running and of the definition, so those failures change nothing. A plan the engine refuses
 * for reasons of the model (an unknown activity) fails on the first instance, before any change;
 * a refusal that depends on one instance's state (it is suspended, a parent is ambiguous) leaves
 * the instances modified before it modified. An engine BadUserRequest (an unknown activity, a
 * suspended instance) becomes a 400 InvalidRequestException with its message, as the Java
 * resource rewraps it; other engine errors are 500s as they are.
 */
async function executeModification(ctx) {
  try {
    const request = await readModification(ctx.engine, ctx.body);
    const instances = await runningInstances(ctx.engine, request.processInstanceIds);
    for (const id of request.processInstanceIds) {
      const instance = instances.get(id);
      if (!instance) throw instanceDoesNotExist(id);
      if (instance.definitionId !== request.processDefinitionId) {
        throw new CoreError(
          'ProcessEngineException',
          `ENGINE-13037 Process instance '${id}' cannot be modified. Its process definition '${instance.definitionId}' does not match given process definition '${request.processDefinitionId}'`,
        );
      }
    }
    for (const id of request.processInstanceIds) {
      try {
        await ctx.engine.modifyProcessInstance(id, {
          instructions: request.instructions,
          skipCustomListeners: request.skipCustomListeners,
          skipIoMappings: request.skipIoMappings,
          annotation: request.annotation,
        });
      } catch (e) {
        throw notRunningAsEngine13036(e, id); // ended since the check
      }
    }
  } catch (e) {
    throw rewrapped(e);
  }
}

// ModificationRestServiceImpl: catch (BadUserRequestException e) → InvalidRequestException(400, message).
function rewrapped(e) {
  return isBadUserRequest(e) ? invalidRequest(e.message) : e;
}

/**
 * The request-time part of a ModificationDto (sync and async alike), in Java's order:
 *  1. the body as Jackson maps it (400 "");
 *  2. processDefinitionId set (ModificationBuilderImpl: `processDefinitionId is null`);
 *  3. each instruction (instructions.js, 'multi');
 *  4. the instances: the ids given, then those of processInstanceQuery and of
 *     historicProcessInstanceQuery, without duplicates;
 *  5. instructions not empty, instances not empty, no null id (ProcessInstanceModificationCmd);
 *  6. the definition deployed (NotFoundException).
 * Failures of 2, 5 and 6 (and a query's BadUserRequest) are engine exceptions of the
 * BadUserRequest family, which ModificationRestServiceImpl rewraps: 400 InvalidRequestException
 * with the engine's message and code null — thrown so here, ready for the wire. Other engine
 * exceptions of the queries stay 500s.
 * → {processDefinitionId, instructions, processInstanceIds, skipCustomListeners, skipIoMappings,
 * annotation}.
 */
export async function readModification(engine, rawBody) {
  try {
    return await modificationRequest(engine, rawBody);
  } catch (e) {
    throw rewrapped(e);
  }
}

async function modificationRequest(engine, rawBody) {
  const body = modificationBody(rawBody, { single: false });
  const bad = (message) => new CoreError('BadUserRequestException', message);
  if (body.processDefinitionId == null) throw new CoreError('NotValidException', 'processDefinitionId is null');
  const instructions = body.instructions?.length ? instructionsFor(body.instructions, 'multi') : [];

  const ids = new Set(body.processInstanceIds ?? []);
  if (body.processInstanceQuery?.refused) throw body.processInstanceQuery.refused;
  if (body.processInstanceQuery) for (const i of await findProcessInstances(engine, body.processInstanceQuery)) ids.add(i.id);
  if (body.historicProcessInstanceQuery) {
    for (const h of await historicProcessInstancesByQuery(engine, body.historicProcessInstanceQuery)) ids.add(h.id);
  }

  if (!instructions.length) throw bad('Modification instructions cannot be empty is empty'); // sic
  if (!ids.size) throw bad('Process instance ids cannot be empty: Process instance ids is empty');
  if (ids.has(null)) throw bad('Process instance ids cannot be null: Process instance ids contains null value');
  const [definition] = await engine.processDefinitions({ id: body.processDefinitionId });
  if (!definition) {
    throw new CoreError('NotFoundException', `no deployed process definition found with id '${body.processDefinitionId}': processDefinition is null`);
  }
  return {
    processDefinitionId: body.processDefinitionId,
    instructions,
    processInstanceIds: [...ids],
    skipCustomListeners: body.skipCustomListeners,
    skipIoMappings: body.skipIoMappings,
    annotation: body.annotation,
  };
}

// --- shared -------------------------------------------------------------------------------------------

/**
 * A ProcessInstanceModificationDto (single) or ModificationDto body as Jackson maps it: a field
 * of the wrong JSON type is a 400 with message "". The queries are parsed here (their mapping
 * errors come with the body's), and run later.
 */
export function modificationBody(raw, { single }) {
  const { body, wrong, flag, string } = dtoBody(raw);
  const out = {
    instructions: instructionsShape(body.instructions),
    skipCustomListeners: flag('skipCustomListeners'),
    skipIoMappings: flag('skipIoMappings'),
    annotation: string('annotation'),
  };
  if (single) return out;
  out.processDefinitionId = string('processDefinitionId');
  const ids = body.processInstanceIds;
  if (ids != null && (!Array.isArray(ids) || ids.some((id) => id !== null && typeof id !== 'string'))) throw wrong();
  out.processInstanceIds = ids ?? null;
  const object = (v) => v != null && (typeof v !== 'object' || Array.isArray(v));
  if (object(body.processInstanceQuery) || object(body.historicProcessInstanceQuery)) throw wrong();
  out.processInstanceQuery = body.processInstanceQuery == null ? null : runtimeQuery(body.processInstanceQuery);
  out.historicProcessInstanceQuery = body.historicProcessInstanceQuery ?? null;
  return out;
}

// ProcessInstanceQueryDto: its mapping errors (400 "") come with the body's; what its toQuery
// refuses (e.g. a comparator it does not know) only when the query is built, after the
// instructions — readModification throws it then.
function runtimeQuery(dto) {
  try {
    return queryFromPost(dto);
  } catch (e) {
    if (e instanceof RestError && e.message === '') throw e;
    return { refused: e };
  }
}

/** The running instances among `ids` → Map(id → ProcessInstanceDto-like). */
async function runningInstances(engine, ids) {
  const rows = await engine.processInstances({ processInstanceId: { in: ids } });
  return new Map(rows.map((r) => [r.id, r]));
}

function instanceDoesNotExist(id) {
  return new CoreError('ProcessEngineException', `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`);
}

// Camunda's command finds no running instance: ENGINE-13036 (a ProcessEngineException, 500),
// whatever words the engine's own lookup used.
function notRunningAsEngine13036(e, id) {
  if (e?.type === 'NotFoundException' && e.message === `Process instance with id ${id} does not exist`) return instanceDoesNotExist(id);
  return e;
}
