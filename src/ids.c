/*
 * ids.c — UUID-shaped ids from a seeded xorshift128+ generator (see ids.h).
 */
#include "ids.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

bool ids_seed(id_gen *g, const char *hex, int64_t now) {
    if (!hex || strlen(hex) != 32) return false;
    uint64_t words[2] = {0, 0};
    for (int i = 0; i < 32; i++) {
        int d = hex_digit(hex[i]);
        if (d < 0) return false;
        words[i / 16] = (words[i / 16] << 4) | (uint64_t)d;
    }
    /* splitmix64 spreads similar seeds apart; xorshift128+ must not start from all zeros */
    g->s0 = splitmix64(words[0] ^ splitmix64(words[1]));
    g->s1 = splitmix64(words[1] ^ 0xD1B54A32D192ED03ull);
    if (!g->s0 && !g->s1) g->s1 = 1;
    g->now = (uint64_t)now & 0xFFFFFFFFFFFFull;
    g->counter = 0;
    return true;
}

static uint64_t next(id_gen *g) {
    uint64_t x = g->s0, y = g->s1;
    g->s0 = y;
    x ^= x << 23;
    g->s1 = x ^ y ^ (x >> 17) ^ (y >> 26);
    return g->s1 + y;
}

/* Writes `digits` lowercase hex digits of v, most significant first. */
static char *put_hex(char *p, uint64_t v, int digits) {
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--) p[i] = hex[v & 0xF], v >>= 4;
    return p + digits;
}

/* Formats by hand: ids are made for every activity instance, and printf was a tenth of a command. */
static void format_uuid(id_gen *g, char out[37]) {
    /* unix_ts_ms (48) | version 7 (4) | counter (12) — variant 10 (2) | random (62) */
    uint64_t hi = (g->now << 16) | 0x7000u | (g->counter++ & 0xFFFu);
    uint64_t lo = (next(g) & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    char *p = put_hex(out, hi >> 32, 8);
    *p++ = '-';
    p = put_hex(p, hi >> 16, 4);
    *p++ = '-';
    p = put_hex(p, hi, 4);
    *p++ = '-';
    p = put_hex(p, lo >> 48, 4);
    *p++ = '-';
    p = put_hex(p, lo, 12);
    *p = '\0';
}

char *ids_uuid(id_gen *g) {
    char uuid[37];
    format_uuid(g, uuid);
    return str_dup(uuid);
}

char *ids_activity_instance(id_gen *g, const char *activity_id) {
    char uuid[37];
    format_uuid(g, uuid);
    size_t n = strlen(activity_id);
    if (n + 1 + 36 > 64) return str_dup(uuid);
    char *id = malloc(n + 1 + 36 + 1);
    if (!id) return NULL;
    memcpy(id, activity_id, n);
    id[n] = ':';
    memcpy(id + n + 1, uuid, 37);
    return id;
}
