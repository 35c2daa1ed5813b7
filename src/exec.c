/*
 * exec.c — moving tokens through the model: entering and executing activities, scopes,
 * gateways, leaving along sequence flows, forking and joining, and completing scopes.
 *
 * The shape of the execution tree is described in state.h. The main invariants kept here:
 *  - a scope with one token holds it itself; a second token forks the scope's own token into a
 *    concurrent child first (exec_new_branch), and when one concurrent child is left it is merged
 *    back (prune);
 *  - a token entering a scope activity becomes inactive at it and the activity's scope execution
 *    is its child; when that scope finishes, the token continues after the activity;
 *  - a scope with no tokens left completes, unless instructions are still running on the instance
 *    (ctx->preserve_scope).
 * Functions that move tokens may free executions; see exec_internal.h for the pointer rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "history.h"
#include "strutil.h"

/* Deep enough for long chains of pass-through activities, shallow enough for a 1 MB wasm stack. */
#define MAX_DEPTH 2000

/* --- small helpers --- */

const char *exec_token_instance_id(const execution *h) {
    if (h->is_scope && h->activity && h->activity == h->scope_element) return h->scope_instance_id;
    return h->activity_instance_id;
}

const char *exec_parent_instance_id(const exec_ctx *ctx, execution *holder) {
    execution *scope = state_scope_of(holder);
    return scope ? scope->scope_instance_id : ctx->pi->id;
}

bool exec_scope_is_empty(const execution *scope) {
    return scope->n_children == 0 && !scope->activity && scope->transition == TRANSITION_NONE;
}

static bool is_body(const execution *e) {
    return e && e->is_scope && e->scope_element && e->scope_element->kind == EL_MI_BODY;
}

static execution *new_concurrent(exec_ctx *ctx, execution *scope) {
    char *id = ids_uuid(&ctx->ids);
    execution *e = state_execution_new(ctx->pi, scope, id);
    free(id);
    e->is_concurrent = true;
    e->is_active = true;
    return e;
}

static void remember_replacement(exec_ctx *ctx, const char *from, const char *to) {
    if (ctx->n_replaced == ctx->cap_replaced) {
        size_t cap = ctx->cap_replaced ? ctx->cap_replaced * 2 : 8;
        struct replaced_token *grown = realloc(ctx->replaced, cap * sizeof *grown);
        if (!grown) abort();
        ctx->replaced = grown;
        ctx->cap_replaced = cap;
    }
    ctx->replaced[ctx->n_replaced++] = (struct replaced_token){str_dup(from), str_dup(to)};
}

/* The scope's own token moves into a concurrent child, so siblings can join it. */
static execution *fork_own_token(exec_ctx *ctx, execution *scope) {
    execution *k = new_concurrent(ctx, scope);
    if (ctx->forks_running) remember_replacement(ctx, scope->id, k->id);
    state_replace(ctx->pi, scope, k);
    scope->is_active = false;
    return k;
}

execution *exec_new_branch(exec_ctx *ctx, execution *scope) {
    if (exec_scope_is_empty(scope)) {
        scope->is_active = true;
        return scope;
    }
    if (scope->activity || scope->transition != TRANSITION_NONE) fork_own_token(ctx, scope);
    return new_concurrent(ctx, scope);
}

/* The execution now holding the token that execution `id` held, following the merges and forks
 * recorded since, in the order they happened. */
static execution *find_token(exec_ctx *ctx, const char *id) {
    size_t i = 0;
    for (;;) {
        size_t j = i;
        while (j < ctx->n_replaced && strcmp(ctx->replaced[j].from, id) != 0) j++;
        if (j == ctx->n_replaced) return state_execution_by_id(ctx->pi, id);
        id = ctx->replaced[j].to;
        i = j + 1;
    }
}

/* One concurrent child left: it becomes the scope's own token again. */
void exec_prune(exec_ctx *ctx, execution *scope) {
    if (scope->n_children != 1 || !scope->children[0]->is_concurrent) return;
    execution *last = scope->children[0];
    if (ctx->forks_running) remember_replacement(ctx, last->id, scope->id);
    state_replace(ctx->pi, last, scope);
    state_execution_remove(ctx->pi, last);
}

