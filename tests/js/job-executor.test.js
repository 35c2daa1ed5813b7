// job-executor.test.js — the job executor (js/job-executor.js) over MemoryStore and SqliteStore with
// a clock the tests move: async jobs and timers run when due, failures spend retries and raise an
// incident at 0, another owner's lock holds until it expires, conflicts give the job back, and
// stop() finishes what is in flight and releases the locks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { JobExecutor } from '../../js/job-executor.js';
import { MemoryStore } from '../../js/store/memory.js';
import { SqliteStore } from '../../js/store/sqlite.js';
import { coreModule, fixture, T0 } from './support.js';

const MINUTE = 60 * 1000;

const dirs = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const STORES = {
  memory: () => new MemoryStore(),
  sqlite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'detour-executor-'));
    dirs.push(dir);
    return new SqliteStore(join(dir, 'detour.db'));
  },
};

// start → async service task calling delegate `work` → user task → end
const asyncDelegateXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/executor" id="defs_asyncDelegate">
  <bpmn:process id="asyncDelegate" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:delegateExpression="\${work}" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="check" />
    <bpmn:userTask id="check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** An engine over a fresh store of `kind`, its clock at T0 (clock.now += ms moves it), an executor. */
async function setup(kind, { executor: executorOptions = {}, engine: engineOptions = {}, store: wrap = (s) => s } = {}) {
  const clock = { now: T0 };
  const raw = STORES[kind]();
  const store = wrap(raw);
  const engine = new Engine({ core: await loadCore(coreModule), store, clock: () => clock.now, ...engineOptions });
  const calls = [];
  engine.registerDelegate('work', (execution) => {
    calls.push(execution.processInstanceId);
    return { worked: true };
  });
  const executor = new JobExecutor({ engine, lockOwner: 'node-a', lockDurationMs: MINUTE, ...executorOptions });
  return { engine, store, raw, clock, executor, calls };
}

