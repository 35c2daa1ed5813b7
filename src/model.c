/*
 * model.c — compiling a model document (docs/model-format.md) into the read-only graph of model.h.
 *
 * Compilation runs top-down in three passes so that every reference is checked before it is used:
 *   1. structure: walk process.elements and, recursively, each subprocess's elements; create one
 *      model_element per flow node (two for a multi-instance activity: body and inner), register
 *      every id, read the element's own fields, then read the scope's sequence flows;
 *   2. links: default flows, boundary attachments, start events (`initial`), flow constraints;
 *   3. derived: is_scope, and the reachability bitmaps inclusive joins need.
 *
 * Invariants:
 *  - Everything allocated is owned by the model the moment it exists (elements in m->elements,
 *    flows in m->flows, arrays zero-filled before they are filled in), so model_free releases a
 *    half-built model after any error, whatever pass failed.
 *  - A document is untrusted input: every field's JSON type is checked, nesting is bounded
 *    (MODEL_MAX_DEPTH subprocess levels, MODEL_MAX_IO_DEPTH list/map levels) and so are sizes;
 *    a bad document yields an error, never a crash. Unknown fields are ignored.
 *  - Sequence flows and boundary events of a multi-instance activity X attach to its body: the
 *    id "X" always names the inner activity, flow_node(inner) gives the body.
 */
#include "model.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

#define MI_BODY_SUFFIX "#multiInstanceBody"

enum {
    MODEL_MAX_DEPTH = 64,      /* nested subprocess levels */
    MODEL_MAX_IO_DEPTH = 32,   /* nested camunda:list / camunda:map levels */
    MODEL_MAX_ELEMENTS = 100000,
};
/* Reachability costs n_elements bytes per element of a scope holding an inclusive gateway. */
#define MODEL_MAX_REACHABLE_BYTES ((size_t)64 * 1024 * 1024)

/* ---- id index: open addressing, capacity a power of two, at most half full ---- */

typedef struct index_slot {
    const char *key; /* borrowed from the element / flow it names */
    model_element *element;
    model_flow *flow;
} index_slot;

struct model_index {
    index_slot *slots;
    size_t cap;
    size_t count;
};

/* ---- compile state ---- */

typedef struct compiler {
    model *m;
    error *err;
    /* JSON of m->elements[i] (same index); NULL for MI bodies, which have no JSON of their own. */
    const cJSON **sources;
} compiler;

static bool compile_definition(compiler *c, const cJSON *doc);
static bool compile_process(compiler *c, const cJSON *process);
static bool compile_scope(compiler *c, model_element *scope, const cJSON *json, int depth);
static bool compile_element(compiler *c, model_element *scope, const cJSON *json, size_t pos, int depth);
static bool compile_flow(compiler *c, model_element *scope, const cJSON *json, size_t pos);
static bool link_element(compiler *c, model_element *el, const cJSON *json);
static bool check_scope(compiler *c, model_element *scope);
static bool compute_reachable(compiler *c);
static void free_element(model_element *el);
static void free_flow(model_flow *f);

/* ======================================================================== small helpers === */

static bool oom(compiler *c) { return error_set(c->err, ERR_ENGINE, "Out of memory while compiling the model"); }

/* Makes room for item n of an array whose capacity is implicitly the next power of two ≥ n, so
 * that no capacity field is needed. *arr is replaced only on success. */
static bool array_reserve(void **arr, size_t n, size_t size) {
    if (n && (n & (n - 1))) return true; /* n is not a power of two: there is room */
    size_t cap = n ? n * 2 : 1;
    if (cap > SIZE_MAX / size) return false;
    void *p = realloc(*arr, cap * size);
    if (!p) return false;
    *arr = p;
    return true;
}

static bool push_element(compiler *c, model_element ***arr, size_t *n, model_element *el) {
    void *p = *arr;
    if (!array_reserve(&p, *n, sizeof **arr)) return oom(c);
    *arr = p;
    (*arr)[(*n)++] = el;
    return true;
}

static bool push_flow(compiler *c, model_flow ***arr, size_t *n, model_flow *f) {
    void *p = *arr;
    if (!array_reserve(&p, *n, sizeof **arr)) return oom(c);
    *arr = p;
    (*arr)[(*n)++] = f;
    return true;
}

static bool copy_string(compiler *c, const char *s, char **out) {
    *out = NULL;
    if (!s) return true;
    *out = str_dup(s);
    return *out ? true : oom(c);
}

/* Compiles an expression; a syntax error becomes a ParseException naming the owner element. */
static bool compile_expr(compiler *c, const char *text, const char *what, const char *owner, expr **out) {
    error e = {0};
    *out = expr_compile(text, &e);
    if (*out) return true;
    error_set(c->err, ERR_PARSE, "Invalid %s in element '%s': %s", what, owner,
              e.message ? e.message : "malformed expression");
    error_clear(&e);
    return false;
}

static void free_expr(expr *e) {
    if (e) expr_free(e);
}

/* ---- typed JSON field access: absent and null read as "not set"; a wrong type is an error ---- */

static bool bad_field(compiler *c, const char *field, const char *owner, const char *want) {
    return error_set(c->err, ERR_PARSE, "Invalid model document: '%s' of '%s' must be %s", field, owner, want);
}

static bool opt_string(compiler *c, const cJSON *obj, const char *field, const char *owner, const char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return true;
    if (!cJSON_IsString(v) || !v->valuestring) return bad_field(c, field, owner, "a string");
    *out = v->valuestring;
    return true;
}

static bool req_string(compiler *c, const cJSON *obj, const char *field, const char *owner, const char **out) {
    if (!opt_string(c, obj, field, owner, out)) return false;
    if (!*out || !**out) return error_set(c->err, ERR_PARSE, "Invalid model document: '%s' of '%s' is missing", field, owner);
    return true;
}

static bool opt_bool(compiler *c, const cJSON *obj, const char *field, const char *owner, bool dflt, bool *out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
    *out = dflt;
    if (!v || cJSON_IsNull(v)) return true;
    if (!cJSON_IsBool(v)) return bad_field(c, field, owner, "true or false");
    *out = cJSON_IsTrue(v);
    return true;
}

static bool opt_array(compiler *c, const cJSON *obj, const char *field, const char *owner, const cJSON **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return true;
    if (!cJSON_IsArray(v)) return bad_field(c, field, owner, "an array");
    *out = v;
    return true;
}

