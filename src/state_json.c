/*
 * state_json.c — the persisted state document of one process instance (docs/state-format.md),
 * the query index the host keeps beside it, and the visible-variables view.
 *
 * Invariants:
 *  - Reading what state_write wrote gives back x, and the writer's output depends on nothing but
 *    the structs (executions in pre-order, everything else in array order). Writing goes
 *    straight into a json_writer; no cJSON tree is built for any document written here.
 *  - Executions are stored flat, each after its parent, so a reader resolves every parentId
 *    against executions already built: a cycle cannot be written down, and reading is a loop.
 *  - The reader builds the instance as it goes (state_execution_new attaches each execution), so
 *    on any error a single state_free releases everything built so far.
 *  - Integers are written as exact digits, but beyond ±2^53 they cannot travel as JSON numbers
 *    (the reader, like JavaScript, holds numbers as doubles): such int64 fields and Long variable
 *    values are written as decimal strings, and read back from either form.
 *    Dates, of the instance and of Date variables alike, are epoch milliseconds.
 */
#include "state_json.h"

#include <assert.h>
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
#define SAFE_INT INT64_C(9007199254740992)

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

/* Rehashes into a table for at least `want` keys (cap ≥ 2 × want, a power of two). */
static void id_map_grow(id_map *m, size_t want) {
    size_t cap = m->cap ? m->cap : 16;
    while (want * 2 > cap) cap *= 2;
    if (cap == m->cap) return;
    id_map grown = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(void *)), cap, 0};
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

/* Makes room for `n` more keys at once: a reader that knows its array's length rehashes never
 * (instead of at every doubling). */
static void id_map_reserve(id_map *m, size_t n) {
    if ((m->n + n) * 2 > m->cap) id_map_grow(m, m->n + n);
}

