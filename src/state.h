/*
 * state.h — the runtime state of one process instance: its execution tree and everything that
 * hangs off it (variables, user tasks, external tasks, jobs, event subscriptions, incidents).
 *
 * The host stores one state document per instance (JSON, see docs/core-abi.md); state_json.c
 * reads it into these structs and writes it back. Commands (exec.c) change the structs.
 *
 * The execution tree follows Camunda's shape, so that ids seen by clients behave alike:
 *  - The root execution is the process instance (id = process instance id). It is a scope.
 *  - A scope execution exists for each instance of a scope element (subprocess, MI body, MI inner
 *    activity, activity with boundary events or IO mappings); `scope_element` names it and
 *    `scope_instance_id` is that scope's activity instance id.
 *  - A scope with a single token holds the token itself (`activity` set, no token children): so
 *    the user task of a one-task process has execution id = process instance id.
 *  - A scope with several tokens is inactive and has concurrent children (`is_concurrent`), one
 *    per token; when one token is left it is merged back into the scope (state_prune).
 *  - A token inside a scope activity is inactive, keeps `activity` = that scope activity, and has
 *    one child: the scope execution of the activity.
 *  - A token waiting at a parallel or inclusive join is inactive with `activity` = the gateway;
 *    its gateway instance stays open until the join fires (Camunda shows it in the tree).
 *  - A token waiting for an async continuation has `transition` set; it is a transition instance
 *    (id = execution id) and has no activity instance.
 *
 * Artefacts (tasks, jobs, ...) point at the execution that owns them. Token-level artefacts move
 * with the token when the tree is restructured (state_replace); scope-level ones (boundary and
 * event-subprocess subscriptions and timers) stay with their scope execution.
 */
#ifndef DETOUR_STATE_H
#define DETOUR_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "value.h"

typedef struct variable {
    char *id;   /* variable instance id (stable across updates; history refers to it) */
    char *name;
    value val;
} variable;

typedef struct var_map {
    variable *items;
    size_t n, cap;
} var_map;

typedef enum transition_kind {
    TRANSITION_NONE,
    TRANSITION_ASYNC_BEFORE, /* waiting to enter `activity` */
    TRANSITION_ASYNC_AFTER,  /* `activity` completed, waiting to leave it */
} transition_kind;

typedef struct execution execution;
struct execution {
    char *id;
    execution *parent;             /* NULL for the process instance */
    execution **children;
    size_t n_children, cap_children;

    bool is_scope;
    bool is_concurrent;
    bool is_active;                /* false while waiting at a join or while a child scope runs */

    const model_element *scope_element; /* is_scope: the element this scope instantiates */
    char *scope_instance_id;            /* is_scope: its activity instance id (process: instance id) */

    const model_element *activity;      /* token position; NULL if none */
    char *activity_instance_id;         /* instance of `activity` while executing it; else NULL */
    transition_kind transition;

    var_map vars;                       /* local variables */
    const char *ended_reason_tag;       /* transient; not persisted */
};

typedef struct task {
    char *id;
    char *name;
    char *task_definition_key;  /* activity id */
    execution *exec;
    char *activity_instance_id;
    char *assignee;             /* may be NULL */
    int priority;               /* default 50 */
    int64_t created;
    var_map vars;               /* task-local variables */
} task;

typedef struct external_task {
    char *id;
    char *topic;
    char *activity_id;
    char *activity_instance_id;
    execution *exec;
    int retries;                /* -1: null (never failed) */
    char *error_message;        /* may be NULL */
    char *error_details;        /* may be NULL */
    char *worker_id;            /* may be NULL */
    int64_t lock_expiration;    /* 0: not locked */
    int64_t priority;
    int64_t created;
} external_task;

typedef enum job_kind {
    JOB_ASYNC_BEFORE,
    JOB_ASYNC_AFTER,
    JOB_TIMER_BOUNDARY,        /* boundary timer on exec's scope activity */
    JOB_TIMER_INTERMEDIATE,    /* intermediate timer catch of the token */
    JOB_TIMER_EVENT_SUBPROCESS,/* timer start of an event subprocess of exec's scope */
} job_kind;

