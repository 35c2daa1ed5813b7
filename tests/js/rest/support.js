// rest/support.js — what the REST tests share: a service (Engine + REST server on a free
// loopback port) over each store under test, a small HTTP client, an assertion on error bodies
// and setup over REST (deploy, start, suspend). Checks against the OpenAPI document: openapi.js.
//
// describeRest(title, fn) runs the same suite once per store: SQLite (a temp file) and PostgreSQL
// (a database in a throw-away cluster started once per test file). DETOUR_TEST_STORES narrows
// the list (e.g. "sqlite" or "memory,sqlite"); DETOUR_SKIP_POSTGRES=1 drops PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadCore } from '../../../js/core.js';
import { Engine } from '../../../js/engine.js';
import { startRestServer } from '../../../js/rest/server.js';
import { CONFLICT_RETRIES } from '../../../js/service.js';
import { MemoryStore } from '../../../js/store/memory.js';
import { coreModule, fixture, T0 } from '../support.js';

export { fixture, T0 };

export function storesUnderTest() {
  const wanted = (process.env.DETOUR_TEST_STORES ?? 'sqlite,postgres').split(',').filter(Boolean);
  return process.env.DETOUR_SKIP_POSTGRES === '1' ? wanted.filter((s) => s !== 'postgres') : wanted;
}

let cluster; // one PostgreSQL cluster per test file, a database per suite
let databases = 0;

async function openTestStore(kind) {
  if (kind === 'memory') return { store: new MemoryStore(), dispose: async () => {} };
  const { openStore } = await import('../../../js/store/open.js');
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'detour-rest-'));
    const store = await openStore(`sqlite:${join(dir, 'detour.db')}`);
    return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  if (kind === 'postgres') {
    const { startPostgres } = await import('../../support/postgres.js');
    cluster ??= await startPostgres();
    const url = await createDatabase(cluster, `detour_${process.pid}_${++databases}`);
    const store = await openStore(url);
    return { store, dispose: async () => store.close() };
  }
  throw new Error(`unknown store '${kind}'`);
}

// A fresh database in the cluster, so the suites of one file do not see each other's rows.
async function createDatabase(server, name) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return server.url.replace(/\/postgres$/, `/${name}`);
}

/** A clock the tests move: starts at T0, advance(ms). */
export function testClock(start = T0) {
  const clock = { now: start, advance: (ms) => (clock.now += ms), read: () => clock.now };
  return clock;
}

/**
 * Starts a service over `kind` → {api, engine, store, clock, url, close()}. Options: clock (a
 * testClock, default a fresh one), services (passed to the REST handler), engine (further Engine
 * options, e.g. {batch: {batchJobsPerSeed}}).
 */
export async function startService(kind, { clock = testClock(), services = {}, engine: engineOptions = {} } = {}) {
  const { store, dispose } = await openTestStore(kind);
  const core = await loadCore(coreModule);
  const engine = new Engine({ core, store, clock: clock.read, conflictRetries: CONFLICT_RETRIES, ...engineOptions });
  const rest = await startRestServer({ engine, services, port: 0, host: '127.0.0.1', log: () => {} });
  const url = `http://127.0.0.1:${rest.port}/engine-rest`;
  return {
    api: client(url),
    engine,
    store,
    clock,
    url,
    async close() {
      await rest.close();
      engine.close();
      await dispose();
    },
  };
}

/**
 * describeRest(title, (ctx) => { it(...) }): the suite once per store. `ctx` is filled before the
 * tests run: ctx.api, ctx.engine, ctx.clock, ctx.store, ctx.kind.
 */
export function describeRest(title, body, options = {}) {
  for (const kind of storesUnderTest()) {
    describe(`${title} [${kind}]`, () => {
      const ctx = { kind };
      before(async () => Object.assign(ctx, await startService(kind, options)));
      after(async () => ctx.close?.()); // the PostgreSQL cluster stops when the process exits
      body(ctx);
    });
  }
}

/** An HTTP client for the REST API: api.get(path), api.post(path, json), put, delete, deploy. */
export function client(baseUrl) {
  const call = async (method, path, body, headers = {}) => {
    const init = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' || body instanceof FormData ? body : JSON.stringify(body);
      if (!(body instanceof FormData)) init.headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  return {
    baseUrl,
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body ?? {}, headers),
    put: (path, body) => call('PUT', path, body ?? {}),
    delete: (path) => call('DELETE', path),
    call,
    /** POST /deployment/create with one BPMN resource → the response. */
    deploy: (xml, { name = 'test', resourceName = 'process.bpmn', fields = {} } = {}) => {
      const form = new FormData();
      form.set('deployment-name', name);
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set('data', new Blob([xml], { type: 'application/octet-stream' }), resourceName);
      return call('POST', '/deployment/create', form);
    },
  };
}

/** Asserts an error answer: its status, and the body's type, message and (when given) code. */
export function assertError(response, status, type, message, code) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.body.type, type);
  assert.equal(response.body.message, message);
  if (code !== undefined) assert.equal(response.body.code, code);
}

/** A BPMN document with one user-task process `key` (name, versionTag, startable flag as given). */
export function processXml(key, { name = key, versionTag, startable } = {}) {
  const attrs = [versionTag ? ` camunda:versionTag="${versionTag}"` : '', startable === false ? ' camunda:isStartableInTasklist="false"' : ''].join('');
  return fixture('user-task.bpmn')
    .replace('id="userTaskProcess" name="User task"', `id="${key}" name="${name}"${attrs}`)
    .replace('id="Definitions_userTask"', `id="Definitions_${key}"`);
}

// --- setup over REST ------------------------------------------------------------------------------
// POST /deployment/create, then POST /process-definition/{id}/start of the definition `key` the
// suite deployed last (a tenant's definition has no key-only start route). A setup call that
// fails fails the test. (The history tests have their own, by fixture name: history-setup.js.)

const deployed = new WeakMap(); // suite ctx → Map(`${key}/${tenantId}` → latest deployed definition id)

/** Deploys BPMN `xml` (for a tenant) → DeploymentWithDefinitionsDto. */
export async function deploy(ctx, xml, { tenantId = null } = {}) {
  const res = await ctx.api.deploy(xml, tenantId ? { fields: { 'tenant-id': tenantId } } : {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
  if (!deployed.has(ctx)) deployed.set(ctx, new Map());
  for (const d of Object.values(res.body.deployedProcessDefinitions)) deployed.get(ctx).set(`${d.key}/${tenantId}`, d.id);
  return res.body;
}

/** Starts the definition `key` (of `tenantId`) deployed last → ProcessInstanceDto. */
export async function start(ctx, key, { businessKey, variables, tenantId = null } = {}) {
  const id = deployed.get(ctx)?.get(`${key}/${tenantId}`);
  assert.ok(id, `no definition ${key} (tenant ${tenantId}) deployed in this suite`);
  const res = await ctx.api.post(`/process-definition/${encodeURIComponent(id)}/start`, { businessKey, variables });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** PUT /process-instance/{id}/suspended {suspended: true}. */
export async function suspend(ctx, processInstanceId) {
  const res = await ctx.api.put(`/process-instance/${processInstanceId}/suspended`, { suspended: true });
  assert.equal(res.status, 204, JSON.stringify(res.body));
}

/** tests/fixtures/bpmn/two-tasks.bpmn (start → user task `a` → user task `b` → end) as process `key`. */
export function twoTasksXml(key) {
  return fixture('two-tasks.bpmn').replace('id="twoTasks"', `id="${key}"`).replace('id="Definitions_twoTasks"', `id="Definitions_${key}"`);
}
