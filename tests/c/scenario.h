/*
 * scenario.h — driving the core through its public ABI only (detour.h), for the executor tests
 * (tests/c/test_exec_*.c).
 *
 * A scenario is one compiled model and one process instance: each command runs against the state
 * the previous successful command returned, as a host would. The helper fills in `now` (sc.now,
 * which tests advance), a fixed `idSeed` (a counter, so every run is deterministic) and `state`.
 *
 * Compact notation, so models and commands stay readable in C strings:
 *  - single quotes stand for double quotes, and a backtick for a single quote
 *    ("{'a':'${x == `y`}'}" is {"a":"${x == 'y'}"});
 *  - in a scope's "flows" array, a string entry "a->b->c" stands for the flows a_b (a to b) and
 *    b_c (b to c); object entries are ordinary flows.
 *
 * Every string a query returns stays valid until sc_close (a per-scenario pool), so ids may be
 * kept across commands. Host delegates: sc_delegate(name, reply) registers a canned reply (or a
 * function); every call is appended to sc_calls as "name:event:activityId " for order checks.
 */
#ifndef DETOUR_SCENARIO_H
#define DETOUR_SCENARIO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "detour.h"

/* Every helper is optional for a test file: unused ones are not warned about. */
#define SC_API static __attribute__((unused))

/* Model pieces in compact notation (string-literal concatenation). */
#define M_PROC(elements, flows) "{'id':'proc','elements':[" elements "],'flows':[" flows "]}"
#define M_START "{'type':'startEvent','id':'start'}"
#define M_END "{'type':'endEvent','id':'end'}"
#define M_USER(id) "{'type':'userTask','id':'" id "'}"
#define M_SUB(id, elements, flows) \
    "{'type':'subProcess','id':'" id "','elements':[" elements "],'flows':[" flows "]}"
#define M_EXTERNAL(id, topic) "{'type':'serviceTask','id':'" id "','camundaType':'external','topic':'" topic "'}"

/* Models several test files use. */
/* start → a → end */
#define M_ONE_TASK M_PROC(M_START "," M_USER("a") "," M_END, "'start->a->end'")
/* start → fork → a, b → join → c → end */
#define M_PARALLEL \
    M_PROC(M_START ",{'type':'parallelGateway','id':'fork'},{'type':'parallelGateway','id':'join'}," \
           M_USER("a") "," M_USER("b") "," M_USER("c") "," M_END, \
           "'start->fork->a->join->c->end', 'fork->b->join'")
/* start → sub { s1 → inner { s2 → deep → e2 } → e1 } → after → end */
#define M_NESTED_INNER \
    M_SUB("inner", "{'type':'startEvent','id':'s2'}," M_USER("deep") ",{'type':'endEvent','id':'e2'}", "'s2->deep->e2'")
#define M_NESTED \
    M_PROC(M_START "," M_SUB("sub", "{'type':'startEvent','id':'s1'}," M_NESTED_INNER ",{'type':'endEvent','id':'e1'}", \
                             "'s1->inner->e1'") "," M_USER("after") "," M_END, \
           "'start->sub->after->end'")

/* 2026-01-01T00:00:00.000Z: the instant every scenario starts at. */
#define SC_T0 INT64_C(1767225600000)

typedef struct scenario {
    int32_t handle;     /* compiled model; 0 if the compile failed */
    cJSON *compiled;    /* the compile's result document */
    cJSON *state;       /* the state document the host holds (NULL before start) */
    cJSON *index;       /* the index of that state */
    cJSON *last;        /* the last command's result document, parsed */
    char *last_text;    /* ... and as the core wrote it */
    cJSON *query;       /* the last query's result */
    int64_t now;        /* `now` of the next command */
    unsigned seed;      /* counter behind the next idSeed */
    bool quiet;         /* true: failures the test expects are not printed */
    char **pool;        /* strings handed out to the test */
    size_t n_pool, cap_pool;
} scenario;

