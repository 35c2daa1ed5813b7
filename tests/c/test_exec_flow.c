/*
 * test_exec_flow.c — the executor's control flow through the public ABI: start and end events,
 * plain, manual, user and receive tasks, gateways, embedded subprocesses, the history of a run,
 * deletion, malformed commands, determinism and failure atomicity.
 *
 * Each test compiles a small model (scenario.h's compact notation) and runs commands against the
 * state the previous command returned, as the host does; the expectations are Camunda 7's.
 */
#include "check.h"
#include "scenario.h"

/* ---------------------------------------------------------------------------------------------- */
/* start and end                                                                                  */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_none_start_event_leads_the_token_to_the_first_task(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, "'businessKey':'order-1'"));
    CHECK_STR(sc_str(sc_result(&s), "processInstanceId"), sc_instance_id(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK_STR(sc_str(s.state, "startActivityId"), "start");
    CHECK_STR(sc_str(s.state, "businessKey"), "order-1");
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_task_keys(&s), "a");
    /* a one-task process: the task's execution is the process instance (state.h) */
    CHECK_STR(sc_str(sc_entry(&s, "tasks", NULL, NULL, 0), "executionId"), sc_instance_id(&s));
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(s.index, "activityIds");
    CHECK(cJSON_GetArraySize(ids) == 1 && strcmp(cJSON_GetArrayItem(ids, 0)->valuestring, "a") == 0);
    const cJSON *start = sc_event(&s, "processInstanceStart", NULL, NULL, 0);
    CHECK_STR(sc_str(start, "businessKey"), "order-1");
    CHECK_STR(sc_str(start, "processDefinitionId"), "proc:1:test");
    CHECK_STR(sc_str(start, "processDefinitionKey"), "proc");
    CHECK_STR(sc_str(start, "startActivityId"), "start");
    CHECK(sc_num(start, "startTime") == (double)SC_T0);
    sc_close(&s);
}

static void test_completing_the_last_task_completes_the_instance_at_the_none_end_event(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    s.now += 5000;
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    CHECK(sc_num(s.state, "endTime") == (double)(SC_T0 + 5000));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s.state, "executions")) == 0);
    CHECK(sc_count(&s, "tasks", NULL, NULL) == 0);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(s.index, "activityIds")) == 0);
    const cJSON *end = sc_event(&s, "processInstanceEnd", NULL, NULL, 0);
    CHECK_STR(sc_str(end, "state"), "COMPLETED");
    CHECK_STR(sc_str(end, "endActivityId"), "end");
    CHECK(sc_num(end, "endTime") == (double)(SC_T0 + 5000));
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "end", 0), "activityType"), "noneEndEvent");
    sc_close(&s);
}

/* Camunda's NoneEndEventActivityBehavior ends with end(true): the historic activity instance of
 * the end event has completeScope = true. */
static void test_a_none_end_event_instance_is_recorded_as_completing_its_scope(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    const cJSON *end = sc_event(&s, "activityInstanceEnd", "activityId", "end", 0);
    CHECK(end != NULL);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(end, "completeScope")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(end, "canceled")));
    const cJSON *task_end = sc_event(&s, "activityInstanceEnd", "activityId", "a", 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(task_end, "completeScope")));
    sc_close(&s);
}

static void test_a_process_without_wait_states_completes_within_the_start_command(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'task','id':'t'}," M_END, "'start->t->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    CHECK_STR(sc_history(&s), "processInstanceStart activityInstanceStart(start) activityInstanceEnd(start) "
                              "activityInstanceStart(t) activityInstanceEnd(t) activityInstanceStart(end) "
                              "activityInstanceEnd(end) processInstanceEnd(COMPLETED)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* tasks                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_plain_task_and_a_manual_task_pass_the_token_through(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'task','id':'t','name':'Plain'},{'type':'manualTask','id':'m'},"
                             M_USER("a") "," M_END,
                             "'start->t->m->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a)");
    const cJSON *t = sc_event(&s, "activityInstanceStart", "activityId", "t", 0);
    CHECK_STR(sc_str(t, "activityType"), "task");
    CHECK_STR(sc_str(t, "activityName"), "Plain");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "m", 0), "activityType"), "manualTask");
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "t", 0) != NULL);
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "m", 0) != NULL);
    sc_close(&s);
}

static void test_a_user_task_assignee_expression_is_resolved_from_the_variables(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','name':'Approve','assignee':'${who}',"
                                     "'priority':'${prio}'}," M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, "'variables':{'who':{'value':'kermit','type':'String'},'prio':{'value':70,'type':'Integer'}}"));
    const cJSON *t = sc_entry(&s, "tasks", "taskDefinitionKey", "a", 0);
    CHECK_STR(sc_str(t, "assignee"), "kermit");
    CHECK_STR(sc_str(t, "name"), "Approve");
    CHECK(sc_num(t, "priority") == 70);
    CHECK(sc_num(t, "created") == (double)SC_T0);
    CHECK_STR(sc_str(t, "activityInstanceId"), sc_instance_of(&s, "a"));
    const cJSON *created = sc_event(&s, "taskCreate", NULL, NULL, 0);
    CHECK_STR(sc_str(created, "assignee"), "kermit");
    CHECK_STR(sc_str(created, "taskId"), sc_task(&s, "a"));
    sc_close(&s);
}

