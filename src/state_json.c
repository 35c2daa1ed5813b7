/*
 * state_json.c — the persisted state document of one process instance (docs/state-format.md),
 * the query index the host keeps beside it, and the visible-variables view.
 *
 * Invariants:
 *  - state_from_json(state_to_json(x)) == x, and the writer's output depends on nothing but the
 *    structs (executions in pre-order, everything else in array order).
 *  - Executions are stored flat, each after its parent, so a reader resolves every parentId
 *    against executions already built: a cycle cannot be written down, and reading is a loop.
 *  - The reader builds the instance as it goes (state_execution_new attaches each execution), so
 *    on any error a single state_free releases everything built so far.
 *  - Integers beyond ±2^53 cannot travel as JSON numbers (cJSON holds doubles): such int64 fields
 *    and Long variable values are written as decimal strings, and read back from either form.
 *    Dates, of the instance and of Date variables alike, are epoch milliseconds.
 */
#include "state_json.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

static bool same_str(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

#define STATE_JSON_FORMAT 1
#define SAFE_INT_MAX 9007199254740992.0 /* 2^53: the largest double below which every integer is exact */

/* ======================================================================================= */
/* Names of enum values in the document                                                    */
/* ======================================================================================= */

static const char *const transition_names[] = {NULL, "asyncBefore", "asyncAfter"};
static const char *const job_kind_names[] = {"asyncBefore", "asyncAfter", "timerBoundary",
                                             "timerIntermediate", "timerEventSubprocess"};
static const char *const incident_kind_names[] = {"failedJob", "failedExternalTask"};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ======================================================================================= */
/* A string-keyed hash map (borrowed keys), for id resolution and duplicate detection       */
/* ======================================================================================= */

/* Open addressing, linear probing; keys are borrowed from the cJSON document or the structs,
 * which outlive the map. Lookups are O(1) so hostile documents with many ids stay linear. */
typedef struct id_map {
    const char **keys;
    void **vals;
    size_t cap, n; /* cap is 0 or a power of two, kept ≥ 2n */
} id_map;

static size_t id_hash(const char *s) {
    size_t h = (size_t)2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * (size_t)16777619u;
    return h;
}

static void id_map_free(id_map *m) {
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

static void **id_map_slot(const id_map *m, const char *key, size_t *pos) {
    size_t mask = m->cap - 1;
    size_t i = id_hash(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & mask;
    *pos = i;
    return &m->vals[i];
}

static void *id_map_get(const id_map *m, const char *key) {
    if (!m->cap || !key) return NULL;
    size_t pos;
    void **slot = id_map_slot(m, key, &pos);
    return m->keys[pos] ? *slot : NULL;
}

/* Inserts key → val; returns false if the key is already present (nothing changes). */
static bool id_map_put(id_map *m, const char *key, void *val) {
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 16;
        id_map grown = {calloc(ncap, sizeof(char *)), calloc(ncap, sizeof(void *)), ncap, 0};
        if (!grown.keys || !grown.vals) abort(); /* out of memory: as state.c, not recovered */
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i]) continue;
            size_t pos;
            void **slot = id_map_slot(&grown, m->keys[i], &pos);
            grown.keys[pos] = m->keys[i];
            *slot = m->vals[i];
            grown.n++;
        }
        id_map_free(m);
        *m = grown;
    }
    size_t pos;
    void **slot = id_map_slot(m, key, &pos);
    if (m->keys[pos]) return false;
    m->keys[pos] = key;
    *slot = val;
    m->n++;
    return true;
}

/* ======================================================================================= */
/* Writing                                                                                 */
/* ======================================================================================= */

static void add_str(cJSON *o, const char *key, const char *s) {
    cJSON_AddItemToObject(o, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* An int64 as JSON: a number when exact as a double, else its decimal digits as a string. */
static cJSON *i64_json(int64_t v) {
    if (v >= -(int64_t)SAFE_INT_MAX && v <= (int64_t)SAFE_INT_MAX) return cJSON_CreateNumber((double)v);
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return cJSON_CreateString(buf);
}

static void add_i64(cJSON *o, const char *key, int64_t v) { cJSON_AddItemToObject(o, key, i64_json(v)); }

/* A date for the index: epoch ms, null when 0 (not set). */
static void add_date_or_null(cJSON *o, const char *key, int64_t ms) {
    if (ms) add_i64(o, key, ms);
    else cJSON_AddNullToObject(o, key);
}

static void add_elem(cJSON *o, const char *key, const model_element *e) { add_str(o, key, e ? e->id : NULL); }

static void add_exec(cJSON *o, const char *key, const execution *e) { add_str(o, key, e ? e->id : NULL); }

/* One typed value as stored: value_to_json, except where its wire form would not come back
 * exactly: a Date is epoch ms (its text form only covers years 0000-9999), a Long beyond ±2^53
 * keeps its digits as a string (cJSON numbers are doubles), a Double NaN or infinity is Java's
 * spelling. rd_vars / value_from_json read each of these back. */
static cJSON *typed_value_json(const value *v) {
    /* A Date's text is replaced anyway; formatting it would only risk extreme instants. */
    value shape = *v;
    if (v->type == VAL_DATE) shape.i = 0;
    cJSON *j = value_to_json(&shape);
    if (!j) return NULL;
    /* Replacing keeps the member's position: {type, value, valueInfo}. */
    if (v->type == VAL_DATE || v->type == VAL_LONG)
        cJSON_ReplaceItemInObjectCaseSensitive(j, "value", i64_json(v->i));
    else if (v->type == VAL_DOUBLE && !isfinite(v->d))
        cJSON_ReplaceItemInObjectCaseSensitive(
            j, "value", cJSON_CreateString(isnan(v->d) ? "NaN" : v->d > 0 ? "Infinity" : "-Infinity"));
    return j;
}

/* [{"id","name","type","value","valueInfo"}] in map order. */
static cJSON *vars_array_json(const var_map *vars) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < vars->n; i++) {
        const variable *v = &vars->items[i];
        cJSON *item = cJSON_CreateObject();
        add_str(item, "id", v->id);
        add_str(item, "name", v->name);
        cJSON *typed = typed_value_json(&v->val);
        /* Move the typed value's members (type, value, valueInfo) into the item, in order. */
        while (typed && typed->child) {
            cJSON *member = cJSON_DetachItemViaPointer(typed, typed->child);
            cJSON_AddItemToObject(item, member->string, member); /* copies the key, frees the old one */
        }
        cJSON_Delete(typed);
        cJSON_AddItemToArray(arr, item);
    }
    return arr;
}

