// core.test.js — js/core.js, the glue to dist/detour-core.wasm: loading, marshalling, freeing,
// errors, and the host delegate hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CoreError, loadCore } from '../../js/core.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmPath = join(root, 'dist', 'detour-core.wasm');
assert.ok(existsSync(wasmPath), `${wasmPath} is missing: run npm run build`);
const bytes = readFileSync(wasmPath);

const NOW = 1700000000000;
const seed = (n) => n.toString(16).padStart(32, '0');

function model(process, key = process.id) {
  return { definition: { id: `${key}:1:test`, key, name: null, version: 1, tenantId: null }, process };
}

const userTaskModel = model({
  id: 'oneTask',
  isExecutable: true,
  elements: [
    { type: 'startEvent', id: 'start' },
    { type: 'userTask', id: 'task', name: 'Task' },
    { type: 'endEvent', id: 'end' },
  ],
  flows: [
    { id: 'f1', sourceRef: 'start', targetRef: 'task' },
    { id: 'f2', sourceRef: 'task', targetRef: 'end' },
  ],
});

const delegateModel = model({
  id: 'delegating',
  isExecutable: true,
  elements: [
    { type: 'startEvent', id: 'start' },
    { type: 'serviceTask', id: 'call', delegateExpression: '${calculator}' },
    { type: 'userTask', id: 'task' },
    { type: 'endEvent', id: 'end' },
  ],
  flows: [
    { id: 'f1', sourceRef: 'start', targetRef: 'call' },
    { id: 'f2', sourceRef: 'call', targetRef: 'task' },
    { id: 'f3', sourceRef: 'task', targetRef: 'end' },
  ],
});

function startAndComplete(core, handle, i) {
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(i), variables: { n: { value: i, type: 'Integer' } } });
  const taskId = started.index.tasks[0].id;
  return core.execute(handle, { command: 'completeTask', now: NOW + 1, idSeed: seed(i + 1), taskId, state: started.state });
}

test('a core loaded from bytes compiles a model document to a handle and its summary', async () => {
  const core = await loadCore(bytes);
  const compiled = core.compile(userTaskModel);
  assert.equal(typeof compiled.handle, 'number');
  assert.equal(compiled.definition.id, 'oneTask:1:test');
  assert.equal(compiled.definition.key, 'oneTask');
  assert.ok(core.release(compiled.handle));
  assert.equal(core.release(compiled.handle), false, 'a released handle is unknown');
});

test('a core loaded from a WebAssembly.Module is an independent instance', async () => {
  const module = await WebAssembly.compile(bytes);
  const a = await loadCore(module);
  const b = await loadCore(module);
  const ha = a.compile(userTaskModel).handle;
  assert.notEqual(a.memory, b.memory);
  const started = a.execute(ha, { command: 'start', now: NOW, idSeed: seed(1) });
  assert.ok(started.state);
  assert.throws(() => b.execute(ha + 1000, { command: 'start', now: NOW, idSeed: seed(1) }), CoreError);
});

test('a core loads from a URL through fetch', async () => {
  const url = `data:application/wasm;base64,${bytes.toString('base64')}`;
  const core = await loadCore(url);
  assert.equal(typeof core.compile(userTaskModel).handle, 'number');
});

test('a core loaded from an ArrayBuffer or a Uint8Array works alike', async () => {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  for (const source of [ab, new Uint8Array(ab)]) {
    const core = await loadCore(source);
    assert.equal(typeof core.compile(userTaskModel).handle, 'number');
  }
});

test('loading something that is not a core is refused with a clear error', async () => {
  await assert.rejects(loadCore(42), TypeError);
  await assert.rejects(loadCore(new Uint8Array([0, 1, 2, 3])));
  // A valid module without the ABI.
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await assert.rejects(loadCore(empty), /detour_alloc/);
});

test('start and completeTask return state, history, index and result, and the instance ends', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(7), businessKey: 'bk' });
  assert.equal(typeof started.result.processInstanceId, 'string');
  assert.equal(started.state.id, started.result.processInstanceId);
  assert.equal(started.index.tasks.length, 1);
  assert.equal(started.index.tasks[0].taskDefinitionKey, 'task');
  assert.equal(started.history[0].type, 'processInstanceStart');
  assert.equal(started.history[0].businessKey, 'bk');
  const done = core.execute(handle, {
    command: 'completeTask', now: NOW + 5, idSeed: seed(8), taskId: started.index.tasks[0].id, state: started.state,
  });
  assert.equal(done.state.ended, true);
  assert.equal(done.state.endState, 'COMPLETED');
  assert.equal(done.history.at(-1).type, 'processInstanceEnd');
});