static void test_a_user_task_without_assignee_or_priority_is_unassigned_with_priority_50(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    const cJSON *t = sc_entry(&s, "tasks", "taskDefinitionKey", "a", 0);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "assignee")));
    CHECK(sc_num(t, "priority") == 50);
    sc_close(&s);
}

/* Camunda's historic activity instance of a user task carries its task id and assignee. */
static void test_the_end_of_a_user_task_activity_instance_carries_its_task_id_and_assignee(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','assignee':'gonzo'}," M_END, "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    const char *task = sc_task(&s, "a");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", task);
    CHECK(sc_ok(&s));
    const cJSON *end = sc_event(&s, "activityInstanceEnd", "activityId", "a", 0);
    CHECK_STR(sc_str(end, "taskId"), task);
    CHECK_STR(sc_str(end, "assignee"), "gonzo");
    sc_close(&s);
}

static void test_completing_a_task_sets_its_variables_on_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_USER("b") "," M_END, "'start->a->b->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'approved':{'value':true,'type':'Boolean'}}}",
          sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    CHECK_STR(sc_var(&s, "approved"), "Boolean true");
    const cJSON *complete = sc_event(&s, "taskComplete", NULL, NULL, 0);
    CHECK_STR(sc_str(complete, "taskDefinitionKey"), "a");
    CHECK_STR(sc_str(complete, "deleteReason"), "completed");
    sc_close(&s);
}

static void test_completing_an_unknown_task_fails_with_not_found(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'nope'}");
    CHECK_STR(sc_error(&s), "NotFoundException: Cannot find task with id nope: task is null");
    sc_close(&s);
}

static void test_a_receive_task_waits_until_its_message_is_correlated(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'receiveTask','id':'wait','messageRef':'m1','messageName':'paid'},"
                             M_USER("a") "," M_END,
                             "'start->wait->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(wait)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "wait", 0), "activityType"), "receiveTask");
    const cJSON *sub = sc_entry(&s, "subscriptions", "activityId", "wait", 0);
    CHECK_STR(sc_str(sub, "eventName"), "paid");
    CHECK_STR(sc_str(sub, "eventType"), "message");
    sc_do(&s, "{'command':'correlateMessage','messageName':'paid',"
              "'processVariables':{'amount':{'value':12,'type':'Integer'}}}");
    CHECK(sc_ok(&s));
    const cJSON *executions = cJSON_GetObjectItemCaseSensitive(sc_result(&s), "executionIds");
    CHECK(cJSON_GetArraySize(executions) == 1);
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    CHECK_STR(sc_var(&s, "amount"), "Integer 12");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* gateways                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

/* start → gw → small (x <= 10) | big (x > 10) | other (default) */
static const char *EXCLUSIVE =
    M_PROC(M_START ",{'type':'exclusiveGateway','id':'gw','default':'toOther'}," M_USER("small") "," M_USER("big")
           "," M_USER("other") ",{'type':'endEvent','id':'end'}",
           "'start->gw', 'small->end', 'big->end', 'other->end',"
           "{'id':'toSmall','sourceRef':'gw','targetRef':'small','condition':'${x <= 10}'},"
           "{'id':'toBig','sourceRef':'gw','targetRef':'big','condition':'${x > 10}'},"
           "{'id':'toOther','sourceRef':'gw','targetRef':'other'}");

static void test_an_exclusive_gateway_takes_the_flow_whose_condition_holds(void) {
    scenario s;
    CHECK(sc_open(&s, EXCLUSIVE));
    CHECK(sc_start(&s, "'variables':{'x':{'value':42,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(big)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "gw", 0), "activityType"), "exclusiveGateway");
    sc_close(&s);
    CHECK(sc_open(&s, EXCLUSIVE));
    CHECK(sc_start(&s, "'variables':{'x':{'value':3,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(small)");
    sc_close(&s);
}

static void test_an_exclusive_gateway_takes_only_the_first_of_several_true_conditions(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'exclusiveGateway','id':'gw'}," M_USER("a") "," M_USER("b"),
                             "'start->gw',"
                             "{'id':'toA','sourceRef':'gw','targetRef':'a','condition':'${true}'},"
                             "{'id':'toB','sourceRef':'gw','targetRef':'b','condition':'${true}'}")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_an_exclusive_gateway_takes_its_default_flow_when_no_condition_holds(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'exclusiveGateway','id':'gw','default':'toOther'}," M_USER("small")
                             "," M_USER("other"),
                             "'start->gw',"
                             "{'id':'toSmall','sourceRef':'gw','targetRef':'small','condition':'${x <= 10}'},"
                             "{'id':'toOther','sourceRef':'gw','targetRef':'other'}")));
    CHECK(sc_start(&s, "'variables':{'x':{'value':11,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(other)");
    sc_close(&s);
}

