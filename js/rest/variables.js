// variables.js — typed variables on the wire ({value, type, valueInfo}, rest-contract.md §3).
// The core converts and validates values (type names, conversions, Camunda's messages); this file
// checks the JSON shape the REST layer maps them from, writes them back out, and evaluates the
// variable conditions of query bodies. typedValue() mirrors the core's conversion for the few
// places the REST layer needs a value itself (message correlation keys) or must check a map
// before anything runs.

import { formatDate, parseDate } from './dates.js';
import { invalidRequest } from './errors.js';

/** A request's variable map → the core's typed map. Not an object of objects: 400 "" (Jackson). */
export function variablesIn(map) {
  if (map == null) return {};
  if (typeof map !== 'object' || Array.isArray(map)) throw invalidRequest('');
  const out = {};
  for (const [name, v] of Object.entries(map)) {
    if (v === null) {
      out[name] = { value: null, type: null };
      continue;
    }
    if (typeof v !== 'object' || Array.isArray(v)) throw invalidRequest('');
    if (v.type != null && typeof v.type !== 'string') throw invalidRequest('');
    if (v.valueInfo != null && (typeof v.valueInfo !== 'object' || Array.isArray(v.valueInfo))) throw invalidRequest('');
    out[name] = { value: v.value ?? null, type: v.type ?? null, ...(v.valueInfo ? { valueInfo: v.valueInfo } : {}) };
  }
  return out;
}

/** One typed value as VariableValueDto. */
export function variableOut(v) {
  return { type: v?.type ?? 'Null', value: v?.value ?? null, valueInfo: v?.valueInfo ?? {} };
}

/** A typed map as map<name, VariableValueDto>. */
export function variablesOut(map) {
  const out = {};
  for (const [name, v] of Object.entries(map ?? {})) out[name] = variableOut(v);
  return out;
}

/**
 * Whether a typed variable map satisfies every condition [{name, operator, value}] of a query
 * (AND, as Camunda). A condition on a missing variable fails. Values compare as numbers when both
 * are numbers, otherwise as strings (GET conditions are always strings).
 */
export function variablesMatch(vars, conditions, { namesIgnoreCase = false, valuesIgnoreCase = false } = {}) {
  for (const c of conditions ?? []) {
    const entry = findVariable(vars, c.name, namesIgnoreCase);
    if (!entry) return false;
    if (!compareValue(entry.value, c.operator, c.value, valuesIgnoreCase)) return false;
  }
  return true;
}

function findVariable(vars, name, ignoreCase) {
  if (!ignoreCase) return vars?.[name];
  const lower = name.toLowerCase();
  for (const [n, v] of Object.entries(vars ?? {})) if (n.toLowerCase() === lower) return v;
  return undefined;
}

function compareValue(actual, operator, wanted, ignoreCase) {
  if (operator === 'like' || operator === 'notLike') {
    if (typeof actual !== 'string') return false;
    const pattern = String(wanted).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
    const hit = new RegExp(`^${pattern}$`, ignoreCase ? 'is' : 's').test(actual);
    return operator === 'like' ? hit : !hit;
  }
  let a = actual;
  let b = wanted;
  const numeric = typeof a === 'number' && (typeof b === 'number' || (typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))));
  if (numeric) b = Number(b);
  else {
    a = a == null ? null : String(a);
    b = b == null ? null : String(b);
    if (ignoreCase && a != null && b != null) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
  }
  switch (operator) {
    case 'eq':
      return a === b;
    case 'neq':
      return a !== b;
    case 'gt':
      return a != null && b != null && a > b;
    case 'gteq':
      return a != null && b != null && a >= b;
    case 'lt':
      return a != null && b != null && a < b;
    case 'lteq':
      return a != null && b != null && a <= b;
    default:
      return false;
  }
}

// --- typed values on the JS side ------------------------------------------------------------------

