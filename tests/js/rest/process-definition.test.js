// Process definitions over HTTP: the query and count, one definition by id and by key, its XML,
// starting instances (variables, start instructions, errors), activity statistics and the
// suspension state.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { checkJavaOnly, checkResponse } from './openapi.js';
import { describeRest, fixture, processXml } from './support.js';

const HOUR = 3600 * 1000;

describeRest('process definitions', (ctx) => {
  const deploy = async (xml, options = {}) => {
    const r = await ctx.api.deploy(xml, options);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  /** Deploys and → the one definition of the deployment. */
  const deployOne = async (xml, options) => Object.values((await deploy(xml, options)).deployedProcessDefinitions)[0];
  const get = async (path, template, options) => checkResponse('GET', template, await ctx.api.get(path), options);
  const post = async (path, template, body) => checkResponse('POST', template, await ctx.api.post(path, body));
  const put = async (path, template, body) => checkResponse('PUT', template, await ctx.api.put(path, body));
  const list = async (query) => {
    const r = await get(`/process-definition?${query}`, '/process-definition');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const count = await get(`/process-definition/count?${query}`, '/process-definition/count');
    assert.equal(count.body.count, r.body.length);
    return r.body;
  };
  const keys = (defs) => defs.map((d) => `${d.key}:${d.version}`);
  /** Drives a job to 0 retries (each run fails): a failed job with a failedJob incident. */
  const exhaust = async (jobId) => {
    for (let i = 0; i < 10; i++) {
      const [job] = await ctx.engine.jobs({ jobId });
      if (!job || job.retries === 0) return;
      await ctx.engine.executeJob(jobId).catch(() => {});
    }
  };

  it('gets a definition by id and by key with every field, or 404 with Camunda messages', async () => {
    const v1 = await deployOne(processXml('fetched', { name: 'Fetched', versionTag: '1.0', startable: false }));
    const v2 = await deployOne(processXml('fetched', { name: 'Fetched' }));
    const byId = await get(`/process-definition/${v1.id}`, '/process-definition/{id}');
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.body, {
      id: v1.id,
      key: 'fetched',
      category: null,
      description: null,
      name: 'Fetched',
      version: 1,
      resource: 'process.bpmn',
      deploymentId: v1.deploymentId,
      diagram: null,
      suspended: false,
      tenantId: null,
      versionTag: '1.0',
      historyTimeToLive: 180,
      startableInTasklist: false,
    });
    const byKey = await get('/process-definition/key/fetched', '/process-definition/key/{key}');
    assert.equal(byKey.body.id, v2.id, 'the latest version');

    const missing = await get('/process-definition/nope', '/process-definition/{id}', { javaOnly: true });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: 'No matching definition with id nope', code: 0 });
    const noKey = await get('/process-definition/key/nope', '/process-definition/key/{key}', { javaOnly: true });
    assert.equal(noKey.status, 404);
    assert.deepEqual(noKey.body, { type: 'RestException', message: 'No matching process definition with key: nope and no tenant-id', code: null });
    // a key deployed only for a tenant has no version without tenant
    await deployOne(processXml('tenantOnly'), { fields: { 'tenant-id': 't1' } });
    assert.equal((await get('/process-definition/key/tenantOnly', '/process-definition/key/{key}', { javaOnly: true })).status, 404);
  });

  it('answers the BPMN XML by id and by key', async () => {
    const xml = processXml('withXml');
    const def = await deployOne(xml);
    const byId = await get(`/process-definition/${def.id}/xml`, '/process-definition/{id}/xml');
    assert.deepEqual(byId.body, { id: def.id, bpmn20Xml: xml });
    const byKey = await get('/process-definition/key/withXml/xml', '/process-definition/key/{key}/xml');
    assert.deepEqual(byKey.body, { id: def.id, bpmn20Xml: xml });
    const missing = await get('/process-definition/nope/xml', '/process-definition/{id}/xml');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { type: 'InvalidRequestException', message: 'No matching definition with id nope', code: 0 });
    const noKey = await get('/process-definition/key/nope/xml', '/process-definition/key/{key}/xml');
    assert.equal(noKey.status, 404);
    assert.equal(noKey.body.type, 'RestException');
  });

  it('filters, sorts, pages and counts definitions', async () => {
    const a1 = await deployOne(processXml('queryA', { name: 'Alpha', versionTag: 'v1' }), { resourceName: 'alpha.bpmn' });
    ctx.clock.advance(HOUR);
    const deployedAt = ctx.clock.now;
    const a2 = await deployOne(processXml('queryA', { name: 'Alpha' }), { resourceName: 'alpha.bpmn' });
    const b1 = await deployOne(processXml('queryB', { name: 'Beta', versionTag: 'v2', startable: false }), { resourceName: 'beta.bpmn' });
    const t1 = await deployOne(processXml('queryA', { name: 'Alpha' }), { fields: { 'tenant-id': 'tq' } });
    const iso = (ms) => encodeURIComponent(new Date(ms).toISOString().replace('Z', '+0000'));
    const sorted = 'sortBy=version&sortOrder=asc';

    assert.deepEqual(keys(await list(`key=queryA&withoutTenantId=true&${sorted}`)), ['queryA:1', 'queryA:2']);
    assert.deepEqual(keys(await list(`keysIn=queryA,queryB&withoutTenantId=true&sortBy=key&sortOrder=desc`)).slice(0, 1), ['queryB:1']);
    assert.deepEqual(keys(await list(`keyLike=query_&latestVersion=true&withoutTenantId=true&sortBy=key&sortOrder=asc`)), ['queryA:2', 'queryB:1']);
    assert.deepEqual(keys(await list(`key=queryA&latest=true&tenantIdIn=tq`)), ['queryA:1']);
    assert.deepEqual(keys(await list(`key=queryA&latestVersion=true&${sorted}`)), ['queryA:1', 'queryA:2'], 'latest per tenant');
    assert.deepEqual((await list(`processDefinitionId=${a1.id}`)).map((d) => d.id), [a1.id]);
    assert.deepEqual((await list(`processDefinitionIdIn=${a1.id},${b1.id}&sortBy=name&sortOrder=asc`)).map((d) => d.id), [a1.id, b1.id]);
    assert.deepEqual((await list(`deploymentId=${a2.deploymentId}`)).map((d) => d.id), [a2.id]);
    assert.deepEqual(keys(await list(`name=Beta`)), ['queryB:1']);
    assert.deepEqual(keys(await list(`nameLike=Bet%25`)), ['queryB:1']);
    assert.deepEqual(keys(await list(`key=queryA&version=2`)), ['queryA:2']);
    assert.deepEqual(keys(await list(`key=queryA&ver=2`)), ['queryA:2']);
    assert.deepEqual(keys(await list(`resourceName=beta.bpmn`)), ['queryB:1']);
    assert.deepEqual(keys(await list(`resourceNameLike=alph%25&${sorted}`)), ['queryA:1', 'queryA:2']);
    assert.deepEqual(keys(await list(`versionTag=v2`)), ['queryB:1']);
    assert.deepEqual(keys(await list(`versionTagLike=v%25&sortBy=versionTag&sortOrder=desc`)), ['queryB:1', 'queryA:1']);
    assert.deepEqual(keys(await list(`keysIn=queryA,queryB&withoutVersionTag=true&${sorted}`)), ['queryA:1', 'queryA:2']);
    assert.deepEqual(keys(await list(`keysIn=queryA,queryB&notStartableInTasklist=true`)), ['queryB:1']);
    assert.equal((await list(`keysIn=queryA,queryB&startableInTasklist=true`)).length, 3);
    assert.deepEqual((await list(`tenantIdIn=tq`)).map((d) => d.id), [t1.id]);
    assert.equal((await list(`key=queryA&tenantIdIn=tq&includeProcessDefinitionsWithoutTenantId=true`)).length, 3);
    assert.deepEqual(keys(await list(`keysIn=queryA,queryB&deployedAfter=${iso(deployedAt - 1)}&withoutTenantId=true&sortBy=deployTime&sortOrder=asc`)), ['queryA:2', 'queryB:1']);
    assert.deepEqual((await list(`key=queryA&deployedAt=${iso(deployedAt)}&withoutTenantId=true`)).map((d) => d.id), [a2.id]);
    assert.equal((await list('keysIn=queryA,queryB&active=true')).length, 4);
    assert.equal((await list('keysIn=queryA,queryB&suspended=true')).length, 0);
    assert.equal((await list('keysIn=queryA,queryB&category=x')).length, 0);
    assert.equal((await list('keysIn=queryA,queryB&categoryLike=%25')).length, 0);
    // startableBy: no definition has candidate starters; the permission check needs authorizations
    assert.equal((await list('keysIn=queryA,queryB&startableBy=demo')).length, 0);
    assert.equal((await list('keysIn=queryA,queryB&startablePermissionCheck=true')).length, 4);

    for (const sortBy of ['category', 'key', 'id', 'name', 'version', 'deploymentId', 'deployTime', 'tenantId', 'versionTag']) {
      const asc = await list(`keysIn=queryA,queryB&sortBy=${sortBy}&sortOrder=asc`);
      const desc = await list(`keysIn=queryA,queryB&sortBy=${sortBy}&sortOrder=desc`);
      assert.equal(asc.length, 4, sortBy);
      const field = sortBy === 'deployTime' ? null : sortBy;
      if (field) {
        const values = asc.map((d) => d[field]);
        const cmp = (x, y) => (x == null ? (y == null ? 0 : -1) : y == null ? 1 : x < y ? -1 : x > y ? 1 : 0);
        assert.deepEqual(values, [...values].sort(cmp), sortBy);
        assert.deepEqual(desc.map((d) => d[field]), [...values].sort(cmp).reverse(), sortBy);
      }
    }
    const paged = await get(`/process-definition?keysIn=queryA,queryB&sortBy=name&sortOrder=asc&firstResult=1&maxResults=2`, '/process-definition');
    assert.equal(paged.body.length, 2);
    const all = await list('keysIn=queryA,queryB');
    assert.deepEqual(all.map((d) => d.id), all.map((d) => d.id).sort(), 'by id without sortBy');
  });

  it('filters definitions by their open incidents', async () => {
    const def = await deployOne(fixture('user-task-job-message.bpmn'));
    const started = await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'compute' }],
    });
    const [job] = await ctx.engine.jobs({ processInstanceId: started.body.id });
    await exhaust(job.id);
    const [incident] = await ctx.engine.incidents({ processInstanceId: started.body.id });
    assert.ok(incident, 'a failedJob incident');
    assert.deepEqual((await list(`incidentType=failedJob`)).map((d) => d.id), [def.id]);
    assert.deepEqual((await list(`incidentId=${incident.id}`)).map((d) => d.id), [def.id]);
    assert.deepEqual((await list(`incidentMessage=${encodeURIComponent(incident.incidentMessage)}`)).map((d) => d.id), [def.id]);
    assert.deepEqual((await list(`incidentMessageLike=%25`)).map((d) => d.id), [def.id]);
    assert.deepEqual(await list('incidentType=failedExternalTask'), []);

    const stats = await get(`/process-definition/${def.id}/statistics?failedJobs=true&incidents=true`, '/process-definition/{id}/statistics');
    assert.deepEqual(stats.body, [{
      '@class': 'org.camunda.bpm.engine.rest.dto.repository.ActivityStatisticsResultDto',
      id: 'compute',
      instances: 1,
      failedJobs: 1,
      incidents: [{ incidentType: 'failedJob', incidentCount: 1 }],
    }]);
    const forType = await get(`/process-definition/${def.id}/statistics?incidentsForType=failedExternalTask`, '/process-definition/{id}/statistics');
    assert.deepEqual(forType.body[0].incidents, []);
    assert.equal(forType.body[0].failedJobs, 0);
    const typed = await get(`/process-definition/${def.id}/statistics?incidentsForType=failedJob`, '/process-definition/{id}/statistics');
    assert.deepEqual(typed.body[0].incidents, [{ incidentType: 'failedJob', incidentCount: 1 }]);
  });

  it('rejects bad query parameters with Camunda messages', async () => {
    const cases = [
      ['version=0', 400, 'NotValidException', 'version is not greater than 0'],
      ['latestVersion=true&version=1', 400, 'NotValidException', 'Calling latest() can only be used in combination with key(String) and keyLike(String) or name(String) and nameLike(String)'],
      ['latest=true&deploymentId=x', 400, 'NotValidException', 'Calling latest() can only be used in combination with key(String) and keyLike(String) or name(String) and nameLike(String)'],
      ['version=x', 400, 'InvalidRequestException', "Cannot set query parameter 'version' to value 'x'"],
      ['deployedAfter=x', 400, 'InvalidRequestException', "Cannot set query parameter 'deployedAfter' to value 'x': Cannot convert value \"x\" to java type java.util.Date"],
      ['sortBy=tenantId%20&sortOrder=asc', 400, 'InvalidRequestException', 'sortBy parameter has invalid value: tenantId '],
      ['sortOrder=asc', 400, 'InvalidRequestException', 'Only a single sorting parameter specified. sortBy and sortOrder required'],
    ];
    for (const [query, status, type, message] of cases) {
      for (const path of ['/process-definition', '/process-definition/count']) {
        const r = await get(`${path}?${query}`, path);
        assert.equal(r.status, status, query);
        assert.equal(r.body.type, type, query);
        assert.equal(r.body.message, message, query);
      }
    }
  });

  it('starts an instance by id and by key, with a self link and the variables when asked', async () => {
    const def = await deployOne(processXml('startable'));
    const r = await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {
      businessKey: 'order-1',
      variables: { amount: { value: 42, type: 'Integer' }, note: { value: 'hi' }, when: { value: '2026-01-02T03:04:05.678+0000', type: 'Date' } },
      withVariablesInReturn: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, {
      links: [{ method: 'GET', href: `${ctx.url}/process-instance/${r.body.id}`, rel: 'self' }],
      id: r.body.id,
      definitionId: def.id,
      definitionKey: 'startable',
      businessKey: 'order-1',
      caseInstanceId: null,
      ended: false,
      suspended: false,
      tenantId: null,
      variables: {
        amount: { type: 'Integer', value: 42, valueInfo: {} },
        note: { type: 'String', value: 'hi', valueInfo: {} },
        when: { type: 'Date', value: '2026-01-02T03:04:05.678+0000', valueInfo: {} },
      },
    });
    const byKey = await post('/process-definition/key/startable/start', '/process-definition/key/{key}/start', {});
    assert.equal(byKey.status, 200);
    assert.equal(byKey.body.definitionId, def.id);
    assert.equal('variables' in byKey.body, false);
    assert.equal((await ctx.engine.processInstances({ processDefinitionId: def.id })).length, 2);
    // an empty body is an empty StartProcessInstanceDto
    const empty = checkResponse('POST', '/process-definition/{id}/start', await ctx.api.call('POST', `/process-definition/${def.id}/start`));
    assert.equal(empty.status, 200);
  });

  it('answers an instance that ended at once as ended, with its final variables', async () => {
    const def = await deployOne(fixture('five-activities.bpmn'));
    const r = await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {
      startInstructions: [{ type: 'startAfterActivity', activityId: 'review' }],
      variables: { x: { value: true } },
      withVariablesInReturn: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.ended, true);
    assert.deepEqual(r.body.variables, { x: { type: 'Boolean', value: true, valueInfo: {} } });
  });

  it('starts at activities with start instructions (cancel instructions mean nothing to a start)', async () => {
    const def = await deployOne(fixture('parallel-fork-join.bpmn'));
    const r = await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {
      startInstructions: [
        { type: 'cancel', activityId: 'whatever' },
        { type: 'startBeforeActivity', activityId: 'taskA', variables: { shared: { value: 'x' } } },
        { type: 'startTransition', transitionId: 'toB' },
      ],
      skipCustomListeners: true,
      skipIoMappings: true,
      withVariablesInReturn: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.variables, { shared: { type: 'String', value: 'x', valueInfo: {} } });
    const stats = await get(`/process-definition/${def.id}/statistics`, '/process-definition/{id}/statistics');
    assert.deepEqual(stats.body.map((s) => [s.id, s.instances]), [['taskA', 1], ['taskB', 1]]);
    const after = await post('/process-definition/key/parallelProcess/start', '/process-definition/key/{key}/start', {
      startInstructions: [{ type: 'startAfterActivity', activityId: 'taskA' }],
    });
    assert.equal(after.status, 200);
    const stats2 = await get('/process-definition/key/parallelProcess/statistics', '/process-definition/key/{key}/statistics');
    assert.deepEqual(stats2.body.map((s) => [s.id, s.instances]), [['taskA', 1], ['taskB', 1]], 'a token waiting at the join is no activity instance');

    // an instruction's local variable sits on the execution it starts, inside the subprocess
    await deployOne(fixture('embedded-subprocess.bpmn'));
    const nested = await post('/process-definition/key/subProcessProcess/start', '/process-definition/key/{key}/start', {
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'subTask', variables: { mine: { value: 1, type: 'Integer', local: true }, ours: { value: 2 } } }],
      withVariablesInReturn: true,
    });
    assert.deepEqual(Object.keys(nested.body.variables), ['ours']);
    const bad = await post('/process-definition/key/subProcessProcess/start', '/process-definition/key/{key}/start', {
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'subTask', variables: { mine: { value: 1, local: 'yes' } } }],
    });
    assert.deepEqual([bad.status, bad.body.message], [400, '']);
  });

  it('rejects bad start requests with Camunda statuses and messages', async () => {
    const def = await deployOne(processXml('badStarts'));
    const start = (body, path = `/process-definition/${def.id}/start`) => post(path, '/process-definition/{id}/start', body);
    const prefix = `Cannot instantiate process definition ${def.id}: `;
    const cases = [
      [{ startInstructions: [{ activityId: 'task' }] }, 400, 'InvalidRequestException', '', null],
      [{ startInstructions: [{ type: 'jump', activityId: 'task' }] }, 400, 'InvalidRequestException', '', null],
      [{ startInstructions: {} }, 400, 'InvalidRequestException', '', null],
      [{ businessKey: 7 }, 400, 'InvalidRequestException', '', null],
      [{ variables: [] }, 400, 'InvalidRequestException', '', null],
      [{ withVariablesInReturn: 'yes' }, 400, 'InvalidRequestException', '', null],
      [{ startInstructions: [{ type: 'startBeforeActivity' }] }, 400, 'InvalidRequestException', `${prefix}For instruction type 'startBeforeActivity': 'activityId' must be set`, null],
      [{ startInstructions: [{ type: 'startAfterActivity' }] }, 400, 'InvalidRequestException', `${prefix}For instruction type 'startAfterActivity': 'activityId' must be set`, null],
      [{ startInstructions: [{ type: 'startTransition', activityId: 'task' }] }, 400, 'InvalidRequestException', `${prefix}For instruction type 'startTransition': 'transitionId' must be set`, null],
      [{ variables: { a: { value: 'abc', type: 'Integer' } } }, 400, 'InvalidRequestException', `${prefix}Cannot convert value 'abc' of type 'Integer' to java type java.lang.Integer`, null],
      [{ variables: { a: { value: 1, type: 'Weird' } } }, 400, 'InvalidRequestException', `${prefix}Unsupported value type 'Weird'`, null],
      // the variables convert before the instructions are checked, as in Java
      [{ variables: { a: { value: 'x', type: 'Long' } }, startInstructions: [{ type: 'startBeforeActivity' }] }, 400, 'InvalidRequestException', `${prefix}Cannot convert value 'x' of type 'Long' to java type java.lang.Long`, null],
      [{ startInstructions: [{ type: 'startBeforeActivity', activityId: 'task', variables: { v: { value: 'x', type: 'Boolean' } } }] }, 400, 'InvalidRequestException', `${prefix}Cannot convert value 'x' of type 'Boolean' to java type java.lang.Boolean`, null],
    ];
    for (const [body, status, type, message, code] of cases) {
      const r = await start(body);
      assert.deepEqual([r.status, r.body], [status, { type, message, code }], JSON.stringify(body));
    }
    const unknownActivity = await start({ startInstructions: [{ type: 'startBeforeActivity', activityId: 'nope' }] });
    assert.equal(unknownActivity.status, 500);
    assert.equal(unknownActivity.body.type, 'RestException');
    assert.equal(unknownActivity.body.code, 0);
    assert.ok(unknownActivity.body.message.startsWith(prefix), unknownActivity.body.message);

    const unknownId = await start({}, '/process-definition/nope/start');
    assert.equal(unknownId.status, 500);
    assert.equal(unknownId.body.type, 'RestException');
    assert.equal(unknownId.body.message, "Cannot instantiate process definition nope: no deployed process definition found with id 'nope': processDefinition is null");
    const unknownKey = checkJavaOnly('POST', '/process-definition/key/{key}/start', await ctx.api.post('/process-definition/key/nope/start', {}));
    assert.deepEqual([unknownKey.status, unknownKey.body], [404, { type: 'RestException', message: 'No matching process definition with key: nope and no tenant-id', code: null }]);
    const caseInstance = await start({ caseInstanceId: 'c1' });
    assert.equal(caseInstance.status, 400);
    assert.equal(await ctx.engine.processInstances({ processDefinitionId: def.id }).then((l) => l.length), 0, 'nothing started');
  });

  it('suspends and activates a definition (and its instances when asked)', async () => {
    const def = await deployOne(processXml('suspendable'));
    const running = await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {});
    const suspend = await put(`/process-definition/${def.id}/suspended`, '/process-definition/{id}/suspended', { suspended: true, includeProcessInstances: true });
    assert.equal(suspend.status, 204);
    assert.equal((await get(`/process-definition/${def.id}`, '/process-definition/{id}')).body.suspended, true);
    assert.equal((await list(`key=suspendable&suspended=true`)).length, 1);
    assert.equal((await list(`key=suspendable&active=true`)).length, 0);
    assert.equal((await ctx.engine.processInstance(running.body.id)).suspended, true);

    const refused = await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {});
    assert.equal(refused.status, 500);
    assert.equal(refused.body.type, 'RestException');
    assert.ok(refused.body.message.startsWith(`Cannot instantiate process definition ${def.id}: `));

    // the definition only: its instances stay suspended
    const activate = await put('/process-definition/key/suspendable/suspended', '/process-definition/key/{key}/suspended', { suspended: false });
    assert.equal(activate.status, 204);
    assert.equal((await get(`/process-definition/${def.id}`, '/process-definition/{id}')).body.suspended, false);
    assert.equal((await ctx.engine.processInstance(running.body.id)).suspended, true);
    await put(`/process-definition/${def.id}/suspended`, '/process-definition/{id}/suspended', { suspended: false, includeProcessInstances: true });
    assert.equal((await ctx.engine.processInstance(running.body.id)).suspended, false);

    const unknown = await put('/process-definition/nope/suspended', '/process-definition/{id}/suspended', { suspended: true });
    assert.equal(unknown.status, 204, 'Camunda updates nothing and says nothing');
    const delayed = await put(`/process-definition/${def.id}/suspended`, '/process-definition/{id}/suspended', { suspended: true, executionDate: 'soon' });
    assert.deepEqual([delayed.status, delayed.body.message], [400, `The suspension state of Process Definition with id ${def.id} could not be updated due to: Invalid format: "soon"`]);
    const later = await put(`/process-definition/${def.id}/suspended`, '/process-definition/{id}/suspended', { suspended: true, executionDate: '2030-01-01T00:00:00.000+0000' });
    assert.equal(later.status, 400);
    const withKey = await put(`/process-definition/${def.id}/suspended`, '/process-definition/{id}/suspended', { suspended: true, processDefinitionKey: 'suspendable' });
    assert.deepEqual([withKey.status, withKey.body.message], [400, 'Only one of processDefinitionId or processDefinitionKey should be set to update the suspension state.']);
    const wrongType = await put(`/process-definition/${def.id}/suspended`, '/process-definition/{id}/suspended', { suspended: 'yes' });
    assert.deepEqual([wrongType.status, wrongType.body.message], [400, '']);
    assert.equal((await get(`/process-definition/${def.id}`, '/process-definition/{id}')).body.suspended, false);
  });

  it('answers statistics of unknown definitions with [] and rejects conflicting incident flags', async () => {
    const none = await get('/process-definition/nope/statistics', '/process-definition/{id}/statistics');
    assert.deepEqual([none.status, none.body], [200, []]);
    const both = await get('/process-definition/nope/statistics?incidents=true&incidentsForType=failedJob', '/process-definition/{id}/statistics');
    assert.deepEqual([both.status, both.body], [400, { type: 'InvalidRequestException', message: 'Only one of the query parameter includeIncidents or includeIncidentsForType can be set.', code: null }]);
    const noKey = await get('/process-definition/key/nope/statistics', '/process-definition/key/{key}/statistics');
    assert.equal(noKey.status, 404);
  });

  it('counts instances per activity: leaves and async continuations, not the scopes around them', async () => {
    const def = await deployOne(fixture('embedded-subprocess.bpmn'));
    for (let i = 0; i < 3; i++) await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', {});
    await post(`/process-definition/${def.id}/start`, '/process-definition/{id}/start', { startInstructions: [{ type: 'startBeforeActivity', activityId: 'afterSub' }] });
    const stats = await get(`/process-definition/${def.id}/statistics?failedJobs=true`, '/process-definition/{id}/statistics');
    assert.deepEqual(stats.body.map((s) => [s.id, s.instances, s.failedJobs, s.incidents]), [['afterSub', 1, 0, []], ['subTask', 3, 0, []]]);
  });
});
