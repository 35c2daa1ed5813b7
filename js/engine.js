// engine.js — the in-process engine: Camunda's services (repository, runtime, tasks, external
// tasks, jobs, messages, history) over the pure core (js/core.js) and a store (js/store/*.js).
//
// The Engine class is the facade: it holds the state every service shares (core, store, clock,
// ids, compiled models, delegates), lists every method with a line on what it does and the file
// under js/engine/ that implements it (a function of the same name taking the engine first), and
// owns the one path every command takes (_run, _attempt, _commit below).
//
// Every instance-level operation is the same three steps:
//   1. read the instance row (its state document and revision) from the store;
//   2. run one core command on it, passing `now` (the clock) and a fresh `idSeed`;
//   3. commit the new document, its index rows and the history rows built from the command's
//      history events, as one store transaction that checks the revision read in step 1.
// A command the core refuses changes nothing (the core's contract), and nothing is committed
// before the core has answered, so a failing delegate leaves the store exactly as it was.
//
// Delegates (camunda:class, delegateExpression, listeners) are synchronous JS functions the core
// calls back while a command runs (js/engine/delegates.js). Dates are epoch milliseconds; the
// REST layer formats them.

import * as Batches from './batch/index.js';
import { CoreError } from './core.js';
import * as Definitions from './engine/definitions.js';
import { invokeDelegate } from './engine/delegates.js';
import * as Deployments from './engine/deployments.js';
import * as ExternalTasks from './engine/external-tasks.js';
import * as History from './engine/history.js';
import * as Jobs from './engine/jobs.js';
import * as Messages from './engine/messages.js';
import * as ProcessInstances from './engine/process-instances.js';
import * as Restart from './engine/restart.js';
import * as Tasks from './engine/tasks.js';
import * as Variables from './engine/variables.js';
import { historyRows } from './history-rows.js';
import { randomSeed, timeOrderedUuid } from './ids.js';
import { MemoryStore } from './store/memory.js';

export { BpmnError } from './engine/delegates.js';

export class Engine {
  /**
   * @param {object} options
   *   core      a Core from loadCore (required)
   *   store     the store (default: a new MemoryStore)
   *   clock     () → epoch ms (default Date.now)
   *   ids       () → 32 hex digits (default: crypto random); inject for deterministic ids
   *   delegates {name: fn} registered at once (see registerDelegate)
   *   conflictRetries  0 (default): the second of two commands computed from one revision fails
   *             with OptimisticLockingException; n: commands on one instance queue up in this
   *             process and a conflict with another process re-runs the command up to n times
   *             (see "concurrency" below)
   *   batch     {batchJobsPerSeed (100), invocationsPerBatchJob (1), batchPollTimeMs (30000)}:
   *             the batch settings (js/batch/, docs/batches.md); js/main.js reads them from the environment
   */
  constructor({ core, store = new MemoryStore(), clock = Date.now, ids = randomSeed, delegates = {}, conflictRetries = 0, batch = {} } = {}) {
    if (!core) throw new TypeError('Engine: a core is required (loadCore)');
    this.core = core;
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.delegates = new Map(Object.entries(delegates));
    this.handles = new Map(); // definition id → compiled model handle
    this._invoke = (request) => invokeDelegate(this.delegates, request);
    this.conflictRetries = conflictRetries;
    this.retriedConflicts = 0; // conflicts re-run by _run: observability, how often it happens
    this._instanceQueues = new Map(); // instance id → the last command queued on it (_exclusive)
    this._jobListeners = new Set(); // onJobsCommitted listeners
    this._jobDefinitionCache = new Map(); // definition id → its job definitions (definitions.js)
    this.batchOptions = { ...batch }; // js/batch/batches.js batchSettings()
  }

  /**
   * fn(execution) runs synchronously when the core calls delegate `name`. It may return a map of
   * variables to set (plain values, or typed {value, type}), throw a BpmnError, or throw anything
   * else (the command fails with its message).
   */
  registerDelegate(name, fn) {
    this.delegates.set(name, fn);
  }

  /** Releases the compiled models this engine holds. */
  close() {
    for (const handle of this.handles.values()) this.core.release(handle);
    this.handles.clear();
  }

  // --- deployments (js/engine/deployments.js) ---------------------------------------------------

