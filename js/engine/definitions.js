// definitions.js — deployed process definitions: their queries, activation at a deployment's
// activation time, suspension, activity statistics, and their job definitions (Camunda's
// repositoryService definition methods, managementService's activity statistics and job
// definition query).
//
// A definition row holds its model document and the job definitions made at deploy
// (js/job-definitions.js). Every commit links its jobs to those job definitions, so the engine
// caches them per definition (engine._jobDefinitionCache) and drops the entry whenever the row
// changes or goes.

import { batchJobDefinitions } from '../batch/batches.js';
import { CoreError } from '../core.js';
import { definitionDto, jobDefinitionDto } from '../dto.js';
import { jobDefinitionIdFor } from '../job-definitions.js';
import { matches } from '../store/memory.js';

export async function processDefinitions(engine, query = {}) {
  return (await engine.store.definitions(query)).map(definitionDto);
}

export async function processDefinition(engine, id) {
  const d = await engine.store.getDefinition(id);
  if (!d) throw new CoreError('NotFoundException', `No matching definition with id ${id}`);
  return definitionDto(d);
}

/** The latest version of `key` (of `tenantId`, or without tenant when none is given). */
export async function latestDefinition(engine, key, { tenantId = null } = {}) {
  const defs = await engine.store.definitions({ key, tenantId });
  if (!defs.length) throw new CoreError('NotFoundException', `No process definition found with key '${key}'`);
  return definitionDto(defs.reduce((a, b) => (b.version > a.version ? b : a)));
}

/**
 * Activates every definition whose deployment-activation-time has come (what Camunda's timer
 * job does at that time). Queries over definitions call it first, so they never show a
 * definition suspended past its activation time.
 */
export async function activateDueDefinitions(engine) {
  const pending = await engine.store.definitions({ suspended: true, activationTime: { lte: engine.clock() } });
  for (const def of pending) await activateIfDue(engine, def);
}

/** The definition row, active if its activation time has come (stored so). */
export async function activateIfDue(engine, def) {
  if (!def?.suspended || def.activationTime == null || def.activationTime > engine.clock()) return def;
  const { activationTime, ...active } = def;
  active.suspended = false;
  await engine.store.putDefinition(active);
  return active;
}

/**
 * Suspends or activates a definition ({includeProcessInstances}: its running instances too),
 * as repositoryService.updateProcessDefinitionSuspensionState().byProcessDefinitionId() does:
 * its job definitions follow it; an unknown id changes nothing.
 */
export async function setProcessDefinitionSuspended(engine, definitionId, suspended, { includeProcessInstances = false } = {}) {
  const def = await engine.store.getDefinition(definitionId);
  if (!def) return;
  const { activationTime, ...rest } = def; // an explicit change wins over a pending activation
  const jobDefinitions = (def.jobDefinitions ?? []).map((j) => ({ ...j, suspended: !!suspended }));
  await engine.store.putDefinition({ ...rest, suspended: !!suspended, ...(def.jobDefinitions ? { jobDefinitions } : {}) });
  engine._jobDefinitionCache.delete(definitionId);
  if (!includeProcessInstances) return;
  for (const row of await engine.store.instances({ processDefinitionId: definitionId })) {
    if (!!row.suspended !== !!suspended) await engine.suspendProcessInstance(row.id, suspended);
  }
}

/**
 * Camunda's activity statistics of a definition (managementService.createActivityStatisticsQuery):
 * per activity, the running activity instances (active tokens, parked async continuations; not
 * scopes waiting for their children, not tokens waiting at a join), with {failedJobs} the jobs out
 * of retries and with {incidents} / {incidentType} the open incidents by type.
 * → [{id, instances, failedJobs, incidents: [{incidentType, incidentCount}]}] by activity id.
 */
