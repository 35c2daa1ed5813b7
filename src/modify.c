/*
 * modify.c — process instance modification (semantics.md §1): Camunda's ModifyProcessInstanceCmd
 * with its instruction commands (ActivityInstanceCancellationCmd, TransitionInstanceCancellationCmd,
 * ActivityCancellationCmd, ActivityBeforeInstantiationCmd, ActivityAfterInstantiationCmd,
 * TransitionInstantiationCmd).
 *
 * Order of work, as in Camunda:
 *  1. every instruction's shape is checked before anything runs (the REST layer's translation:
 *     types, required ids, variable values);
 *  2. the instructions run in order on the live tree, each validated when it runs (an activity
 *     instance cancelled by an earlier instruction no longer exists); the instance is "preserve
 *     scope" meanwhile, so it never ends on its own;
 *  3. afterwards an instance left without tokens ends: COMPLETED if its last token reached an end
 *     event, else terminated (EXTERNALLY_TERMINATED unless externallyTerminated is false).
 * Any failure leaves the host's document untouched: the command layer drops the instance.
 *
 * Cancellation propagates upward (§1.5.4): from the cancelled instance's execution, move up while
 * the enclosing scope execution has at most one child; what is reached is cancelled (the process
 * instance itself is only emptied, keeping its event-subprocess triggers and variables).
 */
#include "modify.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "strutil.h"
#include "tree.h"

#define CANCEL_REASON "Cancellation due to process instance modifcation" /* sic, Camunda's */
#define MAX_SCOPE_PATH 256

typedef enum ins_type { INS_CANCEL, INS_START_BEFORE, INS_START_AFTER, INS_START_TRANSITION } ins_type;

/* Ids of activity instances (ti false) or transition instances (ti true). */
typedef struct id_list {
    char **ids;
    bool *ti;
    size_t n, cap;
} id_list;

typedef struct instruction {
    ins_type type;
    const char *type_name;
    const char *activity_id, *transition_id, *activity_instance_id, *transition_instance_id, *ancestor;
    const cJSON *variables, *variables_local;
    bool cancel_current;   /* cancelCurrentActiveActivityInstances */
    id_list snapshot;      /* with cancel_current: the instances before any instruction ran */
} instruction;

/* --- id lists --- */

static void ids_add(id_list *l, const char *id, bool ti) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **ids = realloc(l->ids, cap * sizeof *ids);
        bool *tis = realloc(l->ti, cap * sizeof *tis);
        if (!ids || !tis) abort();
        l->ids = ids;
        l->ti = tis;
        l->cap = cap;
    }
    l->ids[l->n] = str_dup(id);
    l->ti[l->n++] = ti;
}

static void ids_free(id_list *l) {
    for (size_t i = 0; i < l->n; i++) free(l->ids[i]);
    free(l->ids);
    free(l->ti);
    memset(l, 0, sizeof *l);
}

static bool is_body(const execution *e) {
    return e && e->is_scope && e->scope_element && e->scope_element->kind == EL_MI_BODY;
}

/* Every activity instance and transition instance of `activity_id`, in tree pre-order. */
static void collect_instances(const instance *pi, execution *e, const char *activity_id, id_list *out) {
    if (e != pi->root && tree_is_scope_node(pi, e) && strcmp(e->scope_element->id, activity_id) == 0)
        ids_add(out, e->scope_instance_id, false);
    if (tree_is_leaf_token(e) && strcmp(e->activity->id, activity_id) == 0) ids_add(out, e->activity_instance_id, false);
    if (e->transition != TRANSITION_NONE && e->activity && strcmp(e->activity->id, activity_id) == 0)
        ids_add(out, e->id, true);
    for (size_t i = 0; i < e->n_children; i++) collect_instances(pi, e->children[i], activity_id, out);
}

/* Scope executions instantiating `el` (anywhere in the tree): their number, and the last one. */
static void count_scope_instances(execution *e, const model_element *el, int *count, execution **found) {
    if (e->is_scope && e->scope_element == el && e->parent) {
        (*count)++;
        *found = e;
    }
    for (size_t i = 0; i < e->n_children; i++) count_scope_instances(e->children[i], el, count, found);
}

/* --- reading the instructions --- */

static bool opt_string(const cJSON *o, const char *name, const char **out, error *err) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, name);
    *out = NULL;
    if (!p || cJSON_IsNull(p)) return true;
    if (!cJSON_IsString(p)) return error_set(err, ERR_INVALID_REQUEST, "%s must be a string", name);
    *out = p->valuestring;
    return true;
}

