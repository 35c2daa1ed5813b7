// store/sqlite.js — the store over one SQLite file (better-sqlite3): the contract of memory.js
// (MemoryStore is the reference; results are the same rows in the same order) plus job locks.
//
// Every table keeps rows as JSON with a few fields copied into columns for lookups (sql.js).
// Several processes may open the same file: WAL lets readers run beside the one writer, every
// write is one IMMEDIATE transaction (so it waits for the write lock up to busy_timeout rather
// than failing half-way), and the optimistic lock is checked by the write itself
// (UPDATE … WHERE id = ? AND revision = ?), not by an earlier read.
//
// better-sqlite3 is synchronous: the async methods only keep the store interface; a commit runs
// start to end without yielding.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

import {
  INDEX_KINDS,
  OptimisticLockingError,
  batchInstanceRow,
  batchJobRow,
  checkBatchChange,
  checkBatchOutcome,
  matches,
  staleBatchError,
} from './memory.js';
import {
  BATCH_JOB_FIELDS,
  COLUMNS,
  INDEX_TABLES,
  INSTANCE_ARRAYS,
  columnValue,
  indexColumns,
  lazyJson,
  pushdown,
  snake,
  splitRow,
} from './sql.js';

/** Index tables: owner, place (inst_seq: the instance's place, pos: the row's), id, row, columns. */
function indexTable(kind) {
  const { table, columns } = INDEX_TABLES[kind];
  const extra = Object.entries(columns).map(([field, type]) => `${snake(field)} ${type === 'text' ? 'TEXT' : 'INTEGER'}`);
  if (kind === 'jobs') extra.push('lock_owner TEXT', 'lock_expiration_time INTEGER');
  return `
    CREATE TABLE ${table} (
      process_instance_id TEXT NOT NULL, pos INTEGER NOT NULL, inst_seq INTEGER NOT NULL,
      id TEXT, data TEXT NOT NULL${extra.map((c) => `, ${c}`).join('')},
      PRIMARY KEY (process_instance_id, pos));
    CREATE INDEX ${table}_id ON ${table} (id);
    ${Object.keys(columns).filter((f) => columns[f] === 'text').map((f) => `CREATE INDEX ${table}_${snake(f)} ON ${table} (${snake(f)});`).join('\n')}`;
}

/** INSERT of one index row per kind: owner, place, id, row, its columns (and a job's lock). */
const INSERT_INDEX = Object.fromEntries(
  INDEX_KINDS.map((kind) => {
    const names = ['process_instance_id', 'pos', 'inst_seq', 'id', 'data', ...Object.keys(INDEX_TABLES[kind].columns).map(snake)];
    if (kind === 'jobs') names.push('lock_owner', 'lock_expiration_time');
    return [kind, `INSERT INTO ${INDEX_TABLES[kind].table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`];
  }),
);

/**
 * The schema, one migration per version, applied in order at open. Append, never edit: a file
 * at version n gets migrations n+1… . MemoryStore's insertion order: repository, instance and
 * history rows by an INTEGER PRIMARY KEY `seq` (the rowid: a new row gets max + 1, an upsert
 * keeps it); index rows by (inst_seq, pos).
 */
