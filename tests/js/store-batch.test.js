// store-batch.test.js — the batch part of the store contract (docs/batches.md, js/store/memory.js)
// run against every store: MemoryStore, SqliteStore on a temp file, PostgresStore on a throw-away
// cluster (started once for the file, a fresh database per test). Then what only shared databases
// have (acquirers on several connections), schema migration of an existing database, and a
// 100,000-instance batch (timings printed, not asserted).
//
// The PostgreSQL tests fail when PostgreSQL is missing, unless DETOUR_SKIP_POSTGRES=1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';

import { MemoryStore, OptimisticLockingError } from '../../js/store/memory.js';
import { MIGRATIONS as PG_MIGRATIONS, PostgresStore } from '../../js/store/postgres.js';
import { MIGRATIONS as SQLITE_MIGRATIONS, SqliteStore } from '../../js/store/sqlite.js';
import { describeBackend, testDatabases, tracked } from '../support/store-databases.js';
import { T0 } from './support.js';

const { tempFile, freshPostgresUrl } = testDatabases('b');

// --- the databases ------------------------------------------------------------------------------

/**
 * Each backend: fresh() → {store, another(): a second store on the same database (null for
 * memory), sabotage(): makes the next history upsert fail inside the database (null for memory),
 * close()}.
 */
const backends = [
  {
    name: 'MemoryStore',
    async fresh() {
      return { store: new MemoryStore(), another: null, sabotage: null, close: async () => {} };
    },
  },
  {
    name: 'SqliteStore',
    async fresh() {
      const path = tempFile();
      const db = tracked(new SqliteStore(path), async () => new SqliteStore(path));
      db.sabotage = () =>
        db.store.db.exec(`CREATE TRIGGER sabotage BEFORE INSERT ON history WHEN NEW.id = 'boom'
          BEGIN SELECT RAISE(ABORT, 'sabotaged'); END;`);
      return db;
    },
  },
  {
    name: 'PostgresStore',
    postgres: true,
    async fresh() {
      const url = await freshPostgresUrl();
      const db = tracked(await PostgresStore.open(url), () => PostgresStore.open(url));
      db.sabotage = () =>
        db.store.pool.query(`
          CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.id = 'boom' THEN RAISE EXCEPTION 'sabotaged'; END IF; RETURN NEW; END $$;
          CREATE TRIGGER sabotage BEFORE INSERT ON history FOR EACH ROW EXECUTE FUNCTION sabotage();`);
      return db;
    },
  },
];

// --- rows ---------------------------------------------------------------------------------------

function batchRow(fields = {}) {
  return {
    type: 'instance-modification',
    totalJobs: 3,
    jobsCreated: 0,
    batchJobsPerSeed: 100,
    invocationsPerBatchJob: 1,
    seedJobDefinitionId: 'sjd',
    monitorJobDefinitionId: 'mjd',
    batchJobDefinitionId: 'bjd',
    suspended: false,
    tenantId: null,
    createUserId: 'demo',
    startTime: T0,
    executionStartTime: null,
    configuration: { processDefinitionId: 'proc:1:x', instructions: [{ type: 'startBeforeActivity', activityId: 'a' }], skipCustomListeners: false },
    remaining: ['p1', 'p2', 'p3'],
    ...fields,
  };
}

function batchJob(id, fields = {}) {
  return {
    id,
    jobType: 'batch-seed-job',
    jobDefinitionId: 'sjd',
    processInstanceIds: [],
    dueDate: null,
    retries: 3,
    suspended: false,
    createTime: T0,
    exceptionMessage: null,
    priority: 0,
    processDefinitionId: null,
    executionId: null,
    ...fields,
  };
}

function instance(fields = {}) {
  return {
    processDefinitionId: 'proc:1:x',
    processDefinitionKey: 'proc',
    businessKey: null,
    tenantId: null,
    suspended: false,
    activityIds: [],
    executionIds: [],
    state: { counter: 0 },
    ...fields,
  };
}

function job(id, fields = {}) {
  return { id, jobType: 'async-continuation', dueDate: null, retries: 3, suspended: false, createTime: T0, exceptionMessage: null, ...fields };
}

const pending = (id) => ({ processInstanceId: id, state: 'pending', errorMessage: null });
const ids = (rows) => rows.map((r) => r.id);
const pids = (rows) => rows.map((r) => r.processInstanceId);
const isStale = (e) => e instanceof OptimisticLockingError && e.type === 'OptimisticLockingException';
const plain = (row) => JSON.parse(JSON.stringify(row)); // lazily parsed fields made plain

/** What the store answers about batch `id`, all of it: to check that a failed commit changed nothing. */
async function snapshot(store, batchId) {
  return plain({
    batch: await store.getBatch(batchId),
    batches: await store.batches(),
    instances: await store.batchInstances(batchId),
    jobs: await store.batchJobs(),
    history: await store.history('batch'),
  });
}

