/*
 * commands.c — the commands of detour_execute: reading a command document, running it against
 * the instance read from its state document, and writing the result document.
 *
 * Atomicity: a command works on an instance freshly read from the host's document; when it fails
 * the instance is dropped and only the error is returned, so the host's state stays as it was.
 * The one exception is a failing job, whose failure itself is recorded (retries, incident) on a
 * second fresh read, as Camunda records it in a separate transaction.
 */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

#include "batch_split.h"
#include "exec_internal.h"
#include "history.h"
#include "modify.h"
#include "restart.h"
#include "state_check.h"
#include "state_json.h"
#include "strutil.h"
#include "tree.h"

/* --- reading parameters --- */

static const cJSON *param(const cJSON *cmd, const char *name) { return cJSON_GetObjectItemCaseSensitive(cmd, name); }

/* A string parameter: NULL when absent or null; false when it has another type. */
static bool string_param(const cJSON *cmd, const char *name, const char **out, error *err) {
    const cJSON *p = param(cmd, name);
    *out = NULL;
    if (!p || cJSON_IsNull(p)) return true;
    if (!cJSON_IsString(p)) return error_set(err, ERR_INVALID_REQUEST, "%s must be a string", name);
    *out = p->valuestring;
    return true;
}

static bool required_string(const cJSON *cmd, const char *name, const char **out, error *err) {
    if (!string_param(cmd, name, out, err)) return false;
    if (!*out) return error_set(err, ERR_NOT_VALID, "%s is null", name);
    return true;
}

static bool bool_param(const cJSON *cmd, const char *name, bool dflt) {
    const cJSON *p = param(cmd, name);
    return cJSON_IsBool(p) ? cJSON_IsTrue(p) : dflt;
}

static bool int_param(const cJSON *cmd, const char *name, int64_t dflt, int64_t *out, error *err) {
    const cJSON *p = param(cmd, name);
    *out = dflt;
    if (!p || cJSON_IsNull(p)) return true;
    if (!cJSON_IsNumber(p) || p->valuedouble != p->valuedouble || p->valuedouble > 9e15 || p->valuedouble < -9e15)
        return error_set(err, ERR_INVALID_REQUEST, "%s must be a number", name);
    *out = (int64_t)p->valuedouble;
    return true;
}

/* --- the context of one state-changing command --- */

typedef struct run {
    exec_ctx ctx;
    error *err;
    const cJSON *cmd;
    json_writer result; /* the command-specific part (empty: {}) */
    /* What a caller that only looks (a dry run) asks of `modify` and `restart` (result_options): */
    bool with_tree;          /* withActivityInstances: the tree afterwards in result.activityInstances */
    bool omit_state;         /* omitState: no `state` member in the result document */
    json_writer tree_before; /* withActivityInstancesBefore: the tree as read (empty: not asked) */
} run;

/* Commands that create an instance rather than read one from `state`. */
static bool is_new_instance(const char *command) {
    return strcmp(command, "start") == 0 || strcmp(command, "restart") == 0;
}

static bool run_init(run *r, const model *m, const cJSON *cmd, error *err) {
    memset(r, 0, sizeof *r);
    r->err = err;
    r->cmd = cmd;
    r->ctx.err = err;
    int64_t now;
    if (!int_param(cmd, "now", -1, &now, err)) return false;
    if (now < 0) return error_set(err, ERR_INVALID_REQUEST, "now must be a number (epoch milliseconds)");
    r->ctx.now = now;
    const char *seed;
    if (!string_param(cmd, "idSeed", &seed, err)) return false;
    if (!ids_seed(&r->ctx.ids, seed, now)) return error_set(err, ERR_INVALID_REQUEST, "idSeed must be 32 hex digits");
    r->ctx.externally_terminated = true;
    if (is_new_instance(param(cmd, "command")->valuestring)) return true;
    const cJSON *state = param(cmd, "state");
    if (!cJSON_IsObject(state)) return error_set(err, ERR_INVALID_REQUEST, "state must be an object");
    r->ctx.pi = state_from_json(m, state, err);
    if (!r->ctx.pi || !state_check(r->ctx.pi, err)) return false;
    if ((r->ctx.pi->ended || !r->ctx.pi->root) && strcmp(param(cmd, "command")->valuestring, "modify") == 0)
        return error_set(err, ERR_ENGINE,
                         "ENGINE-13036 Process instance '%s' cannot be modified. The process instance does not exist",
                         r->ctx.pi->id);
    if (r->ctx.pi->ended || !r->ctx.pi->root)
        return error_set(err, ERR_ENGINE, "Process instance '%s' has ended", r->ctx.pi->id);
    return true;
}

static void run_free(run *r) {
    state_free(r->ctx.pi);
    jw_free(&r->ctx.history);
    jw_free(&r->result);
    jw_free(&r->tree_before);
}

/* The options of a command whose result a dry run reads (modify, restart): the activity instance
 * trees in the result, so the caller need not send the state back for them, and no state document
 * when the caller keeps none. `before`: the command reads an instance (modify), whose tree as read
 * is written now, before the command changes it. */
static void result_options(run *r, bool before) {
    r->with_tree = bool_param(r->cmd, "withActivityInstances", false);
    r->omit_state = bool_param(r->cmd, "omitState", false);
    if (before && bool_param(r->cmd, "withActivityInstancesBefore", false)) tree_write(&r->tree_before, r->ctx.pi);
}

