// engine-modify.test.js — Engine.modifyProcessInstance over the memory store: the core's `modify`
// command as the service runs it, and the history rows it leaves (canceled activity instances,
// EXTERNALLY_TERMINATED / COMPLETED, delete reasons), semantics.md §1.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CoreError, loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { MemoryStore } from '../../js/store/memory.js';
import { coreModule, fixture, T0 } from './support.js';

const REASON = 'Cancellation due to process instance modifcation';

async function newEngine() {
  let now = T0;
  let n = 0;
  const clock = () => now;
  clock.add = (ms) => { now += ms; };
  const engine = new Engine({
    core: await loadCore(coreModule),
    store: new MemoryStore(),
    clock,
    ids: () => (++n).toString(16).padStart(32, '0'),
  });
  return { engine, clock };
}

const leafIds = (node) => [
  ...node.childActivityInstances.flatMap((c) => (c.childActivityInstances.length || c.childTransitionInstances.length ? leafIds(c) : [c.activityId])),
  ...node.childTransitionInstances.map((t) => `~${t.activityId}`),
].sort();

test('cancelling the last activity ends the instance EXTERNALLY_TERMINATED with canceled activity instances', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  clock.add(1000);
  await engine.modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityId: 'task' }], annotation: 'cleanup' });

  assert.deepEqual(await engine.processInstances({ processInstanceId: pi.id }), []);
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'EXTERNALLY_TERMINATED');
  assert.equal(hpi.deleteReason, null);
  assert.equal(hpi.endTime, T0 + 1000);
  const [task] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'task' });
  assert.equal(task.canceled, true);
  assert.equal(task.endTime, T0 + 1000);
  const [start] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'start' });
  assert.equal(start.canceled, false);
  const [htask] = await engine.historicTaskInstances({ processInstanceId: pi.id });
  assert.equal(htask.deleteReason, REASON);
  assert.deepEqual(await engine.tasks({ processInstanceId: pi.id }), []);
});

test('moving a token inside a subprocess keeps the instance running; reaching the end completes it', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('embedded-subprocess.bpmn'));
  const pi = await engine.startProcessInstanceByKey('subProcessProcess');
  assert.deepEqual(leafIds(await engine.activityInstances(pi.id)), ['subTask']);

  await engine.modifyProcessInstance(pi.id, {
    instructions: [
      { type: 'startBeforeActivity', activityId: 'afterSub', variables: { note: { value: 'moved', type: 'String' } } },
      { type: 'cancel', activityId: 'subTask' },
    ],
  });
  assert.deepEqual(leafIds(await engine.activityInstances(pi.id)), ['afterSub']);
  assert.deepEqual((await engine.variables(pi.id)).note, { type: 'String', value: 'moved', valueInfo: {} });
  const [sub] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'sub' });
  assert.equal(sub.canceled, true);
  assert.equal((await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'afterSub' })).length, 1);

  // cancel afterSub and start after it: the token reaches the end event, the instance completes
  await engine.modifyProcessInstance(pi.id, {
    instructions: [{ type: 'cancel', activityId: 'afterSub' }, { type: 'startAfterActivity', activityId: 'afterSub' }],
  });
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED');
  assert.equal(hpi.endActivityId, 'end');
});

test('a failing instruction changes nothing; unknown or ended instances cannot be modified', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  const before = await engine.activityInstances(pi.id);
  await assert.rejects(
    engine.modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityId: 'task' }, { type: 'startBeforeActivity', activityId: 'nope' }] }),
    (e) => e instanceof CoreError && e.type === 'NotValidException' &&
      e.message === `Cannot perform instruction: Start before activity 'nope'; Element 'nope' does not exist in process '${pi.definitionId}': element is null`,
  );
  assert.deepEqual(await engine.activityInstances(pi.id), before);
  assert.equal((await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state, 'ACTIVE');

  const notModifiable = (id) => (e) => e instanceof CoreError && e.type === 'ProcessEngineException' &&
    e.message === `ENGINE-13036 Process instance '${id}' cannot be modified. The process instance does not exist`;
  await assert.rejects(engine.modifyProcessInstance('nope', { instructions: [{ type: 'cancel', activityId: 'task' }] }), notModifiable('nope'));
  await engine.modifyProcessInstance(pi.id, { instructions: [{ type: 'cancel', activityInstanceId: pi.id }] });
  await assert.rejects(engine.modifyProcessInstance(pi.id, { instructions: [{ type: 'startBeforeActivity', activityId: 'task' }] }), notModifiable(pi.id));
});
