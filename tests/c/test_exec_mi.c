/*
 * test_exec_mi.c — multi-instance activities through the public ABI: parallel and sequential, on
 * tasks and on subprocesses, from loopCardinality or a camunda:collection with an element variable,
 * with a completionCondition, inside a subprocess; the loop variables (nrOfInstances,
 * nrOfActiveInstances, nrOfCompletedInstances on the body, loopCounter on each inner instance) and
 * the activity instance tree (X#multiInstanceBody holding the inner instances).
 */
#include "check.h"
#include "scenario.h"

/* start → a (multi-instance, %s) → next → end */
static char *mi_task_model(const char *loop) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START ",{'type':'userTask','id':'a','assignee':'%s','loopCharacteristics':"
                            "{'type':'multiInstanceLoopCharacteristics',%s}}," M_USER("next") "," M_END,
                    "'start->a->next->end'"),
             strstr(loop, "elementVariable") ? "${item}" : "", loop);
    return sc_dup(buf);
}

static bool open_mi(scenario *s, const char *loop) {
    char *model = mi_task_model(loop);
    bool ok = sc_open(s, model);
    free(model);
    return ok;
}

/* The local variables of the n-th instance of `activity_id` in the tree (n counts in tree order). */
static const cJSON *local_vars_of(scenario *s, const char *activity_id, int n) {
    const cJSON *tree = sc_activity_instances(s);
    const cJSON *body = NULL;
    char body_id[128];
    snprintf(body_id, sizeof body_id, "%s#multiInstanceBody", activity_id);
    body = sc_node_in(tree, body_id);
    const cJSON *node = NULL;
    if (n < 0) node = body;
    else node = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(body, "childActivityInstances"), n);
    const char *id = sc_field(s, node, "id");
    if (!id) return NULL;
    return sc_query(s, "{'command':'variables','activityInstanceId':'%s','local':true}", id);
}

/* Sorted loopCounter values of the open inner instances, as "0,1,2". */
static const char *loop_counters(scenario *s, const char *activity_id) {
    int counters[64], n = 0;
    for (int i = 0; i < 64; i++) {
        const cJSON *vars = local_vars_of(s, activity_id, i);
        if (!vars) break;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(vars, "loopCounter"), "value");
        counters[n++] = cJSON_IsNumber(c) ? (int)c->valuedouble : -1;
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && counters[j - 1] > counters[j]; j--) {
            int t = counters[j];
            counters[j] = counters[j - 1];
            counters[j - 1] = t;
        }
    char buf[256] = "";
    for (int i = 0; i < n; i++) snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%d", i ? "," : "", counters[i]);
    return sc_keep(s, sc_dup(buf));
}

/* ---------------------------------------------------------------------------------------------- */
/* parallel                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_parallel_multi_instance_task_creates_one_inner_instance_per_cardinality(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'loopCardinality':'3'"));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a,a))");
    CHECK(sc_tasks(&s, "a") == 3);
    const cJSON *body = sc_node_in(sc_activity_instances(&s), "a#multiInstanceBody");
    CHECK_STR(sc_str(body, "activityType"), "multiInstanceBody");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "a#multiInstanceBody", 0), "activityType"),
              "multiInstanceBody");
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "a") == 3);
    sc_close(&s);
}

static void test_the_body_of_a_parallel_multi_instance_holds_the_instance_counters(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'loopCardinality':'3'"));
    CHECK(sc_start(&s, NULL));
    const cJSON *body = local_vars_of(&s, "a", -1);
    CHECK_STR(sc_value(&s, body, "nrOfInstances"), "Integer 3");
    CHECK_STR(sc_value(&s, body, "nrOfActiveInstances"), "Integer 3");
    CHECK_STR(sc_value(&s, body, "nrOfCompletedInstances"), "Integer 0");
    CHECK_STR(sc_value(&s, body, "loopCounter"), "(absent)");
    CHECK_STR(loop_counters(&s, "a"), "0,1,2");
    /* an inner instance sees its own loopCounter and the body's counters */
    const cJSON *inner = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_names(&s, inner), "loopCounter,nrOfActiveInstances,nrOfCompletedInstances,nrOfInstances");
    /* the process instance does not */
    CHECK_STR(sc_var(&s, "nrOfInstances"), "(absent)");
    sc_close(&s);
}