async function waitFor(what, condition, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const counters = (executor) => {
  const { acquired, executed, failed, conflicts, skipped, errors } = executor;
  return { acquired, executed, failed, conflicts, skipped, errors };
};
const counts = (partial) => ({ acquired: 0, executed: 0, failed: 0, conflicts: 0, skipped: 0, errors: 0, ...partial });

for (const kind of Object.keys(STORES)) {
  describe(`job executor [${kind}]`, () => {
    test('runs async continuations one after another until the instance waits, and again after it moves on', async () => {
      const { engine, executor } = await setup(kind, { executor: { minIdleMs: 5, maxIdleMs: 20 } });
      await engine.deploy(fixture('async-continuations.bpmn'));
      const pi = await engine.startProcessInstanceByKey('asyncProcess');
      executor.start();
      try {
        await waitFor('the legacy user task', async () => (await engine.tasks({ processInstanceId: pi.id })).length === 1);
        const [task] = await engine.tasks({ processInstanceId: pi.id });
        await engine.completeTask(task.id);
        await waitFor('the end', async () => (await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state === 'COMPLETED');
      } finally {
        await executor.stop();
      }
      // asyncAfter start, asyncBefore beforeTask, asyncAfter afterTask, legacy async, 2 multi-instance
      // jobs (asyncBefore on each instance of miTask) or one for the body, asyncBefore end
      const acts = await engine.historicActivityInstances({ processInstanceId: pi.id });
      for (const id of ['start', 'beforeTask', 'afterTask', 'legacyTask', 'end']) {
        assert.equal(acts.filter((a) => a.activityId === id).length, 1, id);
      }
      assert.ok(executor.executed >= 6, `executed ${executor.executed}`);
      assert.equal(executor.failed + executor.conflicts + executor.errors, 0);
      assert.equal(executor.locked, 0);
      assert.equal(executor.running, false);
    });

    test('a job created in this process wakes an idle executor at once', async () => {
      const { engine, executor, calls } = await setup(kind, { executor: { minIdleMs: 60000, maxIdleMs: 60000 } });
      await engine.deploy(asyncDelegateXml);
      executor.start();
      try {
        await waitFor('the first, empty acquisition', async () => executor._wake !== null);
        const pi = await engine.startProcessInstanceByKey('asyncDelegate');
        await waitFor('the job', async () => calls.length === 1, 2000);
        assert.deepEqual(calls, [pi.id]);
      } finally {
        await executor.stop();
      }
      assert.deepEqual(counters(executor), counts({ acquired: 1, executed: 1 }));
    });

    test('timers run when the clock reaches their due date, not before', async () => {
      const { engine, clock, executor } = await setup(kind);
      await engine.deploy(fixture('intermediate-timer.bpmn'));
      const dueDate = { value: '2026-01-01T12:00:00.000+0000', type: 'Date' };
      const pi = await engine.startProcessInstanceByKey('intermediateTimerProcess', { variables: { dueDate } });
      assert.equal(await executor.acquireAndExecute(), 0);
      clock.now += 5 * MINUTE - 1;
      assert.equal(await executor.acquireAndExecute(), 0);
      clock.now += 1;
      assert.equal(await executor.acquireAndExecute(), 1);
      assert.deepEqual((await engine.jobs({ processInstanceId: pi.id })).map((j) => j.activityId), ['waitUntil']);
      clock.now = Date.UTC(2026, 0, 1, 12, 0, 0);
      assert.equal(await executor.acquireAndExecute(), 1);
      assert.deepEqual((await engine.tasks({ processInstanceId: pi.id })).map((t) => t.taskDefinitionKey), ['after']);
      assert.deepEqual(counters(executor), counts({ acquired: 2, executed: 2 }));
    });

    test('a failing job spends its retries, then raises an incident with the message and is no longer acquired', async () => {
      const { engine, executor } = await setup(kind);
      engine.registerDelegate('work', () => {
        throw new Error('service down');
      });
      await engine.deploy(asyncDelegateXml);
      const pi = await engine.startProcessInstanceByKey('asyncDelegate');
      const retries = [];
      for (let i = 0; i < 3; i++) {
        assert.equal(await executor.acquireAndExecute(), 1);
        retries.push((await engine.jobs({ processInstanceId: pi.id }))[0].retries);
      }
      assert.deepEqual(retries, [2, 1, 0]);
      const [job] = await engine.jobs({ processInstanceId: pi.id });
      assert.match(job.exceptionMessage, /service down/);
      const [incident] = await engine.incidents({ processInstanceId: pi.id });
      assert.equal(incident.incidentType, 'failedJob');
      assert.equal(incident.configuration, job.id);
      assert.match(incident.incidentMessage, /service down/);
      assert.equal(await executor.acquireAndExecute(), 0, 'no retries left: not acquired');
      const [row] = await engine.store.rows('jobs', { id: job.id });
      assert.equal(row.lockOwner, null, 'a failed job is released by its commit');
      assert.deepEqual(counters(executor), counts({ acquired: 3, failed: 3 }));
    });

    test("another owner's lock holds until it expires; then its job is taken over", async () => {
      const { engine, store, clock, executor, calls } = await setup(kind);
      await engine.deploy(asyncDelegateXml);
      const pi = await engine.startProcessInstanceByKey('asyncDelegate');
      const [taken] = await store.acquireJobs({ lockOwner: 'node-b', now: clock.now, lockDuration: 2 * MINUTE, maxJobs: 10 });
      assert.equal(taken.processInstanceId, pi.id);
      assert.equal(await executor.acquireAndExecute(), 0);
      clock.now += 2 * MINUTE - 1;
      assert.equal(await executor.acquireAndExecute(), 0);
      clock.now += 1; // node-b is gone: its lock expired
      assert.equal(await executor.acquireAndExecute(), 1);
      assert.deepEqual(calls, [pi.id]);
      assert.deepEqual(await engine.jobs({ processInstanceId: pi.id }), []);
    });

    test('a job whose lock expired before its turn is left to the next acquisition', async () => {
      let clockRef;
      const slowAcquire = (s) => wrapStore(s, { afterAcquire: async () => { clockRef.now += MINUTE; } });
      const { engine, clock, executor, calls } = await setup(kind, { store: slowAcquire });
      clockRef = clock;
      await engine.deploy(asyncDelegateXml);
      await engine.startProcessInstanceByKey('asyncDelegate');
      assert.equal(await executor.acquireAndExecute(), 1);
      assert.deepEqual(calls, []);
      assert.deepEqual(counters(executor), counts({ acquired: 1, skipped: 1 }));
    });

    test('a conflict gives the job back with its retries; a conflict retried inside the engine runs it', async () => {
      let trap = null; // a second engine's commit between the job's read and its commit
      const racing = (s) => wrapStore(s, { afterGetInstance: async (id) => { const t = trap; trap = null; await t?.(id); } });
      for (const conflictRetries of [0, 3]) {
        const { engine, raw, executor, calls } = await setup(kind, { store: racing, engine: { conflictRetries } });
        const other = new Engine({ core: await loadCore(coreModule), store: raw, clock: engine.clock });
        await engine.deploy(asyncDelegateXml);
        const pi = await engine.startProcessInstanceByKey('asyncDelegate');
        trap = (id) => other.setVariables(id, { touched: { value: true, type: 'Boolean' } });
        assert.equal(await executor.acquireAndExecute(), 1);
        const [job] = await raw.rows('jobs', { processInstanceId: pi.id });
        if (conflictRetries === 0) {
          assert.deepEqual(counters(executor), counts({ acquired: 1, conflicts: 1 }));
          assert.deepEqual([job.retries, job.lockOwner, job.lockExpirationTime], [3, null, null]);
          assert.equal(await executor.acquireAndExecute(), 1);
        }
        // the delegate ran in the attempt that lost too (its effects went with it), as in Camunda
        assert.deepEqual(calls, [pi.id, pi.id]);
        assert.equal(executor.executed, 1);
        assert.equal((await engine.variables(pi.id)).touched.value, true, 'the other commit stays');
      }
    });

    test('a job whose instance was deleted after acquisition is skipped', async () => {
      let engineRef;
      const deleteInstances = async (jobs) => {
        for (const j of jobs) await engineRef.deleteProcessInstance(j.processInstanceId);
      };
      const deleting = (s) => wrapStore(s, { afterAcquire: deleteInstances });
      const { engine, executor, calls } = await setup(kind, { store: deleting });
      engineRef = engine;
      await engine.deploy(asyncDelegateXml);
      await engine.startProcessInstanceByKey('asyncDelegate');
      assert.equal(await executor.acquireAndExecute(), 1);
      assert.deepEqual(calls, []);
      assert.deepEqual(counters(executor), counts({ acquired: 1, skipped: 1 }));
    });

    test('stop() finishes the job in flight, starts no more and releases the locks it holds', async () => {
      let gate = null; // holds the first commit until the test has called stop()
      const gated = (s) => wrapStore(s, { beforeCommit: () => gate?.promise });
      const { engine, raw, executor, calls } = await setup(kind, { store: gated, executor: { concurrency: 1 } });
      await engine.deploy(asyncDelegateXml);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await engine.startProcessInstanceByKey('asyncDelegate')).id);
      gate = deferred();
      executor.start();
      await waitFor('a job in flight', async () => calls.length === 1);
      assert.equal(executor.locked, 3);
      const stopped = executor.stop();
      gate.resolve();
      await stopped;
      assert.equal(calls.length, 1);
      assert.deepEqual(counters(executor), counts({ acquired: 3, executed: 1 }));
      assert.equal(executor.locked, 0);
      const jobs = await raw.rows('jobs', {});
      assert.equal(jobs.length, 2);
      assert.deepEqual(jobs.map((j) => j.lockOwner), [null, null]);
      assert.deepEqual((await engine.jobs({ processInstanceId: calls[0] })), [], 'the job in flight committed');
    });

    test('status() reports the owner and the counters', async () => {
      const { executor } = await setup(kind);
      assert.deepEqual(executor.status(), {
        lockOwner: 'node-a',
        running: false,
        lockDurationMs: MINUTE,
        maxJobsPerAcquisition: 10,
        locked: 0,
        ...counts({}),
        lastError: null,
      });
    });
  });
}

