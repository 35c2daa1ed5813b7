// GET /incident, GET /incident/count and GET /incident/{id}, over HTTP against each store. The
// incidents come from a job that runs out of retries and an external task failed with 0 retries.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { deploy, describeRest, fixture, start, T0 } from './support.js';

const FAILING = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/bpmn" id="Definitions_failing">
  <bpmn:process id="failingProcess" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" camunda:asyncBefore="true" camunda:class="org.example.Broken" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const FIELDS = [
  'id', 'processDefinitionId', 'processInstanceId', 'executionId', 'incidentTimestamp', 'incidentType', 'activityId',
  'failedActivityId', 'causeIncidentId', 'rootCauseIncidentId', 'configuration', 'tenantId', 'incidentMessage',
  'jobDefinitionId', 'annotation',
].sort();

const at = (ms) => new Date(ms).toISOString().replace('Z', '+0000');

describeRest('incidents', (ctx) => {
  const api = () => ctx.api;
  const list = async (query = '') => checkResponse('GET', '/incident', await api().get(`/incident${query}`));
  const count = async (query) => (await list(query)).body.length;

  let jobInstance; // failingProcess: failedJob incident at T0 + 1 s
  let externalInstance; // externalTaskProcess of tenant t1: failedExternalTask incident at T0 + 2 s
  let job;
  let externalTask;

  before(async () => {
    ctx.engine.registerDelegate('org.example.Broken', () => {
      throw new Error('out of order');
    });
    await deploy(ctx, FAILING);
    await deploy(ctx, fixture('external-task.bpmn'), { tenantId: 't1' });
    jobInstance = await start(ctx, 'failingProcess', {});
    externalInstance = await start(ctx, 'externalTaskProcess', { tenantId: 't1' });
    [job] = (await api().get(`/job?processInstanceId=${jobInstance.id}`)).body;
    ctx.clock.advance(1000);
    for (let i = 0; i < 3; i++) await api().post(`/job/${job.id}/execute`);
    ctx.clock.advance(1000);
    const [locked] = (await api().post('/external-task/fetchAndLock', {
      workerId: 'w', maxTasks: 1, topics: [{ topicName: 'payment', lockDuration: 1000 }],
    })).body;
    externalTask = locked;
    await api().post(`/external-task/${locked.id}/failure`, { workerId: 'w', errorMessage: 'card declined', retries: 0 });
  });

  it('lists open incidents as IncidentDto', async () => {
    const res = await list('?sortBy=incidentTimestamp&sortOrder=asc');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 2);
    const [failedJob, failedExternalTask] = res.body;
    for (const i of res.body) assert.deepEqual(Object.keys(i).sort(), FIELDS);
    assert.equal(failedJob.incidentType, 'failedJob');
    assert.equal(failedJob.processInstanceId, jobInstance.id);
    assert.equal(failedJob.configuration, job.id);
    assert.equal(failedJob.activityId, 'work');
    assert.equal(failedJob.failedActivityId, 'work');
    assert.equal(failedJob.jobDefinitionId, job.jobDefinitionId);
    assert.equal(failedJob.incidentTimestamp, at(T0 + 1000));
    assert.match(failedJob.incidentMessage, /out of order/);
    assert.equal(failedJob.causeIncidentId, failedJob.id);
    assert.equal(failedJob.rootCauseIncidentId, failedJob.id);
    assert.equal(failedJob.annotation, null);
    assert.equal(failedJob.tenantId, null);
    assert.equal(failedExternalTask.incidentType, 'failedExternalTask');
    assert.equal(failedExternalTask.configuration, externalTask.id);
    assert.equal(failedExternalTask.incidentMessage, 'card declined');
    assert.equal(failedExternalTask.tenantId, 't1');
    assert.equal(failedExternalTask.jobDefinitionId, null);
  });

  it('gets one by id, and 404 for an unknown id', async () => {
    const [incident] = (await list('?incidentType=failedJob')).body;
    const res = checkResponse('GET', '/incident/{id}', await api().get(`/incident/${incident.id}`));
    assert.deepEqual(res.body, incident);
    const missing = checkResponse('GET', '/incident/{id}', await api().get('/incident/nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: 'No matching incident with id nope', code: null });
  });

  it('filters', async () => {
    const [incident] = (await list('?incidentType=failedJob')).body;
    assert.equal(await count(`?incidentId=${incident.id}`), 1);
    assert.equal(await count('?incidentType=failedExternalTask'), 1);
    assert.equal(await count('?incidentMessage=card%20declined'), 1);
    assert.equal(await count('?incidentMessageLike=%25order%25'), 1);
    assert.equal(await count('?incidentMessageLike=card%25&incidentMessage=card%20declined'), 1);
    assert.equal(await count(`?processDefinitionId=${incident.processDefinitionId}`), 1);
    assert.equal(await count('?processDefinitionKeyIn=externalTaskProcess,other'), 1);
    assert.equal(await count(`?processInstanceId=${externalInstance.id}`), 1);
    assert.equal(await count(`?executionId=${incident.executionId}`), 1);
    assert.equal(await count('?activityId=charge'), 1);
    assert.equal(await count('?failedActivityId=work'), 1);
    assert.equal(await count(`?causeIncidentId=${incident.id}`), 1);
    assert.equal(await count(`?rootCauseIncidentId=${incident.id}`), 1);
    assert.equal(await count(`?configuration=${job.id}`), 1);
    assert.equal(await count('?tenantIdIn=t1'), 1);
    assert.equal(await count(`?jobDefinitionIdIn=${job.jobDefinitionId}`), 1);
    const enc = (ms) => encodeURIComponent(at(ms));
    assert.equal(await count(`?incidentTimestampAfter=${enc(T0 + 1000)}`), 1);
    assert.equal(await count(`?incidentTimestampBefore=${enc(T0 + 2000)}`), 1);
    assert.equal(await count(`?incidentTimestampAfter=${enc(T0)}&incidentTimestampBefore=${enc(T0 + 3000)}`), 2);
    const bad = await list('?incidentTimestampAfter=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, `Cannot set query parameter 'incidentTimestampAfter' to value 'yesterday': Cannot convert value "yesterday" to java type java.util.Date`);
  });

  it('counts, sorts and pages', async () => {
    const c = checkResponse('GET', '/incident/count', await api().get('/incident/count'));
    assert.deepEqual(c.body, { count: 2 });
    const typed = checkResponse('GET', '/incident/count', await api().get('/incident/count?incidentType=failedJob'));
    assert.deepEqual(typed.body, { count: 1 });
    const desc = await list('?sortBy=incidentType&sortOrder=desc');
    assert.deepEqual(desc.body.map((i) => i.incidentType), ['failedJob', 'failedExternalTask']);
    const paged = await list('?sortBy=tenantId&sortOrder=asc&firstResult=1&maxResults=5');
    assert.deepEqual(paged.body.map((i) => i.tenantId), ['t1']);
    const bad = await list('?sortBy=incidentType&sortOrder=sideways');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'sortOrder parameter has invalid value: sideways');
    const badCount = checkResponse('GET', '/incident/count', await api().get('/incident/count?sortBy=incidentType'));
    assert.equal(badCount.status, 400);
  });

  it('drops an incident once its job gets retries again', async () => {
    assert.equal((await api().put(`/job/${job.id}/retries`, { retries: 1 })).status, 204);
    assert.deepEqual((await list('?incidentType=failedJob')).body, []);
    assert.deepEqual((await api().get('/incident/count')).body, { count: 1 });
  });
});