export const MIGRATIONS = [
  // 1: repository, runtime (instances and their index rows), history.
  `
  CREATE TABLE deployments (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id TEXT, data TEXT NOT NULL, resources TEXT);
  CREATE TABLE definitions (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, key TEXT, version INTEGER, tenant_id TEXT, deployment_id TEXT,
    data TEXT NOT NULL, model TEXT);
  CREATE INDEX definitions_key ON definitions (key, version);
  CREATE INDEX definitions_deployment ON definitions (deployment_id);

  CREATE TABLE instances (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL,
    process_definition_id TEXT, process_definition_key TEXT, business_key TEXT, tenant_id TEXT, suspended INTEGER,
    data TEXT NOT NULL, state TEXT);
  CREATE INDEX instances_definition_id ON instances (process_definition_id);
  CREATE INDEX instances_definition_key ON instances (process_definition_key);
  CREATE INDEX instances_business_key ON instances (business_key);
  -- The members of an instance's id arrays (activityIds, executionIds), for {has: id} lookups.
  CREATE TABLE instance_keys (
    field TEXT NOT NULL, value TEXT NOT NULL, instance_id TEXT NOT NULL,
    PRIMARY KEY (field, value, instance_id)) WITHOUT ROWID;
  CREATE INDEX instance_keys_instance ON instance_keys (instance_id);
  ${INDEX_KINDS.map(indexTable).join('\n')}
  CREATE INDEX jobs_due ON jobs (due_date, create_time, inst_seq, pos);
  CREATE INDEX jobs_lock_owner ON jobs (lock_owner);
  -- inst_seq of an instance that gets rows of a kind (again): after every instance that has some.
  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO counters VALUES ('inst_seq', 0);

  CREATE TABLE history (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, process_instance_id TEXT, data TEXT NOT NULL,
    UNIQUE (kind, id));
  CREATE INDEX history_instance ON history (process_instance_id);
  `,
  // 2: batches (docs/batches.md): the row (remaining apart, parsed when read), its instance rows,
  // its jobs (acquired beside instance jobs, never in their queries).
  `
  CREATE TABLE batches (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL, type TEXT, suspended INTEGER, tenant_id TEXT,
    data TEXT NOT NULL, remaining TEXT);
  CREATE TABLE batch_instances (
    seq INTEGER PRIMARY KEY, batch_id TEXT NOT NULL, process_instance_id TEXT NOT NULL,
    state TEXT NOT NULL, error_message TEXT,
    UNIQUE (batch_id, process_instance_id));
  CREATE TABLE batch_jobs (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, batch_id TEXT NOT NULL, job_type TEXT, job_definition_id TEXT,
    due_date INTEGER, retries INTEGER, suspended INTEGER, create_time INTEGER,
    lock_owner TEXT, lock_expiration_time INTEGER, data TEXT NOT NULL);
  CREATE INDEX batch_jobs_batch ON batch_jobs (batch_id);
  CREATE INDEX batch_jobs_due ON batch_jobs (due_date, create_time, seq);
  CREATE INDEX batch_jobs_lock_owner ON batch_jobs (lock_owner);
  `,
];

const BATCH_JOB_UPSERT = `INSERT INTO batch_jobs (${BATCH_JOB_FIELDS.map(snake).join(', ')}, data)
  VALUES (${BATCH_JOB_FIELDS.map(() => '?').join(', ')}, ?)
  ON CONFLICT (id) DO UPDATE SET ${[...BATCH_JOB_FIELDS.filter((f) => f !== 'id').map(snake), 'data'].map((c) => `${c} = excluded.${c}`).join(', ')}`;

const BATCH_INSTANCE_UPSERT = `INSERT INTO batch_instances (batch_id, process_instance_id, state, error_message) VALUES (?, ?, ?, ?)
  ON CONFLICT (batch_id, process_instance_id) DO UPDATE SET state = excluded.state, error_message = excluded.error_message`;

/** The WHERE of an acquirable job (memory.js acquirable()), on jobs and batch_jobs alike. */
const ACQUIRABLE = `(due_date IS NULL OR due_date <= @now) AND retries > 0 AND suspended IS NOT 1
  AND (lock_expiration_time IS NULL OR lock_expiration_time <= @now)`;

/** Brings the file to the latest schema version, in one write transaction. → that version. */
function migrate(db) {
  return db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const current = db.prepare('SELECT version FROM schema_version').pluck().get();
    if (current === undefined) db.prepare('INSERT INTO schema_version VALUES (0)').run();
    const from = current ?? 0;
    if (from > MIGRATIONS.length) throw new Error(`SqliteStore: the database is at schema version ${from}, newer than this code (${MIGRATIONS.length})`);
    for (let v = from; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
    return MIGRATIONS.length;
  }).immediate();
}

