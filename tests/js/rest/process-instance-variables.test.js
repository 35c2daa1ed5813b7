// /process-instance/{id}/variables and /execution/{id}/localVariables (rest-contract.md §7.3, §3):
// typed values in and out, updates before deletions, and the Java resource's statuses and
// messages for missing variables, unknown instances and values that will not convert.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { checkJavaOnly, checkResponse } from './openapi.js';
import { assertError, describeRest, fixture } from './support.js';

const VARS = '/process-instance/{id}/variables';
const VAR = '/process-instance/{id}/variables/{varName}';
const MISSING = (id) => `execution ${id} doesn't exist: execution is null`;

// POST /deployment/create with one fixture.
async function deploy(ctx, file) {
  const r = await ctx.api.deploy(fixture(file), { resourceName: file });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

describeRest('process instance variables', (ctx) => {
  before(async () => {
    await deploy(ctx, 'user-task.bpmn');
    await deploy(ctx, 'embedded-subprocess.bpmn');
  });
  const start = async (variables = {}) => (await ctx.engine.startProcessInstanceByKey('userTaskProcess', { variables })).id;
  const getAll = async (id, qs = '') => checkResponse('GET', VARS, await ctx.api.get(`/process-instance/${id}/variables${qs}`));
  const getOne = async (id, name, qs = '', options) => checkResponse('GET', VAR, await ctx.api.get(`/process-instance/${id}/variables/${name}${qs}`), options);
  const put = async (id, name, body, options) => checkResponse('PUT', VAR, await ctx.api.put(`/process-instance/${id}/variables/${name}`, body), options);
  const del = async (id, name, options) => checkResponse('DELETE', VAR, await ctx.api.delete(`/process-instance/${id}/variables/${name}`), options);
  const modify = async (id, body) => checkResponse('POST', VARS, await ctx.api.post(`/process-instance/${id}/variables`, body));

  describe('GET /process-instance/{id}/variables', () => {
    it('answers every variable as a typed VariableValueDto', async () => {
      const id = await start({
        amount: { value: 42 },
        big: { value: 9007199254740991, type: 'Long' },
        name: { value: 'Ada', type: 'String' },
        rate: { value: 1.5 },
        ok: { value: true },
        nothing: { value: null },
        due: { value: '2026-01-02T03:04:05.006+0000', type: 'Date' },
        doc: { value: '{"a":1}', type: 'Json' },
      });
      const r = await getAll(id);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        amount: { type: 'Integer', value: 42, valueInfo: {} },
        big: { type: 'Long', value: 9007199254740991, valueInfo: {} },
        name: { type: 'String', value: 'Ada', valueInfo: {} },
        rate: { type: 'Double', value: 1.5, valueInfo: {} },
        ok: { type: 'Boolean', value: true, valueInfo: {} },
        nothing: { type: 'Null', value: null, valueInfo: {} },
        due: { type: 'Date', value: '2026-01-02T03:04:05.006+0000', valueInfo: {} },
        doc: { type: 'Json', value: '{"a":1}', valueInfo: {} },
      });
      assert.deepEqual((await getAll(id, '?deserializeValues=false')).body, r.body);
      assert.deepEqual((await getAll(await start())).body, {});
    });

    it('answers 500 with the engine\'s NullValueException for an unknown instance', async () => {
      assertError(await getAll('nope'), 500, 'NullValueException', MISSING('nope'), 0);
    });
  });

  describe('GET /process-instance/{id}/variables/{varName}', () => {
    it('answers one typed variable', async () => {
      const id = await start({ amount: { value: 7, type: 'Long' } });
      const r = await getOne(id, 'amount');
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { type: 'Long', value: 7, valueInfo: {} });
      assert.deepEqual((await getOne(id, 'amount', '?deserializeValue=false')).body, r.body);
    });

    it('answers 404 for a missing variable (the OpenAPI document says 400)', async () => {
      const id = await start();
      assertError(await getOne(id, 'missing', '', { javaOnly: true }), 404, 'InvalidRequestException', 'process instance variable with name missing does not exist', null);
    });

    it('answers 500 for an unknown instance', async () => {
      assertError(await getOne('nope', 'x', '', { javaOnly: true }), 500, 'RestException', `Cannot get process instance variable x: ${MISSING('nope')}`, 0);
    });
  });

  describe('PUT /process-instance/{id}/variables/{varName}', () => {
    it('sets typed and untyped values: 204, read back typed', async () => {
      const id = await start();
      assert.equal((await put(id, 'count', { value: '12', type: 'integer' })).status, 204);
      assert.deepEqual((await getOne(id, 'count')).body, { type: 'Integer', value: 12, valueInfo: {} });
      assert.equal((await put(id, 'when', { value: '2026-05-06T07:08:09.010+0000', type: 'Date' })).status, 204);
      assert.deepEqual((await getOne(id, 'when')).body, { type: 'Date', value: '2026-05-06T07:08:09.010+0000', valueInfo: {} });
      assert.equal((await put(id, 'count', { value: 'again' })).status, 204, 'overwrites with another type');
      assert.deepEqual((await getOne(id, 'count')).body, { type: 'String', value: 'again', valueInfo: {} });
      assert.equal((await put(id, 'empty', {})).status, 204);
      assert.deepEqual((await getOne(id, 'empty')).body, { type: 'Null', value: null, valueInfo: {} });
    });

    it('answers 400 for a value that will not convert or an unknown type', async () => {
      const id = await start();
      assertError(await put(id, 'x', { value: 'abc', type: 'Integer' }), 400, 'InvalidRequestException',
        "Cannot put process instance variable x: Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer", null);
      assertError(await put(id, 'x', { value: 1, type: 'Money' }), 400, 'InvalidRequestException', "Cannot put process instance variable x: Unsupported value type 'Money'", null);
      assertError(await put(id, 'x', [1]), 400, 'InvalidRequestException', '', null);
      assertError(await put(id, 'x', { value: 1, type: 5 }), 400, 'InvalidRequestException', '', null);
      assert.deepEqual((await getAll(id)).body, {}, 'nothing was set');
    });

    it('answers 500 for an unknown instance', async () => {
      assertError(await put('nope', 'x', { value: 1 }, { javaOnly: true }), 500, 'RestException', `Cannot put process instance variable x: ${MISSING('nope')}`, 0);
    });
  });

  describe('DELETE /process-instance/{id}/variables/{varName}', () => {
    it('removes a variable: 204, then 404; a missing one is no error', async () => {
      const id = await start({ a: { value: 1 }, b: { value: 2 } });
      assert.equal((await del(id, 'a')).status, 204);
      assert.equal((await getOne(id, 'a', '', { javaOnly: true })).status, 404);
      assert.deepEqual(Object.keys((await getAll(id)).body), ['b']);
      assert.equal((await del(id, 'a')).status, 204);
    });

    it('answers 500 for an unknown instance', async () => {
      assertError(await del('nope', 'x', { javaOnly: true }), 500, 'RestException', `Cannot delete process instance variable x: ${MISSING('nope')}`, 0);
    });
  });

  describe('POST /process-instance/{id}/variables', () => {
    it('applies modifications, then deletions', async () => {
      const id = await start({ keep: { value: 1 }, drop: { value: 2 }, both: { value: 3 } });
      const r = await modify(id, {
        modifications: { keep: { value: 10, type: 'Long' }, added: { value: 'new' }, both: { value: 30 } },
        deletions: ['drop', 'both', 'unknown'],
      });
      assert.equal(r.status, 204);
      assert.deepEqual((await getAll(id)).body, {
        keep: { type: 'Long', value: 10, valueInfo: {} },
        added: { type: 'String', value: 'new', valueInfo: {} },
      });
      assert.equal((await modify(id, {})).status, 204, 'an empty patch changes nothing');
      assert.equal((await modify(id, { modifications: null, deletions: null })).status, 204);
      assert.equal(Object.keys((await getAll(id)).body).length, 2);
    });

    it('answers 400 for a value that will not convert, changing nothing', async () => {
      const id = await start({ a: { value: 1 } });
      assertError(await modify(id, { modifications: { b: { value: 'x', type: 'Boolean' } }, deletions: ['a'] }), 400, 'InvalidRequestException',
        "Cannot modify variables for process instance: Cannot convert value 'x' of type 'Boolean' to java type java.lang.Boolean", null);
      assertError(await modify(id, { modifications: { b: { value: 1, type: 'Thing' } } }), 400, 'InvalidRequestException',
        "Cannot modify variables for process instance: Unsupported value type 'Thing'", null);
      assert.deepEqual(Object.keys((await getAll(id)).body), ['a']);
    });

    it('answers 400 with an empty message for bodies Jackson cannot map', async () => {
      const id = await start();
      assertError(await modify(id, { modifications: [] }), 400, 'InvalidRequestException', '', null);
      assertError(await modify(id, { modifications: { a: 5 } }), 400, 'InvalidRequestException', '', null);
      assertError(await modify(id, { deletions: 'a' }), 400, 'InvalidRequestException', '', null);
      assertError(await modify(id, { deletions: [1] }), 400, 'InvalidRequestException', '', null);
    });

    it('answers 500 for an unknown instance', async () => {
      assertError(await modify('nope', { modifications: { a: { value: 1 } } }), 500, 'RestException',
        `Cannot modify variables for process instance nope: ${MISSING('nope')}`, 0);
    });
  });

  describe('variables seen from a process instance with nested scopes', () => {
    it('shows the instance scope; updates an existing variable where it lives', async () => {
      const id = (await ctx.engine.startProcessInstanceByKey('subProcessProcess', { variables: { top: { value: 1 } } })).id;
      const tree = (await ctx.api.get(`/process-instance/${id}/activity-instances`)).body;
      const [subExecution] = tree.childActivityInstances[0].executionIds;
      await ctx.engine.setVariables(subExecution, { inner: { value: 'i' } }, { local: true });
      assert.deepEqual(Object.keys((await getAll(id)).body), ['top']);
      assert.equal((await put(id, 'top', { value: 2 })).status, 204);
      assert.deepEqual((await getOne(id, 'top')).body.value, 2);
    });
  });
});