static bool opt_object(compiler *c, const cJSON *obj, const char *field, const char *owner, const cJSON **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return true;
    if (!cJSON_IsObject(v)) return bad_field(c, field, owner, "an object");
    *out = v;
    return true;
}

static size_t array_size(const cJSON *arr) {
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    return n > 0 ? (size_t)n : 0;
}

/* ============================================================================ id index === */

static size_t index_hash(const char *s) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static index_slot *index_find(const struct model_index *ix, const char *key) {
    if (!ix || !ix->cap || !key) return NULL;
    for (size_t i = index_hash(key) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        index_slot *s = &ix->slots[i];
        if (!s->key) return NULL;
        if (strcmp(s->key, key) == 0) return s;
    }
}

static bool index_grow(struct model_index *ix) {
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    index_slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < ix->cap; i++) {
        if (!ix->slots[i].key) continue;
        size_t j = index_hash(ix->slots[i].key) & (cap - 1);
        while (slots[j].key) j = (j + 1) & (cap - 1);
        slots[j] = ix->slots[i];
    }
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    return true;
}

/* Registers an id; ids are unique across elements and flows, as in BPMN. */
static bool index_add(compiler *c, const char *key, model_element *el, model_flow *f) {
    struct model_index *ix = c->m->lookup;
    if (index_find(ix, key)) return error_set(c->err, ERR_PARSE, "Duplicate id '%s'", key);
    if ((ix->count + 1) * 2 > ix->cap && !index_grow(ix)) return oom(c);
    size_t i = index_hash(key) & (ix->cap - 1);
    while (ix->slots[i].key) i = (i + 1) & (ix->cap - 1);
    ix->slots[i] = (index_slot){key, el, f};
    ix->count++;
    return true;
}

/* ====================================================================== public entry === */

model *model_compile(const cJSON *doc, error *err) {
    model *m = calloc(1, sizeof *m);
    compiler c = {m, err, NULL};
    if (!m) {
        error_set(err, ERR_ENGINE, "Out of memory while compiling the model");
        return NULL;
    }
    m->lookup = calloc(1, sizeof *m->lookup);
    if (!m->lookup) {
        oom(&c);
        goto fail;
    }
    if (!cJSON_IsObject(doc)) {
        error_set(err, ERR_PARSE, "Invalid model document: expected a JSON object");
        goto fail;
    }
    if (!compile_definition(&c, doc)) goto fail;
    const cJSON *process = cJSON_GetObjectItemCaseSensitive(doc, "process");
    if (!cJSON_IsObject(process)) {
        error_set(err, ERR_PARSE, "Invalid model document: 'process' must be an object");
        goto fail;
    }
    if (!compile_process(&c, process)) goto fail;
    free(c.sources);
    return m;
fail:
    free(c.sources);
    model_free(m);
    return NULL;
}

static bool compile_definition(compiler *c, const cJSON *doc) {
    model *m = c->m;
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(doc, "definition");
    if (!cJSON_IsObject(def)) return error_set(c->err, ERR_PARSE, "Invalid model document: 'definition' must be an object");
    const char *id, *key, *name, *tenant;
    if (!req_string(c, def, "id", "definition", &id) || !req_string(c, def, "key", "definition", &key) ||
        !opt_string(c, def, "name", "definition", &name) || !opt_string(c, def, "tenantId", "definition", &tenant))
        return false;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(def, "version");
    m->version = 1;
    if (version && !cJSON_IsNull(version)) {
        double v = cJSON_IsNumber(version) ? version->valuedouble : 0;
        if (!(v >= 1 && v <= INT_MAX) || v != (double)(int)v)
            return bad_field(c, "version", "definition", "an integer of at least 1");
        m->version = (int)v;
    }
    return copy_string(c, id, &m->definition_id) && copy_string(c, key, &m->definition_key) &&
           copy_string(c, name, &m->definition_name) && copy_string(c, tenant, &m->tenant_id);
}

/* ======================================================================= pass 1: structure === */

/* Allocates an element owned by the model (registered in m->elements with its JSON source). */
static model_element *new_element(compiler *c, const cJSON *source) {
    model *m = c->m;
    if (m->n_elements >= MODEL_MAX_ELEMENTS) {
        error_set(c->err, ERR_PARSE, "Process has more than %d elements", MODEL_MAX_ELEMENTS);
        return NULL;
    }
    void *p = c->sources;
    if (!array_reserve(&p, m->n_elements, sizeof *c->sources)) {
        oom(c);
        return NULL;
    }
    c->sources = p;
    model_element *el = calloc(1, sizeof *el);
    if (!el) {
        oom(c);
        return NULL;
    }
    el->cancel_activity = true;
    el->is_interrupting = true;
    size_t index = m->n_elements;
    if (!push_element(c, &m->elements, &m->n_elements, el)) {
        free(el);
        return NULL;
    }
    el->index = index;
    c->sources[index] = source;
    return el;
}

/* The element that sequence flows and boundary events attach to: the body of an MI activity. */
static model_element *flow_node(model_element *el) {
    if (el && el->parent && el->parent->kind == EL_MI_BODY && el->parent->inner == el) return el->parent;
    return el;
}

static bool compile_listeners(compiler *c, const cJSON *owner_json, const char *owner, bool on_flow,
                              model_listener **out, size_t *n_out) {
    const cJSON *arr;
    if (!opt_array(c, owner_json, "listeners", owner, &arr)) return false;
    size_t n = array_size(arr);
    if (!n) return true;
    *out = calloc(n, sizeof **out);
    if (!*out) return oom(c);
    *n_out = n;
    size_t i = 0;
    for (const cJSON *j = arr->child; j && i < n; j = j->next, i++) {
        model_listener *l = &(*out)[i];
        if (!cJSON_IsObject(j)) return bad_field(c, "listeners", owner, "an array of objects");
        const char *event, *expression, *class_name, *delegate;
        if (!req_string(c, j, "event", owner, &event) || !opt_string(c, j, "expression", owner, &expression) ||
            !opt_string(c, j, "class", owner, &class_name) || !opt_string(c, j, "delegateExpression", owner, &delegate))
            return false;
        bool ok_event = on_flow ? strcmp(event, "take") == 0 : (strcmp(event, "start") == 0 || strcmp(event, "end") == 0);
        if (!ok_event)
            return error_set(c->err, ERR_PARSE, "Unsupported execution listener event '%s' on '%s' (allowed: %s)", event,
                             owner, on_flow ? "take" : "start, end");
        if (!copy_string(c, event, &l->event)) return false;
        if (expression) {
            l->kind = LISTENER_EXPRESSION;
            if (!compile_expr(c, expression, "listener expression", owner, &l->expression)) return false;
        } else if (class_name) {
            l->kind = LISTENER_CLASS;
            if (!copy_string(c, class_name, &l->class_name)) return false;
        } else if (delegate) {
            l->kind = LISTENER_DELEGATE_EXPRESSION;
            if (!compile_expr(c, delegate, "listener delegateExpression", owner, &l->expression)) return false;
        } else if (cJSON_GetObjectItemCaseSensitive(j, "script")) {
            return error_set(c->err, ERR_PARSE, "Script execution listeners are not supported (on '%s')", owner);
        } else {
            return error_set(c->err, ERR_PARSE,
                             "Execution listener on '%s' needs one of 'class', 'expression' or 'delegateExpression'", owner);
        }
    }
    return true;
}

