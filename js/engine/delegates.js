// delegates.js — delegates (camunda:class, delegateExpression, listeners) are synchronous JS
// functions registered by name; the core calls the host back while a command runs. invokeDelegate
// runs the named function with a DelegateExecution-like view of the call and turns what it
// returns or throws into the core's reply. Delegates must be synchronous: the core cannot wait
// for a promise in the middle of a command.

/** Thrown by a delegate to raise a BPMN error (caught by error boundary events / event subprocesses). */
export class BpmnError extends Error {
  constructor(errorCode, message = '') {
    super(message || errorCode);
    this.name = 'BpmnError';
    this.errorCode = errorCode;
    this.errorMessage = message || null;
  }
}

/**
 * The core's host hook: runs the delegate `request.delegate` of `delegates` (a Map name → fn) and
 * translates its outcome into a reply: {variables}, {bpmnError, variables} or {error}; null when
 * no such delegate is registered.
 */
export function invokeDelegate(delegates, request) {
  const fn = delegates.get(request.delegate);
  if (!fn) return null;
  const execution = delegateExecution(request);
  try {
    const returned = fn(execution);
    if (returned && typeof returned.then === 'function') {
      return { error: { message: `Delegate '${request.delegate}' returned a promise: delegates must be synchronous` } };
    }
    return { variables: { ...execution.changes, ...typedMap(returned) } };
  } catch (e) {
    // what the delegate set before throwing stays, for the error path (as in Camunda)
    if (e instanceof BpmnError) {
      return { bpmnError: { errorCode: e.errorCode, errorMessage: e.errorMessage }, variables: execution.changes };
    }
    return { error: { message: e?.message ?? String(e) } };
  }
}

/** What a delegate sees: the request's fields plus getVariable / setVariable, like DelegateExecution. */
function delegateExecution(request) {
  const info = request.execution ?? request;
  const variables = request.variables ?? {};
  const changes = {};
  return {
    delegate: request.delegate,
    event: request.event,
    eventName: request.event,
    activityId: info.activityId ?? null,
    executionId: info.executionId ?? info.id ?? null,
    processInstanceId: info.processInstanceId ?? null,
    businessKey: info.businessKey ?? null,
    variables,
    changes,
    getVariable(name) {
      if (name in changes) return changes[name].value;
      return variables[name]?.value ?? null;
    },
    getVariableTyped(name) {
      return changes[name] ?? variables[name] ?? null;
    },
    setVariable(name, value, type) {
      changes[name] = type ? { value, type } : { value };
    },
  };
}

// Plain values become {value} (the core infers the type); {value, type} objects stay typed.
function typedMap(map) {
  if (!map || typeof map !== 'object') return {};
  const out = {};
  for (const [name, v] of Object.entries(map)) {
    out[name] = v !== null && typeof v === 'object' && 'value' in v && 'type' in v ? v : { value: v };
  }
  return out;
}
