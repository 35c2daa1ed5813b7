/*
 * test_tree.c — the activity instance tree (src/tree.c) derived from hand-built execution trees
 * of the shapes state.h describes, and the lookups from activity / transition instance ids.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "state.h"
#include "strutil.h"
#include "tree.h"

/* start → fork → {task1, task2, svc (async), sub {inner}, mi (multi-instance), guarded (+ timer1)}
 * → join → end */
static const char *MODEL_JSON =
    "{\"definition\":{\"id\":\"proc:1:abc\",\"key\":\"proc\",\"name\":\"Proc\",\"version\":1},"
    "\"process\":{\"id\":\"proc\",\"name\":\"Proc\",\"isExecutable\":true,\"elements\":["
    "{\"type\":\"startEvent\",\"id\":\"start\"},"
    "{\"type\":\"parallelGateway\",\"id\":\"fork\"},"
    "{\"type\":\"userTask\",\"id\":\"task1\",\"name\":\"Task 1\"},"
    "{\"type\":\"userTask\",\"id\":\"task2\",\"name\":\"Task 2\"},"
    "{\"type\":\"serviceTask\",\"id\":\"svc\",\"name\":\"Service\",\"asyncBefore\":true,"
    "\"camundaType\":\"external\",\"topic\":\"work\"},"
    "{\"type\":\"subProcess\",\"id\":\"sub\",\"name\":\"Sub\",\"elements\":["
    "{\"type\":\"startEvent\",\"id\":\"subStart\"},{\"type\":\"userTask\",\"id\":\"inner\",\"name\":\"Inner\"},"
    "{\"type\":\"endEvent\",\"id\":\"subEnd\"}],\"flows\":["
    "{\"id\":\"sf1\",\"sourceRef\":\"subStart\",\"targetRef\":\"inner\"},"
    "{\"id\":\"sf2\",\"sourceRef\":\"inner\",\"targetRef\":\"subEnd\"}]},"
    "{\"type\":\"userTask\",\"id\":\"mi\",\"name\":\"Many\",\"loopCharacteristics\":"
    "{\"type\":\"multiInstanceLoopCharacteristics\",\"isSequential\":false,\"loopCardinality\":\"2\"}},"
    "{\"type\":\"userTask\",\"id\":\"guarded\",\"name\":\"Guarded\"},"
    "{\"type\":\"boundaryEvent\",\"id\":\"timer1\",\"attachedTo\":\"guarded\",\"cancelActivity\":true,"
    "\"eventDefinitions\":[{\"type\":\"timerEventDefinition\",\"timeDuration\":\"PT1H\"}]},"
    "{\"type\":\"parallelGateway\",\"id\":\"join\"},"
    "{\"type\":\"endEvent\",\"id\":\"end\"},"
    "{\"type\":\"endEvent\",\"id\":\"end2\"}],"
    "\"flows\":["
    "{\"id\":\"f0\",\"sourceRef\":\"start\",\"targetRef\":\"fork\"},"
    "{\"id\":\"f1\",\"sourceRef\":\"fork\",\"targetRef\":\"task1\"},"
    "{\"id\":\"f2\",\"sourceRef\":\"fork\",\"targetRef\":\"task2\"},"
    "{\"id\":\"f3\",\"sourceRef\":\"fork\",\"targetRef\":\"svc\"},"
    "{\"id\":\"f4\",\"sourceRef\":\"fork\",\"targetRef\":\"sub\"},"
    "{\"id\":\"f5\",\"sourceRef\":\"fork\",\"targetRef\":\"mi\"},"
    "{\"id\":\"f6\",\"sourceRef\":\"fork\",\"targetRef\":\"guarded\"},"
    "{\"id\":\"g1\",\"sourceRef\":\"task1\",\"targetRef\":\"join\"},"
    "{\"id\":\"g2\",\"sourceRef\":\"task2\",\"targetRef\":\"join\"},"
    "{\"id\":\"g3\",\"sourceRef\":\"svc\",\"targetRef\":\"join\"},"
    "{\"id\":\"g4\",\"sourceRef\":\"sub\",\"targetRef\":\"join\"},"
    "{\"id\":\"g5\",\"sourceRef\":\"mi\",\"targetRef\":\"join\"},"
    "{\"id\":\"g6\",\"sourceRef\":\"guarded\",\"targetRef\":\"join\"},"
    "{\"id\":\"g8\",\"sourceRef\":\"join\",\"targetRef\":\"end\"},"
    "{\"id\":\"g9\",\"sourceRef\":\"timer1\",\"targetRef\":\"end2\"}]}}";