/* Executions in tree pre-order (parents before children, children in order). Caller frees. */
static const execution **preorder(const instance *pi, size_t *n_out) {
    size_t n = 0, cap = 16, top = 0, stack_cap = 16;
    const execution **out = malloc(cap * sizeof *out);
    const execution **stack = malloc(stack_cap * sizeof *stack);
    if (!out || !stack) abort();
    if (pi->root) stack[top++] = pi->root;
    while (top) {
        const execution *e = stack[--top];
        if (n == cap) {
            cap *= 2;
            out = realloc(out, cap * sizeof *out);
            if (!out) abort();
        }
        out[n++] = e;
        if (top + e->n_children > stack_cap) {
            while (top + e->n_children > stack_cap) stack_cap *= 2;
            stack = realloc(stack, stack_cap * sizeof *stack);
            if (!stack) abort();
        }
        for (size_t i = e->n_children; i-- > 0;) stack[top++] = e->children[i]; /* first child on top */
    }
    free(stack);
    *n_out = n;
    return out;
}

static cJSON *execution_json(const execution *e) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", e->id);
    add_exec(o, "parentId", e->parent);
    cJSON_AddBoolToObject(o, "isScope", e->is_scope);
    cJSON_AddBoolToObject(o, "isConcurrent", e->is_concurrent);
    cJSON_AddBoolToObject(o, "isActive", e->is_active);
    add_elem(o, "scopeActivityId", e->scope_element);
    add_str(o, "scopeInstanceId", e->scope_instance_id);
    add_elem(o, "activityId", e->activity);
    add_str(o, "activityInstanceId", e->activity_instance_id);
    add_str(o, "transition", (size_t)e->transition < COUNT_OF(transition_names) ? transition_names[e->transition] : NULL);
    cJSON_AddItemToObject(o, "variables", vars_array_json(&e->vars));
    return o;
}

static cJSON *task_json(const task *t) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", t->id);
    add_str(o, "name", t->name);
    add_str(o, "taskDefinitionKey", t->task_definition_key);
    add_exec(o, "executionId", t->exec);
    add_str(o, "activityInstanceId", t->activity_instance_id);
    add_str(o, "assignee", t->assignee);
    cJSON_AddNumberToObject(o, "priority", t->priority);
    add_i64(o, "created", t->created);
    cJSON_AddItemToObject(o, "variables", vars_array_json(&t->vars));
    return o;
}

static cJSON *external_task_json(const external_task *t) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", t->id);
    add_str(o, "topicName", t->topic);
    add_str(o, "activityId", t->activity_id);
    add_str(o, "activityInstanceId", t->activity_instance_id);
    add_exec(o, "executionId", t->exec);
    cJSON_AddNumberToObject(o, "retries", t->retries);
    add_str(o, "errorMessage", t->error_message);
    add_str(o, "errorDetails", t->error_details);
    add_str(o, "workerId", t->worker_id);
    add_i64(o, "lockExpirationTime", t->lock_expiration);
    add_i64(o, "priority", t->priority);
    add_i64(o, "createTime", t->created);
    return o;
}

static cJSON *job_json(const job *j) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", j->id);
    add_str(o, "kind", (size_t)j->kind < COUNT_OF(job_kind_names) ? job_kind_names[j->kind] : NULL);
    add_elem(o, "activityId", j->activity);
    add_exec(o, "executionId", j->exec);
    add_i64(o, "dueDate", j->due);
    cJSON_AddNumberToObject(o, "retries", j->retries);
    add_str(o, "exceptionMessage", j->exception_message);
    add_str(o, "exceptionDetails", j->exception_details);
    add_str(o, "repeat", j->repeat);
    cJSON_AddNumberToObject(o, "repeatRemaining", j->repeat_remaining);
    cJSON_AddBoolToObject(o, "suspended", j->suspended);
    add_i64(o, "createTime", j->created);
    return o;
}