static void test_completing_inner_instances_updates_the_counters_and_the_last_one_completes_the_body(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'loopCardinality':'3'"));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a))");
    const cJSON *body = local_vars_of(&s, "a", -1);
    CHECK_STR(sc_value(&s, body, "nrOfInstances"), "Integer 3");
    CHECK_STR(sc_value(&s, body, "nrOfActiveInstances"), "Integer 2");
    CHECK_STR(sc_value(&s, body, "nrOfCompletedInstances"), "Integer 1");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "a#multiInstanceBody", 0) != NULL);
    CHECK_STR(sc_var(&s, "nrOfInstances"), "(absent)");
    CHECK_STR(sc_var(&s, "loopCounter"), "(absent)");
    sc_close(&s);
}

static void test_a_collection_with_an_element_variable_gives_each_instance_its_element(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'collection':'${people}','elementVariable':'item'"));
    CHECK(sc_start(&s, "'variables':{'people':{'value':'[\\\"kermit\\\",\\\"gonzo\\\"]','type':'Json'}}"));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a))");
    const char *first = sc_str(sc_entry(&s, "tasks", NULL, NULL, 0), "assignee");
    const char *second = sc_str(sc_entry(&s, "tasks", NULL, NULL, 1), "assignee");
    CHECK(first && second &&
          ((strcmp(first, "kermit") == 0 && strcmp(second, "gonzo") == 0) ||
           (strcmp(first, "gonzo") == 0 && strcmp(second, "kermit") == 0)));
    /* the element variable is local to the inner instance */
    const cJSON *inner = local_vars_of(&s, "a", 0);
    CHECK(strcmp(sc_value(&s, inner, "item"), "String \"kermit\"") == 0 ||
          strcmp(sc_value(&s, inner, "item"), "String \"gonzo\"") == 0);
    CHECK_STR(sc_var(&s, "item"), "(absent)");
    CHECK_STR(sc_value(&s, local_vars_of(&s, "a", -1), "nrOfInstances"), "Integer 2");
    sc_close(&s);
}

static void test_a_bare_collection_name_means_that_variable(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'collection':'people','elementVariable':'item'"));
    CHECK(sc_start(&s, "'variables':{'people':{'value':'[\\\"a\\\",\\\"b\\\",\\\"c\\\"]','type':'Json'}}"));
    CHECK(sc_tasks(&s, "a") == 3);
    sc_close(&s);
}

static void test_a_collection_that_is_not_a_list_fails_the_command(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'collection':'${people}','elementVariable':'item'"));
    sc_do(&s, "{'command':'start','variables':{'people':{'value':'kermit','type':'String'}}}");
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    sc_close(&s);
}

static void test_a_completion_condition_ends_the_remaining_instances(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'loopCardinality':'3','completionCondition':'${nrOfCompletedInstances >= 2}'"));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    CHECK(sc_events(&s, "taskDelete", "taskDefinitionKey", "a") == 1);
    const cJSON *canceled = NULL, *e;
    cJSON_ArrayForEach(e, sc_history_events(&s)) {
        if (strcmp(sc_str(e, "type"), "activityInstanceEnd") == 0 && strcmp(sc_str(e, "activityId"), "a") == 0 &&
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "canceled")))
            canceled = e;
    }
    CHECK(canceled != NULL);
    /* the body itself completes normally */
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
        sc_event(&s, "activityInstanceEnd", "activityId", "a#multiInstanceBody", 0), "canceled")));
    sc_close(&s);
}

