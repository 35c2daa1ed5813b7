/*
 * test_state_json.c — the state document (src/state_json.c): exact round trips, refusal of
 * hostile documents without crashes or leaks, the query index and the visible-variables view.
 *
 * Instances are built by hand with the state.h API against a small compiled model, so these
 * tests do not depend on the executor.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model.h"
#include "state.h"
#include "state_json.h"
#include "strutil.h"
#include "tree.h"
#include "value.h"

/* start → fork → {task1, task2, svc (async, external), sub {inner}, mi (multi-instance),
 * guarded (+ boundary timer), msg1} → join → end */
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
    "{\"type\":\"intermediateCatchEvent\",\"id\":\"msg1\",\"eventDefinitions\":"
    "[{\"type\":\"messageEventDefinition\",\"messageRef\":\"m1\",\"messageName\":\"go\"}]},"
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
    "{\"id\":\"f7\",\"sourceRef\":\"fork\",\"targetRef\":\"msg1\"},"
    "{\"id\":\"g1\",\"sourceRef\":\"task1\",\"targetRef\":\"join\"},"
    "{\"id\":\"g2\",\"sourceRef\":\"task2\",\"targetRef\":\"join\"},"
    "{\"id\":\"g3\",\"sourceRef\":\"svc\",\"targetRef\":\"join\"},"
    "{\"id\":\"g4\",\"sourceRef\":\"sub\",\"targetRef\":\"join\"},"
    "{\"id\":\"g5\",\"sourceRef\":\"mi\",\"targetRef\":\"join\"},"
    "{\"id\":\"g6\",\"sourceRef\":\"guarded\",\"targetRef\":\"join\"},"
    "{\"id\":\"g7\",\"sourceRef\":\"msg1\",\"targetRef\":\"join\"},"
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

static const model_element *el(const model *m, const char *id) {
    const model_element *e = model_element_by_id(m, id);
    if (!e) fprintf(stderr, "test model has no element %s\n", id);
    return e;
}

static void set_var(var_map *vars, const char *id, const char *name, value v) {
    bool created;
    var_map_put(vars, id, name, &v, &created);
    value_free(&v);
}