static cJSON *subscription_json(const subscription *s) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", s->id);
    add_str(o, "eventName", s->event_name);
    add_elem(o, "activityId", s->activity);
    add_exec(o, "executionId", s->exec);
    add_i64(o, "createTime", s->created);
    return o;
}

static cJSON *incident_json(const incident *i) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", i->id);
    add_str(o, "incidentType", (size_t)i->kind < COUNT_OF(incident_kind_names) ? incident_kind_names[i->kind] : NULL);
    add_str(o, "activityId", i->activity_id);
    add_exec(o, "executionId", i->exec);
    add_str(o, "configuration", i->configuration);
    add_str(o, "incidentMessage", i->message);
    add_i64(o, "incidentTimestamp", i->timestamp);
    return o;
}

cJSON *state_to_json(const instance *pi) {
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "formatVersion", STATE_JSON_FORMAT);
    add_str(doc, "id", pi->id);
    add_str(doc, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    add_str(doc, "businessKey", pi->business_key);
    add_str(doc, "tenantId", pi->tenant_id);
    add_str(doc, "startActivityId", pi->start_activity_id);
    add_str(doc, "restartedProcessInstanceId", pi->restarted_from);
    add_i64(doc, "startTime", pi->start_time);
    add_i64(doc, "endTime", pi->end_time);
    cJSON_AddBoolToObject(doc, "suspended", pi->suspended);
    cJSON_AddBoolToObject(doc, "ended", pi->ended);
    add_str(doc, "endState", pi->end_state);
    add_str(doc, "deleteReason", pi->delete_reason);

    size_t n;
    const execution **order = preorder(pi, &n);
    cJSON *execs = cJSON_AddArrayToObject(doc, "executions");
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(execs, execution_json(order[i]));
    free(order);

    cJSON *a = cJSON_AddArrayToObject(doc, "tasks");
    for (size_t i = 0; i < pi->tasks.n; i++) cJSON_AddItemToArray(a, task_json(pi->tasks.items[i]));
    a = cJSON_AddArrayToObject(doc, "externalTasks");
    for (size_t i = 0; i < pi->external_tasks.n; i++)
        cJSON_AddItemToArray(a, external_task_json(pi->external_tasks.items[i]));
    a = cJSON_AddArrayToObject(doc, "jobs");
    for (size_t i = 0; i < pi->jobs.n; i++) cJSON_AddItemToArray(a, job_json(pi->jobs.items[i]));
    a = cJSON_AddArrayToObject(doc, "subscriptions");
    for (size_t i = 0; i < pi->subscriptions.n; i++)
        cJSON_AddItemToArray(a, subscription_json(pi->subscriptions.items[i]));
    a = cJSON_AddArrayToObject(doc, "incidents");
    for (size_t i = 0; i < pi->incidents.n; i++) cJSON_AddItemToArray(a, incident_json(pi->incidents.items[i]));
    return doc;
}

/* ======================================================================================= */
/* Reading                                                                                 */
/* ======================================================================================= */

/* Reader context: where we are (for messages) and the id maps built so far. */
typedef struct reader {
    const model *m;
    error *err;
    char where[96];      /* e.g. "executions[3]"; empty at the top level */
    id_map executions;   /* id → execution * */
    id_map variable_ids; /* variable instance ids seen anywhere (values unused) */
} reader;

/* Sets "Invalid state document: <where>.<key> <problem>"; returns false. */
static bool bad(reader *r, const char *key, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static bool bad(reader *r, const char *key, const char *fmt, ...) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return error_set(r->err, ERR_ENGINE, "Invalid state document: %s%s%s %s", r->where, *r->where ? "." : "",
                     key, what);
}

static void set_where(reader *r, const char *array, size_t index) {
    snprintf(r->where, sizeof r->where, "%s[%zu]", array, index);
}

/* The member `key`, or NULL when absent or JSON null. */
static const cJSON *member(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNull(v) ? NULL : v;
}

/* A string field, borrowed. Nullable fields may be absent or null (*out = NULL). */
static bool rd_str_ref(reader *r, const cJSON *o, const char *key, bool nullable, const char **out) {
    const cJSON *v = member(o, key);
    *out = NULL;
    if (!v) return nullable ? true : bad(r, key, "is missing");
    if (!cJSON_IsString(v) || !v->valuestring) return bad(r, key, "must be a string");
    *out = v->valuestring;
    return true;
}

/* A string field, copied into *out (NULL for null). */
static bool rd_str(reader *r, const cJSON *o, const char *key, bool nullable, char **out) {
    const char *s;
    if (!rd_str_ref(r, o, key, nullable, &s)) return false;
    *out = str_dup(s);
    return true;
}

static bool rd_bool(reader *r, const cJSON *o, const char *key, bool *out) {
    const cJSON *v = member(o, key);
    if (!v) return bad(r, key, "is missing");
    if (!cJSON_IsBool(v)) return bad(r, key, "must be a boolean");
    *out = cJSON_IsTrue(v);
    return true;
}

