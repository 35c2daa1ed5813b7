// GET|POST /external-task, GET|POST /external-task/count, GET /external-task/{id},
// POST /external-task/fetchAndLock (with long polling) and POST /external-task/{id}/complete |
// failure | bpmnError | extendLock, over HTTP against each store.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { checkJavaOnly, checkResponse } from './openapi.js';
import { deploy, describeRest, fixture, start, startService, suspend, T0 } from './support.js';

// topic "ship", version tag v2, then a user task so the instance outlives the external task
const SHIP = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/bpmn" id="Definitions_ship">
  <bpmn:process id="shipProcess" name="Shipping" isExecutable="true" camunda:historyTimeToLive="180" camunda:versionTag="v2">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ship" />
    <bpmn:serviceTask id="ship" name="Ship" camunda:type="external" camunda:topic="ship" camunda:taskPriority="5" />
    <bpmn:sequenceFlow id="f2" sourceRef="ship" targetRef="check" />
    <bpmn:userTask id="check" name="Check" />
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

// topic "risky" with a catch-all error boundary leading to a user task
const RISKY = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/bpmn" id="Definitions_risky">
  <bpmn:process id="riskyProcess" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="risky" />
    <bpmn:serviceTask id="risky" camunda:type="external" camunda:topic="risky" />
    <bpmn:boundaryEvent id="failed" attachedToRef="risky"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="risky" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="failed" targetRef="handle" />
    <bpmn:userTask id="handle" name="Handle" />
    <bpmn:sequenceFlow id="f4" sourceRef="handle" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const DTO_FIELDS = [
  'activityId', 'activityInstanceId', 'errorMessage', 'executionId', 'id', 'lockExpirationTime', 'createTime',
  'processDefinitionId', 'processDefinitionKey', 'processDefinitionVersionTag', 'processInstanceId', 'retries',
  'suspended', 'workerId', 'topicName', 'tenantId', 'priority', 'businessKey',
].sort();

const at = (ms) => new Date(ms).toISOString().replace('Z', '+0000');

