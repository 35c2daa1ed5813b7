/*
 * test_exec_services.c — service, send and business-rule tasks through the public ABI: external
 * tasks (lock, complete, fail with retries and incidents, extend lock, BPMN errors), host delegates
 * (camunda:class and delegateExpression through detour_set_host_invoke) and camunda:expression.
 *
 * Expectations are Camunda 7's, including its exception messages.
 */
#include "check.h"
#include "scenario.h"

/* start → svc (external, topic "work") → a → end, plus an error boundary on svc → handled */
static const char *EXTERNAL =
    M_PROC(M_START ",{'type':'serviceTask','id':'svc','name':'Work','camundaType':'external','topic':'work',"
                   "'taskPriority':'${prio}'},"
                   "{'type':'boundaryEvent','id':'failed','attachedTo':'svc','cancelActivity':true,"
                   "'eventDefinitions':[{'type':'errorEventDefinition','errorRef':'err','errorCode':'NOPE'}]},"
           M_USER("a") "," M_USER("handled") "," M_END,
           "'start->svc->a->end', 'failed->handled'");

static bool start_external(scenario *s) {
    return sc_open(s, EXTERNAL) && sc_start(s, "'variables':{'prio':{'value':7,'type':'Integer'},"
                                               "'order':{'value':'o-1','type':'String'}}");
}

/* ---------------------------------------------------------------------------------------------- */
/* external tasks                                                                                 */
/* ---------------------------------------------------------------------------------------------- */

static void test_an_external_service_task_creates_an_unlocked_external_task_on_its_topic(void) {
    scenario s;
    CHECK(start_external(&s));
    CHECK_STR(sc_tree(&s), "proc(svc)");
    const cJSON *t = sc_entry(&s, "externalTasks", "activityId", "svc", 0);
    CHECK(t != NULL);
    CHECK_STR(sc_str(t, "topicName"), "work");
    CHECK_STR(sc_str(t, "processInstanceId"), sc_instance_id(&s));
    CHECK_STR(sc_str(t, "activityInstanceId"), sc_instance_of(&s, "svc"));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "retries")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "workerId")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(t, "lockExpirationTime")));
    CHECK(sc_num(t, "priority") == 7);
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "svc", 0), "activityType"), "serviceTask");
    sc_close(&s);
}

static void test_a_constant_task_priority_is_the_external_tasks_priority(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc','camundaType':'external','topic':'work',"
                                     "'taskPriority':'12'}",
                             "'start->svc'")));
    CHECK(sc_start(&s, NULL));
    CHECK(sc_num(sc_entry(&s, "externalTasks", "activityId", "svc", 0), "priority") == 12);
    sc_close(&s);
}

static void test_locking_an_external_task_returns_it_with_the_visible_variables(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    s.now += 1000;
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':60000}", id);
    CHECK(sc_ok(&s));
    const cJSON *result = sc_result(&s);
    CHECK_STR(sc_str(result, "externalTaskId"), id);
    CHECK_STR(sc_value(&s, cJSON_GetObjectItemCaseSensitive(result, "variables"), "order"), "String \"o-1\"");
    const cJSON *t = sc_entry(&s, "externalTasks", "id", id, 0);
    CHECK_STR(sc_str(t, "workerId"), "w1");
    CHECK(sc_num(t, "lockExpirationTime") == (double)(SC_T0 + 1000 + 60000));
    sc_close(&s);
}

static void test_a_locked_external_task_cannot_be_locked_again_until_its_lock_expires(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    CHECK(sc_ok(&s));
    s.now += 999;
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w2','lockDuration':1000}", id);
    CHECK(strncmp(sc_error(&s), "OptimisticLockingException: ", 28) == 0);
    CHECK_STR(sc_str(sc_entry(&s, "externalTasks", "id", id, 0), "workerId"), "w1");
    s.now += 1;
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w2','lockDuration':1000}", id);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(sc_entry(&s, "externalTasks", "id", id, 0), "workerId"), "w2");
    sc_close(&s);
}

