// /history/variable-instance (list GET/POST, count GET/POST, by id) and /history/detail (list
// GET/POST, count, by id): filters, sorting, paging, DTOs, errors — and what a restart reads from
// history (semantics.md §2.4–2.5): initial values, last values, start activity, business key.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { T0, describeRest } from './support.js';
import { completeOnlyTask, deploy, int, q, removeVariable, setVariables, start, str } from './history-setup.js';

const VARS = '/history/variable-instance';
const DETAILS = '/history/detail';

describeRest('history: variables and details', (ctx) => {
  const pi = {};
  let subExecution; // B's subprocess scope execution
  let subActivityInstance;

  // A: started at 0 with amount 100, customer, flag; amount 150 at 1; flag removed at 2; task
  //    completed at 3 with approved (A completes).
  // B: subprocess instance started at 4 with count; a local `note` on the subprocess at 5.
  // C: started at 6 without variables; `later` set at 7.
  before(async () => {
    await deploy(ctx, 'user-task.bpmn');
    await deploy(ctx, 'embedded-subprocess.bpmn');
    const at = (s) => { ctx.clock.now = T0 + s * 1000; };
    at(0);
    pi.A = await start(ctx, 'userTaskProcess', { businessKey: 'order-1', variables: { amount: int(100), customer: str('Alice'), flag: { value: true, type: 'Boolean' } } });
    at(1);
    await setVariables(ctx, pi.A, { amount: int(150) });
    at(2);
    await removeVariable(ctx, pi.A, 'flag');
    at(3);
    await completeOnlyTask(ctx, pi.A, { approved: { value: true, type: 'Boolean' } });
    at(4);
    pi.B = await start(ctx, 'subProcessProcess', { variables: { count: { value: 7, type: 'Long' } } });
    const tree = checkResponse('GET', '/process-instance/{id}/activity-instances', await ctx.api.get(`/process-instance/${pi.B}/activity-instances`));
    const sub = tree.body.childActivityInstances.find((a) => a.activityId === 'sub');
    subActivityInstance = sub.id;
    subExecution = sub.executionIds[0];
    at(5);
    const local = await ctx.api.post(`/execution/${subExecution}/localVariables`, { modifications: { note: str('inner') } });
    assert.equal(local.status, 204, local.text);
    at(6);
    pi.C = await start(ctx, 'userTaskProcess');
    at(7);
    await setVariables(ctx, pi.C, { later: str('x') });
  });

  const owner = (row) => Object.keys(pi).find((l) => pi[l] === row.processInstanceId);
  const template = (base, path) => (path.startsWith(`${base}/count`) ? `${base}/count` : base);
  const getVars = async (query = '') => checkResponse('GET', template(VARS, `${VARS}${query}`), await ctx.api.get(`${VARS}${query}`));
  const getDetails = async (query = '') => checkResponse('GET', template(DETAILS, `${DETAILS}${query}`), await ctx.api.get(`${DETAILS}${query}`));
  const names = (r) => {
    assert.equal(r.status, 200, r.text);
    return r.body.map((v) => `${owner(v)}.${v.name ?? v.variableName}`);
  };
  const sortedNames = (r) => names(r).sort().join(' ');
  const error = (r, message, type = 'InvalidRequestException') => {
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.type, type);
    assert.equal(r.body.message, message);
  };

  describe('variable instances', () => {
    it('lists the live variables with their last values, typed', async () => {
      const r = await getVars();
      assert.equal(sortedNames(r), 'A.amount A.approved A.customer B.count B.note C.later');
      const amount = r.body.find((v) => v.name === 'amount');
      assert.deepEqual(amount, {
        type: 'Integer',
        value: 150,
        valueInfo: {},
        id: amount.id,
        name: 'amount',
        processDefinitionKey: 'userTaskProcess',
        processDefinitionId: amount.processDefinitionId,
        processInstanceId: pi.A,
        executionId: pi.A,
        activityInstanceId: pi.A,
        caseDefinitionKey: null,
        caseDefinitionId: null,
        caseInstanceId: null,
        caseExecutionId: null,
        taskId: null,
        tenantId: null,
        errorMessage: null,
        state: 'CREATED',
        createTime: '2026-01-01T09:00:00.000+0000',
        removalTime: null,
        rootProcessInstanceId: pi.A,
      });
      assert.deepEqual(r.body.find((v) => v.name === 'count').type, 'Long');
    });

    it('returns one by id; an unknown id is a 404', async () => {
      const [note] = (await getVars('?variableName=note')).body;
      const r = checkResponse('GET', `${VARS}/{id}`, await ctx.api.get(`${VARS}/${note.id}?deserializeValues=false`));
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, note);
      assert.equal(note.executionId, subExecution);
      assert.equal(note.activityInstanceId, subActivityInstance);
      const missing = checkResponse('GET', `${VARS}/{id}`, await ctx.api.get(`${VARS}/nope`));
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: "Historic variable instance with Id 'nope' does not exist.", code: null });
    });

    it('keeps deleted variables out unless includeDeleted', async () => {
      const r = await getVars(`?processInstanceId=${pi.A}&includeDeleted=true`);
      assert.equal(sortedNames(r), 'A.amount A.approved A.customer A.flag');
      assert.equal(r.body.find((v) => v.name === 'flag').state, 'DELETED');
      assert.equal((await getVars('?variableName=flag')).body.length, 0);
    });

    it('filters by name and value', async () => {
      assert.equal(sortedNames(await getVars('?variableName=amount')), 'A.amount');
      assert.equal(sortedNames(await getVars('?variableName=AMOUNT')), '');
      assert.equal(sortedNames(await getVars('?variableName=AMOUNT&variableNamesIgnoreCase=true')), 'A.amount');
      assert.equal(sortedNames(await getVars('?variableNameLike=c%25')), 'A.customer B.count');
      assert.equal(sortedNames(await getVars('?variableNameIn=amount,note,nothing')), 'A.amount B.note');
      assert.equal(sortedNames(await getVars('?variableName=amount&variableValue=150')), 'A.amount');
      assert.equal(sortedNames(await getVars('?variableName=amount&variableValue=100')), '');
      assert.equal(sortedNames(await getVars('?variableName=customer&variableValue=alice')), '');
      assert.equal(sortedNames(await getVars('?variableName=customer&variableValue=alice&variableValuesIgnoreCase=true')), 'A.customer');
      assert.equal(sortedNames(await getVars('?variableTypeIn=string,BOOLEAN')), 'A.approved A.customer B.note C.later');
    });

    it('filters by where the variable lives', async () => {
      const [amount] = (await getVars('?variableName=amount')).body;
      assert.equal(sortedNames(await getVars(`?processInstanceId=${pi.B}`)), 'B.count B.note');
      assert.equal(sortedNames(await getVars(`?processInstanceIdIn=${pi.B},${pi.C}`)), 'B.count B.note C.later');
      assert.equal(sortedNames(await getVars(`?processDefinitionId=${amount.processDefinitionId}`)), 'A.amount A.approved A.customer C.later');
      assert.equal(sortedNames(await getVars('?processDefinitionKey=subProcessProcess')), 'B.count B.note');
      assert.equal(sortedNames(await getVars(`?executionIdIn=${subExecution}`)), 'B.note');
      assert.equal(sortedNames(await getVars(`?activityInstanceIdIn=${subActivityInstance},${pi.C}`)), 'B.note C.later');
      assert.equal(sortedNames(await getVars('?taskIdIn=nope')), '');
      assert.equal(sortedNames(await getVars('?withoutTenantId=true&variableName=count')), 'B.count');
      assert.equal(sortedNames(await getVars('?tenantIdIn=t1')), '');
      assert.equal(sortedNames(await getVars('?caseInstanceId=c')), '');
      assert.equal(sortedNames(await getVars('?caseExecutionIdIn=c')), '');
      assert.equal(sortedNames(await getVars('?caseActivityIdIn=c')), '');
    });

    it('takes the filters as a POST body (a typed variableValue)', async () => {
      const post = async (body, query = '') => checkResponse('POST', VARS, await ctx.api.post(`${VARS}${query}`, body));
      assert.equal(sortedNames(await post({ variableName: 'amount', variableValue: 150 })), 'A.amount');
      assert.equal(sortedNames(await post({ variableName: 'approved', variableValue: true })), 'A.approved');
      assert.equal(sortedNames(await post({ processInstanceIdIn: [pi.A], variableTypeIn: ['integer'] }, '?deserializeValues=true')), 'A.amount');
      assert.deepEqual(names(await post({ sorting: [{ sortBy: 'variableName', sortOrder: 'desc' }] }, '?maxResults=2')), ['B.note', 'C.later']);
    });

    it('sorts, pages and counts', async () => {
      assert.deepEqual(names(await getVars('?sortBy=variableName&sortOrder=asc')), ['A.amount', 'A.approved', 'B.count', 'A.customer', 'C.later', 'B.note']);
      assert.deepEqual(names(await getVars('?sortBy=variableName&sortOrder=asc&firstResult=2&maxResults=2')), ['B.count', 'A.customer']);
      const byInstance = (await getVars('?sortBy=instanceId&sortOrder=desc')).body.map((v) => v.processInstanceId);
      assert.deepEqual(byInstance, [...byInstance].sort().reverse());
      assert.equal((await getVars('?sortBy=tenantId&sortOrder=asc')).body.length, 6);
      assert.deepEqual((await getVars('/count')).body, { count: 6 });
      assert.deepEqual((await getVars('/count?includeDeleted=true')).body, { count: 7 });
      const posted = checkResponse('POST', `${VARS}/count`, await ctx.api.post(`${VARS}/count`, { processInstanceId: pi.A }));
      assert.deepEqual(posted.body, { count: 3 });
    });

    it('rejects bad requests with Camunda\'s messages', async () => {
      const message = 'Only a single variable value parameter specified: variable name and value are required to be able to query after a specific variable value.';
      error(await getVars('?variableValue=150'), message);
      error(checkResponse('POST', VARS, await ctx.api.post(VARS, { variableValue: 150 })), message);
      error(await getVars('?sortBy=name&sortOrder=asc'), 'sortBy parameter has invalid value: name');
      error(await getVars('/count?sortBy=variableName'), 'Only a single sorting parameter specified. sortBy and sortOrder required');
      error(checkResponse('POST', `${VARS}/count`, await ctx.api.post(`${VARS}/count`, { includeDeleted: 'maybe' })), '');
      error(await getVars('?firstResult=x'), "Cannot set query parameter 'firstResult' to value 'x'");
    });
  });

  describe('details', () => {
    const detailsOf = (r) => {
      assert.equal(r.status, 200, r.text);
      return r.body.map((d) => `${owner(d)}.${d.variableName}=${JSON.stringify(d.value)}${d.initial ? '*' : ''}`);
    };

    it('records every value a variable took, the start values marked initial', async () => {
      const r = await getDetails(`?processInstanceId=${pi.A}&sortBy=occurrence&sortOrder=asc`);
      const values = detailsOf(r);
      assert.deepEqual(values.slice(0, 4), ['A.amount=100*', 'A.customer="Alice"*', 'A.flag=true*', 'A.amount=150']);
      assert.ok(values.includes('A.approved=true'));
      for (const d of r.body) {
        assert.deepEqual(Object.keys(d).sort(), [
          'activityInstanceId', 'caseDefinitionId', 'caseDefinitionKey', 'caseExecutionId', 'caseInstanceId', 'errorMessage', 'executionId',
          'id', 'initial', 'processDefinitionId', 'processDefinitionKey', 'processInstanceId', 'removalTime', 'revision',
          'rootProcessInstanceId', 'taskId', 'tenantId', 'time', 'type', 'userOperationId', 'value', 'valueInfo', 'variableInstanceId',
          'variableName', 'variableType',
        ]);
        assert.equal(d.type, 'variableUpdate');
      }
    });

    it('returns one by id, as Camunda writes a variable update; an unknown id is a 404', async () => {
      const [update] = (await getDetails(`?processInstanceId=${pi.A}&initial=false&variableTypeIn=Integer&sortBy=time&sortOrder=desc`)).body;
      const [amount] = (await getVars('?variableName=amount')).body;
      const r = checkResponse('GET', `${DETAILS}/{id}`, await ctx.api.get(`${DETAILS}/${update.id}?deserializeValue=false`));
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        type: 'variableUpdate',
        id: update.id,
        processDefinitionKey: 'userTaskProcess',
        processDefinitionId: amount.processDefinitionId,
        processInstanceId: pi.A,
        activityInstanceId: pi.A,
        executionId: pi.A,
        caseDefinitionKey: null,
        caseDefinitionId: null,
        caseInstanceId: null,
        caseExecutionId: null,
        taskId: null,
        tenantId: null,
        userOperationId: null,
        time: '2026-01-01T09:00:01.000+0000',
        removalTime: null,
        rootProcessInstanceId: pi.A,
        variableName: 'amount',
        variableInstanceId: amount.id,
        variableType: 'Integer',
        value: 150,
        valueInfo: {},
        initial: false,
        revision: 1,
        errorMessage: null,
      });
      const missing = checkResponse('GET', `${DETAILS}/{id}`, await ctx.api.get(`${DETAILS}/nope`));
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: "Historic detail with Id 'nope' does not exist.", code: null });
    });

    it('filters', async () => {
      const values = async (query) => detailsOf(await getDetails(`?${query}`)).sort().join(' ');
      const [amount] = (await getVars('?variableName=amount')).body;
      assert.equal(await values('initial=true'), 'A.amount=100* A.customer="Alice"* A.flag=true* B.count=7*');
      assert.equal(await values(`variableInstanceId=${amount.id}`), 'A.amount=100* A.amount=150');
      assert.equal(await values(`executionId=${subExecution}`), 'B.note="inner"');
      assert.equal(await values(`activityInstanceId=${subActivityInstance}`), 'B.note="inner"');
      assert.equal(await values(`processInstanceIdIn=${pi.B},${pi.C}`), 'B.count=7* B.note="inner" C.later="x"');
      assert.equal(await values('variableTypeIn=long,STRING&initial=true'), 'A.customer="Alice"* B.count=7*');
      assert.equal(await values('variableNameLike=l%25'), 'C.later="x"');
      assert.equal(await values(`occurredAfter=${q(T0 + 5000)}`), 'B.note="inner" C.later="x"');
      assert.equal(await values(`occurredBefore=${q(T0)}`), 'A.amount=100* A.customer="Alice"* A.flag=true*');
      assert.equal(await values('taskId=nope'), '');
      assert.equal(await values('userOperationId=op'), '');
      assert.equal(await values('caseInstanceId=c'), '');
      assert.equal(await values('caseExecutionId=c'), '');
      assert.equal(await values('tenantIdIn=t1'), '');
      assert.equal((await getDetails('?withoutTenantId=true&excludeTaskDetails=true&variableUpdates=true')).body.length,
        (await getDetails()).body.length);
      assert.equal(await values('formFields=true'), ''); // Detour records no form fields
      assert.equal(await values('formFields=false'), ''); // Java only asks whether it is there
    });

    it('takes the filters as a POST body', async () => {
      const r = checkResponse('POST', DETAILS, await ctx.api.post(`${DETAILS}?maxResults=3`, {
        processInstanceId: pi.A,
        initial: true,
        sorting: [{ sortBy: 'variableName', sortOrder: 'desc' }],
      }));
      assert.deepEqual(detailsOf(r), ['A.flag=true*', 'A.customer="Alice"*', 'A.amount=100*']);
    });

    it('sorts, pages and counts', async () => {
      const all = detailsOf(await getDetails('?sortBy=occurrence&sortOrder=asc'));
      assert.deepEqual(detailsOf(await getDetails('?sortBy=occurrence&sortOrder=asc&firstResult=1&maxResults=2')), all.slice(1, 3));
      const times = (await getDetails('?sortBy=time&sortOrder=desc')).body.map((d) => d.time);
      assert.deepEqual(times, [...times].sort().reverse());
      const revisions = (await getDetails(`?processInstanceId=${pi.A}&variableNameLike=amount&sortBy=variableRevision&sortOrder=desc`)).body.map((d) => d.revision);
      assert.deepEqual(revisions, [1, 0]);
      const types = (await getDetails('?sortBy=variableType&sortOrder=asc')).body.map((d) => d.variableType);
      assert.deepEqual(types, [...types].sort());
      for (const sortBy of ['processInstanceId', 'variableName', 'formPropertyId', 'tenantId']) {
        assert.equal((await getDetails(`?sortBy=${sortBy}&sortOrder=desc`)).body.length, all.length);
      }
      assert.deepEqual((await getDetails('/count')).body, { count: all.length });
      assert.deepEqual((await getDetails('/count?initial=true')).body, { count: 4 });
    });

    it('rejects bad requests', async () => {
      error(await getDetails('?sortBy=value&sortOrder=asc'), 'sortBy parameter has invalid value: value');
      error(await getDetails('?sortOrder=asc'), 'Only a single sorting parameter specified. sortBy and sortOrder required');
      error(await getDetails('/count?occurredAfter=tomorrow'),
        "Cannot set query parameter 'occurredAfter' to value 'tomorrow': Cannot convert value \"tomorrow\" to java type java.util.Date");
      error(checkResponse('POST', DETAILS, await ctx.api.post(DETAILS, { processInstanceIdIn: pi.A })), '');
    });
  });

  describe('what a restart reads (history level full)', () => {
    it('has the initial and the last values of an ended instance\'s process variables', async () => {
      // initialVariables: the details flagged initial on the instance's own execution
      const initial = (await getDetails(`?processInstanceId=${pi.A}&initial=true`)).body
        .filter((d) => d.executionId === pi.A)
        .map((d) => [d.variableName, d.variableType, d.value]);
      assert.deepEqual(initial.sort(), [['amount', 'Integer', 100], ['customer', 'String', 'Alice'], ['flag', 'Boolean', true]]);
      // default: the last values of the live variables on the instance's execution
      const last = (await getVars(`?processInstanceId=${pi.A}&executionIdIn=${pi.A}`)).body.map((v) => [v.name, v.type, v.value]);
      assert.deepEqual(last.sort(), [['amount', 'Integer', 150], ['approved', 'Boolean', true], ['customer', 'String', 'Alice']]);
      // the instance itself: business key, start activity, how it ended
      const instance = checkResponse('GET', '/history/process-instance/{id}', await ctx.api.get(`/history/process-instance/${pi.A}`)).body;
      assert.equal(instance.businessKey, 'order-1');
      assert.equal(instance.startActivityId, 'start');
      assert.equal(instance.state, 'COMPLETED');
      assert.equal(instance.deleteReason, null);
    });

    it('marks nothing initial for an instance started without variables, and keeps local variables apart', async () => {
      assert.deepEqual((await getDetails(`?processInstanceId=${pi.C}&initial=true`)).body, []);
      const last = (await getVars(`?processInstanceId=${pi.B}&executionIdIn=${pi.B}`)).body.map((v) => v.name);
      assert.deepEqual(last, ['count']); // `note` lives on the subprocess execution
    });
  });
});