/* The result document's text; frees r. The history and the command's result were written as
 * the command ran and are copied in as they are. */
static char *run_result(run *r) {
    instance *pi = r->ctx.pi;
    json_writer out = {0};
    jw_object_begin(&out);
    if (!r->omit_state) {
        jw_key(&out, "state");
        state_write(&out, pi);
    }
    jw_array_end(&r->ctx.history);
    jw_key(&out, "history");
    jw_raw(&out, r->ctx.history.buf, r->ctx.history.len);
    jw_key(&out, "index");
    state_write_index(&out, pi);
    jw_key(&out, "result");
    if (r->result.len) {
        jw_raw(&out, r->result.buf, r->result.len);
    } else {
        jw_object_begin(&out);
        jw_object_end(&out);
    }
    if (r->with_tree || r->tree_before.len) {
        jw_object_reopen(&out); /* the trees go into the command's result */
        if (r->tree_before.len) {
            jw_key(&out, "activityInstancesBefore");
            jw_raw(&out, r->tree_before.buf, r->tree_before.len);
        }
        if (r->with_tree) {
            jw_key(&out, "activityInstances");
            if (pi->ended || !pi->root) jw_null(&out); /* an ended instance has no tree */
            else tree_write(&out, pi);
        }
        jw_object_end(&out);
    }
    jw_object_end(&out);
    run_free(r);
    return jw_take(&out);
}

/* --- suspension --- */

/* Camunda's EnginePersistenceLogger.suspendedEntityException (ENGINE-03043): what a command may
 * not do to a suspended instance's task, external task or execution. */
static bool ensure_active(run *r, const char *entity, const char *id) {
    if (!r->ctx.pi->suspended) return true;
    return error_set(r->err, ERR_SUSPENDED, "ENGINE-03043 %s with id '%s' is suspended.", entity, id);
}

/* Suspends or activates the instance; its jobs follow it (Camunda updates them with the instance).
 * Doing it twice is no error: the state and its history event are simply written again. */
static bool cmd_suspend(run *r) {
    const cJSON *p = param(r->cmd, "suspended");
    if (!cJSON_IsBool(p)) return error_set(r->err, ERR_INVALID_REQUEST, "suspended must be a boolean");
    instance *pi = r->ctx.pi;
    pi->suspended = cJSON_IsTrue(p);
    for (size_t i = 0; i < pi->jobs.n; i++) pi->jobs.items[i]->suspended = pi->suspended;
    history_process_update(&r->ctx);
    return true;
}

/* --- start --- */

static bool run_instruction(exec_ctx *ctx, const cJSON *ins, error *err) {
    const model *m = ctx->pi->model;
    const char *type;
    if (!cJSON_IsObject(ins)) return error_set(err, ERR_INVALID_REQUEST, "instructions must be objects");
    if (!required_string(ins, "type", &type, err)) return false;
    const cJSON *vars = param(ins, "variables");
    const char *activity_id, *transition_id;
    if (!string_param(ins, "activityId", &activity_id, err) || !string_param(ins, "transitionId", &transition_id, err))
        return false;
    if (strcmp(type, "startBeforeActivity") == 0) {
        if (!activity_id) return error_set(err, ERR_NOT_VALID, "activityId is null");
        const model_element *target = model_element_by_id(m, activity_id);
        if (!target || target->kind == EL_PROCESS)
            return error_set(err, ERR_NOT_VALID,
                             "Cannot perform instruction: Start before activity '%s'; Element '%s' does not exist in "
                             "process '%s': element is null",
                             activity_id, activity_id, m->definition_id);
        return exec_start_before(ctx, target, vars);
    }
    if (strcmp(type, "startAfterActivity") == 0) {
        if (!activity_id) return error_set(err, ERR_NOT_VALID, "activityId is null");
        const model_element *source = model_element_by_id(m, activity_id);
        if (!source || source->kind == EL_PROCESS)
            return error_set(err, ERR_NOT_VALID,
                             "Cannot perform instruction: Start after activity '%s'; Activity '%s' does not exist: "
                             "activity is null",
                             activity_id, activity_id);
        if (source->n_outgoing == 0)
            return error_set(err, ERR_ENGINE,
                             "Cannot start after activity %s; activity has no outgoing sequence flow to take",
                             activity_id);
        if (source->n_outgoing > 1)
            return error_set(err, ERR_ENGINE,
                             "Cannot start after activity %s; activity has more than one outgoing sequence flow",
                             activity_id);
        return exec_start_transition(ctx, source->outgoing[0], vars);
    }
    if (strcmp(type, "startTransition") == 0) {
        if (!transition_id) return error_set(err, ERR_NOT_VALID, "transitionId is null");
        const model_flow *flow = model_flow_by_id(m, transition_id);
        if (!flow)
            return error_set(err, ERR_NOT_VALID,
                             "Cannot perform instruction: Start transition '%s'; Element '%s' does not exist in "
                             "process '%s': element is null",
                             transition_id, transition_id, m->definition_id);
        return exec_start_transition(ctx, flow, vars);
    }
    return error_set(err, ERR_BAD_REQUEST, "Unsupported start instruction type '%s'", type);
}