static void test_completing_an_external_task_sets_its_variables_and_continues(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s','workerId':'w1',"
              "'variables':{'result':{'value':'done','type':'String'}}}",
          id);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "externalTasks", NULL, NULL) == 0);
    CHECK_STR(sc_var(&s, "result"), "String \"done\"");
    CHECK(sc_event(&s, "activityInstanceEnd", "activityId", "svc", 0) != NULL);
    sc_close(&s);
}

static void test_completing_an_external_task_locked_by_another_worker_fails(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s','workerId':'w2'}", id);
    char expected[512];
    snprintf(expected, sizeof expected,
             "BadUserRequestException: External Task %s cannot be completed by worker 'w2'. It is locked by worker 'w1'.",
             id);
    CHECK_STR(sc_error(&s), expected);
    CHECK_STR(sc_tree(&s), "proc(svc)");
    sc_close(&s);
}

static void test_an_unknown_external_task_is_not_found(void) {
    scenario s;
    CHECK(start_external(&s));
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'nope','workerId':'w1'}");
    CHECK_STR(sc_error(&s), "NotFoundException: Cannot find external task with id nope: externalTask is null");
    sc_close(&s);
}

static void test_failing_an_external_task_with_retries_left_records_the_failure_without_an_incident(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'failExternalTask','externalTaskId':'%s','workerId':'w1','errorMessage':'boom',"
              "'errorDetails':'stack','retries':2,'retryTimeout':5000}",
          id);
    CHECK(sc_ok(&s));
    const cJSON *t = sc_entry(&s, "externalTasks", "id", id, 0);
    CHECK(sc_num(t, "retries") == 2);
    CHECK_STR(sc_str(t, "errorMessage"), "boom");
    CHECK_STR(sc_str(t, "errorDetails"), "stack");
    CHECK(sc_num(t, "lockExpirationTime") == (double)(SC_T0 + 5000));
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 0);
    CHECK_STR(sc_tree(&s), "proc(svc)");
    sc_close(&s);
}

static void test_failing_an_external_task_with_no_retries_left_creates_an_incident(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'failExternalTask','externalTaskId':'%s','workerId':'w1','errorMessage':'boom','retries':0}",
          id);
    CHECK(sc_ok(&s));
    const cJSON *inc = sc_entry(&s, "incidents", NULL, NULL, 0);
    CHECK(inc != NULL);
    CHECK_STR(sc_str(inc, "incidentType"), "failedExternalTask");
    CHECK_STR(sc_str(inc, "activityId"), "svc");
    CHECK_STR(sc_str(inc, "configuration"), id);
    CHECK_STR(sc_str(inc, "incidentMessage"), "boom");
    CHECK(sc_events(&s, "incidentCreate", NULL, NULL) == 1);
    /* the incident shows on the task's activity instance */
    const cJSON *node = sc_node_in(sc_activity_instances(&s), "svc");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(node, "incidentIds")) == 1);
    sc_close(&s);
}

/* Camunda's failure keeps the worker's lock (lockExpirationTime = now + retryTimeout), so the
 * worker may still complete the task; completing it resolves the incident. */
static void test_the_worker_that_failed_a_task_can_still_complete_it_which_resolves_the_incident(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'failExternalTask','externalTaskId':'%s','workerId':'w1','errorMessage':'boom','retries':0}",
          id);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(sc_entry(&s, "externalTasks", "id", id, 0), "workerId"), "w1");
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s','workerId':'w1'}", id);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK(sc_count(&s, "incidents", NULL, NULL) == 0);
    CHECK(sc_events(&s, "incidentResolve", NULL, NULL) == 1);
    sc_close(&s);
}