/* ---------------------------------------------------------------------------------------------- */
/* strings                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

SC_API char *sc_keep(scenario *s, char *text) {
    if (!text) return NULL;
    if (s->n_pool == s->cap_pool) {
        s->cap_pool = s->cap_pool ? 2 * s->cap_pool : 32;
        s->pool = realloc(s->pool, s->cap_pool * sizeof *s->pool);
        if (!s->pool) abort();
    }
    s->pool[s->n_pool++] = text;
    return text;
}

SC_API char *sc_dup(const char *text) {
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (!copy) abort();
    memcpy(copy, text, n);
    return copy;
}

SC_API char *sc_vprintf(const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *out = malloc((size_t)n + 1);
    if (!out) abort();
    vsnprintf(out, (size_t)n + 1, fmt, again);
    va_end(again);
    return out;
}

/* The compact notation: ' → ", ` → ' (in place). */
SC_API char *sc_quotes(char *text) {
    for (char *p = text; *p; p++) {
        if (*p == '\'') *p = '"';
        else if (*p == '`') *p = '\'';
    }
    return text;
}

/* A growing text buffer. */
typedef struct sc_buf {
    char *text;
    size_t n, cap;
} sc_buf;

SC_API void sc_buf_add(sc_buf *b, const char *text) {
    size_t len = strlen(text);
    if (b->n + len + 1 > b->cap) {
        while (b->n + len + 1 > b->cap) b->cap = b->cap ? 2 * b->cap : 256;
        b->text = realloc(b->text, b->cap);
        if (!b->text) abort();
    }
    memcpy(b->text + b->n, text, len + 1);
    b->n += len;
}

/* ---------------------------------------------------------------------------------------------- */
/* host delegates                                                                                 */
/* ---------------------------------------------------------------------------------------------- */

/* A delegate computing its reply from the request; returns reply text (compact notation allowed)
 * that the helper copies, or NULL for "no such delegate". */
typedef const char *(*sc_delegate_fn)(const cJSON *request);

#define SC_MAX_DELEGATES 32
SC_API struct {
    char name[64];
    char reply[512];
    sc_delegate_fn fn;
} sc_delegates[SC_MAX_DELEGATES];
SC_API int sc_n_delegates;
/* Every host call in order: "name:event:activityId " */
SC_API char sc_calls[4096];

SC_API char *sc_host(const char *request, size_t len) {
    cJSON *req = cJSON_ParseWithLength(request, len);
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "delegate"));
    const char *event = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "event"));
    const char *activity = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "activityId"));
    char line[256];
    snprintf(line, sizeof line, "%s:%s:%s ", name ? name : "?", event ? event : "?", activity ? activity : "?");
    if (strlen(sc_calls) + strlen(line) < sizeof sc_calls) strcat(sc_calls, line);
    const char *reply = NULL;
    for (int i = 0; name && i < sc_n_delegates; i++) {
        if (strcmp(sc_delegates[i].name, name) != 0) continue;
        reply = sc_delegates[i].fn ? sc_delegates[i].fn(req) : sc_delegates[i].reply;
        break;
    }
    char *out = NULL;
    if (reply) {
        out = detour_alloc(strlen(reply) + 1);
        memcpy(out, reply, strlen(reply) + 1);
        sc_quotes(out);
    }
    cJSON_Delete(req);
    return out;
}

/* Forgets every delegate and the call log, and installs the hook. */
SC_API void sc_delegates_reset(void) {
    sc_n_delegates = 0;
    sc_calls[0] = '\0';
    detour_set_host_invoke(sc_host);
}

SC_API void sc_delegate_add(const char *name, const char *reply, sc_delegate_fn fn) {
    if (sc_n_delegates == SC_MAX_DELEGATES) abort();
    snprintf(sc_delegates[sc_n_delegates].name, sizeof sc_delegates[0].name, "%s", name);
    snprintf(sc_delegates[sc_n_delegates].reply, sizeof sc_delegates[0].reply, "%s", reply ? reply : "");
    sc_delegates[sc_n_delegates].fn = fn;
    sc_n_delegates++;
}