/* --- entering and executing --- */

bool exec_enter(exec_ctx *ctx, execution *tok, const model_element *a) {
    if (++ctx->depth > MAX_DEPTH) {
        ctx->depth--;
        return error_set(ctx->err, ERR_ENGINE,
                         "Maximum execution depth exceeded at activity '%s' (a loop without wait state?)", a->id);
    }
    tok->activity = a;
    tok->transition = TRANSITION_NONE;
    bool ok;
    if (a->async_before) {
        tok->transition = TRANSITION_ASYNC_BEFORE;
        tok->is_active = true;
        ok = events_new_job(ctx, JOB_ASYNC_BEFORE, tok, a) != NULL;
    } else {
        ok = exec_execute(ctx, tok, a);
    }
    ctx->depth--;
    return ok;
}

bool exec_enter_scope(exec_ctx *ctx, execution *scope) {
    const model_element *el = scope->scope_element;
    history_activity_start(ctx, scope->scope_instance_id, exec_parent_instance_id(ctx, scope->parent), el, scope);
    if (!invoke_inputs(ctx, scope, el)) return false;
    if (!invoke_listeners(ctx, scope, el, "start")) return false;
    return events_create_scope_triggers(ctx, scope);
}

execution *exec_start_scope(exec_ctx *ctx, execution *parent, const model_element *el) {
    char *id = ids_uuid(&ctx->ids);
    execution *s = state_execution_new(ctx->pi, parent, id);
    free(id);
    s->is_scope = true;
    s->scope_element = el;
    s->scope_instance_id = ids_activity_instance(&ctx->ids, el->id);
    bool container = el->kind == EL_SUB_PROCESS || el->kind == EL_MI_BODY;
    s->activity = container ? NULL : el;
    s->is_active = !container;
    return exec_enter_scope(ctx, s) ? s : NULL;
}

/* A terminate end event interrupts its scope before it runs: every other token there goes. */
static bool cancel_other_tokens(exec_ctx *ctx, execution *tok) {
    execution *scope = state_scope_of(tok);
    for (size_t i = scope->n_children; i-- > 0;) {
        execution *c = scope->children[i];
        if (c != tok && !cancel_execution(ctx, c, NULL, false)) return false;
    }
    return true;
}

bool exec_execute(exec_ctx *ctx, execution *tok, const model_element *a) {
    if (a->kind == EL_END_EVENT && a->event == EVT_TERMINATE && !cancel_other_tokens(ctx, tok)) return false;
    tok->activity = a;
    tok->transition = TRANSITION_NONE;
    tok->is_active = true;
    if (a->is_scope) {
        tok->is_active = false;
        execution *s = exec_start_scope(ctx, tok, a);
        if (!s) return false;
        return exec_behave(ctx, s, a);
    }
    free(tok->activity_instance_id);
    tok->activity_instance_id = ids_activity_instance(&ctx->ids, a->id);
    history_activity_start(ctx, tok->activity_instance_id, exec_parent_instance_id(ctx, tok), a, tok);
    if (!invoke_listeners(ctx, tok, a, "start")) return false;
    return exec_behave(ctx, tok, a);
}

/* --- behaviours --- */

/* camunda:priority / camunda:taskPriority: a number, or text that is one. */
static bool eval_priority(exec_ctx *ctx, execution *h, const model_element *a, int64_t *out) {
    value v;
    if (!invoke_eval(ctx, h, a, a->id, a->priority, &v)) return false;
    bool ok = true;
    if (v.type == VAL_INTEGER || v.type == VAL_LONG)
        *out = v.i;
    else if (v.type != VAL_STRING || !value_parse_long(v.s, out) || *out < INT32_MIN || *out > INT32_MAX)
        ok = error_set(ctx->err, ERR_ENGINE, "Priority value is not an Integer: %s (element '%s')",
                       expr_text(a->priority), a->id);
    value_free(&v);
    return ok;
}