export async function activityStatistics(engine, definitionId, { failedJobs = false, incidents = false, incidentType = null } = {}) {
  const stats = new Map();
  const entry = (id) => {
    if (!stats.has(id)) stats.set(id, { id, instances: 0, failedJobs: 0, incidents: new Map() });
    return stats.get(id);
  };
  for (const row of await engine.store.instances({ processDefinitionId: definitionId })) {
    const active = new Set(row.activityIds ?? []);
    const tree = (await engine._run(row, { command: 'activityInstances' })).result;
    for (const id of leafActivityIds(tree)) if (active.has(id)) entry(id).instances++;
  }
  if (failedJobs) {
    for (const job of await engine.store.rows('jobs', { processDefinitionId: definitionId, retries: 0 })) {
      if (job.activityId != null) entry(job.activityId).failedJobs++;
    }
  }
  if (incidents || incidentType != null) {
    const filter = { processDefinitionId: definitionId, ...(incidentType != null ? { incidentType } : {}) };
    for (const incident of await engine.store.rows('incidents', filter)) {
      if (incident.activityId == null) continue;
      const byType = entry(incident.activityId).incidents;
      byType.set(incident.incidentType, (byType.get(incident.incidentType) ?? 0) + 1);
    }
  }
  return [...stats.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((s) => ({ ...s, incidents: [...s.incidents].map(([type, incidentCount]) => ({ incidentType: type, incidentCount })) }));
}

/**
 * Job definitions (JobDefinitionDto): made at deploy, one per async continuation and timer of a
 * definition, and the three of every batch (js/batch/). Query fields: jobDefinitionId,
 * activityIdIn, and any JobDefinitionDto field.
 */
export async function jobDefinitions(engine, query = {}) {
  const { jobDefinitionId, activityIdIn, ...rest } = query;
  const filter = { ...rest, id: jobDefinitionId };
  if (activityIdIn) filter.activityId = { in: activityIdIn };
  const all = (await engine.store.definitions({})).flatMap((d) => d.jobDefinitions ?? []);
  all.push(...(await batchJobDefinitions(engine)));
  return all.filter((row) => matches(row, filter)).map(jobDefinitionDto);
}

// Every job (and its failedJob incident, open or historic) carries its job definition's id.
export async function linkJobDefinitions(engine, definitionId, index, history) {
  const jobs = index.jobs ?? [];
  if (!jobs.length) return;
  const definitions = await cachedJobDefinitions(engine, definitionId);
  const byJob = new Map(jobs.map((job) => [job.id, (job.jobDefinitionId = jobDefinitionIdFor(definitions, job))]));
  const link = (incident) => {
    if (incident.incidentType === 'failedJob' && byJob.has(incident.configuration)) {
      incident.jobDefinitionId = byJob.get(incident.configuration);
    }
  };
  for (const incident of index.incidents ?? []) link(incident);
  for (const { kind, row } of history) if (kind === 'incident') link(row);
}

async function cachedJobDefinitions(engine, definitionId) {
  let definitions = engine._jobDefinitionCache.get(definitionId);
  if (!definitions) {
    definitions = (await engine.store.getDefinition(definitionId))?.jobDefinitions ?? [];
    engine._jobDefinitionCache.set(definitionId, definitions);
  }
  return definitions;
}

// The definition is gone: release its compiled model and what is cached of it.
export function forgetDefinition(engine, definitionId) {
  const handle = engine.handles.get(definitionId);
  if (handle !== undefined) engine.core.release(handle);
  engine.handles.delete(definitionId);
  engine._jobDefinitionCache.delete(definitionId);
}

/** The activity ids of an activity instance tree's leaves and transition instances (one per instance). */
function leafActivityIds(node, out = [], isRoot = true) {
  const children = node.childActivityInstances ?? [];
  const transitions = node.childTransitionInstances ?? [];
  if (!isRoot && !children.length && !transitions.length) out.push(node.activityId);
  for (const t of transitions) out.push(t.activityId);
  for (const c of children) leafActivityIds(c, out, false);
  return out;
}