/* A variable map: absent, null or an object whose values are typed values Camunda accepts. */
static bool opt_variables(const cJSON *o, const char *name, const cJSON **out, error *err) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, name);
    *out = NULL;
    if (!p || cJSON_IsNull(p)) return true;
    if (!cJSON_IsObject(p)) return error_set(err, ERR_INVALID_REQUEST, "%s must be an object", name);
    const cJSON *item;
    cJSON_ArrayForEach(item, p) {
        value v;
        bool ok = value_from_json(item, &v, err);
        value_free(&v);
        if (!ok) return false;
    }
    *out = p;
    return true;
}

static bool parse_instruction(const cJSON *j, instruction *ins, error *err) {
    memset(ins, 0, sizeof *ins);
    if (!cJSON_IsObject(j)) return error_set(err, ERR_INVALID_REQUEST, "instructions must be objects");
    const char *type;
    if (!opt_string(j, "type", &type, err)) return false;
    if (!type)
        return error_set(err, ERR_INVALID_REQUEST,
                         "An instruction needs a type: cancel, startBeforeActivity, startAfterActivity or "
                         "startTransition");
    ins->type_name = type;
    if (strcmp(type, "cancel") == 0) ins->type = INS_CANCEL;
    else if (strcmp(type, "startBeforeActivity") == 0) ins->type = INS_START_BEFORE;
    else if (strcmp(type, "startAfterActivity") == 0) ins->type = INS_START_AFTER;
    else if (strcmp(type, "startTransition") == 0) ins->type = INS_START_TRANSITION;
    else
        return error_set(err, ERR_INVALID_REQUEST, "Unknown instruction type '%s'", type);
    if (!opt_string(j, "activityId", &ins->activity_id, err) ||
        !opt_string(j, "transitionId", &ins->transition_id, err) ||
        !opt_string(j, "activityInstanceId", &ins->activity_instance_id, err) ||
        !opt_string(j, "transitionInstanceId", &ins->transition_instance_id, err) ||
        !opt_string(j, "ancestorActivityInstanceId", &ins->ancestor, err))
        return false;
    if (ins->type == INS_CANCEL) {
        int n = !!ins->activity_id + !!ins->activity_instance_id + !!ins->transition_instance_id;
        if (n != 1)
            return error_set(err, ERR_INVALID_REQUEST,
                             "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or "
                             "'transitionInstanceId', is required");
        const cJSON *flag = cJSON_GetObjectItemCaseSensitive(j, "cancelCurrentActiveActivityInstances");
        if (flag && !cJSON_IsNull(flag) && !cJSON_IsBool(flag))
            return error_set(err, ERR_INVALID_REQUEST, "cancelCurrentActiveActivityInstances must be a boolean");
        ins->cancel_current = cJSON_IsTrue(flag) && ins->activity_id;
        return true;
    }
    if (ins->type == INS_START_TRANSITION ? !ins->transition_id : !ins->activity_id)
        return error_set(err, ERR_INVALID_REQUEST, "For instruction type '%s': '%s' must be set", type,
                         ins->type == INS_START_TRANSITION ? "transitionId" : "activityId");
    return opt_variables(j, "variables", &ins->variables, err) &&
           opt_variables(j, "variablesLocal", &ins->variables_local, err);
}

/* --- messages --- */

