// /history/task (list GET/POST, count GET/POST) and /history/incident (list, count): filters,
// sorting, paging, DTOs and errors.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { checkResponse } from './openapi.js';
import { T0, describeRest } from './support.js';
import { completeOnlyTask, deleteInstance, deploy, failExternalTask, q, start } from './history-setup.js';

const TASKS = '/history/task';
const INCIDENTS = '/history/incident';

describeRest('history: tasks and incidents', (ctx) => {
  const pi = {};
  const external = {}; // letter → the failed external task

  // A: task completed at 2; B: task open since 3; C: task deleted with its instance at 4;
  // E: external task failed at 5 (open incident); F: failed at 6, instance deleted at 7.
  before(async () => {
    await deploy(ctx, 'user-task.bpmn');
    await deploy(ctx, 'external-task.bpmn');
    const at = (s) => { ctx.clock.now = T0 + s * 1000; };
    at(0);
    pi.A = await start(ctx, 'userTaskProcess', { businessKey: 'order-1' });
    at(2);
    await completeOnlyTask(ctx, pi.A);
    at(3);
    pi.B = await start(ctx, 'userTaskProcess', { businessKey: 'order-2' });
    at(4);
    pi.C = await start(ctx, 'userTaskProcess', { businessKey: 'other-3' });
    await deleteInstance(ctx, pi.C);
    at(5);
    pi.E = await start(ctx, 'externalTaskProcess');
    external.E = await failExternalTask(ctx, pi.E, 'payment', 'card declined');
    at(6);
    pi.F = await start(ctx, 'externalTaskProcess');
    external.F = await failExternalTask(ctx, pi.F, 'payment', 'card expired');
    at(7);
    await deleteInstance(ctx, pi.F);
  });

  const owner = (row) => Object.keys(pi).find((l) => pi[l] === row.processInstanceId);
  const template = (base, path) => (path.startsWith(`${base}/count`) ? `${base}/count` : base);
  const call = async (method, base, query = '', body) => {
    const path = `${base}${query}`;
    return checkResponse(method, template(base, path), method === 'GET' ? await ctx.api.get(path) : await ctx.api.post(path, body));
  };
  const owners = (r) => {
    assert.equal(r.status, 200, r.text);
    return r.body.map(owner).join('');
  };
  const sorted = (r) => [...owners(r)].sort().join('');
  const error = (r, message, type = 'InvalidRequestException') => {
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.type, type);
    assert.equal(r.body.message, message);
  };

  describe('tasks', () => {
    const tasks = async (query) => sorted(await call('GET', TASKS, `?${query}`));

    it('lists every user task with exactly the HistoricTaskInstanceDto fields', async () => {
      const r = await call('GET', TASKS);
      assert.equal(sorted(r), 'ABC');
      const a = r.body.find((t) => t.processInstanceId === pi.A);
      assert.deepEqual(a, {
        id: a.id,
        processDefinitionKey: 'userTaskProcess',
        processDefinitionId: a.processDefinitionId,
        processInstanceId: pi.A,
        executionId: pi.A,
        caseDefinitionKey: null,
        caseDefinitionId: null,
        caseInstanceId: null,
        caseExecutionId: null,
        activityInstanceId: a.activityInstanceId,
        name: 'Do it',
        description: null,
        deleteReason: 'completed',
        owner: null,
        assignee: 'demo',
        startTime: '2026-01-01T09:00:00.000+0000',
        endTime: '2026-01-01T09:00:02.000+0000',
        duration: 2000,
        taskDefinitionKey: 'task',
        priority: 50,
        due: null,
        parentTaskId: null,
        followUp: null,
        tenantId: null,
        removalTime: null,
        rootProcessInstanceId: pi.A,
        taskState: 'Completed',
      });
      assert.equal(r.body.find((t) => t.processInstanceId === pi.C).taskState, 'Deleted');
    });

    it('filters on the task', async () => {
      const [b] = (await call('GET', TASKS, `?processInstanceId=${pi.B}`)).body;
      assert.equal(await tasks(`taskId=${b.id}`), 'B');
      assert.equal(await tasks(`executionId=${pi.C}`), 'C');
      assert.equal(await tasks(`rootProcessInstanceId=${pi.A}`), 'A');
      assert.equal(await tasks(`activityInstanceIdIn=${b.activityInstanceId},x`), 'B');
      assert.equal(await tasks(`processDefinitionId=${b.processDefinitionId}&processDefinitionKey=userTaskProcess`), 'ABC');
      assert.equal(await tasks('taskName=Do%20it&taskNameLike=Do%25&taskDefinitionKey=task&taskDefinitionKeyIn=task,x'), 'ABC');
      assert.equal(await tasks('taskAssignee=demo&taskAssigneeLike=de%25&assigned=true'), 'ABC');
      assert.equal(await tasks('unassigned=true'), '');
      assert.equal(await tasks('taskDeleteReason=completed'), 'A');
      assert.equal(await tasks('taskDeleteReasonLike=comp%25'), 'A');
      assert.equal(await tasks('finished=true'), 'AC');
      assert.equal(await tasks('unfinished=true'), 'B');
      assert.equal(await tasks('taskPriority=50'), 'ABC');
      assert.equal(await tasks('taskOwner=x'), '');
      assert.equal(await tasks('taskOwnerLike=x%25'), '');
      assert.equal(await tasks('taskDescription=x'), '');
      assert.equal(await tasks('taskDescriptionLike=x%25'), '');
      assert.equal(await tasks('taskParentTaskId=x'), '');
      assert.equal(await tasks('withoutTaskDueDate=true'), 'ABC');
      assert.equal(await tasks(`taskDueDate=${q(T0)}`), '');
      assert.equal(await tasks(`taskDueDateBefore=${q(T0)}`), '');
      assert.equal(await tasks(`taskDueDateAfter=${q(T0)}`), '');
      assert.equal(await tasks(`taskFollowUpDate=${q(T0)}`), '');
      assert.equal(await tasks(`taskFollowUpDateBefore=${q(T0)}`), '');
      assert.equal(await tasks(`taskFollowUpDateAfter=${q(T0)}`), '');
      assert.equal(await tasks(`startedAfter=${q(T0 + 3000)}`), 'BC');
      assert.equal(await tasks(`startedBefore=${q(T0 + 3000)}`), 'AB');
      assert.equal(await tasks(`finishedAfter=${q(T0 + 3000)}`), 'C');
      assert.equal(await tasks(`finishedBefore=${q(T0 + 3000)}`), 'A');
      assert.equal(await tasks('withoutTenantId=true'), 'ABC');
      assert.equal(await tasks('tenantIdIn=t1'), '');
      assert.equal(await tasks('caseInstanceId=c'), '');
      assert.equal(await tasks('caseExecutionId=c'), '');
      assert.equal(await tasks('caseDefinitionId=c'), '');
      assert.equal(await tasks('caseDefinitionKey=c'), '');
      assert.equal(await tasks('caseDefinitionName=c'), '');
    });

    it('filters on the task\'s process instance', async () => {
      assert.equal(await tasks('processInstanceBusinessKey=order-1'), 'A');
      assert.equal(await tasks('processInstanceBusinessKeyIn=order-1,other-3'), 'AC');
      assert.equal(await tasks('processInstanceBusinessKeyLike=order%25'), 'AB');
      assert.equal(await tasks('processDefinitionName=User%20task'), 'ABC');
      assert.equal(await tasks('processFinished=true'), 'AC');
      assert.equal(await tasks('processUnfinished=true'), 'B');
    });

    it('takes the filters as a POST body; sorts, pages and counts', async () => {
      assert.equal(sorted(await call('POST', TASKS, '', { finished: true, taskDefinitionKeyIn: ['task'] })), 'AC');
      assert.equal(owners(await call('GET', TASKS, '?sortBy=startTime&sortOrder=desc')), 'CBA');
      assert.equal(owners(await call('POST', TASKS, '?firstResult=1&maxResults=1', { sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }] })), 'B');
      assert.equal(owners(await call('GET', TASKS, '?finished=true&sortBy=duration&sortOrder=desc')), 'AC');
      for (const sortBy of ['taskId', 'activityInstanceId', 'processDefinitionId', 'processInstanceId', 'executionId', 'endTime', 'taskName',
        'taskDescription', 'assignee', 'owner', 'dueDate', 'followUpDate', 'deleteReason', 'taskDefinitionKey', 'priority', 'caseDefinitionId',
        'caseInstanceId', 'caseExecutionId', 'tenantId']) {
        assert.equal((await call('GET', TASKS, `?sortBy=${sortBy}&sortOrder=asc`)).body.length, 3);
      }
      assert.deepEqual((await call('GET', TASKS, '/count')).body, { count: 3 });
      assert.deepEqual((await call('GET', TASKS, '/count?unfinished=true')).body, { count: 1 });
      assert.deepEqual((await call('POST', TASKS, '/count', { processFinished: true })).body, { count: 2 });
    });

    it('rejects bad requests, and the filters Detour does not evaluate', async () => {
      error(await call('GET', TASKS, '?sortBy=created&sortOrder=asc'), 'sortBy parameter has invalid value: created');
      error(await call('GET', TASKS, '?taskPriority=high'), "Cannot set query parameter 'taskPriority' to value 'high'");
      error(await call('POST', TASKS, '', { finished: 'no' }), '');
      error(await call('GET', TASKS, '?taskInvolvedUser=demo'), "Filter 'taskInvolvedUser' is not supported by Detour's historic task query");
      error(await call('POST', TASKS, '/count', { processVariables: [{ name: 'a', operator: 'eq', value: 1 }] }),
        "Filter 'processVariables' is not supported by Detour's historic task query");
    });
  });

  describe('incidents', () => {
    const incidents = async (query) => sorted(await call('GET', INCIDENTS, `?${query}`));

    it('lists every incident with exactly the HistoricIncidentDto fields', async () => {
      const r = await call('GET', INCIDENTS);
      assert.equal(sorted(r), 'EF');
      const e = r.body.find((i) => i.processInstanceId === pi.E);
      assert.deepEqual(e, {
        id: e.id,
        processDefinitionKey: 'externalTaskProcess',
        processDefinitionId: e.processDefinitionId,
        processInstanceId: pi.E,
        executionId: external.E.executionId,
        rootProcessInstanceId: pi.E,
        createTime: '2026-01-01T09:00:05.000+0000',
        endTime: null,
        removalTime: null,
        incidentType: 'failedExternalTask',
        activityId: 'charge',
        failedActivityId: 'charge',
        causeIncidentId: e.id,
        rootCauseIncidentId: e.id,
        configuration: external.E.id,
        historyConfiguration: null,
        incidentMessage: 'card declined',
        tenantId: null,
        jobDefinitionId: null,
        open: true,
        deleted: false,
        resolved: false,
        annotation: null,
      });
      const f = r.body.find((i) => i.processInstanceId === pi.F);
      assert.equal(f.endTime, '2026-01-01T09:00:07.000+0000');
      assert.deepEqual([f.open, f.deleted, f.resolved], [false, true, false]);
    });

    it('filters', async () => {
      const [e] = (await call('GET', INCIDENTS, `?processInstanceId=${pi.E}`)).body;
      assert.equal(await incidents(`incidentId=${e.id}`), 'E');
      assert.equal(await incidents(`causeIncidentId=${e.id}&rootCauseIncidentId=${e.id}`), 'E');
      assert.equal(await incidents('incidentType=failedExternalTask'), 'EF');
      assert.equal(await incidents('incidentType=failedJob'), '');
      assert.equal(await incidents('incidentMessage=card%20expired'), 'F');
      assert.equal(await incidents('incidentMessageLike=card%25'), 'EF');
      assert.equal(await incidents(`processDefinitionId=${e.processDefinitionId}&processDefinitionKey=externalTaskProcess`), 'EF');
      assert.equal(await incidents('processDefinitionKeyIn=userTaskProcess,externalTaskProcess'), 'EF');
      assert.equal(await incidents(`executionId=${external.F.executionId}`), 'F');
      assert.equal(await incidents('activityId=charge&failedActivityId=charge'), 'EF');
      assert.equal(await incidents(`configuration=${external.F.id}`), 'F');
      assert.equal(await incidents('historyConfiguration=x'), '');
      assert.equal(await incidents('open=true'), 'E');
      assert.equal(await incidents('deleted=true'), 'F');
      assert.equal(await incidents('resolved=true'), '');
      assert.equal(await incidents(`createTimeAfter=${q(T0 + 6000)}`), 'F');
      assert.equal(await incidents(`createTimeBefore=${q(T0 + 5000)}`), 'E');
      assert.equal(await incidents(`endTimeAfter=${q(T0)}&endTimeBefore=${q(T0 + 7000)}`), 'F');
      assert.equal(await incidents('withoutTenantId=true'), 'EF');
      assert.equal(await incidents('tenantIdIn=t1'), '');
      assert.equal(await incidents('jobDefinitionIdIn=j1'), '');
    });

    it('sorts, pages and counts', async () => {
      assert.equal(owners(await call('GET', INCIDENTS, '?sortBy=createTime&sortOrder=desc')), 'FE');
      assert.equal(owners(await call('GET', INCIDENTS, '?sortBy=incidentState&sortOrder=asc')), 'EF');
      assert.equal(owners(await call('GET', INCIDENTS, '?sortBy=incidentMessage&sortOrder=asc&firstResult=1&maxResults=5')), 'F');
      for (const sortBy of ['incidentId', 'endTime', 'incidentType', 'executionId', 'activityId', 'processInstanceId', 'processDefinitionId',
        'processDefinitionKey', 'causeIncidentId', 'rootCauseIncidentId', 'configuration', 'historyConfiguration', 'tenantId']) {
        assert.equal((await call('GET', INCIDENTS, `?sortBy=${sortBy}&sortOrder=desc`)).body.length, 2);
      }
      assert.deepEqual((await call('GET', INCIDENTS, '/count')).body, { count: 2 });
      assert.deepEqual((await call('GET', INCIDENTS, '/count?open=true')).body, { count: 1 });
    });

    it('rejects bad requests with Camunda\'s messages', async () => {
      error(await call('GET', INCIDENTS, '?open=true&resolved=true'), 'Already querying for incident state <open>', 'BadUserRequestException');
      error(await call('GET', INCIDENTS, '/count?resolved=true&deleted=true'), 'Already querying for incident state <resolved>', 'BadUserRequestException');
      error(await call('GET', INCIDENTS, '?sortBy=state&sortOrder=asc'), 'sortBy parameter has invalid value: state');
      error(await call('GET', INCIDENTS, '?createTimeAfter=%22now%22'), "Cannot set query parameter 'createTimeAfter' to value '\"now\"': Cannot convert value because of double quotes");
    });
  });
});