static bool create_user_task(exec_ctx *ctx, execution *h, const model_element *a) {
    task *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->id = ids_uuid(&ctx->ids);
    t->name = str_dup(a->name);
    t->task_definition_key = str_dup(a->id);
    t->exec = h;
    t->activity_instance_id = str_dup(exec_token_instance_id(h));
    t->priority = 50;
    t->created = ctx->now;
    state_add_task(ctx->pi, t);
    if (a->assignee) {
        value v;
        if (!invoke_eval(ctx, h, a, a->id, a->assignee, &v)) return false;
        if (v.type == VAL_STRING) t->assignee = str_dup(v.s);
        value_free(&v);
    }
    if (a->priority) {
        int64_t priority;
        if (!eval_priority(ctx, h, a, &priority)) return false;
        t->priority = (int)priority;
    }
    history_task(ctx, "taskCreate", t, NULL);
    return true;
}

static bool create_external_task(exec_ctx *ctx, execution *h, const model_element *a) {
    external_task *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->id = ids_uuid(&ctx->ids);
    t->topic = str_dup(a->topic);
    t->activity_id = str_dup(a->id);
    t->activity_instance_id = str_dup(exec_token_instance_id(h));
    t->exec = h;
    t->retries = -1;
    t->created = ctx->now;
    state_add_external_task(ctx->pi, t);
    if (a->priority && !eval_priority(ctx, h, a, &t->priority)) return false;
    return true;
}

static bool run_service_task(exec_ctx *ctx, execution *h, const model_element *a) {
    if (a->impl == IMPL_EXTERNAL) return create_external_task(ctx, h, a);
    if (a->impl == IMPL_EXPRESSION) {
        value v;
        if (!invoke_eval(ctx, h, a, a->id, a->impl_expression, &v)) return false;
        bool ok = true;
        if (a->result_variable) ok = exec_set_variable(ctx, h, a->result_variable, &v, false);
        value_free(&v);
        return ok && exec_activity_done(ctx, h);
    }
    const char *name = a->impl == IMPL_CLASS ? a->class_name : NULL;
    if (a->impl == IMPL_DELEGATE_EXPRESSION) {
        name = expr_simple_identifier(a->impl_expression);
        if (!name)
            return error_set(ctx->err, ERR_ENGINE, "Delegate expression %s of '%s' does not name a delegate",
                             expr_text(a->impl_expression), a->id);
    }
    if (!name) return exec_activity_done(ctx, h);
    char *thrown = NULL;
    if (!invoke_delegate(ctx, h, a, name, "execute", &thrown)) return false;
    if (thrown) {
        bool ok = exec_throw_bpmn_error(ctx, h, thrown, NULL, true);
        free(thrown);
        return ok;
    }
    return exec_activity_done(ctx, h);
}

/* The user task of an activity instance, if any. */
static task *task_of(instance *pi, const char *ai_id) {
    for (size_t i = 0; i < pi->tasks.n; i++)
        if (str_eq(pi->tasks.items[i]->activity_instance_id, ai_id)) return pi->tasks.items[i];
    return NULL;
}

/* History end of a completed activity instance; its user task (completed just before) goes. */
static void record_end(exec_ctx *ctx, const char *ai_id, const model_element *a) {
    task *t = task_of(ctx->pi, ai_id);
    history_activity_end(ctx, ai_id, a, false, a->kind == EL_END_EVENT, t);
    if (t) state_remove_task(ctx->pi, t);
}

/* Ends the holder's open activity instance (history, end listeners) without leaving. */
static bool end_activity_instance(exec_ctx *ctx, execution *h, const model_element *a) {
    if (!invoke_listeners(ctx, h, a, "end")) return false;
    record_end(ctx, exec_token_instance_id(h), a);
    free(h->activity_instance_id);
    h->activity_instance_id = NULL;
    return true;
}

static bool run_end_event(exec_ctx *ctx, execution *h, const model_element *a) {
    if (!end_activity_instance(ctx, h, a)) return false;
    if (h->is_scope && h->scope_element == a) {
        /* an end event with input mappings had a scope of its own; the token ends outside it */
        execution *token = h->parent;
        state_execution_remove(ctx->pi, h);
        h = token;
        h->is_active = true;
    }
    ctx->end_activity = a;
    if (a->event == EVT_ERROR) return exec_throw_bpmn_error(ctx, h, a->error_code, NULL, false);
    if (a->event != EVT_TERMINATE) return exec_token_ended(ctx, h);
    /* the other tokens were cancelled on arrival: the scope completes now, even while
     * instructions are still running on the instance */
    bool was_preserving = ctx->preserve_scope;
    ctx->preserve_scope = false;
    bool ok = exec_token_ended(ctx, h);
    ctx->preserve_scope = was_preserving;
    return ok;
}