/* Camunda's describeFailure: "Cannot perform instruction: <describe>; <detail>". */
static bool fail(exec_ctx *ctx, const instruction *ins, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static bool fail(exec_ctx *ctx, const instruction *ins, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *detail = str_vprintf(fmt, ap);
    va_end(ap);
    char *what;
    if (ins->type == INS_CANCEL)
        what = ins->activity_instance_id ? str_printf("Cancel activity instance '%s'", ins->activity_instance_id)
               : ins->transition_instance_id
                   ? str_printf("Cancel transition instance '%s'", ins->transition_instance_id)
                   : str_printf("Cancel all instances of activity '%s'", ins->activity_id);
    else {
        const char *kind = ins->type == INS_START_BEFORE  ? "Start before activity"
                           : ins->type == INS_START_AFTER ? "Start after activity"
                                                          : "Start transition";
        const char *id = ins->type == INS_START_TRANSITION ? ins->transition_id : ins->activity_id;
        what = ins->ancestor ? str_printf("%s '%s' with ancestor activity instance '%s'", kind, id, ins->ancestor)
                             : str_printf("%s '%s'", kind, id);
    }
    error_set(ctx->err, ERR_NOT_VALID, "Cannot perform instruction: %s; %s", what ? what : "?",
              detail ? detail : "?");
    free(what);
    free(detail);
    return false;
}

/* --- cancellation --- */

/* Cancels what the instance held by `src` belongs to, propagating upward (§1.5.4). */
static bool cancel_from(exec_ctx *ctx, execution *src) {
    instance *pi = ctx->pi;
    execution *top = src;
    while (top->parent) {
        execution *ps = state_scope_of(top->parent);
        if (ps->n_children > 1) break;
        top = ps;
    }
    if (top == pi->root) {
        /* the instance is emptied but stays (preserve scope) with its triggers and variables */
        ctx->root_reached_end = false;
        return cancel_scope_content(ctx, top, CANCEL_REASON);
    }
    execution *parent = top->parent;
    bool concurrent = top->is_concurrent;
    if (!cancel_execution(ctx, top, CANCEL_REASON, false)) return false;
    if (is_body(parent)) return mi_inner_cancelled(ctx, parent);
    if (concurrent) {
        exec_prune(ctx, parent);
    } else if (parent->is_concurrent && !parent->is_scope) {
        /* the token that waited in the cancelled scope activity goes too */
        execution *scope = parent->parent;
        state_execution_remove(pi, parent);
        exec_prune(ctx, scope);
    }
    return true;
}

static bool cancel_activity_instance(exec_ctx *ctx, const instruction *ins, const char *id, bool must_exist) {
    execution *e = NULL;
    bool scope_node;
    if (!tree_find_activity_instance(ctx->pi, id, &e, &scope_node)) {
        if (!must_exist) return true;
        return fail(ctx, ins, "Activity instance '%s' does not exist: activityInstance is null", id);
    }
    return cancel_from(ctx, e);
}

static bool cancel_transition_instance(exec_ctx *ctx, const instruction *ins, const char *id, bool must_exist) {
    execution *e = tree_find_transition_instance(ctx->pi, id);
    if (!e) {
        if (!must_exist) return true;
        return fail(ctx, ins, "Transition instance '%s' does not exist: transitionInstance is null", id);
    }
    return cancel_from(ctx, e);
}

/* cancelAllForActivity: every instance there is when it runs (or, with
 * cancelCurrentActiveActivityInstances, every one there was before the modification began) that
 * still exists. An activity without instances, or unknown, is no error. */
static bool cancel_all(exec_ctx *ctx, const instruction *ins) {
    id_list now = {0};
    const id_list *list = &ins->snapshot;
    if (!ins->cancel_current) {
        collect_instances(ctx->pi, ctx->pi->root, ins->activity_id, &now);
        list = &now;
    }
    bool ok = true;
    for (size_t i = 0; i < list->n && ok && ctx->pi->root; i++)
        ok = list->ti[i] ? cancel_transition_instance(ctx, ins, list->ids[i], false)
                         : cancel_activity_instance(ctx, ins, list->ids[i], false);
    ids_free(&now);
    return ok;
}

/* --- instantiation --- */

/* The scope execution to start in and the scopes to create on the way (innermost first), for an
 * element whose flow scope is `flow_scope` (§1.4.2). */
static bool resolve_parent(exec_ctx *ctx, const instruction *ins, const model_element *flow_scope,
                           const char *element_id, execution **parent, const model_element **missing,
                           size_t *n_missing) {
    instance *pi = ctx->pi;
    *n_missing = 0;
    *parent = NULL;
    if (!ins->ancestor) {
        for (const model_element *el = flow_scope; el; el = el->parent) {
            if (el->kind == EL_PROCESS) {
                *parent = pi->root;
                return true;
            }
            int count = 0;
            execution *found = NULL;
            count_scope_instances(pi->root, el, &count, &found);
            if (count > 1)
                return error_set(ctx->err, ERR_ENGINE, "Ancestor activity execution is ambiguous for activity Activity(%s)",
                                 flow_scope->id);
            if (count == 1) {
                *parent = found;
                return true;
            }
            if (*n_missing == MAX_SCOPE_PATH) return error_set(ctx->err, ERR_ENGINE, "Scopes nest too deeply");
            missing[(*n_missing)++] = el;
        }
        *parent = pi->root;
        return true;
    }
    execution *a = NULL;
    bool scope_node = false;
    if (!tree_find_activity_instance(pi, ins->ancestor, &a, &scope_node))
        return fail(ctx, ins, "Ancestor activity instance '%s' does not exist: ancestorInstance is null", ins->ancestor);
    const model_element *a_el = !scope_node ? NULL : a == pi->root ? pi->model->process : a->scope_element;
    for (const model_element *el = flow_scope; el; el = el->parent) {
        if (a_el && el == a_el) {
            *parent = a;
            return true;
        }
        if (el->kind == EL_PROCESS) break;
        if (*n_missing == MAX_SCOPE_PATH) return error_set(ctx->err, ERR_ENGINE, "Scopes nest too deeply");
        missing[(*n_missing)++] = el;
    }
    return fail(ctx, ins, "Scope execution for '%s' cannot be found in parent hierarchy of flow element '%s'",
                ins->ancestor, element_id);
}

static bool set_instruction_variables(exec_ctx *ctx, execution *tok, const instruction *ins) {
    return exec_set_trigger_variables_json(ctx, tok, ins->variables) &&
           exec_set_variables_json(ctx, tok, ins->variables_local, true);
}

/* startBefore an interrupting boundary event whose activity runs: that activity instance is
 * cancelled and the boundary event continues in its place (§1.4.4 2). */
static bool start_interrupting_boundary(exec_ctx *ctx, const instruction *ins, execution *attached,
                                        const model_element *boundary) {
    execution *token = attached->parent;
    if (!cancel_execution(ctx, attached, CANCEL_REASON, false)) return false;
    token->is_active = true;
    if (!set_instruction_variables(ctx, token, ins)) return false;
    return exec_execute(ctx, token, boundary);
}

/* The event subprocess whose interrupting start a startBefore of `target` triggers (with the
 * scopes `missing` to create), or NULL (§1.4.4 3). */
static const model_element *interrupting_event_subprocess(const model_element *target,
                                                          const model_element *const *missing, size_t n_missing) {
    const model_element *esp = NULL;
    if (n_missing == 0 && target->kind == EL_SUB_PROCESS && target->triggered_by_event) esp = target;
    if (n_missing == 1 && missing[0]->triggered_by_event && missing[0]->initial == target) esp = missing[0];
    return esp && esp->initial && esp->initial->is_interrupting ? esp : NULL;
}

static bool run_start(exec_ctx *ctx, const instruction *ins) {
    instance *pi = ctx->pi;
    const model *m = pi->model;
    const model_element *target = NULL;
    const model_flow *flow = NULL;
    if (ins->type == INS_START_BEFORE) {
        target = model_element_by_id(m, ins->activity_id);
        if (!target || target->kind == EL_PROCESS)
            return fail(ctx, ins, "Element '%s' does not exist in process '%s': element is null", ins->activity_id,
                        m->definition_id);
    } else if (ins->type == INS_START_AFTER) {
        const model_element *source = model_element_by_id(m, ins->activity_id);
        if (!source || source->kind == EL_PROCESS)
            return fail(ctx, ins, "Activity '%s' does not exist: activity is null", ins->activity_id);
        if (source->n_outgoing == 0)
            return error_set(ctx->err, ERR_ENGINE,
                             "Cannot start after activity %s; activity has no outgoing sequence flow to take",
                             ins->activity_id);
        if (source->n_outgoing > 1)
            return error_set(ctx->err, ERR_ENGINE,
                             "Cannot start after activity %s; activity has more than one outgoing sequence flow",
                             ins->activity_id);
        flow = source->outgoing[0];
    } else {
        flow = model_flow_by_id(m, ins->transition_id);
        if (!flow)
            return fail(ctx, ins, "Element '%s' does not exist in process '%s': element is null", ins->transition_id,
                        m->definition_id);
    }
    const model_element *flow_scope = target ? target->parent : flow->source->parent;
    const model_element *missing[MAX_SCOPE_PATH];
    size_t n_missing;
    execution *parent;
    if (!resolve_parent(ctx, ins, flow_scope, target ? target->id : flow->id, &parent, missing, &n_missing))
        return false;
    if (pi->suspended)
        return error_set(ctx->err, ERR_SUSPENDED, "ENGINE-03043 Execution with id '%s' is suspended.", parent->id);

    if (target && n_missing == 0 && target->kind == EL_BOUNDARY_EVENT && target->cancel_activity &&
        target->attached_to) {
        int count = 0;
        execution *attached = NULL;
        count_scope_instances(pi->root, target->attached_to, &count, &attached);
        if (count > 1)
            return error_set(ctx->err, ERR_ENGINE, "Executions for activity Activity(%s) ambiguous",
                             target->attached_to->id);
        if (count == 1) return start_interrupting_boundary(ctx, ins, attached, target);
    }
    const model_element *esp = target ? interrupting_event_subprocess(target, missing, n_missing) : NULL;
    if (esp) {
        if (!set_instruction_variables(ctx, parent, ins)) return false;
        return events_trigger_event_subprocess(ctx, parent, esp->initial);
    }

    /* the missing scopes, outermost first; their start events do not run */
    while (n_missing > 0) {
        const model_element *el = missing[--n_missing];
        if (is_body(parent)) {
            parent = mi_new_single_inner(ctx, parent);
        } else {
            execution *tok = exec_new_branch(ctx, parent);
            tok->activity = el;
            tok->is_active = false;
            parent = exec_start_scope(ctx, tok, el);
            if (parent && el->kind == EL_MI_BODY) mi_init_single(ctx, parent);
        }
        if (!parent) return false;
    }
    if (target && is_body(parent)) {
        execution *inner = mi_new_single_inner(ctx, parent);
        if (!inner || !set_instruction_variables(ctx, inner, ins)) return false;
        return exec_behave(ctx, inner, target);
    }
    execution *tok = exec_new_branch(ctx, parent);
    if (target) return set_instruction_variables(ctx, tok, ins) && exec_enter(ctx, tok, target);
    tok->activity = flow->source;
    return set_instruction_variables(ctx, tok, ins) && exec_take(ctx, tok, flow);
}

/* --- the command --- */

static bool run_instruction(exec_ctx *ctx, const instruction *ins) {
    if (ins->type != INS_CANCEL) return run_start(ctx, ins);
    if (ins->activity_instance_id) return cancel_activity_instance(ctx, ins, ins->activity_instance_id, true);
    if (ins->transition_instance_id) return cancel_transition_instance(ctx, ins, ins->transition_instance_id, true);
    return cancel_all(ctx, ins);
}

/* After the last instruction (ModifyProcessInstanceCmd): an empty instance ends. */
static bool finish(exec_ctx *ctx) {
    instance *pi = ctx->pi;
    ctx->preserve_scope = false;
    if (!pi->root || !exec_scope_is_empty(pi->root)) return true;
    if (ctx->root_reached_end)
        return exec_end_instance(ctx, "COMPLETED", ctx->end_activity ? ctx->end_activity->id : NULL);
    free(pi->delete_reason);
    pi->delete_reason = NULL; /* the builder's modification reason: null for API and REST calls */
    return exec_end_instance(ctx, ctx->externally_terminated ? "EXTERNALLY_TERMINATED" : "INTERNALLY_TERMINATED",
                             NULL);
}

static bool bool_field(const cJSON *cmd, const char *name, bool dflt, bool *out, error *err) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(cmd, name);
    *out = dflt;
    if (!p || cJSON_IsNull(p)) return true;
    if (!cJSON_IsBool(p)) return error_set(err, ERR_INVALID_REQUEST, "%s must be a boolean", name);
    *out = cJSON_IsTrue(p);
    return true;
}

