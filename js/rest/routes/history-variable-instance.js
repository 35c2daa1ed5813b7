// routes/history-variable-instance.js — /history/variable-instance (rest-contract.md §7.5):
// GET|POST list and count, GET /{id}. One row per variable instance, holding its last value;
// deleted ones (state DELETED) only with includeDeleted. `deserializeValues` changes nothing:
// Detour keeps Object values in their serialized form.

import { RestError } from '../errors.js';
import { variableOut, variablesMatch } from '../variables.js';
import { pickDto, registerGet, registerQuery, tenantCondition, typeIn, where } from './history-query.js';

const PATH = '/history/variable-instance';

const FILTERS = {
  variableName: 'string',
  variableNameLike: 'string',
  variableValue: 'string', // "treated as a String on the server side" in a GET
  variableNamesIgnoreCase: 'boolean',
  variableValuesIgnoreCase: 'boolean',
  variableTypeIn: 'stringList',
  includeDeleted: 'boolean',
  processInstanceId: 'string',
  processInstanceIdIn: 'stringList',
  processDefinitionId: 'string',
  processDefinitionKey: 'string',
  executionIdIn: 'stringList',
  caseInstanceId: 'string',
  caseExecutionIdIn: 'stringList',
  caseActivityIdIn: 'stringList',
  taskIdIn: 'stringList',
  activityInstanceIdIn: 'stringList',
  tenantIdIn: 'stringList',
  withoutTenantId: 'boolean',
  variableNameIn: 'stringList',
};

const BODY = { ...FILTERS, variableValue: 'json' }; // a string, number or boolean in a body

const SORT_KEYS = { instanceId: 'processInstanceId', variableName: 'name', tenantId: 'tenantId' };

const FIELDS = [
  'id', 'name', 'processDefinitionKey', 'processDefinitionId', 'processInstanceId', 'executionId',
  'activityInstanceId', 'caseDefinitionKey', 'caseDefinitionId', 'caseInstanceId', 'caseExecutionId',
  'taskId', 'tenantId', 'errorMessage', 'state', 'createTime', 'removalTime', 'rootProcessInstanceId',
];

/** HistoricVariableInstanceDto: the typed value ({type, value, valueInfo}) and where it lived. */
export function historicVariableInstanceDto(row) {
  return { ...variableOut(row), ...pickDto(row, FIELDS, ['createTime', 'removalTime']) };
}

export function register(router) {
  registerQuery(router, PATH, { spec: FILTERS, bodySpec: BODY, sortKeys: SORT_KEYS, select: selectVariableInstances, dto: historicVariableInstanceDto });
  registerGet(router, PATH, {
    find: async (engine, id) => (await engine.historicVariableInstances({ id }))[0],
    dto: historicVariableInstanceDto,
    message: (id) => `Historic variable instance with Id '${id}' does not exist.`,
  });
}

export async function selectVariableInstances(engine, query) {
  const tests = variableTests(query);
  const filter = { includeDeleted: !!query.includeDeleted };
  if (query.processInstanceId != null) filter.processInstanceId = query.processInstanceId;
  else if (query.processInstanceIdIn?.length) filter.processInstanceId = { in: query.processInstanceIdIn };
  const rows = await engine.historicVariableInstances(filter);
  return rows.filter((row) => tests.every((test) => test(row)));
}

function variableTests(q) {
  const tests = [];
  const field = (name, condition) => tests.push(where(name, condition));
  const options = { namesIgnoreCase: !!q.variableNamesIgnoreCase, valuesIgnoreCase: !!q.variableValuesIgnoreCase };
  if (q.processInstanceId != null) field('processInstanceId', q.processInstanceId);
  if (q.processDefinitionId != null) field('processDefinitionId', q.processDefinitionId);
  if (q.processDefinitionKey != null) field('processDefinitionKey', q.processDefinitionKey);
  if (q.caseInstanceId != null) field('caseInstanceId', q.caseInstanceId);
  if (q.variableName != null) {
    tests.push((row) => (options.namesIgnoreCase ? row.name?.toLowerCase() === q.variableName.toLowerCase() : row.name === q.variableName));
  }
  if (q.variableNameLike != null) field('name', { like: q.variableNameLike });
  if (q.variableValue !== undefined) {
    if (q.variableName == null) {
      throw new RestError(400, 'Only a single variable value parameter specified: variable name and value are required to be able to query after a specific variable value.');
    }
    const condition = [{ name: q.variableName, operator: 'eq', value: q.variableValue }];
    tests.push((row) => variablesMatch({ [row.name]: row }, condition, options));
  }
  if (q.variableTypeIn?.length) {
    const accepts = typeIn(q.variableTypeIn);
    tests.push((row) => accepts(row.type));
  }
  const list = (name, field_) => {
    if (q[name]?.length) field(field_, { in: q[name] });
  };
  list('executionIdIn', 'executionId');
  list('taskIdIn', 'taskId');
  list('processInstanceIdIn', 'processInstanceId');
  list('activityInstanceIdIn', 'activityInstanceId');
  list('caseExecutionIdIn', 'caseExecutionId');
  if (q.caseActivityIdIn?.length) tests.push(() => false); // Detour runs no case instances
  const tenant = tenantCondition(q);
  if (tenant !== undefined) field('tenantId', tenant);
  list('variableNameIn', 'name');
  return tests;
}
