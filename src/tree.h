/*
 * tree.h — the activity instance tree of a process instance (Camunda's
 * GET /process-instance/{id}/activity-instances), derived from the execution tree (state.h).
 *
 * Mapping (the tree is never stored; it is recomputed from the executions on demand):
 *  - the root node is the process instance: id = instance id, activityId = definition id;
 *  - every other scope execution E is a node (E->scope_instance_id, E->scope_element) under the
 *    node of E's nearest scope ancestor;
 *  - every execution in an activity instance (activity and activity instance id set, no
 *    transition; also a token waiting at a joining gateway) is a leaf node under its nearest
 *    scope's node, except a scope execution holding
 *    its own scope activity (an activity with boundary events): that is one node, not two;
 *  - every execution parked at an async continuation is a transition instance (id = execution
 *    id) under its nearest scope's node.
 * Children come in execution-tree pre-order, so the output is deterministic.
 *
 * Ownership: tree_write appends to the caller's writer; tree_activity_instances returns a cJSON
 * the caller deletes. The lookups return executions owned by the instance.
 */
#ifndef DETOUR_TREE_H
#define DETOUR_TREE_H

#include <stdbool.h>

#include "cJSON.h"
#include "json_writer.h"
#include "state.h"

/* Writes the ActivityInstanceDto tree of the instance as the next value of `w`. */
void tree_write(json_writer *w, const instance *pi);

/* The same tree as a cJSON tree (the same members in the same order as tree_write's text). */
cJSON *tree_activity_instances(const instance *pi);

/* Finds the activity instance `ai_id` in the tree. On success sets *exec_out to the execution
 * representing it and *is_scope_node to true if the node is a scope (the execution's own scope
 * instance: the process instance, a subprocess, an MI body, a scope activity) rather than a leaf
 * token. Returns false if the tree has no such activity instance. */
bool tree_find_activity_instance(const instance *pi, const char *ai_id, execution **exec_out, bool *is_scope_node);

/* The execution that is transition instance `ti_id`, or NULL. */
execution *tree_find_transition_instance(const instance *pi, const char *ti_id);

/* Predicates of the mapping above, for code that walks executions itself. */
bool tree_is_leaf_token(const execution *e);       /* e is (also) a leaf activity instance */
bool tree_is_scope_node(const instance *pi, const execution *e); /* e is a scope node (or the root) */

#endif