/* Camunda records the first instantiated activity as the instance's start activity. */
static const char *start_activity_of(const model *m, const cJSON *instructions) {
    const cJSON *first = cJSON_GetArrayItem(instructions, 0);
    if (!first) return m->process->initial ? m->process->initial->id : NULL;
    const cJSON *id = param(first, "activityId");
    const cJSON *type = param(first, "type");
    if (cJSON_IsString(type) && strcmp(type->valuestring, "startTransition") == 0) {
        const cJSON *tid = param(first, "transitionId");
        const model_flow *f = cJSON_IsString(tid) ? model_flow_by_id(m, tid->valuestring) : NULL;
        return f ? f->target->id : NULL;
    }
    if (cJSON_IsString(type) && strcmp(type->valuestring, "startAfterActivity") == 0) {
        const model_element *a = cJSON_IsString(id) ? model_element_by_id(m, id->valuestring) : NULL;
        return a && a->n_outgoing == 1 ? a->outgoing[0]->target->id : NULL;
    }
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* What a new instance starts with: a plain start and a restart differ only in these. */
typedef struct start_args {
    const char *business_key, *tenant_id, *restarted_from;
    const cJSON *variables;    /* set on the instance before anything runs */
    const cJSON *instructions; /* none: the process runs from its start event */
    bool initial_instruction_variables; /* the instructions' variables are the initial ones (restart) */
} start_args;

/* Camunda's StartProcessInstanceAtActivitiesCmd names the element the first instruction enters
 * before anything runs (a startAfterActivity of an unknown activity fails in the instruction). */
static bool check_first_target(const model *m, const cJSON *instructions, error *err) {
    const cJSON *first = cJSON_GetArrayItem(instructions, 0);
    const cJSON *type = param(first, "type");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "startAfterActivity") == 0) return true;
    bool transition = strcmp(type->valuestring, "startTransition") == 0;
    const cJSON *id = param(first, transition ? "transitionId" : "activityId");
    if (!cJSON_IsString(id)) return true;
    const model_element *el = transition ? NULL : model_element_by_id(m, id->valuestring);
    if (transition ? model_flow_by_id(m, id->valuestring) != NULL : el && el->kind != EL_PROCESS) return true;
    return error_set(err, ERR_NOT_VALID, "Element '%s' does not exist in process %s: targetElement is null",
                     id->valuestring, m->definition_id);
}

static bool start_instance(run *r, const model *m, const char *pi_id, const start_args *a) {
    error *err = r->err;
    const cJSON *instructions = a->instructions;
    if (instructions && !cJSON_IsNull(instructions) && !cJSON_IsArray(instructions))
        return error_set(err, ERR_INVALID_REQUEST, "startInstructions must be an array");
    int n_instructions = cJSON_GetArraySize(instructions);
    if (n_instructions > 0 && !check_first_target(m, instructions, err)) return false;
    char *generated = pi_id ? NULL : ids_uuid(&r->ctx.ids);
    instance *pi = state_new(m, pi_id ? pi_id : generated);
    free(generated);
    r->ctx.pi = pi;
    pi->tenant_id = str_dup(a->tenant_id ? a->tenant_id : m->tenant_id);
    pi->restarted_from = str_dup(a->restarted_from);
    pi->start_activity_id = str_dup(start_activity_of(m, instructions));
    r->ctx.skip_custom_listeners = bool_param(r->cmd, "skipCustomListeners", false);
    r->ctx.skip_io_mappings = bool_param(r->cmd, "skipIoMappings", false);
    /* an instance started at several activities has no unique start, hence no initial variables */
    if (!exec_start_instance(&r->ctx, a->business_key, a->variables, n_instructions <= 1)) return false;
    jw_object_begin(&r->result);
    jw_key_string(&r->result, "processInstanceId", pi->id);
    jw_object_end(&r->result);
    if (n_instructions == 0) return exec_run_from_start(&r->ctx);
    r->ctx.preserve_scope = true;
    r->ctx.initial_trigger_variables = a->initial_instruction_variables && n_instructions == 1;
    const cJSON *ins;
    cJSON_ArrayForEach(ins, instructions) {
        if (!run_instruction(&r->ctx, ins, err)) return false;
    }
    r->ctx.initial_trigger_variables = false;
    return exec_finish_instructions(&r->ctx);
}

static bool cmd_start(run *r, const model *m) {
    const cJSON *cmd = r->cmd;
    error *err = r->err;
    const char *pi_id;
    start_args a = {.variables = param(cmd, "variables"), .instructions = param(cmd, "startInstructions")};
    if (!string_param(cmd, "processInstanceId", &pi_id, err) ||
        !string_param(cmd, "businessKey", &a.business_key, err) ||
        !string_param(cmd, "tenantId", &a.tenant_id, err) ||
        !string_param(cmd, "restartedProcessInstanceId", &a.restarted_from, err))
        return false;
    return start_instance(r, m, pi_id, &a);
}

/* --- restart (restart.c) --- */

/* {processDefinitionId (the one asked for; default: the model's), historicProcessInstance,
 * historicVariableInstances, historicDetails (its rows), instructions, initialVariables,
 * withoutBusinessKey, skipCustomListeners, skipIoMappings} → a new instance of the model. */
