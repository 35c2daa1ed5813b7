/*
 * test_modify_events.c — the `modify` command (semantics.md §1.4.4, 1.4.6, 1.5.2, 1.6–1.8) on
 * multi-instance bodies, boundary events, event subprocesses and async continuations: what is
 * created and removed with the scopes a modification starts and cancels.
 */
#include "check.h"
#include "scenario.h"

static const cJSON *modify(scenario *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *instructions = sc_vprintf(fmt, ap);
    va_end(ap);
    const cJSON *out = sc_do(s, "{'command':'modify','instructions':[%s]}", instructions);
    free(instructions);
    return out;
}

/* A local variable of the n-th inner instance of a#multiInstanceBody (n < 0: of the body). */
static const char *mi_var(scenario *s, int n, const char *name) {
    const cJSON *body = sc_node_in(sc_activity_instances(s), "a#multiInstanceBody");
    const cJSON *node = n < 0 ? body : cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(body, "childActivityInstances"), n);
    const char *id = sc_field(s, node, "id");
    if (!id) return "(no instance)";
    return sc_value(s, sc_query(s, "{'command':'variables','activityInstanceId':'%s','local':true}", id), name);
}

/* ---------------------------------------------------------------------------------------------- */
/* multi-instance                                                                                 */
/* ---------------------------------------------------------------------------------------------- */

/* start → a (multi-instance, %s) → next → end */
static bool open_mi(scenario *s, const char *loop) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':"
                            "{'type':'multiInstanceLoopCharacteristics',%s}}," M_USER("next") "," M_END,
                    "'start->a->next->end'"),
             loop);
    return sc_open(s, buf);
}

#define PARALLEL_3 "'isSequential':false,'loopCardinality':'3'"
#define SEQUENTIAL_3 "'isSequential':true,'loopCardinality':'3'"

static void test_start_before_the_body_creates_a_whole_new_body(void) {
    scenario s;
    CHECK(open_mi(&s, PARALLEL_3));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'a#multiInstanceBody'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a,a),a#multiInstanceBody(a,a,a))");
    sc_close(&s);
}

static void test_start_before_the_inner_activity_without_a_body_creates_a_body_with_one_instance(void) {
    scenario s;
    CHECK(open_mi(&s, PARALLEL_3));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'next'}]"));
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a),next)");
    CHECK_STR(mi_var(&s, -1, "nrOfInstances"), "Integer 1");
    CHECK_STR(mi_var(&s, -1, "nrOfActiveInstances"), "Integer 1");
    CHECK_STR(mi_var(&s, -1, "nrOfCompletedInstances"), "Integer 0");
    CHECK_STR(mi_var(&s, 0, "loopCounter"), "Integer 0");
    /* completing it completes the body, which goes on to next */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next,next)");
    sc_close(&s);
}

static void test_start_before_the_inner_activity_adds_an_instance_to_a_parallel_body(void) {
    scenario s;
    CHECK(open_mi(&s, PARALLEL_3));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a,a,a))");
    CHECK_STR(mi_var(&s, -1, "nrOfInstances"), "Integer 4");
    CHECK_STR(mi_var(&s, -1, "nrOfActiveInstances"), "Integer 4");
    CHECK_STR(mi_var(&s, 3, "loopCounter"), "Integer 3");
    /* with the body as ancestor too */
    modify(&s, "{'type':'startBeforeActivity','activityId':'a','ancestorActivityInstanceId':'%s'}",
           sc_instance_of(&s, "a#multiInstanceBody"));
    CHECK(sc_ok(&s));
    CHECK_STR(mi_var(&s, -1, "nrOfInstances"), "Integer 5");
    sc_close(&s);
}

static void test_a_sequential_body_refuses_a_concurrent_inner_instance(void) {
    scenario s;
    CHECK(open_mi(&s, SEQUENTIAL_3));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: Concurrent instantiation not possible for activities in scope "
                            "a#multiInstanceBody");
    sc_close(&s);
}

static void test_cancelling_one_inner_instance_of_a_parallel_body_lowers_the_active_count(void) {
    scenario s;
    CHECK(open_mi(&s, PARALLEL_3));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityInstanceId':'%s'}", sc_instance_of(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a))");
    CHECK_STR(mi_var(&s, -1, "nrOfInstances"), "Integer 3");
    CHECK_STR(mi_var(&s, -1, "nrOfActiveInstances"), "Integer 2");
    /* the body completes when the remaining instances do */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    sc_close(&s);
}

