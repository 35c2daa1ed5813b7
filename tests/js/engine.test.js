// engine.test.js — js/engine.js over the memory store: deployment, instances, user and external
// tasks, jobs and timers, messages, variables, history, deletion, and atomicity of failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CoreError, loadCore } from '../../js/core.js';
import { BpmnError, Engine } from '../../js/engine.js';
import { MemoryStore } from '../../js/store/memory.js';
import { coreModule, fixture, processXml, T0 } from './support.js';


const MINUTE = 60000;

/** A fresh engine with a fixed clock (advance with clock.set / clock.add) and counted ids. */
async function newEngine(options = {}) {
  let now = T0;
  let n = 0;
  const clock = () => now;
  clock.add = (ms) => { now += ms; };
  const engine = new Engine({
    core: await loadCore(coreModule),
    store: new MemoryStore(),
    clock,
    ids: () => (++n).toString(16).padStart(32, '0'),
    ...options,
  });
  return { engine, clock, store: engine.store };
}

// start → async service task calling delegate `work` → user task → end
const asyncDelegateXml = processXml('asyncDelegate', `
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:delegateExpression="\${work}" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="check" />
    <bpmn:userTask id="check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />`);

// start → service task calling delegate `risky` (with an error boundary) → user task → end
const bpmnErrorXml = processXml('bpmnErrorProcess', `
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="risky" />
    <bpmn:serviceTask id="risky" camunda:delegateExpression="\${risky}" />
    <bpmn:boundaryEvent id="caught" attachedToRef="risky">
      <bpmn:errorEventDefinition errorRef="err" />
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="risky" targetRef="fine" />
    <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="recover" />
    <bpmn:userTask id="fine" />
    <bpmn:userTask id="recover" />
    <bpmn:sequenceFlow id="f4" sourceRef="fine" targetRef="end" />
    <bpmn:sequenceFlow id="f5" sourceRef="recover" targetRef="end" />
    <bpmn:endEvent id="end" />`, '<bpmn:error id="err" errorCode="NO_FUNDS" />');

/** Everything the store holds, to compare before and after an operation. */
async function snapshot(store) {
  const kinds = ['tasks', 'externalTasks', 'jobs', 'subscriptions', 'incidents'];
  const history = {};
  for (const k of ['processInstance', 'activityInstance', 'variableInstance', 'detail', 'taskInstance', 'incident']) {
    history[k] = await store.history(k);
  }
  return JSON.stringify({
    instances: await store.instances(),
    rows: await Promise.all(kinds.map((k) => store.rows(k))),
    history,
  });
}

test('deploying assigns Camunda-style definition ids and versions per key', async () => {
  const { engine } = await newEngine();
  const first = await engine.deploy(fixture('user-task.bpmn'), { name: 'first' });
  const [def1] = Object.values(first.deployedProcessDefinitions);
  assert.match(def1.id, /^userTaskProcess:1:[0-9a-f-]{36}$/);
  assert.equal(def1.version, 1);
  assert.equal(def1.deploymentId, first.id);
  assert.equal(first.name, 'first');
  assert.equal(first.deploymentTime, T0);
  const second = await engine.deploy(fixture('user-task.bpmn'));
  const [def2] = Object.values(second.deployedProcessDefinitions);
  assert.match(def2.id, /^userTaskProcess:2:/);
  assert.equal((await engine.latestDefinition('userTaskProcess')).id, def2.id);
  const tenant = await engine.deploy(fixture('user-task.bpmn'), { tenantId: 'acme' });
  assert.equal(Object.values(tenant.deployedProcessDefinitions)[0].version, 1, 'versions count per tenant');
  assert.equal((await engine.processDefinitions({ key: 'userTaskProcess' })).length, 3);
});