static bool cmd_restart(run *r, const model *m) {
    const cJSON *cmd = r->cmd;
    error *err = r->err;
    const char *asked, *pi_id;
    result_options(r, false);
    if (!string_param(cmd, "processDefinitionId", &asked, err) || !string_param(cmd, "processInstanceId", &pi_id, err))
        return false;
    const cJSON *instructions = param(cmd, "instructions");
    if (instructions && !cJSON_IsNull(instructions) && !cJSON_IsArray(instructions))
        return error_set(err, ERR_INVALID_REQUEST, "instructions must be an array");
    if (cJSON_GetArraySize(instructions) == 0)
        return error_set(err, ERR_BAD_REQUEST, "Restart instructions cannot be empty: instructions is empty");
    const cJSON *historic = param(cmd, "historicProcessInstance");
    if (!restart_check(historic, asked ? asked : m->definition_id, err)) return false;
    const char *historic_id = cJSON_GetObjectItemCaseSensitive(historic, "id")->valuestring;
    const cJSON *instances = param(cmd, "historicVariableInstances"), *details = param(cmd, "historicDetails");
    /* an object's members would otherwise be read as rows */
    if (instances && !cJSON_IsNull(instances) && !cJSON_IsArray(instances))
        return error_set(err, ERR_INVALID_REQUEST, "historicVariableInstances must be an array");
    if (details && !cJSON_IsNull(details) && !cJSON_IsArray(details))
        return error_set(err, ERR_INVALID_REQUEST, "historicDetails must be an array");
    cJSON *variables = restart_variables(historic_id, instances, details, bool_param(cmd, "initialVariables", false));
    cJSON *delivered = restart_instructions(instructions, variables);
    cJSON_Delete(variables);
    const cJSON *key = param(historic, "businessKey");
    const cJSON *tenant = param(historic, "tenantId");
    start_args a = {
        .business_key = cJSON_IsString(key) && !bool_param(cmd, "withoutBusinessKey", false) ? key->valuestring : NULL,
        /* a shared definition (no tenant) keeps the historic instance's tenant */
        .tenant_id = !m->tenant_id && cJSON_IsString(tenant) ? tenant->valuestring : NULL,
        .restarted_from = historic_id,
        .instructions = delivered,
        .initial_instruction_variables = true,
    };
    bool ok = start_instance(r, m, pi_id, &a);
    cJSON_Delete(delivered);
    return ok;
}

/* --- user tasks --- */

static bool cmd_complete_task(run *r) {
    const char *task_id;
    if (!required_string(r->cmd, "taskId", &task_id, r->err)) return false;
    task *t = state_task_by_id(r->ctx.pi, task_id);
    if (!t) return error_set(r->err, ERR_NOT_FOUND, "Cannot find task with id %s: task is null", task_id);
    if (!ensure_active(r, "task", task_id)) return false;
    execution *exec = t->exec;
    if (!exec_set_variables_json(&r->ctx, exec, param(r->cmd, "variables"), false)) return false;
    if (!exec_set_variables_json(&r->ctx, exec, param(r->cmd, "localVariables"), true)) return false;
    history_task(&r->ctx, "taskComplete", t, "completed");
    return exec_activity_done(&r->ctx, exec);
}

/* --- external tasks --- */

static external_task *find_external_task(run *r) {
    const char *id;
    if (!required_string(r->cmd, "externalTaskId", &id, r->err)) return NULL;
    external_task *t = state_external_task_by_id(r->ctx.pi, id);
    if (!t) error_set(r->err, ERR_NOT_FOUND, "Cannot find external task with id %s: externalTask is null", id);
    return t;
}

/* Only the worker holding the lock may act on a locked task (when the command names a worker).
 * `refusal` is Camunda's message for the action, with %s for task id, worker and lock owner. */
static bool check_worker(run *r, external_task *t, const char *refusal) {
    const char *worker;
    if (!string_param(r->cmd, "workerId", &worker, r->err)) return false;
    if (!worker || str_eq(worker, t->worker_id)) return true;
    return error_set(r->err, ERR_BAD_REQUEST, refusal, t->id, worker, t->worker_id ? t->worker_id : "null");
}

/* Camunda checks the worker first, then ExternalTaskEntity.ensureActive. */
static bool ensure_external_task_active(run *r, const external_task *t) { return ensure_active(r, "ExternalTask", t->id); }

#define REFUSE_COMPLETE "External Task %s cannot be completed by worker '%s'. It is locked by worker '%s'."
#define REFUSE_FAILURE "Failure of External Task %s cannot be reported by worker '%s'. It is locked by worker '%s'."
#define REFUSE_BPMN_ERROR "Bpmn error of External Task %s cannot be reported by worker '%s'. It is locked by worker '%s'."
/* sic: Camunda doubles the quote after the worker id */
#define REFUSE_EXTEND "The lock of the External Task %s cannot be extended by worker '%s''. It is locked by worker '%s'."