/* A token (concurrent child of `parent`) executing `activity`. */
static execution *token(instance *pi, execution *parent, const char *id, const model_element *activity,
                        const char *ai_id) {
    execution *e = state_execution_new(pi, parent, id);
    e->is_concurrent = true;
    e->activity = activity;
    e->activity_instance_id = str_dup(ai_id);
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

/* An instance with something in every field: concurrent tokens, a subprocess scope, an async
 * token, artefacts of every kind, variables of every type (including the awkward ones). */
static instance *rich_instance(const model *m) {
    instance *pi = state_new(m, "pi1");
    pi->business_key = str_dup("order-7");
    pi->tenant_id = str_dup("tenantA");
    pi->start_activity_id = str_dup("start");
    pi->restarted_from = str_dup("pi0");
    pi->start_time = 1763870400000;
    pi->suspended = true;

    execution *root = scope_exec(pi, NULL, "pi1", m->process, "pi1");
    root->is_active = false;
    set_var(&root->vars, "v1", "s", value_string("text \"quoted\" \xc3\xa9"));
    set_var(&root->vars, "v2", "i", value_integer(-42));
    set_var(&root->vars, "v3", "big", value_long(INT64_C(9007199254740993)));
    set_var(&root->vars, "v4", "min", value_long(INT64_MIN));
    set_var(&root->vars, "v5", "d", value_double(0.1));
    set_var(&root->vars, "v6", "inf", value_double(-INFINITY));
    set_var(&root->vars, "v7", "b", value_boolean(true));
    set_var(&root->vars, "v8", "when", value_date(1763870400123));
    set_var(&root->vars, "v9", "doc", value_json("{\"a\":[1,2]}"));
    set_var(&root->vars, "v10", "nothing", value_null());
    set_var(&root->vars, NULL, "noId", value_string(""));

    execution *c1 = token(pi, root, "c1", el(m, "task1"), "task1:1");
    execution *c2 = token(pi, root, "c2", el(m, "svc"), NULL);
    c2->transition = TRANSITION_ASYNC_BEFORE;
    execution *c3 = token(pi, root, "c3", el(m, "sub"), NULL);
    c3->is_active = false;
    execution *s = scope_exec(pi, c3, "s1", el(m, "sub"), "sub:1");
    s->activity = el(m, "inner");
    s->activity_instance_id = str_dup("inner:1");
    set_var(&s->vars, "v11", "s", value_string("shadow"));
    execution *c4 = token(pi, root, "c4", el(m, "msg1"), "msg1:1");
    set_var(&c4->vars, "v12", "local", value_integer(1));

    task *t = calloc(1, sizeof *t);
    t->id = str_dup("t1");
    t->name = str_dup("Task 1");
    t->task_definition_key = str_dup("task1");
    t->exec = c1;
    t->activity_instance_id = str_dup("task1:1");
    t->priority = 50;
    t->created = 1763870400001;
    set_var(&t->vars, "v13", "tv", value_integer(7));
    state_add_task(pi, t);

    task *t2 = calloc(1, sizeof *t2); /* every nullable field null */
    t2->id = str_dup("t2");
    t2->exec = s;
    t2->priority = INT32_MIN;
    state_add_task(pi, t2);

    external_task *x = calloc(1, sizeof *x);
    x->id = str_dup("x1");
    x->topic = str_dup("work");
    x->activity_id = str_dup("svc");
    x->activity_instance_id = str_dup("svc:1");
    x->exec = c2;
    x->retries = -1;
    x->priority = INT64_C(4611686018427387904); /* 2^62: beyond a double's exact integers */
    x->created = 1763870400002;
    state_add_external_task(pi, x);

    job *j = calloc(1, sizeof *j);
    j->id = str_dup("j1");
    j->kind = JOB_ASYNC_BEFORE;
    j->activity = el(m, "svc");
    j->exec = c2;
    j->retries = 0;
    j->exception_message = str_dup("boom");
    j->exception_details = str_dup("at line 1");
    j->repeat_remaining = -1;
    j->created = 1763870400003;
    state_add_job(pi, j);

    job *j2 = calloc(1, sizeof *j2);
    j2->id = str_dup("j2");
    j2->kind = JOB_TIMER_BOUNDARY;
    j2->activity = el(m, "timer1");
    j2->exec = root;
    j2->due = 1763874000000;
    j2->retries = 3;
    j2->repeat = str_dup("R3/PT1H");
    j2->repeat_remaining = 2;
    j2->suspended = true;
    j2->created = 1763870400004;
    state_add_job(pi, j2);

    subscription *sub = calloc(1, sizeof *sub);
    sub->id = str_dup("m1");
    sub->event_name = str_dup("go");
    sub->activity = el(m, "msg1");
    sub->exec = c4;
    sub->created = 1763870400005;
    state_add_subscription(pi, sub);

    incident *inc = calloc(1, sizeof *inc);
    inc->id = str_dup("inc1");
    inc->kind = INCIDENT_FAILED_JOB;
    inc->activity_id = str_dup("svc");
    inc->exec = c2;
    inc->configuration = str_dup("j1");
    inc->message = str_dup("boom");
    inc->timestamp = 1763870400006;
    state_add_incident(pi, inc);
    return pi;
}

static char *print(const cJSON *j) { return j ? cJSON_PrintUnformatted(j) : NULL; }

/* The views as trees: what the writers wrote, parsed. */
static cJSON *parsed(json_writer *w) {
    cJSON *doc = cJSON_ParseWithLength(w->buf, w->len);
    CHECK(doc != NULL);
    jw_free(w);
    return doc;
}

static cJSON *index_json(const instance *pi) {
    json_writer w = {0};
    state_write_index(&w, pi);
    return parsed(&w);
}

static cJSON *variables_json(const instance *pi, const execution *scope, bool local) {
    json_writer w = {0};
    state_write_variables(&w, pi, scope, local);
    return parsed(&w);
}

static cJSON *var_map_json(const var_map *vars) {
    json_writer w = {0};
    state_write_var_map(&w, vars);
    return parsed(&w);
}

static char *state_text(const instance *pi) {
    json_writer w = {0};
    state_write(&w, pi);
    return jw_take(&w);
}

/* Reads text as a state document; NULL with err set on refusal. */
static instance *load(const model *m, const char *text, error *err) {
    cJSON *doc = cJSON_Parse(text);
    if (!doc) {
        error_set(err, "test", "unparsable test input");
        return NULL;
    }
    instance *pi = state_from_json(m, doc, err);
    cJSON_Delete(doc);
    return pi;
}

/* ---- struct equality, for the round trip ---- */

static bool vars_equal(const var_map *a, const var_map *b) {
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++) {
        const variable *x = &a->items[i], *y = &b->items[i];
        if ((x->id == NULL) != (y->id == NULL) || (x->id && strcmp(x->id, y->id) != 0)) return false;
        if (strcmp(x->name, y->name) != 0) return false;
        if (x->val.type != y->val.type) return false;
        /* NaN is not value_equal to itself; compare its type and class instead. */
        if (x->val.type == VAL_DOUBLE && isnan(x->val.d)) {
            if (!isnan(y->val.d)) return false;
        } else if (!value_equal(&x->val, &y->val)) {
            return false;
        }
    }
    return true;
}

static bool same(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }
static bool same_exec(const execution *a, const execution *b) { return (!a && !b) || (a && b && same(a->id, b->id)); }

static bool executions_equal(const execution *a, const execution *b) {
    if (!a || !b) return a == b;
    if (!same(a->id, b->id) || !same_exec(a->parent, b->parent) || a->n_children != b->n_children ||
        a->is_scope != b->is_scope || a->is_concurrent != b->is_concurrent || a->is_active != b->is_active ||
        a->scope_element != b->scope_element || !same(a->scope_instance_id, b->scope_instance_id) ||
        a->activity != b->activity || !same(a->activity_instance_id, b->activity_instance_id) ||
        a->transition != b->transition || !vars_equal(&a->vars, &b->vars))
        return false;
    for (size_t i = 0; i < a->n_children; i++)
        if (!executions_equal(a->children[i], b->children[i])) return false;
    return true;
}

