/*
 * json_writer.c — JSON text into a growable buffer (see json_writer.h).
 *
 * One flag places the commas: it is cleared by everything that opens a place where a first
 * element may follow ('{', '[', a key) and set by everything that completes a value (a scalar, a
 * raw fragment, '}' or ']'). Closing a container completes a value of the enclosing one, so no
 * stack of nesting levels is needed.
 */
#include "json_writer.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows buf to hold `extra` more bytes of text plus the NUL (doubling, from 4 KB: most results
 * fit without a second allocation). */
static void grow(json_writer *w, size_t extra) {
    if (extra > SIZE_MAX / 4 - w->len) abort();
    size_t need = w->len + extra + 1;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < need) cap *= 2;
    char *grown = realloc(w->buf, cap);
    if (!grown) abort(); /* out of memory: not recovered, as in state.c */
    w->buf = grown;
    w->cap = cap;
}

/* Makes room for `extra` more bytes of text plus the NUL. */
static inline void reserve(json_writer *w, size_t extra) {
    if (w->cap - w->len <= extra) grow(w, extra); /* cap > len + extra: the NUL fits too */
}

/* memcpy for the short pieces a document is made of (names, ids, numbers): in WebAssembly a
 * libc memcpy call costs more than copying such a piece eight bytes at a time. */
static inline void copy(char *dst, const char *src, size_t n) {
    if (n > 64) {
        memcpy(dst, src, n);
    } else if (n >= 8) {
        uint64_t x;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, src + i, 8);
            memcpy(dst + i, &x, 8);
        }
        memcpy(&x, src + n - 8, 8); /* the last eight bytes, overlapping what was copied */
        memcpy(dst + n - 8, &x, 8);
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, src, 4);
        memcpy(&tail, src + n - 4, 4);
        memcpy(dst, &head, 4);
        memcpy(dst + n - 4, &tail, 4);
    } else {
        for (size_t i = 0; i < n; i++) dst[i] = src[i];
    }
}

static inline void put(json_writer *w, const char *s, size_t n) {
    reserve(w, n);
    copy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static inline void put_char(json_writer *w, char c) {
    reserve(w, 1);
    w->buf[w->len++] = c;
    w->buf[w->len] = '\0';
}

/* The ',' before a key or an array element that is not the first. */
static inline void separate(json_writer *w) {
    if (w->comma) put_char(w, ',');
}

/* Nonzero iff one of the eight bytes of x is one JSON escapes: a control character, '"' or '\\'.
 * A byte b is below 0x20 iff x - 0x20.. borrows into its top bit while b's own top bit is clear;
 * '"' and '\\' are the zero bytes of x ^ their pattern, found the same way. A borrow only starts
 * at a byte that matches, so a nonzero answer is never wrong. */
static inline uint64_t escape_bits(uint64_t x) {
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    return (((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & highs;
}

/* Whether any of the n bytes of s is one JSON escapes, eight at a time. */
static bool has_escapes(const char *s, size_t n) {
    uint64_t x;
    if (n < 8) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == '"' || c == '\\') return true;
        }
        return false;
    }
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, s + i, 8);
        if (escape_bits(x)) return true;
    }
    memcpy(&x, s + n - 8, 8); /* the last eight bytes, overlapping what was checked */
    return escape_bits(x) != 0;
}

/* A quoted string with cJSON's escapes: the two-character ones, \u00xx for other control
 * characters; every other byte (UTF-8 included) as it is. */
static void put_string(json_writer *w, const char *s) {
    size_t n = strlen(s);
    if (!has_escapes(s, n)) { /* the usual case: ids, names, types */
        reserve(w, n + 2);
        char *out = w->buf + w->len;
        out[0] = '"';
        copy(out + 1, s, n);
        out[n + 1] = '"';
        out[n + 2] = '\0';
        w->len += n + 2;
        return;
    }
    static const char hex[] = "0123456789abcdef";
    put_char(w, '"');
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(w, run, (size_t)(p - run));
        if (!c) break;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        put(w, esc, len);
        run = p + 1;
    }
    put_char(w, '"');
}

char *jw_take(json_writer *w) {
    if (!w->buf) put(w, "", 0);
    char *text = w->buf;
    *w = (json_writer){0};
    return text;
}

void jw_free(json_writer *w) {
    free(w->buf);
    *w = (json_writer){0};
}

void jw_object_begin(json_writer *w) {
    separate(w);
    put_char(w, '{');
    w->comma = false;
}

void jw_object_end(json_writer *w) {
    put_char(w, '}');
    w->comma = true;
}

void jw_array_begin(json_writer *w) {
    separate(w);
    put_char(w, '[');
    w->comma = false;
}

void jw_array_end(json_writer *w) {
    put_char(w, ']');
    w->comma = true;
}

void jw_key_len(json_writer *w, const char *key, size_t len) {
    assert(!has_escapes(key, len) && "jw_key: a field name JSON would escape (use jw_name)");
    separate(w);
    reserve(w, len + 3);
    char *out = w->buf + w->len;
    out[0] = '"';
    copy(out + 1, key, len);
    out[len + 1] = '"';
    out[len + 2] = ':';
    out[len + 3] = '\0';
    w->len += len + 3;
    w->comma = false;
}

void jw_name(json_writer *w, const char *name) {
    separate(w);
    put_string(w, name);
    put_char(w, ':');
    w->comma = false;
}

void jw_string(json_writer *w, const char *s) {
    if (!s) {
        jw_null(w);
        return;
    }
    separate(w);
    put_string(w, s);
    w->comma = true;
}

void jw_int(json_writer *w, int64_t v) {
    char digits[24];
    char *p = digits + sizeof digits;
    /* the magnitude as unsigned: negating INT64_MIN is undefined */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    separate(w);
    put(w, p, (size_t)(digits + sizeof digits - p));
    w->comma = true;
}

void jw_double(json_writer *w, double d) {
    if (!isfinite(d)) {
        jw_null(w); /* JSON has no NaN or infinity; cJSON writes null too */
        return;
    }
    /* 15 digits as cJSON tried first (any double with a shorter exact form prints it); more only
     * when they are needed to read back the same double. */
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, d);
        if (digits == 17 || strtod(text, NULL) == d) break;
    }
    /* a host that set a locale may have given us a decimal comma */
    for (char *c = text; *c; c++)
        if ((*c < '0' || *c > '9') && *c != '-' && *c != '+' && *c != 'e') *c = '.';
    separate(w);
    put(w, text, strlen(text));
    w->comma = true;
}

void jw_bool(json_writer *w, bool b) {
    separate(w);
    if (b) put(w, "true", 4);
    else put(w, "false", 5);
    w->comma = true;
}

void jw_null(json_writer *w) {
    separate(w);
    put(w, "null", 4);
    w->comma = true;
}

void jw_raw(json_writer *w, const char *json, size_t len) {
    separate(w);
    put(w, json, len);
    w->comma = true;
}

void jw_object_reopen(json_writer *w) {
    assert(w->len >= 2 && w->buf[w->len - 1] == '}' && "jw_object_reopen: the text does not end with an object");
    w->len--;
    w->buf[w->len] = '\0';
    w->comma = w->buf[w->len - 1] != '{'; /* a member follows the last one, if there is one */
}