static void test_an_exclusive_gateway_without_a_selectable_flow_fails_with_engine_02004(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'exclusiveGateway','id':'gw'}," M_USER("a"),
                             "'start->gw',{'id':'toA','sourceRef':'gw','targetRef':'a','condition':'${x > 1}'}")));
    sc_do(&s, "{'command':'start','variables':{'x':{'value':0,'type':'Integer'}}}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-02004 No outgoing sequence flow for the element with id "
                            "'gw' could be selected for continuing the process.");
    CHECK(s.state == NULL);
    sc_close(&s);
}

static void test_a_condition_on_an_unknown_variable_fails_the_command_naming_the_expression(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'exclusiveGateway','id':'gw'}," M_USER("a"),
                             "'start->gw',{'id':'toA','sourceRef':'gw','targetRef':'a','condition':'${missing}'}")));
    sc_do(&s, "{'command':'start'}");
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "Unknown property used in expression: ${missing}") != NULL);
    sc_close(&s);
}

static void test_a_parallel_gateway_forks_into_concurrent_tokens(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    CHECK_STR(sc_task_keys(&s), "a,b");
    /* two concurrent executions, each holding one task */
    const char *ea = sc_str(sc_entry(&s, "tasks", "taskDefinitionKey", "a", 0), "executionId");
    const char *eb = sc_str(sc_entry(&s, "tasks", "taskDefinitionKey", "b", 0), "executionId");
    CHECK(ea && eb && strcmp(ea, eb) != 0 && strcmp(ea, sc_instance_id(&s)) != 0);
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "fork", 0), "activityType"), "parallelGateway");
    sc_close(&s);
}

static void test_a_parallel_join_waits_for_both_branches(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b,join)");
    CHECK_STR(sc_task_keys(&s), "b");
    /* the token waiting at the join is not an active activity */
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(s.index, "activityIds");
    CHECK(cJSON_GetArraySize(ids) == 1);
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(c)");
    /* one token left: it is the process instance again */
    CHECK_STR(sc_str(sc_entry(&s, "tasks", "taskDefinitionKey", "c", 0), "executionId"), sc_instance_id(&s));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "c"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    sc_close(&s);
}

/* start → fork (inclusive) → a (${ca}), b (${cb}), d (default) → join (inclusive) → c → end */
static const char *INCLUSIVE =
    M_PROC(M_START ",{'type':'inclusiveGateway','id':'fork','default':'toD'},{'type':'inclusiveGateway','id':'join'},"
           M_USER("a") "," M_USER("b") "," M_USER("c") "," M_USER("d") "," M_END,
           "'start->fork', 'a->join', 'b->join', 'd->join', 'join->c->end',"
           "{'id':'toA','sourceRef':'fork','targetRef':'a','condition':'${ca}'},"
           "{'id':'toB','sourceRef':'fork','targetRef':'b','condition':'${cb}'},"
           "{'id':'toD','sourceRef':'fork','targetRef':'d'}");

static void test_an_inclusive_gateway_forks_on_every_true_condition_and_joins_them(void) {
    scenario s;
    CHECK(sc_open(&s, INCLUSIVE));
    CHECK(sc_start(&s, "'variables':{'ca':{'value':true,'type':'Boolean'},'cb':{'value':true,'type':'Boolean'}}"));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "fork", 0), "activityType"), "inclusiveGateway");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,join)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(c)");
    sc_close(&s);
}

static void test_an_inclusive_gateway_takes_its_default_flow_when_no_condition_holds(void) {
    scenario s;
    CHECK(sc_open(&s, INCLUSIVE));
    CHECK(sc_start(&s, "'variables':{'ca':{'value':false,'type':'Boolean'},'cb':{'value':false,'type':'Boolean'}}"));
    CHECK_STR(sc_tree(&s), "proc(d)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "d"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(c)");
    sc_close(&s);
}

static void test_an_inclusive_join_does_not_wait_for_a_branch_that_was_not_taken(void) {
    scenario s;
    CHECK(sc_open(&s, INCLUSIVE));
    CHECK(sc_start(&s, "'variables':{'ca':{'value':true,'type':'Boolean'},'cb':{'value':false,'type':'Boolean'}}"));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(c)");
    sc_close(&s);
}

/* A parallel fork where only one branch leads to the inclusive join: the other token can never
 * arrive there, so the join fires as soon as the first one comes. */