static void test_failing_or_reporting_an_error_for_a_task_locked_by_another_worker_fails_with_camundas_messages(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    char expected[512];
    sc_do(&s, "{'command':'failExternalTask','externalTaskId':'%s','workerId':'w2','errorMessage':'x','retries':1}", id);
    snprintf(expected, sizeof expected,
             "BadUserRequestException: Failure of External Task %s cannot be reported by worker 'w2'. It is locked by "
             "worker 'w1'.",
             id);
    CHECK_STR(sc_error(&s), expected);
    sc_do(&s, "{'command':'bpmnErrorExternalTask','externalTaskId':'%s','workerId':'w2','errorCode':'NOPE'}", id);
    snprintf(expected, sizeof expected,
             "BadUserRequestException: Bpmn error of External Task %s cannot be reported by worker 'w2'. It is locked "
             "by worker 'w1'.",
             id);
    CHECK_STR(sc_error(&s), expected);
    sc_close(&s);
}

static void test_extending_the_lock_of_an_external_task_moves_its_expiration(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    s.now += 500;
    sc_do(&s, "{'command':'extendLock','externalTaskId':'%s','workerId':'w1','newDuration':10000}", id);
    CHECK(sc_ok(&s));
    CHECK(sc_num(sc_entry(&s, "externalTasks", "id", id, 0), "lockExpirationTime") == (double)(SC_T0 + 500 + 10000));
    sc_close(&s);
}

/* Camunda's message has a doubled quote after the worker id (ExtendLockOnExternalTaskCmd appends one
 * that HandleExternalTaskCmd appends again); Detour reproduces messages byte for byte. */
static void test_extending_the_lock_held_by_another_worker_fails_with_camundas_message(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'extendLock','externalTaskId':'%s','workerId':'w2','newDuration':10000}", id);
    char expected[512];
    snprintf(expected, sizeof expected,
             "BadUserRequestException: The lock of the External Task %s cannot be extended by worker 'w2''. It is "
             "locked by worker 'w1'.",
             id);
    CHECK_STR(sc_error(&s), expected);
    sc_close(&s);
}

static void test_extending_the_lock_of_an_unlocked_external_task_fails(void) {
    scenario s;
    CHECK(start_external(&s));
    sc_do(&s, "{'command':'extendLock','externalTaskId':'%s','workerId':'w1','newDuration':10000}", sc_ext(&s, "svc"));
    CHECK_STR(sc_error_type(&s), "BadUserRequestException");
    sc_close(&s);
}

static void test_a_bpmn_error_reported_for_an_external_task_is_caught_by_its_error_boundary(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'bpmnErrorExternalTask','externalTaskId':'%s','workerId':'w1','errorCode':'NOPE',"
              "'variables':{'why':{'value':'no stock','type':'String'}}}",
          id);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(handled)");
    CHECK(sc_count(&s, "externalTasks", NULL, NULL) == 0);
    CHECK_STR(sc_var(&s, "why"), "String \"no stock\"");
    const cJSON *svc_end = sc_event(&s, "activityInstanceEnd", "activityId", "svc", 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(svc_end, "canceled")));
    sc_close(&s);
}

/* Camunda rethrows a BPMN error nothing catches when it comes from a worker or a delegate (only an
 * error end event ends its path silently): the command fails. */
static void test_a_bpmn_error_reported_for_an_external_task_that_nothing_catches_fails_the_command(void) {
    scenario s;
    CHECK(start_external(&s));
    const char *id = sc_ext(&s, "svc");
    sc_do(&s, "{'command':'lockExternalTask','externalTaskId':'%s','workerId':'w1','lockDuration':1000}", id);
    sc_do(&s, "{'command':'bpmnErrorExternalTask','externalTaskId':'%s','workerId':'w1','errorCode':'OTHER'}", id);
    CHECK(sc_error(&s) != NULL);
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(svc)");
    sc_close(&s);
}

