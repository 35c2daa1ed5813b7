// history.js — Camunda's historyService queries (process, activity and task instances, variable
// instances, details, incidents) over the history rows every commit writes (js/history-rows.js),
// with the query of open incidents beside its historic counterpart.

import { batchIncidents, filterRows } from '../batch/batches.js';
import { incidentDto } from '../dto.js';

export async function incidents(engine, query = {}) {
  const { incidentId, ...rest } = query;
  const filter = { ...rest, id: incidentId };
  const rows = await engine.store.rows('incidents', filter);
  rows.push(...filterRows(await batchIncidents(engine), filter)); // of batch jobs (js/batch/)
  return rows.map(incidentDto);
}

export async function historicProcessInstances(engine, query = {}) {
  const { processInstanceId, finished, unfinished, ...rest } = query;
  return (await engine.store.history('processInstance', { ...rest, id: processInstanceId }))
    .filter((r) => (!finished || r.endTime != null) && (!unfinished || r.endTime == null));
}

export async function historicActivityInstances(engine, query = {}) {
  const { activityInstanceId, finished, unfinished, ...rest } = query;
  return (await engine.store.history('activityInstance', { ...rest, id: activityInstanceId }))
    .filter((r) => (!finished || r.endTime != null) && (!unfinished || r.endTime == null));
}

/** Historic variable instances; deleted ones only with {includeDeleted: true}, as Camunda. */
export async function historicVariableInstances(engine, query = {}) {
  const { variableName, includeDeleted = false, ...rest } = query;
  return (await engine.store.history('variableInstance', { ...rest, name: variableName, state: includeDeleted ? undefined : 'CREATED' }));
}

/** Historic details: one variable update per set value, `initial` on an instance's initial values. */
export async function historicDetails(engine, query = {}) {
  return engine.store.history('detail', query);
}

export async function historicTaskInstances(engine, query = {}) {
  const { taskId, finished, unfinished, ...rest } = query;
  return (await engine.store.history('taskInstance', { ...rest, id: taskId }))
    .filter((r) => (!finished || r.endTime != null) && (!unfinished || r.endTime == null));
}

export async function historicIncidents(engine, query = {}) {
  const { incidentId, ...rest } = query;
  return engine.store.history('incident', { ...rest, id: incidentId });
}
