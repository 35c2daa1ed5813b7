/*
 * test_modify.c — the `modify` command (process instance modification, semantics.md §1) through
 * the public ABI: each instruction type on flat and nested processes, missing parent scopes,
 * ancestors, cancellation propagation, how an emptied instance ends, instruction variables, the
 * skip flags, suspension, and every validation message byte for byte. Multi-instance, boundary
 * events, event subprocesses and async continuations: test_modify_events.c.
 */
#include "check.h"
#include "scenario.h"

/* start → a → b → end */
#define M_TWO_TASKS M_PROC(M_START "," M_USER("a") "," M_USER("b") "," M_END, "'start->a->b->end'")

#define REASON "Cancellation due to process instance modifcation"

/* Runs `modify` with the given instructions (compact notation, printf format). */
static const cJSON *modify(scenario *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *instructions = sc_vprintf(fmt, ap);
    va_end(ap);
    const cJSON *out = sc_do(s, "{'command':'modify','instructions':[%s]}", instructions);
    free(instructions);
    return out;
}

/* ---------------------------------------------------------------------------------------------- */
/* cancellation                                                                                   */
/* ---------------------------------------------------------------------------------------------- */

static void test_cancel_one_of_two_parallel_tokens_keeps_the_other(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    const char *a = sc_instance_of(&s, "a");
    modify(&s, "{'type':'cancel','activityInstanceId':'%s'}", a);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_history(&s), "taskDelete(a) activityInstanceEnd(a)");
    const cJSON *end = sc_event(&s, "activityInstanceEnd", "activityId", "a", 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(end, "canceled")));
    CHECK_STR(sc_str(end, "id"), a);
    CHECK_STR(sc_str(sc_event(&s, "taskDelete", NULL, NULL, 0), "deleteReason"), REASON);
    CHECK_STR(sc_task_keys(&s), "b");
    /* the remaining token is the instance's own again: b completes into the join as before */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(join)");
    sc_close(&s);
}

static void test_cancelling_everything_ends_the_instance_externally_terminated(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    CHECK_STR(sc_history(&s), "taskDelete(a) activityInstanceEnd(a) processInstanceEnd(EXTERNALLY_TERMINATED)");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", NULL, NULL, 0), "canceled")));
    const cJSON *end = sc_event(&s, "processInstanceEnd", NULL, NULL, 0);
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(end, "deleteReason")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(end, "endActivityId")));
    CHECK(sc_num(end, "endTime") == (double)s.now);
    CHECK_STR(sc_str(sc_event(&s, "taskDelete", NULL, NULL, 0), "deleteReason"), REASON);
    CHECK(sc_tasks(&s, NULL) == 0);
    /* an ended instance cannot be modified */
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'}");
    char expected[256];
    snprintf(expected, sizeof expected,
             "ProcessEngineException: ENGINE-13036 Process instance '%s' cannot be modified. The process instance does "
             "not exist",
             sc_instance_id(&s));
    CHECK_STR(sc_error(&s), expected);
    sc_close(&s);
}

static void test_without_the_external_flag_the_instance_is_internally_terminated(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'modify','externallyTerminated':false,'instructions':[{'type':'cancel','activityId':'a'}]}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "INTERNALLY_TERMINATED");
    sc_close(&s);
}

static void test_cancelling_the_root_activity_instance_cancels_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityInstanceId':'%s'}", sc_instance_id(&s));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    CHECK(sc_events(&s, "activityInstanceEnd", NULL, NULL) == 2);
    sc_close(&s);
}

static void test_cancelling_the_only_task_of_a_subprocess_cancels_the_subprocess_and_nothing_continues(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'deep'},"
                       "{'type':'startBeforeActivity','activityId':'after'}]"));
    CHECK_STR(sc_tree(&s), "proc(after,sub(inner(deep)))");
    modify(&s, "{'type':'cancel','activityInstanceId':'%s'}", sc_instance_of(&s, "deep"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after)");
    CHECK_STR(sc_history(&s), "taskDelete(deep) activityInstanceEnd(deep) activityInstanceEnd(inner) "
                              "activityInstanceEnd(sub)");
    CHECK(sc_events(&s, "activityInstanceStart", NULL, NULL) == 0);
    sc_close(&s);
}

