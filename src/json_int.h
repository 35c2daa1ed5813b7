/*
 * json_int.h — integers as exact raw digits inside cJSON trees the core builds (the plain JSON
 * form of values, value_to_plain_json, which expressions and IO mappings print).
 *
 * cJSON stores numbers as doubles and prints them with sprintf("%1.15g"), which loses the last
 * digit of 16-digit integers. An integer made here is raw JSON text (plain decimal digits):
 * printed as it is, read back by any JSON parser as a number, exact beyond 2^53. The documents
 * the core returns do not use cJSON for writing at all (json_writer.h).
 */
#ifndef DETOUR_JSON_INT_H
#define DETOUR_JSON_INT_H

#include <stdint.h>

#include "cJSON.h"

/* A number item holding `v`; the caller owns it. */
cJSON *json_int(int64_t v);

#endif
