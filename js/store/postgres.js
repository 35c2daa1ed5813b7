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

import { INDEX_KINDS, OptimisticLockingError, acquisitionOrder, matches } from './memory.js';
import { COLUMNS, INDEX_TABLES, columnValue, indexColumns, lazyJson, pushdown, snake, splitRow } from './sql.js';

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
  return { text: `WITH ${ctes.join(',\n')}\nSELECT count(*)::int AS written FROM inst`, names };
}

const COMMIT_STATEMENTS = Object.fromEntries(['insert', 'update', 'remove', 'none'].map((w) => [w, commitStatement(w)]));

/** The commit statement's parameters by name (see commitParams). */
function commitValues({ instanceId, revision, instance, index = {}, history = [], unlockJobIds = [] }) {
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

const ACQUIRE_JOBS = `WITH picked AS (
    SELECT rid FROM jobs
    WHERE (due_date IS NULL OR due_date <= $3) AND retries > 0 AND suspended IS NOT TRUE
      AND (lock_expiration_time IS NULL OR lock_expiration_time <= $3)
    ORDER BY due_date NULLS FIRST, create_time NULLS FIRST, inst_seq, pos
    LIMIT $4
    FOR UPDATE SKIP LOCKED)
  UPDATE jobs SET lock_owner = $1, lock_expiration_time = $2
  FROM picked WHERE jobs.rid = picked.rid
  RETURNING jobs.data, jobs.lock_owner, jobs.lock_expiration_time, jobs.inst_seq, jobs.pos`;

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
    const jobs = rows.map((r) => ({ job: jobRow(r), instSeq: r.inst_seq, pos: r.pos }));
    jobs.sort((a, b) => acquisitionOrder(a.job, b.job) || a.instSeq - b.instSeq || a.pos - b.pos);
    return jobs.map((j) => j.job);
  }

  async unlockJob(jobId, lockOwner) {
    const sql = 'UPDATE jobs SET lock_owner = NULL, lock_expiration_time = NULL WHERE id = $1 AND lock_owner = $2';
    return (await this._query(sql, [jobId, lockOwner])).rowCount;
  }

  async unlockAll(lockOwner) {
    const sql = 'UPDATE jobs SET lock_owner = NULL, lock_expiration_time = NULL WHERE lock_owner = $1';
    return (await this._query(sql, [lockOwner])).rowCount;
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
const jobRow = (r) => Object.assign(r.data, { lockOwner: r.lock_owner, lockExpirationTime: r.lock_expiration_time });
