/*
 * restart.c — what a restart takes from a historic process instance (restart.h).
 */
#include "restart.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

static const cJSON *field(const cJSON *row, const char *name) { return cJSON_GetObjectItemCaseSensitive(row, name); }

static const char *text(const cJSON *row, const char *name) {
    const cJSON *f = field(row, name);
    return cJSON_IsString(f) ? f->valuestring : NULL;
}

static cJSON *checked(cJSON *json) {
    if (!json) abort(); /* out of memory: the module cannot go on */
    return json;
}

bool restart_check(const cJSON *historic, const char *definition_id, error *err) {
    if (!cJSON_IsObject(historic))
        return error_set(err, ERR_BAD_REQUEST, "Historic process instance cannot be found: historicProcessInstanceId is null");
    const char *id = text(historic, "id");
    if (!id) return error_set(err, ERR_INVALID_REQUEST, "historicProcessInstance.id must be a string");
    const cJSON *end = field(historic, "endTime");
    if (!end || cJSON_IsNull(end))
        return error_set(err, ERR_ENGINE,
                         "ENGINE-13040 Historic process instance '%s' cannot be restarted. It is not completed or "
                         "terminated.",
                         id);
    const char *historic_definition = text(historic, "processDefinitionId");
    if (!str_eq(historic_definition, definition_id))
        return error_set(err, ERR_ENGINE,
                         "ENGINE-13039 Historic process instance '%s' cannot be restarted. Its process definition "
                         "'%s' does not match given process definition '%s'",
                         id, historic_definition ? historic_definition : "null", definition_id);
    return true;
}

/* One restored value: {type, value, valueInfo} from a row's fields of those meanings. */
static void restore(cJSON *out, const char *name, const cJSON *row, const char *type_field) {
    cJSON *v = checked(cJSON_CreateObject());
    const cJSON *type = field(row, type_field);
    const cJSON *value = field(row, "value");
    const cJSON *info = field(row, "valueInfo");
    cJSON_AddItemToObject(v, "type", checked(cJSON_IsString(type) ? cJSON_Duplicate(type, false) : cJSON_CreateNull()));
    cJSON_AddItemToObject(v, "value", checked(value ? cJSON_Duplicate(value, true) : cJSON_CreateNull()));
    if (cJSON_IsObject(info)) cJSON_AddItemToObject(v, "valueInfo", checked(cJSON_Duplicate(info, true)));
    /* a later row of the same name is the later value */
    cJSON_DeleteItemFromObjectCaseSensitive(out, name);
    cJSON_AddItemToObject(out, name, v);
}

cJSON *restart_variables(const char *historic_id, const cJSON *variable_instances, const cJSON *details, bool initial) {
    cJSON *out = checked(cJSON_CreateObject());
    const cJSON *row;
    if (initial) {
        /* the values recorded as the instance's initial ones, at the process instance's scope */
        cJSON_ArrayForEach(row, details) {
            const char *name = text(row, "variableName");
            if (name && cJSON_IsTrue(field(row, "initial")) && str_eq(text(row, "executionId"), historic_id))
                restore(out, name, row, "variableType");
        }
        return out;
    }
    /* the last values of the process instance's own variables: local ones of inner scopes are not
     * restored, nor variables removed while it ran */
    cJSON_ArrayForEach(row, variable_instances) {
        const char *name = text(row, "name");
        if (name && str_eq(text(row, "executionId"), historic_id) && !str_eq(text(row, "state"), "DELETED"))
            restore(out, name, row, "type");
    }
    return out;
}

cJSON *restart_instructions(const cJSON *instructions, const cJSON *variables) {
    cJSON *copy = checked(cJSON_Duplicate(instructions, true));
    cJSON *last = cJSON_GetArrayItem(copy, cJSON_GetArraySize(copy) - 1);
    if (!cJSON_IsObject(last) || !cJSON_GetArraySize(variables)) return copy;
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(last, "variables");
    if (given && !cJSON_IsNull(given) && !cJSON_IsObject(given)) return copy; /* refused when it runs */
    cJSON *own = cJSON_DetachItemFromObjectCaseSensitive(last, "variables");
    cJSON *merged = checked(cJSON_Duplicate(variables, true));
    if (cJSON_IsObject(own)) {
        cJSON *v = own->child;
        while (v) {
            cJSON *next = v->next;
            cJSON_DeleteItemFromObjectCaseSensitive(merged, v->string);
            cJSON_AddItemToObject(merged, v->string, checked(cJSON_Duplicate(v, true)));
            v = next;
        }
    }
    cJSON_Delete(own);
    cJSON_AddItemToObject(last, "variables", merged);
    return copy;
}
