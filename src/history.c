/*
 * history.c — building history events (see history.h). Dates are the command's `now`.
 */
#include "history.h"

#include <string.h>

#include "json_int.h"

static cJSON *event(exec_ctx *ctx, const char *type) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "type", type);
    cJSON_AddItemToArray(ctx->history, e);
    return e;
}

static void add_str(cJSON *o, const char *key, const char *s) {
    if (s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_time(cJSON *o, const char *key, int64_t ms) { json_add_int(o, key, ms); }

void history_process_start(exec_ctx *ctx, const char *start_activity_id) {
    const instance *pi = ctx->pi;
    const model *m = pi->model;
    cJSON *e = event(ctx, "processInstanceStart");
    add_str(e, "processInstanceId", pi->id);
    add_str(e, "businessKey", pi->business_key);
    add_str(e, "processDefinitionId", m->definition_id);
    add_str(e, "processDefinitionKey", m->definition_key);
    add_str(e, "processDefinitionName", m->definition_name);
    json_add_int(e, "processDefinitionVersion", m->version);
    add_time(e, "startTime", pi->start_time);
    add_str(e, "startActivityId", start_activity_id);
    add_str(e, "tenantId", pi->tenant_id);
    add_str(e, "restartedProcessInstanceId", pi->restarted_from);
}

void history_process_end(exec_ctx *ctx, const char *end_activity_id) {
    const instance *pi = ctx->pi;
    cJSON *e = event(ctx, "processInstanceEnd");
    add_str(e, "processInstanceId", pi->id);
    add_time(e, "endTime", pi->end_time);
    add_str(e, "state", pi->end_state);
    add_str(e, "deleteReason", pi->delete_reason);
    add_str(e, "endActivityId", end_activity_id);
}

void history_activity_start(exec_ctx *ctx, const char *ai_id, const char *parent_ai_id,
                            const model_element *activity, const execution *exec) {
    cJSON *e = event(ctx, "activityInstanceStart");
    add_str(e, "id", ai_id);
    add_str(e, "parentActivityInstanceId", parent_ai_id);
    add_str(e, "activityId", activity->id);
    add_str(e, "activityName", activity->name);
    add_str(e, "activityType", activity->activity_type);
    add_str(e, "executionId", exec->id);
    add_str(e, "processInstanceId", ctx->pi->id);
    add_time(e, "startTime", ctx->now);
}

void history_activity_end(exec_ctx *ctx, const char *ai_id, const model_element *activity, bool canceled,
                          bool complete_scope, const task *t) {
    cJSON *e = event(ctx, "activityInstanceEnd");
    add_str(e, "id", ai_id);
    add_str(e, "activityId", activity->id);
    add_time(e, "endTime", ctx->now);
    cJSON_AddBoolToObject(e, "canceled", canceled);
    cJSON_AddBoolToObject(e, "completeScope", complete_scope);
    add_str(e, "taskId", t ? t->id : NULL);
    add_str(e, "assignee", t ? t->assignee : NULL);
}

void history_variable(exec_ctx *ctx, const char *kind, const variable *v, const execution *owner,
                      const task *t) {
    cJSON *e = event(ctx, kind);
    add_str(e, "variableInstanceId", v->id);
    add_str(e, "name", v->name);
    /* the typed value's own "type" would clash with the event type: it is "valueType" here */
    cJSON *typed = value_to_json(&v->val);
    cJSON *item;
    cJSON_ArrayForEach(item, typed) {
        const char *key = strcmp(item->string, "type") == 0 ? "valueType" : item->string;
        cJSON_AddItemToObject(e, key, cJSON_Duplicate(item, 1));
    }
    cJSON_Delete(typed);
    add_str(e, "processInstanceId", ctx->pi->id);
    add_str(e, "executionId", owner ? owner->id : NULL);
    const char *ai = NULL;
    if (owner) ai = owner->is_scope ? owner->scope_instance_id : owner->activity_instance_id;
    if (t) ai = t->activity_instance_id;
    add_str(e, "activityInstanceId", ai);
    add_str(e, "taskId", t ? t->id : NULL);
    add_time(e, "time", ctx->now);
    cJSON_AddBoolToObject(e, "initial", ctx->initial_variables && strcmp(kind, "variableCreate") == 0);
}

void history_task(exec_ctx *ctx, const char *kind, const task *t, const char *delete_reason) {
    cJSON *e = event(ctx, kind);
    add_str(e, "taskId", t->id);
    add_str(e, "name", t->name);
    add_str(e, "taskDefinitionKey", t->task_definition_key);
    add_str(e, "activityInstanceId", t->activity_instance_id);
    add_str(e, "executionId", t->exec ? t->exec->id : NULL);
    add_str(e, "processInstanceId", ctx->pi->id);
    add_str(e, "assignee", t->assignee);
    json_add_int(e, "priority", t->priority);
    add_time(e, "time", ctx->now);
    add_str(e, "deleteReason", delete_reason);
}

void history_incident(exec_ctx *ctx, const char *kind, const incident *i) {
    cJSON *e = event(ctx, kind);
    add_str(e, "incidentId", i->id);
    add_str(e, "incidentType", i->kind == INCIDENT_FAILED_JOB ? "failedJob" : "failedExternalTask");
    add_str(e, "activityId", i->activity_id);
    add_str(e, "executionId", i->exec ? i->exec->id : NULL);
    add_str(e, "processInstanceId", ctx->pi->id);
    add_str(e, "configuration", i->configuration);
    add_str(e, "incidentMessage", i->message);
    add_time(e, "time", ctx->now);
}
