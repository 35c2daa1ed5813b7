/*
 * invoke.c — running user-defined behaviour: expressions, execution listeners, host delegates and
 * input/output mappings, each bound to the execution it runs for.
 *
 * Failures name the element (and, for expressions, the expression text) so an operator can find
 * the broken model part. skipCustomListeners / skipIoMappings are honoured here, in one place.
 */
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "host.h"
#include "json_writer.h"
#include "state_json.h"
#include "strutil.h"

/* --- expressions --- */

typedef struct binding {
    exec_ctx *ctx;
    execution *exec;
    const model_element *el;
} binding;

static bool host_get(void *p, const char *name, bool local, value *out) {
    binding *b = p;
    variable *v = exec_find_variable(b->exec, name, local, NULL);
    if (!v) return false;
    *out = value_copy(&v->val);
    return true;
}

static bool host_set(void *p, const char *name, bool local, const value *v, error *err) {
    binding *b = p;
    (void)err;
    return exec_set_variable(b->ctx, b->exec, name, v, local);
}

static const char *host_business_key(void *p) { return ((binding *)p)->ctx->pi->business_key; }
static const char *host_activity_id(void *p) {
    binding *b = p;
    if (b->el) return b->el->id;
    return b->exec->activity ? b->exec->activity->id : NULL;
}
static const char *host_execution_id(void *p) { return ((binding *)p)->exec->id; }

bool invoke_eval(exec_ctx *ctx, execution *exec, const model_element *el, const char *element_id,
                 const expr *e, value *out) {
    binding b = {ctx, exec, el};
    expr_host host = {&b, host_get, host_set, host_business_key, host_activity_id, host_execution_id};
    error inner = {0};
    if (expr_eval(e, &host, out, &inner)) return true;
    if (!element_id) element_id = el ? el->id : "";
    error_set(ctx->err, inner.type ? inner.type : ERR_ENGINE, "%s (element '%s')",
              inner.message ? inner.message : expr_text(e), element_id);
    error_clear(&inner);
    return false;
}

/* --- host delegates --- */

bool invoke_delegate(exec_ctx *ctx, execution *exec, const model_element *el, const char *name,
                     const char *event, char **bpmn_error) {
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "delegate", name);
    cJSON_AddStringToObject(req, "event", event);
    cJSON_AddStringToObject(req, "activityId", el ? el->id : "");
    cJSON_AddStringToObject(req, "executionId", exec->id);
    cJSON_AddStringToObject(req, "processInstanceId", ctx->pi->id);
    if (ctx->pi->business_key)
        cJSON_AddStringToObject(req, "businessKey", ctx->pi->business_key);
    else
        cJSON_AddNullToObject(req, "businessKey");
    json_writer vars = {0};
    state_write_variables(&vars, ctx->pi, exec, false);
    cJSON_AddRawToObject(req, "variables", vars.buf); /* spliced as written: integers stay exact */
    jw_free(&vars);
    char *text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    char *reply_text = text ? host_invoke(text, strlen(text)) : NULL;
    free(text);
    if (!reply_text)
        return error_set(ctx->err, ERR_ENGINE, "Unknown delegate '%s' (element '%s')", name, el ? el->id : "");
    cJSON *reply = cJSON_Parse(reply_text);
    free(reply_text);
    if (!cJSON_IsObject(reply)) {
        cJSON_Delete(reply);
        return error_set(ctx->err, ERR_ENGINE, "Delegate '%s' returned an invalid reply (element '%s')", name,
                         el ? el->id : "");
    }
    bool ok = true;
    const cJSON *failure = cJSON_GetObjectItemCaseSensitive(reply, "error");
    const cJSON *thrown = cJSON_GetObjectItemCaseSensitive(reply, "bpmnError");
    if (failure) {
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(failure, "message");
        ok = error_set(ctx->err, ERR_ENGINE, "%s", cJSON_IsString(msg) ? msg->valuestring : "Delegate failed");
    } else {
        /* variables set before a BPMN error stay: the error path may read them */
        ok = exec_set_variables_json(ctx, exec, cJSON_GetObjectItemCaseSensitive(reply, "variables"), false);
        const cJSON *code = thrown ? cJSON_GetObjectItemCaseSensitive(thrown, "errorCode") : NULL;
        if (ok && thrown && !cJSON_IsString(code)) {
            ok = error_set(ctx->err, ERR_ENGINE, "Delegate '%s' threw a BPMN error without errorCode", name);
        } else if (ok && thrown && bpmn_error) {
            *bpmn_error = str_dup(code->valuestring);
        } else if (ok && thrown) {
            ok = error_set(ctx->err, ERR_ENGINE, "Delegate '%s' threw BPMN error '%s' where none can be caught",
                           name, code->valuestring);
        }
    }
    cJSON_Delete(reply);
    return ok;
}

