// store/postgres.js — the store over PostgreSQL (pg): the contract of memory.js (MemoryStore is
// the reference; results are the same rows in the same order) plus job locks, for several
// engine processes sharing one database.
//
// Rows are jsonb with a few fields copied into columns for lookups (sql.js); the large documents
// nobody queries inside (instance state, definition model, deployment resources) are `json`,
// stored as written and handed back as text, parsed only when read (lazyJson).
// Concurrency: a commit is one statement, hence one transaction and one round trip, whose
// instance write checks the revision itself (UPDATE … WHERE id = $1 AND revision = $2: a
// concurrent commit makes it wait, then miss) and gates everything else it writes.
// acquireJobs is one statement that claims rows with SELECT … FOR UPDATE SKIP LOCKED and locks
// them, so acquirers on different nodes never wait for or share a job.

import pg from 'pg';

import {
  INDEX_KINDS,
  OptimisticLockingError,
  batchJobRow,
  checkBatchChange,
  checkBatchOutcome,
  matches,
  staleBatchError,
} from './memory.js';
import { BATCH_JOB_FIELDS, COLUMNS, INDEX_TABLES, columnValue, indexColumns, lazyJson, pushdown, snake, splitRow } from './sql.js';

const PG_TYPES = { text: 'text', int: 'bigint', bool: 'boolean' };

