/*
 * expr.h — the JUEL subset Detour evaluates (documented in docs/expressions.md).
 *
 * Expressions are compiled once, at model compile time, into a small tree and evaluated many
 * times against an expr_host that gives access to the current execution. Text outside ${...} or
 * #{...} is literal; "a ${x} b" concatenates; a text that is exactly one ${...} yields that value's
 * own type. Supported: literals (strings, integers, decimals, true/false, null), variables,
 * property access on Json values (a.b, a['b'], a[0]), arithmetic (+ - * / div % mod, unary -),
 * comparison (== != < > <= >= and eq ne lt gt le ge), logical (&& || ! and or not), empty,
 * ternary ?:, and the execution methods getVariable/setVariable/getVariableLocal/
 * setVariableLocal, plus execution.processBusinessKey, execution.activityId, execution.id.
 *
 * Error messages follow Camunda's wording, e.g.
 *   "Unknown property used in expression: ${foo}. Cause: Cannot resolve identifier 'foo'"
 * The caller adds which element the expression belongs to.
 */
#ifndef DETOUR_EXPR_H
#define DETOUR_EXPR_H

#include <stdbool.h>

#include "error.h"
#include "value.h"

/* What an expression may read and change. All callbacks receive `ctx`. */
typedef struct expr_host {
    void *ctx;
    /* Looks `name` up (local: only the current scope; else walking up the scope chain).
     * Returns false if absent. On success *out is a copy the caller frees. */
    bool (*get_variable)(void *ctx, const char *name, bool local, value *out);
    /* Sets `name` (local: on the current scope; else Camunda's setVariable: the nearest scope that
     * has it, otherwise the process instance). Returns false with err set on failure. */
    bool (*set_variable)(void *ctx, const char *name, bool local, const value *v, error *err);
    const char *(*business_key)(void *ctx); /* may return NULL */
    const char *(*activity_id)(void *ctx);  /* may return NULL */
    const char *(*execution_id)(void *ctx);
} expr_host;

typedef struct expr expr;

/* Compiles `text`. Returns NULL with err set (type ERR_PARSE-like "ProcessEngineException" and a
 * message naming the text) on a syntax error. */
expr *expr_compile(const char *text, error *err);
void expr_free(expr *e);
/* The source text, as given to expr_compile. */
const char *expr_text(const expr *e);
/* True if the text contains no ${...}/#{...} (a plain literal string). */
bool expr_is_literal(const expr *e);
/* If the expression is exactly "${identifier}", returns the identifier (used to resolve
 * delegateExpression to a host delegate name); otherwise NULL. */
const char *expr_simple_identifier(const expr *e);

/* Evaluates; *out is owned by the caller. Returns false with err set on failure. */
bool expr_eval(const expr *e, const expr_host *host, value *out, error *err);

#endif
