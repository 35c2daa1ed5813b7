// Process instance modification over HTTP: POST /process-instance/{id}/modification and
// POST /modification/execute — every validation error (status, type, message, code) in Java's
// order, the instruction rules the three uses share with the start instructions of
// POST /process-definition/{id}/start (js/rest/instructions.js), the instance set of a
// modification of several instances, and modifications end to end.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { readInstructions } from '../../../js/rest/instructions.js';
import { readModification } from '../../../js/rest/routes/modification.js';
import { checkJavaOnly, checkResponse } from './openapi.js';
import { describeRest, twoTasksXml } from './support.js';


const SINGLE = '/process-instance/{id}/modification';
const MULTI = '/modification/execute';
const START = '/process-definition/{id}/start';

describeRest('process instance modification', (ctx) => {
  let def; // the two-task definition `modProcess`
  let other; // another definition, `otherProcess`

  const deployTwoTasks = async (key) => {
    const r = await ctx.api.deploy(twoTasksXml(key));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Object.values(r.body.deployedProcessDefinitions)[0];
  };
  const startOne = async (definition = def, body = {}) => {
    const r = checkResponse('POST', START, await ctx.api.post(`/process-definition/${definition.id}/start`, body));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id;
  };
  // a response checked against the OpenAPI document; statuses it does not list for the path are Java-only
  const modifyOne = async (id, body) => {
    const r = await ctx.api.post(`/process-instance/${encodeURIComponent(id)}/modification`, body);
    return checkResponse('POST', SINGLE, r);
  };
  const execute = async (body) => {
    const r = await ctx.api.post('/modification/execute', body);
    return r.status === 500 ? checkJavaOnly('POST', MULTI, r) : checkResponse('POST', MULTI, r);
  };
  const expectError = (r, status, type, message, code, what) => {
    assert.deepEqual([r.status, r.body], [status, { type, message, code }], what ?? '');
  };
  const activityIds = async (id) => {
    const r = checkResponse('GET', '/process-instance/{id}/activity-instances', await ctx.api.get(`/process-instance/${id}/activity-instances`));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.childActivityInstances.map((a) => a.activityId).sort();
  };

  it('deploys the processes the tests modify', async () => {
    def = await deployTwoTasks('modProcess');
    other = await deployTwoTasks('otherProcess');
  });

  // --- POST /process-instance/{id}/modification: validation ------------------------------------------

  it('single instance: refuses malformed instructions with 400 "" (Jackson), whatever comes first', async () => {
    const id = await startOne();
    const cases = [
      ['not an object', []],
      ['instructions not a list', { instructions: {} }],
      ['instruction not an object', { instructions: ['cancel'] }],
      ['missing type', { instructions: [{ activityId: 'a' }] }],
      ['null type', { instructions: [{ type: null, activityId: 'a' }] }],
      ['unknown type', { instructions: [{ type: 'jump', activityId: 'a' }] }],
      ['type in other case', { instructions: [{ type: 'Cancel', activityId: 'a' }] }],
      ['activityId not a string', { instructions: [{ type: 'startBeforeActivity', activityId: { id: 'a' } }] }],
      ['ancestor not a string', { instructions: [{ type: 'startBeforeActivity', activityId: 'a', ancestorActivityInstanceId: 1 }] }],
      ['variables not a map', { instructions: [{ type: 'startBeforeActivity', activityId: 'a', variables: [] }] }],
      ['variable not an object', { instructions: [{ type: 'startBeforeActivity', activityId: 'a', variables: { x: 1 } }] }],
      ['local not a boolean', { instructions: [{ type: 'startBeforeActivity', activityId: 'a', variables: { x: { value: 1, local: 'yes' } } }] }],
      ['cancelCurrentActiveActivityInstances not a boolean', { instructions: [{ type: 'cancel', activityId: 'a', cancelCurrentActiveActivityInstances: 3 }] }],
      ['skipCustomListeners not a boolean', { skipCustomListeners: 'x', instructions: [{ type: 'cancel', activityId: 'a' }] }],
      ['skipIoMappings not a boolean', { skipIoMappings: 1, instructions: [{ type: 'cancel', activityId: 'a' }] }],
      ['annotation not a string', { annotation: {}, instructions: [{ type: 'cancel', activityId: 'a' }] }],
      // the whole body maps before any instruction is checked
      ['a bad type after an incomplete instruction', { instructions: [{ type: 'startBeforeActivity' }, { type: 'bogus' }] }],
    ];
    for (const [what, body] of cases) expectError(await modifyOne(id, body), 400, 'InvalidRequestException', '', null, what);
    // even for an unknown instance: the body maps first
    expectError(await modifyOne('nope', { instructions: [{}] }), 400, 'InvalidRequestException', '', null);
  });

  it("single instance: refuses incomplete instructions in CancellationInstructionDto's and the start DTOs' words", async () => {
    const id = await startOne();
    const exactlyOne = "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required";
    const cases = [
      [[{ type: 'startBeforeActivity' }], "For instruction type 'startBeforeActivity': 'activityId' must be set"],
      [[{ type: 'startAfterActivity', transitionId: 'f1' }], "For instruction type 'startAfterActivity': 'activityId' must be set"],
      [[{ type: 'startTransition', activityId: 'a' }], "For instruction type 'startTransition': 'transitionId' must be set"],
      [[{ type: 'cancel' }], exactlyOne],
      [[{ type: 'cancel', activityId: null, ancestorActivityInstanceId: 'x' }], exactlyOne],
      [[{ type: 'cancel', activityId: 'a', activityInstanceId: 'a:1' }], exactlyOne],
      [[{ type: 'cancel', activityInstanceId: 'a:1', transitionInstanceId: 't' }], exactlyOne],
      [[{ type: 'cancel', activityId: 'a', activityInstanceId: 'a:1', transitionInstanceId: 't' }], exactlyOne],
      // in list order: the first bad instruction speaks
      [[{ type: 'cancel', activityId: 'a' }, { type: 'startTransition' }, { type: 'cancel' }], "For instruction type 'startTransition': 'transitionId' must be set"],
      // variables convert after their instruction's own check, before the next instruction's
      [[{ type: 'startBeforeActivity', activityId: 'b', variables: { n: { value: 'x', type: 'Integer' } } }, { type: 'cancel' }], "Cannot convert value 'x' of type 'Integer' to java type java.lang.Integer"],
      [[{ type: 'startBeforeActivity', variables: { n: { value: 'x', type: 'Integer' } } }], "For instruction type 'startBeforeActivity': 'activityId' must be set"],
      [[{ type: 'startTransition', transitionId: 'f2', variables: { n: { value: 1, type: 'Weird' } } }], "Unsupported value type 'Weird'"],
    ];
    for (const [instructions, message] of cases) {
      expectError(await modifyOne(id, { instructions }), 400, 'InvalidRequestException', message, null, JSON.stringify(instructions));
    }
    // checked before the instance is looked up
    expectError(await modifyOne('nope', { instructions: [{ type: 'cancel' }] }), 400, 'InvalidRequestException', exactlyOne, null);
    assert.deepEqual(await activityIds(id), ['a'], 'nothing changed');
  });

  it('single instance: no instructions is a 204 that does nothing, not even look for the instance', async () => {
    const id = await startOne();
    for (const body of [{}, { instructions: null }, { instructions: [] }, { skipCustomListeners: true, annotation: 'x', instructions: [] }]) {
      assert.equal((await modifyOne(id, body)).status, 204, JSON.stringify(body));
      assert.equal((await modifyOne('nope', body)).status, 204, JSON.stringify(body));
    }
    assert.equal((await ctx.api.call('POST', `/process-instance/nope/modification`)).status, 204, 'no body at all');
    assert.deepEqual(await activityIds(id), ['a']);
  });

  // --- POST /modification/execute: validation ---------------------------------------------------------

  it('several instances: refuses a malformed body with 400 ""', async () => {
    const id = await startOne();
    const plan = [{ type: 'cancel', activityId: 'a' }];
    const cases = [
      ['not an object', [1]],
      ['processDefinitionId not a string', { processDefinitionId: 7, instructions: plan, processInstanceIds: [id] }],
      ['processInstanceIds not a list', { processDefinitionId: def.id, instructions: plan, processInstanceIds: id }],
      ['an id not a string', { processDefinitionId: def.id, instructions: plan, processInstanceIds: [7] }],
      ['processInstanceQuery not an object', { processDefinitionId: def.id, instructions: plan, processInstanceQuery: [] }],
      ['a field of processInstanceQuery of the wrong type', { processDefinitionId: def.id, instructions: plan, processInstanceQuery: { processDefinitionId: 5 } }],
      ['historicProcessInstanceQuery not an object', { processDefinitionId: def.id, instructions: plan, historicProcessInstanceQuery: 'all' }],
      ['instructions not a list', { processDefinitionId: def.id, instructions: { type: 'cancel' }, processInstanceIds: [id] }],
      ['missing type', { processDefinitionId: def.id, instructions: [{ activityId: 'a' }], processInstanceIds: [id] }],
      ['unknown type', { processDefinitionId: def.id, instructions: [{ type: 'cancelAll', activityId: 'a' }], processInstanceIds: [id] }],
      ['skipIoMappings not a boolean', { processDefinitionId: def.id, instructions: plan, processInstanceIds: [id], skipIoMappings: 'yes' }],
      ['mapping comes before processDefinitionId', { instructions: [{}] }],
    ];
    for (const [what, body] of cases) expectError(await execute(body), 400, 'InvalidRequestException', '', null, what);
    assert.deepEqual(await activityIds(id), ['a'], 'nothing changed');
  });

  it('several instances: checks in Java order with the engine messages, as 400 InvalidRequestException', async () => {
    const id = await startOne();
    const plan = [{ type: 'cancel', activityId: 'a' }];
    const policy = (type, field) => `For instruction type '${type}': '${field}' cannot be used in a modification of several process instances`;
    const cases = [
      // ModificationBuilderImpl: the definition id first
      [{}, 'processDefinitionId is null'],
      [{ instructions: [{ type: 'cancel' }], processInstanceIds: [id] }, 'processDefinitionId is null'],
      // the instructions, in order (CancellationInstructionDto for a ModificationBuilder wants activityId)
      [{ processDefinitionId: def.id, instructions: [{ type: 'cancel' }] }, "For instruction type 'cancel': 'activityId' must be set"],
      [{ processDefinitionId: def.id, instructions: [{ type: 'startBeforeActivity' }] }, "For instruction type 'startBeforeActivity': 'activityId' must be set"],
      [{ processDefinitionId: def.id, instructions: [{ type: 'startAfterActivity' }] }, "For instruction type 'startAfterActivity': 'activityId' must be set"],
      [{ processDefinitionId: def.id, instructions: [{ type: 'startTransition', activityId: 'a' }] }, "For instruction type 'startTransition': 'transitionId' must be set"],
      [{ processDefinitionId: def.id, instructions: [...plan, { type: 'startBeforeActivity', activityId: 'b', variables: { v: { value: 'x', type: 'Boolean' } } }] }, "Cannot convert value 'x' of type 'Boolean' to java type java.lang.Boolean"],
      // Detour's policy: what means one instance is refused, naming the field
      [{ processDefinitionId: def.id, instructions: [{ type: 'cancel', activityInstanceId: 'a:1' }] }, policy('cancel', 'activityInstanceId')],
      [{ processDefinitionId: def.id, instructions: [{ type: 'cancel', activityId: 'a', activityInstanceId: 'a:1' }] }, policy('cancel', 'activityInstanceId')],
      [{ processDefinitionId: def.id, instructions: [{ type: 'cancel', transitionInstanceId: 't' }] }, policy('cancel', 'transitionInstanceId')],
      [{ processDefinitionId: def.id, instructions: [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: id }] }, policy('startBeforeActivity', 'ancestorActivityInstanceId')],
      [{ processDefinitionId: def.id, instructions: [{ type: 'startTransition', transitionId: 'f2', ancestorActivityInstanceId: id }] }, policy('startTransition', 'ancestorActivityInstanceId')],
      // ProcessInstanceModificationCmd: instructions, then the instances, then the definition
      [{ processDefinitionId: def.id, processInstanceIds: [id] }, 'Modification instructions cannot be empty is empty'],
      [{ processDefinitionId: 'nope', instructions: [] }, 'Modification instructions cannot be empty is empty'],
      [{ processDefinitionId: def.id, instructions: plan }, 'Process instance ids cannot be empty: Process instance ids is empty'],
      [{ processDefinitionId: 'nope', instructions: plan, processInstanceIds: [] }, 'Process instance ids cannot be empty: Process instance ids is empty'],
      [{ processDefinitionId: def.id, instructions: plan, processInstanceQuery: { businessKey: 'nobody' }, historicProcessInstanceQuery: { processInstanceBusinessKey: 'nobody' } }, 'Process instance ids cannot be empty: Process instance ids is empty'],
      [{ processDefinitionId: def.id, instructions: plan, processInstanceIds: [id, null] }, 'Process instance ids cannot be null: Process instance ids contains null value'],
      [{ processDefinitionId: 'nope', instructions: plan, processInstanceIds: [id] }, "no deployed process definition found with id 'nope': processDefinition is null"],
      // the queries' own complaints: an engine BadUserRequest is rewrapped too
      [{ processDefinitionId: def.id, instructions: plan, processInstanceQuery: { variables: [{ name: 'x', operator: 'gt', value: true }] } }, "Booleans and null cannot be used in 'greater than' condition"],
      [{ processDefinitionId: def.id, instructions: plan, processInstanceQuery: { variables: [{ name: 'x', operator: 'notLike', value: 'y' }] } }, 'Invalid variable comparator specified: notLike'],
      // …which the query builds only after the definition id and the instructions are checked
      [{ instructions: plan, processInstanceQuery: { variables: [{ name: 'x', operator: 'notLike', value: 'y' }] } }, 'processDefinitionId is null'],
      [{ processDefinitionId: def.id, instructions: [{ type: 'cancel' }], processInstanceQuery: { variables: [{ name: 'x', operator: 'notLike', value: 'y' }] } }, "For instruction type 'cancel': 'activityId' must be set"],
      [{ processDefinitionId: def.id, processInstanceQuery: { variables: [{ name: 'x', operator: 'notLike', value: 'y' }] } }, 'Invalid variable comparator specified: notLike'],
    ];
    for (const [body, message] of cases) expectError(await execute(body), 400, 'InvalidRequestException', message, null, JSON.stringify(body));
    assert.deepEqual(await activityIds(id), ['a'], 'nothing changed');
  });

  it('several instances: an instance that is not running or of another definition is a 500, before any instance changes', async () => {
    const mine = await startOne();
    const foreign = await startOne(other);
    const plan = [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'b' }];
    expectError(
      await execute({ processDefinitionId: def.id, instructions: plan, processInstanceIds: [mine, 'gone'] }),
      500, 'ProcessEngineException', "ENGINE-13036 Process instance 'gone' cannot be modified. The process instance does not exist", 0,
    );
    expectError(
      await execute({ processDefinitionId: def.id, instructions: plan, processInstanceIds: [mine], processInstanceQuery: { processDefinitionKey: 'otherProcess' } }),
      500, 'ProcessEngineException',
      `ENGINE-13037 Process instance '${foreign}' cannot be modified. Its process definition '${other.id}' does not match given process definition '${def.id}'`, 0,
    );
    // an ended instance found by the historic query
    const ended = await startOne(other);
    assert.equal((await ctx.api.delete(`/process-instance/${ended}`)).status, 204);
    expectError(
      await execute({ processDefinitionId: other.id, instructions: plan, historicProcessInstanceQuery: { processInstanceId: ended } }),
      500, 'ProcessEngineException', `ENGINE-13036 Process instance '${ended}' cannot be modified. The process instance does not exist`, 0,
    );
    assert.deepEqual(await activityIds(mine), ['a'], 'nothing changed');
    assert.deepEqual(await activityIds(foreign), ['a'], 'nothing changed');
  });

  it('several instances: the instances are the ids, the runtime query and the historic query together, each once', async () => {
    const [x, y, z] = [await startOne(def, { businessKey: 'union-x' }), await startOne(def, { businessKey: 'union-y' }), await startOne(def, { businessKey: 'union-z' })];
    const plan = [{ type: 'cancel', activityId: 'a' }];
    const read = (body) => readModification(ctx.engine, { processDefinitionId: def.id, instructions: plan, ...body });
    const ids = async (body) => (await read(body)).processInstanceIds;
    assert.deepEqual(await ids({ processInstanceIds: [x, x] }), [x]);
    assert.deepEqual(await ids({ processInstanceIds: [x], processInstanceQuery: { businessKey: 'union-y' } }), [x, y]);
    assert.deepEqual(await ids({ historicProcessInstanceQuery: { processInstanceBusinessKey: 'union-z' } }), [z]);
    assert.deepEqual(
      new Set(await ids({ processInstanceIds: [x, y], processInstanceQuery: { businessKeyLike: 'union-%' }, historicProcessInstanceQuery: { processInstanceBusinessKeyIn: ['union-x', 'union-z'] } })),
      new Set([x, y, z]),
    );
    assert.equal((await ids({ processInstanceIds: [x, y], processInstanceQuery: { businessKeyLike: 'union-%' }, historicProcessInstanceQuery: { processInstanceBusinessKeyLike: 'union-%' } })).length, 3);
    // ready for the wire, for /modification/executeAsync too: the engine's BadUserRequests already rewrapped
    await assert.rejects(read({ processInstanceIds: [] }), { status: 400, type: 'InvalidRequestException', message: 'Process instance ids cannot be empty: Process instance ids is empty', code: null });
    const request = await read({ processInstanceIds: [x], skipCustomListeners: true, annotation: 'why' });
    assert.deepEqual(request, {
      processDefinitionId: def.id,
      instructions: [{ type: 'cancel', activityId: 'a' }],
      processInstanceIds: [x],
      skipCustomListeners: true,
      skipIoMappings: false,
      annotation: 'why',
    });
  });

  it('several instances: cancelCurrentActiveActivityInstances and variables are passed on to the engine', async () => {
    const x = await startOne();
    const request = await readModification(ctx.engine, {
      processDefinitionId: def.id,
      processInstanceIds: [x],
      instructions: [
        { type: 'startBeforeActivity', activityId: 'a', variables: { n: { value: 5, type: 'Long' }, m: { value: 'v', local: true } } },
        { type: 'cancel', activityId: 'a', cancelCurrentActiveActivityInstances: true },
        { type: 'cancel', activityId: 'b', cancelCurrentActiveActivityInstances: false },
      ],
    });
    assert.deepEqual(request.instructions, [
      { type: 'startBeforeActivity', activityId: 'a', variables: { n: { value: 5, type: 'Long' }, m: { value: 'v', type: null, local: true } } },
      { type: 'cancel', activityId: 'a', cancelCurrentActiveActivityInstances: true },
      { type: 'cancel', activityId: 'b' },
    ]);
  });

  // --- start instructions (the same module) -----------------------------------------------------------

  it('start instructions: the shared rules, with the start prefix; cancel and an empty list start normally', async () => {
    const start = (body) => ctx.api.post(`/process-definition/${def.id}/start`, body).then((r) => checkResponse('POST', START, r));
    const prefix = `Cannot instantiate process definition ${def.id}: `;
    const cases = [
      [{ startInstructions: [{ type: 'startBeforeActivity', activityId: 7 }] }, ''],
      [{ startInstructions: [{ type: 'cancel', activityInstanceId: ['x'] }] }, ''],
      [{ startInstructions: [{ type: 'startBeforeActivity', activityId: 'a' }, { type: 'nope' }] }, ''],
      [{ startInstructions: [{ type: 'startAfterActivity', transitionId: 'f1' }] }, `${prefix}For instruction type 'startAfterActivity': 'activityId' must be set`],
      [{ startInstructions: [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: 'x' }] }, `${prefix}For instruction type 'startBeforeActivity': 'ancestorActivityInstanceId' cannot be used in a process instance start`],
      [{ startInstructions: [{ type: 'startBeforeActivity', activityId: 'b', variables: { d: { value: 'soon', type: 'Date' } } }] }, `${prefix}Cannot convert value 'soon' of type 'Date' to java type java.util.Date`],
    ];
    for (const [body, message] of cases) expectError(await start(body), 400, 'InvalidRequestException', message, null, JSON.stringify(body));
    const started = await start({ startInstructions: [{ type: 'cancel' }, { type: 'startBeforeActivity', activityId: 'b' }] });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.deepEqual(await activityIds(started.body.id), ['b']);
    const plain = await start({ startInstructions: [] });
    assert.deepEqual(await activityIds(plain.body.id), ['a'], 'no instructions: the start event');
    const onlyCancel = await start({ startInstructions: [{ type: 'cancel', activityId: 'a' }] });
    assert.deepEqual(await activityIds(onlyCancel.body.id), ['a'], 'cancel instructions mean nothing to a start');
  });

  it('restart instructions (the same module, use "restart"): cancel is skipped, variables kept, an ancestor refused', () => {
    const refusal = (list) => {
      try {
        readInstructions(list, 'restart');
      } catch (e) {
        return [e.status, e.type, e.message, e.code];
      }
      return null;
    };
    assert.deepEqual(
      readInstructions([{ type: 'cancel', activityId: 'a' }, { type: 'startAfterActivity', activityId: 'a', variables: { v: { value: 1, local: true } } }, { type: 'startTransition', transitionId: 'f3' }], 'restart'),
      [{ type: 'startAfterActivity', activityId: 'a', variables: { v: { value: 1, type: null, local: true } } }, { type: 'startTransition', transitionId: 'f3' }],
    );
    assert.deepEqual(refusal([{ type: 'startBeforeActivity', activityId: 'a', ancestorActivityInstanceId: 'x' }]),
      [400, 'InvalidRequestException', "For instruction type 'startBeforeActivity': 'ancestorActivityInstanceId' cannot be used in a restart", null]);
    assert.deepEqual(refusal([{ type: 'startTransition' }]), [400, 'InvalidRequestException', "For instruction type 'startTransition': 'transitionId' must be set", null]);
    assert.deepEqual(refusal([{ type: 'restart' }]), [400, 'InvalidRequestException', '', null]);
    assert.deepEqual(readInstructions(null, 'restart'), []);
    assert.throws(() => readInstructions([], 'migrate'), /unknown use 'migrate'/);
  });
});

