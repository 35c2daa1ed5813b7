// routes/history-query.js — what the /history/* resources share: the list / count / by-id routes
// of a historic query, Camunda's result order, and small condition builders over history rows.
//
// A resource describes itself once (parameter spec, sortBy values, how to select rows, the DTO)
// and registerQuery() serves GET and POST lists and counts the way every Camunda query resource
// does: filters from the query string or the body, sorting (invalid values are 400s, on counts
// too, since Java builds the whole query for a count), paging from the query string.

import { CoreError } from '../../core.js';
import { matches } from '../../store/memory.js';
import { formatDate } from '../dates.js';
import { RestError } from '../errors.js';
import { page, queryFromBody, queryFromSearch, sorting, sortRows } from '../params.js';

/**
 * Registers GET (and POST) `path`, GET (and POST) `path/count` for one historic query.
 *   spec      {name: type} of the query-string filters (params.js types)
 *   bodySpec  the body's, when it differs (default: spec)
 *   sortKeys  {sortBy value: row field or (row) → value}
 *   select    async (engine, query) → the matching rows
 *   dto       (row) → the response object
 *   post      serve POST `path`; postCount: serve POST `path/count`
 */
export function registerQuery(router, path, { spec, bodySpec = spec, sortKeys, select, dto, post = true, postCount = post }) {
  const list = async (ctx, query, source) => {
    const order = sorting(source, sortKeys);
    const rows = orderRows(await select(ctx.engine, query), order);
    return page(rows, ctx.search).map(dto);
  };
  const count = async (ctx, query, source) => {
    sorting(source, sortKeys); // validated as for a list, then irrelevant
    return { count: (await select(ctx.engine, query)).length };
  };
  router.get(path, (ctx) => list(ctx, queryFromSearch(ctx.search, spec), ctx.search));
  router.get(`${path}/count`, (ctx) => count(ctx, queryFromSearch(ctx.search, spec), ctx.search));
  if (post) router.post(path, (ctx) => list(ctx, queryFromBody(ctx.body, bodySpec), ctx.body));
  if (postCount) router.post(`${path}/count`, (ctx) => count(ctx, queryFromBody(ctx.body, bodySpec), ctx.body));
}

/** Registers GET `path/:id`: find(engine, id) → row or null; a missing row is a 404 with `message(id)`. */
export function registerGet(router, path, { find, dto, message }) {
  router.get(`${path}/:id`, async (ctx) => {
    const row = await find(ctx.engine, ctx.params.id);
    if (!row) throw new RestError(404, message(ctx.params.id));
    return dto(row);
  });
}

/**
 * Rows in the order asked for. Camunda orders by id when nothing is asked (its default
 * `RES.ID_ asc`), and the sort is stable, so ties keep that order: pages never overlap.
 */
export function orderRows(rows, order) {
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sortRows(rows, order);
}

/**
 * Camunda's "occurrence" order (its sequence counter) for rows that happened at `timeField`:
 * by time, then in the order the store returned them (the order they were written). Adds a
 * numeric `_occurrence` to each row and returns the rows.
 */
export function withOccurrence(rows, timeField) {
  rows.map((row, index) => ({ row, index }))
    .sort((a, b) => (a.row[timeField] ?? 0) - (b.row[timeField] ?? 0) || a.index - b.index)
    .forEach(({ row }, rank) => { row._occurrence = rank; });
  return rows;
}

/** A copy of `row` with only `fields` (missing ones null) and the date fields formatted. */
export function pickDto(row, fields, dateFields = []) {
  const out = {};
  for (const f of fields) out[f] = row[f] ?? null;
  for (const f of dateFields) out[f] = formatDate(out[f]);
  return out;
}

// --- conditions ------------------------------------------------------------------------------------

/** (row) → whether row[field] satisfies a store filter condition (memory.js's language). */
export function where(field, condition) {
  return (row) => matches(row, { [field]: condition });
}

/** Camunda's tenant filter: withoutTenantId wins over tenantIdIn (it is applied after it). */
export function tenantCondition(query) {
  if (query.withoutTenantId) return null;
  if (query.tenantIdIn?.length) return { in: query.tenantIdIn };
  return undefined;
}

/** variableTypeIn: Camunda lower-cases the names it is given; rows carry REST names ("String"). */
export function typeIn(types) {
  const wanted = new Set(types.map((t) => t.toLowerCase()));
  return (type) => type != null && wanted.has(String(type).toLowerCase());
}

/**
 * 400 for a query the engine refuses (Camunda: BadUserRequestException, or a plain
 * ProcessEngineException / NullValueException that Java answers with a 500 — a client's
 * contradictory query is not a server error, so Detour answers 400 with the same message).
 */
export function badQuery(message) {
  return new CoreError('BadUserRequestException', message);
}

/** Only the comparators Java's historic queries know; `notLike` is refused as unknown. */
export function checkComparators(conditions, allowed = ['eq', 'neq', 'gt', 'gteq', 'lt', 'lteq', 'like']) {
  for (const c of conditions ?? []) {
    if (!allowed.includes(c.operator)) throw new RestError(400, `Invalid variable comparator specified: ${c.operator}`);
  }
}

/** Rows grouped by a field: Map(value → rows). */
export function groupBy(rows, field) {
  const out = new Map();
  for (const row of rows) {
    const key = row[field];
    if (!out.has(key)) out.set(key, []);
    out.get(key).push(row);
  }
  return out;
}