// int8 → Number (epoch ms and sequences stay far below 2^53); json → its text, for lazyJson.
const TYPES = {
  getTypeParser(oid, format) {
    if (oid === 20) return Number;
    if (oid === 114) return (text) => text;
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * The columns of an index table a committed row fills: [column, pg type, row field, sql.js type]
 * (data: the row itself). Jobs also have lock_owner and lock_expiration_time, the store's.
 */
function rowColumns(kind) {
  const columns = [['id', 'text', 'id', 'text'], ['data', 'jsonb', null, null]];
  for (const [field, type] of Object.entries(INDEX_TABLES[kind].columns)) columns.push([snake(field), PG_TYPES[type], field, type]);
  return columns;
}

// Owner and place (inst_seq: the instance's, pos: the row's in its array), no unique key (see
// the commit statement); jobs have a row id for acquireJobs to name the rows it locked.
function indexTable(kind) {
  const { table, columns } = INDEX_TABLES[kind];
  const defs = rowColumns(kind).map(([c, t]) => `${c} ${t}${c === 'data' ? ' NOT NULL' : ''}`);
  if (kind === 'jobs') {
    defs.unshift('rid bigserial PRIMARY KEY');
    defs.push('lock_owner text', 'lock_expiration_time bigint');
  }
  return `
    CREATE TABLE ${table} (${defs.join(', ')}, process_instance_id text NOT NULL, inst_seq bigint NOT NULL, pos integer NOT NULL);
    CREATE INDEX ${table}_instance ON ${table} (process_instance_id);
    CREATE INDEX ${table}_id ON ${table} (id);
    ${Object.keys(columns).filter((f) => columns[f] === 'text').map((f) => `CREATE INDEX ${table}_${snake(f)} ON ${table} (${snake(f)});`).join('\n')}`;
}

/**
 * The schema, one migration per version, applied in order at open (under an advisory lock, so
 * nodes starting together migrate once). Append, never edit. `seq` columns give MemoryStore's
 * insertion order (an upsert keeps its row, hence its seq).
 */
export const MIGRATIONS = [
  // 1: repository, runtime (instances and their index rows), history.
  `
  CREATE TABLE deployments (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, tenant_id text, data jsonb NOT NULL, resources json);
  CREATE TABLE definitions (
    seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, key text, version bigint, tenant_id text, deployment_id text,
    data jsonb NOT NULL, model json);
  CREATE INDEX definitions_key ON definitions (key, version);
  CREATE INDEX definitions_deployment ON definitions (deployment_id);

  CREATE TABLE instances (
    seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, revision integer NOT NULL,
    process_definition_id text, process_definition_key text, business_key text, tenant_id text, suspended boolean,
    activity_ids text[] NOT NULL, execution_ids text[] NOT NULL,
    data jsonb NOT NULL, state json);
  CREATE INDEX instances_definition_id ON instances (process_definition_id);
  CREATE INDEX instances_definition_key ON instances (process_definition_key);
  CREATE INDEX instances_business_key ON instances (business_key);
  CREATE INDEX instances_activity_ids ON instances USING gin (activity_ids);
  CREATE INDEX instances_execution_ids ON instances USING gin (execution_ids);
  ${INDEX_KINDS.map(indexTable).join('\n')}
  CREATE INDEX jobs_due ON jobs (due_date NULLS FIRST, create_time NULLS FIRST, inst_seq, pos);
  CREATE INDEX jobs_lock_owner ON jobs (lock_owner);
  -- inst_seq of an instance that gets rows of a kind (again): after every instance that has some.
  CREATE SEQUENCE inst_seq;

  CREATE TABLE history (
    seq bigserial NOT NULL, kind text NOT NULL, id text NOT NULL, process_instance_id text, data jsonb NOT NULL,
    PRIMARY KEY (kind, id));
  CREATE INDEX history_instance ON history (process_instance_id);
  `,
  // 2: batches (docs/batches.md): the row (remaining apart, as json text parsed when read), its
  // instance rows (insertion order by seq), its jobs (acquired beside instance jobs).
  `
  CREATE TABLE batches (
    seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, revision integer NOT NULL, type text, suspended boolean, tenant_id text,
    data jsonb NOT NULL, remaining json);
  CREATE TABLE batch_instances (
    seq bigserial NOT NULL, batch_id text NOT NULL, process_instance_id text NOT NULL, state text NOT NULL, error_message text,
    PRIMARY KEY (batch_id, process_instance_id));
  CREATE TABLE batch_jobs (
    seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, batch_id text NOT NULL, job_type text, job_definition_id text,
    due_date bigint, retries bigint, suspended boolean, create_time bigint,
    lock_owner text, lock_expiration_time bigint, data jsonb NOT NULL);
  CREATE INDEX batch_jobs_batch ON batch_jobs (batch_id);
  CREATE INDEX batch_jobs_due ON batch_jobs (due_date NULLS FIRST, create_time NULLS FIRST, seq);
  CREATE INDEX batch_jobs_lock_owner ON batch_jobs (lock_owner);
  `,
];

const MIGRATION_LOCK = 0x64657472; // any constant: the advisory lock id of migrations

async function migrate(pool) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const { rows } = await client.query('SELECT version FROM schema_version');
    if (!rows.length) await client.query('INSERT INTO schema_version VALUES (0)');
    const from = rows[0]?.version ?? 0;
    if (from > MIGRATIONS.length) throw new Error(`PostgresStore: the database is at schema version ${from}, newer than this code (${MIGRATIONS.length})`);
    for (let v = from; v < MIGRATIONS.length; v++) await client.query(MIGRATIONS[v]);
    await client.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length]);
    await client.query('COMMIT');
    return MIGRATIONS.length;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

// Placeholders for pushdown(): $n, lists as one array parameter.
function dialect(params) {
  const param = (v) => `$${params.push(v)}`;
  return {
    param,
    inList: (column, values, type) => `${column} = ANY(${param(values)}::${PG_TYPES[type]}[])`,
    has: (field, value) => `${snake(field)} @> ARRAY[${param(value)}]::text[]`,
  };
}

// --- the commit statement -------------------------------------------------------------------------
//
// A commit is ONE statement (so one round trip and its own transaction): the instance write, whose
// WHERE checks the revision, then data-modifying CTEs that each run only if that write took a row
// (EXISTS (SELECT 1 FROM inst)), so a stale commit changes nothing. The old index rows are deleted
// and the new ones inserted in the same statement: the new rows take their inst_seq and job locks
// from the deleted rows' RETURNING. (All sub-statements see one snapshot: the deletes cannot see the
// inserted rows, and the tables have no unique key the two could collide on.)

// What an instance write sets besides id and revision: its looked-up fields (sql.js), the row, the state.
const INSTANCE_PARAMS = [...Object.keys(COLUMNS.instances).filter((f) => f !== 'id'), 'data', 'state'];

