/*
 * mi.c — multi-instance bodies: creating inner instances from loopCardinality or a collection,
 * keeping nrOfInstances / nrOfActiveInstances / nrOfCompletedInstances on the body and
 * loopCounter / the element variable on each inner instance, and completing the body when all
 * instances are done or the completionCondition holds.
 *
 * The body execution (scope element `X#multiInstanceBody`) holds no token; its children are the
 * inner instances, each a scope execution of X. Sequential bodies have at most one at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "history.h"
#include "strutil.h"

static int64_t body_counter(execution *body, const char *name) {
    variable *v = var_map_get(&body->vars, name);
    return v && (v->val.type == VAL_INTEGER || v->val.type == VAL_LONG) ? v->val.i : 0;
}

static bool set_counter(exec_ctx *ctx, execution *e, const char *name, int64_t n) {
    value v = value_integer(n);
    return exec_set_variable(ctx, e, name, &v, true);
}

/* Creates inner instance number `k` (not yet entered). */
static execution *new_inner(exec_ctx *ctx, execution *body, int64_t k, const cJSON *element) {
    const model_element *inner = body->scope_element->inner;
    char *id = ids_uuid(&ctx->ids);
    execution *e = state_execution_new(ctx->pi, body, id);
    free(id);
    e->is_scope = true;
    e->scope_element = inner;
    e->scope_instance_id = ids_activity_instance(&ctx->ids, inner->id);
    bool container = inner->kind == EL_SUB_PROCESS;
    e->activity = container ? NULL : inner;
    e->is_active = !container;
    set_counter(ctx, e, "loopCounter", k);
    const char *element_variable = body->scope_element->mi->element_variable;
    if (element_variable && element) {
        value v = value_infer(element);
        exec_set_variable(ctx, e, element_variable, &v, true);
        value_free(&v);
    }
    return e;
}

static bool run_inner(exec_ctx *ctx, execution *inner) {
    if (!exec_enter_scope(ctx, inner)) return false;
    return exec_behave(ctx, inner, inner->scope_element);
}

/* Number of instances and, for a collection, the parsed collection (caller frees). */
static bool cardinality(exec_ctx *ctx, execution *body, int64_t *n, cJSON **collection) {
    const model_element *el = body->scope_element;
    const model_multi_instance *mi = el->mi;
    *collection = NULL;
    if (mi->loop_cardinality) {
        value v;
        if (!invoke_eval(ctx, body, el->inner, el->inner->id, mi->loop_cardinality, &v)) return false;
        bool ok = true;
        if (v.type == VAL_INTEGER || v.type == VAL_LONG) {
            *n = v.i;
        } else if (v.type == VAL_STRING && v.s && *v.s) {
            char *end;
            *n = strtoll(v.s, &end, 10);
            if (*end) ok = false;
        } else if (v.type == VAL_DOUBLE && v.d > -9.2e18 && v.d < 9.2e18 && v.d == (double)(int64_t)v.d) {
            *n = (int64_t)v.d;
        } else {
            ok = false;
        }
        value_free(&v);
        if (!ok)
            return error_set(ctx->err, ERR_ENGINE,
                             "Could not resolve loopCardinality expression %s of '%s' to a number",
                             expr_text(mi->loop_cardinality), el->inner->id);
    } else {
        value v;
        if (!invoke_eval(ctx, body, el->inner, el->inner->id, mi->collection, &v)) return false;
        cJSON *doc = v.type == VAL_JSON && v.s ? cJSON_Parse(v.s) : NULL;
        value_free(&v);
        if (!cJSON_IsArray(doc)) {
            cJSON_Delete(doc);
            return error_set(ctx->err, ERR_ENGINE, "Variable %s of '%s' is not a Collection",
                             expr_text(mi->collection), el->inner->id);
        }
        *n = cJSON_GetArraySize(doc);
        *collection = doc;
    }
    if (*n < 0)
        return error_set(ctx->err, ERR_ENGINE,
                         "Invalid number of instances: must be non-negative integer value, but was %lld",
                         (long long)*n);
    if (*n > 100000)
        return error_set(ctx->err, ERR_ENGINE, "Too many instances for '%s': %lld (limit 100000)", el->inner->id,
                         (long long)*n);
    return true;
}

/* All instances done (or the completion condition held): the body completes. */
static bool complete_body(exec_ctx *ctx, execution *body) { return exec_finish_scope(ctx, body); }

