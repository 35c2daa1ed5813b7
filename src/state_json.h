/*
 * state_json.h — the persisted state document of one process instance, and the JSON views of the
 * state the host needs (query index, visible variables).
 *
 * The document format is described field by field in docs/state-format.md. Invariants:
 *  - Round trip is exact: state_from_json(state_to_json(x)) equals x field by field, and
 *    state_write of equal states gives byte-identical documents (stable order: executions in
 *    tree pre-order, children in their order, artefacts and variables in array order).
 *  - The execution tree is stored flat (`parentId`), each execution after its parent, so reading
 *    never recurses and a parent cycle cannot be expressed.
 *  - Reading trusts nothing: any document that does not describe a well-formed instance of `m`
 *    (wrong types, missing fields, unknown or duplicate ids, too deep or too large) is refused
 *    with a ProcessEngineException naming the offending field; nothing leaks.
 *
 * Writing goes into a json_writer (json_writer.h); the writers never fail.
 * Ownership: every returned cJSON / instance belongs to the caller (cJSON_Delete / state_free).
 */
#ifndef DETOUR_STATE_JSON_H
#define DETOUR_STATE_JSON_H

#include <stdbool.h>

#include "cJSON.h"
#include "error.h"
#include "json_writer.h"
#include "model.h"
#include "state.h"

/* Limits on what a state document may hold (the tree code and state_free recurse by depth). */
#define STATE_JSON_MAX_DEPTH 256       /* executions from the root down to the deepest leaf */
#define STATE_JSON_MAX_ITEMS 100000    /* entries of any one array (executions, jobs, variables...) */

/* Reads a state document for model `m`. Returns NULL with err set if it is not valid. */
instance *state_from_json(const model *m, const cJSON *doc, error *err);

/* Writes the state document. */
void state_write(json_writer *w, const instance *pi);
/* The state document as a tree: state_write's text parsed, for tests and tools that inspect it.
 * The caller owns it. */
cJSON *state_to_json(const instance *pi);

/* What the host indexes for queries:
 * {"tasks":[...],"externalTasks":[...],"jobs":[...],"subscriptions":[...],"incidents":[...],
 *  "activityIds":[...]} with the REST DTO fields the core knows (dates as epoch ms). */
void state_write_index(json_writer *w, const instance *pi);

/* The variables visible from `scope` as {name: {type, value, valueInfo}}: with `local` only its
 * own, else also its ancestors', a nearer execution's variable hiding an outer one of the same
 * name. `scope` NULL means the process instance. */
void state_write_variables(json_writer *w, const instance *pi, const execution *scope, bool local);

/* The typed-value map of one var_map ({name: {type, value, valueInfo}}), e.g. task-local ones. */
void state_write_var_map(json_writer *w, const var_map *vars);

#endif
