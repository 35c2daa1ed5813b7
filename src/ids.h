/*
 * ids.h — deterministic id generation from a host-provided seed.
 *
 * The core has no randomness of its own: each command carries 128 seed bits (idSeed, 32 hex
 * digits) and every id the command creates is drawn from a generator seeded with them, so the
 * same command with the same seed yields the same document on every build (native, wasi,
 * Emscripten). Ids look like Camunda's UUIDs (version-4 layout).
 */
#ifndef DETOUR_IDS_H
#define DETOUR_IDS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct id_gen {
    uint64_t s0, s1;
} id_gen;

/* Seeds from 32 hex digits; false if `hex` is not exactly that. */
bool ids_seed(id_gen *g, const char *hex);
/* A new UUID string (36 chars), owned by the caller. */
char *ids_uuid(id_gen *g);
/* Activity instance id "<activityId>:<uuid>", or just "<uuid>" when that would exceed 64 chars. */
char *ids_activity_instance(id_gen *g, const char *activity_id);

#endif
