// dry-run.test.js — js/dry-run.js against the core's plain commands: a simulation shows what
// `modify` / `restart` return and the `activityInstances` query gives before and after, whatever it
// keeps with a state document or leaves out (withState: false); refusals and unreadable states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CoreError, loadCore } from '../../js/core.js';
import { countActivities, simulateModification, simulateRestart } from '../../js/dry-run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmPath = join(root, 'dist', 'detour-core.wasm');
assert.ok(existsSync(wasmPath), `${wasmPath} is missing: run npm run build`);
const bytes = readFileSync(wasmPath);

const NOW = 1700000000000;
const CLOCK = { now: NOW + 10, idSeed: 'ab'.repeat(16) };

// start → fork → a, b, sub { s → inner → e } → join → end
const MODEL = {
  definition: { id: 'wide:1:test', key: 'wide', name: 'Wide', version: 1, tenantId: null },
  process: {
    id: 'wide',
    isExecutable: true,
    elements: [
      { type: 'startEvent', id: 'start' },
      { type: 'parallelGateway', id: 'fork' },
      { type: 'userTask', id: 'a', name: 'A' },
      { type: 'userTask', id: 'b', name: 'B' },
      {
        type: 'subProcess',
        id: 'sub',
        elements: [{ type: 'startEvent', id: 's' }, { type: 'userTask', id: 'inner' }, { type: 'endEvent', id: 'e' }],
        flows: [{ id: 's1', sourceRef: 's', targetRef: 'inner' }, { id: 's2', sourceRef: 'inner', targetRef: 'e' }],
      },
      { type: 'parallelGateway', id: 'join' },
      { type: 'endEvent', id: 'end' },
    ],
    flows: [
      { id: 'f0', sourceRef: 'start', targetRef: 'fork' },
      { id: 'fa', sourceRef: 'fork', targetRef: 'a' },
      { id: 'fb', sourceRef: 'fork', targetRef: 'b' },
      { id: 'fs', sourceRef: 'fork', targetRef: 'sub' },
      { id: 'ja', sourceRef: 'a', targetRef: 'join' },
      { id: 'jb', sourceRef: 'b', targetRef: 'join' },
      { id: 'js', sourceRef: 'sub', targetRef: 'join' },
      { id: 'f9', sourceRef: 'join', targetRef: 'end' },
    ],
  },
};

const PLAN = {
  instructions: [
    { type: 'cancel', activityId: 'a' },
    { type: 'startBeforeActivity', activityId: 'b', variables: { x: { value: 1, type: 'Integer' } } },
    { type: 'startBeforeActivity', activityId: 'inner' },
  ],
};

async function setup() {
  const core = await loadCore(bytes);
  const { handle } = core.compile(MODEL);
  const at = (...ids) => ids.map((activityId) => ({ type: 'startBeforeActivity', activityId }));
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: 'cd'.repeat(16), businessKey: 'bk-1', startInstructions: at('a', 'a', 'b', 'inner') });
  return { core, handle, state: started.state, processInstanceId: started.result.processInstanceId };
}

const treeOf = (core, handle, state) => core.execute(handle, { command: 'activityInstances', state }).result;

/** What the plan gives through the plain commands: the modify result and the trees around it. */
function reference(core, handle, state, plan = PLAN) {
  const out = core.execute(handle, { command: 'modify', state, instructions: plan.instructions, skipCustomListeners: false, skipIoMappings: false, ...CLOCK });
  return { out, before: treeOf(core, handle, state), after: out.state.ended ? null : treeOf(core, handle, out.state) };
}

test('a simulated modification shows what modify returns and the trees before and after it', async () => {
  const { core, handle, state, processInstanceId } = await setup();
  const ref = reference(core, handle, state);
  const sim = simulateModification(core, handle, state, PLAN, CLOCK);
  assert.equal(sim.ok, true);
  assert.deepEqual(sim.before, { tree: ref.before, counts: countActivities(ref.before) });
  assert.deepEqual(sim.after, {
    tree: ref.after, counts: countActivities(ref.after), ended: false, endState: null, businessKey: 'bk-1', processInstanceId,
  });
  assert.deepEqual(sim.changes, {
    a: { before: 2, after: 0, delta: -2 },
    b: { before: 1, after: 2, delta: 1 },
    sub: { before: 1, after: 1, delta: 0 },
    inner: { before: 1, after: 2, delta: 1 },
  });
  assert.deepEqual(sim.state, ref.out.state);
  assert.deepEqual(sim.tasks, ref.out.index.tasks);
  assert.deepEqual(sim.jobs, ref.out.index.jobs);
  assert.deepEqual(sim.variables, [{ name: 'x', type: 'Integer', value: 1, valueInfo: {}, scope: processInstanceId, local: false, event: 'variableCreate' }]);
});

test('without the state document a simulation is the same but for its state', async () => {
  const { core, handle, state } = await setup();
  const full = simulateModification(core, handle, state, PLAN, CLOCK);
  const lean = simulateModification(core, handle, structuredClone(state), PLAN, { ...CLOCK, withState: false });
  assert.equal(lean.state, null);
  assert.deepEqual({ ...lean, state: full.state }, full);
});