  /** Deploys one BPMN XML resource: {name, tenantId, source, resourceName} → deployment with its definitions. */
  deploy(xml, options) { return Deployments.deploy(this, xml, options); }
  /** Deploys resources as DeploymentBuilder.deployWithResult (duplicate filtering, activation time). */
  deployResources(options) { return Deployments.deployResources(this, options); }
  /** Deployments (DeploymentDto fields) matching a store filter. */
  deployments(filter) { return Deployments.deployments(this, filter); }
  /** A deployment's resources [{id, name, deploymentId}]; null for an unknown deployment. */
  deploymentResources(deploymentId) { return Deployments.deploymentResources(this, deploymentId); }
  /** One resource's bytes (a Buffer) by resource id, or null. */
  deploymentResourceData(deploymentId, resourceId) { return Deployments.deploymentResourceData(this, deploymentId, resourceId); }
  /** The BPMN XML a definition was deployed from. */
  processDefinitionXml(definitionId) { return Deployments.processDefinitionXml(this, definitionId); }
  /** Deletes a deployment and its definitions: {cascade (their instances and history too), skip...}. */
  deleteDeployment(id, options) { return Deployments.deleteDeployment(this, id, options); }

  // --- process definitions and job definitions (js/engine/definitions.js) ------------------------

  /** Definitions (ProcessDefinitionDto-like) matching a store filter. */
  processDefinitions(query) { return Definitions.processDefinitions(this, query); }
  /** One definition by id (NotFoundException if none). */
  processDefinition(id) { return Definitions.processDefinition(this, id); }
  /** The latest version of a key, of {tenantId} or of no tenant. */
  latestDefinition(key, options) { return Definitions.latestDefinition(this, key, options); }
  /** Activates the definitions whose deployment activation time has come. */
  activateDueDefinitions() { return Definitions.activateDueDefinitions(this); }
  /** Suspends or activates a definition and its job definitions ({includeProcessInstances}: its instances too). */
  setProcessDefinitionSuspended(id, suspended, options) { return Definitions.setProcessDefinitionSuspended(this, id, suspended, options); }
  /** Per activity of a definition: running instances, {failedJobs}, {incidents} by type. */
  activityStatistics(definitionId, options) { return Definitions.activityStatistics(this, definitionId, options); }
  /** Job definitions (JobDefinitionDto) matching a query. */
  jobDefinitions(query) { return Definitions.jobDefinitions(this, query); }

  // --- process instances (js/engine/process-instances.js) ----------------------------------------

  /** Starts the latest version of a key, with the options of startProcessInstanceById. */
  startProcessInstanceByKey(key, options) { return ProcessInstances.startProcessInstanceByKey(this, key, options); }
  /** Starts an instance: {businessKey, variables, startInstructions, ...} → ProcessInstanceDto-like. */
  startProcessInstanceById(definitionId, options) { return ProcessInstances.startProcessInstanceById(this, definitionId, options); }
  /** Running instances (ProcessInstanceDto-like) matching a query. */
  processInstances(query) { return ProcessInstances.processInstances(this, query); }
  /** One running instance (NotFoundException if none). */
  processInstance(id) { return ProcessInstances.processInstance(this, id); }
  /** Running instances with the facts the REST instance query filters on (incidents, activities, variables). */
  processInstanceCandidates(filter, options) { return ProcessInstances.processInstanceCandidates(this, filter, options); }
  /** Camunda's activity instance tree of a running instance. */
  activityInstances(processInstanceId) { return ProcessInstances.activityInstances(this, processInstanceId); }
  /** Suspends (true, the default) or activates (false) a running instance. */
  suspendProcessInstance(id, suspended) { return ProcessInstances.suspendProcessInstance(this, id, suspended); }
  /** Deletes a running instance: {reason, skipCustomListeners, ...}; its history stays. */
  deleteProcessInstance(id, options) { return ProcessInstances.deleteProcessInstance(this, id, options); }
  /**
   * Modifies a running instance: {instructions, skipCustomListeners, skipIoMappings, annotation}
   * (semantics.md §1); {batch: {batchId, instances}}: the instance's outcome in its batch, committed
   * in the same transaction (js/batch/, docs/batches.md).
   */
  modifyProcessInstance(id, options) { return ProcessInstances.modifyProcessInstance(this, id, options); }

  // --- restart (js/engine/restart.js) -------------------------------------------------------------

