// GET|POST /task, GET|POST /task/count, GET /task/{id}, POST /task/{id}/complete and
// GET /task/{id}/variables, over HTTP against each store.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { deploy, describeRest, fixture, start, suspend } from './support.js';

const TASK_FIELDS = [
  'id', 'name', 'assignee', 'owner', 'created', 'lastUpdated', 'due', 'followUp', 'delegationState', 'description',
  'executionId', 'parentTaskId', 'priority', 'processDefinitionId', 'processInstanceId', 'caseExecutionId',
  'caseDefinitionId', 'caseInstanceId', 'taskDefinitionKey', 'suspended', 'formKey', 'camundaFormRef', 'tenantId', 'taskState',
].sort();

describeRest('user tasks', (ctx) => {
  const api = () => ctx.api;
  // GET /task with query parameters, checked against the OpenAPI document → the body
  const list = async (query = '') => checkResponse('GET', '/task', await api().get(`/task${query}`));
  const ids = (res) => res.body.map((t) => t.id).sort();
  const tasksOf = async (instanceId) => (await list(`?processInstanceId=${instanceId}`)).body;

  let first; // userTaskProcess, business key order-1, amount 5
  let second; // userTaskProcess, business key order-2, amount 50
  let parallel; // parallelProcess: tasks A and B, unassigned, suspended
  let tenant; // userTaskProcess of tenant t1

  before(async () => {
    await deploy(ctx, fixture('user-task.bpmn'));
    await deploy(ctx, fixture('parallel-fork-join.bpmn'));
    await deploy(ctx, fixture('user-task.bpmn'), { tenantId: 't1' });
    first = await start(ctx, 'userTaskProcess', { businessKey: 'order-1', variables: { amount: { value: 5, type: 'Integer' } } });
    ctx.clock.advance(1000);
    second = await start(ctx, 'userTaskProcess', { businessKey: 'order-2', variables: { amount: { value: 50, type: 'Integer' } } });
    ctx.clock.advance(1000);
    parallel = await start(ctx, 'parallelProcess', {});
    await suspend(ctx, parallel.id);
    tenant = await start(ctx, 'userTaskProcess', { tenantId: 't1' });
  });

  it('lists tasks as plain TaskDto, dates in the REST format and null fields written', async () => {
    const [task] = await tasksOf(first.id);
    assert.deepEqual(Object.keys(task).sort(), TASK_FIELDS);
    assert.equal(task.name, 'Do it');
    assert.equal(task.assignee, 'demo');
    assert.equal(task.created, '2026-01-01T09:00:00.000+0000');
    assert.equal(task.taskDefinitionKey, 'task');
    assert.equal(task.processInstanceId, first.id);
    assert.equal(task.suspended, false);
    assert.equal(task.due, null);
    assert.equal(task.tenantId, null);
    assert.equal(task.priority, 50);
  });

  it('gets one task, and answers an unknown id with 404', async () => {
    const [task] = await tasksOf(first.id);
    const res = checkResponse('GET', '/task/{id}', await api().get(`/task/${task.id}`));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, task);
    const missing = checkResponse('GET', '/task/{id}', await api().get('/task/nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: 'No matching task with id nope', code: null });
  });

  it('filters by ids, instance, definition, execution and activity instance', async () => {
    const [a] = await tasksOf(first.id);
    const [b] = await tasksOf(second.id);
    assert.deepEqual(ids(await list(`?taskId=${a.id}`)), [a.id]);
    assert.deepEqual(ids(await list(`?taskIdIn=${a.id},${b.id}`)), [a.id, b.id].sort());
    assert.deepEqual(ids(await list(`?processInstanceIdIn=${first.id},${second.id}`)), [a.id, b.id].sort());
    assert.deepEqual(ids(await list('?processInstanceBusinessKey=order-2')), [b.id]);
    assert.deepEqual(ids(await list(`?processDefinitionId=${a.processDefinitionId}`)), [a.id, b.id].sort());
    assert.equal((await list('?processDefinitionKey=parallelProcess')).body.length, 2);
    assert.equal((await list('?processDefinitionKeyIn=parallelProcess,userTaskProcess')).body.length, 5);
    assert.equal((await list('?processDefinitionKeyIn=parallelProcess&processDefinitionKey=userTaskProcess')).body.length, 0);
    assert.deepEqual(ids(await list(`?executionId=${a.executionId}`)), [a.id]);
    const tree = await api().get(`/process-instance/${first.id}/activity-instances`);
    const activityInstanceId = tree.body.childActivityInstances.find((i) => i.activityId === 'task').id;
    assert.deepEqual(ids(await list(`?activityInstanceIdIn=${activityInstanceId},other`)), [a.id]);
  });

  it('filters by task definition key, name, assignee and assignment', async () => {
    assert.equal((await list('?taskDefinitionKey=taskA')).body.length, 1);
    assert.equal((await list('?taskDefinitionKeyIn=taskA,taskB')).body.length, 2);
    assert.equal((await list('?taskDefinitionKeyLike=task_')).body.length, 2);
    assert.equal((await list('?taskDefinitionKeyLike=%25')).body.length, 5);
    // task names match case-insensitively, as in Camunda
    assert.equal((await list('?name=do%20IT')).body.length, 3);
    assert.equal((await list('?nameLike=d%25')).body.length, 3);
    assert.equal((await list('?assignee=demo')).body.length, 3);
    assert.equal((await list('?assigned=true')).body.length, 3);
    assert.equal((await list('?unassigned=true')).body.length, 2);
    assert.equal((await list('?unassigned=false')).body.length, 5);
  });

  it('filters by suspension state and tenant', async () => {
    const suspended = await list('?suspended=true');
    assert.equal(suspended.body.length, 2);
    assert.ok(suspended.body.every((t) => t.suspended && t.processInstanceId === parallel.id));
    assert.equal((await list('?active=true')).body.length, 3);
    const t1 = await list('?tenantIdIn=t1');
    assert.deepEqual(t1.body.map((t) => [t.processInstanceId, t.tenantId]), [[tenant.id, 't1']]);
    assert.equal((await list('?withoutTenantId=true')).body.length, 4);
    assert.equal((await list('?tenantIdIn=t1,t2&withoutTenantId=true')).body.length, 4);
  });

  it('filters by process and task variables, and refuses unknown comparators', async () => {
    assert.deepEqual((await list('?processVariables=amount_gt_10')).body.map((t) => t.processInstanceId), [second.id]);
    assert.equal((await list('?processVariables=amount_lteq_50,amount_neq_5')).body.length, 1);
    assert.equal((await list('?processVariables=AMOUNT_eq_5&variableNamesIgnoreCase=true')).body.length, 1);
    assert.equal((await list('?taskVariables=amount_eq_5')).body.length, 0);
    const body = await api().post('/task', { processVariables: [{ name: 'amount', operator: 'lt', value: 10 }] });
    checkResponse('POST', '/task', body);
    assert.deepEqual(body.body.map((t) => t.processInstanceId), [first.id]);

    const badProcess = checkResponse('GET', '/task', await api().get('/task?processVariables=amount_near_5'));
    assert.equal(badProcess.status, 400);
    assert.deepEqual(badProcess.body, { type: 'InvalidRequestException', message: 'Invalid process variable comparator specified: near', code: null });
    const badTask = await api().post('/task', { taskVariables: [{ name: 'amount', operator: 'notLike', value: 'x' }] });
    checkResponse('POST', '/task', badTask);
    assert.equal(badTask.status, 400);
    assert.equal(badTask.body.message, 'Invalid task variable comparator specified: notLike');
    const badFormat = checkResponse('GET', '/task', await api().get('/task?processVariables=amount_eq'));
    assert.equal(badFormat.status, 400);
    assert.equal(badFormat.body.message, 'variable query parameter has to have format KEY_OPERATOR_VALUE.');
  });

  it('takes the query as a POST body too, and counts by GET and POST', async () => {
    const res = checkResponse('POST', '/task', await api().post('/task', { processDefinitionKeyIn: ['parallelProcess'], unassigned: true }));
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 2);
    const count = checkResponse('GET', '/task/count', await api().get('/task/count?assignee=demo'));
    assert.deepEqual(count.body, { count: 3 });
    const posted = checkResponse('POST', '/task/count', await api().post('/task/count', { taskDefinitionKeyIn: ['taskA', 'task'] }));
    assert.deepEqual(posted.body, { count: 4 });
    const wrongType = checkResponse('POST', '/task', await api().post('/task', { taskIdIn: 'not-a-list' }));
    assert.deepEqual(wrongType.body, { type: 'InvalidRequestException', message: '', code: null });
  });

  it('sorts and pages', async () => {
    const byCreated = await list('?processDefinitionKey=userTaskProcess&sortBy=created&sortOrder=desc');
    assert.deepEqual(byCreated.body.map((t) => t.processInstanceId).slice(1), [second.id, first.id]);
    const byName = await list('?sortBy=name&sortOrder=asc');
    assert.deepEqual(byName.body.map((t) => t.name), ['A', 'B', 'Do it', 'Do it', 'Do it']);
    const ci = await list('?sortBy=nameCaseInsensitive&sortOrder=desc&firstResult=1&maxResults=2');
    assert.deepEqual(ci.body.map((t) => t.name), ['Do it', 'Do it']);
    const posted = checkResponse('POST', '/task', await api().post('/task?firstResult=3', {
      sorting: [{ sortBy: 'assignee', sortOrder: 'desc' }, { sortBy: 'id', sortOrder: 'asc' }],
    }));
    assert.deepEqual(posted.body.map((t) => t.assignee), [null, null]);
    assert.deepEqual((await list('?maxResults=0')).body, []);

    const only = checkResponse('GET', '/task', await api().get('/task?sortBy=name'));
    assert.equal(only.status, 400);
    assert.equal(only.body.message, 'Only a single sorting parameter specified. sortBy and sortOrder required');
    const badBy = checkResponse('GET', '/task', await api().get('/task?sortBy=size&sortOrder=asc'));
    assert.equal(badBy.body.message, 'sortBy parameter has invalid value: size');
    const badOrder = checkResponse('POST', '/task', await api().post('/task', { sorting: [{ sortBy: 'id', sortOrder: 'up' }] }));
    assert.equal(badOrder.body.message, 'sortOrder parameter has invalid value: up');
    const badPage = checkResponse('GET', '/task', await api().get('/task?firstResult=x'));
    assert.equal(badPage.body.message, "Cannot set query parameter 'firstResult' to value 'x'");
    const countSort = checkResponse('GET', '/task/count', await api().get('/task/count?sortOrder=asc'));
    assert.equal(countSort.status, 400);
  });

  it('adds comment/attachment flags and variables only when asked', async () => {
    const [plain] = await tasksOf(first.id);
    const flagged = await list(`?processInstanceId=${first.id}&withCommentAttachmentInfo=true`);
    assert.deepEqual(flagged.body[0], { ...plain, attachment: false, comment: false });
    const withVars = await list(`?processInstanceId=${first.id}&withTaskVariablesInReturn=true`);
    assert.deepEqual(withVars.body[0].variables, { amount: { type: 'Integer', value: 5, valueInfo: {} } });
    const local = await list(`?processInstanceId=${first.id}&withTaskLocalVariablesInReturn=true`);
    assert.deepEqual(local.body[0].variables, {});
  });

  it('gets the variables visible from a task', async () => {
    const [task] = await tasksOf(second.id);
    const res = checkResponse('GET', '/task/{id}/variables', await api().get(`/task/${task.id}/variables`));
    assert.deepEqual(res.body, { amount: { type: 'Integer', value: 50, valueInfo: {} } });
    const missing = checkResponse('GET', '/task/{id}/variables', await api().get('/task/nope/variables'));
    assert.equal(missing.status, 500);
    assert.deepEqual(missing.body, { type: 'NullValueException', message: "task nope doesn't exist: task is null", code: 0 });
  });

  it('completes a task with 204 and the instance moves on', async () => {
    const instance = await start(ctx, 'parallelProcess', {});
    const [a, b] = (await tasksOf(instance.id)).sort((x, y) => x.taskDefinitionKey.localeCompare(y.taskDefinitionKey));
    const res = checkResponse('POST', '/task/{id}/complete', await api().post(`/task/${a.id}/complete`, {
      variables: { approved: { value: true, type: 'Boolean' } },
    }));
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.deepEqual((await tasksOf(instance.id)).map((t) => t.id), [b.id]);
    const variables = await api().get(`/task/${b.id}/variables`);
    assert.deepEqual(variables.body.approved, { type: 'Boolean', value: true, valueInfo: {} });
  });

  it('returns the process variables on completion when asked, also when the instance ends', async () => {
    const instance = await start(ctx, 'userTaskProcess', { variables: { amount: { value: 7, type: 'Long' } } });
    const [task] = await tasksOf(instance.id);
    const res = checkResponse('POST', '/task/{id}/complete', await api().post(`/task/${task.id}/complete`, {
      variables: { note: { value: 'done' } },
      withVariablesInReturn: true,
    }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      amount: { type: 'Long', value: 7, valueInfo: {} },
      note: { type: 'String', value: 'done', valueInfo: {} },
    });
    assert.deepEqual(await tasksOf(instance.id), []);
  });

  it('answers completion failures as Camunda does', async () => {
    const unknown = checkResponse('POST', '/task/{id}/complete', await api().post('/task/nope/complete', {}));
    assert.equal(unknown.status, 500);
    assert.deepEqual(unknown.body, {
      type: 'RestException',
      message: 'Cannot complete task nope: Cannot find task with id nope: task is null',
      code: 0,
    });
    const [task] = await tasksOf(second.id);
    const badValue = checkResponse('POST', '/task/{id}/complete', await api().post(`/task/${task.id}/complete`, {
      variables: { amount: { value: 'many', type: 'Integer' } },
    }));
    assert.equal(badValue.status, 400);
    assert.equal(badValue.body.type, 'InvalidRequestException');
    assert.match(badValue.body.message, new RegExp(`^Cannot complete task ${task.id}: `));
    const badType = checkResponse('POST', '/task/{id}/complete', await api().post(`/task/${task.id}/complete`, {
      variables: { amount: { value: 1, type: 'Nonsense' } },
    }));
    assert.equal(badType.status, 400);
    assert.match(badType.body.message, /Unsupported value type 'Nonsense'/);
    const malformed = checkResponse('POST', '/task/{id}/complete', await api().post(`/task/${task.id}/complete`, { variables: [] }));
    assert.deepEqual(malformed.body, { type: 'InvalidRequestException', message: '', code: null });
    // the failed attempts changed nothing
    assert.equal((await tasksOf(second.id)).length, 1);
    const suspended = (await tasksOf(parallel.id))[0];
    const refused = checkResponse('POST', '/task/{id}/complete', await api().post(`/task/${suspended.id}/complete`, {}));
    assert.equal(refused.status, 500);
    assert.match(refused.body.message, new RegExp(`^Cannot complete task ${suspended.id}: `));
  });
});