/* An integer field in [lo, hi]: a JSON number, or a decimal string (for values beyond ±2^53). */
static bool rd_int_range(reader *r, const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t *out) {
    const cJSON *v = member(o, key);
    if (!v) return bad(r, key, "is missing");
    int64_t x;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* Range-check before converting: a double outside int64 converts with undefined behaviour. */
        if (!isfinite(d) || d != floor(d) || d < -SAFE_INT_MAX || d > SAFE_INT_MAX)
            return bad(r, key, "must be an integer");
        x = (int64_t)d;
    } else if (cJSON_IsString(v) && v->valuestring) {
        const char *s = v->valuestring;
        const char *p = (*s == '-') ? s + 1 : s;
        if (!*p || strlen(p) > 19) return bad(r, key, "must be an integer");
        for (const char *c = p; *c; c++)
            if (*c < '0' || *c > '9') return bad(r, key, "must be an integer");
        /* Accumulate negatively: INT64_MIN has no positive counterpart. */
        int64_t acc = 0;
        for (const char *c = p; *c; c++) {
            int digit = *c - '0';
            if (acc < (INT64_MIN + digit) / 10) return bad(r, key, "must be an integer");
            acc = acc * 10 - digit;
        }
        if (*s != '-') {
            if (acc == INT64_MIN) return bad(r, key, "must be an integer");
            acc = -acc;
        }
        x = acc;
    } else {
        return bad(r, key, "must be an integer");
    }
    if (x < lo || x > hi) return bad(r, key, "is out of range");
    *out = x;
    return true;
}

static bool rd_i64(reader *r, const cJSON *o, const char *key, int64_t *out) {
    return rd_int_range(r, o, key, INT64_MIN, INT64_MAX, out);
}

static bool rd_int(reader *r, const cJSON *o, const char *key, int *out) {
    int64_t x;
    if (!rd_int_range(r, o, key, INT_MIN, INT_MAX, &x)) return false;
    *out = (int)x;
    return true;
}

/* An enum by name; nullable enums map null to index 0 (whose name is NULL). */
static bool rd_enum(reader *r, const cJSON *o, const char *key, const char *const *names, size_t n, bool nullable,
                    int *out) {
    const char *s;
    if (!rd_str_ref(r, o, key, nullable, &s)) return false;
    if (!s) {
        *out = 0;
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        if (names[i] && strcmp(names[i], s) == 0) {
            *out = (int)i;
            return true;
        }
    }
    return bad(r, key, "has unknown value '%s'", s);
}

/* An activity id resolved in the model: an unknown id means the document is not for this model. */
static bool rd_elem(reader *r, const cJSON *o, const char *key, bool nullable, const model_element **out) {
    const char *s;
    *out = NULL;
    if (!rd_str_ref(r, o, key, nullable, &s)) return false;
    if (!s) return true;
    *out = model_element_by_id(r->m, s);
    if (!*out)
        return bad(r, key, "'%.80s' is not an activity of process definition '%.80s'", s,
                   r->m->definition_id ? r->m->definition_id : "");
    return true;
}

/* A reference to an execution read earlier (required). */
static bool rd_exec(reader *r, const cJSON *o, const char *key, execution **out) {
    const char *s;
    if (!rd_str_ref(r, o, key, false, &s)) return false;
    *out = id_map_get(&r->executions, s);
    if (!*out) return bad(r, key, "'%s' does not name an execution of the instance", s);
    return true;
}

/* An optional array member (absent or null: empty). Its size is bounded by STATE_JSON_MAX_ITEMS. */
static bool rd_array(reader *r, const cJSON *o, const char *key, const cJSON **out) {
    const cJSON *v = member(o, key);
    *out = NULL;
    if (!v) return true;
    if (!cJSON_IsArray(v)) return bad(r, key, "must be an array");
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (++n > STATE_JSON_MAX_ITEMS) return bad(r, key, "has too many entries (limit %d)", STATE_JSON_MAX_ITEMS);
    }
    *out = v;
    return true;
}

static bool rd_object_item(reader *r, const cJSON *item) {
    if (cJSON_IsObject(item)) return true;
    return error_set(r->err, ERR_ENGINE, "Invalid state document: %s must be an object", r->where);
}

/* Appends a variable without var_map_put's linear name search (names are checked by the caller). */
static void var_push(var_map *m, char *id, char *name, value v) {
    if (m->n == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 4;
        variable *grown = realloc(m->items, ncap * sizeof *grown);
        if (!grown) abort();
        m->items = grown;
        m->cap = ncap;
    }
    m->items[m->n++] = (variable){id, name, v};
}

/* A stored Date: type "Date" with epoch ms (a number or decimal digits). Dates in Camunda's text
 * form, as a hand-written document may have them, go through value_from_json instead. */
static bool is_date_ms(const cJSON *item) {
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "value");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "Date") != 0) return false;
    if (cJSON_IsNumber(v)) return true;
    if (!cJSON_IsString(v)) return false;
    const char *p = v->valuestring + (v->valuestring[0] == '-');
    if (!*p) return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* Reads `key` (an array of {id, name, type, value, valueInfo}) of object `o` into `vars`. */
