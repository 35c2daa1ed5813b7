/*
 * tree.c — the activity instance tree, derived from the execution tree (mapping in tree.h).
 *
 * Invariants:
 *  - Every node is found from exactly one execution: a scope node from its scope execution, a
 *    leaf from the token executing the activity, a transition instance from the parked token.
 *    The lookups below use the same predicates as the builder, so an id the tree shows is an id
 *    the lookups find, and no other.
 *  - The walk and the writing are iterative (explicit stacks): a deep execution tree costs heap,
 *    not C stack.
 *  - The tree is written straight into a json_writer, the same text cJSON would print for it.
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
/* Writing the DTO tree                                                                    */
/* ======================================================================================= */

/* The tree is built as a small array of nodes first (incidents are placed only once every node
 * exists), then written front to back into a json_writer: no cJSON tree, no per-node allocation. */

#define NO_NODE SIZE_MAX

typedef struct tnode {
    bool transition;            /* a TransitionInstanceDto (no children) */
    const char *id, *activity_id, *activity_type, *name, *execution_id;
    size_t parent;              /* NO_NODE for the root */
    size_t first_child, last_child; /* activity children, in creation order */
    size_t first_ti, last_ti;   /* transition children, in creation order */
    size_t next;                /* the next sibling of the same kind */
    size_t first_inc, last_inc; /* incidents shown on this node (indexes into pi->incidents) */
} tnode;

typedef struct tree_nodes {
    tnode *items;
    size_t n, cap;
} tree_nodes;

/* What each execution maps to, for placing incidents afterwards. */
typedef struct exec_nodes {
    const execution *e;
    size_t scope;   /* the node of its nearest scope execution (its own if it is a scope node) */
    bool own_scope; /* `scope` is e's own node */
    size_t leaf;    /* its leaf activity instance, or NO_NODE */
    size_t ti;      /* its transition instance, or NO_NODE */
} exec_nodes;

/* A node appended to `parent`'s activity (or transition) children. */
static size_t add_node(tree_nodes *t, size_t parent, bool transition, const char *id, const model_element *el,
                       const char *execution_id) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->items = realloc(t->items, t->cap * sizeof *t->items);
        if (!t->items) abort(); /* out of memory: not recovered, as in state.c */
    }
    size_t i = t->n++;
    t->items[i] = (tnode){
        .transition = transition,
        .id = id,
        .activity_id = el ? el->id : NULL,
        .activity_type = el ? el->activity_type : NULL,
        .name = el ? el->name : NULL,
        .execution_id = execution_id,
        .parent = parent,
        .first_child = NO_NODE, .last_child = NO_NODE, .first_ti = NO_NODE, .last_ti = NO_NODE,
        .next = NO_NODE, .first_inc = NO_NODE, .last_inc = NO_NODE,
    };
    if (parent != NO_NODE) {
        tnode *p = &t->items[parent];
        size_t *first = transition ? &p->first_ti : &p->first_child, *last = transition ? &p->last_ti : &p->last_child;
        if (*last == NO_NODE) *first = i;
        else t->items[*last].next = i;
        *last = i;
    }
    return i;
}

static int compare_exec_nodes(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const exec_nodes *)a)->e, y = (uintptr_t)((const exec_nodes *)b)->e;
    return x < y ? -1 : x > y;
}

static bool node_has_activity(const tnode *node, const char *activity_id) {
    return activity_id && same_str(node->activity_id, activity_id);
}

/* The node an incident shows on (see the invariant at the top); NO_NODE if its execution is gone. */
static size_t incident_node(const tree_nodes *t, const exec_nodes *map, size_t n, const incident *inc) {
    exec_nodes key = {.e = inc->exec};
    const exec_nodes *m = inc->exec ? bsearch(&key, map, n, sizeof *map, compare_exec_nodes) : NULL;
    if (!m) return NO_NODE;
    if (m->ti != NO_NODE) return m->ti;
    if (m->leaf != NO_NODE && node_has_activity(&t->items[m->leaf], inc->activity_id)) return m->leaf;
    if (m->own_scope && node_has_activity(&t->items[m->scope], inc->activity_id)) return m->scope;
    return m->leaf != NO_NODE ? m->leaf : m->scope;
}

typedef struct frame {
    const execution *e;
    size_t scope; /* node of the nearest scope above e */
} frame;

/* The nodes of the instance's tree, node 0 the root; *incident_next links the incidents of one
 * node (NO_NODE ends a list). The caller frees both arrays. */
