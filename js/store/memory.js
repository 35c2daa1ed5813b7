// store/memory.js — the in-memory store: deployments, definitions, instance documents, their query
// index rows and history rows, all in Maps. The reference for what a store does; a SQLite or
// PostgreSQL store implements the same methods over tables.
//
// The contract a store keeps (the engine relies on nothing else):
//  - One instance = one transaction: commit() applies an instance's new document, its index rows
//    and its history rows all at once, or nothing. It checks the instance's revision first
//    (optimistic locking) and throws OptimisticLockingError when someone else committed since.
//  - Index rows belong to one instance and are replaced as a whole on every commit (kinds: tasks,
//    externalTasks, jobs, subscriptions, incidents). History rows are upserted by (kind, id).
//  - Queries take simple filters (see matches() below), so they map onto SQL WHERE clauses.
//  - Rows are values: what comes in is not kept by reference, what goes out is a copy.
// It knows nothing of BPMN: rows are opaque objects with a few named fields.

export const INDEX_KINDS = ['tasks', 'externalTasks', 'jobs', 'subscriptions', 'incidents'];

/** Raised by commit() when the stored revision is not the one the change was computed from. */
export class OptimisticLockingError extends Error {
  constructor(message) {
    super(message);
    this.name = 'OptimisticLockingError';
    this.type = 'OptimisticLockingException';
  }
}

export class MemoryStore {
  constructor() {
    this.deploymentRows = new Map();
    this.definitionRows = new Map();
    this.instanceRows = new Map(); // id → {id, revision, ...row}
    this.indexRows = Object.fromEntries(INDEX_KINDS.map((k) => [k, new Map()])); // kind → instanceId → rows
    this.historyRows = new Map(); // kind → Map(id → row)
  }

  // --- repository -------------------------------------------------------------------------------

  async putDeployment(row) {
    this.deploymentRows.set(row.id, { ...row });
  }

  async getDeployment(id) {
    return copy(this.deploymentRows.get(id));
  }

  async deployments(filter = {}) {
    return select(this.deploymentRows.values(), filter);
  }

  async putDefinition(row) {
    this.definitionRows.set(row.id, { ...row });
  }

  async getDefinition(id) {
    return copy(this.definitionRows.get(id));
  }

  async definitions(filter = {}) {
    return select(this.definitionRows.values(), filter);
  }

  // --- runtime ----------------------------------------------------------------------------------

  /** The instance row ({id, revision, state, ...}) or null. */
  async getInstance(id) {
    return copy(this.instanceRows.get(id));
  }

  async instances(filter = {}) {
    return select(this.instanceRows.values(), filter);
  }

  /** Index rows of one kind (tasks, jobs, ...) matching the filter, across instances. */
  async rows(kind, filter = {}) {
    const byInstance = this.indexRows[kind];
    if (!byInstance) throw new Error(`unknown index kind '${kind}'`);
    if (typeof filter.processInstanceId === 'string') {
      return select(byInstance.get(filter.processInstanceId) ?? [], filter);
    }
    const out = [];
    for (const rows of byInstance.values()) out.push(...select(rows, filter));
    return out;
  }

  /**
   * Applies one instance's change atomically:
   *   {instanceId, revision: the revision it was read at (0: a new instance),
   *    instance: the new row without revision, or null to remove the instance and its index rows,
   *    index: {kind: rows}, history: [{kind, row}] upserted by row.id}
   * Returns the new revision.
   */
  async commit({ instanceId, revision, instance, index = {}, history = [] }) {
    const current = this.instanceRows.get(instanceId);
    const currentRevision = current ? current.revision : 0;
    if (currentRevision !== revision) {
      throw new OptimisticLockingError(
        `ProcessInstance[${instanceId}] was updated by another transaction concurrently (revision ${revision}, stored ${currentRevision})`,
      );
    }
    // Everything below is synchronous: no other commit can interleave.
    const next = currentRevision + 1;
    if (instance) {
      this.instanceRows.set(instanceId, { ...instance, id: instanceId, revision: next });
      for (const kind of INDEX_KINDS) {
        const rows = (index[kind] ?? []).map((r) => ({ ...r, processInstanceId: r.processInstanceId ?? instanceId }));
        if (rows.length) this.indexRows[kind].set(instanceId, rows);
        else this.indexRows[kind].delete(instanceId);
      }
    } else {
      this.instanceRows.delete(instanceId);
      for (const kind of INDEX_KINDS) this.indexRows[kind].delete(instanceId);
    }
    for (const { kind, row } of history) {
      if (!this.historyRows.has(kind)) this.historyRows.set(kind, new Map());
      this.historyRows.get(kind).set(row.id, { ...row });
    }
    return next;
  }

  // --- history ----------------------------------------------------------------------------------

  async getHistory(kind, id) {
    return copy(this.historyRows.get(kind)?.get(id));
  }

  /** History rows of one kind (processInstance, activityInstance, ...) in insertion order. */
  async history(kind, filter = {}) {
    return select(this.historyRows.get(kind)?.values() ?? [], filter);
  }
}

function copy(row) {
  return row ? { ...row } : null;
}

function select(rows, filter) {
  const out = [];
  for (const row of rows) if (matches(row, filter)) out.push({ ...row });
  return out;
}

/**
 * The filter language every store understands: {field: condition}, all conditions must hold.
 * A condition is a value (equality; null matches null or absent), an array (one of them), or an
 * operator object:
 * {in: [values]}, {ne: v}, {lt: v}, {lte: v}, {gt: v}, {gte: v} (null never compares),
 * {like: 'pat%'} (SQL LIKE with % and _), {has: v} (the field is an array containing v).
 */
export function matches(row, filter) {
  for (const [field, cond] of Object.entries(filter)) {
    if (cond === undefined) continue;
    const v = row[field] ?? null;
    if (Array.isArray(cond)) {
      if (!cond.includes(v)) return false;
      continue;
    }
    if (cond === null || typeof cond !== 'object') {
      if (v !== cond) return false;
      continue;
    }
    if ('in' in cond && !cond.in.includes(v)) return false;
    if ('ne' in cond && v === cond.ne) return false;
    if ('lt' in cond && !(v !== null && v < cond.lt)) return false;
    if ('lte' in cond && !(v !== null && v <= cond.lte)) return false;
    if ('gt' in cond && !(v !== null && v > cond.gt)) return false;
    if ('gte' in cond && !(v !== null && v >= cond.gte)) return false;
    if ('has' in cond && !(Array.isArray(v) && v.includes(cond.has))) return false;
    if ('like' in cond && !(typeof v === 'string' && likeRegExp(cond.like).test(v))) return false;
  }
  return true;
}

function likeRegExp(pattern) {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, 's');
}
