// Process instance restart over HTTP (semantics.md §2, §4.6, §6 items 45–50; rest-contract.md
// §6.1, §6.2, §6.7): POST /process-definition/{id}/restart (all or none, 204) and restart-async
// (a batch of type instance-restart, driven here job by job over REST as batch.test.js does), their
// /key/{key}/ forms and Detour's /detour/ form with targetProcessDefinitionId. Which instances can
// be restarted and which variables, business key and history link the new ones get; the
// validation in each command's order; and the same plan giving the same instances on both paths.
// Every response is checked against the OpenAPI document (statuses it does not list for a path
// are Java-only); the /key/ and /detour/ forms answer as the /{id} resource does. Every
// synchronous restart by definition id is dry-run first (POST /detour/restart/dry-run,
// docs/dry-run.md), and the dry run must predict what the restart then does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

import { root } from '../support.js';
import { checkJavaOnly, checkResponse } from './openapi.js';
import { describeRest } from './support.js';

const spec = JSON.parse(readFileSync(join(root, 'docs', 'camunda-openapi.json'), 'utf8'));

// start → a → b → end. `a` maps a local input `aLocal`; `b` maps a local input `bInput`, and its
// start listener sets the process variable `bListened` — what skipIoMappings and
// skipCustomListeners leave out.
const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/bpmn" id="Definitions_KEY">
  <bpmn:process id="KEY" name="Restart" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" name="A">
      <bpmn:extensionElements>
        <camunda:inputOutput><camunda:inputParameter name="aLocal">in a</camunda:inputParameter></camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
    <bpmn:userTask id="b" name="B">
      <bpmn:extensionElements>
        <camunda:executionListener event="start" expression="\${execution.setVariable('bListened', true)}" />
        <camunda:inputOutput><camunda:inputParameter name="bInput">mapped</camunda:inputParameter></camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

// Version 2 of a process: start → a → c → end (no b, no f3).
const VERSION_2 = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/bpmn" id="Definitions_KEY">
  <bpmn:process id="KEY" name="Restart v2" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <bpmn:userTask id="a" name="A" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="c" />
    <bpmn:userTask id="c" name="C" />
    <bpmn:sequenceFlow id="f4" sourceRef="c" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const RESTART = '/process-definition/{id}/restart';
const RESTART_ASYNC = '/process-definition/{id}/restart-async';
const AT_A = [{ type: 'startBeforeActivity', activityId: 'a' }];
const AT_B = [{ type: 'startBeforeActivity', activityId: 'b' }];
const STARTED = { amount: { value: 1, type: 'Integer' }, customer: { value: 'Alice', type: 'String' } };

/**
 * The suite's helpers over `ctx` (describeRest's): requests checked against the OpenAPI document,
 * setup (deploy, start, end an instance), reads (tree, variables, history) and the batch driven
 * job by job (seed → execution jobs → monitor).
 */