/** The instance write per case; each yields a row iff the stored revision was the one read. */
function instanceWrite(write, $) {
  const columns = INSTANCE_PARAMS.map(snake).join(', ');
  const values = INSTANCE_PARAMS.map($).join(', ');
  switch (write) {
    case 'insert':
      return `INSERT INTO instances (id, revision, ${columns}) VALUES (${$('id')}, 1, ${values}) ON CONFLICT (id) DO NOTHING RETURNING 1`;
    case 'update':
      return `UPDATE instances SET revision = revision + 1, (${columns}) = (${values}) WHERE id = ${$('id')} AND revision = ${$('revision')} RETURNING 1`;
    case 'remove':
      return `DELETE FROM instances WHERE id = ${$('id')} AND revision = ${$('revision')} RETURNING 1`;
    default: // 'none': an instance that ended in the command that started it
      return `SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM instances WHERE id = ${$('id')})`;
  }
}

/** The parameter names of a commit statement, in $n order. */
function commitParams(write) {
  const names = ['id'];
  if (write === 'update' || write === 'remove') names.push('revision');
  if (write === 'insert' || write === 'update') names.push(...INSTANCE_PARAMS);
  for (const kind of INDEX_KINDS) for (const [column] of rowColumns(kind)) names.push(`${kind}.${column}`);
  names.push('unlockJobIds', 'history.kind', 'history.id', 'history.process_instance_id', 'history.data');
  names.push('batch.id', 'batch.process_instance_id', 'batch.state', 'batch.error_message', 'batch.delete_job_ids');
  return names;
}

function commitStatement(write) {
  const names = commitParams(write);
  const $ = (name) => `$${names.indexOf(name) + 1}`;
  const written = 'EXISTS (SELECT 1 FROM inst)';
  const ctes = [`inst AS (${instanceWrite(write, $)})`, "seq AS (SELECT nextval('inst_seq') AS v)"];
  for (const kind of INDEX_KINDS) {
    const { table } = INDEX_TABLES[kind];
    const jobs = kind === 'jobs';
    const columns = rowColumns(kind);
    const names = columns.map(([c]) => c);
    const arrays = columns.map(([c, type]) => `${$(`${kind}.${c}`)}::${type}[]`);
    const keptLock = (c) => `CASE WHEN u.id = ANY(${$('unlockJobIds')}::text[]) THEN NULL ELSE (SELECT ${c} FROM del_${kind} d WHERE d.id = u.id LIMIT 1) END`;
    ctes.push(
      `del_${kind} AS (DELETE FROM ${table} WHERE process_instance_id = ${$('id')} AND ${written}
         RETURNING inst_seq${jobs ? ', id, lock_owner, lock_expiration_time' : ''})`,
      `ins_${kind} AS (INSERT INTO ${table} (process_instance_id, inst_seq, pos, ${names.join(', ')}${jobs ? ', lock_owner, lock_expiration_time' : ''})
         SELECT ${$('id')}, coalesce((SELECT min(inst_seq) FROM del_${kind}), (SELECT v FROM seq)), u.pos, ${names.map((c) => `u.${c}`).join(', ')}${jobs ? `, ${keptLock('lock_owner')}, ${keptLock('lock_expiration_time')}` : ''}
         FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS u(${names.join(', ')}, pos)
         WHERE ${written})`,
    );
  }
  ctes.push(`hist AS (INSERT INTO history (kind, id, process_instance_id, data)
    SELECT * FROM unnest(${$('history.kind')}::text[], ${$('history.id')}::text[], ${$('history.process_instance_id')}::text[], ${$('history.data')}::jsonb[])
    WHERE ${written}
    ON CONFLICT (kind, id) DO UPDATE SET process_instance_id = excluded.process_instance_id, data = excluded.data)`);
  // The instance's outcome in its batch, if the batch row is still there (FOR KEY SHARE: a batch
  // deletion in flight waits for this commit, or this commit sees the row gone).
  ctes.push(
    `bat AS (SELECT 1 FROM batches WHERE id = ${$('batch.id')} AND ${written} FOR KEY SHARE)`,
    `bins AS (INSERT INTO batch_instances (batch_id, process_instance_id, state, error_message)
       SELECT ${$('batch.id')}, u.p, u.s, u.e
       FROM unnest(${$('batch.process_instance_id')}::text[], ${$('batch.state')}::text[], ${$('batch.error_message')}::text[]) WITH ORDINALITY AS u(p, s, e, ord)
       WHERE EXISTS (SELECT 1 FROM bat) ORDER BY u.ord
       ON CONFLICT (batch_id, process_instance_id) DO UPDATE SET state = excluded.state, error_message = excluded.error_message)`,
    `bjobs AS (DELETE FROM batch_jobs WHERE id = ANY(${$('batch.delete_job_ids')}::text[]) AND EXISTS (SELECT 1 FROM bat))`,
  );
  return { text: `WITH ${ctes.join(',\n')}\nSELECT count(*)::int AS written FROM inst`, names };
}