/* Tokens of a scope: the scope itself when it holds one, else its concurrent children. */
static void scope_tokens(execution *scope, execution ***out, size_t *n) {
    *n = 0;
    *out = NULL;
    if (scope->activity || scope->transition != TRANSITION_NONE) {
        *out = malloc(sizeof **out);
        if (!*out) abort();
        (*out)[(*n)++] = scope;
        return;
    }
    *out = malloc((scope->n_children + 1) * sizeof **out);
    if (!*out) abort();
    for (size_t i = 0; i < scope->n_children; i++)
        if (scope->children[i]->is_concurrent) (*out)[(*n)++] = scope->children[i];
}

static bool waiting_at(const execution *e, const model_element *gw) {
    return e->activity == gw && !e->is_active && e->transition == TRANSITION_NONE;
}

/* Inclusive join: can any other token of the scope still reach the gateway? */
static bool others_can_reach(execution *scope, const model_element *gw) {
    execution **tokens;
    size_t n;
    scope_tokens(scope, &tokens, &n);
    bool reach = false;
    for (size_t i = 0; i < n && !reach; i++) {
        const model_element *pos = tokens[i]->activity;
        if (!pos || waiting_at(tokens[i], gw)) continue;
        if (pos == gw || (pos->reachable && pos->reachable[gw->index])) reach = true;
    }
    free(tokens);
    return reach;
}

/* A token arriving at a joining gateway waits there, its gateway instance open (Camunda shows it
 * in the activity instance tree), until the gateway fires; then every joined instance ends. */
static bool run_join(exec_ctx *ctx, execution *h, const model_element *gw) {
    h->is_active = false;
    execution *scope = state_scope_of(h);
    execution **tokens;
    size_t n;
    scope_tokens(scope, &tokens, &n);
    size_t waiting = 0;
    for (size_t i = 0; i < n; i++)
        if (waiting_at(tokens[i], gw)) waiting++;
    bool fire = gw->kind == EL_PARALLEL_GATEWAY ? waiting >= gw->n_incoming : !others_can_reach(scope, gw);
    if (!fire) {
        free(tokens);
        return true;
    }
    /* the arriving token continues; the others that waited here are consumed */
    size_t to_consume = gw->kind == EL_PARALLEL_GATEWAY ? gw->n_incoming - 1 : waiting - 1;
    bool ok = true;
    for (size_t i = 0; i < n && to_consume > 0 && ok; i++) {
        if (tokens[i] == h || !waiting_at(tokens[i], gw) || tokens[i] == scope) continue;
        ok = end_activity_instance(ctx, tokens[i], gw);
        state_execution_remove(ctx->pi, tokens[i]);
        to_consume--;
    }
    free(tokens);
    if (!ok || !end_activity_instance(ctx, h, gw)) return false;
    h->is_active = true;
    if (h != scope && scope->n_children == 1) {
        exec_prune(ctx, scope);
        h = scope;
    }
    return exec_leave(ctx, h, gw, false);
}

bool exec_behave(exec_ctx *ctx, execution *h, const model_element *a) {
    switch (a->kind) {
    case EL_START_EVENT:
    case EL_TASK:
    case EL_INTERMEDIATE_THROW:
    case EL_BOUNDARY_EVENT:
    case EL_EXCLUSIVE_GATEWAY:
        return exec_activity_done(ctx, h);
    case EL_PARALLEL_GATEWAY:
    case EL_INCLUSIVE_GATEWAY:
        if (a->n_incoming > 1) return run_join(ctx, h, a);
        return exec_activity_done(ctx, h);
    case EL_END_EVENT:
        return run_end_event(ctx, h, a);
    case EL_USER_TASK:
        return create_user_task(ctx, h, a);
    case EL_RECEIVE_TASK:
    case EL_INTERMEDIATE_CATCH:
        return events_create_catch(ctx, h, a);
    case EL_SERVICE_TASK:
        return run_service_task(ctx, h, a);
    case EL_SUB_PROCESS:
        if (!a->initial)
            return error_set(ctx->err, ERR_ENGINE, "Subprocess '%s' has no none start event", a->id);
        return exec_execute(ctx, h, a->initial);
    case EL_MI_BODY:
        return mi_start(ctx, h);
    case EL_PROCESS:
        break;
    }
    return error_set(ctx->err, ERR_ENGINE, "Cannot execute element '%s'", a->id);
}

