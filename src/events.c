/*
 * events.c — events that interrupt or extend the normal flow: timers and message subscriptions,
 * boundary events, event subprocesses, BPMN errors, and running due jobs.
 *
 * Triggers of a scope (boundary events of a scope activity, start events of the event
 * subprocesses it contains) are created when the scope starts and belong to its scope execution,
 * so they disappear with it. Catch events of a single token (intermediate catch, receive task)
 * belong to the token.
 */
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "history.h"
#include "strutil.h"
#include "timer.h"

/* --- creating triggers --- */

job *events_new_job(exec_ctx *ctx, job_kind kind, execution *exec, const model_element *activity) {
    job *j = calloc(1, sizeof *j);
    if (!j) abort();
    j->id = ids_uuid(&ctx->ids);
    j->kind = kind;
    j->activity = activity;
    j->exec = exec;
    j->retries = 3;
    j->repeat_remaining = -1;
    j->created = ctx->now;
    state_add_job(ctx->pi, j);
    return j;
}

static bool new_subscription(exec_ctx *ctx, execution *exec, const model_element *event) {
    subscription *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->id = ids_uuid(&ctx->ids);
    s->event_name = str_dup(event->message_name);
    s->activity = event;
    s->exec = exec;
    s->created = ctx->now;
    state_add_subscription(ctx->pi, s);
    return true;
}

bool events_new_timer(exec_ctx *ctx, job_kind kind, execution *exec, const model_element *event) {
    value v;
    if (!invoke_eval(ctx, exec, event, event->id, event->timer_value, &v)) return false;
    int64_t due = 0;
    int remaining = -1;
    bool ok = false;
    if (v.type == VAL_DATE && event->timer == TIMER_DATE) {
        due = v.i;
        ok = true;
    } else if (v.type == VAL_STRING && v.s) {
        if (event->timer == TIMER_DATE) ok = timer_parse_date(v.s, &due);
        if (event->timer == TIMER_DURATION) ok = timer_add_duration(v.s, ctx->now, &due);
        if (event->timer == TIMER_CYCLE) ok = timer_cycle_first(v.s, ctx->now, &due, &remaining);
    }
    if (!ok) {
        value_free(&v);
        return error_set(ctx->err, ERR_ENGINE, "Cannot parse the timer definition %s of '%s'",
                         expr_text(event->timer_value), event->id);
    }
    job *j = events_new_job(ctx, kind, exec, event);
    j->due = due;
    if (event->timer == TIMER_CYCLE) {
        j->repeat = str_dup(v.s);
        j->repeat_remaining = remaining;
    }
    value_free(&v);
    return true;
}

static bool create_trigger(exec_ctx *ctx, execution *scope, const model_element *event, job_kind timer_kind) {
    if (event->event == EVT_TIMER) return events_new_timer(ctx, timer_kind, scope, event);
    if (event->event == EVT_MESSAGE) return new_subscription(ctx, scope, event);
    return true; /* error triggers wait for a thrown error */
}

bool events_create_scope_triggers(exec_ctx *ctx, execution *scope) {
    const model_element *el = scope->scope_element;
    for (size_t i = 0; i < el->n_boundary_events; i++)
        if (!create_trigger(ctx, scope, el->boundary_events[i], JOB_TIMER_BOUNDARY)) return false;
    for (size_t i = 0; i < el->n_event_subprocesses; i++) {
        const model_element *start = el->event_subprocesses[i]->initial;
        if (start && !create_trigger(ctx, scope, start, JOB_TIMER_EVENT_SUBPROCESS)) return false;
    }
    return true;
}

bool events_create_catch(exec_ctx *ctx, execution *holder, const model_element *a) {
    if (a->event == EVT_TIMER) return events_new_timer(ctx, JOB_TIMER_INTERMEDIATE, holder, a);
    if (a->message_name) return new_subscription(ctx, holder, a);
    return true; /* a receive task without message waits for nothing but modification */
}

/* --- firing --- */

bool events_fire_boundary(exec_ctx *ctx, execution *scope, const model_element *boundary) {
    execution *token = scope->parent;
    if (boundary->cancel_activity) {
        if (!cancel_execution(ctx, scope, NULL, false)) return false;
        token->is_active = true;
        return exec_execute(ctx, token, boundary);
    }
    execution *branch = exec_new_branch(ctx, state_scope_of(token));
    return exec_execute(ctx, branch, boundary);
}

/* An interrupting event subprocess replaces the other event subprocesses' triggers of its scope. */
static void remove_event_subprocess_triggers(exec_ctx *ctx, execution *scope) {
    instance *pi = ctx->pi;
    for (size_t i = pi->subscriptions.n; i-- > 0;) {
        subscription *s = pi->subscriptions.items[i];
        if (s->exec == scope && s->activity->kind == EL_START_EVENT) state_remove_subscription(pi, s);
    }
    for (size_t i = pi->jobs.n; i-- > 0;) {
        job *j = pi->jobs.items[i];
        if (j->exec == scope && j->kind == JOB_TIMER_EVENT_SUBPROCESS) state_remove_job(pi, j);
    }
}