static void test_a_send_task_and_a_business_rule_task_can_be_external_tasks(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'sendTask','id':'send','camundaType':'external','topic':'mail'},"
                                     "{'type':'businessRuleTask','id':'rule','camundaType':'external','topic':'rules'},"
                             M_END,
                             "'start->send->rule->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_str(sc_entry(&s, "externalTasks", "activityId", "send", 0), "topicName"), "mail");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "send", 0), "activityType"), "sendTask");
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s'}", sc_ext(&s, "send"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(sc_entry(&s, "externalTasks", "activityId", "rule", 0), "topicName"), "rules");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "rule", 0), "activityType"),
              "businessRuleTask");
    sc_do(&s, "{'command':'completeExternalTask','externalTaskId':'%s'}", sc_ext(&s, "rule"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* host delegates                                                                                 */
/* ---------------------------------------------------------------------------------------------- */

static cJSON *captured; /* the last request a capturing delegate saw */

static const char *capture(const cJSON *request) {
    cJSON_Delete(captured);
    captured = cJSON_Duplicate(request, 1);
    return "{'variables':{'handled':{'value':true,'type':'Boolean'}}}";
}

/* start → svc (class) → a → end */
static const char *CLASS_DELEGATE =
    M_PROC(M_START ",{'type':'serviceTask','id':'svc','class':'org.example.Charge'}," M_USER("a") "," M_END,
           "'start->svc->a->end'");

static void test_a_class_delegate_is_called_with_its_execution_and_the_visible_variables(void) {
    sc_delegates_reset();
    sc_delegate_fn_add("org.example.Charge", capture);
    scenario s;
    CHECK(sc_open(&s, CLASS_DELEGATE));
    CHECK(sc_start(&s, "'businessKey':'bk','variables':{'amount':{'value':30,'type':'Integer'}}"));
    CHECK_STR(sc_calls, "org.example.Charge:execute:svc ");
    CHECK_STR(sc_str(captured, "delegate"), "org.example.Charge");
    CHECK_STR(sc_str(captured, "event"), "execute");
    CHECK_STR(sc_str(captured, "activityId"), "svc");
    CHECK_STR(sc_str(captured, "processInstanceId"), sc_instance_id(&s));
    CHECK_STR(sc_str(captured, "executionId"), sc_instance_id(&s));
    CHECK_STR(sc_str(captured, "businessKey"), "bk");
    CHECK_STR(sc_value(&s, cJSON_GetObjectItemCaseSensitive(captured, "variables"), "amount"), "Integer 30");
    CHECK_STR(sc_tree(&s), "proc(a)");
    CHECK_STR(sc_var(&s, "handled"), "Boolean true");
    cJSON_Delete(captured);
    captured = NULL;
    sc_close(&s);
}

static void test_a_delegate_expression_calls_the_delegate_it_names(void) {
    sc_delegates_reset();
    sc_delegate("approver", "{'variables':{'approved':{'value':true,'type':'Boolean'}}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc','delegateExpression':'${approver}'},"
                             M_USER("a") "," M_END,
                             "'start->svc->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_calls, "approver:execute:svc ");
    CHECK_STR(sc_var(&s, "approved"), "Boolean true");
    sc_close(&s);
}

/* A delegate's variables follow setVariable: an existing one is updated where it lives (here the
 * subprocess, by an input mapping), a new one is created on the process instance. */
static void test_variables_returned_by_a_delegate_are_set_with_camunda_scoping(void) {
    sc_delegates_reset();
    sc_delegate("calc", "{'variables':{'l':{'value':2,'type':'Integer'},'fresh':{'value':'x','type':'String'}}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','inputOutput':{'inputParameters':"
                                     "[{'name':'l','value':'${1}'}]},'elements':["
                                     "{'type':'startEvent','id':'s1'},{'type':'serviceTask','id':'svc','class':'calc'},"
                                     M_USER("a") "],'flows':['s1->svc->a']}," M_END,
                             "'start->sub->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(sub(a))");
    const char *sub = sc_instance_of(&s, "sub");
    const cJSON *local = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}", sub);
    CHECK_STR(sc_value(&s, local, "l"), "Integer 2");
    CHECK_STR(sc_value(&s, local, "fresh"), "(absent)");
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_value(&s, root, "fresh"), "String \"x\"");
    CHECK_STR(sc_value(&s, root, "l"), "(absent)");
    sc_close(&s);
}

static void test_a_bpmn_error_thrown_by_a_delegate_is_caught_by_the_error_boundary_event(void) {
    sc_delegates_reset();
    sc_delegate("org.example.Charge", "{'bpmnError':{'errorCode':'DECLINED'}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc','class':'org.example.Charge'},"
                                     "{'type':'boundaryEvent','id':'declined','attachedTo':'svc',"
                                     "'eventDefinitions':[{'type':'errorEventDefinition','errorRef':'e','errorCode':'DECLINED'}]},"
                             M_USER("a") "," M_USER("handled") "," M_END,
                             "'start->svc->a->end', 'declined->handled'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(handled)");
    CHECK_STR(sc_str(sc_event(&s, "activityInstanceStart", "activityId", "declined", 0), "activityType"),
              "boundaryError");
    sc_close(&s);
}

static void test_a_bpmn_error_thrown_by_a_delegate_that_nothing_catches_fails_the_command(void) {
    sc_delegates_reset();
    sc_delegate("org.example.Charge", "{'bpmnError':{'errorCode':'DECLINED'}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("first") ",{'type':'serviceTask','id':'svc','class':'org.example.Charge'},"
                             M_USER("a") "," M_END,
                             "'start->first->svc->a->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "first"));
    CHECK(sc_error(&s) != NULL);
    CHECK(!sc_ended(&s));
    CHECK_STR(sc_tree(&s), "proc(first)");
    sc_close(&s);
}

static void test_a_failing_delegate_fails_the_command_and_leaves_the_state_unchanged(void) {
    sc_delegates_reset();
    sc_delegate("org.example.Charge", "{'error':{'message':'card declined by bank'}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("first") ",{'type':'serviceTask','id':'svc','class':'org.example.Charge'},"
                             M_USER("a") "," M_END,
                             "'start->first->svc->a->end'")));
    CHECK(sc_start(&s, NULL));
    char *before = cJSON_PrintUnformatted(s.state);
    const char *task = sc_task(&s, "first");
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'v':{'value':1,'type':'Integer'}}}", task);
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "card declined by bank") != NULL);
    CHECK(cJSON_GetObjectItemCaseSensitive(s.last, "state") == NULL);
    char *after = cJSON_PrintUnformatted(s.state);
    CHECK(strcmp(before, after) == 0);
    free(before);
    free(after);
    /* once the delegate works, the same state goes on */
    sc_delegates_reset();
    sc_delegate("org.example.Charge", "{}");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", task);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_an_unknown_delegate_fails_the_command_naming_it(void) {
    sc_delegates_reset();
    scenario s;
    CHECK(sc_open(&s, CLASS_DELEGATE));
    sc_do(&s, "{'command':'start'}");
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "Unknown delegate 'org.example.Charge'") != NULL);
    CHECK(s.state == NULL);
    sc_close(&s);
}