static bool rd_vars(reader *r, const cJSON *o, const char *key, var_map *vars) {
    const cJSON *arr;
    if (!rd_array(r, o, key, &arr)) return false;
    if (!arr) return true;
    char outer[sizeof r->where];
    memcpy(outer, r->where, sizeof outer);
    id_map names = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        snprintf(r->where, sizeof r->where, "%.60s%s%s[%zu]", outer, *outer ? "." : "", key, idx++);
        const char *id, *name;
        if (!rd_object_item(r, item) || !rd_str_ref(r, item, "id", true, &id) ||
            !rd_str_ref(r, item, "name", false, &name)) {
            ok = false;
            break;
        }
        if (!id_map_put(&names, name, NULL)) {
            ok = bad(r, "name", "'%s' is duplicated", name);
            break;
        }
        if (id && !id_map_put(&r->variable_ids, id, NULL)) {
            ok = bad(r, "id", "'%s' is duplicated", id);
            break;
        }
        error verr = {0};
        value v;
        if (is_date_ms(item)) {
            int64_t ms;
            if (!rd_i64(r, item, "value", &ms)) {
                ok = false;
                break;
            }
            v = value_date(ms);
        } else if (!value_from_json(item, &v, &verr)) {
            error_set(r->err, ERR_ENGINE, "Invalid state document: %s: %s", r->where,
                      verr.message ? verr.message : "invalid value");
            error_clear(&verr);
            ok = false;
            break;
        }
        error_clear(&verr);
        var_push(vars, str_dup(id), str_dup(name), v);
    }
    id_map_free(&names);
    memcpy(r->where, outer, sizeof outer);
    return ok;
}

static bool rd_executions(reader *r, instance *pi, const cJSON *doc) {
    const cJSON *arr;
    if (!rd_array(r, doc, "executions", &arr)) return false;
    if (!arr || !arr->child) {
        /* An instance that ended has no execution left; a running one has at least its root. */
        if (pi->ended) return true;
        return bad(r, "executions", "must hold the process instance execution");
    }
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        set_where(r, "executions", idx);
        const char *id, *parent_id;
        if (!rd_object_item(r, item) || !rd_str_ref(r, item, "id", false, &id) ||
            !rd_str_ref(r, item, "parentId", true, &parent_id))
            return false;
        execution *parent = NULL;
        if (idx == 0) {
            if (parent_id) return bad(r, "parentId", "must be null: the first execution is the process instance");
            if (strcmp(id, pi->id) != 0)
                return bad(r, "id", "'%s' must be the process instance id", id);
        } else {
            if (!parent_id) return bad(r, "parentId", "is missing: only the first execution is the root");
            parent = id_map_get(&r->executions, parent_id);
            if (!parent) return bad(r, "parentId", "'%s' does not name an execution listed before", parent_id);
            size_t depth = 1;
            for (const execution *p = parent; p; p = p->parent) depth++;
            if (depth > STATE_JSON_MAX_DEPTH) return bad(r, "parentId", "nests executions too deeply");
        }
        if (id_map_get(&r->executions, id)) return bad(r, "id", "'%s' is duplicated", id);

        execution *e = state_execution_new(pi, parent, id);
        id_map_put(&r->executions, e->id, e);
        int transition = 0;
        if (!rd_bool(r, item, "isScope", &e->is_scope) || !rd_bool(r, item, "isConcurrent", &e->is_concurrent) ||
            !rd_bool(r, item, "isActive", &e->is_active) ||
            !rd_elem(r, item, "scopeActivityId", true, &e->scope_element) ||
            !rd_str(r, item, "scopeInstanceId", true, &e->scope_instance_id) ||
            !rd_elem(r, item, "activityId", true, &e->activity) ||
            !rd_str(r, item, "activityInstanceId", true, &e->activity_instance_id) ||
            !rd_enum(r, item, "transition", transition_names, COUNT_OF(transition_names), true, &transition) ||
            !rd_vars(r, item, "variables", &e->vars))
            return false;
        e->transition = (transition_kind)transition;
        if (e->is_scope && !e->scope_element)
            return bad(r, "scopeActivityId", "is missing for a scope execution");
        idx++;
    }
    return true;
}

/* Duplicate artefact ids within one array are refused: lookups by id must be unambiguous. */
static bool rd_unique_id(reader *r, id_map *seen, const cJSON *item, const char **id) {
    if (!rd_str_ref(r, item, "id", false, id)) return false;
    if (!id_map_put(seen, *id, NULL)) return bad(r, "id", "'%s' is duplicated", *id);
    return true;
}

static bool rd_tasks(reader *r, instance *pi, const cJSON *arr) {
    id_map seen = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        set_where(r, "tasks", idx++);
        const char *id;
        if (!rd_object_item(r, item) || !rd_unique_id(r, &seen, item, &id)) {
            ok = false;
            break;
        }
        task *t = calloc(1, sizeof *t);
        if (!t) abort();
        t->id = str_dup(id);
        state_add_task(pi, t); /* owned by pi from here: freed with it on error */
        if (!rd_str(r, item, "name", true, &t->name) ||
            !rd_str(r, item, "taskDefinitionKey", true, &t->task_definition_key) ||
            !rd_exec(r, item, "executionId", &t->exec) ||
            !rd_str(r, item, "activityInstanceId", true, &t->activity_instance_id) ||
            !rd_str(r, item, "assignee", true, &t->assignee) || !rd_int(r, item, "priority", &t->priority) ||
            !rd_i64(r, item, "created", &t->created) || !rd_vars(r, item, "variables", &t->vars)) {
            ok = false;
            break;
        }
    }
    id_map_free(&seen);
    return ok;
}

