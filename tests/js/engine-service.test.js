// engine-service.test.js — the engine's operations for the REST service over the memory store:
// suspending and activating instances, job retries, deleting deployments (with and without
// cascade) and job definitions (one per async continuation and timer, linked from every job).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { MemoryStore } from '../../js/store/memory.js';
import { coreModule, fixture, processXml, T0 } from './support.js';

const MINUTE = 60000;

/** A fresh engine with a fixed clock (advance with clock.add) and counted ids. */
async function newEngine(options = {}) {
  let now = T0;
  let n = 0;
  const clock = () => now;
  clock.add = (ms) => {
    now += ms;
  };
  const engine = new Engine({
    core: await loadCore(coreModule),
    store: new MemoryStore(),
    clock,
    ids: () => (++n).toString(16).padStart(32, '0'),
    ...options,
  });
  return { engine, clock, store: engine.store };
}

// start → work (asyncBefore, delegate `work`) → check (user task) → end
const asyncWorkXml = processXml('asyncWork', `
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:delegateExpression="\${work}" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="check" />
    <bpmn:userTask id="check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />`);

// start → review (multi-instance ×2, asyncBefore and asyncAfter on the activity) → end
const asyncMultiInstanceXml = processXml('asyncMulti', `
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" camunda:asyncBefore="true" camunda:asyncAfter="true">
      <bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />`);

