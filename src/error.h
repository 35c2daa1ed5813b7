/*
 * error.h — how the core reports failures: a Camunda exception type name and a message.
 *
 * Errors are returned, never printed. A function that can fail takes `error *err` and returns
 * false (or NULL) after error_set; the caller passes the error up unchanged. The first error
 * set wins: later error_set calls on an already-set error are ignored, so the innermost, most
 * precise message reaches the host.
 */
#ifndef DETOUR_ERROR_H
#define DETOUR_ERROR_H

#include <stdbool.h>

typedef struct error {
    const char *type; /* static string: "ProcessEngineException", "NotValidException", ... */
    char *message;    /* owned, heap-allocated; NULL while no error is set */
} error;

/* Sets the error if none is set yet (printf-style message). Returns false for `return error_set(...)`. */
bool error_set(error *err, const char *type, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
bool error_is_set(const error *err);
void error_clear(error *err);

/* Exception type names used across the core (Camunda's class simple names). */
#define ERR_ENGINE "ProcessEngineException"
#define ERR_BAD_REQUEST "BadUserRequestException"
#define ERR_NOT_VALID "NotValidException"
#define ERR_NOT_FOUND "NotFoundException"
#define ERR_PARSE "ParseException"
#define ERR_INVALID_REQUEST "InvalidRequestException"
#define ERR_OPTIMISTIC_LOCK "OptimisticLockingException"
#define ERR_SUSPENDED "SuspendedEntityInteractionException"
#define ERR_MISMATCHING_CORRELATION "MismatchingMessageCorrelationException"

#endif
