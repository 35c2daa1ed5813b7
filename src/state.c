/*
 * state.c — the runtime state of one process instance: the execution tree, local variables and
 * the artefacts (tasks, external tasks, jobs, subscriptions, incidents) hanging off executions.
 *
 * Invariant: every artefact's `exec` is a live execution of the same instance. Removing an
 * execution therefore removes every artefact pointing into its subtree, and restructuring the tree
 * (state_replace) carries token-level artefacts along with the token.
 */
#include "state.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

/* --- growable pointer arrays --- */

static void array_push(void ***items, size_t *n, size_t *cap, void *item) {
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        void **grown = realloc(*items, ncap * sizeof **items);
        if (!grown) abort(); /* out of memory is the one failure the core does not recover from */
        *items = grown;
        *cap = ncap;
    }
    (*items)[(*n)++] = item;
}

static void array_remove(void **items, size_t *n, void *item) {
    for (size_t i = 0; i < *n; i++) {
        if (items[i] == item) {
            memmove(&items[i], &items[i + 1], (*n - i - 1) * sizeof *items);
            (*n)--;
            return;
        }
    }
}

#define PUSH(arr, item) array_push((void ***)&(arr).items, &(arr).n, &(arr).cap, (item))
#define REMOVE(arr, item) array_remove((void **)(arr).items, &(arr).n, (item))

/* --- instance --- */

instance *state_new(const model *m, const char *id) {
    instance *pi = calloc(1, sizeof *pi);
    if (!pi) abort();
    pi->model = m;
    pi->id = str_dup(id);
    return pi;
}

static void execution_free(execution *e) {
    for (size_t i = 0; i < e->n_children; i++) execution_free(e->children[i]);
    free(e->children);
    free(e->id);
    free(e->scope_instance_id);
    free(e->activity_instance_id);
    var_map_free(&e->vars);
    free(e);
}

void state_free(instance *pi) {
    if (!pi) return;
    for (size_t i = 0; i < pi->tasks.n; i++) state_task_free(pi->tasks.items[i]);
    for (size_t i = 0; i < pi->external_tasks.n; i++) state_external_task_free(pi->external_tasks.items[i]);
    for (size_t i = 0; i < pi->jobs.n; i++) state_job_free(pi->jobs.items[i]);
    for (size_t i = 0; i < pi->subscriptions.n; i++) state_subscription_free(pi->subscriptions.items[i]);
    for (size_t i = 0; i < pi->incidents.n; i++) state_incident_free(pi->incidents.items[i]);
    free(pi->tasks.items);
    free(pi->external_tasks.items);
    free(pi->jobs.items);
    free(pi->subscriptions.items);
    free(pi->incidents.items);
    if (pi->root) execution_free(pi->root);
    free(pi->id);
    free(pi->business_key);
    free(pi->tenant_id);
    free(pi->start_activity_id);
    free(pi->restarted_from);
    free(pi->end_state);
    free(pi->delete_reason);
    free(pi);
}

/* --- execution tree --- */

execution *state_execution_new(instance *pi, execution *parent, const char *id) {
    execution *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->id = str_dup(id);
    e->is_active = true;
    e->parent = parent;
    if (parent) {
        array_push((void ***)&parent->children, &parent->n_children, &parent->cap_children, e);
    } else {
        pi->root = e;
    }
    return e;
}

static bool in_subtree(const execution *e, const execution *top) {
    for (; e; e = e->parent)
        if (e == top) return true;
    return false;
}

void state_execution_remove(instance *pi, execution *exec) {
    for (size_t i = pi->tasks.n; i-- > 0;)
        if (in_subtree(pi->tasks.items[i]->exec, exec)) state_remove_task(pi, pi->tasks.items[i]);
    for (size_t i = pi->external_tasks.n; i-- > 0;)
        if (in_subtree(pi->external_tasks.items[i]->exec, exec))
            state_remove_external_task(pi, pi->external_tasks.items[i]);
    for (size_t i = pi->jobs.n; i-- > 0;)
        if (in_subtree(pi->jobs.items[i]->exec, exec)) state_remove_job(pi, pi->jobs.items[i]);
    for (size_t i = pi->subscriptions.n; i-- > 0;)
        if (in_subtree(pi->subscriptions.items[i]->exec, exec))
            state_remove_subscription(pi, pi->subscriptions.items[i]);
    for (size_t i = pi->incidents.n; i-- > 0;)
        if (in_subtree(pi->incidents.items[i]->exec, exec)) state_remove_incident(pi, pi->incidents.items[i]);
    if (exec->parent) {
        array_remove((void **)exec->parent->children, &exec->parent->n_children, exec);
    } else {
        pi->root = NULL;
    }
    execution_free(exec);
}