test('a deployment with an unsupported element stores nothing', async () => {
  const { engine, store } = await newEngine();
  await assert.rejects(engine.deploy(fixture('unsupported-call-activity.bpmn')), (e) => e instanceof CoreError && e.type === 'ParseException');
  await assert.rejects(engine.deploy(fixture('malformed.bpmn')), (e) => e instanceof CoreError && e.type === 'ParseException');
  assert.deepEqual(await store.definitions(), []);
  assert.deepEqual(await store.deployments(), []);
});

test('a started instance waits in its user task, and completing the task ends it', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess', { businessKey: 'order-1', variables: { amount: { value: 5, type: 'Integer' } } });
  assert.equal(pi.definitionKey, 'userTaskProcess');
  assert.equal(pi.businessKey, 'order-1');
  assert.equal(pi.ended, false);

  const tasks = await engine.tasks({ processInstanceId: pi.id });
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0].taskDefinitionKey, 'task');
  assert.equal(tasks[0].name, 'Do it');
  assert.equal(tasks[0].assignee, 'demo');
  assert.equal(tasks[0].created, T0);
  assert.equal((await engine.tasks({ assignee: 'nobody' })).length, 0);
  assert.deepEqual((await engine.processInstances({ activityId: 'task' })).map((p) => p.id), [pi.id]);

  const tree = await engine.activityInstances(pi.id);
  assert.equal(tree.id, pi.id);
  assert.equal(tree.childActivityInstances[0].activityId, 'task');

  clock.add(MINUTE);
  await engine.completeTask(tasks[0].id, { approved: { value: true, type: 'Boolean' } });
  assert.deepEqual(await engine.tasks({ processInstanceId: pi.id }), []);
  assert.deepEqual(await engine.processInstances(), [], 'an ended instance leaves the runtime');
  await assert.rejects(engine.activityInstances(pi.id), (e) => e.type === 'NotFoundException');

  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED');
  assert.equal(hpi.startTime, T0);
  assert.equal(hpi.endTime, T0 + MINUTE);
  assert.equal(hpi.durationInMillis, MINUTE);
  assert.equal(hpi.businessKey, 'order-1');
  assert.equal(hpi.startActivityId, 'start');
  const [htask] = await engine.historicTaskInstances({ processInstanceId: pi.id });
  assert.equal(htask.taskState, 'Completed');
  assert.equal(htask.duration, MINUTE);
});

test('completing an unknown task fails with NotFoundException', async () => {
  const { engine } = await newEngine();
  await assert.rejects(engine.completeTask('nope'), (e) => e instanceof CoreError && e.type === 'NotFoundException' && e.message === 'Cannot find task with id nope: task is null');
});

test('history records activity instances with their times, and variables with initial values marked', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('five-activities.bpmn'));
  const pi = await engine.startProcessInstanceByKey('fiveActivities', { variables: { a: { value: 'one', type: 'String' } } });
  clock.add(2 * MINUTE);
  await engine.setVariables(pi.id, { a: { value: 'two', type: 'String' }, b: { value: 1, type: 'Integer' } });
  const [task] = await engine.tasks({ processInstanceId: pi.id });
  clock.add(MINUTE);
  await engine.completeTask(task.id);

  const acts = await engine.historicActivityInstances({ processInstanceId: pi.id });
  assert.deepEqual(acts.map((a) => a.activityId), ['start', 't1', 'review', 't2', 'end']);
  const review = acts.find((a) => a.activityId === 'review');
  assert.equal(review.activityType, 'userTask');
  assert.equal(review.taskId, task.id);
  assert.equal(review.durationInMillis, 3 * MINUTE);
  assert.equal(review.canceled, false);
  for (const a of acts) assert.equal(a.processDefinitionKey, 'fiveActivities');

  const vars = await engine.historicVariableInstances({ processInstanceId: pi.id });
  assert.deepEqual(vars.map((v) => [v.name, v.value, v.type, v.state]).sort(), [['a', 'two', 'String', 'CREATED'], ['b', 1, 'Integer', 'CREATED']]);
  const details = await engine.historicDetails({ processInstanceId: pi.id });
  const forA = details.filter((d) => d.variableName === 'a');
  assert.deepEqual(forA.map((d) => [d.value, d.initial, d.revision]), [['one', true, 0], ['two', false, 1]]);
  assert.equal(forA[1].time, T0 + 2 * MINUTE);
  assert.equal(details.find((d) => d.variableName === 'b').initial, false);
});