test('a second plan on the same state document reuses its tree before, and results stay the same', async () => {
  const { core, handle, state } = await setup();
  const first = simulateModification(core, handle, state, PLAN, CLOCK);
  const second = simulateModification(core, handle, state, PLAN, CLOCK);
  assert.equal(second.before, first.before); // kept with the document
  assert.deepEqual(second, first);
  const other = simulateModification(core, handle, structuredClone(state), PLAN, CLOCK);
  assert.notEqual(other.before, first.before); // a copy is another document
  assert.deepEqual(other, first);
  // another core (or model) has trees of its own
  const core2 = await loadCore(bytes);
  const handle2 = core2.compile(MODEL).handle;
  const third = simulateModification(core2, handle2, state, PLAN, CLOCK);
  assert.notEqual(third.before, first.before);
  assert.deepEqual(third, first);
});

test('a plan that ends the instance has no tree after it, with or without the state document', async () => {
  const { core, handle, state } = await setup();
  const plan = { instructions: [{ type: 'cancel', activityInstanceId: state.id }] };
  for (const withState of [true, false]) {
    const sim = simulateModification(core, handle, state, plan, { ...CLOCK, withState });
    assert.equal(sim.ok, true);
    assert.equal(sim.after.tree, null);
    assert.equal(sim.after.ended, true);
    assert.equal(sim.after.endState, 'EXTERNALLY_TERMINATED');
    assert.deepEqual(sim.after.counts, {});
    assert.equal(sim.state?.ended ?? null, withState ? true : null);
  }
});

test('a refused plan is a simulation with the error and the tree before, first or not', async () => {
  const { core, handle, state } = await setup();
  const plan = { instructions: [{ type: 'startBeforeActivity', activityId: 'nowhere' }] };
  const before = treeOf(core, handle, state);
  for (let i = 0; i < 2; i++) {
    const sim = simulateModification(core, handle, state, plan, CLOCK);
    assert.equal(sim.ok, false);
    assert.equal(sim.error.type, 'NotValidException');
    assert.match(sim.error.message, /^Cannot perform instruction: Start before activity 'nowhere'/);
    assert.deepEqual(sim.before, { tree: before, counts: countActivities(before) });
    assert.equal(sim.after, null);
    assert.equal(sim.state, null);
  }
  // the tree a refusal computed serves the next plan
  const refused = simulateModification(core, handle, state, plan, CLOCK);
  assert.equal(simulateModification(core, handle, state, PLAN, CLOCK).before, refused.before);
});

test('a state document the core cannot read throws, as the activityInstances query does', async () => {
  const { core, handle, state } = await setup();
  assert.throws(() => simulateModification(core, handle, null, PLAN, CLOCK), (e) => e instanceof CoreError && e.message === 'state must be an object');
  assert.throws(() => simulateModification(core, handle, { ...state, executions: 7 }, PLAN, CLOCK), CoreError);
  const ended = simulateModification(core, handle, state, { instructions: [{ type: 'cancel', activityInstanceId: state.id }] }, CLOCK);
  const endedState = ended.state;
  assert.throws(() => simulateModification(core, handle, endedState, PLAN, CLOCK), (e) => e instanceof CoreError && e.type === 'NotFoundException');
});

test('a simulated restart shows what restart returns and the new instance tree, with or without its state', async () => {
  const { core, handle } = await setup();
  const history = { processInstance: { id: 'old', processDefinitionId: 'wide:1:test', businessKey: 'bk-old', tenantId: null, endTime: NOW }, variableInstances: [], details: [] };
  const plan = { instructions: [{ type: 'startBeforeActivity', activityId: 'inner' }, { type: 'startBeforeActivity', activityId: 'b' }] };
  const out = core.execute(handle, {
    command: 'restart', historicProcessInstance: history.processInstance, historicVariableInstances: [], historicDetails: [],
    instructions: plan.instructions, initialVariables: false, withoutBusinessKey: false, skipCustomListeners: false, skipIoMappings: false, ...CLOCK,
  });
  const tree = treeOf(core, handle, out.state);
  const full = simulateRestart(core, handle, history, plan, CLOCK);
  assert.equal(full.ok, true);
  assert.equal(full.before, null);
  assert.deepEqual(full.after, { tree, counts: countActivities(tree), ended: false, endState: null, businessKey: 'bk-old', processInstanceId: out.state.id });
  assert.deepEqual(full.state, out.state);
  assert.deepEqual(full.tasks, out.index.tasks);
  const lean = simulateRestart(core, handle, history, plan, { ...CLOCK, withState: false });
  assert.equal(lean.state, null);
  assert.deepEqual({ ...lean, state: full.state }, full);
  const keyless = simulateRestart(core, handle, history, { ...plan, withoutBusinessKey: true }, { ...CLOCK, withState: false });
  assert.equal(keyless.after.businessKey, null);
  // one that runs to its end at once
  const done = simulateRestart(core, handle, history, { instructions: [{ type: 'startBeforeActivity', activityId: 'end' }] }, { ...CLOCK, withState: false });
  assert.equal(done.ok, true);
  assert.equal(done.after.tree, null);
  assert.equal(done.after.ended, true);
  assert.equal(done.after.endState, 'COMPLETED');
});
