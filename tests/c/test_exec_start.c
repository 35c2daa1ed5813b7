/*
 * test_exec_start.c — start instructions of the start command (Camunda's startBeforeActivity,
 * startAfterActivity, startTransition) through the public ABI: missing parent scopes are created
 * without running their start events, instruction variables, multi-instance bodies, boundary and
 * end events as targets, and the exact Camunda messages for targets that do not exist
 * (/work/shared/spec/semantics.md 1.4 and 1.6).
 */
#include "check.h"
#include "scenario.h"

static void test_start_before_an_activity_inside_a_subprocess_creates_the_subprocess_without_its_start_event(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'deep'}]"));
    CHECK_STR(sc_tree(&s), "proc(sub(inner(deep)))");
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "start", 0) == NULL);
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "s1", 0) == NULL);
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "s2", 0) == NULL);
    CHECK_STR(sc_str(s.state, "startActivityId"), "deep");
    CHECK_STR(sc_str(sc_event(&s, "processInstanceStart", NULL, NULL, 0), "startActivityId"), "deep");
    /* the instance then runs normally */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "deep"));
    CHECK_STR(sc_tree(&s), "proc(after)");
    sc_close(&s);
}

static void test_start_before_two_activities_starts_two_concurrent_tokens(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_USER("b") "," M_END, "'start->a->b->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a'},"
                       "{'type':'startBeforeActivity','activityId':'b'}]"));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    sc_close(&s);
}

static void test_start_after_an_activity_takes_its_single_outgoing_flow(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_USER("b") "," M_END, "'start->a->b->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startAfterActivity','activityId':'a'}]"));
    CHECK_STR(sc_tree(&s), "proc(b)");
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "a", 0) == NULL);
    CHECK_STR(sc_str(s.state, "startActivityId"), "b");
    sc_close(&s);
}

static void test_start_transition_takes_the_given_flow(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startTransition','transitionId':'fork_b'}]"));
    /* b alone reaches the parallel join, which waits for its other incoming flow */
    CHECK_STR(sc_tree(&s), "proc(b)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(join)"); /* the token waits at the join, visible as in Camunda */
    sc_close(&s);
}

static void test_start_instruction_variables_go_to_the_instance_unless_local(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'deep',"
                       "'variables':{'g':{'value':1,'type':'Integer'},'l':{'value':2,'type':'Integer','local':true}}}]"));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_value(&s, root, "g"), "Integer 1");
    CHECK_STR(sc_value(&s, root, "l"), "(absent)");
    /* the local one is on the execution that enters `deep`, inside `inner` */
    const cJSON *at_task = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "deep"));
    CHECK_STR(sc_value(&s, at_task, "l"), "Integer 2");
    sc_close(&s);
}

static void test_start_before_an_unknown_activity_fails_with_camundas_message(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startBeforeActivity','activityId':'nope'}]}");
    /* the first instruction's target is looked up before anything runs (StartProcessInstanceAtActivitiesCmd) */
    CHECK_STR(sc_error(&s), "NotValidException: Element 'nope' does not exist in process proc:1:test: targetElement is null");
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startBeforeActivity','activityId':'a'},"
              "{'type':'startBeforeActivity','activityId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start before activity 'nope'; Element "
                            "'nope' does not exist in process 'proc:1:test': element is null");
    sc_close(&s);
}

static void test_start_after_an_unknown_activity_fails_with_camundas_message(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startAfterActivity','activityId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start after activity 'nope'; Activity "
                            "'nope' does not exist: activity is null");
    sc_close(&s);
}

static void test_start_transition_with_an_unknown_flow_fails_with_camundas_message(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startTransition','transitionId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Element 'nope' does not exist in process proc:1:test: targetElement is null");
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startBeforeActivity','activityId':'a'},"
              "{'type':'startTransition','transitionId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start transition 'nope'; Element 'nope' "
                            "does not exist in process 'proc:1:test': element is null");
    sc_close(&s);
}