/* Reads parameters (key_field "name"), list items (NULL) or map entries ("key"). */
static bool compile_io_items(compiler *c, const cJSON *arr, const char *key_field, const char *owner, int depth,
                             model_io **out, size_t *n_out) {
    size_t n = array_size(arr);
    if (!n) return true;
    if (depth > MODEL_MAX_IO_DEPTH)
        return error_set(c->err, ERR_PARSE, "Input/output lists and maps nested deeper than %d levels in '%s'",
                         MODEL_MAX_IO_DEPTH, owner);
    *out = calloc(n, sizeof **out);
    if (!*out) return oom(c);
    *n_out = n;
    size_t i = 0;
    for (const cJSON *j = arr->child; j && i < n; j = j->next, i++) {
        model_io *io = &(*out)[i];
        if (!cJSON_IsObject(j)) return bad_field(c, "inputOutput", owner, "made of objects");
        if (key_field) {
            const char *name;
            if (!req_string(c, j, key_field, owner, &name) || !copy_string(c, name, &io->name)) return false;
        }
        const cJSON *list, *map;
        if (!opt_array(c, j, "list", owner, &list) || !opt_array(c, j, "map", owner, &map)) return false;
        if (cJSON_GetObjectItemCaseSensitive(j, "script"))
            return error_set(c->err, ERR_PARSE, "Script input/output parameters are not supported (parameter '%s' of '%s')",
                             io->name ? io->name : "", owner);
        if (list) {
            io->kind = IO_LIST;
            if (!compile_io_items(c, list, NULL, owner, depth + 1, &io->items, &io->n_items)) return false;
        } else if (map) {
            io->kind = IO_MAP;
            if (!compile_io_items(c, map, "key", owner, depth + 1, &io->items, &io->n_items)) return false;
        } else {
            const char *text;
            io->kind = IO_TEXT;
            if (!opt_string(c, j, "value", owner, &text)) return false;
            if (text && !compile_expr(c, text, "input/output value", owner, &io->value)) return false;
        }
    }
    return true;
}

static bool compile_io(compiler *c, model_element *el, const cJSON *json, const char *type, bool mi) {
    const cJSON *io, *inputs, *outputs;
    if (!opt_object(c, json, "inputOutput", el->id, &io)) return false;
    if (!io) return true;
    if (!opt_array(c, io, "inputParameters", el->id, &inputs) || !opt_array(c, io, "outputParameters", el->id, &outputs))
        return false;
    if (!array_size(inputs) && !array_size(outputs)) return true;
    /* Camunda's restrictions (BpmnParse): no mappings where no activity instance holds them. */
    if (el->kind == EL_START_EVENT || el->kind == EL_EXCLUSIVE_GATEWAY || el->kind == EL_PARALLEL_GATEWAY ||
        el->kind == EL_INCLUSIVE_GATEWAY)
        return error_set(c->err, ERR_PARSE, "camunda:inputOutput mapping unsupported for element type '%s' (element '%s')",
                         type, el->id);
    if (el->triggered_by_event)
        return error_set(c->err, ERR_PARSE,
                         "camunda:inputOutput mapping unsupported for element type 'subProcess' with attribute "
                         "'triggeredByEvent = true' (element '%s')", el->id);
    if (array_size(outputs) && el->kind == EL_END_EVENT)
        return error_set(c->err, ERR_PARSE, "camunda:outputParameter not allowed for element type 'endEvent' (element '%s')",
                         el->id);
    if (array_size(outputs) && mi)
        return error_set(c->err, ERR_PARSE, "camunda:outputParameter not allowed for multi-instance constructs (element '%s')",
                         el->id);
    return compile_io_items(c, inputs, "name", el->id, 0, &el->inputs, &el->n_inputs) &&
           compile_io_items(c, outputs, "name", el->id, 0, &el->outputs, &el->n_outputs);
}

/* ---- element types ---- */

typedef struct type_info {
    const char *type;
    element_kind kind;
    const char *activity_type; /* NULL: decided by the event definition */
} type_info;

static const type_info TYPES[] = {
    {"startEvent", EL_START_EVENT, NULL},
    {"endEvent", EL_END_EVENT, NULL},
    {"intermediateCatchEvent", EL_INTERMEDIATE_CATCH, NULL},
    {"intermediateThrowEvent", EL_INTERMEDIATE_THROW, NULL},
    {"boundaryEvent", EL_BOUNDARY_EVENT, NULL},
    {"task", EL_TASK, "task"},
    {"manualTask", EL_TASK, "manualTask"},
    {"userTask", EL_USER_TASK, "userTask"},
    {"receiveTask", EL_RECEIVE_TASK, "receiveTask"},
    {"serviceTask", EL_SERVICE_TASK, "serviceTask"},
    {"sendTask", EL_SERVICE_TASK, "sendTask"},
    {"businessRuleTask", EL_SERVICE_TASK, "businessRuleTask"},
    {"exclusiveGateway", EL_EXCLUSIVE_GATEWAY, "exclusiveGateway"},
    {"parallelGateway", EL_PARALLEL_GATEWAY, "parallelGateway"},
    {"inclusiveGateway", EL_INCLUSIVE_GATEWAY, "inclusiveGateway"},
    {"subProcess", EL_SUB_PROCESS, "subProcess"},
};

static const type_info *type_lookup(const char *type) {
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(TYPES[i].type, type) == 0) return &TYPES[i];
    return NULL;
}

static bool is_activity_kind(element_kind k) {
    return k == EL_TASK || k == EL_USER_TASK || k == EL_RECEIVE_TASK || k == EL_SERVICE_TASK || k == EL_SUB_PROCESS;
}

