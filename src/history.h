/*
 * history.h — the history events a command records, in the order things happen.
 *
 * Events are JSON objects written in turn into ctx->history (the text of the result's "history"
 * array, which the command layer opens and closes); the host turns them into Camunda's historic
 * process / activity / variable / task / incident rows. Field lists: docs/core-abi.md.
 */
#ifndef DETOUR_HISTORY_H
#define DETOUR_HISTORY_H

#include <stdbool.h>

#include "exec.h"

void history_process_start(exec_ctx *ctx, const char *start_activity_id);
void history_process_end(exec_ctx *ctx, const char *end_activity_id);
/* The instance was suspended or activated: its historic state becomes SUSPENDED or ACTIVE. */
void history_process_update(exec_ctx *ctx);
void history_activity_start(exec_ctx *ctx, const char *ai_id, const char *parent_ai_id,
                            const model_element *activity, const execution *exec);
void history_activity_end(exec_ctx *ctx, const char *ai_id, const model_element *activity, bool canceled,
                          bool complete_scope, const task *t);
/* kind: "variableCreate", "variableUpdate" or "variableDelete" */
void history_variable(exec_ctx *ctx, const char *kind, const variable *v, const execution *owner,
                      const task *t);
/* kind: "taskCreate", "taskComplete" or "taskDelete" */
void history_task(exec_ctx *ctx, const char *kind, const task *t, const char *delete_reason);
/* kind: "incidentCreate", "incidentResolve" or "incidentDelete" */
void history_incident(exec_ctx *ctx, const char *kind, const incident *i);

#endif