// Camunda marks the end event that completes its scope (here the process) with completeScope.
test('the end event that completes the process is marked completeScope', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('five-activities.bpmn'));
  const pi = await engine.startProcessInstanceByKey('fiveActivities');
  const [task] = await engine.tasks({ processInstanceId: pi.id });
  await engine.completeTask(task.id);
  const [end] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'end' });
  assert.equal(end.completeScope, true);
  const [review] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'review' });
  assert.equal(review.completeScope, false);
});

test('variables are scoped: local ones stay on their execution, others go to where they exist', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('embedded-subprocess.bpmn'));
  const pi = await engine.startProcessInstanceByKey('subProcessProcess', { variables: { shared: { value: 1, type: 'Integer' } } });
  const [task] = await engine.tasks({ processInstanceId: pi.id });
  const sub = task.executionId;
  assert.notEqual(sub, pi.id, 'the subprocess task runs in its own scope execution');

  await engine.setVariables(sub, { inner: { value: 'x', type: 'String' } }, { local: true });
  await engine.setVariables(sub, { shared: { value: 2, type: 'Integer' } });
  assert.deepEqual(Object.keys(await engine.variables(sub, { local: true })), ['inner']);
  const fromSub = await engine.variables(sub);
  assert.equal(fromSub.inner.value, 'x');
  assert.equal(fromSub.shared.value, 2);
  const fromInstance = await engine.variables(pi.id);
  assert.equal(fromInstance.shared.value, 2, 'a non-local update changes the existing instance variable');
  assert.equal(fromInstance.inner, undefined);

  await engine.removeVariable(pi.id, 'shared');
  assert.equal((await engine.variables(sub)).shared, undefined);
  const [deleted] = await engine.historicVariableInstances({ variableName: 'shared', includeDeleted: true });
  assert.equal(deleted.state, 'DELETED');
  assert.deepEqual(await engine.historicVariableInstances({ variableName: 'shared' }), []);

  await engine.completeTask(task.id);
  assert.equal((await engine.variables(pi.id)).inner, undefined, 'local variables end with their scope');
  await assert.rejects(engine.variables('no-such-execution'), (e) => e.type === 'NotFoundException');
});

test('external tasks are locked for one worker, fail with retries, and raise an incident at zero retries', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('external-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('externalTaskProcess', { businessKey: 'bk', variables: { card: { value: '4242', type: 'String' } } });

  const [locked, ...more] = await engine.fetchAndLock({ workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'payment', lockDuration: MINUTE }] });
  assert.equal(more.length, 0);
  assert.equal(locked.topicName, 'payment');
  assert.equal(locked.workerId, 'w1');
  assert.equal(locked.activityId, 'charge');
  assert.equal(locked.processInstanceId, pi.id);
  assert.equal(locked.businessKey, 'bk');
  assert.equal(locked.lockExpirationTime, T0 + MINUTE);
  assert.equal(locked.variables.card.value, '4242');
  assert.deepEqual(await engine.fetchAndLock({ workerId: 'w2', maxTasks: 5, topics: [{ topicName: 'payment', lockDuration: MINUTE }] }), [], 'a locked task is not handed out twice');

  await assert.rejects(engine.completeExternalTask(locked.id, { workerId: 'w2' }), (e) => e.type === 'BadUserRequestException');

  await engine.handleFailure(locked.id, { workerId: 'w1', errorMessage: 'card declined', retries: 1, retryTimeout: 5 * MINUTE });
  let [row] = await engine.externalTasks({ processInstanceId: pi.id });
  assert.equal(row.retries, 1);
  assert.equal(row.errorMessage, 'card declined');
  assert.deepEqual(await engine.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: MINUTE }] }), [], 'not before the retry timeout');
  clock.add(5 * MINUTE);
  const [again] = await engine.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: MINUTE, variables: [] }] });
  assert.equal(again.id, locked.id);
  assert.deepEqual(again.variables, {}, 'only the variables asked for');

  await engine.handleFailure(locked.id, { workerId: 'w1', errorMessage: 'still declined', retries: 0 });
  const [incident] = await engine.incidents({ processInstanceId: pi.id });
  assert.equal(incident.incidentType, 'failedExternalTask');
  assert.equal(incident.configuration, locked.id);
  assert.equal(incident.incidentMessage, 'still declined');
  assert.equal(incident.activityId, 'charge');
  const [historic] = await engine.historicIncidents({ processInstanceId: pi.id });
  assert.equal(historic.id, incident.id);
  assert.equal(historic.open, true);
  [row] = await engine.externalTasks({ processInstanceId: pi.id });
  assert.equal(row.retries, 0);
  assert.deepEqual(await engine.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: MINUTE }] }), [], 'no retries left: not fetched');
});

