/*
 * test_exec_events.c — events through the public ABI: intermediate timer and message catch events,
 * timers (date, duration, repeating cycle) fired with executeJob or fireDueTimers, message
 * correlation, boundary events (timer, message, error; interrupting and not), event subprocesses
 * (message, timer, error start; interrupting and not) and how boundary events and event
 * subprocesses of one scope play together.
 */
#include "check.h"
#include "scenario.h"

#define MINUTE INT64_C(60000)
#define HOUR INT64_C(3600000)

/* ---------------------------------------------------------------------------------------------- */
/* intermediate catch events and timers                                                           */
/* ---------------------------------------------------------------------------------------------- */

/* start → wait (timer, PT5M) → a → end */
static const char *TIMER_CATCH =
    M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                   "[{'type':'timerEventDefinition','timeDuration':'PT5M'}]}," M_USER("a") "," M_END,
           "'start->wait->a->end'");

static void test_an_intermediate_timer_with_a_duration_creates_a_job_due_after_it(void) {
    scenario s;
    CHECK(sc_open(&s, TIMER_CATCH));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(wait)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "wait", 0), "activityType"),
              "intermediateTimer");
    const cJSON *job = sc_entry(&s, "jobs", "activityId", "wait", 0);
    CHECK(job != NULL);
    CHECK(sc_num(job, "dueDate") == (double)(SC_T0 + 5 * MINUTE));
    CHECK_STR(sc_str(job, "jobType"), "timer");
    CHECK_STR(sc_str(job, "handlerType"), "timer-intermediate-transition");
    CHECK(sc_num(job, "retries") == 3);
    CHECK_STR(sc_str(job, "executionId"), sc_instance_id(&s));
    sc_close(&s);
}

static void test_fire_due_timers_waits_for_the_due_date_and_then_continues(void) {
    scenario s;
    CHECK(sc_open(&s, TIMER_CATCH));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "wait");
    s.now = SC_T0 + 5 * MINUTE - 1;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 0);
    CHECK_STR(sc_tree(&s), "proc(wait)");
    s.now = SC_T0 + 5 * MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    const cJSON *fired = cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired");
    CHECK(cJSON_GetArraySize(fired) == 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(fired, 0)), job);
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "wait", 0) != NULL);
    sc_close(&s);
}

static void test_executing_a_timer_job_fires_it_before_its_due_date(void) {
    scenario s;
    CHECK(sc_open(&s, TIMER_CATCH));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "wait"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_executing_an_unknown_job_fails_with_not_found(void) {
    scenario s;
    CHECK(sc_open(&s, TIMER_CATCH));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'executeJob','jobId':'nope'}");
    CHECK_STR(sc_error_type(&s), "NotFoundException");
    CHECK_STR(sc_tree(&s), "proc(wait)");
    sc_close(&s);
}

static void test_an_intermediate_timer_with_a_date_is_due_at_that_date(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                                     "[{'type':'timerEventDefinition','timeDate':'2026-03-01T10:00:00Z'}]}," M_USER("a"),
                             "'start->wait->a'")));
    CHECK(sc_start(&s, NULL));
    /* 2026-03-01T10:00:00Z = T0 + 59 days + 10 hours */
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "wait", 0), "dueDate") == (double)(SC_T0 + 59 * 24 * HOUR + 10 * HOUR));
    sc_close(&s);
}

static void test_a_timer_definition_may_come_from_an_expression(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                                     "[{'type':'timerEventDefinition','timeDuration':'${delay}'}]}," M_USER("a"),
                             "'start->wait->a'")));
    CHECK(sc_start(&s, "'variables':{'delay':{'value':'PT2H','type':'String'}}"));
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "wait", 0), "dueDate") == (double)(SC_T0 + 2 * HOUR));
    sc_close(&s);
}

static void test_a_malformed_timer_definition_fails_the_command(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                                     "[{'type':'timerEventDefinition','timeDuration':'${delay}'}]}," M_USER("a"),
                             "'start->wait->a'")));
    sc_do(&s, "{'command':'start','variables':{'delay':{'value':'soon','type':'String'}}}");
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    sc_close(&s);
}

