// simulate.js — a plan run through the core in the page, answering as the service's dry-run routes
// answer (docs/dry-run.md): {error, instances, summary, batch} plus the counts over all instances.
// The instructions are read by the REST layer's own reader (js/rest/instructions.js), the
// simulations are js/dry-run.js's, so a refusal here is worded as the real endpoint words it.
//
// Which endpoint the plan stands for: one running instance → POST /process-instance/{id}/modification
// ('single': errors as they are); several → POST /modification/execute ('multi'); historic ones →
// POST /process-definition/{id}/restart. The last two rewrap an engine BadUserRequest as a 400
// InvalidRequestException, as their Java resources do.

import { compareCounts, countActivities, simulateBatchSplit, simulateModification, simulateRestart } from '../../js/dry-run.js';
import { errorResponse, invalidRequest, isBadUserRequest } from '../../js/rest/errors.js';
import { readInstructions } from '../../js/rest/instructions.js';

// The page shows trees, counts and variables, never the resulting state document: leaving it out
// of the core's answer keeps a simulation of a large instance fast.
const WITHOUT_STATE = { withState: false };

/**
 * mode: 'modification' | 'restart'; documents: export documents (GET /detour/process-instance/{id}/state)
 * of the selected instances; plan: {instructions (REST form), skipCustomListeners, skipIoMappings,
 * initialVariables, withoutBusinessKey}; batch: {batchJobsPerSeed, invocationsPerBatchJob}.
 * → {use, error (the plan's own refusal, for every instance), instances: [{processInstanceId,
 *    ...simulation without state}], summary, batch, before, after, changes} where before / after
 *    are the counts summed over the instances (a failed instance counts as it is).
 */
export function simulatePlan(core, model, { mode, documents, plan, batch }) {
  const ids = documents.map((d) => d.processInstanceId);
  const use = mode === 'restart' ? 'restart' : ids.length === 1 ? 'single' : 'multi';
  const answer = use === 'single' ? (e) => e : rewrapped;
  let instructions;
  try {
    instructions = readInstructions(plan.instructions, use);
  } catch (e) {
    if (typeof e?.type !== 'string') throw e;
    const error = errorOf(e);
    const instances = documents.map((d) => ({ processInstanceId: d.processInstanceId, ...refusal({ ...error, before: beforeOf(core, model, mode, d) }) }));
    return summarize(core, model, { use, error, instances, ids, batch });
  }
  const instances = documents.map((doc) => {
    const simulation = mode === 'restart' ? restartOne(core, model, doc, plan, instructions) : modifyOne(core, model, doc, plan, instructions, use);
    return instanceResult(doc.processInstanceId, simulation, answer);
  });
  return summarize(core, model, { use, error: null, instances, ids, batch });
}

function modifyOne(core, model, doc, plan, instructions, use) {
  const id = doc.processInstanceId;
  if (!doc.state) return refusal({ type: 'ProcessEngineException', message: `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist` });
  if (use === 'multi' && doc.processDefinitionId !== model.definition.id) {
    return refusal({
      type: 'ProcessEngineException',
      message: `ENGINE-13037 Process instance '${id}' cannot be modified. Its process definition '${doc.processDefinitionId}' does not match given process definition '${model.definition.id}'`,
      before: beforeOf(core, model, 'modification', doc),
    });
  }
  return simulateModification(core, model.handle, doc.state, { instructions, skipCustomListeners: plan.skipCustomListeners, skipIoMappings: plan.skipIoMappings }, WITHOUT_STATE);
}

// The rows js/engine/restart.js hands the core: the last variables, or only the initial details.
function restartOne(core, model, doc, plan, instructions) {
  const h = doc.history ?? {};
  const history = {
    processInstance: h.processInstance ?? null,
    variableInstances: h.processInstance && !plan.initialVariables ? h.variableInstances ?? [] : [],
    details: h.processInstance && plan.initialVariables ? (h.details ?? []).filter((d) => d.initial) : [],
  };
  return simulateRestart(core, model.handle, history, {
    processDefinitionId: model.definition.id,
    instructions,
    initialVariables: plan.initialVariables,
    withoutBusinessKey: plan.withoutBusinessKey,
    skipCustomListeners: plan.skipCustomListeners,
    skipIoMappings: plan.skipIoMappings,
  }, WITHOUT_STATE);
}

function summarize(core, model, { use, error, instances, ids, batch }) {
  const succeeded = instances.filter((i) => i.ok).length;
  const split = ids.length ? simulateBatchSplit(core, model.handle, ids, batch) : { seedRuns: [], totalJobs: 0 };
  const before = sumCounts(instances.map((i) => i.before?.counts ?? {}));
  // an instance the plan fails on stays as it is
  const after = sumCounts(instances.map((i) => (i.ok ? i.after.counts : i.before?.counts ?? {})));
  return {
    use,
    error,
    instances,
    summary: { total: instances.length, succeeded, failed: instances.length - succeeded },
    batch: { ...batch, ...split },
    before,
    after,
    changes: compareCounts(before, after),
  };
}

/** Per activity id, the {instances, transitions} of several count maps added up. */
export function sumCounts(list) {
  const out = {};
  for (const counts of list) {
    for (const [id, c] of Object.entries(counts)) {
      out[id] ??= { instances: 0, transitions: 0 };
      out[id].instances += c.instances;
      out[id].transitions += c.transitions;
    }
  }
  return out;
}

/** The current counts of an instance's export document (empty for an ended one). */
export function countsOf(core, model, doc) {
  if (!doc.state || doc.state.ended) return {};
  return countActivities(core.execute(model.handle, { command: 'activityInstances', state: doc.state }).result);
}

// The before part of a simulation the core did not run: the instance as it is.
function beforeOf(core, model, mode, doc) {
  if (mode === 'restart' || !doc.state || doc.state.ended) return null;
  const tree = core.execute(model.handle, { command: 'activityInstances', state: doc.state }).result;
  return { tree, counts: countActivities(tree) };
}

function refusal({ type, message, before = null }) {
  return { ok: false, error: { type, message }, before, after: null, changes: {}, variables: [], jobs: [], tasks: [] };
}

function rewrapped(e) {
  return isBadUserRequest(e) ? invalidRequest(e.message) : e;
}

function errorOf(e) {
  const { body } = errorResponse(e);
  return { type: body.type, message: body.message };
}

// The simulation without its state document, its error as the endpoint answers it.
function instanceResult(processInstanceId, { state, ...simulation }, answer) {
  if (simulation.error) simulation.error = errorOf(answer(simulation.error));
  return { processInstanceId, ...simulation };
}
