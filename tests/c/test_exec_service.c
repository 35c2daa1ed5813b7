/*
 * test_exec_service.c — the operator's commands through the public ABI: `suspend` (a suspended
 * instance refuses to move on: its tasks, external tasks, jobs and message subscriptions are out of
 * reach, its variables are not) and `setJobRetries` (a job's retries and due date; 0 → n resolves
 * its failedJob incident, n → 0 raises one), with Camunda's exception types and messages.
 */
#include "check.h"
#include "scenario.h"

/* start → a (user task) → ext (external task "pay") → end */
static const char *TASK_THEN_EXTERNAL =
    M_PROC(M_START "," M_USER("a") "," M_EXTERNAL("ext", "pay") "," M_END, "'start->a->ext->end'");

/* start → svc (asyncBefore, class delegate "charge") → a → end */
static const char *ASYNC_SERVICE = M_PROC(M_START ",{'type':'serviceTask','id':'svc','asyncBefore':true,'class':'charge'},"
                                                  M_USER("a") "," M_END,
                                          "'start->svc->a->end'");

/* start → wait (timer PT1H) → a → end */
static const char *TIMER = M_PROC(M_START ",{'type':'intermediateCatchEvent','id':'wait','eventDefinitions':"
                                          "[{'type':'timerEventDefinition','timeDuration':'PT1H'}]}," M_USER("a") "," M_END,
                                  "'start->wait->a->end'");

/* start → r (receive task, message "go") → a → end */
static const char *RECEIVE = M_PROC(M_START ",{'type':'receiveTask','id':'r','messageRef':'m','messageName':'go'},"
                                            M_USER("a") "," M_END,
                                    "'start->r->a->end'");

static bool index_flag(scenario *s, const char *array, int i, const char *field) {
    const cJSON *entry = sc_entry(s, array, NULL, NULL, i);
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(entry, field));
}

/* --- suspend ------------------------------------------------------------------------------------ */

static void test_suspending_marks_the_instance_and_its_tasks_and_records_the_historic_state(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, TASK_THEN_EXTERNAL));
    CHECK(sc_start(&s, NULL));
    s.now += 1000;
    sc_do(&s, "{'command':'suspend','suspended':true}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s.state, "suspended")));
    CHECK(index_flag(&s, "tasks", 0, "suspended"));
    CHECK_STR(sc_history(&s), "processInstanceUpdate");
    const cJSON *e = sc_event(&s, "processInstanceUpdate", NULL, NULL, 0);
    CHECK_STR(sc_str(e, "state"), "SUSPENDED");
    CHECK_STR(sc_str(e, "processInstanceId"), sc_instance_id(&s));
    CHECK(sc_num(e, "time") == (double)s.now);
    /* activating reverses it */
    sc_do(&s, "{'command':'suspend','suspended':false}");
    CHECK(sc_ok(&s));
    CHECK(!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s.state, "suspended")));
    CHECK(!index_flag(&s, "tasks", 0, "suspended"));
    CHECK_STR(sc_str(sc_event(&s, "processInstanceUpdate", NULL, NULL, 0), "state"), "ACTIVE");
    sc_close(&s);
}

static void test_suspending_twice_is_no_error(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    CHECK(sc_ok(&s));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s.state, "suspended")));
    sc_do(&s, "{'command':'suspend','suspended':false}");
    sc_do(&s, "{'command':'suspend','suspended':false}");
    CHECK(sc_ok(&s));
    sc_close(&s);
}