SC_API void sc_delegate(const char *name, const char *reply) { sc_delegate_add(name, reply, NULL); }
SC_API void sc_delegate_fn_add(const char *name, sc_delegate_fn fn) { sc_delegate_add(name, NULL, fn); }

/* ---------------------------------------------------------------------------------------------- */
/* compiling                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

/* Expands "a->b->c" entries of every "flows" array (recursively through "elements"). */
SC_API void sc_expand_flows(cJSON *scope) {
    cJSON *flows = cJSON_GetObjectItemCaseSensitive(scope, "flows");
    if (cJSON_IsArray(flows)) {
        cJSON *expanded = cJSON_CreateArray();
        cJSON *f;
        cJSON_ArrayForEach(f, flows) {
            if (!cJSON_IsString(f)) {
                cJSON_AddItemToArray(expanded, cJSON_Duplicate(f, 1));
                continue;
            }
            char *chain = sc_dup(f->valuestring);
            char *prev = NULL;
            for (char *part = chain; part;) {
                char *arrow = strstr(part, "->");
                if (arrow) *arrow = '\0';
                while (*part == ' ') part++;
                for (char *end = part + strlen(part); end > part && end[-1] == ' ';) *--end = '\0';
                if (prev) {
                    char id[256];
                    snprintf(id, sizeof id, "%s_%s", prev, part);
                    cJSON *flow = cJSON_CreateObject();
                    cJSON_AddStringToObject(flow, "id", id);
                    cJSON_AddStringToObject(flow, "sourceRef", prev);
                    cJSON_AddStringToObject(flow, "targetRef", part);
                    cJSON_AddItemToArray(expanded, flow);
                }
                prev = part;
                part = arrow ? arrow + 2 : NULL;
            }
            free(chain);
        }
        cJSON_ReplaceItemInObjectCaseSensitive(scope, "flows", expanded);
    }
    cJSON *elements = cJSON_GetObjectItemCaseSensitive(scope, "elements");
    cJSON *el;
    cJSON_ArrayForEach(el, elements) sc_expand_flows(el);
}

/* The model document for a process part in compact notation: definition id "<pid>:1:test". */
SC_API char *sc_model_document(const char *process_compact) {
    char *text = sc_quotes(sc_dup(process_compact));
    cJSON *process = cJSON_Parse(text);
    free(text);
    if (!process) return NULL;
    sc_expand_flows(process);
    const char *pid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(process, "id"));
    char def_id[128];
    snprintf(def_id, sizeof def_id, "%s:1:test", pid ? pid : "proc");
    cJSON *doc = cJSON_CreateObject();
    cJSON *def = cJSON_AddObjectToObject(doc, "definition");
    cJSON_AddStringToObject(def, "id", def_id);
    cJSON_AddStringToObject(def, "key", pid ? pid : "proc");
    cJSON_AddStringToObject(def, "name", "Test process");
    cJSON_AddNumberToObject(def, "version", 1);
    cJSON_AddNullToObject(def, "tenantId");
    cJSON_AddItemToObject(doc, "process", process);
    char *out = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return out;
}

/* Compiles the process (compact notation). On failure s->handle is 0 and the compile's error is
 * printed (unless `quiet`); sc_compile_error gives it. */
SC_API bool sc_open_with(scenario *s, const char *process_compact, bool quiet) {
    memset(s, 0, sizeof *s);
    s->quiet = quiet;
    s->now = SC_T0;
    s->seed = 1;
    char *doc = sc_model_document(process_compact);
    if (!doc) {
        fprintf(stderr, "scenario: the model is not valid JSON: %s\n", process_compact);
        return false;
    }
    char *out = detour_compile(doc, strlen(doc));
    free(doc);
    s->compiled = cJSON_Parse(out);
    detour_free(out);
    const cJSON *handle = cJSON_GetObjectItemCaseSensitive(s->compiled, "handle");
    if (!cJSON_IsNumber(handle)) {
        if (s->quiet) return false;
        char *text = cJSON_PrintUnformatted(s->compiled);
        fprintf(stderr, "scenario: compile failed: %s\n", text ? text : "?");
        free(text);
        return false;
    }
    s->handle = (int32_t)handle->valuedouble;
    return true;
}