/* --- leaving --- */

static bool condition_holds(exec_ctx *ctx, execution *tok, const model_flow *f, bool *holds) {
    if (!f->condition) {
        *holds = true;
        return true;
    }
    value v;
    if (!invoke_eval(ctx, tok, NULL, f->id, f->condition, &v)) return false;
    if (v.type != VAL_BOOLEAN) {
        value_free(&v);
        return error_set(ctx->err, ERR_ENGINE, "condition expression returns non-Boolean: %s (sequence flow '%s')",
                         expr_text(f->condition), f->id);
    }
    *holds = v.b;
    return true;
}

/* Which outgoing flows a token takes, following each element's rule. *out is malloc'd. */
static bool select_flows(exec_ctx *ctx, execution *tok, const model_element *a, model_flow ***out, size_t *n) {
    *n = 0;
    *out = malloc((a->n_outgoing + 1) * sizeof **out);
    if (!*out) abort();
    if (a->kind == EL_PARALLEL_GATEWAY) {
        for (size_t i = 0; i < a->n_outgoing; i++) (*out)[(*n)++] = a->outgoing[i];
        return true;
    }
    for (size_t i = 0; i < a->n_outgoing; i++) {
        model_flow *f = a->outgoing[i];
        if (f == a->default_flow) continue;
        bool holds = false;
        if (!condition_holds(ctx, tok, f, &holds)) return false;
        if (!holds) continue;
        (*out)[(*n)++] = f;
        if (a->kind == EL_EXCLUSIVE_GATEWAY) return true;
    }
    if (*n == 0 && a->default_flow) (*out)[(*n)++] = a->default_flow;
    if (*n == 0 && a->n_outgoing > 0) {
        if (a->kind == EL_EXCLUSIVE_GATEWAY || a->kind == EL_INCLUSIVE_GATEWAY)
            return error_set(ctx->err, ERR_ENGINE,
                             "ENGINE-02004 No outgoing sequence flow for the element with id '%s' could be selected "
                             "for continuing the process.",
                             a->id);
        return error_set(ctx->err, ERR_ENGINE,
                         "No conditional sequence flow leaving the Flow Node '%s' could be selected for continuing "
                         "the process",
                         a->id);
    }
    return true;
}

bool exec_take(exec_ctx *ctx, execution *tok, const model_flow *f) {
    if (!invoke_take_listeners(ctx, tok, f)) return false;
    return exec_enter(ctx, tok, f->target);
}

bool exec_leave(exec_ctx *ctx, execution *tok, const model_element *a, bool skip_async_after) {
    tok->activity = a;
    if (a->async_after && !skip_async_after) {
        tok->transition = TRANSITION_ASYNC_AFTER;
        tok->is_active = true;
        return events_new_job(ctx, JOB_ASYNC_AFTER, tok, a) != NULL;
    }
    model_flow **flows;
    size_t n;
    bool ok = select_flows(ctx, tok, a, &flows, &n);
    if (!ok || n <= 1) {
        if (ok) ok = n == 0 ? exec_token_ended(ctx, tok) : exec_take(ctx, tok, flows[0]);
        free(flows);
        return ok;
    }
    /* fork: create every branch before any runs, so no branch sees its scope empty */
    execution *scope = state_scope_of(tok);
    if (tok == scope) tok = fork_own_token(ctx, scope);
    char **ids = malloc(n * sizeof *ids);
    if (!ids) abort();
    ids[0] = str_dup(tok->id);
    for (size_t i = 1; i < n; i++) {
        execution *branch = new_concurrent(ctx, scope);
        branch->activity = a;
        ids[i] = str_dup(branch->id);
    }
    size_t replaced_before = ctx->n_replaced;
    ctx->forks_running++;
    for (size_t i = 0; i < n && ok; i++) {
        /* a branch not started yet may have been merged into its scope by an earlier branch */
        execution *branch = find_token(ctx, ids[i]);
        if (branch && branch->activity == a && branch->is_active) ok = exec_take(ctx, branch, flows[i]);
    }
    ctx->forks_running--;
    while (ctx->n_replaced > replaced_before) {
        ctx->n_replaced--;
        free(ctx->replaced[ctx->n_replaced].from);
        free(ctx->replaced[ctx->n_replaced].to);
    }
    if (ctx->n_replaced == 0) {
        free(ctx->replaced);
        ctx->replaced = NULL;
        ctx->cap_replaced = 0;
    }
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
    free(flows);
    return ok;
}

