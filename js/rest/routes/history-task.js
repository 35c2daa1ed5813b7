// routes/history-task.js — /history/task: GET|POST list and count of historic user tasks
// (HistoricTaskInstanceDto). The filters on the task row and on its process instance are served;
// those on variables, identity links and or-queries are refused with a 400 naming them, rather
// than answered wrongly.

import { RestError } from '../errors.js';
import { groupBy, pickDto, registerQuery, tenantCondition, where } from './history-query.js';

const FILTERS = {
  taskId: 'string',
  taskParentTaskId: 'string',
  processInstanceId: 'string',
  rootProcessInstanceId: 'string',
  processInstanceBusinessKey: 'string',
  processInstanceBusinessKeyIn: 'stringList',
  processInstanceBusinessKeyLike: 'string',
  executionId: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionName: 'string',
  caseInstanceId: 'string',
  caseExecutionId: 'string',
  caseDefinitionId: 'string',
  caseDefinitionKey: 'string',
  caseDefinitionName: 'string',
  activityInstanceIdIn: 'stringList',
  taskName: 'string',
  taskNameLike: 'string',
  taskDescription: 'string',
  taskDescriptionLike: 'string',
  taskDefinitionKey: 'string',
  taskDefinitionKeyIn: 'stringList',
  taskDeleteReason: 'string',
  taskDeleteReasonLike: 'string',
  taskAssignee: 'string',
  taskAssigneeLike: 'string',
  taskOwner: 'string',
  taskOwnerLike: 'string',
  taskPriority: 'integer',
  assigned: 'boolean',
  unassigned: 'boolean',
  finished: 'boolean',
  unfinished: 'boolean',
  processFinished: 'boolean',
  processUnfinished: 'boolean',
  taskDueDate: 'date',
  taskDueDateBefore: 'date',
  taskDueDateAfter: 'date',
  withoutTaskDueDate: 'boolean',
  taskFollowUpDate: 'date',
  taskFollowUpDateBefore: 'date',
  taskFollowUpDateAfter: 'date',
  startedBefore: 'date',
  startedAfter: 'date',
  finishedBefore: 'date',
  finishedAfter: 'date',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
};

// Parameters of Camunda's query Detour does not evaluate (no identity links; variables and
// or-queries not implemented for tasks).
const UNSUPPORTED = ['taskVariables', 'processVariables', 'taskInvolvedUser', 'taskInvolvedGroup', 'taskHadCandidateUser',
  'taskHadCandidateGroup', 'withCandidateGroups', 'withoutCandidateGroups', 'orQueries'];

const SPEC = { ...FILTERS, ...Object.fromEntries(UNSUPPORTED.map((name) => [name, 'string'])) };
const BODY = { ...FILTERS, ...Object.fromEntries(UNSUPPORTED.map((name) => [name, 'json'])) };

const SORT_KEYS = {
  taskId: 'id',
  activityInstanceId: 'activityInstanceId',
  processDefinitionId: 'processDefinitionId',
  processInstanceId: 'processInstanceId',
  executionId: 'executionId',
  duration: 'duration',
  endTime: 'endTime',
  startTime: 'startTime',
  taskName: 'name',
  taskDescription: 'description',
  assignee: 'assignee',
  owner: 'owner',
  dueDate: 'due',
  followUpDate: 'followUp',
  deleteReason: 'deleteReason',
  taskDefinitionKey: 'taskDefinitionKey',
  priority: 'priority',
  caseDefinitionId: 'caseDefinitionId',
  caseInstanceId: 'caseInstanceId',
  caseExecutionId: 'caseExecutionId',
  tenantId: 'tenantId',
};

const FIELDS = [
  'id', 'processDefinitionKey', 'processDefinitionId', 'processInstanceId', 'executionId',
  'caseDefinitionKey', 'caseDefinitionId', 'caseInstanceId', 'caseExecutionId', 'activityInstanceId',
  'name', 'description', 'deleteReason', 'owner', 'assignee', 'startTime', 'endTime', 'duration',
  'taskDefinitionKey', 'priority', 'due', 'parentTaskId', 'followUp', 'tenantId', 'removalTime',
  'rootProcessInstanceId', 'taskState',
];

export function historicTaskDto(row) {
  return pickDto(row, FIELDS, ['startTime', 'endTime', 'due', 'followUp', 'removalTime']);
}

export function register(router) {
  registerQuery(router, '/history/task', { spec: SPEC, bodySpec: BODY, sortKeys: SORT_KEYS, select: selectTasks, dto: historicTaskDto });
}