static bool rd_external_tasks(reader *r, instance *pi, const cJSON *arr) {
    id_map seen = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        set_where(r, "externalTasks", idx++);
        const char *id;
        if (!rd_object_item(r, item) || !rd_unique_id(r, &seen, item, &id)) {
            ok = false;
            break;
        }
        external_task *t = calloc(1, sizeof *t);
        if (!t) abort();
        t->id = str_dup(id);
        state_add_external_task(pi, t);
        if (!rd_str(r, item, "topicName", true, &t->topic) || !rd_str(r, item, "activityId", true, &t->activity_id) ||
            !rd_str(r, item, "activityInstanceId", true, &t->activity_instance_id) ||
            !rd_exec(r, item, "executionId", &t->exec) || !rd_int(r, item, "retries", &t->retries) ||
            !rd_str(r, item, "errorMessage", true, &t->error_message) ||
            !rd_str(r, item, "errorDetails", true, &t->error_details) ||
            !rd_str(r, item, "workerId", true, &t->worker_id) ||
            !rd_i64(r, item, "lockExpirationTime", &t->lock_expiration) ||
            !rd_i64(r, item, "priority", &t->priority) || !rd_i64(r, item, "createTime", &t->created)) {
            ok = false;
            break;
        }
    }
    id_map_free(&seen);
    return ok;
}

static bool rd_jobs(reader *r, instance *pi, const cJSON *arr) {
    id_map seen = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        set_where(r, "jobs", idx++);
        const char *id;
        if (!rd_object_item(r, item) || !rd_unique_id(r, &seen, item, &id)) {
            ok = false;
            break;
        }
        job *j = calloc(1, sizeof *j);
        if (!j) abort();
        j->id = str_dup(id);
        state_add_job(pi, j);
        int kind = 0;
        if (!rd_enum(r, item, "kind", job_kind_names, COUNT_OF(job_kind_names), false, &kind) ||
            !rd_elem(r, item, "activityId", false, &j->activity) || !rd_exec(r, item, "executionId", &j->exec) ||
            !rd_i64(r, item, "dueDate", &j->due) || !rd_int(r, item, "retries", &j->retries) ||
            !rd_str(r, item, "exceptionMessage", true, &j->exception_message) ||
            !rd_str(r, item, "exceptionDetails", true, &j->exception_details) ||
            !rd_str(r, item, "repeat", true, &j->repeat) ||
            !rd_int(r, item, "repeatRemaining", &j->repeat_remaining) ||
            !rd_bool(r, item, "suspended", &j->suspended) || !rd_i64(r, item, "createTime", &j->created)) {
            ok = false;
            break;
        }
        j->kind = (job_kind)kind;
    }
    id_map_free(&seen);
    return ok;
}

static bool rd_subscriptions(reader *r, instance *pi, const cJSON *arr) {
    id_map seen = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        set_where(r, "subscriptions", idx++);
        const char *id;
        if (!rd_object_item(r, item) || !rd_unique_id(r, &seen, item, &id)) {
            ok = false;
            break;
        }
        subscription *s = calloc(1, sizeof *s);
        if (!s) abort();
        s->id = str_dup(id);
        state_add_subscription(pi, s);
        /* activityId is required: state.c classifies subscriptions by their activity. */
        if (!rd_str(r, item, "eventName", true, &s->event_name) ||
            !rd_elem(r, item, "activityId", false, &s->activity) || !rd_exec(r, item, "executionId", &s->exec) ||
            !rd_i64(r, item, "createTime", &s->created)) {
            ok = false;
            break;
        }
    }
    id_map_free(&seen);
    return ok;
}

static bool rd_incidents(reader *r, instance *pi, const cJSON *arr) {
    id_map seen = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        set_where(r, "incidents", idx++);
        const char *id;
        if (!rd_object_item(r, item) || !rd_unique_id(r, &seen, item, &id)) {
            ok = false;
            break;
        }
        incident *inc = calloc(1, sizeof *inc);
        if (!inc) abort();
        inc->id = str_dup(id);
        state_add_incident(pi, inc);
        int kind = 0;
        if (!rd_enum(r, item, "incidentType", incident_kind_names, COUNT_OF(incident_kind_names), false, &kind) ||
            !rd_str(r, item, "activityId", true, &inc->activity_id) ||
            !rd_exec(r, item, "executionId", &inc->exec) ||
            !rd_str(r, item, "configuration", true, &inc->configuration) ||
            !rd_str(r, item, "incidentMessage", true, &inc->message) ||
            !rd_i64(r, item, "incidentTimestamp", &inc->timestamp)) {
            ok = false;
            break;
        }
        inc->kind = (incident_kind)kind;
    }
    id_map_free(&seen);
    return ok;
}

