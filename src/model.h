/*
 * model.h — a compiled process definition: the graph the executor walks.
 *
 * model_compile turns a model document (made by js/bpmn.js from BPMN XML, format in
 * docs/model-format.md) into these structs once; the host keeps the result by handle. Everything
 * is read-only after compilation, so one model serves any number of instances.
 *
 * Invariants:
 *  - Every element but the process has a `parent`: its flow scope (the process, a subprocess,
 *    or a multi-instance body).
 *  - A multi-instance activity X is split in two elements: the body `X#multiInstanceBody`
 *    (kind EL_MI_BODY, activity type "multiInstanceBody") which owns X's sequence flows and
 *    boundary events, and X itself, the only child of the body, with no sequence flows.
 *  - `is_scope` is true for elements whose instances get their own scope execution: the process,
 *    subprocesses, MI bodies, MI inner activities, and activities with boundary events or
 *    input/output mappings.
 */
#ifndef DETOUR_MODEL_H
#define DETOUR_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "cJSON.h"
#include "error.h"
#include "expr.h"

typedef enum element_kind {
    EL_PROCESS,
    EL_START_EVENT,
    EL_END_EVENT,
    EL_TASK,          /* task, manualTask: pass through */
    EL_USER_TASK,
    EL_RECEIVE_TASK,  /* waits for its message */
    EL_SERVICE_TASK,  /* service, send, business rule task: external or host delegate */
    EL_EXCLUSIVE_GATEWAY,
    EL_PARALLEL_GATEWAY,
    EL_INCLUSIVE_GATEWAY,
    EL_SUB_PROCESS,   /* embedded subprocess, or an event subprocess (triggered_by_event) */
    EL_BOUNDARY_EVENT,
    EL_INTERMEDIATE_CATCH,
    EL_INTERMEDIATE_THROW,
    EL_MI_BODY,
} element_kind;

typedef enum event_kind {
    EVT_NONE,
    EVT_MESSAGE,
    EVT_TIMER,
    EVT_ERROR,
    EVT_TERMINATE,
} event_kind;

typedef enum timer_kind { TIMER_DATE, TIMER_DURATION, TIMER_CYCLE } timer_kind;

typedef enum impl_kind {
    IMPL_NONE,
    IMPL_EXTERNAL,            /* camunda:type="external", camunda:topic */
    IMPL_CLASS,               /* camunda:class → host delegate named by the class */
    IMPL_DELEGATE_EXPRESSION, /* camunda:delegateExpression="${name}" → host delegate `name` */
    IMPL_EXPRESSION,          /* camunda:expression, evaluated; result into result_variable */
} impl_kind;

typedef enum listener_kind { LISTENER_EXPRESSION, LISTENER_CLASS, LISTENER_DELEGATE_EXPRESSION } listener_kind;

typedef struct model_listener {
    char *event; /* "start", "end" or "take" */
    listener_kind kind;
    expr *expression;  /* LISTENER_EXPRESSION, LISTENER_DELEGATE_EXPRESSION */
    char *class_name;  /* LISTENER_CLASS */
} model_listener;

/* One camunda:inputParameter / outputParameter, or an item of a list / entry of a map. */
typedef enum io_kind { IO_TEXT, IO_LIST, IO_MAP } io_kind;
typedef struct model_io {
    char *name;  /* parameter name; map entry key; NULL for list items */
    io_kind kind;
    expr *value; /* IO_TEXT: literal or expression text (NULL: the parameter is null) */
    struct model_io *items;
    size_t n_items;
} model_io;

typedef struct model_multi_instance {
    bool sequential;
    expr *loop_cardinality;   /* may be NULL */
    expr *collection;         /* camunda:collection: expression, or a variable name compiled as ${name}; may be NULL */
    char *element_variable;   /* may be NULL */
    expr *completion_condition; /* may be NULL */
} model_multi_instance;

typedef struct model_flow model_flow;
typedef struct model_element model_element;