static void test_a_delegate_reply_that_is_not_json_fails_the_command(void) {
    sc_delegates_reset();
    sc_delegate("org.example.Charge", "this is not json");
    scenario s;
    CHECK(sc_open(&s, CLASS_DELEGATE));
    sc_do(&s, "{'command':'start'}");
    CHECK(sc_error(&s) != NULL);
    sc_close(&s);
}

static void test_a_send_task_and_a_business_rule_task_can_call_host_delegates(void) {
    sc_delegates_reset();
    sc_delegate("mailer", "{}");
    sc_delegate("rules", "{'variables':{'score':{'value':3,'type':'Integer'}}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'sendTask','id':'send','class':'mailer'},"
                                     "{'type':'businessRuleTask','id':'rule','delegateExpression':'${rules}'}," M_USER("a")
                             "," M_END,
                             "'start->send->rule->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_calls, "mailer:execute:send rules:execute:rule ");
    CHECK_STR(sc_var(&s, "score"), "Integer 3");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* camunda:expression                                                                             */
/* ---------------------------------------------------------------------------------------------- */

static void test_an_expression_service_task_stores_its_value_in_the_result_variable(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc','expression':'${a * b + 1}',"
                                     "'resultVariable':'sum'}," M_USER("next") "," M_END,
                             "'start->svc->next->end'")));
    CHECK(sc_start(&s, "'variables':{'a':{'value':6,'type':'Integer'},'b':{'value':7,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(next)");
    /* JUEL's integer arithmetic yields Long */
    CHECK_STR(sc_var(&s, "sum"), "Long 43");
    sc_close(&s);
}