SC_API bool sc_open(scenario *s, const char *process_compact) { return sc_open_with(s, process_compact, false); }

/* For models the compile is expected to refuse: true if it did (nothing printed). */
SC_API bool sc_compile_fails(scenario *s, const char *process_compact) {
    return !sc_open_with(s, process_compact, true);
}

SC_API void sc_close(scenario *s) {
    if (s->handle) detour_release(s->handle);
    cJSON_Delete(s->compiled);
    cJSON_Delete(s->state);
    cJSON_Delete(s->index);
    cJSON_Delete(s->last);
    cJSON_Delete(s->query);
    free(s->last_text);
    for (size_t i = 0; i < s->n_pool; i++) free(s->pool[i]);
    free(s->pool);
    memset(s, 0, sizeof *s);
}

/* "Type: message" of a compile error, or NULL. */
SC_API const char *sc_compile_error(scenario *s) {
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(s->compiled, "error");
    if (!e) return NULL;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s: %s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type")),
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message")));
    return sc_keep(s, sc_dup(buf));
}

/* ---------------------------------------------------------------------------------------------- */
/* running commands                                                                               */
/* ---------------------------------------------------------------------------------------------- */

/* The idSeed of the n-th command. */
SC_API void sc_seed_text(unsigned n, char out[33]) { snprintf(out, 33, "5eed%028x", n); }

/* Runs raw command text as given (no filling in); the result replaces s->last. */
SC_API const cJSON *sc_raw(scenario *s, const char *command, size_t len) {
    char *out = detour_execute(s->handle, command, len);
    cJSON_Delete(s->last);
    free(s->last_text);
    s->last_text = out ? sc_dup(out) : NULL;
    s->last = out ? cJSON_Parse(out) : NULL;
    detour_free(out);
    return s->last;
}

/* Runs a command (printf format, compact notation). Fills in now, idSeed and the current state
 * where the command does not give them. A result with a state becomes the current state. */
SC_API const cJSON *sc_do(scenario *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = sc_quotes(sc_vprintf(fmt, ap));
    va_end(ap);
    cJSON *cmd = cJSON_Parse(text);
    if (!cmd) {
        fprintf(stderr, "scenario: the command is not valid JSON: %s\n", text);
        free(text);
        cJSON_Delete(s->last);
        s->last = NULL;
        return NULL;
    }
    free(text);
    if (!cJSON_GetObjectItemCaseSensitive(cmd, "now")) cJSON_AddNumberToObject(cmd, "now", (double)s->now);
    if (!cJSON_GetObjectItemCaseSensitive(cmd, "idSeed")) {
        char seed[33];
        sc_seed_text(s->seed++, seed);
        cJSON_AddStringToObject(cmd, "idSeed", seed);
    }
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cmd, "command"));
    bool is_start = name && strcmp(name, "start") == 0;
    if (!is_start && s->state && !cJSON_GetObjectItemCaseSensitive(cmd, "state"))
        cJSON_AddItemToObject(cmd, "state", cJSON_Duplicate(s->state, 1));
    char *command = cJSON_PrintUnformatted(cmd);
    cJSON_Delete(cmd);
    sc_raw(s, command, strlen(command));
    free(command);
    cJSON *state = cJSON_GetObjectItemCaseSensitive(s->last, "state");
    if (state) {
        cJSON_Delete(s->state);
        s->state = cJSON_Duplicate(state, 1);
        cJSON_Delete(s->index);
        s->index = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(s->last, "index"), 1);
    }
    return s->last;
}