static void test_an_inclusive_join_waits_only_for_tokens_that_can_still_arrive(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'parallelGateway','id':'fork'},{'type':'inclusiveGateway','id':'join'},"
                             M_USER("a") "," M_USER("b") "," M_USER("c") "," M_USER("x") "," M_END
                             ",{'type':'endEvent','id':'end2'}",
                             "'start->fork->a->join->c->end', 'fork->b->join', 'fork->x->end2'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a,b,x)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    /* b can still reach the join: it waits */
    CHECK_STR(sc_tree(&s), "proc(b,join,x)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    /* x cannot reach the join: it fired */
    CHECK_STR(sc_tree(&s), "proc(c,x)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* embedded subprocesses and events passing through                                               */
/* ---------------------------------------------------------------------------------------------- */

static void test_an_embedded_subprocess_nested_two_levels_shows_in_the_tree(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(inner(deep)))");
    const cJSON *tree = sc_activity_instances(&s);
    const cJSON *sub = sc_node_in(tree, "sub");
    const cJSON *inner = sc_node_in(tree, "inner");
    const cJSON *deep = sc_node_in(tree, "deep");
    CHECK_STR(sc_str(sub, "activityType"), "subProcess");
    CHECK_STR(sc_str(sub, "parentActivityInstanceId"), sc_instance_id(&s));
    CHECK_STR(sc_str(inner, "parentActivityInstanceId"), sc_str(sub, "id"));
    CHECK_STR(sc_str(deep, "parentActivityInstanceId"), sc_str(inner, "id"));
    CHECK_STR(sc_str(tree, "activityType"), "processDefinition");
    CHECK_STR(sc_str(tree, "activityId"), "proc:1:test");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(tree, "parentActivityInstanceId")));
    /* the task's activity instance hangs under `inner` in history too */
    const cJSON *deep_start = sc_event(&s, "activityInstanceStart", "activityId", "deep", 0);
    CHECK_STR(sc_str(deep_start, "parentActivityInstanceId"), sc_str(inner, "id"));
    sc_close(&s);
}

static void test_an_embedded_subprocess_completes_and_the_token_continues_after_it(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "deep"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after)");
    CHECK_STR(sc_history(&s), "taskComplete(deep) activityInstanceEnd(deep) activityInstanceStart(e2) "
                              "activityInstanceEnd(e2) activityInstanceEnd(inner) activityInstanceStart(e1) "
                              "activityInstanceEnd(e1) activityInstanceEnd(sub) activityInstanceStart(after) "
                              "taskCreate(after)");
    sc_close(&s);
}

static void test_a_parallel_fork_inside_a_subprocess_keeps_both_tokens_under_it(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'},{'type':'parallelGateway','id':'fork'},"
                                          "{'type':'parallelGateway','id':'join'}," M_USER("a") "," M_USER("b")
                                          ",{'type':'endEvent','id':'e1'}",
                                   "'s1->fork->a->join->e1', 'fork->b->join'")
                             "," M_USER("after") "," M_END,
                             "'start->sub->after->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(a,b))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_tree(&s), "proc(sub(b,join))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after)");
    sc_close(&s);
}

static void test_an_intermediate_none_throw_event_passes_the_token_through(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateThrowEvent','id':'reached'}," M_USER("a") "," M_END,
                             "'start->reached->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "reached", 0), "activityType"),
              "intermediateNoneThrowEvent");
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "reached", 0) != NULL);
    sc_close(&s);
}

/* start → fork → a, b → (b) terminate */
static void test_a_terminate_end_event_cancels_the_other_tokens_and_completes_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'parallelGateway','id':'fork'}," M_USER("a") "," M_USER("b") ","
                             M_END ",{'type':'endEvent','id':'kill','eventDefinitions':[{'type':'terminateEventDefinition'}]}",
                             "'start->fork->a->end', 'fork->b->kill'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "kill", 0), "activityType"), "terminateEndEvent");
    const cJSON *a_end = sc_event(&s, "activityInstanceEnd", "activityId", "a", 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a_end, "canceled")));
    CHECK(sc_events(&s, "taskDelete", "taskDefinitionKey", "a") == 1);
    CHECK_STR(sc_str(sc_event(&s, "processInstanceEnd", NULL, NULL, 0), "endActivityId"), "kill");
    CHECK(sc_count(&s, "tasks", NULL, NULL) == 0);
    sc_close(&s);
}

/* A terminate end event inside a subprocess ends only the subprocess; the process goes on. */
static void test_a_terminate_end_event_in_a_subprocess_ends_only_that_subprocess(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'},{'type':'parallelGateway','id':'fork'},"
                                          M_USER("a") "," M_USER("b") ",{'type':'endEvent','id':'e1'},"
                                          "{'type':'endEvent','id':'kill','eventDefinitions':[{'type':'terminateEventDefinition'}]}",
                                   "'s1->fork->a->e1', 'fork->b->kill'")
                             "," M_USER("after") "," M_END,
                             "'start->sub->after->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(a,b))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(after)");
    sc_close(&s);
}