static void test_an_activity_instance_cancelled_earlier_in_the_request_no_longer_exists(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    const char *a = sc_instance_of(&s, "a");
    modify(&s, "{'type':'cancel','activityInstanceId':'%s'},{'type':'cancel','activityInstanceId':'%s'}", a, a);
    CHECK_STR(sc_error_type(&s), "NotValidException");
    char expected[512];
    snprintf(expected, sizeof expected,
             "Cannot perform instruction: Cancel activity instance '%s'; Activity instance '%s' does not exist: "
             "activityInstance is null",
             a, a);
    CHECK_STR(sc_error_message(&s), expected);
    CHECK_STR(sc_tree(&s), "proc(a,b)"); /* nothing changed */
    sc_close(&s);
}

static void test_cancel_all_of_an_activity_without_instances_is_no_error(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityId':'b'},{'type':'cancel','activityId':'nowhere'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK_STR(sc_history(&s), "");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* start instructions                                                                             */
/* ---------------------------------------------------------------------------------------------- */

static void test_start_before_adds_a_concurrent_token(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'b'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    CHECK_STR(sc_history(&s), "activityInstanceStart(b) taskCreate(b)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", NULL, NULL, 0), "parentActivityInstanceId"),
              sc_instance_id(&s));
    CHECK_STR(sc_task_keys(&s), "a,b");
    sc_close(&s);
}

static void test_start_after_takes_the_single_outgoing_flow_without_running_the_activity(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startAfterActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "a") == 0);
    sc_close(&s);
}

static void test_start_transition_takes_the_flow(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startTransition','transitionId':'b_end'}");
    CHECK(sc_ok(&s));
    /* the new token just ends at the end event; a is untouched */
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_history(&s), "activityInstanceStart(end) activityInstanceEnd(end)");
    sc_close(&s);
}

static void test_cancel_and_start_before_the_same_activity_moves_the_token(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityId':'a'},{'type':'startBeforeActivity','activityId':'b'}");
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    /* the instance's own execution holds the new token: no concurrency left behind */
    const cJSON *executions = cJSON_GetObjectItemCaseSensitive(s.state, "executions");
    CHECK(cJSON_GetArraySize(executions) == 1);
    CHECK(sc_events(&s, "processInstanceEnd", NULL, NULL) == 0);
    sc_close(&s);
}

static void test_a_token_reaching_the_end_with_nothing_else_left_completes_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityId':'a'},{'type':'startAfterActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    CHECK_STR(sc_str(sc_event(&s, "processInstanceEnd", NULL, NULL, 0), "endActivityId"), "end");
    sc_close(&s);
}

static void test_the_instance_stays_alive_while_instructions_run(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    /* testEndProcessInstanceIntermediately: the end is reached in between, a is started again */
    modify(&s, "{'type':'cancel','activityId':'a'},{'type':'startAfterActivity','activityId':'a'},"
               "{'type':'startBeforeActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    /* and a token that completed in between does not make a later cancellation a completion */
    modify(&s, "{'type':'startAfterActivity','activityId':'a'},{'type':'cancel','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    sc_close(&s);
}

static void test_start_before_inside_a_subprocess_without_instance_creates_the_scopes(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'after'}]"));
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after,sub(inner(deep)))");
    CHECK_STR(sc_history(&s), "activityInstanceStart(sub) activityInstanceStart(inner) activityInstanceStart(deep) "
                              "taskCreate(deep)");
    /* the created scopes run on normally */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "deep"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after,after)");
    sc_close(&s);
}

static void test_start_before_inside_a_running_subprocess_reuses_its_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub(inner(deep,deep)))");
    sc_close(&s);
}

