/*
 * tree.c — the activity instance tree, derived from the execution tree (mapping in tree.h).
 *
 * Invariants:
 *  - Every node is found from exactly one execution: a scope node from its scope execution, a
 *    leaf from the token executing the activity, a transition instance from the parked token.
 *    The lookups below use the same predicates as the builder, so an id the tree shows is an id
 *    the lookups find, and no other.
 *  - The walk is iterative (explicit stack): a deep execution tree costs heap, not C stack.
 *  - An incident is shown once, on the node its execution maps to; when an execution maps to two
 *    nodes (a scope execution that also holds a leaf token), the node of the incident's activity
 *    wins.
 */
#include "tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Equality of two present strings (a NULL id matches nothing). */
static bool same_str(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* ======================================================================================= */
/* The mapping                                                                             */
/* ======================================================================================= */

bool tree_is_scope_node(const instance *pi, const execution *e) {
    if (e == pi->root) return true;
    return e->is_scope && e->scope_element && e->scope_instance_id;
}

bool tree_is_leaf_token(const execution *e) {
    /* inactive tokens count too: one waiting at a joining gateway keeps its instance open */
    if (!e->activity || e->transition != TRANSITION_NONE || !e->activity_instance_id) return false;
    /* A scope execution in its own scope activity (boundary events, IO mappings) is the scope node. */
    return !(e->is_scope && e->activity == e->scope_element);
}

static bool is_transition(const execution *e) { return e->transition != TRANSITION_NONE; }

/* ======================================================================================= */
/* Building the DTO tree                                                                   */
/* ======================================================================================= */

/* What each execution maps to, for placing incidents afterwards. */
typedef struct exec_nodes {
    const execution *e;
    cJSON *scope;   /* the node of its nearest scope execution (its own if it is a scope node) */
    bool own_scope; /* `scope` is e's own node */
    cJSON *leaf;    /* its leaf activity instance, if any */
    cJSON *ti;      /* its transition instance, if any */
} exec_nodes;

static void add_str(cJSON *o, const char *key, const char *s) {
    cJSON_AddItemToObject(o, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static cJSON *string_array1(const char *s) {
    cJSON *a = cJSON_CreateArray();
    if (s) cJSON_AddItemToArray(a, cJSON_CreateString(s));
    return a;
}

/* An ActivityInstanceDto without children, appended to `parent`'s childActivityInstances. */
static cJSON *activity_node(const instance *pi, cJSON *parent, const char *id, const char *activity_id,
                            const char *activity_type, const char *name, const char *execution_id) {
    cJSON *n = cJSON_CreateObject();
    add_str(n, "id", id);
    add_str(n, "parentActivityInstanceId", parent ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(parent, "id")) : NULL);
    add_str(n, "activityId", activity_id);
    add_str(n, "activityType", activity_type);
    add_str(n, "processInstanceId", pi->id);
    add_str(n, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    cJSON_AddArrayToObject(n, "childActivityInstances");
    cJSON_AddArrayToObject(n, "childTransitionInstances");
    cJSON_AddItemToObject(n, "executionIds", string_array1(execution_id));
    add_str(n, "activityName", name);
    add_str(n, "name", name); /* deprecated duplicate, still written by Camunda */
    cJSON_AddArrayToObject(n, "incidentIds");
    cJSON_AddArrayToObject(n, "incidents");
    if (parent) cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(parent, "childActivityInstances"), n);
    return n;
}

static cJSON *element_node(const instance *pi, cJSON *parent, const char *id, const model_element *el,
                           const execution *e) {
    return activity_node(pi, parent, id, el ? el->id : NULL, el ? el->activity_type : NULL, el ? el->name : NULL,
                         e->id);
}

/* A TransitionInstanceDto, appended to `parent`'s childTransitionInstances. */
static cJSON *transition_node(const instance *pi, cJSON *parent, const execution *e) {
    const model_element *el = e->activity;
    const char *activity_id = el ? el->id : NULL;
    cJSON *n = cJSON_CreateObject();
    add_str(n, "id", e->id);
    add_str(n, "parentActivityInstanceId", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(parent, "id")));
    add_str(n, "processInstanceId", pi->id);
    add_str(n, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    add_str(n, "activityId", activity_id);
    add_str(n, "targetActivityId", activity_id); /* deprecated duplicate, still written by Camunda */
    add_str(n, "activityName", el ? el->name : NULL);
    add_str(n, "activityType", el ? el->activity_type : NULL);
    add_str(n, "executionId", e->id);
    cJSON_AddArrayToObject(n, "incidentIds");
    cJSON_AddArrayToObject(n, "incidents");
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(parent, "childTransitionInstances"), n);
    return n;
}

static int compare_exec_nodes(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const exec_nodes *)a)->e, y = (uintptr_t)((const exec_nodes *)b)->e;
    return x < y ? -1 : x > y;
}

static bool node_has_activity(cJSON *node, const char *activity_id) {
    return activity_id && same_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(node, "activityId")), activity_id);
}