/* Inserts key → val; returns false if the key is already present (nothing changes). */
static bool id_map_put(id_map *m, const char *key, void *val) {
    if ((m->n + 1) * 2 > m->cap) id_map_grow(m, m->cap ? m->cap : 8); /* doubling */
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

/* An int64 of the state document: a number when exact as a double, else its decimal digits as a
 * string (a host's JSON parser may hold numbers as doubles). */
static void put_i64(json_writer *w, const char *key, int64_t v) {
    jw_key(w, key);
    if (v >= -SAFE_INT && v <= SAFE_INT) {
        jw_int(w, v);
        return;
    }
    char digits[24];
    snprintf(digits, sizeof digits, "%" PRId64, v);
    jw_string(w, digits);
}

static void put_elem(json_writer *w, const char *key, const model_element *e) { jw_key_string(w, key, e ? e->id : NULL); }

static void put_exec(json_writer *w, const char *key, const execution *e) { jw_key_string(w, key, e ? e->id : NULL); }

static void put_empty_object(json_writer *w, const char *key) {
    jw_key(w, key);
    jw_object_begin(w);
    jw_object_end(w);
}

/* One typed value as stored: the REST form (value_write), except where that would not come back
 * exactly: a Date is epoch ms (its text form only covers years 0000-9999), a Long beyond ±2^53
 * keeps its digits as a string, a Double NaN or infinity is Java's spelling. rd_vars /
 * value_from_json read each of these back. Writes the members type, value, valueInfo. */
static void put_typed_value(json_writer *w, const value *v) {
    jw_key_string(w, "type", value_type_name(v->type));
    if (v->type == VAL_DATE || v->type == VAL_LONG) {
        put_i64(w, "value", v->i);
    } else if (v->type == VAL_DOUBLE && !isfinite(v->d)) {
        jw_key_string(w, "value", isnan(v->d) ? "NaN" : v->d > 0 ? "Infinity" : "-Infinity");
    } else {
        jw_key(w, "value");
        value_write_bare(w, v);
    }
    put_empty_object(w, "valueInfo");
}

/* [{"id","name","type","value","valueInfo"}] in map order. */
static void put_vars(json_writer *w, const char *key, const var_map *vars) {
    jw_key(w, key);
    jw_array_begin(w);
    for (size_t i = 0; i < vars->n; i++) {
        const variable *v = &vars->items[i];
        jw_object_begin(w);
        jw_key_string(w, "id", v->id);
        jw_key_string(w, "name", v->name);
        put_typed_value(w, &v->val);
        jw_object_end(w);
    }
    jw_array_end(w);
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

static void put_execution(json_writer *w, const execution *e) {
    jw_object_begin(w);
    jw_key_string(w, "id", e->id);
    put_exec(w, "parentId", e->parent);
    jw_key_bool(w, "isScope", e->is_scope);
    jw_key_bool(w, "isConcurrent", e->is_concurrent);
    jw_key_bool(w, "isActive", e->is_active);
    put_elem(w, "scopeActivityId", e->scope_element);
    jw_key_string(w, "scopeInstanceId", e->scope_instance_id);
    put_elem(w, "activityId", e->activity);
    jw_key_string(w, "activityInstanceId", e->activity_instance_id);
    jw_key_string(w, "transition",
                  (size_t)e->transition < COUNT_OF(transition_names) ? transition_names[e->transition] : NULL);
    put_vars(w, "variables", &e->vars);
    jw_object_end(w);
}

static void put_task(json_writer *w, const task *t) {
    jw_object_begin(w);
    jw_key_string(w, "id", t->id);
    jw_key_string(w, "name", t->name);
    jw_key_string(w, "taskDefinitionKey", t->task_definition_key);
    put_exec(w, "executionId", t->exec);
    jw_key_string(w, "activityInstanceId", t->activity_instance_id);
    jw_key_string(w, "assignee", t->assignee);
    jw_key_int(w, "priority", t->priority);
    put_i64(w, "created", t->created);
    put_vars(w, "variables", &t->vars);
    jw_object_end(w);
}

static void put_external_task(json_writer *w, const external_task *t) {
    jw_object_begin(w);
    jw_key_string(w, "id", t->id);
    jw_key_string(w, "topicName", t->topic);
    jw_key_string(w, "activityId", t->activity_id);
    jw_key_string(w, "activityInstanceId", t->activity_instance_id);
    put_exec(w, "executionId", t->exec);
    jw_key_int(w, "retries", t->retries);
    jw_key_string(w, "errorMessage", t->error_message);
    jw_key_string(w, "errorDetails", t->error_details);
    jw_key_string(w, "workerId", t->worker_id);
    put_i64(w, "lockExpirationTime", t->lock_expiration);
    put_i64(w, "priority", t->priority);
    put_i64(w, "createTime", t->created);
    jw_object_end(w);
}

static void put_job(json_writer *w, const job *j) {
    jw_object_begin(w);
    jw_key_string(w, "id", j->id);
    jw_key_string(w, "kind", (size_t)j->kind < COUNT_OF(job_kind_names) ? job_kind_names[j->kind] : NULL);
    put_elem(w, "activityId", j->activity);
    put_exec(w, "executionId", j->exec);
    put_i64(w, "dueDate", j->due);
    jw_key_int(w, "retries", j->retries);
    jw_key_string(w, "exceptionMessage", j->exception_message);
    jw_key_string(w, "exceptionDetails", j->exception_details);
    jw_key_string(w, "repeat", j->repeat);
    jw_key_int(w, "repeatRemaining", j->repeat_remaining);
    jw_key_bool(w, "suspended", j->suspended);
    put_i64(w, "createTime", j->created);
    jw_object_end(w);
}

static void put_subscription(json_writer *w, const subscription *s) {
    jw_object_begin(w);
    jw_key_string(w, "id", s->id);
    jw_key_string(w, "eventName", s->event_name);
    put_elem(w, "activityId", s->activity);
    put_exec(w, "executionId", s->exec);
    put_i64(w, "createTime", s->created);
    jw_object_end(w);
}

static void put_incident(json_writer *w, const incident *i) {
    jw_object_begin(w);
    jw_key_string(w, "id", i->id);
    jw_key_string(w, "incidentType",
                  (size_t)i->kind < COUNT_OF(incident_kind_names) ? incident_kind_names[i->kind] : NULL);
    jw_key_string(w, "activityId", i->activity_id);
    put_exec(w, "executionId", i->exec);
    jw_key_string(w, "configuration", i->configuration);
    jw_key_string(w, "incidentMessage", i->message);
    put_i64(w, "incidentTimestamp", i->timestamp);
    jw_object_end(w);
}

void state_write(json_writer *w, const instance *pi) {
    jw_object_begin(w);
    jw_key_int(w, "formatVersion", STATE_JSON_FORMAT);
    jw_key_string(w, "id", pi->id);
    jw_key_string(w, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    jw_key_string(w, "businessKey", pi->business_key);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_key_string(w, "startActivityId", pi->start_activity_id);
    jw_key_string(w, "restartedProcessInstanceId", pi->restarted_from);
    put_i64(w, "startTime", pi->start_time);
    put_i64(w, "endTime", pi->end_time);
    jw_key_bool(w, "suspended", pi->suspended);
    jw_key_bool(w, "ended", pi->ended);
    jw_key_string(w, "endState", pi->end_state);
    jw_key_string(w, "deleteReason", pi->delete_reason);

    size_t n;
    const execution **order = preorder(pi, &n);
    jw_key(w, "executions");
    jw_array_begin(w);
    for (size_t i = 0; i < n; i++) put_execution(w, order[i]);
    jw_array_end(w);
    free(order);

    jw_key(w, "tasks");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->tasks.n; i++) put_task(w, pi->tasks.items[i]);
    jw_array_end(w);
    jw_key(w, "externalTasks");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->external_tasks.n; i++) put_external_task(w, pi->external_tasks.items[i]);
    jw_array_end(w);
    jw_key(w, "jobs");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->jobs.n; i++) put_job(w, pi->jobs.items[i]);
    jw_array_end(w);
    jw_key(w, "subscriptions");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->subscriptions.n; i++) put_subscription(w, pi->subscriptions.items[i]);
    jw_array_end(w);
    jw_key(w, "incidents");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->incidents.n; i++) put_incident(w, pi->incidents.items[i]);
    jw_array_end(w);
    jw_object_end(w);
}