/* Everything but the instance's own id, read into the freshly created `pi`. */
static bool rd_instance(reader *r, instance *pi, const cJSON *doc) {
    const cJSON *version = member(doc, "formatVersion");
    if (version) {
        int v;
        if (!rd_int(r, doc, "formatVersion", &v)) return false;
        if (v != STATE_JSON_FORMAT) return bad(r, "formatVersion", "is not supported (expected 1)");
    }
    const char *def_id;
    if (!rd_str_ref(r, doc, "processDefinitionId", true, &def_id)) return false;
    if (def_id && !same_str(def_id, r->m->definition_id))
        return bad(r, "processDefinitionId", "'%s' is not the definition of the compiled model", def_id);

    const cJSON *tasks, *ext, *jobs, *subs, *incs;
    if (!rd_str(r, doc, "businessKey", true, &pi->business_key) || !rd_str(r, doc, "tenantId", true, &pi->tenant_id) ||
        !rd_str(r, doc, "startActivityId", true, &pi->start_activity_id) ||
        !rd_str(r, doc, "restartedProcessInstanceId", true, &pi->restarted_from) ||
        !rd_i64(r, doc, "startTime", &pi->start_time) || !rd_i64(r, doc, "endTime", &pi->end_time) ||
        !rd_bool(r, doc, "suspended", &pi->suspended) || !rd_bool(r, doc, "ended", &pi->ended) ||
        !rd_str(r, doc, "endState", true, &pi->end_state) ||
        !rd_str(r, doc, "deleteReason", true, &pi->delete_reason) || !rd_array(r, doc, "tasks", &tasks) ||
        !rd_array(r, doc, "externalTasks", &ext) || !rd_array(r, doc, "jobs", &jobs) ||
        !rd_array(r, doc, "subscriptions", &subs) || !rd_array(r, doc, "incidents", &incs))
        return false;
    if (!rd_executions(r, pi, doc)) return false;
    return (!tasks || rd_tasks(r, pi, tasks)) && (!ext || rd_external_tasks(r, pi, ext)) &&
           (!jobs || rd_jobs(r, pi, jobs)) && (!subs || rd_subscriptions(r, pi, subs)) &&
           (!incs || rd_incidents(r, pi, incs));
}

instance *state_from_json(const model *m, const cJSON *doc, error *err) {
    if (!m) {
        error_set(err, ERR_ENGINE, "Invalid state document: no model");
        return NULL;
    }
    if (!cJSON_IsObject(doc)) {
        error_set(err, ERR_ENGINE, "Invalid state document: must be a JSON object");
        return NULL;
    }
    reader r = {.m = m, .err = err};
    const char *id;
    if (!rd_str_ref(&r, doc, "id", false, &id)) return NULL;
    instance *pi = state_new(m, id);
    bool ok = rd_instance(&r, pi, doc);
    id_map_free(&r.executions);
    id_map_free(&r.variable_ids);
    if (!ok) {
        if (!error_is_set(err)) error_set(err, ERR_ENGINE, "Invalid state document");
        state_free(pi);
        return NULL;
    }
    return pi;
}

/* ======================================================================================= */
/* The query index                                                                          */
/* ======================================================================================= */

static const char *job_handler_type(job_kind k) {
    switch (k) {
    case JOB_ASYNC_BEFORE:
    case JOB_ASYNC_AFTER: return "async-continuation";
    case JOB_TIMER_BOUNDARY: return "timer-transition";
    case JOB_TIMER_INTERMEDIATE: return "timer-intermediate-transition";
    case JOB_TIMER_EVENT_SUBPROCESS: return "timer-start-event-subprocess";
    }
    return NULL;
}

/* Fields every artefact of the instance shares. */
static void add_instance_refs(cJSON *o, const instance *pi) {
    add_str(o, "processInstanceId", pi->id);
    add_str(o, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    add_str(o, "processDefinitionKey", pi->model ? pi->model->definition_key : NULL);
}

static cJSON *index_task(const instance *pi, const task *t) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", t->id);
    add_str(o, "name", t->name);
    add_str(o, "assignee", t->assignee);
    add_i64(o, "created", t->created);
    cJSON_AddNumberToObject(o, "priority", t->priority);
    add_exec(o, "executionId", t->exec);
    add_instance_refs(o, pi);
    add_str(o, "taskDefinitionKey", t->task_definition_key);
    add_str(o, "activityInstanceId", t->activity_instance_id);
    add_str(o, "tenantId", pi->tenant_id);
    cJSON_AddBoolToObject(o, "suspended", pi->suspended);
    return o;
}

static cJSON *index_external_task(const instance *pi, const external_task *t) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", t->id);
    add_str(o, "topicName", t->topic);
    add_str(o, "activityId", t->activity_id);
    add_str(o, "activityInstanceId", t->activity_instance_id);
    add_exec(o, "executionId", t->exec);
    add_instance_refs(o, pi);
    if (t->retries < 0) cJSON_AddNullToObject(o, "retries");
    else cJSON_AddNumberToObject(o, "retries", t->retries);
    add_str(o, "errorMessage", t->error_message);
    add_str(o, "errorDetails", t->error_details);
    add_str(o, "workerId", t->worker_id);
    add_date_or_null(o, "lockExpirationTime", t->lock_expiration);
    add_i64(o, "priority", t->priority);
    add_i64(o, "createTime", t->created);
    add_str(o, "businessKey", pi->business_key);
    add_str(o, "tenantId", pi->tenant_id);
    cJSON_AddBoolToObject(o, "suspended", pi->suspended);
    return o;
}