static bool unsupported(compiler *c, const char *type, const char *id, const char *why) {
    if (why) return error_set(c->err, ERR_PARSE, "Unsupported BPMN element '%s' with id '%s': %s", type, id, why);
    return error_set(c->err, ERR_PARSE, "Unsupported BPMN element '%s' with id '%s'", type, id);
}

/* ---- events ---- */

/* Reads the (at most one) event definition into el->event and its fields. */
static bool compile_event_definition(compiler *c, model_element *el, const cJSON *json, const char *type) {
    const cJSON *defs;
    if (!opt_array(c, json, "eventDefinitions", el->id, &defs)) return false;
    size_t n = array_size(defs);
    el->event = EVT_NONE;
    if (!n) return true;
    if (n > 1) return unsupported(c, type, el->id, "multiple event definitions are not supported");
    const cJSON *def = defs->child;
    const char *dtype;
    if (!cJSON_IsObject(def)) return bad_field(c, "eventDefinitions", el->id, "an array of objects");
    if (!req_string(c, def, "type", el->id, &dtype)) return false;
    if (strcmp(dtype, "timerEventDefinition") == 0) {
        static const char *const fields[] = {"timeDate", "timeDuration", "timeCycle"};
        static const timer_kind kinds[] = {TIMER_DATE, TIMER_DURATION, TIMER_CYCLE};
        const char *value = NULL;
        int found = 0;
        for (int i = 0; i < 3; i++) {
            const char *v;
            if (!opt_string(c, def, fields[i], el->id, &v)) return false;
            if (v) {
                found++;
                value = v;
                el->timer = kinds[i];
            }
        }
        if (found != 1 || !*value)
            return error_set(c->err, ERR_PARSE, "Timer event '%s' needs exactly one non-empty timeDate, timeDuration or timeCycle",
                             el->id);
        el->event = EVT_TIMER;
        return compile_expr(c, value, "timer value", el->id, &el->timer_value);
    }
    if (strcmp(dtype, "messageEventDefinition") == 0) {
        const char *name, *ref;
        if (!opt_string(c, def, "messageName", el->id, &name) || !opt_string(c, def, "messageRef", el->id, &ref)) return false;
        if (!name || !*name)
            return error_set(c->err, ERR_PARSE, "Message event '%s' has no message name (messageRef '%s')", el->id,
                             ref ? ref : "");
        el->event = EVT_MESSAGE;
        return copy_string(c, name, &el->message_name);
    }
    if (strcmp(dtype, "errorEventDefinition") == 0) {
        const char *code;
        if (!opt_string(c, def, "errorCode", el->id, &code)) return false;
        el->event = EVT_ERROR;
        return copy_string(c, code, &el->error_code);
    }
    if (strcmp(dtype, "terminateEventDefinition") == 0) {
        el->event = EVT_TERMINATE;
        return true;
    }
    char why[160];
    snprintf(why, sizeof why, "%.100s is not supported", dtype);
    return unsupported(c, type, el->id, why);
}

static const char *event_name(event_kind e) {
    switch (e) {
    case EVT_MESSAGE: return "messageEventDefinition";
    case EVT_TIMER: return "timerEventDefinition";
    case EVT_ERROR: return "errorEventDefinition";
    case EVT_TERMINATE: return "terminateEventDefinition";
    default: return "no event definition";
    }
}

/* Which event definitions each event type runs, and the activity type that results. */
static bool compile_event(compiler *c, model_element *el, model_element *scope, const cJSON *json, const char *type) {
    if (!compile_event_definition(c, el, json, type)) return false;
    char why[200];
    switch (el->kind) {
    case EL_START_EVENT: {
        if (!opt_bool(c, json, "isInterrupting", el->id, true, &el->is_interrupting)) return false;
        bool in_event_sub = scope->kind == EL_SUB_PROCESS && scope->triggered_by_event;
        if (!in_event_sub) {
            if (el->event == EVT_NONE) {
                el->activity_type = "startEvent";
                return true;
            }
            snprintf(why, sizeof why, "only none start events are supported %s (found %s)",
                     scope->kind == EL_PROCESS ? "at the process level" : "in an embedded subprocess", event_name(el->event));
            return unsupported(c, type, el->id, why);
        }
        switch (el->event) {
        case EVT_TIMER: el->activity_type = "startTimerEvent"; return true;
        case EVT_MESSAGE: el->activity_type = "messageStartEvent"; return true;
        case EVT_ERROR:
            el->activity_type = "errorStartEvent";
            if (!el->is_interrupting)
                return error_set(c->err, ERR_PARSE, "Error start event '%s' of an event subprocess must be interrupting", el->id);
            return true;
        default:
            return error_set(c->err, ERR_PARSE,
                             "Start event '%s' of event subprocess '%s' needs a timer, message or error event definition",
                             el->id, scope->id);
        }
    }
    case EL_END_EVENT:
        switch (el->event) {
        case EVT_NONE: el->activity_type = "noneEndEvent"; return true;
        case EVT_TERMINATE: el->activity_type = "terminateEndEvent"; return true;
        case EVT_ERROR:
            el->activity_type = "errorEndEvent";
            if (!el->error_code || !*el->error_code)
                return error_set(c->err, ERR_PARSE, "Error end event '%s' needs an error code (an errorRef to an error with errorCode)",
                                 el->id);
            return true;
        default: break;
        }
        break;
    case EL_INTERMEDIATE_CATCH:
        if (el->event == EVT_TIMER) {
            el->activity_type = "intermediateTimer";
            return true;
        }
        if (el->event == EVT_MESSAGE) {
            el->activity_type = "intermediateMessageCatch";
            return true;
        }
        break;
    case EL_INTERMEDIATE_THROW:
        if (el->event == EVT_NONE) {
            el->activity_type = "intermediateNoneThrowEvent";
            return true;
        }
        break;
    case EL_BOUNDARY_EVENT:
        if (!opt_bool(c, json, "cancelActivity", el->id, true, &el->cancel_activity)) return false;
        switch (el->event) {
        case EVT_TIMER: el->activity_type = "boundaryTimer"; return true;
        case EVT_MESSAGE: el->activity_type = "boundaryMessage"; return true;
        case EVT_ERROR:
            el->activity_type = "boundaryError";
            if (!el->cancel_activity)
                return error_set(c->err, ERR_PARSE, "Error boundary event '%s' must be interrupting (cancelActivity true)", el->id);
            return true;
        default: break;
        }
        break;
    default:
        return true;
    }
    snprintf(why, sizeof why, "%.60s with %s is not supported", type, event_name(el->event));
    return unsupported(c, type, el->id, why);
}