static void test_an_ambiguous_parent_scope_is_refused_naming_the_flow_scope(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'sub'},"
                       "{'type':'startBeforeActivity','activityId':'sub'}]"));
    CHECK_STR(sc_tree(&s), "proc(sub(inner(deep)),sub(inner(deep)))");
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep'}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Ancestor activity execution is ambiguous for activity Activity(inner)");
    modify(&s, "{'type':'startBeforeActivity','activityId':'e1'}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Ancestor activity execution is ambiguous for activity Activity(sub)");
    sc_close(&s);
}

static void test_an_ancestor_picks_the_parent_and_creates_the_scopes_below_it_anew(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'sub'},"
                       "{'type':'startBeforeActivity','activityId':'sub'}]"));
    const char *first_sub = sc_instance_of(&s, "sub");
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep','ancestorActivityInstanceId':'%s'}", first_sub);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub(inner(deep)),sub(inner(deep),inner(deep)))");
    const cJSON *inner_start = sc_event(&s, "activityInstanceStart", "activityId", "inner", 0);
    CHECK_STR(sc_str(inner_start, "parentActivityInstanceId"), first_sub);
    /* the root as ancestor: a whole new sub */
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep','ancestorActivityInstanceId':'%s'}",
           sc_instance_id(&s));
    CHECK(sc_ok(&s));
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "sub") == 1);
    sc_close(&s);
}

static void test_ancestor_errors_use_camundas_messages(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'deep'},"
                       "{'type':'startBeforeActivity','activityId':'after'}]"));
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep','ancestorActivityInstanceId':'nope'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start before activity 'deep' with ancestor "
                            "activity instance 'nope'; Ancestor activity instance 'nope' does not exist: ancestorInstance "
                            "is null");
    const char *after = sc_instance_of(&s, "after");
    char expected[1024];
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep','ancestorActivityInstanceId':'%s'}", after);
    snprintf(expected, sizeof expected,
             "NotValidException: Cannot perform instruction: Start before activity 'deep' with ancestor activity "
             "instance '%s'; Scope execution for '%s' cannot be found in parent hierarchy of flow element 'deep'",
             after, after);
    CHECK_STR(sc_error(&s), expected);
    const char *inner = sc_instance_of(&s, "inner");
    modify(&s, "{'type':'startAfterActivity','activityId':'start','ancestorActivityInstanceId':'%s'}", inner);
    snprintf(expected, sizeof expected,
             "NotValidException: Cannot perform instruction: Start after activity 'start' with ancestor activity "
             "instance '%s'; Scope execution for '%s' cannot be found in parent hierarchy of flow element 'start_sub'",
             inner, inner);
    CHECK_STR(sc_error(&s), expected);
    modify(&s, "{'type':'startTransition','transitionId':'s2_deep','ancestorActivityInstanceId':'%s'}", inner);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after,sub(inner(deep,deep)))");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* variables, listeners, mappings                                                                 */
/* ---------------------------------------------------------------------------------------------- */

static void test_instruction_variables_go_up_unless_local(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'b','variables':{'g':{'value':1,'type':'Integer'},"
               "'l':{'value':'x','type':'String','local':true}},'variablesLocal':{'vl':{'value':true,'type':'Boolean'}}}");
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_names(&s, root), "g");
    const cJSON *at_b = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}",
                                 sc_instance_of(&s, "b"));
    CHECK_STR(sc_names(&s, at_b), "l,vl");
    const cJSON *created = sc_event(&s, "variableCreate", "name", "g", 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(created, "initial")));
    /* an existing variable is updated where it lives */
    modify(&s, "{'type':'startBeforeActivity','activityId':'a','variables':{'g':{'value':2,'type':'Integer'}}}");
    CHECK(sc_ok(&s));
    CHECK(sc_events(&s, "variableUpdate", "name", "g") == 1);
    CHECK_STR(sc_var(&s, "g"), "Integer 2");
    sc_close(&s);
}