/* "Type: message" of the last command's error, or NULL if it succeeded. */
SC_API const char *sc_error(scenario *s) {
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(s->last, "error");
    if (!e) return s->last ? NULL : "(no result)";
    char *text = NULL;
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type"));
    const char *message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
    size_t n = strlen(type ? type : "?") + strlen(message ? message : "?") + 3;
    text = malloc(n);
    if (!text) abort();
    snprintf(text, n, "%s: %s", type ? type : "?", message ? message : "?");
    return sc_keep(s, text);
}

/* Prints the error of the last command (if any) and says whether it succeeded. */
SC_API bool sc_ok(scenario *s) {
    const char *err = sc_error(s);
    if (err && !s->quiet) fprintf(stderr, "scenario: command failed: %s\n", err);
    return err == NULL;
}

/* The last command's error message alone, or NULL. */
SC_API const char *sc_error_message(scenario *s) {
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(s->last, "error");
    return e ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message")) : NULL;
}

SC_API const char *sc_error_type(scenario *s) {
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(s->last, "error");
    return e ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "type")) : NULL;
}

/* The last command's `result` part. */
SC_API const cJSON *sc_result(scenario *s) { return cJSON_GetObjectItemCaseSensitive(s->last, "result"); }

/* Starts the instance: sc_start(s, NULL) or with extra fields, e.g. "'variables':{...}". */
SC_API bool sc_start(scenario *s, const char *extra) {
    if (extra) sc_do(s, "{'command':'start',%s}", extra);
    else sc_do(s, "{'command':'start'}");
    return sc_ok(s);
}

/* ---------------------------------------------------------------------------------------------- */
/* reading the state and the index                                                                */
/* ---------------------------------------------------------------------------------------------- */

SC_API const char *sc_str(const cJSON *o, const char *key) {
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

SC_API double sc_num(const cJSON *o, const char *key) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(n) ? n->valuedouble : -999;
}

SC_API const char *sc_instance_id(scenario *s) { return sc_str(s->state, "id"); }

SC_API bool sc_ended(scenario *s) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s->state, "ended")); }

SC_API const char *sc_end_state(scenario *s) { return sc_str(s->state, "endState"); }

/* The i-th entry of index array `array` (tasks, externalTasks, jobs, subscriptions, incidents)
 * whose `field` equals `value` (value NULL: any). */
SC_API const cJSON *sc_entry(scenario *s, const char *array, const char *field, const char *value, int i) {
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(s->index, array)) {
        const char *v = field ? sc_str(item, field) : NULL;
        if (!value || (v && strcmp(v, value) == 0)) {
            if (i-- == 0) return item;
        }
    }
    return NULL;
}

SC_API int sc_count(scenario *s, const char *array, const char *field, const char *value) {
    int n = 0;
    while (sc_entry(s, array, field, value, n)) n++;
    return n;
}

/* A field of an index entry, kept in the pool (NULL if there is no such entry). */
SC_API const char *sc_field(scenario *s, const cJSON *entry, const char *field) {
    const char *v = sc_str(entry, field);
    return v ? sc_keep(s, sc_dup(v)) : NULL;
}

/* Ids of the first user task / external task / job / subscription / incident at an activity. */
SC_API const char *sc_task(scenario *s, const char *key) {
    return sc_field(s, sc_entry(s, "tasks", "taskDefinitionKey", key, 0), "id");
}
SC_API const char *sc_ext(scenario *s, const char *activity) {
    return sc_field(s, sc_entry(s, "externalTasks", "activityId", activity, 0), "id");
}
SC_API const char *sc_job(scenario *s, const char *activity) {
    return sc_field(s, sc_entry(s, "jobs", "activityId", activity, 0), "id");
}

/* Number of user tasks at `key` (NULL: all). */
SC_API int sc_tasks(scenario *s, const char *key) { return sc_count(s, "tasks", "taskDefinitionKey", key); }

