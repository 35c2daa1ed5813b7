// routes/process-instance-variables.js — the variables sub-resource of a process instance
// (GET/POST /process-instance/{id}/variables, GET/PUT/DELETE …/variables/{varName}; rest-contract.md
// §7.3, §3), written once for Camunda's AbstractVariablesResource so the execution's
// localVariables (routes/execution.js) can share it.
//
// Statuses and messages are the Java resource's: a missing variable is a 404; an unknown instance
// is a 500 whose message wraps the engine's "execution X doesn't exist: execution is null"; a
// value that will not convert is a 400 "Cannot put … variable N: …". Java converts values before
// it looks the instance up; Detour's core converts them inside the command, so for an unknown
// instance with a bad value the 500 comes first.

import { CoreError } from '../../core.js';
import { RestError, engineCode, invalidRequest, isBadUserRequest, isEngineError } from '../errors.js';
import { queryFromSearch } from '../params.js';
import { variableOut, variablesIn, variablesOut } from '../variables.js';

/**
 * Registers the variable routes under `path` ('/process-instance/:id/variables').
 *   typeName  how messages name the resource ('process instance', 'execution')
 *   local     only the execution's own variables (localVariables), else the visible ones
 */
export function registerVariables(router, path, { typeName, local = false }) {
  const resource = { typeName, local };
  router.get(path, (ctx) => getVariables(ctx, resource));
  router.post(path, (ctx) => modifyVariables(ctx, resource));
  router.get(`${path}/:varName`, (ctx) => getVariable(ctx, resource));
  router.put(`${path}/:varName`, (ctx) => putVariable(ctx, resource));
  router.delete(`${path}/:varName`, (ctx) => deleteVariable(ctx, resource));
}

// deserializeValue(s) only concern Object values, which the core does not hold: read, then unused.
const DESERIALIZE = { deserializeValues: 'boolean', deserializeValue: 'boolean' };

async function getVariables(ctx, { local }) {
  queryFromSearch(ctx.search, DESERIALIZE);
  const { id } = ctx.params;
  try {
    return variablesOut(await ctx.engine.variables(id, { local }));
  } catch (e) {
    // Java lets this one through to the generic handler: 500 with the engine's NullValueException
    if (isMissing(e)) throw new CoreError('NullValueException', missingMessage(id));
    throw e;
  }
}

async function getVariable(ctx, { typeName, local }) {
  queryFromSearch(ctx.search, DESERIALIZE);
  const { id, varName } = ctx.params;
  let variables;
  try {
    variables = await ctx.engine.variables(id, { local });
  } catch (e) {
    throw wrapped(e, `Cannot get ${typeName} variable ${varName}`, id);
  }
  if (!Object.hasOwn(variables, varName)) throw new RestError(404, `${typeName} variable with name ${varName} does not exist`);
  return variableOut(variables[varName]);
}

async function putVariable(ctx, { typeName, local }) {
  const { id, varName } = ctx.params;
  const prefix = `Cannot put ${typeName} variable ${varName}`;
  const value = variablesIn({ [varName]: ctx.body ?? {} });
  try {
    await ctx.engine.setVariables(id, value, { local });
  } catch (e) {
    throw wrapped(e, prefix, id, { badUserRequest: 400 });
  }
}

async function deleteVariable(ctx, { typeName, local }) {
  const { id, varName } = ctx.params;
  try {
    await ctx.engine.removeVariable(id, varName, { local });
  } catch (e) {
    throw wrapped(e, `Cannot delete ${typeName} variable ${varName}`, id);
  }
}

// PatchVariablesDto: updates first, then deletions (the engine command keeps that order).
async function modifyVariables(ctx, { typeName, local }) {
  const { id } = ctx.params;
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('');
  const modifications = variablesIn(body.modifications);
  const deletions = body.deletions ?? [];
  if (!Array.isArray(deletions) || deletions.some((d) => typeof d !== 'string')) throw invalidRequest('');
  try {
    await ctx.engine.modifyVariables(id, { modifications, deletions, local });
  } catch (e) {
    // a value that will not convert: Java finds it while reading the body, before the engine call
    if (isEngineError(e) && e.type === 'InvalidRequestException') {
      throw new RestError(400, `Cannot modify variables for ${typeName}: ${e.message}`);
    }
    if (!isEngineError(e)) throw e;
    const message = isMissing(e) ? missingMessage(id) : e.message;
    throw new RestError(500, `Cannot modify variables for ${typeName} ${id}: ${message}`, { type: 'RestException', code: engineCode(e) });
  }
}

// How AbstractVariablesResource rewords an engine exception: a value conversion failure is its
// own 400; the BadUserRequest family is a 400 RestException where the resource says so (put),
// else like anything else a 500 RestException. The code is the engine exception's.
function wrapped(e, prefix, id, { badUserRequest = 500 } = {}) {
  if (!isEngineError(e)) return e;
  if (e.type === 'InvalidRequestException') return new RestError(400, `${prefix}: ${e.message}`);
  const code = engineCode(e);
  if (isMissing(e)) return new RestError(500, `${prefix}: ${missingMessage(id)}`, { type: 'RestException', code });
  const status = isBadUserRequest(e) ? badUserRequest : 500;
  return new RestError(status, `${prefix}: ${e.message}`, { type: 'RestException', code });
}

// The engine's "execution X doesn't exist" (no such instance or execution).
function isMissing(e) {
  return isEngineError(e) && e.type === 'NotFoundException' && /^execution .* doesn't exist$/.test(e.message);
}

// Camunda's ensureNotNull("execution X doesn't exist", "execution", null) message.
function missingMessage(id) {
  return `execution ${id} doesn't exist: execution is null`;
}