/* start → sub { s1 → a → err (error end E1) } (+ error boundary catch E1 → handled) → after */
static const char *ERROR_END =
    M_PROC(M_START ","
           M_SUB("sub", "{'type':'startEvent','id':'s1'}," M_USER("a") ","
                        "{'type':'endEvent','id':'err','eventDefinitions':[{'type':'errorEventDefinition',"
                        "'errorRef':'e1','errorCode':'E1'}]}",
                 "'s1->a->err'")
           ",{'type':'boundaryEvent','id':'caught','attachedTo':'sub','cancelActivity':true,"
           "'eventDefinitions':[{'type':'errorEventDefinition','errorRef':'e1','errorCode':'E1'}]},"
           M_USER("handled") "," M_USER("after") "," M_END,
           "'start->sub->after->end', 'caught->handled'");

static void test_an_error_end_event_is_caught_by_the_error_boundary_event_of_its_subprocess(void) {
    scenario s;
    CHECK(sc_open(&s, ERROR_END));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(a))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(handled)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "err", 0), "activityType"), "errorEndEvent");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "caught", 0), "activityType"), "boundaryError");
    /* the subprocess instance ends as canceled (interrupted by the error) */
    const cJSON *sub_end = sc_event(&s, "activityInstanceEnd", "activityId", "sub", 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sub_end, "canceled")));
    sc_close(&s);
}

static void test_an_error_boundary_with_a_specific_code_wins_over_a_catch_all_boundary(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'},"
                                          "{'type':'endEvent','id':'err','eventDefinitions':[{'type':'errorEventDefinition',"
                                          "'errorRef':'e1','errorCode':'E1'}]}",
                                   "'s1->err'")
                             ",{'type':'boundaryEvent','id':'any','attachedTo':'sub',"
                             "'eventDefinitions':[{'type':'errorEventDefinition'}]},"
                             "{'type':'boundaryEvent','id':'specific','attachedTo':'sub',"
                             "'eventDefinitions':[{'type':'errorEventDefinition','errorRef':'e1','errorCode':'E1'}]},"
                             M_USER("viaAny") "," M_USER("viaSpecific") "," M_END,
                             "'start->sub->end', 'any->viaAny', 'specific->viaSpecific'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(viaSpecific)");
    sc_close(&s);
}

/* Camunda: an error end event whose error nobody catches ends the path like a none end event. */
static void test_an_uncaught_error_end_event_ends_its_path_like_a_none_end_event(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'endEvent','id':'err','eventDefinitions':"
                             "[{'type':'errorEventDefinition','errorRef':'e9','errorCode':'E9'}]}",
                             "'start->a->err'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    sc_close(&s);
}

/* Conditional sequence flows out of a task: every flow whose condition holds is taken; with none,
 * the task's default flow. */
static void test_a_task_with_conditional_outgoing_flows_takes_each_true_one_else_its_default(void) {
    const char *model = M_PROC(M_START ",{'type':'task','id':'t','default':'toC'}," M_USER("a") "," M_USER("b") ","
                               M_USER("c"),
                               "'start->t',"
                               "{'id':'toA','sourceRef':'t','targetRef':'a','condition':'${x > 0}'},"
                               "{'id':'toB','sourceRef':'t','targetRef':'b','condition':'${x > 1}'},"
                               "{'id':'toC','sourceRef':'t','targetRef':'c'}");
    scenario s;
    CHECK(sc_open(&s, model));
    CHECK(sc_start(&s, "'variables':{'x':{'value':5,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    sc_close(&s);
    CHECK(sc_open(&s, model));
    CHECK(sc_start(&s, "'variables':{'x':{'value':0,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(c)");
    sc_close(&s);
}

static void test_several_unconditional_flows_out_of_a_task_fork_the_token(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_USER("b") "," M_END ",{'type':'endEvent','id':'end2'}",
                             "'start->a->end', 'start->b->end2'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

/* An error thrown two subprocesses deep is caught by the nearest boundary that catches it. */
static void test_an_error_propagates_out_of_nested_subprocesses_to_the_catching_boundary(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("outer", "{'type':'startEvent','id':'s1'},"
                                            M_SUB("inner", "{'type':'startEvent','id':'s2'}," M_USER("a") ","
                                                           "{'type':'endEvent','id':'boom','eventDefinitions':[{'type':"
                                                           "'errorEventDefinition','errorRef':'e','errorCode':'DEEP'}]}",
                                                  "'s2->a->boom'")
                                            ",{'type':'endEvent','id':'e1'}",
                                   "'s1->inner->e1'")
                             ",{'type':'boundaryEvent','id':'caught','attachedTo':'outer','eventDefinitions':"
                             "[{'type':'errorEventDefinition'}]}," M_USER("handled") "," M_END,
                             "'start->outer->end', 'caught->handled'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(outer(inner(a)))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(handled)");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", "activityId", "inner", 0),
                                                        "canceled")));
    sc_close(&s);
}