static cJSON *index_job(const instance *pi, const job *j) {
    bool async = j->kind == JOB_ASYNC_BEFORE || j->kind == JOB_ASYNC_AFTER;
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", j->id);
    add_str(o, "jobType", async ? "async-continuation" : "timer");
    add_str(o, "handlerType", job_handler_type(j->kind));
    add_str(o, "jobConfiguration", j->kind == JOB_ASYNC_BEFORE ? "async-before"
                                    : j->kind == JOB_ASYNC_AFTER ? "async-after"
                                                                 : NULL);
    add_elem(o, "activityId", j->activity);
    /* Camunda sets failedActivityId only once the job has failed. */
    add_elem(o, "failedActivityId", j->exception_message ? j->activity : NULL);
    add_exec(o, "executionId", j->exec);
    add_instance_refs(o, pi);
    add_date_or_null(o, "dueDate", j->due);
    cJSON_AddNumberToObject(o, "retries", j->retries);
    add_str(o, "exceptionMessage", j->exception_message);
    add_str(o, "exceptionDetails", j->exception_details);
    cJSON_AddBoolToObject(o, "suspended", j->suspended || pi->suspended);
    cJSON_AddNumberToObject(o, "priority", 0);
    add_i64(o, "createTime", j->created);
    add_str(o, "tenantId", pi->tenant_id);
    return o;
}

static cJSON *index_subscription(const instance *pi, const subscription *s) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", s->id);
    add_str(o, "eventType", "message");
    add_str(o, "eventName", s->event_name);
    add_exec(o, "executionId", s->exec);
    add_elem(o, "activityId", s->activity);
    add_instance_refs(o, pi);
    add_i64(o, "createTime", s->created);
    add_str(o, "tenantId", pi->tenant_id);
    return o;
}

static cJSON *index_incident(const instance *pi, const incident *i) {
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", i->id);
    add_str(o, "incidentType", (size_t)i->kind < COUNT_OF(incident_kind_names) ? incident_kind_names[i->kind] : NULL);
    add_str(o, "activityId", i->activity_id);
    add_str(o, "failedActivityId", i->activity_id);
    add_exec(o, "executionId", i->exec);
    add_instance_refs(o, pi);
    add_str(o, "configuration", i->configuration);
    add_str(o, "incidentMessage", i->message);
    add_i64(o, "incidentTimestamp", i->timestamp);
    add_str(o, "causeIncidentId", i->id);     /* no nested incidents: each is its own cause */
    add_str(o, "rootCauseIncidentId", i->id);
    add_str(o, "tenantId", pi->tenant_id);
    return o;
}

cJSON *state_index_json(const instance *pi) {
    cJSON *idx = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(idx, "tasks");
    for (size_t i = 0; i < pi->tasks.n; i++) cJSON_AddItemToArray(a, index_task(pi, pi->tasks.items[i]));
    a = cJSON_AddArrayToObject(idx, "externalTasks");
    for (size_t i = 0; i < pi->external_tasks.n; i++)
        cJSON_AddItemToArray(a, index_external_task(pi, pi->external_tasks.items[i]));
    a = cJSON_AddArrayToObject(idx, "jobs");
    for (size_t i = 0; i < pi->jobs.n; i++) cJSON_AddItemToArray(a, index_job(pi, pi->jobs.items[i]));
    a = cJSON_AddArrayToObject(idx, "subscriptions");
    for (size_t i = 0; i < pi->subscriptions.n; i++)
        cJSON_AddItemToArray(a, index_subscription(pi, pi->subscriptions.items[i]));
    a = cJSON_AddArrayToObject(idx, "incidents");
    for (size_t i = 0; i < pi->incidents.n; i++) cJSON_AddItemToArray(a, index_incident(pi, pi->incidents.items[i]));

    /* Camunda's activityIdIn matches active executions by their activity: tokens executing an
     * activity and tokens parked at an async continuation, not scopes waiting for their children.
     * Distinct, in order of first appearance in the pre-order walk. */
    a = cJSON_AddArrayToObject(idx, "activityIds");
    size_t n;
    const execution **order = preorder(pi, &n);
    id_map seen = {0};
    for (size_t i = 0; i < n; i++) {
        const execution *e = order[i];
        if (!e->is_active || !e->activity || !e->activity->id) continue;
        if (id_map_put(&seen, e->activity->id, NULL)) cJSON_AddItemToArray(a, cJSON_CreateString(e->activity->id));
    }
    id_map_free(&seen);
    free(order);
    return idx;
}

/* ======================================================================================= */
/* Visible variables                                                                         */
/* ======================================================================================= */

/* Adds the variables of `vars` whose names are not in `seen` yet (nearer scopes come first). */
static void add_visible(cJSON *out, id_map *seen, const var_map *vars) {
    for (size_t i = 0; i < vars->n; i++) {
        const variable *v = &vars->items[i];
        if (!v->name || !id_map_put(seen, v->name, NULL)) continue;
        cJSON_AddItemToObject(out, v->name, value_to_json(&v->val));
    }
}

cJSON *state_var_map_json(const var_map *vars) {
    cJSON *out = cJSON_CreateObject();
    id_map seen = {0};
    add_visible(out, &seen, vars);
    id_map_free(&seen);
    return out;
}

cJSON *state_variables_json(const instance *pi, const execution *scope, bool local) {
    cJSON *out = cJSON_CreateObject();
    if (!scope) scope = pi->root;
    id_map seen = {0};
    for (const execution *e = scope; e; e = local ? NULL : e->parent) add_visible(out, &seen, &e->vars);
    id_map_free(&seen);
    return out;
}
