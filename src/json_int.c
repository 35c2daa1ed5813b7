/*
 * json_int.c — integers as raw JSON digits (see json_int.h).
 */
#include "json_int.h"

cJSON *json_int(int64_t v) {
    char buf[24];
    char *p = buf + sizeof buf;
    *--p = '\0';
    /* work on the magnitude as unsigned: negating INT64_MIN is undefined */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    return cJSON_CreateRaw(p);
}