static bool instances_equal(const instance *a, const instance *b) {
    if (!same(a->id, b->id) || !same(a->business_key, b->business_key) || !same(a->tenant_id, b->tenant_id) ||
        !same(a->start_activity_id, b->start_activity_id) || !same(a->restarted_from, b->restarted_from) ||
        a->start_time != b->start_time || a->end_time != b->end_time || a->suspended != b->suspended ||
        a->ended != b->ended || !same(a->end_state, b->end_state) || !same(a->delete_reason, b->delete_reason) ||
        !executions_equal(a->root, b->root))
        return false;
    if (a->tasks.n != b->tasks.n || a->external_tasks.n != b->external_tasks.n || a->jobs.n != b->jobs.n ||
        a->subscriptions.n != b->subscriptions.n || a->incidents.n != b->incidents.n)
        return false;
    for (size_t i = 0; i < a->tasks.n; i++) {
        const task *x = a->tasks.items[i], *y = b->tasks.items[i];
        if (!same(x->id, y->id) || !same(x->name, y->name) || !same(x->task_definition_key, y->task_definition_key) ||
            !same_exec(x->exec, y->exec) || !same(x->activity_instance_id, y->activity_instance_id) ||
            !same(x->assignee, y->assignee) || x->priority != y->priority || x->created != y->created ||
            !vars_equal(&x->vars, &y->vars))
            return false;
    }
    for (size_t i = 0; i < a->external_tasks.n; i++) {
        const external_task *x = a->external_tasks.items[i], *y = b->external_tasks.items[i];
        if (!same(x->id, y->id) || !same(x->topic, y->topic) || !same(x->activity_id, y->activity_id) ||
            !same(x->activity_instance_id, y->activity_instance_id) || !same_exec(x->exec, y->exec) ||
            x->retries != y->retries || !same(x->error_message, y->error_message) ||
            !same(x->error_details, y->error_details) || !same(x->worker_id, y->worker_id) ||
            x->lock_expiration != y->lock_expiration || x->priority != y->priority || x->created != y->created)
            return false;
    }
    for (size_t i = 0; i < a->jobs.n; i++) {
        const job *x = a->jobs.items[i], *y = b->jobs.items[i];
        if (!same(x->id, y->id) || x->kind != y->kind || x->activity != y->activity || !same_exec(x->exec, y->exec) ||
            x->due != y->due || x->retries != y->retries || !same(x->exception_message, y->exception_message) ||
            !same(x->exception_details, y->exception_details) || !same(x->repeat, y->repeat) ||
            x->repeat_remaining != y->repeat_remaining || x->suspended != y->suspended || x->created != y->created)
            return false;
    }
    for (size_t i = 0; i < a->subscriptions.n; i++) {
        const subscription *x = a->subscriptions.items[i], *y = b->subscriptions.items[i];
        if (!same(x->id, y->id) || !same(x->event_name, y->event_name) || x->activity != y->activity ||
            !same_exec(x->exec, y->exec) || x->created != y->created)
            return false;
    }
    for (size_t i = 0; i < a->incidents.n; i++) {
        const incident *x = a->incidents.items[i], *y = b->incidents.items[i];
        if (!same(x->id, y->id) || x->kind != y->kind || !same(x->activity_id, y->activity_id) ||
            !same_exec(x->exec, y->exec) || !same(x->configuration, y->configuration) ||
            !same(x->message, y->message) || x->timestamp != y->timestamp)
            return false;
    }
    return true;
}

/* ---- round trip ---- */

static void test_reading_a_written_state_gives_back_the_same_instance(void) {
    model *m = test_model();
    instance *pi = rich_instance(m);
    cJSON *doc = state_to_json(pi);
    error err = {0};
    instance *back = state_from_json(m, doc, &err);
    CHECK(back != NULL);
    CHECK(err.message == NULL);
    if (back) CHECK(instances_equal(pi, back));
    char *a = state_text(pi), *b = back ? state_text(back) : NULL;
    CHECK_STR(b, a);
    free(a);
    free(b);
    cJSON_Delete(doc);
    state_free(back);
    state_free(pi);
    error_clear(&err);
    model_free(m);
}

static void test_writing_the_same_state_twice_gives_identical_documents(void) {
    model *m = test_model();
    instance *x = rich_instance(m), *y = rich_instance(m);
    char *a = state_text(x), *b = state_text(y);
    CHECK_STR(a, b);
    free(a);
    free(b);
    state_free(x);
    state_free(y);
    model_free(m);
}

static void test_executions_are_written_flat_in_tree_pre_order(void) {
    model *m = test_model();
    instance *pi = rich_instance(m);
    cJSON *doc = state_to_json(pi);
    const char *expected[] = {"pi1", "c1", "c2", "c3", "s1", "c4"};
    const cJSON *execs = cJSON_GetObjectItemCaseSensitive(doc, "executions");
    CHECK(cJSON_GetArraySize(execs) == 6);
    for (int i = 0; i < 6 && i < cJSON_GetArraySize(execs); i++) {
        const cJSON *e = cJSON_GetArrayItem(execs, i);
        CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id")), expected[i]);
        CHECK(cJSON_GetObjectItemCaseSensitive(e, "children") == NULL);
    }
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(execs, 4), "parentId")), "c3");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(execs, 0), "parentId")));
    cJSON_Delete(doc);
    state_free(pi);
    model_free(m);
}

static void test_dates_are_epoch_millisecond_numbers_and_huge_integers_keep_their_digits(void) {
    model *m = test_model();
    instance *pi = rich_instance(m);
    cJSON *doc = state_to_json(pi);
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(doc, "startTime");
    CHECK(cJSON_IsNumber(start) && start->valuedouble == 1763870400000.0);
    const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "externalTasks"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "priority")), "4611686018427387904");
    const cJSON *vars = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "executions"), 0), "variables");
    const cJSON *big = cJSON_GetArrayItem(vars, 2);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(big, "id")), "v3");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(big, "name")), "big");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(big, "type")), "Long");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(big, "value")), "9007199254740993");
    CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(big, "valueInfo")));
    const cJSON *when = cJSON_GetArrayItem(vars, 7);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(when, "type")), "Date");
    CHECK(cJSON_GetObjectItemCaseSensitive(when, "value")->valuedouble == 1763870400123.0);
    cJSON_Delete(doc);
    state_free(pi);
    model_free(m);
}

