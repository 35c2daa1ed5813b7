// routes/history-activity-instance.js — /history/activity-instance (rest-contract.md §7.5):
// GET|POST list and count, GET /{id}. One row per activity instance the engine ran (started,
// ended, canceled), including the instance's start and end events.

import { badQuery, pickDto, registerGet, registerQuery, tenantCondition, where, withOccurrence } from './history-query.js';

const PATH = '/history/activity-instance';

const FILTERS = {
  activityInstanceId: 'string',
  processInstanceId: 'string',
  processDefinitionId: 'string',
  executionId: 'string',
  activityId: 'string',
  activityName: 'string',
  activityNameLike: 'string',
  activityType: 'string',
  taskAssignee: 'string',
  finished: 'boolean',
  unfinished: 'boolean',
  canceled: 'boolean',
  completeScope: 'boolean',
  startedBefore: 'date',
  startedAfter: 'date',
  finishedBefore: 'date',
  finishedAfter: 'date',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
};

const SORT_KEYS = {
  activityInstanceId: 'id',
  instanceId: 'processInstanceId',
  executionId: 'executionId',
  activityId: 'activityId',
  activityName: 'activityName',
  activityType: 'activityType',
  startTime: 'startTime',
  endTime: 'endTime',
  duration: 'durationInMillis',
  definitionId: 'processDefinitionId',
  occurrence: '_occurrence',
  tenantId: 'tenantId',
};

const FIELDS = [
  'id', 'parentActivityInstanceId', 'activityId', 'activityName', 'activityType', 'processDefinitionKey',
  'processDefinitionId', 'processInstanceId', 'executionId', 'taskId', 'calledProcessInstanceId',
  'calledCaseInstanceId', 'assignee', 'startTime', 'endTime', 'durationInMillis', 'canceled',
  'completeScope', 'tenantId', 'removalTime', 'rootProcessInstanceId',
];

export function historicActivityInstanceDto(row) {
  return pickDto(row, FIELDS, ['startTime', 'endTime', 'removalTime']);
}

export function register(router) {
  registerQuery(router, PATH, { spec: FILTERS, sortKeys: SORT_KEYS, select: selectActivityInstances, dto: historicActivityInstanceDto });
  registerGet(router, PATH, {
    find: async (engine, id) => (await engine.historicActivityInstances({ activityInstanceId: id }))[0],
    dto: historicActivityInstanceDto,
    message: (id) => `Historic activity instance with id '${id}' does not exist`,
  });
}

export async function selectActivityInstances(engine, query) {
  const tests = activityTests(query);
  const filter = {};
  if (query.activityInstanceId != null) filter.activityInstanceId = query.activityInstanceId;
  if (query.processInstanceId != null) filter.processInstanceId = query.processInstanceId;
  const rows = withOccurrence(await engine.historicActivityInstances(filter), 'startTime');
  return rows.filter((row) => tests.every((test) => test(row)));
}

function activityTests(q) {
  const tests = [];
  const field = (name, condition) => tests.push(where(name, condition));
  if (q.activityInstanceId != null) field('id', q.activityInstanceId);
  if (q.processInstanceId != null) field('processInstanceId', q.processInstanceId);
  if (q.processDefinitionId != null) field('processDefinitionId', q.processDefinitionId);
  if (q.executionId != null) field('executionId', q.executionId);
  if (q.activityId != null) field('activityId', q.activityId);
  if (q.activityName != null) field('activityName', q.activityName);
  if (q.activityNameLike != null) field('activityName', { like: q.activityNameLike });
  if (q.activityType != null) field('activityType', q.activityType);
  if (q.taskAssignee != null) field('assignee', q.taskAssignee);
  if (q.finished) field('endTime', { ne: null });
  if (q.unfinished) field('endTime', null);
  // Java keeps one activity instance state: asking for both is refused (completeScope comes first)
  if (q.completeScope && q.canceled) throw badQuery('Already querying for activity instance state <scopeComplete>');
  if (q.completeScope) field('completeScope', true);
  if (q.canceled) field('canceled', true);
  if (q.startedBefore != null) field('startTime', { lte: q.startedBefore });
  if (q.startedAfter != null) field('startTime', { gte: q.startedAfter });
  if (q.finishedBefore != null) field('endTime', { lte: q.finishedBefore });
  if (q.finishedAfter != null) field('endTime', { gte: q.finishedAfter });
  const tenant = tenantCondition(q);
  if (tenant !== undefined) field('tenantId', tenant);
  return tests;
}
