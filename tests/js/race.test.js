// race.test.js — 50 concurrent commands on one process instance through REST lose nothing: task
// completions of a parallel multi-instance user task, and updates of 50 different variables. Over
// SQLite and PostgreSQL, with one service and with two services on one database.
//
// One instance is one document in Detour, so commands Camunda applies to different rows conflict
// here. The service keeps Camunda's outcome (README, "The service"): commands on one
// instance queue up within a service, and one that loses an optimistic lock to another service
// is re-run on a fresh read (Engine conflictRetries). The clients still retry on Camunda's
// OptimisticLockingException answer (500, code 1), as Camunda clients do; the test counts both.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { startService } from '../../js/service.js';
import { skipPostgres, startPostgres } from '../support/postgres.js';
import { client } from './service-process.js';

const N = 50;

const definitions = (body, id) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://detour.test/race" id="defs_${id}">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    ${body}
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

// N user tasks at once (parallel multi-instance), and one user task to hold an instance open.
const tasksXml = definitions(`<bpmn:userTask id="task">
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">${N}</bpmn:loopCardinality>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>`, 'raceTasks');
const waitXml = definitions('<bpmn:userTask id="task" />', 'raceVariables');

const dir = mkdtempSync(join(tmpdir(), 'detour-race-'));
let cluster;
after(() => {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// Without PostgreSQL these fail (startPostgres says why): CI must run them.
const STORES = {
  sqlite: { skip: false, db: async (name) => `sqlite:${join(dir, `${name}.db`)}` },
  postgres: {
    skip: skipPostgres ? 'DETOUR_SKIP_POSTGRES=1' : false,
    // one cluster for the file; each suite on the same database is fine: its definitions are its own
    db: async () => (cluster ??= await startPostgres()).url,
  },
};

for (const [kind, { skip, db }] of Object.entries(STORES)) {
  for (const nodeCount of [1, 2]) {
    describe(`${N} concurrent commands on one instance [${kind}, ${nodeCount} service${nodeCount > 1 ? 's' : ''}]`, { skip }, () => {
      test('task completions: every task completes, every variable they set stays', async (t) => {
        await withServices(await db(`tasks-${nodeCount}`), nodeCount, async (nodes, counts) => {
          const key = await deployNew(nodes[0], tasksXml, 'raceTasks');
          const pi = await nodes[0].engine.startProcessInstanceByKey(key);
          const tasks = (await nodes[0].api.get(`/task?processInstanceId=${pi.id}`)).body;
          assert.equal(tasks.length, N);

          const complete = (task, i) => counts.call(nodes[i % nodeCount].api, 'post', `/task/${task.id}/complete`, {
            variables: { [`done${i}`]: { value: i, type: 'Integer' } },
          });
          const answers = await Promise.all(tasks.map(complete));
          assert.deepEqual(answers.filter((a) => a.status !== 204), []);

          const engine = nodes[0].engine;
          assert.equal((await engine.historicProcessInstances({ processInstanceId: pi.id }))[0].state, 'COMPLETED');
          const done = await engine.historicTaskInstances({ processInstanceId: pi.id });
          assert.equal(done.filter((h) => h.endTime != null && h.deleteReason === 'completed').length, N);
          const vars = await engine.historicVariableInstances({ processInstanceId: pi.id });
          const byName = Object.fromEntries(vars.filter((v) => v.name.startsWith('done')).map((v) => [v.name, v.value]));
          assert.deepEqual(byName, Object.fromEntries(tasks.map((_, i) => [`done${i}`, i])));
          t.diagnostic(counts.report());
        });
      });

      test('variable updates: all of them are there at the end', async (t) => {
        await withServices(await db(`variables-${nodeCount}`), nodeCount, async (nodes, counts) => {
          const key = await deployNew(nodes[0], waitXml, 'raceVariables');
          const pi = await nodes[0].engine.startProcessInstanceByKey(key);

          const names = Array.from({ length: N }, (_, i) => `var${i}`);
          const answers = await Promise.all(names.map((name, i) =>
            counts.call(nodes[i % nodeCount].api, 'put', `/process-instance/${pi.id}/variables/${name}`, { value: i, type: 'Integer' })));
          assert.deepEqual(answers.filter((a) => a.status !== 204), []);

          const { status, body } = await nodes[nodeCount - 1].api.get(`/process-instance/${pi.id}/variables`);
          assert.equal(status, 200);
          assert.deepEqual(
            Object.fromEntries(Object.entries(body).map(([name, v]) => [name, v.value])),
            Object.fromEntries(names.map((name, i) => [name, i])),
          );
          t.diagnostic(counts.report());
        });
      });
    });
  }
}

/**
 * Runs fn(nodes, counts) with `count` services on `db` (job executors off: nothing here is a job),
 * each node {engine, api}; counts.call() is a client call that retries on Camunda's optimistic
 * locking answer, counting those retries beside the engines' own.
 */
async function withServices(db, count, fn) {
  const services = [];
  try {
    for (let i = 0; i < count; i++) services.push(await startService({ db, port: 0, host: '127.0.0.1', jobExecutor: false, log: () => {} }));
    const nodes = services.map((s) => ({ engine: s.engine, api: client(s.url) }));
    let clientRetries = 0;
    const counts = {
      async call(api, method, path, body) {
        for (let attempt = 1; ; attempt++) {
          const answer = await api[method](path, body);
          if (!(answer.status === 500 && answer.body?.code === 1) || attempt === 100) return answer;
          clientRetries++;
        }
      },
      report() {
        const engineRetries = services.map((s) => s.engine.retriedConflicts ?? 0);
        return `retries: in the engines ${engineRetries.join(' + ')}, by the clients ${clientRetries}`;
      },
    };
    await fn(nodes, counts);
  } finally {
    for (const s of services) await s.close();
  }
}

let deployments = 0;

// Deploys `xml` through REST under a fresh key (suites may share a database). → the key.
async function deployNew(node, xml, key) {
  const fresh = `${key}${++deployments}`;
  const form = new FormData();
  form.set('deployment-name', fresh);
  form.set('data', new Blob([xml.replaceAll(`"${key}"`, `"${fresh}"`)], { type: 'application/octet-stream' }), `${fresh}.bpmn`);
  const res = await fetch(`${node.api.baseUrl}/deployment/create`, { method: 'POST', body: form });
  assert.equal(res.status, 200, await res.clone().text());
  return fresh;
}
