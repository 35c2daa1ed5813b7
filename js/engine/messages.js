// messages.js — message correlation (Camunda's runtimeService.createMessageCorrelation): find the
// instances with executions waiting for the message that match the correlation set (business key,
// instance, tenant, correlation keys), then trigger each with one core command on that instance.
// Only active executions match: a suspended instance's subscriptions are skipped.

import { CoreError } from '../core.js';

/**
 * Correlates a message to waiting executions (receive tasks, message catch and boundary events,
 * message event subprocesses; the core has no process-level message start events):
 * {businessKey, processInstanceId, tenantId (null: only executions without tenant),
 * correlationKeys / localCorrelationKeys ({name: {type, value}}: variables of the process instance /
 * local variables of the waiting execution that must equal these; numbers compare across numeric
 * types, dates as the core writes them), processVariables, processVariablesLocal, all,
 * variablesInResult (each result gets the instance's variables after the correlation)}.
 * → [{resultType: 'Execution', execution: {id, processInstanceId, ended, tenantId}, processInstance: null, variables?}]
 */
export async function correlateMessage(engine, messageName, options = {}) {
  const { businessKey, processInstanceId, tenantId, processVariables = {}, processVariablesLocal = {}, all = false } = options;
  if (!messageName) throw new CoreError('BadUserRequestException', 'No message name supplied');
  const subs = await engine.store.rows('subscriptions', { eventName: messageName, processInstanceId, tenantId });
  const byInstance = new Map();
  for (const s of subs) {
    const row = byInstance.get(s.processInstanceId)?.row ?? (await engine.store.getInstance(s.processInstanceId));
    // Camunda correlates to active executions only: a suspended instance's subscriptions do not match
    if (!row || row.suspended || (businessKey != null && row.businessKey !== businessKey)) continue;
    if (!byInstance.has(row.id)) byInstance.set(row.id, { row, subscriptions: [] });
    byInstance.get(row.id).subscriptions.push(s);
  }
  const candidates = [];
  for (const entry of byInstance.values()) if (await matchesCorrelationKeys(engine, entry, options)) candidates.push(entry);
  const matches = candidates.reduce((n, x) => n + x.subscriptions.length, 0);
  if (matches > 1 && !all) {
    throw new CoreError(
      'MismatchingMessageCorrelationException',
      `ENGINE-13031 Cannot correlate a message with name '${messageName}' to a single execution. ${matches} executions match the correlation keys: ${correlationSet(options)}`,
    );
  }
  const results = [];
  for (const { row } of candidates) {
    const { result, state } = await engine._run(row, { command: 'correlateMessage', messageName, processVariables, processVariablesLocal, all });
    const variables = options.variablesInResult ? { variables: await engine.processInstanceVariables(row.id) } : {};
    for (const id of result?.executionIds ?? []) {
      results.push({ resultType: 'Execution', execution: { id, processInstanceId: row.id, ended: !!state?.ended, tenantId: row.tenantId ?? null }, processInstance: null, ...variables });
    }
  }
  if (!results.length) throw noCorrelation(messageName);
  return results;
}

/**
 * Whether an instance ({row, subscriptions}) satisfies the correlation keys; localCorrelationKeys
 * narrow its subscriptions. The core triggers all of an instance's subscriptions of a message
 * or none, so keys that select only some of them are refused rather than ignored.
 */
async function matchesCorrelationKeys(engine, entry, { correlationKeys, localCorrelationKeys }) {
  const local = (executionId) => engine._run(entry.row, { command: 'variables', local: true, ...(executionId ? { executionId } : {}) });
  if (hasKeys(correlationKeys) && !variablesEqual((await local()).result, correlationKeys)) return false;
  if (!hasKeys(localCorrelationKeys)) return true;
  const kept = [];
  for (const s of entry.subscriptions) if (variablesEqual((await local(s.executionId)).result, localCorrelationKeys)) kept.push(s);
  if (kept.length && kept.length < entry.subscriptions.length) {
    throw new CoreError(
      'ProcessEngineException',
      `Cannot correlate to ${kept.length} of the ${entry.subscriptions.length} executions of process instance ${entry.row.id} waiting for the message: Detour triggers all of them or none`,
    );
  }
  entry.subscriptions = kept;
  return kept.length > 0;
}

// Camunda's message when nothing waits for the message (MismatchingMessageCorrelationException).
function noCorrelation(messageName) {
  return new CoreError(
    'MismatchingMessageCorrelationException',
    `Cannot correlate message '${messageName}': No process definition or execution matches the parameters`,
  );
}

// --- correlation keys --------------------------------------------------------------------------

const NUMERIC_TYPES = new Set(['Integer', 'Long', 'Short', 'Double']);

function hasKeys(map) {
  return map != null && Object.keys(map).length > 0;
}

/** Whether every wanted {type, value} equals the variable of that name (Camunda's variableValueEquals). */
function variablesEqual(variables, wanted) {
  return Object.entries(wanted).every(([name, w]) => name in (variables ?? {}) && sameTypedValue(variables[name], w));
}

// A null matches a null of any type; numbers match across numeric types; otherwise type and value.
function sameTypedValue(actual, wanted) {
  const a = actual?.value ?? null;
  const w = wanted?.value ?? null;
  if (w === null || a === null) return w === null && a === null;
  const type = (t) => (t ? t[0].toUpperCase() + t.slice(1) : t);
  if (NUMERIC_TYPES.has(type(actual.type)) && NUMERIC_TYPES.has(type(wanted.type))) return Number(a) === Number(w);
  return type(actual.type) === type(wanted.type) && a === w;
}

/** Camunda's CorrelationSet.toString(), as its mismatch messages print it. */
function correlationSet({ businessKey, processInstanceId, correlationKeys, localCorrelationKeys, tenantId }) {
  const map = (m) => (hasKeys(m) ? `{${Object.entries(m).map(([k, v]) => `${k}=${v?.value ?? null}`).join(', ')}}` : null);
  return (
    `CorrelationSet [businessKey=${businessKey ?? null}, processInstanceId=${processInstanceId ?? null}, processDefinitionId=null, ` +
    `correlationKeys=${map(correlationKeys)}, localCorrelationKeys=${map(localCorrelationKeys)}, tenantId=${tenantId ?? null}, ` +
    `isTenantIdSet=${tenantId !== undefined}, isExecutionsOnly=false]`
  );
}