// Placeholders and lists for pushdown(): a list is one JSON parameter, so the statement text (and
// the cached statement) does not depend on its length.
function dialect(params) {
  const param = (v) => {
    params.push(typeof v === 'boolean' ? Number(v) : v);
    return '?';
  };
  return {
    param,
    inList: (column, values) => `${column} IN (SELECT value FROM json_each(${param(JSON.stringify(values))}))`,
    has: (field, value) =>
      `id IN (SELECT instance_id FROM instance_keys WHERE field = ${param(field)} AND value = ${param(value)})`,
  };
}

/** A column value as SQLite binds it (no booleans). */
function bindable(value, type) {
  const v = columnValue(value, type);
  return typeof v === 'boolean' ? Number(v) : v;
}

export class SqliteStore {
  /** Opens (creating it and its directory if needed) and migrates the database at `path` (':memory:' too). */
  constructor(path = ':memory:') {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 10000'); // first: switching to WAL takes a lock too
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL: no fsync per commit (only at checkpoints); a crashed process loses no commit,
    // a power cut may lose the last ones (SQLite's documented trade-off).
    this.db.pragma('synchronous = NORMAL');
    // A commit dirties pages across several tables and indexes; checkpointing every 10,000 pages
    // (~40 MB of WAL) instead of SQLite's 1,000 and a 64 MB page cache write each hot page back
    // less often (bench/service.js: about 20 % more commands/s).
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('cache_size = -65536');
    this.schemaVersion = migrate(this.db);
    this.statements = new Map();
    this._commitTx = this.db.transaction((change) => this._commit(change));
    this._commitBatchTx = this.db.transaction((change) => this._commitBatch(change));
    this._acquireTx = this.db.transaction((options) => this._acquire(options));
    this._deleteDeploymentTx = this.db.transaction((id) => {
      this._stmt('DELETE FROM definitions WHERE deployment_id = ?').run(id);
      this._stmt('DELETE FROM deployments WHERE id = ?').run(id);
    });
  }

  static async open(path) {
    return new SqliteStore(path);
  }

  async close() {
    if (this.db.open) this.db.close();
  }

