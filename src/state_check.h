/*
 * state_check.h — does a state document describe a state the executor could have produced?
 * (see state_check.c). Called after state_from_json, before any command runs on the instance.
 */
#ifndef DETOUR_STATE_CHECK_H
#define DETOUR_STATE_CHECK_H

#include <stdbool.h>

#include "error.h"
#include "state.h"

/* false with a ProcessEngineException "Invalid state document: ..." when it does not. */
bool state_check(const instance *pi, error *err);

#endif