static void test_cancelling_the_body_or_all_inner_instances_removes_the_body(void) {
    scenario s;
    CHECK(open_mi(&s, PARALLEL_3));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'next'},{'type':'cancel','activityId':'a#multiInstanceBody'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(next)");
    CHECK(sc_events(&s, "activityInstanceEnd", "activityId", "a") == 3);
    CHECK(sc_events(&s, "activityInstanceEnd", "activityId", "a#multiInstanceBody") == 1);
    sc_close(&s);

    CHECK(open_mi(&s, SEQUENTIAL_3));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'cancel','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    CHECK(sc_events(&s, "activityInstanceEnd", "activityId", "a#multiInstanceBody") == 1);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* boundary events                                                                                */
/* ---------------------------------------------------------------------------------------------- */

/* start → a → end; a has a timer boundary (PT1H, cancelActivity %s) → late → end2 */
static bool open_boundary(scenario *s, const char *cancel) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START "," M_USER("a") ",{'type':'boundaryEvent','id':'timer','attachedTo':'a','cancelActivity':%s,"
                                            "'eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                    M_USER("late") "," M_END ",{'type':'endEvent','id':'end2'}",
                    "'start->a->end', 'timer->late->end2'"),
             cancel);
    return sc_open(s, buf);
}

static void test_starting_an_activity_creates_its_boundary_timer_and_cancelling_it_removes_it(void) {
    scenario s;
    CHECK(open_boundary(&s, "true"));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'late'}]"));
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    modify(&s, "{'type':'startBeforeActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,late)");
    CHECK(sc_count(&s, "jobs", "activityId", "timer") == 1);
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "timer", 0), "dueDate") == (double)(s.now + 3600000));
    modify(&s, "{'type':'cancel','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK(sc_events(&s, "activityInstanceEnd", "activityId", "a") == 1);
    /* the tree left behind is sound: the instance runs on to its end */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "late"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    sc_close(&s);
}

static void test_start_before_an_interrupting_boundary_event_cancels_its_activity(void) {
    scenario s;
    CHECK(open_boundary(&s, "true"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'timer'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", "activityId", "a", 0),
                                                        "canceled")));
    sc_close(&s);
}

static void test_start_before_a_non_interrupting_boundary_event_keeps_its_activity(void) {
    scenario s;
    CHECK(open_boundary(&s, "false"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'timer'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,late)");
    CHECK(sc_count(&s, "jobs", "activityId", "timer") == 1);
    /* the task after an interrupting boundary event starts concurrently too */
    sc_close(&s);
    CHECK(open_boundary(&s, "true"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'late'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,late)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* event subprocesses                                                                             */
/* ---------------------------------------------------------------------------------------------- */

/* start → a → end, plus an event subprocess esp { trigger (message, interrupting %s) → handle → espEnd } */
static bool open_esp(scenario *s, const char *interrupting) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START "," M_USER("a") "," M_END ","
                    "{'type':'subProcess','id':'esp','triggeredByEvent':true,'elements':["
                    "{'type':'startEvent','id':'trigger','isInterrupting':%s,'eventDefinitions':["
                    "{'type':'messageEventDefinition','messageRef':'m','messageName':'cancel'}]},"
                    M_USER("handle") ",{'type':'endEvent','id':'espEnd'}],'flows':['trigger->handle->espEnd']}",
                    "'start->a->end'"),
             interrupting);
    return sc_open(s, buf);
}

static void test_start_before_a_task_inside_an_event_subprocess_interrupts_nothing(void) {
    scenario s;
    CHECK(open_esp(&s, "true"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'handle'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle))");
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "trigger") == 0);
    sc_close(&s);
}

static void test_start_before_an_interrupting_event_subprocess_start_cancels_the_scope_first(void) {
    scenario s;
    CHECK(open_esp(&s, "true"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'trigger'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(esp(handle))");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    sc_close(&s);

    CHECK(open_esp(&s, "true"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'esp'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(esp(handle))");
    sc_close(&s);
}

static void test_start_before_a_non_interrupting_event_subprocess_start_keeps_the_scope(void) {
    scenario s;
    CHECK(open_esp(&s, "false"));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'trigger'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle))");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 1);
    sc_close(&s);
}

static void test_instance_subscriptions_survive_an_intermediate_cancellation(void) {
    scenario s;
    CHECK(open_esp(&s, "true"));
    CHECK(sc_start(&s, NULL));
    const char *before = sc_field(&s, sc_entry(&s, "subscriptions", NULL, NULL, 0), "id");
    modify(&s, "{'type':'cancel','activityId':'a'},{'type':'startBeforeActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK_STR(sc_field(&s, sc_entry(&s, "subscriptions", NULL, NULL, 0), "id"), before);
    sc_close(&s);
}

static void test_event_subprocess_subscriptions_come_and_go_with_their_scope(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','elements':[{'type':'startEvent','id':'s1'},"
                                     M_USER("x") ",{'type':'endEvent','id':'e1'},"
                                     "{'type':'subProcess','id':'esp','triggeredByEvent':true,'elements':["
                                     "{'type':'startEvent','id':'trigger','eventDefinitions':["
                                     "{'type':'messageEventDefinition','messageRef':'m','messageName':'stop'}]},"
                                     "{'type':'endEvent','id':'espEnd'}],'flows':['trigger->espEnd']}],"
                                     "'flows':['s1->x->e1']}," M_USER("after") "," M_END,
                             "'start->sub->after->end'")));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'after'}]"));
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    modify(&s, "{'type':'startBeforeActivity','activityId':'x'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after,sub(x))");
    CHECK(sc_count(&s, "subscriptions", "eventName", "stop") == 1);
    modify(&s, "{'type':'cancel','activityId':'x'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after)");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* async continuations                                                                            */