const COMMIT_STATEMENTS = Object.fromEntries(['insert', 'update', 'remove', 'none'].map((w) => [w, commitStatement(w)]));

/** The commit statement's parameters by name (see commitParams). */
function commitValues({ instanceId, revision, instance, index = {}, history = [], unlockJobIds = [], batch }) {
  const values = { id: instanceId, revision, unlockJobIds };
  if (instance) {
    const c = COLUMNS.instances;
    for (const f of Object.keys(c)) {
      if (f !== 'id') values[f] = c[f] === 'array' ? (Array.isArray(instance[f]) ? instance[f] : []) : columnValue(instance[f], c[f]);
    }
    [values.data, values.state] = splitRow(instance, 'state');
  }
  for (const kind of INDEX_KINDS) {
    const columns = rowColumns(kind);
    for (const [column] of columns) values[`${kind}.${column}`] = [];
    if (!instance) continue;
    for (const r of index[kind] ?? []) {
      const row = { ...r, processInstanceId: r.processInstanceId ?? instanceId };
      if (kind === 'jobs') {
        // A job's lock is the store's, never the committed row's: it lives in columns only.
        delete row.lockOwner;
        delete row.lockExpirationTime;
      }
      for (const [column, , field, type] of columns) {
        values[`${kind}.${column}`].push(column === 'data' ? JSON.stringify(row) : columnValue(row[field], type));
      }
    }
  }
  const rows = dedupeHistory(history);
  values['history.kind'] = rows.map((h) => h.kind);
  values['history.id'] = rows.map((h) => h.row.id);
  values['history.process_instance_id'] = rows.map((h) => columnValue(h.row.processInstanceId, 'text'));
  values['history.data'] = rows.map((h) => JSON.stringify(h.row));
  const outcome = batch?.instances ?? [];
  values['batch.id'] = batch?.batchId ?? null;
  values['batch.process_instance_id'] = outcome.map((r) => r.processInstanceId);
  values['batch.state'] = outcome.map((r) => r.state);
  values['batch.error_message'] = outcome.map((r) => r.errorMessage ?? null);
  values['batch.delete_job_ids'] = batch?.deleteJobIds ?? [];
  return values;
}

/**
 * History upserts of one commit, one per (kind, id): the last version wins and keeps the place of
 * the first, as Map.set does in MemoryStore (a multi-row upsert must not touch a row twice).
 */
function dedupeHistory(history) {
  const byKey = new Map();
  for (const { kind, row } of history) byKey.set(`${kind}\u0000${row.id}`, { kind, row });
  return [...byKey.values()];
}

// Acquisition over both job tables: the first maxJobs candidates of each, claimed with FOR UPDATE
// SKIP LOCKED, merged (instance jobs first at a tie, as in MemoryStore), the first maxJobs locked.
// (A candidate claimed but not picked is only held until the statement ends.)
const ACQUIRABLE = `(due_date IS NULL OR due_date <= $3) AND retries > 0 AND suspended IS NOT TRUE
      AND (lock_expiration_time IS NULL OR lock_expiration_time <= $3)`;