static void test_an_expression_service_task_without_result_variable_only_evaluates(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc',"
                                     "'expression':'${execution.setVariable(`touched`, true)}'}," M_USER("next") "," M_END,
                             "'start->svc->next->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(next)");
    CHECK_STR(sc_var(&s, "touched"), "Boolean true");
    const cJSON *vars = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_names(&s, vars), "touched");
    sc_close(&s);
}

static void test_a_failing_service_expression_fails_the_command_naming_the_element(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc','expression':'${nothing.here}'}," M_END,
                             "'start->svc->end'")));
    sc_do(&s, "{'command':'start'}");
    CHECK_STR(sc_error_type(&s), "ProcessEngineException");
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "svc") != NULL);
    sc_close(&s);
}

int main(void) {
    RUN(test_an_external_service_task_creates_an_unlocked_external_task_on_its_topic);
    RUN(test_a_constant_task_priority_is_the_external_tasks_priority);
    RUN(test_locking_an_external_task_returns_it_with_the_visible_variables);
    RUN(test_a_locked_external_task_cannot_be_locked_again_until_its_lock_expires);
    RUN(test_completing_an_external_task_sets_its_variables_and_continues);
    RUN(test_completing_an_external_task_locked_by_another_worker_fails);
    RUN(test_an_unknown_external_task_is_not_found);
    RUN(test_failing_an_external_task_with_retries_left_records_the_failure_without_an_incident);
    RUN(test_failing_an_external_task_with_no_retries_left_creates_an_incident);
    RUN(test_the_worker_that_failed_a_task_can_still_complete_it_which_resolves_the_incident);
    RUN(test_failing_or_reporting_an_error_for_a_task_locked_by_another_worker_fails_with_camundas_messages);
    RUN(test_extending_the_lock_of_an_external_task_moves_its_expiration);
    RUN(test_extending_the_lock_held_by_another_worker_fails_with_camundas_message);
    RUN(test_extending_the_lock_of_an_unlocked_external_task_fails);
    RUN(test_a_bpmn_error_reported_for_an_external_task_is_caught_by_its_error_boundary);
    RUN(test_a_bpmn_error_reported_for_an_external_task_that_nothing_catches_fails_the_command);
    RUN(test_a_send_task_and_a_business_rule_task_can_be_external_tasks);
    RUN(test_a_class_delegate_is_called_with_its_execution_and_the_visible_variables);
    RUN(test_a_delegate_expression_calls_the_delegate_it_names);
    RUN(test_variables_returned_by_a_delegate_are_set_with_camunda_scoping);
    RUN(test_a_bpmn_error_thrown_by_a_delegate_is_caught_by_the_error_boundary_event);
    RUN(test_a_bpmn_error_thrown_by_a_delegate_that_nothing_catches_fails_the_command);
    RUN(test_a_failing_delegate_fails_the_command_and_leaves_the_state_unchanged);
    RUN(test_an_unknown_delegate_fails_the_command_naming_it);
    RUN(test_a_delegate_reply_that_is_not_json_fails_the_command);
    RUN(test_a_send_task_and_a_business_rule_task_can_call_host_delegates);
    RUN(test_an_expression_service_task_stores_its_value_in_the_result_variable);
    RUN(test_an_expression_service_task_without_result_variable_only_evaluates);
    RUN(test_a_failing_service_expression_fails_the_command_naming_the_element);
    detour_set_host_invoke(NULL);
    return CHECK_SUMMARY();
}