/* ---------------------------------------------------------------------------------------------- */

/* start → a → b (asyncBefore) → end */
#define M_ASYNC_B                                                                                        \
    M_PROC(M_START "," M_USER("a") ",{'type':'userTask','id':'b','asyncBefore':true}," M_END,        \
           "'start->a->b->end'")

static void test_start_before_an_async_activity_yields_a_transition_instance_and_a_job(void) {
    scenario s;
    CHECK(sc_open(&s, M_ASYNC_B));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'b'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,~b)");
    CHECK(sc_count(&s, "jobs", "activityId", "b") == 1);
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "b") == 0);
    /* startAfter a: the async target is honoured as well */
    modify(&s, "{'type':'startAfterActivity','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,~b,~b)");
    sc_close(&s);
}

static void test_cancelling_a_transition_instance_removes_its_job(void) {
    scenario s;
    CHECK(sc_open(&s, M_ASYNC_B));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'b'}");
    const char *ti = sc_instance_of(&s, "b"); /* a transition instance's id */
    CHECK(ti != NULL);
    /* a transition instance is no activity instance */
    modify(&s, "{'type':'cancel','activityInstanceId':'%s'}", ti);
    CHECK_STR(sc_error_type(&s), "NotValidException");
    modify(&s, "{'type':'cancel','transitionInstanceId':'%s'}", ti);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK_STR(sc_history(&s), ""); /* b never started */
    /* twice fails */
    modify(&s, "{'type':'cancel','transitionInstanceId':'%s'}", ti);
    char expected[512];
    snprintf(expected, sizeof expected,
             "NotValidException: Cannot perform instruction: Cancel transition instance '%s'; Transition instance '%s' "
             "does not exist: transitionInstance is null",
             ti, ti);
    CHECK_STR(sc_error(&s), expected);
    sc_close(&s);
}

static void test_cancel_all_includes_transition_instances(void) {
    scenario s;
    CHECK(sc_open(&s, M_ASYNC_B));
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'b'}]"));
    CHECK_STR(sc_tree(&s), "proc(~b)");
    modify(&s, "{'type':'cancel','activityId':'b'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* end events                                                                                     */
/* ---------------------------------------------------------------------------------------------- */

static void test_start_before_a_terminate_end_event_ends_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_USER("b") ",{'type':'endEvent','id':'kill',"
                                     "'eventDefinitions':[{'type':'terminateEventDefinition'}]}",
                             "'start->a->b->kill'")));
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'kill'}");
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", "activityId", "a", 0),
                                                        "canceled")));
    /* instructions after the instance ended cannot run */
    CHECK(sc_start(&s, NULL));
    modify(&s, "{'type':'startBeforeActivity','activityId':'kill'},{'type':'startBeforeActivity','activityId':'b'}");
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    CHECK(strstr(sc_error_message(&s), "ENGINE-13036") != NULL);
    sc_close(&s);
}

static void test_a_suspended_instance_can_still_be_cancelled(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    modify(&s, "{'type':'cancel','activityId':'a'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    sc_close(&s);
}

int main(void) {
    RUN(test_start_before_the_body_creates_a_whole_new_body);
    RUN(test_start_before_the_inner_activity_without_a_body_creates_a_body_with_one_instance);
    RUN(test_start_before_the_inner_activity_adds_an_instance_to_a_parallel_body);
    RUN(test_a_sequential_body_refuses_a_concurrent_inner_instance);
    RUN(test_cancelling_one_inner_instance_of_a_parallel_body_lowers_the_active_count);
    RUN(test_cancelling_the_body_or_all_inner_instances_removes_the_body);
    RUN(test_starting_an_activity_creates_its_boundary_timer_and_cancelling_it_removes_it);
    RUN(test_start_before_an_interrupting_boundary_event_cancels_its_activity);
    RUN(test_start_before_a_non_interrupting_boundary_event_keeps_its_activity);
    RUN(test_start_before_a_task_inside_an_event_subprocess_interrupts_nothing);
    RUN(test_start_before_an_interrupting_event_subprocess_start_cancels_the_scope_first);
    RUN(test_start_before_a_non_interrupting_event_subprocess_start_keeps_the_scope);
    RUN(test_instance_subscriptions_survive_an_intermediate_cancellation);
    RUN(test_event_subprocess_subscriptions_come_and_go_with_their_scope);
    RUN(test_start_before_an_async_activity_yields_a_transition_instance_and_a_job);
    RUN(test_cancelling_a_transition_instance_removes_its_job);
    RUN(test_cancel_all_includes_transition_instances);
    RUN(test_start_before_a_terminate_end_event_ends_the_instance);
    RUN(test_a_suspended_instance_can_still_be_cancelled);
    return CHECK_SUMMARY();
}