const ACQUIRE_JOBS = `WITH
  ci AS (
    SELECT rid AS k, due_date, create_time, inst_seq AS s1, pos::bigint AS s2 FROM jobs WHERE ${ACQUIRABLE}
    ORDER BY due_date NULLS FIRST, create_time NULLS FIRST, inst_seq, pos LIMIT $4
    FOR UPDATE SKIP LOCKED),
  cb AS (
    SELECT seq AS k, due_date, create_time, 0::bigint AS s1, seq AS s2 FROM batch_jobs WHERE ${ACQUIRABLE}
    ORDER BY due_date NULLS FIRST, create_time NULLS FIRST, seq LIMIT $4
    FOR UPDATE SKIP LOCKED),
  picked AS (
    SELECT * FROM (SELECT 0 AS kind, * FROM ci UNION ALL SELECT 1 AS kind, * FROM cb) c
    ORDER BY due_date NULLS FIRST, create_time NULLS FIRST, kind, s1, s2 LIMIT $4),
  ui AS (
    UPDATE jobs SET lock_owner = $1, lock_expiration_time = $2 FROM picked WHERE picked.kind = 0 AND jobs.rid = picked.k
    RETURNING jobs.data, jobs.lock_owner, jobs.lock_expiration_time, picked.due_date, picked.create_time, picked.kind, picked.s1, picked.s2),
  ub AS (
    UPDATE batch_jobs SET lock_owner = $1, lock_expiration_time = $2 FROM picked WHERE picked.kind = 1 AND batch_jobs.seq = picked.k
    RETURNING batch_jobs.data, batch_jobs.lock_owner, batch_jobs.lock_expiration_time, picked.due_date, picked.create_time, picked.kind, picked.s1, picked.s2)
  SELECT * FROM ui UNION ALL SELECT * FROM ub`;

const UNLOCK = (where) => `WITH
  a AS (UPDATE jobs SET lock_owner = NULL, lock_expiration_time = NULL WHERE ${where} RETURNING 1),
  b AS (UPDATE batch_jobs SET lock_owner = NULL, lock_expiration_time = NULL WHERE ${where} RETURNING 1)
  SELECT ((SELECT count(*) FROM a) + (SELECT count(*) FROM b))::int AS n`;

const BATCH_JOB_UPSERT = `INSERT INTO batch_jobs (${BATCH_JOB_FIELDS.map(snake).join(', ')}, data)
  SELECT ${BATCH_JOB_FIELDS.map(snake).join(', ')}, data FROM unnest(${BATCH_JOB_FIELDS.map((f, i) => `$${i + 1}::${PG_TYPES[COLUMNS.batchJobs[f]]}[]`).join(', ')}, $${BATCH_JOB_FIELDS.length + 1}::jsonb[])
    WITH ORDINALITY AS u(${BATCH_JOB_FIELDS.map(snake).join(', ')}, data, ord)
  ORDER BY ord
  ON CONFLICT (id) DO UPDATE SET ${[...BATCH_JOB_FIELDS.filter((f) => f !== 'id').map(snake), 'data'].map((c) => `${c} = excluded.${c}`).join(', ')}`;

const BATCH_INSTANCE_UPSERT = `INSERT INTO batch_instances (batch_id, process_instance_id, state, error_message)
  SELECT $1, u.p, u.s, u.e FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(p, s, e, ord) ORDER BY u.ord
  ON CONFLICT (batch_id, process_instance_id) DO UPDATE SET state = excluded.state, error_message = excluded.error_message`;

const HISTORY_UPSERT = `INSERT INTO history (kind, id, process_instance_id, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
  ON CONFLICT (kind, id) DO UPDATE SET process_instance_id = excluded.process_instance_id, data = excluded.data`;

export class PostgresStore {
  /** Connects to `url` (postgres://…) and migrates. Options: max (pool size, 10). */
  static async open(url, { max = 10 } = {}) {
    const pool = new pg.Pool({ connectionString: url, max, types: TYPES });
    // An idle connection that dies (server restart) is dropped by the pool; the next query reports.
    pool.on('error', () => {});
    try {
      const store = new PostgresStore(pool);
      store.schemaVersion = await migrate(pool);
      return store;
    } catch (e) {
      await pool.end();
      throw e;
    }
  }

