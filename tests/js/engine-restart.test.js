// engine-restart.test.js — Engine.restartProcessInstances over the memory store: a synchronous
// restart of several historic instances is all or none, and each new instance gets only its own
// historic instance's variables (semantics.md §2.2 7, §2.4 4; docs/compatibility.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { MemoryStore } from '../../js/store/memory.js';
import { coreModule, fixture, T0 } from './support.js';

async function newEngine() {
  let n = 0;
  const engine = new Engine({
    core: await loadCore(coreModule),
    store: new MemoryStore(),
    clock: () => T0,
    ids: () => (++n).toString(16).padStart(32, '0'),
  });
  await engine.deploy(fixture('user-task.bpmn'));
  return engine;
}

const START_AT_TASK = [{ type: 'startBeforeActivity', activityId: 'task' }];

async function endedInstance(engine, variables) {
  const pi = await engine.startProcessInstanceByKey('userTaskProcess', { variables });
  await engine.deleteProcessInstance(pi.id);
  return pi;
}

test('a refused instance among several restarts none of them', async () => {
  const engine = await newEngine();
  const ended = await endedInstance(engine, {});
  const running = await engine.startProcessInstanceByKey('userTaskProcess');
  await assert.rejects(
    engine.restartProcessInstances(ended.definitionId, [ended.id, running.id], { instructions: START_AT_TASK }),
    (e) => e.type === 'ProcessEngineException' && e.message.startsWith(`ENGINE-13040 Historic process instance '${running.id}'`),
  );
  const restarted = (await engine.historicProcessInstances({})).filter((h) => h.restartedProcessInstanceId);
  assert.deepEqual(restarted, []);
  assert.deepEqual((await engine.processInstances({})).map((p) => p.id), [running.id]);
});

test('each new instance gets only its own historic instance variables', async () => {
  const engine = await newEngine();
  const first = await endedInstance(engine, { onlyFirst: { value: 1, type: 'Integer' }, shared: { value: 'first', type: 'String' } });
  const second = await endedInstance(engine, { shared: { value: 'second', type: 'String' } });
  const ids = await engine.restartProcessInstances(first.definitionId, [first.id, second.id], { instructions: START_AT_TASK });
  assert.equal(ids.length, 2);
  const names = async (id) => Object.fromEntries(Object.entries(await engine.processInstanceVariables(id)).map(([k, v]) => [k, v.value]));
  assert.deepEqual(await names(ids[0]), { onlyFirst: 1, shared: 'first' });
  assert.deepEqual(await names(ids[1]), { shared: 'second' });
  for (const [i, old] of [first, second].entries()) {
    const [h] = await engine.historicProcessInstances({ processInstanceId: ids[i] });
    assert.equal(h.restartedProcessInstanceId, old.id);
  }
});
