/*
 * strutil.h — the few string helpers standard C lacks (strdup is POSIX, not C11, and wasi-libc
 * only declares it under a feature macro).
 *
 * Every function returns a fresh heap string the caller frees, or NULL when out of memory.
 */
#ifndef DETOUR_STRUTIL_H
#define DETOUR_STRUTIL_H

#include <stdarg.h>
#include <stddef.h>

char *str_dup(const char *s);              /* NULL in → NULL out */
char *str_ndup(const char *s, size_t n);   /* copies at most n bytes, always terminated */
char *str_printf(const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
char *str_vprintf(const char *fmt, va_list ap);
/* NULL-safe equality: two NULLs are equal, NULL and a string are not. */
int str_eq(const char *a, const char *b);

#endif