test('a locked external task can have its lock extended and be completed with variables', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('external-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('externalTaskProcess');
  const [task] = await engine.fetchAndLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: MINUTE }] });
  await engine.extendLock(task.id, { workerId: 'w1', newDuration: 10 * MINUTE });
  clock.add(5 * MINUTE);
  assert.equal((await engine.externalTasks({ externalTaskId: task.id }))[0].lockExpirationTime, T0 + 10 * MINUTE);
  assert.deepEqual(await engine.fetchAndLock({ workerId: 'w2', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: MINUTE }] }), []);
  await engine.completeExternalTask(task.id, { workerId: 'w1', variables: { paid: { value: true, type: 'Boolean' } } });
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED');
  const [paid] = await engine.historicVariableInstances({ variableName: 'paid' });
  assert.equal(paid.value, true);
});

test('a BPMN error reported for an external task is caught by its boundary event', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('boundary-error.bpmn'));
  const pi = await engine.startProcessInstanceByKey('boundaryErrorProcess', { variables: { failed: { value: false, type: 'Boolean' } } });
  const [sub] = await engine.tasks({ processInstanceId: pi.id });
  await engine.completeTask(sub.id);
  const [charge] = await engine.fetchAndLock({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'charge', lockDuration: MINUTE }] });
  await engine.handleBpmnError(charge.id, { workerId: 'w', errorCode: 'CARD_DECLINED', errorMessage: 'declined' });
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED');
  const ends = (await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'chargeFailedEnd' }));
  assert.equal(ends.length, 1);
});

test('async continuations wait as jobs until a job runs them', async () => {
  const { engine } = await newEngine();
  const calls = [];
  engine.registerDelegate('work', (execution) => {
    calls.push(execution.activityId);
    return { worked: execution.getVariable('input') + 1 };
  });
  await engine.deploy(asyncDelegateXml);
  const pi = await engine.startProcessInstanceByKey('asyncDelegate', { variables: { input: { value: 41, type: 'Integer' } } });
  const [job] = await engine.jobs({ processInstanceId: pi.id });
  assert.equal(job.retries, 3);
  assert.equal(job.dueDate, null);
  assert.equal(job.activityId, 'work');
  assert.deepEqual(calls, [], 'nothing runs before the job');
  const tree = await engine.activityInstances(pi.id);
  assert.equal(tree.childTransitionInstances[0].activityId, 'work');

  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  assert.deepEqual(calls, ['work']);
  assert.deepEqual(await engine.jobs({ processInstanceId: pi.id }), []);
  assert.equal((await engine.variables(pi.id)).worked.value, 42);
  assert.equal((await engine.tasks({ processInstanceId: pi.id }))[0].taskDefinitionKey, 'check');
});