bool modify_run(exec_ctx *ctx, const cJSON *cmd, json_writer *result) {
    (void)result;
    error *err = ctx->err;
    const char *annotation;
    if (!bool_field(cmd, "skipCustomListeners", false, &ctx->skip_custom_listeners, err) ||
        !bool_field(cmd, "skipIoMappings", false, &ctx->skip_io_mappings, err) ||
        !bool_field(cmd, "externallyTerminated", true, &ctx->externally_terminated, err) ||
        !opt_string(cmd, "annotation", &annotation, err)) /* the annotation is the host's (operation log) */
        return false;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cmd, "instructions");
    if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
        return error_set(err, ERR_INVALID_REQUEST, "instructions must be an array");
    int n = cJSON_GetArraySize(list);
    if (n <= 0) return true; /* nothing to do (REST answers 204 without looking) */
    instruction *ins = calloc((size_t)n, sizeof *ins);
    if (!ins) abort();
    bool ok = true;
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        if (ok) ok = parse_instruction(item, &ins[i], err);
        if (ok && ins[i].cancel_current)
            collect_instances(ctx->pi, ctx->pi->root, ins[i].activity_id, &ins[i].snapshot);
        i++;
    }
    ctx->preserve_scope = true;
    ctx->root_reached_end = false;
    for (i = 0; i < n && ok; i++) {
        if (!ctx->pi->root)
            ok = error_set(err, ERR_ENGINE,
                           "ENGINE-13036 Process instance '%s' cannot be modified. The process instance does not exist",
                           ctx->pi->id);
        else
            ok = run_instruction(ctx, &ins[i]);
    }
    if (ok) ok = finish(ctx);
    for (i = 0; i < n; i++) ids_free(&ins[i].snapshot);
    free(ins);
    return ok;
}