static void test_an_intermediate_message_catch_event_waits_for_its_message(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                                     "[{'type':'messageEventDefinition','messageRef':'m','messageName':'go'}]},"
                             M_USER("a") "," M_END,
                             "'start->wait->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(wait)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "wait", 0), "activityType"),
              "intermediateMessageCatch");
    const cJSON *sub = sc_entry(&s, "subscriptions", "activityId", "wait", 0);
    CHECK_STR(sc_str(sub, "eventName"), "go");
    CHECK_STR(sc_str(sub, "executionId"), sc_instance_id(&s));
    sc_do(&s, "{'command':'correlateMessage','messageName':'go'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* message correlation                                                                            */
/* ---------------------------------------------------------------------------------------------- */

/* start → fork → w1, w2 (both receive tasks for "go") */
static const char *TWO_RECEIVERS =
    M_PROC(M_START ",{'type':'parallelGateway','id':'fork'},"
                   "{'type':'receiveTask','id':'w1','messageRef':'m','messageName':'go'},"
                   "{'type':'receiveTask','id':'w2','messageRef':'m','messageName':'go'}," M_USER("a1") "," M_USER("a2"),
           "'start->fork->w1->a1', 'fork->w2->a2'");

static void test_correlating_a_message_nobody_waits_for_fails_with_camundas_message(void) {
    scenario s;
    CHECK(sc_open(&s, TIMER_CATCH));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'nobody'}");
    CHECK_STR(sc_error(&s), "MismatchingMessageCorrelationException: Cannot correlate message 'nobody': No process "
                            "definition or execution matches the parameters");
    sc_do(&s, "{'command':'correlateMessage'}");
    CHECK(sc_error(&s) != NULL);
    sc_close(&s);
}

static void test_correlating_with_all_triggers_every_waiting_execution(void) {
    scenario s;
    CHECK(sc_open(&s, TWO_RECEIVERS));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(w1,w2)");
    sc_do(&s, "{'command':'correlateMessage','messageName':'go','all':true}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "executionIds")) == 2);
    CHECK_STR(sc_tree(&s), "proc(a1,a2)");
    sc_close(&s);
}

/* Camunda's correlate (not correlateAll) refuses a message that matches several executions. */
static void test_correlating_one_message_that_matches_two_executions_fails(void) {
    scenario s;
    CHECK(sc_open(&s, TWO_RECEIVERS));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'go'}");
    CHECK_STR(sc_error_type(&s), "MismatchingMessageCorrelationException");
    const char *message = sc_error_message(&s);
    CHECK(message && strncmp(message, "ENGINE-13031 Cannot correlate a message with name 'go' to a single execution. "
                                      "2 executions match the correlation keys: ",
                             strlen("ENGINE-13031 Cannot correlate a message with name 'go' to a single execution. "
                                    "2 executions match the correlation keys: ")) == 0);
    CHECK_STR(sc_tree(&s), "proc(w1,w2)");
    sc_close(&s);
}

static void test_correlation_local_variables_land_on_the_waiting_execution(void) {
    scenario s;
    CHECK(sc_open(&s, TWO_RECEIVERS));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'go','all':true,"
              "'processVariables':{'g':{'value':1,'type':'Integer'}},"
              "'processVariablesLocal':{'l':{'value':2,'type':'Integer'}}}");
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_value(&s, root, "g"), "Integer 1");
    CHECK_STR(sc_value(&s, root, "l"), "(absent)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* boundary events                                                                                */
/* ---------------------------------------------------------------------------------------------- */

/* start → a → end; a has a timer boundary (PT1H) → late; cancelActivity is the parameter */
static char *timer_boundary_model(const char *cancel, const char *timer) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START "," M_USER("a") ",{'type':'boundaryEvent','id':'timer','attachedTo':'a','cancelActivity':%s,"
                                            "'eventDefinitions':[{'type':'timerEventDefinition',%s}]},"
                    M_USER("late") "," M_END ",{'type':'endEvent','id':'end2'}",
                    "'start->a->end', 'timer->late->end2'"),
             cancel, timer);
    return sc_dup(buf);
}