/* Sorted, comma-separated taskDefinitionKeys of the open user tasks: "a,b,b". */
SC_API const char *sc_task_keys(scenario *s) {
    const char *keys[256];
    int n = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(s->index, "tasks")) {
        if (n < 256) keys[n++] = sc_str(item, "taskDefinitionKey");
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    sc_buf b = {0};
    sc_buf_add(&b, "");
    for (int i = 0; i < n; i++) {
        if (i) sc_buf_add(&b, ",");
        sc_buf_add(&b, keys[i]);
    }
    return sc_keep(s, b.text);
}

/* ---------------------------------------------------------------------------------------------- */
/* queries                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

/* Runs a query command with the current state; returns its `result` (valid until the next query)
 * or NULL (the error is printed). */
SC_API const cJSON *sc_query(scenario *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = sc_quotes(sc_vprintf(fmt, ap));
    va_end(ap);
    cJSON *cmd = cJSON_Parse(text);
    free(text);
    if (!cmd) return NULL;
    if (s->state && !cJSON_GetObjectItemCaseSensitive(cmd, "state"))
        cJSON_AddItemToObject(cmd, "state", cJSON_Duplicate(s->state, 1));
    char *command = cJSON_PrintUnformatted(cmd);
    cJSON_Delete(cmd);
    char *out = detour_execute(s->handle, command, strlen(command));
    free(command);
    cJSON_Delete(s->query);
    s->query = cJSON_Parse(out);
    if ((cJSON_GetObjectItemCaseSensitive(s->query, "error") || !s->query) && !s->quiet)
        fprintf(stderr, "scenario: query failed: %s\n", out ? out : "(null)");
    detour_free(out);
    return cJSON_GetObjectItemCaseSensitive(s->query, "result");
}

SC_API const cJSON *sc_activity_instances(scenario *s) { return sc_query(s, "{'command':'activityInstances'}"); }

SC_API int sc_cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* One node of the compact tree: "activityId(children...)", transition instances as "~activityId",
 * children sorted. The root is shown by its definition key (the part of its id before ':'). */
SC_API char *sc_tree_node(const cJSON *node, bool root) {
    char name[256];
    const char *id = sc_str(node, "activityId");
    snprintf(name, sizeof name, "%s", id ? id : "?");
    if (root) {
        char *colon = strchr(name, ':');
        if (colon) *colon = '\0';
    }
    char *children[256];
    int n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(node, "childActivityInstances")) {
        if (n < 256) children[n++] = sc_tree_node(c, false);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(node, "childTransitionInstances")) {
        char t[256];
        const char *tid = sc_str(c, "activityId");
        snprintf(t, sizeof t, "~%s", tid ? tid : "?");
        if (n < 256) children[n++] = sc_dup(t);
    }
    qsort(children, (size_t)n, sizeof *children, sc_cmp_str);
    sc_buf b = {0};
    sc_buf_add(&b, name);
    if (n) {
        sc_buf_add(&b, "(");
        for (int i = 0; i < n; i++) {
            if (i) sc_buf_add(&b, ",");
            sc_buf_add(&b, children[i]);
            free(children[i]);
        }
        sc_buf_add(&b, ")");
    }
    return b.text;
}

/* The activity instance tree as a compact string, e.g. "proc(sub(subTask),taskB)". */
SC_API const char *sc_tree(scenario *s) {
    const cJSON *tree = sc_activity_instances(s);
    if (!tree) return sc_keep(s, sc_dup("(error)"));
    return sc_keep(s, sc_tree_node(tree, true));
}

/* The first node (depth first) of the last activityInstances result with this activityId:
 * an activity instance or a transition instance. */
SC_API const cJSON *sc_node_in(const cJSON *node, const char *activity_id) {
    if (!node) return NULL;
    const char *id = sc_str(node, "activityId");
    if (id && strcmp(id, activity_id) == 0) return node;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(node, "childActivityInstances")) {
        const cJSON *found = sc_node_in(c, activity_id);
        if (found) return found;
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(node, "childTransitionInstances")) {
        const cJSON *found = sc_node_in(c, activity_id);
        if (found) return found;
    }
    return NULL;
}