  /** Use open(): this takes a pg.Pool whose database is migrated already. */
  constructor(pool) {
    this.pool = pool;
    this.names = new Map(); // SQL text → prepared statement name
  }

  async close() {
    if (!this.pool.ended) await this.pool.end();
  }

  /** Runs `text` as a named (prepared once per connection) statement. */
  _query(text, values) {
    let name = this.names.get(text);
    if (!name) {
      name = `detour_${this.names.size + 1}`;
      this.names.set(text, name);
    }
    return this.pool.query({ name, text, values });
  }

  /** Rows of `table` whose pushed-down part of `filter` holds, in `order`, then matches() in full. */
  async _select(table, columns, select, filter, order, toRow) {
    const params = [];
    const where = pushdown(filter, columns, dialect(params));
    const { rows } = await this._query(`SELECT ${select} FROM ${table} WHERE ${where} ORDER BY ${order}`, params);
    const out = [];
    for (const record of rows) {
      const row = toRow(record);
      if (matches(row, filter)) out.push(row);
    }
    return out;
  }

  // --- repository -------------------------------------------------------------------------------

  async putDeployment(row) {
    const [data, resources] = splitRow(row, 'resources');
    await this._query(
      `INSERT INTO deployments (id, tenant_id, data, resources) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, data = excluded.data, resources = excluded.resources`,
      [row.id, columnValue(row.tenantId, 'text'), data, resources],
    );
  }

  async getDeployment(id) {
    const { rows } = await this._query('SELECT data, resources FROM deployments WHERE id = $1', [id]);
    return rows.length ? deploymentRow(rows[0]) : null;
  }

  async deployments(filter = {}) {
    return this._select('deployments', COLUMNS.deployments, 'data, resources', filter, 'seq', deploymentRow);
  }

  async putDefinition(row) {
    const [data, model] = splitRow(row, 'model');
    const c = COLUMNS.definitions;
    await this._query(
      `INSERT INTO definitions (id, key, version, tenant_id, deployment_id, data, model) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET key = excluded.key, version = excluded.version, tenant_id = excluded.tenant_id,
         deployment_id = excluded.deployment_id, data = excluded.data, model = excluded.model`,
      [row.id, columnValue(row.key, c.key), columnValue(row.version, c.version), columnValue(row.tenantId, c.tenantId), columnValue(row.deploymentId, c.deploymentId), data, model],
    );
  }

  async getDefinition(id) {
    const { rows } = await this._query('SELECT data, model FROM definitions WHERE id = $1', [id]);
    return rows.length ? definitionRow(rows[0]) : null;
  }

  async definitions(filter = {}) {
    return this._select('definitions', COLUMNS.definitions, 'data, model', filter, 'seq', definitionRow);
  }

  /** Removes the deployment and its definitions (one statement: atomic). */
  async deleteDeployment(id) {
    await this._query('WITH d AS (DELETE FROM definitions WHERE deployment_id = $1) DELETE FROM deployments WHERE id = $1', [id]);
  }

  // --- runtime ----------------------------------------------------------------------------------

  async getInstance(id) {
    const { rows } = await this._query('SELECT id, revision, data, state FROM instances WHERE id = $1', [id]);
    return rows.length ? instanceRow(rows[0]) : null;
  }

  async instances(filter = {}) {
    return this._select('instances', COLUMNS.instances, 'id, revision, data, state', filter, 'seq', instanceRow);
  }

  async rows(kind, filter = {}) {
    if (!INDEX_TABLES[kind]) throw new Error(`unknown index kind '${kind}'`);
    const select = kind === 'jobs' ? 'data, lock_owner, lock_expiration_time' : 'data';
    return this._select(INDEX_TABLES[kind].table, indexColumns(kind), select, filter, 'inst_seq, pos', kind === 'jobs' ? jobRow : indexRow);
  }

  /** MemoryStore.commit, as one statement (see commitStatement). → the new revision. */
  async commit(change) {
    if (change.batch != null) checkBatchOutcome(change.batch);
    const { instanceId, revision, instance } = change;
    const write = instance ? (revision === 0 ? 'insert' : 'update') : revision === 0 ? 'none' : 'remove';
    const { text, names } = COMMIT_STATEMENTS[write];
    const values = commitValues(change);
    const { rows } = await this._query(text, names.map((name) => values[name]));
    if (rows[0].written !== 1) throw await this._staleError(instanceId, revision);
    return revision + 1;
  }

