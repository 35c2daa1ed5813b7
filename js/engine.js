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
import { definitionDto, externalTaskDto, incidentDto, instanceDto, jobDefinitionDto, jobDto, taskDto } from './dto.js';
import { historyRows } from './history-rows.js';
import { jobDefinitionIdFor, jobDefinitionsOf } from './job-definitions.js';
import { MemoryStore, matches } from './store/memory.js';

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
   *   conflictRetries  0 (default): the second of two commands computed from one revision fails
   *             with OptimisticLockingException; n: commands on one instance queue up in this
   *             process and a conflict with another process re-runs the command up to n times
   *             (see "concurrency and the job executor" below)
   */
  constructor({ core, store = new MemoryStore(), clock = Date.now, ids = randomSeed, delegates = {}, conflictRetries = 0 } = {}) {
    if (!core) throw new TypeError('Engine: a core is required (loadCore)');
    this.core = core;
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.delegates = new Map(Object.entries(delegates));
    this.handles = new Map(); // definition id → compiled model handle
    this._invoke = (request) => this._invokeDelegate(request);
    this.conflictRetries = conflictRetries;
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
   * One resource of deployResources() (below), parsed as BPMN whatever its name.
   * → {id, name, source, deploymentTime, tenantId, deployedProcessDefinitions: {id: definition}}
   */
  async deploy(xml, { name = null, tenantId = null, source = null, resourceName = 'process.bpmn' } = {}) {
    const deployment = await this.deployResources({ name, tenantId, source, resources: [{ name: resourceName, content: xml, bpmn: true }] });
    return { ...deployment, deployedProcessDefinitions: deployment.deployedProcessDefinitions ?? {} };
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

  // --- deployments: resources, duplicate filtering, activation, queries ---------------------------
  // (Camunda's DeploymentBuilder — several resources, enableDuplicateFiltering / deployChangedOnly,
  // activateProcessDefinitionsOn — and the deployment and resource queries of the REST API.)

  /**
   * Deploys resources as Camunda's DeploymentBuilder.deployWithResult does:
   *   {name, source, tenantId, resources: [{name, content: string | Uint8Array, bpmn?}],
   *    duplicateFiltering, deployChangedOnly, activationTime (epoch ms or null)}
   * Resources named *.bpmn / *.bpmn20.xml (or marked bpmn) hold processes; every other resource
   * is only stored. With duplicate filtering, the resources are compared with the latest ones of
   * the same names in deployments of the same name (and tenant, and source or none): nothing
   * changed → the latest such deployment comes back and nothing is deployed; deployChangedOnly
   * deploys only the changed resources. With an activationTime the definitions are deployed
   * suspended and become active once the clock reaches it (_activateIfDue).
   * → {id, name, source, deploymentTime, tenantId, deployedProcessDefinitions: {id: definition} | null}
   *   (null when no definition was deployed, as for an existing deployment). A resource that
   *   does not parse throws a ParseException carrying its `resourceName`.
   */
  async deployResources(options = {}) {
    const { name = null, source = null, tenantId = null, activationTime = null } = options;
    const duplicateFiltering = !!(options.duplicateFiltering || options.deployChangedOnly);
    // one resource per name, the last one given winning (DeploymentBuilder keeps them in a map)
    const byName = new Map((options.resources ?? []).map((r) => [r.name, { name: r.name, bytes: resourceBytes(r.content), bpmn: !!r.bpmn }]));
    let resources = [...byName.values()];
    if (duplicateFiltering) {
      const previous = await this._latestResources({ name, source, tenantId }, resources.map((r) => r.name));
      const changed = resources.filter((r) => !previous.has(r.name) || !sameBytes(previous.get(r.name).bytes, r.bytes));
      if (!changed.length) return this._existingDeployment(resources.map((r) => previous.get(r.name).deploymentId));
      if (options.deployChangedOnly) resources = changed;
    }
    const deploymentId = this._uuid();
    const definitions = await this._definitionsOf(resources, { deploymentId, tenantId, activationTime });
    const deployment = {
      id: deploymentId,
      name,
      source,
      deploymentTime: this.clock(),
      tenantId,
      resources: Object.fromEntries(resources.map((r) => [r.name, storedResource(r.bytes)])),
      resourceIds: Object.fromEntries(resources.map((r) => [r.name, this._uuid()])),
    };
    await this.store.putDeployment(deployment);
    for (const { row } of definitions) await this.store.putDefinition(row);
    for (const { row, handle } of definitions) this.handles.set(row.id, handle);
    return {
      ...deploymentDto(deployment),
      deployedProcessDefinitions: definitions.length ? Object.fromEntries(definitions.map(({ row }) => [row.id, definitionDto(row)])) : null,
    };
  }

  /** Deployments (DeploymentDto fields, deploymentTime in epoch ms) matching a store filter. */
  async deployments(filter = {}) {
    return (await this.store.deployments(filter)).map(deploymentDto);
  }

  /** The deployment's resources as [{id, name, deploymentId}], in deployment order; null for an unknown deployment. */
  async deploymentResources(deploymentId) {
    const row = await this.store.getDeployment(deploymentId);
    if (!row) return null;
    return Object.keys(row.resources ?? {}).map((name) => ({ id: resourceIdOf(row, name), name, deploymentId }));
  }

  /** One resource's bytes (a Buffer) by resource id, or null. */
  async deploymentResourceData(deploymentId, resourceId) {
    const row = await this.store.getDeployment(deploymentId);
    const name = Object.keys(row?.resources ?? {}).find((n) => resourceIdOf(row, n) === resourceId);
    return name === undefined ? null : resourceBytes(row.resources[name]);
  }

  /** The BPMN XML a definition was deployed from (Camunda's getProcessModel). */
  async processDefinitionXml(definitionId) {
    const def = await this.store.getDefinition(definitionId);
    const deployment = def && (await this.store.getDeployment(def.deploymentId));
    const stored = deployment?.resources?.[def.resource];
    if (stored === undefined) throw new CoreError('NotFoundException', `No matching definition with id ${definitionId}`);
    return resourceBytes(stored).toString('utf8');
  }

  /**
   * Activates every definition whose deployment-activation-time has come (what Camunda's timer
   * job does at that time). Queries over definitions call it first, so they never show a
   * definition suspended past its activation time.
   */
  async activateDueDefinitions() {
    const pending = await this.store.definitions({ suspended: true, activationTime: { lte: this.clock() } });
    for (const def of pending) await this._activateIfDue(def);
  }

  /**
   * Suspends or activates a definition ({includeProcessInstances}: its running instances too),
   * as repositoryService.updateProcessDefinitionSuspensionState().byProcessDefinitionId() does:
   * its job definitions follow it; an unknown id changes nothing.
   */
  async setProcessDefinitionSuspended(definitionId, suspended, { includeProcessInstances = false } = {}) {
    const def = await this.store.getDefinition(definitionId);
    if (!def) return;
    const { activationTime, ...rest } = def; // an explicit change wins over a pending activation
    const jobDefinitions = (def.jobDefinitions ?? []).map((j) => ({ ...j, suspended: !!suspended }));
    await this.store.putDefinition({ ...rest, suspended: !!suspended, ...(def.jobDefinitions ? { jobDefinitions } : {}) });
    this._jobDefinitionCache?.delete(definitionId);
    if (!includeProcessInstances) return;
    for (const row of await this.store.instances({ processDefinitionId: definitionId })) {
      if (!!row.suspended !== !!suspended) await this.suspendProcessInstance(row.id, suspended);
    }
  }

  /**
   * Camunda's activity statistics of a definition (managementService.createActivityStatisticsQuery):
   * per activity, the running activity instances (active tokens, parked async continuations; not
   * scopes waiting for their children, not tokens waiting at a join), with {failedJobs} the jobs out
   * of retries and with {incidents} / {incidentType} the open incidents by type.
   * → [{id, instances, failedJobs, incidents: [{incidentType, incidentCount}]}] by activity id.
   */
  async activityStatistics(definitionId, { failedJobs = false, incidents = false, incidentType = null } = {}) {
    const stats = new Map();
    const entry = (id) => {
      if (!stats.has(id)) stats.set(id, { id, instances: 0, failedJobs: 0, incidents: new Map() });
      return stats.get(id);
    };
    for (const row of await this.store.instances({ processDefinitionId: definitionId })) {
      const active = new Set(row.activityIds ?? []);
      const tree = (await this._run(row, { command: 'activityInstances' })).result;
      for (const id of leafActivityIds(tree)) if (active.has(id)) entry(id).instances++;
    }
    if (failedJobs) {
      for (const job of await this.store.rows('jobs', { processDefinitionId: definitionId, retries: 0 })) {
        if (job.activityId != null) entry(job.activityId).failedJobs++;
      }
    }
    if (incidents || incidentType != null) {
      const filter = { processDefinitionId: definitionId, ...(incidentType != null ? { incidentType } : {}) };
      for (const incident of await this.store.rows('incidents', filter)) {
        if (incident.activityId == null) continue;
        const byType = entry(incident.activityId).incidents;
        byType.set(incident.incidentType, (byType.get(incident.incidentType) ?? 0) + 1);
      }
    }
    return [...stats.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => ({ ...s, incidents: [...s.incidents].map(([type, incidentCount]) => ({ incidentType: type, incidentCount })) }));
  }

  /** The definition row, active if its activation time has come (stored so). */
  async _activateIfDue(def) {
    if (!def?.suspended || def.activationTime == null || def.activationTime > this.clock()) return def;
    const { activationTime, ...active } = def;
    active.suspended = false;
    await this.store.putDefinition(active);
    return active;
  }

  /**
   * Parses and compiles the BPMN resources into definition rows ({row, handle}); all compile or
   * none is kept. Versions count per key and tenant; two processes with one key are refused.
   */
  async _definitionsOf(resources, { deploymentId, tenantId, activationTime }) {
    const out = [];
    const keys = new Set(); // the keys this deployment defines
    try {
      for (const resource of resources.filter((r) => r.bpmn || isBpmnResource(r.name))) {
        try {
          for (const m of (await parseBpmn(resource.bytes)).filter((x) => x.isExecutable)) {
            if (keys.has(m.key)) {
              throw new CoreError('ProcessEngineException', `The deployment contains definitions with the same key '${m.key}' (id attribute), this is not allowed`);
            }
            keys.add(m.key);
            const version = (await this._latestVersion(m.key, tenantId)) + 1;
            out.push(this._compileDefinition(m, { version, resource: resource.name, deploymentId, tenantId, activationTime }));
          }
        } catch (e) {
          if (e instanceof CoreError && e.type === 'ParseException') e.resourceName ??= resource.name; // for ParseExceptionDto.details
          throw e;
        }
      }
    } catch (e) {
      for (const { handle } of out) this.core.release(handle);
      throw e;
    }
    return out;
  }

  /** One executable process as a definition row with a Camunda-style id `<key>:<version>:<uuid>`. */
  _compileDefinition(m, { version, resource, deploymentId, tenantId, activationTime }) {
    const uuid = this._uuid();
    let id = `${m.key}:${version}:${uuid}`;
    if (id.length > 64) id = uuid; // Camunda's rule: ids longer than 64 characters fall back to the uuid
    const model = { definition: { id, key: m.key, name: m.name ?? null, version, tenantId }, process: m.process };
    const { handle } = this.core.compile(model);
    const row = {
      id,
      key: m.key,
      category: null,
      description: null,
      name: m.name ?? null,
      version,
      resource,
      deploymentId,
      diagram: null,
      suspended: activationTime != null, // deployment-activation-time: suspended until then
      tenantId,
      versionTag: m.versionTag ?? null,
      historyTimeToLive: m.historyTimeToLive ?? null,
      startableInTasklist: m.startableInTasklist ?? true,
      model,
      jobDefinitions: jobDefinitionsOf(m.process, {
        processDefinitionId: id,
        processDefinitionKey: m.key,
        tenantId,
        deploymentId,
        uuid: () => this._uuid(),
      }),
    };
    if (activationTime != null) row.activationTime = activationTime;
    return { row, handle };
  }

  /**
   * The latest resource of each name among the deployments duplicate filtering compares with
   * (Camunda's findLatestResourcesByDeploymentName): same name and tenant, and the same source or
   * none (only none when the new one has none). → Map(name → {bytes, deploymentId}).
   */
  async _latestResources({ name, source, tenantId }, names) {
    const latest = new Map();
    if (name == null) return latest; // SQL's NAME_ = null matches nothing
    const candidates = (await this.store.deployments({ name, tenantId }))
      .filter((d) => d.source == null || (source != null && d.source === source))
      .sort((a, b) => a.deploymentTime - b.deploymentTime);
    for (const d of candidates) {
      for (const resourceName of names) {
        const stored = d.resources?.[resourceName];
        if (stored !== undefined) latest.set(resourceName, { bytes: resourceBytes(stored), deploymentId: d.id });
      }
    }
    return latest;
  }

  /** Duplicate filtering found nothing new: the latest deployment the resources come from, without definitions. */
  async _existingDeployment(deploymentIds) {
    const rows = [];
    for (const id of new Set(deploymentIds)) rows.push(await this.store.getDeployment(id));
    const latest = rows.filter(Boolean).reduce((a, b) => (b.deploymentTime >= a.deploymentTime ? b : a));
    return { ...deploymentDto(latest), deployedProcessDefinitions: null };
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
    const def = await this._activateIfDue(await this.store.getDefinition(definitionId));
    // Camunda's ProcessDefinitionCache.checkDefinitionFound
    if (!def) throw new CoreError('NotFoundException', `no deployed process definition found with id '${definitionId}': processDefinition is null`);
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
   * {businessKey, processInstanceId, tenantId (null: only executions without tenant),
   * correlationKeys / localCorrelationKeys ({name: {type, value}}: variables of the process instance /
   * local variables of the waiting execution that must equal these; numbers compare across numeric
   * types, dates as the core writes them), processVariables, processVariablesLocal, all,
   * variablesInResult (each result gets the instance's variables after the correlation)}.
   * → [{resultType: 'Execution', execution: {id, processInstanceId, ended, tenantId}, processInstance: null, variables?}]
   */
  async correlateMessage(messageName, options = {}) {
    const { businessKey, processInstanceId, tenantId, processVariables = {}, processVariablesLocal = {}, all = false } = options;
    if (!messageName) throw new CoreError('BadUserRequestException', 'No message name supplied');
    const subs = await this.store.rows('subscriptions', { eventName: messageName, processInstanceId, tenantId });
    const byInstance = new Map();
    for (const s of subs) {
      const row = byInstance.get(s.processInstanceId)?.row ?? (await this.store.getInstance(s.processInstanceId));
      // Camunda correlates to active executions only: a suspended instance's subscriptions do not match
      if (!row || row.suspended || (businessKey != null && row.businessKey !== businessKey)) continue;
      if (!byInstance.has(row.id)) byInstance.set(row.id, { row, subscriptions: [] });
      byInstance.get(row.id).subscriptions.push(s);
    }
    const candidates = [];
    for (const entry of byInstance.values()) if (await this._matchesCorrelationKeys(entry, options)) candidates.push(entry);
    const matches = candidates.reduce((n, x) => n + x.subscriptions.length, 0);
    if (matches > 1 && !all) {
      throw new CoreError(
        'MismatchingMessageCorrelationException',
        `ENGINE-13031 Cannot correlate a message with name '${messageName}' to a single execution. ${matches} executions match the correlation keys: ${correlationSet(options)}`,
      );
    }
    const results = [];
    for (const { row } of candidates) {
      const { result, state } = await this._run(row, { command: 'correlateMessage', messageName, processVariables, processVariablesLocal, all });
      const variables = options.variablesInResult ? { variables: await this.processInstanceVariables(row.id) } : {};
      for (const id of result?.executionIds ?? []) {
        results.push({ resultType: 'Execution', execution: { id, processInstanceId: row.id, ended: !!state?.ended, tenantId: row.tenantId ?? null }, processInstance: null, ...variables });
      }
    }
    if (!results.length) throw noCorrelation(messageName);
    return results;
  }

  /**
   * Whether an instance ({row, subscriptions}) satisfies the correlation keys; localCorrelationKeys
   * narrow its subscriptions. The core triggers all of an instance's subscriptions of a message
   * or none, so keys that select only some of them are refused rather than ignored.
   */
  async _matchesCorrelationKeys(entry, { correlationKeys, localCorrelationKeys }) {
    const local = (executionId) => this._run(entry.row, { command: 'variables', local: true, ...(executionId ? { executionId } : {}) });
    if (hasKeys(correlationKeys) && !variablesEqual((await local()).result, correlationKeys)) return false;
    if (!hasKeys(localCorrelationKeys)) return true;
    const kept = [];
    for (const s of entry.subscriptions) if (variablesEqual((await local(s.executionId)).result, localCorrelationKeys)) kept.push(s);
    if (kept.length && kept.length < entry.subscriptions.length) {
      throw new CoreError(
        'ProcessEngineException',
        `Cannot correlate to ${kept.length} of the ${entry.subscriptions.length} executions of process instance ${entry.row.id} waiting for the message: Detour triggers all of them or none`,
      );
    }
    entry.subscriptions = kept;
    return kept.length > 0;
  }

  /**
   * A process instance's own variables (its root scope) as a typed map; once it ended, the values
   * it ended with, from history. (What Camunda hands back with a start or a correlation "with
   * variables in return".)
   */
  async processInstanceVariables(processInstanceId) {
    const row = await this.store.getInstance(processInstanceId);
    if (row) return (await this._run(row, { command: 'variables', local: true })).result;
    const out = {};
    for (const v of await this.historicVariableInstances({ processInstanceId, executionId: processInstanceId })) {
      out[v.name] = { type: v.type, value: v.value, valueInfo: v.valueInfo ?? {} };
    }
    return out;
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

  // --- operations: suspension, job retries, deployment deletion, job definitions -----------------
  // (Camunda's runtimeService.suspend/activateProcessInstanceById, managementService.setJobRetries,
  // repositoryService.deleteDeployment and the job definition query.)

  /**
   * Suspends (true) or activates (false) a running instance. While suspended its tasks, external
   * tasks and jobs show as suspended and refuse to move on (SuspendedEntityInteractionException),
   * messages do not correlate to it and its historic state is SUSPENDED. Twice is no error.
   */
  async suspendProcessInstance(id, suspended = true) {
    const row = await this._instance(id);
    await this._run(row, { command: 'suspend', suspended: !!suspended });
  }

  /**
   * Sets a job's retries, and its due date when {dueDate} is given (epoch ms, a Date, or null: due
   * now). Retries 0 → n resolve the job's failedJob incident, n → 0 raise one. Messages are those
   * of Camunda's SetJobRetriesBuilder / SetJobRetriesCmd, checked in the same order.
   */
  async setJobRetries(jobId, retries, options = {}) {
    if (typeof retries === 'number' && retries < 0) {
      throw new CoreError(
        'ProcessEngineException',
        `ENGINE-13054 The number of job retries must be a non-negative Integer, but '${retries}' has been provided.`,
      );
    }
    if (!jobId) {
      throw new CoreError(
        'ProcessEngineException',
        'ENGINE-13052 You must specify exactly one of jobId, jobIds or jobDefinitionId as parameter. The parameter can not be null.',
      );
    }
    const [job] = await this.store.rows('jobs', { id: jobId });
    if (!job) throw new CoreError('ProcessEngineException', `ENGINE-13053 No job found with id '${jobId}'.'`);
    const command = { command: 'setJobRetries', jobId, retries };
    if ('dueDate' in options) {
      const due = options.dueDate;
      command.dueDate = due instanceof Date ? due.getTime() : (due ?? null);
    }
    await this._run(await this._instance(job.processInstanceId), command);
  }

  /**
   * Deletes a deployment and its definitions: {cascade, skipCustomListeners, skipIoMappings}.
   * Without cascade, running instances of its definitions refuse it (Camunda's ENGINE-03076); with
   * cascade they are deleted (reason "deleted deployment", as Camunda's DeploymentManager) and the
   * history of every instance of its definitions goes too. Each instance is its own transaction.
   */
  async deleteDeployment(id, { cascade = false, skipCustomListeners = false, skipIoMappings = false } = {}) {
    // Camunda's engine ignores an unknown id; its REST resource answers with this message (sic)
    if (!(await this.store.getDeployment(id))) throw new CoreError('NotFoundException', `Deployment with id '${id}' do not exist`);
    const definitions = await this.store.definitions({ deploymentId: id });
    const running = [];
    for (const d of definitions) running.push([d, await this.store.instances({ processDefinitionId: d.id })]);
    if (!cascade) {
      const blocked = running.find(([, rows]) => rows.length);
      if (blocked) throw deletionWithInstances(blocked[0].id, blocked[1].length);
    } else {
      const command = { command: 'delete', deleteReason: 'deleted deployment', skipCustomListeners, skipIoMappings };
      for (const [, rows] of running) for (const row of rows) await this._run(row, command);
      const ids = definitions.map((d) => d.id);
      const historic = await this.store.history('processInstance', { processDefinitionId: { in: ids } });
      if (historic.length) await this.store.deleteHistory(historic.map((r) => r.id));
    }
    for (const d of definitions) this._forgetDefinition(d.id);
    await this.store.deleteDeployment(id);
  }

  /**
   * Job definitions (JobDefinitionDto): made at deploy, one per async continuation and timer of a
   * definition. Query fields: jobDefinitionId, activityIdIn, and any JobDefinitionDto field.
   */
  async jobDefinitions(query = {}) {
    const { jobDefinitionId, activityIdIn, ...rest } = query;
    const filter = { ...rest, id: jobDefinitionId };
    if (activityIdIn) filter.activityId = { in: activityIdIn };
    const all = (await this.store.definitions({})).flatMap((d) => d.jobDefinitions ?? []);
    return all.filter((row) => matches(row, filter)).map(jobDefinitionDto);
  }

  // Every job (and its failedJob incident, open or historic) carries its job definition's id.
  async _linkJobDefinitions(definitionId, index, history) {
    const jobs = index.jobs ?? [];
    if (!jobs.length) return;
    const definitions = await this._jobDefinitionsOf(definitionId);
    const byJob = new Map(jobs.map((job) => [job.id, (job.jobDefinitionId = jobDefinitionIdFor(definitions, job))]));
    const link = (incident) => {
      if (incident.incidentType === 'failedJob' && byJob.has(incident.configuration)) {
        incident.jobDefinitionId = byJob.get(incident.configuration);
      }
    };
    for (const incident of index.incidents ?? []) link(incident);
    for (const { kind, row } of history) if (kind === 'incident') link(row);
  }

  async _jobDefinitionsOf(definitionId) {
    this._jobDefinitionCache ??= new Map();
    let definitions = this._jobDefinitionCache.get(definitionId);
    if (!definitions) {
      definitions = (await this.store.getDefinition(definitionId))?.jobDefinitions ?? [];
      this._jobDefinitionCache.set(definitionId, definitions);
    }
    return definitions;
  }

  // The definition is gone: release its compiled model and what is cached of it.
  _forgetDefinition(definitionId) {
    const handle = this.handles.get(definitionId);
    if (handle !== undefined) this.core.release(handle);
    this.handles.delete(definitionId);
    this._jobDefinitionCache?.delete(definitionId);
  }

  // --- concurrency and the job executor (js/job-executor.js) ---------------------------------------
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
          this.retriedConflicts = (this.retriedConflicts ?? 0) + 1; // observability: how often it happens
          await sleep(conflictBackoff(attempt));
          current = await this._instance(row.id);
        }
      }
    });
  }

  // Runs fn(waited) after every earlier call for `id` in this engine has finished.
  async _exclusive(id, fn) {
    this._instanceQueues ??= new Map();
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

  /**
   * Runs a job the job executor acquired (the store holds its lock for `lockOwner`) and releases
   * the lock in the same commit. → {outcome: 'executed' | 'failed' | 'conflict' | 'vanished',
   * message}. A failure is the core's to record (retries − 1, an incident at 0); a conflict left
   * after the retries releases the lock without touching retries, so the job runs again; a job
   * whose instance or row is gone (the instance moved on, ended or was deleted) is skipped.
   */
  async executeAcquiredJob(job, { lockOwner }) {
    const row = await this.store.getInstance(job.processInstanceId);
    if (!row) return { outcome: 'vanished' };
    let out;
    try {
      out = await this._run(row, { command: 'executeJob', jobId: job.id }, { unlockJobIds: [job.id] });
    } catch (e) {
      if (e?.type === 'NotFoundException') return { outcome: 'vanished' };
      if (e?.type !== 'OptimisticLockingException') throw e;
      await this.store.unlockJob(job.id, lockOwner);
      return { outcome: 'conflict' };
    }
    return out.result?.failed ? { outcome: 'failed', message: out.result.message ?? null } : { outcome: 'executed' };
  }

  /**
   * listener(jobs) runs after every commit that leaves its instance with jobs (new, failed or still
   * waiting), so a job executor can wake at once instead of at its next poll. → unsubscribe().
   * Listeners must not throw: the commit has happened.
   */
  onJobsCommitted(listener) {
    this._jobListeners ??= new Set();
    this._jobListeners.add(listener);
    return () => this._jobListeners.delete(listener);
  }

  _jobsCommitted(jobs) {
    if (!jobs?.length || !this._jobListeners?.size) return;
    for (const listener of this._jobListeners) listener(jobs);
  }

  // --- process instance queries (REST GET/POST /process-instance) ----------------------------------
  // Camunda's process instance query looks past the instance row: at its definition (deployment,
  // tenant), its incidents, the activities its tokens are in and the variables of every execution.
  // This hands out running instances with those facts; the state document is only read (parsed)
  // for the facts a query asks for.

  /**
   * Running instances matching `filter` (the store's filter language on instance row fields: id,
   * processDefinitionId, processDefinitionKey, businessKey, tenantId, suspended), each as
   *   {instance: ProcessInstanceDto-like, deploymentId, definitionTenantId,
   *    incidents: IncidentDto-like rows (only with {withIncidents: true}, else null),
   *    activityIds(): ids of the leaf activities its tokens are in (Camunda's activityIdIn),
   *    variableScopes(): one typed map per execution, task variables excluded}.
   */
  async processInstanceCandidates(filter = {}, { withIncidents = false } = {}) {
    const rows = await this.store.instances(filter);
    const definitions = new Map();
    for (const row of rows) {
      if (!definitions.has(row.processDefinitionId)) definitions.set(row.processDefinitionId, await this.store.getDefinition(row.processDefinitionId));
    }
    const incidents = new Map();
    if (withIncidents && rows.length) {
      for (const i of await this.store.rows('incidents', { processInstanceId: { in: rows.map((r) => r.id) } })) {
        if (!incidents.has(i.processInstanceId)) incidents.set(i.processInstanceId, []);
        incidents.get(i.processInstanceId).push(incidentDto(i));
      }
    }
    return rows.map((row) => {
      const def = definitions.get(row.processDefinitionId);
      return {
        instance: instanceDto(row),
        deploymentId: def?.deploymentId ?? null,
        definitionTenantId: def?.tenantId ?? null,
        incidents: withIncidents ? (incidents.get(row.id) ?? []) : null,
        activityIds: () => queryActivityIds(row),
        variableScopes: () => (row.state?.executions ?? []).map((e) => stateVariables(e.variables)),
      };
    });
  }

  // --- the one path every command takes -------------------------------------------------------------

  /**
   * Runs `command` on the instance `row` ({id, revision, state, processDefinitionId, ...}; id null
   * for start) and commits what it changed, with `commit`'s extra fields (unlockJobIds). → the
   * core's output ({state, history, index, result}, or {result} for queries).
   */
  async _attempt(row, command, commit) {
    const handle = await this._handle(row.processDefinitionId);
    const now = this.clock();
    const doc = { ...command, now, idSeed: this.ids() };
    if (row.state) doc.state = row.state;
    this.core.setHostInvoke(this._invoke);
    const out = this.core.execute(handle, doc);
    if (out.state) await this._commit(row, out, commit);
    return out;
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
    await this._linkJobDefinitions(row.processDefinitionId, index, history);
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

// Camunda's EnginePersistenceLogger.deleteProcessDefinitionWithProcessInstancesException (sic).
function deletionWithInstances(definitionId, count) {
  return new CoreError(
    'ProcessEngineException',
    `ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${definitionId} ` +
      `can't be deleted, since there exists ${count} dependening process instances.`,
  );
}

function pick(map, names) {
  const out = {};
  for (const n of names) if (n in map) out[n] = map[n];
  return out;
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

// --- process instance queries: facts read from the state document ---------------------------------

// The index's activityIds hold active tokens only; Camunda's activityIdIn (ACT_ID_ of any execution
// but event-scope ones) also matches a token waiting at a joining gateway, which is a leaf of the
// activity instance tree too. Those are inactive, non-scope tokens with an activity instance.
function queryActivityIds(row) {
  const ids = new Set(row.activityIds ?? []);
  for (const e of row.state?.executions ?? []) {
    if (!e.isActive && !e.isScope && !e.transition && e.activityId && e.activityInstanceId) ids.add(e.activityId);
  }
  return [...ids];
}

// A state document's variable list → the typed map the engine's variable methods return (dates in
// the core's text form, as the `variables` command writes them).
function stateVariables(list) {
  const out = {};
  for (const v of list ?? []) {
    const value = v.type === 'Date' && typeof v.value === 'number' ? new Date(v.value).toISOString().replace('Z', '+0000') : v.value;
    out[v.name] = { type: v.type, value: value ?? null, valueInfo: v.valueInfo ?? {} };
  }
  return out;
}

// --- deployment resources -------------------------------------------------------------------------

const BPMN_SUFFIXES = ['.bpmn', '.bpmn20.xml']; // Camunda's BpmnDeployer.BPMN_RESOURCE_SUFFIXES
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function isBpmnResource(name) {
  return typeof name === 'string' && BPMN_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** A resource's content (text, bytes, or its stored form) as a Buffer. */
function resourceBytes(content) {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content && typeof content.base64 === 'string') return Buffer.from(content.base64, 'base64');
  return Buffer.from(content ?? []);
}

// Stored as text when it is UTF-8 (BPMN, forms, scripts: readable in the store), else as base64.
function storedResource(bytes) {
  try {
    return UTF8.decode(bytes);
  } catch {
    return { base64: bytes.toString('base64') };
  }
}

function sameBytes(a, b) {
  return a.length === b.length && a.equals(b);
}

// Deployments made before resources had ids get a stable one from the deployment and the name.
function resourceIdOf(deployment, name) {
  return deployment.resourceIds?.[name] ?? `${deployment.id}:${name}`;
}

async function parseBpmn(bytes) {
  try {
    return await bpmnToModels(bytes.toString('utf8'));
  } catch (e) {
    throw e instanceof CoreError ? e : new CoreError('ParseException', e.message);
  }
}

function deploymentDto(row) {
  return { id: row.id, name: row.name ?? null, source: row.source ?? null, deploymentTime: row.deploymentTime, tenantId: row.tenantId ?? null };
}

/** The activity ids of an activity instance tree's leaves and transition instances (one per instance). */
function leafActivityIds(node, out = [], isRoot = true) {
  const children = node.childActivityInstances ?? [];
  const transitions = node.childTransitionInstances ?? [];
  if (!isRoot && !children.length && !transitions.length) out.push(node.activityId);
  for (const t of transitions) out.push(t.activityId);
  for (const c of children) leafActivityIds(c, out, false);
  return out;
}

// --- message correlation keys ----------------------------------------------------------------------

const NUMERIC_TYPES = new Set(['Integer', 'Long', 'Short', 'Double']);

function hasKeys(map) {
  return map != null && Object.keys(map).length > 0;
}

/** Whether every wanted {type, value} equals the variable of that name (Camunda's variableValueEquals). */
function variablesEqual(variables, wanted) {
  return Object.entries(wanted).every(([name, w]) => name in (variables ?? {}) && sameTypedValue(variables[name], w));
}

// A null matches a null of any type; numbers match across numeric types; otherwise type and value.
function sameTypedValue(actual, wanted) {
  const a = actual?.value ?? null;
  const w = wanted?.value ?? null;
  if (w === null || a === null) return w === null && a === null;
  const type = (t) => (t ? t[0].toUpperCase() + t.slice(1) : t);
  if (NUMERIC_TYPES.has(type(actual.type)) && NUMERIC_TYPES.has(type(wanted.type))) return Number(a) === Number(w);
  return type(actual.type) === type(wanted.type) && a === w;
}

/** Camunda's CorrelationSet.toString(), as its mismatch messages print it. */
function correlationSet({ businessKey, processInstanceId, correlationKeys, localCorrelationKeys, tenantId }) {
  const map = (m) => (hasKeys(m) ? `{${Object.entries(m).map(([k, v]) => `${k}=${v?.value ?? null}`).join(', ')}}` : null);
  return (
    `CorrelationSet [businessKey=${businessKey ?? null}, processInstanceId=${processInstanceId ?? null}, processDefinitionId=null, ` +
    `correlationKeys=${map(correlationKeys)}, localCorrelationKeys=${map(localCorrelationKeys)}, tenantId=${tenantId ?? null}, ` +
    `isTenantIdSet=${tenantId !== undefined}, isExecutionsOnly=false]`
  );
}