/* ---- tasks ---- */

static bool compile_service_task(compiler *c, model_element *el, const cJSON *json, const char *type) {
    const char *camunda_type, *topic, *task_priority, *class_name, *delegate, *expression, *result, *connector, *decision;
    if (!opt_string(c, json, "camundaType", el->id, &camunda_type) || !opt_string(c, json, "topic", el->id, &topic) ||
        !opt_string(c, json, "taskPriority", el->id, &task_priority) || !opt_string(c, json, "class", el->id, &class_name) ||
        !opt_string(c, json, "delegateExpression", el->id, &delegate) ||
        !opt_string(c, json, "expression", el->id, &expression) ||
        !opt_string(c, json, "resultVariable", el->id, &result) || !opt_string(c, json, "connectorId", el->id, &connector) ||
        !opt_string(c, json, "decisionRef", el->id, &decision))
        return false;
    if (decision) return unsupported(c, type, el->id, "DMN decisions (camunda:decisionRef) are not supported");
    if (camunda_type) {
        if (strcmp(camunda_type, "external") != 0) {
            char why[160];
            snprintf(why, sizeof why, "camunda:type '%.100s' is not supported", camunda_type);
            return unsupported(c, type, el->id, why);
        }
        if (!topic || !*topic)
            return error_set(c->err, ERR_PARSE, "External tasks must specify a 'topic' attribute in the camunda namespace (%s '%s')",
                             type, el->id);
        el->impl = IMPL_EXTERNAL;
        if (task_priority && !compile_expr(c, task_priority, "task priority", el->id, &el->priority)) return false;
        return copy_string(c, topic, &el->topic);
    }
    if (class_name && *class_name) {
        el->impl = IMPL_CLASS;
        return copy_string(c, class_name, &el->class_name);
    }
    if (delegate && *delegate) {
        el->impl = IMPL_DELEGATE_EXPRESSION;
        return compile_expr(c, delegate, "delegateExpression", el->id, &el->impl_expression);
    }
    if (expression && *expression) {
        el->impl = IMPL_EXPRESSION;
        return compile_expr(c, expression, "expression", el->id, &el->impl_expression) &&
               copy_string(c, result, &el->result_variable);
    }
    if (connector) return unsupported(c, type, el->id, "camunda:connector is not supported");
    return error_set(c->err, ERR_PARSE,
                     "One of the attributes 'class', 'delegateExpression', 'type', or 'expression' is mandatory on %s '%s'.",
                     type, el->id);
}

static bool compile_task(compiler *c, model_element *el, const cJSON *json, const char *type) {
    switch (el->kind) {
    case EL_USER_TASK: {
        const char *assignee, *priority;
        const cJSON *task_listeners;
        if (!opt_string(c, json, "assignee", el->id, &assignee) || !opt_string(c, json, "priority", el->id, &priority) ||
            !opt_array(c, json, "taskListeners", el->id, &task_listeners))
            return false;
        if (array_size(task_listeners)) return unsupported(c, type, el->id, "camunda:taskListener is not supported");
        if (assignee && !compile_expr(c, assignee, "assignee", el->id, &el->assignee)) return false;
        if (priority && !compile_expr(c, priority, "priority", el->id, &el->priority)) return false;
        return true;
    }
    case EL_RECEIVE_TASK: {
        const char *name;
        return opt_string(c, json, "messageName", el->id, &name) && copy_string(c, name, &el->message_name);
    }
    case EL_SERVICE_TASK:
        return compile_service_task(c, el, json, type);
    default:
        return true;
    }
}

/* ---- multi-instance ---- */

static bool compile_multi_instance(compiler *c, model_element *body, const cJSON *lc, const char *id) {
    model_multi_instance *mi = calloc(1, sizeof *mi);
    if (!mi) return oom(c);
    body->mi = mi;
    const char *cardinality, *collection, *element_variable, *completion;
    if (!opt_bool(c, lc, "isSequential", id, false, &mi->sequential) ||
        !opt_string(c, lc, "loopCardinality", id, &cardinality) || !opt_string(c, lc, "collection", id, &collection) ||
        !opt_string(c, lc, "elementVariable", id, &element_variable) ||
        !opt_string(c, lc, "completionCondition", id, &completion) ||
        !opt_bool(c, lc, "asyncBefore", id, false, &body->async_before) ||
        !opt_bool(c, lc, "asyncAfter", id, false, &body->async_after))
        return false;
    if (cardinality && !*cardinality) cardinality = NULL;
    if (collection && !*collection) collection = NULL;
    if (!cardinality && !collection)
        return error_set(c->err, ERR_PARSE, "Either loopCardinality or loopDataInputRef/camunda:collection must be set (activity '%s')",
                         id);
    if (element_variable && *element_variable && !collection)
        return error_set(c->err, ERR_PARSE,
                         "LoopDataInputRef/camunda:collection must be set when using inputDataItem or camunda:elementVariable "
                         "(activity '%s')", id);
    if (cardinality && !compile_expr(c, cardinality, "loopCardinality", id, &mi->loop_cardinality)) return false;
    if (collection) {
        /* Camunda: a collection without '{' names a variable. */
        if (strchr(collection, '{')) {
            if (!compile_expr(c, collection, "collection", id, &mi->collection)) return false;
        } else {
            char *wrapped = str_printf("${%s}", collection);
            if (!wrapped) return oom(c);
            bool ok = compile_expr(c, wrapped, "collection", id, &mi->collection);
            free(wrapped);
            if (!ok) return false;
        }
    }
    if (completion && *completion && !compile_expr(c, completion, "completionCondition", id, &mi->completion_condition))
        return false;
    return element_variable && *element_variable ? copy_string(c, element_variable, &mi->element_variable) : true;
}

/* ---- one element ---- */