cJSON *state_to_json(const instance *pi) {
    json_writer w = {0};
    state_write(&w, pi);
    cJSON *doc = cJSON_ParseWithLength(w.buf, w.len);
    jw_free(&w);
    if (!doc) abort(); /* the writer only writes valid JSON; NULL here is out of memory */
    return doc;
}

/* ======================================================================================= */
/* Reading                                                                                 */
/* ======================================================================================= */

/* One step of the path to where the reader is: an array and the index in it. */
typedef struct path_step {
    const char *array;
    size_t index;
} path_step;

/* Reader context: where we are (for messages) and the id maps built so far. */
typedef struct reader {
    const model *m;
    error *err;
    path_step path[2];   /* e.g. executions[3].variables[1]: formatted only for a message */
    int depth;           /* steps of path in use; 0 at the top level */
    id_map executions;   /* id → execution * */
    id_map variable_ids; /* variable instance ids seen anywhere (values unused) */
    /* The array item being read in order (see member): the member found last, NULL before the
     * first; `item` NULL once a lookup missed the member after it. */
    const cJSON *item, *cursor;
} reader;

/* Sets "Invalid state document: <where>.<key> <problem>"; returns false. */
static bool bad(reader *r, const char *key, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The path as text, e.g. "executions[3].variables[1]"; "" at the top level. */
static const char *where(const reader *r, char buf[96]) {
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < r->depth && n < 96; i++) {
        int k = snprintf(buf + n, 96 - n, "%s%s[%zu]", i ? "." : "", r->path[i].array, r->path[i].index);
        if (k < 0) break;
        n += (size_t)k;
    }
    return buf;
}