static void test_the_activity_instances_of_an_ended_instance_are_not_found(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'delete'}");
    CHECK(sc_ok(&s));
    char *out;
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "command", "activityInstances");
    cJSON_AddItemToObject(cmd, "state", cJSON_Duplicate(s.state, 1));
    char *text = cJSON_PrintUnformatted(cmd);
    cJSON_Delete(cmd);
    out = detour_execute(s.handle, text, strlen(text));
    free(text);
    CHECK(out && strstr(out, "\"error\"") != NULL);
    detour_free(out);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* history of a simple run                                                                        */
/* ---------------------------------------------------------------------------------------------- */

static void test_the_history_of_a_simple_run_lists_its_events_in_camunda_order(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, "'variables':{'n':{'value':1,'type':'Integer'}}"));
    CHECK_STR(sc_history(&s), "processInstanceStart variableCreate(n) activityInstanceStart(start) "
                              "activityInstanceEnd(start) activityInstanceStart(a) taskCreate(a)");
    const cJSON *var = sc_event(&s, "variableCreate", NULL, NULL, 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(var, "initial")));
    CHECK_STR(sc_str(var, "valueType"), "Integer");
    CHECK(sc_num(var, "value") == 1);
    CHECK_STR(sc_str(var, "executionId"), sc_instance_id(&s));
    CHECK_STR(sc_str(var, "activityInstanceId"), sc_instance_id(&s));
    const cJSON *a_start = sc_event(&s, "activityInstanceStart", "activityId", "a", 0);
    CHECK_STR(sc_str(a_start, "activityType"), "userTask");
    CHECK_STR(sc_str(a_start, "executionId"), sc_instance_id(&s));
    CHECK_STR(sc_str(sc_event(&s, "taskCreate", NULL, NULL, 0), "activityInstanceId"), sc_str(a_start, "id"));

    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'n':{'value':2,'type':'Integer'}}}",
          sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_history(&s), "variableUpdate(n) taskComplete(a) activityInstanceEnd(a) activityInstanceStart(end) "
                              "activityInstanceEnd(end) processInstanceEnd(COMPLETED)");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "variableUpdate", NULL, NULL, 0), "initial")));
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* delete                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

static void test_deleting_an_instance_cancels_its_activities_and_ends_it_externally_terminated(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'delete','deleteReason':'no longer needed'}");
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    CHECK_STR(sc_str(s.state, "deleteReason"), "no longer needed");
    CHECK(sc_count(&s, "tasks", NULL, NULL) == 0);
    /* innermost first: the task, then its scopes */
    CHECK_STR(sc_history(&s), "taskDelete(deep) activityInstanceEnd(deep) activityInstanceEnd(inner) "
                              "activityInstanceEnd(sub) processInstanceEnd(EXTERNALLY_TERMINATED)");
    const cJSON *e;
    cJSON_ArrayForEach(e, sc_history_events(&s)) {
        if (strcmp(sc_str(e, "type"), "activityInstanceEnd") == 0)
            CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "canceled")));
    }
    CHECK_STR(sc_str(sc_event(&s, "taskDelete", NULL, NULL, 0), "deleteReason"), "no longer needed");
    const cJSON *end = sc_event(&s, "processInstanceEnd", NULL, NULL, 0);
    CHECK_STR(sc_str(end, "deleteReason"), "no longer needed");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(end, "endActivityId")));
    sc_close(&s);
}

static void test_deleting_with_externally_terminated_false_ends_the_instance_internally_terminated(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'delete','externallyTerminated':false}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "INTERNALLY_TERMINATED");
    sc_close(&s);
}

