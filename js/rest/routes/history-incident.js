// routes/history-incident.js — GET /history/incident and /count: every incident an instance had,
// open, resolved or deleted (HistoricIncidentDto).

import { badQuery, pickDto, registerQuery, tenantCondition, where } from './history-query.js';

const FILTERS = {
  incidentId: 'string',
  incidentType: 'string',
  incidentMessage: 'string',
  incidentMessageLike: 'string',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  processDefinitionKeyIn: 'stringList',
  processInstanceId: 'string',
  executionId: 'string',
  createTimeBefore: 'date',
  createTimeAfter: 'date',
  endTimeBefore: 'date',
  endTimeAfter: 'date',
  activityId: 'string',
  failedActivityId: 'string',
  causeIncidentId: 'string',
  rootCauseIncidentId: 'string',
  configuration: 'string',
  historyConfiguration: 'string',
  open: 'boolean',
  resolved: 'boolean',
  deleted: 'boolean',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  jobDefinitionIdIn: 'stringList',
};

const SORT_KEYS = {
  incidentId: 'id',
  incidentMessage: 'incidentMessage',
  createTime: 'createTime',
  endTime: 'endTime',
  incidentType: 'incidentType',
  executionId: 'executionId',
  activityId: 'activityId',
  processInstanceId: 'processInstanceId',
  processDefinitionId: 'processDefinitionId',
  processDefinitionKey: 'processDefinitionKey',
  causeIncidentId: 'causeIncidentId',
  rootCauseIncidentId: 'rootCauseIncidentId',
  configuration: 'configuration',
  historyConfiguration: 'historyConfiguration',
  tenantId: 'tenantId',
  incidentState: (row) => (row.open ? 0 : row.resolved ? 1 : 2), // Camunda's state codes
};

const FIELDS = [
  'id', 'processDefinitionKey', 'processDefinitionId', 'processInstanceId', 'executionId',
  'rootProcessInstanceId', 'createTime', 'endTime', 'removalTime', 'incidentType', 'activityId',
  'failedActivityId', 'causeIncidentId', 'rootCauseIncidentId', 'configuration', 'historyConfiguration',
  'incidentMessage', 'tenantId', 'jobDefinitionId', 'open', 'deleted', 'resolved', 'annotation',
];

export function historicIncidentDto(row) {
  const dto = pickDto(row, FIELDS, ['createTime', 'endTime', 'removalTime']);
  for (const flag of ['open', 'deleted', 'resolved']) dto[flag] = !!row[flag]; // Java primitives
  return dto;
}

// Camunda's incident state names, in the order the flags are applied; one state per query.
const STATES = [['open', 'open'], ['resolved', 'resolved'], ['deleted', 'deleted']];

export function register(router) {
  registerQuery(router, '/history/incident', { spec: FILTERS, sortKeys: SORT_KEYS, select: selectIncidents, dto: historicIncidentDto, post: false });
}

export async function selectIncidents(engine, query) {
  const tests = incidentTests(query);
  const filter = {};
  if (query.incidentId != null) filter.incidentId = query.incidentId;
  if (query.processInstanceId != null) filter.processInstanceId = query.processInstanceId;
  return (await engine.historicIncidents(filter)).filter((row) => tests.every((test) => test(row)));
}

function incidentTests(q) {
  const tests = [];
  const field = (name, condition) => tests.push(where(name, condition));
  const same = { incidentId: 'id', incidentType: 'incidentType', incidentMessage: 'incidentMessage',
    processDefinitionId: 'processDefinitionId', processDefinitionKey: 'processDefinitionKey',
    processInstanceId: 'processInstanceId', executionId: 'executionId', activityId: 'activityId',
    failedActivityId: 'failedActivityId', causeIncidentId: 'causeIncidentId',
    rootCauseIncidentId: 'rootCauseIncidentId', configuration: 'configuration',
    historyConfiguration: 'historyConfiguration' };
  for (const [param, name] of Object.entries(same)) if (q[param] != null) field(name, q[param]);
  if (q.incidentMessageLike != null) field('incidentMessage', { like: q.incidentMessageLike });
  if (q.processDefinitionKeyIn?.length) field('processDefinitionKey', { in: q.processDefinitionKeyIn });
  if (q.createTimeBefore != null) field('createTime', { lte: q.createTimeBefore });
  if (q.createTimeAfter != null) field('createTime', { gte: q.createTimeAfter });
  if (q.endTimeBefore != null) field('endTime', { lte: q.endTimeBefore });
  if (q.endTimeAfter != null) field('endTime', { gte: q.endTimeAfter });
  if (q.jobDefinitionIdIn?.length) field('jobDefinitionId', { in: q.jobDefinitionIdIn });
  const tenant = tenantCondition(q);
  if (tenant !== undefined) field('tenantId', tenant);
  let state = null;
  for (const [flag, name] of STATES) {
    if (!q[flag]) continue;
    if (state) throw badQuery(`Already querying for incident state <${state}>`);
    state = name;
    field(flag, true);
  }
  return tests;
}
