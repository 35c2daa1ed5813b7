// /process-instance: the instance query (GET/POST, counts; filters, OR groups, sorting, paging),
// one instance (GET, DELETE), its activity instance tree and its suspension (rest-contract.md
// §7.3, §7.4, §4). Setup (deployments, starts, task completions, failures) goes through the
// engine; every answer checked comes over HTTP and is validated against the OpenAPI document.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { checkJavaOnly, checkResponse } from './openapi.js';
import { assertError, describeRest, fixture } from './support.js';

const INSTANCE_FIELDS = ['businessKey', 'caseInstanceId', 'definitionId', 'definitionKey', 'ended', 'id', 'links', 'suspended', 'tenantId'];

const ids = (response) => response.body.map((i) => i.id);
const sorted = (list) => [...list].sort();

// POST /deployment/create with one fixture (and a tenant) → DeploymentWithDefinitionsDto.
async function deploy(ctx, file, { tenantId } = {}) {
  const r = await ctx.api.deploy(fixture(file), { resourceName: file, fields: tenantId ? { 'tenant-id': tenantId } : {} });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// --- the query ----------------------------------------------------------------------------------------

describeRest('process instance query', (ctx) => {
  const pi = {}; // name → instance id
  let deploymentId;
  let incidentId;

  // GET /process-instance with a query string → the response, checked.
  const get = async (qs = '') => checkResponse('GET', '/process-instance', await ctx.api.get(`/process-instance${qs ? `?${qs}` : ''}`));
  const post = async (body, qs = '') => checkResponse('POST', '/process-instance', await ctx.api.post(`/process-instance${qs ? `?${qs}` : ''}`, body));
  const getCount = async (qs = '') => checkResponse('GET', '/process-instance/count', await ctx.api.get(`/process-instance/count${qs ? `?${qs}` : ''}`));
  const postCount = async (body) => checkResponse('POST', '/process-instance/count', await ctx.api.post('/process-instance/count', body));

  before(async () => {
    deploymentId = (await deploy(ctx, 'user-task.bpmn')).id;
    await deploy(ctx, 'user-task.bpmn', { tenantId: 'acme' });
    await deploy(ctx, 'parallel-fork-join.bpmn');
    await deploy(ctx, 'external-task.bpmn');
    const start = async (key, options = {}) => (await ctx.engine.startProcessInstanceByKey(key, options)).id;
    pi.alice = await start('userTaskProcess', {
      businessKey: 'order-1',
      variables: { amount: { value: 100 }, customer: { value: 'Alice' }, due: { value: '2026-03-01T10:00:00.000+0000', type: 'Date' } },
    });
    pi.bob = await start('userTaskProcess', { businessKey: 'order-2', variables: { amount: { value: 5 }, customer: { value: 'bob' }, flag: { value: true } } });
    pi.acme = await start('userTaskProcess', { tenantId: 'acme', businessKey: 'other' });
    pi.join = await start('parallelProcess');
    const [taskA] = await ctx.engine.tasks({ processInstanceId: pi.join, taskDefinitionKey: 'taskA' });
    await ctx.engine.completeTask(taskA.id); // one token now waits at the join
    pi.failed = await start('externalTaskProcess', { businessKey: 'pay' });
    const [locked] = await ctx.engine.fetchAndLock({ workerId: 'w', topics: [{ topicName: 'payment', lockDuration: 60000 }] });
    await ctx.engine.handleFailure(locked.id, { workerId: 'w', errorMessage: 'card declined', retries: 0 });
    [{ id: incidentId }] = await ctx.engine.incidents({ processInstanceId: pi.failed });
    const r = await ctx.api.put(`/process-instance/${pi.bob}/suspended`, { suspended: true });
    assert.equal(checkResponse('PUT', '/process-instance/{id}/suspended', r).status, 204);
  });

  describe('lists and counts', () => {
    it('lists every running instance as ProcessInstanceDto, ordered by id', async () => {
      const r = await get();
      assert.equal(r.status, 200);
      assert.deepEqual(ids(r), sorted(Object.values(pi)));
      for (const dto of r.body) assert.deepEqual(Object.keys(dto).sort(), INSTANCE_FIELDS);
      const alice = r.body.find((i) => i.id === pi.alice);
      assert.deepEqual(alice.links, []);
      assert.equal(alice.definitionKey, 'userTaskProcess');
      assert.match(alice.definitionId, /^userTaskProcess:1:/);
      assert.equal(alice.businessKey, 'order-1');
      assert.equal(alice.caseInstanceId, null);
      assert.equal(alice.ended, false);
      assert.equal(alice.suspended, false);
      assert.equal(alice.tenantId, null);
      assert.equal(r.body.find((i) => i.id === pi.acme).tenantId, 'acme');
      assert.equal(r.body.find((i) => i.id === pi.bob).suspended, true);
    });

    it('answers POST with the same list, and counts both ways', async () => {
      assert.deepEqual(ids(await post({})), sorted(Object.values(pi)));
      assert.deepEqual(ids(await post(undefined)), sorted(Object.values(pi)));
      assert.deepEqual((await getCount()).body, { count: 5 });
      assert.deepEqual((await postCount({})).body, { count: 5 });
      assert.deepEqual((await getCount('businessKeyLike=order%25')).body, { count: 2 });
      assert.deepEqual((await postCount({ businessKeyLike: 'order%' })).body, { count: 2 });
    });

    it('pages with firstResult / maxResults from the query string, GET and POST', async () => {
      const all = sorted(Object.values(pi));
      assert.deepEqual(ids(await get('firstResult=1&maxResults=2')), all.slice(1, 3));
      assert.deepEqual(ids(await get('firstResult=3')), all.slice(3));
      assert.deepEqual(ids(await get('maxResults=1')), all.slice(0, 1));
      assert.deepEqual(ids(await post({}, 'firstResult=4&maxResults=10')), all.slice(4));
      assert.deepEqual(ids(await get('maxResults=0')), []);
    });

    it('sorts by every sortBy value, GET and POST (several criteria in order)', async () => {
      const byBusinessKey = await get('sortBy=businessKey&sortOrder=asc');
      // nulls first, as H2 orders them
      assert.deepEqual(byBusinessKey.body.map((i) => i.businessKey), [null, 'order-1', 'order-2', 'other', 'pay']);
      const desc = await get('sortBy=businessKey&sortOrder=desc');
      assert.deepEqual(desc.body.map((i) => i.businessKey), ['pay', 'other', 'order-2', 'order-1', null]);
      assert.deepEqual(ids(await get('sortBy=instanceId&sortOrder=desc')), sorted(Object.values(pi)).reverse());
      const byKey = await get('sortBy=definitionKey&sortOrder=asc');
      assert.deepEqual(byKey.body.map((i) => i.definitionKey), ['externalTaskProcess', 'parallelProcess', 'userTaskProcess', 'userTaskProcess', 'userTaskProcess']);
      const byDefinition = await get('sortBy=definitionId&sortOrder=asc');
      assert.deepEqual(byDefinition.body.map((i) => i.definitionId), byDefinition.body.map((i) => i.definitionId).sort());
      const byTenant = await get('sortBy=tenantId&sortOrder=desc');
      assert.equal(byTenant.body[0].tenantId, 'acme');
      const two = await post({ sorting: [{ sortBy: 'definitionKey', sortOrder: 'desc' }, { sortBy: 'businessKey', sortOrder: 'desc' }] });
      assert.deepEqual(two.body.map((i) => i.businessKey), ['other', 'order-2', 'order-1', null, 'pay']);
    });

    it('rejects bad sorting and paging with Camunda\'s messages, on lists and counts', async () => {
      assertError(await get('sortBy=businessKey'), 400, 'InvalidRequestException', 'Only a single sorting parameter specified. sortBy and sortOrder required');
      assertError(await get('sortBy=name&sortOrder=asc'), 400, 'InvalidRequestException', 'sortBy parameter has invalid value: name');
      assertError(await get('sortBy=businessKey&sortOrder=up'), 400, 'InvalidRequestException', 'sortOrder parameter has invalid value: up');
      assertError(await getCount('sortOrder=asc'), 400, 'InvalidRequestException', 'Only a single sorting parameter specified. sortBy and sortOrder required');
      assertError(await post({ sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }] }), 400, 'InvalidRequestException', 'sortBy parameter has invalid value: startTime');
      assertError(await postCount({ sorting: [{ sortBy: 'instanceId', sortOrder: 'sideways' }] }), 400, 'InvalidRequestException', 'sortOrder parameter has invalid value: sideways');
      assertError(await get('firstResult=x'), 400, 'InvalidRequestException', "Cannot set query parameter 'firstResult' to value 'x'");
      assertError(await post({}, 'maxResults=1.5'), 400, 'InvalidRequestException', "Cannot set query parameter 'maxResults' to value '1.5'");
    });

    it('rejects bodies Jackson cannot map with an empty message', async () => {
      assertError(await post({ businessKey: 5 }), 400, 'InvalidRequestException', '', null);
      assertError(await post({ processInstanceIds: 'abc' }), 400, 'InvalidRequestException', '', null);
      assertError(await post({ active: 'maybe' }), 400, 'InvalidRequestException', '', null);
      assertError(await post({ orQueries: { businessKey: 'x' } }), 400, 'InvalidRequestException', '', null);
      assertError(await postCount([]), 400, 'InvalidRequestException', '', null);
    });
  });

  describe('filters', () => {
    // Each case: GET query string and POST body that should select the same instances.
    const cases = [
      ['processInstanceIds', () => [`processInstanceIds=${pi.alice},${pi.acme},unknown`, { processInstanceIds: [pi.alice, pi.acme, 'unknown'] }], () => [pi.alice, pi.acme]],
      ['businessKey', () => ['businessKey=order-2', { businessKey: 'order-2' }], () => [pi.bob]],
      ['businessKeyLike', () => ['businessKeyLike=%25r-_', { businessKeyLike: '%r-_' }], () => [pi.alice, pi.bob]],
      ['processDefinitionKey', () => ['processDefinitionKey=parallelProcess', { processDefinitionKey: 'parallelProcess' }], () => [pi.join]],
      ['processDefinitionKeyIn', () => ['processDefinitionKeyIn=parallelProcess,externalTaskProcess', { processDefinitionKeyIn: ['parallelProcess', 'externalTaskProcess'] }], () => [pi.join, pi.failed]],
      ['processDefinitionKeyNotIn', () => ['processDefinitionKeyNotIn=userTaskProcess', { processDefinitionKeyNotIn: ['userTaskProcess'] }], () => [pi.join, pi.failed]],
      ['deploymentId', () => [`deploymentId=${deploymentId}`, { deploymentId }], () => [pi.alice, pi.bob]],
      ['active', () => ['active=true', { active: true }], () => [pi.alice, pi.acme, pi.join, pi.failed]],
      ['suspended', () => ['suspended=true', { suspended: true }], () => [pi.bob]],
      ['active and suspended (suspended wins, as in Java)', () => ['active=true&suspended=true', { active: true, suspended: true }], () => [pi.bob]],
      ['false flags restrict nothing', () => ['active=false&withIncident=false&rootProcessInstances=false', { suspended: false, withoutTenantId: false }], () => Object.values(pi)],
      ['withIncident', () => ['withIncident=true', { withIncident: true }], () => [pi.failed]],
      ['incidentId', () => [`incidentId=${incidentId}`, { incidentId }], () => [pi.failed]],
      ['incidentType', () => ['incidentType=failedExternalTask', { incidentType: 'failedExternalTask' }], () => [pi.failed]],
      ['incidentType (no such incidents)', () => ['incidentType=failedJob', { incidentType: 'failedJob' }], () => []],
      ['incidentMessage', () => ['incidentMessage=card declined', { incidentMessage: 'card declined' }], () => [pi.failed]],
      ['incidentMessageLike', () => ['incidentMessageLike=%25declined', { incidentMessageLike: '%declined' }], () => [pi.failed]],
      ['incident criteria on the same incident', () => ['incidentType=failedJob&incidentMessage=card declined', { incidentType: 'failedJob', incidentMessage: 'card declined' }], () => []],
      ['tenantIdIn', () => ['tenantIdIn=acme,other', { tenantIdIn: ['acme', 'other'] }], () => [pi.acme]],
      ['withoutTenantId', () => ['withoutTenantId=true', { withoutTenantId: true }], () => [pi.alice, pi.bob, pi.join, pi.failed]],
      ['withoutTenantId replaces tenantIdIn', () => ['tenantIdIn=acme&withoutTenantId=true', { tenantIdIn: ['acme'], withoutTenantId: true }], () => [pi.alice, pi.bob, pi.join, pi.failed]],
      ['processDefinitionWithoutTenantId', () => ['processDefinitionWithoutTenantId=true', { processDefinitionWithoutTenantId: true }], () => [pi.alice, pi.bob, pi.join, pi.failed]],
      ['activityIdIn (a user task)', () => ['activityIdIn=task', { activityIdIn: ['task'] }], () => [pi.alice, pi.bob, pi.acme]],
      ['activityIdIn (a token waiting at a join counts, as in Java)', () => ['activityIdIn=join', { activityIdIn: ['join'] }], () => [pi.join]],
      ['activityIdIn (several)', () => ['activityIdIn=taskB,charge,nowhere', { activityIdIn: ['taskB', 'charge', 'nowhere'] }], () => [pi.join, pi.failed]],
      ['activityIdIn (a completed activity does not count)', () => ['activityIdIn=taskA', { activityIdIn: ['taskA'] }], () => []],
      ['rootProcessInstances', () => ['rootProcessInstances=true', { rootProcessInstances: true }], () => Object.values(pi)],
      ['leafProcessInstances', () => ['leafProcessInstances=true', { leafProcessInstances: true }], () => Object.values(pi)],
      ['rootProcessInstanceId', () => [`rootProcessInstanceId=${pi.join}`, { rootProcessInstanceId: pi.join }], () => [pi.join]],
      ['superProcessInstance (no call activities)', () => [`superProcessInstance=${pi.alice}`, { superProcessInstance: pi.alice }], () => []],
      ['subProcessInstance', () => [`subProcessInstance=${pi.alice}`, { subProcessInstance: pi.alice }], () => []],
      ['caseInstanceId', () => ['caseInstanceId=c1', { caseInstanceId: 'c1' }], () => []],
      ['superCaseInstance', () => ['superCaseInstance=c1', { superCaseInstance: 'c1' }], () => []],
      ['subCaseInstance', () => ['subCaseInstance=c1', { subCaseInstance: 'c1' }], () => []],
      ['several filters (AND)', () => ['processDefinitionKey=userTaskProcess&withoutTenantId=true&active=true', { processDefinitionKey: 'userTaskProcess', withoutTenantId: true, active: true }], () => [pi.alice]],
      ['unknown parameters are ignored', () => ['colour=blue', { colour: 'blue' }], () => Object.values(pi)],
    ];
    for (const [name, query, expected] of cases) {
      it(`filters by ${name}`, async () => {
        const [qs, body] = query();
        const want = sorted(expected());
        assert.deepEqual(ids(await get(qs)), want, `GET ?${qs}`);
        assert.deepEqual(ids(await post(body)), want, `POST ${JSON.stringify(body)}`);
        assert.deepEqual((await getCount(qs)).body, { count: want.length });
        assert.deepEqual((await postCount(body)).body, { count: want.length });
      });
    }

    it('filters by processDefinitionId', async () => {
      const definitionId = (await get(`processInstanceIds=${pi.acme}`)).body[0].definitionId;
      assert.deepEqual(ids(await get(`processDefinitionId=${encodeURIComponent(definitionId)}`)), [pi.acme]);
      assert.deepEqual(ids(await post({ processDefinitionId: definitionId })), [pi.acme]);
    });
  });

  describe('variable conditions', () => {
    const cases = [
      ['eq on a string', 'customer_eq_Alice', [{ name: 'customer', operator: 'eq', value: 'Alice' }], () => [pi.alice]],
      ['neq (instances without the variable do not match)', 'customer_neq_Alice', [{ name: 'customer', operator: 'neq', value: 'Alice' }], () => [pi.bob]],
      ['gt on a number', 'amount_gt_50', [{ name: 'amount', operator: 'gt', value: 50 }], () => [pi.alice]],
      ['gteq / lteq', 'amount_gteq_5,amount_lteq_5', [{ name: 'amount', operator: 'gteq', value: 5 }, { name: 'amount', operator: 'lteq', value: 5 }], () => [pi.bob]],
      ['lt', 'amount_lt_100', [{ name: 'amount', operator: 'lt', value: 100 }], () => [pi.bob]],
      ['like', 'customer_like_A%25', [{ name: 'customer', operator: 'like', value: 'A%' }], () => [pi.alice]],
      ['a date, as an instant', 'due_eq_2026-03-01T11:00:00.000%2B0100', [{ name: 'due', operator: 'gt', value: '2026-02-28T23:00:00.000+0000' }], () => [pi.alice]],
      ['several (AND)', 'amount_gt_1,customer_eq_bob', [{ name: 'amount', operator: 'gt', value: 1 }, { name: 'customer', operator: 'eq', value: 'bob' }], () => [pi.bob]],
      ['an unknown variable', 'nothing_eq_1', [{ name: 'nothing', operator: 'eq', value: 1 }], () => []],
    ];
    for (const [name, qs, conditions, expected] of cases) {
      it(`matches ${name}`, async () => {
        const want = sorted(expected());
        assert.deepEqual(ids(await get(`variables=${qs}`)), want, qs);
        assert.deepEqual(ids(await post({ variables: conditions })), want, JSON.stringify(conditions));
        assert.deepEqual((await postCount({ variables: conditions })).body, { count: want.length });
      });
    }

    it('matches booleans and null in a body', async () => {
      assert.deepEqual(ids(await post({ variables: [{ name: 'flag', operator: 'eq', value: true }] })), [pi.bob]);
      assert.deepEqual(ids(await post({ variables: [{ name: 'flag', operator: 'neq', value: null }] })), [pi.bob]);
    });

    it('ignores the case of names and values when asked', async () => {
      assert.deepEqual(ids(await get('variables=CUSTOMER_eq_alice')), []);
      assert.deepEqual(ids(await get('variables=CUSTOMER_eq_Alice&variableNamesIgnoreCase=true')), [pi.alice]);
      assert.deepEqual(ids(await get('variables=customer_eq_ALICE&variableValuesIgnoreCase=true')), [pi.alice]);
      const body = { variables: [{ name: 'Customer', operator: 'like', value: 'b%' }], variableNamesIgnoreCase: true };
      assert.deepEqual(ids(await post(body)), [pi.bob]);
      assert.deepEqual(ids(await post({ ...body, variableValuesIgnoreCase: true, variables: [{ name: 'Customer', operator: 'like', value: 'B%' }] })), [pi.bob]);
    });

    it('finds variables of any execution of the instance', async () => {
      const [execution] = (await ctx.api.get(`/process-instance/${pi.join}/activity-instances`)).body.childActivityInstances.find((a) => a.activityId === 'taskB').executionIds;
      await ctx.engine.setVariables(execution, { branch: { value: 'B' } }, { local: true });
      assert.deepEqual(ids(await get('variables=branch_eq_B')), [pi.join]);
    });

    it('rejects malformed conditions with Camunda\'s messages', async () => {
      assertError(await get('variables=amount_gt'), 400, 'InvalidRequestException', 'variable query parameter has to have format KEY_OPERATOR_VALUE.');
      assertError(await get('variables=amount_bigger_5'), 400, 'InvalidRequestException', 'Invalid variable comparator specified: bigger');
      assertError(await get('variables=customer_notLike_A%25'), 400, 'InvalidRequestException', 'Invalid variable comparator specified: notLike');
      assertError(await post({ variables: [{ name: 'customer', operator: 'notLike', value: 'A%' }] }), 400, 'InvalidRequestException', 'Invalid variable comparator specified: notLike');
      assertError(await postCount({ variables: [{ name: 'a', operator: 'matches', value: 1 }] }), 400, 'InvalidRequestException', 'Invalid variable comparator specified: matches');
      assertError(await post({ variables: [{ name: 'amount', operator: 'gt', value: null }] }), 400, 'NotValidException', "Booleans and null cannot be used in 'greater than' condition", 0);
      assertError(await post({ variables: [{ name: 'flag', operator: 'lteq', value: false }] }), 400, 'NotValidException', "Booleans and null cannot be used in 'less than or equal' condition", 0);
      assertError(await post({ variables: [{ operator: 'eq', value: 1 }] }), 400, 'InvalidRequestException', '', null);
    });
  });

  describe('OR groups (orQueries)', () => {
    it('ORs the criteria of a group and ANDs the group with the rest', async () => {
      const body = { orQueries: [{ businessKey: 'order-1', activityIdIn: ['join'] }] };
      assert.deepEqual(ids(await post(body)), sorted([pi.alice, pi.join]));
      assert.deepEqual(ids(await post({ ...body, processDefinitionKey: 'userTaskProcess' })), [pi.alice]);
      assert.deepEqual((await postCount(body)).body, { count: 2 });
    });

    it('ANDs several groups', async () => {
      const body = { orQueries: [{ businessKeyLike: 'order%', withIncident: true }, { suspended: true, tenantIdIn: ['acme'] }] };
      assert.deepEqual(ids(await post(body)), [pi.bob]);
    });

    it('ORs variable conditions and incident criteria inside a group', async () => {
      const vars = { orQueries: [{ variables: [{ name: 'customer', operator: 'eq', value: 'Alice' }, { name: 'customer', operator: 'eq', value: 'bob' }] }] };
      assert.deepEqual(ids(await post(vars)), sorted([pi.alice, pi.bob]));
      const incidents = { orQueries: [{ incidentType: 'failedJob', incidentMessage: 'card declined' }] };
      assert.deepEqual(ids(await post(incidents)), [pi.failed]);
    });

    it('lets an empty group restrict nothing and sorts the result as asked', async () => {
      assert.deepEqual(ids(await post({ orQueries: [{}] })), sorted(Object.values(pi)));
      const r = await post({ orQueries: [{ businessKey: 'order-1', businessKeyLike: 'other' }], sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] });
      assert.deepEqual(r.body.map((i) => i.businessKey), ['other', 'order-1']);
    });
  });

  describe('engine exceptions of the query builder', () => {
    it('refuses an empty processInstanceIds set with a 500, as Java', async () => {
      const r = await ctx.api.post('/process-instance', { processInstanceIds: [] });
      assertError(checkJavaOnly('POST', '/process-instance', r), 500, 'ProcessEngineException', 'Set of process instance ids is empty', 0);
    });

    it('refuses rootProcessInstances with superProcessInstance, leafProcessInstances with subProcessInstance', async () => {
      let r = await ctx.api.get('/process-instance?rootProcessInstances=true&superProcessInstance=x');
      assertError(checkJavaOnly('GET', '/process-instance', r), 500, 'ProcessEngineException',
        'Invalid query usage: cannot set both rootProcessInstances and superProcessInstanceId', 0);
      r = await ctx.api.post('/process-instance/count', { leafProcessInstances: true, subProcessInstance: 'x' });
      assertError(checkJavaOnly('POST', '/process-instance/count', r), 500, 'ProcessEngineException',
        'Invalid query usage: cannot set both leafProcessInstances and subProcessInstanceId', 0);
    });
  });
});