static bool cmd_lock_external_task(run *r) {
    external_task *t = find_external_task(r);
    if (!t) return false;
    const char *worker;
    int64_t duration;
    if (!required_string(r->cmd, "workerId", &worker, r->err) ||
        !int_param(r->cmd, "lockDuration", 0, &duration, r->err))
        return false;
    if (duration <= 0) return error_set(r->err, ERR_BAD_REQUEST, "lockDuration is not greater than 0");
    if (!ensure_external_task_active(r, t)) return false;
    /* another worker's fetchAndLock got it first (its lock is in the state this command reads) */
    if (t->lock_expiration > r->ctx.now)
        return error_set(r->err, ERR_OPTIMISTIC_LOCK, "ExternalTask[%s] is already locked until %lld", t->id,
                         (long long)t->lock_expiration);
    free(t->worker_id);
    t->worker_id = str_dup(worker);
    t->lock_expiration = r->ctx.now + duration;
    jw_object_begin(&r->result);
    jw_key_string(&r->result, "externalTaskId", t->id);
    jw_key(&r->result, "variables");
    state_write_variables(&r->result, r->ctx.pi, t->exec, false);
    jw_object_end(&r->result);
    return true;
}

static bool cmd_complete_external_task(run *r) {
    external_task *t = find_external_task(r);
    if (!t || !check_worker(r, t, REFUSE_COMPLETE) || !ensure_external_task_active(r, t)) return false;
    execution *exec = t->exec;
    if (!exec_set_variables_json(&r->ctx, exec, param(r->cmd, "variables"), false)) return false;
    if (!exec_set_variables_json(&r->ctx, exec, param(r->cmd, "localVariables"), true)) return false;
    events_resolve_incidents(&r->ctx, t->id);
    state_remove_external_task(r->ctx.pi, t);
    return exec_activity_done(&r->ctx, exec);
}

static incident *new_incident(exec_ctx *ctx, incident_kind kind, const char *activity_id, execution *exec,
                              const char *configuration, const char *message) {
    incident *inc = calloc(1, sizeof *inc);
    if (!inc) abort();
    inc->id = ids_uuid(&ctx->ids);
    inc->kind = kind;
    inc->activity_id = str_dup(activity_id);
    inc->exec = exec;
    inc->configuration = str_dup(configuration);
    inc->message = str_dup(message);
    inc->timestamp = ctx->now;
    state_add_incident(ctx->pi, inc);
    history_incident(ctx, "incidentCreate", inc);
    return inc;
}

static bool cmd_fail_external_task(run *r) {
    external_task *t = find_external_task(r);
    if (!t || !check_worker(r, t, REFUSE_FAILURE) || !ensure_external_task_active(r, t)) return false;
    const char *message, *details;
    int64_t retries, timeout;
    if (!string_param(r->cmd, "errorMessage", &message, r->err) ||
        !string_param(r->cmd, "errorDetails", &details, r->err) ||
        !int_param(r->cmd, "retries", 0, &retries, r->err) || !int_param(r->cmd, "retryTimeout", 0, &timeout, r->err))
        return false;
    if (retries < 0) return error_set(r->err, ERR_BAD_REQUEST, "retries is not greater than or equal to 0");
    t->retries = (int)retries;
    free(t->error_message);
    t->error_message = str_dup(message);
    free(t->error_details);
    t->error_details = str_dup(details);
    /* the worker keeps its claim: it may still complete the task (Camunda does the same) */
    t->lock_expiration = r->ctx.now + (timeout > 0 ? timeout : 0);
    if (retries == 0) new_incident(&r->ctx, INCIDENT_FAILED_EXTERNAL_TASK, t->activity_id, t->exec, t->id, message);
    return true;
}

static bool cmd_extend_lock(run *r) {
    external_task *t = find_external_task(r);
    if (!t) return false;
    const char *worker;
    int64_t duration;
    if (!required_string(r->cmd, "workerId", &worker, r->err) ||
        !int_param(r->cmd, "newDuration", 0, &duration, r->err))
        return false;
    if (duration <= 0) return error_set(r->err, ERR_BAD_REQUEST, "lockDuration is not greater than 0");
    if (!t->worker_id || t->lock_expiration <= r->ctx.now)
        return error_set(r->err, ERR_BAD_REQUEST, "The lock of the External Task %s cannot be extended by worker '%s'",
                         t->id, worker);
    if (!check_worker(r, t, REFUSE_EXTEND) || !ensure_external_task_active(r, t)) return false;
    t->lock_expiration = r->ctx.now + duration;
    return true;
}

static bool cmd_bpmn_error_external_task(run *r) {
    external_task *t = find_external_task(r);
    if (!t || !check_worker(r, t, REFUSE_BPMN_ERROR) || !ensure_external_task_active(r, t)) return false;
    const char *code, *message;
    if (!required_string(r->cmd, "errorCode", &code, r->err) || !string_param(r->cmd, "errorMessage", &message, r->err))
        return false;
    execution *exec = t->exec;
    if (!exec_set_variables_json(&r->ctx, exec, param(r->cmd, "variables"), false)) return false;
    state_remove_external_task(r->ctx.pi, t);
    return exec_throw_bpmn_error(&r->ctx, exec, code, message, true);
}

/* --- jobs --- */

static bool cmd_execute_job(run *r) {
    const char *id;
    if (!required_string(r->cmd, "jobId", &id, r->err)) return false;
    job *j = state_job_by_id(r->ctx.pi, id);
    if (!j) return error_set(r->err, ERR_NOT_FOUND, "No job found with id '%s': job is null", id);
    if (j->suspended || r->ctx.pi->suspended)
        return error_set(r->err, ERR_SUSPENDED, "Job with id '%s' is suspended", id);
    return exec_execute_job(&r->ctx, j);
}