test('the same command with the same idSeed and now gives the same JSON text', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  const command = JSON.stringify({ command: 'start', now: NOW, idSeed: seed(3), variables: { a: { value: 'x', type: 'String' } } });
  assert.equal(core.executeJSON(handle, command), core.executeJSON(handle, command));
});

test('members given as JSON text or UTF-8 bytes make the same command as the document', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(4), businessKey: 'ünïcødé ✓' });
  const command = { command: 'completeTask', now: NOW + 1, idSeed: seed(5), taskId: started.index.tasks[0].id };
  const text = JSON.stringify(started.state);
  const expected = core.execute(handle, { ...command, state: started.state });
  assert.deepEqual(core.execute(handle, command, { state: text }), expected);
  assert.deepEqual(core.execute(handle, command, { state: new TextEncoder().encode(text) }), expected);
  // a member given as text replaces the command's own
  assert.deepEqual(core.execute(handle, { ...command, state: { bogus: true } }, { state: text }), expected);
  // several, or none
  const { now, ...rest } = command;
  assert.deepEqual(core.execute(handle, rest, { now: String(now), state: text }), expected);
  assert.deepEqual(core.execute(handle, { ...command, state: started.state }, {}), expected);
  // the core still reads what it is given: a member that is not JSON is refused as such
  assert.throws(() => core.execute(handle, command, { state: '{"id":' }), (e) => e instanceof CoreError && e.type === 'InvalidRequestException');
  assert.throws(() => core.execute(handle, command, { state: 42 }), TypeError);
  assert.throws(() => core.execute(handle, JSON.stringify(command), { state: text }), TypeError);
});

test('core errors become CoreError with the Camunda exception type and message', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(1) });
  assert.throws(
    () => core.execute(handle, { command: 'completeTask', now: NOW, idSeed: seed(2), taskId: 'nope', state: started.state }),
    (e) => e instanceof CoreError && e.type === 'NotFoundException' && /nope/.test(e.message) && e.name === 'CoreError',
  );
  assert.throws(
    () => core.compile(model({ id: 'p', elements: [{ type: 'callActivity', id: 'call1' }], flows: [] })),
    (e) => e instanceof CoreError && e.type === 'ParseException' && /call1/.test(e.message),
  );
  // The raw form hands the error document back untouched.
  const raw = JSON.parse(core.executeJSON(handle, '{"command":"completeTask"}'));
  assert.equal(typeof raw.error.type, 'string');
  assert.equal(typeof raw.error.message, 'string');
});

test('malformed JSON and hostile documents give CoreError, never a crash', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(1) });
  const hostile = [
    '',
    '{',
    'null',
    '[]',
    '"start"',
    '{"command":42}',
    '{"command":"start","now":"soon","idSeed":"zz"}',
    '{"command":"start","now":1,"idSeed":"' + 'f'.repeat(10000) + '"}',
    '{"command":"noSuchCommand","now":1,"idSeed":"' + seed(1) + '"}',
    '['.repeat(100000),
    '{"a":'.repeat(50000),
    '{"command":"start","now":1,"idSeed":"' + seed(1) + '","variables":{"x":{"type":"Nope","value":1}}}',
    '{"command":"start","now":1,"idSeed":"' + seed(1) + '","variables":[1,2,3]}',
    JSON.stringify({ command: 'completeTask', now: 1, idSeed: seed(1), taskId: 'x', state: { ...started.state, executions: 'no' } }),
    JSON.stringify({ command: 'completeTask', now: 1, idSeed: seed(1), taskId: 'x', state: { ...started.state, executions: [...started.state.executions, ...started.state.executions] } }),
    JSON.stringify({ command: 'activityInstances', now: 1, idSeed: seed(1), state: { id: 5 } }),
    '{"command":"start","now":1,"idSeed":"' + seed(1) + '","businessKey":"\\ud800"}',
  ];
  for (const text of hostile) {
    assert.throws(() => core.execute(handle, text), CoreError, `input ${text.slice(0, 60)}`);
  }
  for (const text of ['', '{', '{"definition":{}}', '{"definition":{"id":"a","key":"a"},"process":{"elements":"x"}}', '['.repeat(100000)]) {
    assert.throws(() => core.compile(text), CoreError, `model ${text.slice(0, 60)}`);
  }
  for (const h of [-1, 0x7fffffff, handle + 999]) {
    assert.throws(() => core.execute(h, { command: 'start', now: NOW, idSeed: seed(1) }), CoreError);
  }
  // Still healthy afterwards.
  assert.equal(startAndComplete(core, handle, 1).state.ended, true);
});

