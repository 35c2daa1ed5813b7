// dry-run.js — what a modification or restart plan would do, computed by the core without storing
// anything (docs/dry-run.md). The service's /detour/…/dry-run routes and the browser page call
// these same functions with the same module, so a simulation runs exactly the code the real
// command runs: the core's `modify` and `restart` commands.
//
// Browser-safe: only the core glue (js/core.js) and standard JavaScript.

import { CoreError } from './core.js';
import { randomSeed } from './ids.js';

/**
 * Simulates a modification of one running instance.
 *   core, handle: a loaded core (js/core.js) and its compiled model of the instance's definition
 *   state:        the instance's state document (docs/state-format.md); treated as immutable: its
 *                 text and its activity instance tree are kept with it (see `loadedState`), so a
 *                 second plan on the same document costs neither again
 *   plan:         {instructions (the engine's form, js/rest/instructions.js), skipCustomListeners,
 *                 skipIoMappings}
 *   options:      {now (epoch ms, default Date.now()), idSeed (32 hex digits, default random),
 *                 hostInvoke (the core's delegate hook; default: refuse — a simulation must not
 *                 run the host's code, which may act on the world), withState (default true;
 *                 false: the simulation's `state` is null, which spares writing and reading the
 *                 resulting state document)}
 * → a simulation (see `outcome`); never throws for a refused plan: the refusal is its `error`.
 */
export function simulateModification(core, handle, state, plan, options = {}) {
  const loaded = loadedState(state);
  let before = loaded?.before.get(core)?.get(handle) ?? null;
  core.setHostInvoke(options.hostInvoke ?? refuseDelegates);
  const withState = options.withState ?? true;
  const command = {
    command: 'modify',
    instructions: plan.instructions ?? [],
    skipCustomListeners: !!plan.skipCustomListeners,
    skipIoMappings: !!plan.skipIoMappings,
    ...clockOf(options),
    // the trees come back with the result: the state document goes to the core once
    withActivityInstances: true,
    withActivityInstancesBefore: !before,
    omitState: !withState,
  };
  const { out, error } = run(() => (loaded ? core.execute(handle, command, { state: loaded.bytes }) : core.execute(handle, { ...command, state })));
  if (!before) {
    // A refused plan brings no tree: the query reads the state alone (and throws, as the core
    // refuses it, for a state document it cannot read or an instance that ended).
    const tree = out ? out.result.activityInstancesBefore : treeOf(core, handle, state, loaded);
    before = { tree, counts: countActivities(tree) };
    if (loaded) {
      if (!loaded.before.has(core)) loaded.before.set(core, new Map());
      loaded.before.get(core).set(handle, before);
    }
  }
  return outcome(out, error, before, { processInstanceId: state?.id, businessKey: state?.businessKey ?? null });
}

/**
 * Simulates the restart of one historic instance as a new instance of the compiled model `handle`.
 *   history: {processInstance, variableInstances, details} — the historic rows the core reads
 *            (GET /detour/process-instance/{id}/state exports them)
 *   plan:    {processDefinitionId (the definition the historic instance must belong to; default
 *            the model's), instructions, initialVariables, withoutBusinessKey, skipCustomListeners,
 *            skipIoMappings}
 *   options: as simulateModification's
 * → a simulation whose `before` is empty (a restart starts from nothing).
 */
export function simulateRestart(core, handle, history, plan, options = {}) {
  core.setHostInvoke(options.hostInvoke ?? refuseDelegates);
  const { out, error } = run(() =>
    core.execute(handle, {
      command: 'restart',
      ...(plan.processDefinitionId ? { processDefinitionId: plan.processDefinitionId } : {}),
      historicProcessInstance: history?.processInstance ?? null,
      historicVariableInstances: history?.variableInstances ?? [],
      historicDetails: history?.details ?? [],
      instructions: plan.instructions ?? [],
      initialVariables: !!plan.initialVariables,
      withoutBusinessKey: !!plan.withoutBusinessKey,
      skipCustomListeners: !!plan.skipCustomListeners,
      skipIoMappings: !!plan.skipIoMappings,
      ...clockOf(options),
      withActivityInstances: true,
      omitState: !(options.withState ?? true),
    }),
  );
  const start = out?.history?.find((e) => e.type === 'processInstanceStart');
  return outcome(out, error, null, { processInstanceId: out?.result?.processInstanceId, businessKey: start?.businessKey ?? null });
}

/**
 * How a batch over `ids` would hand out its execution jobs: each seed job run as the core's
 * `splitBatch` computes it (docs/batches.md). → {seedRuns: [[[ids], …], …], totalJobs}.
 */
export function simulateBatchSplit(core, handle, ids, { batchJobsPerSeed = 100, invocationsPerBatchJob = 1 } = {}) {
  const seedRuns = [];
  let remaining = [...ids];
  let totalJobs = 0;
  while (remaining.length) {
    const { result } = core.execute(handle, { command: 'splitBatch', remaining, batchJobsPerSeed, invocationsPerBatchJob });
    seedRuns.push(result.jobs);
    totalJobs += result.jobs.length;
    remaining = result.remaining;
  }
  return { seedRuns, totalJobs };
}