static void test_longs_up_to_2_pow_53_are_written_as_exact_numbers(void) {
    model *m = test_model();
    instance *pi = state_new(m, "p");
    execution *root = scope_exec(pi, NULL, "p", m->process, "p");
    set_var(&root->vars, "a", "max", value_long(INT64_C(9007199254740991)));
    set_var(&root->vars, "b", "min", value_long(-INT64_C(9007199254740992)));
    char *text = state_text(pi);
    CHECK(strstr(text, "\"name\":\"max\",\"type\":\"Long\",\"value\":9007199254740991,") != NULL);
    CHECK(strstr(text, "\"name\":\"min\",\"type\":\"Long\",\"value\":-9007199254740992,") != NULL);
    error err = {0};
    instance *back = load(m, text, &err);
    CHECK(back && instances_equal(pi, back));
    error_clear(&err);
    state_free(back);
    free(text);
    state_free(pi);
    model_free(m);
}

static void test_a_not_a_number_double_survives_the_round_trip(void) {
    model *m = test_model();
    instance *pi = state_new(m, "p");
    execution *root = scope_exec(pi, NULL, "p", m->process, "p");
    root->activity = el(m, "task1");
    root->activity_instance_id = str_dup("task1:1");
    set_var(&root->vars, "n", "nan", value_double(NAN));
    cJSON *doc = state_to_json(pi);
    error err = {0};
    instance *back = state_from_json(m, doc, &err);
    CHECK(back != NULL);
    if (back) {
        variable *v = var_map_get(&back->root->vars, "nan");
        CHECK(v && v->val.type == VAL_DOUBLE && isnan(v->val.d));
    }
    error_clear(&err);
    state_free(back);
    cJSON_Delete(doc);
    state_free(pi);
    model_free(m);
}

static void test_dates_beyond_the_text_form_and_dates_in_text_form_are_read(void) {
    model *m = test_model();
    instance *pi = state_new(m, "p");
    execution *root = scope_exec(pi, NULL, "p", m->process, "p");
    set_var(&root->vars, "a", "far", value_date(INT64_C(8640000000000000)));  /* year 275760 */
    set_var(&root->vars, "b", "farther", value_date(INT64_MIN));
    cJSON *doc = state_to_json(pi);
    error err = {0};
    instance *back = state_from_json(m, doc, &err);
    CHECK(back && instances_equal(pi, back));
    state_free(back);
    cJSON_Delete(doc);
    state_free(pi);

    pi = load(m,
              "{\"id\":\"p\",\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false,"
              "\"executions\":[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true,"
              "\"scopeActivityId\":\"proc\",\"variables\":[{\"id\":\"v\",\"name\":\"d\",\"type\":\"Date\","
              "\"value\":\"2026-11-23T10:00:00.000+0000\"}]}]}",
              &err);
    CHECK(pi != NULL);
    if (pi) {
        variable *v = var_map_get(&pi->root->vars, "d");
        CHECK(v && v->val.type == VAL_DATE && v->val.i == INT64_C(1795428000000));
    }
    state_free(pi);
    error_clear(&err);
    model_free(m);
}

static void test_an_ended_instance_without_executions_round_trips(void) {
    model *m = test_model();
    instance *pi = state_new(m, "done");
    pi->ended = true;
    pi->end_state = str_dup("COMPLETED");
    pi->end_time = 1763870409999;
    pi->delete_reason = str_dup("why");
    cJSON *doc = state_to_json(pi);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "executions")) == 0);
    error err = {0};
    instance *back = state_from_json(m, doc, &err);
    CHECK(back != NULL);
    if (back) {
        CHECK(instances_equal(pi, back));
        CHECK(back->root == NULL);
    }
    error_clear(&err);
    state_free(back);
    cJSON_Delete(doc);
    state_free(pi);
    model_free(m);
}

static void test_omitted_nullable_fields_and_arrays_read_as_null_and_empty(void) {
    model *m = test_model();
    error err = {0};
    instance *pi = load(m,
                        "{\"id\":\"p\",\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false,"
                        "\"executions\":[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true,"
                        "\"scopeActivityId\":\"proc\",\"scopeInstanceId\":\"p\",\"activityId\":\"task1\","
                        "\"activityInstanceId\":\"task1:1\"}]}",
                        &err);
    CHECK(pi != NULL);
    CHECK(err.message == NULL);
    if (pi) {
        CHECK(pi->business_key == NULL);
        CHECK(pi->root && pi->root->activity == el(m, "task1"));
        CHECK(pi->root && pi->root->transition == TRANSITION_NONE && pi->root->vars.n == 0);
        CHECK(pi->tasks.n == 0 && pi->jobs.n == 0);
    }
    error_clear(&err);
    state_free(pi);
    model_free(m);
}

/* ---- hostile documents ---- */

/* A minimal valid document with the given executions and extra top-level members. The extras come
 * first: with duplicate keys, cJSON finds the first. */
static char *doc_with(const char *executions, const char *extra) {
    return str_printf("{%s%s\"id\":\"p\",\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false,"
                      "\"executions\":%s}",
                      extra, *extra ? "," : "", executions);
}

#define ROOT_EXEC                                                                                         \
    "{\"id\":\"p\",\"parentId\":null,\"isScope\":true,\"isConcurrent\":false,\"isActive\":false,"         \
    "\"scopeActivityId\":\"proc\",\"scopeInstanceId\":\"p\"}"
#define CHILD_EXEC(id, parent)                                                                            \
    "{\"id\":\"" id "\",\"parentId\":\"" parent "\",\"isScope\":false,\"isConcurrent\":true,"           \
    "\"isActive\":true,\"activityId\":\"task1\",\"activityInstanceId\":\"task1:" id "\"}"

