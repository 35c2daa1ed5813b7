// two-node.test.js — two service processes (`node js/main.js`) on one PostgreSQL database share the
// jobs of 2,000 instances and run every job exactly once; then one node is killed with SIGKILL
// while it holds job locks, and the other finishes everything once those locks expire.
//
// "Exactly once" is read from what the jobs leave: each instance has one historic activity
// instance of the async activity and is COMPLETED, and the nodes' executed counters
// (GET /detour/job-executor) add up to the number of jobs. Needs PostgreSQL's initdb/pg_ctl
// (tests/support/postgres.js); DETOUR_SKIP_POSTGRES=1 skips it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { openStore } from '../../js/store/open.js';
import { skipPostgres, startPostgres } from '../support/postgres.js';
import { startMain, waitFor } from './service-process.js';
import { coreModule } from './support.js';

const FIRST = 2000; // jobs both nodes share
const SECOND = 600; // jobs of the phase where one node dies
const LOCK_MS = 2000; // DETOUR_JOB_LOCK_MS: short, so the dead node's jobs come back soon

// start → work (asyncBefore: one job) → end
const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/two-node" id="defs_twoNode">
  <bpmn:process id="twoNode" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:task id="work" camunda:asyncBefore="true" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

// Without PostgreSQL these fail (startPostgres says why): CI must run them.
const skip = skipPostgres ? 'DETOUR_SKIP_POSTGRES=1' : false;

describe('two service processes on one PostgreSQL', { skip }, () => {
  let cluster;
  let store;
  let engine; // the test's own engine on the same database: deploys, starts instances, reads history
  const nodes = [];

  before(async () => {
    cluster = await startPostgres();
    store = await openStore(cluster.url);
    engine = new Engine({ core: await loadCore(coreModule), store });
    await engine.deploy(xml);
    const env = { DETOUR_DB: cluster.url, DETOUR_JOB_LOCK_MS: String(LOCK_MS) };
    nodes.push(...(await Promise.all([startMain(env), startMain(env)])));
  });

  after(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    engine?.close();
    await store?.close();
    cluster?.stop();
  });

  test(`${FIRST} async jobs: every job runs exactly once, on both nodes`, { timeout: 60000 }, async (t) => {
    const started = Date.now();
    const ids = await startInstances(FIRST);
    await waitFor(`${FIRST} jobs to run`, async () => (await store.rows('jobs', {})).length === 0, { timeoutMs: 45000, intervalMs: 250 });
    const seconds = (Date.now() - started) / 1000;

    await assertRanOnce(ids);
    const statuses = await Promise.all(nodes.map(status));
    const executed = statuses.map((s) => s.executed);
    t.diagnostic(`${FIRST} jobs in ${seconds.toFixed(1)} s (instances started meanwhile); executed per node ${executed.join(' + ')}, ` +
      `acquired ${statuses.map((s) => s.acquired).join(' + ')}, conflicts ${statuses.map((s) => s.conflicts).join(' + ')}, ` +
      `skipped ${statuses.map((s) => s.skipped).join(' + ')}`);
    assert.equal(executed[0] + executed[1], FIRST);
    assert.ok(executed.every((n) => n > 0), `both nodes executed jobs: ${executed}`);
    for (const s of statuses) assert.deepEqual([s.failed, s.errors, s.locked], [0, 0, 0]);
  });

  test(`one node killed while it holds locks: the other finishes all ${SECOND} jobs after they expire`, { timeout: 60000 }, async (t) => {
    const [survivor, victim] = nodes;
    const victimOwner = (await status(victim)).lockOwner;
    const survivorBefore = (await status(survivor)).executed;

    // Kill the victim in the middle of a batch: seen holding jobs, frozen (SIGSTOP), and killed
    // once the database shows locks of its own that have not expired (else it runs on and we retry).
    const starting = startInstances(SECOND);
    let seen;
    let held;
    for (let tries = 1; ; tries++) {
      await waitFor('the victim holding locks', async () => {
        seen = await status(victim);
        return seen.locked >= 3;
      }, { timeoutMs: 30000, intervalMs: 2 });
      victim.child.kill('SIGSTOP');
      const now = Date.now();
      held = (await store.rows('jobs', {})).filter((j) => j.lockOwner === victimOwner && j.lockExpirationTime > now);
      if (held.length > 0 || tries === 20) break;
      victim.child.kill('SIGCONT');
    }
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    assert.deepEqual(await victim.exited, { code: null, signal: 'SIGKILL' });
    assert.ok(held.length > 0, 'the dead node left locked jobs');
    const ids = await starting;

    await waitFor(`all ${SECOND} jobs to run`, async () => (await store.rows('jobs', {})).length === 0, { timeoutMs: 45000, intervalMs: 250 });
    const seconds = (Date.now() - killedAt) / 1000;
    await assertRanOnce(ids);
    const heldInstances = new Set(held.map((j) => j.processInstanceId));
    const done = await engine.historicProcessInstances({ processDefinitionKey: 'twoNode', state: 'COMPLETED' });
    assert.equal(done.filter((p) => heldInstances.has(p.id)).length, heldInstances.size, "the dead node's jobs ran");
    const expiry = new Map(held.map((j) => [j.processInstanceId, j.lockExpirationTime]));
    const early = (await engine.historicActivityInstances({ processDefinitionKey: 'twoNode', activityId: 'work' }))
      .filter((a) => expiry.has(a.processInstanceId) && a.startTime < expiry.get(a.processInstanceId));
    assert.deepEqual(early, [], 'no job of the dead node ran before its lock expired');

    const after = await status(survivor);
    t.diagnostic(`victim killed holding ${held.length} locks (it reported ${seen.locked} held, ${seen.executed} executed); ` +
      `survivor executed ${after.executed - survivorBefore} of this phase's ${SECOND}, all done ${seconds.toFixed(1)} s after the kill; ` +
      `survivor conflicts ${after.conflicts}, skipped ${after.skipped}`);
    assert.ok(after.executed - survivorBefore >= held.length);
    assert.deepEqual([after.failed, after.errors], [0, 0]);

    // The survivor stops cleanly: exit 0, nothing logged but its start line.
    survivor.child.kill('SIGTERM');
    assert.deepEqual(await survivor.exited, { code: 0, signal: null });
    assert.equal(survivor.stderr(), '');
  });

  // Starts n instances through the test's engine, 8 at a time. → their ids.
  async function startInstances(n) {
    const ids = [];
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next++;
        ids.push((await engine.startProcessInstanceByKey('twoNode')).id);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return ids;
  }

  // Every instance COMPLETED with one run of `work`.
  async function assertRanOnce(ids) {
    const wanted = new Set(ids);
    const instances = (await engine.historicProcessInstances({ processDefinitionKey: 'twoNode' })).filter((p) => wanted.has(p.id));
    assert.equal(instances.length, ids.length);
    assert.deepEqual(instances.filter((p) => p.state !== 'COMPLETED').map((p) => [p.id, p.state]), []);
    const runs = new Map();
    for (const a of await engine.historicActivityInstances({ processDefinitionKey: 'twoNode', activityId: 'work' })) {
      if (wanted.has(a.processInstanceId)) runs.set(a.processInstanceId, (runs.get(a.processInstanceId) ?? 0) + 1);
    }
    assert.equal(runs.size, ids.length, 'every instance ran its job');
    assert.deepEqual([...runs].filter(([, n]) => n !== 1), [], 'no job ran twice');
  }
});

async function status(node) {
  const { status: code, body } = await node.api.get('/detour/job-executor');
  assert.equal(code, 200);
  return body;
}