  /** A prepared statement, prepared once per SQL text. */
  _stmt(sql) {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Rows of `table` whose pushed-down part of `filter` holds, in `order`, then matches() in full. */
  _select(table, columns, select, filter, order, toRow) {
    const params = [];
    const where = pushdown(filter, columns, dialect(params));
    const out = [];
    for (const record of this._stmt(`SELECT ${select} FROM ${table} WHERE ${where} ORDER BY ${order}`).all(...params)) {
      const row = toRow(record);
      if (matches(row, filter)) out.push(row);
    }
    return out;
  }

  // --- repository -------------------------------------------------------------------------------

  async putDeployment(row) {
    const [data, resources] = splitRow(row, 'resources');
    this._stmt(
      `INSERT INTO deployments (id, tenant_id, data, resources) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, data = excluded.data, resources = excluded.resources`,
    ).run(row.id, bindable(row.tenantId, 'text'), data, resources);
  }

  async getDeployment(id) {
    const record = this._stmt('SELECT data, resources FROM deployments WHERE id = ?').get(id);
    return record ? deploymentRow(record) : null;
  }

  async deployments(filter = {}) {
    return this._select('deployments', COLUMNS.deployments, 'data, resources', filter, 'seq', deploymentRow);
  }

  async putDefinition(row) {
    const [data, model] = splitRow(row, 'model');
    const c = COLUMNS.definitions;
    this._stmt(
      `INSERT INTO definitions (id, key, version, tenant_id, deployment_id, data, model) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET key = excluded.key, version = excluded.version, tenant_id = excluded.tenant_id,
         deployment_id = excluded.deployment_id, data = excluded.data, model = excluded.model`,
    ).run(row.id, bindable(row.key, c.key), bindable(row.version, c.version), bindable(row.tenantId, c.tenantId), bindable(row.deploymentId, c.deploymentId), data, model);
  }

  async getDefinition(id) {
    const record = this._stmt('SELECT data, model FROM definitions WHERE id = ?').get(id);
    return record ? definitionRow(record) : null;
  }

  async definitions(filter = {}) {
    return this._select('definitions', COLUMNS.definitions, 'data, model', filter, 'seq', definitionRow);
  }

  /** Removes the deployment and its definitions. */
  async deleteDeployment(id) {
    this._deleteDeploymentTx.immediate(id);
  }

  // --- runtime ----------------------------------------------------------------------------------

  async getInstance(id) {
    const record = this._stmt('SELECT id, revision, data, state FROM instances WHERE id = ?').get(id);
    return record ? instanceRow(record) : null;
  }

  async instances(filter = {}) {
    return this._select('instances', COLUMNS.instances, 'id, revision, data, state', filter, 'seq', instanceRow);
  }

  async rows(kind, filter = {}) {
    if (!INDEX_TABLES[kind]) throw new Error(`unknown index kind '${kind}'`);
    const select = kind === 'jobs' ? 'data, lock_owner, lock_expiration_time' : 'data';
    return this._select(INDEX_TABLES[kind].table, indexColumns(kind), select, filter, 'inst_seq, pos', kind === 'jobs' ? jobRow : indexRow);
  }

  /** MemoryStore.commit, as one IMMEDIATE transaction. → the new revision. */
  async commit(change) {
    if (change.batch != null) checkBatchOutcome(change.batch);
    return this._commitTx.immediate(change);
  }

  _commit({ instanceId, revision, instance, index = {}, history = [], unlockJobIds = [], batch }) {
    if (!this._writeInstance(instanceId, revision, instance)) throw this._staleError(instanceId, revision);
    const isNew = revision === 0; // a new instance has nothing to replace
    if (!isNew) this._stmt('DELETE FROM instance_keys WHERE instance_id = ?').run(instanceId);
    if (instance) this._insertKeys(instanceId, instance);
    for (const kind of INDEX_KINDS) {
      const old = isNew ? [] : this._deleteIndex(kind, instanceId);
      if (instance && index[kind]?.length) this._insertIndex(kind, instanceId, index[kind], old, unlockJobIds);
    }
    this._upsertHistory(history);
    if (batch != null && this._stmt('SELECT 1 FROM batches WHERE id = ?').get(batch.batchId)) {
      this._putBatchInstances(batch.batchId, batch.instances ?? []);
      const deleteJob = this._stmt('DELETE FROM batch_jobs WHERE id = ?');
      for (const id of batch.deleteJobIds ?? []) deleteJob.run(id);
    }
    return revision + 1;
  }

  _upsertHistory(history) {
    if (!history.length) return;
    const upsert = this._stmt(
      `INSERT INTO history (kind, id, process_instance_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET process_instance_id = excluded.process_instance_id, data = excluded.data`,
    );
    for (const { kind, row } of history) upsert.run(kind, row.id, bindable(row.processInstanceId, 'text'), JSON.stringify(row));
  }

  _putBatchInstances(batchId, instances) {
    const upsert = this._stmt(BATCH_INSTANCE_UPSERT);
    for (const r of instances) upsert.run(batchId, r.processInstanceId, r.state, r.errorMessage ?? null);
  }

  /** Writes the instance row if its stored revision is `revision` (0: none). → whether it was. */
  _writeInstance(id, revision, instance) {
    if (!instance) {
      if (revision === 0) return !this._stmt('SELECT 1 FROM instances WHERE id = ?').get(id);
      return this._stmt('DELETE FROM instances WHERE id = ? AND revision = ?').run(id, revision).changes === 1;
    }
    const [data, state] = splitRow(instance, 'state');
    const c = COLUMNS.instances;
    const values = [
      bindable(instance.processDefinitionId, c.processDefinitionId),
      bindable(instance.processDefinitionKey, c.processDefinitionKey),
      bindable(instance.businessKey, c.businessKey),
      bindable(instance.tenantId, c.tenantId),
      bindable(instance.suspended, c.suspended),
      data,
      state,
    ];
    if (revision === 0) {
      const insert = this._stmt(
        `INSERT INTO instances (id, revision, process_definition_id, process_definition_key, business_key, tenant_id, suspended, data, state)
         VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      );
      return insert.run(id, ...values).changes === 1;
    }
    const update = this._stmt(
      `UPDATE instances SET revision = revision + 1, process_definition_id = ?, process_definition_key = ?, business_key = ?,
         tenant_id = ?, suspended = ?, data = ?, state = ? WHERE id = ? AND revision = ?`,
    );
    return update.run(...values, id, revision).changes === 1;
  }

  _staleError(id, revision) {
    const stored = this._stmt('SELECT revision FROM instances WHERE id = ?').pluck().get(id) ?? 0;
    return new OptimisticLockingError(
      `ProcessInstance[${id}] was updated by another transaction concurrently (revision ${revision}, stored ${stored})`,
    );
  }

  _insertKeys(id, instance) {
    const selects = INSTANCE_ARRAYS.map((field) => `SELECT '${field}', value, @id FROM json_each(@${field})`);
    const params = { id };
    for (const field of INSTANCE_ARRAYS) params[field] = JSON.stringify(Array.isArray(instance[field]) ? instance[field] : []);
    this._stmt(`INSERT OR IGNORE INTO instance_keys (field, value, instance_id) ${selects.join(' UNION ALL ')}`).run(params);
  }

  /** Deletes an instance's rows of `kind`. → what the new rows keep of them: [{inst_seq, id, lock…}]. */
  _deleteIndex(kind, instanceId) {
    const returning = kind === 'jobs' ? 'inst_seq, id, lock_owner, lock_expiration_time' : 'inst_seq';
    return this._stmt(`DELETE FROM ${INDEX_TABLES[kind].table} WHERE process_instance_id = ? RETURNING ${returning}`).all(instanceId);
  }

  _insertIndex(kind, instanceId, rows, old, unlockJobIds) {
    const jobs = kind === 'jobs';
    const extra = Object.entries(INDEX_TABLES[kind].columns);
    const insert = this._stmt(INSERT_INDEX[kind]);
    const instSeq = old.length ? old[0].inst_seq : this._stmt("UPDATE counters SET value = value + 1 WHERE name = 'inst_seq' RETURNING value").pluck().get();
    const locks = jobs ? new Map(old.filter((o) => o.lock_owner != null && !unlockJobIds.includes(o.id)).map((o) => [o.id, o])) : null;
    rows.forEach((r, pos) => {
      const row = { ...r, processInstanceId: r.processInstanceId ?? instanceId };
      if (jobs) {
        // A job's lock is the store's, never the committed row's: it lives in columns only.
        delete row.lockOwner;
        delete row.lockExpirationTime;
      }
      const values = [instanceId, pos, instSeq, bindable(row.id, 'text'), JSON.stringify(row), ...extra.map(([f, type]) => bindable(row[f], type))];
      if (jobs) {
        const lock = locks.get(row.id);
        values.push(lock?.lock_owner ?? null, lock?.lock_expiration_time ?? null);
      }
      insert.run(...values);
    });
  }

  // --- batches ----------------------------------------------------------------------------------

  async getBatch(id, { remaining = true } = {}) {
    const columns = remaining ? 'id, revision, data, remaining' : 'id, revision, data, NULL AS remaining';
    const record = this._stmt(`SELECT ${columns} FROM batches WHERE id = ?`).get(id);
    return record ? batchRow(record) : null;
  }

  async batches(filter = {}) {
    return this._select('batches', COLUMNS.batches, 'id, revision, data, remaining', filter, 'seq', batchRow);
  }

  async batchInstances(batchId, filter = {}) {
    const params = [batchId];
    const where = pushdown(filter, COLUMNS.batchInstances, dialect(params));
    const out = [];
    const sql = `SELECT batch_id, process_instance_id, state, error_message FROM batch_instances WHERE batch_id = ? AND ${where} ORDER BY seq`;
    for (const record of this._stmt(sql).all(...params)) {
      const row = batchInstanceRecord(record);
      if (matches(row, filter)) out.push(row);
    }
    return out;
  }

  async batchJobs(filter = {}) {
    return this._select('batch_jobs', COLUMNS.batchJobs, 'data, lock_owner, lock_expiration_time', filter, 'seq', jobRow);
  }

  /** MemoryStore.commitBatch, as one IMMEDIATE transaction. */
  async commitBatch(change) {
    checkBatchChange(change);
    this._commitBatchTx.immediate(change);
  }

  _commitBatch({ batchId, batch, revision, putJobs = [], deleteJobIds = [], instances = [], history = [], unlockJobIds = [] }) {
    if (revision !== undefined) {
      const stored = this._stmt('SELECT revision FROM batches WHERE id = ?').pluck().get(batchId) ?? 0;
      if (stored !== revision) throw staleBatchError(batchId, revision, stored);
    }
    if (batch) {
      const { revision: _, ...row } = batch;
      const [data, remaining] = splitRow({ ...row, id: batchId }, 'remaining');
      const c = COLUMNS.batches;
      // a row written without `remaining` keeps the stored list
      this._stmt(
        `INSERT INTO batches (id, revision, type, suspended, tenant_id, data, remaining) VALUES (?, 1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET revision = batches.revision + 1, type = excluded.type, suspended = excluded.suspended, tenant_id = excluded.tenant_id,
           data = excluded.data, remaining = CASE WHEN ? THEN excluded.remaining ELSE batches.remaining END`,
      ).run(batchId, bindable(batch.type, c.type), bindable(batch.suspended, c.suspended), bindable(batch.tenantId, c.tenantId), data, remaining, batch.remaining === undefined ? 0 : 1);
    }
    if (putJobs.length) {
      const upsert = this._stmt(BATCH_JOB_UPSERT);
      for (const r of putJobs) {
        const row = batchJobRow(r, batchId);
        upsert.run(...BATCH_JOB_FIELDS.map((f) => bindable(row[f], COLUMNS.batchJobs[f])), JSON.stringify(row));
      }
    }
    if (deleteJobIds.length) this._stmt('DELETE FROM batch_jobs WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(deleteJobIds));
    this._putBatchInstances(batchId, instances);
    if (unlockJobIds.length) {
      this._stmt('UPDATE batch_jobs SET lock_owner = NULL, lock_expiration_time = NULL WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(unlockJobIds));
    }
    if (batch === null) {
      this._stmt('DELETE FROM batches WHERE id = ?').run(batchId);
      this._stmt('DELETE FROM batch_jobs WHERE batch_id = ?').run(batchId);
      this._stmt('DELETE FROM batch_instances WHERE batch_id = ?').run(batchId);
    }
    this._upsertHistory(history);
  }

  // --- job acquisition --------------------------------------------------------------------------

  /**
   * MemoryStore.acquireJobs in one write transaction (atomic across processes): the first maxJobs
   * candidates of each table, merged (instance jobs first at a tie), then locked.
   */
  async acquireJobs({ lockOwner, now = Date.now(), lockDuration = 300000, maxJobs = 1 }) {
    if (!lockOwner) throw new TypeError('acquireJobs: a lockOwner is required');
    return this._acquireTx.immediate({ lockOwner, until: now + lockDuration, now, maxJobs });
  }

  _acquire(params) {
    const { maxJobs } = params;
    const pick = (table, s1, s2) =>
      this._stmt(
        `SELECT rowid AS rid, due_date, create_time, ${s1} AS s1, ${s2} AS s2 FROM ${table} WHERE ${ACQUIRABLE}
         ORDER BY due_date NULLS FIRST, create_time NULLS FIRST, s1, s2 LIMIT @maxJobs`,
      );
    const { now, maxJobs: limit } = params;
    const candidates = [
      ...pick('jobs', 'inst_seq', 'pos').all({ now, maxJobs: limit }).map((r) => ({ ...r, kind: 0 })),
      ...pick('batch_jobs', '0', 'seq').all({ now, maxJobs: limit }).map((r) => ({ ...r, kind: 1 })),
    ];
    const order = (a, b) => nullsFirst(a.due_date, b.due_date) || nullsFirst(a.create_time, b.create_time) || a.kind - b.kind || a.s1 - b.s1 || a.s2 - b.s2;
    const picked = candidates.sort(order).slice(0, maxJobs);
    const jobs = [];
    for (const [kind, table] of [[0, 'jobs'], [1, 'batch_jobs']]) {
      const rids = picked.filter((c) => c.kind === kind).map((c) => c.rid);
      if (!rids.length) continue;
      const sql = `UPDATE ${table} SET lock_owner = @lockOwner, lock_expiration_time = @until WHERE rowid IN (SELECT value FROM json_each(@rids)) RETURNING rowid AS rid, data, lock_owner, lock_expiration_time`;
      const byRid = new Map(this._stmt(sql).all({ lockOwner: params.lockOwner, until: params.until, rids: JSON.stringify(rids) }).map((r) => [r.rid, r]));
      for (const c of picked) if (c.kind === kind) c.record = byRid.get(c.rid);
    }
    for (const c of picked) jobs.push(jobRow(c.record));
    return jobs;
  }

  async unlockJob(jobId, lockOwner) {
    let n = 0;
    for (const table of ['jobs', 'batch_jobs']) {
      n += this._stmt(`UPDATE ${table} SET lock_owner = NULL, lock_expiration_time = NULL WHERE id = ? AND lock_owner = ?`).run(jobId, lockOwner).changes;
    }
    return n;
  }

  async unlockAll(lockOwner) {
    let n = 0;
    for (const table of ['jobs', 'batch_jobs']) {
      n += this._stmt(`UPDATE ${table} SET lock_owner = NULL, lock_expiration_time = NULL WHERE lock_owner = ?`).run(lockOwner).changes;
    }
    return n;
  }

  // --- history ----------------------------------------------------------------------------------

  async getHistory(kind, id) {
    const data = this._stmt('SELECT data FROM history WHERE kind = ? AND id = ?').pluck().get(kind, id);
    return data === undefined ? null : JSON.parse(data);
  }

  async history(kind, filter = {}) {
    const params = [kind];
    const where = pushdown(filter, COLUMNS.history, dialect(params));
    const out = [];
    for (const data of this._stmt(`SELECT data FROM history WHERE kind = ? AND ${where} ORDER BY seq`).pluck().all(...params)) {
      const row = JSON.parse(data);
      if (matches(row, filter)) out.push(row);
    }
    return out;
  }

  async deleteHistory(processInstanceIds) {
    const ids = JSON.stringify([...processInstanceIds]);
    this._stmt(
      `DELETE FROM history WHERE process_instance_id IN (SELECT value FROM json_each(@ids))
         OR (kind = 'processInstance' AND id IN (SELECT value FROM json_each(@ids)))`,
    ).run({ ids });
  }
}

const deploymentRow = (r) => lazyJson(JSON.parse(r.data), 'resources', r.resources);
const definitionRow = (r) => lazyJson(JSON.parse(r.data), 'model', r.model);
const instanceRow = (r) => lazyJson(Object.assign(JSON.parse(r.data), { id: r.id, revision: r.revision }), 'state', r.state);
const indexRow = (r) => JSON.parse(r.data);
const batchRow = (r) => lazyJson(Object.assign(JSON.parse(r.data), { id: r.id, revision: r.revision }), 'remaining', r.remaining);
const batchInstanceRecord = (r) => ({ batchId: r.batch_id, processInstanceId: r.process_instance_id, state: r.state, errorMessage: r.error_message });
const jobRow = (r) => Object.assign(JSON.parse(r.data), { lockOwner: r.lock_owner, lockExpirationTime: r.lock_expiration_time });

function nullsFirst(a, b) {
  if (a == null || b == null) return (a == null ? 0 : 1) - (b == null ? 0 : 1);
  return a - b;
}