static tree_nodes build(const instance *pi, size_t **incident_next) {
    const model *m = pi->model;
    tree_nodes t = {0};
    /* the root: the process instance, shown as its definition */
    add_node(&t, NO_NODE, false, pi->id, NULL, pi->root ? pi->root->id : pi->id);
    t.items[0].activity_id = m ? m->definition_id : NULL;
    t.items[0].activity_type = "processDefinition";
    t.items[0].name = m ? m->definition_name : NULL;
    *incident_next = NULL;
    if (!pi->root) return t;

    size_t n_map = 0, cap_map = 16, top = 0, cap_stack = 16;
    exec_nodes *map = malloc(cap_map * sizeof *map);
    frame *stack = malloc(cap_stack * sizeof *stack);
    if (!map || !stack) abort();
    stack[top++] = (frame){pi->root, 0};
    while (top) {
        frame f = stack[--top];
        const execution *e = f.e;
        exec_nodes rec = {.e = e, .scope = f.scope, .leaf = NO_NODE, .ti = NO_NODE};
        if (e != pi->root && tree_is_scope_node(pi, e)) {
            rec.scope = add_node(&t, f.scope, false, e->scope_instance_id, e->scope_element, e->id);
            rec.own_scope = true;
        } else if (e == pi->root) {
            rec.own_scope = true;
        }
        if (tree_is_leaf_token(e)) rec.leaf = add_node(&t, rec.scope, false, e->activity_instance_id, e->activity, e->id);
        if (is_transition(e)) rec.ti = add_node(&t, rec.scope, true, e->id, e->activity, e->id);

        if (pi->incidents.n) { /* the map only serves incidents */
            if (n_map == cap_map) {
                cap_map *= 2;
                map = realloc(map, cap_map * sizeof *map);
                if (!map) abort();
            }
            map[n_map++] = rec;
        }
        if (top + e->n_children > cap_stack) {
            while (top + e->n_children > cap_stack) cap_stack *= 2;
            stack = realloc(stack, cap_stack * sizeof *stack);
            if (!stack) abort();
        }
        /* Pushed in reverse so the first child is built first: children keep pre-order. */
        for (size_t i = e->n_children; i-- > 0;) stack[top++] = (frame){e->children[i], rec.scope};
    }
    free(stack);

    if (pi->incidents.n) {
        size_t *next = malloc(pi->incidents.n * sizeof *next);
        if (!next) abort();
        qsort(map, n_map, sizeof *map, compare_exec_nodes);
        for (size_t i = 0; i < pi->incidents.n; i++) {
            next[i] = NO_NODE;
            size_t node = incident_node(&t, map, n_map, pi->incidents.items[i]);
            if (node == NO_NODE) continue;
            tnode *nd = &t.items[node];
            if (nd->last_inc == NO_NODE) nd->first_inc = i;
            else next[nd->last_inc] = i;
            nd->last_inc = i;
        }
        *incident_next = next;
    }
    free(map);
    return t;
}

static void write_incidents(json_writer *w, const instance *pi, const tnode *node, const size_t *incident_next) {
    jw_key(w, "incidentIds");
    jw_array_begin(w);
    for (size_t i = node->first_inc; i != NO_NODE; i = incident_next[i]) jw_string(w, pi->incidents.items[i]->id);
    jw_array_end(w);
    jw_key(w, "incidents");
    jw_array_begin(w);
    for (size_t i = node->first_inc; i != NO_NODE; i = incident_next[i]) {
        jw_object_begin(w);
        jw_key_string(w, "id", pi->incidents.items[i]->id);
        jw_key_string(w, "activityId", pi->incidents.items[i]->activity_id);
        jw_object_end(w);
    }
    jw_array_end(w);
}