describeRest('external tasks', (ctx) => {
  const api = () => ctx.api;
  const list = async (query = '') => checkResponse('GET', '/external-task', await api().get(`/external-task${query}`));
  const one = async (id) => checkResponse('GET', '/external-task/{id}', await api().get(`/external-task/${id}`));
  const fetchLock = async (body) => checkResponse('POST', '/external-task/fetchAndLock', await api().post('/external-task/fetchAndLock', body));
  const action = async (id, name, body) => checkResponse('POST', `/external-task/{id}/${name}`, await api().post(`/external-task/${id}/${name}`, body));
  const taskOf = async (instanceId) => (await list(`?processInstanceId=${instanceId}`)).body[0];

  let pay1; // externalTaskProcess, amount 5, business key p-1
  let pay2; // externalTaskProcess, amount 500
  let ship; // shipProcess (v2, priority 5)
  let suspended; // shipProcess, suspended
  let tenant; // externalTaskProcess of tenant t1

  before(async () => {
    await deploy(ctx, fixture('external-task.bpmn'));
    await deploy(ctx, fixture('external-task.bpmn'), { tenantId: 't1' });
    await deploy(ctx, SHIP);
    await deploy(ctx, RISKY);
    pay1 = await start(ctx, 'externalTaskProcess', { businessKey: 'p-1', variables: { amount: { value: 5, type: 'Integer' }, note: { value: 'x' } } });
    ctx.clock.advance(1000);
    pay2 = await start(ctx, 'externalTaskProcess', { variables: { amount: { value: 500, type: 'Integer' } } });
    ship = await start(ctx, 'shipProcess', {});
    suspended = await start(ctx, 'shipProcess', {});
    await suspend(ctx, suspended.id);
    tenant = await start(ctx, 'externalTaskProcess', { tenantId: 't1' });
  });

  it('lists external tasks as ExternalTaskDto and gets one by id', async () => {
    const task = await taskOf(pay1.id);
    assert.deepEqual(Object.keys(task).sort(), DTO_FIELDS);
    assert.equal(task.topicName, 'payment');
    assert.equal(task.activityId, 'charge');
    assert.equal(task.priority, 10);
    assert.equal(task.createTime, at(T0));
    assert.equal(task.lockExpirationTime, null);
    assert.equal(task.workerId, null);
    assert.equal(task.retries, null);
    assert.equal(task.businessKey, 'p-1');
    const res = await one(task.id);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, task);
    const missing = await one('nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'RestException', message: 'External task with id nope does not exist', code: null });
  });

  it('filters, counts, sorts and pages', async () => {
    const count = (res) => res.body.length;
    assert.equal(count(await list('?topicName=payment')), 3);
    assert.equal(count(await list('?processDefinitionKey=shipProcess')), 2);
    assert.equal(count(await list('?processDefinitionKeyIn=shipProcess,riskyProcess')), 2);
    assert.equal(count(await list(`?processInstanceIdIn=${pay1.id},${ship.id}`)), 2);
    assert.equal(count(await list('?activityIdIn=ship,other')), 2);
    assert.equal(count(await list('?activityId=charge')), 3);
    assert.equal(count(await list('?priorityHigherThanOrEquals=6')), 3);
    assert.equal(count(await list('?priorityLowerThanOrEquals=5')), 2);
    assert.equal(count(await list('?processDefinitionName=Shipping')), 2);
    assert.equal(count(await list('?processDefinitionNameLike=Ext%25')), 3);
    assert.equal(count(await list('?suspended=true')), 1);
    assert.equal(count(await list('?active=true')), 4);
    assert.equal(count(await list('?tenantIdIn=t1')), 1);
    assert.deepEqual((await list('?processVariables=amount_gt_100')).body.map((t) => t.processInstanceId), [pay2.id]);
    const task = await taskOf(ship.id);
    assert.deepEqual((await list(`?externalTaskIdIn=${task.id}`)).body, [task]);
    assert.deepEqual((await list(`?executionId=${task.executionId}`)).body, [task]);

    const posted = checkResponse('POST', '/external-task', await api().post('/external-task?maxResults=2', {
      topicName: 'payment',
      sorting: [{ sortBy: 'id', sortOrder: 'desc' }],
    }));
    assert.equal(posted.body.length, 2);
    assert.ok(posted.body[0].id > posted.body[1].id);
    const byPriority = await list('?sortBy=taskPriority&sortOrder=asc&firstResult=1');
    assert.deepEqual(byPriority.body.map((t) => t.priority), [5, 10, 10, 10]);

    const c = checkResponse('GET', '/external-task/count', await api().get('/external-task/count?topicName=ship'));
    assert.deepEqual(c.body, { count: 2 });
    const cp = checkResponse('POST', '/external-task/count', await api().post('/external-task/count', { tenantIdIn: ['t1'] }));
    assert.deepEqual(cp.body, { count: 1 });

    const badComparator = await list('?processVariables=amount_near_5');
    assert.deepEqual(badComparator.body, { type: 'InvalidRequestException', message: 'Invalid process variable comparator specified: near', code: null });
    const postedVariables = checkResponse('POST', '/external-task', await api().post('/external-task', {
      processVariables: [{ name: 'AMOUNT', operator: 'lteq', value: 5 }],
      variableNamesIgnoreCase: true,
    }));
    assert.deepEqual(postedVariables.body.map((t) => t.processInstanceId), [pay1.id]);

    const badDate = await list('?lockExpirationBefore=soon');
    assert.equal(badDate.status, 400);
    assert.deepEqual(badDate.body, {
      type: 'InvalidRequestException',
      message: `Cannot set query parameter 'lockExpirationBefore' to value 'soon': Cannot convert value "soon" to java type java.util.Date`,
      code: null,
    });
    const badSort = await list('?sortBy=createTime&sortOrder=asc');
    assert.equal(badSort.body.message, 'sortBy parameter has invalid value: createTime');
    const badCount = checkResponse('GET', '/external-task/count', await api().get('/external-task/count?sortOrder=desc'));
    assert.equal(badCount.body.message, 'Only a single sorting parameter specified. sortBy and sortOrder required');
  });

  it('refuses a fetchAndLock request without worker, count, topic name or lock duration', async () => {
    const cases = [
      [{ maxTasks: 1 }, 'workerId is null'],
      [{ workerId: 'w' }, 'maxTasks is null'],
      [{ workerId: 'w', maxTasks: -1 }, 'maxResults is not greater than or equal to 0'],
      [{ workerId: 'w', maxTasks: 1, asyncResponseTimeout: 1800001 }, 'The asynchronous response timeout cannot be set to a value greater than 1800000 milliseconds'],
      [{ workerId: 'w', maxTasks: 1, topics: [{ lockDuration: 100 }] }, 'topicName is null'],
      [{ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'payment' }] }, 'lockTime is not greater than 0'],
      [{ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: 0 }] }, 'lockTime is not greater than 0'],
      [{ workerId: 'w', maxTasks: 'many' }, ''],
      [{ workerId: 'w', maxTasks: 1, topics: {} }, ''],
    ];
    for (const [body, message] of cases) {
      const res = await fetchLock(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual(res.body, { type: 'InvalidRequestException', message, code: null });
    }
    // nothing was locked by the refused requests
    assert.equal((await list('?locked=true')).body.length, 0);
  });

  it('fetches and locks with variables, priority and topic filters', async () => {
    const none = await fetchLock({ workerId: 'w1', maxTasks: 5, topics: [{ topicName: 'payment', lockDuration: 1000, businessKey: 'nope' }] });
    assert.deepEqual(none.body, []);
    const res = await fetchLock({
      workerId: 'w1',
      maxTasks: 1,
      usePriority: true,
      topics: [{ topicName: 'payment', lockDuration: 60000, variables: ['amount'], processVariables: { amount: 5 }, withoutTenantId: true }],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1);
    const [locked] = res.body;
    assert.equal(locked.processInstanceId, pay1.id);
    assert.equal(locked.workerId, 'w1');
    assert.equal(locked.lockExpirationTime, at(ctx.clock.now + 60000));
    assert.deepEqual(locked.variables, { amount: { type: 'Integer', value: 5, valueInfo: {} } });
    assert.deepEqual(locked.extensionProperties, {});
    assert.equal(locked.errorDetails, null);
    assert.deepEqual(Object.keys(locked).sort(), [...DTO_FIELDS, 'errorDetails', 'variables', 'extensionProperties'].sort());

    const task = await taskOf(pay1.id);
    assert.equal(task.workerId, 'w1');
    assert.deepEqual((await list('?locked=true')).body.map((t) => t.id), [task.id]);
    assert.equal((await list('?notLocked=true')).body.length, 4);
    assert.equal((await list('?workerId=w1')).body.length, 1);
    assert.equal((await list(`?lockExpirationAfter=${encodeURIComponent(at(ctx.clock.now))}`)).body.length, 1);
    assert.equal((await list(`?lockExpirationBefore=${encodeURIComponent(at(ctx.clock.now + 60001))}`)).body.length, 1);

    // the version tag picks shipProcess; its suspended instance is not fetched
    const tagged = await fetchLock({ workerId: 'w2', maxTasks: 5, topics: [{ topicName: 'ship', lockDuration: 1000, processDefinitionVersionTag: 'v2', localVariables: true }] });
    assert.deepEqual(tagged.body.map((t) => t.processInstanceId), [ship.id]);
    assert.deepEqual(tagged.body[0].variables, {});
    const wrongTag = await fetchLock({ workerId: 'w2', maxTasks: 5, topics: [{ topicName: 'ship', lockDuration: 1000, processDefinitionVersionTag: 'v9' }] });
    assert.deepEqual(wrongTag.body, []);

    // once the lock has expired another worker gets the task
    ctx.clock.advance(60001);
    const again = await fetchLock({ workerId: 'w3', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: 1000, tenantIdIn: ['t1'] }] });
    assert.deepEqual(again.body.map((t) => [t.processInstanceId, t.variables.amount]), [[tenant.id, undefined]]);
  });

  it('long-polls: waits for a task to appear, and answers [] when the time is up', async () => {
    const empty = { workerId: 'poller', maxTasks: 1, topics: [{ topicName: 'late', lockDuration: 1000 }] };
    const started = Date.now();
    const timedOut = await fetchLock({ ...empty, asyncResponseTimeout: 300 });
    assert.deepEqual(timedOut.body, []);
    assert.ok(Date.now() - started >= 290, 'the request waited for its timeout');

    await deploy(ctx, SHIP.replaceAll('shipProcess', 'lateProcess').replace('camunda:topic="ship"', 'camunda:topic="late"'));
    const waiting = fetchLock({ ...empty, asyncResponseTimeout: 10000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = await start(ctx, 'lateProcess', {});
    const t0 = Date.now();
    const res = await waiting;
    assert.ok(Date.now() - t0 < 5000, 'answered as soon as the task appeared');
    assert.deepEqual(res.body.map((t) => [t.processInstanceId, t.workerId]), [[late.id, 'poller']]);
  });

  it('locks nothing for a long-polling client that went away', async () => {
    const controller = new AbortController();
    const body = JSON.stringify({ workerId: 'gone', maxTasks: 1, asyncResponseTimeout: 10000, topics: [{ topicName: 'vanish', lockDuration: 1000 }] });
    const pending = fetch(`${ctx.url}/external-task/fetchAndLock`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await assert.rejects(pending);
    await deploy(ctx, SHIP.replaceAll('shipProcess', 'vanishProcess').replace('camunda:topic="ship"', 'camunda:topic="vanish"'));
    const instance = await start(ctx, 'vanishProcess', {});
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal((await taskOf(instance.id)).workerId, null);
  });

  it('limits the number of waiting requests', async () => {
    const body = { workerId: 'crowd', maxTasks: 1, asyncResponseTimeout: 4000, topics: [{ topicName: 'crowd', lockDuration: 1000 }] };
    const waiting = Array.from({ length: 200 }, () => api().post('/external-task/fetchAndLock', body));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // FetchAndLockHandlerImpl's answer; the OpenAPI document lists no 500 for this endpoint
    const refused = checkJavaOnly('POST', '/external-task/fetchAndLock', await api().post('/external-task/fetchAndLock', body));
    assert.equal(refused.status, 500);
    assert.deepEqual(refused.body, {
      type: 'InvalidRequestException',
      message: 'At the moment the server has to handle too many requests at the same time. Please try again later.',
      code: null,
    });
    for (const res of await Promise.all(waiting)) assert.deepEqual(checkResponse('POST', '/external-task/fetchAndLock', res).body, []);
  });

  it('answers a waiting request with 500 when the server shuts down', async () => {
    const other = await startService(ctx.kind);
    const pending = other.api.post('/external-task/fetchAndLock', {
      workerId: 'w', maxTasks: 1, asyncResponseTimeout: 60000, topics: [{ topicName: 'none', lockDuration: 1000 }],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closing = Date.now();
    await other.close();
    const res = await pending;
    assert.ok(Date.now() - closing < 5000, 'the shutdown did not wait for the request to time out');
    // FetchAndLockHandlerImpl.rejectPendingRequests; the OpenAPI document lists no 500 here
    assert.equal(checkJavaOnly('POST', '/external-task/fetchAndLock', res).status, 500);
    assert.deepEqual(res.body, { type: 'RestException', message: 'Request rejected due to shutdown of application server.', code: null });
  });

  it('completes a locked task with variables, only for the worker holding it', async () => {
    const instance = await start(ctx, 'shipProcess', { businessKey: 'complete-me' });
    const task = await taskOf(instance.id);
    const unlocked = await action(task.id, 'complete', { workerId: 'w1' });
    assert.equal(unlocked.status, 400);
    assert.deepEqual(unlocked.body, {
      type: 'RestException',
      message: `External Task ${task.id} cannot be completed by worker 'w1'. It is locked by worker 'null'.`,
      code: 0,
    });
    await fetchLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'ship', lockDuration: 1000, businessKey: 'complete-me', processDefinitionIdIn: [task.processDefinitionId] }] });
    const other = await action(task.id, 'complete', { workerId: 'w2' });
    assert.equal(other.status, 400);
    assert.equal(other.body.message, `External Task ${task.id} cannot be completed by worker 'w2'. It is locked by worker 'w1'.`);
    const noWorker = await action(task.id, 'complete', {});
    assert.equal(noWorker.status, 500);
    assert.deepEqual(noWorker.body, { type: 'NullValueException', message: 'workerId is null', code: 0 });
    const badVariables = await action(task.id, 'complete', { workerId: 'w1', variables: { a: 1 } });
    assert.deepEqual(badVariables.body, { type: 'InvalidRequestException', message: '', code: null });

    const done = await action(task.id, 'complete', { workerId: 'w1', variables: { shipped: { value: true } }, localVariables: { here: { value: 1 } } });
    assert.equal(done.status, 204);
    assert.equal((await one(task.id)).status, 404);
    const userTask = await api().get(`/task?processInstanceId=${instance.id}`);
    const variables = await api().get(`/task/${userTask.body[0].id}/variables`);
    assert.deepEqual(variables.body.shipped, { type: 'Boolean', value: true, valueInfo: {} });
    // local to the task's execution: here the process instance itself (the task is not a scope)
    assert.deepEqual(variables.body.here, { type: 'Integer', value: 1, valueInfo: {} });

    const unknown = await action('nope', 'complete', { workerId: 'w1' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { type: 'RestException', message: 'External task with id nope does not exist', code: 0 });
  });

  it('reports failures: retries, retry timeout and an incident at 0 retries', async () => {
    const instance = await start(ctx, 'shipProcess', { businessKey: 'fail-me' });
    const task = await taskOf(instance.id);
    const shipTopic = [{ topicName: 'ship', lockDuration: 1000, businessKey: 'fail-me', processDefinitionId: task.processDefinitionId }];
    await fetchLock({ workerId: 'w1', maxTasks: 1, topics: shipTopic });
    const other = await action(task.id, 'failure', { workerId: 'w2', retries: 1 });
    assert.equal(other.status, 400);
    assert.equal(other.body.message, `Failure of External Task ${task.id} cannot be reported by worker 'w2'. It is locked by worker 'w1'.`);
    const negative = await action(task.id, 'failure', { workerId: 'w1', retries: -1 });
    assert.equal(negative.status, 400);
    assert.deepEqual(negative.body, { type: 'RestException', message: 'retries is not greater than or equal to 0', code: 0 });
    const withVariables = await action(task.id, 'failure', { workerId: 'w1', retries: 1, variables: { a: { value: 1 } } });
    assert.equal(withVariables.status, 400);
    assert.equal(withVariables.body.message, 'Detour does not set variables on a failure report');

    const failed = await action(task.id, 'failure', { workerId: 'w1', errorMessage: 'oops', errorDetails: 'trace', retries: 1, retryTimeout: 5000, variables: {} });
    assert.equal(failed.status, 204);
    const after = (await one(task.id)).body;
    assert.equal(after.retries, 1);
    assert.equal(after.errorMessage, 'oops');
    assert.equal(after.lockExpirationTime, at(ctx.clock.now + 5000));
    assert.deepEqual((await fetchLock({ workerId: 'w2', maxTasks: 5, topics: shipTopic })).body, []);
    ctx.clock.advance(5001);
    const refetched = (await fetchLock({ workerId: 'w2', maxTasks: 5, topics: shipTopic })).body.find((t) => t.id === task.id);
    assert.equal(refetched.errorDetails, 'trace');
    assert.equal(refetched.errorMessage, 'oops');
    assert.equal((await list('?withRetriesLeft=true&processInstanceId=' + instance.id)).body.length, 1);

    assert.equal((await action(task.id, 'failure', { workerId: 'w2', errorMessage: 'gave up', retries: 0 })).status, 204);
    assert.equal((await list('?noRetriesLeft=true')).body[0].id, task.id);
    const incidents = await api().get(`/incident?processInstanceId=${instance.id}`);
    assert.deepEqual(incidents.body.map((i) => [i.incidentType, i.configuration, i.incidentMessage]), [['failedExternalTask', task.id, 'gave up']]);
    // a task without retries is not fetched any more
    assert.equal((await fetchLock({ workerId: 'w2', maxTasks: 5, topics: shipTopic })).body.some((t) => t.id === task.id), false);
    assert.equal((await action('nope', 'failure', { workerId: 'w1' })).status, 404);
  });

  it('reports a BPMN error, caught by the boundary event', async () => {
    const instance = await start(ctx, 'riskyProcess', {});
    const task = await taskOf(instance.id);
    await fetchLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'risky', lockDuration: 1000 }] });
    const other = await action(task.id, 'bpmnError', { workerId: 'w2', errorCode: 'E1' });
    assert.equal(other.status, 400);
    assert.equal(other.body.message, `Bpmn error of External Task ${task.id} cannot be reported by worker 'w2'. It is locked by worker 'w1'.`);
    const res = await action(task.id, 'bpmnError', { workerId: 'w1', errorCode: 'E1', errorMessage: 'no stock', variables: { reason: { value: 'stock' } } });
    assert.equal(res.status, 204);
    const tasks = await api().get(`/task?processInstanceId=${instance.id}`);
    assert.deepEqual(tasks.body.map((t) => t.taskDefinitionKey), ['handle']);
    assert.equal((await action('nope', 'bpmnError', { workerId: 'w1', errorCode: 'E1' })).status, 404);
  });

  it('extends a lock, for the worker holding it', async () => {
    const instance = await start(ctx, 'shipProcess', { businessKey: 'extend-me' });
    const task = await taskOf(instance.id);
    await fetchLock({ workerId: 'w1', maxTasks: 1, topics: [{ topicName: 'ship', lockDuration: 1000, businessKey: 'extend-me' }] });
    const res = await action(task.id, 'extendLock', { workerId: 'w1', newDuration: 90000 });
    assert.equal(res.status, 204);
    assert.equal((await one(task.id)).body.lockExpirationTime, at(ctx.clock.now + 90000));
    const zero = await action(task.id, 'extendLock', { workerId: 'w1', newDuration: 0 });
    assert.equal(zero.status, 400);
    assert.deepEqual(zero.body, { type: 'RestException', message: 'lockTime is not greater than 0', code: 0 });
    const other = await action(task.id, 'extendLock', { workerId: 'w2', newDuration: 1000 });
    assert.equal(other.status, 400);
    assert.equal(other.body.message, `The lock of the External Task ${task.id} cannot be extended by worker 'w2''. It is locked by worker 'w1'.`);
    const unknown = await action('nope', 'extendLock', { workerId: 'w1', newDuration: 1000 });
    assert.equal(unknown.status, 404);
  });
});