static bool compile_element(compiler *c, model_element *scope, const cJSON *json, size_t pos, int depth) {
    char where[80];
    snprintf(where, sizeof where, "element %zu of '%.40s'", pos, scope->id);
    if (!cJSON_IsObject(json)) return error_set(c->err, ERR_PARSE, "Invalid model document: %s must be an object", where);
    const char *type, *id, *name;
    if (!req_string(c, json, "type", where, &type) || !req_string(c, json, "id", where, &id) ||
        !opt_string(c, json, "name", id, &name))
        return false;
    const type_info *info = type_lookup(type);
    if (!info) return unsupported(c, type, id, NULL);

    bool for_compensation, triggered = false;
    const cJSON *lc;
    if (!opt_bool(c, json, "isForCompensation", id, false, &for_compensation) ||
        !opt_object(c, json, "loopCharacteristics", id, &lc))
        return false;
    if (for_compensation) return unsupported(c, type, id, "compensation handlers are not supported");
    if (info->kind == EL_SUB_PROCESS && !opt_bool(c, json, "triggeredByEvent", id, false, &triggered)) return false;
    if (lc) {
        const char *lc_type;
        if (!req_string(c, lc, "type", id, &lc_type)) return false;
        if (strcmp(lc_type, "multiInstanceLoopCharacteristics") != 0) {
            char why[160];
            snprintf(why, sizeof why, "%.100s is not supported", lc_type);
            return unsupported(c, type, id, why);
        }
        if (!is_activity_kind(info->kind) || triggered)
            return unsupported(c, type, id, "multi-instance is only supported on tasks and embedded subprocesses");
    }

    /* A multi-instance activity X: the body X#multiInstanceBody takes X's place in the scope. */
    model_element *place = NULL;
    if (lc) {
        model_element *body = new_element(c, NULL);
        if (!body) return false;
        body->id = str_printf("%s%s", id, MI_BODY_SUFFIX);
        if (!body->id) return oom(c);
        body->kind = EL_MI_BODY;
        body->activity_type = "multiInstanceBody";
        body->parent = scope;
        if (!index_add(c, body->id, body, NULL) || !compile_multi_instance(c, body, lc, id)) return false;
        place = body;
    }
    model_element *el = new_element(c, json);
    if (!el) return false;
    if (!copy_string(c, id, &el->id) || !copy_string(c, name, &el->name)) return false;
    el->kind = info->kind;
    el->activity_type = info->activity_type;
    el->triggered_by_event = triggered;
    if (!index_add(c, el->id, el, NULL)) return false;
    if (place) {
        el->parent = place;
        place->inner = el;
        if (!push_element(c, &place->children, &place->n_children, el)) return false;
    } else {
        el->parent = scope;
        place = el;
    }
    if (!push_element(c, &scope->children, &scope->n_children, place)) return false;

    bool legacy_async;
    if (!opt_bool(c, json, "asyncBefore", id, false, &el->async_before) ||
        !opt_bool(c, json, "asyncAfter", id, false, &el->async_after) ||
        !opt_bool(c, json, "async", id, false, &legacy_async))
        return false;
    el->async_before = el->async_before || legacy_async;
    if (place != el) {
        /* Camunda: the activity's async flags wrap the whole body. Those on
         * multiInstanceLoopCharacteristics would wrap each inner instance: not supported yet. */
        if (place->async_before || place->async_after)
            return unsupported(c, type, id, "asyncBefore/asyncAfter on multiInstanceLoopCharacteristics is not supported");
        place->async_before = el->async_before;
        place->async_after = el->async_after;
        el->async_before = el->async_after = false;
    }
    if (!compile_listeners(c, json, el->id, false, &el->listeners, &el->n_listeners)) return false;
    if (!compile_io(c, el, json, type, lc != NULL)) return false;

    switch (el->kind) {
    case EL_START_EVENT:
    case EL_END_EVENT:
    case EL_INTERMEDIATE_CATCH:
    case EL_INTERMEDIATE_THROW:
    case EL_BOUNDARY_EVENT:
        return compile_event(c, el, scope, json, type);
    case EL_SUB_PROCESS:
        if (triggered && !push_element(c, &scope->event_subprocesses, &scope->n_event_subprocesses, el)) return false;
        return compile_scope(c, el, json, depth + 1);
    default:
        return compile_task(c, el, json, type);
    }
}

/* ---- sequence flows ---- */

static bool compile_flow(compiler *c, model_element *scope, const cJSON *json, size_t pos) {
    char where[80];
    snprintf(where, sizeof where, "flow %zu of '%.40s'", pos, scope->id);
    if (!cJSON_IsObject(json)) return error_set(c->err, ERR_PARSE, "Invalid model document: %s must be an object", where);
    const char *id, *name, *source_id, *target_id, *condition, *language;
    if (!req_string(c, json, "id", where, &id) || !opt_string(c, json, "name", id, &name) ||
        !opt_string(c, json, "sourceRef", id, &source_id) || !opt_string(c, json, "targetRef", id, &target_id) ||
        !opt_string(c, json, "condition", id, &condition) || !opt_string(c, json, "conditionLanguage", id, &language))
        return false;
    const index_slot *s = index_find(c->m->lookup, source_id);
    const index_slot *t = index_find(c->m->lookup, target_id);
    model_element *source = s ? flow_node(s->element) : NULL;
    model_element *target = t ? flow_node(t->element) : NULL;
    /* Neither the process nor a body (an id the document never wrote) is a flow node. */
    if (!source || source->kind == EL_PROCESS || s->element->kind == EL_MI_BODY)
        return error_set(c->err, ERR_PARSE, "Invalid source '%s' of sequence flow '%s'", source_id ? source_id : "", id);
    if (!target || target->kind == EL_PROCESS || t->element->kind == EL_MI_BODY)
        return error_set(c->err, ERR_PARSE, "Invalid destination '%s' of sequence flow '%s'", target_id ? target_id : "", id);
    if (source->parent != scope || target->parent != scope)
        return error_set(c->err, ERR_PARSE, "Sequence flow '%s' connects '%s' and '%s', which are not both in scope '%s'", id,
                         source_id, target_id, scope->id);
    if (language)
        return error_set(c->err, ERR_PARSE, "Script conditions are not supported (sequence flow '%s', language '%s')", id,
                         language);

    model *m = c->m;
    model_flow *f = calloc(1, sizeof *f);
    if (!f) return oom(c);
    if (!push_flow(c, &m->flows, &m->n_flows, f)) {
        free(f);
        return false;
    }
    if (!copy_string(c, id, &f->id) || !copy_string(c, name, &f->name)) return false;
    f->source = source;
    f->target = target;
    if (!index_add(c, f->id, NULL, f)) return false;
    if (!push_flow(c, &source->outgoing, &source->n_outgoing, f) || !push_flow(c, &target->incoming, &target->n_incoming, f))
        return false;
    if (condition && !compile_expr(c, condition, "condition", id, &f->condition)) return false;
    return compile_listeners(c, json, f->id, true, &f->listeners, &f->n_listeners);
}