/**
 * Counts per activity id of a Camunda activity instance tree: activity instances (scopes included,
 * the process instance itself not) and transition instances (an asyncBefore / asyncAfter token).
 * → {activityId: {instances, transitions}}.
 */
export function countActivities(tree) {
  const counts = {};
  const add = (id, field) => {
    counts[id] ??= { instances: 0, transitions: 0 };
    counts[id][field]++;
  };
  const walk = (node, isRoot) => {
    if (!isRoot) add(node.activityId, 'instances');
    for (const t of node.childTransitionInstances ?? []) add(t.activityId, 'transitions');
    for (const c of node.childActivityInstances ?? []) walk(c, false);
  };
  if (tree) walk(tree, true);
  return counts;
}

/** Per activity id: {before, after, delta} of activity plus transition instances, only where either is non-zero. */
export function compareCounts(before, after) {
  const total = (c) => (c ? c.instances + c.transitions : 0);
  const out = {};
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = total(before[id]);
    const a = total(after[id]);
    if (a || b) out[id] = { before: b, after: a, delta: a - b };
  }
  return out;
}

// --- shared -------------------------------------------------------------------------------------

/**
 * What this module keeps with a state document, in a WeakMap (it goes when the document goes):
 * {bytes: its JSON text as UTF-8, serialized once; before: core → handle → {tree, counts}, its activity
 * instance tree under a compiled model}. Null for a `state` that is not an object (the core
 * refuses it). The simulations of one document share the one `before` object: read-only.
 */
const loadedStates = new WeakMap();

function loadedState(state) {
  if (typeof state !== 'object' || state === null) return null;
  let loaded = loadedStates.get(state);
  if (!loaded) {
    loaded = { bytes: new TextEncoder().encode(JSON.stringify(state)), before: new WeakMap() };
    loadedStates.set(state, loaded);
  }
  return loaded;
}

// Runs the core's command: {out} or, for a refusal, {error} (a CoreError; anything else is thrown).
function run(command) {
  try {
    return { out: command(), error: null };
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    return { out: null, error: e };
  }
}

/**
 * A simulation: {ok, error: {type, message} | null, before: {tree, counts} | null, after: {tree
 * (null when the instance ended), counts, ended, endState, businessKey, processInstanceId},
 * changes: compareCounts, variables: [{name, type, value, valueInfo, scope: executionId, local
 * (not at the instance's scope), event: variableCreate | variableUpdate | variableDelete}],
 * jobs, tasks, state (the resulting state document; null when not asked for)}.
 * `out`: the core's result of a command run withActivityInstances (and perhaps omitState);
 * `instance`: {processInstanceId, businessKey} for a result without a state document.
 */
function outcome(out, error, before, instance) {
  const beforeCounts = before ? before.counts : {};
  if (error) {
    return { ok: false, error: { type: error.type, message: error.message }, before, after: null, changes: {}, variables: [], jobs: [], tasks: [], state: null };
  }
  const state = out.state ?? null;
  const tree = out.result.activityInstances; // null once the instance ended
  const processInstanceId = state ? state.id : instance.processInstanceId;
  const counts = countActivities(tree);
  const end = (out.history ?? []).find((e) => e.type === 'processInstanceEnd');
  return {
    ok: true,
    error: null,
    before,
    after: {
      tree,
      counts,
      ended: state ? !!state.ended : tree === null,
      endState: end?.state ?? null,
      businessKey: state ? state.businessKey ?? null : instance.businessKey,
      processInstanceId,
    },
    changes: compareCounts(beforeCounts, counts),
    variables: (out.history ?? [])
      .filter((e) => e.type === 'variableCreate' || e.type === 'variableUpdate' || e.type === 'variableDelete')
      .map((e) => ({
        name: e.name,
        type: e.valueType ?? null,
        value: e.value ?? null,
        valueInfo: e.valueInfo ?? {},
        scope: e.executionId ?? null,
        local: (e.executionId ?? null) !== processInstanceId,
        event: e.type,
      })),
    jobs: out.index?.jobs ?? [],
    tasks: out.index?.tasks ?? [],
    state,
  };
}

// The default delegate hook: the plan fails where it would run host code, saying so.
function refuseDelegates(request) {
  return { error: { message: `Dry run: delegate '${request.delegate}' is not run in a simulation` } };
}

function treeOf(core, handle, state, loaded) {
  const command = { command: 'activityInstances' };
  return (loaded ? core.execute(handle, command, { state: loaded.bytes }) : core.execute(handle, { ...command, state })).result;
}

// A simulation's clock and ids: the host's, or now and fresh random ones.
function clockOf({ now = Date.now(), idSeed = randomSeed() }) {
  return { now, idSeed };
}