/* The job failed: nothing of its work stays, but the failure does (retries, message, incident). */
static char *record_job_failure(const model *m, const cJSON *cmd, error *failure, error *err) {
    run r;
    if (!run_init(&r, m, cmd, err)) {
        run_free(&r);
        return NULL;
    }
    jw_array_begin(&r.ctx.history);
    job *j = state_job_by_id(r.ctx.pi, param(cmd, "jobId")->valuestring);
    bool had_retries = j->retries > 0;
    j->retries = had_retries ? j->retries - 1 : 0;
    free(j->exception_message);
    j->exception_message = str_dup(failure->message);
    /* a job forced to run at 0 retries already has its incident (Camunda checks for it too) */
    if (had_retries && j->retries == 0)
        new_incident(&r.ctx, INCIDENT_FAILED_JOB, j->activity->id, j->exec, j->id, failure->message);
    jw_object_begin(&r.result);
    jw_key_bool(&r.result, "failed", true);
    jw_key_string(&r.result, "type", failure->type ? failure->type : ERR_ENGINE);
    jw_key_string(&r.result, "message", failure->message ? failure->message : "");
    jw_object_end(&r.result);
    return run_result(&r);
}

static bool cmd_fire_due_timers(run *r) {
    instance *pi = r->ctx.pi;
    jw_object_begin(&r->result);
    jw_key(&r->result, "fired");
    jw_array_begin(&r->result);
    /* only the timers due when the command starts: a cycle's next firing waits for the next call */
    size_t n = 0;
    char **ids = malloc((pi->jobs.n + 1) * sizeof *ids);
    if (!ids) abort();
    for (size_t i = 0; i < pi->jobs.n; i++) {
        job *j = pi->jobs.items[i];
        if (j->kind >= JOB_TIMER_BOUNDARY && !j->suspended && !pi->suspended && j->due <= r->ctx.now)
            ids[n++] = str_dup(j->id);
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        job *j = ok && r->ctx.pi->root ? state_job_by_id(r->ctx.pi, ids[i]) : NULL;
        if (j) {
            jw_string(&r->result, ids[i]);
            ok = exec_execute_job(&r->ctx, j);
        }
        free(ids[i]);
    }
    free(ids);
    jw_array_end(&r->result);
    jw_object_end(&r->result);
    return ok;
}

/* Camunda's SetJobRetriesCmd through ManagementService.setJobRetries(retries).jobId(id).dueDate(d):
 * the retries are checked first (CommandLogger ENGINE-13054), then the job is looked up (13053,
 * sic: the stray quote is Camunda's). JobEntity.setRetries raises or resolves the failedJob
 * incident when the retries leave or reach 0. */
static bool cmd_set_job_retries(run *r) {
    const cJSON *p = param(r->cmd, "retries");
    int64_t retries;
    if (!p || cJSON_IsNull(p)) return error_set(r->err, ERR_NOT_VALID, "retries is null");
    if (!int_param(r->cmd, "retries", 0, &retries, r->err)) return false;
    if (retries < 0)
        return error_set(r->err, ERR_ENGINE,
                         "ENGINE-13054 The number of job retries must be a non-negative Integer, but '%lld' has been "
                         "provided.",
                         (long long)retries);
    if (retries > INT32_MAX) return error_set(r->err, ERR_INVALID_REQUEST, "retries must be a 32-bit integer");
    const char *id;
    if (!string_param(r->cmd, "jobId", &id, r->err)) return false;
    if (!id || !*id)
        return error_set(r->err, ERR_ENGINE,
                         "ENGINE-13052 You must specify exactly one of jobId, jobIds or jobDefinitionId as parameter. "
                         "The parameter can not be null.");
    job *j = state_job_by_id(r->ctx.pi, id);
    if (!j) return error_set(r->err, ERR_ENGINE, "ENGINE-13053 No job found with id '%s'.'", id);
    const cJSON *due = param(r->cmd, "dueDate");
    int64_t due_ms = 0;
    if (due && !cJSON_IsNull(due) && !int_param(r->cmd, "dueDate", 0, &due_ms, r->err)) return false;
    if (due_ms < 0) return error_set(r->err, ERR_INVALID_REQUEST, "dueDate must be epoch milliseconds");
    int old = j->retries;
    j->retries = (int)retries;
    if (due) j->due = due_ms; /* present: set, null included (due now) */
    if (old == 0 && retries > 0) events_resolve_incidents(&r->ctx, j->id);
    else if (old > 0 && retries == 0)
        new_incident(&r->ctx, INCIDENT_FAILED_JOB, j->activity->id, j->exec, j->id, j->exception_message);
    return true;
}

/* --- messages --- */