test('a failing job loses a retry per attempt and raises an incident at zero', async () => {
  const { engine } = await newEngine();
  engine.registerDelegate('work', () => { throw new Error('service down'); });
  await engine.deploy(asyncDelegateXml);
  const pi = await engine.startProcessInstanceByKey('asyncDelegate');
  const [job] = await engine.jobs({ processInstanceId: pi.id });

  await assert.rejects(engine.executeJob(job.id), (e) => e instanceof CoreError && /service down/.test(e.message));
  let [after] = await engine.jobs({ jobId: job.id });
  assert.equal(after.retries, 2);
  assert.match(after.exceptionMessage, /service down/);
  assert.equal(after.failedActivityId, 'work');
  assert.deepEqual(await engine.incidents({ processInstanceId: pi.id }), []);

  const run = await engine.runDueJobs();
  assert.equal(run.failed, 2);
  [after] = await engine.jobs({ jobId: job.id });
  assert.equal(after.retries, 0);
  const [incident] = await engine.incidents({ processInstanceId: pi.id });
  assert.equal(incident.incidentType, 'failedJob');
  assert.equal(incident.configuration, job.id);
  assert.equal((await engine.historicIncidents({ incidentId: incident.id }))[0].incidentType, 'failedJob');
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 }, 'a job without retries is not due');
  await assert.rejects(engine.executeJob('no-such-job'), (e) => e.type === 'NotFoundException');
});

test('timers fire when the injected clock reaches their due date', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('intermediate-timer.bpmn'));
  const dueDate = { value: '2026-01-01T12:00:00.000+0000', type: 'Date' };
  const pi = await engine.startProcessInstanceByKey('intermediateTimerProcess', { variables: { dueDate } });
  const [timer] = await engine.jobs({ processInstanceId: pi.id });
  assert.equal(timer.dueDate, T0 + 5 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 0, failed: 0 });

  clock.add(5 * MINUTE);
  assert.deepEqual(await engine.runDueJobs(), { executed: 1, failed: 0 });
  const [second] = await engine.jobs({ processInstanceId: pi.id });
  assert.equal(second.dueDate, Date.UTC(2026, 0, 1, 12, 0, 0));
  assert.deepEqual((await engine.processInstances({ activityId: 'waitUntil' })).map((p) => p.id), [pi.id]);

  clock.add(3 * 60 * MINUTE);
  await engine.runDueJobs();
  assert.equal((await engine.tasks({ processInstanceId: pi.id }))[0].taskDefinitionKey, 'after');
});

test('a boundary timer interrupts its user task when it fires', async () => {
  const { engine, clock } = await newEngine();
  await engine.deploy(fixture('boundary-timer.bpmn'));
  const pi = await engine.startProcessInstanceByKey('boundaryTimerProcess');
  clock.add(60 * MINUTE);
  await engine.runDueJobs();
  const tasks = await engine.tasks({ processInstanceId: pi.id });
  assert.deepEqual(tasks.map((t) => t.taskDefinitionKey), ['escalated']);
  const [work] = await engine.historicTaskInstances({ processInstanceId: pi.id, taskDefinitionKey: 'task' });
  assert.equal(work.taskState, 'Deleted');
  const [act] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'task' });
  assert.equal(act.canceled, true);
});