function helpers(ctx) {
  const h = {};
  /** A request checked against the document: `template` the documented path (null: not checked). */
  h.call = async (method, template, path, body) => {
    const r = await ctx.api.call(method, path, body);
    if (!template) return r;
    const documented = spec.paths[template]?.[method.toLowerCase()]?.responses?.[String(r.status)];
    return documented ? checkResponse(method, template, r) : checkJavaOnly(method, template, r);
  };
  h.ok = (r, status = 200) => {
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };
  h.expectError = (r, status, type, message, code, what) => {
    assert.deepEqual([r.status, r.body], [status, { type, message, code }], what ?? '');
  };

  // --- the endpoints under test (path: the definition's id, or `key/K`, behind `prefix`). The clock
  // moves on before each request, so that the instances each one starts (now, or when its batch
  // runs) come later than those of the requests before it: restartsOf() lists them in that order.
  // A synchronous restart by id is dry-run first (h.dryRunThen); the dry run has no /key/ form.
  h.restartAt = (path, body, prefix = '/process-definition/') => {
    const real = () => {
      ctx.clock.advance(1000);
      return h.call('POST', RESTART, `${prefix}${path}/restart`, body);
    };
    return path.startsWith('key/') ? real() : h.dryRunThen(decodeURIComponent(path), body, real);
  };
  h.restartAsyncAt = (path, body, prefix = '/process-definition/') => {
    ctx.clock.advance(1000);
    return h.call('POST', RESTART_ASYNC, `${prefix}${path}/restart-async`, body);
  };
  h.restart = (def, body) => h.restartAt(encodeURIComponent(def.id), body);
  h.restartAsync = (def, body) => h.restartAsyncAt(encodeURIComponent(def.id), body);

  // --- setup
  h.deploy = async (xml, key) => {
    const r = await ctx.api.deploy(xml.replaceAll('KEY', key));
    return Object.values(h.ok(r).deployedProcessDefinitions)[0];
  };
  /** POST /process-definition/{id}/start with `body` → the instance id. */
  h.start = async (def, body = {}) => h.ok(await h.call('POST', '/process-definition/{id}/start', `/process-definition/${def.id}/start`, body)).id;
  h.tasks = async (id) => h.ok(await h.call('GET', '/task', `/task?processInstanceId=${id}`));
  h.completeTask = async (taskId, variables) => h.ok(await h.call('POST', '/task/{id}/complete', `/task/${taskId}/complete`, { variables }), 204);
  h.putVariable = async (id, name, value) => h.ok(await h.call('PUT', '/process-instance/{id}/variables/{varName}', `/process-instance/${id}/variables/${name}`, value), 204);
  h.deleteInstance = async (id) => h.ok(await h.call('DELETE', '/process-instance/{id}', `/process-instance/${id}`), 204);
  /** Completes the instance's tasks until it has none: it reaches `end`. */
  h.complete = async (id) => {
    for (let tasks = await h.tasks(id); tasks.length; tasks = await h.tasks(id)) {
      for (const t of tasks) await h.completeTask(t.id);
    }
  };
  /**
   * Ends instance `id`: 'completed' (its tasks done), 'deleted' (DELETE /process-instance/{id}:
   * EXTERNALLY_TERMINATED) or 'internal' (the engine's deleteProcessInstance with
   * externallyTerminated false, as Camunda's engine cancels instances of its own accord:
   * INTERNALLY_TERMINATED — no REST call nor BPMN Detour runs ends an instance so).
   */
  h.end = async (id, how = 'deleted') => {
    if (how === 'completed') await h.complete(id);
    else if (how === 'deleted') await h.deleteInstance(id);
    else await ctx.engine.deleteProcessInstance(id, { externallyTerminated: false });
    return id;
  };
  /** An instance started with `body`, ended `how` → its id. */
  h.ended = async (def, body = {}, how = 'deleted') => h.end(await h.start(def, body), how);

  // --- reads
  h.historic = async (id) => h.ok(await h.call('GET', '/history/process-instance/{id}', `/history/process-instance/${id}`));
  /** The historic instances restarted from `id`, oldest first. */
  h.restartsOf = async (id) => {
    const all = h.ok(await h.call('GET', '/history/process-instance', '/history/process-instance?sortBy=startTime&sortOrder=asc'));
    return all.filter((x) => x.restartedProcessInstanceId === id);
  };
  /** The one instance restarted from `id` → its historic instance. */
  h.restartOf = async (id) => {
    const restarts = await h.restartsOf(id);
    assert.equal(restarts.length, 1, `one restart of ${id}: ${JSON.stringify(restarts)}`);
    return restarts[0];
  };
  h.tree = async (id) => {
    const r = await h.call('GET', '/process-instance/{id}/activity-instances', `/process-instance/${id}/activity-instances`);
    return r.status === 404 ? null : h.ok(r);
  };
  /** The running activities of instance `id`, sorted (null once it ended). */
  h.activityIds = async (id) => (await h.tree(id))?.childActivityInstances.map((a) => a.activityId).sort() ?? null;
  /** The tree as activity ids only, children sorted: comparable between instances. */
  h.shape = (node) => node && {
    activityId: node.activityId,
    children: node.childActivityInstances.map(h.shape).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    transitions: node.childTransitionInstances.map((t) => t.activityId).sort(),
  };
  /** GET /process-instance/{id}/variables: the instance's own variables, name → [type, value]. */
  h.variables = async (id) => {
    const vars = h.ok(await h.call('GET', '/process-instance/{id}/variables', `/process-instance/${id}/variables`));
    return Object.fromEntries(Object.entries(vars).map(([name, v]) => [name, [v.type, v.value]]));
  };
  /** Every historic variable of instance `id`: 'name=value@instance' or '@local', sorted. */
  h.historicVariables = async (id) => {
    const vars = h.ok(await h.call('GET', '/history/variable-instance', `/history/variable-instance?processInstanceId=${id}`));
    return vars.map((v) => `${v.name}=${JSON.stringify(v.value)}@${v.executionId === id ? 'instance' : 'local'}`).sort();
  };
  /** The variables recorded as instance `id`'s initial ones: 'name=value', sorted. */
  h.initialVariables = async (id) => {
    const details = h.ok(await h.call('GET', '/history/detail', `/history/detail?processInstanceId=${id}&initial=true`));
    return details.map((d) => `${d.variableName}=${JSON.stringify(d.value)}`).sort();
  };
  /** The activities instance `id` ran or runs, sorted. */
  h.historicActivities = async (id) => {
    const acts = h.ok(await h.call('GET', '/history/activity-instance', `/history/activity-instance?processInstanceId=${id}`));
    return acts.map((a) => a.activityId).sort();
  };

  // --- batches
  h.getBatch = (id) => h.call('GET', '/batch/{id}', `/batch/${id}`);
  h.statistics = async (id) => {
    const [s] = h.ok(await h.call('GET', '/batch/statistics', `/batch/statistics?batchId=${id}`));
    return [s.remainingJobs, s.completedJobs, s.failedJobs];
  };
  h.historicBatch = async (id) => h.ok(await h.call('GET', '/history/batch/{id}', `/history/batch/${id}`));
  h.batchInstances = async (id) => h.ok(await h.call('GET', null, `/detour/batch/${id}/instances`));
  h.jobsOf = async (jobDefinitionId) => h.ok(await h.call('GET', '/job', `/job?jobDefinitionId=${jobDefinitionId}`));
  h.execute = (jobId) => h.call('POST', '/job/{id}/execute', `/job/${jobId}/execute`);
  h.executeOk = async (jobId) => h.ok(await h.execute(jobId), 204);
  h.seedJob = async (b) => (await h.jobsOf(b.seedJobDefinitionId))[0];
  h.monitorJob = async (b) => (await h.jobsOf(b.monitorJobDefinitionId))[0];
  h.executionJobs = (b) => h.jobsOf(b.batchJobDefinitionId);
  /** Runs the seed jobs until the monitor job exists → the monitor job. */
  h.seedAll = async (b) => {
    for (let i = 0; i < 100; i++) {
      const seed = await h.seedJob(b);
      if (!seed) return h.monitorJob(b);
      await h.executeOk(seed.id);
    }
    throw new Error('the seed job never ended');
  };
  /** The whole batch, every job succeeding: seeds, execution jobs, the monitor; then it is gone. */
  h.runBatch = async (b) => {
    await h.seedAll(b);
    for (const job of await h.executionJobs(b)) await h.executeOk(job.id);
    await h.executeOk((await h.monitorJob(b)).id);
    h.expectError(await h.getBatch(b.id), 404, 'InvalidRequestException', `Batch with id '${b.id}' does not exist`, null);
  };
  h.batchCount = async () => h.ok(await h.call('GET', '/batch/count', '/batch/count?type=instance-restart')).count;

  // --- the dry run
  /**
   * Dry-runs restart `body` of definition `processDefinitionId`, then runs `real()` (that restart)
   * and asserts that the dry run predicted it → real()'s response. A refused request: the same
   * status and body; a refused instance: the real refusal (all or none: the first refused
   * instance's type and message); else, per historic instance, its newest restart's tree, state,
   * business key, variable updates (name, type, value, local or not) and user tasks.
   */
  h.dryRunThen = async (processDefinitionId, body, real) => {
    const dry = await h.call('POST', null, '/detour/restart/dry-run', Array.isArray(body) ? body : { ...body, processDefinitionId });
    const r = await real();
    if (dry.status !== 200) {
      assert.deepEqual([dry.status, dry.body], [r.status, r.body], 'the dry run refuses the request as the restart does');
      return r;
    }
    const refused = dry.body.instances.find((i) => i.error);
    if (refused || r.status !== 204) {
      assert.deepEqual(refused?.error, { type: r.body?.type, message: r.body?.message }, 'the dry run predicts the refusal');
      return r;
    }
    const multiset = (list) => list.map(({ name, type, value, local }) => JSON.stringify({ name, type, value, local })).sort();
    for (const { processInstanceId, after, variables, tasks } of dry.body.instances) {
      const { id } = (await h.restartsOf(processInstanceId)).at(-1);
      const hpi = await h.historic(id);
      const details = h.ok(await h.call('GET', '/history/detail', `/history/detail?processInstanceId=${id}`));
      const set = details.map((d) => ({ name: d.variableName, type: d.variableType, value: d.value, local: d.executionId !== id }));
      assert.deepEqual(
        {
          tree: h.shape(after.tree), state: after.ended ? after.endState : 'ACTIVE', businessKey: after.businessKey,
          variables: multiset(variables), tasks: tasks.map((t) => t.taskDefinitionKey).sort(),
        },
        {
          tree: hpi.endTime == null ? h.shape(await h.tree(id)) : null, state: hpi.state, businessKey: hpi.businessKey,
          variables: multiset(set), tasks: (await h.tasks(id)).map((t) => t.taskDefinitionKey).sort(),
        },
        `the dry run predicts the restart of ${processInstanceId}`,
      );
    }
    return r;
  };
  return h;
}

