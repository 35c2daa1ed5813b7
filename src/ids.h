/*
 * ids.h — deterministic id generation from a host-provided seed.
 *
 * The core has no randomness of its own: each command carries 128 seed bits (idSeed, 32 hex
 * digits) and every id the command creates is drawn from a generator seeded with them, so the
 * same command with the same seed yields the same document on every build (native, wasi,
 * Emscripten). Ids are UUIDs in the time-ordered version-7 layout (RFC 9562): the command's
 * `now` in the first 48 bits, then a 12-bit counter of the ids the command made, then 62 seeded
 * random bits. Ids made later sort later, so a store's indexes over them grow at their right edge
 * instead of touching a random page per new row (several times fewer pages written per commit).
 */
#ifndef DETOUR_IDS_H
#define DETOUR_IDS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct id_gen {
    uint64_t s0, s1;
    uint64_t now;     /* epoch ms, the ids' time prefix */
    uint32_t counter; /* ids made so far (its low 12 bits go into each id) */
} id_gen;

/* Seeds from 32 hex digits and the command's time; false if `hex` is not exactly that. */
bool ids_seed(id_gen *g, const char *hex, int64_t now);
/* A new UUID string (36 chars), owned by the caller. */
char *ids_uuid(id_gen *g);
/* Activity instance id "<activityId>:<uuid>", or just "<uuid>" when that would exceed 64 chars. */
char *ids_activity_instance(id_gen *g, const char *activity_id);

#endif
