/*
 * exec_internal.h — the executor's parts talk to each other through these functions; nothing
 * outside exec*.c, events.c, mi.c, cancel.c and invoke.c uses them.
 *
 * Rule that keeps pointers safe: a call that moves a token (enter, execute, leave, take, done,
 * token_ended, fire, trigger) may end scopes and free executions. Callers make it their last use
 * of any execution pointer, or re-find executions by id afterwards.
 */
#ifndef DETOUR_EXEC_INTERNAL_H
#define DETOUR_EXEC_INTERNAL_H

#include "exec.h"

/* --- exec.c: moving tokens --- */
/* Token `tok` arrives at `a` (honours asyncBefore). */
bool exec_enter(exec_ctx *ctx, execution *tok, const model_element *a);
/* Token `tok` executes `a` now: activity instance, scope creation, behaviour. */
bool exec_execute(exec_ctx *ctx, execution *tok, const model_element *a);
/* The token held by `holder` finished its activity: output mappings, end listeners, history,
 * then it leaves the activity (or the MI body is told). */
bool exec_activity_done(exec_ctx *ctx, execution *holder);
/* Leaves `a` along its outgoing flows (asyncAfter first unless skip_async_after). */
bool exec_leave(exec_ctx *ctx, execution *tok, const model_element *a, bool skip_async_after);
/* Takes one sequence flow (take listeners) into its target. */
bool exec_take(exec_ctx *ctx, execution *tok, const model_flow *f);
/* The token disappears (end event, no outgoing flow); the scope completes when left empty. */
bool exec_token_ended(exec_ctx *ctx, execution *tok);
/* A scope execution has no tokens left: it completes (the process ends, or the token that
 * entered the scope activity continues). */
bool exec_scope_complete(exec_ctx *ctx, execution *scope);
/* A token for a new concurrent path in `scope`: the scope itself when it is empty, else a new
 * concurrent child (forking the scope's own token first when it holds one). */
execution *exec_new_branch(exec_ctx *ctx, execution *scope);
/* One concurrent child left in `scope`: it becomes the scope's own token again. */
void exec_prune(exec_ctx *ctx, execution *scope);
/* Creates the scope execution of `el` under `parent` and runs its entry (exec_enter_scope). */
execution *exec_start_scope(exec_ctx *ctx, execution *parent, const model_element *el);
/* Entry of a new scope execution: history, input mappings, start listeners, boundary and
 * event-subprocess triggers. */
bool exec_enter_scope(exec_ctx *ctx, execution *scope);
/* The behaviour of `a` for the execution holding its token (tasks wait, gateways route, ...). */
bool exec_behave(exec_ctx *ctx, execution *holder, const model_element *a);
/* A scope instance ends normally: output mappings, end listeners, history; then its parent token
 * continues (or the MI body is told). */
bool exec_finish_scope(exec_ctx *ctx, execution *scope);
/* Activity instance id of the activity the holder's token is in. */
const char *exec_token_instance_id(const execution *holder);
/* True if the scope execution holds no token and has no children. */
bool exec_scope_is_empty(const execution *scope);
/* Ends the process instance (history, listeners) with the given end state. */
bool exec_end_instance(exec_ctx *ctx, const char *end_state, const char *end_activity_id);

/* --- events.c: subscriptions, timers, boundary events, event subprocesses, errors --- */
bool events_create_scope_triggers(exec_ctx *ctx, execution *scope);
bool events_create_catch(exec_ctx *ctx, execution *holder, const model_element *a);
job *events_new_job(exec_ctx *ctx, job_kind kind, execution *exec, const model_element *activity);
bool events_new_timer(exec_ctx *ctx, job_kind kind, execution *exec, const model_element *event);
bool events_fire_boundary(exec_ctx *ctx, execution *scope, const model_element *boundary);
bool events_trigger_event_subprocess(exec_ctx *ctx, execution *scope, const model_element *start_event);
/* The job or external task with this id is done: its incidents are resolved. */
void events_resolve_incidents(exec_ctx *ctx, const char *configuration);

/* --- mi.c: multi-instance bodies --- */
bool mi_start(exec_ctx *ctx, execution *body);
bool mi_inner_done(exec_ctx *ctx, execution *body, execution *inner);
/* A body created for an instruction rather than by cardinality: all loop counters start at 0. */
void mi_init_single(exec_ctx *ctx, execution *body);
/* Adds one inner instance to a body for an instruction (nrOfInstances and nrOfActiveInstances
 * grow by one); its scope is entered but its activity not yet executed. Sequential bodies that
 * already run an instance refuse. */
execution *mi_new_single_inner(exec_ctx *ctx, execution *body);
/* An inner instance of a parallel body was cancelled (modification): nrOfActiveInstances − 1. */
bool mi_inner_cancelled(exec_ctx *ctx, execution *body);

/* --- cancel.c: cancellation --- */
/* Ends every activity instance in exec's subtree (and exec's own) as canceled and removes it,
 * except that the root execution and a scope kept by `keep_self` stay in the tree (emptied). */
bool cancel_execution(exec_ctx *ctx, execution *exec, const char *reason, bool keep_self);
/* Cancels every token inside `scope` but keeps the scope and its scope-level triggers. */
bool cancel_scope_content(exec_ctx *ctx, execution *scope, const char *reason);

/* --- invoke.c: expressions, listeners, delegates, IO mappings --- */
bool invoke_eval(exec_ctx *ctx, execution *exec, const model_element *el, const char *element_id,
                 const expr *e, value *out);
bool invoke_listeners(exec_ctx *ctx, execution *exec, const model_element *el, const char *event);
bool invoke_take_listeners(exec_ctx *ctx, execution *exec, const model_flow *f);
/* Calls a host delegate; *bpmn_error receives an error code the delegate threw (caller frees). */
bool invoke_delegate(exec_ctx *ctx, execution *exec, const model_element *el, const char *name,
                     const char *event, char **bpmn_error);
bool invoke_inputs(exec_ctx *ctx, execution *scope, const model_element *el);
bool invoke_outputs(exec_ctx *ctx, execution *scope, const model_element *el);

#endif
