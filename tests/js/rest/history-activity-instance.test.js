// /history/activity-instance: list (GET, POST), count (GET, POST), by id — filters, sorting,
// paging, the DTO and the errors.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { T0, describeRest } from './support.js';
import { completeOnlyTask, deleteInstance, deploy, q, start } from './history-setup.js';

const LIST = '/history/activity-instance';

describeRest('history: activity instances', (ctx) => {
  const pi = {}; // letter → process instance id
  const label = (ai) => `${Object.keys(pi).find((l) => pi[l] === ai.processInstanceId)}.${ai.activityId}`;

  // A: user task completed at 2; B: task running since 3; C: task canceled at 4 (instance deleted);
  // D: embedded subprocess running since 5.
  before(async () => {
    await deploy(ctx, 'user-task.bpmn');
    await deploy(ctx, 'embedded-subprocess.bpmn');
    const at = (s) => { ctx.clock.now = T0 + s * 1000; };
    at(0);
    pi.A = await start(ctx, 'userTaskProcess');
    at(2);
    await completeOnlyTask(ctx, pi.A);
    at(3);
    pi.B = await start(ctx, 'userTaskProcess');
    at(4);
    pi.C = await start(ctx, 'userTaskProcess');
    await deleteInstance(ctx, pi.C);
    at(5);
    pi.D = await start(ctx, 'subProcessProcess');
  });

  const template = (path) => (path.startsWith(`${LIST}/count`) ? `${LIST}/count` : LIST);
  const get = async (path) => checkResponse('GET', template(path), await ctx.api.get(path));
  const post = async (path, body) => checkResponse('POST', template(path), await ctx.api.post(path, body));
  const labels = (r) => {
    assert.equal(r.status, 200, r.text);
    return r.body.map(label);
  };
  const list = async (query) => labels(await get(`${LIST}?${query}`)).sort().join(' ');
  const error = (r, message, type = 'InvalidRequestException') => {
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.type, type);
    assert.equal(r.body.message, message);
  };

  it('lists every activity instance with exactly the HistoricActivityInstanceDto fields', async () => {
    const r = await get(LIST);
    assert.equal(labels(r).sort().join(' '), 'A.end A.start A.task B.start B.task C.start C.task D.start D.sub D.subStart D.subTask');
    for (const ai of r.body) {
      assert.deepEqual(Object.keys(ai).sort(), [
        'activityId', 'activityName', 'activityType', 'assignee', 'calledCaseInstanceId', 'calledProcessInstanceId', 'canceled',
        'completeScope', 'durationInMillis', 'endTime', 'executionId', 'id', 'parentActivityInstanceId', 'processDefinitionId',
        'processDefinitionKey', 'processInstanceId', 'removalTime', 'rootProcessInstanceId', 'startTime', 'taskId', 'tenantId',
      ]);
    }
  });

  it('returns one by id, with the task, times and flags', async () => {
    const [task] = (await get(`${LIST}?processInstanceId=${pi.A}&activityId=task`)).body;
    const r = checkResponse('GET', `${LIST}/{id}`, await ctx.api.get(`${LIST}/${task.id}`));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      id: task.id,
      parentActivityInstanceId: pi.A,
      activityId: 'task',
      activityName: 'Do it',
      activityType: 'userTask',
      processDefinitionKey: 'userTaskProcess',
      processDefinitionId: task.processDefinitionId,
      processInstanceId: pi.A,
      executionId: pi.A,
      taskId: task.taskId,
      calledProcessInstanceId: null,
      calledCaseInstanceId: null,
      assignee: 'demo',
      startTime: '2026-01-01T09:00:00.000+0000',
      endTime: '2026-01-01T09:00:02.000+0000',
      durationInMillis: 2000,
      canceled: false,
      completeScope: false,
      tenantId: null,
      removalTime: null,
      rootProcessInstanceId: pi.A,
    });
    assert.ok(task.taskId);
    const history = checkResponse('GET', '/history/task', await ctx.api.get(`/history/task?taskId=${task.taskId}`));
    assert.equal(history.body[0].activityInstanceId, task.id);
  });

  it('answers an unknown id with 404 and Camunda\'s message', async () => {
    const r = checkResponse('GET', `${LIST}/{id}`, await ctx.api.get(`${LIST}/nope`));
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { type: 'InvalidRequestException', message: "Historic activity instance with id 'nope' does not exist", code: null });
  });

  it('nests subprocess activity instances under the subprocess', async () => {
    const rows = (await get(`${LIST}?processInstanceId=${pi.D}`)).body;
    const sub = rows.find((ai) => ai.activityId === 'sub');
    assert.equal(sub.activityType, 'subProcess');
    assert.equal(sub.parentActivityInstanceId, pi.D);
    assert.equal(rows.find((ai) => ai.activityId === 'subTask').parentActivityInstanceId, sub.id);
    assert.equal(rows.find((ai) => ai.activityId === 'subStart').parentActivityInstanceId, sub.id);
  });

  it('filters by ids, activity, type, name and assignee', async () => {
    const [task] = (await get(`${LIST}?processInstanceId=${pi.B}&activityId=task`)).body;
    assert.equal(await list(`activityInstanceId=${task.id}`), 'B.task');
    assert.equal(await list(`processInstanceId=${pi.A}`), 'A.end A.start A.task');
    assert.equal(await list(`executionId=${pi.B}`), 'B.start B.task');
    assert.equal(await list(`processDefinitionId=${task.processDefinitionId}&activityType=startEvent`), 'A.start B.start C.start');
    assert.equal(await list('activityId=subTask'), 'D.subTask');
    assert.equal(await list('activityName=Do%20it'), 'A.task B.task C.task');
    assert.equal(await list('activityNameLike=In%25'), 'D.subTask');
    assert.equal(await list('activityType=noneEndEvent'), 'A.end');
    assert.equal(await list('taskAssignee=demo'), 'A.task B.task C.task');
    assert.equal(await list('taskAssignee=nobody'), '');
  });

  it('filters by state: finished, unfinished, canceled, completeScope', async () => {
    assert.equal(await list('unfinished=true'), 'B.task D.sub D.subTask');
    assert.equal(await list('finished=true&processInstanceId=' + pi.C), 'C.start C.task');
    assert.equal(await list('canceled=true'), 'C.task');
    assert.equal(await list('completeScope=true'), 'A.end');
    assert.equal(await list('finished=true&unfinished=true'), '');
    assert.equal(await list('canceled=false&processInstanceId=' + pi.B), 'B.start B.task');
  });

  it('filters by start and end time, and by tenant', async () => {
    const t = (s) => q(T0 + s * 1000);
    assert.equal(await list(`startedAfter=${t(5)}`), 'D.start D.sub D.subStart D.subTask');
    assert.equal(await list(`startedBefore=${t(0)}`), 'A.start A.task');
    assert.equal(await list(`finishedAfter=${t(2)}&finishedBefore=${t(4)}`), 'A.end A.task B.start C.start C.task');
    assert.equal(await list(`startedAfter=${t(3)}&startedBefore=${t(4)}&activityType=userTask`), 'B.task C.task');
    assert.equal(await list('withoutTenantId=true&activityType=userTask'), 'A.task B.task C.task D.subTask');
    assert.equal(await list('tenantIdIn=t1'), '');
  });

  it('takes the filters as a POST body too', async () => {
    const r = await post(LIST, { activityType: 'userTask', finished: true, startedAfter: '2026-01-01T09:00:01.000+0000' });
    assert.deepEqual(labels(r), ['C.task']);
    assert.deepEqual(labels(await post(LIST, { processInstanceId: pi.A, sorting: [{ sortBy: 'occurrence', sortOrder: 'desc' }] })), ['A.end', 'A.task', 'A.start']);
  });

  it('sorts by each sortBy value', async () => {
    const ofA = (sortBy, sortOrder) => get(`${LIST}?processInstanceId=${pi.A}&sortBy=${sortBy}&sortOrder=${sortOrder}`).then(labels);
    assert.deepEqual(await ofA('occurrence', 'asc'), ['A.start', 'A.task', 'A.end']);
    assert.deepEqual(await ofA('activityId', 'asc'), ['A.end', 'A.start', 'A.task']);
    assert.deepEqual(await ofA('activityName', 'desc'), ['A.start', 'A.end', 'A.task']);
    assert.deepEqual(await ofA('activityType', 'asc'), ['A.end', 'A.start', 'A.task']);
    assert.deepEqual((await ofA('duration', 'desc'))[0], 'A.task');
    assert.deepEqual((await ofA('endTime', 'desc')).at(-1), 'A.start');
    const all = await get(`${LIST}?sortBy=startTime&sortOrder=desc`);
    const times = all.body.map((ai) => ai.startTime);
    assert.deepEqual(times, [...times].sort().reverse());
    const ids = (await get(`${LIST}?sortBy=activityInstanceId&sortOrder=asc`)).body.map((ai) => ai.id);
    assert.deepEqual(ids, [...ids].sort());
    for (const sortBy of ['instanceId', 'executionId', 'definitionId', 'tenantId']) {
      assert.equal((await get(`${LIST}?sortBy=${sortBy}&sortOrder=asc`)).body.length, 11);
    }
  });

  it('pages and counts', async () => {
    const sorted = labels(await get(`${LIST}?sortBy=occurrence&sortOrder=asc`));
    assert.deepEqual(labels(await get(`${LIST}?sortBy=occurrence&sortOrder=asc&firstResult=2&maxResults=3`)), sorted.slice(2, 5));
    assert.deepEqual(labels(await post(`${LIST}?firstResult=9`, { sorting: [{ sortBy: 'occurrence', sortOrder: 'asc' }] })), sorted.slice(9));
    assert.deepEqual((await get(`${LIST}/count`)).body, { count: 11 });
    assert.deepEqual((await get(`${LIST}/count?activityType=userTask&finished=true`)).body, { count: 2 });
    assert.deepEqual((await post(`${LIST}/count`, { unfinished: true })).body, { count: 3 });
  });

  it('rejects bad requests with Camunda\'s messages', async () => {
    error(await get(`${LIST}?canceled=true&completeScope=true`), 'Already querying for activity instance state <scopeComplete>', 'BadUserRequestException');
    error(await post(`${LIST}/count`, { canceled: true, completeScope: true }), 'Already querying for activity instance state <scopeComplete>', 'BadUserRequestException');
    error(await get(`${LIST}?startedAfter=2026-13-01T00:00:00`), "Cannot set query parameter 'startedAfter' to value '2026-13-01T00:00:00': Cannot convert value \"2026-13-01T00:00:00\" to java type java.util.Date");
    error(await get(`${LIST}?sortBy=name&sortOrder=asc`), 'sortBy parameter has invalid value: name');
    error(await get(`${LIST}/count?sortBy=startTime`), 'Only a single sorting parameter specified. sortBy and sortOrder required');
    error(await post(LIST, { sorting: [{ sortBy: 'startTime', sortOrder: 'sideways' }] }), 'sortOrder parameter has invalid value: sideways');
    error(await post(LIST, { finished: 1 }), '');
    error(await post(LIST, { tenantIdIn: 't1' }), '');
  });
});
