// variables.js — reading and changing variables: those visible from a process instance, one of
// its executions or a user task, and a process instance's own variables, from history once it
// ended. Where a variable lands (its scope) is for the core's `variables` and `modifyVariables`
// commands to decide, as Camunda's scoping rules say.

/** The variables visible from a process instance or execution (typed map); {local} for its own only. */
export async function variables(engine, executionId, { local = false } = {}) {
  const row = await engine._instanceOfExecution(executionId);
  const command = { command: 'variables', local };
  if (executionId !== row.id) command.executionId = executionId;
  return (await engine._run(row, command)).result;
}

/** The variables visible from a user task (task-local ones first). */
export async function taskVariables(engine, taskId, { local = false } = {}) {
  const task = await engine._indexRow('tasks', taskId, `Cannot find task with id ${taskId}: task is null`);
  const row = await engine._instance(task.processInstanceId);
  return (await engine._run(row, { command: 'variables', taskId, local })).result;
}

/**
 * Sets variables (a typed map) on an instance or execution: with {local} on that execution,
 * otherwise where each one already exists, else on the process instance (Camunda's scoping).
 */
export async function setVariables(engine, executionId, variables, { local = false } = {}) {
  await engine.modifyVariables(executionId, { modifications: variables, local });
}

export async function removeVariable(engine, executionId, name, { local = false } = {}) {
  await engine.modifyVariables(executionId, { deletions: [name], local });
}

/** Updates first, then deletions, as POST /process-instance/{id}/variables does. */
export async function modifyVariables(engine, executionId, { modifications = {}, deletions = [], local = false } = {}) {
  const row = await engine._instanceOfExecution(executionId);
  const command = { command: 'modifyVariables', modifications, deletions, local };
  if (executionId !== row.id) command.executionId = executionId;
  await engine._run(row, command);
}

/**
 * A process instance's own variables (its root scope) as a typed map; once it ended, the values
 * it ended with, from history. (What Camunda hands back with a start or a correlation "with
 * variables in return".)
 */
export async function processInstanceVariables(engine, processInstanceId) {
  const row = await engine.store.getInstance(processInstanceId);
  if (row) return (await engine._run(row, { command: 'variables', local: true })).result;
  const out = {};
  for (const v of await engine.historicVariableInstances({ processInstanceId, executionId: processInstanceId })) {
    out[v.name] = { type: v.type, value: v.value, valueInfo: v.valueInfo ?? {} };
  }
  return out;
}