  /**
   * Restarts ended historic instances as new instances of a definition, all or none: {instructions,
   * initialVariables, withoutBusinessKey, skipCustomListeners, skipIoMappings,
   * targetProcessDefinitionId} (semantics.md §2) → the new instances' ids.
   */
  restartProcessInstances(definitionId, historicIds, options) { return Restart.restartProcessInstances(this, definitionId, historicIds, options); }
  /** One restart, committed with `commit` (a batch job's outcome). → the new instance's id. */
  restartProcessInstance(definitionId, historicId, options, commit) { return Restart.restartProcessInstance(this, definitionId, historicId, options, commit); }

  // --- variables (js/engine/variables.js) --------------------------------------------------------

  /** The variables visible from an instance or execution (typed map); {local}: its own only. */
  variables(executionId, options) { return Variables.variables(this, executionId, options); }
  /** The variables visible from a user task. */
  taskVariables(taskId, options) { return Variables.taskVariables(this, taskId, options); }
  /** Sets variables where each exists, else on the instance; {local}: on the execution. */
  setVariables(executionId, variables, options) { return Variables.setVariables(this, executionId, variables, options); }
  /** Removes one variable. */
  removeVariable(executionId, name, options) { return Variables.removeVariable(this, executionId, name, options); }
  /** Updates, then deletions, in one command: {modifications, deletions, local}. */
  modifyVariables(executionId, changes) { return Variables.modifyVariables(this, executionId, changes); }
  /** An instance's own variables; from history once it ended. */
  processInstanceVariables(processInstanceId) { return Variables.processInstanceVariables(this, processInstanceId); }

  // --- user tasks (js/engine/tasks.js) -----------------------------------------------------------

  /** User tasks (TaskDto-like) matching a query. */
  tasks(query) { return Tasks.tasks(this, query); }
  /** One user task (NotFoundException if none). */
  task(taskId) { return Tasks.task(this, taskId); }
  /** Completes a user task with variables ({localVariables}: task-local ones). */
  completeTask(taskId, variables, options) { return Tasks.completeTask(this, taskId, variables, options); }

  // --- external tasks (js/engine/external-tasks.js) ----------------------------------------------

  /** External tasks (ExternalTaskDto-like) matching a query. */
  externalTasks(query) { return ExternalTasks.externalTasks(this, query); }
  /** Locks available tasks of the given topics for a worker → LockedExternalTaskDto-like objects. */
  fetchAndLock(request) { return ExternalTasks.fetchAndLock(this, request); }
  /** Completes a task the worker locked: {workerId, variables, localVariables}. */
  completeExternalTask(externalTaskId, options) { return ExternalTasks.completeExternalTask(this, externalTaskId, options); }
  /** Records a worker's failure: {workerId, errorMessage, retries, retryTimeout, ...}; an incident at 0 retries. */
  handleFailure(externalTaskId, options) { return ExternalTasks.handleFailure(this, externalTaskId, options); }
  /** Extends the lock of a task the worker holds: {workerId, newDuration}. */
  extendLock(externalTaskId, options) { return ExternalTasks.extendLock(this, externalTaskId, options); }
  /** Raises a BPMN error from a task the worker locked: {workerId, errorCode, errorMessage, variables}. */
  handleBpmnError(externalTaskId, options) { return ExternalTasks.handleBpmnError(this, externalTaskId, options); }

  // --- jobs (js/engine/jobs.js) ------------------------------------------------------------------

  /** Jobs (JobDto-like) matching a query. */
  jobs(query) { return Jobs.jobs(this, query); }
  /** Runs one job now; a failure is recorded, then thrown. */
  executeJob(jobId) { return Jobs.executeJob(this, jobId); }
  /** Runs due jobs until none is due → {executed, failed}. */
  runDueJobs(options) { return Jobs.runDueJobs(this, options); }
  /** Sets a job's retries ({dueDate}: and due date); resolves or raises its failedJob incident. */
  setJobRetries(jobId, retries, options) { return Jobs.setJobRetries(this, jobId, retries, options); }
  /** The job executor's entry: runs an acquired job and releases its lock → {outcome, message}. */
  executeAcquiredJob(job, options) { return Jobs.executeAcquiredJob(this, job, options); }

  // --- batches (js/batch/, docs/batches.md) ------------------------------------------------------