static void test_a_cardinality_of_zero_skips_the_activity(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'loopCardinality':'${n}'"));
    CHECK(sc_start(&s, "'variables':{'n':{'value':0,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

static void test_a_negative_cardinality_fails_the_command(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':false,'loopCardinality':'${n}'"));
    sc_do(&s, "{'command':'start','variables':{'n':{'value':-1,'type':'Integer'}}}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Invalid number of instances: must be non-negative integer value, "
                            "but was -1");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* sequential                                                                                     */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_sequential_multi_instance_task_runs_one_instance_at_a_time(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':true,'loopCardinality':'3'"));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a))");
    CHECK_STR(loop_counters(&s, "a"), "0");
    const cJSON *body = local_vars_of(&s, "a", -1);
    CHECK_STR(sc_value(&s, body, "nrOfInstances"), "Integer 3");
    CHECK_STR(sc_value(&s, body, "nrOfActiveInstances"), "Integer 1");
    CHECK_STR(sc_value(&s, body, "nrOfCompletedInstances"), "Integer 0");

    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a))");
    CHECK_STR(loop_counters(&s, "a"), "1");
    body = local_vars_of(&s, "a", -1);
    CHECK_STR(sc_value(&s, body, "nrOfActiveInstances"), "Integer 1");
    CHECK_STR(sc_value(&s, body, "nrOfCompletedInstances"), "Integer 1");

    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(loop_counters(&s, "a"), "2");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

static void test_a_sequential_collection_hands_out_its_elements_in_order(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':true,'collection':'${people}','elementVariable':'item'"));
    CHECK(sc_start(&s, "'variables':{'people':{'value':'[\\\"kermit\\\",\\\"gonzo\\\"]','type':'Json'}}"));
    CHECK_STR(sc_str(sc_entry(&s, "tasks", NULL, NULL, 0), "assignee"), "kermit");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(sc_entry(&s, "tasks", NULL, NULL, 0), "assignee"), "gonzo");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

static void test_a_sequential_completion_condition_stops_the_loop_early(void) {
    scenario s;
    CHECK(open_mi(&s, "'isSequential':true,'loopCardinality':'5','completionCondition':'${done}'"));
    CHECK(sc_start(&s, "'variables':{'done':{'value':false,'type':'Boolean'}}"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(loop_counters(&s, "a"), "1");
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'done':{'value':true,'type':'Boolean'}}}",
          sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* subprocesses                                                                                   */
/* ---------------------------------------------------------------------------------------------- */

/* start → sub (multi-instance %s) { s1 → inner → e1 } → next → end */
static char *mi_sub_model(const char *loop) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START ",{'type':'subProcess','id':'sub','loopCharacteristics':{'type':"
                            "'multiInstanceLoopCharacteristics',%s},'elements':[{'type':'startEvent','id':'s1'},"
                            M_USER("inner") ",{'type':'endEvent','id':'e1'}],'flows':['s1->inner->e1']},"
                    M_USER("next") "," M_END,
                    "'start->sub->next->end'"),
             loop);
    return sc_dup(buf);
}

static void test_a_parallel_multi_instance_subprocess_runs_each_instance_in_its_own_scope(void) {
    scenario s;
    char *model = mi_sub_model("'isSequential':false,'loopCardinality':'2'");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub#multiInstanceBody(sub(inner),sub(inner)))");
    CHECK_STR(loop_counters(&s, "sub"), "0,1");
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "s1") == 2);
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub#multiInstanceBody(sub(inner)))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

static void test_a_sequential_multi_instance_subprocess_runs_its_instances_one_after_another(void) {
    scenario s;
    char *model = mi_sub_model("'isSequential':true,'loopCardinality':'2'");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub#multiInstanceBody(sub(inner)))");
    CHECK_STR(loop_counters(&s, "sub"), "0");
    /* the task inside sees the loop counter of its subprocess instance */
    const cJSON *vars = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK_STR(sc_value(&s, vars, "loopCounter"), "Integer 0");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub#multiInstanceBody(sub(inner)))");
    CHECK_STR(loop_counters(&s, "sub"), "1");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

static void test_a_multi_instance_task_inside_a_subprocess_nests_under_it(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'},{'type':'userTask','id':'a',"
                                          "'loopCharacteristics':{'type':'multiInstanceLoopCharacteristics',"
                                          "'isSequential':false,'loopCardinality':'2'}},{'type':'endEvent','id':'e1'}",
                                   "'s1->a->e1'")
                             "," M_USER("next") "," M_END,
                             "'start->sub->next->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(a#multiInstanceBody(a,a)))");
    const cJSON *tree = sc_activity_instances(&s);
    CHECK_STR(sc_str(sc_node_in(tree, "a#multiInstanceBody"), "parentActivityInstanceId"),
              sc_str(sc_node_in(tree, "sub"), "id"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

/* A boundary event of a multi-instance activity belongs to the body: it cancels every instance. */
static void test_a_boundary_timer_on_a_multi_instance_task_cancels_all_its_instances(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'2'}},"
                                     "{'type':'boundaryEvent','id':'timer','attachedTo':'a','eventDefinitions':"
                                     "[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                             M_USER("next") "," M_USER("late") "," M_END,
                             "'start->a->next->end', 'timer->late'")));
    CHECK(sc_start(&s, NULL));
    CHECK(sc_count(&s, "jobs", "activityId", "timer") == 1);
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "timer"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_events(&s, "taskDelete", NULL, NULL) == 2);
    sc_close(&s);
}