describeRest(
  'process instance restart',
  (ctx) => {
    const h = helpers(ctx);
    const { ok, expectError, restart, restartAsync } = h;
    let def; // `restartProcess` (PROCESS)
    let other; // `otherRestartProcess` (PROCESS), another definition

    it('deploys the processes the tests restart', async () => {
      def = await h.deploy(PROCESS, 'restartProcess');
      other = await h.deploy(PROCESS, 'otherRestartProcess');
    });

    // --- which instances can be restarted -----------------------------------------------------------

    it('restarts completed, externally terminated and internally terminated instances alike', async () => {
      const ids = {};
      for (const how of ['completed', 'deleted', 'internal']) ids[how] = await h.ended(def, { businessKey: `ended-${how}` }, how);
      assert.deepEqual(
        [(await h.historic(ids.completed)).state, (await h.historic(ids.deleted)).state, (await h.historic(ids.internal)).state],
        ['COMPLETED', 'EXTERNALLY_TERMINATED', 'INTERNALLY_TERMINATED'],
      );
      ok(await restart(def, { instructions: AT_A, processInstanceIds: Object.values(ids) }), 204);
      for (const [how, id] of Object.entries(ids)) {
        const restarted = await h.restartOf(id);
        assert.deepEqual([restarted.state, restarted.businessKey, restarted.processDefinitionId], ['ACTIVE', `ended-${how}`, def.id], how);
        assert.deepEqual(await h.activityIds(restarted.id), ['a'], how);
      }
    });

    it('refuses a running instance, suspended or not: 500 ENGINE-13040, and restarts nothing', async () => {
      const running = await h.start(def);
      const suspended = await h.start(def);
      ok(await h.call('PUT', '/process-instance/{id}/suspended', `/process-instance/${suspended}/suspended`, { suspended: true }), 204);
      for (const id of [running, suspended]) {
        expectError(await restart(def, { instructions: AT_A, processInstanceIds: [id] }), 500, 'ProcessEngineException',
          `ENGINE-13040 Historic process instance '${id}' cannot be restarted. It is not completed or terminated.`, 0);
        assert.deepEqual(await h.restartsOf(id), []);
      }
      assert.deepEqual(await h.activityIds(running), ['a'], 'the running instance is untouched');
    });

    it('refuses an instance of another definition (500 ENGINE-13039) and an unknown id (400)', async () => {
      const foreign = await h.ended(other);
      expectError(await restart(def, { instructions: AT_A, processInstanceIds: [foreign] }), 500, 'ProcessEngineException',
        `ENGINE-13039 Historic process instance '${foreign}' cannot be restarted. Its process definition '${other.id}' does not match given process definition '${def.id}'`, 0);
      expectError(await restart(def, { instructions: AT_A, processInstanceIds: ['nobody'] }), 400, 'InvalidRequestException',
        'Historic process instance cannot be found: historicProcessInstanceId is null', null);
      assert.deepEqual(await h.restartsOf(foreign), []);
    });

    it('several instances in one call: all or none — one refusal restarts none of them', async () => {
      const [x, y] = [await h.ended(def), await h.ended(def)];
      const running = await h.start(def);
      const foreign = await h.ended(other);
      expectError(await restart(def, { instructions: AT_A, processInstanceIds: [x, running, y] }), 500, 'ProcessEngineException',
        `ENGINE-13040 Historic process instance '${running}' cannot be restarted. It is not completed or terminated.`, 0);
      expectError(await restart(def, { instructions: AT_A, processInstanceIds: [x, y, foreign] }), 500, 'ProcessEngineException',
        `ENGINE-13039 Historic process instance '${foreign}' cannot be restarted. Its process definition '${other.id}' does not match given process definition '${def.id}'`, 0);
      expectError(await restart(def, { instructions: AT_A, processInstanceIds: [x, 'nobody'] }), 400, 'InvalidRequestException',
        'Historic process instance cannot be found: historicProcessInstanceId is null', null);
      // an instruction the model refuses, for whichever instance
      const noFlow = await restart(def, { instructions: [{ type: 'startAfterActivity', activityId: 'end' }], processInstanceIds: [x, y] });
      expectError(noFlow, 500, 'ProcessEngineException', 'Cannot start after activity end; activity has no outgoing sequence flow to take', 0);
      for (const id of [x, y]) assert.deepEqual(await h.restartsOf(id), [], id);
    });

    // --- variables -----------------------------------------------------------------------------------

    /**
     * An instance started with STARTED and business key `key`, whose `amount` was changed to 2
     * after the start, and whose task a was given a local variable and completed with
     * {approved: true}; a and b mapped their local inputs, b's listener set `bListened`. Deleted at b.
     */
    const changedInstance = async (key = 'changed') => {
      const id = await h.start(def, { businessKey: key, variables: STARTED });
      await h.putVariable(id, 'amount', { value: 2, type: 'Integer' });
      const [task] = await h.tasks(id);
      assert.notEqual(task.executionId, id, 'a, with its input mapping, runs in a scope of its own');
      ok(await h.call('PUT', '/execution/{id}/localVariables/{varName}', `/execution/${task.executionId}/localVariables/taskLocal`, { value: 'of a' }), 204);
      await h.completeTask(task.id, { approved: { value: true } });
      assert.deepEqual(await h.historicVariables(id), [
        'aLocal="in a"@local', 'amount=2@instance', 'approved=true@instance', 'bInput="mapped"@local', 'bListened=true@instance', 'customer="Alice"@instance', 'taskLocal="of a"@local',
      ]);
      return h.end(id);
    };

    it('by default the new instance gets the last values of the process variables, not the local ones', async () => {
      const old = await changedInstance();
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], skipIoMappings: true }), 204);
      const { id } = await h.restartOf(old);
      assert.deepEqual(await h.variables(id), {
        amount: ['Integer', 2], customer: ['String', 'Alice'], approved: ['Boolean', true], bListened: ['Boolean', true],
      });
      // aLocal, taskLocal and bInput lived on the scopes of a and b: not restored (a's mapping is skipped here)
      assert.deepEqual(await h.historicVariables(id), ['amount=2@instance', 'approved=true@instance', 'bListened=true@instance', 'customer="Alice"@instance']);
    });

    it('a variable removed before the end is not restored', async () => {
      const id = await h.start(def, { variables: STARTED });
      ok(await h.call('DELETE', '/process-instance/{id}/variables/{varName}', `/process-instance/${id}/variables/customer`), 204);
      await h.end(id);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [id], skipIoMappings: true }), 204);
      assert.deepEqual(await h.variables((await h.restartOf(id)).id), { amount: ['Integer', 1] });
    });

    it('initialVariables: the values the instance was started with', async () => {
      const old = await changedInstance();
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], initialVariables: true, skipIoMappings: true }), 204);
      const { id } = await h.restartOf(old);
      assert.deepEqual(await h.variables(id), { amount: ['Integer', 1], customer: ['String', 'Alice'] });
    });

    it('initialVariables: none for an instance started without variables, whatever it set later', async () => {
      const old = await h.start(def);
      await h.putVariable(old, 'later', { value: 'set after the start' });
      await h.end(old);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], initialVariables: true, skipIoMappings: true }), 204);
      assert.deepEqual(await h.variables((await h.restartOf(old)).id), {});
    });

    it('initialVariables: none for an instance started at two activities (no unique start), the last ones still there', async () => {
      const old = await h.start(def, { variables: STARTED, startInstructions: [...AT_A, ...AT_B] });
      assert.deepEqual(await h.initialVariables(old), []);
      await h.end(old);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], initialVariables: true, skipIoMappings: true }), 204);
      assert.deepEqual(await h.variables((await h.restartOf(old)).id), {});
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], skipIoMappings: true }), 204);
      const [, second] = await h.restartsOf(old);
      assert.deepEqual(await h.variables(second.id), { amount: ['Integer', 1], customer: ['String', 'Alice'], bListened: ['Boolean', true] });
    });

    it('restores each value with its type, last or initial; an instance started at one activity has initial variables too', async () => {
      const typed = {
        when: { value: '2026-01-02T03:04:05.000+0000', type: 'Date' },
        nothing: { value: null },
        big: { value: 5, type: 'Long' },
        doc: { value: '{"a":1}', type: 'Json' },
      };
      const expected = { when: ['Date', '2026-01-02T03:04:05.000+0000'], nothing: ['Null', null], big: ['Long', 5], doc: ['Json', '{"a":1}'] };
      const old = await h.ended(def, { variables: typed, startInstructions: AT_A });
      for (const initialVariables of [false, true]) {
        ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], initialVariables, skipIoMappings: true }), 204);
      }
      const [last, initial] = await h.restartsOf(old);
      assert.deepEqual(await h.variables(last.id), expected);
      assert.deepEqual(await h.variables(initial.id), expected);
    });

    it('restored variables are the new instance\'s initial ones when it starts at one activity, not at several', async () => {
      const old = await h.ended(def, { variables: STARTED });
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], initialVariables: true, skipIoMappings: true }), 204);
      const one = await h.restartOf(old);
      assert.deepEqual(await h.initialVariables(one.id), ['amount=1', 'customer="Alice"']);
      // so a restart of the restarted instance with initialVariables has them again
      await h.end(one.id);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [one.id], initialVariables: true, skipIoMappings: true }), 204);
      assert.deepEqual(await h.variables((await h.restartOf(one.id)).id), { amount: ['Integer', 1], customer: ['String', 'Alice'] });

      const twice = await h.ended(def, { variables: STARTED });
      ok(await restart(def, { instructions: [...AT_A, ...AT_B], processInstanceIds: [twice], initialVariables: true, skipIoMappings: true }), 204);
      const several = await h.restartOf(twice);
      assert.deepEqual(await h.variables(several.id), { amount: ['Integer', 1], customer: ['String', 'Alice'], bListened: ['Boolean', true] });
      assert.deepEqual(await h.initialVariables(several.id), []);
    });

    it('instruction variables are applied with the restored ones; the client\'s win on a name clash (Detour)', async () => {
      const old = await h.ended(def, { variables: STARTED });
      const instructions = [{ type: 'startBeforeActivity', activityId: 'a', variables: { amount: { value: 99, type: 'Integer' }, note: { value: 'given' } } }];
      ok(await restart(def, { instructions, processInstanceIds: [old], skipIoMappings: true }), 204);
      assert.deepEqual(await h.variables((await h.restartOf(old)).id), { amount: ['Integer', 99], customer: ['String', 'Alice'], note: ['String', 'given'] });
    });

    it('several instances in one call: each new instance gets its own variables only (Detour: no leaking)', async () => {
      const x = await h.ended(def, { variables: { onlyX: { value: 'x' }, shared: { value: 'from x' } } });
      const y = await h.ended(def, { variables: { onlyY: { value: 'y' }, shared: { value: 'from y' } } });
      const z = await h.ended(def);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [x, y, z], skipIoMappings: true }), 204);
      assert.deepEqual(await h.variables((await h.restartOf(x)).id), { onlyX: ['String', 'x'], shared: ['String', 'from x'] });
      assert.deepEqual(await h.variables((await h.restartOf(y)).id), { onlyY: ['String', 'y'], shared: ['String', 'from y'] });
      assert.deepEqual(await h.variables((await h.restartOf(z)).id), {});
    });

    // --- business key, history link -----------------------------------------------------------------

    it('a tenant\'s instance restarts in its tenant; the batch carries the tenant too', async () => {
      const r = await ctx.api.deploy(PROCESS.replaceAll('KEY', 'tenantRestart'), { fields: { 'tenant-id': 'tenant-1' } });
      const tenantDef = Object.values(ok(r).deployedProcessDefinitions)[0];
      assert.equal(tenantDef.tenantId, 'tenant-1');
      const [syncOld, asyncOld] = [await h.ended(tenantDef), await h.ended(tenantDef)];
      ok(await restart(tenantDef, { instructions: AT_A, processInstanceIds: [syncOld] }), 204);
      const b = ok(await restartAsync(tenantDef, { instructions: AT_A, processInstanceIds: [asyncOld] }));
      assert.equal(b.tenantId, 'tenant-1');
      await h.runBatch(b);
      for (const old of [syncOld, asyncOld]) {
        const restarted = await h.restartOf(old);
        assert.equal(restarted.tenantId, 'tenant-1');
        assert.equal(ok(await h.call('GET', '/process-instance/{id}', `/process-instance/${restarted.id}`)).tenantId, 'tenant-1');
      }
    });

    it('keeps the business key, or drops it with withoutBusinessKey', async () => {
      const old = await h.ended(def, { businessKey: 'order-7' });
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old] }), 204);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old], withoutBusinessKey: true }), 204);
      const [kept, dropped] = await h.restartsOf(old);
      for (const [restarted, key] of [[kept, 'order-7'], [dropped, null]]) {
        assert.equal(restarted.businessKey, key);
        const runtime = ok(await h.call('GET', '/process-instance/{id}', `/process-instance/${restarted.id}`));
        assert.equal(runtime.businessKey, key);
      }
    });

    it('links the new historic instance to the old one, which stays as it was; an instance can be restarted again and again', async () => {
      const old = await h.ended(def, { businessKey: 'linked', variables: STARTED }, 'completed');
      const before = await h.historic(old);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [old] }), 204);
      ok(await restart(def, { instructions: AT_B, processInstanceIds: [old] }), 204);
      assert.deepEqual(await h.historic(old), before, 'the old historic instance is unchanged');
      const [first, second] = await h.restartsOf(old);
      assert.notEqual(first.id, second.id);
      for (const [restarted, activity] of [[first, 'a'], [second, 'b']]) {
        assert.deepEqual(
          [restarted.restartedProcessInstanceId, restarted.state, restarted.endTime, restarted.startActivityId, restarted.processDefinitionId],
          [old, 'ACTIVE', null, activity, def.id],
        );
        assert.deepEqual(await h.activityIds(restarted.id), [activity]);
      }
      assert.equal((await h.call('GET', '/process-instance/{id}', `/process-instance/${old}`)).status, 404, 'the old instance does not run again');
      // a restarted instance, ended, restarts like any other
      await h.end(first.id);
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [first.id] }), 204);
      assert.equal((await h.restartOf(first.id)).restartedProcessInstanceId, first.id);
      assert.equal((await h.historic(first.id)).restartedProcessInstanceId, old);
    });

    // --- instructions --------------------------------------------------------------------------------

    it('each instruction type starts where it says, without running the start event', async () => {
      const cases = [
        [[{ type: 'startBeforeActivity', activityId: 'a' }], ['a'], 'a'],
        [[{ type: 'startAfterActivity', activityId: 'a' }], ['b'], 'b'],
        [[{ type: 'startTransition', transitionId: 'f2' }], ['b'], 'b'],
        [[{ type: 'startTransition', transitionId: 'f1' }], ['a'], 'a'],
        // several, in order; cancel entries are skipped
        [[{ type: 'startBeforeActivity', activityId: 'b' }, { type: 'cancel', activityId: 'b' }, { type: 'startTransition', transitionId: 'f1' }], ['a', 'b'], 'b'],
        [[{ type: 'startBeforeActivity', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'a' }], ['a', 'a'], 'a'],
      ];
      for (const [instructions, running, startActivityId] of cases) {
        const old = await h.ended(def);
        ok(await restart(def, { instructions, processInstanceIds: [old] }), 204);
        const restarted = await h.restartOf(old);
        assert.deepEqual(await h.activityIds(restarted.id), running, JSON.stringify(instructions));
        assert.equal(restarted.startActivityId, startActivityId, JSON.stringify(instructions));
        assert.ok(!(await h.historicActivities(restarted.id)).includes('start'), 'the start event does not run');
      }
    });

    it('a plan that reaches the end event at once gives a COMPLETED instance', async () => {
      const old = await h.ended(def);
      ok(await restart(def, { instructions: [{ type: 'startTransition', transitionId: 'f3' }], processInstanceIds: [old] }), 204);
      const restarted = await h.restartOf(old);
      assert.deepEqual([restarted.state, restarted.startActivityId, await h.activityIds(restarted.id)], ['COMPLETED', 'end', null]);
      assert.deepEqual(await h.historicActivities(restarted.id), ['end']);
    });

    it('runs listeners and input mappings of what it starts; skipCustomListeners and skipIoMappings leave them out', async () => {
      const cases = [
        [{}, ['bInput="mapped"@local', 'bListened=true@instance']],
        [{ skipCustomListeners: true }, ['bInput="mapped"@local']],
        [{ skipIoMappings: true }, ['bListened=true@instance']],
        [{ skipCustomListeners: true, skipIoMappings: true }, []],
      ];
      for (const [flags, variables] of cases) {
        const old = await h.ended(def); // deleted at a: b never ran, nothing of it to restore
        ok(await restart(def, { instructions: AT_B, processInstanceIds: [old], ...flags }), 204);
        const restarted = await h.restartOf(old);
        assert.deepEqual(await h.historicVariables(restarted.id), variables, JSON.stringify(flags));
        assert.deepEqual(await h.activityIds(restarted.id), ['b']);
      }
    });

    // --- selecting the instances ---------------------------------------------------------------------

    it('selects by processInstanceIds, by historicProcessInstanceQuery, and by both: their union, each once', async () => {
      const [x, y, z] = [await h.ended(def, { businessKey: 'select-x' }), await h.ended(def, { businessKey: 'select-y' }), await h.ended(def, { businessKey: 'select-z' })];
      ok(await restart(def, { instructions: AT_A, processInstanceIds: [x, x] }), 204);
      assert.equal((await h.restartsOf(x)).length, 1, 'a repeated id: one new instance');
      ok(await restart(def, { instructions: AT_A, historicProcessInstanceQuery: { processInstanceBusinessKey: 'select-y', finished: true } }), 204);
      assert.equal((await h.restartsOf(y)).length, 1);
      ok(await restart(def, {
        instructions: AT_A,
        processInstanceIds: [x, y],
        historicProcessInstanceQuery: { processInstanceIds: [y, z] },
      }), 204);
      assert.deepEqual([(await h.restartsOf(x)).length, (await h.restartsOf(y)).length, (await h.restartsOf(z)).length], [2, 2, 1]);

      // the same selection as a batch: one job per distinct instance
      const b = ok(await restartAsync(def, { instructions: AT_A, processInstanceIds: [x, y, x], historicProcessInstanceQuery: { processInstanceBusinessKeyIn: ['select-y', 'select-z'], finished: true } }));
      assert.equal(b.totalJobs, 3);
      assert.deepEqual((await h.batchInstances(b.id)).map((r) => r.processInstanceId).sort(), [x, y, z].sort());
      await h.runBatch(b);
      assert.deepEqual([(await h.restartsOf(x)).length, (await h.restartsOf(y)).length, (await h.restartsOf(z)).length], [3, 3, 2]);
    });

    // --- validation ------------------------------------------------------------------------------------

    it('refuses a malformed body with 400 "" before anything else, on both paths', async () => {
      const old = await h.ended(def);
      const cases = [
        ['not an object', [AT_A]],
        ['processInstanceIds not a list', { instructions: AT_A, processInstanceIds: old }],
        ['an id not a string', { instructions: AT_A, processInstanceIds: [7] }],
        ['historicProcessInstanceQuery not an object', { instructions: AT_A, processInstanceIds: [old], historicProcessInstanceQuery: [] }],
        ['a query field of the wrong type', { instructions: AT_A, historicProcessInstanceQuery: { processInstanceBusinessKey: { k: 1 } } }],
        ['instructions not a list', { instructions: AT_A[0], processInstanceIds: [old] }],
        ['an instruction without type', { instructions: [{ activityId: 'a' }], processInstanceIds: [old] }],
        ['an unknown type', { instructions: [{ type: 'restart', activityId: 'a' }], processInstanceIds: [old] }],
        ['activityId not a string', { instructions: [{ type: 'startBeforeActivity', activityId: ['a'] }], processInstanceIds: [old] }],
        ['instruction variables not a map', { instructions: [{ type: 'startBeforeActivity', activityId: 'a', variables: [] }], processInstanceIds: [old] }],
        ['initialVariables not a boolean', { instructions: AT_A, processInstanceIds: [old], initialVariables: 'yes' }],
        ['skipCustomListeners not a boolean', { instructions: AT_A, processInstanceIds: [old], skipCustomListeners: 1 }],
        ['skipIoMappings not a boolean', { instructions: AT_A, processInstanceIds: [old], skipIoMappings: {} }],
        ['withoutBusinessKey not a boolean', { instructions: AT_A, processInstanceIds: [old], withoutBusinessKey: [] }],
        // the whole body maps before the instructions are read
        ['a bad type after an incomplete instruction', { instructions: [{ type: 'startTransition' }, { type: 'bogus' }] }],
      ];
      for (const [what, body] of cases) {
        expectError(await restart(def, body), 400, 'InvalidRequestException', '', null, `sync: ${what}`);
        expectError(await restartAsync(def, body), 400, 'InvalidRequestException', '', null, `async: ${what}`);
      }
      // before the definition is looked up
      expectError(await h.restartAt('nope', { instructions: {} }), 400, 'InvalidRequestException', '', null);
      assert.deepEqual(await h.restartsOf(old), []);
    });

    it('sync: checks the instructions, then the ids, then the definition, with the engine messages as 400s', async () => {
      const old = await h.ended(def);
      const empty = 'Restart instructions cannot be empty: instructions is empty';
      const cases = [
        [def.id, {}, empty],
        [def.id, { processInstanceIds: [old] }, empty],
        [def.id, { processInstanceIds: [old], instructions: null }, empty],
        [def.id, { processInstanceIds: [old], instructions: [] }, empty],
        [def.id, { processInstanceIds: [old], instructions: [{ type: 'cancel', activityId: 'a' }] }, empty], // cancel is skipped
        ['nope', { processInstanceIds: [] }, empty],
        [def.id, { instructions: AT_A }, 'processInstanceIds is empty'],
        [def.id, { instructions: AT_A, processInstanceIds: [] }, 'processInstanceIds is empty'],
        [def.id, { instructions: AT_A, historicProcessInstanceQuery: { processInstanceBusinessKey: 'nobody' } }, 'processInstanceIds is empty'],
        ['nope', { instructions: AT_A, processInstanceIds: [] }, 'processInstanceIds is empty'],
        [def.id, { instructions: AT_A, processInstanceIds: [old, null] }, 'Process instance ids cannot be null: Process instance ids contains null value'],
        ['nope', { instructions: AT_A, processInstanceIds: [old] }, "no deployed process definition found with id 'nope': processDefinition is null"],
        [def.id, { instructions: AT_A, processInstanceIds: ['nobody'] }, 'Historic process instance cannot be found: historicProcessInstanceId is null'],
      ];
      for (const [definitionId, body, message] of cases) {
        expectError(await h.restartAt(definitionId, body), 400, 'InvalidRequestException', message, null, JSON.stringify([definitionId, body]));
      }
      assert.deepEqual(await h.restartsOf(old), []);
    });

    it('async: checks the ids, then the instructions, then the definition; its null-id message names processInstanceIds', async () => {
      const old = await h.ended(def);
      const count = await h.batchCount();
      const empty = 'Restart instructions cannot be empty: instructions is empty';
      const cases = [
        [def.id, {}, 'processInstanceIds is empty'],
        [def.id, { instructions: [] }, 'processInstanceIds is empty'],
        [def.id, { instructions: AT_A, processInstanceIds: [] }, 'processInstanceIds is empty'],
        [def.id, { instructions: AT_A, historicProcessInstanceQuery: { processInstanceBusinessKey: 'nobody' } }, 'processInstanceIds is empty'],
        ['nope', { processInstanceIds: [] }, 'processInstanceIds is empty'],
        [def.id, { processInstanceIds: [old] }, empty],
        [def.id, { processInstanceIds: [old], instructions: [{ type: 'cancel', activityId: 'a' }] }, empty],
        ['nope', { processInstanceIds: [old] }, empty],
        [def.id, { instructions: AT_A, processInstanceIds: [null, old] }, 'Process instance ids cannot be null: processInstanceIds contains null value'],
        ['nope', { instructions: AT_A, processInstanceIds: [old] }, "no deployed process definition found with id 'nope': processDefinition is null"],
      ];
      for (const [definitionId, body, message] of cases) {
        expectError(await h.restartAsyncAt(definitionId, body), 400, 'InvalidRequestException', message, null, JSON.stringify([definitionId, body]));
      }
      assert.equal(await h.batchCount(), count, 'no batch created');
    });

    it('refuses incomplete instructions, an ancestor and unconvertible variables in the instruction\'s words, on both paths', async () => {
      const old = await h.ended(def);
      const cases = [
        [[{ type: 'startBeforeActivity' }], "For instruction type 'startBeforeActivity': 'activityId' must be set"],
        [[{ type: 'startAfterActivity', transitionId: 'f2' }], "For instruction type 'startAfterActivity': 'activityId' must be set"],
        [[{ type: 'startTransition', activityId: 'a' }], "For instruction type 'startTransition': 'transitionId' must be set"],
        [[...AT_A, { type: 'startTransition' }], "For instruction type 'startTransition': 'transitionId' must be set"],
        [[{ type: 'startBeforeActivity', activityId: 'a', ancestorActivityInstanceId: 'x' }], "For instruction type 'startBeforeActivity': 'ancestorActivityInstanceId' cannot be used in a restart"],
        [[{ type: 'startTransition', transitionId: 'f2', ancestorActivityInstanceId: 'x' }], "For instruction type 'startTransition': 'ancestorActivityInstanceId' cannot be used in a restart"],
        [[{ type: 'startBeforeActivity', activityId: 'a', variables: { n: { value: 'x', type: 'Integer' } } }], "Cannot convert value 'x' of type 'Integer' to java type java.lang.Integer"],
        [[{ type: 'startBeforeActivity', activityId: 'a', variables: { n: { value: 1, type: 'Weird' } } }], "Unsupported value type 'Weird'"],
      ];
      for (const [instructions, message] of cases) {
        // read before the ids are collected, on both paths
        for (const ids of [[old], []]) {
          expectError(await restart(def, { instructions, processInstanceIds: ids }), 400, 'InvalidRequestException', message, null, `sync ${JSON.stringify(instructions)}`);
          expectError(await restartAsync(def, { instructions, processInstanceIds: ids }), 400, 'InvalidRequestException', message, null, `async ${JSON.stringify(instructions)}`);
        }
      }
      assert.deepEqual(await h.restartsOf(old), []);
    });

    it('refuses targets the model does not have: the engine\'s BadUserRequests as 400 InvalidRequestException', async () => {
      const old = await h.ended(def);
      const cases = [
        [[{ type: 'startBeforeActivity', activityId: 'nope' }], `Element 'nope' does not exist in process ${def.id}: targetElement is null`],
        [[{ type: 'startTransition', transitionId: 'nope' }], `Element 'nope' does not exist in process ${def.id}: targetElement is null`],
        [[{ type: 'startAfterActivity', activityId: 'nope' }], "Cannot perform instruction: Start after activity 'nope'; Activity 'nope' does not exist: activity is null"],
        [[...AT_A, { type: 'startBeforeActivity', activityId: 'nope' }], `Cannot perform instruction: Start before activity 'nope'; Element 'nope' does not exist in process '${def.id}': element is null`],
      ];
      for (const [instructions, message] of cases) {
        expectError(await restart(def, { instructions, processInstanceIds: [old] }), 400, 'InvalidRequestException', message, null, JSON.stringify(instructions));
      }
      assert.deepEqual(await h.restartsOf(old), []);
    });

    // --- the batch ---------------------------------------------------------------------------------------

    it('restart-async: a batch of type instance-restart; seed jobs hand out one job per instance, the monitor ends it', async () => {
      const ids = [await h.ended(def), await h.ended(def), await h.ended(def)];
      const b = ok(await restartAsync(def, { instructions: AT_A, processInstanceIds: ids }));
      assert.deepEqual(
        [b.type, b.totalJobs, b.jobsCreated, b.batchJobsPerSeed, b.invocationsPerBatchJob, b.suspended, b.tenantId, b.executionStartTime],
        ['instance-restart', 3, 0, 2, 1, false, null, null],
      );
      assert.deepEqual(ok(await h.getBatch(b.id)), b);
      const defs = ok(await h.call('GET', '/job-definition', `/job-definition?jobConfiguration=${b.id}`));
      assert.deepEqual(defs.map((d) => d.jobType).sort(), ['batch-monitor-job', 'batch-seed-job', 'instance-restart']);
      assert.equal(defs.find((d) => d.jobType === 'batch-seed-job').deploymentId, def.deploymentId);
      for (const id of ids) assert.deepEqual(await h.restartsOf(id), [], 'nothing restarted before the jobs run');

      // the first seed run: 2 execution jobs and the next seed job
      await h.executeOk((await h.seedJob(b)).id);
      assert.equal((await h.executionJobs(b)).length, 2);
      assert.ok(await h.seedJob(b));
      assert.deepEqual(await h.statistics(b.id), [3, 0, 0]);
      await h.seedAll(b);
      const jobs = await h.executionJobs(b);
      assert.equal(jobs.length, 3);
      assert.equal(ok(await h.getBatch(b.id)).jobsCreated, 3);

      await h.executeOk(jobs[0].id);
      assert.deepEqual(await h.statistics(b.id), [2, 1, 0]);
      assert.ok(ok(await h.getBatch(b.id)).executionStartTime);
      for (const job of jobs.slice(1)) await h.executeOk(job.id);
      assert.deepEqual(await h.statistics(b.id), [0, 3, 0]);
      assert.deepEqual(await h.batchInstances(b.id), ids.map((processInstanceId) => ({ processInstanceId, state: 'done', errorMessage: null })));
      for (const id of ids) {
        const restarted = await h.restartOf(id);
        assert.deepEqual(await h.activityIds(restarted.id), ['a']);
      }

      await h.executeOk((await h.monitorJob(b)).id);
      expectError(await h.getBatch(b.id), 404, 'InvalidRequestException', `Batch with id '${b.id}' does not exist`, null);
      const historic = await h.historicBatch(b.id);
      assert.deepEqual([historic.type, historic.totalJobs], ['instance-restart', 3]);
      assert.ok(historic.endTime);
    });

    it('restart-async: unknown, running and foreign instances fail their job only, with the synchronous messages', async () => {
      const [good1, good2] = [await h.ended(def), await h.ended(def)];
      const running = await h.start(def);
      const foreign = await h.ended(other);
      const b = ok(await restartAsync(def, { instructions: AT_A, processInstanceIds: [good1, 'missing', running, foreign, good2] }));
      assert.equal(b.totalJobs, 5);
      await h.seedAll(b);
      const messages = {
        missing: 'Historic process instance cannot be found: historicProcessInstanceId is null',
        [running]: `ENGINE-13040 Historic process instance '${running}' cannot be restarted. It is not completed or terminated.`,
        [foreign]: `ENGINE-13039 Historic process instance '${foreign}' cannot be restarted. Its process definition '${other.id}' does not match given process definition '${def.id}'`,
      };
      const failures = [];
      for (const job of await h.executionJobs(b)) {
        const r = await h.execute(job.id);
        if (r.status === 204) continue;
        // POST /job/{id}/execute: a failing job is a 404 InvalidRequestException with its message
        assert.deepEqual([r.status, r.body.type], [404, 'InvalidRequestException'], JSON.stringify(r.body));
        failures.push(r.body.message);
      }
      assert.deepEqual(failures.sort(), Object.values(messages).sort());
      assert.equal((await h.restartOf(good1)).state, 'ACTIVE');
      assert.equal((await h.restartOf(good2)).state, 'ACTIVE');
      for (const id of [running, foreign]) assert.deepEqual(await h.restartsOf(id), []);

      // the failed jobs stay, one retry fewer, with the message; the batch shows who failed and why
      const left = await h.executionJobs(b);
      assert.deepEqual(left.map((j) => [j.retries, j.exceptionMessage]).sort(), Object.values(messages).map((m) => [2, m]).sort());
      // failedJobs counts the jobs without retries left: none yet
      assert.deepEqual(await h.statistics(b.id), [3, 2, 0]);
      const outcome = Object.fromEntries((await h.batchInstances(b.id)).map((r) => [r.processInstanceId, [r.state, r.errorMessage]]));
      assert.deepEqual(outcome, {
        [good1]: ['done', null],
        [good2]: ['done', null],
        missing: ['failed', messages.missing],
        [running]: ['failed', messages[running]],
        [foreign]: ['failed', messages[foreign]],
      });
      // the monitor waits for them
      await h.executeOk((await h.monitorJob(b)).id);
      assert.equal((await h.getBatch(b.id)).status, 200);
      ok(await h.call('DELETE', '/batch/{id}', `/batch/${b.id}?cascade=true`), 204);
    });

    // --- sync and async: the same plan, the same instances ------------------------------------------

    // a plan: the restart request's options (instructions and flags)
    const PLANS = {
      'start before a': { instructions: AT_A },
      'start after a': { instructions: [{ type: 'startAfterActivity', activityId: 'a' }] },
      'start transition f2': { instructions: [{ type: 'startTransition', transitionId: 'f2' }] },
      'start at a and b': { instructions: [...AT_A, ...AT_B] },
      'start transition f3: ends at once': { instructions: [{ type: 'startTransition', transitionId: 'f3' }] },
      'initial variables': { instructions: AT_B, initialVariables: true },
      'without business key, listeners and mappings': { instructions: [...AT_B, ...AT_A], withoutBusinessKey: true, skipCustomListeners: true, skipIoMappings: true },
      'instruction variables': { instructions: [{ type: 'startBeforeActivity', activityId: 'b', variables: { amount: { value: 5, type: 'Long' }, extra: { value: true } } }] },
    };

    /** What can be seen of restarted instance `id` (of historic instance `from`), comparable between two. */
    const facts = async (id, from) => {
      const hpi = await h.historic(id);
      const running = hpi.endTime == null;
      return {
        linked: hpi.restartedProcessInstanceId === from,
        state: hpi.state,
        businessKey: hpi.businessKey,
        startActivityId: hpi.startActivityId,
        processDefinitionId: hpi.processDefinitionId,
        tree: running ? h.shape(await h.tree(id)) : null,
        variables: running ? await h.variables(id) : null,
        historicVariables: await h.historicVariables(id),
        initialVariables: await h.initialVariables(id),
        activities: await h.historicActivities(id),
      };
    };

    for (const [name, plan] of Object.entries(PLANS)) {
      it(`restart-async gives the instance the synchronous restart gives: ${name}`, async () => {
        // two ended instances alike: started with variables and a key, a variable changed, deleted
        const twin = async () => {
          const id = await h.start(def, { businessKey: 'twin', variables: STARTED });
          await h.putVariable(id, 'amount', { value: 3, type: 'Integer' });
          return h.end(id);
        };
        const [syncOld, asyncOld] = [await twin(), await twin()];
        ok(await restart(def, { ...plan, processInstanceIds: [syncOld] }), 204);
        await h.runBatch(ok(await restartAsync(def, { ...plan, processInstanceIds: [asyncOld] })));
        const [sync, async] = [await facts((await h.restartOf(syncOld)).id, syncOld), await facts((await h.restartOf(asyncOld)).id, asyncOld)];
        assert.equal(sync.linked, true);
        assert.deepEqual(async, sync);
      });
    }

    // --- the /key/{key}/ forms ---------------------------------------------------------------------------

    it('/key/{key}/restart and restart-async restart instances of the latest version; an unknown key is a 404', async () => {
      const v1 = await h.deploy(PROCESS, 'keyedRestart');
      const ofV1 = await h.ended(v1);
      ok(await h.restartAt('key/keyedRestart', { instructions: AT_A, processInstanceIds: [ofV1] }), 204);
      assert.equal((await h.restartOf(ofV1)).processDefinitionId, v1.id);

      const v2 = await h.deploy(VERSION_2, 'keyedRestart');
      assert.notEqual(v2.id, v1.id);
      const ofV2 = await h.ended(v2);
      ok(await h.restartAt('key/keyedRestart', { instructions: [{ type: 'startBeforeActivity', activityId: 'c' }], processInstanceIds: [ofV2] }), 204);
      const restarted = await h.restartOf(ofV2);
      assert.equal(restarted.processDefinitionId, v2.id);
      assert.deepEqual(await h.activityIds(restarted.id), ['c']);
      // no "latest version" substitution for the instance: it must be of the version the key names now
      expectError(await h.restartAt('key/keyedRestart', { instructions: AT_A, processInstanceIds: [ofV1] }), 500, 'ProcessEngineException',
        `ENGINE-13039 Historic process instance '${ofV1}' cannot be restarted. Its process definition '${v1.id}' does not match given process definition '${v2.id}'`, 0);
      // the body is read as on the /{id} form
      expectError(await h.restartAt('key/keyedRestart', { instructions: AT_A }), 400, 'InvalidRequestException', 'processInstanceIds is empty', null);

      const b = ok(await h.restartAsyncAt('key/keyedRestart', { instructions: AT_A, processInstanceIds: [ofV2] }));
      assert.equal(b.type, 'instance-restart');
      await h.runBatch(b);
      const [, again] = await h.restartsOf(ofV2);
      assert.deepEqual([again.processDefinitionId, await h.activityIds(again.id)], [v2.id, ['a']]);
      expectError(await h.restartAsyncAt('key/keyedRestart', { processInstanceIds: [ofV2] }), 400, 'InvalidRequestException', 'Restart instructions cannot be empty: instructions is empty', null);

      for (const at of [h.restartAt, h.restartAsyncAt]) {
        // the key is resolved before the body is read
        expectError(await at('key/noSuchKey', { instructions: AT_A, processInstanceIds: [ofV2] }), 404, 'RestException', 'No matching process definition with key: noSuchKey and no tenant-id', null);
        expectError(await at('key/noSuchKey', []), 404, 'RestException', 'No matching process definition with key: noSuchKey and no tenant-id', null);
      }
    });

    // --- Detour: restart onto another version --------------------------------------------------------

    it('/detour/: targetProcessDefinitionId starts the new instances on another version of the process', async () => {
      const v1 = await h.deploy(PROCESS, 'versionedRestart');
      const v2 = await h.deploy(VERSION_2, 'versionedRestart');
      const [syncOld, asyncOld] = [await h.ended(v1, { businessKey: 'moved', variables: STARTED }), await h.ended(v1, { businessKey: 'moved', variables: STARTED })];
      const plan = { instructions: [{ type: 'startBeforeActivity', activityId: 'c' }], targetProcessDefinitionId: v2.id };
      ok(await h.restartAt(v1.id, { ...plan, processInstanceIds: [syncOld] }, '/detour/process-definition/'), 204);
      const b = ok(await h.restartAsyncAt(v1.id, { ...plan, processInstanceIds: [asyncOld] }, '/detour/process-definition/'));
      assert.deepEqual([b.type, b.totalJobs], ['instance-restart', 1]);
      await h.runBatch(b);
      for (const old of [syncOld, asyncOld]) {
        const restarted = await h.restartOf(old);
        assert.deepEqual(
          [restarted.processDefinitionId, restarted.processDefinitionVersion, restarted.businessKey, restarted.startActivityId],
          [v2.id, 2, 'moved', 'c'],
        );
        assert.deepEqual(await h.activityIds(restarted.id), ['c']);
        assert.deepEqual(await h.variables(restarted.id), { amount: ['Integer', 1], customer: ['String', 'Alice'] });
        const running = ok(await h.call('GET', '/process-instance/{id}', `/process-instance/${restarted.id}`));
        assert.equal(running.definitionId, v2.id);
      }
      assert.deepEqual(await facts((await h.restartOf(asyncOld)).id, asyncOld), await facts((await h.restartOf(syncOld)).id, syncOld));

      // without a target, or with the source itself, the /detour/ form is the plain restart
      ok(await h.restartAt(v1.id, { instructions: AT_B, processInstanceIds: [syncOld] }, '/detour/process-definition/'), 204);
      ok(await h.restartAt(v1.id, { instructions: AT_B, processInstanceIds: [syncOld], targetProcessDefinitionId: v1.id }, '/detour/process-definition/'), 204);
      const [, plain, same] = await h.restartsOf(syncOld);
      assert.deepEqual([plain.processDefinitionId, same.processDefinitionId], [v1.id, v1.id]);
    });

    it('/detour/: refuses a target that is not a version of the process or lacks what the instructions name, before any restart or batch', async () => {
      const v1 = await h.deploy(PROCESS, 'refusedRestart');
      const v2 = await h.deploy(VERSION_2, 'refusedRestart');
      const old = await h.ended(v1);
      const ofV2 = await h.ended(v2);
      const count = await h.batchCount();
      const cases = [
        [{ instructions: AT_B, targetProcessDefinitionId: v2.id }, `For instruction type 'startBeforeActivity': activity 'b' does not exist in process definition '${v2.id}'`],
        [{ instructions: [...AT_A, { type: 'startAfterActivity', activityId: 'b' }], targetProcessDefinitionId: v2.id }, `For instruction type 'startAfterActivity': activity 'b' does not exist in process definition '${v2.id}'`],
        [{ instructions: [{ type: 'startTransition', transitionId: 'f3' }], targetProcessDefinitionId: v2.id }, `For instruction type 'startTransition': sequence flow 'f3' does not exist in process definition '${v2.id}'`],
        [{ instructions: AT_A, targetProcessDefinitionId: def.id }, `Process definition '${def.id}' is not a version of process 'refusedRestart'`],
        [{ instructions: AT_A, targetProcessDefinitionId: 'nope' }, "no deployed process definition found with id 'nope': processDefinition is null"],
        [{ instructions: AT_A, targetProcessDefinitionId: 5 }, ''],
      ];
      for (const [plan, message] of cases) {
        for (const at of [h.restartAt, h.restartAsyncAt]) {
          expectError(await at(v1.id, { ...plan, processInstanceIds: [old] }, '/detour/process-definition/'), 400, 'InvalidRequestException', message, null, JSON.stringify(plan));
        }
      }
      assert.deepEqual(await h.restartsOf(old), []);
      assert.equal(await h.batchCount(), count, 'no batch created');
      // Camunda's own checks come first, in the command's order; then the target
      const empty = 'Restart instructions cannot be empty: instructions is empty';
      const order = [
        [v1.id, { instructions: [], processInstanceIds: [old], targetProcessDefinitionId: def.id }, empty],
        [v1.id, { instructions: AT_B, targetProcessDefinitionId: v2.id }, 'processInstanceIds is empty'],
        ['nope', { instructions: AT_A, processInstanceIds: [], targetProcessDefinitionId: v2.id }, 'processInstanceIds is empty'],
        [v1.id, { instructions: AT_B, processInstanceIds: [old, null], targetProcessDefinitionId: 'nope' }, 'Process instance ids cannot be null: Process instance ids contains null value'],
        ['nope', { instructions: AT_A, processInstanceIds: [old], targetProcessDefinitionId: def.id }, "no deployed process definition found with id 'nope': processDefinition is null"],
      ];
      for (const [definitionId, body, message] of order) {
        expectError(await h.restartAt(definitionId, body, '/detour/process-definition/'), 400, 'InvalidRequestException', message, null, JSON.stringify([definitionId, body]));
      }
      expectError(await h.restartAsyncAt(v1.id, { instructions: [], targetProcessDefinitionId: def.id }, '/detour/process-definition/'), 400, 'InvalidRequestException', 'processInstanceIds is empty', null);
      expectError(await h.restartAsyncAt(v1.id, { processInstanceIds: [old], targetProcessDefinitionId: def.id }, '/detour/process-definition/'), 400, 'InvalidRequestException', empty, null);

      // the historic instances are still those of the path's definition
      expectError(
        await h.restartAt(v1.id, { instructions: AT_A, processInstanceIds: [ofV2], targetProcessDefinitionId: v2.id }, '/detour/process-definition/'),
        500, 'ProcessEngineException',
        `ENGINE-13039 Historic process instance '${ofV2}' cannot be restarted. Its process definition '${v2.id}' does not match given process definition '${v1.id}'`, 0,
      );
    });
  },
  { engine: { batch: { batchJobsPerSeed: 2, invocationsPerBatchJob: 1 } } },
);