  /** Creates a batch: {type, processDefinitionId, instanceIds, configuration, tenantId, totalJobs, deploymentId} → the batch row. */
  createBatch(options) { return Batches.createBatch(this, options); }
  /** Batch rows (BatchDto fields, configuration, remaining) matching a store filter. */
  batches(filter) { return Batches.batches(this, filter); }
  /** One batch row, or null. */
  batch(id) { return Batches.batch(this, id); }
  /** Batch rows with remainingJobs, completedJobs and failedJobs (semantics.md §3.7). */
  batchStatistics(filter) { return Batches.batchStatistics(this, filter); }
  /** Suspends (true) or activates (false) a batch, its jobs and its job definitions. */
  setBatchSuspended(id, suspended) { return Batches.setBatchSuspended(this, id, suspended); }
  /** Deletes a batch, its jobs and job definitions: {cascade (its historic batch too)}. */
  deleteBatch(id, options) { return Batches.deleteBatch(this, id, options); }
  /** Historic batches (HistoricBatchDto fields) matching a store filter. */
  historicBatches(filter) { return Batches.historicBatches(this, filter); }
  /** Deletes a historic batch (BadUserRequestException if there is none). */
  deleteHistoricBatch(id) { return Batches.deleteHistoricBatch(this, id); }
  /** A batch's instances: [{processInstanceId, state: pending | done | failed, errorMessage}]. */
  batchInstances(batchId, filter) { return Batches.batchInstances(this, batchId, filter); }
  /** A batch's failed instances grouped by message: [{errorMessage, count, processInstanceIds}]. */
  batchFailures(batchId) { return Batches.batchFailures(this, batchId); }

  // --- messages (js/engine/messages.js) ----------------------------------------------------------

  /** Correlates a message to the executions waiting for it → [{resultType, execution, ...}]. */
  correlateMessage(messageName, options) { return Messages.correlateMessage(this, messageName, options); }

  // --- incidents and history (js/engine/history.js) ----------------------------------------------

  /** Open incidents (IncidentDto-like) matching a query. */
  incidents(query) { return History.incidents(this, query); }
  /** Historic process instances; {finished} / {unfinished} by end time. */
  historicProcessInstances(query) { return History.historicProcessInstances(this, query); }
  /** Historic activity instances; {finished} / {unfinished} by end time. */
  historicActivityInstances(query) { return History.historicActivityInstances(this, query); }
  /** Historic variable instances; deleted ones only with {includeDeleted}. */
  historicVariableInstances(query) { return History.historicVariableInstances(this, query); }
  /** Historic details: one variable update per set value. */
  historicDetails(query) { return History.historicDetails(this, query); }
  /** Historic user task instances; {finished} / {unfinished} by end time. */
  historicTaskInstances(query) { return History.historicTaskInstances(this, query); }
  /** Historic incidents, open and resolved. */
  historicIncidents(query) { return History.historicIncidents(this, query); }

  // --- the one path every command takes -------------------------------------------------------------

  /**
   * Runs `command` on the instance `row` ({id, revision, state, processDefinitionId, ...}; id null
   * for start) and commits what it changed, with `commit`'s extra fields (unlockJobIds; batch: the
   * instance's outcome in its batch, recorded in the same transaction — docs/batches.md). → the
   * core's output ({state, history, index, result}, or {result} for queries).
   */
  async _attempt(row, command, commit) {
    const out = await this._execute(row, command);
    if (out.state) await this._commit(row, out, commit);
    return out;
  }

  /** The core's output for `command` on `row`, nothing stored yet (_commit stores it). */
  async _execute(row, command) {
    const handle = await this._handle(row.processDefinitionId);
    const now = this.clock();
    const doc = { ...command, now, idSeed: this.ids() };
    if (row.state) doc.state = row.state;
    this.core.setHostInvoke(this._invoke);
    return this.core.execute(handle, doc);
  }

  async _commit(row, out, commit = {}) {
    const { state, index = {} } = out;
    const instanceId = state.id;
    const context = {
      processDefinitionId: row.processDefinitionId,
      processDefinitionKey: row.processDefinitionKey,
      tenantId: state.tenantId ?? row.tenantId ?? null,
      rootProcessInstanceId: instanceId,
    };
    const history = await historyRows(out.history ?? [], context, this.store, () => this._uuid());
    await Definitions.linkJobDefinitions(this, row.processDefinitionId, index, history);
    const instance = state.ended
      ? null // Camunda removes ended instances from the runtime; their history stays
      : {
          processDefinitionId: row.processDefinitionId,
          processDefinitionKey: row.processDefinitionKey,
          businessKey: state.businessKey ?? null,
          tenantId: context.tenantId,
          suspended: !!state.suspended,
          activityIds: index.activityIds ?? [],
          executionIds: (state.executions ?? []).map((e) => e.id),
          state,
        };
    try {
      await this.store.commit({ instanceId, revision: row.revision ?? 0, instance, index, history, ...commit });
      this._jobsCommitted(index.jobs);
    } catch (e) {
      if (e?.type === 'OptimisticLockingException') throw new CoreError('OptimisticLockingException', e.message);
      throw e;
    }
  }