static execution *find_in(execution *e, const char *id) {
    if (strcmp(e->id, id) == 0) return e;
    for (size_t i = 0; i < e->n_children; i++) {
        execution *found = find_in(e->children[i], id);
        if (found) return found;
    }
    return NULL;
}

execution *state_execution_by_id(const instance *pi, const char *id) {
    if (!pi->root || !id) return NULL;
    return find_in(pi->root, id);
}

execution *state_scope_of(execution *exec) {
    while (exec && !exec->is_scope) exec = exec->parent;
    return exec;
}

/* Scope-level artefacts belong to the scope execution itself, not to a token it may hold. */
bool state_subscription_is_scope_level(const subscription *s) {
    const model_element *a = s->activity;
    return a->kind == EL_BOUNDARY_EVENT || (a->kind == EL_START_EVENT && a->parent && a->parent->triggered_by_event);
}

bool state_job_is_scope_level(const job *j) {
    return j->kind == JOB_TIMER_BOUNDARY || j->kind == JOB_TIMER_EVENT_SUBPROCESS;
}

static void reparent(execution *child, execution *to) {
    execution *from = child->parent;
    array_remove((void **)from->children, &from->n_children, child);
    child->parent = to;
    array_push((void ***)&to->children, &to->n_children, &to->cap_children, child);
}

void state_replace(instance *pi, execution *from, execution *to) {
    to->activity = from->activity;
    free(to->activity_instance_id);
    to->activity_instance_id = from->activity_instance_id;
    from->activity_instance_id = NULL;
    to->transition = from->transition;
    to->is_active = from->is_active;
    from->activity = NULL;
    from->transition = TRANSITION_NONE;

    for (size_t i = 0; i < from->n_children;) {
        execution *c = from->children[i];
        if (c->is_scope && c != to) {
            reparent(c, to); /* removes c from `from`: the next child moved into slot i */
        } else {
            i++;
        }
    }

    for (size_t i = 0; i < pi->tasks.n; i++)
        if (pi->tasks.items[i]->exec == from) pi->tasks.items[i]->exec = to;
    for (size_t i = 0; i < pi->external_tasks.n; i++)
        if (pi->external_tasks.items[i]->exec == from) pi->external_tasks.items[i]->exec = to;
    for (size_t i = 0; i < pi->jobs.n; i++) {
        job *j = pi->jobs.items[i];
        if (j->exec != from || state_job_is_scope_level(j)) continue;
        j->exec = to;
        for (size_t k = 0; k < pi->incidents.n; k++) {
            incident *inc = pi->incidents.items[k];
            if (inc->exec == from && str_eq(inc->configuration, j->id)) inc->exec = to;
        }
    }
    for (size_t i = 0; i < pi->subscriptions.n; i++) {
        subscription *s = pi->subscriptions.items[i];
        if (s->exec == from && !state_subscription_is_scope_level(s)) s->exec = to;
    }
    for (size_t i = 0; i < pi->incidents.n; i++) {
        incident *inc = pi->incidents.items[i];
        if (inc->exec == from && inc->kind == INCIDENT_FAILED_EXTERNAL_TASK) inc->exec = to;
    }
    if (!from->is_scope) {
        for (size_t i = 0; i < from->vars.n; i++) {
            variable *v = &from->vars.items[i];
            bool created;
            var_map_put(&to->vars, v->id, v->name, &v->val, &created);
        }
        var_map_free(&from->vars);
    }
}

void state_remove_token_artefacts(instance *pi, execution *exec) {
    for (size_t i = pi->tasks.n; i-- > 0;)
        if (pi->tasks.items[i]->exec == exec) state_remove_task(pi, pi->tasks.items[i]);
    for (size_t i = pi->external_tasks.n; i-- > 0;)
        if (pi->external_tasks.items[i]->exec == exec) state_remove_external_task(pi, pi->external_tasks.items[i]);
    for (size_t i = pi->jobs.n; i-- > 0;) {
        job *j = pi->jobs.items[i];
        if (j->exec == exec && !state_job_is_scope_level(j)) state_remove_job(pi, j);
    }
    for (size_t i = pi->subscriptions.n; i-- > 0;) {
        subscription *s = pi->subscriptions.items[i];
        if (s->exec == exec && !state_subscription_is_scope_level(s)) state_remove_subscription(pi, s);
    }
}

