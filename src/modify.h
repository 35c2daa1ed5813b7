/*
 * modify.h — the `modify` command: Camunda's process instance modification (cancel activity
 * instances, transition instances or all instances of an activity; start before / after an
 * activity or on a sequence flow), /work/shared/spec/semantics.md §1. One function serves the
 * synchronous REST call, the asynchronous and batch forms and the browser's dry run.
 */
#ifndef DETOUR_MODIFY_H
#define DETOUR_MODIFY_H

#include <stdbool.h>

#include "cJSON.h"
#include "exec.h"
#include "json_writer.h"

/* Runs the command document `cmd` (instructions, skipCustomListeners, skipIoMappings,
 * externallyTerminated, annotation) on ctx->pi. Returns false with ctx->err set; the caller
 * then drops the instance (nothing changes). `result` receives the command's result object
 * (left empty: {}). */
bool modify_run(exec_ctx *ctx, const cJSON *cmd, json_writer *result);

#endif
