// builds-agree.test.js — the wasi module, the Emscripten module and the native build are one
// engine: a scenario (start with variables, complete a user task, run an async job, correlate a
// message, plus an error) run with fixed ids and times gives byte-identical JSON through all three.
//
// The commands are made from the wasi build's own results (task and job ids, state documents);
// the other builds get exactly those command texts. Identical output at every step means each
// build would have made the same commands itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { bpmnToModels } from '../../js/bpmn.js';
import { loadCore } from '../../js/core.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasiPath = join(root, 'dist', 'detour-core.wasm');
const emscriptenPath = join(root, 'dist', 'emscripten', 'detour-core.wasm');
const driverSource = join(root, 'tests', 'c', 'tools', 'detour_driver.c');
const driverPath = join(root, 'build', 'detour-driver');

const NOW = Date.UTC(2026, 0, 1, 9, 0, 0);
const seed = (n) => n.toString(16).padStart(32, '0');

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/builds" id="defs">
  <bpmn:message id="msg" name="goAhead" />
  <bpmn:process id="buildsAgree" name="Builds agree" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" camunda:assignee="\${owner}" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="compute" />
    <bpmn:serviceTask id="compute" camunda:asyncBefore="true" camunda:expression="\${amount * 2}" camunda:resultVariable="doubled" />
    <bpmn:sequenceFlow id="f3" sourceRef="compute" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:messageEventDefinition messageRef="msg" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f4" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** Builds the native driver into build/ when it is missing or older than the sources. */
function nativeDriver() {
  const sources = readdirSync(join(root, 'src')).map((f) => join(root, 'src', f));
  const newest = Math.max(...[...sources, driverSource].map((f) => statSync(f).mtimeMs));
  if (!existsSync(driverPath) || statSync(driverPath).mtimeMs < newest) {
    mkdirSync(dirname(driverPath), { recursive: true });
    const cfiles = sources.filter((f) => f.endsWith('.c'));
    execFileSync(process.env.CC || 'cc', ['-O2', '-std=c11', '-D_DEFAULT_SOURCE', '-Isrc', '-I/usr/include/cjson',
      ...cfiles, driverSource, '-lcjson', '-lm', '-o', driverPath], { cwd: root, stdio: 'inherit' });
  }
  return driverPath;
}

/**
 * Runs the scenario on the wasi core: → {model, steps: [{op, handle?, text}], outputs: [text]}.
 * Each step is what the driver protocol carries; outputs are the core's texts.
 */
async function scenarioOnWasi(core) {
  const [m] = await bpmnToModels(xml);
  const model = JSON.stringify({ definition: { id: 'buildsAgree:1:fixed', key: m.key, name: m.name, version: 1, tenantId: null }, process: m.process });
  const outputs = [];
  const steps = [];
  const compiled = core.compileJSON(model);
  steps.push({ op: 'compile', text: model });
  outputs.push(compiled);
  const handle = JSON.parse(compiled).handle;
  let state;
  let step = 0;
  const run = (command) => {
    const text = JSON.stringify({ ...command, now: NOW + step * 1000, idSeed: seed(++step), ...(state ? { state } : {}) });
    const out = core.executeJSON(handle, text);
    steps.push({ op: 'execute', text });
    outputs.push(out);
    const doc = JSON.parse(out);
    if (doc.state) state = doc.state;
    return doc;
  };

  const started = run({
    command: 'start',
    businessKey: 'order-7',
    variables: {
      owner: { value: 'demo', type: 'String' },
      amount: { value: 21, type: 'Integer' },
      big: { value: 9007199254740991, type: 'Long' },
      ratio: { value: 0.1, type: 'Double' },
      flag: { value: true, type: 'Boolean' },
      when: { value: '2026-01-01T10:00:00.000+0000', type: 'Date' },
      nothing: { value: null, type: 'Null' },
      text: { value: 'Grüße, 世界 \u2028 "quoted"', type: 'String' },
    },
  });
  assert.ok(started.state, `start failed: ${outputs.at(-1)}`);
  run({ command: 'variables' });
  run({ command: 'completeTask', taskId: 'no-such-task' }); // an error, compared too
  const completed = run({ command: 'completeTask', taskId: started.index.tasks[0].id, variables: { approved: { value: true, type: 'Boolean' } } });
  assert.ok(completed.state, `completeTask failed: ${outputs.at(-1)}`);
  run({ command: 'activityInstances' });
  const executed = run({ command: 'executeJob', jobId: completed.index.jobs[0].id });
  assert.ok(executed.state, `executeJob failed: ${outputs.at(-1)}`);
  const correlated = run({ command: 'correlateMessage', messageName: 'goAhead', processVariables: { reply: { value: 'yes', type: 'String' } } });
  assert.equal(correlated.state?.ended, true, `correlateMessage: ${outputs.at(-1)}`);
  return { handle, steps, outputs };
}

async function runOnWasm(path, steps) {
  const core = await loadCore(readFileSync(path));
  let handle;
  return steps.map((s) => {
    if (s.op === 'compile') {
      const out = core.compileJSON(s.text);
      handle = JSON.parse(out).handle;
      return out;
    }
    return core.executeJSON(handle, s.text);
  });
}

function runNative(steps, handleOf) {
  let handle = null;
  const lines = [];
  // The driver answers one line per request; the compile's handle is the one wasi got (the first
  // compile in a fresh core), and the comparison of the compile output checks that.
  for (const s of steps) {
    if (s.op === 'compile') {
      lines.push(`{"op":"compile","doc":${s.text}}`);
      handle = handleOf;
    } else {
      lines.push(`{"op":"execute","handle":${handle},"command":${s.text}}`);
    }
  }
  const out = execFileSync(nativeDriver(), { input: `${lines.join('\n')}\n`, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter((l) => l.length);
}

// A wasm module older than src/ explains a difference better than any diff does.
function staleness(path) {
  const newest = Math.max(...readdirSync(join(root, 'src')).map((f) => statSync(join(root, 'src', f)).mtimeMs));
  return statSync(path).mtimeMs < newest ? ` — note: ${path} is older than src/ (run npm run build / build:emscripten)` : '';
}

function assertSameOutputs(name, expected, actual, steps, hint = '') {
  assert.equal(actual.length, expected.length, `${name}: ${actual.length} results for ${expected.length} steps`);
  for (let i = 0; i < expected.length; i++) {
    assert.equal(actual[i], expected[i], `${name} differs from wasi at step ${i} (${steps[i].text.slice(0, 80)})${hint}`);
  }
}

test('the wasi, Emscripten and native builds give identical JSON for one scenario', async (t) => {
  assert.ok(existsSync(wasiPath), `${wasiPath} is missing: run npm run build`);
  const wasi = await loadCore(readFileSync(wasiPath));
  const { handle, steps, outputs } = await scenarioOnWasi(wasi);

  // The wasi build agrees with itself in a fresh instance (ids and times come only from the commands).
  assertSameOutputs('a second wasi instance', outputs, await runOnWasm(wasiPath, steps), steps);

  await t.test('the native build agrees', () => {
    assertSameOutputs('native', outputs, runNative(steps, handle), steps, staleness(wasiPath));
  });

  await t.test('the Emscripten build agrees', { skip: existsSync(emscriptenPath) ? false : `${emscriptenPath} is absent: run npm run build:emscripten (npm test does)` }, async () => {
    assertSameOutputs('emscripten', outputs, await runOnWasm(emscriptenPath, steps), steps, staleness(emscriptenPath) || staleness(wasiPath));
  });
});
