// batch/operations.js — what an execution job does to one instance, per batch type:
// (engine, batch, processInstanceId, outcome) → runs the operation in the instance's own
// transaction, committing `outcome` ({batchId, instances: [{…, state: 'done'}]}) with it, or
// throws the engine's refusal (recorded as the instance's failure by js/batch/jobs.js).

import { CoreError } from '../core.js';

export const INSTANCE_MODIFICATION = 'instance-modification';
export const INSTANCE_RESTART = 'instance-restart';

/**
 * instance-modification (semantics.md §1.12.3): the instance must be running (ENGINE-13036) and
 * of the batch's definition (ENGINE-13037); then the same modification as the synchronous REST
 * call (externally terminated, Detour's policy 3), the instruction variables applied.
 */
async function modification(engine, batch, processInstanceId, outcome) {
  const c = batch.configuration;
  const row = await engine.store.getInstance(processInstanceId);
  if (!row) throw notRunning(processInstanceId);
  if (row.processDefinitionId !== c.processDefinitionId) {
    throw new CoreError(
      'ProcessEngineException',
      `ENGINE-13037 Process instance '${processInstanceId}' cannot be modified. Its process definition '${row.processDefinitionId}' does not match given process definition '${c.processDefinitionId}'`,
    );
  }
  try {
    await engine.modifyProcessInstance(processInstanceId, {
      instructions: c.instructions,
      skipCustomListeners: !!c.skipCustomListeners,
      skipIoMappings: !!c.skipIoMappings,
      annotation: c.annotation ?? null,
      batch: outcome,
    });
  } catch (e) {
    if (e?.type === 'NotFoundException' && e.message === `Process instance with id ${processInstanceId} does not exist`) throw notRunning(processInstanceId);
    throw e;
  }
}

function notRunning(id) {
  return new CoreError('ProcessEngineException', `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`);
}

/**
 * instance-restart (semantics.md §2.3): the synchronous restart of one historic instance; an
 * unknown, running or foreign one fails here, at execution, with the synchronous messages.
 */
async function restart(engine, batch, historicId, outcome) {
  const c = batch.configuration;
  await engine.restartProcessInstance(c.processDefinitionId, historicId, {
    instructions: c.instructions,
    initialVariables: !!c.initialVariables,
    withoutBusinessKey: !!c.withoutBusinessKey,
    skipCustomListeners: !!c.skipCustomListeners,
    skipIoMappings: !!c.skipIoMappings,
    targetProcessDefinitionId: c.targetProcessDefinitionId ?? null,
  }, { batch: outcome });
}

export const OPERATIONS = {
  [INSTANCE_MODIFICATION]: modification,
  [INSTANCE_RESTART]: restart,
};
