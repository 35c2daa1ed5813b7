/*
 * strutil.c — heap string helpers (see strutil.h). Invariant: every result is NUL-terminated.
 */
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *str_dup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *out = malloc(n);
    if (!out) return NULL;
    memcpy(out, s, n);
    return out;
}

char *str_ndup(const char *s, size_t n) {
    if (!s) return NULL;
    const char *nul = memchr(s, '\0', n);
    size_t len = nul ? (size_t)(nul - s) : n;
    char *out = malloc(len + 1);
    if (!out) return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

char *str_vprintf(const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return NULL;
    char *out = malloc((size_t)n + 1);
    if (!out) return NULL;
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    return out;
}

char *str_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *out = str_vprintf(fmt, ap);
    va_end(ap);
    return out;
}

int str_eq(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}
