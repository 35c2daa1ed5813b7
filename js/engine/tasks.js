// tasks.js — user tasks (Camunda's taskService): the task query and completing a task. A task's
// variables are read through js/engine/variables.js.

import { taskDto } from '../dto.js';

/** User tasks (TaskDto-like); the query holds TaskDto fields, or `taskId`. */
export async function tasks(engine, query = {}) {
  const { taskId, ...rest } = query;
  return (await engine.store.rows('tasks', { ...rest, id: taskId })).map(taskDto);
}

export async function task(engine, taskId) {
  return taskDto(await engine._indexRow('tasks', taskId, `Cannot find task with id ${taskId}: task is null`));
}

export async function completeTask(engine, taskId, variables = {}, { localVariables } = {}) {
  const task = await engine._indexRow('tasks', taskId, `Cannot find task with id ${taskId}: task is null`);
  const command = { command: 'completeTask', taskId, variables };
  if (localVariables) command.localVariables = localVariables;
  await engine._run(await engine._instance(task.processInstanceId), command);
}