/* The node an incident shows on (see the invariant at the top); NULL if its execution is gone. */
static cJSON *incident_node(const exec_nodes *map, size_t n, const incident *inc) {
    exec_nodes key = {.e = inc->exec};
    const exec_nodes *m = inc->exec ? bsearch(&key, map, n, sizeof *map, compare_exec_nodes) : NULL;
    if (!m) return NULL;
    if (m->ti) return m->ti;
    if (m->leaf && node_has_activity(m->leaf, inc->activity_id)) return m->leaf;
    if (m->own_scope && node_has_activity(m->scope, inc->activity_id)) return m->scope;
    return m->leaf ? m->leaf : m->scope;
}

typedef struct frame {
    const execution *e;
    cJSON *scope; /* node of the nearest scope above e */
} frame;

cJSON *tree_activity_instances(const instance *pi) {
    const model *m = pi->model;
    cJSON *root = activity_node(pi, NULL, pi->id, m ? m->definition_id : NULL, "processDefinition",
                                m ? m->definition_name : NULL, pi->root ? pi->root->id : pi->id);
    if (!pi->root) return root;

    size_t n_map = 0, cap_map = 16, top = 0, cap_stack = 16;
    exec_nodes *map = malloc(cap_map * sizeof *map);
    frame *stack = malloc(cap_stack * sizeof *stack);
    if (!map || !stack) abort(); /* out of memory: not recovered, as in state.c */
    stack[top++] = (frame){pi->root, root};
    while (top) {
        frame f = stack[--top];
        const execution *e = f.e;
        exec_nodes rec = {.e = e, .scope = f.scope};
        if (e != pi->root && tree_is_scope_node(pi, e)) {
            rec.scope = element_node(pi, f.scope, e->scope_instance_id, e->scope_element, e);
            rec.own_scope = true;
        } else if (e == pi->root) {
            rec.own_scope = true;
        }
        if (tree_is_leaf_token(e)) rec.leaf = element_node(pi, rec.scope, e->activity_instance_id, e->activity, e);
        if (is_transition(e)) rec.ti = transition_node(pi, rec.scope, e);

        if (n_map == cap_map) {
            cap_map *= 2;
            map = realloc(map, cap_map * sizeof *map);
            if (!map) abort();
        }
        map[n_map++] = rec;
        if (top + e->n_children > cap_stack) {
            while (top + e->n_children > cap_stack) cap_stack *= 2;
            stack = realloc(stack, cap_stack * sizeof *stack);
            if (!stack) abort();
        }
        /* Pushed in reverse so the first child is built first: children keep pre-order. */
        for (size_t i = e->n_children; i-- > 0;) stack[top++] = (frame){e->children[i], rec.scope};
    }
    free(stack);

    qsort(map, n_map, sizeof *map, compare_exec_nodes);
    for (size_t i = 0; i < pi->incidents.n; i++) {
        const incident *inc = pi->incidents.items[i];
        cJSON *node = incident_node(map, n_map, inc);
        if (!node) continue;
        cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(node, "incidentIds"), cJSON_CreateString(inc->id));
        cJSON *ref = cJSON_CreateObject();
        add_str(ref, "id", inc->id);
        add_str(ref, "activityId", inc->activity_id);
        cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(node, "incidents"), ref);
    }
    free(map);
    return root;
}

/* ======================================================================================= */
/* Lookups                                                                                 */
/* ======================================================================================= */

typedef bool (*exec_pred)(const instance *pi, const execution *e, const char *id, bool *is_scope);

/* The first execution in pre-order satisfying pred. */
static execution *find(const instance *pi, exec_pred pred, const char *id, bool *is_scope) {
    if (!pi->root || !id) return NULL;
    size_t top = 0, cap = 16;
    execution **stack = malloc(cap * sizeof *stack);
    if (!stack) abort();
    execution *found = NULL;
    stack[top++] = pi->root;
    while (top && !found) {
        execution *e = stack[--top];
        if (pred(pi, e, id, is_scope)) {
            found = e;
            break;
        }
        if (top + e->n_children > cap) {
            while (top + e->n_children > cap) cap *= 2;
            stack = realloc(stack, cap * sizeof *stack);
            if (!stack) abort();
        }
        for (size_t i = e->n_children; i-- > 0;) stack[top++] = e->children[i];
    }
    free(stack);
    return found;
}

static bool is_activity_instance(const instance *pi, const execution *e, const char *id, bool *is_scope) {
    if (e == pi->root ? same_str(pi->id, id) : (tree_is_scope_node(pi, e) && same_str(e->scope_instance_id, id))) {
        *is_scope = true;
        return true;
    }
    if (tree_is_leaf_token(e) && same_str(e->activity_instance_id, id)) {
        *is_scope = false;
        return true;
    }
    return false;
}

static bool is_transition_instance(const instance *pi, const execution *e, const char *id, bool *is_scope) {
    (void)pi;
    (void)is_scope;
    return is_transition(e) && same_str(e->id, id);
}

bool tree_find_activity_instance(const instance *pi, const char *ai_id, execution **exec_out, bool *is_scope_node) {
    bool scope = false;
    execution *e = find(pi, is_activity_instance, ai_id, &scope);
    if (exec_out) *exec_out = e;
    if (is_scope_node) *is_scope_node = e ? scope : false;
    return e != NULL;
}

execution *tree_find_transition_instance(const instance *pi, const char *ti_id) {
    bool unused = false;
    return find(pi, is_transition_instance, ti_id, &unused);
}