static bool bad(reader *r, const char *key, const char *fmt, ...) {
    char what[256], at[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    where(r, at);
    return error_set(r->err, ERR_ENGINE, "Invalid state document: %s%s%s %s", at, *at ? "." : "", key, what);
}

/* Entering item `index` of a top-level array. */
static void set_where(reader *r, const char *array, size_t index) {
    r->path[0] = (path_step){array, index};
    r->depth = 1;
}

/* cJSON's type tests, inline (cJSON's own are calls into cJSON.c): the reader makes several per
 * field of every execution and artefact. */
static inline bool is_type(const cJSON *v, int type) { return v && (v->type & 0xFF) == type; }
static inline bool is_bool(const cJSON *v) { return is_type(v, cJSON_True) || is_type(v, cJSON_False); }

/* Whether member m is named `key`. Inline rather than strcmp: most names differ from the key in
 * their first character, and the lookups below compare many. */
static bool is_name(const cJSON *m, const char *key) {
    const char *s = m->string;
    if (!s) return false;
    while (*s && *s == *key) s++, key++;
    return *s == *key;
}

#ifndef NDEBUG
/* Whether a member before m is named `key` (for the assertion in member). */
static bool named_before(const cJSON *o, const cJSON *m, const char *key) {
    for (const cJSON *p = o->child; p != m; p = p->next)
        if (is_name(p, key)) return true;
    return false;
}
#endif

/* The member `key` of object o (the first one, as cJSON finds it), or NULL when absent or null.
 *
 * In order, for the items of the document's arrays (rd_object_item starts one): their readers
 * look up each field once, in the order the writer wrote them. While each lookup in an item has
 * found the member right after the one found before, the members before that one are exactly the
 * fields already read, all named differently from `key`: so the member after them, when named
 * `key`, is also the first of that name, the one the scan from the start finds. The first lookup
 * that does not find it there ends the in-order reading of the item: every later one scans. */
static const cJSON *member(reader *r, const cJSON *o, const char *key) {
    const cJSON *v = NULL;
    if (o && o == r->item) {
        const cJSON *next = r->cursor ? r->cursor->next : o->child;
        if (next && is_name(next, key)) {
            assert(!named_before(o, next, key) && "member: a field read twice from one array item");
            v = r->cursor = next;
        } else {
            r->item = NULL;
        }
    }
    for (const cJSON *m = o && !v ? o->child : NULL; m && !v; m = m->next)
        if (is_name(m, key)) v = m;
    return is_type(v, cJSON_NULL) ? NULL : v;
}

/* A string field, borrowed. Nullable fields may be absent or null (*out = NULL). */
static bool rd_str_ref(reader *r, const cJSON *o, const char *key, bool nullable, const char **out) {
    const cJSON *v = member(r, o, key);
    *out = NULL;
    if (!v) return nullable ? true : bad(r, key, "is missing");
    if (!is_type(v, cJSON_String) || !v->valuestring) return bad(r, key, "must be a string");
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
    const cJSON *v = member(r, o, key);
    if (!v) return bad(r, key, "is missing");
    if (!is_bool(v)) return bad(r, key, "must be a boolean");
    *out = is_type(v, cJSON_True);
    return true;
}

/* An integer field in [lo, hi]: a JSON number, or a decimal string (for values beyond ±2^53). */
static bool rd_int_range(reader *r, const cJSON *o, const char *key, int64_t lo, int64_t hi, int64_t *out) {
    const cJSON *v = member(r, o, key);
    if (!v) return bad(r, key, "is missing");
    int64_t x;
    if (is_type(v, cJSON_Number)) {
        double d = v->valuedouble;
        /* Range-check before converting: a double outside int64 converts with undefined behaviour. */
        if (!isfinite(d) || d != floor(d) || d < -SAFE_INT_MAX || d > SAFE_INT_MAX)
            return bad(r, key, "must be an integer");
        x = (int64_t)d;
    } else if (is_type(v, cJSON_String) && v->valuestring) {
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
    const cJSON *v = member(r, o, key);
    *out = NULL;
    if (!v) return true;
    if (!is_type(v, cJSON_Array)) return bad(r, key, "must be an array");
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (++n > STATE_JSON_MAX_ITEMS) return bad(r, key, "has too many entries (limit %d)", STATE_JSON_MAX_ITEMS);
    }
    *out = v;
    return true;
}

/* Starts reading an array item, which must be an object (its fields in order: see member). */
static bool rd_object_item(reader *r, const cJSON *item) {
    r->item = item;
    r->cursor = NULL;
    if (is_type(item, cJSON_Object)) return true;
    char at[96];
    return error_set(r->err, ERR_ENGINE, "Invalid state document: %s must be an object", where(r, at));
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
    if (!is_type(type, cJSON_String) || strcmp(type->valuestring, "Date") != 0) return false;
    if (is_type(v, cJSON_Number)) return true;
    if (!is_type(v, cJSON_String)) return false;
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
    int outer = r->depth; /* the variables' path step goes below the current one */
    if (outer >= (int)(sizeof r->path / sizeof *r->path)) outer = (int)(sizeof r->path / sizeof *r->path) - 1;
    id_map names = {0};
    bool ok = true;
    size_t idx = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr) {
        r->path[outer] = (path_step){key, idx++};
        r->depth = outer + 1;
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
            char at[96];
            error_set(r->err, ERR_ENGINE, "Invalid state document: %s: %s", where(r, at),
                      verr.message ? verr.message : "invalid value");
            error_clear(&verr);
            ok = false;
            break;
        }
        error_clear(&verr);
        var_push(vars, str_dup(id), str_dup(name), v);
    }
    id_map_free(&names);
    r->depth = outer;
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
    id_map_reserve(&r->executions, (size_t)cJSON_GetArraySize(arr));
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
    id_map_reserve(&seen, (size_t)cJSON_GetArraySize(arr));
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
    id_map_reserve(&seen, (size_t)cJSON_GetArraySize(arr));
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
    id_map_reserve(&seen, (size_t)cJSON_GetArraySize(arr));
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
    id_map_reserve(&seen, (size_t)cJSON_GetArraySize(arr));
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
    id_map_reserve(&seen, (size_t)cJSON_GetArraySize(arr));
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
    const cJSON *version = member(r, doc, "formatVersion");
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
static void put_instance_refs(json_writer *w, const instance *pi) {
    jw_key_string(w, "processInstanceId", pi->id);
    jw_key_string(w, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    jw_key_string(w, "processDefinitionKey", pi->model ? pi->model->definition_key : NULL);
}

/* A date for the index: epoch ms, null when 0 (not set). */
static void put_date_or_null(json_writer *w, const char *key, int64_t ms) {
    if (ms) put_i64(w, key, ms);
    else jw_key_null(w, key);
}

static void index_task(json_writer *w, const instance *pi, const task *t) {
    jw_object_begin(w);
    jw_key_string(w, "id", t->id);
    jw_key_string(w, "name", t->name);
    jw_key_string(w, "assignee", t->assignee);
    put_i64(w, "created", t->created);
    jw_key_int(w, "priority", t->priority);
    put_exec(w, "executionId", t->exec);
    put_instance_refs(w, pi);
    jw_key_string(w, "taskDefinitionKey", t->task_definition_key);
    jw_key_string(w, "activityInstanceId", t->activity_instance_id);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_key_bool(w, "suspended", pi->suspended);
    jw_object_end(w);
}

static void index_external_task(json_writer *w, const instance *pi, const external_task *t) {
    jw_object_begin(w);
    jw_key_string(w, "id", t->id);
    jw_key_string(w, "topicName", t->topic);
    jw_key_string(w, "activityId", t->activity_id);
    jw_key_string(w, "activityInstanceId", t->activity_instance_id);
    put_exec(w, "executionId", t->exec);
    put_instance_refs(w, pi);
    if (t->retries < 0) jw_key_null(w, "retries");
    else jw_key_int(w, "retries", t->retries);
    jw_key_string(w, "errorMessage", t->error_message);
    jw_key_string(w, "errorDetails", t->error_details);
    jw_key_string(w, "workerId", t->worker_id);
    put_date_or_null(w, "lockExpirationTime", t->lock_expiration);
    put_i64(w, "priority", t->priority);
    put_i64(w, "createTime", t->created);
    jw_key_string(w, "businessKey", pi->business_key);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_key_bool(w, "suspended", pi->suspended);
    jw_object_end(w);
}

static void index_job(json_writer *w, const instance *pi, const job *j) {
    bool async = j->kind == JOB_ASYNC_BEFORE || j->kind == JOB_ASYNC_AFTER;
    jw_object_begin(w);
    jw_key_string(w, "id", j->id);
    jw_key_string(w, "jobType", async ? "async-continuation" : "timer");
    jw_key_string(w, "handlerType", job_handler_type(j->kind));
    jw_key_string(w, "jobConfiguration", j->kind == JOB_ASYNC_BEFORE  ? "async-before"
                                          : j->kind == JOB_ASYNC_AFTER ? "async-after"
                                                                       : NULL);
    put_elem(w, "activityId", j->activity);
    /* Camunda sets failedActivityId only once the job has failed. */
    put_elem(w, "failedActivityId", j->exception_message ? j->activity : NULL);
    put_exec(w, "executionId", j->exec);
    put_instance_refs(w, pi);
    put_date_or_null(w, "dueDate", j->due);
    jw_key_int(w, "retries", j->retries);
    jw_key_string(w, "exceptionMessage", j->exception_message);
    jw_key_string(w, "exceptionDetails", j->exception_details);
    jw_key_bool(w, "suspended", j->suspended || pi->suspended);
    jw_key_int(w, "priority", 0);
    put_i64(w, "createTime", j->created);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_object_end(w);
}

static void index_subscription(json_writer *w, const instance *pi, const subscription *s) {
    jw_object_begin(w);
    jw_key_string(w, "id", s->id);
    jw_key_string(w, "eventType", "message");
    jw_key_string(w, "eventName", s->event_name);
    put_exec(w, "executionId", s->exec);
    put_elem(w, "activityId", s->activity);
    put_instance_refs(w, pi);
    put_i64(w, "createTime", s->created);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_object_end(w);
}

static void index_incident(json_writer *w, const instance *pi, const incident *i) {
    jw_object_begin(w);
    jw_key_string(w, "id", i->id);
    jw_key_string(w, "incidentType",
                  (size_t)i->kind < COUNT_OF(incident_kind_names) ? incident_kind_names[i->kind] : NULL);
    jw_key_string(w, "activityId", i->activity_id);
    jw_key_string(w, "failedActivityId", i->activity_id);
    put_exec(w, "executionId", i->exec);
    put_instance_refs(w, pi);
    jw_key_string(w, "configuration", i->configuration);
    jw_key_string(w, "incidentMessage", i->message);
    put_i64(w, "incidentTimestamp", i->timestamp);
    jw_key_string(w, "causeIncidentId", i->id); /* no nested incidents: each is its own cause */
    jw_key_string(w, "rootCauseIncidentId", i->id);
    jw_key_string(w, "tenantId", pi->tenant_id);
    jw_object_end(w);
}

void state_write_index(json_writer *w, const instance *pi) {
    jw_object_begin(w);
    jw_key(w, "tasks");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->tasks.n; i++) index_task(w, pi, pi->tasks.items[i]);
    jw_array_end(w);
    jw_key(w, "externalTasks");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->external_tasks.n; i++) index_external_task(w, pi, pi->external_tasks.items[i]);
    jw_array_end(w);
    jw_key(w, "jobs");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->jobs.n; i++) index_job(w, pi, pi->jobs.items[i]);
    jw_array_end(w);
    jw_key(w, "subscriptions");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->subscriptions.n; i++) index_subscription(w, pi, pi->subscriptions.items[i]);
    jw_array_end(w);
    jw_key(w, "incidents");
    jw_array_begin(w);
    for (size_t i = 0; i < pi->incidents.n; i++) index_incident(w, pi, pi->incidents.items[i]);
    jw_array_end(w);

    /* Camunda's activityIdIn matches active executions by their activity: tokens executing an
     * activity and tokens parked at an async continuation, not scopes waiting for their children.
     * Distinct, in order of first appearance in the pre-order walk. */
    jw_key(w, "activityIds");
    jw_array_begin(w);
    size_t n;
    const execution **order = preorder(pi, &n);
    id_map seen = {0};
    for (size_t i = 0; i < n; i++) {
        const execution *e = order[i];
        if (!e->is_active || !e->activity || !e->activity->id) continue;
        if (id_map_put(&seen, e->activity->id, NULL)) jw_string(w, e->activity->id);
    }
    id_map_free(&seen);
    free(order);
    jw_array_end(w);
    jw_object_end(w);
}

/* ======================================================================================= */
/* Visible variables                                                                         */
/* ======================================================================================= */

/* Writes the variables of `vars` whose names are not in `seen` yet (nearer scopes come first). */
static void put_visible(json_writer *w, id_map *seen, const var_map *vars) {
    for (size_t i = 0; i < vars->n; i++) {
        const variable *v = &vars->items[i];
        if (!v->name || !id_map_put(seen, v->name, NULL)) continue;
        jw_name(w, v->name);
        value_write(w, &v->val);
    }
}

void state_write_var_map(json_writer *w, const var_map *vars) {
    jw_object_begin(w);
    id_map seen = {0};
    put_visible(w, &seen, vars);
    id_map_free(&seen);
    jw_object_end(w);
}

void state_write_variables(json_writer *w, const instance *pi, const execution *scope, bool local) {
    jw_object_begin(w);
    if (!scope) scope = pi->root;
    id_map seen = {0};
    for (const execution *e = scope; e; e = local ? NULL : e->parent) put_visible(w, &seen, &e->vars);
    id_map_free(&seen);
    jw_object_end(w);
}
