// routes/incident.js — open incidents (rest-contract.md §7.10): GET /incident, GET /incident/count
// and GET /incident/{id}. Incidents are raised by the engine (a job or an external task out of
// retries) and resolved with them; this resource only reads them.

import { formatDate } from '../dates.js';
import { RestError } from '../errors.js';
import { likeMatches, page, queryOf, sortingOf, sortRows } from '../params.js';

const QUERY = {
  incidentId: 'string',
  incidentType: 'string',
  incidentMessage: 'string',
  incidentMessageLike: 'string',
  processDefinitionId: 'string',
  processDefinitionKeyIn: 'stringList',
  processInstanceId: 'string',
  executionId: 'string',
  incidentTimestampBefore: 'date',
  incidentTimestampAfter: 'date',
  activityId: 'string',
  failedActivityId: 'string',
  causeIncidentId: 'string',
  rootCauseIncidentId: 'string',
  configuration: 'string',
  tenantIdIn: 'stringList',
  jobDefinitionIdIn: 'stringList',
};

const SORT_KEYS = {
  incidentId: 'id',
  incidentMessage: 'incidentMessage',
  incidentTimestamp: 'incidentTimestamp',
  incidentType: 'incidentType',
  executionId: 'executionId',
  activityId: 'activityId',
  processInstanceId: 'processInstanceId',
  processDefinitionId: 'processDefinitionId',
  causeIncidentId: 'causeIncidentId',
  rootCauseIncidentId: 'rootCauseIncidentId',
  configuration: 'configuration',
  tenantId: 'tenantId',
};

export function register(router) {
  router.get('/incident', listIncidents);
  router.get('/incident/count', countIncidents);
  router.get('/incident/:id', getIncident);
}

async function listIncidents(ctx) {
  const rows = await findIncidents(ctx);
  return page(sortRows(rows, sortingOf(ctx, SORT_KEYS)), ctx.search).map(incidentOut);
}

async function countIncidents(ctx) {
  sortingOf(ctx, SORT_KEYS);
  return { count: (await findIncidents(ctx)).length };
}

// The conditions go down to the store (memory.js matches() language) — processDefinitionKey is on
// the incident rows, not in IncidentDto — except the message pattern, checked here.
async function findIncidents(ctx) {
  const q = queryOf(ctx, QUERY);
  const range = {};
  if (q.incidentTimestampBefore != null) range.lt = q.incidentTimestampBefore;
  if (q.incidentTimestampAfter != null) range.gt = q.incidentTimestampAfter;
  const rows = await ctx.engine.incidents({
    incidentId: q.incidentId,
    incidentType: q.incidentType,
    incidentMessage: q.incidentMessage,
    processDefinitionId: q.processDefinitionId,
    processDefinitionKey: q.processDefinitionKeyIn && { in: q.processDefinitionKeyIn },
    processInstanceId: q.processInstanceId,
    executionId: q.executionId,
    incidentTimestamp: Object.keys(range).length ? range : undefined,
    activityId: q.activityId,
    failedActivityId: q.failedActivityId,
    causeIncidentId: q.causeIncidentId,
    rootCauseIncidentId: q.rootCauseIncidentId,
    configuration: q.configuration,
    tenantId: q.tenantIdIn && { in: q.tenantIdIn },
    jobDefinitionId: q.jobDefinitionIdIn && { in: q.jobDefinitionIdIn },
  });
  return q.incidentMessageLike == null ? rows : rows.filter((i) => likeMatches(q.incidentMessageLike, i.incidentMessage));
}

/** IncidentDto, every field written. */
function incidentOut(i) {
  return {
    id: i.id,
    processDefinitionId: i.processDefinitionId ?? null,
    processInstanceId: i.processInstanceId ?? null,
    executionId: i.executionId ?? null,
    incidentTimestamp: formatDate(i.incidentTimestamp ?? null),
    incidentType: i.incidentType ?? null,
    activityId: i.activityId ?? null,
    failedActivityId: i.failedActivityId ?? null,
    causeIncidentId: i.causeIncidentId ?? null,
    rootCauseIncidentId: i.rootCauseIncidentId ?? null,
    configuration: i.configuration ?? null,
    tenantId: i.tenantId ?? null,
    incidentMessage: i.incidentMessage ?? null,
    jobDefinitionId: i.jobDefinitionId ?? null,
    annotation: i.annotation ?? null,
  };
}

async function getIncident(ctx) {
  const id = ctx.params.id;
  const [row] = await ctx.engine.incidents({ incidentId: id });
  if (!row) throw new RestError(404, `No matching incident with id ${id}`);
  return incidentOut(row);
}
