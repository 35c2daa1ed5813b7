/*
 * commands.h — running one command document against a compiled model (docs/core-abi.md).
 */
#ifndef DETOUR_COMMANDS_H
#define DETOUR_COMMANDS_H

#include "cJSON.h"
#include "error.h"
#include "model.h"

/* Returns the result document (caller owns), or NULL with err set; on error nothing changed. */
cJSON *commands_run(const model *m, const cJSON *cmd, error *err);

#endif
