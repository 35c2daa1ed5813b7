/*
 * json_int.h — writing integers into cJSON documents exactly and cheaply.
 *
 * cJSON stores numbers as doubles and prints each with sprintf("%1.15g") and a scanf round trip,
 * which dominated the cost of writing state and history documents full of timestamps. Integers
 * written here become raw JSON text (plain decimal digits): printed as they are, read back by any
 * JSON parser as numbers, and exact beyond 2^53.
 */
#ifndef DETOUR_JSON_INT_H
#define DETOUR_JSON_INT_H

#include <stdint.h>

#include "cJSON.h"

/* A number item holding `v`; the caller owns it. */
cJSON *json_int(int64_t v);
/* Adds `key: v` to an object. */
void json_add_int(cJSON *object, const char *key, int64_t v);

#endif
