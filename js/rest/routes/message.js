// routes/message.js — POST /message (rest-contract.md §7.11): correlates a message to the
// executions waiting for it, narrowed by business key, process instance, tenant and correlation
// keys (process variables that must equal the given values), and sets the given variables.
//
// As Camunda's MessageRestServiceImpl: the request is checked first (400 InvalidRequestException),
// every variable map is converted before anything runs ("Cannot deliver message: …"), a message
// that matches no execution or too many is a 400 RestException wrapping the engine's
// MismatchingMessageCorrelationException; 204 unless resultEnabled.

import { RestError, invalidRequest } from '../errors.js';
import { reply } from '../router.js';
import { typedValues, variablesIn, variablesOut } from '../variables.js';

const MAPS = ['correlationKeys', 'localCorrelationKeys', 'processVariables', 'processVariablesLocal', 'processVariablesToTriggeredScope'];
const FLAGS = ['withoutTenantId', 'all', 'resultEnabled', 'variablesInResultEnabled'];
const STRINGS = ['messageName', 'businessKey', 'processInstanceId', 'tenantId'];

export function register(router) {
  router.post('/message', deliverMessage);
}

async function deliverMessage(ctx) {
  const dto = correlationMessage(ctx.body);
  if (dto.messageName == null) throw invalidRequest('No message name supplied');
  if (dto.tenantId != null && dto.withoutTenantId) {
    throw invalidRequest("Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.");
  }
  if (!dto.resultEnabled && dto.variablesInResultEnabled) {
    throw invalidRequest("Parameter 'variablesInResultEnabled' cannot be used without 'resultEnabled' set to true.");
  }
  const keys = convertedMaps(dto);
  let results;
  try {
    results = await ctx.engine.correlateMessage(dto.messageName, {
      businessKey: dto.businessKey ?? undefined,
      processInstanceId: dto.processInstanceId ?? undefined,
      // a tenant id, or null for "without tenant id"; undefined: any tenant
      tenantId: dto.tenantId ?? (dto.withoutTenantId ? null : undefined),
      correlationKeys: keys.correlationKeys,
      localCorrelationKeys: keys.localCorrelationKeys,
      processVariables: variablesIn(dto.processVariables),
      processVariablesLocal: variablesIn(dto.processVariablesLocal),
      all: !!dto.all,
      variablesInResult: !!dto.variablesInResultEnabled,
    });
  } catch (e) {
    throw correlationError(e);
  }
  if (!dto.resultEnabled) return undefined;
  return reply(200, results.map((r) => resultDto(r, dto.variablesInResultEnabled)));
}

// The body as Jackson maps CorrelationMessageDto: wrong JSON types are a 400 with message "".
function correlationMessage(body) {
  if (body == null) return {};
  const wrong = () => invalidRequest('');
  if (typeof body !== 'object' || Array.isArray(body)) throw wrong();
  for (const name of STRINGS) if (body[name] != null && typeof body[name] !== 'string') throw wrong();
  for (const name of FLAGS) if (body[name] != null && typeof body[name] !== 'boolean') throw wrong();
  for (const name of MAPS) variablesIn(body[name]); // shape only
  return body;
}

/**
 * Every variable map converted up front, as VariableValueDto.toMap does before the correlation:
 * a bad value fails the request even when no execution would match. → the correlation keys as
 * {name: {type, value}} for the engine to compare.
 */
function convertedMaps(dto) {
  const converted = {};
  try {
    for (const name of MAPS) converted[name] = typedValues(dto[name]);
  } catch (e) {
    throw e instanceof RestError ? invalidRequest(`Cannot deliver message: ${e.message}`) : e;
  }
  if (Object.keys(converted.processVariablesToTriggeredScope).length) {
    // refused rather than dropped: the core sets message variables on the instance or the waiting execution only
    throw invalidRequest('Cannot deliver message: processVariablesToTriggeredScope is not supported by Detour');
  }
  return converted;
}

// MismatchingMessageCorrelationException → 400 RestException whose message is the cause's
// toString() (Java's RuntimeException(cause)); a value the core would not convert → "Cannot deliver message".
function correlationError(e) {
  if (e?.type === 'MismatchingMessageCorrelationException') {
    return new RestError(400, `org.camunda.bpm.engine.MismatchingMessageCorrelationException: ${e.message}`, { type: 'RestException', code: 0 });
  }
  if (e?.type === 'InvalidRequestException') return invalidRequest(`Cannot deliver message: ${e.message}`);
  return e;
}

function resultDto(r, withVariables) {
  const dto = {
    resultType: r.resultType,
    execution: r.execution
      ? { id: r.execution.id, processInstanceId: r.execution.processInstanceId, ended: !!r.execution.ended, tenantId: r.execution.tenantId ?? null }
      : null,
    processInstance: r.processInstance ?? null,
  };
  if (withVariables) dto.variables = variablesOut(r.variables ?? {});
  return dto;
}
