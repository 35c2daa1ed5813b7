// /history/process-instance: list (GET, POST), count (GET, POST), by id — filters, orQueries,
// sorting, paging, the DTO and the errors, over seven instances that ended (or not) in every way.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { T0, describeRest } from './support.js';
import { completeOnlyTask, deleteInstance, deploy, failExternalTask, int, q, setVariables, start, str, suspend } from './history-setup.js';

const LIST = '/history/process-instance';

describeRest('history: process instances', (ctx) => {
  const id = {}; // letter → instance id
  const letter = {}; // instance id → letter

  // A completed, B active, C deleted over REST, D terminated internally, E with an open incident,
  // F with an incident and then deleted, G suspended; one second apart, A first.
  before(async () => {
    await deploy(ctx, 'user-task.bpmn');
    await deploy(ctx, 'external-task.bpmn');
    const at = (s) => { ctx.clock.now = T0 + s * 1000; };
    const started = async (name, key, businessKey, variables) => {
      id[name] = await start(ctx, key, { businessKey, variables });
      letter[id[name]] = name;
    };
    at(0);
    await started('A', 'userTaskProcess', 'order-1', { amount: int(100), customer: str('Alice') });
    at(1);
    await setVariables(ctx, id.A, { amount: int(150) });
    at(2);
    await completeOnlyTask(ctx, id.A);
    at(3);
    await started('B', 'userTaskProcess', 'order-2', { amount: int(50), customer: str('bob') });
    at(4);
    await started('C', 'userTaskProcess', 'other-3');
    await deleteInstance(ctx, id.C);
    at(5);
    await started('D', 'userTaskProcess', 'other-4');
    // Detour's REST never ends an instance "internally" without an end event: the engine can
    await ctx.engine.deleteProcessInstance(id.D, { reason: 'internal', externallyTerminated: false });
    at(6);
    await started('E', 'externalTaskProcess', 'ext-5');
    await failExternalTask(ctx, id.E, 'payment', 'boom');
    at(7);
    await started('F', 'externalTaskProcess', 'ext-6');
    await failExternalTask(ctx, id.F, 'payment', 'bang');
    await deleteInstance(ctx, id.F);
    at(8);
    await started('G', 'userTaskProcess', 'order-7');
    await suspend(ctx, id.G);
  });

  const get = async (path) => checkResponse('GET', path.startsWith(`${LIST}/count`) ? `${LIST}/count` : LIST, await ctx.api.get(path));
  const post = async (path, body) => checkResponse('POST', path.startsWith(`${LIST}/count`) ? `${LIST}/count` : LIST, await ctx.api.post(path, body));
  // the letters of a 200 list, in the order given / sorted
  const inOrder = (r) => {
    assert.equal(r.status, 200, r.text);
    return r.body.map((pi) => letter[pi.id]).join('');
  };
  const found = (r) => [...inOrder(r)].sort().join('');
  const list = async (query) => found(await get(`${LIST}?${query}`));
  const error = (r, status, message, type = 'InvalidRequestException') => {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.type, type);
    assert.equal(r.body.message, message);
  };

  describe('the DTO', () => {
    it('lists every instance with exactly the HistoricProcessInstanceDto fields', async () => {
      const r = await get(LIST);
      assert.equal(found(r), 'ABCDEFG');
      for (const pi of r.body) {
        assert.deepEqual(Object.keys(pi).sort(), [
          'businessKey', 'caseInstanceId', 'deleteReason', 'durationInMillis', 'endTime', 'id', 'processDefinitionId',
          'processDefinitionKey', 'processDefinitionName', 'processDefinitionVersion', 'removalTime', 'restartedProcessInstanceId',
          'rootProcessInstanceId', 'startActivityId', 'startTime', 'startUserId', 'state', 'superCaseInstanceId',
          'superProcessInstanceId', 'tenantId',
        ]);
      }
    });

    it('returns one instance by id, dates in Camunda format', async () => {
      const r = checkResponse('GET', `${LIST}/{id}`, await ctx.api.get(`${LIST}/${id.A}`));
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        id: id.A,
        businessKey: 'order-1',
        processDefinitionId: r.body.processDefinitionId,
        processDefinitionKey: 'userTaskProcess',
        processDefinitionName: 'User task',
        processDefinitionVersion: 1,
        startTime: '2026-01-01T09:00:00.000+0000',
        endTime: '2026-01-01T09:00:02.000+0000',
        removalTime: null,
        durationInMillis: 2000,
        startUserId: null,
        startActivityId: 'start',
        deleteReason: null,
        rootProcessInstanceId: id.A,
        superProcessInstanceId: null,
        superCaseInstanceId: null,
        caseInstanceId: null,
        tenantId: null,
        state: 'COMPLETED',
        restartedProcessInstanceId: null,
      });
      assert.match(r.body.processDefinitionId, /^userTaskProcess:1:/);
    });

    it('answers an unknown id with 404 and Camunda\'s message', async () => {
      const r = checkResponse('GET', `${LIST}/{id}`, await ctx.api.get(`${LIST}/nope`));
      assert.deepEqual(r.body, { type: 'InvalidRequestException', message: 'Historic process instance with id nope does not exist', code: null });
      assert.equal(r.status, 404);
    });

    it('records how each instance ended, and the delete reason', async () => {
      const byLetter = Object.fromEntries((await get(LIST)).body.map((pi) => [letter[pi.id], pi]));
      assert.deepEqual(Object.fromEntries(Object.entries(byLetter).map(([l, pi]) => [l, pi.state])), {
        A: 'COMPLETED', B: 'ACTIVE', C: 'EXTERNALLY_TERMINATED', D: 'INTERNALLY_TERMINATED', E: 'ACTIVE', F: 'EXTERNALLY_TERMINATED', G: 'SUSPENDED',
      });
      assert.equal(byLetter.C.deleteReason, null); // DELETE /process-instance/{id} passes none
      assert.equal(byLetter.D.deleteReason, 'internal');
      assert.equal(byLetter.C.endTime, '2026-01-01T09:00:04.000+0000');
      assert.equal(byLetter.B.endTime, null);
      assert.equal(byLetter.B.durationInMillis, null);
    });
  });

  describe('filters', () => {
    it('by state flags, finished and unfinished', async () => {
      assert.equal(await list('completed=true'), 'A');
      assert.equal(await list('active=true'), 'BE');
      assert.equal(await list('suspended=true'), 'G');
      assert.equal(await list('externallyTerminated=true'), 'CF');
      assert.equal(await list('internallyTerminated=true'), 'D');
      assert.equal(await list('finished=true'), 'ACDF');
      assert.equal(await list('unfinished=true'), 'BEG');
      assert.equal(await list('finished=true&unfinished=true'), '');
      assert.equal(await list('completed=false'), 'ABCDEFG'); // only true filters
    });

    it('by ids', async () => {
      assert.equal(await list(`processInstanceId=${id.B}`), 'B');
      assert.equal(await list(`processInstanceIds=${id.A},${id.C}`), 'AC');
      assert.equal(await list(`processInstanceIdNotIn=${id.A},${id.C}`), 'BDEFG');
      assert.equal(await list(`rootProcessInstanceId=${id.E}`), 'E');
      assert.equal(await list('rootProcessInstances=true'), 'ABCDEFG');
    });

    it('by definition', async () => {
      const [pi] = (await get(`${LIST}?processInstanceId=${id.E}`)).body;
      assert.equal(await list(`processDefinitionId=${pi.processDefinitionId}`), 'EF');
      assert.equal(await list('processDefinitionKey=externalTaskProcess'), 'EF');
      assert.equal(await list('processDefinitionKeyIn=externalTaskProcess,nothing'), 'EF');
      assert.equal(await list('processDefinitionKeyNotIn=externalTaskProcess'), 'ABCDG');
      assert.equal(await list('processDefinitionName=User%20task'), 'ABCDG');
      assert.equal(await list('processDefinitionNameLike=User%25'), 'ABCDG');
    });

    it('by business key', async () => {
      assert.equal(await list('processInstanceBusinessKey=order-1'), 'A');
      assert.equal(await list('processInstanceBusinessKeyIn=order-1,ext-6'), 'AF');
      assert.equal(await list('processInstanceBusinessKeyLike=order%25'), 'ABG');
    });

    it('by start and end time', async () => {
      const t = (s) => q(T0 + s * 1000);
      assert.equal(await list(`startedBefore=${t(3)}`), 'AB');
      assert.equal(await list(`startedAfter=${t(7)}`), 'FG');
      assert.equal(await list(`finishedBefore=${t(4)}`), 'AC');
      assert.equal(await list(`finishedAfter=${t(5)}`), 'DF');
      assert.equal(await list(`startedAfter=${t(3)}&startedBefore=${t(5)}`), 'BCD');
    });

    it('by executed activity time: an activity instance started or ended in the window', async () => {
      const t = (s) => q(T0 + s * 1000);
      assert.equal(await list(`executedActivityAfter=${t(7)}`), 'FG');
      assert.equal(await list(`executedActivityBefore=${t(0)}`), 'A');
      assert.equal(await list(`executedActivityAfter=${t(2)}&executedActivityBefore=${t(2)}`), 'A'); // A's task ended at 2
    });

    it('by activities: active now (runtime), active in history, executed (ended, canceled included)', async () => {
      assert.equal(await list('activityIdIn=task'), 'BG');
      assert.equal(await list('activityIdIn=charge,nothing'), 'E');
      assert.equal(await list('activeActivityIdIn=task,charge'), 'BEG');
      assert.equal(await list('executedActivityIdIn=task'), 'ACD');
      assert.equal(await list('executedActivityIdIn=charge'), 'F');
      // one activity instance cannot be both ended and running (Camunda joins a single row)
      assert.equal(await list('executedActivityIdIn=task&activeActivityIdIn=task'), '');
    });

    it('by incidents', async () => {
      const incidents = checkResponse('GET', '/history/incident', await ctx.api.get('/history/incident'));
      const ofE = incidents.body.find((i) => i.processInstanceId === id.E);
      assert.equal(await list('withIncidents=true'), 'EF');
      assert.equal(await list('withRootIncidents=true'), 'EF');
      assert.equal(await list('incidentStatus=open'), 'E');
      assert.equal(await list('incidentStatus=resolved'), 'F'); // ended incidents (F's was deleted with it)
      assert.equal(await list('incidentType=failedExternalTask'), 'EF');
      assert.equal(await list('incidentType=failedJob'), '');
      assert.equal(await list('incidentMessage=boom'), 'E');
      assert.equal(await list('incidentMessageLike=b%25'), 'EF');
      assert.equal(await list(`incidentIdIn=${ofE.id}`), 'E');
      assert.equal(await list('incidentMessage=bang&incidentStatus=open'), ''); // one incident must match both
      assert.equal(await list('withJobsRetrying=true'), '');
    });

    it('by the last variable values in history', async () => {
      assert.equal(await list('variables=amount_eq_150'), 'A');
      assert.equal(await list('variables=amount_eq_100'), ''); // replaced by 150
      assert.equal(await list('variables=amount_gt_60'), 'A');
      assert.equal(await list('variables=amount_lteq_50'), 'B');
      assert.equal(await list('variables=amount_neq_50'), 'A');
      assert.equal(await list('variables=amount_gteq_50,customer_like_b%25'), 'B');
      assert.equal(await list('variables=customer_eq_BOB'), '');
      assert.equal(await list('variables=CUSTOMER_eq_BOB&variableNamesIgnoreCase=true&variableValuesIgnoreCase=true'), 'B');
      assert.equal(await list('variables=nothing_eq_1'), '');
      const r = await post(LIST, { variables: [{ name: 'amount', operator: 'lt', value: 120 }, { name: 'customer', operator: 'eq', value: 'bob' }] });
      assert.equal(found(r), 'B');
    });

    it('by tenant and by what Detour does not have (users, super/sub/case instances)', async () => {
      assert.equal(await list('withoutTenantId=true'), 'ABCDEFG');
      assert.equal(await list('tenantIdIn=t1,t2'), '');
      assert.equal(await list('tenantIdIn=t1&withoutTenantId=true'), 'ABCDEFG'); // withoutTenantId wins
      assert.equal(await list('startedBy=demo'), '');
      assert.equal(await list(`superProcessInstanceId=${id.A}`), '');
      assert.equal(await list(`subProcessInstanceId=${id.A}`), '');
      assert.equal(await list('superCaseInstanceId=c'), '');
      assert.equal(await list('subCaseInstanceId=c'), '');
      assert.equal(await list('caseInstanceId=c'), '');
    });

    it('takes the same filters as a POST body, with orQueries', async () => {
      assert.equal(found(await post(LIST, { processInstanceBusinessKeyIn: ['order-1', 'ext-6'], finished: true })), 'AF');
      assert.equal(found(await post(LIST, { startedAfter: '2026-01-01T09:00:07.000+0000' })), 'FG');
      // an or-group ORs its conditions and is ANDed with the rest
      assert.equal(found(await post(LIST, { orQueries: [{ processInstanceBusinessKey: 'order-1', processInstanceBusinessKeyLike: 'ext%' }] })), 'AEF');
      assert.equal(found(await post(LIST, { unfinished: true, orQueries: [{ processInstanceBusinessKey: 'order-1', processInstanceBusinessKeyLike: 'ext%' }] })), 'E');
      assert.equal(found(await post(LIST, { orQueries: [{ completed: true, suspended: false, incidentStatus: 'open' }, { processDefinitionKey: 'userTaskProcess' }] })), 'A');
      assert.equal(found(await post(LIST, { orQueries: [{ variables: [{ name: 'amount', operator: 'eq', value: 50 }, { name: 'amount', operator: 'eq', value: 150 }] }] })), 'AB');
      assert.equal(found(await post(LIST, { orQueries: [{}] })), 'ABCDEFG');
    });
  });

  describe('sorting and paging', () => {
    it('sorts by each sortBy value, both ways', async () => {
      assert.equal(inOrder(await get(`${LIST}?sortBy=startTime&sortOrder=asc`)), 'ABCDEFG');
      assert.equal(inOrder(await get(`${LIST}?sortBy=startTime&sortOrder=desc`)), 'GFEDCBA');
      assert.equal(inOrder(await get(`${LIST}?sortBy=businessKey&sortOrder=asc`)), 'EFABGCD');
      assert.equal(inOrder(await get(`${LIST}?finished=true&sortBy=endTime&sortOrder=desc`)), 'FDCA');
      const byDuration = inOrder(await get(`${LIST}?finished=true&sortBy=duration&sortOrder=desc`));
      assert.equal(byDuration[0], 'A'); // 2 s; C, D and F ended as they started
      assert.equal([...byDuration.slice(1)].sort().join(''), 'CDF');
      for (const sortBy of ['instanceId', 'definitionId', 'definitionKey', 'definitionName', 'definitionVersion', 'tenantId']) {
        assert.equal((await get(`${LIST}?sortBy=${sortBy}&sortOrder=desc`)).body.length, 7);
      }
      const byId = (await get(`${LIST}?sortBy=instanceId&sortOrder=asc`)).body.map((pi) => pi.id);
      assert.deepEqual(byId, [...byId].sort());
      assert.equal(inOrder(await get(`${LIST}?sortBy=definitionKey&sortOrder=desc&processInstanceBusinessKeyIn=order-1,ext-5`)), 'AE');
    });

    it('sorts a POST by several keys in order', async () => {
      const r = await post(LIST, { sorting: [{ sortBy: 'definitionKey', sortOrder: 'asc' }, { sortBy: 'startTime', sortOrder: 'desc' }] });
      assert.equal(inOrder(r), 'FEGDCBA');
    });

    it('pages with firstResult and maxResults (query string, also on a POST)', async () => {
      assert.equal(inOrder(await get(`${LIST}?sortBy=startTime&sortOrder=asc&firstResult=1&maxResults=2`)), 'BC');
      assert.equal(inOrder(await get(`${LIST}?sortBy=startTime&sortOrder=asc&firstResult=5`)), 'FG');
      assert.equal(inOrder(await get(`${LIST}?sortBy=startTime&sortOrder=asc&maxResults=1`)), 'A');
      assert.equal(inOrder(await post(`${LIST}?firstResult=6&maxResults=10`, { sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }] })), 'G');
      // without sortBy the order is Camunda's default (by id) and pages do not overlap
      const all = (await get(LIST)).body.map((pi) => pi.id);
      const pages = [...(await get(`${LIST}?firstResult=0&maxResults=4`)).body, ...(await get(`${LIST}?firstResult=4&maxResults=4`)).body];
      assert.deepEqual(pages.map((pi) => pi.id), all);
    });

    it('counts with GET and POST', async () => {
      const count = async (r) => {
        assert.equal(r.status, 200, r.text);
        return r.body.count;
      };
      assert.deepEqual((await get(`${LIST}/count`)).body, { count: 7 });
      assert.equal(await count(await get(`${LIST}/count?finished=true`)), 4);
      assert.equal(await count(await get(`${LIST}/count?variables=amount_gt_10`)), 2);
      assert.equal(await count(await post(`${LIST}/count`, { unfinished: true })), 3);
      assert.equal(await count(await post(`${LIST}/count`, { orQueries: [{ completed: true, processInstanceBusinessKey: 'order-7' }] })), 2);
    });
  });

  describe('bad requests', () => {
    it('rejects bad sorting and paging', async () => {
      error(await get(`${LIST}?sortBy=foo&sortOrder=asc`), 400, 'sortBy parameter has invalid value: foo');
      error(await get(`${LIST}?sortBy=startTime&sortOrder=up`), 400, 'sortOrder parameter has invalid value: up');
      error(await get(`${LIST}?sortBy=startTime`), 400, 'Only a single sorting parameter specified. sortBy and sortOrder required');
      error(await get(`${LIST}/count?sortOrder=asc`), 400, 'Only a single sorting parameter specified. sortBy and sortOrder required');
      error(await post(LIST, { sorting: [{ sortBy: 'foo', sortOrder: 'asc' }] }), 400, 'sortBy parameter has invalid value: foo');
      error(await get(`${LIST}?maxResults=abc`), 400, "Cannot set query parameter 'maxResults' to value 'abc'");
    });

    it('rejects values that do not convert', async () => {
      error(await get(`${LIST}?startedBefore=yesterday`), 400,
        "Cannot set query parameter 'startedBefore' to value 'yesterday': Cannot convert value \"yesterday\" to java type java.util.Date");
      error(await get(`${LIST}?variables=amount_eq`), 400, 'variable query parameter has to have format KEY_OPERATOR_VALUE.');
      error(await get(`${LIST}?variables=amount_is_1`), 400, 'Invalid variable comparator specified: is');
      error(await post(LIST, { variables: [{ name: 'amount', operator: 'notLike', value: '1%' }] }), 400, 'Invalid variable comparator specified: notLike');
      error(await post(LIST, { finished: 'yes' }), 400, '');
      error(await post(LIST, { processInstanceIds: 'abc' }), 400, '');
      error(await post(LIST, { orQueries: { finished: true } }), 400, '');
      error(await post(LIST, { orQueries: [{ startedBefore: 'soon' }] }), 400, '');
    });

    it('rejects what the engine refuses, with its message', async () => {
      error(await get(`${LIST}?active=true&completed=true`), 400,
        'Already querying for historic process instance with another state: ACTIVE is not null', 'BadUserRequestException');
      error(await post(`${LIST}/count`, { orQueries: [{ suspended: true, externallyTerminated: true }] }), 400,
        'Already querying for historic process instance with another state: SUSPENDED is not null', 'BadUserRequestException');
      error(await get(`${LIST}?rootProcessInstances=true&superProcessInstanceId=x`), 400,
        'Invalid query usage: cannot set both rootProcessInstances and superProcessInstanceId', 'BadUserRequestException');
      error(await get(`${LIST}?rootProcessInstances=true&superCaseInstanceId=x`), 400,
        'Invalid query usage: cannot set both rootProcessInstances and superCaseInstanceId', 'BadUserRequestException');
      error(await post(LIST, { processInstanceIds: [] }), 400, 'Set of process instance ids is empty', 'BadUserRequestException');
      error(await get(`${LIST}?processDefinitionKeyNotIn=a,,b`), 400, 'processDefinitionKeys contains empty string', 'NotValidException');
      const r = await get(`${LIST}?active=true&completed=true`);
      assert.equal(r.body.code, 0);
    });

    it('refuses the executed-job filters: Detour keeps no job log', async () => {
      error(await get(`${LIST}?executedJobAfter=${q(T0)}`), 400, "Filter 'executedJobAfter' is not supported: Detour keeps no historic job log");
      error(await post(LIST, { executedJobBefore: '2026-01-01T09:00:00.000+0000' }), 400, "Filter 'executedJobBefore' is not supported: Detour keeps no historic job log");
    });
  });
});
