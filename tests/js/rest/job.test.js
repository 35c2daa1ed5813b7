// GET|POST /job, GET|POST /job/count, GET /job/{id}, POST /job/{id}/execute,
// PUT /job/{id}/retries and GET /job/{id}/stacktrace, over HTTP against each store.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { deploy, describeRest, fixture, start, suspend, T0 } from './support.js';

// An async continuation before a delegate that fails while the variable `fail` is true.
const WORK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/bpmn" id="Definitions_work">
  <bpmn:process id="workProcess" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:class="org.example.Work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="after" />
    <bpmn:userTask id="after" />
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const JOB_FIELDS = [
  'id', 'jobDefinitionId', 'processInstanceId', 'processDefinitionId', 'processDefinitionKey', 'executionId',
  'exceptionMessage', 'failedActivityId', 'retries', 'dueDate', 'suspended', 'priority', 'tenantId', 'createTime', 'batchId',
].sort();

const at = (ms) => new Date(ms).toISOString().replace('Z', '+0000');
const HOUR = 3600000;

describeRest('jobs', (ctx) => {
  const api = () => ctx.api;
  const list = async (query = '') => checkResponse('GET', '/job', await api().get(`/job${query}`));
  const post = async (body, query = '') => checkResponse('POST', '/job', await api().post(`/job${query}`, body));
  const execute = async (id) => checkResponse('POST', '/job/{id}/execute', await api().post(`/job/${id}/execute`));
  const retries = async (id, body) => checkResponse('PUT', '/job/{id}/retries', await api().put(`/job/${id}/retries`, body));
  const jobOf = async (instanceId) => (await list(`?processInstanceId=${instanceId}`)).body[0];

  let timer; // boundaryTimerProcess: a timer due at T0 + 1h
  let work; // workProcess: an async continuation that succeeds
  let failing; // workProcess: one that fails (fail = true), started 1 s later
  let tenant; // workProcess of tenant t1, suspended

  before(async () => {
    ctx.engine.registerDelegate('org.example.Work', (execution) => {
      if (execution.getVariable('fail')) throw new Error('boom');
    });
    await deploy(ctx, fixture('boundary-timer.bpmn'));
    await deploy(ctx, WORK);
    await deploy(ctx, WORK, { tenantId: 't1' });
    timer = await start(ctx, 'boundaryTimerProcess', {});
    work = await start(ctx, 'workProcess', { variables: { fail: { value: false } } });
    ctx.clock.advance(1000);
    failing = await start(ctx, 'workProcess', { variables: { fail: { value: true } } });
    tenant = await start(ctx, 'workProcess', { tenantId: 't1', variables: { fail: { value: false } } });
    await suspend(ctx, tenant.id);
  });

  it('lists jobs as JobDto and gets one by id', async () => {
    const job = await jobOf(timer.id);
    assert.deepEqual(Object.keys(job).sort(), JOB_FIELDS);
    assert.equal(job.dueDate, at(T0 + HOUR));
    assert.equal(job.createTime, at(T0));
    assert.equal(job.retries, 3);
    assert.equal(job.exceptionMessage, null);
    assert.equal(job.processDefinitionKey, 'boundaryTimerProcess');
    assert.equal(typeof job.jobDefinitionId, 'string');
    assert.equal(job.batchId, null);
    const res = checkResponse('GET', '/job/{id}', await api().get(`/job/${job.id}`));
    assert.deepEqual(res.body, job);
    const missing = checkResponse('GET', '/job/{id}', await api().get('/job/nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: 'Job with id nope does not exist', code: null });
  });

  it('filters by ids, instance, definition, activity and state', async () => {
    const count = async (query) => (await list(query)).body.length;
    const job = await jobOf(work.id);
    assert.equal(await count(`?jobId=${job.id}`), 1);
    assert.equal(await count(`?jobIds=${job.id},nope`), 1);
    assert.equal(await count(`?processInstanceIds=${work.id},${timer.id}`), 2);
    assert.equal(await count(`?jobDefinitionId=${job.jobDefinitionId}`), 2);
    assert.equal(await count(`?executionId=${job.executionId}`), 1);
    assert.equal(await count('?processDefinitionKey=workProcess'), 3);
    assert.equal(await count(`?processDefinitionId=${job.processDefinitionId}`), 2);
    assert.equal(await count('?activityId=work'), 3);
    assert.equal(await count('?timers=true'), 1);
    assert.equal(await count('?messages=true'), 3);
    assert.equal(await count('?suspended=true'), 1);
    assert.equal(await count('?active=true'), 3);
    assert.equal(await count('?executable=true'), 2); // the timer is not due and one job is suspended
    assert.equal(await count('?withRetriesLeft=true'), 4);
    assert.equal(await count('?noRetriesLeft=true'), 0);
    assert.equal(await count('?priorityLowerThanOrEquals=0&priorityHigherThanOrEquals=0'), 4);
    assert.equal(await count('?tenantIdIn=t1'), 1);
    assert.equal(await count('?withoutTenantId=true'), 3);
    assert.equal(await count('?tenantIdIn=t1&includeJobsWithoutTenantId=true'), 4);
    assert.equal(await count('?acquired=true'), 0);
    // what a job executor node does (no REST call acquires jobs)
    await ctx.store.acquireJobs({ lockOwner: 'node-1', now: ctx.clock.now, lockDuration: 60000, maxJobs: 1 });
    assert.equal(await count('?acquired=true'), 1);

    const both = await list('?timers=true&messages=true');
    assert.equal(both.status, 400);
    assert.deepEqual(both.body, { type: 'InvalidRequestException', message: 'Parameter timers cannot be used together with parameter messages.', code: null });
  });

  it('filters by due date and create time conditions, in a GET and in a body', async () => {
    const enc = (ms) => encodeURIComponent(at(ms));
    assert.equal((await list(`?dueDates=gt_${enc(T0)},lt_${enc(T0 + 2 * HOUR)}`)).body.length, 1);
    assert.equal((await list(`?dueDates=lt_${enc(T0 + HOUR)}`)).body.length, 0);
    assert.equal((await list(`?createTimes=gt_${enc(T0)}`)).body.length, 2);
    assert.equal((await list(`?createTimes=lt_${enc(T0)}`)).body.length, 2); // createdBefore is "<="
    const body = await post({ createTimes: [{ operator: 'lt', value: at(T0 + 500) }], dueDates: [{ operator: 'gt', value: at(T0) }] });
    assert.deepEqual(body.body.map((j) => j.processInstanceId), [timer.id]);

    const cases = [
      [`?dueDates=bt_${enc(T0)}`, 'Invalid due date comparator specified: bt'],
      ['?dueDates=lt_invalidValue', 'Invalid due date format: Cannot convert value "invalidValue" to java type java.util.Date'],
      ['?createTimes=lt_invalidValue', 'Invalid create time format: Cannot convert value "invalidValue" to java type java.util.Date'],
      [`?createTimes=gt${enc(T0)}`, 'condition query parameter has to have format OPERATOR_VALUE.'],
    ];
    for (const [query, message] of cases) {
      const res = await list(query);
      assert.equal(res.status, 400, query);
      assert.deepEqual(res.body, { type: 'InvalidRequestException', message, code: null });
    }
    const posted = await post({ createTimes: [{ operator: 'bt', value: at(T0) }] });
    assert.equal(posted.status, 400);
    assert.equal(posted.body.message, 'Invalid create time comparator specified: bt');
  });

  it('counts, sorts and pages', async () => {
    const c = checkResponse('GET', '/job/count', await api().get('/job/count?processDefinitionKey=workProcess'));
    assert.deepEqual(c.body, { count: 3 });
    const cp = checkResponse('POST', '/job/count', await api().post('/job/count', { timers: true }));
    assert.deepEqual(cp.body, { count: 1 });
    const byDue = await list('?sortBy=jobDueDate&sortOrder=desc&maxResults=1');
    assert.deepEqual(byDue.body.map((j) => j.processInstanceId), [timer.id]);
    const sorted = await post({ sorting: [{ sortBy: 'jobRetries', sortOrder: 'asc' }, { sortBy: 'processInstanceId', sortOrder: 'desc' }] }, '?firstResult=1');
    assert.equal(sorted.body.length, 3);
    const ids = (await list('?sortBy=jobId&sortOrder=asc')).body.map((j) => j.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal((await list('?sortBy=dueDate&sortOrder=asc')).body.message, 'sortBy parameter has invalid value: dueDate');
    assert.equal((await list('?sortOrder=asc')).status, 400);
  });

  it('executes a job: 204, and the instance moves on', async () => {
    const job = await jobOf(work.id);
    const res = await execute(job.id);
    assert.equal(res.status, 204);
    assert.equal((await list(`?processInstanceId=${work.id}`)).body.length, 0);
    const tasks = await api().get(`/task?processInstanceId=${work.id}`);
    assert.deepEqual(tasks.body.map((t) => t.taskDefinitionKey), ['after']);
    const unknown = await execute('nope');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { type: 'InvalidRequestException', message: "ENGINE-14026 No job found with id 'nope'", code: null });
  });

  it('records a failing job: 404, retries down, exception kept, an incident at 0 retries', async () => {
    const job = await jobOf(failing.id);
    const stackless = checkResponse('GET', '/job/{id}/stacktrace', await api().get(`/job/${job.id}/stacktrace`));
    assert.equal(stackless.status, 404);
    for (const left of [2, 1, 0]) {
      const res = await execute(job.id);
      assert.equal(res.status, 404);
      assert.equal(res.body.type, 'InvalidRequestException');
      assert.equal(res.body.code, null);
      assert.match(res.body.message, /boom/);
      const after = (await api().get(`/job/${job.id}`)).body;
      assert.equal(after.retries, left);
      assert.match(after.exceptionMessage, /boom/);
      assert.equal(after.failedActivityId, 'work');
    }
    assert.equal((await list('?noRetriesLeft=true')).body[0].id, job.id);
    assert.equal((await list('?withException=true')).body[0].id, job.id);
    const failed = (await api().get(`/job/${job.id}`)).body;
    assert.equal((await list(`?exceptionMessage=${encodeURIComponent(failed.exceptionMessage)}`)).body.length, 1);
    assert.equal((await list('?failedActivityId=work')).body.length, 1);
    const incidents = await api().get(`/incident?processInstanceId=${failing.id}`);
    assert.deepEqual(incidents.body.map((i) => [i.incidentType, i.configuration, i.jobDefinitionId]), [['failedJob', job.id, job.jobDefinitionId]]);

    const trace = checkResponse('GET', '/job/{id}/stacktrace', await api().get(`/job/${job.id}/stacktrace`));
    assert.equal(trace.status, 200);
    assert.match(trace.headers.get('content-type'), /^text\/plain/);
    assert.equal(trace.text, failed.exceptionMessage);
    const unknown = checkResponse('GET', '/job/{id}/stacktrace', await api().get('/job/nope/stacktrace'));
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { type: 'InvalidRequestException', message: 'No job found with id nope: job is null', code: null });
  });

  it('sets retries (and a due date), resolving the failedJob incident', async () => {
    const job = await jobOf(failing.id);
    assert.equal(job.retries, 0);
    const res = await retries(job.id, { retries: 2, dueDate: at(T0 + 5 * HOUR) });
    assert.equal(res.status, 204);
    const after = (await api().get(`/job/${job.id}`)).body;
    assert.equal(after.retries, 2);
    assert.equal(after.dueDate, at(T0 + 5 * HOUR));
    assert.deepEqual((await api().get(`/incident?processInstanceId=${failing.id}`)).body, []);
    assert.equal((await retries(job.id, { retries: 1, dueDate: null })).status, 204);
    assert.equal((await api().get(`/job/${job.id}`)).body.dueDate, null);
    assert.equal((await retries(job.id, { retries: 1 })).status, 204);

    const negative = await retries(job.id, { retries: -1 });
    assert.equal(negative.status, 500);
    assert.deepEqual(negative.body, {
      type: 'InvalidRequestException',
      message: "ENGINE-13054 The number of job retries must be a non-negative Integer, but '-1' has been provided.",
      code: null,
    });
    const unknown = await retries('nope', { retries: 1 });
    assert.equal(unknown.status, 500);
    assert.equal(unknown.body.message, "ENGINE-13053 No job found with id 'nope'.'");
  });
});