const isError = (type, message) => (e) => {
  assert.equal(e.type, type);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

async function startUserTask(engine) {
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  const [task] = await engine.tasks({ processInstanceId: pi.id });
  return { pi, task };
}

// --- suspension -------------------------------------------------------------------------------------

test('suspending an instance suspends its tasks and its historic state; activating reverses both', async () => {
  const { engine, clock } = await newEngine();
  const { pi, task } = await startUserTask(engine);
  clock.add(MINUTE);
  await engine.suspendProcessInstance(pi.id, true);
  assert.equal((await engine.processInstance(pi.id)).suspended, true);
  assert.equal((await engine.task(task.id)).suspended, true);
  assert.deepEqual((await engine.tasks({ suspended: true })).map((t) => t.id), [task.id]);
  assert.equal((await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state, 'SUSPENDED');

  await engine.suspendProcessInstance(pi.id, true); // twice is no error
  await engine.suspendProcessInstance(pi.id, false);
  assert.equal((await engine.processInstance(pi.id)).suspended, false);
  assert.equal((await engine.task(task.id)).suspended, false);
  assert.equal((await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state, 'ACTIVE');
});

test('a task of a suspended instance cannot be completed; after activation it can', async () => {
  const { engine } = await newEngine();
  const { pi, task } = await startUserTask(engine);
  await engine.suspendProcessInstance(pi.id, true);
  await assert.rejects(
    engine.completeTask(task.id),
    isError('SuspendedEntityInteractionException', `ENGINE-03043 task with id '${task.id}' is suspended.`),
  );
  assert.equal((await engine.tasks({ processInstanceId: pi.id })).length, 1, 'nothing changed');
  // variables may still change (Camunda's testChangeVariablesAfterProcessInstanceSuspend)
  await engine.setVariables(pi.id, { note: { value: 'x', type: 'String' } });
  await engine.suspendProcessInstance(pi.id, false);
  await engine.completeTask(task.id);
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED', 'an ended instance keeps its end state');
});

test('a suspended instance hides its external tasks from workers and refuses their completion', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('external-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('externalTaskProcess');
  const topics = [{ topicName: 'payment', lockDuration: MINUTE }];
  const [locked] = await engine.fetchAndLock({ workerId: 'w1', topics });
  await engine.suspendProcessInstance(pi.id, true);
  assert.equal((await engine.externalTasks({ externalTaskId: locked.id }))[0].suspended, true);
  await assert.rejects(
    engine.completeExternalTask(locked.id, { workerId: 'w1' }),
    isError('SuspendedEntityInteractionException', `ENGINE-03043 ExternalTask with id '${locked.id}' is suspended.`),
  );
  await engine.suspendProcessInstance(pi.id, false);
  await engine.completeExternalTask(locked.id, { workerId: 'w1' });
  assert.deepEqual(await engine.processInstances(), []);
});

test('jobs of a suspended instance are suspended and the job runner leaves them', async () => {
  const { engine } = await newEngine();
  engine.registerDelegate('work', () => ({}));
  await engine.deploy(asyncWorkXml);
  const pi = await engine.startProcessInstanceByKey('asyncWork');
  const [job] = await engine.jobs({ processInstanceId: pi.id });
  await engine.suspendProcessInstance(pi.id, true);
  assert.equal((await engine.jobs({ jobId: job.id }))[0].suspended, true);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });
  await assert.rejects(engine.executeJob(job.id), isError('SuspendedEntityInteractionException'));
  await engine.suspendProcessInstance(pi.id, false);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
});

test('messages do not correlate to a suspended instance', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('receive-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('receiveTaskProcess');
  await engine.suspendProcessInstance(pi.id, true);
  await assert.rejects(
    engine.correlateMessage('order'),
    isError('MismatchingMessageCorrelationException', "Cannot correlate message 'order': No process definition or execution matches the parameters"),
  );
  await engine.suspendProcessInstance(pi.id, false);
  const [result] = await engine.correlateMessage('order');
  assert.equal(result.execution.processInstanceId, pi.id);
});

test('suspending an unknown instance is a NotFoundException', async () => {
  const { engine } = await newEngine();
  await assert.rejects(engine.suspendProcessInstance('nope', true), isError('NotFoundException'));
});

// --- job retries ------------------------------------------------------------------------------------

async function failedJob(engine) {
  let fail = true;
  engine.registerDelegate('work', () => {
    if (fail) throw new Error('bank offline');
    return {};
  });
  await engine.deploy(asyncWorkXml);
  const pi = await engine.startProcessInstanceByKey('asyncWork');
  const [job] = await engine.jobs({ processInstanceId: pi.id });
  for (let i = 0; i < 3; i++) await assert.rejects(engine.executeJob(job.id));
  return { pi, job, heal: () => (fail = false) };
}

test('setting retries of a failed job resolves its incident and lets it run again', async () => {
  const { engine, clock } = await newEngine();
  const { pi, job, heal } = await failedJob(engine);
  const [incident] = await engine.incidents({ processInstanceId: pi.id });
  assert.equal(incident.configuration, job.id);
  assert.equal((await engine.jobs({ jobId: job.id }))[0].retries, 0);

  clock.add(MINUTE);
  await engine.setJobRetries(job.id, 2);
  assert.equal((await engine.jobs({ jobId: job.id }))[0].retries, 2);
  assert.deepEqual(await engine.incidents({ processInstanceId: pi.id }), []);
  const [historic] = await engine.historicIncidents({ incidentId: incident.id });
  assert.equal(historic.resolved, true);
  assert.equal(historic.open, false);
  assert.equal(historic.endTime, T0 + MINUTE);

  heal();
  await engine.executeJob(job.id);
  assert.equal((await engine.tasks({ processInstanceId: pi.id }))[0].taskDefinitionKey, 'check');
});

test('setJobRetries sets the due date when given, and refuses negative retries and unknown jobs', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('intermediate-timer.bpmn'));
  const pi = await engine.startProcessInstanceByKey('intermediateTimerProcess');
  const [job] = await engine.jobs({ processInstanceId: pi.id });
  assert.equal(job.dueDate, T0 + 5 * MINUTE);
  await engine.setJobRetries(job.id, 3);
  assert.equal((await engine.jobs({ jobId: job.id }))[0].dueDate, T0 + 5 * MINUTE, 'no dueDate: unchanged');
  await engine.setJobRetries(job.id, 3, { dueDate: T0 + MINUTE });
  assert.equal((await engine.jobs({ jobId: job.id }))[0].dueDate, T0 + MINUTE);
  await engine.setJobRetries(job.id, 3, { dueDate: null });
  assert.equal((await engine.jobs({ jobId: job.id }))[0].dueDate, null);

  await assert.rejects(
    engine.setJobRetries(job.id, -1),
    isError('ProcessEngineException', "ENGINE-13054 The number of job retries must be a non-negative Integer, but '-1' has been provided."),
  );
  await assert.rejects(engine.setJobRetries('nope', 1), isError('ProcessEngineException', "ENGINE-13053 No job found with id 'nope'.'"));
});