static void test_local_variables_of_a_start_in_a_new_scope_live_on_that_scope(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'after'}]"));
    modify(&s, "{'type':'startBeforeActivity','activityId':'deep','variablesLocal':{'l':{'value':1,'type':'Integer'}}}");
    CHECK(sc_ok(&s));
    const cJSON *at_inner = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}",
                                     sc_instance_of(&s, "inner"));
    CHECK_STR(sc_value(&s, at_inner, "l"), "Integer 1");
    sc_close(&s);
}

/* start → a → b (start listener L, input mapping x = 1) → end */
#define M_LISTENED                                                                                                   \
    M_PROC(M_START "," M_USER("a") ",{'type':'userTask','id':'b','listeners':[{'event':'start','class':'L'}],"     \
                   "'inputOutput':{'inputParameters':[{'name':'x','value':'1'}]}}," M_END,                        \
           "'start->a->b->end'")

static void test_listeners_and_input_mappings_run_unless_skipped(void) {
    scenario s;
    sc_delegates_reset();
    sc_delegate("L", "{}");
    CHECK(sc_open(&s, M_LISTENED));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'b'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "L:start:b ");
    CHECK(sc_events(&s, "variableCreate", "name", "x") == 1);
    sc_delegates_reset();
    sc_delegate("L", "{}");
    sc_do(&s, "{'command':'modify','skipCustomListeners':true,'skipIoMappings':true,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'b'}]}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "");
    CHECK(sc_events(&s, "variableCreate", "name", "x") == 0);
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "b") == 1); /* history is still written */
    sc_close(&s);
}

static void test_end_listeners_of_cancelled_scopes_run_unless_skipped(void) {
    scenario s;
    sc_delegates_reset();
    sc_delegate("L", "{}");
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','listeners':[{'event':'end','class':'L'}],"
                                     "'elements':[{'type':'startEvent','id':'s1'},{'type':'userTask','id':'x',"
                                     "'listeners':[{'event':'end','class':'L'}]},{'type':'endEvent','id':'e1'}],"
                                     "'flows':['s1->x->e1']}," M_END,
                             "'start->sub->end'")));
    CHECK(sc_start(&s, NULL));
    sc_calls[0] = '\0';
    modify(&s, "{'type':'cancel','activityId':'x'},{'type':'startBeforeActivity','activityId':'x'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "L:end:x L:end:sub ");
    sc_calls[0] = '\0';
    sc_do(&s, "{'command':'modify','skipCustomListeners':true,'instructions':[{'type':'cancel','activityId':'x'}]}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "");
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_a_failing_delegate_in_a_start_instruction_changes_nothing(void) {
    scenario s;
    sc_delegates_reset();
    sc_delegate("boom", "{'error':{'message':'bank offline'}}");
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'serviceTask','id':'svc','class':'boom'}," M_END,
                             "'start->a->svc->end'")));
    CHECK(sc_start(&s, NULL));
    char *before = cJSON_PrintUnformatted(s.state);
    modify(&s, "{'type':'cancel','activityId':'a'},{'type':'startBeforeActivity','activityId':'svc'}");
    CHECK(sc_error(&s) != NULL);
    CHECK(strstr(sc_error_message(&s), "bank offline") != NULL);
    char *after = cJSON_PrintUnformatted(s.state);
    CHECK_STR(after, before);
    free(before);
    free(after);
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* refusals                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_suspended_instance_refuses_start_instructions(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    CHECK(sc_ok(&s));
    modify(&s, "{'type':'startBeforeActivity','activityId':'b'}");
    char expected[256];
    snprintf(expected, sizeof expected,
             "SuspendedEntityInteractionException: ENGINE-03043 Execution with id '%s' is suspended.", sc_instance_id(&s));
    CHECK_STR(sc_error(&s), expected);
    modify(&s, "{'type':'startAfterActivity','activityId':'a'}");
    CHECK_STR(sc_error(&s), expected);
    sc_close(&s);
}