/* A terminate end event inside a multi-instance subprocess ends only its own instance. */
static void test_a_terminate_end_event_in_a_multi_instance_subprocess_ends_only_that_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'2'},"
                                     "'elements':[{'type':'startEvent','id':'s1'}," M_USER("inner") ","
                                     "{'type':'endEvent','id':'kill','eventDefinitions':[{'type':'terminateEventDefinition'}]}],"
                                     "'flows':['s1->inner->kill']}," M_USER("next") "," M_END,
                             "'start->sub->next->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(sub#multiInstanceBody(sub(inner)))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

/* An error thrown in one instance is caught by the boundary of the multi-instance activity, which
 * ends the whole body. */
static void test_an_error_in_one_instance_is_caught_by_the_boundary_of_the_multi_instance_activity(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'2'},"
                                     "'elements':[{'type':'startEvent','id':'s1'}," M_USER("inner") ","
                                     "{'type':'endEvent','id':'boom','eventDefinitions':[{'type':'errorEventDefinition',"
                                     "'errorRef':'e','errorCode':'E'}]}],'flows':['s1->inner->boom']},"
                                     "{'type':'boundaryEvent','id':'caught','attachedTo':'sub','eventDefinitions':"
                                     "[{'type':'errorEventDefinition','errorRef':'e','errorCode':'E'}]},"
                             M_USER("next") "," M_USER("handled") "," M_END,
                             "'start->sub->next->end', 'caught->handled'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub#multiInstanceBody(sub(inner),sub(inner)))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(handled)");
    CHECK(sc_events(&s, "taskDelete", NULL, NULL) == 1);
    sc_close(&s);
}

int main(void) {
    RUN(test_a_parallel_multi_instance_task_creates_one_inner_instance_per_cardinality);
    RUN(test_the_body_of_a_parallel_multi_instance_holds_the_instance_counters);
    RUN(test_completing_inner_instances_updates_the_counters_and_the_last_one_completes_the_body);
    RUN(test_a_collection_with_an_element_variable_gives_each_instance_its_element);
    RUN(test_a_bare_collection_name_means_that_variable);
    RUN(test_a_collection_that_is_not_a_list_fails_the_command);
    RUN(test_a_completion_condition_ends_the_remaining_instances);
    RUN(test_a_cardinality_of_zero_skips_the_activity);
    RUN(test_a_negative_cardinality_fails_the_command);
    RUN(test_a_sequential_multi_instance_task_runs_one_instance_at_a_time);
    RUN(test_a_sequential_collection_hands_out_its_elements_in_order);
    RUN(test_a_sequential_completion_condition_stops_the_loop_early);
    RUN(test_a_parallel_multi_instance_subprocess_runs_each_instance_in_its_own_scope);
    RUN(test_a_sequential_multi_instance_subprocess_runs_its_instances_one_after_another);
    RUN(test_a_multi_instance_task_inside_a_subprocess_nests_under_it);
    RUN(test_a_boundary_timer_on_a_multi_instance_task_cancels_all_its_instances);
    RUN(test_a_terminate_end_event_in_a_multi_instance_subprocess_ends_only_that_instance);
    RUN(test_an_error_in_one_instance_is_caught_by_the_boundary_of_the_multi_instance_activity);
    return CHECK_SUMMARY();
}