static void test_start_after_an_activity_without_exactly_one_outgoing_flow_fails(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startAfterActivity','activityId':'end'}]}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Cannot start after activity end; activity has no outgoing "
                            "sequence flow to take");
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startAfterActivity','activityId':'fork'}]}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Cannot start after activity fork; activity has more than one "
                            "outgoing sequence flow");
    sc_close(&s);
}

static void test_start_before_an_async_activity_creates_a_transition_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'task','id':'t','asyncBefore':true}," M_USER("b") "," M_END,
                             "'start->a->t->b->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'t'}]"));
    CHECK_STR(sc_tree(&s), "proc(~t)");
    CHECK(sc_count(&s, "jobs", "activityId", "t") == 1);
    sc_close(&s);
}

/* start → sub { s1 → x; s1 → y } → end, with class listeners "L" on sub and x */
static const char *SUB_TWO =
    M_PROC(M_START ",{'type':'subProcess','id':'sub','listeners':[{'event':'start','class':'L'}],'elements':["
                   "{'type':'startEvent','id':'s1'},{'type':'userTask','id':'x','listeners':[{'event':'start','class':'L'}]},"
                   M_USER("y") "],'flows':['s1->x', 's1->y']}," M_END,
           "'start->sub->end'");

static void test_a_missing_parent_scope_runs_its_start_listeners_before_the_target(void) {
    sc_delegates_reset();
    sc_delegate("L", "{}");
    scenario s;
    CHECK(sc_open(&s, SUB_TWO));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'x'}]"));
    CHECK_STR(sc_calls, "L:start:sub L:start:x ");
    CHECK_STR(sc_tree(&s), "proc(sub(x))");
    sc_close(&s);
}

static void test_a_second_instruction_into_the_same_subprocess_reuses_its_instance(void) {
    sc_delegates_reset();
    sc_delegate("L", "{}");
    scenario s;
    CHECK(sc_open(&s, SUB_TWO));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'x'},"
                       "{'type':'startBeforeActivity','activityId':'y'}]"));
    CHECK_STR(sc_tree(&s), "proc(sub(x,y))");
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "sub") == 1);
    sc_close(&s);
}

static void test_an_instruction_into_one_of_two_subprocess_instances_is_ambiguous(void) {
    scenario s;
    CHECK(sc_open(&s, M_NESTED));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startBeforeActivity','activityId':'sub'},"
              "{'type':'startBeforeActivity','activityId':'sub'},{'type':'startBeforeActivity','activityId':'inner'}]}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Ancestor activity execution is ambiguous for activity Activity(sub)");
    sc_close(&s);
}

static void test_start_before_the_inner_activity_of_a_multi_instance_creates_a_body_with_one_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'3'}},"
                             M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a'}]"));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a))");
    const cJSON *tree = sc_activity_instances(&s);
    const char *body = sc_field(&s, sc_node_in(tree, "a#multiInstanceBody"), "id");
    const cJSON *vars = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}", body);
    CHECK_STR(sc_value(&s, vars, "nrOfInstances"), "Integer 1");
    CHECK_STR(sc_value(&s, vars, "nrOfActiveInstances"), "Integer 1");
    CHECK_STR(sc_value(&s, vars, "nrOfCompletedInstances"), "Integer 0");
    const cJSON *inner = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_value(&s, inner, "loopCounter"), "Integer 0");
    /* the body completes with its single instance */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_start_before_the_inner_activity_twice_adds_a_second_parallel_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'3'}},"
                             M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a'},"
                       "{'type':'startBeforeActivity','activityId':'a'}]"));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a))");
    const char *body = sc_field(&s, sc_node_in(sc_activity_instances(&s), "a#multiInstanceBody"), "id");
    const cJSON *vars = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}", body);
    CHECK_STR(sc_value(&s, vars, "nrOfInstances"), "Integer 2");
    CHECK_STR(sc_value(&s, vars, "nrOfActiveInstances"), "Integer 2");
    sc_close(&s);
}

static void test_a_second_instance_in_a_sequential_multi_instance_body_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':true,'loopCardinality':'3'}},"
                             M_END,
                             "'start->a->end'")));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startBeforeActivity','activityId':'a'},"
              "{'type':'startBeforeActivity','activityId':'a'}]}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Concurrent instantiation not possible for activities in scope "
                            "a#multiInstanceBody");
    sc_close(&s);
}

