// Deployments over HTTP: POST /deployment/create (multipart: settings, resources, duplicate
// filtering, activation time, parse errors, limits), the query and count, one deployment, its
// resources and their data, and DELETE /deployment/{id}.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { checkJavaOnly, checkResponse } from './openapi.js';
import { describeRest, fixture, processXml } from './support.js';

const HOUR = 3600 * 1000;

describeRest('deployments', (ctx) => {
  /** POST /deployment/create with settings and files [{name (file name), content, part, type}]. */
  const create = async (fields = {}, files = [], options = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    files.forEach((f, i) => form.append(f.part ?? `data${i}`, new Blob([f.content], { type: f.type ?? 'application/octet-stream' }), f.name));
    return checkResponse('POST', '/deployment/create', await ctx.api.call('POST', '/deployment/create', form), options);
  };
  const get = async (path, template, options) => checkResponse('GET', template, await ctx.api.get(path), options);
  const names = (list) => list.map((d) => d.name);

  it('creates a deployment with a self link, its process definitions and null for the other kinds', async () => {
    const r = await create({ 'deployment-name': 'single' }, [{ name: 'invoice.bpmn', content: processXml('invoice') }]);
    assert.equal(r.status, 200);
    const d = r.body;
    assert.deepEqual(d.links, [{ method: 'GET', href: `${ctx.url}/deployment/${d.id}`, rel: 'self' }]);
    assert.equal(d.name, 'single');
    assert.equal(d.source, null);
    assert.equal(d.tenantId, null);
    assert.equal(d.deploymentTime, '2026-01-01T09:00:00.000+0000');
    assert.equal(d.deployedCaseDefinitions, null);
    assert.equal(d.deployedDecisionDefinitions, null);
    assert.equal(d.deployedDecisionRequirementsDefinitions, null);
    const [def] = Object.values(d.deployedProcessDefinitions);
    assert.match(def.id, /^invoice:1:/);
    assert.deepEqual({ ...def, id: undefined }, {
      id: undefined,
      key: 'invoice',
      category: null,
      description: null,
      name: 'invoice',
      version: 1,
      resource: 'invoice.bpmn',
      deploymentId: d.id,
      diagram: null,
      suspended: false,
      tenantId: null,
      versionTag: null,
      historyTimeToLive: 180,
      startableInTasklist: true,
    });
    assert.deepEqual(Object.keys(d.deployedProcessDefinitions), [def.id]);
  });

  it('deploys several resources: only .bpmn and .bpmn20.xml hold processes, the others are stored', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe]);
    const r = await create({ 'deployment-name': 'several', 'deployment-source': 'cockpit', 'tenant-id': 'acme' }, [
      { name: 'a.bpmn', content: processXml('severalA') },
      { name: 'b.bpmn20.xml', content: processXml('severalB') },
      { name: 'not-a-process.xml', content: processXml('severalC') },
      { name: 'docs/readme.txt', content: 'hello' },
      { name: 'diagram.png', content: png, type: 'image/png' },
    ]);
    assert.equal(r.status, 200);
    assert.equal(r.body.source, 'cockpit');
    assert.equal(r.body.tenantId, 'acme');
    const defs = Object.values(r.body.deployedProcessDefinitions);
    assert.deepEqual(defs.map((d) => [d.key, d.resource, d.tenantId]).sort(), [['severalA', 'a.bpmn', 'acme'], ['severalB', 'b.bpmn20.xml', 'acme']]);

    const resources = await get(`/deployment/${r.body.id}/resources`, '/deployment/{id}/resources');
    assert.equal(resources.status, 200);
    assert.deepEqual(resources.body.map((x) => x.name), ['a.bpmn', 'b.bpmn20.xml', 'not-a-process.xml', 'docs/readme.txt', 'diagram.png']);
    assert.ok(resources.body.every((x) => x.deploymentId === r.body.id && typeof x.id === 'string'));

    const byName = Object.fromEntries(resources.body.map((x) => [x.name, x]));
    const one = await get(`/deployment/${r.body.id}/resources/${byName['docs/readme.txt'].id}`, '/deployment/{id}/resources/{resourceId}');
    assert.deepEqual(one.body, byName['docs/readme.txt']);

    const data = async (name) => {
      const res = await fetch(`${ctx.url}/deployment/${r.body.id}/resources/${byName[name].id}/data`);
      checkResponse('GET', '/deployment/{id}/resources/{resourceId}/data', { status: res.status, body: undefined });
      return res;
    };
    const image = await data('diagram.png');
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.equal(image.headers.get('content-disposition'), 'attachment; filename=diagram.png');
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png);
    const text = await data('docs/readme.txt');
    assert.equal(text.headers.get('content-type'), 'text/plain');
    assert.equal(text.headers.get('content-disposition'), 'attachment; filename=readme.txt');
    assert.equal(await text.text(), 'hello');
    const bpmn = await data('a.bpmn');
    assert.equal(bpmn.headers.get('content-type'), 'application/xml');
    assert.equal(await bpmn.text(), processXml('severalA'));
  });

  it('answers deployedProcessDefinitions null when no resource holds an executable process', async () => {
    const r = await create({ 'deployment-name': 'no-processes' }, [{ name: 'notes.txt', content: 'nothing to run' }]);
    assert.equal(r.status, 200);
    assert.equal(r.body.deployedProcessDefinitions, null);
  });

  it('counts versions per key and tenant', async () => {
    const first = await create({ 'deployment-name': 'versions' }, [{ name: 'v.bpmn', content: processXml('versioned') }]);
    const second = await create({ 'deployment-name': 'versions' }, [{ name: 'v.bpmn', content: processXml('versioned') }]);
    const tenant = await create({ 'deployment-name': 'versions', 'tenant-id': 't1' }, [{ name: 'v.bpmn', content: processXml('versioned') }]);
    const version = (r) => Object.values(r.body.deployedProcessDefinitions)[0].version;
    assert.deepEqual([version(first), version(second), version(tenant)], [1, 2, 1]);
    assert.notEqual(first.body.id, second.body.id);
  });

  it('with duplicate filtering answers the existing deployment when nothing changed', async () => {
    const files = [{ name: 'dup.bpmn', content: processXml('dupProcess') }];
    const original = await create({ 'deployment-name': 'dup' }, files);
    const again = await create({ 'deployment-name': 'dup', 'enable-duplicate-filtering': 'true' }, files);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, original.body.id);
    assert.equal(again.body.deployedProcessDefinitions, null);
    assert.deepEqual(again.body.links, [{ method: 'GET', href: `${ctx.url}/deployment/${original.body.id}`, rel: 'self' }]);
    // Boolean.parseBoolean: "TRUE" counts, anything but "true" does not
    assert.equal((await create({ 'deployment-name': 'dup', 'enable-duplicate-filtering': 'TRUE' }, files)).body.id, original.body.id);
    const unfiltered = await create({ 'deployment-name': 'dup', 'enable-duplicate-filtering': 'yes' }, files);
    assert.notEqual(unfiltered.body.id, original.body.id);

    // a changed resource, another name or another source make a new deployment
    const changed = await create({ 'deployment-name': 'dup', 'enable-duplicate-filtering': 'true' }, [{ name: 'dup.bpmn', content: processXml('dupProcess', { name: 'Changed' }) }]);
    assert.notEqual(changed.body.id, unfiltered.body.id);
    assert.equal(Object.values(changed.body.deployedProcessDefinitions)[0].version, 3);
    const otherName = await create({ 'deployment-name': 'dup2', 'enable-duplicate-filtering': 'true' }, files);
    assert.ok(otherName.body.deployedProcessDefinitions);
    const sourced = await create({ 'deployment-name': 'dup2', 'deployment-source': 's1', 'enable-duplicate-filtering': 'true' }, files);
    assert.equal(sourced.body.id, otherName.body.id, 'a deployment without source is compared with');
    const sourcedAgain = await create({ 'deployment-name': 'dup2', 'deployment-source': 's2', 'enable-duplicate-filtering': 'true' }, files);
    assert.equal(sourcedAgain.body.id, otherName.body.id);
  });

  it('with deploy-changed-only deploys only the changed resources', async () => {
    const a = { name: 'a.bpmn', content: processXml('changedOnlyA') };
    const b = { name: 'b.bpmn', content: processXml('changedOnlyB') };
    const first = await create({ 'deployment-name': 'changed-only' }, [a, b]);
    const b2 = { name: 'b.bpmn', content: processXml('changedOnlyB', { name: 'B2' }) };
    const second = await create({ 'deployment-name': 'changed-only', 'deploy-changed-only': 'true' }, [a, b2]);
    assert.notEqual(second.body.id, first.body.id);
    assert.deepEqual(Object.values(second.body.deployedProcessDefinitions).map((d) => [d.key, d.version]), [['changedOnlyB', 2]]);
    const resources = await get(`/deployment/${second.body.id}/resources`, '/deployment/{id}/resources');
    assert.deepEqual(resources.body.map((x) => x.name), ['b.bpmn']);
    // nothing changed: the latest deployment of those resources
    const third = await create({ 'deployment-name': 'changed-only', 'deploy-changed-only': 'true' }, [b2]);
    assert.equal(third.body.id, second.body.id);
    assert.equal(third.body.deployedProcessDefinitions, null);
  });

  it('keeps the definitions of a deployment-activation-time suspended until then', async () => {
    const at = new Date(ctx.clock.now + HOUR).toISOString().replace('Z', '+0000');
    const r = await create({ 'deployment-name': 'later', 'deployment-activation-time': at }, [{ name: 'later.bpmn', content: processXml('activatedLater') }]);
    assert.equal(r.status, 200);
    const [def] = Object.values(r.body.deployedProcessDefinitions);
    assert.equal(def.suspended, true);
    const started = await ctx.api.post(`/process-definition/${def.id}/start`, {});
    checkResponse('POST', '/process-definition/{id}/start', started);
    assert.equal(started.status, 500);
    ctx.clock.advance(HOUR);
    const now = await get(`/process-definition/${def.id}`, '/process-definition/{id}');
    assert.equal(now.body.suspended, false);
    const again = await ctx.api.post(`/process-definition/${def.id}/start`, {});
    assert.equal(checkResponse('POST', '/process-definition/{id}/start', again).status, 200);
    // an empty activation time is none
    const plain = await create({ 'deployment-name': 'later', 'deployment-activation-time': '' }, [{ name: 'x.bpmn', content: processXml('activatedAtOnce') }]);
    assert.equal(Object.values(plain.body.deployedProcessDefinitions)[0].suspended, false);
  });

  it('rejects a form without resources, a resource part without a file name and a bad activation time', async () => {
    const none = await create({ 'deployment-name': 'empty' }, []);
    assert.equal(none.status, 400);
    assert.deepEqual(none.body, { type: 'InvalidRequestException', message: 'No deployment resources contained in the form upload.', code: null });

    const form = new FormData();
    form.set('deployment-name', 'nameless');
    form.set('data', 'not a file');
    const nameless = checkResponse('POST', '/deployment/create', await ctx.api.call('POST', '/deployment/create', form));
    assert.equal(nameless.status, 400);
    assert.equal(nameless.body.message, "No file name found in the deployment resource described by form parameter 'null'.");

    const bad = await create({ 'deployment-activation-time': 'tomorrow' }, [{ name: 'a.bpmn', content: processXml('badActivation') }]);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { type: 'InvalidRequestException', message: 'Invalid format: "tomorrow"', code: null });
  });

  it('answers invalid BPMN with a ParseException naming the resource, and deploys nothing', async () => {
    const before = (await ctx.api.get('/deployment/count')).body.count;
    const malformed = await create({ 'deployment-name': 'broken' }, [
      { name: 'good.bpmn', content: processXml('goodBeforeBroken') },
      { name: 'broken.bpmn', content: fixture('malformed.bpmn') },
    ]);
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.type, 'ParseException');
    assert.equal(malformed.body.code, 0);
    assert.match(malformed.body.message, /^ENGINE-09005 Could not parse BPMN process/);
    const [problem] = malformed.body.details['broken.bpmn'].errors;
    assert.equal(problem.message, malformed.body.message);
    assert.equal(problem.line, 4);
    assert.deepEqual(malformed.body.details['broken.bpmn'].warnings, []);

    const unsupported = await create({}, [{ name: 'call.bpmn', content: fixture('unsupported-call-activity.bpmn') }]);
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.message, "Unsupported BPMN element 'callActivity' with id 'callSub'");
    assert.equal(unsupported.body.details['call.bpmn'].errors[0].mainElementId, 'callSub');
    assert.deepEqual(unsupported.body.details['call.bpmn'].errors[0].elementIds, ['callSub']);

    assert.equal((await ctx.api.get('/deployment/count')).body.count, before);
    const defs = await ctx.api.get('/process-definition?key=goodBeforeBroken');
    assert.deepEqual(defs.body, []);
  });

  it('refuses two processes with one key in a deployment', async () => {
    const r = await create({}, [{ name: 'a.bpmn', content: processXml('twice') }, { name: 'b.bpmn', content: processXml('twice') }], { javaOnly: true });
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { type: 'ProcessEngineException', message: "The deployment contains definitions with the same key 'twice' (id attribute), this is not allowed", code: 0 });
  });

  it('refuses an upload over the body limit and anything but multipart/form-data', async () => {
    const big = await create({ 'deployment-name': 'big' }, [{ name: 'big.txt', content: 'x'.repeat(17 * 1024 * 1024) }]);
    assert.equal(big.status, 400);
    assert.match(big.body.message, /exceeds the limit/);
    assert.equal((await ctx.api.get('/version')).status, 200);
    const json = await ctx.api.post('/deployment/create', { 'deployment-name': 'json' });
    assert.equal(json.status, 415);
  });

  it('stops reading a streamed upload (no content-length) once it passes the limit', async () => {
    const boundary = 'detourBoundary';
    const text = new TextEncoder();
    const megabyte = new Uint8Array(1024 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent === 0) controller.enqueue(text.encode(`--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="big.txt"\r\n\r\n`));
        if (sent++ < 17) return controller.enqueue(megabyte);
        controller.enqueue(text.encode(`\r\n--${boundary}--\r\n`));
        controller.close();
      },
    });
    const res = await fetch(`${ctx.url}/deployment/create`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const r = checkResponse('POST', '/deployment/create', { status: res.status, body: await res.json() });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Request body exceeds the limit of 16777216 bytes');
  });

  it('lists and counts deployments with filters, sorting and paging', async () => {
    ctx.clock.advance(HOUR);
    const t1 = ctx.clock.now;
    const a = await create({ 'deployment-name': 'query-a', 'deployment-source': 'src' }, [{ name: 'q.txt', content: 'a' }]);
    ctx.clock.advance(1000);
    const b = await create({ 'deployment-name': 'query-b', 'tenant-id': 'tq' }, [{ name: 'q.txt', content: 'b' }]);
    ctx.clock.advance(1000);
    const c = await create({ 'deployment-name': 'query-c', 'tenant-id': 'tr' }, [{ name: 'q.txt', content: 'c' }]);
    const list = async (query) => {
      const r = await get(`/deployment?${query}`, '/deployment');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const count = await get(`/deployment/count?${query}`, '/deployment/count');
      assert.equal(count.body.count, r.body.length);
      return r.body;
    };
    const iso = (ms) => new Date(ms).toISOString().replace('Z', '+0000');
    assert.deepEqual(names(await list(`id=${a.body.id}`)), ['query-a']);
    assert.deepEqual(names(await list('name=query-b')), ['query-b']);
    assert.deepEqual(names(await list('nameLike=query-%25&sortBy=name&sortOrder=asc')), ['query-a', 'query-b', 'query-c']);
    assert.deepEqual(names(await list('nameLike=query-%25&sortBy=name&sortOrder=desc')), ['query-c', 'query-b', 'query-a']);
    assert.deepEqual(names(await list('source=src')), ['query-a']);
    assert.ok(!names(await list('withoutSource=true')).includes('query-a'));
    assert.deepEqual(names(await list('tenantIdIn=tq,tr&sortBy=tenantId&sortOrder=desc')), ['query-c', 'query-b']);
    const withNull = names(await list('tenantIdIn=tq&includeDeploymentsWithoutTenantId=true'));
    assert.ok(withNull.includes('query-b') && withNull.includes('query-a') && !withNull.includes('query-c'));
    assert.ok(!names(await list('withoutTenantId=true')).includes('query-b'));
    assert.deepEqual(names(await list(`after=${encodeURIComponent(iso(t1))}&sortBy=deploymentTime&sortOrder=asc`)), ['query-b', 'query-c']);
    assert.deepEqual(names(await list(`after=${encodeURIComponent(iso(t1 - 1))}&before=${encodeURIComponent(iso(t1 + 2000))}&sortBy=name&sortOrder=asc`)), ['query-a', 'query-b']);
    const all = await list('nameLike=query-%25&sortBy=deploymentTime&sortOrder=desc');
    assert.deepEqual(names(all), ['query-c', 'query-b', 'query-a']);
    assert.equal(all[0].deploymentTime, iso(t1 + 2000));
    assert.deepEqual(all[0], { links: [], id: c.body.id, name: 'query-c', source: null, deploymentTime: iso(t1 + 2000), tenantId: 'tr' });
    const paged = await get('/deployment?nameLike=query-%25&sortBy=name&sortOrder=asc&firstResult=1&maxResults=1', '/deployment');
    assert.deepEqual(names(paged.body), ['query-b']);
    // without sortBy: by id, as Camunda
    const ids = (await list('nameLike=query-%25')).map((d) => d.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(b.body.id);
  });

  it('rejects bad query parameters with Camunda messages', async () => {
    const cases = [
      ['sortBy=nope&sortOrder=asc', 'sortBy parameter has invalid value: nope'],
      ['sortBy=name&sortOrder=up', 'sortOrder parameter has invalid value: up'],
      ['sortBy=name', 'Only a single sorting parameter specified. sortBy and sortOrder required'],
      ['after=yesterday', "Cannot set query parameter 'after' to value 'yesterday': Cannot convert value \"yesterday\" to java type java.util.Date"],
      ['firstResult=x', "Cannot set query parameter 'firstResult' to value 'x'"],
    ];
    for (const [query, message] of cases) {
      const r = await get(`/deployment?${query}`, '/deployment');
      assert.equal(r.status, 400, query);
      assert.deepEqual(r.body, { type: 'InvalidRequestException', message, code: null });
    }
    const count = await get('/deployment/count?sortBy=nope&sortOrder=asc', '/deployment/count');
    assert.equal(count.status, 400);
  });

  it('gets one deployment, or 404 with Camunda message', async () => {
    const d = await create({ 'deployment-name': 'one' }, [{ name: 'one.txt', content: '1' }]);
    const r = await get(`/deployment/${d.body.id}`, '/deployment/{id}');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { links: [], id: d.body.id, name: 'one', source: null, deploymentTime: d.body.deploymentTime, tenantId: null });
    const missing = await get('/deployment/nope', '/deployment/{id}');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: "Deployment with id 'nope' does not exist", code: null });
  });

  it('answers unknown resources with 404 and Camunda messages', async () => {
    const d = await create({ 'deployment-name': 'res' }, [{ name: 'r.txt', content: 'r' }]);
    const noDeployment = await get('/deployment/nope/resources', '/deployment/{id}/resources');
    assert.equal(noDeployment.status, 404);
    assert.equal(noDeployment.body.message, "Deployment resources for deployment id 'nope' do not exist.");
    const noResource = await get(`/deployment/${d.body.id}/resources/nope`, '/deployment/{id}/resources/{resourceId}');
    assert.equal(noResource.status, 404);
    assert.equal(noResource.body.message, `Deployment resource with resource id 'nope' for deployment id '${d.body.id}' does not exist.`);
    // Java's command fails with a NullValueException before the resource can answer its 404
    const noData = await get(`/deployment/${d.body.id}/resources/nope/data`, '/deployment/{id}/resources/{resourceId}/data', { javaOnly: true });
    assert.equal(noData.status, 500);
    assert.deepEqual(noData.body, { type: 'NullValueException', message: `no resource found with id 'nope' in deployment '${d.body.id}': resource is null`, code: 0 });
  });

  it('deletes a deployment: refused while instances run, with cascade they go too', async () => {
    const d = await create({ 'deployment-name': 'doomed' }, [{ name: 'doomed.bpmn', content: processXml('doomedProcess') }]);
    const [def] = Object.values(d.body.deployedProcessDefinitions);
    const started = await ctx.api.post(`/process-definition/${def.id}/start`, {});
    assert.equal(started.status, 200);

    const refused = checkJavaOnly('DELETE', '/deployment/{id}', await ctx.api.delete(`/deployment/${d.body.id}`));
    assert.equal(refused.status, 500);
    assert.equal(refused.body.type, 'ProcessEngineException');
    assert.match(refused.body.message, /^ENGINE-03076 Deletion of process definition without cascading failed/);
    // only the exact string "true" counts
    assert.equal((await ctx.api.delete(`/deployment/${d.body.id}?cascade=TRUE`)).status, 500);

    const deleted = checkResponse('DELETE', '/deployment/{id}', await ctx.api.delete(`/deployment/${d.body.id}?cascade=true&skipCustomListeners=true&skipIoMappings=true`));
    assert.equal(deleted.status, 204);
    assert.equal((await ctx.api.get(`/deployment/${d.body.id}`)).status, 404);
    assert.equal((await ctx.api.get(`/process-definition/${def.id}`)).status, 404);
    assert.deepEqual(await ctx.engine.processInstances({ processDefinitionId: def.id }), []);

    const missing = checkResponse('DELETE', '/deployment/{id}', await ctx.api.delete(`/deployment/${d.body.id}`));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: `Deployment with id '${d.body.id}' do not exist`, code: null });
  });

  it('deletes a deployment without instances without cascade', async () => {
    const d = await create({ 'deployment-name': 'idle' }, [{ name: 'idle.bpmn', content: processXml('idleProcess') }]);
    assert.equal((await ctx.api.delete(`/deployment/${d.body.id}`)).status, 204);
    assert.equal((await ctx.api.get('/process-definition/key/idleProcess')).status, 404);
  });
});
