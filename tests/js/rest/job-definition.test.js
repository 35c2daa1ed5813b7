// GET|POST /job-definition, GET|POST /job-definition/count and GET /job-definition/{id}, over
// HTTP against each store.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { deploy, describeRest, fixture, start } from './support.js';

const FIELDS = [
  'id', 'processDefinitionId', 'processDefinitionKey', 'jobType', 'jobConfiguration', 'activityId', 'suspended',
  'overridingJobPriority', 'tenantId', 'deploymentId',
].sort();

describeRest('job definitions', (ctx) => {
  const api = () => ctx.api;
  const list = async (query = '') => checkResponse('GET', '/job-definition', await api().get(`/job-definition${query}`));
  const keys = (res) => res.body.map((d) => `${d.activityId}/${d.jobConfiguration ?? d.jobType}`).sort();

  let asyncDeployment;
  let timerDeployment;

  before(async () => {
    asyncDeployment = await deploy(ctx, fixture('async-continuations.bpmn'));
    timerDeployment = await deploy(ctx, fixture('boundary-timer.bpmn'), { tenantId: 't1' });
  });

  it('lists the job definitions a deployment made, one per async continuation and timer', async () => {
    const res = await list('?processDefinitionKey=asyncProcess');
    assert.deepEqual(keys(res), [
      'afterTask/async-after',
      'beforeTask/async-before',
      'end/async-before',
      'legacyTask/async-before',
      'miTask#multiInstanceBody/async-before',
      'start/async-after',
    ]);
    const [definitionId] = Object.keys(asyncDeployment.deployedProcessDefinitions);
    for (const d of res.body) {
      assert.deepEqual(Object.keys(d).sort(), FIELDS);
      assert.equal(d.processDefinitionId, definitionId);
      assert.equal(d.jobType, 'async-continuation');
      assert.equal(d.suspended, false);
      assert.equal(d.overridingJobPriority, null);
      assert.equal(d.tenantId, null);
      assert.equal(d.deploymentId, asyncDeployment.id);
    }
    const [timer] = (await list('?processDefinitionKey=boundaryTimerProcess')).body;
    assert.equal(timer.jobType, 'timer-transition');
    assert.equal(timer.jobConfiguration, 'DURATION: PT1H');
    assert.equal(timer.activityId, 'timer');
    assert.equal(timer.tenantId, 't1');
    assert.equal(timer.deploymentId, timerDeployment.id);
  });

  it('gets one by id, 404 for an unknown id, and links jobs to their definition', async () => {
    const [d] = (await list('?activityIdIn=start')).body;
    const res = checkResponse('GET', '/job-definition/{id}', await api().get(`/job-definition/${d.id}`));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, d);
    const missing = checkResponse('GET', '/job-definition/{id}', await api().get('/job-definition/nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: 'Job Definition with id nope does not exist', code: null });

    const instance = await start(ctx, 'asyncProcess');
    const jobs = await api().get(`/job?processInstanceId=${instance.id}`);
    assert.deepEqual(jobs.body.map((j) => j.jobDefinitionId), [d.id]);
  });

  it('filters', async () => {
    const count = async (query) => (await list(query)).body.length;
    const [d] = (await list('?activityIdIn=beforeTask')).body;
    assert.equal(await count(`?jobDefinitionId=${d.id}`), 1);
    assert.equal(await count('?activityIdIn=start,end,timer'), 3);
    assert.equal(await count(`?processDefinitionId=${d.processDefinitionId}`), 6);
    assert.equal(await count('?jobType=timer-transition'), 1);
    assert.equal(await count('?jobConfiguration=async-after'), 2);
    assert.equal(await count('?active=true'), 7);
    assert.equal(await count('?suspended=true'), 0);
    assert.equal(await count('?withOverridingJobPriority=true'), 0);
    assert.equal(await count('?tenantIdIn=t1'), 1);
    assert.equal(await count('?withoutTenantId=true'), 6);
    assert.equal(await count('?tenantIdIn=t1&includeJobDefinitionsWithoutTenantId=true'), 7);
    const posted = checkResponse('POST', '/job-definition', await api().post('/job-definition', { activityIdIn: ['end', 'timer'], tenantIdIn: ['t1'] }));
    assert.deepEqual(posted.body.map((x) => x.activityId), ['timer']);
    const wrong = checkResponse('POST', '/job-definition', await api().post('/job-definition', { activityIdIn: 'end' }));
    assert.deepEqual(wrong.body, { type: 'InvalidRequestException', message: '', code: null });
  });

  it('counts, sorts and pages', async () => {
    const c = checkResponse('GET', '/job-definition/count', await api().get('/job-definition/count?jobType=async-continuation'));
    assert.deepEqual(c.body, { count: 6 });
    const cp = checkResponse('POST', '/job-definition/count', await api().post('/job-definition/count', { tenantIdIn: ['t1'] }));
    assert.deepEqual(cp.body, { count: 1 });
    const sorted = await list('?sortBy=activityId&sortOrder=desc&firstResult=1&maxResults=3');
    assert.deepEqual(sorted.body.map((d) => d.activityId), ['start', 'miTask#multiInstanceBody', 'legacyTask']);
    const posted = checkResponse('POST', '/job-definition', await api().post('/job-definition?maxResults=2', {
      sorting: [{ sortBy: 'tenantId', sortOrder: 'desc' }, { sortBy: 'jobConfiguration', sortOrder: 'asc' }],
    }));
    assert.deepEqual(posted.body.map((d) => d.jobConfiguration), ['DURATION: PT1H', 'async-after']);
    const bad = await list('?sortBy=version&sortOrder=asc');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'sortBy parameter has invalid value: version');
  });
});