static void test_an_interrupting_timer_boundary_event_cancels_its_activity_when_it_fires(void) {
    scenario s;
    char *model = timer_boundary_model("true", "'timeDuration':'PT1H'");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    const cJSON *job = sc_entry(&s, "jobs", "activityId", "timer", 0);
    CHECK(sc_num(job, "dueDate") == (double)(SC_T0 + HOUR));
    CHECK_STR(sc_str(job, "handlerType"), "timer-transition");
    s.now = SC_T0 + HOUR;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_events(&s, "taskDelete", "taskDefinitionKey", "a") == 1);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", "activityId", "a", 0),
                                                        "canceled")));
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "timer", 0), "activityType"), "boundaryTimer");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

static void test_a_non_interrupting_timer_boundary_event_keeps_its_activity(void) {
    scenario s;
    char *model = timer_boundary_model("false", "'timeDuration':'PT1H'");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "timer"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,late)");
    CHECK(sc_events(&s, "taskDelete", NULL, NULL) == 0);
    /* a duration fires once */
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    sc_close(&s);
}

static void test_a_repeating_cycle_on_a_non_interrupting_boundary_fires_as_often_as_it_says(void) {
    scenario s;
    char *model = timer_boundary_model("false", "'timeCycle':'R2/PT1M'");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "timer", 0), "dueDate") == (double)(SC_T0 + MINUTE));
    s.now = SC_T0 + MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 1);
    CHECK_STR(sc_tree(&s), "proc(a,late)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 1);
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "timer", 0), "dueDate") == (double)(SC_T0 + 2 * MINUTE));
    s.now = SC_T0 + 2 * MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,late,late)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    s.now = SC_T0 + 10 * MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,late,late)");
    sc_close(&s);
}

static void test_completing_an_activity_removes_its_boundary_timer(void) {
    scenario s;
    char *model = timer_boundary_model("true", "'timeDuration':'PT1H'");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 1);
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

/* start → a → end; a has a message boundary "cancel" → stopped */
static char *message_boundary_model(const char *cancel) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START "," M_USER("a") ",{'type':'boundaryEvent','id':'msg','attachedTo':'a','cancelActivity':%s,"
                                            "'eventDefinitions':[{'type':'messageEventDefinition','messageRef':'m',"
                                            "'messageName':'cancel'}]},"
                    M_USER("stopped") "," M_END ",{'type':'endEvent','id':'end2'}",
                    "'start->a->end', 'msg->stopped->end2'"),
             cancel);
    return sc_dup(buf);
}

static void test_an_interrupting_message_boundary_event_cancels_its_activity(void) {
    scenario s;
    char *model = message_boundary_model("true");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_str(sc_entry(&s, "subscriptions", NULL, NULL, 0), "activityId"), "msg");
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(stopped)");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "msg", 0), "activityType"), "boundaryMessage");
    sc_close(&s);
}

static void test_a_non_interrupting_message_boundary_event_can_fire_again_while_its_activity_runs(void) {
    scenario s;
    char *model = message_boundary_model("false");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,stopped)");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 1);
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,stopped,stopped)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    sc_close(&s);
}

/* A boundary timer on a subprocess cancels everything inside it. */
static void test_an_interrupting_boundary_timer_on_a_subprocess_cancels_its_content(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'},{'type':'parallelGateway','id':'fork'},"
                                          M_USER("x") "," M_USER("y"),
                                   "'s1->fork->x', 'fork->y'")
                             ",{'type':'boundaryEvent','id':'timer','attachedTo':'sub',"
                             "'eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                             M_USER("late") "," M_END,
                             "'start->sub->end', 'timer->late'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(x,y))");
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "timer"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_events(&s, "taskDelete", NULL, NULL) == 2);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", "activityId", "sub", 0),
                                                        "canceled")));
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* event subprocesses                                                                             */
/* ---------------------------------------------------------------------------------------------- */