/* Expects the document to be refused with a message containing `fragment`. */
static void expect_refused(const model *m, const char *executions, const char *extra, const char *fragment) {
    char *text = doc_with(executions, extra);
    error err = {0};
    instance *pi = load(m, text, &err);
    if (pi) fprintf(stderr, "  accepted, expected a refusal with \"%s\"\n", fragment);
    CHECK(pi == NULL);
    CHECK(err.message != NULL);
    if (err.message && !strstr(err.message, fragment)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.message, fragment);
        CHECK(strstr(err.message, fragment) != NULL);
    }
    if (err.message) CHECK_STR(err.type, "ProcessEngineException");
    state_free(pi);
    error_clear(&err);
    free(text);
}

static void test_a_valid_minimal_document_is_accepted(void) {
    model *m = test_model();
    char *text = doc_with("[" ROOT_EXEC "," CHILD_EXEC("a", "p") "]", "");
    error err = {0};
    instance *pi = load(m, text, &err);
    CHECK(pi != NULL);
    CHECK(pi && pi->root && pi->root->n_children == 1);
    state_free(pi);
    error_clear(&err);
    free(text);
    model_free(m);
}

static void test_documents_of_the_wrong_shape_are_refused(void) {
    model *m = test_model();
    error err = {0};
    cJSON *arr = cJSON_CreateArray();
    CHECK(state_from_json(m, arr, &err) == NULL);
    CHECK(err.message && strstr(err.message, "must be a JSON object"));
    error_clear(&err);
    CHECK(state_from_json(m, NULL, &err) == NULL);
    CHECK(err.message != NULL);
    error_clear(&err);
    cJSON_Delete(arr);

    const char *no_id = "{\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false,\"executions\":[]}";
    CHECK(load(m, no_id, &err) == NULL);
    CHECK_STR(err.message, "Invalid state document: id is missing");
    error_clear(&err);
    const char *wrong_root = "{\"id\":\"q\",\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false,"
                             "\"executions\":[" ROOT_EXEC "]}";
    CHECK(load(m, wrong_root, &err) == NULL);
    CHECK_STR(err.message, "Invalid state document: executions[0].id 'p' must be the process instance id");
    error_clear(&err);
    expect_refused(m, "{}", "", "executions must be an array");
    expect_refused(m, "[]", "", "executions must hold the process instance execution");
    expect_refused(m, "[7]", "", "executions[0] must be an object");
    expect_refused(m, "[" ROOT_EXEC "]", "\"tasks\":{}", "tasks must be an array");
    expect_refused(m, "[" ROOT_EXEC "]", "\"jobs\":[[]]", "jobs[0] must be an object");
    model_free(m);
}

static void test_missing_or_mistyped_fields_are_refused_with_their_path(void) {
    model *m = test_model();
    expect_refused(m, "[{\"id\":\"p\",\"isConcurrent\":false,\"isActive\":true}]", "", "executions[0].isScope is missing");
    expect_refused(m, "[{\"id\":\"p\",\"isScope\":\"yes\",\"isConcurrent\":false,\"isActive\":true}]", "",
                   "executions[0].isScope must be a boolean");
    expect_refused(m, "[" ROOT_EXEC "]", "\"startTime\":1.5", "startTime must be an integer");
    expect_refused(m, "[" ROOT_EXEC "]", "\"startTime\":1e300", "startTime must be an integer");
    expect_refused(m, "[" ROOT_EXEC "]", "\"startTime\":\"12x\"", "startTime must be an integer");
    expect_refused(m, "[" ROOT_EXEC "]", "\"startTime\":\"99999999999999999999\"", "startTime must be an integer");
    expect_refused(m, "[" ROOT_EXEC "]", "\"businessKey\":[]", "businessKey must be a string");
    expect_refused(m, "[" ROOT_EXEC "]",
                   "\"tasks\":[{\"id\":\"t\",\"executionId\":\"p\",\"priority\":3000000000,\"created\":0}]",
                   "tasks[0].priority is out of range");
    expect_refused(m, "[" ROOT_EXEC "]",
                   "\"jobs\":[{\"id\":\"j\",\"kind\":\"sometimes\",\"activityId\":\"svc\",\"executionId\":\"p\"}]",
                   "jobs[0].kind has unknown value 'sometimes'");
    expect_refused(m, "[" ROOT_EXEC "]",
                   "\"incidents\":[{\"id\":\"i\",\"incidentType\":\"failedJob\",\"executionId\":\"p\"}]",
                   "incidents[0].incidentTimestamp is missing");
    expect_refused(m, "[" ROOT_EXEC "]",
                   "\"subscriptions\":[{\"id\":\"s\",\"eventName\":\"go\",\"activityId\":null,"
                   "\"executionId\":\"p\",\"createTime\":0}]",
                   "subscriptions[0].activityId is missing");
    expect_refused(m,
                   "[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true,"
                   "\"variables\":[{\"id\":\"v\",\"name\":\"x\",\"type\":\"Nonsense\",\"value\":1}]}]",
                   "", "executions[0].variables[0]: Unsupported value type 'Nonsense'");
    expect_refused(m,
                   "[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true,"
                   "\"scopeActivityId\":\"proc\",\"variables\":[{\"id\":\"v\",\"type\":\"String\",\"value\":\"a\"}]}]",
                   "", "executions[0].variables[0].name is missing");
    expect_refused(m, "[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true}]", "",
                   "executions[0].scopeActivityId is missing for a scope execution");
    expect_refused(m, "[" ROOT_EXEC "]", "\"formatVersion\":2", "formatVersion is not supported");
    model_free(m);
}

