// service.test.js — `node js/main.js` as `npm start` runs it: the one start line, REST served, jobs
// run by its executor, a clean stop on SIGTERM / SIGINT with a request in flight answered, and a
// one-line message with exit 1 when it cannot start (bad DETOUR_DB, port taken, bad variable).
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { loadCore } from '../../js/core.js';
import { Engine } from '../../js/engine.js';
import { openStore } from '../../js/store/open.js';
import { freePort, spawnMain, startMain, waitFor } from './service-process.js';
import { coreModule } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'detour-service-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let dbs = 0;
const newDb = () => `sqlite:${join(dir, `detour-${++dbs}.db`)}`;

const asyncXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://detour.test/service" id="defs_serviceAsync">
  <bpmn:process id="serviceAsync" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:task id="work" camunda:asyncBefore="true" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe('npm start (node js/main.js)', () => {
  test('logs one start line, serves REST and runs due jobs; SIGTERM answers the request in flight and exits 0', async () => {
    const db = newDb();
    const service = await startMain({ DETOUR_DB: db });
    try {
      assert.equal(service.line, `detour: serving http://localhost:${service.port}/engine-rest (store ${db}, job executor on)`);
      assert.deepEqual(await service.api.get('/engine'), { status: 200, body: [{ name: 'default' }] });
      const status = (await service.api.get('/detour/job-executor')).body;
      assert.equal(status.running, true);
      assert.match(status.lockOwner, new RegExp(`:${service.child.pid}:[0-9a-f]{8}$`));

      // An instance started by another engine on the same file: the service's executor runs its job.
      const store = await openStore(db);
      const engine = new Engine({ core: await loadCore(coreModule), store });
      await engine.deploy(asyncXml);
      const pi = await engine.startProcessInstanceByKey('serviceAsync');
      await waitFor('the job', async () => (await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state === 'COMPLETED');
      assert.equal((await service.api.get('/detour/job-executor')).body.executed, 1);
      engine.close();
      await store.close();

      // A request whose body is still coming when SIGTERM arrives is answered, then the process exits 0.
      const inFlight = slowRequest(service.port, '/engine-rest/version');
      await inFlight.sent;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the server has the request
      service.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(service.child.exitCode, null, 'still waiting for the request in flight');
      inFlight.finish();
      const answer = await inFlight.response;
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), { version: '7.24.0' });
      assert.deepEqual(await service.exited, { code: 0, signal: null });
      assert.equal(service.stdout().trim().split('\n').length, 1, 'one line per start');
      assert.equal(service.stderr(), '');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  test('SIGINT stops it too; DETOUR_JOB_EXECUTOR=off leaves jobs alone', async () => {
    const service = await startMain({ DETOUR_DB: newDb(), DETOUR_JOB_EXECUTOR: 'off' });
    assert.match(service.line, /job executor off\)$/);
    assert.equal((await service.api.get('/detour/job-executor')).body.running, false);
    service.child.kill('SIGINT');
    assert.deepEqual(await service.exited, { code: 0, signal: null });
  });

  test('a DETOUR_DB it cannot open: exit 1 with one line, and no password in it', async () => {
    const unknown = spawnMain({ PORT: String(await freePort()), DETOUR_DB: 'mysql://root:secret@localhost/detour' });
    assert.deepEqual(await unknown.exited, { code: 1, signal: null });
    assert.match(unknown.stderr(), /^detour: cannot open the store mysql:\/\/root:\*\*\*@localhost\/detour: .*unknown store URL scheme 'mysql:'.*\n$/);
    assert.equal(unknown.stdout(), '');

    const refused = spawnMain({ PORT: String(await freePort()), DETOUR_DB: `postgres://detour:secret@127.0.0.1:${await freePort()}/detour` });
    assert.deepEqual(await refused.exited, { code: 1, signal: null });
    assert.match(refused.stderr(), /^detour: cannot open the store postgres:\/\/detour:\*\*\*@127\.0\.0\.1:\d+\/detour: .+\n$/);
    assert.doesNotMatch(refused.stderr(), /secret/);
  });

  test('a port in use: exit 1 with one line', async () => {
    const blocker = createServer();
    await new Promise((resolve) => blocker.listen(0, resolve));
    try {
      const { port } = blocker.address();
      const proc = spawnMain({ PORT: String(port), DETOUR_DB: newDb() });
      assert.deepEqual(await proc.exited, { code: 1, signal: null });
      assert.equal(proc.stderr(), `detour: port ${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  test('a malformed variable: exit 1 naming it', async () => {
    for (const [env, message] of [
      [{ PORT: 'http' }, "detour: PORT must be an integer from 0 to 65535, not 'http'\n"],
      [{ DETOUR_JOB_EXECUTOR: 'maybe' }, "detour: DETOUR_JOB_EXECUTOR must be on or off, not 'maybe'\n"],
      [{ DETOUR_JOB_LOCK_MS: '0' }, `detour: DETOUR_JOB_LOCK_MS must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}, not '0'\n`],
    ]) {
      const proc = spawnMain({ DETOUR_DB: newDb(), ...env });
      assert.deepEqual(await proc.exited, { code: 1, signal: null });
      assert.equal(proc.stderr(), message);
    }
  });
});

/** A GET whose (chunked) body is sent in two parts: → {sent, finish(), response: {status, body}}. */
function slowRequest(port, path) {
  const headers = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
  const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers });
  const response = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
  });
  const sent = new Promise((resolve) => req.write('{"part', resolve));
  return { sent, finish: () => req.end('": 1}'), response };
}