/* --- finishing --- */

bool exec_activity_done(exec_ctx *ctx, execution *h) {
    const model_element *a = h->activity;
    if (h->is_scope && a == h->scope_element) return exec_finish_scope(ctx, h);
    if (!end_activity_instance(ctx, h, a)) return false;
    return exec_leave(ctx, h, a, false);
}

bool exec_finish_scope(exec_ctx *ctx, execution *s) {
    const model_element *el = s->scope_element;
    if (!invoke_outputs(ctx, s, el)) return false;
    if (!invoke_listeners(ctx, s, el, "end")) return false;
    record_end(ctx, s->scope_instance_id, el);
    execution *parent = s->parent;
    if (is_body(parent)) return mi_inner_done(ctx, parent, s);
    state_execution_remove(ctx->pi, s);
    parent->is_active = true;
    parent->activity = el;
    if (el->triggered_by_event) return exec_token_ended(ctx, parent);
    return exec_leave(ctx, parent, el, false);
}

bool exec_token_ended(exec_ctx *ctx, execution *tok) {
    execution *scope = state_scope_of(tok);
    if (tok != scope) {
        state_execution_remove(ctx->pi, tok);
        exec_prune(ctx, scope);
    } else {
        tok->activity = NULL;
        tok->transition = TRANSITION_NONE;
        free(tok->activity_instance_id);
        tok->activity_instance_id = NULL;
    }
    if (!exec_scope_is_empty(scope)) return true;
    return exec_scope_complete(ctx, scope);
}

bool exec_scope_complete(exec_ctx *ctx, execution *scope) {
    if (scope == ctx->pi->root) {
        if (ctx->preserve_scope) {
            ctx->root_reached_end = true;
            return true;
        }
        return exec_end_instance(ctx, "COMPLETED", ctx->end_activity ? ctx->end_activity->id : NULL);
    }
    if (is_body(scope)) return true; /* bodies complete through mi_inner_done */
    return exec_finish_scope(ctx, scope);
}

bool exec_end_instance(exec_ctx *ctx, const char *end_state, const char *end_activity_id) {
    instance *pi = ctx->pi;
    execution *root = pi->root;
    if (!invoke_listeners(ctx, root, pi->model->process, "end")) return false;
    pi->ended = true;
    free(pi->end_state);
    pi->end_state = str_dup(end_state);
    pi->end_time = ctx->now;
    history_process_end(ctx, end_activity_id);
    state_execution_remove(pi, root);
    return true;
}

/* --- starting an instance --- */

bool exec_start_instance(exec_ctx *ctx, const char *business_key, const cJSON *variables, bool initial) {
    instance *pi = ctx->pi;
    const model_element *process = pi->model->process;
    pi->start_time = ctx->now;
    free(pi->business_key);
    pi->business_key = str_dup(business_key);
    execution *root = state_execution_new(pi, NULL, pi->id);
    root->is_scope = true;
    root->scope_element = process;
    root->scope_instance_id = str_dup(pi->id);
    history_process_start(ctx, pi->start_activity_id);
    bool was_initial = ctx->initial_variables;
    ctx->initial_variables = initial;
    bool ok = exec_set_variables_json(ctx, root, variables, true);
    ctx->initial_variables = was_initial;
    if (!ok) return false;
    if (!invoke_listeners(ctx, root, process, "start")) return false;
    return events_create_scope_triggers(ctx, root);
}

