// routes/history-detail.js — /history/detail: GET|POST list, GET count, GET /{id}. Detour's
// details are variable updates (one per value a variable took, `initial` on the values an instance
// was started with: what a restart with initialVariables reads); it records no form fields.

import { variableOut } from '../variables.js';
import { pickDto, registerGet, registerQuery, tenantCondition, typeIn, where, withOccurrence } from './history-query.js';

const PATH = '/history/detail';

const FILTERS = {
  processInstanceId: 'string',
  processInstanceIdIn: 'stringList',
  executionId: 'string',
  taskId: 'string',
  activityInstanceId: 'string',
  caseInstanceId: 'string',
  caseExecutionId: 'string',
  variableInstanceId: 'string',
  variableTypeIn: 'stringList',
  variableNameLike: 'string',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  userOperationId: 'string',
  formFields: 'boolean',
  variableUpdates: 'boolean',
  excludeTaskDetails: 'boolean',
  initial: 'boolean',
  occurredBefore: 'date',
  occurredAfter: 'date',
};

const SORT_KEYS = {
  processInstanceId: 'processInstanceId',
  variableName: 'variableName',
  variableType: 'variableType',
  variableRevision: 'revision',
  formPropertyId: () => null, // variable updates have no form property
  time: 'time',
  occurrence: '_occurrence',
  tenantId: 'tenantId',
};

// HistoricVariableUpdateDto (HistoricDetailDto + the variable's fields), type "variableUpdate".
const FIELDS = [
  'id', 'processDefinitionKey', 'processDefinitionId', 'processInstanceId', 'activityInstanceId',
  'executionId', 'caseDefinitionKey', 'caseDefinitionId', 'caseInstanceId', 'caseExecutionId', 'taskId',
  'tenantId', 'userOperationId', 'time', 'removalTime', 'rootProcessInstanceId', 'variableName',
  'variableInstanceId',
];

export function historicDetailDto(row) {
  const { type, value, valueInfo } = variableOut({ type: row.variableType, value: row.value, valueInfo: row.valueInfo });
  return {
    type: 'variableUpdate',
    ...pickDto(row, FIELDS, ['time', 'removalTime']),
    variableType: type,
    value,
    valueInfo,
    initial: !!row.initial,
    revision: row.revision ?? 0,
    errorMessage: row.errorMessage ?? null,
  };
}

export function register(router) {
  registerQuery(router, PATH, { spec: FILTERS, sortKeys: SORT_KEYS, select: selectDetails, dto: historicDetailDto, postCount: false });
  registerGet(router, PATH, {
    find: async (engine, id) => (await engine.historicDetails({ id }))[0],
    dto: historicDetailDto,
    message: (id) => `Historic detail with Id '${id}' does not exist.`,
  });
}

export async function selectDetails(engine, query) {
  const tests = detailTests(query);
  const filter = {};
  if (query.processInstanceId != null) filter.processInstanceId = query.processInstanceId;
  else if (query.processInstanceIdIn?.length) filter.processInstanceId = { in: query.processInstanceIdIn };
  const rows = withOccurrence(await engine.historicDetails(filter), 'time');
  return rows.filter((row) => tests.every((test) => test(row)));
}

function detailTests(q) {
  const tests = [];
  const field = (name, condition) => tests.push(where(name, condition));
  if (q.processInstanceId != null) field('processInstanceId', q.processInstanceId);
  if (q.executionId != null) field('executionId', q.executionId);
  if (q.activityInstanceId != null) field('activityInstanceId', q.activityInstanceId);
  if (q.caseInstanceId != null) field('caseInstanceId', q.caseInstanceId);
  if (q.caseExecutionId != null) field('caseExecutionId', q.caseExecutionId);
  if (q.variableInstanceId != null) field('variableInstanceId', q.variableInstanceId);
  if (q.variableTypeIn?.length) {
    const accepts = typeIn(q.variableTypeIn);
    tests.push((row) => accepts(row.variableType));
  }
  if (q.variableNameLike != null) field('variableName', { like: q.variableNameLike });
  if (q.taskId != null) field('taskId', q.taskId);
  // Java asks `!= null`, not `true`: formFields=false still selects form fields only; a later
  // variableUpdates wins over it.
  const kind = q.variableUpdates !== undefined ? 'variableUpdate' : q.formFields !== undefined ? 'formField' : null;
  if (kind === 'formField') tests.push(() => false);
  if (q.excludeTaskDetails !== undefined) field('taskId', null);
  const tenant = tenantCondition(q);
  if (tenant !== undefined) field('tenantId', tenant);
  if (q.processInstanceIdIn?.length) field('processInstanceId', { in: q.processInstanceIdIn });
  if (q.userOperationId != null) field('userOperationId', q.userOperationId);
  if (q.occurredBefore != null) field('time', { lte: q.occurredBefore });
  if (q.occurredAfter != null) field('time', { gte: q.occurredAfter });
  if (q.initial) field('initial', true);
  return tests;
}