// --- the contract -------------------------------------------------------------------------------

for (const backend of backends) {
  describeBackend(backend, 'batches', () => {
    let db;
    let store;
    const open = async () => {
      db = await backend.fresh();
      store = db.store;
    };
    const close = async () => db?.close();

    test('a batch row read without its remaining ids, and written back without them, keeps the stored ids', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow() });
        const light = await store.getBatch('b1', { remaining: false });
        assert.equal('remaining' in light, false);
        assert.equal(light.totalJobs, batchRow().totalJobs);
        await store.commitBatch({ batchId: 'b1', revision: 1, batch: { ...light, executionStartTime: 5 } });
        const row = await store.getBatch('b1');
        assert.equal(row.executionStartTime, 5);
        assert.equal(row.revision, 2);
        assert.deepEqual(row.remaining, ['p1', 'p2', 'p3']);
        // an explicit list still replaces it
        await store.commitBatch({ batchId: 'b1', batch: { ...light, remaining: [] } });
        assert.deepEqual((await store.getBatch('b1')).remaining, []);
      } finally {
        await close();
      }
    });

    test('a batch row: created, read, upserted in place, left as is, revisions count writes', async () => {
      await open();
      try {
        assert.equal(await store.getBatch('b1'), null);
        await store.commitBatch({ batchId: 'b1', batch: batchRow() });
        const row = await store.getBatch('b1');
        assert.deepEqual(plain(row), { ...batchRow(), id: 'b1', revision: 1 });
        assert.deepEqual(row.remaining, ['p1', 'p2', 'p3']);
        // a row that comes out is a value
        row.remaining.push('x');
        row.configuration.instructions.length = 0;
        assert.deepEqual((await store.getBatch('b1')).remaining, ['p1', 'p2', 'p3']);
        assert.equal((await store.getBatch('b1')).configuration.instructions.length, 1);
        // batch: undefined leaves the row
        await store.commitBatch({ batchId: 'b1', instances: [pending('p1')] });
        assert.equal((await store.getBatch('b1')).revision, 1);
        // an upsert replaces the row (and the revision of what comes in is the store's)
        await store.commitBatch({ batchId: 'b1', batch: batchRow({ jobsCreated: 2, remaining: ['p3'], revision: 77, suspended: true }) });
        const again = await store.getBatch('b1');
        assert.equal(again.revision, 2);
        assert.equal(again.jobsCreated, 2);
        assert.deepEqual(again.remaining, ['p3']);
        // no remaining at all stays absent
        await store.commitBatch({ batchId: 'b2', batch: { type: 'x' } });
        assert.deepEqual(plain(await store.getBatch('b2')), { type: 'x', id: 'b2', revision: 1 });
      } finally {
        await close();
      }
    });

    test('an optional revision makes commitBatch optimistic: a stale one writes nothing', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow(), revision: 0 });
        await assert.rejects(store.commitBatch({ batchId: 'b2', batch: batchRow(), revision: 1 }), isStale);
        assert.equal(await store.getBatch('b2'), null);
        const before = await snapshot(store, 'b1');
        await assert.rejects(
          store.commitBatch({ batchId: 'b1', revision: 0, batch: batchRow({ jobsCreated: 9 }), putJobs: [batchJob('s1')], instances: [pending('p1')] }),
          (e) => isStale(e) && /Batch\[b1\].*revision 0, stored 1/.test(e.message),
        );
        assert.deepEqual(await snapshot(store, 'b1'), before);
        await store.commitBatch({ batchId: 'b1', revision: 1, batch: batchRow({ jobsCreated: 9 }) });
        assert.equal((await store.getBatch('b1')).revision, 2);
        await assert.rejects(store.commitBatch({ batchId: 'b1', revision: 1, batch: null }), isStale);
        await store.commitBatch({ batchId: 'b1', revision: 2, batch: null });
        assert.equal(await store.getBatch('b1'), null);
      } finally {
        await close();
      }
    });

    test('batches(filter): the filter language, in insertion order (an upsert keeps its place)', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow({ type: 'instance-modification' }) });
        await store.commitBatch({ batchId: 'b2', batch: batchRow({ type: 'restart-process-instance', suspended: true, tenantId: 't1' }) });
        await store.commitBatch({ batchId: 'a3', batch: batchRow({ type: 'instance-modification', tenantId: 't2' }) });
        await store.commitBatch({ batchId: 'b1', batch: batchRow({ type: 'instance-modification', jobsCreated: 1 }) });
        assert.deepEqual(ids(await store.batches()), ['b1', 'b2', 'a3']);
        assert.deepEqual(ids(await store.batches({ type: 'instance-modification' })), ['b1', 'a3']);
        assert.deepEqual(ids(await store.batches({ suspended: true })), ['b2']);
        assert.deepEqual(ids(await store.batches({ suspended: false })), ['b1', 'a3']);
        assert.deepEqual(ids(await store.batches({ tenantId: null })), ['b1']);
        assert.deepEqual(ids(await store.batches({ tenantId: ['t1', null] })), ['b1', 'b2']);
        assert.deepEqual(ids(await store.batches({ id: { in: ['a3', 'b2', 'zz'] } })), ['b2', 'a3']);
        assert.deepEqual(ids(await store.batches({ id: { like: 'b%' } })), ['b1', 'b2']);
        assert.deepEqual(ids(await store.batches({ jobsCreated: { gte: 1 } })), ['b1']);
        assert.deepEqual(ids(await store.batches({ id: 'nope' })), []);
        assert.deepEqual((await store.batches({ id: 'b1' }))[0].remaining, ['p1', 'p2', 'p3']);
      } finally {
        await close();
      }
    });

    test('batch instance rows: upserted by instance, in insertion order, filtered, per batch', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow(), instances: ['p3', 'p1', 'p2'].map(pending) });
        await store.commitBatch({ batchId: 'b2', batch: batchRow(), instances: [pending('p1'), { processInstanceId: 'q', state: 'done' }] });
        await store.commitBatch({
          batchId: 'b1',
          instances: [{ processInstanceId: 'p1', state: 'failed', errorMessage: 'no such activity' }, { processInstanceId: 'p3', state: 'done', errorMessage: null }],
        });
        assert.deepEqual(await store.batchInstances('b1'), [
          { batchId: 'b1', processInstanceId: 'p3', state: 'done', errorMessage: null },
          { batchId: 'b1', processInstanceId: 'p1', state: 'failed', errorMessage: 'no such activity' },
          { batchId: 'b1', processInstanceId: 'p2', state: 'pending', errorMessage: null },
        ]);
        assert.deepEqual(pids(await store.batchInstances('b1', { state: 'pending' })), ['p2']);
        assert.deepEqual(pids(await store.batchInstances('b1', { state: { ne: 'done' } })), ['p1', 'p2']);
        assert.deepEqual(pids(await store.batchInstances('b1', { state: ['done', 'failed'] })), ['p3', 'p1']);
        assert.deepEqual(pids(await store.batchInstances('b1', { processInstanceId: 'p2' })), ['p2']);
        assert.deepEqual(pids(await store.batchInstances('b1', { errorMessage: { like: 'no %' } })), ['p1']);
        assert.deepEqual(await store.batchInstances('b2'), [
          { batchId: 'b2', processInstanceId: 'p1', state: 'pending', errorMessage: null },
          { batchId: 'b2', processInstanceId: 'q', state: 'done', errorMessage: null },
        ]);
        assert.deepEqual(await store.batchInstances('nope'), []);
      } finally {
        await close();
      }
    });

    test('batch jobs: by batchJobs(), never in rows("jobs"); owned by the batch, no instance; filters; insertion order', async () => {
      await open();
      try {
        await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { jobs: [job('ij1')] } });
        await store.commitBatch({
          batchId: 'b1',
          batch: batchRow(),
          putJobs: [batchJob('s1'), batchJob('e1', { jobType: 'instance-modification', jobDefinitionId: 'bjd', processInstanceIds: ['p1'] })],
        });
        await store.commitBatch({ batchId: 'b2', batch: batchRow(), putJobs: [batchJob('s2', { processInstanceId: 'ignored', lockOwner: 'forged', lockExpirationTime: T0 })] });
        await store.commitBatch({ batchId: 'b1', putJobs: [batchJob('s1', { retries: 2 })] });
        assert.deepEqual(ids(await store.rows('jobs')), ['ij1']);
        assert.deepEqual(ids(await store.batchJobs()), ['s1', 'e1', 's2']);
        assert.deepEqual(ids(await store.batchJobs({ batchId: 'b1' })), ['s1', 'e1']);
        assert.deepEqual(ids(await store.batchJobs({ jobType: 'batch-seed-job' })), ['s1', 's2']);
        assert.deepEqual(ids(await store.batchJobs({ jobDefinitionId: 'bjd', batchId: 'b1' })), ['e1']);
        assert.deepEqual(ids(await store.batchJobs({ retries: { lt: 3 } })), ['s1']);
        assert.deepEqual(ids(await store.batchJobs({ processInstanceIds: { has: 'p1' } })), ['e1']);
        assert.deepEqual(ids(await store.batchJobs({ id: ['e1', 's2'] })), ['e1', 's2']);
        assert.deepEqual(await store.batchJobs({ id: 's2' }), [
          { ...batchJob('s2'), batchId: 'b2', processInstanceId: null, lockOwner: null, lockExpirationTime: null },
        ]);
        assert.deepEqual((await store.batchJobs({ id: 'e1' }))[0], {
          ...batchJob('e1', { jobType: 'instance-modification', jobDefinitionId: 'bjd', processInstanceIds: ['p1'] }),
          batchId: 'b1',
          processInstanceId: null,
          lockOwner: null,
          lockExpirationTime: null,
        });
        await store.commitBatch({ batchId: 'b1', deleteJobIds: ['e1', 'unknown'] });
        assert.deepEqual(ids(await store.batchJobs()), ['s1', 's2']);
      } finally {
        await close();
      }
    });

    test('a malformed change is refused before anything is written', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow(), putJobs: [batchJob('s1')], instances: [pending('p1')] });
        const before = await snapshot(store, 'b1');
        const bad = [
          { batchId: '' },
          { batchId: 'b1', batch: batchRow({ id: 'other' }) },
          { batchId: 'b1', batch: batchRow({ remaining: 'p1' }) },
          { batchId: 'b1', batch: batchRow({ jobsCreated: 1 }), putJobs: [batchJob('s2'), batchJob('s2')] }, // a duplicate job
          { batchId: 'b1', batch: batchRow({ jobsCreated: 1 }), putJobs: [batchJob('s2'), { ...batchJob('x'), id: undefined }] },
          { batchId: 'b1', putJobs: [batchJob('s3', { batchId: 'b9' })] },
          { batchId: 'b1', batch: batchRow({ jobsCreated: 1 }), instances: [pending('p2'), pending('p2')] }, // a duplicate instance
          { batchId: 'b1', batch: batchRow({ jobsCreated: 1 }), instances: [pending('p2'), { processInstanceId: 'p3', state: 'weird' }] },
          { batchId: 'b1', instances: [{ state: 'done' }] },
          { batchId: 'b1', deleteJobIds: 's1' },
          { batchId: 'b1', batch: null, history: [{ kind: 'batch', row: {} }] },
          { batchId: 'b1', batch: null, revision: -1 },
        ];
        for (const change of bad) {
          await assert.rejects(store.commitBatch(change), TypeError, JSON.stringify(change));
        }
        await assert.rejects(store.commit({ instanceId: 'i1', revision: 0, instance: instance(), batch: { batchId: 'b1', instances: [{ processInstanceId: 'i1', state: 'nope' }] } }), TypeError);
        await assert.rejects(store.commit({ instanceId: 'i1', revision: 0, instance: instance(), batch: { batchId: 'b1', deleteJobIds: 'e1' } }), TypeError);
        assert.equal(await store.getInstance('i1'), null);
        assert.deepEqual(await snapshot(store, 'b1'), before);
      } finally {
        await close();
      }
    });

    if (backend.name !== 'MemoryStore') {
      test('a statement failing half-way through commitBatch leaves nothing of it', async () => {
        await open();
        try {
          await store.commitBatch({ batchId: 'b1', batch: batchRow(), putJobs: [batchJob('s1')], instances: [pending('p1')] });
          const s1 = await store.acquireJobs({ lockOwner: 'n1', now: T0, lockDuration: 1000 });
          assert.deepEqual(ids(s1), ['s1']);
          const before = await snapshot(store, 'b1');
          await db.sabotage(); // history is written last
          await assert.rejects(
            store.commitBatch({
              batchId: 'b1',
              batch: batchRow({ jobsCreated: 1, remaining: [] }),
              putJobs: [batchJob('e1', { jobType: 'instance-modification' }), batchJob('m1', { jobType: 'batch-monitor-job' })],
              deleteJobIds: ['s1'],
              instances: [{ processInstanceId: 'p1', state: 'done' }, pending('p9')],
              unlockJobIds: ['s1'],
              history: [{ kind: 'batch', row: { id: 'fine' } }, { kind: 'batch', row: { id: 'boom' } }],
            }),
            /sabotaged/,
          );
          assert.deepEqual(await snapshot(store, 'b1'), before);
          await assert.rejects(store.commitBatch({ batchId: 'b1', batch: null, history: [{ kind: 'batch', row: { id: 'boom' } }] }), /sabotaged/);
          assert.deepEqual(await snapshot(store, 'b1'), before);
          // and the store goes on
          await store.commitBatch({ batchId: 'b1', batch: null, history: [{ kind: 'batch', row: { id: 'b1', endTime: T0 } }] });
          assert.equal(await store.getBatch('b1'), null);
        } finally {
          await close();
        }
      });
    }

    test('batch: null deletes the row, its jobs and its instance rows (whatever else the change says); history stays', async () => {
      await open();
      try {
        await store.commitBatch({
          batchId: 'b1',
          batch: batchRow(),
          putJobs: [batchJob('s1'), batchJob('e1', { jobType: 'instance-modification' })],
          instances: ['p1', 'p2'].map(pending),
          history: [{ kind: 'batch', row: { id: 'b1', endTime: null } }],
        });
        await store.commitBatch({ batchId: 'b2', batch: batchRow(), putJobs: [batchJob('s2')], instances: [pending('p1')], history: [{ kind: 'batch', row: { id: 'b2' } }] });
        await store.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { jobs: [job('ij1')] } });
        await store.commitBatch({
          batchId: 'b1',
          batch: null,
          putJobs: [batchJob('m1', { jobType: 'batch-monitor-job' })],
          instances: [pending('p3')],
          history: [{ kind: 'batch', row: { id: 'b1', endTime: T0 + 5 } }],
        });
        assert.equal(await store.getBatch('b1'), null);
        assert.deepEqual(ids(await store.batches()), ['b2']);
        assert.deepEqual(await store.batchInstances('b1'), []);
        assert.deepEqual(pids(await store.batchInstances('b2')), ['p1']);
        assert.deepEqual(ids(await store.batchJobs()), ['s2']);
        assert.deepEqual(ids(await store.rows('jobs')), ['ij1']);
        assert.deepEqual(await store.history('batch'), [{ id: 'b1', endTime: T0 + 5 }, { id: 'b2' }]);
        // deleting a batch that is not there is no error
        await store.commitBatch({ batchId: 'b1', batch: null });
      } finally {
        await close();
      }
    });

    test('putJobs keeps the lock of a job that stays, but unlockJobIds; incoming lock fields are ignored', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow(), putJobs: [batchJob('s1'), batchJob('e1', { createTime: T0 + 1 })] });
        const got = await store.acquireJobs({ lockOwner: 'n1', now: T0, lockDuration: 1000, maxJobs: 5 });
        assert.deepEqual(ids(got), ['s1', 'e1']);
        assert.deepEqual(got.map((j) => [j.batchId, j.processInstanceId, j.lockOwner, j.lockExpirationTime]), [
          ['b1', null, 'n1', T0 + 1000],
          ['b1', null, 'n1', T0 + 1000],
        ]);
        // e1 fails: retries - 1, its lock released; s1 is replaced and keeps its lock; a new job comes unlocked
        await store.commitBatch({
          batchId: 'b1',
          putJobs: [
            batchJob('s1', { dueDate: T0 + 50, lockOwner: null, lockExpirationTime: null }),
            batchJob('e1', { createTime: T0 + 1, retries: 2, exceptionMessage: 'failed', lockOwner: 'n1', lockExpirationTime: T0 + 1000 }),
            batchJob('e2', { lockOwner: 'forged', lockExpirationTime: T0 + 99999 }),
          ],
          unlockJobIds: ['e1'],
        });
        const locks = (rows) => rows.map((j) => [j.id, j.lockOwner, j.lockExpirationTime]);
        assert.deepEqual(locks(await store.batchJobs()), [['s1', 'n1', T0 + 1000], ['e1', null, null], ['e2', null, null]]);
        assert.equal((await store.batchJobs({ id: 's1' }))[0].dueDate, T0 + 50);
        assert.equal((await store.batchJobs({ id: 'e1' }))[0].exceptionMessage, 'failed');
        // unlockJobIds of a job the change does not put releases it too
        await store.commitBatch({ batchId: 'b1', unlockJobIds: ['s1'] });
        assert.deepEqual(locks(await store.batchJobs({ id: 's1' })), [['s1', null, null]]);
        // a deleted job put again is a new job: unlocked
        await store.acquireJobs({ lockOwner: 'n2', now: T0 + 60, lockDuration: 1000, maxJobs: 5 });
        assert.deepEqual(locks(await store.batchJobs()), [['s1', 'n2', T0 + 1060], ['e1', 'n2', T0 + 1060], ['e2', 'n2', T0 + 1060]]);
        await store.commitBatch({ batchId: 'b1', deleteJobIds: ['e2'] });
        await store.commitBatch({ batchId: 'b1', putJobs: [batchJob('e2')] });
        assert.deepEqual(locks(await store.batchJobs({ id: 'e2' })), [['e2', null, null]]);
        // the batch row's suspension goes with putJobs of its jobs suspended: nothing is acquired
        await store.commitBatch({
          batchId: 'b1',
          batch: batchRow({ suspended: true }),
          putJobs: (await store.batchJobs({ batchId: 'b1' })).map((j) => ({ ...j, suspended: true })),
        });
        assert.deepEqual(locks(await store.batchJobs()), [['s1', 'n2', T0 + 1060], ['e1', 'n2', T0 + 1060], ['e2', null, null]]);
        assert.deepEqual(await store.acquireJobs({ lockOwner: 'n3', now: T0 + 5000, maxJobs: 5 }), []);
      } finally {
        await close();
      }
    });

    test('acquireJobs takes instance and batch jobs alike: due date, then create time, instance jobs first at a tie', async () => {
      await open();
      try {
        await store.commit({
          instanceId: 'i1',
          revision: 0,
          instance: instance(),
          index: {
            jobs: [
              job('i-due20', { dueDate: T0 + 20 }),
              job('i-none-c5', { createTime: T0 + 5 }),
              job('i-tie', { dueDate: T0 + 10, createTime: T0 }),
              job('i-future', { dueDate: T0 + 1000 }),
            ],
          },
        });
        await store.commitBatch({
          batchId: 'b1',
          batch: batchRow(),
          putJobs: [
            batchJob('b-tie', { dueDate: T0 + 10, createTime: T0 }),
            batchJob('b-none-c1', { createTime: T0 + 1 }),
            batchJob('b-monitor-due15', { jobType: 'batch-monitor-job', dueDate: T0 + 15 }),
            batchJob('b-suspended', { suspended: true }),
            batchJob('b-no-retries', { retries: 0 }),
            batchJob('b-future', { dueDate: T0 + 1000 }),
          ],
        });
        await store.commitBatch({ batchId: 'b2', batch: batchRow(), putJobs: [batchJob('b2-none-c5', { createTime: T0 + 5 })] });
        const first = await store.acquireJobs({ lockOwner: 'n1', now: T0 + 100, lockDuration: 1000, maxJobs: 3 });
        assert.deepEqual(ids(first), ['b-none-c1', 'i-none-c5', 'b2-none-c5']);
        const rest = await store.acquireJobs({ lockOwner: 'n2', now: T0 + 100, lockDuration: 1000, maxJobs: 10 });
        assert.deepEqual(ids(rest), ['i-tie', 'b-tie', 'b-monitor-due15', 'i-due20']);
        assert.deepEqual(await store.acquireJobs({ lockOwner: 'n3', now: T0 + 100, maxJobs: 10 }), []);
        assert.deepEqual(rest.map((j) => j.processInstanceId ?? j.batchId), ['i1', 'b1', 'b1', 'i1']);
        // unlockJob / unlockAll cover batch jobs
        assert.equal(await store.unlockJob('b-tie', 'n1'), 0);
        assert.equal(await store.unlockJob('b-tie', 'n2'), 1);
        assert.deepEqual(ids(await store.acquireJobs({ lockOwner: 'n3', now: T0 + 100, lockDuration: 1000, maxJobs: 10 })), ['b-tie']);
        assert.equal(await store.unlockAll('n2'), 3);
        assert.deepEqual(ids(await store.acquireJobs({ lockOwner: 'n4', now: T0 + 100, lockDuration: 1000, maxJobs: 10 })), ['i-tie', 'b-monitor-due15', 'i-due20']);
        // an expired lock is free again; future and unsuspended ones come when due
        const later = await store.acquireJobs({ lockOwner: 'n5', now: T0 + 2000, lockDuration: 1000, maxJobs: 20 });
        assert.deepEqual(ids(later), ['b-none-c1', 'i-none-c5', 'b2-none-c5', 'i-tie', 'b-tie', 'b-monitor-due15', 'i-due20', 'i-future', 'b-future']);
        assert.ok(later.every((j) => j.lockOwner === 'n5' && j.lockExpirationTime === T0 + 3000));
        assert.equal(await store.unlockAll('n5'), 9);
      } finally {
        await close();
      }
    });

    test('an instance commit carries its batch outcome: one transaction with the revision check', async () => {
      await open();
      try {
        await store.commitBatch({ batchId: 'b1', batch: batchRow(), instances: ['i1', 'i2'].map(pending), putJobs: [batchJob('e1'), batchJob('e2')] });
        await store.commit({ instanceId: 'i1', revision: 0, instance: instance() });
        const r2 = await store.commit({
          instanceId: 'i1',
          revision: 1,
          instance: instance({ state: { counter: 1 } }),
          batch: { batchId: 'b1', instances: [{ processInstanceId: 'i1', state: 'done', errorMessage: null }], deleteJobIds: ['e1', 'unknown'] },
        });
        assert.equal(r2, 2);
        assert.deepEqual(ids(await store.batchJobs()), ['e2'], 'the execution job goes with its last instance');
        assert.deepEqual(await store.batchInstances('b1'), [
          { batchId: 'b1', processInstanceId: 'i1', state: 'done', errorMessage: null },
          { batchId: 'b1', processInstanceId: 'i2', state: 'pending', errorMessage: null },
        ]);
        // stale: neither the instance nor the batch rows change
        const before = await snapshot(store, 'b1');
        await assert.rejects(
          store.commit({
            instanceId: 'i1',
            revision: 1,
            instance: instance({ state: { counter: 99 } }),
            batch: { batchId: 'b1', instances: [{ processInstanceId: 'i1', state: 'failed', errorMessage: 'x' }, { processInstanceId: 'i2', state: 'done' }], deleteJobIds: ['e2'] },
          }),
          isStale,
        );
        assert.deepEqual(await snapshot(store, 'b1'), before);
        assert.deepEqual((await store.getInstance('i1')).state, { counter: 1 });
        // a new instance, a removed one, and one without a batch row any more (the outcome is dropped)
        await store.commit({ instanceId: 'i2', revision: 0, instance: null, batch: { batchId: 'b1', instances: [{ processInstanceId: 'i2', state: 'failed', errorMessage: 'gone' }] } });
        assert.deepEqual((await store.batchInstances('b1', { processInstanceId: 'i2' }))[0], { batchId: 'b1', processInstanceId: 'i2', state: 'failed', errorMessage: 'gone' });
        await store.commitBatch({ batchId: 'b1', batch: null });
        assert.equal(await store.commit({ instanceId: 'i1', revision: 2, instance: instance(), batch: { batchId: 'b1', instances: [{ processInstanceId: 'i1', state: 'done' }] } }), 3);
        assert.deepEqual(await store.batchInstances('b1'), []);
        assert.equal(await store.getBatch('b1'), null);
      } finally {
        await close();
      }
    });

    test('100,000 instances: one commitBatch, then one instance at a time, seeds of 100 jobs', { timeout: 300000 }, async () => {
      await open();
      try {
        const n = 100000;
        const all = Array.from({ length: n }, (_, i) => `pi-${String(i).padStart(6, '0')}-0123456789abcdef`);
        let t = performance.now();
        const lap = () => {
          const ms = performance.now() - t;
          t = performance.now();
          return `${ms.toFixed(0)} ms`;
        };
        await store.commitBatch({
          batchId: 'big',
          batch: batchRow({ totalJobs: n, remaining: all }),
          putJobs: [batchJob('seed-0')],
          instances: all.map(pending),
          history: [{ kind: 'batch', row: { id: 'big', endTime: null } }],
        });
        const timings = [`create ${lap()}`];
        const row = await store.getBatch('big');
        assert.equal(row.totalJobs, n); // statistics need not parse remaining
        timings.push(`getBatch ${lap()}`);
        assert.equal(row.remaining.length, n);
        timings.push(`+remaining ${lap()}`);
        // a seed run: 100 execution jobs, remaining shortened
        await store.commitBatch({
          batchId: 'big',
          batch: batchRow({ totalJobs: n, jobsCreated: 100, remaining: all.slice(100) }),
          putJobs: all.slice(0, 100).map((p, i) => batchJob(`exec-${i}`, { jobType: 'instance-modification', processInstanceIds: [p] })).concat([batchJob('seed-1')]),
          deleteJobIds: ['seed-0'],
        });
        timings.push(`seed ${lap()}`);
        for (let i = 0; i < 100; i++) {
          await store.commit({ instanceId: all[i], revision: 0, instance: instance(), batch: { batchId: 'big', instances: [{ processInstanceId: all[i], state: 'done' }] } });
        }
        timings.push(`100 instance commits ${lap()}`);
        const left = await store.batchInstances('big', { state: 'pending' });
        assert.equal(left.length, n - 100);
        assert.equal(left[0].processInstanceId, all[100]);
        timings.push(`pending rows ${lap()}`);
        assert.equal((await store.batchInstances('big', { processInstanceId: all[5] }))[0].state, 'done');
        timings.push(`one row ${lap()}`);
        assert.equal((await store.batchJobs({ batchId: 'big' })).length, 101);
        await store.commitBatch({ batchId: 'big', batch: null });
        timings.push(`delete ${lap()}`);
        assert.deepEqual(await store.batchInstances('big'), []);
        console.log(`# ${backend.name} 100,000-instance batch: ${timings.join(', ')}`);
      } finally {
        await close();
      }
    });
  });
}