static bool cmd_correlate_message(run *r) {
    const char *name;
    if (!required_string(r->cmd, "messageName", &name, r->err)) return false;
    instance *pi = r->ctx.pi;
    bool all = bool_param(r->cmd, "all", false);
    char **ids = malloc((pi->subscriptions.n + 1) * sizeof *ids);
    if (!ids) abort();
    size_t n = 0;
    /* Camunda correlates to active executions only: a suspended instance matches nothing */
    for (size_t i = 0; i < pi->subscriptions.n && !pi->suspended; i++)
        if (str_eq(pi->subscriptions.items[i]->event_name, name)) ids[n++] = str_dup(pi->subscriptions.items[i]->id);
    bool ok = n > 0 && (all || n == 1);
    if (n == 0)
        error_set(r->err, ERR_MISMATCHING_CORRELATION,
                  "Cannot correlate message '%s': No process definition or execution matches the parameters", name);
    else if (!ok)
        error_set(r->err, ERR_MISMATCHING_CORRELATION,
                  "ENGINE-13031 Cannot correlate a message with name '%s' to a single execution. %zu executions match "
                  "the correlation keys: CorrelationSet [businessKey=%s, processInstanceId=%s, processDefinitionId=null, "
                  "correlationKeys=null, localCorrelationKeys=null, tenantId=null, isTenantIdSet=false, "
                  "isExecutionsOnly=false]",
                  name, n, pi->business_key ? pi->business_key : "null", pi->id);
    jw_object_begin(&r->result);
    jw_key(&r->result, "executionIds");
    jw_array_begin(&r->result);
    for (size_t i = 0; i < n; i++) {
        subscription *s = NULL;
        for (size_t k = 0; ok && r->ctx.pi->root && k < pi->subscriptions.n; k++)
            if (str_eq(pi->subscriptions.items[k]->id, ids[i])) s = pi->subscriptions.items[k];
        if (s) {
            jw_string(&r->result, s->exec->id);
            ok = exec_set_variables_json(&r->ctx, s->exec, param(r->cmd, "processVariables"), false) &&
                 exec_set_variables_json(&r->ctx, s->exec, param(r->cmd, "processVariablesLocal"), true) &&
                 exec_trigger_subscription(&r->ctx, s);
        }
        free(ids[i]);
    }
    free(ids);
    jw_array_end(&r->result);
    jw_object_end(&r->result);
    return ok;
}

/* --- variables --- */

static bool target_execution(run *r, execution **out) {
    const char *exec_id;
    if (!string_param(r->cmd, "executionId", &exec_id, r->err)) return false;
    *out = exec_id ? state_execution_by_id(r->ctx.pi, exec_id) : r->ctx.pi->root;
    if (!*out) return error_set(r->err, ERR_NOT_FOUND, "execution %s doesn't exist: execution is null", exec_id);
    return true;
}

/* Task-local variables live on the task itself (Camunda's TaskService.setVariablesLocal). */
static bool set_task_variables(run *r, task *t, const cJSON *vars) {
    const cJSON *item;
    cJSON_ArrayForEach(item, vars) {
        value v;
        if (!value_from_json(item, &v, r->err)) return false;
        char *id = ids_uuid(&r->ctx.ids);
        bool created;
        variable *var = var_map_put(&t->vars, id, item->string, &v, &created);
        free(id);
        value_free(&v);
        history_variable(&r->ctx, created ? "variableCreate" : "variableUpdate", var, t->exec, t);
    }
    return true;
}

static bool cmd_modify_variables(run *r) {
    const char *task_id;
    if (!string_param(r->cmd, "taskId", &task_id, r->err)) return false;
    task *t = task_id ? state_task_by_id(r->ctx.pi, task_id) : NULL;
    if (task_id && !t) return error_set(r->err, ERR_NOT_FOUND, "Cannot find task with id %s: task is null", task_id);
    execution *exec;
    if (t)
        exec = t->exec;
    else if (!target_execution(r, &exec))
        return false;
    bool local = bool_param(r->cmd, "local", true);
    const cJSON *modifications = param(r->cmd, "modifications");
    if (modifications && !cJSON_IsNull(modifications) && !cJSON_IsObject(modifications))
        return error_set(r->err, ERR_INVALID_REQUEST, "modifications must be an object");
    if (t && local) {
        if (!set_task_variables(r, t, modifications)) return false;
        const cJSON *name;
        cJSON_ArrayForEach(name, param(r->cmd, "deletions")) {
            variable *var = cJSON_IsString(name) ? var_map_get(&t->vars, name->valuestring) : NULL;
            if (!var) continue;
            history_variable(&r->ctx, "variableDelete", var, t->exec, t);
            var_map_remove(&t->vars, name->valuestring);
        }
        return true;
    }
    const cJSON *deletions = param(r->cmd, "deletions");
    if (deletions && !cJSON_IsNull(deletions) && !cJSON_IsArray(deletions))
        return error_set(r->err, ERR_INVALID_REQUEST, "deletions must be an array");
    if (!exec_set_variables_json(&r->ctx, exec, param(r->cmd, "modifications"), local)) return false;
    const cJSON *name;
    cJSON_ArrayForEach(name, deletions) {
        if (!cJSON_IsString(name)) return error_set(r->err, ERR_INVALID_REQUEST, "deletions must be names");
        if (!exec_remove_variable(&r->ctx, exec, name->valuestring, local)) return false;
    }
    return true;
}

/* --- deletion --- */

static bool cmd_delete(run *r) {
    const char *reason;
    if (!string_param(r->cmd, "deleteReason", &reason, r->err)) return false;
    r->ctx.skip_custom_listeners = bool_param(r->cmd, "skipCustomListeners", false);
    r->ctx.skip_io_mappings = bool_param(r->cmd, "skipIoMappings", false);
    r->ctx.externally_terminated = bool_param(r->cmd, "externallyTerminated", true);
    return exec_delete_instance(&r->ctx, reason);
}

/* --- modification (src/modify.c) --- */