// --- deleting deployments ---------------------------------------------------------------------------

test('deleting a deployment with running instances needs cascade', async () => {
  const { engine, store } = await newEngine();
  const deployment = await engine.deploy(fixture('user-task.bpmn'));
  const [definitionId] = Object.keys(deployment.deployedProcessDefinitions);
  await engine.startProcessInstanceById(definitionId);
  await engine.startProcessInstanceById(definitionId);
  await assert.rejects(
    engine.deleteDeployment(deployment.id),
    isError(
      'ProcessEngineException',
      `ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${definitionId} ` +
        "can't be deleted, since there exists 2 dependening process instances.",
    ),
  );
  assert.ok(await store.getDeployment(deployment.id), 'nothing was deleted');
  assert.equal((await engine.processInstances()).length, 2);
});

test('deleting a deployment with cascade deletes its instances and their history', async () => {
  const { engine, store } = await newEngine();
  const other = await engine.deploy(fixture('user-task.bpmn'));
  const kept = await engine.startProcessInstanceById(Object.keys(other.deployedProcessDefinitions)[0]);
  const deployment = await engine.deploy(fixture('user-task.bpmn'));
  const [definitionId] = Object.keys(deployment.deployedProcessDefinitions);
  const running = await engine.startProcessInstanceById(definitionId);
  const finished = await engine.startProcessInstanceById(definitionId);
  await engine.completeTask((await engine.tasks({ processInstanceId: finished.id }))[0].id);

  await engine.deleteDeployment(deployment.id, { cascade: true });
  assert.equal(await store.getDeployment(deployment.id), null);
  assert.equal(await store.getDefinition(definitionId), null);
  assert.deepEqual((await engine.processInstances()).map((p) => p.id), [kept.id]);
  assert.deepEqual((await engine.tasks()).map((t) => t.processInstanceId), [kept.id]);
  assert.deepEqual((await engine.historicProcessInstances()).map((h) => h.id), [kept.id]);
  assert.deepEqual(await engine.historicActivityInstances({ processInstanceId: running.id }), []);
  assert.deepEqual(await engine.historicTaskInstances({ processInstanceId: finished.id }), []);
  await assert.rejects(engine.processDefinition(definitionId), isError('NotFoundException'));
});

test('deleting a deployment without instances needs no cascade and keeps finished history', async () => {
  const { engine, store } = await newEngine();
  const deployment = await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  await engine.completeTask((await engine.tasks({ processInstanceId: pi.id }))[0].id);
  await engine.deleteDeployment(deployment.id);
  assert.equal(await store.getDeployment(deployment.id), null);
  assert.deepEqual((await engine.historicProcessInstances()).map((h) => h.id), [pi.id]);
});

test('deleting an unknown deployment is a NotFoundException', async () => {
  const { engine } = await newEngine();
  await assert.rejects(engine.deleteDeployment('nope'), isError('NotFoundException', "Deployment with id 'nope' do not exist"));
});

// --- job definitions --------------------------------------------------------------------------------

async function deployedDefinitionId(engine, xml) {
  const deployment = await engine.deploy(xml);
  return { deployment, definitionId: Object.keys(deployment.deployedProcessDefinitions)[0] };
}

const shape = (d) => [d.activityId, d.jobType, d.jobConfiguration];

test('async continuations get job definitions, a multi-instance activity on its body', async () => {
  const { engine } = await newEngine();
  const { deployment, definitionId } = await deployedDefinitionId(engine, fixture('async-continuations.bpmn'));
  const definitions = await engine.jobDefinitions({ processDefinitionId: definitionId });
  assert.deepEqual(definitions.map(shape), [
    ['start', 'async-continuation', 'async-after'],
    ['beforeTask', 'async-continuation', 'async-before'],
    ['afterTask', 'async-continuation', 'async-after'],
    ['legacyTask', 'async-continuation', 'async-before'],
    ['miTask#multiInstanceBody', 'async-continuation', 'async-before'],
    ['end', 'async-continuation', 'async-before'],
  ]);
  const [first] = definitions;
  assert.deepEqual(Object.keys(first).sort(), [
    'activityId', 'deploymentId', 'id', 'jobConfiguration', 'jobType', 'overridingJobPriority',
    'processDefinitionId', 'processDefinitionKey', 'suspended', 'tenantId',
  ]);
  assert.equal(first.processDefinitionKey, 'asyncProcess');
  assert.equal(first.deploymentId, deployment.id);
  assert.equal(first.suspended, false);
  assert.equal(first.overridingJobPriority, null);
  assert.match(first.id, /^[0-9a-f-]{36}$/);

  const multi = await deployedDefinitionId(engine, asyncMultiInstanceXml);
  assert.deepEqual((await engine.jobDefinitions({ processDefinitionId: multi.definitionId })).map(shape), [
    ['review#multiInstanceBody', 'async-continuation', 'async-before'],
    ['review#multiInstanceBody', 'async-continuation', 'async-after'],
  ]);
  assert.equal((await engine.jobDefinitions({ activityIdIn: ['beforeTask', 'legacyTask'] })).length, 2);
});