/* start → a → end, plus an event subprocess esp { trigger (start event, %s) → handle → espEnd } */
static char *event_subprocess_model(const char *interrupting, const char *definition) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             M_PROC(M_START "," M_USER("a") "," M_END ","
                    "{'type':'subProcess','id':'esp','triggeredByEvent':true,'elements':["
                    "{'type':'startEvent','id':'trigger','isInterrupting':%s,'eventDefinitions':[%s]},"
                    M_USER("handle") ",{'type':'endEvent','id':'espEnd'}],'flows':['trigger->handle->espEnd']}",
                    "'start->a->end'"),
             interrupting, definition);
    return sc_dup(buf);
}

#define MESSAGE_CANCEL "{'type':'messageEventDefinition','messageRef':'m','messageName':'cancel'}"

static void test_an_interrupting_message_event_subprocess_cancels_the_scopes_tokens(void) {
    scenario s;
    char *model = event_subprocess_model("true", MESSAGE_CANCEL);
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    const cJSON *sub = sc_entry(&s, "subscriptions", NULL, NULL, 0);
    CHECK_STR(sc_str(sub, "activityId"), "trigger");
    CHECK_STR(sc_str(sub, "executionId"), sc_instance_id(&s));
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(esp(handle))");
    CHECK(sc_events(&s, "taskDelete", "taskDefinitionKey", "a") == 1);
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "trigger", 0), "activityType"),
              "messageStartEvent");
    /* the event subprocess ends: its scope, here the process, completes */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "handle"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK_STR(sc_end_state(&s), "COMPLETED");
    sc_close(&s);
}

static void test_a_non_interrupting_message_event_subprocess_runs_beside_the_scopes_tokens(void) {
    scenario s;
    char *model = event_subprocess_model("false", MESSAGE_CANCEL);
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle))");
    /* the subscription stays for the next message */
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 1);
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle),esp(handle))");
    /* the process ends only when both the main path and the event subprocesses are done */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(esp(handle),esp(handle))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "handle"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "handle"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_an_interrupting_timer_event_subprocess_fires_at_its_due_date(void) {
    scenario s;
    char *model = event_subprocess_model("true", "{'type':'timerEventDefinition','timeDuration':'PT10M'}");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    const cJSON *job = sc_entry(&s, "jobs", "activityId", "trigger", 0);
    CHECK(sc_num(job, "dueDate") == (double)(SC_T0 + 10 * MINUTE));
    CHECK_STR(sc_str(job, "handlerType"), "timer-start-event-subprocess");
    s.now = SC_T0 + 10 * MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(esp(handle))");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "trigger", 0), "activityType"),
              "startTimerEvent");
    sc_close(&s);
}

static void test_a_non_interrupting_timer_event_subprocess_runs_beside_the_scopes_tokens(void) {
    scenario s;
    char *model = event_subprocess_model("false", "{'type':'timerEventDefinition','timeDuration':'PT10M'}");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "trigger"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle))");
    sc_close(&s);
}

/* sub { s1 → a → boom (error end E1); esp (error start E1) → fix } → after */
static void test_an_error_event_subprocess_inside_a_subprocess_catches_an_error_thrown_there(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ","
                             M_SUB("sub", "{'type':'startEvent','id':'s1'}," M_USER("a") ","
                                          "{'type':'endEvent','id':'boom','eventDefinitions':[{'type':'errorEventDefinition',"
                                          "'errorRef':'e1','errorCode':'E1'}]},"
                                          "{'type':'subProcess','id':'esp','triggeredByEvent':true,'elements':["
                                          "{'type':'startEvent','id':'onError','eventDefinitions':[{'type':"
                                          "'errorEventDefinition','errorRef':'e1','errorCode':'E1'}]}," M_USER("fix")
                                          ",{'type':'endEvent','id':'espEnd'}],'flows':['onError->fix->espEnd']}",
                                   "'s1->a->boom'")
                             "," M_USER("after") "," M_END,
                             "'start->sub->after->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub(esp(fix)))");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "onError", 0), "activityType"),
              "errorStartEvent");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "fix"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(after)");
    sc_close(&s);
}