const TYPE_NAMES = ['Null', 'String', 'Integer', 'Short', 'Long', 'Double', 'Boolean', 'Date', 'Json'];
const JAVA_TYPES = { Integer: 'java.lang.Integer', Short: 'java.lang.Short', Long: 'java.lang.Long', Double: 'java.lang.Double', Boolean: 'java.lang.Boolean', Date: 'java.util.Date' };
const INT_RANGE = { Integer: [-2147483648, 2147483647], Short: [-32768, 32767], Long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] };

/**
 * One VariableValueDto converted as Camunda's VariableValueDto.toTypedValue (and the core's
 * value.c) does, for the REST layer's own comparisons (message correlation keys) and for checking
 * a map before anything runs: → {type (canonical name), value} with numbers as numbers and dates
 * in the REST format. Bad input: 400 with Camunda's message ("Unsupported value type 'X'",
 * "Cannot convert value 'v' of type 'T' to java type J").
 */
export function typedValue(v) {
  const raw = v?.value ?? null;
  if (v?.type == null) return inferred(raw);
  const name = typeof v.type === 'string' ? TYPE_NAMES.find((t) => sameTypeName(v.type, t)) : undefined;
  if (!name) throw invalidRequest(`Unsupported value type '${typeof v.type === 'string' ? v.type : JSON.stringify(v.type)}'`);
  const fail = () => invalidRequest(`Cannot convert value '${display(raw)}' of type '${v.type}' to java type ${JAVA_TYPES[name]}`);
  // Jackson reads "" as null for the boxed primitives and Date
  if (raw === null || (raw === '' && name in JAVA_TYPES)) return { type: name === 'Short' ? 'Integer' : name, value: null };
  switch (name) {
    case 'Null':
      return { type: 'Null', value: null };
    case 'String':
      return { type: 'String', value: display(raw) };
    case 'Integer':
    case 'Short':
    case 'Long': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      const [min, max] = INT_RANGE[name];
      if (!Number.isInteger(n) || n < min || n > max) throw fail();
      return { type: name === 'Short' ? 'Integer' : name, value: n };
    }
    case 'Double': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
      if (Number.isNaN(n) && raw !== 'NaN') throw fail();
      return { type: 'Double', value: n };
    }
    case 'Boolean': {
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : null;
      if (typeof raw !== 'boolean' && text !== 'true' && text !== 'false') throw fail();
      return { type: 'Boolean', value: typeof raw === 'boolean' ? raw : text === 'true' };
    }
    case 'Date': {
      const ms = parseDate(raw);
      if (ms === null) throw fail();
      return { type: 'Date', value: formatDate(ms) };
    }
    default: // Json: a document, as text
      if (typeof raw === 'string') return { type: 'Json', value: raw };
      if (typeof raw === 'object') return { type: 'Json', value: JSON.stringify(raw) };
      throw invalidRequest(`Must provide 'null' or String value for value of SerializableValue type '${v.type}'.`);
  }
}

/** typedValue() of every entry of a request's variable map (after variablesIn's shape check). */
export function typedValues(map) {
  const out = {};
  for (const [name, v] of Object.entries(variablesIn(map))) out[name] = typedValue(v);
  return out;
}

// Camunda lower-cases only the first letter of a REST type name: "string" and "String" match.
function sameTypeName(given, canonical) {
  return given.length > 0 && given[0].toLowerCase() === canonical[0].toLowerCase() && given.slice(1) === canonical.slice(1);
}

function inferred(raw) {
  if (raw === null) return { type: 'Null', value: null };
  if (typeof raw === 'string') return { type: 'String', value: raw };
  if (typeof raw === 'boolean') return { type: 'Boolean', value: raw };
  if (typeof raw === 'number') return { type: Number.isInteger(raw) ? (raw >= -2147483648 && raw <= 2147483647 ? 'Integer' : 'Long') : 'Double', value: raw };
  return { type: 'Json', value: JSON.stringify(raw) };
}

function display(raw) {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}
