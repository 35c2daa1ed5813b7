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
//    Results come in insertion order: repository, instance and history rows in the order they
//    were first put (an upsert keeps its place); index rows by instance (in the order each instance
//    got rows of that kind, again after having none), then in the order of the committed array.
//  - Rows are values: what comes in is not kept by reference, what goes out is a copy.
//  - Job rows carry lockOwner and lockExpirationTime (epoch ms; null when unlocked), kept by the
//    store, not by the core: acquireJobs() sets them, commit() keeps them on every job row that
//    survives (except its unlockJobIds), unlockJob() / unlockAll() clear them.
//  - deleteDeployment() removes a deployment and its definitions; deleteHistory() every history
//    row of the given instances; close() releases what the store holds.
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

  /** Removes the deployment and its definitions. */
  async deleteDeployment(id) {
    this.deploymentRows.delete(id);
    for (const [definitionId, row] of this.definitionRows) {
      if (row.deploymentId === id) this.definitionRows.delete(definitionId);
    }
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
   *    index: {kind: rows}, history: [{kind, row}] upserted by row.id,
   *    unlockJobIds: jobs whose lock is released (the one the command executed)}
   * Returns the new revision.
   */
  async commit({ instanceId, revision, instance, index = {}, history = [], unlockJobIds = [] }) {
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
      const locks = this._locks(instanceId, unlockJobIds);
      for (const kind of INDEX_KINDS) {
        let rows = (index[kind] ?? []).map((r) => ({ ...r, processInstanceId: r.processInstanceId ?? instanceId }));
        if (kind === 'jobs') rows = rows.map((r) => ({ ...r, ...(locks.get(r.id) ?? UNLOCKED) }));
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

  /** The locks held on an instance's jobs, but those of `unlockJobIds`: job id → lock fields. */
  _locks(instanceId, unlockJobIds) {
    const locks = new Map();
    for (const job of this.indexRows.jobs.get(instanceId) ?? []) {
      if (job.lockOwner != null && !unlockJobIds.includes(job.id)) {
        locks.set(job.id, { lockOwner: job.lockOwner, lockExpirationTime: job.lockExpirationTime });
      }
    }
    return locks;
  }

  // --- job acquisition --------------------------------------------------------------------------

  /**
   * Locks up to maxJobs jobs that are due (dueDate null or ≤ now), have retries left, are not
   * suspended and not locked (no lock, or an expired one) for lockOwner until now + lockDuration.
   * → the locked job rows, by due date, then create time (then row order).
   */
  async acquireJobs({ lockOwner, now = Date.now(), lockDuration = 300000, maxJobs = 1 }) {
    if (!lockOwner) throw new TypeError('acquireJobs: a lockOwner is required');
    const candidates = [];
    for (const jobs of this.indexRows.jobs.values()) for (const job of jobs) if (acquirable(job, now)) candidates.push(job);
    const picked = candidates.sort(acquisitionOrder).slice(0, maxJobs);
    for (const job of picked) Object.assign(job, { lockOwner, lockExpirationTime: now + lockDuration });
    return picked.map(copy);
  }

  /** Releases jobId's lock if lockOwner holds it. → the number of jobs unlocked (0 or 1). */
  async unlockJob(jobId, lockOwner) {
    return this._unlock((job) => job.id === jobId && job.lockOwner === lockOwner);
  }

  /** Releases every lock lockOwner holds. → the number of jobs unlocked. */
  async unlockAll(lockOwner) {
    return this._unlock((job) => job.lockOwner === lockOwner);
  }

  _unlock(which) {
    let n = 0;
    for (const jobs of this.indexRows.jobs.values()) {
      for (const job of jobs) {
        if (job.lockOwner == null || !which(job)) continue;
        Object.assign(job, UNLOCKED);
        n++;
      }
    }
    return n;
  }

  // --- history ----------------------------------------------------------------------------------

  async getHistory(kind, id) {
    return copy(this.historyRows.get(kind)?.get(id));
  }

  /** History rows of one kind (processInstance, activityInstance, ...) in insertion order. */
  async history(kind, filter = {}) {
    return select(this.historyRows.get(kind)?.values() ?? [], filter);
  }

  /** Removes every history row of these process instances (a historic instance's cascade). */
  async deleteHistory(processInstanceIds) {
    const ids = new Set(processInstanceIds);
    for (const [kind, rows] of this.historyRows) {
      for (const [id, row] of rows) {
        if (ids.has(row.processInstanceId) || (kind === 'processInstance' && ids.has(id))) rows.delete(id);
      }
    }
  }

  async close() {}
}

const UNLOCKED = Object.freeze({ lockOwner: null, lockExpirationTime: null });

/** Due, retries left, not suspended, not locked (or the lock expired: its node is gone). */
export function acquirable(job, now) {
  return (
    (job.dueDate == null || job.dueDate <= now) &&
    job.retries > 0 &&
    job.suspended !== true &&
    (job.lockExpirationTime == null || job.lockExpirationTime <= now)
  );
}

/** Due date first (none: due since ever), then create time; ties keep their row order. */
export function acquisitionOrder(a, b) {
  return nullsFirst(a.dueDate, b.dueDate) || nullsFirst(a.createTime, b.createTime);
}

function nullsFirst(a, b) {
  if (a == null || b == null) return (a == null ? 0 : 1) - (b == null ? 0 : 1);
  return a - b;
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