test('messages correlate by name and business key, and a mismatch is reported', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('intermediate-message.bpmn'));
  await engine.deploy(fixture('receive-task.bpmn'));
  const a = await engine.startProcessInstanceByKey('intermediateMessageProcess', { businessKey: 'a' });
  const b = await engine.startProcessInstanceByKey('intermediateMessageProcess', { businessKey: 'b' });
  const order = await engine.startProcessInstanceByKey('receiveTaskProcess');

  await assert.rejects(engine.correlateMessage('payment'), (e) => e.type === 'MismatchingMessageCorrelationException', 'two executions wait');
  await assert.rejects(engine.correlateMessage('nobody-waits'), (e) => e.type === 'MismatchingMessageCorrelationException' && /No process definition or execution matches/.test(e.message));

  const [result] = await engine.correlateMessage('payment', { businessKey: 'b', processVariables: { amount: { value: 10, type: 'Integer' } } });
  assert.equal(result.resultType, 'Execution');
  assert.equal(result.execution.processInstanceId, b.id);
  assert.equal((await engine.tasks({ processInstanceId: b.id }))[0].taskDefinitionKey, 'after');
  assert.equal((await engine.variables(b.id)).amount.value, 10);
  assert.deepEqual(await engine.tasks({ processInstanceId: a.id }), []);

  await engine.correlateMessage('order', { processInstanceId: order.id });
  assert.equal((await engine.historicProcessInstances({ processInstanceId: order.id }))[0].state, 'COMPLETED');
});

test('a message event subprocess is triggered through correlation with all: true', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('event-subprocess-message.bpmn'));
  const one = await engine.startProcessInstanceByKey('eventSubProcessMessage');
  const two = await engine.startProcessInstanceByKey('eventSubProcessMessage');
  const results = await engine.correlateMessage('cancel', { all: true });
  assert.equal(results.length, 2);
  for (const pi of [one, two]) {
    assert.deepEqual((await engine.tasks({ processInstanceId: pi.id })).map((t) => t.taskDefinitionKey), ['handleCancel']);
  }
});

test('deleting an instance terminates it externally and keeps its history', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  await engine.deleteProcessInstance(pi.id, { reason: 'no longer needed' });
  assert.deepEqual(await engine.processInstances(), []);
  assert.deepEqual(await engine.tasks(), []);
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'EXTERNALLY_TERMINATED');
  assert.equal(hpi.deleteReason, 'no longer needed');
  const [task] = await engine.historicTaskInstances({ processInstanceId: pi.id });
  assert.equal(task.taskState, 'Deleted');
  assert.notEqual(task.endTime, null);
  const [act] = await engine.historicActivityInstances({ processInstanceId: pi.id, activityId: 'task' });
  assert.equal(act.canceled, true);
  await assert.rejects(engine.deleteProcessInstance(pi.id), (e) => e.type === 'NotFoundException');
});

test('host delegates set variables, and a BpmnError they throw is caught by a boundary event', async () => {
  const { engine } = await newEngine();
  await engine.deploy(bpmnErrorXml);
  engine.registerDelegate('risky', (execution) => {
    if (execution.getVariable('amount') > 100) throw new BpmnError('NO_FUNDS', 'not enough');
    execution.setVariable('checked', true);
    return { limit: { value: 100, type: 'Long' } };
  });
  const ok = await engine.startProcessInstanceByKey('bpmnErrorProcess', { variables: { amount: { value: 5, type: 'Integer' } } });
  assert.equal((await engine.tasks({ processInstanceId: ok.id }))[0].taskDefinitionKey, 'fine');
  const vars = await engine.variables(ok.id);
  assert.equal(vars.checked.value, true);
  assert.equal(vars.limit.type, 'Long');

  const failing = await engine.startProcessInstanceByKey('bpmnErrorProcess', { variables: { amount: { value: 500, type: 'Integer' } } });
  assert.equal((await engine.tasks({ processInstanceId: failing.id }))[0].taskDefinitionKey, 'recover');
});

