/*
 * state_check.c — refusing state documents whose executions and artefacts are not where the
 * executor puts them.
 *
 * state_from_json checks that a document is well-formed (types, ids, references); this checks
 * that it describes a state the executor could have produced, so that commands can trust the
 * shape state.h describes: every scope execution instantiates an element of its parent's scope,
 * tokens sit on activities of their own scope, and each task, job and subscription belongs to the
 * execution and activity that created it. A host that stores and returns the core's documents
 * never trips these; a hostile or corrupted document gets a clear error instead of a crash.
 */
#include "state_check.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

static bool bad(error *err, const char *what, const char *id) {
    return error_set(err, ERR_ENGINE, "Invalid state document: %s '%s'", what, id ? id : "");
}

/* The element whose flow scope holds the tokens of scope execution `scope`. */
static const model_element *scope_of(const execution *e) {
    while (e && !e->is_scope) e = e->parent;
    return e ? e->scope_element : NULL;
}

static bool is_container(const model_element *el) { return el->kind == EL_SUB_PROCESS || el->kind == EL_MI_BODY; }

static bool check_execution(const instance *pi, const execution *e, error *err) {
    const model *m = pi->model;
    if (!e->parent) {
        if (!e->is_scope || e->is_concurrent || e->scope_element != m->process)
            return bad(err, "the process instance execution must be the process scope", e->id);
    } else if (e->is_scope) {
        const model_element *el = e->scope_element;
        if (!el || el == m->process || e->is_concurrent)
            return bad(err, "scope execution without a valid scope element", e->id);
        if (el->parent != scope_of(e->parent))
            return bad(err, "scope execution outside the scope of its element", e->id);
        const execution *p = e->parent;
        bool in_body = p->is_scope && p->scope_element->kind == EL_MI_BODY;
        if (in_body ? el != p->scope_element->inner : p->activity != el)
            return bad(err, "scope execution not entered by its parent's token", e->id);
        if (!el->is_scope && el->kind != EL_MI_BODY) return bad(err, "scope execution of a non-scope element", e->id);
    } else {
        if (!e->is_concurrent || !e->parent->is_scope)
            return bad(err, "a token execution must be a concurrent child of a scope", e->id);
        if (e->parent->activity || e->parent->transition != TRANSITION_NONE)
            return bad(err, "concurrent child of a scope that holds its own token", e->id);
        if (e->parent->scope_element->kind == EL_MI_BODY)
            return bad(err, "concurrent child of a multi-instance body", e->id);
    }
    const model_element *a = e->activity;
    if (!a) {
        if (e->transition != TRANSITION_NONE) return bad(err, "transition without an activity", e->id);
        return true;
    }
    bool scope_self = e->is_scope && a == e->scope_element;
    if (scope_self && is_container(a)) return bad(err, "a subprocess cannot hold its own token", e->id);
    if (!scope_self && a->parent != scope_of(e)) return bad(err, "token on an activity of another scope", e->id);
    if (e->n_children > 1 && !e->is_scope) return bad(err, "token execution with several children", e->id);
    for (size_t i = 0; i < e->n_children; i++)
        if (e->children[i]->is_concurrent) return bad(err, "execution holding a token has concurrent children", e->id);
    if (e->transition == TRANSITION_NONE && e->is_active && !a->is_scope && !e->activity_instance_id)
        return bad(err, "token without an activity instance", e->id);
    return true;
}

static bool check_tree(const instance *pi, const execution *root, error *err) {
    size_t n = 0, cap = 64;
    const execution **stack = malloc(cap * sizeof *stack);
    if (!stack) abort();
    stack[n++] = root;
    bool ok = true;
    while (ok && n > 0) {
        const execution *x = stack[--n];
        ok = check_execution(pi, x, err);
        for (size_t i = 0; ok && i < x->n_children; i++) {
            if (n == cap) {
                cap *= 2;
                const execution **grown = realloc(stack, cap * sizeof *stack);
                if (!grown) abort();
                stack = grown;
            }
            stack[n++] = x->children[i];
        }
    }
    free(stack);
    return ok;
}

/* The execution holds a token waiting in activity `a` (not in an async transition). */
static bool waits_in(const execution *e, const model_element *a) {
    return e->activity == a && e->transition == TRANSITION_NONE;
}

static bool check_job(const job *j, error *err) {
    const execution *e = j->exec;
    const model_element *a = j->activity;
    switch (j->kind) {
    case JOB_ASYNC_BEFORE:
        if (e->activity != a || e->transition != TRANSITION_ASYNC_BEFORE) return bad(err, "misplaced async job", j->id);
        return true;
    case JOB_ASYNC_AFTER:
        if (e->activity != a || e->transition != TRANSITION_ASYNC_AFTER) return bad(err, "misplaced async job", j->id);
        return true;
    case JOB_TIMER_INTERMEDIATE:
        if (!waits_in(e, a) || a->event != EVT_TIMER) return bad(err, "misplaced timer job", j->id);
        return true;
    case JOB_TIMER_BOUNDARY:
        if (!e->is_scope || !e->parent || a->kind != EL_BOUNDARY_EVENT || a->attached_to != e->scope_element)
            return bad(err, "misplaced boundary timer job", j->id);
        return true;
    case JOB_TIMER_EVENT_SUBPROCESS:
        if (!e->is_scope || a->kind != EL_START_EVENT || !a->parent->triggered_by_event ||
            a->parent->parent != e->scope_element)
            return bad(err, "misplaced event subprocess timer job", j->id);
        return true;
    }
    return bad(err, "job of unknown kind", j->id);
}

static bool check_subscription(const subscription *s, error *err) {
    const execution *e = s->exec;
    const model_element *a = s->activity;
    bool ok;
    if (a->kind == EL_BOUNDARY_EVENT)
        ok = e->is_scope && e->parent && a->attached_to == e->scope_element;
    else if (a->kind == EL_START_EVENT)
        ok = e->is_scope && a->parent->triggered_by_event && a->parent->parent == e->scope_element;
    else
        ok = (a->kind == EL_INTERMEDIATE_CATCH || a->kind == EL_RECEIVE_TASK) && waits_in(e, a);
    return ok || bad(err, "misplaced message subscription", s->id);
}

bool state_check(const instance *pi, error *err) {
    if (!pi->root) return true; /* an ended instance keeps no executions */
    if (!check_tree(pi, pi->root, err)) return false;
    for (size_t i = 0; i < pi->tasks.n; i++) {
        const task *t = pi->tasks.items[i];
        const model_element *a = t->exec->activity;
        if (!a || a->kind != EL_USER_TASK || !waits_in(t->exec, a) || !str_eq(a->id, t->task_definition_key))
            return bad(err, "user task not waiting in its activity", t->id);
    }
    for (size_t i = 0; i < pi->external_tasks.n; i++) {
        const external_task *t = pi->external_tasks.items[i];
        const model_element *a = t->exec->activity;
        if (!a || a->impl != IMPL_EXTERNAL || !waits_in(t->exec, a) || !str_eq(a->id, t->activity_id))
            return bad(err, "external task not waiting in its activity", t->id);
    }
    for (size_t i = 0; i < pi->jobs.n; i++)
        if (!check_job(pi->jobs.items[i], err)) return false;
    for (size_t i = 0; i < pi->subscriptions.n; i++)
        if (!check_subscription(pi->subscriptions.items[i], err)) return false;
    return true;
}