static void test_ids_that_are_unknown_to_the_model_or_the_instance_are_refused(void) {
    model *m = test_model();
    expect_refused(m, "[" ROOT_EXEC ",{\"id\":\"a\",\"parentId\":\"p\",\"isScope\":false,\"isConcurrent\":true,"
                      "\"isActive\":true,\"activityId\":\"nowhere\"}]",
                   "", "executions[1].activityId 'nowhere' is not an activity of process definition 'proc:1:abc'");
    expect_refused(m, "[" ROOT_EXEC "]", "\"processDefinitionId\":\"other:1:x\"",
                   "processDefinitionId 'other:1:x' is not the definition of the compiled model");
    expect_refused(m, "[" ROOT_EXEC "]",
                   "\"tasks\":[{\"id\":\"t\",\"executionId\":\"ghost\",\"priority\":50,\"created\":0}]",
                   "tasks[0].executionId 'ghost' does not name an execution of the instance");
    expect_refused(m, "[" ROOT_EXEC "," CHILD_EXEC("a", "ghost") "]", "",
                   "executions[1].parentId 'ghost' does not name an execution listed before");
    model_free(m);
}

static void test_a_parent_cycle_cannot_be_expressed(void) {
    model *m = test_model();
    /* a → b → a: whichever comes first names a parent not listed before it. */
    expect_refused(m, "[" ROOT_EXEC "," CHILD_EXEC("a", "b") "," CHILD_EXEC("b", "a") "]", "",
                   "executions[1].parentId 'b' does not name an execution listed before");
    expect_refused(m, "[" ROOT_EXEC "," CHILD_EXEC("a", "a") "]", "",
                   "executions[1].parentId 'a' does not name an execution listed before");
    expect_refused(m, "[" CHILD_EXEC("p", "p") "]", "", "executions[0].parentId must be null");
    expect_refused(m, "[" ROOT_EXEC ",{\"id\":\"q\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true}]", "",
                   "executions[1].parentId is missing: only the first execution is the root");
    model_free(m);
}

static void test_duplicate_ids_are_refused(void) {
    model *m = test_model();
    expect_refused(m, "[" ROOT_EXEC "," CHILD_EXEC("a", "p") "," CHILD_EXEC("a", "p") "]", "",
                   "executions[2].id 'a' is duplicated");
    expect_refused(m, "[" ROOT_EXEC "," CHILD_EXEC("p", "p") "]", "", "executions[1].id 'p' is duplicated");
    expect_refused(m, "[" ROOT_EXEC "]",
                   "\"tasks\":[{\"id\":\"t\",\"executionId\":\"p\",\"priority\":50,\"created\":0},"
                   "{\"id\":\"t\",\"executionId\":\"p\",\"priority\":50,\"created\":0}]",
                   "tasks[1].id 't' is duplicated");
    expect_refused(m,
                   "[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true,\"scopeActivityId\":\"proc\","
                   "\"variables\":[{\"id\":\"v1\",\"name\":\"x\",\"value\":1},{\"id\":\"v2\",\"name\":\"x\",\"value\":2}]}]",
                   "", "executions[0].variables[1].name 'x' is duplicated");
    expect_refused(m,
                   "[{\"id\":\"p\",\"isScope\":true,\"isConcurrent\":false,\"isActive\":true,\"scopeActivityId\":\"proc\","
                   "\"variables\":[{\"id\":\"v1\",\"name\":\"x\",\"value\":1}]}]",
                   "\"tasks\":[{\"id\":\"t\",\"executionId\":\"p\",\"priority\":50,\"created\":0,"
                   "\"variables\":[{\"id\":\"v1\",\"name\":\"y\",\"value\":1}]}]",
                   "tasks[0].variables[0].id 'v1' is duplicated");
    model_free(m);
}

static void test_too_deep_execution_trees_are_refused(void) {
    model *m = test_model();
    /* A chain of STATE_JSON_MAX_DEPTH executions is fine; one more is not. */
    for (int extra = 0; extra <= 1; extra++) {
        cJSON *doc = cJSON_Parse("{\"id\":\"p\",\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false}");
        cJSON *execs = cJSON_AddArrayToObject(doc, "executions");
        for (int i = 0; i < STATE_JSON_MAX_DEPTH + extra; i++) {
            char id[16], parent[16];
            snprintf(id, sizeof id, i ? "e%d" : "p", i);
            snprintf(parent, sizeof parent, i > 1 ? "e%d" : "p", i - 1);
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "id", id);
            if (i) cJSON_AddStringToObject(e, "parentId", parent);
            cJSON_AddBoolToObject(e, "isScope", true);
            cJSON_AddBoolToObject(e, "isConcurrent", false);
            cJSON_AddBoolToObject(e, "isActive", false);
            cJSON_AddStringToObject(e, "scopeActivityId", "sub");
            cJSON_AddStringToObject(e, "scopeInstanceId", id);
            cJSON_AddItemToArray(execs, e);
        }
        error err = {0};
        instance *pi = state_from_json(m, doc, &err);
        if (extra) {
            CHECK(pi == NULL);
            CHECK(err.message && strstr(err.message, "nests executions too deeply"));
        } else {
            CHECK(pi != NULL);
            char *again = pi ? state_text(pi) : NULL;
            CHECK(again != NULL);
            free(again);
        }
        state_free(pi);
        error_clear(&err);
        cJSON_Delete(doc);
    }
    model_free(m);
}

static void test_huge_arrays_are_refused_before_anything_is_built(void) {
    model *m = test_model();
    cJSON *doc = cJSON_Parse("{\"id\":\"p\",\"startTime\":1,\"endTime\":0,\"suspended\":false,\"ended\":false,"
                             "\"executions\":[" ROOT_EXEC "]}");
    cJSON *jobs = cJSON_AddArrayToObject(doc, "jobs");
    for (int i = 0; i <= STATE_JSON_MAX_ITEMS; i++) cJSON_AddItemToArray(jobs, cJSON_CreateNull());
    error err = {0};
    instance *pi = state_from_json(m, doc, &err);
    CHECK(pi == NULL);
    CHECK(err.message && strstr(err.message, "jobs has too many entries"));
    state_free(pi);
    error_clear(&err);
    cJSON_Delete(doc);
    model_free(m);
}