typedef struct job {
    char *id;
    job_kind kind;
    const model_element *activity; /* the activity the job continues or the timer event */
    execution *exec;
    int64_t due;                /* 0: due immediately (async) */
    int retries;                /* default 3 */
    char *exception_message;    /* last failure; may be NULL */
    char *exception_details;    /* may be NULL */
    char *repeat;               /* timer cycle text for the next firing; may be NULL */
    int repeat_remaining;       /* -1: unbounded */
    bool suspended;
    int64_t created;
} job;

typedef struct subscription {
    char *id;
    char *event_name;           /* message name */
    const model_element *activity; /* the catching element (boundary, intermediate, receive task, event subprocess start) */
    execution *exec;
    int64_t created;
} subscription;

typedef enum incident_kind { INCIDENT_FAILED_JOB, INCIDENT_FAILED_EXTERNAL_TASK } incident_kind;

typedef struct incident {
    char *id;
    incident_kind kind;
    char *activity_id;
    execution *exec;
    char *configuration;        /* the job id or external task id */
    char *message;
    int64_t timestamp;
} incident;

#define STATE_ARRAY(T) struct { T **items; size_t n, cap; }

typedef struct instance {
    const model *model;
    char *id;
    char *business_key;          /* may be NULL */
    char *tenant_id;             /* may be NULL */
    char *start_activity_id;     /* may be NULL */
    char *restarted_from;        /* restartedProcessInstanceId; may be NULL */
    int64_t start_time;
    int64_t end_time;            /* 0 while running */
    bool suspended;
    bool ended;
    char *end_state;             /* NULL while running; "COMPLETED", "EXTERNALLY_TERMINATED", ... */
    char *delete_reason;         /* may be NULL */
    execution *root;
    STATE_ARRAY(task) tasks;
    STATE_ARRAY(external_task) external_tasks;
    STATE_ARRAY(job) jobs;
    STATE_ARRAY(subscription) subscriptions;
    STATE_ARRAY(incident) incidents;
} instance;

/* --- instance lifetime --- */
instance *state_new(const model *m, const char *id);
void state_free(instance *pi);

/* --- execution tree --- */
execution *state_execution_new(instance *pi, execution *parent, const char *id);
/* Removes exec (and its subtree) from the tree and frees it, with every artefact pointing into it.
 * The caller has already emitted history for whatever it ends. */
void state_execution_remove(instance *pi, execution *exec);
execution *state_execution_by_id(const instance *pi, const char *id);
/* The nearest scope execution at or above exec. */
execution *state_scope_of(execution *exec);

/* Moves exec's token (activity, activity instance, transition, token-level artefacts, children
 * that are scope executions, local variables of a non-scope token) to `to`. */
void state_replace(instance *pi, execution *from, execution *to);

/* Removes the token-level artefacts of exec (tasks, external tasks, async and intermediate timer
 * jobs, intermediate message subscriptions) but not its scope-level triggers. */
void state_remove_token_artefacts(instance *pi, execution *exec);
/* True for boundary and event-subprocess triggers, which belong to a scope execution. */
bool state_job_is_scope_level(const job *j);
bool state_subscription_is_scope_level(const subscription *s);

/* --- variables --- */
variable *var_map_get(const var_map *m, const char *name);
/* Sets (copying v); returns the variable and whether it was created. */
variable *var_map_put(var_map *m, const char *id_if_new, const char *name, const value *v, bool *created);
bool var_map_remove(var_map *m, const char *name);
void var_map_free(var_map *m);

/* --- artefacts --- */
void state_add_task(instance *pi, task *t);
void state_add_external_task(instance *pi, external_task *t);
void state_add_job(instance *pi, job *j);
void state_add_subscription(instance *pi, subscription *s);
void state_add_incident(instance *pi, incident *i);
task *state_task_by_id(const instance *pi, const char *id);
external_task *state_external_task_by_id(const instance *pi, const char *id);
job *state_job_by_id(const instance *pi, const char *id);
void state_remove_task(instance *pi, task *t);             /* frees it */
void state_remove_external_task(instance *pi, external_task *t);
void state_remove_job(instance *pi, job *j);
void state_remove_subscription(instance *pi, subscription *s);
void state_remove_incident(instance *pi, incident *i);
void state_task_free(task *t);
void state_external_task_free(external_task *t);
void state_job_free(job *j);
void state_subscription_free(subscription *s);
void state_incident_free(incident *i);

#endif
