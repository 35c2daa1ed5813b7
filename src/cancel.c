/*
 * cancel.c — cancelling parts of the execution tree: interrupted scopes (boundary events, event
 * subprocesses, terminate end events, completion conditions) and deleted instances.
 *
 * Cancellation never completes anything: activity instances end with canceled = true, user tasks
 * are deleted, end listeners and output mappings run unless skipped by the request, and no
 * outgoing flow is taken. Children are cancelled before their parents, innermost first.
 */
#include <stdlib.h>

#include "exec_internal.h"
#include "history.h"
#include "strutil.h"

#define DELETE_REASON_DEFAULT "deleted"

static void delete_tasks_of(exec_ctx *ctx, execution *exec, const char *reason) {
    instance *pi = ctx->pi;
    for (size_t i = pi->tasks.n; i-- > 0;) {
        task *t = pi->tasks.items[i];
        if (t->exec != exec) continue;
        history_task(ctx, "taskDelete", t, reason ? reason : DELETE_REASON_DEFAULT);
        state_remove_task(pi, t);
    }
}

static void delete_incidents_of(exec_ctx *ctx, execution *exec) {
    instance *pi = ctx->pi;
    for (size_t i = pi->incidents.n; i-- > 0;) {
        incident *inc = pi->incidents.items[i];
        if (inc->exec != exec) continue;
        history_incident(ctx, "incidentDelete", inc);
        state_remove_incident(pi, inc);
    }
}

/* Ends the activity instance of the token the execution holds itself (not its scope). */
static bool cancel_own_token(exec_ctx *ctx, execution *exec, const char *reason) {
    const model_element *a = exec->activity;
    bool scope_self = exec->is_scope && a == exec->scope_element;
    if (a && !scope_self && exec->activity_instance_id && exec->transition == TRANSITION_NONE) {
        delete_tasks_of(ctx, exec, reason);
        if (!invoke_listeners(ctx, exec, a, "end")) return false;
        history_activity_end(ctx, exec->activity_instance_id, a, true, false, NULL);
    }
    free(exec->activity_instance_id);
    exec->activity_instance_id = NULL;
    if (!scope_self) {
        exec->activity = NULL;
        exec->transition = TRANSITION_NONE;
    }
    return true;
}

bool cancel_execution(exec_ctx *ctx, execution *exec, const char *reason, bool keep_self) {
    while (exec->n_children > 0)
        if (!cancel_execution(ctx, exec->children[exec->n_children - 1], reason, false)) return false;
    if (!cancel_own_token(ctx, exec, reason)) return false;
    if (keep_self) {
        state_remove_token_artefacts(ctx->pi, exec);
        delete_incidents_of(ctx, exec);
        exec->is_active = true;
        return true;
    }
    if (exec->is_scope && exec != ctx->pi->root) {
        const model_element *el = exec->scope_element;
        delete_tasks_of(ctx, exec, reason);
        if (!invoke_outputs(ctx, exec, el)) return false;
        if (!invoke_listeners(ctx, exec, el, "end")) return false;
        history_activity_end(ctx, exec->scope_instance_id, el, true, false, NULL);
    }
    delete_incidents_of(ctx, exec);
    if (exec != ctx->pi->root) state_execution_remove(ctx->pi, exec);
    return true;
}

bool cancel_scope_content(exec_ctx *ctx, execution *scope, const char *reason) {
    return cancel_execution(ctx, scope, reason, true);
}

bool exec_delete_instance(exec_ctx *ctx, const char *reason) {
    instance *pi = ctx->pi;
    free(pi->delete_reason);
    pi->delete_reason = reason ? str_dup(reason) : NULL;
    if (!cancel_execution(ctx, pi->root, reason, true)) return false;
    return exec_end_instance(ctx, ctx->externally_terminated ? "EXTERNALLY_TERMINATED" : "INTERNALLY_TERMINATED",
                             NULL);
}
