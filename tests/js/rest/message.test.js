// POST /message over HTTP: correlation by business key, process instance, tenant and correlation
// keys; variables; all; results with and without variables; every 400 of Camunda's REST layer.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { checkResponse } from './openapi.js';
import { describeRest, fixture } from './support.js';

/** receive-task.bpmn under another process key (and message name), so each test has its own. */
function receiveTask(key, message = key) {
  return fixture('receive-task.bpmn')
    .replace('id="receiveTaskProcess"', `id="${key}"`)
    .replace('name="order"', `name="${message}"`)
    .replace('id="Definitions_receiveTask"', `id="Definitions_${key}"`);
}

describeRest('messages', (ctx) => {
  const send = async (body, options) => checkResponse('POST', '/message', await ctx.api.post('/message', body), options);
  const deploy = async (xml, fields) => {
    const r = await ctx.api.deploy(xml, { fields });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Object.values(r.body.deployedProcessDefinitions)[0];
  };
  const start = async (definitionId, body = {}) => {
    const r = await ctx.api.post(`/process-definition/${definitionId}/start`, body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id;
  };
  const running = async (id) => (await ctx.engine.processInstances({ processInstanceId: id })).length === 1;
  const mismatch = (message) => ({
    type: 'RestException',
    message: `org.camunda.bpm.engine.MismatchingMessageCorrelationException: ${message}`,
    code: 0,
  });

  it('correlates by business key and answers 204', async () => {
    const def = await deploy(receiveTask('byBusinessKey'));
    const a = await start(def.id, { businessKey: 'a' });
    const b = await start(def.id, { businessKey: 'b' });
    const r = await send({ messageName: 'byBusinessKey', businessKey: 'b' });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(await running(a), true);
    assert.equal(await running(b), false, 'the receive task completed and the instance ended');
  });

  it('correlates to one process instance by id and answers the result when asked', async () => {
    const def = await deploy(receiveTask('byInstance'));
    const a = await start(def.id);
    await start(def.id);
    const r = await send({ messageName: 'byInstance', processInstanceId: a, resultEnabled: true });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, [{
      resultType: 'Execution',
      execution: { id: a, processInstanceId: a, ended: true, tenantId: null },
      processInstance: null,
    }]);
  });

  it('refuses no match and several matches with a RestException around the engine message', async () => {
    const def = await deploy(receiveTask('ambiguous'));
    await start(def.id, { businessKey: 'same' });
    await start(def.id, { businessKey: 'same' });
    const none = await send({ messageName: 'nobodyWaits' });
    assert.deepEqual([none.status, none.body], [400, mismatch("Cannot correlate message 'nobodyWaits': No process definition or execution matches the parameters")]);
    const two = await send({ messageName: 'ambiguous', businessKey: 'same', correlationKeys: {} });
    assert.equal(two.status, 400);
    assert.deepEqual(two.body, mismatch(
      "ENGINE-13031 Cannot correlate a message with name 'ambiguous' to a single execution. 2 executions match the correlation keys: " +
        'CorrelationSet [businessKey=same, processInstanceId=null, processDefinitionId=null, correlationKeys=null, localCorrelationKeys=null, tenantId=null, isTenantIdSet=false, isExecutionsOnly=false]',
    ));
  });

  it('with all correlates every waiting execution and answers each', async () => {
    const def = await deploy(receiveTask('everyone'));
    const ids = [await start(def.id), await start(def.id), await start(def.id)];
    const r = await send({ messageName: 'everyone', all: true, resultEnabled: true });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.map((x) => x.execution.processInstanceId).sort(), [...ids].sort());
    for (const id of ids) assert.equal(await running(id), false);
    const again = await send({ messageName: 'everyone', all: true });
    assert.equal(again.status, 400, 'nobody waits any more');
  });

  it('narrows by correlation keys: process variables equal to typed values', async () => {
    const def = await deploy(receiveTask('keyed'));
    const seven = await start(def.id, { variables: { orderId: { value: 7 }, region: { value: 'north' }, vip: { value: true } } });
    const eight = await start(def.id, { variables: { orderId: { value: 8, type: 'Long' }, region: { value: 'north' }, vip: { value: false } } });
    const dated = await start(def.id, { variables: { due: { value: '2026-03-01T10:00:00.000+0000', type: 'Date' }, region: { value: 'south' } } });

    const ambiguous = await send({ messageName: 'keyed', correlationKeys: { region: { value: 'north' } } });
    assert.equal(ambiguous.status, 400);
    assert.match(ambiguous.body.message, /2 executions match the correlation keys: CorrelationSet \[.*correlationKeys=\{region=north\}/);

    // numbers match across Integer, Long and Double; strings convert as the type says
    const r = await send({ messageName: 'keyed', correlationKeys: { orderId: { value: '8', type: 'Integer' }, region: { value: 'north', type: 'String' } }, resultEnabled: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.map((x) => x.execution.processInstanceId), [eight]);
    const byBoolean = await send({ messageName: 'keyed', correlationKeys: { vip: { value: 'true', type: 'Boolean' } }, resultEnabled: true });
    assert.deepEqual(byBoolean.body.map((x) => x.execution.processInstanceId), [seven]);
    const byDate = await send({ messageName: 'keyed', correlationKeys: { due: { value: '2026-03-01T11:00:00.000+0100', type: 'Date' } }, resultEnabled: true });
    assert.deepEqual(byDate.body.map((x) => x.execution.processInstanceId), [dated]);

    const wrongType = await send({ messageName: 'keyed', correlationKeys: { orderId: { value: '8' } } });
    assert.equal(wrongType.status, 400, 'the string "8" is no number');
    assert.match(wrongType.body.message, /No process definition or execution matches the parameters/);
  });

  it('sets process variables and local variables and answers them with variablesInResultEnabled', async () => {
    const def = await deploy(fixture('user-task-job-message.bpmn'));
    const id = await start(def.id, {
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'wait' }],
      variables: { amount: { value: 2 } },
    });
    const r = await send({
      messageName: 'goAhead',
      processInstanceId: id,
      processVariables: { approved: { value: true }, when: { value: '2026-05-06T07:08:09.000+0000', type: 'Date' } },
      processVariablesLocal: { onlyHere: { value: 'x' } },
      resultEnabled: true,
      variablesInResultEnabled: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.length, 1);
    assert.equal(r.body[0].execution.ended, true);
    // the catch event waits on the process instance's own execution: its local variables are the instance's
    assert.deepEqual(r.body[0].variables, {
      amount: { type: 'Integer', value: 2, valueInfo: {} },
      approved: { type: 'Boolean', value: true, valueInfo: {} },
      when: { type: 'Date', value: '2026-05-06T07:08:09.000+0000', valueInfo: {} },
      onlyHere: { type: 'String', value: 'x', valueInfo: {} },
    });
  });

  it('answers the variables of an instance that goes on waiting', async () => {
    const def = await deploy(fixture('boundary-message-non-interrupting.bpmn'));
    const id = await start(def.id, { variables: { n: { value: 1 } } });
    const r = await send({ messageName: 'info', processInstanceId: id, processVariables: { seen: { value: 'yes' } }, resultEnabled: true, variablesInResultEnabled: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body[0].execution.ended, false);
    assert.deepEqual(Object.keys(r.body[0].variables).sort(), ['n', 'seen']);
    assert.equal(await running(id), true);
  });

  it('narrows by tenant: tenantId or withoutTenantId', async () => {
    const shared = receiveTask('tenanted');
    const withTenant = await deploy(shared, { 'tenant-id': 'acme' });
    const without = await deploy(shared);
    const acme = await start(withTenant.id);
    const none = await start(without.id);
    const r = await send({ messageName: 'tenanted', tenantId: 'acme', resultEnabled: true });
    assert.deepEqual(r.body.map((x) => [x.execution.processInstanceId, x.execution.tenantId]), [[acme, 'acme']]);
    await start(withTenant.id);
    const w = await send({ messageName: 'tenanted', withoutTenantId: true, resultEnabled: true });
    assert.deepEqual(w.body.map((x) => [x.execution.processInstanceId, x.execution.tenantId]), [[none, null]]);
    const other = await send({ messageName: 'tenanted', tenantId: 'other' });
    assert.equal(other.status, 400);
    assert.match(other.body.message, /No process definition or execution matches the parameters/);
  });

  it('narrows by local correlation keys on the waiting execution', async () => {
    // a receive task inside a subprocess: a start instruction's local variable sits on its execution
    const xml = fixture('embedded-subprocess.bpmn')
      .replace('<bpmn:process', '<bpmn:message id="Message_slot" name="slotted" />\n  <bpmn:process')
      .replace('<bpmn:userTask id="subTask" name="Inside" />', '<bpmn:receiveTask id="subTask" messageRef="Message_slot" />');
    const def = await deploy(xml);
    const at = (slot) => ({
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'subTask', variables: { slot: { value: slot, local: true } } }],
      variables: { slot: { value: 0 } },
    });
    const one = await start(def.id, at(1));
    const two = await start(def.id, at(2));
    const r = await send({ messageName: 'slotted', localCorrelationKeys: { slot: { value: 2 } }, resultEnabled: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.map((x) => x.execution.processInstanceId), [two]);
    assert.notEqual(r.body[0].execution.id, two, 'the execution inside the subprocess');
    // the process-level variable is not local to the waiting execution
    const none = await send({ messageName: 'slotted', localCorrelationKeys: { slot: { value: 0 } } });
    assert.equal(none.status, 400);
    const byProcess = await send({ messageName: 'slotted', correlationKeys: { slot: { value: 0 } }, localCorrelationKeys: { slot: { value: 1 } }, resultEnabled: true });
    assert.deepEqual(byProcess.body.map((x) => x.execution.processInstanceId), [one]);
  });

  it('refuses local correlation keys that pick only some of an instance\'s waiting executions', async () => {
    const xml = fixture('mi-parallel-subprocess-collection.bpmn')
      .replace('<bpmn:process', '<bpmn:message id="Message_item" name="itemDone" />\n  <bpmn:process')
      .replace('<bpmn:userTask id="handleItem" name="Handle item" />', '<bpmn:receiveTask id="handleItem" messageRef="Message_item" />');
    const def = await deploy(xml);
    const id = await start(def.id, { variables: { items: { value: '["a","b","c"]', type: 'Json' } } });
    const r = await send({ messageName: 'itemDone', localCorrelationKeys: { item: { value: 'b' } } }, { javaOnly: true });
    assert.equal(r.status, 500);
    assert.equal(r.body.type, 'ProcessEngineException');
    assert.match(r.body.message, new RegExp(`^Cannot correlate to 1 of the 3 executions of process instance ${id} waiting for the message`));
    const all = await send({ messageName: 'itemDone', all: true, resultEnabled: true });
    assert.equal(all.body.length, 3);
  });

  it('does not correlate to a suspended instance', async () => {
    const def = await deploy(receiveTask('sleepy'));
    await start(def.id);
    const suspended = await ctx.api.put(`/process-definition/${def.id}/suspended`, { suspended: true, includeProcessInstances: true });
    assert.equal(suspended.status, 204);
    const r = await send({ messageName: 'sleepy' });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /No process definition or execution matches the parameters/);
  });

  it('rejects bad requests with Camunda messages', async () => {
    const cases = [
      [{}, 'InvalidRequestException', 'No message name supplied'],
      [{ businessKey: 'x' }, 'InvalidRequestException', 'No message name supplied'],
      [{ messageName: 'm', tenantId: 't', withoutTenantId: true }, 'InvalidRequestException', "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'."],
      [{ messageName: 'm', variablesInResultEnabled: true }, 'InvalidRequestException', "Parameter 'variablesInResultEnabled' cannot be used without 'resultEnabled' set to true."],
      [{ messageName: 'm', correlationKeys: { k: { value: '1abc', type: 'Integer' } } }, 'InvalidRequestException', "Cannot deliver message: Cannot convert value '1abc' of type 'Integer' to java type java.lang.Integer"],
      [{ messageName: 'm', localCorrelationKeys: { k: { value: '1abc', type: 'Short' } } }, 'InvalidRequestException', "Cannot deliver message: Cannot convert value '1abc' of type 'Short' to java type java.lang.Short"],
      [{ messageName: 'm', processVariables: { k: { value: 'x', type: 'Long' } } }, 'InvalidRequestException', "Cannot deliver message: Cannot convert value 'x' of type 'Long' to java type java.lang.Long"],
      [{ messageName: 'm', processVariablesLocal: { k: { value: 1, type: 'Strange' } } }, 'InvalidRequestException', "Cannot deliver message: Unsupported value type 'Strange'"],
      [{ messageName: 'm', processVariablesToTriggeredScope: { k: { value: 1 } } }, 'InvalidRequestException', 'Cannot deliver message: processVariablesToTriggeredScope is not supported by Detour'],
      [{ messageName: 7 }, 'InvalidRequestException', ''],
      [{ messageName: 'm', all: 'yes' }, 'InvalidRequestException', ''],
      [{ messageName: 'm', processVariables: [] }, 'InvalidRequestException', ''],
      [{ messageName: 'm', correlationKeys: { k: 5 } }, 'InvalidRequestException', ''],
    ];
    for (const [body, type, message] of cases) {
      const r = await send(body);
      assert.deepEqual([r.status, r.body], [400, { type, message, code: null }], JSON.stringify(body));
    }
    const notJson = checkResponse('POST', '/message', await ctx.api.call('POST', '/message', '[1,2]', { 'content-type': 'application/json' }));
    assert.deepEqual([notJson.status, notJson.body.message], [400, '']);
  });
});