/* An ActivityInstanceDto up to its childActivityInstances array, left open. */
static void write_activity_open(json_writer *w, const instance *pi, const tree_nodes *t, const tnode *node) {
    jw_object_begin(w);
    jw_key_string(w, "id", node->id);
    jw_key_string(w, "parentActivityInstanceId", node->parent == NO_NODE ? NULL : t->items[node->parent].id);
    jw_key_string(w, "activityId", node->activity_id);
    jw_key_string(w, "activityType", node->activity_type);
    jw_key_string(w, "processInstanceId", pi->id);
    jw_key_string(w, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    jw_key(w, "childActivityInstances");
    jw_array_begin(w);
}

/* A TransitionInstanceDto. */
static void write_transition(json_writer *w, const instance *pi, const tree_nodes *t, const tnode *node,
                             const size_t *incident_next) {
    jw_object_begin(w);
    jw_key_string(w, "id", node->id);
    jw_key_string(w, "parentActivityInstanceId", t->items[node->parent].id);
    jw_key_string(w, "processInstanceId", pi->id);
    jw_key_string(w, "processDefinitionId", pi->model ? pi->model->definition_id : NULL);
    jw_key_string(w, "activityId", node->activity_id);
    jw_key_string(w, "targetActivityId", node->activity_id); /* deprecated duplicate, still written by Camunda */
    jw_key_string(w, "activityName", node->name);
    jw_key_string(w, "activityType", node->activity_type);
    jw_key_string(w, "executionId", node->execution_id);
    write_incidents(w, pi, node, incident_next);
    jw_object_end(w);
}

/* The rest of an ActivityInstanceDto, after its activity children: closes it. */
static void write_activity_close(json_writer *w, const instance *pi, const tree_nodes *t, const tnode *node,
                                 const size_t *incident_next) {
    jw_array_end(w);
    jw_key(w, "childTransitionInstances");
    jw_array_begin(w);
    for (size_t c = node->first_ti; c != NO_NODE; c = t->items[c].next) write_transition(w, pi, t, &t->items[c], incident_next);
    jw_array_end(w);
    jw_key(w, "executionIds");
    jw_array_begin(w);
    if (node->execution_id) jw_string(w, node->execution_id);
    jw_array_end(w);
    jw_key_string(w, "activityName", node->name);
    jw_key_string(w, "name", node->name); /* deprecated duplicate, still written by Camunda */
    write_incidents(w, pi, node, incident_next);
    jw_object_end(w);
}

void tree_write(json_writer *w, const instance *pi) {
    size_t *incident_next;
    tree_nodes t = build(pi, &incident_next);
    /* depth-first, iteratively: each open node with the next of its children to write */
    typedef struct open_node {
        size_t node, next_child;
    } open_node;
    size_t top = 0, cap = 16;
    open_node *stack = malloc(cap * sizeof *stack);
    if (!stack) abort();
    write_activity_open(w, pi, &t, &t.items[0]);
    stack[top++] = (open_node){0, t.items[0].first_child};
    while (top) {
        open_node *o = &stack[top - 1];
        size_t c = o->next_child;
        if (c == NO_NODE) {
            write_activity_close(w, pi, &t, &t.items[o->node], incident_next);
            top--;
            continue;
        }
        o->next_child = t.items[c].next;
        write_activity_open(w, pi, &t, &t.items[c]);
        if (top == cap) {
            cap *= 2;
            stack = realloc(stack, cap * sizeof *stack);
            if (!stack) abort();
        }
        stack[top++] = (open_node){c, t.items[c].first_child};
    }
    free(stack);
    free(incident_next);
    free(t.items);
}

/* A string member, null for NULL. */
static void add_str(cJSON *o, const char *key, const char *s) {
    cJSON_AddItemToObject(o, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static void add_incidents(cJSON *o, const instance *pi, const tnode *node, const size_t *incident_next) {
    cJSON *ids = cJSON_AddArrayToObject(o, "incidentIds"), *refs = cJSON_AddArrayToObject(o, "incidents");
    for (size_t i = node->first_inc; i != NO_NODE; i = incident_next[i]) {
        const incident *inc = pi->incidents.items[i];
        cJSON_AddItemToArray(ids, cJSON_CreateString(inc->id));
        cJSON *ref = cJSON_CreateObject();
        add_str(ref, "id", inc->id);
        add_str(ref, "activityId", inc->activity_id);
        cJSON_AddItemToArray(refs, ref);
    }
}

/* The same nodes as cJSON objects, members in tree_write's order. A node's children come after
 * it in the array, so each is attached to its parent's object as it is made: no recursion. */
cJSON *tree_activity_instances(const instance *pi) {
    size_t *incident_next;
    tree_nodes t = build(pi, &incident_next);
    cJSON **objs = malloc(t.n * sizeof *objs);
    if (!objs) abort();
    const char *definition_id = pi->model ? pi->model->definition_id : NULL;
    for (size_t i = 0; i < t.n; i++) {
        const tnode *node = &t.items[i];
        const char *parent_id = node->parent == NO_NODE ? NULL : t.items[node->parent].id;
        cJSON *o = objs[i] = cJSON_CreateObject();
        add_str(o, "id", node->id);
        add_str(o, "parentActivityInstanceId", parent_id);
        if (node->transition) {
            add_str(o, "processInstanceId", pi->id);
            add_str(o, "processDefinitionId", definition_id);
            add_str(o, "activityId", node->activity_id);
            add_str(o, "targetActivityId", node->activity_id);
            add_str(o, "activityName", node->name);
            add_str(o, "activityType", node->activity_type);
            add_str(o, "executionId", node->execution_id);
            add_incidents(o, pi, node, incident_next);
        } else {
            add_str(o, "activityId", node->activity_id);
            add_str(o, "activityType", node->activity_type);
            add_str(o, "processInstanceId", pi->id);
            add_str(o, "processDefinitionId", definition_id);
            cJSON_AddArrayToObject(o, "childActivityInstances");
            cJSON_AddArrayToObject(o, "childTransitionInstances");
            cJSON *executions = cJSON_AddArrayToObject(o, "executionIds");
            if (node->execution_id) cJSON_AddItemToArray(executions, cJSON_CreateString(node->execution_id));
            add_str(o, "activityName", node->name);
            add_str(o, "name", node->name);
            add_incidents(o, pi, node, incident_next);
        }
        if (node->parent != NO_NODE)
            cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(objs[node->parent], node->transition
                                                                                           ? "childTransitionInstances"
                                                                                           : "childActivityInstances"),
                                 o);
    }
    cJSON *root = objs[0];
    free(objs);
    free(incident_next);
    free(t.items);
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
