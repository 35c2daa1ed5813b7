/*
 * exec.h — the executor: moves tokens through a compiled model, one command at a time.
 *
 * An exec_ctx carries what one command needs: the instance, the host's `now`, the id generator,
 * the history events being recorded and the request-wide flags. Every operation returns false with
 * ctx->err set on failure; the command layer then discards the instance (the host's document is
 * untouched), so operations never need to undo partial work themselves.
 */
#ifndef DETOUR_EXEC_H
#define DETOUR_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "cJSON.h"
#include "error.h"
#include "ids.h"
#include "json_writer.h"
#include "model.h"
#include "state.h"

typedef struct exec_ctx {
    instance *pi;
    int64_t now;
    id_gen ids;
    json_writer history;       /* the history events so far: "[" then the events, in order (owns its
                                * buffer: an exec_ctx is never copied) */
    error *err;
    bool skip_custom_listeners;
    bool skip_io_mappings;
    bool initial_variables;    /* variables set now are the instance's initial values (start) */
    bool initial_trigger_variables; /* so are the variables start instructions carry (restart) */
    bool preserve_scope;       /* while instructions run, an empty instance does not end yet */
    bool externally_terminated;/* cancellation comes from outside (REST delete / modification) */
    bool root_reached_end;     /* under preserve_scope: the last token of the instance reached an end
                                * (the instance completes, rather than terminates, if left empty) */
    int depth;                 /* nesting of token moves, bounded to keep the stack safe */
    const model_element *end_activity; /* the end event the last token reached */
    /* While forked branches are being started, tokens merged into their scope (prune) are
     * remembered here, so a branch not started yet is still found by its old execution id. */
    struct replaced_token {
        char *from, *to;
    } *replaced;
    size_t n_replaced, cap_replaced;
    int forks_running;
} exec_ctx;

/* --- starting --- */
/* Creates the process instance scope (history, variables — recorded as its initial ones when
 * `initial` —, listeners, event subscriptions). */
bool exec_start_instance(exec_ctx *ctx, const char *business_key, const cJSON *variables, bool initial);
/* Runs the process from its none start event. */
bool exec_run_from_start(exec_ctx *ctx);
/* Camunda start instructions (startBeforeActivity, startAfterActivity, startTransition) with
 * their variables, creating missing parent scopes. */
bool exec_start_before(exec_ctx *ctx, const model_element *target, const cJSON *variables);
bool exec_start_transition(exec_ctx *ctx, const model_flow *flow, const cJSON *variables);
/* Ends the instance if instructions left it without tokens (see preserve_scope). */
bool exec_finish_instructions(exec_ctx *ctx);

/* --- triggers of waiting tokens --- */
bool exec_complete_task(exec_ctx *ctx, task *t);
bool exec_complete_external_task(exec_ctx *ctx, external_task *t);
/* Throws a BPMN error from the token `from` to the nearest catching event subprocess or error
 * boundary event. Uncaught, an error end event's path just ends; an error reported by a delegate or
 * an external task worker (`from_worker`) fails the command instead, as Camunda rethrows it. */
bool exec_throw_bpmn_error(exec_ctx *ctx, execution *from, const char *error_code, const char *message,
                           bool from_worker);
bool exec_execute_job(exec_ctx *ctx, job *j);
bool exec_trigger_subscription(exec_ctx *ctx, subscription *s);

/* --- variables (Camunda scoping) --- */
/* local: on `exec`; else on the nearest execution up the tree that has it, else the instance. */
bool exec_set_variable(exec_ctx *ctx, execution *exec, const char *name, const value *v, bool local);
/* Removes `name` from exec (local) or from the nearest execution up the tree that has it. */
bool exec_remove_variable(exec_ctx *ctx, execution *exec, const char *name, bool local);
/* Sets every entry of a REST variable map ({name: {value, type, valueInfo}}). */
bool exec_set_variables_json(exec_ctx *ctx, execution *exec, const cJSON *vars, bool local);
/* Sets instruction variables ({name: {value, type, local}}): each non-local unless it says local. */
bool exec_set_trigger_variables_json(exec_ctx *ctx, execution *exec, const cJSON *vars);
/* Looks `name` up from `exec` outward (local: `exec` only). */
variable *exec_find_variable(execution *exec, const char *name, bool local, execution **owner);

/* --- ending --- */
/* Cancels the whole instance (DELETE /process-instance): state EXTERNALLY_TERMINATED unless
 * ctx->externally_terminated is false. */
bool exec_delete_instance(exec_ctx *ctx, const char *reason);

/* The activity instance id a token's new activity instances hang under. */
const char *exec_parent_instance_id(const exec_ctx *ctx, execution *holder);

#endif