test('a now outside the range of dates is refused', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  for (const now of ['1e400', '-1e400', '1e300']) {
    assert.throws(() => core.execute(handle, `{"command":"start","now":${now},"idSeed":"${seed(1)}"}`), CoreError, `now ${now}`);
  }
});

test('Long values up to 2^53 - 1 keep every digit through a state document', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(userTaskModel);
  for (const value of [9007199254740991, -9007199254740991, 1234567890123456, 2 ** 53 - 2]) {
    const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(1), variables: { big: { value, type: 'Long' } } });
    const vars = core.execute(handle, { command: 'variables', now: NOW, idSeed: seed(2), state: started.state }).result;
    assert.equal(vars.big.value, value);
  }
});

test('memory stays bounded over 10,000 compile, execute and release rounds', async () => {
  const core = await loadCore(bytes);
  const round = (i) => {
    const { handle } = core.compile(userTaskModel);
    startAndComplete(core, handle, i);
    assert.throws(() => core.execute(handle, '{"command":"completeTask"}'), CoreError);
    core.release(handle);
  };
  for (let i = 0; i < 500; i++) round(i);
  const before = core.memory.buffer.byteLength;
  for (let i = 0; i < 10000; i++) round(i);
  const grown = core.memory.buffer.byteLength - before;
  // A leak of even 16 bytes a round would grow memory by 160 KB (2.5 pages).
  assert.ok(grown <= 128 * 1024, `memory grew by ${grown} bytes over 10,000 rounds`);
});

test('the host hook answers delegates with variables, BPMN errors, failures or no delegate', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(delegateModel);
  const requests = [];
  core.setHostInvoke((request) => {
    requests.push(request);
    return { variables: { result: { value: 42, type: 'Integer' } } };
  });
  const started = core.execute(handle, { command: 'start', now: NOW, idSeed: seed(1), variables: { x: { value: 'y', type: 'String' } } });
  assert.equal(requests.length, 1);
  assert.equal(requests[0].delegate, 'calculator');
  assert.equal(requests[0].variables.x.value, 'y');
  const vars = core.execute(handle, { command: 'variables', now: NOW, idSeed: seed(2), state: started.state }).result;
  assert.equal(vars.result.value, 42);

  core.setHostInvoke(() => null);
  assert.throws(() => core.execute(handle, { command: 'start', now: NOW, idSeed: seed(3) }), (e) => e instanceof CoreError && /Unknown delegate 'calculator'/.test(e.message));

  core.setHostInvoke(() => { throw new Error('boom in JS'); });
  assert.throws(() => core.execute(handle, { command: 'start', now: NOW, idSeed: seed(4) }), (e) => e instanceof CoreError && /boom in JS/.test(e.message));

  core.setHostInvoke(() => ({ error: { message: 'delegate says no' } }));
  assert.throws(() => core.execute(handle, { command: 'start', now: NOW, idSeed: seed(5) }), /delegate says no/);

  core.setHostInvoke(() => ({ big: 1n })); // not serializable: becomes an error reply, not a crash
  assert.throws(() => core.execute(handle, { command: 'start', now: NOW, idSeed: seed(6) }), CoreError);

  core.setHostInvoke(() => ({ variables: 'not a map' }));
  assert.throws(() => core.execute(handle, { command: 'start', now: NOW, idSeed: seed(7) }), CoreError);
});

test('host replies are freed by the core: many delegate calls keep memory bounded', async () => {
  const core = await loadCore(bytes);
  const { handle } = core.compile(delegateModel);
  const big = 'x'.repeat(4096);
  core.setHostInvoke(() => ({ variables: { payload: { value: big, type: 'String' } } }));
  for (let i = 0; i < 200; i++) startAndComplete(core, handle, i);
  const before = core.memory.buffer.byteLength;
  for (let i = 0; i < 3000; i++) startAndComplete(core, handle, i);
  const grown = core.memory.buffer.byteLength - before;
  assert.ok(grown <= 256 * 1024, `memory grew by ${grown} bytes over 3,000 delegate calls`);
});
