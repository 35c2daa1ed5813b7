/*
 * restart.h — the `restart` command's own part: Camunda's process instance restart
 * (/work/shared/spec/semantics.md §2). A restart starts a new instance of a definition at the
 * activities its instructions name, from a historic (ended) instance: its business key, tenant
 * and variables. The host hands in the historic rows; the new instance itself is started as a
 * start with instructions is (commands.c). One function serves the synchronous REST call, the
 * batch jobs and the browser's dry run.
 */
#ifndef DETOUR_RESTART_H
#define DETOUR_RESTART_H

#include <stdbool.h>

#include "cJSON.h"
#include "error.h"

/* Whether the historic instance `historic` (the host's row, or NULL/null when it found none) may
 * be restarted as an instance of `definition_id` (semantics.md §2.2 7a–c). */
bool restart_check(const cJSON *historic, const char *definition_id, error *err);

/* The variables the new instance gets, {name: {type, value, valueInfo}} (caller deletes): the
 * last values of the historic instance's process-level variables, or with `initial` the values it
 * was started with (historic details flagged initial) — semantics.md §2.4. */
cJSON *restart_variables(const char *historic_id, const cJSON *variable_instances, const cJSON *details, bool initial);

/* A copy of `instructions` (caller deletes) whose last entry also carries `variables` as
 * process variables (semantics.md §2.4.3); variables the instruction names itself win. */
cJSON *restart_instructions(const cJSON *instructions, const cJSON *variables);

#endif