// --- end to end: the engine's modifyProcessInstance behind both endpoints ------------------------------

describeRest('process instance modification end to end', (ctx) => {
  let def;
  let other;

  const startOne = async (definition = def, body = {}) => {
    const r = checkResponse('POST', START, await ctx.api.post(`/process-definition/${definition.id}/start`, body));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id;
  };
  const modifyOne = async (id, body) => {
    const r = await ctx.api.post(`/process-instance/${encodeURIComponent(id)}/modification`, body);
    return checkResponse('POST', SINGLE, r);
  };
  const execute = async (body) => {
    const r = await ctx.api.post('/modification/execute', body);
    return r.status === 500 ? checkJavaOnly('POST', MULTI, r) : checkResponse('POST', MULTI, r);
  };
  const tree = async (id) => {
    const r = checkResponse('GET', '/process-instance/{id}/activity-instances', await ctx.api.get(`/process-instance/${id}/activity-instances`));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const activityIds = async (id) => (await tree(id)).childActivityInstances.map((a) => a.activityId).sort();
  const historic = async (id) => {
    const r = checkResponse('GET', '/history/process-instance/{id}', await ctx.api.get(`/history/process-instance/${id}`));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const canceled = async (id) => {
    const r = checkResponse('GET', '/history/activity-instance', await ctx.api.get(`/history/activity-instance?processInstanceId=${id}&canceled=true`));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const running = async (id) => (await ctx.api.get(`/process-instance/${id}`)).status === 200;

  it('deploys the processes the tests modify', async () => {
    for (const key of ['e2eProcess', 'e2eOther']) {
      const r = await ctx.api.deploy(twoTasksXml(key));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const d = Object.values(r.body.deployedProcessDefinitions)[0];
      if (key === 'e2eProcess') def = d;
      else other = d;
    }
  });

  it('one instance: cancel + startBeforeActivity moves the token; the tree, the variables and the history show it', async () => {
    const id = await startOne();
    const before = await tree(id);
    const [a] = before.childActivityInstances;
    assert.equal(a.activityId, 'a');
    const r = await modifyOne(id, {
      skipCustomListeners: true,
      annotation: 'moved by support',
      instructions: [
        { type: 'cancel', activityInstanceId: a.id },
        { type: 'startBeforeActivity', activityId: 'b', variables: { note: { value: 'moved' }, here: { value: 1, type: 'Integer', local: true } } },
      ],
    });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    const after = await tree(id);
    assert.equal(after.id, before.id, 'the same instance');
    assert.deepEqual(after.childActivityInstances.map((c) => c.activityId), ['b']);
    const gone = await canceled(id);
    assert.deepEqual(gone.map((h) => [h.id, h.activityId, h.canceled, h.endTime !== null]), [[a.id, 'a', true, true]]);
    const vars = await ctx.api.get(`/process-instance/${id}/variables`);
    assert.deepEqual(vars.body.note, { type: 'String', value: 'moved', valueInfo: {} });
    // `local`: on the execution that runs b — here the instance's own, as the instance had no other token
    const local = await ctx.api.get(`/history/variable-instance?processInstanceId=${id}&variableName=here`);
    assert.deepEqual(local.body.map((v) => [v.type, v.value]), [['Integer', 1]]);
    assert.equal((await historic(id)).state, 'ACTIVE');
  });

  it('one instance: cancelling everything ends it EXTERNALLY_TERMINATED; then it cannot be modified (ENGINE-13036)', async () => {
    const id = await startOne();
    assert.equal((await modifyOne(id, { instructions: [{ type: 'cancel', activityId: 'a' }] })).status, 204);
    assert.equal(await running(id), false);
    const h = await historic(id);
    assert.equal(h.state, 'EXTERNALLY_TERMINATED');
    assert.notEqual(h.endTime, null);
    assert.deepEqual((await canceled(id)).map((x) => x.activityId), ['a']);
    for (const target of [id, 'nope']) {
      const r = await modifyOne(target, { instructions: [{ type: 'startBeforeActivity', activityId: 'a' }] });
      assert.deepEqual([r.status, r.body], [500, {
        type: 'ProcessEngineException',
        message: `ENGINE-13036 Process instance '${target}' cannot be modified. The process instance does not exist`,
        code: 0,
      }]);
    }
  });

  it('one instance: the engine refuses unknown targets (400 NotValidException) and changes nothing', async () => {
    const id = await startOne();
    const unknownActivity = await modifyOne(id, { instructions: [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'nope' }] });
    assert.deepEqual([unknownActivity.status, unknownActivity.body.type, unknownActivity.body.code], [400, 'NotValidException', 0], JSON.stringify(unknownActivity.body));
    assert.match(unknownActivity.body.message, /^Cannot perform instruction: Start before activity 'nope'; /);
    const unknownInstance = await modifyOne(id, { instructions: [{ type: 'cancel', activityInstanceId: 'a:nope' }] });
    assert.deepEqual([unknownInstance.status, unknownInstance.body], [400, {
      type: 'NotValidException',
      message: "Cannot perform instruction: Cancel activity instance 'a:nope'; Activity instance 'a:nope' does not exist: activityInstance is null",
      code: 0,
    }]);
    const badAncestor = await modifyOne(id, { instructions: [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: 'zzz' }] });
    assert.deepEqual([badAncestor.status, badAncestor.body], [400, {
      type: 'NotValidException',
      message: "Cannot perform instruction: Start before activity 'b' with ancestor activity instance 'zzz'; Ancestor activity instance 'zzz' does not exist: ancestorInstance is null",
      code: 0,
    }]);
    // a plain engine exception: 500
    const noFlow = await modifyOne(id, { instructions: [{ type: 'startAfterActivity', activityId: 'end' }] });
    assert.deepEqual([noFlow.status, noFlow.body], [500, {
      type: 'ProcessEngineException',
      message: 'Cannot start after activity end; activity has no outgoing sequence flow to take',
      code: 0,
    }]);
    assert.deepEqual(await activityIds(id), ['a'], 'rolled back');
    assert.deepEqual(await canceled(id), []);
  });

  it('one instance: the ancestor is honoured, and cancelCurrentActiveActivityInstances too (Detour: Camunda ignores it here)', async () => {
    const id = await startOne();
    const root = (await tree(id)).id;
    const r = await modifyOne(id, { instructions: [{ type: 'startBeforeActivity', activityId: 'b', ancestorActivityInstanceId: root }] });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    assert.deepEqual(await activityIds(id), ['a', 'b']);
    const [oldA] = (await tree(id)).childActivityInstances.filter((c) => c.activityId === 'a');
    const flagged = await modifyOne(id, { instructions: [{ type: 'startBeforeActivity', activityId: 'a' }, { type: 'cancel', activityId: 'a', cancelCurrentActiveActivityInstances: true }] });
    assert.equal(flagged.status, 204, JSON.stringify(flagged.body));
    const now = (await tree(id)).childActivityInstances;
    assert.deepEqual(now.map((c) => c.activityId).sort(), ['a', 'b']);
    assert.notEqual(now.find((c) => c.activityId === 'a').id, oldA.id, 'the a started by this modification survives');
  });

  it('one instance, several instances: a suspended instance refuses start instructions (400)', async () => {
    const id = await startOne();
    assert.equal((await ctx.api.put(`/process-instance/${id}/suspended`, { suspended: true })).status, 204);
    const plan = [{ type: 'startBeforeActivity', activityId: 'b' }];
    const single = await modifyOne(id, { instructions: plan });
    assert.deepEqual([single.status, single.body.type, single.body.code], [400, 'SuspendedEntityInteractionException', 0], JSON.stringify(single.body));
    assert.match(single.body.message, /^ENGINE-03043 Execution with id '.+' is suspended\.$/);
    const multi = await execute({ processDefinitionId: def.id, instructions: plan, processInstanceIds: [id] });
    assert.deepEqual([multi.status, multi.body], [400, { type: 'InvalidRequestException', message: single.body.message, code: null }]);
    assert.deepEqual(await activityIds(id), ['a']);
  });

  it('several instances: the same plan on each instance of the union, once each', async () => {
    const ids = {};
    for (const key of ['x', 'y', 'z', 'untouched']) ids[key] = await startOne(def, { businessKey: `e2e-${key}` });
    const foreign = await startOne(other, { businessKey: 'e2e-y' });
    const r = await execute({
      processDefinitionId: def.id,
      instructions: [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'b', variables: { batch: { value: true } } }],
      processInstanceIds: [ids.x, ids.y],
      processInstanceQuery: { businessKey: 'e2e-y', processDefinitionId: def.id },
      historicProcessInstanceQuery: { processInstanceBusinessKey: 'e2e-z', unfinished: true },
      skipIoMappings: true,
      annotation: 'bulk repair',
    });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    for (const key of ['x', 'y', 'z']) {
      assert.deepEqual(await activityIds(ids[key]), ['b'], key);
      assert.deepEqual((await canceled(ids[key])).map((h) => h.activityId), ['a'], key);
      assert.deepEqual((await ctx.api.get(`/process-instance/${ids[key]}/variables/batch`)).body.value, true, key);
    }
    assert.deepEqual(await activityIds(ids.untouched), ['a']);
    assert.deepEqual(await activityIds(foreign), ['a']);
  });

  it('several instances: a plan that cancels everything ends each instance EXTERNALLY_TERMINATED', async () => {
    const ids = [await startOne(), await startOne()];
    const r = await execute({ processDefinitionId: def.id, instructions: [{ type: 'cancel', activityId: 'a' }], processInstanceIds: ids });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    for (const id of ids) {
      assert.equal(await running(id), false);
      assert.equal((await historic(id)).state, 'EXTERNALLY_TERMINATED');
    }
  });

  it('several instances: cancelCurrentActiveActivityInstances spares what the plan started', async () => {
    const [spared, cancelled] = [await startOne(), await startOne()];
    const [old] = (await tree(spared)).childActivityInstances;
    const plan = (flag) => [{ type: 'startBeforeActivity', activityId: 'a' }, { type: 'cancel', activityId: 'a', cancelCurrentActiveActivityInstances: flag }];
    const r = await execute({ processDefinitionId: def.id, instructions: plan(true), processInstanceIds: [spared] });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    const now = (await tree(spared)).childActivityInstances;
    assert.deepEqual(now.map((c) => c.activityId), ['a']);
    assert.notEqual(now[0].id, old.id, 'the instance the plan started survives, the old one is cancelled');
    const without = await execute({ processDefinitionId: def.id, instructions: plan(false), processInstanceIds: [cancelled] });
    assert.equal(without.status, 204, JSON.stringify(without.body));
    assert.equal(await running(cancelled), false, 'without the flag every instance of the activity is cancelled');
  });

  it('several instances: an engine BadUserRequest is a 400 InvalidRequestException with its message and code null', async () => {
    const id = await startOne();
    const r = await execute({ processDefinitionId: def.id, instructions: [{ type: 'cancel', activityId: 'a' }, { type: 'startBeforeActivity', activityId: 'nope' }], processInstanceIds: [id] });
    assert.deepEqual([r.status, r.body.type, r.body.code], [400, 'InvalidRequestException', null], JSON.stringify(r.body));
    assert.match(r.body.message, /^Cannot perform instruction: Start before activity 'nope'; /);
    assert.deepEqual(await activityIds(id), ['a'], 'rolled back');
  });
});
