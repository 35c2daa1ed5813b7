// store.test.js — the store contract (js/store/memory.js, docs/service.md) run against every
// store: MemoryStore, SqliteStore on a temp file, PostgresStore on a throw-away cluster (started
// once for the file). Each contract test gets an empty database. Then what only shared databases
// have (several connections or processes on one database), schema migration at reopen,
// openStore(), and a real Engine over each store giving the same answers as over MemoryStore.
//
// The PostgreSQL tests fail when PostgreSQL is missing, unless DETOUR_SKIP_POSTGRES=1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { MemoryStore, OptimisticLockingError } from '../../js/store/memory.js';
import { openStore } from '../../js/store/open.js';
import { MIGRATIONS as PG_MIGRATIONS, PostgresStore } from '../../js/store/postgres.js';
import { MIGRATIONS as SQLITE_MIGRATIONS, SqliteStore } from '../../js/store/sqlite.js';
import { skipPostgres } from '../support/postgres.js';
import { describeBackend, pgState, testDatabases, tracked } from '../support/store-databases.js';
import { coreModule, fixture, T0 } from './support.js';

const { temp, tempFile, freshPostgresUrl } = testDatabases('t');

// --- the databases ------------------------------------------------------------------------------

/**
 * Each backend: fresh() → {store, another(): a second store on the same database (null for
 * memory), close()}. Every store opened through it is closed by close().
 */
const backends = [
  {
    name: 'MemoryStore',
    async fresh() {
      const store = new MemoryStore();
      return { store, another: null, close: async () => {} };
    },
  },
  {
    name: 'SqliteStore',
    async fresh() {
      const path = tempFile();
      return tracked(new SqliteStore(path), async () => new SqliteStore(path), { path });
    },
  },
  {
    name: 'PostgresStore',
    postgres: true,
    async fresh() {
      const url = await freshPostgresUrl();
      return tracked(await PostgresStore.open(url), () => PostgresStore.open(url), { url });
    },
  },
];

// --- rows ---------------------------------------------------------------------------------------

/** An instance row as the engine commits it. */
function instance(fields = {}) {
  return {
    processDefinitionId: 'proc:1:x',
    processDefinitionKey: 'proc',
    businessKey: null,
    tenantId: null,
    suspended: false,
    activityIds: [],
    executionIds: [],
    state: { counter: 0, nested: { list: [1, 'two', null] } },
    ...fields,
  };
}

function job(id, fields = {}) {
  return { id, jobType: 'async-continuation', dueDate: null, retries: 3, suspended: false, createTime: T0, exceptionMessage: null, ...fields };
}

const ids = (rows) => rows.map((r) => r.id);
const isStale = (e) => e instanceof OptimisticLockingError && e.type === 'OptimisticLockingException';

// --- the contract -------------------------------------------------------------------------------