// --- one instance -------------------------------------------------------------------------------------

describeRest('one process instance', (ctx) => {
  before(async () => {
    for (const file of ['user-task.bpmn', 'parallel-fork-join.bpmn', 'embedded-subprocess.bpmn', 'async-continuations.bpmn', 'external-task.bpmn', 'execution-listeners.bpmn']) {
      await deploy(ctx, file);
    }
    ctx.engine.registerDelegate('auditListener', () => {});
  });
  const start = async (key, options = {}) => (await ctx.engine.startProcessInstanceByKey(key, options)).id;

  describe('GET /process-instance/{id}', () => {
    it('answers the ProcessInstanceDto', async () => {
      const id = await start('userTaskProcess', { businessKey: 'bk' });
      const r = checkResponse('GET', '/process-instance/{id}', await ctx.api.get(`/process-instance/${id}`));
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body).sort(), INSTANCE_FIELDS);
      assert.equal(r.body.id, id);
      assert.equal(r.body.businessKey, 'bk');
      assert.deepEqual(r.body.links, []);
    });

    it('answers 404 for an unknown or ended instance', async () => {
      assertError(checkResponse('GET', '/process-instance/{id}', await ctx.api.get('/process-instance/nope')), 404, 'InvalidRequestException',
        'Process instance with id nope does not exist', null);
    });
  });

  describe('DELETE /process-instance/{id}', () => {
    it('deletes a running instance: 204, then gone, ended EXTERNALLY_TERMINATED without a reason', async () => {
      const id = await start('userTaskProcess');
      const r = checkResponse('DELETE', '/process-instance/{id}', await ctx.api.delete(`/process-instance/${id}`));
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
      assert.equal((await ctx.api.get(`/process-instance/${id}`)).status, 404);
      const historic = (await ctx.api.get(`/history/process-instance/${id}`)).body;
      assert.equal(historic.state, 'EXTERNALLY_TERMINATED');
      assert.equal(historic.deleteReason, null);
      assert.notEqual(historic.endTime, null);
    });

    it('answers 404 with the engine\'s message for an unknown instance', async () => {
      const r = checkResponse('DELETE', '/process-instance/{id}', await ctx.api.delete('/process-instance/nope'));
      assertError(r, 404, 'InvalidRequestException', "No process instance found for id 'nope': processInstance is null", 0);
      const explicit = await ctx.api.delete('/process-instance/nope?failIfNotExists=true');
      assert.equal(checkResponse('DELETE', '/process-instance/{id}', explicit).status, 404);
    });

    it('ignores an unknown instance with failIfNotExists=false', async () => {
      const r = checkResponse('DELETE', '/process-instance/{id}', await ctx.api.delete('/process-instance/nope?failIfNotExists=false'));
      assert.equal(r.status, 204);
    });

    it('skips custom listeners when asked', async () => {
      const calls = [];
      ctx.engine.registerDelegate('org.example.ProcessEndListener', () => calls.push('end'));
      const id = await start('listenersProcess');
      calls.length = 0;
      const r = await ctx.api.delete(`/process-instance/${id}?skipCustomListeners=true&skipIoMappings=true&skipSubprocesses=true`);
      assert.equal(checkResponse('DELETE', '/process-instance/{id}', r).status, 204);
      assert.deepEqual(calls, []);
      const other = await start('listenersProcess');
      calls.length = 0;
      assert.equal((await ctx.api.delete(`/process-instance/${other}`)).status, 204);
      assert.ok(calls.length > 0, 'the process end listener runs without skipCustomListeners');
    });
  });

  describe('GET /process-instance/{id}/activity-instances', () => {
    const tree = async (id) => checkResponse('GET', '/process-instance/{id}/activity-instances', await ctx.api.get(`/process-instance/${id}/activity-instances`));

    it('answers the tree of a waiting instance', async () => {
      const id = await start('userTaskProcess');
      const r = await tree(id);
      assert.equal(r.status, 200);
      const root = r.body;
      assert.equal(root.id, id);
      assert.equal(root.parentActivityInstanceId, null);
      assert.match(root.activityId, /^userTaskProcess:1:/);
      assert.equal(root.activityType, 'processDefinition');
      assert.equal(root.processDefinitionId, root.activityId);
      assert.deepEqual(root.executionIds, [id]);
      assert.equal(root.name, root.activityName);
      assert.deepEqual([root.childTransitionInstances, root.incidentIds, root.incidents], [[], [], []]);
      const [task] = root.childActivityInstances;
      assert.equal(task.activityId, 'task');
      assert.equal(task.activityType, 'userTask');
      assert.equal(task.parentActivityInstanceId, id);
      assert.equal(task.processInstanceId, id);
      assert.equal(task.name, task.activityName);
      assert.deepEqual(task.childActivityInstances, []);
    });

    it('shows a token waiting at a join, nested scopes and transition instances', async () => {
      const join = await start('parallelProcess');
      const [taskA] = await ctx.engine.tasks({ processInstanceId: join, taskDefinitionKey: 'taskA' });
      await ctx.engine.completeTask(taskA.id);
      assert.deepEqual((await tree(join)).body.childActivityInstances.map((a) => a.activityId).sort(), ['join', 'taskB']);

      const sub = (await tree(await start('subProcessProcess'))).body.childActivityInstances[0];
      assert.equal(sub.activityType, 'subProcess');
      assert.equal(sub.childActivityInstances[0].activityId, 'subTask');
      assert.equal(sub.childActivityInstances[0].parentActivityInstanceId, sub.id);

      const async = await start('asyncProcess');
      const [transition] = (await tree(async)).body.childTransitionInstances;
      assert.equal(transition.activityId, 'start');
      assert.equal(transition.targetActivityId, 'start');
      assert.equal(transition.parentActivityInstanceId, async);
      assert.equal(transition.executionId, transition.id);
      assert.deepEqual([transition.incidentIds, transition.incidents], [[], []]);
    });

    it('lists incidents on the node they happened in', async () => {
      const id = await start('externalTaskProcess');
      const [locked] = await ctx.engine.fetchAndLock({ workerId: 'w', topics: [{ topicName: 'payment', lockDuration: 60000 }] });
      await ctx.engine.handleFailure(locked.id, { workerId: 'w', errorMessage: 'down', retries: 0 });
      const [incident] = await ctx.engine.incidents({ processInstanceId: id });
      const [charge] = (await tree(id)).body.childActivityInstances;
      assert.deepEqual(charge.incidentIds, [incident.id]);
      assert.deepEqual(charge.incidents, [{ id: incident.id, activityId: 'charge' }]);
    });

    it('answers 404 for an unknown instance (the OpenAPI document says 500)', async () => {
      const r = await ctx.api.get('/process-instance/nope/activity-instances');
      assertError(checkJavaOnly('GET', '/process-instance/{id}/activity-instances', r), 404, 'InvalidRequestException',
        'Process instance with id nope does not exist', null);
    });
  });

  describe('PUT /process-instance/{id}/suspended', () => {
    const put = async (id, body) => ctx.api.put(`/process-instance/${id}/suspended`, body);

    it('suspends and activates: 204, visible in the instance and its tasks', async () => {
      const id = await start('userTaskProcess');
      assert.equal(checkResponse('PUT', '/process-instance/{id}/suspended', await put(id, { suspended: true })).status, 204);
      assert.equal((await ctx.api.get(`/process-instance/${id}`)).body.suspended, true);
      assert.equal((await ctx.engine.tasks({ processInstanceId: id }))[0].suspended, true);
      assert.equal((await put(id, { suspended: true })).status, 204, 'twice is no error');
      assert.equal(checkResponse('PUT', '/process-instance/{id}/suspended', await put(id, { suspended: false })).status, 204);
      assert.equal((await ctx.api.get(`/process-instance/${id}`)).body.suspended, false);
    });

    it('takes a missing `suspended` as false (a Java primitive) and an unknown id as nothing to do', async () => {
      const id = await start('userTaskProcess');
      await put(id, { suspended: true });
      assert.equal((await put(id, {})).status, 204);
      assert.equal((await ctx.api.get(`/process-instance/${id}`)).body.suspended, false);
      assert.equal(checkResponse('PUT', '/process-instance/{id}/suspended', await put('nope', { suspended: true })).status, 204);
    });

    it('rejects bodies Java rejects', async () => {
      const id = await start('userTaskProcess');
      assertError(checkJavaOnly('PUT', '/process-instance/{id}/suspended', await put(id, { suspended: 'very' })), 400, 'InvalidRequestException', '', null);
      assertError(checkJavaOnly('PUT', '/process-instance/{id}/suspended', await put(id, { suspended: true, processDefinitionKey: 'x' })), 400, 'InvalidRequestException',
        'Only one of processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.', null);
      assertError(checkJavaOnly('PUT', '/process-instance/{id}/suspended', await put(id, { suspended: true, processInstanceIds: [id] })), 400, 'InvalidRequestException',
        'Choose either a single processInstance with processInstanceId, processDefinitionId or processDefinitionKey or a group of processInstances with processInstanceIds, procesInstanceQuery or historicProcessInstanceQuery.', null);
    });
  });

  describe('PUT /process-instance/suspended', () => {
    const put = async (body) => checkResponse('PUT', '/process-instance/suspended', await ctx.api.put('/process-instance/suspended', body));
    const suspendedOf = async (id) => (await ctx.api.get(`/process-instance/${id}`)).body.suspended;

    it('suspends and activates every instance of a definition, by id or by key', async () => {
      const a = await start('subProcessProcess');
      const b = await start('subProcessProcess');
      const definitionId = (await ctx.api.get(`/process-instance/${a}`)).body.definitionId;
      assert.equal((await put({ suspended: true, processDefinitionId: definitionId })).status, 204);
      assert.deepEqual([await suspendedOf(a), await suspendedOf(b)], [true, true]);
      assert.equal((await put({ suspended: false, processDefinitionKey: 'subProcessProcess', processDefinitionWithoutTenantId: true })).status, 204);
      assert.deepEqual([await suspendedOf(a), await suspendedOf(b)], [false, false]);
    });

    it('suspends a group given by ids and a query', async () => {
      const a = await start('userTaskProcess', { businessKey: 'group-a' });
      const b = await start('userTaskProcess', { businessKey: 'group-b' });
      const c = await start('userTaskProcess', { businessKey: 'group-c' });
      const r = await put({ suspended: true, processInstanceIds: [a, 'unknown'], processInstanceQuery: { businessKey: 'group-b' } });
      assert.equal(r.status, 204);
      assert.deepEqual([await suspendedOf(a), await suspendedOf(b), await suspendedOf(c)], [true, true, false]);
    });

    it('rejects what Java rejects', async () => {
      assertError(await put({ suspended: true }), 400, 'InvalidRequestException',
        'Either processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.', null);
      assertError(await put({ suspended: true, processDefinitionId: 'a', processDefinitionKey: 'b' }), 400, 'InvalidRequestException',
        'Only one of processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.', null);
      assertError(await put({ suspended: true, processDefinitionKey: 'b', processInstanceIds: ['x'] }), 400, 'InvalidRequestException',
        'Choose either a single processInstance with processInstanceId, processDefinitionId or processDefinitionKey or a group of processInstances with processInstanceIds, procesInstanceQuery or historicProcessInstanceQuery.', null);
      assertError(await put({ suspended: true, processInstanceIds: [] }), 400, 'BadUserRequestException', 'No process instance ids given: Process Instance ids is empty', 0);
      assertError(await put({ suspended: true, processInstanceQuery: { businessKey: 'nobody' } }), 400, 'BadUserRequestException',
        'No process instance ids given: Process Instance ids is empty', 0);
    });
  });
});