static model *test_model(void) {
    cJSON *doc = cJSON_Parse(MODEL_JSON);
    error err = {0};
    model *m = model_compile(doc, &err);
    if (!m) fprintf(stderr, "model_compile failed: %s\n", err.message ? err.message : "?");
    error_clear(&err);
    cJSON_Delete(doc);
    return m;
}

static const model_element *el(const model *m, const char *id) { return model_element_by_id(m, id); }

/* The process instance execution: a scope for the process. */
static execution *root_exec(instance *pi) {
    execution *e = state_execution_new(pi, NULL, pi->id);
    e->is_scope = true;
    e->scope_element = pi->model->process;
    e->scope_instance_id = str_dup(pi->id);
    return e;
}

static void hold(execution *e, const model_element *activity, const char *ai_id) {
    e->activity = activity;
    free(e->activity_instance_id);
    e->activity_instance_id = str_dup(ai_id);
}

static execution *concurrent(instance *pi, execution *parent, const char *id, const model_element *activity,
                             const char *ai_id) {
    execution *e = state_execution_new(pi, parent, id);
    e->is_concurrent = true;
    hold(e, activity, ai_id);
    return e;
}

static execution *scope_exec(instance *pi, execution *parent, const char *id, const model_element *scope,
                             const char *scope_ai) {
    execution *e = state_execution_new(pi, parent, id);
    e->is_scope = true;
    e->scope_element = scope;
    e->scope_instance_id = str_dup(scope_ai);
    return e;
}

static void add_incident(instance *pi, const char *id, incident_kind kind, const char *activity_id, execution *exec) {
    incident *inc = calloc(1, sizeof *inc);
    inc->id = str_dup(id);
    inc->kind = kind;
    inc->activity_id = str_dup(activity_id);
    inc->exec = exec;
    state_add_incident(pi, inc);
}

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static const char *get_str(const cJSON *o, const char *k) { return cJSON_GetStringValue(get(o, k)); }
static const cJSON *child_ai(const cJSON *n, int i) { return cJSON_GetArrayItem(get(n, "childActivityInstances"), i); }
static const cJSON *child_ti(const cJSON *n, int i) { return cJSON_GetArrayItem(get(n, "childTransitionInstances"), i); }
static int n_ai(const cJSON *n) { return cJSON_GetArraySize(get(n, "childActivityInstances")); }
static int n_ti(const cJSON *n) { return cJSON_GetArraySize(get(n, "childTransitionInstances")); }

static char *printed(const cJSON *j) { return cJSON_PrintUnformatted(j); }
static void check_written_as_built(const instance *pi);

/* Checks a JSON member's compact text. */
#define CHECK_JSON(node, key, expected)              \
    do {                                             \
        char *check_txt_ = printed(get(node, key));  \
        CHECK_STR(check_txt_, expected);             \
        free(check_txt_);                            \
    } while (0)