static void test_a_command_on_an_ended_instance_fails(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    const char *task = sc_task(&s, "a");
    sc_do(&s, "{'command':'delete'}");
    CHECK(sc_ok(&s));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", task);
    CHECK(sc_error(&s) != NULL);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* malformed commands, determinism, atomicity                                                     */
/* ---------------------------------------------------------------------------------------------- */

static void test_malformed_commands_return_errors_and_never_crash(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    const char *bad[] = {
        "not json",
        "",
        "[1,2]",
        "{}",
        "{\"command\":42}",
        "{\"command\":\"frobnicate\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\"}",
        "{\"command\":\"start\",\"idSeed\":\"00000000000000000000000000000001\"}",
        "{\"command\":\"start\",\"now\":\"soon\",\"idSeed\":\"00000000000000000000000000000001\"}",
        "{\"command\":\"start\",\"now\":1}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"xyz\"}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"0000000000000000000000000000000g\"}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":12}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"variables\":[1]}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"startInstructions\":{}}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"startInstructions\":[7]}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"businessKey\":5}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\","
        "\"variables\":{\"x\":{\"value\":\"abc\",\"type\":\"Integer\"}}}",
        "{\"command\":\"start\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\","
        "\"variables\":{\"x\":{\"value\":1,\"type\":\"Frobnitz\"}}}",
        "{\"command\":\"completeTask\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"taskId\":\"x\"}",
        "{\"command\":\"completeTask\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"taskId\":\"x\","
        "\"state\":\"nope\"}",
        "{\"command\":\"completeTask\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"taskId\":\"x\","
        "\"state\":{}}",
        "{\"command\":\"completeTask\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"taskId\":\"x\","
        "\"state\":{\"id\":\"p\",\"executions\":[{\"id\":\"q\"}]}}",
        "{\"command\":\"activityInstances\"}",
        "{\"command\":\"variables\",\"state\":[]}",
        "{\"command\":\"executeJob\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\",\"state\":{}}",
        "{\"command\":\"correlateMessage\",\"now\":1,\"idSeed\":\"00000000000000000000000000000001\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sc_raw(&s, bad[i], strlen(bad[i]));
        const char *type = sc_error_type(&s);
        if (!type) fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK(type != NULL);
        CHECK(sc_error_message(&s) != NULL);
    }
    /* a command with the right shape but wrongly typed parameters */
    sc_do(&s, "{'command':'completeTask','taskId':42}");
    CHECK(sc_error_type(&s) != NULL);
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':'yes'}", sc_task(&s, "a"));
    CHECK(sc_error_type(&s) != NULL);
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'x','workerId':'w','lockDuration':'long'}");
    CHECK(sc_error_type(&s) != NULL);
    /* an unknown handle */
    char *out = detour_execute(9999, "{}", 2);
    CHECK(out && strstr(out, "\"error\"") != NULL);
    detour_free(out);
    /* the instance still works after all that */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_an_unknown_command_is_named_in_the_error(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'frobnicate'}");
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "frobnicate") != NULL);
    sc_close(&s);
}

static void test_the_same_command_with_the_same_id_seed_gives_byte_identical_output(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    const char *cmd = "{\"command\":\"start\",\"now\":1767225600000,\"idSeed\":\"0123456789abcdef0123456789abcdef\","
                      "\"variables\":{\"x\":{\"value\":1,\"type\":\"Integer\"}}}";
    sc_raw(&s, cmd, strlen(cmd));
    char *first = s.last_text ? sc_dup(s.last_text) : NULL;
    sc_raw(&s, cmd, strlen(cmd));
    CHECK(first && s.last_text && strcmp(first, s.last_text) == 0);
    /* ... and a different seed gives different ids */
    const char *other = "{\"command\":\"start\",\"now\":1767225600000,\"idSeed\":\"fedcba9876543210fedcba9876543210\","
                        "\"variables\":{\"x\":{\"value\":1,\"type\":\"Integer\"}}}";
    sc_raw(&s, other, strlen(other));
    CHECK(first && s.last_text && strcmp(first, s.last_text) != 0);
    free(first);

    /* a later command too: same state, same seed → same bytes */
    CHECK(sc_start(&s, NULL));
    const char *task = sc_task(&s, "a");
    sc_do(&s, "{'command':'completeTask','taskId':'%s','idSeed':'00000000000000000000000000000abc'}", task);
    char *second = sc_dup(s.last_text);
    /* run it again against the state before it: sc_do kept the new state, so rebuild the command */
    scenario t;
    CHECK(sc_open(&t, M_PARALLEL));
    CHECK(sc_start(&t, NULL));
    sc_do(&t, "{'command':'completeTask','taskId':'%s','idSeed':'00000000000000000000000000000abc'}", task);
    CHECK(t.last_text && strcmp(second, t.last_text) == 0);
    free(second);
    sc_close(&t);
    sc_close(&s);
}

/* A failing command changes nothing: the host keeps its state and carries on with it. */
static void test_a_failing_command_leaves_the_hosts_state_usable(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'exclusiveGateway','id':'gw'}," M_USER("b") "," M_END,
                             "'start->a->gw', 'b->end',"
                             "{'id':'toB','sourceRef':'gw','targetRef':'b','condition':'${ok}'}")));
    CHECK(sc_start(&s, NULL));
    char *before = cJSON_PrintUnformatted(s.state);
    const char *task = sc_task(&s, "a");
    /* `ok` is unknown: the condition fails in the middle of the command */
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'x':{'value':1,'type':'Integer'}}}", task);
    CHECK(sc_error(&s) != NULL);
    char *after = cJSON_PrintUnformatted(s.state);
    CHECK(strcmp(before, after) == 0);
    free(before);
    free(after);
    /* the same state goes on */
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'ok':{'value':true,'type':'Boolean'}}}", task);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    CHECK_STR(sc_var(&s, "x"), "(absent)");
    sc_close(&s);
}

static void test_a_model_with_unsupported_elements_is_rejected_at_compile(void) {
    scenario s;
    CHECK(sc_compile_fails(&s, M_PROC(M_START ",{'type':'callActivity','id':'call'}", "'start->call'")));
    const char *err = sc_compile_error(&s);
    CHECK(err && strstr(err, "ParseException") != NULL && strstr(err, "call") != NULL);
    sc_close(&s);
}