  async _staleError(id, revision) {
    const { rows } = await this._query('SELECT revision FROM instances WHERE id = $1', [id]);
    return new OptimisticLockingError(
      `ProcessInstance[${id}] was updated by another transaction concurrently (revision ${revision}, stored ${rows[0]?.revision ?? 0})`,
    );
  }

  // --- job acquisition --------------------------------------------------------------------------

  /** MemoryStore.acquireJobs in one statement (FOR UPDATE SKIP LOCKED: concurrent acquirers skip each other's rows). */
  async acquireJobs({ lockOwner, now = Date.now(), lockDuration = 300000, maxJobs = 1 }) {
    if (!lockOwner) throw new TypeError('acquireJobs: a lockOwner is required');
    const { rows } = await this._query(ACQUIRE_JOBS, [lockOwner, now + lockDuration, now, maxJobs]);
    // RETURNING comes in no particular order: restore the acquisition order.
    rows.sort((a, b) => nullsFirst(a.due_date, b.due_date) || nullsFirst(a.create_time, b.create_time) || a.kind - b.kind || a.s1 - b.s1 || a.s2 - b.s2);
    return rows.map(jobRow);
  }

  async unlockJob(jobId, lockOwner) {
    return (await this._query(UNLOCK('id = $1 AND lock_owner = $2'), [jobId, lockOwner])).rows[0].n;
  }

  async unlockAll(lockOwner) {
    return (await this._query(UNLOCK('lock_owner = $1'), [lockOwner])).rows[0].n;
  }

  // --- batches ----------------------------------------------------------------------------------

  async getBatch(id, { remaining = true } = {}) {
    const columns = remaining ? 'id, revision, data, remaining' : 'id, revision, data, NULL::json AS remaining';
    const { rows } = await this._query(`SELECT ${columns} FROM batches WHERE id = $1`, [id]);
    return rows.length ? batchRow(rows[0]) : null;
  }

  async batches(filter = {}) {
    return this._select('batches', COLUMNS.batches, 'id, revision, data, remaining', filter, 'seq', batchRow);
  }

  async batchInstances(batchId, filter = {}) {
    const params = [batchId];
    const where = pushdown(filter, COLUMNS.batchInstances, dialect(params));
    const { rows } = await this._query(
      `SELECT batch_id, process_instance_id, state, error_message FROM batch_instances WHERE batch_id = $1 AND ${where} ORDER BY seq`,
      params,
    );
    const out = [];
    for (const record of rows) {
      const row = batchInstanceRecord(record);
      if (matches(row, filter)) out.push(row);
    }
    return out;
  }

  async batchJobs(filter = {}) {
    return this._select('batch_jobs', COLUMNS.batchJobs, 'data, lock_owner, lock_expiration_time', filter, 'seq', jobRow);
  }