export async function selectTasks(engine, query) {
  for (const name of UNSUPPORTED) {
    if (query[name] !== undefined) throw new RestError(400, `Filter '${name}' is not supported by Detour's historic task query`);
  }
  const { tests, instanceTests } = taskTests(query);
  const filter = {};
  if (query.taskId != null) filter.taskId = query.taskId;
  if (query.processInstanceId != null) filter.processInstanceId = query.processInstanceId;
  let rows = (await engine.historicTaskInstances(filter)).filter((row) => tests.every((test) => test(row)));
  if (instanceTests.length && rows.length) {
    const ids = [...new Set(rows.map((r) => r.processInstanceId))];
    const instances = groupBy(await engine.historicProcessInstances({ processInstanceId: { in: ids } }), 'id');
    rows = rows.filter((row) => {
      const pi = instances.get(row.processInstanceId)?.[0];
      return pi && instanceTests.every((test) => test(pi));
    });
  }
  return rows;
}

function taskTests(q) {
  const tests = [];
  const instanceTests = []; // on the task's historic process instance
  const field = (name, condition) => tests.push(where(name, condition));
  const onInstance = (name, condition) => instanceTests.push(where(name, condition));
  const equal = {
    taskId: 'id', taskParentTaskId: 'parentTaskId', processInstanceId: 'processInstanceId',
    rootProcessInstanceId: 'rootProcessInstanceId', executionId: 'executionId',
    processDefinitionId: 'processDefinitionId', processDefinitionKey: 'processDefinitionKey',
    caseInstanceId: 'caseInstanceId', caseExecutionId: 'caseExecutionId', caseDefinitionId: 'caseDefinitionId',
    caseDefinitionKey: 'caseDefinitionKey', taskName: 'name', taskDescription: 'description',
    taskDefinitionKey: 'taskDefinitionKey', taskDeleteReason: 'deleteReason', taskAssignee: 'assignee',
    taskOwner: 'owner', taskPriority: 'priority', taskDueDate: 'due', taskFollowUpDate: 'followUp',
  };
  for (const [param, name] of Object.entries(equal)) if (q[param] != null) field(name, q[param]);
  const like = { taskNameLike: 'name', taskDescriptionLike: 'description', taskDeleteReasonLike: 'deleteReason',
    taskAssigneeLike: 'assignee', taskOwnerLike: 'owner' };
  for (const [param, name] of Object.entries(like)) if (q[param] != null) field(name, { like: q[param] });
  if (q.caseDefinitionName != null) tests.push(() => false); // Detour runs no cases
  if (q.activityInstanceIdIn?.length) field('activityInstanceId', { in: q.activityInstanceIdIn });
  if (q.taskDefinitionKeyIn?.length) field('taskDefinitionKey', { in: q.taskDefinitionKeyIn });
  if (q.assigned) field('assignee', { ne: null });
  if (q.unassigned) field('assignee', null);
  if (q.finished) field('endTime', { ne: null });
  if (q.unfinished) field('endTime', null);
  if (q.taskDueDateBefore != null) field('due', { lte: q.taskDueDateBefore });
  if (q.taskDueDateAfter != null) field('due', { gte: q.taskDueDateAfter });
  if (q.withoutTaskDueDate) field('due', null);
  if (q.taskFollowUpDateBefore != null) field('followUp', { lte: q.taskFollowUpDateBefore });
  if (q.taskFollowUpDateAfter != null) field('followUp', { gte: q.taskFollowUpDateAfter });
  if (q.startedBefore != null) field('startTime', { lte: q.startedBefore });
  if (q.startedAfter != null) field('startTime', { gte: q.startedAfter });
  if (q.finishedBefore != null) field('endTime', { lte: q.finishedBefore });
  if (q.finishedAfter != null) field('endTime', { gte: q.finishedAfter });
  const tenant = tenantCondition(q);
  if (tenant !== undefined) field('tenantId', tenant);
  if (q.processInstanceBusinessKey != null) onInstance('businessKey', q.processInstanceBusinessKey);
  if (q.processInstanceBusinessKeyIn?.length) onInstance('businessKey', { in: q.processInstanceBusinessKeyIn });
  if (q.processInstanceBusinessKeyLike != null) onInstance('businessKey', { like: q.processInstanceBusinessKeyLike });
  if (q.processDefinitionName != null) onInstance('processDefinitionName', q.processDefinitionName);
  if (q.processFinished) onInstance('endTime', { ne: null });
  if (q.processUnfinished) onInstance('endTime', null);
  return { tests, instanceTests };
}