// --- shared databases ---------------------------------------------------------------------------

const SEED = 50; // batch jobs in the concurrency tests, beside as many instance jobs

describe('SqliteStore: batches on one file from several connections', () => {
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

  test('acquirers in parallel threads never get the same job, batch or instance', async () => {
    const path = tempFile();
    const store = new SqliteStore(path);
    for (let b = 0; b < SEED / 10; b++) {
      await store.commitBatch({ batchId: `b${b}`, batch: batchRow(), putJobs: Array.from({ length: 10 }, (_, j) => batchJob(`b${b}-${j}`, { createTime: T0 + j })) });
      await store.commit({ instanceId: `i${b}`, revision: 0, instance: instance(), index: { jobs: Array.from({ length: 10 }, (_, j) => job(`i${b}-${j}`, { createTime: T0 + j })) } });
    }
    const acquired = await workers(path, 4, `async (store, n) => {
      const mine = [];
      for (;;) {
        const got = await store.acquireJobs({ lockOwner: 'node-' + n, now: ${T0}, lockDuration: 60000, maxJobs: 3 });
        if (!got.length) return mine;
        mine.push(...got.map((j) => j.id));
      }
    }`);
    const all = acquired.flat();
    assert.equal(all.length, 2 * SEED);
    assert.equal(new Set(all).size, 2 * SEED);
    await store.close();
  });

  test('a file at schema version 1 gets the batch tables at the next open and keeps its data', async () => {
    const path = tempFile();
    const later = SQLITE_MIGRATIONS.splice(1);
    try {
      const old = new SqliteStore(path);
      assert.equal(old.schemaVersion, 1);
      await old.commit({ instanceId: 'i1', revision: 0, instance: instance(), index: { jobs: [job('j1')] } });
      await old.close();
    } finally {
      SQLITE_MIGRATIONS.push(...later);
    }
    const store = new SqliteStore(path);
    assert.equal(store.schemaVersion, SQLITE_MIGRATIONS.length);
    assert.ok(SQLITE_MIGRATIONS.length >= 2);
    assert.deepEqual(ids(await store.rows('jobs')), ['j1']);
    await store.commitBatch({ batchId: 'b1', batch: batchRow(), putJobs: [batchJob('s1', { createTime: T0 - 1 })], instances: [pending('i1')] });
    assert.deepEqual(ids(await store.acquireJobs({ lockOwner: 'n', now: T0, maxJobs: 5 })), ['s1', 'j1']);
    await store.close();
    const again = new SqliteStore(path);
    assert.deepEqual(pids(await again.batchInstances('b1')), ['i1']);
    await again.close();
  });
});