  /** MemoryStore.commitBatch, as one transaction on one connection (a statement per part present). */
  async commitBatch(change) {
    checkBatchChange(change);
    const { batchId, batch, revision, putJobs = [], deleteJobIds = [], instances = [], history = [], unlockJobIds = [] } = change;
    const client = await this.pool.connect();
    const query = (text, values) => {
      let name = this.names.get(text);
      if (!name) {
        name = `detour_${this.names.size + 1}`;
        this.names.set(text, name);
      }
      return client.query({ name, text, values });
    };
    try {
      await client.query('BEGIN');
      if (revision !== undefined) {
        const { rows } = await query('SELECT revision FROM batches WHERE id = $1 FOR UPDATE', [batchId]);
        const stored = rows[0]?.revision ?? 0;
        if (stored !== revision) throw staleBatchError(batchId, revision, stored);
      }
      if (batch) {
        const [data, remaining] = splitRow(batchData(batch, batchId), 'remaining');
        const c = COLUMNS.batches;
        await query(
          // a row written without `remaining` keeps the stored list
          `INSERT INTO batches (id, revision, type, suspended, tenant_id, data, remaining) VALUES ($1, 1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET revision = batches.revision + 1, type = excluded.type, suspended = excluded.suspended,
             tenant_id = excluded.tenant_id, data = excluded.data,
             remaining = CASE WHEN $7::boolean THEN excluded.remaining ELSE batches.remaining END`,
          [batchId, columnValue(batch.type, c.type), columnValue(batch.suspended, c.suspended), columnValue(batch.tenantId, c.tenantId), data, remaining, batch.remaining !== undefined],
        );
      }
      if (putJobs.length) {
        const rows = putJobs.map((r) => batchJobRow(r, batchId));
        const values = BATCH_JOB_FIELDS.map((f) => rows.map((row) => columnValue(row[f], COLUMNS.batchJobs[f])));
        await query(BATCH_JOB_UPSERT, [...values, rows.map((row) => JSON.stringify(row))]);
      }
      if (deleteJobIds.length) await query('DELETE FROM batch_jobs WHERE id = ANY($1::text[])', [deleteJobIds]);
      if (instances.length) {
        await query(BATCH_INSTANCE_UPSERT, [
          batchId,
          instances.map((r) => r.processInstanceId),
          instances.map((r) => r.state),
          instances.map((r) => r.errorMessage ?? null),
        ]);
      }
      if (unlockJobIds.length) {
        await query('UPDATE batch_jobs SET lock_owner = NULL, lock_expiration_time = NULL WHERE id = ANY($1::text[])', [unlockJobIds]);
      }
      if (batch === null) {
        await query(
          `WITH b AS (DELETE FROM batches WHERE id = $1), j AS (DELETE FROM batch_jobs WHERE batch_id = $1)
           DELETE FROM batch_instances WHERE batch_id = $1`,
          [batchId],
        );
      }
      if (history.length) {
        const rows = dedupeHistory(history);
        await query(HISTORY_UPSERT, [
          rows.map((h) => h.kind),
          rows.map((h) => h.row.id),
          rows.map((h) => columnValue(h.row.processInstanceId, 'text')),
          rows.map((h) => JSON.stringify(h.row)),
        ]);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  // --- history ----------------------------------------------------------------------------------

  async getHistory(kind, id) {
    const { rows } = await this._query('SELECT data FROM history WHERE kind = $1 AND id = $2', [kind, id]);
    return rows.length ? rows[0].data : null;
  }

  async history(kind, filter = {}) {
    const params = [kind];
    const where = pushdown(filter, COLUMNS.history, dialect(params));
    const { rows } = await this._query(`SELECT data FROM history WHERE kind = $1 AND ${where} ORDER BY seq`, params);
    return rows.map((r) => r.data).filter((row) => matches(row, filter));
  }

  async deleteHistory(processInstanceIds) {
    await this._query(
      `DELETE FROM history WHERE process_instance_id = ANY($1::text[]) OR (kind = 'processInstance' AND id = ANY($1::text[]))`,
      [[...processInstanceIds]],
    );
  }
}

const deploymentRow = (r) => lazyJson(r.data, 'resources', r.resources);
const definitionRow = (r) => lazyJson(r.data, 'model', r.model);
const instanceRow = (r) => lazyJson(Object.assign(r.data, { id: r.id, revision: r.revision }), 'state', r.state);
const indexRow = (r) => r.data;
const batchRow = (r) => lazyJson(Object.assign(r.data, { id: r.id, revision: r.revision }), 'remaining', r.remaining);
const batchInstanceRecord = (r) => ({ batchId: r.batch_id, processInstanceId: r.process_instance_id, state: r.state, errorMessage: r.error_message });
const jobRow = (r) => Object.assign(r.data, { lockOwner: r.lock_owner, lockExpirationTime: r.lock_expiration_time });

/** The batch row as stored in data: the store's id, no revision (a column). */
function batchData(batch, batchId) {
  const { revision, ...row } = batch;
  return { ...row, id: batchId };
}

function nullsFirst(a, b) {
  if (a == null || b == null) return (a == null ? 0 : 1) - (b == null ? 0 : 1);
  return a - b;
}