static void test_a_timer_date_may_be_a_date_variable(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                                     "[{'type':'timerEventDefinition','timeDate':'${when}'}]}," M_USER("a"),
                             "'start->wait->a'")));
    CHECK(sc_start(&s, "'variables':{'when':{'value':'2026-01-02T00:00:00.000+0000','type':'Date'}}"));
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "wait", 0), "dueDate") == (double)(SC_T0 + 24 * HOUR));
    sc_close(&s);
}

/* Two boundary events on one activity: when the interrupting one fires, the other goes too. */
static void test_an_interrupting_boundary_event_removes_the_other_boundary_triggers_of_its_activity(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ","
                             "{'type':'boundaryEvent','id':'timer','attachedTo':'a','eventDefinitions':"
                             "[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                             "{'type':'boundaryEvent','id':'msg','attachedTo':'a','eventDefinitions':"
                             "[{'type':'messageEventDefinition','messageRef':'m','messageName':'stop'}]},"
                             M_USER("late") "," M_USER("stopped") "," M_END,
                             "'start->a->end', 'timer->late', 'msg->stopped'")));
    CHECK(sc_start(&s, NULL));
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 1);
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 1);
    sc_do(&s, "{'command':'correlateMessage','messageName':'stop'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(stopped)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    sc_close(&s);
}

/* An interrupting event subprocess replaces its scope's content, the other event subprocesses'
 * triggers included. */
static void test_an_interrupting_event_subprocess_removes_the_other_event_subprocess_triggers(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_END ","
                             "{'type':'subProcess','id':'onTimer','triggeredByEvent':true,'elements':["
                             "{'type':'startEvent','id':'timerStart','eventDefinitions':[{'type':'timerEventDefinition',"
                             "'timeDuration':'PT1H'}]}," M_USER("late") "],'flows':['timerStart->late']},"
                             "{'type':'subProcess','id':'onMsg','triggeredByEvent':true,'elements':["
                             "{'type':'startEvent','id':'msgStart','eventDefinitions':[" MESSAGE_CANCEL "]},"
                             M_USER("cancelled") "],'flows':['msgStart->cancelled']}",
                             "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 1);
    sc_do(&s, "{'command':'correlateMessage','messageName':'cancel'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(onMsg(cancelled))");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    sc_close(&s);
}

static void test_a_repeating_cycle_on_a_non_interrupting_timer_event_subprocess_fires_each_time(void) {
    scenario s;
    char *model = event_subprocess_model("false", "{'type':'timerEventDefinition','timeCycle':'R2/PT1M'}");
    CHECK(sc_open(&s, model));
    free(model);
    CHECK(sc_start(&s, NULL));
    s.now = SC_T0 + MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle))");
    CHECK(sc_num(sc_entry(&s, "jobs", "activityId", "trigger", 0), "dueDate") == (double)(SC_T0 + 2 * MINUTE));
    s.now = SC_T0 + 2 * MINUTE;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,esp(handle),esp(handle))");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

/* An error thrown inside an error event subprocess is not caught by that same event subprocess:
 * it goes on to the enclosing scopes (here none catches it: the path ends). */