for (const backend of backends) {
  describeBackend(backend, 'contract', () => {
    let db;
    let store;
    const fresh = async () => {
      await db?.close();
      db = await backend.fresh();
      store = db.store;
    };
    after(() => db?.close());

    test('deployments and definitions: get, upsert in place, filters, deleteDeployment', async () => {
      await fresh();
      await store.putDeployment({ id: 'd1', name: 'one', deploymentTime: T0, tenantId: null, resources: { 'a.bpmn': '<a/>' } });
      await store.putDeployment({ id: 'd2', name: 'two', deploymentTime: T0, tenantId: 't1', resources: { 'b.bpmn': '<b/>' } });
      await store.putDeployment({ id: 'd1', name: 'one again', deploymentTime: T0 + 1, tenantId: null, resources: { 'a.bpmn': '<a2/>' } });
      assert.deepEqual(await store.getDeployment('d1'), { id: 'd1', name: 'one again', deploymentTime: T0 + 1, tenantId: null, resources: { 'a.bpmn': '<a2/>' } });
      assert.equal(await store.getDeployment('nope'), null);
      assert.deepEqual(ids(await store.deployments()), ['d1', 'd2'], 'an upsert keeps its place');
      assert.deepEqual(ids(await store.deployments({ tenantId: 't1' })), ['d2']);
      assert.deepEqual(ids(await store.deployments({ tenantId: null })), ['d1']);
      assert.deepEqual(ids(await store.deployments({ name: { like: 'one%' } })), ['d1']);

      const def = (id, key, version, deploymentId, tenantId = null) => ({ id, key, version, deploymentId, tenantId, name: key.toUpperCase(), suspended: false, model: { definition: { id, key }, process: { elements: [1, 2] } } });
      await store.putDefinition(def('a:1', 'a', 1, 'd1'));
      await store.putDefinition(def('b:1', 'b', 1, 'd1'));
      await store.putDefinition(def('a:2', 'a', 2, 'd2', 't1'));
      await store.putDefinition({ ...def('a:1', 'a', 1, 'd1'), suspended: true });
      assert.deepEqual(await store.getDefinition('a:1'), { ...def('a:1', 'a', 1, 'd1'), suspended: true });
      assert.equal(await store.getDefinition('nope'), null);
      assert.deepEqual(ids(await store.definitions()), ['a:1', 'b:1', 'a:2']);
      assert.deepEqual(ids(await store.definitions({ key: 'a', tenantId: null })), ['a:1']);
      assert.deepEqual(ids(await store.definitions({ key: 'a', version: { gte: 2 } })), ['a:2']);
      assert.deepEqual(ids(await store.definitions({ deploymentId: 'd1', suspended: false })), ['b:1']);
      assert.deepEqual(ids(await store.definitions({ version: 1 })), ['a:1', 'b:1']);

      await store.deleteDeployment('d1');
      assert.deepEqual(ids(await store.deployments()), ['d2']);
      assert.deepEqual(ids(await store.definitions()), ['a:2'], 'its definitions go with it');
      await store.deleteDeployment('nope');
    });

    test('rows are values: changing what went in or came out changes nothing stored', async () => {
      await fresh();
      const row = instance({ state: { counter: 1 } });
      await store.commit({ instanceId: 'i1', revision: 0, instance: row, index: { tasks: [{ id: 't1', name: 'T' }] } });
      row.businessKey = 'changed';
      const out = await store.getInstance('i1');
      out.businessKey = 'changed too';
      (await store.rows('tasks'))[0].name = 'changed';
      assert.equal((await store.getInstance('i1')).businessKey, null);
      assert.equal((await store.rows('tasks'))[0].name, 'T');
    });

    test('instances: commit creates, updates and removes; revisions count commits', async () => {
      await fresh();
      assert.equal(await store.getInstance('i1'), null);
      assert.equal(await store.commit({ instanceId: 'i1', revision: 0, instance: instance({ businessKey: 'b1', executionIds: ['i1', 'e1'], activityIds: ['task'] }) }), 1);
      assert.deepEqual(await store.getInstance('i1'), { ...instance({ businessKey: 'b1', executionIds: ['i1', 'e1'], activityIds: ['task'] }), id: 'i1', revision: 1 });
      await store.commit({ instanceId: 'i2', revision: 0, instance: instance({ processDefinitionKey: 'other', suspended: true }) });
      await store.commit({ instanceId: 'i3', revision: 0, instance: instance({ tenantId: 't1', activityIds: ['task', 'task', 'gateway'] }) });
      assert.equal(await store.commit({ instanceId: 'i1', revision: 1, instance: instance({ businessKey: 'b1', state: { counter: 1 } }) }), 2);
      const i1 = await store.getInstance('i1');
      assert.equal(i1.revision, 2);
      assert.deepEqual(i1.state, { counter: 1 });

      assert.deepEqual(ids(await store.instances()), ['i1', 'i2', 'i3'], 'an update keeps the place');
      assert.deepEqual(ids(await store.instances({ id: 'i2' })), ['i2']);
      assert.deepEqual(ids(await store.instances({ processDefinitionKey: 'proc' })), ['i1', 'i3']);
      assert.deepEqual(ids(await store.instances({ suspended: true })), ['i2']);
      assert.deepEqual(ids(await store.instances({ businessKey: 'b1' })), ['i1']);
      assert.deepEqual(ids(await store.instances({ tenantId: null })), ['i1', 'i2']);
      assert.deepEqual(ids(await store.instances({ activityIds: { has: 'task' } })), ['i3'], 'i1 left the task');
      assert.deepEqual(ids(await store.instances({ activityIds: { has: 'gateway' }, tenantId: 't1' })), ['i3']);
      assert.deepEqual(ids(await store.instances({ executionIds: { has: 'e1' } })), []);
      await store.commit({ instanceId: 'i2', revision: 1, instance: instance({ executionIds: ['i2', 'e7'] }) });
      assert.deepEqual(ids(await store.instances({ executionIds: { has: 'e7' } })), ['i2']);
      assert.deepEqual(ids(await store.instances({ id: undefined, businessKey: undefined })), ['i1', 'i2', 'i3'], 'undefined conditions are no conditions');

      assert.equal(await store.commit({ instanceId: 'i2', revision: 2, instance: null }), 3);
      assert.equal(await store.getInstance('i2'), null);
      assert.deepEqual(ids(await store.instances()), ['i1', 'i3']);
      assert.deepEqual(ids(await store.instances({ executionIds: { has: 'e7' } })), []);
      // an instance that ends in the command that starts it leaves only history
      assert.equal(await store.commit({ instanceId: 'i4', revision: 0, instance: null, history: [{ kind: 'processInstance', row: { id: 'i4', state: 'COMPLETED' } }] }), 1);
      assert.equal(await store.getInstance('i4'), null);
      assert.deepEqual(await store.history('processInstance'), [{ id: 'i4', state: 'COMPLETED' }]);
    });

    test('index rows belong to their instance and are replaced as a whole on every commit', async () => {
      await fresh();
      const task = (id, extra = {}) => ({ id, name: `task ${id}`, assignee: null, ...extra });
      await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { tasks: [task('a'), task('b')], subscriptions: [{ id: 's1', eventName: 'go' }] } });
      await store.commit({ instanceId: 'i2', revision: 0, instance: instance(), index: { tasks: [task('x')] } });
      assert.deepEqual(await store.rows('tasks', { processInstanceId: 'i1' }), [
        { ...task('a'), processInstanceId: 'i1' },
        { ...task('b'), processInstanceId: 'i1' },
      ]);
      await store.commit({ instanceId: 'i1', revision: 1, instance: instance(), index: { tasks: [task('c'), task('b', { assignee: 'mary' })] } });
      assert.deepEqual(ids(await store.rows('tasks')), ['c', 'b', 'x'], 'i1 keeps its place; rows in committed order');
      assert.equal((await store.rows('tasks', { id: 'b' }))[0].assignee, 'mary');
      assert.deepEqual(await store.rows('subscriptions'), [], 'a kind left out has no rows any more');
      assert.deepEqual(ids(await store.rows('tasks', { processInstanceId: 'i2' })), ['x'], 'other instances are untouched');

      // an instance without rows of a kind goes after the others when it gets some again
      await store.commit({ instanceId: 'i1', revision: 2, instance: instance(), index: {} });
      await store.commit({ instanceId: 'i3', revision: 0, instance: instance(), index: { tasks: [task('y')] } });
      await store.commit({ instanceId: 'i1', revision: 3, instance: instance(), index: { tasks: [task('d')] } });
      assert.deepEqual(ids(await store.rows('tasks')), ['x', 'y', 'd']);

      // a row naming its instance keeps it; the kinds are independent
      await store.commit({ instanceId: 'i3', revision: 1, instance: instance(), index: { tasks: [task('y', { processInstanceId: 'i3' })], incidents: [{ id: 'inc1', incidentType: 'failedJob' }], externalTasks: [{ id: 'e1', topicName: 'mail' }] } });
      assert.deepEqual(await store.rows('incidents'), [{ id: 'inc1', incidentType: 'failedJob', processInstanceId: 'i3' }]);
      assert.deepEqual(ids(await store.rows('externalTasks', { topicName: 'mail' })), ['e1']);
      assert.deepEqual(ids(await store.rows('tasks')), ['x', 'y', 'd']);

      await store.commit({ instanceId: 'i3', revision: 2, instance: null });
      assert.deepEqual(ids(await store.rows('tasks')), ['x', 'd'], 'removing the instance removes its rows');
      assert.deepEqual(await store.rows('incidents'), []);
      await assert.rejects(store.rows('nope'), /unknown index kind 'nope'/);
    });

    test('history rows are upserted by (kind, id) and come in insertion order', async () => {
      await fresh();
      const h = (kind, row) => ({ kind, row });
      await store.commit({
        instanceId: 'i1',
        revision: 0,
        instance: instance(),
        history: [
          h('processInstance', { id: 'i1', state: 'ACTIVE', endTime: null }),
          h('activityInstance', { id: 'a1', processInstanceId: 'i1', activityId: 'start' }),
          h('activityInstance', { id: 'a2', processInstanceId: 'i1', activityId: 'task' }),
          h('activityInstance', { id: 'a1', processInstanceId: 'i1', activityId: 'start', endTime: T0 }),
        ],
      });
      await store.commit({
        instanceId: 'i2',
        revision: 0,
        instance: instance(),
        history: [h('processInstance', { id: 'i2', state: 'ACTIVE', endTime: null }), h('activityInstance', { id: 'b1', processInstanceId: 'i2', activityId: 'start' })],
      });
      await store.commit({
        instanceId: 'i1',
        revision: 1,
        instance: null,
        history: [h('processInstance', { id: 'i1', state: 'COMPLETED', endTime: T0 + 5 }), h('activityInstance', { id: 'a3', processInstanceId: 'i1', activityId: 'end' })],
      });
      assert.deepEqual(await store.history('processInstance'), [
        { id: 'i1', state: 'COMPLETED', endTime: T0 + 5 },
        { id: 'i2', state: 'ACTIVE', endTime: null },
      ]);
      assert.deepEqual(ids(await store.history('activityInstance')), ['a1', 'a2', 'b1', 'a3']);
      assert.deepEqual(await store.getHistory('activityInstance', 'a1'), { id: 'a1', processInstanceId: 'i1', activityId: 'start', endTime: T0 });
      assert.equal(await store.getHistory('activityInstance', 'nope'), null);
      assert.equal(await store.getHistory('nope', 'a1'), null);
      assert.deepEqual(await store.history('nope'), []);
      assert.deepEqual(ids(await store.history('activityInstance', { processInstanceId: 'i1' })), ['a1', 'a2', 'a3']);
      assert.deepEqual(ids(await store.history('activityInstance', { processInstanceId: 'i1', endTime: { ne: null } })), ['a1']);
      assert.deepEqual(ids(await store.history('processInstance', { id: 'i2' })), ['i2']);
      assert.deepEqual(ids(await store.history('processInstance', { processInstanceId: null })), ['i1', 'i2'], 'null matches an absent field');

      await store.deleteHistory(['i1']);
      assert.deepEqual(ids(await store.history('processInstance')), ['i2']);
      assert.deepEqual(ids(await store.history('activityInstance')), ['b1']);
      await store.deleteHistory([]);
      assert.deepEqual(ids(await store.history('activityInstance')), ['b1']);
    });

    test('the filter language: every operator, on columns and inside the rows', async () => {
      await fresh();
      // external tasks: id, processInstanceId and topicName are columns, the rest is JSON only;
      // 'odd' has a topicName of the wrong type for its column.
      const rows = [
        { id: 'a', topicName: 'mail', priority: 5, workerId: 'w1', tags: ['x', 'y'], note: 'Hello.World' },
        { id: 'b', topicName: 'print', priority: 10, workerId: null, tags: ['y'], note: 'hello world' },
        { id: 'c', topicName: null, priority: 0, tags: [], note: '50% off' },
        { id: 'd', priority: null, workerId: 'w2', note: 'a_b' },
        { id: 'odd', topicName: 7, priority: 7, workerId: 'w1', tags: 'x', note: 'ab' },
      ];
      await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { externalTasks: rows.slice(0, 3) } });
      await store.commit({ instanceId: 'i2', revision: 0, instance: instance(), index: { externalTasks: rows.slice(3) } });
      const cases = [
        [{}, ['a', 'b', 'c', 'd', 'odd']],
        [{ topicName: 'mail' }, ['a']],
        [{ topicName: 7 }, ['odd']],
        [{ topicName: '7' }, []],
        [{ topicName: null }, ['c', 'd'], 'null matches null and absent'],
        [{ topicName: ['mail', 'print'] }, ['a', 'b']],
        [{ topicName: ['mail', null] }, ['a', 'c', 'd']],
        [{ topicName: [7, 'print'] }, ['b', 'odd']],
        [{ topicName: { in: ['print'] } }, ['b']],
        [{ topicName: { in: [] } }, []],
        [{ topicName: { ne: 'mail' } }, ['b', 'c', 'd', 'odd']],
        [{ topicName: { ne: null } }, ['a', 'b', 'odd']],
        [{ workerId: null }, ['b', 'c']],
        [{ workerId: 'w1', topicName: 'mail' }, ['a']],
        [{ priority: { lt: 7 } }, ['a', 'c']],
        [{ priority: { lte: 7 } }, ['a', 'c', 'odd']],
        [{ priority: { gt: 5 } }, ['b', 'odd']],
        [{ priority: { gte: 5, lte: 7 } }, ['a', 'odd']],
        [{ priority: { gte: 0 } }, ['a', 'b', 'c', 'odd'], 'null never compares'],
        [{ topicName: { gt: 'n' } }, ['b']],
        [{ note: { like: 'hello%' } }, ['b'], 'like is case-sensitive'],
        [{ note: { like: '%.%' } }, ['a'], '. is literal'],
        [{ note: { like: '50_ off' } }, ['c']],
        [{ note: { like: 'a_b' } }, ['d']],
        [{ note: { like: '%' } }, ['a', 'b', 'c', 'd', 'odd']],
        [{ tags: { has: 'y' } }, ['a', 'b']],
        [{ tags: { has: 'x' } }, ['a'], 'has needs an array'],
        [{ id: 'c' }, ['c']],
        [{ id: ['c', 'a'] }, ['a', 'c'], 'results keep the store order'],
        [{ id: { in: ['d', 'nope'] }, processInstanceId: 'i2' }, ['d']],
        [{ processInstanceId: 'i1', priority: { gt: 0 } }, ['a', 'b']],
        [{ processInstanceId: { in: ['i2'] } }, ['d', 'odd']],
        [{ processInstanceId: 'nope' }, []],
      ];
      for (const [filter, expected, why] of cases) {
        assert.deepEqual(ids(await store.rows('externalTasks', filter)), expected, `${JSON.stringify(filter)}${why ? `: ${why}` : ''}`);
      }
      // booleans and numbers in columns: jobs
      await store.commit({
        instanceId: 'i3',
        revision: 0,
        instance: instance(),
        index: { jobs: [job('j1', { suspended: true, dueDate: T0 }), job('j2', { retries: 0 }), job('j3', { dueDate: T0 + 10 })] },
      });
      assert.deepEqual(ids(await store.rows('jobs', { suspended: false })), ['j2', 'j3']);
      assert.deepEqual(ids(await store.rows('jobs', { suspended: [true] })), ['j1']);
      assert.deepEqual(ids(await store.rows('jobs', { dueDate: T0 + 10 })), ['j3']);
      assert.deepEqual(ids(await store.rows('jobs', { dueDate: { in: [T0, null] } })), ['j1', 'j2']);
      assert.deepEqual(ids(await store.rows('jobs', { retries: { gt: 0 }, dueDate: { lte: T0 + 10 } })), ['j1', 'j3']);
      assert.deepEqual(ids(await store.rows('jobs', { lockOwner: null })), ['j1', 'j2', 'j3']);
    });

    test('optimistic locking: a commit from a stale revision changes nothing', async () => {
      await fresh();
      await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { tasks: [{ id: 't1' }] } });
      await store.commit({ instanceId: 'i1', revision: 1, instance: instance({ state: { counter: 1 } }), index: { tasks: [{ id: 't2' }] } });
      const stale = { instanceId: 'i1', revision: 1, instance: instance({ state: { counter: 99 } }), index: { tasks: [{ id: 'stale' }] }, history: [{ kind: 'processInstance', row: { id: 'i1' } }] };
      await assert.rejects(store.commit(stale), (e) => isStale(e) && /ProcessInstance\[i1\].*revision 1, stored 2/.test(e.message));
      await assert.rejects(store.commit({ ...stale, revision: 0 }), isStale, 'creating an existing instance');
      await assert.rejects(store.commit({ ...stale, revision: 3 }), isStale, 'a revision from the future');
      await assert.rejects(store.commit({ ...stale, instance: null }), isStale, 'removing from a stale revision');
      await assert.rejects(store.commit({ ...stale, revision: 0, instance: null }), isStale, 'ending at once an instance that exists');
      await assert.rejects(store.commit({ ...stale, instanceId: 'nope', revision: 4 }), (e) => isStale(e) && /stored 0/.test(e.message));
      assert.deepEqual((await store.getInstance('i1')).state, { counter: 1 });
      assert.deepEqual(ids(await store.rows('tasks')), ['t2']);
      assert.deepEqual(await store.history('processInstance'), []);
    });

    test('two concurrent commits from the same revision: exactly one wins', async () => {
      await fresh();
      await store.commit({ instanceId: 'i1', revision: 0, instance: instance() });
      const second = db.another ? await db.another() : store;
      const results = await Promise.allSettled([
        store.commit({ instanceId: 'i1', revision: 1, instance: instance({ businessKey: 'first' }), index: { tasks: [{ id: 'first' }] } }),
        second.commit({ instanceId: 'i1', revision: 1, instance: instance({ businessKey: 'second' }), index: { tasks: [{ id: 'second' }] } }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      assert.ok(isStale(results.find((r) => r.status === 'rejected').reason));
      const winner = results[0].status === 'fulfilled' ? 'first' : 'second';
      assert.equal((await store.getInstance('i1')).businessKey, winner);
      assert.deepEqual(ids(await second.rows('tasks')), [winner]);
      // the same for a new instance
      const created = await Promise.allSettled([
        store.commit({ instanceId: 'n1', revision: 0, instance: instance({ businessKey: 'first' }) }),
        second.commit({ instanceId: 'n1', revision: 0, instance: instance({ businessKey: 'second' }) }),
      ]);
      assert.equal(created.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(isStale(created.find((r) => r.status === 'rejected').reason));
    });

    test('acquireJobs claims due, unlocked, unsuspended jobs with retries, by due date then create time', async () => {
      await fresh();
      const now = T0 + 1000;
      await store.commit({
        instanceId: 'i1',
        revision: 0,
        instance: instance(),
        index: {
          jobs: [
            job('later', { dueDate: now + 1 }),
            job('due-now', { dueDate: now, createTime: T0 + 2 }),
            job('no-retries', { retries: 0 }),
            job('suspended', { suspended: true }),
            job('old', { dueDate: T0, createTime: T0 + 5 }),
          ],
        },
      });
      await store.commit({
        instanceId: 'i2',
        revision: 0,
        instance: instance(),
        index: { jobs: [job('async-2', { createTime: T0 + 1 }), job('async-1', { createTime: T0 }), job('due-now-too', { dueDate: now, createTime: T0 + 2 })] },
      });
      const first = await store.acquireJobs({ lockOwner: 'node-a', now, lockDuration: 500, maxJobs: 2 });
      assert.deepEqual(ids(first), ['async-1', 'async-2'], 'no due date is due since ever');
      assert.deepEqual(first.map((j) => [j.lockOwner, j.lockExpirationTime]), [['node-a', now + 500], ['node-a', now + 500]]);
      assert.deepEqual(first[0], { ...job('async-1', { createTime: T0 }), processInstanceId: 'i2', lockOwner: 'node-a', lockExpirationTime: now + 500 });
      const second = await store.acquireJobs({ lockOwner: 'node-b', now, lockDuration: 500, maxJobs: 10 });
      assert.deepEqual(ids(second), ['old', 'due-now', 'due-now-too'], 'equal due and create times keep the row order');
      assert.deepEqual(await store.acquireJobs({ lockOwner: 'node-c', now, lockDuration: 500, maxJobs: 10 }), [], 'all due ones are locked');
      assert.deepEqual(ids(await store.acquireJobs({ lockOwner: 'node-c', now: now + 1, lockDuration: 500, maxJobs: 1 })), ['later']);
      // an expired lock is a crashed node's: taken over
      const taken = await store.acquireJobs({ lockOwner: 'node-c', now: now + 500, lockDuration: 500, maxJobs: 10 });
      assert.deepEqual(ids(taken), ['async-1', 'async-2', 'old', 'due-now', 'due-now-too']);
      assert.ok(taken.every((j) => j.lockOwner === 'node-c' && j.lockExpirationTime === now + 1000));
      assert.deepEqual(
        (await store.rows('jobs')).map((j) => [j.id, j.lockOwner]),
        [['later', 'node-c'], ['due-now', 'node-c'], ['no-retries', null], ['suspended', null], ['old', 'node-c'], ['async-2', 'node-c'], ['async-1', 'node-c'], ['due-now-too', 'node-c']],
      );
      assert.deepEqual(ids(await store.rows('jobs', { lockOwner: 'node-c', dueDate: null })), ['async-2', 'async-1']);
      await assert.rejects(store.acquireJobs({ now }), TypeError);
    });

    test('commit keeps the locks of surviving jobs except unlockJobIds; unlockJob and unlockAll release', async () => {
      await fresh();
      await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { jobs: [job('j1'), job('j2'), job('j3')] } });
      await store.commit({ instanceId: 'i2', revision: 0, instance: instance(), index: { jobs: [job('k1')] } });
      await store.acquireJobs({ lockOwner: 'node-a', now: T0, lockDuration: 1000, maxJobs: 10 });
      await store.commit({
        instanceId: 'i1',
        revision: 1,
        instance: instance(),
        // j1 failed and stays (unlocked), j2 survives, j3 is gone, j4 is new; the core cannot set a lock
        index: { jobs: [job('j1', { retries: 2, exceptionMessage: 'boom' }), job('j2'), job('j4', { lockOwner: 'core', lockExpirationTime: 1 })] },
        unlockJobIds: ['j1'],
      });
      const locks = async () => (await store.rows('jobs')).map((j) => [j.id, j.lockOwner, j.lockExpirationTime]);
      assert.deepEqual(await locks(), [['j1', null, null], ['j2', 'node-a', T0 + 1000], ['j4', null, null], ['k1', 'node-a', T0 + 1000]]);
      assert.equal((await store.rows('jobs', { id: 'j1' }))[0].retries, 2);

      assert.equal(await store.unlockJob('j2', 'node-b'), 0, 'only the owner unlocks');
      assert.equal(await store.unlockJob('j2', 'node-a'), 1);
      assert.equal(await store.unlockJob('j2', 'node-a'), 0);
      await store.acquireJobs({ lockOwner: 'node-b', now: T0, lockDuration: 1000, maxJobs: 1 });
      assert.deepEqual(await locks(), [['j1', 'node-b', T0 + 1000], ['j2', null, null], ['j4', null, null], ['k1', 'node-a', T0 + 1000]]);
      assert.equal(await store.unlockAll('node-a'), 1);
      assert.equal(await store.unlockAll('node-b'), 1);
      assert.ok((await locks()).every(([, owner, until]) => owner === null && until === null));
      // removing the instance removes its jobs, locked or not
      await store.acquireJobs({ lockOwner: 'node-a', now: T0, lockDuration: 1000, maxJobs: 10 });
      await store.commit({ instanceId: 'i1', revision: 2, instance: null });
      assert.deepEqual(ids(await store.rows('jobs')), ['k1']);
    });

    test('acquirers running concurrently never get the same job', async () => {
      await fresh();
      for (let i = 0; i < 10; i++) {
        const jobs = Array.from({ length: 10 }, (_, j) => job(`j${i}-${j}`, { createTime: T0 + j }));
        await store.commit({ instanceId: `i${i}`, revision: 0, instance: instance(), index: { jobs } });
      }
      const stores = [store, store];
      if (db.another) stores.push(await db.another(), await db.another());
      const acquired = await Promise.all(stores.map(async (s, n) => {
        const mine = [];
        for (;;) {
          const got = await s.acquireJobs({ lockOwner: `node-${n}`, now: T0, lockDuration: 60000, maxJobs: 3 });
          if (!got.length) return mine;
          mine.push(...ids(got));
        }
      }));
      const all = acquired.flat();
      assert.equal(all.length, 100);
      assert.equal(new Set(all).size, 100);
    });
  });
}