static void test_a_one_task_process_has_the_task_under_the_root_with_the_instance_execution(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    hold(root, el(m, "task1"), "task1:1");
    cJSON *tree = tree_activity_instances(pi);

    CHECK_STR(get_str(tree, "id"), "pi1");
    CHECK(cJSON_IsNull(get(tree, "parentActivityInstanceId")));
    CHECK_STR(get_str(tree, "activityId"), "proc:1:abc");
    CHECK_STR(get_str(tree, "activityType"), "processDefinition");
    CHECK_STR(get_str(tree, "activityName"), "Proc");
    CHECK_STR(get_str(tree, "name"), "Proc");
    CHECK_STR(get_str(tree, "processInstanceId"), "pi1");
    CHECK_STR(get_str(tree, "processDefinitionId"), "proc:1:abc");
    CHECK_JSON(tree, "executionIds", "[\"pi1\"]");
    CHECK_JSON(tree, "incidentIds", "[]");
    CHECK_JSON(tree, "incidents", "[]");
    CHECK_JSON(tree, "childTransitionInstances", "[]");
    CHECK(n_ai(tree) == 1);

    const cJSON *t = child_ai(tree, 0);
    CHECK_STR(get_str(t, "id"), "task1:1");
    CHECK_STR(get_str(t, "parentActivityInstanceId"), "pi1");
    CHECK_STR(get_str(t, "activityId"), "task1");
    CHECK_STR(get_str(t, "activityType"), "userTask");
    CHECK_STR(get_str(t, "activityName"), "Task 1");
    CHECK_STR(get_str(t, "name"), "Task 1");
    CHECK_JSON(t, "executionIds", "[\"pi1\"]");
    CHECK_JSON(t, "childActivityInstances", "[]");
    CHECK_JSON(t, "childTransitionInstances", "[]");
    CHECK_JSON(t, "incidentIds", "[]");

    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

static void test_parallel_tokens_are_sibling_leaves_with_their_concurrent_executions(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    concurrent(pi, root, "c1", el(m, "task1"), "task1:1");
    concurrent(pi, root, "c2", el(m, "task2"), "task2:1");
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 2);
    CHECK_JSON(tree, "executionIds", "[\"pi1\"]");
    CHECK_STR(get_str(child_ai(tree, 0), "id"), "task1:1");
    CHECK_JSON(child_ai(tree, 0), "executionIds", "[\"c1\"]");
    CHECK_STR(get_str(child_ai(tree, 1), "id"), "task2:1");
    CHECK_JSON(child_ai(tree, 1), "executionIds", "[\"c2\"]");
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

/* As in Camunda, a token waiting at a joining gateway is an open gateway instance. */
static void test_a_token_waiting_at_a_join_is_an_activity_instance_of_the_gateway(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    execution *waiting = concurrent(pi, root, "c1", el(m, "join"), "join:1");
    waiting->is_active = false;
    concurrent(pi, root, "c2", el(m, "task2"), "task2:1");
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 2);
    CHECK_STR(get_str(child_ai(tree, 0), "activityId"), "join");
    CHECK_STR(get_str(child_ai(tree, 0), "id"), "join:1");
    CHECK_STR(get_str(child_ai(tree, 1), "activityId"), "task2");
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

static void test_a_subprocess_is_a_node_holding_its_inner_token(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    hold(root, el(m, "sub"), NULL); /* the token inside the subprocess */
    execution *s = scope_exec(pi, root, "s1", el(m, "sub"), "sub:1");
    hold(s, el(m, "inner"), "inner:1");
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 1);
    const cJSON *sub = child_ai(tree, 0);
    CHECK_STR(get_str(sub, "id"), "sub:1");
    CHECK_STR(get_str(sub, "activityId"), "sub");
    CHECK_STR(get_str(sub, "activityType"), "subProcess");
    CHECK_STR(get_str(sub, "parentActivityInstanceId"), "pi1");
    CHECK_JSON(sub, "executionIds", "[\"s1\"]");
    CHECK(n_ai(sub) == 1);
    const cJSON *inner = child_ai(sub, 0);
    CHECK_STR(get_str(inner, "id"), "inner:1");
    CHECK_STR(get_str(inner, "parentActivityInstanceId"), "sub:1");
    CHECK_JSON(inner, "executionIds", "[\"s1\"]");
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

/* Parallel MI: body scope (inactive) → concurrent children → inner scope executions, each holding
 * its own activity (the inner activity is a scope). */
static instance *mi_instance(const model *m) {
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    hold(root, el(m, "mi#multiInstanceBody"), NULL);
    execution *body = scope_exec(pi, root, "b", el(m, "mi#multiInstanceBody"), "mi#multiInstanceBody:1");
    body->is_active = false;
    for (int i = 1; i <= 2; i++) {
        char cid[8], iid[8], ai[16];
        snprintf(cid, sizeof cid, "c%d", i);
        snprintf(iid, sizeof iid, "i%d", i);
        snprintf(ai, sizeof ai, "mi:%d", i);
        execution *c = concurrent(pi, body, cid, el(m, "mi"), NULL);
        c->is_active = false;
        execution *inner = scope_exec(pi, c, iid, el(m, "mi"), ai);
        hold(inner, el(m, "mi"), ai);
    }
    return pi;
}

static void test_a_multi_instance_body_holds_one_node_per_inner_instance(void) {
    model *m = test_model();
    instance *pi = mi_instance(m);
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 1);
    const cJSON *body = child_ai(tree, 0);
    CHECK_STR(get_str(body, "id"), "mi#multiInstanceBody:1");
    CHECK_STR(get_str(body, "activityId"), "mi#multiInstanceBody");
    CHECK_STR(get_str(body, "activityType"), "multiInstanceBody");
    CHECK_JSON(body, "executionIds", "[\"b\"]");
    CHECK(n_ai(body) == 2);
    for (int i = 0; i < 2 && i < n_ai(body); i++) {
        const cJSON *inner = child_ai(body, i);
        char ai[16], exec[8];
        snprintf(ai, sizeof ai, "mi:%d", i + 1);
        snprintf(exec, sizeof exec, "[\"i%d\"]", i + 1);
        CHECK_STR(get_str(inner, "id"), ai);
        CHECK_STR(get_str(inner, "activityId"), "mi");
        CHECK_STR(get_str(inner, "activityType"), "userTask");
        CHECK_STR(get_str(inner, "parentActivityInstanceId"), "mi#multiInstanceBody:1");
        CHECK_JSON(inner, "executionIds", exec);
        CHECK(n_ai(inner) == 0); /* a scope holding its own activity is one node */
    }
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

static void test_an_async_token_is_a_transition_instance_not_an_activity_instance(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    hold(root, el(m, "svc"), NULL);
    root->transition = TRANSITION_ASYNC_BEFORE;
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 0);
    CHECK(n_ti(tree) == 1);
    const cJSON *ti = child_ti(tree, 0);
    CHECK_STR(get_str(ti, "id"), "pi1");
    CHECK_STR(get_str(ti, "parentActivityInstanceId"), "pi1");
    CHECK_STR(get_str(ti, "activityId"), "svc");
    CHECK_STR(get_str(ti, "targetActivityId"), "svc");
    CHECK_STR(get_str(ti, "activityName"), "Service");
    CHECK_STR(get_str(ti, "activityType"), "serviceTask");
    CHECK_STR(get_str(ti, "executionId"), "pi1");
    CHECK_STR(get_str(ti, "processInstanceId"), "pi1");
    CHECK_STR(get_str(ti, "processDefinitionId"), "proc:1:abc");
    CHECK_JSON(ti, "incidentIds", "[]");
    CHECK_JSON(ti, "incidents", "[]");
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

static void test_an_activity_with_boundary_events_is_one_node_not_two(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    hold(root, el(m, "guarded"), NULL);
    execution *s = scope_exec(pi, root, "g", el(m, "guarded"), "guarded:1");
    hold(s, el(m, "guarded"), "guarded:1");
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 1);
    const cJSON *g = child_ai(tree, 0);
    CHECK_STR(get_str(g, "id"), "guarded:1");
    CHECK_STR(get_str(g, "activityType"), "userTask");
    CHECK_JSON(g, "executionIds", "[\"g\"]");
    CHECK(n_ai(g) == 0);
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

static void test_children_follow_execution_order_across_kinds(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    concurrent(pi, root, "c1", el(m, "task2"), "task2:1");
    execution *c2 = concurrent(pi, root, "c2", el(m, "sub"), NULL);
    c2->is_active = false;
    execution *s = scope_exec(pi, c2, "s1", el(m, "sub"), "sub:1");
    s->is_active = false;
    concurrent(pi, s, "s1a", el(m, "inner"), "inner:1");
    execution *s1b = concurrent(pi, s, "s1b", el(m, "inner"), NULL);
    s1b->transition = TRANSITION_ASYNC_AFTER;
    concurrent(pi, root, "c3", el(m, "task1"), "task1:1");
    cJSON *tree = tree_activity_instances(pi);
    CHECK(n_ai(tree) == 3);
    CHECK_STR(get_str(child_ai(tree, 0), "id"), "task2:1");
    CHECK_STR(get_str(child_ai(tree, 1), "id"), "sub:1");
    CHECK_STR(get_str(child_ai(tree, 2), "id"), "task1:1");
    const cJSON *sub = child_ai(tree, 1);
    CHECK(n_ai(sub) == 1 && n_ti(sub) == 1);
    CHECK_STR(get_str(child_ai(sub, 0), "id"), "inner:1");
    CHECK_STR(get_str(child_ti(sub, 0), "id"), "s1b");
    CHECK_STR(get_str(child_ti(sub, 0), "parentActivityInstanceId"), "sub:1");
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

static void test_incidents_show_on_the_node_of_their_execution_and_activity(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    root->is_active = false;
    execution *c1 = concurrent(pi, root, "c1", el(m, "svc"), NULL);
    c1->transition = TRANSITION_ASYNC_BEFORE;
    execution *c2 = concurrent(pi, root, "c2", el(m, "sub"), NULL);
    c2->is_active = false;
    execution *s = scope_exec(pi, c2, "s1", el(m, "sub"), "sub:1");
    hold(s, el(m, "inner"), "inner:1");
    execution *c3 = concurrent(pi, root, "c3", el(m, "guarded"), NULL);
    c3->is_active = false;
    execution *g = scope_exec(pi, c3, "g", el(m, "guarded"), "guarded:1");
    hold(g, el(m, "guarded"), "guarded:1");
    add_incident(pi, "inc-job", INCIDENT_FAILED_JOB, "svc", c1);
    add_incident(pi, "inc-inner", INCIDENT_FAILED_EXTERNAL_TASK, "inner", s);
    add_incident(pi, "inc-sub", INCIDENT_FAILED_JOB, "sub", s);
    add_incident(pi, "inc-guarded", INCIDENT_FAILED_JOB, "guarded", g);
    cJSON *tree = tree_activity_instances(pi);

    CHECK_JSON(tree, "incidentIds", "[]");
    CHECK_JSON(child_ti(tree, 0), "incidentIds", "[\"inc-job\"]");
    CHECK_JSON(child_ti(tree, 0), "incidents", "[{\"id\":\"inc-job\",\"activityId\":\"svc\"}]");
    const cJSON *sub = child_ai(tree, 0);
    CHECK_JSON(sub, "incidentIds", "[\"inc-sub\"]");
    CHECK_JSON(child_ai(sub, 0), "incidentIds", "[\"inc-inner\"]");
    CHECK_JSON(child_ai(sub, 0), "incidents", "[{\"id\":\"inc-inner\",\"activityId\":\"inner\"}]");
    CHECK_JSON(child_ai(tree, 1), "incidentIds", "[\"inc-guarded\"]");
    cJSON_Delete(tree);
    state_free(pi);
    model_free(m);
}

/* tree_write's text (what the core returns) is the cJSON tree's, printed. */
static void check_written_as_built(const instance *pi) {
    json_writer w = {0};
    tree_write(&w, pi);
    cJSON *tree = tree_activity_instances(pi);
    char *text = printed(tree);
    CHECK_STR(w.buf, text);
    free(text);
    cJSON_Delete(tree);
    jw_free(&w);
}

static void test_the_written_tree_is_the_built_tree_as_text(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *root = root_exec(pi);
    hold(root, el(m, "task1"), "task1:1");
    json_writer w = {0};
    tree_write(&w, pi);
    CHECK_STR(w.buf,
              "{\"id\":\"pi1\",\"parentActivityInstanceId\":null,\"activityId\":\"proc:1:abc\",\"activityType\":"
              "\"processDefinition\",\"processInstanceId\":\"pi1\",\"processDefinitionId\":\"proc:1:abc\","
              "\"childActivityInstances\":[{\"id\":\"task1:1\",\"parentActivityInstanceId\":\"pi1\",\"activityId\":"
              "\"task1\",\"activityType\":\"userTask\",\"processInstanceId\":\"pi1\",\"processDefinitionId\":"
              "\"proc:1:abc\",\"childActivityInstances\":[],\"childTransitionInstances\":[],\"executionIds\":[\"pi1\"],"
              "\"activityName\":\"Task 1\",\"name\":\"Task 1\",\"incidentIds\":[],\"incidents\":[]}],"
              "\"childTransitionInstances\":[],\"executionIds\":[\"pi1\"],\"activityName\":\"Proc\",\"name\":\"Proc\","
              "\"incidentIds\":[],\"incidents\":[]}");
    jw_free(&w);
    check_written_as_built(pi);
    state_free(pi);

    /* every kind of node, nested, with incidents (two on one node) */
    pi = state_new(m, "pi2");
    root = root_exec(pi);
    root->is_active = false;
    execution *c1 = concurrent(pi, root, "c1", el(m, "svc"), NULL);
    c1->transition = TRANSITION_ASYNC_BEFORE;
    execution *c2 = concurrent(pi, root, "c2", el(m, "sub"), NULL);
    c2->is_active = false;
    execution *s = scope_exec(pi, c2, "s1", el(m, "sub"), "sub:1");
    s->is_active = false;
    execution *s1a = concurrent(pi, s, "s1a", el(m, "inner"), "inner:1");
    execution *s1b = concurrent(pi, s, "s1b", el(m, "inner"), NULL);
    s1b->transition = TRANSITION_ASYNC_AFTER;
    execution *c3 = concurrent(pi, root, "c3", el(m, "guarded"), NULL);
    c3->is_active = false;
    execution *g = scope_exec(pi, c3, "g", el(m, "guarded"), "guarded:1");
    hold(g, el(m, "guarded"), "guarded:1");
    concurrent(pi, root, "c4", el(m, "join"), "join:1")->is_active = false;
    add_incident(pi, "inc-job", INCIDENT_FAILED_JOB, "svc", c1);
    add_incident(pi, "inc-inner", INCIDENT_FAILED_EXTERNAL_TASK, "inner", s1a);
    add_incident(pi, "inc-inner2", INCIDENT_FAILED_JOB, "inner", s1a);
    add_incident(pi, "inc-after", INCIDENT_FAILED_JOB, "inner", s1b);
    add_incident(pi, "inc-guarded", INCIDENT_FAILED_JOB, "guarded", g);
    check_written_as_built(pi);
    state_free(pi);

    /* an ended instance: the root alone */
    pi = state_new(m, "pi3");
    pi->ended = true;
    check_written_as_built(pi);
    state_free(pi);
    model_free(m);
}

static void test_activity_instance_ids_lead_back_to_their_executions(void) {
    model *m = test_model();
    instance *pi = mi_instance(m);
    execution *e = NULL;
    bool scope = false;
    CHECK(tree_find_activity_instance(pi, "pi1", &e, &scope));
    CHECK(e == pi->root && scope);
    CHECK(tree_find_activity_instance(pi, "mi#multiInstanceBody:1", &e, &scope));
    CHECK(e && strcmp(e->id, "b") == 0 && scope);
    CHECK(tree_find_activity_instance(pi, "mi:2", &e, &scope));
    CHECK(e && strcmp(e->id, "i2") == 0 && scope);
    CHECK(!tree_find_activity_instance(pi, "nope", &e, &scope));
    CHECK(e == NULL && !scope);
    CHECK(!tree_find_activity_instance(pi, NULL, &e, &scope));
    CHECK(tree_find_transition_instance(pi, "c1") == NULL); /* not parked at a continuation */
    state_free(pi);

    pi = state_new(m, "pi2");
    execution *root = root_exec(pi);
    root->is_active = false;
    concurrent(pi, root, "c1", el(m, "task1"), "task1:1");
    execution *c2 = concurrent(pi, root, "c2", el(m, "svc"), NULL);
    c2->transition = TRANSITION_ASYNC_BEFORE;
    CHECK(tree_find_activity_instance(pi, "task1:1", &e, &scope));
    CHECK(e && strcmp(e->id, "c1") == 0 && !scope);
    CHECK(tree_find_transition_instance(pi, "c2") == c2);
    CHECK(tree_find_transition_instance(pi, "c1") == NULL);
    CHECK(!tree_find_activity_instance(pi, "c2", &e, &scope));
    state_free(pi);
    model_free(m);
}

static void test_an_ended_instance_has_only_the_root_node(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    pi->ended = true;
    cJSON *tree = tree_activity_instances(pi);
    CHECK_STR(get_str(tree, "id"), "pi1");
    CHECK(n_ai(tree) == 0 && n_ti(tree) == 0);
    cJSON_Delete(tree);
    execution *e = (execution *)1;
    bool scope = true;
    CHECK(!tree_find_activity_instance(pi, "pi1", &e, &scope));
    state_free(pi);
    model_free(m);
}

static void test_a_deep_execution_tree_is_walked_without_recursion(void) {
    model *m = test_model();
    instance *pi = state_new(m, "pi1");
    execution *e = root_exec(pi);
    e->is_active = false;
    char id[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "s%d", i);
        e = scope_exec(pi, e, id, el(m, "sub"), id);
        e->is_active = false;
    }
    hold(e, el(m, "inner"), "inner:deep");
    e->is_active = true;
    cJSON *tree = tree_activity_instances(pi);
    const cJSON *n = tree;
    int depth = 0;
    while (n_ai(n) == 1) {
        n = child_ai(n, 0);
        depth++;
    }
    CHECK(depth == 2001);
    CHECK_STR(get_str(n, "id"), "inner:deep");
    execution *found = NULL;
    bool scope = true;
    CHECK(tree_find_activity_instance(pi, "inner:deep", &found, &scope) && found == e && !scope);
    cJSON_Delete(tree);
    check_written_as_built(pi);
    state_free(pi);
    model_free(m);
}

int main(void) {
    RUN(test_a_one_task_process_has_the_task_under_the_root_with_the_instance_execution);
    RUN(test_parallel_tokens_are_sibling_leaves_with_their_concurrent_executions);
    RUN(test_a_token_waiting_at_a_join_is_an_activity_instance_of_the_gateway);
    RUN(test_a_subprocess_is_a_node_holding_its_inner_token);
    RUN(test_a_multi_instance_body_holds_one_node_per_inner_instance);
    RUN(test_an_async_token_is_a_transition_instance_not_an_activity_instance);
    RUN(test_an_activity_with_boundary_events_is_one_node_not_two);
    RUN(test_children_follow_execution_order_across_kinds);
    RUN(test_incidents_show_on_the_node_of_their_execution_and_activity);
    RUN(test_activity_instance_ids_lead_back_to_their_executions);
    RUN(test_an_ended_instance_has_only_the_root_node);
    RUN(test_a_deep_execution_tree_is_walked_without_recursion);
    RUN(test_the_written_tree_is_the_built_tree_as_text);
    return CHECK_SUMMARY();
}
