// engine.js — the in-process engine: Camunda's services (repository, runtime, tasks, external
// tasks, jobs, messages, history) over the pure core (js/core.js) and a store (js/store/*.js).
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
// calls back while a command runs. Dates are epoch milliseconds; the REST layer formats them.

import { bpmnToModels } from './bpmn.js';
import { CoreError } from './core.js';
import { definitionDto, externalTaskDto, incidentDto, instanceDto, jobDto, taskDto } from './dto.js';
import { historyRows } from './history-rows.js';
import { MemoryStore } from './store/memory.js';

/** Thrown by a delegate to raise a BPMN error (caught by error boundary events / event subprocesses). */
export class BpmnError extends Error {
  constructor(errorCode, message = '') {
    super(message || errorCode);
    this.name = 'BpmnError';
    this.errorCode = errorCode;
    this.errorMessage = message || null;
  }
}

/** 32 random hex digits, the core's idSeed (and the source of deployment and definition ids). */
export function randomSeed() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Engine {
  /**
   * @param {object} options
   *   core      a Core from loadCore (required)
   *   store     the store (default: a new MemoryStore)
   *   clock     () → epoch ms (default Date.now)
   *   ids       () → 32 hex digits (default: crypto random); inject for deterministic ids
   *   delegates {name: fn} registered at once (see registerDelegate)
   */
  constructor({ core, store = new MemoryStore(), clock = Date.now, ids = randomSeed, delegates = {} } = {}) {
    if (!core) throw new TypeError('Engine: a core is required (loadCore)');
    this.core = core;
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.delegates = new Map(Object.entries(delegates));
    this.handles = new Map(); // definition id → compiled model handle
    this._invoke = (request) => this._invokeDelegate(request);
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

  // --- repository -------------------------------------------------------------------------------

  /**
   * Deploys BPMN XML: each executable process becomes a definition, versioned per key and tenant,
   * with a Camunda-style id `<key>:<version>:<uuid>`. All processes compile or nothing is stored.
   * → {id, name, source, deploymentTime, tenantId, deployedProcessDefinitions: {id: definition}}
   */
  async deploy(xml, { name = null, tenantId = null, source = null, resourceName = 'process.bpmn' } = {}) {
    let models;
    try {
      models = await bpmnToModels(xml);
    } catch (e) {
      throw e instanceof CoreError ? e : new CoreError('ParseException', e.message);
    }
    const now = this.clock();
    const deploymentId = this._uuid();
    const definitions = [];
    const compiled = [];
    try {
      const taken = new Map(); // key → version assigned in this deployment
      for (const m of models.filter((x) => x.isExecutable)) {
        const latest = taken.get(m.key) ?? (await this._latestVersion(m.key, tenantId));
        const version = latest + 1;
        taken.set(m.key, version);
        const uuid = this._uuid();
        let id = `${m.key}:${version}:${uuid}`;
        if (id.length > 64) id = uuid; // Camunda's rule: ids longer than 64 characters fall back to the uuid
        const model = { definition: { id, key: m.key, name: m.name ?? null, version, tenantId }, process: m.process };
        const { handle } = this.core.compile(model);
        compiled.push([id, handle]);
        definitions.push({
          id,
          key: m.key,
          category: null,
          description: null,
          name: m.name ?? null,
          version,
          resource: resourceName,
          deploymentId,
          diagram: null,
          suspended: false,
          tenantId,
          versionTag: m.versionTag ?? null,
          historyTimeToLive: m.historyTimeToLive ?? null,
          startableInTasklist: m.startableInTasklist ?? true,
          model,
        });
      }
    } catch (e) {
      for (const [, handle] of compiled) this.core.release(handle);
      throw e;
    }
    const deployment = { id: deploymentId, name, source, deploymentTime: now, tenantId, resources: { [resourceName]: xml } };
    await this.store.putDeployment(deployment);
    for (const d of definitions) await this.store.putDefinition(d);
    for (const [id, handle] of compiled) this.handles.set(id, handle);
    const { resources, ...dto } = deployment;
    return { ...dto, deployedProcessDefinitions: Object.fromEntries(definitions.map((d) => [d.id, definitionDto(d)])) };
  }

  async processDefinitions(query = {}) {
    return (await this.store.definitions(query)).map(definitionDto);
  }

  async processDefinition(id) {
    const d = await this.store.getDefinition(id);
    if (!d) throw new CoreError('NotFoundException', `No matching definition with id ${id}`);
    return definitionDto(d);
  }

  /** The latest version of `key` (of `tenantId`, or without tenant when none is given). */
  async latestDefinition(key, { tenantId = null } = {}) {
    const defs = await this.store.definitions({ key, tenantId });
    if (!defs.length) throw new CoreError('NotFoundException', `No process definition found with key '${key}'`);
    return definitionDto(defs.reduce((a, b) => (b.version > a.version ? b : a)));
  }

  // --- starting instances -----------------------------------------------------------------------

  async startProcessInstanceByKey(key, options = {}) {
    const def = await this.latestDefinition(key, { tenantId: options.tenantId ?? null });
    return this.startProcessInstanceById(def.id, options);
  }

  /**
   * Starts an instance: {businessKey, variables, startInstructions, skipCustomListeners,
   * skipIoMappings, restartedProcessInstanceId} → ProcessInstanceDto-like {id, definitionId, ...}.
   */
  async startProcessInstanceById(definitionId, options = {}) {
    const def = await this.store.getDefinition(definitionId);
    if (!def) throw new CoreError('NotFoundException', `No process definition found for id '${definitionId}'`);
    if (def.suspended) {
      throw new CoreError('SuspendedEntityInteractionException', `Process definition ${definitionId} is suspended`);
    }
    const command = {
      command: 'start',
      businessKey: options.businessKey ?? null,
      variables: options.variables ?? {},
      skipCustomListeners: !!options.skipCustomListeners,
      skipIoMappings: !!options.skipIoMappings,
      tenantId: def.tenantId ?? null,
    };
    if (options.startInstructions) command.startInstructions = options.startInstructions;
    if (options.restartedProcessInstanceId) command.restartedProcessInstanceId = options.restartedProcessInstanceId;
    const row = { id: null, revision: 0, processDefinitionId: def.id, processDefinitionKey: def.key, tenantId: def.tenantId ?? null };
    const { result, state } = await this._run(row, command);
    return {
      id: result.processInstanceId,
      definitionId: def.id,
      definitionKey: def.key,
      businessKey: state.businessKey ?? null,
      caseInstanceId: null,
      ended: !!state.ended,
      suspended: !!state.suspended,
      tenantId: def.tenantId ?? null,
    };
  }

  // --- process instances --------------------------------------------------------------------------

  /** Running instances: {processInstanceId, businessKey, processDefinitionId, processDefinitionKey, activityId, ...}. */
  async processInstances(query = {}) {
    const { processInstanceId, activityId, ...rest } = query;
    const filter = { ...rest, id: processInstanceId, activityIds: activityId === undefined ? undefined : { has: activityId } };
    return (await this.store.instances(filter)).map(instanceDto);
  }

  async processInstance(id) {
    return instanceDto(await this._instance(id));
  }

  /** Camunda's activity instance tree (ActivityInstanceDto). */
  async activityInstances(processInstanceId) {
    const row = await this._instance(processInstanceId);
    return (await this._run(row, { command: 'activityInstances' })).result;
  }

  /**
   * Deletes a running instance: {reason, skipCustomListeners, skipIoMappings,
   * externallyTerminated (default true)}. Its history stays.
   */
  async deleteProcessInstance(id, { reason = null, skipCustomListeners = false, skipIoMappings = false, externallyTerminated = true } = {}) {
    const row = await this.store.getInstance(id);
    if (!row) throw new CoreError('NotFoundException', `No process instance found for id '${id}'`);
    await this._run(row, { command: 'delete', deleteReason: reason, skipCustomListeners, skipIoMappings, externallyTerminated });
  }

  // --- variables ----------------------------------------------------------------------------------

  /** The variables visible from a process instance or execution (typed map); {local} for its own only. */
  async variables(executionId, { local = false } = {}) {
    const row = await this._instanceOfExecution(executionId);
    const command = { command: 'variables', local };
    if (executionId !== row.id) command.executionId = executionId;
    return (await this._run(row, command)).result;
  }

  /** The variables visible from a user task (task-local ones first). */
  async taskVariables(taskId, { local = false } = {}) {
    const task = await this._indexRow('tasks', taskId, `Cannot find task with id ${taskId}: task is null`);
    const row = await this._instance(task.processInstanceId);
    return (await this._run(row, { command: 'variables', taskId, local })).result;
  }

  /**
   * Sets variables (a typed map) on an instance or execution: with {local} on that execution,
   * otherwise where each one already exists, else on the process instance (Camunda's scoping).
   */
  async setVariables(executionId, variables, { local = false } = {}) {
    await this.modifyVariables(executionId, { modifications: variables, local });
  }

  async removeVariable(executionId, name, { local = false } = {}) {
    await this.modifyVariables(executionId, { deletions: [name], local });
  }

  /** Updates first, then deletions, as POST /process-instance/{id}/variables does. */
  async modifyVariables(executionId, { modifications = {}, deletions = [], local = false } = {}) {
    const row = await this._instanceOfExecution(executionId);
    const command = { command: 'modifyVariables', modifications, deletions, local };
    if (executionId !== row.id) command.executionId = executionId;
    await this._run(row, command);
  }

  // --- user tasks ---------------------------------------------------------------------------------

  /** User tasks (TaskDto-like); the query holds TaskDto fields, or `taskId`. */
  async tasks(query = {}) {
    const { taskId, ...rest } = query;
    return (await this.store.rows('tasks', { ...rest, id: taskId })).map(taskDto);
  }

  async task(taskId) {
    return taskDto(await this._indexRow('tasks', taskId, `Cannot find task with id ${taskId}: task is null`));
  }

  async completeTask(taskId, variables = {}, { localVariables } = {}) {
    const task = await this._indexRow('tasks', taskId, `Cannot find task with id ${taskId}: task is null`);
    const command = { command: 'completeTask', taskId, variables };
    if (localVariables) command.localVariables = localVariables;
    await this._run(await this._instance(task.processInstanceId), command);
  }

  // --- external tasks -----------------------------------------------------------------------------

  async externalTasks(query = {}) {
    const { externalTaskId, ...rest } = query;
    return (await this.store.rows('externalTasks', { ...rest, id: externalTaskId })).map(externalTaskDto);
  }

  /**
   * Locks up to maxTasks available external tasks of the given topics for workerId:
   * {workerId, maxTasks, usePriority, topics: [{topicName, lockDuration, variables,
   * businessKey, processDefinitionId(In), processDefinitionKey(In), tenantIdIn, withoutTenantId,
   * processVariables}]} → LockedExternalTaskDto-like objects (with `variables`).
   */
  async fetchAndLock({ workerId, maxTasks = 1, usePriority = false, topics = [] } = {}) {
    if (!workerId) throw new CoreError('BadUserRequestException', 'workerId is null');
    const now = this.clock();
    const byTopic = new Map(topics.map((t) => [t.topicName, t]));
    const candidates = (await this.store.rows('externalTasks', { topicName: { in: [...byTopic.keys()] }, suspended: false }))
      .filter((t) => (t.lockExpirationTime == null || t.lockExpirationTime <= now) && (t.retries == null || t.retries > 0))
      .sort((a, b) => (usePriority ? b.priority - a.priority : 0) || a.createTime - b.createTime);
    const locked = [];
    for (const candidate of candidates) {
      if (locked.length >= maxTasks) break;
      const topic = byTopic.get(candidate.topicName);
      if (!(await this._topicAccepts(topic, candidate))) continue;
      let row;
      let run;
      try {
        row = await this._instance(candidate.processInstanceId);
        run = await this._run(row, {
          command: 'lockExternalTask',
          externalTaskId: candidate.id,
          workerId,
          lockDuration: topic.lockDuration,
        });
      } catch (e) {
        // Someone else got it first (or the instance moved on): try the next one, as Camunda does.
        if (e instanceof CoreError && ['OptimisticLockingException', 'NotFoundException'].includes(e.type)) continue;
        throw e;
      }
      const fresh = run.index?.externalTasks?.find((t) => t.id === candidate.id) ?? candidate;
      const variables = run.result?.variables ?? {};
      const wanted = topic.variables;
      const dto = {
        ...externalTaskDto({ ...fresh, workerId, lockExpirationTime: fresh.lockExpirationTime ?? now + topic.lockDuration }),
        errorDetails: fresh.errorDetails ?? null,
        variables: Array.isArray(wanted) ? pick(variables, wanted) : variables,
        extensionProperties: {},
      };
      locked.push(dto);
    }
    return locked;
  }

  async completeExternalTask(externalTaskId, { workerId, variables = {}, localVariables = {} } = {}) {
    await this._onExternalTask(externalTaskId, { command: 'completeExternalTask', externalTaskId, workerId, variables, localVariables });
  }

  /** {workerId, errorMessage, errorDetails, retries, retryTimeout}: at 0 retries an incident is raised. */
  async handleFailure(externalTaskId, { workerId, errorMessage = null, errorDetails = null, retries = 0, retryTimeout = 0 } = {}) {
    await this._onExternalTask(externalTaskId, {
      command: 'failExternalTask',
      externalTaskId,
      workerId,
      errorMessage,
      errorDetails,
      retries,
      retryTimeout,
    });
  }

  async extendLock(externalTaskId, { workerId, newDuration } = {}) {
    await this._onExternalTask(externalTaskId, { command: 'extendLock', externalTaskId, workerId, newDuration });
  }

  async handleBpmnError(externalTaskId, { workerId, errorCode, errorMessage = null, variables = {} } = {}) {
    await this._onExternalTask(externalTaskId, {
      command: 'bpmnErrorExternalTask',
      externalTaskId,
      workerId,
      errorCode,
      errorMessage,
      variables,
    });
  }

  async _onExternalTask(externalTaskId, command) {
    const task = await this._indexRow('externalTasks', externalTaskId, `External task with id ${externalTaskId} does not exist`);
    await this._run(await this._instance(task.processInstanceId), command);
  }

  async _topicAccepts(topic, task) {
    const inList = (list, v) => !Array.isArray(list) || list.includes(v);
    if (topic.processDefinitionId != null && topic.processDefinitionId !== task.processDefinitionId) return false;
    if (topic.processDefinitionKey != null && topic.processDefinitionKey !== task.processDefinitionKey) return false;
    if (!inList(topic.processDefinitionIdIn, task.processDefinitionId)) return false;
    if (!inList(topic.processDefinitionKeyIn, task.processDefinitionKey)) return false;
    if (!inList(topic.tenantIdIn, task.tenantId)) return false;
    if (topic.withoutTenantId && task.tenantId != null) return false;
    if (topic.businessKey != null && topic.businessKey !== task.businessKey) return false;
    if (topic.processVariables && Object.keys(topic.processVariables).length) {
      const vars = await this.variables(task.processInstanceId);
      for (const [name, value] of Object.entries(topic.processVariables)) {
        if (!vars[name] || vars[name].value !== value) return false;
      }
    }
    return true;
  }

  // --- jobs ---------------------------------------------------------------------------------------

  /** Jobs (JobDto-like); the query holds index fields: jobId, processInstanceId, activityId, ... */
  async jobs(query = {}) {
    const { jobId, ...rest } = query;
    return (await this.store.rows('jobs', { ...rest, id: jobId })).map(jobDto);
  }

  /**
   * Runs one job now, whatever its due date. As Camunda's managementService.executeJob, a job
   * that fails is recorded (retries − 1, exception message, an incident at 0 retries) and the
   * failure is then thrown as a CoreError.
   */
  async executeJob(jobId) {
    const result = await this._executeJob(jobId);
    if (result?.failed) throw new CoreError('ProcessEngineException', result.message ?? `Job ${jobId} failed`);
  }

  async _executeJob(jobId) {
    const job = await this._indexRow('jobs', jobId, `No job found with id '${jobId}'`);
    return (await this._run(await this._instance(job.processInstanceId), { command: 'executeJob', jobId })).result;
  }

  /**
   * Executes due jobs (due date ≤ clock, retries left, not suspended) until none is due, as a job
   * executor would. Failures are recorded and do not stop the run. → {executed, failed}.
   */
  async runDueJobs({ maxRounds = 1000 } = {}) {
    let executed = 0;
    let failed = 0;
    const broken = new Set(); // jobs the core refused outright: retrying them would loop
    for (let round = 0; ; round++) {
      const now = this.clock();
      const due = (await this.store.rows('jobs', { suspended: false })).filter(
        (j) => j.retries > 0 && (j.dueDate == null || j.dueDate <= now) && !broken.has(j.id),
      );
      if (!due.length) return { executed, failed };
      if (round >= maxRounds) throw new Error(`runDueJobs: jobs are still due after ${maxRounds} rounds`);
      for (const job of due) {
        try {
          const result = await this._executeJob(job.id);
          if (result?.failed) failed++;
          else executed++;
        } catch (e) {
          if (!(e instanceof CoreError)) throw e;
          if (e.type !== 'OptimisticLockingException' && e.type !== 'NotFoundException') broken.add(job.id);
        }
      }
    }
  }

  // --- messages -----------------------------------------------------------------------------------

  /**
   * Correlates a message to waiting executions (receive tasks, message catch and boundary events,
   * message event subprocesses; the core has no process-level message start events):
   * {businessKey, processInstanceId, tenantId, processVariables, processVariablesLocal, all}.
   * → [{resultType: 'Execution', execution: {id, processInstanceId, ended, tenantId}, processInstance: null}]
   */
  async correlateMessage(messageName, options = {}) {
    const { businessKey, processInstanceId, tenantId, processVariables = {}, processVariablesLocal = {}, all = false } = options;
    if (!messageName) throw new CoreError('BadUserRequestException', 'No message name supplied');
    const subs = await this.store.rows('subscriptions', { eventName: messageName, processInstanceId, tenantId });
    const byInstance = new Map();
    for (const s of subs) {
      const row = byInstance.get(s.processInstanceId)?.row ?? (await this.store.getInstance(s.processInstanceId));
      if (!row || (businessKey != null && row.businessKey !== businessKey)) continue;
      if (!byInstance.has(row.id)) byInstance.set(row.id, { row, subscriptions: [] });
      byInstance.get(row.id).subscriptions.push(s);
    }
    const matches = [...byInstance.values()].reduce((n, x) => n + x.subscriptions.length, 0);
    if (matches > 1 && !all) {
      throw new CoreError(
        'MismatchingMessageCorrelationException',
        `Cannot correlate a message with name '${messageName}' to a single execution. ${matches} executions match the correlation keys: ` +
          `CorrelationSet [businessKey=${businessKey ?? null}, processInstanceId=${processInstanceId ?? null}, processDefinitionId=null, correlationKeys=null, localCorrelationKeys=null, tenantId=${tenantId ?? null}, isTenantIdSet=${tenantId != null}, isExecutionsOnly=false]`,
      );
    }
    const results = [];
    for (const { row } of byInstance.values()) {
      const { result, state } = await this._run(row, { command: 'correlateMessage', messageName, processVariables, processVariablesLocal, all });
      for (const id of result?.executionIds ?? []) {
        results.push({ resultType: 'Execution', execution: { id, processInstanceId: row.id, ended: !!state?.ended, tenantId: row.tenantId ?? null }, processInstance: null });
      }
    }
    if (!results.length) throw noCorrelation(messageName);
    return results;
  }

  // --- incidents and history ----------------------------------------------------------------------

  async incidents(query = {}) {
    const { incidentId, ...rest } = query;
    return (await this.store.rows('incidents', { ...rest, id: incidentId })).map(incidentDto);
  }

  async historicProcessInstances(query = {}) {
    const { processInstanceId, finished, unfinished, ...rest } = query;
    return (await this.store.history('processInstance', { ...rest, id: processInstanceId }))
      .filter((r) => (!finished || r.endTime != null) && (!unfinished || r.endTime == null));
  }

  async historicActivityInstances(query = {}) {
    const { activityInstanceId, finished, unfinished, ...rest } = query;
    return (await this.store.history('activityInstance', { ...rest, id: activityInstanceId }))
      .filter((r) => (!finished || r.endTime != null) && (!unfinished || r.endTime == null));
  }

  /** Historic variable instances; deleted ones only with {includeDeleted: true}, as Camunda. */
  async historicVariableInstances(query = {}) {
    const { variableName, includeDeleted = false, ...rest } = query;
    return (await this.store.history('variableInstance', { ...rest, name: variableName, state: includeDeleted ? undefined : 'CREATED' }));
  }

  /** Historic details: one variable update per set value, `initial` on an instance's initial values. */
  async historicDetails(query = {}) {
    return this.store.history('detail', query);
  }

  async historicTaskInstances(query = {}) {
    const { taskId, finished, unfinished, ...rest } = query;
    return (await this.store.history('taskInstance', { ...rest, id: taskId }))
      .filter((r) => (!finished || r.endTime != null) && (!unfinished || r.endTime == null));
  }

  async historicIncidents(query = {}) {
    const { incidentId, ...rest } = query;
    return this.store.history('incident', { ...rest, id: incidentId });
  }

  // --- the one path every command takes -------------------------------------------------------------

  /**
   * Runs `command` on the instance `row` ({id, revision, state, processDefinitionId, ...}; id null
   * for start) and commits what it changed. → the core's output ({state, history, index, result},
   * or {result} for queries).
   */
  async _run(row, command) {
    const handle = await this._handle(row.processDefinitionId);
    const now = this.clock();
    const doc = { ...command, now, idSeed: this.ids() };
    if (row.state) doc.state = row.state;
    this.core.setHostInvoke(this._invoke);
    const out = this.core.execute(handle, doc);
    if (out.state) await this._commit(row, out);
    return out;
  }

  async _commit(row, out) {
    const { state, index = {} } = out;
    const instanceId = state.id;
    const context = {
      processDefinitionId: row.processDefinitionId,
      processDefinitionKey: row.processDefinitionKey,
      tenantId: state.tenantId ?? row.tenantId ?? null,
      rootProcessInstanceId: instanceId,
    };
    const history = await historyRows(out.history ?? [], context, this.store, () => this._uuid());
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
      await this.store.commit({ instanceId, revision: row.revision ?? 0, instance, index, history });
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

  async _latestVersion(key, tenantId) {
    return (await this.store.definitions({ key, tenantId })).reduce((v, d) => Math.max(v, d.version), 0);
  }

  _uuid() {
    const h = this.ids();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  // The core's host hook: run the named delegate and translate its outcome into a reply.
  _invokeDelegate(request) {
    const fn = this.delegates.get(request.delegate);
    if (!fn) return null;
    const execution = delegateExecution(request);
    try {
      const returned = fn(execution);
      if (returned && typeof returned.then === 'function') {
        return { error: { message: `Delegate '${request.delegate}' returned a promise: delegates must be synchronous` } };
      }
      return { variables: { ...execution.changes, ...typedMap(returned) } };
    } catch (e) {
      // what the delegate set before throwing stays, for the error path (as in Camunda)
      if (e instanceof BpmnError) {
        return { bpmnError: { errorCode: e.errorCode, errorMessage: e.errorMessage }, variables: execution.changes };
      }
      return { error: { message: e?.message ?? String(e) } };
    }
  }
}

// --- delegates ------------------------------------------------------------------------------------

/** What a delegate sees: the request's fields plus getVariable / setVariable, like DelegateExecution. */
function delegateExecution(request) {
  const info = request.execution ?? request;
  const variables = request.variables ?? {};
  const changes = {};
  return {
    delegate: request.delegate,
    event: request.event,
    eventName: request.event,
    activityId: info.activityId ?? null,
    executionId: info.executionId ?? info.id ?? null,
    processInstanceId: info.processInstanceId ?? null,
    businessKey: info.businessKey ?? null,
    variables,
    changes,
    getVariable(name) {
      if (name in changes) return changes[name].value;
      return variables[name]?.value ?? null;
    },
    getVariableTyped(name) {
      return changes[name] ?? variables[name] ?? null;
    },
    setVariable(name, value, type) {
      changes[name] = type ? { value, type } : { value };
    },
  };
}

// Plain values become {value} (the core infers the type); {value, type} objects stay typed.
function typedMap(map) {
  if (!map || typeof map !== 'object') return {};
  const out = {};
  for (const [name, v] of Object.entries(map)) {
    out[name] = v !== null && typeof v === 'object' && 'value' in v && 'type' in v ? v : { value: v };
  }
  return out;
}

function noCorrelation(messageName) {
  return new CoreError(
    'MismatchingMessageCorrelationException',
    `Cannot correlate message '${messageName}': No process definition or execution matches the parameters`,
  );
}

function pick(map, names) {
  const out = {};
  for (const n of names) if (n in map) out[n] = map[n];
  return out;
}
