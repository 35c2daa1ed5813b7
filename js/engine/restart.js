// restart.js — Camunda's process instance restart (semantics.md §2): a new instance of a
// definition, started at the activities the instructions name, from an ended historic instance —
// its business key, tenant and variables (the last ones, or those it was started with). The core's
// `restart` command decides everything from the historic rows handed to it (src/restart.c); this
// reads those rows and commits the new instance.

import { CoreError } from '../core.js';
import { activateIfDue } from './definitions.js';

/**
 * Restarts the historic instances `historicIds` as instances of `definitionId` — all or none:
 * every new instance is computed before the first is stored, so a refusal (an instance still
 * running, of another definition, an instruction the model rejects) changes nothing.
 * options: {instructions (the engine's form: startBeforeActivity / startAfterActivity (activityId),
 * startTransition (transitionId), variables?), initialVariables, withoutBusinessKey,
 * skipCustomListeners, skipIoMappings, targetProcessDefinitionId (Detour: start the new instances
 * on this version instead)} → the new instances' ids, in the order of `historicIds`.
 */
export async function restartProcessInstances(engine, definitionId, historicIds, options = {}) {
  const planned = [];
  for (const id of historicIds) planned.push(await planRestart(engine, definitionId, id, options));
  for (const { row, out } of planned) await engine._commit(row, out);
  return planned.map(({ out }) => out.result.processInstanceId);
}

/**
 * One restart in its own transaction; `commit` is passed to the store with it (a batch job's
 * outcome for this instance: docs/batches.md). → the new instance's id.
 */
export async function restartProcessInstance(engine, definitionId, historicId, options = {}, commit = {}) {
  const { row, out } = await planRestart(engine, definitionId, historicId, options);
  await engine._commit(row, out, commit);
  return out.result.processInstanceId;
}

// The new instance as the core computes it, not yet stored: {row, out}.
async function planRestart(engine, definitionId, historicId, options) {
  const target = await deployedDefinition(engine, options.targetProcessDefinitionId ?? definitionId);
  const historic = await engine.store.getHistory('processInstance', historicId);
  const command = {
    command: 'restart',
    processDefinitionId: definitionId,
    historicProcessInstance: historic ?? null,
    // only what the core reads: process-level variables, or the initial details
    historicVariableInstances: historic && !options.initialVariables ? await engine.store.history('variableInstance', { processInstanceId: historicId }) : [],
    historicDetails: historic && options.initialVariables ? await engine.store.history('detail', { processInstanceId: historicId, initial: true }) : [],
    instructions: options.instructions ?? [],
    initialVariables: !!options.initialVariables,
    withoutBusinessKey: !!options.withoutBusinessKey,
    skipCustomListeners: !!options.skipCustomListeners,
    skipIoMappings: !!options.skipIoMappings,
  };
  const row = { id: null, revision: 0, processDefinitionId: target.id, processDefinitionKey: target.key, tenantId: target.tenantId ?? null };
  return { row, out: await engine._execute(row, command) };
}

// Camunda's ProcessDefinitionCache.checkDefinitionFound; a suspended definition starts nothing.
async function deployedDefinition(engine, id) {
  const def = await activateIfDue(engine, await engine.store.getDefinition(id));
  if (!def) throw new CoreError('NotFoundException', `no deployed process definition found with id '${id}': processDefinition is null`);
  if (def.suspended) throw new CoreError('SuspendedEntityInteractionException', `Process definition ${id} is suspended`);
  return def;
}
