/*
 * variables.c — Camunda's variable scoping over the execution tree.
 *
 * setVariable walks up from the execution to the nearest one that already has the variable and
 * updates it there; if none has it, it is created on the process instance. setVariableLocal
 * always writes the execution itself. Every change is recorded as a history event.
 */
#include <stdlib.h>

#include "exec_internal.h"
#include "history.h"

variable *exec_find_variable(execution *exec, const char *name, bool local, execution **owner) {
    for (execution *e = exec; e; e = e->parent) {
        variable *v = var_map_get(&e->vars, name);
        if (v) {
            if (owner) *owner = e;
            return v;
        }
        if (local) break;
    }
    return NULL;
}

bool exec_set_variable(exec_ctx *ctx, execution *exec, const char *name, const value *v, bool local) {
    execution *target = NULL;
    if (local) {
        target = exec;
    } else if (!exec_find_variable(exec, name, false, &target)) {
        target = ctx->pi->root;
    }
    char *id = ids_uuid(&ctx->ids);
    bool created;
    variable *var = var_map_put(&target->vars, id, name, v, &created);
    free(id);
    history_variable(ctx, created ? "variableCreate" : "variableUpdate", var, target, NULL);
    return true;
}

bool exec_remove_variable(exec_ctx *ctx, execution *exec, const char *name, bool local) {
    execution *owner = NULL;
    variable *v = exec_find_variable(exec, name, local, &owner);
    if (!v) return true; /* Camunda ignores removing an absent variable */
    history_variable(ctx, "variableDelete", v, owner, NULL);
    var_map_remove(&owner->vars, name);
    return true;
}

/* Sets every entry of a variable map; with `item_local`, an entry's own "local": true (Camunda's
 * TriggerVariableValueDto) makes just that one local. */
static bool set_map(exec_ctx *ctx, execution *exec, const cJSON *vars, bool local, bool item_local) {
    if (!vars || cJSON_IsNull(vars)) return true;
    if (!cJSON_IsObject(vars)) return error_set(ctx->err, ERR_INVALID_REQUEST, "variables must be an object");
    const cJSON *item;
    cJSON_ArrayForEach(item, vars) {
        value v;
        if (!value_from_json(item, &v, ctx->err)) return false;
        bool this_local = local || (item_local && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "local")));
        bool ok = exec_set_variable(ctx, exec, item->string, &v, this_local);
        value_free(&v);
        if (!ok) return false;
    }
    return true;
}

bool exec_set_variables_json(exec_ctx *ctx, execution *exec, const cJSON *vars, bool local) {
    return set_map(ctx, exec, vars, local, false);
}

bool exec_set_trigger_variables_json(exec_ctx *ctx, execution *exec, const cJSON *vars) {
    bool was_initial = ctx->initial_variables;
    ctx->initial_variables = was_initial || ctx->initial_trigger_variables;
    bool ok = set_map(ctx, exec, vars, false, true);
    ctx->initial_variables = was_initial;
    return ok;
}