/* ---- scopes ---- */

static bool compile_scope(compiler *c, model_element *scope, const cJSON *json, int depth) {
    if (depth > MODEL_MAX_DEPTH)
        return error_set(c->err, ERR_PARSE, "Subprocesses nested deeper than %d levels (at '%s')", MODEL_MAX_DEPTH, scope->id);
    const cJSON *elements, *flows;
    if (!opt_array(c, json, "elements", scope->id, &elements) || !opt_array(c, json, "flows", scope->id, &flows))
        return false;
    size_t pos = 0;
    for (const cJSON *j = elements ? elements->child : NULL; j; j = j->next, pos++)
        if (!compile_element(c, scope, j, pos, depth)) return false;
    pos = 0;
    for (const cJSON *j = flows ? flows->child : NULL; j; j = j->next, pos++)
        if (!compile_flow(c, scope, j, pos)) return false;
    return true;
}

static bool compile_process(compiler *c, const cJSON *json) {
    const char *id, *name;
    if (!req_string(c, json, "id", "process", &id) || !opt_string(c, json, "name", id, &name)) return false;
    model_element *p = new_element(c, json);
    if (!p) return false;
    c->m->process = p;
    if (!copy_string(c, id, &p->id) || !copy_string(c, name, &p->name)) return false;
    p->kind = EL_PROCESS;
    p->activity_type = "process";
    if (!index_add(c, p->id, p, NULL)) return false;
    if (!compile_listeners(c, json, p->id, false, &p->listeners, &p->n_listeners)) return false;
    if (!compile_scope(c, p, json, 0)) return false;

    /* Pass 2: links. Elements only grow during pass 1, so a plain loop sees each once. */
    for (size_t i = 0; i < c->m->n_elements; i++)
        if (!link_element(c, c->m->elements[i], c->sources[i])) return false;
    for (size_t i = 0; i < c->m->n_elements; i++)
        if (!check_scope(c, c->m->elements[i])) return false;

    /* Pass 3: derived facts. */
    for (size_t i = 0; i < c->m->n_elements; i++) {
        model_element *el = c->m->elements[i];
        el->is_scope = el->kind == EL_PROCESS || el->kind == EL_SUB_PROCESS || el->kind == EL_MI_BODY ||
                       flow_node(el) != el || el->n_boundary_events > 0 || el->n_inputs + el->n_outputs > 0;
    }
    return compute_reachable(c);
}

/* ========================================================================= pass 2: links === */

static bool link_element(compiler *c, model_element *el, const cJSON *json) {
    if (!json || el->kind == EL_PROCESS) return true; /* MI bodies are linked through their inner */
    model_element *node = flow_node(el);

    const char *default_id;
    if (!opt_string(c, json, "default", el->id, &default_id)) return false;
    if (default_id) {
        if (!(is_activity_kind(el->kind) || el->kind == EL_EXCLUSIVE_GATEWAY || el->kind == EL_INCLUSIVE_GATEWAY))
            return error_set(c->err, ERR_PARSE, "Element '%s' of type '%s' cannot have a default sequence flow", el->id,
                             el->activity_type);
        const index_slot *s = index_find(c->m->lookup, default_id);
        model_flow *f = s ? s->flow : NULL;
        if (!f || f->source != node)
            return error_set(c->err, ERR_PARSE, "Default sequence flow '%s' of '%s' is not one of its outgoing sequence flows",
                             default_id, el->id);
        if (f->condition)
            return error_set(c->err, ERR_PARSE,
                             "Element '%s' has outgoing sequence flow '%s' which is the default flow but has a condition too",
                             el->id, default_id);
        node->default_flow = f;
    }

    if (el->kind == EL_BOUNDARY_EVENT) {
        const char *attached_id;
        if (!opt_string(c, json, "attachedTo", el->id, &attached_id)) return false;
        const index_slot *s = index_find(c->m->lookup, attached_id);
        model_element *target = s ? flow_node(s->element) : NULL;
        model_element *activity = target && target->kind == EL_MI_BODY ? target->inner : target;
        if (!target || !activity || !is_activity_kind(activity->kind) || activity->triggered_by_event ||
            target->parent != el->parent)
            return error_set(c->err, ERR_PARSE,
                             "Invalid reference in boundary event '%s': attachedToRef '%s' must be an activity defined in the "
                             "same scope as the boundary event", el->id, attached_id ? attached_id : "");
        el->attached_to = target;
        if (!push_element(c, &target->boundary_events, &target->n_boundary_events, el)) return false;
    }

    /* Where tokens may not come from or go to. */
    if (node->n_incoming && (el->kind == EL_START_EVENT || el->kind == EL_BOUNDARY_EVENT || el->triggered_by_event))
        return error_set(c->err, ERR_PARSE, "%s '%s' cannot have incoming sequence flows (found '%s')",
                         el->triggered_by_event ? "Event subprocess" : el->activity_type, el->id, node->incoming[0]->id);
    if (node->n_outgoing && (el->kind == EL_END_EVENT || el->triggered_by_event))
        return error_set(c->err, ERR_PARSE, "%s '%s' cannot have outgoing sequence flows (found '%s')",
                         el->triggered_by_event ? "Event subprocess" : el->activity_type, el->id, node->outgoing[0]->id);
    return true;
}

/* Each process / subprocess has exactly one start event: its `initial`. */
static bool check_scope(compiler *c, model_element *scope) {
    if (scope->kind != EL_PROCESS && scope->kind != EL_SUB_PROCESS) return true;
    size_t starts = 0;
    for (size_t i = 0; i < scope->n_children; i++) {
        model_element *child = scope->children[i];
        if (child->kind != EL_START_EVENT) continue;
        if (++starts == 1) scope->initial = child;
    }
    if (scope->kind == EL_PROCESS) {
        if (starts == 0) return error_set(c->err, ERR_PARSE, "Process '%s' has no none start event", scope->id);
        if (starts > 1)
            return error_set(c->err, ERR_PARSE,
                             "multiple none start events or timer start events not supported on process definition '%s'",
                             scope->id);
        return true;
    }
    if (starts == 0)
        return error_set(c->err, ERR_PARSE, "%s '%s' has no start event",
                         scope->triggered_by_event ? "Event subprocess" : "Subprocess", scope->id);
    if (starts > 1) return error_set(c->err, ERR_PARSE, "multiple start events not supported for subprocess '%s'", scope->id);
    return true;
}

