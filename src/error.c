/*
 * error.c — setting and clearing core errors. The first error set wins (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool error_set(error *err, const char *type, const char *fmt, ...) {
    if (!err || err->message) return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *msg = malloc((size_t)n + 1);
    if (!msg) {
        err->type = type;
        err->message = NULL;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    err->type = type;
    err->message = msg;
    return false;
}

bool error_is_set(const error *err) { return err && (err->message || err->type); }

void error_clear(error *err) {
    if (!err) return;
    free(err->message);
    err->message = NULL;
    err->type = NULL;
}