static void test_unknown_targets_fail_with_camundas_messages(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'nope'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start before activity 'nope'; Element "
                            "'nope' does not exist in process 'proc:1:test': element is null");
    modify(&s, "{'type':'startBeforeActivity','activityId':'nope','ancestorActivityInstanceId':'x'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start before activity 'nope' with ancestor "
                            "activity instance 'x'; Element 'nope' does not exist in process 'proc:1:test': element is "
                            "null");
    modify(&s, "{'type':'startAfterActivity','activityId':'nope'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start after activity 'nope'; Activity "
                            "'nope' does not exist: activity is null");
    modify(&s, "{'type':'startTransition','transitionId':'nope'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start transition 'nope'; Element 'nope' "
                            "does not exist in process 'proc:1:test': element is null");
    modify(&s, "{'type':'startAfterActivity','activityId':'end'}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Cannot start after activity end; activity has no outgoing "
                            "sequence flow to take");
    modify(&s, "{'type':'cancel','activityInstanceId':'nope'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Cancel activity instance 'nope'; Activity "
                            "instance 'nope' does not exist: activityInstance is null");
    modify(&s, "{'type':'cancel','transitionInstanceId':'nope'}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Cancel transition instance 'nope'; "
                            "Transition instance 'nope' does not exist: transitionInstance is null");
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_start_after_an_activity_with_several_outgoing_flows_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startAfterActivity','activityId':'fork'}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Cannot start after activity fork; activity has more than one "
                            "outgoing sequence flow");
    sc_close(&s);
}