bool exec_run_from_start(exec_ctx *ctx) {
    const model_element *start = ctx->pi->model->process->initial;
    if (!start) return error_set(ctx->err, ERR_ENGINE, "Process '%s' has no none start event", ctx->pi->model->definition_key);
    return exec_enter(ctx, ctx->pi->root, start);
}

/* The instance of scope element `el` directly inside scope execution `scope`, if exactly one. */
static execution *find_scope_instance(execution *scope, const model_element *el, int *count) {
    execution *found = NULL;
    execution **stack = malloc(sizeof *stack * 64);
    size_t n = 0, cap = 64;
    if (!stack) abort();
    for (size_t i = 0; i < scope->n_children; i++) stack[n++] = scope->children[i];
    *count = 0;
    while (n > 0) {
        execution *e = stack[--n];
        if (e->is_scope) {
            if (e->scope_element == el) {
                (*count)++;
                found = e;
            }
            continue; /* deeper scopes belong to other scope instances */
        }
        for (size_t i = 0; i < e->n_children; i++) {
            if (n == cap) {
                cap *= 2;
                execution **grown = realloc(stack, cap * sizeof *stack);
                if (!grown) abort();
                stack = grown;
            }
            stack[n++] = e->children[i];
        }
    }
    free(stack);
    return found;
}

/* Finds or creates the scope instances from the process down to `flow_scope`; returns the
 * execution of the innermost one. */
static execution *instantiate_scopes(exec_ctx *ctx, const model_element *flow_scope, const char *target_id) {
    const model_element *path[256];
    size_t depth = 0;
    for (const model_element *e = flow_scope; e && e->kind != EL_PROCESS; e = e->parent) {
        if (depth == sizeof path / sizeof *path) {
            error_set(ctx->err, ERR_ENGINE, "Scopes of '%s' nest too deeply", target_id);
            return NULL;
        }
        path[depth++] = e;
    }
    execution *scope = ctx->pi->root;
    while (depth > 0) {
        const model_element *el = path[--depth];
        int count;
        execution *existing = find_scope_instance(scope, el, &count);
        if (count > 1) {
            error_set(ctx->err, ERR_ENGINE, "Ancestor activity execution is ambiguous for activity Activity(%s)",
                      flow_scope->id);
            return NULL;
        }
        if (existing) {
            scope = existing;
            continue;
        }
        if (is_body(scope)) {
            scope = mi_new_single_inner(ctx, scope);
        } else {
            execution *tok = exec_new_branch(ctx, scope);
            tok->activity = el;
            tok->is_active = false;
            scope = exec_start_scope(ctx, tok, el);
            if (scope && el->kind == EL_MI_BODY) mi_init_single(ctx, scope);
        }
        if (!scope) return NULL;
    }
    return scope;
}

bool exec_start_before(exec_ctx *ctx, const model_element *target, const cJSON *variables) {
    execution *scope = instantiate_scopes(ctx, target->parent, target->id);
    if (!scope) return false;
    execution *tok;
    if (is_body(scope)) {
        tok = mi_new_single_inner(ctx, scope);
        if (!tok) return false;
        if (!exec_set_trigger_variables_json(ctx, tok, variables)) return false;
        return exec_behave(ctx, tok, target);
    }
    tok = exec_new_branch(ctx, scope);
    if (!exec_set_trigger_variables_json(ctx, tok, variables)) return false;
    return exec_enter(ctx, tok, target);
}

bool exec_start_transition(exec_ctx *ctx, const model_flow *flow, const cJSON *variables) {
    execution *scope = instantiate_scopes(ctx, flow->source->parent, flow->id);
    if (!scope) return false;
    execution *tok = exec_new_branch(ctx, scope);
    tok->activity = flow->source;
    if (!exec_set_trigger_variables_json(ctx, tok, variables)) return false;
    return exec_take(ctx, tok, flow);
}

bool exec_finish_instructions(exec_ctx *ctx) {
    ctx->preserve_scope = false;
    execution *root = ctx->pi->root;
    if (!root || !exec_scope_is_empty(root)) return true;
    return exec_scope_complete(ctx, root);
}