test('an acquisition that fails is counted and logged once, and the loop goes on', async () => {
  const lines = [];
  let failing = true;
  const flaky = (s) => wrapStore(s, { beforeAcquire: () => { if (failing) throw new Error('database is down'); } });
  const { engine, executor, calls } = await setup('memory', { store: flaky, executor: { minIdleMs: 1, maxIdleMs: 5, log: (l) => lines.push(l) } });
  await engine.deploy(asyncDelegateXml);
  await engine.startProcessInstanceByKey('asyncDelegate');
  executor.start();
  try {
    await waitFor('a few failed acquisitions', async () => executor.errors >= 3);
    failing = false;
    await waitFor('the job', async () => calls.length === 1);
  } finally {
    await executor.stop();
  }
  assert.equal(executor.lastError, 'database is down');
  assert.deepEqual(lines, ['detour: job acquisition failed: database is down']);
});

/** The store with hooks around acquireJobs, getInstance and commit. */
function wrapStore(store, { beforeAcquire, afterAcquire, afterGetInstance, beforeCommit } = {}) {
  return new Proxy(store, {
    get(target, name) {
      if (name === 'acquireJobs') {
        return async (options) => {
          await beforeAcquire?.(options);
          const jobs = await target.acquireJobs(options);
          await afterAcquire?.(jobs);
          return jobs;
        };
      }
      if (name === 'getInstance') {
        return async (id) => {
          const row = await target.getInstance(id);
          await afterGetInstance?.(id);
          return row;
        };
      }
      if (name === 'commit') {
        return async (change) => {
          await beforeCommit?.(change);
          return target.commit(change);
        };
      }
      const value = target[name];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}