// --- execution local variables -------------------------------------------------------------------------

describeRest('execution local variables', (ctx) => {
  let instanceId;
  let subExecution;
  const LOCALS = '/execution/{id}/localVariables';
  const LOCAL = '/execution/{id}/localVariables/{varName}';

  before(async () => {
    await deploy(ctx, 'embedded-subprocess.bpmn');
    instanceId = (await ctx.engine.startProcessInstanceByKey('subProcessProcess', { variables: { top: { value: 1 } } })).id;
    const tree = (await ctx.api.get(`/process-instance/${instanceId}/activity-instances`)).body;
    [subExecution] = tree.childActivityInstances[0].executionIds;
  });

  it('reads, writes and deletes an execution\'s own variables only', async () => {
    let r = checkResponse('GET', LOCALS, await ctx.api.get(`/execution/${subExecution}/localVariables`));
    assert.deepEqual(r.body, {});
    r = checkResponse('PUT', LOCAL, await ctx.api.put(`/execution/${subExecution}/localVariables/inner`, { value: 'here' }));
    assert.equal(r.status, 204);
    r = checkResponse('GET', LOCAL, await ctx.api.get(`/execution/${subExecution}/localVariables/inner`));
    assert.deepEqual(r.body, { type: 'String', value: 'here', valueInfo: {} });
    assert.deepEqual(Object.keys((await ctx.api.get(`/execution/${subExecution}/localVariables`)).body), ['inner']);
    // the local variable stays in its scope: the instance does not see it
    assert.deepEqual(Object.keys((await ctx.api.get(`/process-instance/${instanceId}/variables`)).body), ['top']);
    r = checkResponse('POST', LOCALS, await ctx.api.post(`/execution/${subExecution}/localVariables`, { modifications: { top: { value: 'shadow' } }, deletions: ['inner'] }));
    assert.equal(r.status, 204);
    assert.deepEqual((await ctx.api.get(`/execution/${subExecution}/localVariables`)).body, { top: { type: 'String', value: 'shadow', valueInfo: {} } });
    assert.equal((await ctx.api.get(`/process-instance/${instanceId}/variables/top`)).body.value, 1);
    r = checkResponse('DELETE', LOCAL, await ctx.api.delete(`/execution/${subExecution}/localVariables/top`));
    assert.equal(r.status, 204);
    assert.deepEqual((await ctx.api.get(`/execution/${subExecution}/localVariables`)).body, {});
  });

  it('words its errors for an execution', async () => {
    assertError(checkResponse('GET', LOCAL, await ctx.api.get(`/execution/${subExecution}/localVariables/none`)), 404, 'InvalidRequestException',
      'execution variable with name none does not exist', null);
    assertError(checkResponse('GET', LOCALS, await ctx.api.get('/execution/nope/localVariables')), 500, 'NullValueException', MISSING('nope'), 0);
    assertError(checkJavaOnly('PUT', LOCAL, await ctx.api.put('/execution/nope/localVariables/x', { value: 1 })), 500, 'RestException',
      `Cannot put execution variable x: ${MISSING('nope')}`, 0);
    assertError(checkResponse('PUT', LOCAL, await ctx.api.put(`/execution/${subExecution}/localVariables/x`, { value: 1, type: 'Nope' })), 400, 'InvalidRequestException',
      "Cannot put execution variable x: Unsupported value type 'Nope'", null);
    assertError(checkResponse('POST', LOCALS, await ctx.api.post('/execution/nope/localVariables', {})), 500, 'RestException',
      `Cannot modify variables for execution nope: ${MISSING('nope')}`, 0);
  });
});