// --- shared databases -----------------------------------------------------------------------------

describe('SqliteStore: several connections and processes on one file', () => {
  test('reopening a file migrates nothing and keeps the data', async () => {
    const path = tempFile();
    const store = new SqliteStore(path);
    assert.equal(store.schemaVersion, SQLITE_MIGRATIONS.length);
    await store.putDeployment({ id: 'd1', resources: {} });
    await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { jobs: [job('j1')] }, history: [{ kind: 'processInstance', row: { id: 'i1' } }] });
    await store.close();
    const again = new SqliteStore(path);
    assert.equal(again.schemaVersion, SQLITE_MIGRATIONS.length);
    assert.deepEqual(again.db.prepare('SELECT version FROM schema_version').all(), [{ version: SQLITE_MIGRATIONS.length }]);
    assert.equal((await again.getInstance('i1')).revision, 1);
    assert.deepEqual(ids(await again.rows('jobs')), ['j1']);
    assert.deepEqual(ids(await again.history('processInstance')), ['i1']);
    assert.deepEqual(ids(await again.deployments()), ['d1']);
    assert.equal(again.db.pragma('journal_mode', { simple: true }), 'wal');
    await again.close();
  });

  test('a migration appended later is applied once, at the next open', async () => {
    const path = tempFile();
    await new SqliteStore(path).close();
    SQLITE_MIGRATIONS.push('CREATE TABLE later (x INTEGER); INSERT INTO later VALUES (1);');
    try {
      const store = new SqliteStore(path);
      assert.equal(store.schemaVersion, SQLITE_MIGRATIONS.length);
      await store.close();
      const again = new SqliteStore(path); // would fail creating `later` twice
      assert.deepEqual(again.db.prepare('SELECT x FROM later').all(), [{ x: 1 }]);
      await again.close();
    } finally {
      SQLITE_MIGRATIONS.pop();
    }
  });

  test('a file from newer code is refused', async () => {
    const path = tempFile();
    const store = new SqliteStore(path);
    store.db.prepare('UPDATE schema_version SET version = 999').run();
    await store.close();
    assert.throws(() => new SqliteStore(path), /schema version 999, newer than this code/);
  });

  // Worker threads: each has its own connection and really runs at the same time as the others.
  function workers(path, count, body) {
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.module).then(async ({ SqliteStore }) => {
        const store = new SqliteStore(workerData.path);
        const result = await (${body})(store, workerData.n);
        await store.close();
        parentPort.postMessage(result);
      }).catch((e) => { parentPort.postMessage({ error: String(e && e.stack || e) }); });`;
    const module = new URL('../../js/store/sqlite.js', import.meta.url).href;
    return Promise.all(Array.from({ length: count }, (_, n) => new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { module, path, n } });
      w.once('message', (m) => (m?.error ? reject(new Error(m.error)) : resolve(m)));
      w.once('error', reject);
    })));
  }

  test('acquirers in parallel threads never get the same job', async () => {
    const path = tempFile();
    const store = new SqliteStore(path);
    for (let i = 0; i < 50; i++) {
      await store.commit({ instanceId: `i${i}`, revision: 0, instance: instance(), index: { jobs: Array.from({ length: 10 }, (_, j) => job(`j${i}-${j}`)) } });
    }
    const acquired = await workers(path, 4, `async (store, n) => {
      const mine = [];
      for (;;) {
        const got = await store.acquireJobs({ lockOwner: 'node-' + n, now: ${T0}, lockDuration: 60000, maxJobs: 5 });
        if (!got.length) return mine;
        mine.push(...got.map((j) => j.id));
      }
    }`);
    const all = acquired.flat();
    assert.equal(all.length, 500);
    assert.equal(new Set(all).size, 500);
    await store.close();
  });

  test('read-modify-write commits in parallel threads lose no update', async () => {
    const path = tempFile();
    const store = new SqliteStore(path);
    await store.commit({ instanceId: 'i1', revision: 0, instance: instance({ state: { counter: 0 } }) });
    const retries = await workers(path, 4, `async (store) => {
      let stale = 0;
      for (let done = 0; done < 50; ) {
        const row = await store.getInstance('i1');
        try {
          await store.commit({ instanceId: 'i1', revision: row.revision, instance: { ...row, state: { counter: row.state.counter + 1 } } });
          done++;
        } catch (e) {
          if (e.type !== 'OptimisticLockingException') throw e;
          stale++;
        }
      }
      return stale;
    }`);
    const row = await store.getInstance('i1');
    assert.equal(row.state.counter, 200);
    assert.equal(row.revision, 201);
    assert.ok(retries.every((n) => Number.isInteger(n)));
    await store.close();
  });
});

describeBackend(backends[2], 'several stores on one database', () => {
  test('reopening migrates nothing and keeps the data', async () => {
    const url = await freshPostgresUrl();
    const store = await PostgresStore.open(url);
    assert.equal(store.schemaVersion, PG_MIGRATIONS.length);
    await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { jobs: [job('j1')] } });
    await store.close();
    const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
    assert.equal(a.schemaVersion, PG_MIGRATIONS.length);
    assert.deepEqual((await a.pool.query('SELECT version FROM schema_version')).rows, [{ version: PG_MIGRATIONS.length }]);
    assert.deepEqual(ids(await b.rows('jobs')), ['j1']);
    await a.close();
    await b.close();
  });

  test('a migration appended later is applied once, at the next open, by one of the stores opening together', async () => {
    const url = await freshPostgresUrl();
    await (await PostgresStore.open(url)).close();
    PG_MIGRATIONS.push('CREATE TABLE later (x integer); INSERT INTO later VALUES (1);');
    try {
      const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url), PostgresStore.open(url)]);
      assert.ok(stores.every((s) => s.schemaVersion === PG_MIGRATIONS.length));
      assert.deepEqual((await stores[0].pool.query('SELECT x FROM later')).rows, [{ x: 1 }]);
      for (const s of stores) await s.close();
    } finally {
      PG_MIGRATIONS.pop();
    }
  });

  test('20 acquirers over 500 jobs never get the same job', async () => {
    const url = await freshPostgresUrl();
    const store = await PostgresStore.open(url);
    for (let i = 0; i < 50; i++) {
      await store.commit({ instanceId: `i${i}`, revision: 0, instance: instance(), index: { jobs: Array.from({ length: 10 }, (_, j) => job(`j${i}-${j}`, { createTime: T0 + j })) } });
    }
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, { max: 5 })));
    const acquired = await Promise.all(Array.from({ length: 20 }, async (_, n) => {
      const s = stores[n % stores.length];
      const mine = [];
      for (;;) {
        const got = await s.acquireJobs({ lockOwner: `node-${n}`, now: T0, lockDuration: 60000, maxJobs: 7 });
        if (!got.length) return mine;
        mine.push(...ids(got));
      }
    }));
    const all = acquired.flat();
    assert.equal(all.length, 500);
    assert.equal(new Set(all).size, 500);
    assert.ok(acquired.filter((a) => a.length).length > 1, 'the work was shared');
    for (const s of [store, ...stores]) await s.close();
  });

  test('read-modify-write commits from concurrent stores lose no update; acquisition beside them keeps locks', async () => {
    const url = await freshPostgresUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, { max: 3 })));
    await stores[0].commit({ instanceId: 'i1', revision: 0, instance: instance({ state: { counter: 0 } }), index: { jobs: [job('j1')] } });
    const writers = Array.from({ length: 8 }, async (_, n) => {
      const s = stores[n % stores.length];
      for (let done = 0; done < 15; ) {
        const row = await s.getInstance('i1');
        try {
          await s.commit({ instanceId: 'i1', revision: row.revision, instance: { ...row, state: { counter: row.state.counter + 1 } }, index: { jobs: [job('j1')] } });
          done++;
        } catch (e) {
          if (!isStale(e)) throw e;
        }
      }
    });
    // meanwhile, an acquirer (it skips the job while a commit holds its row)
    const acquirer = (async () => {
      for (let attempt = 0; attempt < 1000; attempt++) {
        const got = await stores[3].acquireJobs({ lockOwner: 'acquirer', now: T0, lockDuration: 1000, maxJobs: 1 });
        if (got.length) return got;
      }
      return [];
    })();
    await Promise.all(writers);
    const row = await stores[1].getInstance('i1');
    assert.equal(row.state.counter, 120);
    assert.equal(row.revision, 121);
    assert.deepEqual(ids(await acquirer), ['j1']);
    const [j1] = await stores[2].rows('jobs');
    assert.equal(j1.lockOwner, 'acquirer', 'every commit after the acquisition kept the lock');
    for (const s of stores) await s.close();
  });
});

// --- openStore ------------------------------------------------------------------------------------

describe('openStore', () => {
  test('memory:, sqlite::memory:, sqlite:<path> (creating its directory), unknown schemes', async () => {
    assert.ok((await openStore('memory:')) instanceof MemoryStore);
    const inMemory = await openStore('sqlite::memory:');
    assert.ok(inMemory instanceof SqliteStore);
    await inMemory.close();
    const path = join(temp, 'nested', 'dir', 'detour.db');
    const onFile = await openStore(`sqlite:${path}`);
    assert.ok(onFile instanceof SqliteStore);
    assert.ok(existsSync(path));
    await onFile.close();
    const tripleSlash = await openStore(`sqlite://${path}`);
    assert.equal(tripleSlash.db.name, path);
    await tripleSlash.close();
    await assert.rejects(openStore('mysql://user:secret@host/db'), (e) => /unknown store URL scheme 'mysql:'/.test(e.message) && !e.message.includes('secret'));
    await assert.rejects(openStore(''), /a store URL is required/);
    await assert.rejects(openStore('sqlite:'), /names no file/);
  });

  test('postgres:// and postgresql://', { skip: skipPostgres && 'DETOUR_SKIP_POSTGRES=1' }, async () => {
    assert.ok(pgState.available, `PostgreSQL is not available: ${pgState.reason}`);
    const url = await freshPostgresUrl();
    for (const u of [url, url.replace(/^postgres:/, 'postgresql:')]) {
      const store = await openStore(u);
      assert.ok(store instanceof PostgresStore);
      await store.close();
    }
  });
});

