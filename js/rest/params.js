// params.js — query parameters as Camunda's REST layer reads them: typed filters from a GET query
// string or a POST query body, paging (firstResult / maxResults, always in the query string) and
// sorting (sortBy + sortOrder in a GET, `sorting: [{sortBy, sortOrder}]` in a POST body).
//
// A resource declares its parameters once, {name: type}, and gets the same typed object from
// either form. Types: 'string', 'boolean', 'integer', 'date' (→ epoch ms), 'stringList' (comma
// separated in a GET, an array in a body), 'variables' (name_op_value list in a GET, [{name,
// operator, value}] in a body), 'json' (bodies only: taken as is).

import { parseDate } from './dates.js';
import { invalidRequest } from './errors.js';

const VARIABLE_OPERATORS = new Set(['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like', 'notLike']);

/** Reads the declared parameters from a URLSearchParams (GET). Unknown parameters are ignored. */
export function queryFromSearch(search, spec) {
  const out = {};
  for (const [name, type] of Object.entries(spec)) {
    const raw = search.get(name);
    if (raw === null) continue;
    out[name] = fromString(name, raw, type);
  }
  return out;
}

/** Reads the declared parameters from a POST body object. Wrong JSON types are a 400 with message "". */
export function queryFromBody(body, spec) {
  if (body == null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('');
  const out = {};
  for (const [name, type] of Object.entries(spec)) {
    const raw = body[name];
    if (raw === undefined || raw === null) continue;
    out[name] = fromJson(name, raw, type);
  }
  return out;
}

function fromString(name, raw, type) {
  const bad = (detail = '') => invalidRequest(`Cannot set query parameter '${name}' to value '${raw}'${detail}`);
  switch (type) {
    case 'string':
      return raw;
    case 'boolean':
      return raw === 'true'; // Java's Boolean.valueOf: anything else is false
    case 'integer': {
      if (!/^[+-]?\d+$/.test(raw)) throw bad();
      return Number(raw);
    }
    case 'date': {
      if (raw.startsWith('"')) throw bad(': Cannot convert value because of double quotes');
      const ms = parseDate(raw);
      if (ms === null) throw bad(`: Cannot convert value "${raw}" to java type java.util.Date`);
      return ms;
    }
    case 'stringList':
      return raw.split(',');
    case 'variables':
      return raw.split(',').map((part) => variableCondition(name, part));
    default:
      throw new Error(`params: type '${type}' cannot come from a query string (${name})`);
  }
}

function fromJson(name, raw, type) {
  const wrong = () => invalidRequest(''); // Jackson's mapping error: empty message
  switch (type) {
    case 'string':
      if (typeof raw !== 'string') throw wrong();
      return raw;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw wrong();
    case 'integer':
      if (Number.isInteger(raw)) return raw;
      if (typeof raw === 'string' && /^[+-]?\d+$/.test(raw)) return Number(raw);
      throw wrong();
    case 'date': {
      const ms = parseDate(raw);
      if (ms === null) throw wrong();
      return ms;
    }
    case 'stringList':
      if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string')) throw wrong();
      return raw;
    case 'variables':
      if (!Array.isArray(raw)) throw wrong();
      return raw.map((v) => {
        if (!v || typeof v !== 'object' || typeof v.name !== 'string') throw wrong();
        if (!VARIABLE_OPERATORS.has(v.operator)) throw invalidRequest(`Invalid variable comparator specified: ${v.operator}`);
        return { name: v.name, operator: v.operator, value: v.value };
      });
    case 'json':
      return raw;
    default:
      throw new Error(`params: unknown type '${type}' (${name})`);
  }
}

// "name_op_value" (rest-contract.md §1.3): names and values cannot contain '_'.
function variableCondition(param, text) {
  const parts = text.split('_');
  if (parts.length !== 3) throw invalidRequest(`variable query parameter has to have format KEY_OPERATOR_VALUE.`);
  const [name, operator, value] = parts;
  if (!VARIABLE_OPERATORS.has(operator)) throw invalidRequest(`Invalid variable comparator specified: ${operator}`);
  return { name, operator, value };
}

// --- paging -----------------------------------------------------------------------------------------

/** firstResult / maxResults from the query string: {first, max} or null when neither is given. */
export function paging(search) {
  const first = search.get('firstResult');
  const max = search.get('maxResults');
  if (first === null && max === null) return null;
  const int = (name, raw, dflt) => {
    if (raw === null) return dflt;
    if (!/^[+-]?\d+$/.test(raw)) throw invalidRequest(`Cannot set query parameter '${name}' to value '${raw}'`);
    return Number(raw);
  };
  return { first: Math.max(0, int('firstResult', first, 0)), max: int('maxResults', max, 2147483647) };
}

/** The page of `rows` asked for (all of them when no paging was given). */
export function page(rows, search) {
  const p = paging(search);
  if (!p) return rows;
  return rows.slice(p.first, p.first + Math.max(0, p.max));
}

// --- sorting ----------------------------------------------------------------------------------------

/**
 * The requested order as [{key, descending}] from a GET (sortBy + sortOrder) or a POST body
 * (`sorting`), checked against `sortKeys` ({sortBy value: row field or (row) → value}).
 */
export function sorting(source, sortKeys) {
  let requested = [];
  if (source instanceof URLSearchParams) {
    const by = source.get('sortBy');
    const order = source.get('sortOrder');
    if ((by === null) !== (order === null)) {
      throw invalidRequest('Only a single sorting parameter specified. sortBy and sortOrder required');
    }
    if (by !== null) requested = [{ sortBy: by, sortOrder: order }];
  } else if (source && source.sorting != null) {
    if (!Array.isArray(source.sorting)) throw invalidRequest('');
    requested = source.sorting;
  }
  return requested.map((s) => {
    if (!s || typeof s !== 'object') throw invalidRequest('');
    if (!Object.hasOwn(sortKeys, s.sortBy)) throw invalidRequest(`sortBy parameter has invalid value: ${s.sortBy}`);
    if (s.sortOrder !== 'asc' && s.sortOrder !== 'desc') {
      throw invalidRequest(`sortOrder parameter has invalid value: ${s.sortOrder}`);
    }
    const key = sortKeys[s.sortBy];
    return { value: typeof key === 'function' ? key : (row) => row[key], descending: s.sortOrder === 'desc' };
  });
}

/** Sorts rows in place by the order from sorting(); nulls first, as ascending SQL on H2 gives them. */
export function sortRows(rows, order) {
  if (!order.length) return rows;
  return rows.sort((a, b) => {
    for (const { value, descending } of order) {
      const c = compare(value(a), value(b));
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  });
}

function compare(x, y) {
  if (x == null || y == null) return x == null ? (y == null ? 0 : -1) : 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

// --- list endpoints (GET with a query string, POST with a query body) ---------------------------

/** The declared parameters of a list/count endpoint: from the query string (GET) or the body (POST). */
export function queryOf(ctx, spec) {
  return ctx.method === 'POST' ? queryFromBody(ctx.body, spec) : queryFromSearch(ctx.search, spec);
}

/** The requested order of a list endpoint: sortBy + sortOrder (GET) or `sorting` (POST body). */
export function sortingOf(ctx, sortKeys) {
  return sorting(ctx.method === 'POST' ? ctx.body ?? {} : ctx.search, sortKeys);
}

/**
 * Variable conditions [{name, operator, value}] of parameter `name` from a GET (name_op_value
 * list) or a POST body, with the operators left unchecked: some Java query DTOs word that
 * complaint themselves (e.g. "Invalid process variable comparator specified: X"). undefined when
 * the parameter is absent.
 */
export function variableConditionsOf(ctx, name) {
  if (ctx.method !== 'POST') {
    const raw = ctx.search.get(name);
    if (raw === null) return undefined;
    return raw.split(',').map((part) => {
      const parts = part.split('_');
      if (parts.length !== 3) throw invalidRequest(`variable query parameter has to have format KEY_OPERATOR_VALUE.`);
      return { name: parts[0], operator: parts[1], value: parts[2] };
    });
  }
  const raw = ctx.body?.[name];
  if (raw == null) return undefined;
  if (!Array.isArray(raw) || raw.some((v) => !v || typeof v !== 'object' || typeof v.name !== 'string')) throw invalidRequest('');
  return raw.map((v) => ({ name: v.name, operator: v.operator, value: v.value }));
}

/**
 * Checks variable conditions against the comparators a query DTO accepts, in its words:
 * "Invalid <kind> variable comparator specified: X". Returns the conditions.
 */
export function checkComparators(conditions, allowed, kind) {
  for (const c of conditions ?? []) {
    if (!allowed.includes(c.operator)) throw invalidRequest(`Invalid ${kind} variable comparator specified: ${c.operator}`);
  }
  return conditions;
}

/** SQL LIKE (% any run, _ one character) on a string value; anything else never matches. */
export function likeMatches(pattern, value, { ignoreCase = false } = {}) {
  if (typeof value !== 'string') return false;
  const body = String(pattern).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

// --- store conditions ------------------------------------------------------------------------------

/**
 * Camunda's tenant filters: withoutTenantId wins over tenantIdIn (it resets the list); the
 * "include … without tenant id" flag widens tenantIdIn to null tenants.
 */
export function tenantConditions(tenantIdIn, withoutTenantId, includeWithoutTenantId) {
  if (withoutTenantId) return [{ tenantId: null }];
  if (tenantIdIn?.length) return [{ tenantId: { in: includeWithoutTenantId ? [...tenantIdIn, null] : tenantIdIn } }];
  return [];
}

/**
 * Merges conditions on distinct fields into the first filter (the one the store answers, with
 * what it can push down to SQL); conditions on a field already taken stay apart for matches().
 */
export function splitFilters(conditions) {
  const first = {};
  const rest = [];
  for (const condition of conditions) {
    const [field] = Object.keys(condition);
    if (field in first) rest.push(condition);
    else first[field] = condition[field];
  }
  return [first, ...rest];
}

/**
 * A JSON request body as Jackson maps it onto a DTO: not an object, or a field of the wrong JSON
 * type, is a 400 InvalidRequestException with message "". → {body ({} for none), wrong() (that
 * error), flag(name) (a Java primitive boolean: absent is false, "true"/"false" accepted),
 * string(name) (null when absent)}.
 */
export function dtoBody(raw) {
  const body = raw ?? {};
  const wrong = () => invalidRequest('');
  if (typeof body !== 'object' || Array.isArray(body)) throw wrong();
  const flag = (name) => {
    const v = body[name];
    if (v == null) return false;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw wrong();
  };
  const string = (name) => {
    if (body[name] != null && typeof body[name] !== 'string') throw wrong();
    return body[name] ?? null;
  };
  return { body, wrong, flag, string };
}