/* --- variables --- */

variable *var_map_get(const var_map *m, const char *name) {
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i].name, name) == 0) return &m->items[i];
    return NULL;
}

variable *var_map_put(var_map *m, const char *id_if_new, const char *name, const value *v, bool *created) {
    variable *existing = var_map_get(m, name);
    if (existing) {
        value copy = value_copy(v);
        value_free(&existing->val);
        existing->val = copy;
        *created = false;
        return existing;
    }
    if (m->n == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 4;
        variable *grown = realloc(m->items, ncap * sizeof *grown);
        if (!grown) abort();
        m->items = grown;
        m->cap = ncap;
    }
    variable *nv = &m->items[m->n++];
    nv->id = str_dup(id_if_new);
    nv->name = str_dup(name);
    nv->val = value_copy(v);
    *created = true;
    return nv;
}

bool var_map_remove(var_map *m, const char *name) {
    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->items[i].name, name) != 0) continue;
        free(m->items[i].id);
        free(m->items[i].name);
        value_free(&m->items[i].val);
        memmove(&m->items[i], &m->items[i + 1], (m->n - i - 1) * sizeof *m->items);
        m->n--;
        return true;
    }
    return false;
}

void var_map_free(var_map *m) {
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].id);
        free(m->items[i].name);
        value_free(&m->items[i].val);
    }
    free(m->items);
    m->items = NULL;
    m->n = m->cap = 0;
}

/* --- artefacts --- */

void state_add_task(instance *pi, task *t) { PUSH(pi->tasks, t); }
void state_add_external_task(instance *pi, external_task *t) { PUSH(pi->external_tasks, t); }
void state_add_job(instance *pi, job *j) { PUSH(pi->jobs, j); }
void state_add_subscription(instance *pi, subscription *s) { PUSH(pi->subscriptions, s); }
void state_add_incident(instance *pi, incident *i) { PUSH(pi->incidents, i); }

task *state_task_by_id(const instance *pi, const char *id) {
    for (size_t i = 0; i < pi->tasks.n; i++)
        if (str_eq(pi->tasks.items[i]->id, id)) return pi->tasks.items[i];
    return NULL;
}

external_task *state_external_task_by_id(const instance *pi, const char *id) {
    for (size_t i = 0; i < pi->external_tasks.n; i++)
        if (str_eq(pi->external_tasks.items[i]->id, id)) return pi->external_tasks.items[i];
    return NULL;
}

job *state_job_by_id(const instance *pi, const char *id) {
    for (size_t i = 0; i < pi->jobs.n; i++)
        if (str_eq(pi->jobs.items[i]->id, id)) return pi->jobs.items[i];
    return NULL;
}

void state_remove_task(instance *pi, task *t) {
    REMOVE(pi->tasks, t);
    state_task_free(t);
}

void state_remove_external_task(instance *pi, external_task *t) {
    REMOVE(pi->external_tasks, t);
    state_external_task_free(t);
}

void state_remove_job(instance *pi, job *j) {
    REMOVE(pi->jobs, j);
    state_job_free(j);
}

void state_remove_subscription(instance *pi, subscription *s) {
    REMOVE(pi->subscriptions, s);
    state_subscription_free(s);
}

void state_remove_incident(instance *pi, incident *i) {
    REMOVE(pi->incidents, i);
    state_incident_free(i);
}

void state_task_free(task *t) {
    if (!t) return;
    free(t->id);
    free(t->name);
    free(t->task_definition_key);
    free(t->activity_instance_id);
    free(t->assignee);
    var_map_free(&t->vars);
    free(t);
}

void state_external_task_free(external_task *t) {
    if (!t) return;
    free(t->id);
    free(t->topic);
    free(t->activity_id);
    free(t->activity_instance_id);
    free(t->error_message);
    free(t->error_details);
    free(t->worker_id);
    free(t);
}

void state_job_free(job *j) {
    if (!j) return;
    free(j->id);
    free(j->exception_message);
    free(j->exception_details);
    free(j->repeat);
    free(j);
}

void state_subscription_free(subscription *s) {
    if (!s) return;
    free(s->id);
    free(s->event_name);
    free(s);
}

void state_incident_free(incident *i) {
    if (!i) return;
    free(i->id);
    free(i->activity_id);
    free(i->configuration);
    free(i->message);
    free(i);
}