static void test_an_error_thrown_inside_an_error_event_subprocess_is_not_caught_by_it_again(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ",{'type':'endEvent','id':'boom','eventDefinitions':"
                             "[{'type':'errorEventDefinition','errorRef':'e','errorCode':'E'}]},"
                             "{'type':'subProcess','id':'esp','triggeredByEvent':true,'elements':["
                             "{'type':'startEvent','id':'onError','eventDefinitions':[{'type':'errorEventDefinition',"
                             "'errorRef':'e','errorCode':'E'}]}," M_USER("fix") ","
                             "{'type':'endEvent','id':'again','eventDefinitions':[{'type':'errorEventDefinition',"
                             "'errorRef':'e','errorCode':'E'}]}],'flows':['onError->fix->again']}",
                             "'start->a->boom'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(esp(fix))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "fix"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK(sc_events(&s, "activityInstanceStart", "activityId", "onError") == 0);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* boundary events and event subprocesses together                                                */
/* ---------------------------------------------------------------------------------------------- */

/* start → sub { s1 → work; esp (non-interrupting message "ping") → answer } → end;
 * sub has an interrupting timer boundary (PT1H) → late */
static const char *GUARDED_SUB =
    M_PROC(M_START ","
           M_SUB("sub", "{'type':'startEvent','id':'s1'}," M_USER("work") ",{'type':'endEvent','id':'subEnd'},"
                        "{'type':'subProcess','id':'esp','triggeredByEvent':true,'elements':["
                        "{'type':'startEvent','id':'ping','isInterrupting':false,'eventDefinitions':[{'type':"
                        "'messageEventDefinition','messageRef':'m','messageName':'ping'}]}," M_USER("answer")
                        ",{'type':'endEvent','id':'espEnd'}],'flows':['ping->answer->espEnd']}",
                 "'s1->work->subEnd'")
           ",{'type':'boundaryEvent','id':'timer','attachedTo':'sub',"
           "'eventDefinitions':[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
           M_USER("late") "," M_END,
           "'start->sub->end', 'timer->late'");

static void test_a_subprocess_has_both_its_boundary_timer_and_its_event_subprocess_subscription(void) {
    scenario s;
    CHECK(sc_open(&s, GUARDED_SUB));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(work))");
    CHECK(sc_count(&s, "jobs", "activityId", "timer") == 1);
    CHECK(sc_count(&s, "subscriptions", "activityId", "ping") == 1);
    /* both belong to the subprocess's scope execution, not to the process instance */
    const char *job_exec = sc_str(sc_entry(&s, "jobs", "activityId", "timer", 0), "executionId");
    CHECK(job_exec && strcmp(job_exec, sc_instance_id(&s)) != 0);
    sc_close(&s);
}

static void test_a_message_starts_the_inner_event_subprocess_beside_the_subprocess_work(void) {
    scenario s;
    CHECK(sc_open(&s, GUARDED_SUB));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'ping'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub(esp(answer),work))");
    CHECK(sc_count(&s, "jobs", "activityId", "timer") == 1);
    CHECK(sc_count(&s, "subscriptions", "activityId", "ping") == 1);
    sc_close(&s);
}

static void test_the_boundary_timer_of_a_subprocess_cancels_its_running_event_subprocess_too(void) {
    scenario s;
    CHECK(sc_open(&s, GUARDED_SUB));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'ping'}");
    CHECK(sc_ok(&s));
    s.now = SC_T0 + HOUR;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(late)");
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK(sc_events(&s, "taskDelete", NULL, NULL) == 2);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "activityInstanceEnd", "activityId", "esp", 0),
                                                        "canceled")));
    sc_close(&s);
}

static void test_a_subprocess_that_completes_drops_its_event_subprocess_subscription_and_timer(void) {
    scenario s;
    CHECK(sc_open(&s, GUARDED_SUB));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "work"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK(sc_count(&s, "subscriptions", NULL, NULL) == 0);
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

/* While a non-interrupting event subprocess still runs, its scope does not complete. */
static void test_a_subprocess_waits_for_its_running_event_subprocess_before_completing(void) {
    scenario s;
    CHECK(sc_open(&s, GUARDED_SUB));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'correlateMessage','messageName':'ping'}");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "work"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub(esp(answer)))");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "answer"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

/* Two interrupting timers on one activity are both due: the first to fire cancels the activity and
 * with it the second timer, which then does not fire. */