/* ======================================================================= pass 3: reachable === */

/* Marks, for every element of scope `s`, which elements it reaches along sequence flows (itself
 * included, as Camunda's InclusiveGatewayActivityBehavior treats it). Only scopes holding an
 * inclusive gateway need this: the join asks whether any other token of its scope can still
 * arrive. `stack` has room for n_elements entries. */
static bool reach_scope(compiler *c, model_element *s, size_t *stack, size_t *budget) {
    model *m = c->m;
    for (size_t i = 0; i < s->n_children; i++) {
        model_element *from = s->children[i];
        if (*budget < m->n_elements)
            return error_set(c->err, ERR_PARSE, "Process '%s' is too large for inclusive gateway analysis", m->process->id);
        *budget -= m->n_elements;
        unsigned char *seen = calloc(m->n_elements, 1);
        if (!seen) return oom(c);
        from->reachable = seen;
        size_t top = 0;
        seen[from->index] = 1;
        stack[top++] = from->index;
        while (top) {
            model_element *e = m->elements[stack[--top]];
            for (size_t k = 0; k < e->n_outgoing; k++) {
                size_t t = e->outgoing[k]->target->index;
                if (!seen[t]) {
                    seen[t] = 1;
                    stack[top++] = t;
                }
            }
        }
    }
    return true;
}

static bool compute_reachable(compiler *c) {
    model *m = c->m;
    size_t *stack = NULL;
    size_t budget = MODEL_MAX_REACHABLE_BYTES;
    bool ok = true;
    for (size_t i = 0; ok && i < m->n_elements; i++) {
        model_element *s = m->elements[i];
        bool has_join = false;
        for (size_t k = 0; k < s->n_children && !has_join; k++) has_join = s->children[k]->kind == EL_INCLUSIVE_GATEWAY;
        if (!has_join) continue;
        if (!stack && !(stack = malloc(m->n_elements * sizeof *stack))) {
            ok = oom(c);
            break;
        }
        ok = reach_scope(c, s, stack, &budget);
    }
    free(stack);
    return ok;
}

/* ============================================================================== lookups === */

model_element *model_element_by_id(const model *m, const char *id) {
    const index_slot *s = m ? index_find(m->lookup, id) : NULL;
    return s ? s->element : NULL;
}

model_flow *model_flow_by_id(const model *m, const char *id) {
    const index_slot *s = m ? index_find(m->lookup, id) : NULL;
    return s ? s->flow : NULL;
}

/* ============================================================================== summary === */

static cJSON *string_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

cJSON *model_summary(const model *m) {
    if (!m) return NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *elements = cJSON_CreateArray();
    cJSON *flows = cJSON_CreateArray();
    if (!root || !elements || !flows) goto fail;
    cJSON_AddItemToObject(root, "id", string_or_null(m->definition_id));
    cJSON_AddItemToObject(root, "key", string_or_null(m->definition_key));
    cJSON_AddItemToObject(root, "name", string_or_null(m->definition_name));
    cJSON_AddNumberToObject(root, "version", m->version);
    cJSON_AddItemToObject(root, "tenantId", string_or_null(m->tenant_id));
    cJSON_AddItemToObject(root, "elements", elements);
    cJSON_AddItemToObject(root, "flows", flows);
    for (size_t i = 0; i < m->n_elements; i++) {
        const model_element *el = m->elements[i];
        cJSON *e = cJSON_CreateObject();
        if (!e) goto fail_owned;
        cJSON_AddItemToArray(elements, e);
        cJSON_AddItemToObject(e, "id", string_or_null(el->id));
        cJSON_AddItemToObject(e, "type", string_or_null(el->activity_type));
        cJSON_AddItemToObject(e, "name", string_or_null(el->name));
        cJSON_AddItemToObject(e, "parent", string_or_null(el->parent ? el->parent->id : NULL));
    }
    for (size_t i = 0; i < m->n_flows; i++) {
        const model_flow *f = m->flows[i];
        cJSON *e = cJSON_CreateObject();
        if (!e) goto fail_owned;
        cJSON_AddItemToArray(flows, e);
        cJSON_AddItemToObject(e, "id", string_or_null(f->id));
        cJSON_AddItemToObject(e, "name", string_or_null(f->name));
        cJSON_AddItemToObject(e, "source", string_or_null(f->source->id));
        cJSON_AddItemToObject(e, "target", string_or_null(f->target->id));
    }
    return root;
fail:
    cJSON_Delete(elements);
    cJSON_Delete(flows);
fail_owned:
    cJSON_Delete(root);
    return NULL;
}

/* ================================================================================= free === */

static void free_io(model_io *items, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(items[i].name);
        free_expr(items[i].value);
        free_io(items[i].items, items[i].n_items);
    }
    free(items);
}

static void free_listeners(model_listener *ls, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(ls[i].event);
        free(ls[i].class_name);
        free_expr(ls[i].expression);
    }
    free(ls);
}

static void free_element(model_element *el) {
    if (!el) return;
    free(el->id);
    free(el->name);
    free(el->incoming);
    free(el->outgoing);
    free(el->children);
    free(el->event_subprocesses);
    free(el->boundary_events);
    free(el->message_name);
    free(el->error_code);
    free_expr(el->timer_value);
    free(el->topic);
    free(el->class_name);
    free_expr(el->impl_expression);
    free(el->result_variable);
    free_expr(el->assignee);
    free_expr(el->priority);
    if (el->mi) {
        free_expr(el->mi->loop_cardinality);
        free_expr(el->mi->collection);
        free(el->mi->element_variable);
        free_expr(el->mi->completion_condition);
        free(el->mi);
    }
    free_io(el->inputs, el->n_inputs);
    free_io(el->outputs, el->n_outputs);
    free_listeners(el->listeners, el->n_listeners);
    free(el->reachable);
    free(el);
}

static void free_flow(model_flow *f) {
    if (!f) return;
    free(f->id);
    free(f->name);
    free_expr(f->condition);
    free_listeners(f->listeners, f->n_listeners);
    free(f);
}

void model_free(model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n_elements; i++) free_element(m->elements[i]);
    free(m->elements);
    for (size_t i = 0; i < m->n_flows; i++) free_flow(m->flows[i]);
    free(m->flows);
    if (m->lookup) free(m->lookup->slots);
    free(m->lookup);
    free(m->definition_id);
    free(m->definition_key);
    free(m->definition_name);
    free(m->tenant_id);
    free(m);
}
