/*
 * commands.h — running one command document against a compiled model (docs/core-abi.md).
 */
#ifndef DETOUR_COMMANDS_H
#define DETOUR_COMMANDS_H

#include "cJSON.h"
#include "error.h"
#include "model.h"

/* Returns the result document's text (caller frees), or NULL with err set; on error nothing
 * changed. */
char *commands_run(const model *m, const cJSON *cmd, error *err);

#endif
