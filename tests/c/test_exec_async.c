/*
 * test_exec_async.c — asynchronous continuations through the public ABI: asyncBefore / asyncAfter
 * park a token as a transition instance with a job, executeJob continues it, and a job whose work
 * fails records only the failure (retries 3 → 2 → 1 → 0, then an incident), as Camunda's job
 * executor does in a separate transaction.
 */
#include "check.h"
#include "scenario.h"

/* start → setter (expression: x = 1; asyncBefore) → svc (class delegate "charge") → a → end */
static const char *ASYNC_SERVICE =
    M_PROC(M_START ",{'type':'serviceTask','id':'setter','asyncBefore':true,"
                   "'expression':'${execution.setVariable(`x`, 1)}'},"
                   "{'type':'serviceTask','id':'svc','class':'charge'}," M_USER("a") "," M_END,
           "'start->setter->svc->a->end'");

static void test_async_before_parks_the_token_as_a_transition_instance_with_a_job(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(~setter)");
    const cJSON *ti = sc_node_in(sc_activity_instances(&s), "setter");
    CHECK_STR(sc_str(ti, "id"), sc_instance_id(&s));
    CHECK_STR(sc_str(ti, "executionId"), sc_instance_id(&s));
    CHECK_STR(sc_str(ti, "activityType"), "serviceTask");
    CHECK_STR(sc_str(ti, "parentActivityInstanceId"), sc_instance_id(&s));
    const cJSON *job = sc_entry(&s, "jobs", "activityId", "setter", 0);
    CHECK_STR(sc_str(job, "jobType"), "async-continuation");
    CHECK_STR(sc_str(job, "handlerType"), "async-continuation");
    CHECK_STR(sc_str(job, "jobConfiguration"), "async-before");
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(job, "dueDate")));
    CHECK(sc_num(job, "retries") == 3);
    /* the activity has not started: no activity instance, no variable yet */
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "setter", 0) == NULL);
    CHECK_STR(sc_var(&s, "x"), "(absent)");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(s.index, "activityIds");
    CHECK(cJSON_GetArraySize(ids) == 1 && strcmp(cJSON_GetArrayItem(ids, 0)->valuestring, "setter") == 0);
    sc_close(&s);
}

static void test_executing_an_async_before_job_runs_the_activity_and_continues(void) {
    sc_delegates_reset();
    sc_delegate("charge", "{}");
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "setter"));
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "failed") == NULL);
    CHECK_STR(sc_tree(&s), "proc(a)");
    /* a JUEL integer literal is a Long */
    CHECK_STR(sc_var(&s, "x"), "Long 1");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK_STR(sc_history(&s), "activityInstanceStart(setter) variableCreate(x) activityInstanceEnd(setter) "
                              "activityInstanceStart(svc) activityInstanceEnd(svc) activityInstanceStart(a) taskCreate(a)");
    sc_close(&s);
}

static void test_fire_due_timers_does_not_run_async_continuations(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    s.now += 3600000;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 0);
    CHECK_STR(sc_tree(&s), "proc(~setter)");
    sc_close(&s);
}

static void test_a_failing_job_loses_its_work_and_counts_down_its_retries_to_an_incident(void) {
    sc_delegates_reset();
    sc_delegate("charge", "{'error':{'message':'bank offline'}}");
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "setter");
    for (int expected = 2; expected >= 0; expected--) {
        s.now += 1000;
        sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
        CHECK(sc_ok(&s));
        const cJSON *result = sc_result(&s);
        CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "failed")));
        const char *message = sc_str(result, "message");
        CHECK(message && strstr(message, "bank offline") != NULL);
        const cJSON *j = sc_entry(&s, "jobs", "id", job, 0);
        CHECK(j != NULL);
        CHECK(sc_num(j, "retries") == expected);
        const char *exception = sc_str(j, "exceptionMessage");
        CHECK(exception && strstr(exception, "bank offline") != NULL);
        /* nothing of the job's work is kept: no variable, the token is still parked */
        CHECK_STR(sc_tree(&s), "proc(~setter)");
        CHECK_STR(sc_var(&s, "x"), "(absent)");
        CHECK(sc_event(&s, "activityInstanceStart", NULL, NULL, 0) == NULL);
        CHECK(sc_event(&s, "variableCreate", NULL, NULL, 0) == NULL);
        CHECK(sc_count(&s, "incidents", NULL, NULL) == (expected == 0 ? 1 : 0));
    }
    CHECK_STR(sc_history(&s), "incidentCreate(setter)");
    const cJSON *inc = sc_entry(&s, "incidents", NULL, NULL, 0);
    CHECK_STR(sc_str(inc, "incidentType"), "failedJob");
    CHECK_STR(sc_str(inc, "configuration"), job);
    CHECK_STR(sc_str(inc, "activityId"), "setter");
    const char *message = sc_str(inc, "incidentMessage");
    CHECK(message && strstr(message, "bank offline") != NULL);
    CHECK_STR(sc_str(sc_entry(&s, "jobs", "id", job, 0), "failedActivityId"), "setter");
    /* the incident shows on the transition instance */
    const cJSON *ti = sc_node_in(sc_activity_instances(&s), "setter");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ti, "incidentIds")) == 1);
    sc_close(&s);
}

