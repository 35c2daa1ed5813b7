// instructions.js — Camunda's instruction DTOs (ProcessInstanceModificationInstructionDto and its
// four subclasses, rest-contract.md §5, semantics.md §4.2) read once for every use:
//
//   'start'   — startInstructions of POST /process-definition/{id}/start
//   'single'  — POST /process-instance/{id}/modification (and -async)
//   'multi'   — POST /modification/execute (and executeAsync)
//   'restart' — POST /process-definition/{id}/restart (and restart-async)
//
// Java reads a request in two steps, and so does this module:
//  1. Jackson maps the whole body (instructionsShape): a list that is not an array, an entry that
//     is not an object, a missing or unknown polymorphic `type`, a field of the wrong JSON type or
//     a variable map of the wrong shape is a mapping error: 400 InvalidRequestException with
//     message "" — for any instruction of the list, before anything else is checked.
//  2. Each DTO's applyTo, in list order (instructionsFor): the required field of its type
//     (`For instruction type '<type>': ...`, CancellationInstructionDto, StartBeforeInstructionDto,
//     StartAfterInstructionDto, StartTransitionInstructionDto), then the conversion of its variables
//     (TriggerVariableValueDto.toTypedValue: `Unsupported value type 'X'`, `Cannot convert value ...`).
//
// What each use takes (rest-contract.md §5 table, semantics.md "Detour's policy" 2):
//
//   cancel                        single: exactly one of activityId / activityInstanceId /
//                                 transitionInstanceId; multi: activityId, and activityInstanceId or
//                                 transitionInstanceId is a 400 naming the field (Detour); start,
//                                 restart: skipped, as in Camunda
//   cancelCurrentActiveActivityInstances
//                                 single, multi: passed on when true (Camunda ignores it on a single
//                                 instance; Detour applies it there too)
//   variables (with `local`)      every use applies them (Camunda drops them in multi and restart)
//   ancestorActivityInstanceId    single: applied; multi, restart, start: a 400 naming the field
//                                 (Camunda drops it: no single instance is meant, or there is no
//                                 instance yet to have an ancestor in)
//
// Detour applies data a client sent where it has a meaning and refuses it where it has none;
// the refusal reads `For instruction type '<type>': '<field>' cannot be used in <use>`.

import { invalidRequest } from './errors.js';
import { typedValues, variablesIn } from './variables.js';

export const INSTRUCTION_TYPES = ['cancel', 'startBeforeActivity', 'startAfterActivity', 'startTransition'];

const USES = new Set(['start', 'single', 'multi', 'restart']);
const STRING_FIELDS = ['activityId', 'transitionId', 'activityInstanceId', 'transitionInstanceId', 'ancestorActivityInstanceId'];

// How each use words the place where a field has no meaning.
const NO_MEANING = {
  multi: 'a modification of several process instances',
  restart: 'a restart',
  start: 'a process instance start',
};

/**
 * Step 1: the list as Jackson maps it (null/undefined: no list). Throws 400 "" on a mapping error;
 * returns the list (or null) unchanged otherwise.
 */
export function instructionsShape(list) {
  if (list == null) return null;
  const wrong = () => invalidRequest(''); // Jackson's mapping error: empty message
  if (!Array.isArray(list)) throw wrong();
  for (const i of list) {
    // the polymorphic type picks the class: a missing, null or unknown type is a mapping error
    if (!i || typeof i !== 'object' || Array.isArray(i) || !INSTRUCTION_TYPES.includes(i.type)) throw wrong();
    for (const field of STRING_FIELDS) if (i[field] != null && typeof i[field] !== 'string') throw wrong();
    const cancelCurrent = i.cancelCurrentActiveActivityInstances;
    if (cancelCurrent != null && typeof cancelCurrent !== 'boolean' && cancelCurrent !== 'true' && cancelCurrent !== 'false') throw wrong();
    variablesIn(i.variables); // map<String, TriggerVariableValueDto>
    for (const v of Object.values(i.variables ?? {})) if (v?.local != null && typeof v.local !== 'boolean') throw wrong();
  }
  return list;
}

/**
 * Step 2: the instructions of a mapped list (instructionsShape) for `use`, checked and converted
 * in order → the engine's instructions [{type, activityId | transitionId | activityInstanceId |
 * transitionInstanceId, ancestorActivityInstanceId?, cancelCurrentActiveActivityInstances?,
 * variables?: {name: {value, type, valueInfo?, local?}}}]. Instructions a use ignores (cancel in a
 * start or restart) are left out. Throws 400 InvalidRequestException (code null) with Camunda's
 * messages, or Detour's for a field the use refuses.
 */
export function instructionsFor(list, use) {
  if (!USES.has(use)) throw new Error(`instructions: unknown use '${use}'`);
  const out = [];
  for (const i of list ?? []) {
    const instruction = i.type === 'cancel' ? cancellation(i, use) : instantiation(i, use);
    if (instruction) out.push(instruction);
  }
  return out;
}

/** Both steps: instructionsFor(instructionsShape(list), use). */
export function readInstructions(list, use) {
  return instructionsFor(instructionsShape(list), use);
}

function message(i, text) {
  return invalidRequest(`For instruction type '${i.type}': ${text}`);
}

function refused(i, field, use) {
  return message(i, `'${field}' cannot be used in ${NO_MEANING[use]}`);
}

function cancellation(i, use) {
  if (use === 'start' || use === 'restart') return null; // nothing to cancel: Camunda skips it too
  if (use === 'multi') {
    for (const field of ['activityInstanceId', 'transitionInstanceId']) if (i[field] != null) throw refused(i, field, use);
    if (i.activityId == null) throw message(i, "'activityId' must be set");
    return { type: 'cancel', activityId: i.activityId, ...cancelCurrent(i) };
  }
  // single: exactly one of the three, in CancellationInstructionDto's words
  const given = ['activityId', 'activityInstanceId', 'transitionInstanceId'].filter((field) => i[field] != null);
  if (given.length !== 1) throw message(i, "exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required");
  const [field] = given;
  return { type: 'cancel', [field]: i[field], ...(field === 'activityId' ? cancelCurrent(i) : {}) };
}

// Only `true` is passed on: false is the engine's default.
function cancelCurrent(i) {
  const flag = i.cancelCurrentActiveActivityInstances;
  return flag === true || flag === 'true' ? { cancelCurrentActiveActivityInstances: true } : {};
}

function instantiation(i, use) {
  const needed = i.type === 'startTransition' ? 'transitionId' : 'activityId';
  if (i[needed] == null) throw message(i, `'${needed}' must be set`);
  if (i.ancestorActivityInstanceId != null && use !== 'single') throw refused(i, 'ancestorActivityInstanceId', use);
  const variables = instructionVariables(i.variables);
  return {
    type: i.type,
    [needed]: i[needed],
    ...(i.ancestorActivityInstanceId != null ? { ancestorActivityInstanceId: i.ancestorActivityInstanceId } : {}),
    ...(variables ? { variables } : {}),
  };
}

// TriggerVariableValueDto map (shape checked by instructionsShape): typed values with `local`,
// converted here so that a bad one fails before anything runs.
function instructionVariables(map) {
  if (map == null) return null;
  const typed = variablesIn(map);
  typedValues(map);
  for (const [name, v] of Object.entries(map)) if (v?.local) typed[name].local = true;
  return typed;
}