test('a failing delegate leaves the stored state exactly as it was', async () => {
  const { engine, store } = await newEngine();
  await engine.deploy(fixture('service-task-delegates.bpmn'));
  await engine.deploy(fixture('user-task.bpmn'));
  const bystander = await engine.startProcessInstanceByKey('userTaskProcess');
  const before = await snapshot(store);

  engine.registerDelegate('org.example.ChargeDelegate', () => { throw new Error('charge failed'); });
  await assert.rejects(
    engine.startProcessInstanceByKey('delegatesProcess', { variables: { amount: { value: 20, type: 'Integer' } } }),
    (e) => e instanceof CoreError && /charge failed/.test(e.message),
  );
  assert.equal(await snapshot(store), before);

  engine.registerDelegate('org.example.ChargeDelegate', () => ({}));
  engine.registerDelegate('chargeDelegate', () => Promise.resolve({}));
  await assert.rejects(engine.startProcessInstanceByKey('delegatesProcess', { variables: { amount: { value: 20, type: 'Integer' } } }), /synchronous/);
  assert.equal(await snapshot(store), before);

  // A failing command on a running instance changes nothing either.
  await assert.rejects(engine.setVariables(bystander.id, { bad: { value: 'x', type: 'NoSuchType' } }), CoreError);
  assert.equal(await snapshot(store), before);

  // With every delegate in place the same start succeeds.
  engine.registerDelegate('chargeDelegate', () => ({ charged: true }));
  engine.registerDelegate('org.example.NotifyDelegate', () => null);
  const pi = await engine.startProcessInstanceByKey('delegatesProcess', { variables: { amount: { value: 20, type: 'Integer' } } });
  const [hpi] = await engine.historicProcessInstances({ processInstanceId: pi.id });
  assert.equal(hpi.state, 'COMPLETED');
  const names = (await engine.historicVariableInstances({ processInstanceId: pi.id })).map((v) => [v.name, v.value]).sort();
  assert.deepEqual(names, [['amount', 20], ['charged', true], ['doubled', 40], ['large', true]]);
});

test('two commands computed from the same revision: the second fails with OptimisticLockingException', async () => {
  const { engine, store } = await newEngine();
  await engine.deploy(fixture('parallel-fork-join.bpmn'));
  const pi = await engine.startProcessInstanceByKey('parallelProcess');
  const [a, b] = await engine.tasks({ processInstanceId: pi.id });
  const results = await Promise.allSettled([engine.completeTask(a.id), engine.completeTask(b.id)]);
  const rejected = results.filter((r) => r.status === 'rejected');
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].reason.type, 'OptimisticLockingException');
  assert.equal((await store.getInstance(pi.id)).revision, 2);
  assert.equal((await engine.tasks({ processInstanceId: pi.id })).length, 1);
});

test('an engine over an existing store compiles stored definitions on first use', async () => {
  const { engine, store } = await newEngine();
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  const other = new Engine({ core: await loadCore(coreModule), store });
  const [task] = await other.tasks({ processInstanceId: pi.id });
  await other.completeTask(task.id);
  assert.equal((await other.historicProcessInstances({ processInstanceId: pi.id }))[0].state, 'COMPLETED');
});

test('start instructions start the instance before a chosen activity', async () => {
  const { engine } = await newEngine();
  await engine.deploy(fixture('five-activities.bpmn'));
  const pi = await engine.startProcessInstanceByKey('fiveActivities', {
    startInstructions: [{ type: 'startBeforeActivity', activityId: 'review', variables: { note: { value: 'direct', type: 'String', local: false } } }],
    skipCustomListeners: true,
    skipIoMappings: true,
  });
  assert.deepEqual((await engine.tasks({ processInstanceId: pi.id })).map((t) => t.taskDefinitionKey), ['review']);
  assert.equal((await engine.variables(pi.id)).note.value, 'direct');
  const acts = await engine.historicActivityInstances({ processInstanceId: pi.id });
  assert.deepEqual(acts.map((a) => a.activityId), ['review'], 'start event and first task were skipped');
  assert.equal((await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].startActivityId, 'review');
});

test('createEngine from the package entry loads the core from dist/ and runs a process', async () => {
  const { createEngine } = await import('../../js/index.js');
  const engine = await createEngine();
  await engine.deploy(fixture('user-task.bpmn'));
  const pi = await engine.startProcessInstanceByKey('userTaskProcess');
  const [task] = await engine.tasks({ processInstanceId: pi.id });
  await engine.completeTask(task.id);
  assert.equal((await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state, 'COMPLETED');
});