/* Every member of every object of a valid document, removed or replaced by each value of the
 * wrong kind, must give either a valid instance (that round-trips, and whose index and activity
 * instance tree can be built) or a clean refusal. */
static const char *const MUTANTS[] = {"null", "true", "0", "-1", "1.5", "1e300", "-1e300", "\"\"", "\"zz\"",
                                      "\"-9223372036854775808\"", "[]", "{}", "[1]", "9007199254740993"};

static int mutations_tried;

static void mutate_and_load(const model *m, const cJSON *original, const int *path, int depth, int member,
                            int mutant) {
    cJSON *doc = cJSON_Duplicate(original, true);
    cJSON *node = doc;
    for (int i = 0; i < depth; i++) node = cJSON_GetArrayItem(node, path[i]);
    cJSON *target = cJSON_GetArrayItem(node, member);
    if (mutant < 0) {
        cJSON_Delete(cJSON_DetachItemViaPointer(node, target));
    } else {
        cJSON *replacement = cJSON_Parse(MUTANTS[mutant]);
        cJSON_ReplaceItemViaPointer(node, target, replacement);
    }
    error err = {0};
    instance *pi = state_from_json(m, doc, &err);
    mutations_tried++;
    if (pi) {
        CHECK(err.message == NULL);
        /* Whatever the reader accepts, the views of the state must cope with. */
        cJSON_Delete(index_json(pi));
        cJSON_Delete(tree_activity_instances(pi));
        for (size_t i = 0; i < pi->external_tasks.n; i++)
            cJSON_Delete(variables_json(pi, pi->external_tasks.items[i]->exec, false));
        cJSON *again = state_to_json(pi);
        error err2 = {0};
        instance *back = state_from_json(m, again, &err2);
        CHECK(back != NULL);
        if (back) CHECK(instances_equal(pi, back));
        if (err2.message) fprintf(stderr, "  re-read failed: %s\n", err2.message);
        error_clear(&err2);
        state_free(back);
        cJSON_Delete(again);
    } else {
        CHECK(err.message != NULL && strncmp(err.message, "Invalid state document", 22) == 0);
    }
    state_free(pi);
    error_clear(&err);
    cJSON_Delete(doc);
}

static void mutate_all(const model *m, const cJSON *original, const cJSON *node, int *path, int depth) {
    int i = 0;
    for (const cJSON *child = node->child; child; child = child->next, i++) {
        if (cJSON_IsObject(node))
            for (int k = -1; k < (int)(sizeof MUTANTS / sizeof *MUTANTS); k++) mutate_and_load(m, original, path, depth, i, k);
        if (depth < 15 && (cJSON_IsObject(child) || cJSON_IsArray(child))) {
            path[depth] = i;
            mutate_all(m, original, child, path, depth + 1);
        }
    }
}

static void test_every_field_mutated_gives_a_valid_instance_or_a_clean_refusal(void) {
    model *m = test_model();
    instance *pi = rich_instance(m);
    cJSON *doc = state_to_json(pi);
    int path[16];
    mutations_tried = 0;
    mutate_all(m, doc, doc, path, 0);
    CHECK(mutations_tried > 1000);
    cJSON_Delete(doc);
    state_free(pi);
    model_free(m);
}

/* ---- the index ---- */

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static const char *get_str(const cJSON *o, const char *k) { return cJSON_GetStringValue(get(o, k)); }