  async _handle(definitionId) {
    let handle = this.handles.get(definitionId);
    if (handle !== undefined) return handle;
    // Deployed by another engine over the same store (or before a restart): compile it now.
    const def = await this.store.getDefinition(definitionId);
    if (!def) throw new CoreError('NotFoundException', `No process definition found for id '${definitionId}'`);
    handle = this.core.compile(def.model).handle;
    this.handles.set(definitionId, handle);
    return handle;
  }

  /**
   * listener(jobs) runs after every commit that leaves its instance with jobs (new, failed or still
   * waiting), so a job executor can wake at once instead of at its next poll. → unsubscribe().
   * Listeners must not throw: the commit has happened.
   */
  onJobsCommitted(listener) {
    this._jobListeners.add(listener);
    return () => this._jobListeners.delete(listener);
  }

  _jobsCommitted(jobs) {
    if (!jobs?.length || !this._jobListeners.size) return;
    for (const listener of this._jobListeners) listener(jobs);
  }

  // --- concurrency (the job executor: js/job-executor.js, Jobs.executeAcquiredJob) ------------------
  // Every command on an instance enters through _run. One instance is one document here, so
  // commands Camunda applies to different rows (two variables, two tasks of a parallel
  // multi-instance, a job and a variable update) conflict in Detour. With conflictRetries (the
  // service sets it) such commands keep Camunda's outcome: on one instance they run one at a time
  // in this process, and a conflict with another process re-runs the command on a fresh read.

  /** _attempt, queued per instance and retried on conflicts when conflictRetries > 0 (counted in retriedConflicts). */
  async _run(row, command, commit = {}) {
    if (!this.conflictRetries || !row.id) return this._attempt(row, command, commit);
    const retryable = !NOT_RETRIED.has(command.command);
    return this._exclusive(row.id, async (waited) => {
      // a command that waited for another one here would only conflict with its result: read anew
      let current = waited && retryable ? await this._instance(row.id) : row;
      for (let attempt = 0; ; attempt++) {
        try {
          return await this._attempt(current, command, commit);
        } catch (e) {
          if (!retryable || e?.type !== 'OptimisticLockingException' || attempt >= this.conflictRetries) throw e;
          this.retriedConflicts++;
          await sleep(conflictBackoff(attempt));
          current = await this._instance(row.id);
        }
      }
    });
  }

  // Runs fn(waited) after every earlier call for `id` in this engine has finished.
  async _exclusive(id, fn) {
    const previous = this._instanceQueues.get(id);
    let release;
    const mine = new Promise((resolve) => (release = resolve));
    this._instanceQueues.set(id, mine);
    if (previous) await previous;
    try {
      return await fn(previous !== undefined);
    } finally {
      release();
      if (this._instanceQueues.get(id) === mine) this._instanceQueues.delete(id);
    }
  }

  // --- rows and ids the services share --------------------------------------------------------------

  async _instance(id) {
    const row = await this.store.getInstance(id);
    if (!row) throw new CoreError('NotFoundException', `Process instance with id ${id} does not exist`);
    return row;
  }

  async _instanceOfExecution(executionId) {
    const row = (await this.store.getInstance(executionId)) ?? (await this.store.instances({ executionIds: { has: executionId } }))[0];
    if (!row) throw new CoreError('NotFoundException', `execution ${executionId} doesn't exist`);
    return row;
  }

  async _indexRow(kind, id, message) {
    const [row] = await this.store.rows(kind, { id });
    if (!row) throw new CoreError('NotFoundException', message);
    return row;
  }

  /** An id the host makes (deployment, batch, history row): time-ordered, as the core's. */
  _uuid() {
    return timeOrderedUuid(this.clock(), this.ids());
  }
}

// --- concurrency (see Engine._run) -----------------------------------------------------------------

// fetchAndLock chose its task from an earlier read and the core does not refuse a locked task: on
// a conflict it moves on to the next candidate rather than lock one another worker just locked.
const NOT_RETRIED = new Set(['lockExternalTask']);

// A few milliseconds, doubling up to 100, with jitter so two processes do not collide in step.
function conflictBackoff(attempt) {
  return Math.random() * Math.min(100, 5 * 2 ** attempt);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