/* --- listeners --- */

static bool run_listener(exec_ctx *ctx, execution *exec, const model_element *el, const char *element_id,
                         const model_listener *l) {
    if (l->kind == LISTENER_EXPRESSION) {
        value ignored;
        if (!invoke_eval(ctx, exec, el, element_id, l->expression, &ignored)) return false;
        value_free(&ignored);
        return true;
    }
    const char *name = l->kind == LISTENER_CLASS ? l->class_name : expr_simple_identifier(l->expression);
    if (!name)
        return error_set(ctx->err, ERR_ENGINE, "Delegate expression %s of a listener of '%s' does not name a delegate",
                         expr_text(l->expression), element_id);
    return invoke_delegate(ctx, exec, el, name, l->event, NULL);
}

bool invoke_listeners(exec_ctx *ctx, execution *exec, const model_element *el, const char *event) {
    if (ctx->skip_custom_listeners) return true;
    for (size_t i = 0; i < el->n_listeners; i++) {
        const model_listener *l = &el->listeners[i];
        if (strcmp(l->event, event) == 0 && !run_listener(ctx, exec, el, el->id, l)) return false;
    }
    return true;
}

bool invoke_take_listeners(exec_ctx *ctx, execution *exec, const model_flow *f) {
    if (ctx->skip_custom_listeners) return true;
    for (size_t i = 0; i < f->n_listeners; i++)
        if (!run_listener(ctx, exec, NULL, f->id, &f->listeners[i])) return false;
    return true;
}

/* --- input / output mappings --- */

static bool io_value(exec_ctx *ctx, execution *exec, const model_element *el, const model_io *p, value *out);

/* Lists and maps become Json values: the REST API has no other type for collections. */
static bool io_collection(exec_ctx *ctx, execution *exec, const model_element *el, const model_io *p, value *out) {
    json_writer doc = {0};
    if (p->kind == IO_LIST)
        jw_array_begin(&doc);
    else
        jw_object_begin(&doc);
    for (size_t i = 0; i < p->n_items; i++) {
        value item;
        if (!io_value(ctx, exec, el, &p->items[i], &item)) {
            jw_free(&doc);
            return false;
        }
        if (p->kind == IO_MAP) jw_name(&doc, p->items[i].name ? p->items[i].name : "");
        value_write_plain(&doc, &item);
        value_free(&item);
    }
    if (p->kind == IO_LIST)
        jw_array_end(&doc);
    else
        jw_object_end(&doc);
    char *text = jw_take(&doc);
    *out = value_json(text ? text : "null");
    free(text);
    return true;
}

static bool io_value(exec_ctx *ctx, execution *exec, const model_element *el, const model_io *p, value *out) {
    if (p->kind != IO_TEXT) return io_collection(ctx, exec, el, p, out);
    if (!p->value) {
        *out = value_null();
        return true;
    }
    return invoke_eval(ctx, exec, el, el->id, p->value, out);
}

bool invoke_inputs(exec_ctx *ctx, execution *scope, const model_element *el) {
    if (ctx->skip_io_mappings) return true;
    for (size_t i = 0; i < el->n_inputs; i++) {
        value v;
        if (!io_value(ctx, scope, el, &el->inputs[i], &v)) return false;
        bool ok = exec_set_variable(ctx, scope, el->inputs[i].name, &v, true);
        value_free(&v);
        if (!ok) return false;
    }
    return true;
}

bool invoke_outputs(exec_ctx *ctx, execution *scope, const model_element *el) {
    if (ctx->skip_io_mappings || !scope->parent) return true;
    for (size_t i = 0; i < el->n_outputs; i++) {
        value v;
        if (!io_value(ctx, scope, el, &el->outputs[i], &v)) return false;
        bool ok = exec_set_variable(ctx, scope->parent, el->outputs[i].name, &v, false);
        value_free(&v);
        if (!ok) return false;
    }
    return true;
}