// --- a real engine over each store ------------------------------------------------------------------

/**
 * deploy → start → complete the user task → run its async job (acquired through the store) →
 * correlate the message → ended, over `store`; → everything the engine answers along the way.
 */
async function engineScenario(store) {
  let now = T0;
  let n = 0;
  const engine = new Engine({ core: await loadCore(coreModule), store, clock: () => now, ids: () => (++n).toString(16).padStart(32, '0') });
  const seen = {};
  const deployment = await engine.deploy(fixture('user-task-job-message.bpmn'), { name: 'scenario' });
  seen.deployment = deployment;
  const pi = await engine.startProcessInstanceByKey('userTaskJobMessageProcess', {
    businessKey: 'order-9',
    variables: { owner: { value: 'mary', type: 'String' }, amount: { value: 21, type: 'Integer' } },
  });
  seen.started = pi;
  seen.running = await engine.processInstances({ activityId: 'review' });
  const [task] = await engine.tasks({ processInstanceId: pi.id });
  seen.task = task;
  now += 60000;
  await engine.completeTask(task.id);
  seen.afterTask = { tasks: await engine.tasks(), jobs: await engine.jobs({ processInstanceId: pi.id }) };

  const acquired = await store.acquireJobs({ lockOwner: 'test-node', now, lockDuration: 300000, maxJobs: 10 });
  seen.acquired = acquired.map((j) => [j.id, j.lockOwner, j.lockExpirationTime]);
  for (const j of acquired) await engine.executeJob(j.id);
  seen.variables = await engine.variables(pi.id);
  now += 1000;
  seen.correlated = await engine.correlateMessage('goAhead', { businessKey: 'order-9' });
  seen.ended = await engine.processInstances();
  seen.history = {
    processInstances: await engine.historicProcessInstances({ processInstanceId: pi.id }),
    activities: await engine.historicActivityInstances({ processInstanceId: pi.id }),
    tasks: await engine.historicTaskInstances({ processInstanceId: pi.id }),
    variables: await engine.historicVariableInstances({ processInstanceId: pi.id }),
    details: await engine.historicDetails({ processInstanceId: pi.id }),
  };
  engine.close();
  return { pi, seen };
}

