/*
 * history.c — writing history events (see history.h). Dates are the command's `now`, as epoch ms.
 */
#include "history.h"

#include <string.h>

/* Opens the next event; the caller writes its fields and closes it with jw_object_end. */
static json_writer *event(exec_ctx *ctx, const char *type) {
    json_writer *w = &ctx->history;
    jw_object_begin(w);
    jw_key_string(w, "type", type);
    return w;
}

void history_process_start(exec_ctx *ctx, const char *start_activity_id) {
    const instance *pi = ctx->pi;
    const model *m = pi->model;
    json_writer *w = event(ctx, "processInstanceStart");
    jw_key_string(w, "processInstanceId", pi->id);
    jw_key_string(w, "businessKey", pi->business_key);
    jw_key_string(w, "processDefinitionId", m->definition_id);
    jw_key_string(w, "processDefinitionKey", m->definition_key);
    jw_key_string(w, "processDefinitionName", m->definition_name);
    jw_key_int(w, "processDefinitionVersion", m->version);
    jw_key_int(w, "startTime", pi->start_time);
    jw_key_string(w, "startActivityId", start_activity_id);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_key_string(w, "restartedProcessInstanceId", pi->restarted_from);
    jw_object_end(w);
}

void history_process_end(exec_ctx *ctx, const char *end_activity_id) {
    const instance *pi = ctx->pi;
    json_writer *w = event(ctx, "processInstanceEnd");
    jw_key_string(w, "processInstanceId", pi->id);
    jw_key_int(w, "endTime", pi->end_time);
    jw_key_string(w, "state", pi->end_state);
    jw_key_string(w, "deleteReason", pi->delete_reason);
    jw_key_string(w, "endActivityId", end_activity_id);
    jw_object_end(w);
}

void history_process_update(exec_ctx *ctx) {
    const instance *pi = ctx->pi;
    json_writer *w = event(ctx, "processInstanceUpdate");
    jw_key_string(w, "processInstanceId", pi->id);
    jw_key_string(w, "state", pi->suspended ? "SUSPENDED" : "ACTIVE");
    jw_key_int(w, "time", ctx->now);
    jw_object_end(w);
}

void history_activity_start(exec_ctx *ctx, const char *ai_id, const char *parent_ai_id,
                            const model_element *activity, const execution *exec) {
    json_writer *w = event(ctx, "activityInstanceStart");
    jw_key_string(w, "id", ai_id);
    jw_key_string(w, "parentActivityInstanceId", parent_ai_id);
    jw_key_string(w, "activityId", activity->id);
    jw_key_string(w, "activityName", activity->name);
    jw_key_string(w, "activityType", activity->activity_type);
    jw_key_string(w, "executionId", exec->id);
    jw_key_string(w, "processInstanceId", ctx->pi->id);
    jw_key_int(w, "startTime", ctx->now);
    jw_object_end(w);
}

void history_activity_end(exec_ctx *ctx, const char *ai_id, const model_element *activity, bool canceled,
                          bool complete_scope, const task *t) {
    json_writer *w = event(ctx, "activityInstanceEnd");
    jw_key_string(w, "id", ai_id);
    jw_key_string(w, "activityId", activity->id);
    jw_key_int(w, "endTime", ctx->now);
    jw_key_bool(w, "canceled", canceled);
    jw_key_bool(w, "completeScope", complete_scope);
    jw_key_string(w, "taskId", t ? t->id : NULL);
    jw_key_string(w, "assignee", t ? t->assignee : NULL);
    jw_object_end(w);
}

void history_variable(exec_ctx *ctx, const char *kind, const variable *v, const execution *owner,
                      const task *t) {
    json_writer *w = event(ctx, kind);
    jw_key_string(w, "variableInstanceId", v->id);
    jw_key_string(w, "name", v->name);
    /* the typed value's own "type" would clash with the event type: it is "valueType" here */
    jw_key_string(w, "valueType", value_type_name(v->val.type));
    jw_key(w, "value");
    value_write_bare(w, &v->val);
    jw_key(w, "valueInfo");
    jw_object_begin(w);
    jw_object_end(w);
    jw_key_string(w, "processInstanceId", ctx->pi->id);
    jw_key_string(w, "executionId", owner ? owner->id : NULL);
    const char *ai = NULL;
    if (owner) ai = owner->is_scope ? owner->scope_instance_id : owner->activity_instance_id;
    if (t) ai = t->activity_instance_id;
    jw_key_string(w, "activityInstanceId", ai);
    jw_key_string(w, "taskId", t ? t->id : NULL);
    jw_key_int(w, "time", ctx->now);
    jw_key_bool(w, "initial", ctx->initial_variables && strcmp(kind, "variableCreate") == 0);
    jw_object_end(w);
}

void history_task(exec_ctx *ctx, const char *kind, const task *t, const char *delete_reason) {
    json_writer *w = event(ctx, kind);
    jw_key_string(w, "taskId", t->id);
    jw_key_string(w, "name", t->name);
    jw_key_string(w, "taskDefinitionKey", t->task_definition_key);
    jw_key_string(w, "activityInstanceId", t->activity_instance_id);
    jw_key_string(w, "executionId", t->exec ? t->exec->id : NULL);
    jw_key_string(w, "processInstanceId", ctx->pi->id);
    jw_key_string(w, "assignee", t->assignee);
    jw_key_int(w, "priority", t->priority);
    jw_key_int(w, "time", ctx->now);
    jw_key_string(w, "deleteReason", delete_reason);
    jw_object_end(w);
}

void history_incident(exec_ctx *ctx, const char *kind, const incident *i) {
    json_writer *w = event(ctx, kind);
    jw_key_string(w, "incidentId", i->id);
    jw_key_string(w, "incidentType", i->kind == INCIDENT_FAILED_JOB ? "failedJob" : "failedExternalTask");
    jw_key_string(w, "activityId", i->activity_id);
    jw_key_string(w, "executionId", i->exec ? i->exec->id : NULL);
    jw_key_string(w, "processInstanceId", ctx->pi->id);
    jw_key_string(w, "configuration", i->configuration);
    jw_key_string(w, "incidentMessage", i->message);
    jw_key_int(w, "time", ctx->now);
    jw_object_end(w);
}