static void test_malformed_instructions_are_refused_before_anything_runs(void) {
    scenario s;
    CHECK(sc_open(&s, M_TWO_TASKS));
    CHECK(sc_start(&s, NULL));
    /* the first instruction would be fine: the second's shape is checked before it runs */
    modify(&s, "{'type':'cancel','activityId':'a'},{'type':'cancel'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: For instruction type 'cancel': exactly one, 'activityId', "
                            "'activityInstanceId', or 'transitionInstanceId', is required");
    modify(&s, "{'type':'cancel','activityId':'a','activityInstanceId':'x'}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    modify(&s, "{'type':'startBeforeActivity'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: For instruction type 'startBeforeActivity': 'activityId' must be set");
    modify(&s, "{'type':'startAfterActivity','transitionId':'a_b'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: For instruction type 'startAfterActivity': 'activityId' must be set");
    modify(&s, "{'type':'startTransition','activityId':'a'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: For instruction type 'startTransition': 'transitionId' must be set");
    modify(&s, "{'type':'startBeforeActivity','activityId':7}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: activityId must be a string");
    modify(&s, "{'type':'jump','activityId':'a'}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    modify(&s, "42");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    modify(&s, "{'type':'startBeforeActivity','activityId':'b','variables':{'v':{'value':1,'type':'Foo'}}}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: Unsupported value type 'Foo'");
    modify(&s, "{'type':'startBeforeActivity','activityId':'b','variables':[]}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    sc_do(&s, "{'command':'modify','instructions':{}}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    sc_do(&s, "{'command':'modify','skipIoMappings':'yes','instructions':[]}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    CHECK_STR(sc_tree(&s), "proc(a)");
    /* no instructions: nothing happens */
    sc_do(&s, "{'command':'modify','instructions':[],'annotation':'why not'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_history(&s), "");
    sc_close(&s);
}

static void test_cancel_current_active_instances_spares_the_ones_started_in_the_request(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'},"
               "{'type':'cancel','activityId':'a','cancelCurrentActiveActivityInstances':true}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(!sc_ended(&s));
    /* without the flag every instance there is when the cancel runs goes */
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'},{'type':'cancel','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* what a dry run asks for: the trees in the result, no state document                            */
/* ---------------------------------------------------------------------------------------------- */

/* A member of the last result document as compact text (NULL when absent); kept until sc_close. */
static const char *last_text_of(scenario *s, const cJSON *parent, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(parent, key);
    return item ? sc_keep(s, cJSON_PrintUnformatted(item)) : NULL;
}

/* The current activity instance tree as text (the `activityInstances` query). */
static const char *tree_text(scenario *s) { return sc_keep(s, cJSON_PrintUnformatted(sc_activity_instances(s))); }

/* Runs the same modification (same clock and ids) from the state `from`, with `options` added
 * to the command; returns the result document's text. The scenario's state is the result's. */
static const char *modify_from(scenario *s, const cJSON *from, const char *options, const char *instructions) {
    cJSON_Delete(s->state);
    s->state = cJSON_Duplicate(from, 1);
    sc_do(s, "{'command':'modify','now':%lld,'idSeed':'%032x','instructions':[%s]%s%s}", (long long)SC_T0 + 5, 77,
          instructions, *options ? "," : "", options);
    return s->last_text ? sc_keep(s, sc_dup(s->last_text)) : NULL;
}

#define PLAN "{'type':'cancel','activityId':'a'},{'type':'startBeforeActivity','activityId':'c'}"

static void test_with_activity_instances_the_result_holds_the_trees_before_and_after(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    cJSON *start = cJSON_Duplicate(s.state, 1);
    const char *before = tree_text(&s);
    const char *plain = modify_from(&s, start, "", PLAN);
    CHECK(sc_ok(&s));
    const char *plain_state = last_text_of(&s, s.last, "state"), *plain_history = last_text_of(&s, s.last, "history");
    const char *plain_index = last_text_of(&s, s.last, "index");
    CHECK_STR(last_text_of(&s, s.last, "result"), "{}");
    const char *after = tree_text(&s);
    CHECK_STR(sc_tree(&s), "proc(b,c)");

    modify_from(&s, start, "'withActivityInstances':true,'withActivityInstancesBefore':true", PLAN);
    CHECK(sc_ok(&s));
    const cJSON *result = sc_result(&s);
    CHECK(cJSON_GetArraySize(result) == 2);
    CHECK_STR(last_text_of(&s, result, "activityInstancesBefore"), before);
    CHECK_STR(last_text_of(&s, result, "activityInstances"), after);
    /* the rest of the document is what the plain command returns */
    CHECK_STR(last_text_of(&s, s.last, "state"), plain_state);
    CHECK_STR(last_text_of(&s, s.last, "history"), plain_history);
    CHECK_STR(last_text_of(&s, s.last, "index"), plain_index);

    /* each on its own */
    modify_from(&s, start, "'withActivityInstances':true", PLAN);
    CHECK(cJSON_GetArraySize(sc_result(&s)) == 1);
    CHECK_STR(last_text_of(&s, sc_result(&s), "activityInstances"), after);
    modify_from(&s, start, "'withActivityInstancesBefore':true", PLAN);
    CHECK(cJSON_GetArraySize(sc_result(&s)) == 1);
    CHECK_STR(last_text_of(&s, sc_result(&s), "activityInstancesBefore"), before);
    /* false (or anything but true) is the plain command */
    CHECK_STR(modify_from(&s, start, "'withActivityInstances':false,'withActivityInstancesBefore':0,'omitState':null",
                          PLAN),
              plain);
    cJSON_Delete(start);
    sc_close(&s);
}

static void test_an_instance_the_modification_ends_has_no_tree_afterwards(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    const char *before = tree_text(&s);
    sc_do(&s, "{'command':'modify','withActivityInstances':true,'withActivityInstancesBefore':true,"
              "'instructions':[{'type':'cancel','activityId':'a'}]}");
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "activityInstances")));
    CHECK_STR(last_text_of(&s, sc_result(&s), "activityInstancesBefore"), before);
    sc_close(&s);
}

static void test_omit_state_leaves_out_the_state_document_and_nothing_else(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    cJSON *start = cJSON_Duplicate(s.state, 1);
    modify_from(&s, start, "'withActivityInstances':true", PLAN);
    CHECK(sc_ok(&s));
    const char *history = last_text_of(&s, s.last, "history"), *index = last_text_of(&s, s.last, "index");
    const char *result = last_text_of(&s, s.last, "result");
    modify_from(&s, start, "'withActivityInstances':true,'omitState':true", PLAN);
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetObjectItemCaseSensitive(s.last, "state") == NULL);
    CHECK(cJSON_GetArraySize(s.last) == 3);
    CHECK_STR(last_text_of(&s, s.last, "history"), history);
    CHECK_STR(last_text_of(&s, s.last, "index"), index);
    CHECK_STR(last_text_of(&s, s.last, "result"), result);
    cJSON_Delete(start);
    sc_close(&s);
}

static void test_a_refused_modification_returns_its_error_alone_whatever_it_asked_for(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    s.quiet = true;
    sc_do(&s, "{'command':'modify','withActivityInstances':true,'withActivityInstancesBefore':true,'omitState':true,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'nowhere'}]}");
    CHECK_STR(sc_error_type(&s), "NotValidException");
    CHECK(cJSON_GetArraySize(s.last) == 1);
    sc_close(&s);
}

int main(void) {
    RUN(test_cancel_one_of_two_parallel_tokens_keeps_the_other);
    RUN(test_cancelling_everything_ends_the_instance_externally_terminated);
    RUN(test_without_the_external_flag_the_instance_is_internally_terminated);
    RUN(test_cancelling_the_root_activity_instance_cancels_the_instance);
    RUN(test_cancelling_the_only_task_of_a_subprocess_cancels_the_subprocess_and_nothing_continues);
    RUN(test_an_activity_instance_cancelled_earlier_in_the_request_no_longer_exists);
    RUN(test_cancel_all_of_an_activity_without_instances_is_no_error);
    RUN(test_start_before_adds_a_concurrent_token);
    RUN(test_start_after_takes_the_single_outgoing_flow_without_running_the_activity);
    RUN(test_start_transition_takes_the_flow);
    RUN(test_cancel_and_start_before_the_same_activity_moves_the_token);
    RUN(test_a_token_reaching_the_end_with_nothing_else_left_completes_the_instance);
    RUN(test_the_instance_stays_alive_while_instructions_run);
    RUN(test_start_before_inside_a_subprocess_without_instance_creates_the_scopes);
    RUN(test_start_before_inside_a_running_subprocess_reuses_its_instance);
    RUN(test_an_ambiguous_parent_scope_is_refused_naming_the_flow_scope);
    RUN(test_an_ancestor_picks_the_parent_and_creates_the_scopes_below_it_anew);
    RUN(test_ancestor_errors_use_camundas_messages);
    RUN(test_instruction_variables_go_up_unless_local);
    RUN(test_local_variables_of_a_start_in_a_new_scope_live_on_that_scope);
    RUN(test_listeners_and_input_mappings_run_unless_skipped);
    RUN(test_end_listeners_of_cancelled_scopes_run_unless_skipped);
    RUN(test_a_failing_delegate_in_a_start_instruction_changes_nothing);
    RUN(test_a_suspended_instance_refuses_start_instructions);
    RUN(test_unknown_targets_fail_with_camundas_messages);
    RUN(test_start_after_an_activity_with_several_outgoing_flows_is_refused);
    RUN(test_malformed_instructions_are_refused_before_anything_runs);
    RUN(test_cancel_current_active_instances_spares_the_ones_started_in_the_request);
    RUN(test_with_activity_instances_the_result_holds_the_trees_before_and_after);
    RUN(test_an_instance_the_modification_ends_has_no_tree_afterwards);
    RUN(test_omit_state_leaves_out_the_state_document_and_nothing_else);
    RUN(test_a_refused_modification_returns_its_error_alone_whatever_it_asked_for);
    return CHECK_SUMMARY();
}