bool mi_start(exec_ctx *ctx, execution *body) {
    const model_multi_instance *mi = body->scope_element->mi;
    int64_t n = 0;
    cJSON *collection;
    if (!cardinality(ctx, body, &n, &collection)) return false;
    bool ok = set_counter(ctx, body, "nrOfInstances", n) &&
              set_counter(ctx, body, "nrOfActiveInstances", mi->sequential ? (n > 0) : n) &&
              set_counter(ctx, body, "nrOfCompletedInstances", 0);
    if (ok && n == 0) ok = complete_body(ctx, body);
    else if (ok && mi->sequential) {
        ok = run_inner(ctx, new_inner(ctx, body, 0, cJSON_GetArrayItem(collection, 0)));
    } else if (ok) {
        /* all instances exist before any runs, so an instance finishing at once does not
         * complete the body early */
        char **ids = malloc((size_t)n * sizeof *ids);
        if (!ids) abort();
        for (int64_t k = 0; k < n; k++)
            ids[k] = str_dup(new_inner(ctx, body, k, cJSON_GetArrayItem(collection, (int)k))->id);
        for (int64_t k = 0; k < n && ok; k++) {
            execution *inner = state_execution_by_id(ctx->pi, ids[k]);
            if (inner) ok = run_inner(ctx, inner);
        }
        for (int64_t k = 0; k < n; k++) free(ids[k]);
        free(ids);
    }
    cJSON_Delete(collection);
    return ok;
}

bool mi_inner_done(exec_ctx *ctx, execution *body, execution *inner) {
    const model_element *el = body->scope_element;
    const model_multi_instance *mi = el->mi;
    int64_t completed = body_counter(body, "nrOfCompletedInstances") + 1;
    if (!set_counter(ctx, body, "nrOfCompletedInstances", completed)) return false;
    if (!mi->sequential &&
        !set_counter(ctx, body, "nrOfActiveInstances", body_counter(body, "nrOfActiveInstances") - 1))
        return false;
    bool done = false;
    if (mi->completion_condition) {
        value v;
        if (!invoke_eval(ctx, inner, el->inner, el->inner->id, mi->completion_condition, &v)) return false;
        done = v.type == VAL_BOOLEAN && v.b;
        value_free(&v);
    }
    variable *counter = var_map_get(&inner->vars, "loopCounter");
    int64_t next = (counter ? counter->val.i : 0) + 1;
    state_execution_remove(ctx->pi, inner);
    if (done) {
        while (body->n_children > 0)
            if (!cancel_execution(ctx, body->children[body->n_children - 1], "completion condition", false))
                return false;
        return complete_body(ctx, body);
    }
    if (!mi->sequential) return body->n_children == 0 ? complete_body(ctx, body) : true;
    if (next < body_counter(body, "nrOfInstances")) {
        cJSON *collection = NULL;
        if (mi->collection) {
            value v;
            if (!invoke_eval(ctx, body, el->inner, el->inner->id, mi->collection, &v)) return false;
            collection = v.type == VAL_JSON && v.s ? cJSON_Parse(v.s) : NULL;
            value_free(&v);
        }
        bool ok = run_inner(ctx, new_inner(ctx, body, next, cJSON_GetArrayItem(collection, (int)next)));
        cJSON_Delete(collection);
        return ok;
    }
    return complete_body(ctx, body);
}

void mi_init_single(exec_ctx *ctx, execution *body) {
    set_counter(ctx, body, "nrOfInstances", 0);
    set_counter(ctx, body, "nrOfActiveInstances", 0);
    set_counter(ctx, body, "nrOfCompletedInstances", 0);
}

execution *mi_new_single_inner(exec_ctx *ctx, execution *body) {
    const model_element *el = body->scope_element;
    if (el->mi->sequential && body->n_children > 0) {
        error_set(ctx->err, ERR_ENGINE, "Concurrent instantiation not possible for activities in scope %s", el->id);
        return NULL;
    }
    int64_t k = body_counter(body, "nrOfInstances");
    set_counter(ctx, body, "nrOfInstances", k + 1);
    set_counter(ctx, body, "nrOfActiveInstances", body_counter(body, "nrOfActiveInstances") + 1);
    execution *inner = new_inner(ctx, body, k, NULL);
    return exec_enter_scope(ctx, inner) ? inner : NULL;
}

bool mi_inner_cancelled(exec_ctx *ctx, execution *body) {
    if (body->scope_element->mi->sequential) return true;
    return set_counter(ctx, body, "nrOfActiveInstances", body_counter(body, "nrOfActiveInstances") - 1);
}