static void test_a_job_that_succeeds_after_failing_resolves_its_incident(void) {
    sc_delegates_reset();
    sc_delegate("charge", "{'error':{'message':'bank offline'}}");
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "setter");
    for (int i = 0; i < 3; i++) sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 1);
    sc_delegates_reset();
    sc_delegate("charge", "{}");
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "failed") == NULL);
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 0);
    CHECK(sc_events(&s, "incidentResolve", NULL, NULL) == 1);
    sc_close(&s);
}

static void test_a_job_forced_to_run_again_at_zero_retries_keeps_one_incident(void) {
    sc_delegates_reset();
    sc_delegate("charge", "{'error':{'message':'bank offline'}}");
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "setter");
    for (int i = 0; i < 5; i++) sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 1);
    sc_close(&s);
}

static void test_async_after_parks_the_token_after_the_completed_activity(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','asyncAfter':true}," M_USER("b") "," M_END,
                             "'start->a->b->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(~a)");
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "a", 0) != NULL);
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "b", 0) == NULL);
    const cJSON *job = sc_entry(&s, "jobs", "activityId", "a", 0);
    CHECK_STR(sc_str(job, "jobConfiguration"), "async-after");
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "a", 0) == NULL);
    sc_close(&s);
}

static void test_an_async_after_start_event_returns_the_start_with_a_parked_token(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC("{'type':'startEvent','id':'start','asyncAfter':true}," M_USER("a") "," M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(~start)");
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "start"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_async_before_a_subprocess_parks_the_token_before_its_scope_exists(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','asyncBefore':true,'elements':["
                                     "{'type':'startEvent','id':'s1'}," M_USER("inner")
                                     "],'flows':['s1->inner']}," M_END,
                             "'start->sub->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(~sub)");
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "sub"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(sub(inner))");
    sc_close(&s);
}

static void test_async_tokens_in_parallel_branches_each_have_their_own_job(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'parallelGateway','id':'fork'},"
                                     "{'type':'task','id':'t1','asyncBefore':true},{'type':'task','id':'t2','asyncBefore':true},"
                             M_USER("a") "," M_USER("b"),
                             "'start->fork->t1->a', 'fork->t2->b'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(~t1,~t2)");
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 2);
    const char *e1 = sc_str(sc_entry(&s, "jobs", "activityId", "t1", 0), "executionId");
    const char *e2 = sc_str(sc_entry(&s, "jobs", "activityId", "t2", 0), "executionId");
    CHECK(e1 && e2 && strcmp(e1, e2) != 0);
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "t2"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b,~t1)");
    sc_close(&s);
}

/* Camunda: the activity's own asyncBefore makes the multi-instance body asynchronous (the
 * instances are created when the job runs). */
static void test_async_before_on_a_multi_instance_activity_parks_the_token_before_its_body(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','asyncBefore':true,'loopCharacteristics':{'type':"
                                     "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'2'}},"
                             M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(~a#multiInstanceBody)");
    CHECK(sc_tasks(&s, "a") == 0);
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", sc_job(&s, "a#multiInstanceBody"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a#multiInstanceBody(a,a))");
    sc_close(&s);
}

/* Async flags on multiInstanceLoopCharacteristics (each inner instance asynchronous) are not run
 * by the core: the compile rejects them rather than ignoring them. */
static void test_async_flags_on_the_loop_characteristics_are_rejected_at_compile(void) {
    scenario s;
    CHECK(sc_compile_fails(&s, M_PROC(M_START ",{'type':'userTask','id':'a','loopCharacteristics':{'type':"
                                      "'multiInstanceLoopCharacteristics','isSequential':false,'loopCardinality':'2',"
                                      "'asyncBefore':true}}," M_END,
                              "'start->a->end'")));
    const char *err = sc_compile_error(&s);
    CHECK(err && strncmp(err, "ParseException: ", 16) == 0 && strstr(err, "'a'") != NULL);
    sc_close(&s);
}

static void test_deleting_an_instance_removes_its_pending_jobs(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'delete'}");
    CHECK(sc_ok(&s));
    CHECK(sc_count(&s, "jobs", NULL, NULL) == 0);
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    sc_close(&s);
}

int main(void) {
    RUN(test_async_before_parks_the_token_as_a_transition_instance_with_a_job);
    RUN(test_executing_an_async_before_job_runs_the_activity_and_continues);
    RUN(test_fire_due_timers_does_not_run_async_continuations);
    RUN(test_a_failing_job_loses_its_work_and_counts_down_its_retries_to_an_incident);
    RUN(test_a_job_that_succeeds_after_failing_resolves_its_incident);
    RUN(test_a_job_forced_to_run_again_at_zero_retries_keeps_one_incident);
    RUN(test_async_after_parks_the_token_after_the_completed_activity);
    RUN(test_an_async_after_start_event_returns_the_start_with_a_parked_token);
    RUN(test_async_before_a_subprocess_parks_the_token_before_its_scope_exists);
    RUN(test_async_tokens_in_parallel_branches_each_have_their_own_job);
    RUN(test_async_before_on_a_multi_instance_activity_parks_the_token_before_its_body);
    RUN(test_async_flags_on_the_loop_characteristics_are_rejected_at_compile);
    RUN(test_deleting_an_instance_removes_its_pending_jobs);
    detour_set_host_invoke(NULL);
    return CHECK_SUMMARY();
}