describe('Engine over each store', () => {
  let reference;
  before(async () => {
    reference = (await engineScenario(new MemoryStore())).seen;
  });

  test('sanity of the reference run', () => {
    assert.equal(reference.history.processInstances[0].state, 'COMPLETED');
    assert.equal(reference.history.processInstances[0].durationInMillis, 61000);
    assert.equal(reference.task.assignee, 'mary');
    assert.equal(reference.acquired.length, 1);
    assert.deepEqual(reference.variables.doubled, { type: 'Long', value: 42, valueInfo: {} });
    assert.deepEqual(reference.ended, []);
  });

  test('SqliteStore: the same answers as MemoryStore, and a second engine continues where the first stopped', async () => {
    const path = tempFile();
    const store = new SqliteStore(path);
    const { seen } = await engineScenario(store);
    assert.deepEqual(seen, reference);
    await store.close();
    await continueElsewhere(new SqliteStore(path), new SqliteStore(path));
  });

  test('PostgresStore: the same answers as MemoryStore, and a second engine continues where the first stopped', { skip: skipPostgres && 'DETOUR_SKIP_POSTGRES=1' }, async () => {
    assert.ok(pgState.available, `PostgreSQL is not available: ${pgState.reason}`);
    const url = await freshPostgresUrl();
    const store = await PostgresStore.open(url);
    const { seen } = await engineScenario(store);
    assert.deepEqual(seen, reference);
    await store.close();
    await continueElsewhere(await PostgresStore.open(url), await PostgresStore.open(url));
  });
});

/** One engine deploys and starts, another (its own store, same database) completes the task. */
async function continueElsewhere(storeA, storeB) {
  const a = new Engine({ core: await loadCore(coreModule), store: storeA });
  await a.deploy(fixture('user-task.bpmn'));
  const pi = await a.startProcessInstanceByKey('userTaskProcess', { businessKey: 'elsewhere' });
  const b = new Engine({ core: await loadCore(coreModule), store: storeB });
  const [task] = await b.tasks({ processInstanceId: pi.id });
  await b.completeTask(task.id); // b compiles the definition a deployed
  const [hpi] = await a.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED');
  assert.equal(hpi.businessKey, 'elsewhere');
  a.close();
  b.close();
  await storeA.close();
  await storeB.close();
}