/* The activity instance id of the first instance of `activity_id` in the current tree. */
SC_API const char *sc_instance_of(scenario *s, const char *activity_id) {
    const cJSON *node = sc_node_in(sc_activity_instances(s), activity_id);
    return node ? sc_field(s, node, "id") : NULL;
}

/* "Type value" of variable `name` in a variables map (value printed as JSON), "(absent)" if not
 * there: e.g. "Integer 3", "String \"a\"", "Null null". */
SC_API const char *sc_value(scenario *s, const cJSON *vars, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(vars, name);
    if (!v) return "(absent)";
    const char *type = sc_str(v, "type");
    char *value = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(v, "value"));
    size_t n = strlen(type ? type : "?") + strlen(value ? value : "?") + 2;
    char *out = malloc(n);
    if (!out) abort();
    snprintf(out, n, "%s %s", type ? type : "?", value ? value : "?");
    free(value);
    return sc_keep(s, out);
}

/* A visible variable of the process instance (the `variables` query without parameters). */
SC_API const char *sc_var(scenario *s, const char *name) {
    return sc_value(s, sc_query(s, "{'command':'variables'}"), name);
}

/* Sorted, comma-separated names in a variables map. */
SC_API const char *sc_names(scenario *s, const cJSON *vars) {
    char *names[256];
    int n = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, vars) {
        if (n < 256) names[n++] = v->string;
    }
    qsort(names, (size_t)n, sizeof *names, sc_cmp_str);
    sc_buf b = {0};
    sc_buf_add(&b, "");
    for (int i = 0; i < n; i++) {
        if (i) sc_buf_add(&b, ",");
        sc_buf_add(&b, names[i]);
    }
    return sc_keep(s, b.text);
}

/* ---------------------------------------------------------------------------------------------- */
/* history                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

SC_API const cJSON *sc_history_events(scenario *s) { return cJSON_GetObjectItemCaseSensitive(s->last, "history"); }

/* The last command's history as "type(subject) ...": the subject is the activityId for activity
 * events, the name for variable events, the taskDefinitionKey for task events, the state for
 * processInstanceEnd. */
SC_API const char *sc_history(scenario *s) {
    sc_buf b = {0};
    sc_buf_add(&b, "");
    const cJSON *e;
    cJSON_ArrayForEach(e, sc_history_events(s)) {
        const char *type = sc_str(e, "type");
        const char *subject = NULL;
        if (!type) type = "?";
        if (strncmp(type, "activityInstance", 16) == 0) subject = sc_str(e, "activityId");
        else if (strncmp(type, "variable", 8) == 0) subject = sc_str(e, "name");
        else if (strncmp(type, "task", 4) == 0) subject = sc_str(e, "taskDefinitionKey");
        else if (strcmp(type, "processInstanceEnd") == 0) subject = sc_str(e, "state");
        else if (strncmp(type, "incident", 8) == 0) subject = sc_str(e, "activityId");
        if (b.n) sc_buf_add(&b, " ");
        sc_buf_add(&b, type);
        if (subject) {
            sc_buf_add(&b, "(");
            sc_buf_add(&b, subject);
            sc_buf_add(&b, ")");
        }
    }
    return sc_keep(s, b.text);
}

/* The i-th history event of the last command of this type whose `field` equals `value`
 * (field NULL: any). */
SC_API const cJSON *sc_event(scenario *s, const char *type, const char *field, const char *value, int i) {
    const cJSON *e;
    cJSON_ArrayForEach(e, sc_history_events(s)) {
        const char *t = sc_str(e, "type");
        if (!t || strcmp(t, type) != 0) continue;
        const char *v = field ? sc_str(e, field) : NULL;
        if (field && (!v || strcmp(v, value) != 0)) continue;
        if (i-- == 0) return e;
    }
    return NULL;
}

SC_API int sc_events(scenario *s, const char *type, const char *field, const char *value) {
    int n = 0;
    while (sc_event(s, type, field, value, n)) n++;
    return n;
}

#endif