describeBackend(backends[2], 'batches from several stores on one database', () => {
  test('20 acquirers over batch and instance jobs never get the same job', async () => {
    const url = await freshPostgresUrl();
    const store = await PostgresStore.open(url);
    for (let b = 0; b < 25; b++) {
      await store.commitBatch({ batchId: `b${b}`, batch: batchRow(), putJobs: Array.from({ length: 10 }, (_, j) => batchJob(`b${b}-${j}`, { createTime: T0 + j })) });
      await store.commit({ instanceId: `i${b}`, revision: 0, instance: instance(), index: { jobs: Array.from({ length: 10 }, (_, j) => job(`i${b}-${j}`, { createTime: T0 + j })) } });
    }
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, { max: 5 })));
    const acquired = await Promise.all(Array.from({ length: 20 }, async (_, n) => {
      const s = stores[n % stores.length];
      const mine = [];
      // a claimed-but-not-picked candidate is skipped by the others for a moment: retry a few empty rounds
      for (let empty = 0; empty < 3; ) {
        const got = await s.acquireJobs({ lockOwner: `node-${n}`, now: T0, lockDuration: 60000, maxJobs: 7 });
        if (!got.length) empty++;
        mine.push(...ids(got));
      }
      return mine;
    }));
    const all = acquired.flat();
    assert.equal(all.length, 500);
    assert.equal(new Set(all).size, 500);
    assert.ok(acquired.filter((a) => a.length).length > 1, 'the work was shared');
    for (const s of [store, ...stores]) await s.close();
  });

  test('concurrent optimistic commitBatch of one row: no lost update', async () => {
    const url = await freshPostgresUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, { max: 3 })));
    await stores[0].commitBatch({ batchId: 'b1', batch: batchRow({ jobsCreated: 0 }) });
    await Promise.all(Array.from({ length: 8 }, async (_, n) => {
      const s = stores[n % stores.length];
      for (let done = 0; done < 10; ) {
        const row = await s.getBatch('b1');
        try {
          await s.commitBatch({ batchId: 'b1', revision: row.revision, batch: { ...row, jobsCreated: row.jobsCreated + 1 } });
          done++;
        } catch (e) {
          if (!isStale(e)) throw e;
        }
      }
    }));
    const row = await stores[1].getBatch('b1');
    assert.equal(row.jobsCreated, 80);
    assert.equal(row.revision, 81);
    for (const s of stores) await s.close();
  });

  test('a database at schema version 1 gets the batch tables at the next open and keeps its data', async () => {
    const url = await freshPostgresUrl();
    const later = PG_MIGRATIONS.splice(1);
    try {
      const old = await PostgresStore.open(url);
      assert.equal(old.schemaVersion, 1);
      // this code's commit statement names the batch tables: old code's rows, by hand
      await old.pool.query(`INSERT INTO jobs (id, data, process_instance_id, inst_seq, pos, retries, create_time)
        VALUES ('j1', '{"id": "j1", "retries": 3, "createTime": ${T0}}', 'i1', 1, 1, 3, ${T0})`);
      await old.close();
    } finally {
      PG_MIGRATIONS.push(...later);
    }
    const store = await PostgresStore.open(url);
    assert.equal(store.schemaVersion, PG_MIGRATIONS.length);
    assert.deepEqual(ids(await store.rows('jobs')), ['j1']);
    await store.commitBatch({ batchId: 'b1', batch: batchRow(), putJobs: [batchJob('s1', { createTime: T0 - 1 })], instances: [pending('i1')] });
    assert.deepEqual(ids(await store.acquireJobs({ lockOwner: 'n', now: T0, maxJobs: 5 })), ['s1', 'j1']);
    await store.close();
  });
});
