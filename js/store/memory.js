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
//  - Batches (docs/batches.md): batch rows, their instance rows ({batchId, processInstanceId,
//    state, errorMessage}, insertion order, upserted) and batch jobs (owned by a batch, not by an
//    instance: never in rows('jobs'), but acquired, locked and unlocked like instance jobs; at
//    equal due date and create time instance jobs come first). commitBatch() writes a batch's
//    change in one transaction; commit({…, batch}) upserts the committing instance's outcome in its
//    batch in the instance's transaction, and removes the batch jobs batch.deleteJobIds names
//    (both ignored when the batch row is gone). checkBatchChange()
//    refuses a malformed change before anything is written, the same in every store. A batch
//    row's `remaining` (the ids not handed out yet: megabytes for a large batch) is read only when
//    asked for (getBatch(id, {remaining: false}) leaves it out), and a batch row written without
//    it keeps the stored list.
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
    this.batchRows = new Map(); // id → batch row
    this.batchJobRows = new Map(); // id → batch job row (with its lock)
    this.batchInstanceRows = new Map(); // batchId → Map(processInstanceId → row)
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
   *    unlockJobIds: jobs whose lock is released (the one the command executed),
   *    batch: {batchId, instances: batch instance rows upserted, deleteJobIds: batch jobs removed}}
   * Returns the new revision.
   */
  async commit({ instanceId, revision, instance, index = {}, history = [], unlockJobIds = [], batch }) {
    if (batch != null) checkBatchOutcome(batch);
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
    if (batch != null && this.batchRows.has(batch.batchId)) {
      this._putBatchInstances(batch.batchId, batch.instances ?? []);
      for (const id of batch.deleteJobIds ?? []) this.batchJobRows.delete(id);
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

  // --- batches ----------------------------------------------------------------------------------

  /** The batch row (BatchDto fields, configuration, remaining unless {remaining: false}) or null. */
  async getBatch(id, { remaining = true } = {}) {
    const row = copyBatch(this.batchRows.get(id));
    if (row && !remaining) delete row.remaining;
    return row;
  }

  /** Batch rows matching the filter, in insertion order. */
  async batches(filter = {}) {
    const out = [];
    for (const row of this.batchRows.values()) if (matches(row, filter)) out.push(copyBatch(row));
    return out;
  }

  /** A batch's instance rows ({batchId, processInstanceId, state, errorMessage}) matching the filter, in insertion order. */
  async batchInstances(batchId, filter = {}) {
    const rows = this.batchInstanceRows.get(batchId);
    if (typeof filter.processInstanceId === 'string') return select(rows?.has(filter.processInstanceId) ? [rows.get(filter.processInstanceId)] : [], filter);
    return select(rows?.values() ?? [], filter);
  }

  /** Batch jobs (with their locks) matching the filter, in insertion order. */
  async batchJobs(filter = {}) {
    return select(this.batchJobRows.values(), filter);
  }

  /**
   * Applies one batch's change atomically (docs/batches.md):
   *   {batchId, batch: the new row (upserted), null (the batch, its jobs and its instance rows are
   *    deleted; history stays) or undefined (the row is left as is),
   *    putJobs: batch jobs inserted or replaced by id (a replaced job keeps its lock),
   *    deleteJobIds: batch jobs removed, instances: instance rows upserted by processInstanceId,
   *    history: [{kind, row}] upserted by row.id, unlockJobIds: batch jobs whose lock is released}
   *    revision (optional): the batch row's revision as read (0: no row); when given and the
   *    stored one differs, OptimisticLockingError and nothing is written}
   * Order: the row, putJobs, deleteJobIds, instances, unlocks; a null batch then deletes
   * whatever of the batch remains; history last. A batch row carries `revision`, kept by the
   * store: 1 when created, + 1 on every commitBatch that writes the row.
   */
  async commitBatch(change) {
    const { batchId, batch, revision, putJobs = [], deleteJobIds = [], instances = [], history = [], unlockJobIds = [] } = change;
    checkBatchChange(change);
    const stored = this.batchRows.get(batchId)?.revision ?? 0;
    if (revision !== undefined && revision !== stored) throw staleBatchError(batchId, revision, stored);
    // Everything below is synchronous: no other commit can interleave.
    if (batch) {
      const kept = batch.remaining === undefined ? { remaining: this.batchRows.get(batchId)?.remaining } : {};
      this.batchRows.set(batchId, copyBatch({ ...batch, ...kept, id: batchId, revision: stored + 1 }));
    }
    for (const r of putJobs) {
      const old = this.batchJobRows.get(r.id);
      const lock = old && old.lockOwner != null ? { lockOwner: old.lockOwner, lockExpirationTime: old.lockExpirationTime } : UNLOCKED;
      this.batchJobRows.set(r.id, { ...batchJobRow(r, batchId), ...lock });
    }
    for (const id of deleteJobIds) this.batchJobRows.delete(id);
    this._putBatchInstances(batchId, instances);
    for (const id of unlockJobIds) {
      const job = this.batchJobRows.get(id);
      if (job) Object.assign(job, UNLOCKED);
    }
    if (batch === null) {
      this.batchRows.delete(batchId);
      for (const [id, job] of this.batchJobRows) if (job.batchId === batchId) this.batchJobRows.delete(id);
      this.batchInstanceRows.delete(batchId);
    }
    for (const { kind, row } of history) {
      if (!this.historyRows.has(kind)) this.historyRows.set(kind, new Map());
      this.historyRows.get(kind).set(row.id, { ...row });
    }
  }

  _putBatchInstances(batchId, instances) {
    if (!instances.length) return;
    let rows = this.batchInstanceRows.get(batchId);
    if (!rows) this.batchInstanceRows.set(batchId, (rows = new Map()));
    for (const r of instances) rows.set(r.processInstanceId, batchInstanceRow(r, batchId));
  }

  // --- job acquisition --------------------------------------------------------------------------

  /**
   * Locks up to maxJobs jobs (instance and batch jobs) that are due (dueDate null or ≤ now), have retries left, are not
   * suspended and not locked (no lock, or an expired one) for lockOwner until now + lockDuration.
   * → the locked job rows, by due date, then create time (then row order).
   */
  async acquireJobs({ lockOwner, now = Date.now(), lockDuration = 300000, maxJobs = 1 }) {
    if (!lockOwner) throw new TypeError('acquireJobs: a lockOwner is required');
    const candidates = [];
    for (const jobs of this.indexRows.jobs.values()) for (const job of jobs) if (acquirable(job, now)) candidates.push(job);
    for (const job of this.batchJobRows.values()) if (acquirable(job, now)) candidates.push(job); // stable sort: after instance jobs at a tie
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
    for (const job of this.batchJobRows.values()) {
      if (job.lockOwner == null || !which(job)) continue;
      Object.assign(job, UNLOCKED);
      n++;
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

export const BATCH_INSTANCE_STATES = ['pending', 'done', 'failed'];

/** Throws a TypeError when commitBatch's change is malformed (nothing is written then). */
export function checkBatchChange({ batchId, batch, revision, putJobs = [], deleteJobIds = [], instances = [], history = [], unlockJobIds = [] }) {
  if (typeof batchId !== 'string' || !batchId) throw new TypeError('commitBatch: a batchId is required');
  if (revision !== undefined && !(Number.isSafeInteger(revision) && revision >= 0)) throw new TypeError('commitBatch: revision must be the batch revision read (0: none)');
  if (batch != null) {
    if (typeof batch !== 'object' || Array.isArray(batch)) throw new TypeError('commitBatch: batch must be a row, null or undefined');
    if (batch.id != null && batch.id !== batchId) throw new TypeError(`commitBatch: the batch row's id '${batch.id}' is not '${batchId}'`);
    if (batch.remaining != null && !Array.isArray(batch.remaining)) throw new TypeError('commitBatch: remaining must be an array of ids');
  }
  const jobIds = new Set();
  for (const job of putJobs) {
    if (typeof job?.id !== 'string' || !job.id) throw new TypeError('commitBatch: every batch job needs an id');
    if (job.batchId != null && job.batchId !== batchId) throw new TypeError(`commitBatch: job ${job.id} belongs to batch '${job.batchId}', not '${batchId}'`);
    if (jobIds.has(job.id)) throw new TypeError(`commitBatch: job ${job.id} is put twice`);
    jobIds.add(job.id);
  }
  for (const [name, list] of [['deleteJobIds', deleteJobIds], ['unlockJobIds', unlockJobIds]]) {
    if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) throw new TypeError(`commitBatch: ${name} must be an array of ids`);
  }
  checkBatchInstances(instances, 'commitBatch');
  for (const h of history) {
    if (typeof h?.kind !== 'string' || typeof h.row?.id !== 'string') throw new TypeError('commitBatch: history entries are {kind, row} with a row id');
  }
}

export function staleBatchError(batchId, revision, stored) {
  return new OptimisticLockingError(`Batch[${batchId}] was updated by another transaction concurrently (revision ${revision}, stored ${stored})`);
}

/** Throws a TypeError when commit()'s batch outcome ({batchId, instances}) is malformed. */
export function checkBatchOutcome(batch) {
  if (typeof batch !== 'object' || typeof batch.batchId !== 'string' || !batch.batchId) throw new TypeError('commit: batch must be {batchId, instances, deleteJobIds}');
  checkBatchInstances(batch.instances ?? [], 'commit');
  const deleteJobIds = batch.deleteJobIds ?? [];
  if (!Array.isArray(deleteJobIds) || !deleteJobIds.every((id) => typeof id === 'string')) throw new TypeError('commit: batch.deleteJobIds must be an array of ids');
}

function checkBatchInstances(instances, where) {
  if (!Array.isArray(instances)) throw new TypeError(`${where}: instances must be an array`);
  const seen = new Set();
  for (const r of instances) {
    if (typeof r?.processInstanceId !== 'string' || !r.processInstanceId) throw new TypeError(`${where}: every batch instance row needs a processInstanceId`);
    if (!BATCH_INSTANCE_STATES.includes(r.state)) throw new TypeError(`${where}: batch instance ${r.processInstanceId} has state '${r.state}' (pending, done or failed)`);
    if (r.errorMessage != null && typeof r.errorMessage !== 'string') throw new TypeError(`${where}: batch instance ${r.processInstanceId}: errorMessage must be a string or null`);
    if (seen.has(r.processInstanceId)) throw new TypeError(`${where}: batch instance ${r.processInstanceId} is given twice`);
    seen.add(r.processInstanceId);
  }
}

/** A batch instance row as every store keeps it: these four fields, nothing else. */
export function batchInstanceRow(r, batchId) {
  return { batchId, processInstanceId: r.processInstanceId, state: r.state, errorMessage: r.errorMessage ?? null };
}

/** A batch job as put: owned by the batch, by no instance (its lock is the store's, set apart). */
export function batchJobRow(r, batchId) {
  const { lockOwner, lockExpirationTime, ...row } = r;
  return { ...row, batchId, processInstanceId: null };
}

/** A batch row's copy: remaining and configuration are not shared either. */
function copyBatch(row) {
  if (!row) return null;
  const out = { ...row };
  if (Array.isArray(row.remaining)) out.remaining = row.remaining.slice();
  if (row.configuration != null && typeof row.configuration === 'object') out.configuration = structuredClone(row.configuration);
  return out;
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
