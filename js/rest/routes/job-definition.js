// routes/job-definition.js — job definitions (rest-contract.md §7.7): GET|POST /job-definition,
// GET|POST /job-definition/count and GET /job-definition/{id}.
//
// The engine makes one job definition per async continuation and timer of a process definition
// at deploy time (js/job-definitions.js); this resource queries them as JobDefinitionQueryDto does.

import { RestError } from '../errors.js';
import { page, queryOf, sortingOf, sortRows } from '../params.js';

const QUERY = {
  jobDefinitionId: 'string',
  activityIdIn: 'stringList',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  jobType: 'string',
  jobConfiguration: 'string',
  active: 'boolean',
  suspended: 'boolean',
  withOverridingJobPriority: 'boolean',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  includeJobDefinitionsWithoutTenantId: 'boolean',
};

const SORT_KEYS = {
  jobDefinitionId: 'id',
  activityId: 'activityId',
  processDefinitionId: 'processDefinitionId',
  processDefinitionKey: 'processDefinitionKey',
  jobType: 'jobType',
  jobConfiguration: 'jobConfiguration',
  tenantId: 'tenantId',
};

export function register(router) {
  router.get('/job-definition', listJobDefinitions);
  router.post('/job-definition', listJobDefinitions);
  router.get('/job-definition/count', countJobDefinitions);
  router.post('/job-definition/count', countJobDefinitions);
  router.get('/job-definition/:id', getJobDefinition);
}

async function listJobDefinitions(ctx) {
  const rows = await findJobDefinitions(ctx);
  return page(sortRows(rows, sortingOf(ctx, SORT_KEYS)), ctx.search);
}

async function countJobDefinitions(ctx) {
  sortingOf(ctx, SORT_KEYS);
  return { count: (await findJobDefinitions(ctx)).length };
}

async function findJobDefinitions(ctx) {
  const q = queryOf(ctx, QUERY);
  const rows = await ctx.engine.jobDefinitions({
    jobDefinitionId: q.jobDefinitionId,
    activityIdIn: q.activityIdIn,
    processDefinitionId: q.processDefinitionId,
    processDefinitionKey: q.processDefinitionKey,
    jobType: q.jobType,
    jobConfiguration: q.jobConfiguration,
  });
  return rows.filter((d) => accepts(q, d));
}

// Flags act only when true; withoutTenantId replaces tenantIdIn (JobDefinitionQueryImpl).
function accepts(q, d) {
  if ((q.active && d.suspended) || (q.suspended && !d.suspended)) return false;
  if (q.withOverridingJobPriority && d.overridingJobPriority == null) return false;
  if (q.withoutTenantId) return d.tenantId == null;
  if (!q.tenantIdIn) return true;
  return q.tenantIdIn.includes(d.tenantId) || (!!q.includeJobDefinitionsWithoutTenantId && d.tenantId == null);
}

async function getJobDefinition(ctx) {
  const id = ctx.params.id;
  const [row] = await ctx.engine.jobDefinitions({ jobDefinitionId: id });
  if (!row) throw new RestError(404, `Job Definition with id ${id} does not exist`);
  return row; // the engine's rows are JobDefinitionDto already (js/dto.js)
}