struct model_flow {
    char *id;
    char *name;
    model_element *source;
    model_element *target;
    expr *condition; /* NULL: unconditional */
    model_listener *listeners; /* event "take" */
    size_t n_listeners;
};

struct model_element {
    char *id;
    char *name;
    element_kind kind;
    const char *activity_type;   /* Camunda activityType: "userTask", "noneEndEvent", "boundaryTimer", ... */
    model_element *parent;       /* flow scope; NULL only for the process */
    bool is_scope;

    model_flow **incoming;
    size_t n_incoming;
    model_flow **outgoing;
    size_t n_outgoing;
    model_flow *default_flow;    /* exclusive / inclusive gateways and activities; may be NULL */

    /* Children of a process, subprocess or MI body, in document order. */
    model_element **children;
    size_t n_children;
    model_element *initial;          /* the none start event of a process / embedded subprocess */
    model_element **event_subprocesses; /* direct children that are event subprocesses */
    size_t n_event_subprocesses;
    model_element **boundary_events; /* boundary events attached to this activity (or MI body) */
    size_t n_boundary_events;

    /* Async continuations */
    bool async_before;
    bool async_after;

    /* Events: start, end, intermediate, boundary. For an event subprocess, its start event carries
     * the trigger and `is_interrupting`. */
    event_kind event;
    char *message_name;        /* EVT_MESSAGE (also the receive task's message) */
    char *error_code;          /* EVT_ERROR: NULL catches every error (boundary / event subprocess) */
    timer_kind timer;
    expr *timer_value;         /* EVT_TIMER: date, duration or cycle text (may contain ${}) */
    bool cancel_activity;      /* boundary events (default true) */
    model_element *attached_to;/* boundary events: the activity (or its MI body) */
    bool triggered_by_event;   /* subprocess: an event subprocess */
    bool is_interrupting;      /* start event of an event subprocess (default true) */

    /* Tasks */
    impl_kind impl;
    char *topic;               /* IMPL_EXTERNAL */
    char *class_name;          /* IMPL_CLASS */
    expr *impl_expression;     /* IMPL_DELEGATE_EXPRESSION, IMPL_EXPRESSION */
    char *result_variable;     /* IMPL_EXPRESSION */
    expr *assignee;            /* user task camunda:assignee; may be NULL */
    expr *priority;            /* user task / external task priority; may be NULL */

    model_multi_instance *mi;  /* on the MI body only; NULL elsewhere */
    model_element *inner;      /* EL_MI_BODY: the inner activity */

    model_io *inputs;
    size_t n_inputs;
    model_io *outputs;
    size_t n_outputs;

    model_listener *listeners; /* events "start" and "end" */
    size_t n_listeners;

    /* Precomputed for the inclusive join: reachable[j] is true if element index j can be reached
     * from this element along sequence flows within the same flow scope. */
    size_t index;               /* position in model.elements */
    unsigned char *reachable;   /* n_elements bytes; NULL for elements that never matter */
};

typedef struct model {
    char *definition_id;   /* e.g. "invoice:1:<uuid>" — given by the host in the model document */
    char *definition_key;  /* the process id */
    char *definition_name; /* may be NULL */
    int version;
    char *tenant_id;       /* may be NULL */
    model_element *process;
    model_element **elements; /* all elements including the process and synthetic MI bodies */
    size_t n_elements;
    model_flow **flows;
    size_t n_flows;
    struct model_index *lookup; /* private: id → element / flow */
} model;

/* Compiles a model document. Returns NULL with err set; unsupported elements are rejected with a
 * ParseException naming element id and type, e.g.
 * "Unsupported BPMN element 'callActivity' with id 'call1'". */
model *model_compile(const cJSON *doc, error *err);
void model_free(model *m);

/* Lookups by id (MI bodies by "<id>#multiInstanceBody"). NULL if absent. */
model_element *model_element_by_id(const model *m, const char *id);
model_flow *model_flow_by_id(const model *m, const char *id);

/* A JSON summary for the host: {id, key, name, version, elements:[{id, type, name, parent}], ...}. */
cJSON *model_summary(const model *m);

#endif