static void test_suspend_needs_a_boolean(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    s.quiet = true;
    sc_do(&s, "{'command':'suspend','suspended':'yes'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: suspended must be a boolean");
    sc_do(&s, "{'command':'suspend'}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    sc_close(&s);
}

static void test_a_task_of_a_suspended_instance_cannot_be_completed_until_it_is_activated(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    const char *task = sc_task(&s, "a");
    sc_do(&s, "{'command':'suspend','suspended':true}");
    s.quiet = true;
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'x':{'value':1,'type':'Integer'}}}", task);
    char expected[256];
    snprintf(expected, sizeof expected, "SuspendedEntityInteractionException: ENGINE-03043 task with id '%s' is suspended.",
             task);
    CHECK_STR(sc_error(&s), expected);
    s.quiet = false;
    sc_do(&s, "{'command':'suspend','suspended':false}");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", task);
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_external_tasks_of_a_suspended_instance_refuse_every_worker_action(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, TASK_THEN_EXTERNAL));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    const char *ext = sc_ext(&s, "ext");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':60000}", ext);
    CHECK(sc_ok(&s));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    CHECK(index_flag(&s, "externalTasks", 0, "suspended"));
    char expected[256];
    snprintf(expected, sizeof expected,
             "SuspendedEntityInteractionException: ENGINE-03043 ExternalTask with id '%s' is suspended.", ext);
    s.quiet = true;
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s','workerId':'w1'}", ext);
    CHECK_STR(sc_error(&s), expected);
    sc_do(&s, "{'command':'failExternalTask','externalTaskId':'%s','workerId':'w1','retries':0}", ext);
    CHECK_STR(sc_error(&s), expected);
    sc_do(&s, "{'command':'bpmnErrorExternalTask','externalTaskId':'%s','workerId':'w1','errorCode':'e'}", ext);
    CHECK_STR(sc_error(&s), expected);
    sc_do(&s, "{'command':'extendLock','externalTaskId':'%s','workerId':'w1','newDuration':1000}", ext);
    CHECK_STR(sc_error(&s), expected);
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w2','lockDuration':1000}", ext);
    CHECK_STR(sc_error(&s), expected);
    /* the worker check comes first, as in Camunda's HandleExternalTaskCmd */
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s','workerId':'w2'}", ext);
    CHECK_STR(sc_error_type(&s), "BadUserRequestException");
    s.quiet = false;
    sc_do(&s, "{'command':'suspend','suspended':false}");
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s','workerId':'w1'}", ext);
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_jobs_of_a_suspended_instance_are_suspended_and_do_not_run(void) {
    sc_delegates_reset();
    sc_delegate("charge", "{}");
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "svc");
    sc_do(&s, "{'command':'suspend','suspended':true}");
    CHECK(index_flag(&s, "jobs", 0, "suspended"));
    s.quiet = true;
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
    char expected[256];
    snprintf(expected, sizeof expected, "SuspendedEntityInteractionException: Job with id '%s' is suspended", job);
    CHECK_STR(sc_error(&s), expected);
    s.quiet = false;
    /* the refusal is not a job failure: the retries stay */
    CHECK(sc_num(sc_entry(&s, "jobs", "id", job, 0), "retries") == 3);
    sc_do(&s, "{'command':'suspend','suspended':false}");
    CHECK(!index_flag(&s, "jobs", 0, "suspended"));
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_due_timers_of_a_suspended_instance_do_not_fire(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, TIMER));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    s.now += 2 * 3600000;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 0);
    CHECK_STR(sc_tree(&s), "proc(wait)");
    sc_do(&s, "{'command':'suspend','suspended':false}");
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 1);
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_messages_do_not_correlate_to_a_suspended_instance(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, RECEIVE));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    s.quiet = true;
    sc_do(&s, "{'command':'correlateMessage','messageName':'go'}");
    CHECK_STR(sc_error(&s), "MismatchingMessageCorrelationException: Cannot correlate message 'go': No process "
                            "definition or execution matches the parameters");
    s.quiet = false;
    sc_do(&s, "{'command':'suspend','suspended':false}");
    sc_do(&s, "{'command':'correlateMessage','messageName':'go'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_variables_of_a_suspended_instance_can_change_and_it_can_be_deleted(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'suspend','suspended':true}");
    sc_do(&s, "{'command':'modifyVariables','modifications':{'x':{'value':'v','type':'String'}}}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "x"), "String \"v\"");
    sc_do(&s, "{'command':'delete'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_end_state(&s), "EXTERNALLY_TERMINATED");
    sc_close(&s);
}

/* --- setJobRetries ------------------------------------------------------------------------------ */

/* An instance whose svc job failed three times: retries 0 and an open failedJob incident. */
static const char *failed_job(scenario *s) {
    sc_delegates_reset();
    sc_delegate("charge", "{'error':{'message':'bank offline'}}");
    if (!sc_open(s, ASYNC_SERVICE) || !sc_start(s, NULL)) return NULL;
    const char *job = sc_job(s, "svc");
    for (int i = 0; i < 3; i++) sc_do(s, "{'command':'executeJob','jobId':'%s'}", job);
    return job;
}