/* A token inside a subprocess on the way to an inclusive join can still arrive: the join waits. */
static void test_an_inclusive_join_waits_for_a_token_still_inside_a_subprocess(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'inclusiveGateway','id':'fork'},{'type':'inclusiveGateway','id':'join'},"
                             M_USER("a") ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'}," M_USER("x") ",{'type':'endEvent','id':'e1'}",
                                   "'s1->x->e1'")
                             "," M_USER("c") "," M_END,
                             "'start->fork->a->join->c->end', 'fork->sub->join'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a,sub(x))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(join,sub(x))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "x"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(c)");
    sc_close(&s);
}

int main(void) {
    RUN(test_a_none_start_event_leads_the_token_to_the_first_task);
    RUN(test_completing_the_last_task_completes_the_instance_at_the_none_end_event);
    RUN(test_a_none_end_event_instance_is_recorded_as_completing_its_scope);
    RUN(test_a_process_without_wait_states_completes_within_the_start_command);
    RUN(test_a_plain_task_and_a_manual_task_pass_the_token_through);
    RUN(test_a_user_task_assignee_expression_is_resolved_from_the_variables);
    RUN(test_a_user_task_without_assignee_or_priority_is_unassigned_with_priority_50);
    RUN(test_the_end_of_a_user_task_activity_instance_carries_its_task_id_and_assignee);
    RUN(test_completing_a_task_sets_its_variables_on_the_instance);
    RUN(test_completing_an_unknown_task_fails_with_not_found);
    RUN(test_a_receive_task_waits_until_its_message_is_correlated);
    RUN(test_an_exclusive_gateway_takes_the_flow_whose_condition_holds);
    RUN(test_an_exclusive_gateway_takes_only_the_first_of_several_true_conditions);
    RUN(test_an_exclusive_gateway_takes_its_default_flow_when_no_condition_holds);
    RUN(test_an_exclusive_gateway_without_a_selectable_flow_fails_with_engine_02004);
    RUN(test_a_condition_on_an_unknown_variable_fails_the_command_naming_the_expression);
    RUN(test_a_parallel_gateway_forks_into_concurrent_tokens);
    RUN(test_a_parallel_join_waits_for_both_branches);
    RUN(test_an_inclusive_gateway_forks_on_every_true_condition_and_joins_them);
    RUN(test_an_inclusive_gateway_takes_its_default_flow_when_no_condition_holds);
    RUN(test_an_inclusive_join_does_not_wait_for_a_branch_that_was_not_taken);
    RUN(test_an_inclusive_join_waits_only_for_tokens_that_can_still_arrive);
    RUN(test_an_inclusive_join_waits_for_a_token_still_inside_a_subprocess);
    RUN(test_an_embedded_subprocess_nested_two_levels_shows_in_the_tree);
    RUN(test_an_embedded_subprocess_completes_and_the_token_continues_after_it);
    RUN(test_a_parallel_fork_inside_a_subprocess_keeps_both_tokens_under_it);
    RUN(test_an_intermediate_none_throw_event_passes_the_token_through);
    RUN(test_a_terminate_end_event_cancels_the_other_tokens_and_completes_the_instance);
    RUN(test_a_terminate_end_event_in_a_subprocess_ends_only_that_subprocess);
    RUN(test_an_error_end_event_is_caught_by_the_error_boundary_event_of_its_subprocess);
    RUN(test_an_error_boundary_with_a_specific_code_wins_over_a_catch_all_boundary);
    RUN(test_an_uncaught_error_end_event_ends_its_path_like_a_none_end_event);
    RUN(test_a_task_with_conditional_outgoing_flows_takes_each_true_one_else_its_default);
    RUN(test_several_unconditional_flows_out_of_a_task_fork_the_token);
    RUN(test_an_error_propagates_out_of_nested_subprocesses_to_the_catching_boundary);
    RUN(test_the_activity_instances_of_an_ended_instance_are_not_found);
    RUN(test_the_history_of_a_simple_run_lists_its_events_in_camunda_order);
    RUN(test_deleting_an_instance_cancels_its_activities_and_ends_it_externally_terminated);
    RUN(test_deleting_with_externally_terminated_false_ends_the_instance_internally_terminated);
    RUN(test_a_command_on_an_ended_instance_fails);
    RUN(test_malformed_commands_return_errors_and_never_crash);
    RUN(test_an_unknown_command_is_named_in_the_error);
    RUN(test_the_same_command_with_the_same_id_seed_gives_byte_identical_output);
    RUN(test_a_failing_command_leaves_the_hosts_state_usable);
    RUN(test_a_model_with_unsupported_elements_is_rejected_at_compile);
    return CHECK_SUMMARY();
}