// Several instances per execution job: each is restarted in its own transaction, so a job that
// fails on one instance keeps the instances it restarted before, and its retry does not restart
// them again.
describeRest(
  'process instance restart, two instances per job',
  (ctx) => {
    const h = helpers(ctx);

    it('a failed job\'s retry restarts only the instances it has not restarted yet', async () => {
      const def = await h.deploy(PROCESS, 'pairedRestart');
      const good = await h.ended(def);
      const b = h.ok(await h.restartAsync(def, { instructions: AT_A, processInstanceIds: [good, 'missing'] }));
      assert.equal(b.totalJobs, 1);
      await h.seedAll(b);
      const [job] = await h.executionJobs(b);
      for (const retries of [2, 1]) {
        h.expectError(await h.execute(job.id), 404, 'InvalidRequestException', 'Historic process instance cannot be found: historicProcessInstanceId is null', null);
        assert.equal((await h.executionJobs(b))[0].retries, retries);
        assert.equal((await h.restartsOf(good)).length, 1, 'restarted once');
      }
      assert.deepEqual((await h.batchInstances(b.id)).map((r) => [r.processInstanceId, r.state]), [[good, 'done'], ['missing', 'failed']]);
      h.ok(await h.call('DELETE', '/batch/{id}', `/batch/${b.id}?cascade=true`), 204);
    });
  },
  { engine: { batch: { batchJobsPerSeed: 10, invocationsPerBatchJob: 2 } } },
);