bool events_trigger_event_subprocess(exec_ctx *ctx, execution *scope, const model_element *start) {
    const model_element *esp = start->parent;
    execution *token;
    if (start->is_interrupting) {
        remove_event_subprocess_triggers(ctx, scope);
        if (!cancel_scope_content(ctx, scope, NULL)) return false;
        token = scope;
    } else {
        token = exec_new_branch(ctx, scope);
    }
    token->activity = esp;
    token->is_active = false;
    execution *inner = exec_start_scope(ctx, token, esp);
    if (!inner) return false;
    return exec_execute(ctx, inner, start);
}

/* --- errors --- */

static bool catches(const model_element *event, const char *code) {
    return event->event == EVT_ERROR && (!event->error_code || (code && strcmp(event->error_code, code) == 0));
}

/* Specific error codes win over catch-all definitions, as in Camunda. */
static const model_element *best_catch(const model_element *const *candidates, size_t n, const char *code) {
    const model_element *any = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!catches(candidates[i], code)) continue;
        if (candidates[i]->error_code) return candidates[i];
        if (!any) any = candidates[i];
    }
    return any;
}

static bool inside(const execution *e, const execution *ancestor) {
    for (; e; e = e->parent)
        if (e == ancestor) return true;
    return false;
}

/* Is `from` inside a running instance of event subprocess `esp` within `scope`? */
static bool thrown_inside(execution *from, execution *scope, const model_element *esp) {
    for (size_t i = 0; i < scope->n_children; i++) {
        execution *c = scope->children[i];
        if (c->is_scope && c->scope_element == esp && inside(from, c)) return true;
        if (!c->is_scope && c->n_children && c->children[0]->scope_element == esp && inside(from, c)) return true;
    }
    return false;
}

bool exec_throw_bpmn_error(exec_ctx *ctx, execution *from, const char *code, const char *message,
                           bool from_worker) {
    for (execution *e = from; e;) {
        execution *scope = state_scope_of(e);
        const model_element *el = scope->scope_element;
        const model_element *starts[64];
        size_t n = 0;
        for (size_t i = 0; i < el->n_event_subprocesses && n < 64; i++) {
            const model_element *esp = el->event_subprocesses[i];
            if (esp->initial && !thrown_inside(from, scope, esp)) starts[n++] = esp->initial;
        }
        const model_element *start = best_catch(starts, n, code);
        if (start) return events_trigger_event_subprocess(ctx, scope, start);
        if (scope != ctx->pi->root) {
            const model_element *boundary =
                best_catch((const model_element *const *)el->boundary_events, el->n_boundary_events, code);
            if (boundary) return events_fire_boundary(ctx, scope, boundary);
        }
        e = scope->parent;
    }
    if (from_worker)
        return error_set(ctx->err, ERR_ENGINE, "%s",
                         message && *message ? message : "Unhandled BPMN error: no error event catches it");
    /* an error end event nothing catches ends its path as a none end event would */
    return exec_token_ended(ctx, from);
}

/* --- jobs and subscriptions --- */

void events_resolve_incidents(exec_ctx *ctx, const char *configuration) {
    instance *pi = ctx->pi;
    for (size_t i = pi->incidents.n; i-- > 0;) {
        incident *inc = pi->incidents.items[i];
        if (!str_eq(inc->configuration, configuration)) continue;
        history_incident(ctx, "incidentResolve", inc);
        state_remove_incident(pi, inc);
    }
}

/* A non-interrupting cycle timer schedules its next firing before it fires. */
static void reschedule(exec_ctx *ctx, const job *j) {
    if (!j->repeat || j->repeat_remaining == 0) return;
    int remaining = j->repeat_remaining;
    int64_t due;
    if (!timer_cycle_next(j->repeat, j->due, &remaining, &due)) return;
    job *next = events_new_job(ctx, j->kind, j->exec, j->activity);
    next->due = due;
    next->repeat = str_dup(j->repeat);
    next->repeat_remaining = remaining;
}

bool exec_execute_job(exec_ctx *ctx, job *j) {
    execution *exec = j->exec;
    const model_element *a = j->activity;
    job_kind kind = j->kind;
    events_resolve_incidents(ctx, j->id);
    if ((kind == JOB_TIMER_BOUNDARY && !a->cancel_activity) ||
        (kind == JOB_TIMER_EVENT_SUBPROCESS && !a->is_interrupting))
        reschedule(ctx, j);
    state_remove_job(ctx->pi, j);
    switch (kind) {
    case JOB_ASYNC_BEFORE:
        exec->transition = TRANSITION_NONE;
        return exec_execute(ctx, exec, a);
    case JOB_ASYNC_AFTER:
        exec->transition = TRANSITION_NONE;
        return exec_leave(ctx, exec, a, true);
    case JOB_TIMER_INTERMEDIATE:
        return exec_activity_done(ctx, exec);
    case JOB_TIMER_BOUNDARY:
        return events_fire_boundary(ctx, exec, a);
    case JOB_TIMER_EVENT_SUBPROCESS:
        return events_trigger_event_subprocess(ctx, exec, a);
    }
    return error_set(ctx->err, ERR_ENGINE, "Unknown job kind");
}

bool exec_trigger_subscription(exec_ctx *ctx, subscription *s) {
    execution *exec = s->exec;
    const model_element *a = s->activity;
    if (a->kind == EL_BOUNDARY_EVENT) return events_fire_boundary(ctx, exec, a);
    if (a->kind == EL_START_EVENT) return events_trigger_event_subprocess(ctx, exec, a);
    state_remove_subscription(ctx->pi, s);
    return exec_activity_done(ctx, exec);
}