static bool cmd_modify(run *r) {
    result_options(r, true);
    return modify_run(&r->ctx, r->cmd, &r->result);
}

/* --- queries: no state change, only a result --- */

static char *query(const model *m, const cJSON *cmd, const char *name, error *err) {
    const cJSON *state = param(cmd, "state");
    if (!cJSON_IsObject(state)) {
        error_set(err, ERR_INVALID_REQUEST, "state must be an object");
        return NULL;
    }
    instance *pi = state_from_json(m, state, err);
    if (!pi) return NULL;
    json_writer out = {0};
    jw_object_begin(&out);
    jw_key(&out, "result");
    bool ok = false;
    if (strcmp(name, "activityInstances") == 0) {
        if (!pi->root) {
            error_set(err, ERR_NOT_FOUND, "Process instance with id %s does not exist", pi->id);
        } else {
            tree_write(&out, pi);
            ok = true;
        }
    } else {
        const char *exec_id = NULL, *ai_id = NULL, *task_id = NULL;
        bool local = bool_param(cmd, "local", false);
        if (string_param(cmd, "executionId", &exec_id, err) && string_param(cmd, "activityInstanceId", &ai_id, err) &&
            string_param(cmd, "taskId", &task_id, err)) {
            execution *scope = pi->root;
            bool scope_node;
            if (exec_id) scope = state_execution_by_id(pi, exec_id);
            if (ai_id && !tree_find_activity_instance(pi, ai_id, &scope, &scope_node)) scope = NULL;
            task *t = task_id ? state_task_by_id(pi, task_id) : NULL;
            if (task_id && !t) {
                error_set(err, ERR_NOT_FOUND, "Cannot find task with id %s: task is null", task_id);
            } else if (t && local) {
                state_write_var_map(&out, &t->vars);
                ok = true;
            } else if (!scope && !t) {
                error_set(err, ERR_NOT_FOUND, "execution %s doesn't exist: execution is null",
                          exec_id ? exec_id : ai_id ? ai_id : pi->id);
            } else {
                state_write_variables(&out, pi, t ? t->exec : scope, local);
                ok = true;
            }
        }
    }
    state_free(pi);
    if (!ok) {
        jw_free(&out);
        return NULL;
    }
    jw_object_end(&out);
    return jw_take(&out);
}

/* --- dispatch --- */

typedef bool (*command_fn)(run *r);

static const struct {
    const char *name;
    command_fn fn;
} COMMANDS[] = {
    {"completeTask", cmd_complete_task},
    {"lockExternalTask", cmd_lock_external_task},
    {"completeExternalTask", cmd_complete_external_task},
    {"failExternalTask", cmd_fail_external_task},
    {"extendLock", cmd_extend_lock},
    {"bpmnErrorExternalTask", cmd_bpmn_error_external_task},
    {"executeJob", cmd_execute_job},
    {"fireDueTimers", cmd_fire_due_timers},
    {"correlateMessage", cmd_correlate_message},
    {"modifyVariables", cmd_modify_variables},
    {"delete", cmd_delete},
    {"suspend", cmd_suspend},
    {"setJobRetries", cmd_set_job_retries},
    {"modify", cmd_modify},
};

char *commands_run(const model *m, const cJSON *cmd, error *err) {
    if (!cJSON_IsObject(cmd)) {
        error_set(err, ERR_INVALID_REQUEST, "The command must be a JSON object");
        return NULL;
    }
    const cJSON *name = param(cmd, "command");
    if (!cJSON_IsString(name)) {
        error_set(err, ERR_INVALID_REQUEST, "command is missing");
        return NULL;
    }
    if (strcmp(name->valuestring, "activityInstances") == 0 || strcmp(name->valuestring, "variables") == 0)
        return query(m, cmd, name->valuestring, err);
    /* stateless: no instance, only the command document (batch_split.c) */
    if (strcmp(name->valuestring, "splitBatch") == 0) return batch_split_run(cmd, err);
    command_fn fn = NULL;
    for (size_t i = 0; i < sizeof COMMANDS / sizeof *COMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name->valuestring) == 0) fn = COMMANDS[i].fn;
    bool is_start = strcmp(name->valuestring, "start") == 0, is_restart = strcmp(name->valuestring, "restart") == 0;
    if (!fn && !is_start && !is_restart) {
        error_set(err, ERR_INVALID_REQUEST, "Unknown command '%s'", name->valuestring);
        return NULL;
    }
    run r;
    if (!run_init(&r, m, cmd, err)) {
        run_free(&r);
        return NULL;
    }
    jw_array_begin(&r.ctx.history);
    bool ok = is_start ? cmd_start(&r, m) : is_restart ? cmd_restart(&r, m) : fn(&r);
    if (ok) return run_result(&r);
    run_free(&r);
    /* a job that ran and failed is not an error of the command: its failure is recorded */
    if (fn == cmd_execute_job && err->type && strcmp(err->type, ERR_NOT_FOUND) != 0 &&
        strcmp(err->type, ERR_SUSPENDED) != 0 && strcmp(err->type, ERR_INVALID_REQUEST) != 0 &&
        strcmp(err->type, ERR_NOT_VALID) != 0) {
        error failure = *err;
        *err = (error){0};
        char *out = record_job_failure(m, cmd, &failure, err);
        error_clear(&failure);
        return out;
    }
    return NULL;
}