static void test_fire_due_timers_skips_a_timer_that_an_earlier_firing_removed(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") ","
                             "{'type':'boundaryEvent','id':'t1','attachedTo':'a','eventDefinitions':"
                             "[{'type':'timerEventDefinition','timeDuration':'PT1H'}]},"
                             "{'type':'boundaryEvent','id':'t2','attachedTo':'a','eventDefinitions':"
                             "[{'type':'timerEventDefinition','timeDuration':'PT2H'}]},"
                             M_USER("late1") "," M_USER("late2") "," M_END,
                             "'start->a->end', 't1->late1', 't2->late2'")));
    CHECK(sc_start(&s, NULL));
    s.now = SC_T0 + 3 * HOUR;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 1);
    CHECK(sc_tasks(&s, NULL) == 1);
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    sc_close(&s);
}

int main(void) {
    RUN(test_an_intermediate_timer_with_a_duration_creates_a_job_due_after_it);
    RUN(test_fire_due_timers_waits_for_the_due_date_and_then_continues);
    RUN(test_executing_a_timer_job_fires_it_before_its_due_date);
    RUN(test_executing_an_unknown_job_fails_with_not_found);
    RUN(test_an_intermediate_timer_with_a_date_is_due_at_that_date);
    RUN(test_a_timer_definition_may_come_from_an_expression);
    RUN(test_a_malformed_timer_definition_fails_the_command);
    RUN(test_an_intermediate_message_catch_event_waits_for_its_message);
    RUN(test_correlating_a_message_nobody_waits_for_fails_with_camundas_message);
    RUN(test_correlating_with_all_triggers_every_waiting_execution);
    RUN(test_correlating_one_message_that_matches_two_executions_fails);
    RUN(test_correlation_local_variables_land_on_the_waiting_execution);
    RUN(test_an_interrupting_timer_boundary_event_cancels_its_activity_when_it_fires);
    RUN(test_a_non_interrupting_timer_boundary_event_keeps_its_activity);
    RUN(test_a_repeating_cycle_on_a_non_interrupting_boundary_fires_as_often_as_it_says);
    RUN(test_completing_an_activity_removes_its_boundary_timer);
    RUN(test_an_interrupting_message_boundary_event_cancels_its_activity);
    RUN(test_a_non_interrupting_message_boundary_event_can_fire_again_while_its_activity_runs);
    RUN(test_an_interrupting_boundary_timer_on_a_subprocess_cancels_its_content);
    RUN(test_an_interrupting_message_event_subprocess_cancels_the_scopes_tokens);
    RUN(test_a_non_interrupting_message_event_subprocess_runs_beside_the_scopes_tokens);
    RUN(test_an_interrupting_timer_event_subprocess_fires_at_its_due_date);
    RUN(test_a_non_interrupting_timer_event_subprocess_runs_beside_the_scopes_tokens);
    RUN(test_an_error_event_subprocess_inside_a_subprocess_catches_an_error_thrown_there);
    RUN(test_a_timer_date_may_be_a_date_variable);
    RUN(test_an_interrupting_boundary_event_removes_the_other_boundary_triggers_of_its_activity);
    RUN(test_fire_due_timers_skips_a_timer_that_an_earlier_firing_removed);
    RUN(test_an_interrupting_event_subprocess_removes_the_other_event_subprocess_triggers);
    RUN(test_a_repeating_cycle_on_a_non_interrupting_timer_event_subprocess_fires_each_time);
    RUN(test_an_error_thrown_inside_an_error_event_subprocess_is_not_caught_by_it_again);
    RUN(test_a_subprocess_has_both_its_boundary_timer_and_its_event_subprocess_subscription);
    RUN(test_a_message_starts_the_inner_event_subprocess_beside_the_subprocess_work);
    RUN(test_the_boundary_timer_of_a_subprocess_cancels_its_running_event_subprocess_too);
    RUN(test_a_subprocess_that_completes_drops_its_event_subprocess_subscription_and_timer);
    RUN(test_a_subprocess_waits_for_its_running_event_subprocess_before_completing);
    return CHECK_SUMMARY();
}
