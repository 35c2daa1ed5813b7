// store/sql.js — what the SQLite and PostgreSQL stores share: which row fields live in columns,
// how a filter (memory.js matches()) is pushed down to a WHERE clause, and row helpers.
//
// Every table keeps the whole row as JSON; a few fields are copied into columns so the database
// can find rows by them. A column holds the field's value when it has the column's type and NULL
// otherwise, so a pushed-down condition never drops a row matches() would keep: SQL narrows the
// candidates, matches() decides. That is what keeps both stores' answers equal to MemoryStore's.

/** Row field → column type, for the fields kept in columns (column name: the field in snake_case). */
export const COLUMNS = {
  deployments: { id: 'text', tenantId: 'text' },
  definitions: { id: 'text', key: 'text', version: 'int', tenantId: 'text', deploymentId: 'text' },
  instances: {
    id: 'text',
    processDefinitionId: 'text',
    processDefinitionKey: 'text',
    businessKey: 'text',
    tenantId: 'text',
    suspended: 'bool',
    activityIds: 'array', // arrays of ids, looked up with {has: id}
    executionIds: 'array',
  },
  history: { id: 'text', processInstanceId: 'text' },
  // docs/batches.md: the batch row (its `remaining` ids in a column of their own, parsed when
  // read), its instance rows (nothing but columns) and its jobs (apart from instance jobs).
  batches: { id: 'text', type: 'text', suspended: 'bool', tenantId: 'text' },
  batchInstances: { processInstanceId: 'text', state: 'text' },
  batchJobs: {
    id: 'text',
    batchId: 'text',
    jobType: 'text',
    jobDefinitionId: 'text',
    dueDate: 'int',
    retries: 'int',
    suspended: 'bool',
    createTime: 'int',
    lockOwner: 'text', // the store's, as on instance jobs
    lockExpirationTime: 'int',
  },
};

/** The batch job columns a put fills (all but the lock), for the upserts. */
export const BATCH_JOB_FIELDS = Object.keys(COLUMNS.batchJobs).filter((f) => f !== 'lockOwner' && f !== 'lockExpirationTime');

export const INSTANCE_ARRAYS = Object.keys(COLUMNS.instances).filter((f) => COLUMNS.instances[f] === 'array');

/**
 * Index kinds → table and the columns beyond the common ones (id, processInstanceId: the owning
 * instance). Job locks (lockOwner, lockExpirationTime) are the store's own columns, not the core's.
 */
export const INDEX_TABLES = {
  tasks: { table: 'tasks', columns: {} },
  externalTasks: { table: 'external_tasks', columns: { topicName: 'text' } },
  jobs: { table: 'jobs', columns: { dueDate: 'int', retries: 'int', suspended: 'bool', createTime: 'int' } },
  subscriptions: { table: 'subscriptions', columns: { eventName: 'text' } },
  incidents: { table: 'incidents', columns: {} },
};

const LOCK_COLUMNS = { lockOwner: 'text', lockExpirationTime: 'int' };

/** The filterable columns of an index kind. */
export function indexColumns(kind) {
  const extra = kind === 'jobs' ? LOCK_COLUMNS : {};
  return { id: 'text', processInstanceId: 'text', ...INDEX_TABLES[kind].columns, ...extra };
}

export const snake = (field) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const isType = {
  text: (v) => typeof v === 'string',
  int: (v) => Number.isSafeInteger(v),
  bool: (v) => typeof v === 'boolean',
};

/** What a column stores for a field value: the value when it has the column's type, else NULL. */
export function columnValue(value, type) {
  return isType[type](value) ? value : null;
}

/**
 * The part of `filter` the database can answer on `columns`: plain values, lists and {in: list}
 * of the column's type, plus {has: id} on 'array' fields through dialect.has. → the WHERE text
 * ('TRUE' when nothing applies); the dialect collects the parameters and writes the placeholders:
 *   {param(value) → placeholder, inList(column, values, type) → sql, has(field, value) → sql}
 */
export function pushdown(filter, columns, dialect) {
  const clauses = [];
  for (const [field, cond] of Object.entries(filter)) {
    const type = columns[field];
    if (cond === undefined || !type) continue;
    if (type === 'array') {
      if (cond !== null && typeof cond.has === 'string') clauses.push(dialect.has(field, cond.has));
      continue;
    }
    const column = snake(field);
    const list = Array.isArray(cond) ? cond : cond !== null && typeof cond === 'object' && Array.isArray(cond.in) ? cond.in : null;
    if (cond === null) clauses.push(`${column} IS NULL`);
    else if (list) {
      const values = list.filter((v) => v !== null);
      if (!values.every(isType[type])) continue;
      const sql = dialect.inList(column, values, type);
      clauses.push(values.length < list.length ? `(${sql} OR ${column} IS NULL)` : sql);
    } else if (isType[type](cond)) clauses.push(`${column} = ${dialect.param(cond)}`);
  }
  return clauses.length ? clauses.join(' AND ') : 'TRUE';
}

/**
 * Defines row[field] as the JSON `text`, parsed on first read: list queries return instances and
 * definitions whose state or model the caller often never looks at.
 */
export function lazyJson(row, field, text) {
  if (text == null) return row;
  const settle = (value) => Object.defineProperty(row, field, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(row, field, {
    enumerable: true,
    configurable: true,
    get() {
      const value = JSON.parse(text);
      settle(value);
      return value;
    },
    set: settle,
  });
  return row;
}

/** Splits `field` off a row: [the row without it as JSON, the field as JSON or null]. */
export function splitRow(row, field) {
  const { [field]: blob, ...rest } = row;
  return [JSON.stringify(rest), blob === undefined ? null : JSON.stringify(blob)];
}