static void test_start_before_a_multi_instance_body_creates_all_its_instances(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'3'}},"
                             M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a#multiInstanceBody'}]"));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a,a))");
    sc_close(&s);
}

/* An interrupting boundary event whose activity has no instance just runs, continuing after it. */
static void test_start_before_a_boundary_event_continues_on_its_outgoing_flow(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'boundaryEvent','id':'timer','attachedTo':'a',"
                                     "'eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                             M_USER("late") "," M_END,
                             "'start->a->end', 'timer->late'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'timer'}]"));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

static void test_start_before_an_activity_with_a_boundary_timer_creates_its_job(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'boundaryEvent','id':'timer','attachedTo':'a',"
                                     "'eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                             M_USER("late") "," M_END,
                             "'start->a->end', 'timer->late'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a'}]"));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "jobs", "activityId", "timer") == 1);
    sc_close(&s);
}

static void test_start_before_a_terminate_end_event_ends_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'endEvent','id':'kill','eventDefinitions':"
                             "[{'type':'terminateEventDefinition'}]}",
                             "'start->a->kill'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a'},"
                       "{'type':'startBeforeActivity','activityId':'kill'}]"));
    CHECK(sc_ended(&s));
    CHECK(sc_events(&s, "taskDelete", NULL, NULL) == 1);
    sc_close(&s);
}

/* A token that reaches a none end event while instructions run does not end the instance before
 * the last instruction. */
static void test_an_instance_ends_only_after_its_last_start_instruction(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'end'},"
                       "{'type':'startBeforeActivity','activityId':'a'}]"));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'end'}]"));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    sc_close(&s);
}

static void test_an_unknown_instruction_type_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'cancel','activityId':'a'}]}");
    CHECK(sc_error(&s) != NULL);
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startBeforeActivity'}]}");
    CHECK_STR(sc_error_message(&s), "activityId is null");
    sc_do(&s, "{'command':'start','startInstructions':[{'type':'startTransition'}]}");
    CHECK_STR(sc_error_message(&s), "transitionId is null");
    sc_close(&s);
}

int main(void) {
    RUN(test_start_before_an_activity_inside_a_subprocess_creates_the_subprocess_without_its_start_event);
    RUN(test_start_before_two_activities_starts_two_concurrent_tokens);
    RUN(test_start_after_an_activity_takes_its_single_outgoing_flow);
    RUN(test_start_transition_takes_the_given_flow);
    RUN(test_start_instruction_variables_go_to_the_instance_unless_local);
    RUN(test_start_before_an_unknown_activity_fails_with_camundas_message);
    RUN(test_start_after_an_unknown_activity_fails_with_camundas_message);
    RUN(test_start_transition_with_an_unknown_flow_fails_with_camundas_message);
    RUN(test_start_after_an_activity_without_exactly_one_outgoing_flow_fails);
    RUN(test_start_before_an_async_activity_creates_a_transition_instance);
    RUN(test_a_missing_parent_scope_runs_its_start_listeners_before_the_target);
    RUN(test_a_second_instruction_into_the_same_subprocess_reuses_its_instance);
    RUN(test_an_instruction_into_one_of_two_subprocess_instances_is_ambiguous);
    RUN(test_start_before_the_inner_activity_of_a_multi_instance_creates_a_body_with_one_instance);
    RUN(test_start_before_the_inner_activity_twice_adds_a_second_parallel_instance);
    RUN(test_a_second_instance_in_a_sequential_multi_instance_body_is_refused);
    RUN(test_start_before_a_multi_instance_body_creates_all_its_instances);
    RUN(test_start_before_a_boundary_event_continues_on_its_outgoing_flow);
    RUN(test_start_before_an_activity_with_a_boundary_timer_creates_its_job);
    RUN(test_start_before_a_terminate_end_event_ends_the_instance);
    RUN(test_an_instance_ends_only_after_its_last_start_instruction);
    RUN(test_an_unknown_instruction_type_is_refused);
    detour_set_host_invoke(NULL);
    return CHECK_SUMMARY();
}