test('timers get job definitions by where they sit, configured with their type and expression', async () => {
  const { engine } = await newEngine();
  const intermediate = await deployedDefinitionId(engine, fixture('intermediate-timer.bpmn'));
  const boundary = await deployedDefinitionId(engine, fixture('boundary-timer.bpmn'));
  const eventSubprocess = await deployedDefinitionId(engine, fixture('event-subprocess-timer.bpmn'));
  assert.deepEqual((await engine.jobDefinitions({ processDefinitionId: intermediate.definitionId })).map(shape), [
    ['wait', 'timer-intermediate-transition', 'DURATION: PT5M'],
    ['waitUntil', 'timer-intermediate-transition', 'DATE: ${dueDate}'],
  ]);
  assert.deepEqual((await engine.jobDefinitions({ processDefinitionId: boundary.definitionId })).map(shape), [
    ['timer', 'timer-transition', 'DURATION: PT1H'],
  ]);
  assert.deepEqual((await engine.jobDefinitions({ processDefinitionId: eventSubprocess.definitionId })).map(shape), [
    ['timerStart', 'timer-start-event-subprocess', 'DURATION: PT1H'],
  ]);
  assert.equal((await engine.jobDefinitions({ jobType: 'timer-transition' })).length, 1);
  assert.deepEqual(await engine.jobDefinitions({ processDefinitionId: 'nope' }), []);
  // a definition's DTO does not show them
  assert.equal('jobDefinitions' in (await engine.processDefinition(boundary.definitionId)), false);
});

test('every job carries its job definition id, and jobs can be queried by it', async () => {
  const { engine } = await newEngine();
  const boundary = await deployedDefinitionId(engine, fixture('boundary-timer.bpmn'));
  const [timerDefinition] = await engine.jobDefinitions({ processDefinitionId: boundary.definitionId });
  const pi = await engine.startProcessInstanceById(boundary.definitionId);
  const [job] = await engine.jobs({ processInstanceId: pi.id });
  assert.equal(job.jobDefinitionId, timerDefinition.id);
  assert.deepEqual((await engine.jobs({ jobDefinitionId: timerDefinition.id })).map((j) => j.id), [job.id]);

  const multi = await deployedDefinitionId(engine, asyncMultiInstanceXml);
  const [before, after] = await engine.jobDefinitions({ processDefinitionId: multi.definitionId });
  const mpi = await engine.startProcessInstanceById(multi.definitionId);
  assert.deepEqual((await engine.jobs({ processInstanceId: mpi.id })).map((j) => j.jobDefinitionId), [before.id]);
  await engine.runDueJobs();
  for (const task of await engine.tasks({ processInstanceId: mpi.id })) await engine.completeTask(task.id);
  assert.deepEqual((await engine.jobs({ processInstanceId: mpi.id })).map((j) => j.jobDefinitionId), [after.id]);
});

test('the incident of a failed job carries the job definition id, at runtime and in history', async () => {
  const { engine } = await newEngine();
  const { pi, job } = await failedJob(engine);
  const [incident] = await engine.incidents({ processInstanceId: pi.id });
  assert.ok(job.jobDefinitionId);
  assert.equal(incident.jobDefinitionId, job.jobDefinitionId);
  assert.equal((await engine.historicIncidents({ incidentId: incident.id }))[0].jobDefinitionId, job.jobDefinitionId);
});