static void test_setting_retries_of_a_failed_job_resolves_its_incident(void) {
    scenario s;
    const char *job = failed_job(&s);
    CHECK(job != NULL);
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 1);
    const char *incident = sc_field(&s, sc_entry(&s, "incidents", NULL, NULL, 0), "id");
    s.now += 1000;
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':2}", job);
    CHECK(sc_ok(&s));
    CHECK(sc_num(sc_entry(&s, "jobs", "id", job, 0), "retries") == 2);
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 0);
    CHECK_STR(sc_history(&s), "incidentResolve(svc)");
    CHECK_STR(sc_str(sc_event(&s, "incidentResolve", NULL, NULL, 0), "incidentId"), incident);
    /* the last failure's message stays until the job succeeds */
    const char *exception = sc_str(sc_entry(&s, "jobs", "id", job, 0), "exceptionMessage");
    CHECK(exception && strstr(exception, "bank offline") != NULL);
    /* and the job runs again */
    sc_delegates_reset();
    sc_delegate("charge", "{}");
    sc_do(&s, "{'command':'executeJob','jobId':'%s'}", job);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_setting_retries_to_zero_raises_an_incident(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "svc");
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':0}", job);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_history(&s), "incidentCreate(svc)");
    const cJSON *inc = sc_entry(&s, "incidents", NULL, NULL, 0);
    CHECK_STR(sc_str(inc, "incidentType"), "failedJob");
    CHECK_STR(sc_str(inc, "configuration"), job);
    /* 0 → 0 changes nothing */
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':0}", job);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_history(&s), "");
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 1);
    /* n → m neither */
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':5}", job);
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':4}", job);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_history(&s), "");
    CHECK(sc_num(sc_entry(&s, "jobs", "id", job, 0), "retries") == 4);
    sc_close(&s);
}

static void test_set_job_retries_may_set_the_due_date(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, TIMER));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "wait");
    CHECK(sc_num(sc_entry(&s, "jobs", "id", job, 0), "dueDate") == (double)(SC_T0 + 3600000));
    /* without dueDate the due date stays */
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':3}", job);
    CHECK(sc_num(sc_entry(&s, "jobs", "id", job, 0), "dueDate") == (double)(SC_T0 + 3600000));
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':3,'dueDate':%lld}", job, (long long)(SC_T0 + 60000));
    CHECK(sc_ok(&s));
    CHECK(sc_num(sc_entry(&s, "jobs", "id", job, 0), "dueDate") == (double)(SC_T0 + 60000));
    s.now = SC_T0 + 60000;
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 1);
    sc_close(&s);
}

static void test_set_job_retries_with_a_null_due_date_makes_the_job_due_now(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, TIMER));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "wait");
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':1,'dueDate':null}", job);
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(sc_entry(&s, "jobs", "id", job, 0), "dueDate")));
    sc_do(&s, "{'command':'fireDueTimers'}");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "fired")) == 1);
    sc_close(&s);
}

static void test_set_job_retries_refuses_negative_retries_and_unknown_jobs_with_camundas_messages(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, ASYNC_SERVICE));
    CHECK(sc_start(&s, NULL));
    const char *job = sc_job(&s, "svc");
    s.quiet = true;
    /* the retries are checked before the job is looked up */
    sc_do(&s, "{'command':'setJobRetries','jobId':'nope','retries':-1}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13054 The number of job retries must be a non-negative "
                            "Integer, but '-1' has been provided.");
    sc_do(&s, "{'command':'setJobRetries','jobId':'nope','retries':1}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13053 No job found with id 'nope'.'");
    sc_do(&s, "{'command':'setJobRetries','retries':1}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13052 You must specify exactly one of jobId, jobIds or "
                            "jobDefinitionId as parameter. The parameter can not be null.");
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s'}", job);
    CHECK_STR(sc_error(&s), "NotValidException: retries is null");
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':'3'}", job);
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':3,'dueDate':'tomorrow'}", job);
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    sc_do(&s, "{'command':'setJobRetries','jobId':'%s','retries':3000000000}", job);
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    sc_close(&s);
}

int main(void) {
    RUN(test_suspending_marks_the_instance_and_its_tasks_and_records_the_historic_state);
    RUN(test_suspending_twice_is_no_error);
    RUN(test_suspend_needs_a_boolean);
    RUN(test_a_task_of_a_suspended_instance_cannot_be_completed_until_it_is_activated);
    RUN(test_external_tasks_of_a_suspended_instance_refuse_every_worker_action);
    RUN(test_jobs_of_a_suspended_instance_are_suspended_and_do_not_run);
    RUN(test_due_timers_of_a_suspended_instance_do_not_fire);
    RUN(test_messages_do_not_correlate_to_a_suspended_instance);
    RUN(test_variables_of_a_suspended_instance_can_change_and_it_can_be_deleted);
    RUN(test_setting_retries_of_a_failed_job_resolves_its_incident);
    RUN(test_setting_retries_to_zero_raises_an_incident);
    RUN(test_set_job_retries_may_set_the_due_date);
    RUN(test_set_job_retries_with_a_null_due_date_makes_the_job_due_now);
    RUN(test_set_job_retries_refuses_negative_retries_and_unknown_jobs_with_camundas_messages);
    detour_set_host_invoke(NULL);
    return CHECK_SUMMARY();
}