static void test_the_index_lists_artefacts_with_their_dto_fields(void) {
    model *m = test_model();
    instance *pi = rich_instance(m);
    cJSON *idx = index_json(pi);

    const cJSON *t = cJSON_GetArrayItem(get(idx, "tasks"), 0);
    CHECK_STR(get_str(t, "id"), "t1");
    CHECK_STR(get_str(t, "name"), "Task 1");
    CHECK(cJSON_IsNull(get(t, "assignee")));
    CHECK(get(t, "created")->valuedouble == 1763870400001.0);
    CHECK(get(t, "priority")->valuedouble == 50);
    CHECK_STR(get_str(t, "executionId"), "c1");
    CHECK_STR(get_str(t, "processInstanceId"), "pi1");
    CHECK_STR(get_str(t, "processDefinitionId"), "proc:1:abc");
    CHECK_STR(get_str(t, "taskDefinitionKey"), "task1");
    CHECK_STR(get_str(t, "activityInstanceId"), "task1:1");
    CHECK_STR(get_str(t, "tenantId"), "tenantA");
    CHECK(cJSON_IsTrue(get(t, "suspended")));

    const cJSON *x = cJSON_GetArrayItem(get(idx, "externalTasks"), 0);
    CHECK_STR(get_str(x, "topicName"), "work");
    CHECK_STR(get_str(x, "activityId"), "svc");
    CHECK_STR(get_str(x, "processDefinitionKey"), "proc");
    CHECK(cJSON_IsNull(get(x, "retries")));
    CHECK(cJSON_IsNull(get(x, "lockExpirationTime")));
    CHECK(cJSON_IsNull(get(x, "workerId")));
    CHECK_STR(get_str(x, "businessKey"), "order-7");
    CHECK(get(x, "createTime")->valuedouble == 1763870400002.0);

    const cJSON *j1 = cJSON_GetArrayItem(get(idx, "jobs"), 0), *j2 = cJSON_GetArrayItem(get(idx, "jobs"), 1);
    CHECK_STR(get_str(j1, "jobType"), "async-continuation");
    CHECK_STR(get_str(j1, "jobConfiguration"), "async-before");
    CHECK_STR(get_str(j1, "activityId"), "svc");
    CHECK_STR(get_str(j1, "failedActivityId"), "svc");
    CHECK(cJSON_IsNull(get(j1, "dueDate")));
    CHECK(get(j1, "retries")->valuedouble == 0);
    CHECK_STR(get_str(j1, "exceptionMessage"), "boom");
    CHECK_STR(get_str(j2, "jobType"), "timer");
    CHECK_STR(get_str(j2, "handlerType"), "timer-transition");
    CHECK(cJSON_IsNull(get(j2, "failedActivityId")));
    CHECK(get(j2, "dueDate")->valuedouble == 1763874000000.0);
    CHECK(cJSON_IsTrue(get(j2, "suspended")));

    const cJSON *s = cJSON_GetArrayItem(get(idx, "subscriptions"), 0);
    CHECK_STR(get_str(s, "eventType"), "message");
    CHECK_STR(get_str(s, "eventName"), "go");
    CHECK_STR(get_str(s, "activityId"), "msg1");
    CHECK_STR(get_str(s, "executionId"), "c4");

    const cJSON *i = cJSON_GetArrayItem(get(idx, "incidents"), 0);
    CHECK_STR(get_str(i, "incidentType"), "failedJob");
    CHECK_STR(get_str(i, "failedActivityId"), "svc");
    CHECK_STR(get_str(i, "configuration"), "j1");
    CHECK_STR(get_str(i, "incidentMessage"), "boom");
    CHECK(get(i, "incidentTimestamp")->valuedouble == 1763870400006.0);

    char *ids = print(get(idx, "activityIds"));
    CHECK_STR(ids, "[\"task1\",\"svc\",\"inner\",\"msg1\"]"); /* inactive root and c3 do not count */
    free(ids);
    cJSON_Delete(idx);
    state_free(pi);
    model_free(m);
}

static void test_activity_ids_are_distinct(void) {
    model *m = test_model();
    instance *pi = state_new(m, "p");
    execution *root = scope_exec(pi, NULL, "p", m->process, "p");
    root->is_active = false;
    token(pi, root, "a", el(m, "task1"), "task1:a");
    token(pi, root, "b", el(m, "task1"), "task1:b");
    cJSON *idx = index_json(pi);
    char *ids = print(get(idx, "activityIds"));
    CHECK_STR(ids, "[\"task1\"]");
    free(ids);
    cJSON_Delete(idx);
    state_free(pi);
    model_free(m);
}

/* ---- visible variables ---- */

static void test_nearer_variables_hide_outer_ones_of_the_same_name(void) {
    model *m = test_model();
    instance *pi = rich_instance(m);
    execution *s = state_execution_by_id(pi, "s1");
    cJSON *all = variables_json(pi, s, false);
    CHECK_STR(get_str(get(all, "s"), "value"), "shadow");
    CHECK_STR(get_str(get(all, "s"), "type"), "String");
    CHECK(get(all, "i") != NULL);
    CHECK(get(all, "local") == NULL); /* c4's local variable is not an ancestor's */
    CHECK(cJSON_GetArraySize(all) == 11);
    cJSON *local = variables_json(pi, s, true);
    char *text = print(local);
    CHECK_STR(text, "{\"s\":{\"type\":\"String\",\"value\":\"shadow\",\"valueInfo\":{}}}");
    free(text);
    cJSON *top = variables_json(pi, NULL, false);
    CHECK_STR(get_str(get(top, "s"), "value"), "text \"quoted\" \xc3\xa9");
    cJSON *tv = var_map_json(&pi->tasks.items[0]->vars);
    CHECK(get(get(tv, "tv"), "value")->valuedouble == 7);
    cJSON_Delete(tv);
    cJSON_Delete(top);
    cJSON_Delete(local);
    cJSON_Delete(all);
    state_free(pi);
    model_free(m);
}

int main(void) {
    RUN(test_reading_a_written_state_gives_back_the_same_instance);
    RUN(test_writing_the_same_state_twice_gives_identical_documents);
    RUN(test_executions_are_written_flat_in_tree_pre_order);
    RUN(test_dates_are_epoch_millisecond_numbers_and_huge_integers_keep_their_digits);
    RUN(test_longs_up_to_2_pow_53_are_written_as_exact_numbers);
    RUN(test_a_not_a_number_double_survives_the_round_trip);
    RUN(test_dates_beyond_the_text_form_and_dates_in_text_form_are_read);
    RUN(test_an_ended_instance_without_executions_round_trips);
    RUN(test_omitted_nullable_fields_and_arrays_read_as_null_and_empty);
    RUN(test_a_valid_minimal_document_is_accepted);
    RUN(test_documents_of_the_wrong_shape_are_refused);
    RUN(test_missing_or_mistyped_fields_are_refused_with_their_path);
    RUN(test_ids_that_are_unknown_to_the_model_or_the_instance_are_refused);
    RUN(test_a_parent_cycle_cannot_be_expressed);
    RUN(test_duplicate_ids_are_refused);
    RUN(test_too_deep_execution_trees_are_refused);
    RUN(test_huge_arrays_are_refused_before_anything_is_built);
    RUN(test_every_field_mutated_gives_a_valid_instance_or_a_clean_refusal);
    RUN(test_the_index_lists_artefacts_with_their_dto_fields);
    RUN(test_activity_ids_are_distinct);
    RUN(test_nearer_variables_hide_outer_ones_of_the_same_name);
    return CHECK_SUMMARY();
}
