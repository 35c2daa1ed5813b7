/*
 * test_exec_variables.c — variables through the public ABI: typed values, Camunda's scoping
 * (setVariable walks up to the scope that has the variable, else the process instance; local stays
 * local), the modifyVariables command and the variables query, camunda:inputOutput mappings, and
 * execution listeners (expression and host-delegate kinds; start, end, take).
 */
#include "check.h"
#include "scenario.h"

/* start → sub (input l = ${1}, x = 'inner') { s1 → inner → e1 } → a → end */
static const char *SCOPED =
    M_PROC(M_START ",{'type':'subProcess','id':'sub','inputOutput':{'inputParameters':["
                   "{'name':'l','value':'${1}'},{'name':'x','value':'inner'}]},'elements':["
                   "{'type':'startEvent','id':'s1'}," M_USER("inner") ",{'type':'endEvent','id':'e1'}],"
                   "'flows':['s1->inner->e1']}," M_USER("a") "," M_END,
           "'start->sub->a->end'");

/* The `value` of variable `name` in a variables map as text (strings unquoted). */
static const char *text_of(scenario *s, const cJSON *vars, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(vars, name), "value");
    if (!v) return "(absent)";
    if (cJSON_IsString(v)) return sc_field(s, cJSON_GetObjectItemCaseSensitive(vars, name), "value");
    return sc_keep(s, cJSON_PrintUnformatted(v));
}

/* The execution id of the first activity instance of `activity_id`. */
static const char *execution_of(scenario *s, const char *activity_id) {
    const cJSON *node = sc_node_in(sc_activity_instances(s), activity_id);
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(node, "executionIds");
    const char *id = cJSON_GetStringValue(cJSON_GetArrayItem(ids, 0));
    if (!id) id = sc_str(node, "executionId"); /* a transition instance */
    return id ? sc_keep(s, sc_dup(id)) : NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* typed values                                                                                   */
/* ---------------------------------------------------------------------------------------------- */

static void test_variables_of_every_type_come_back_with_their_type_and_value(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a"), "'start->a'")));
    CHECK(sc_start(&s, "'variables':{"
                       "'s':{'value':'text','type':'String'},"
                       "'i':{'value':42,'type':'Integer'},"
                       "'l':{'value':5000000000,'type':'Long'},"
                       "'d':{'value':1.5,'type':'Double'},"
                       "'b':{'value':true,'type':'Boolean'},"
                       "'t':{'value':'2026-01-01T10:00:00.000+0000','type':'Date'},"
                       "'j':{'value':'{\\\"k\\\":[1,2]}','type':'Json'},"
                       "'n':{'value':null,'type':'Null'}}"));
    const cJSON *vars = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_value(&s, vars, "s"), "String \"text\"");
    CHECK_STR(sc_value(&s, vars, "i"), "Integer 42");
    CHECK_STR(sc_value(&s, vars, "l"), "Long 5000000000");
    CHECK_STR(sc_value(&s, vars, "d"), "Double 1.5");
    CHECK_STR(sc_value(&s, vars, "b"), "Boolean true");
    CHECK_STR(sc_value(&s, vars, "t"), "Date \"2026-01-01T10:00:00.000+0000\"");
    CHECK_STR(text_of(&s, vars, "j"), "{\"k\":[1,2]}");
    CHECK_STR(sc_str(cJSON_GetObjectItemCaseSensitive(vars, "j"), "type"), "Json");
    CHECK_STR(sc_value(&s, vars, "n"), "Null null");
    /* each was created, initial, in the start's history */
    CHECK(sc_events(&s, "variableCreate", NULL, NULL) == 8);
    CHECK_STR(sc_str(sc_event(&s, "variableCreate", "name", "t", 0), "valueType"), "Date");
    CHECK_STR(sc_str(sc_event(&s, "variableCreate", "name", "l", 0), "valueType"), "Long");
    sc_close(&s);
}

static void test_a_value_that_does_not_fit_its_type_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a"), "'start->a'")));
    sc_do(&s, "{'command':'start','variables':{'i':{'value':'abc','type':'Integer'}}}");
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "Cannot convert value 'abc' of type 'Integer'") != NULL);
    sc_do(&s, "{'command':'start','variables':{'i':{'value':3000000000,'type':'Integer'}}}");
    CHECK(sc_error(&s) != NULL);
    sc_do(&s, "{'command':'start','variables':{'i':{'value':1,'type':'Frobnitz'}}}");
    CHECK_STR(sc_error_message(&s), "Unsupported value type 'Frobnitz'");
    CHECK(s.state == NULL);
    sc_close(&s);
}

static void test_a_typed_value_without_a_type_is_inferred_from_the_json(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a"), "'start->a'")));
    CHECK(sc_start(&s, "'variables':{'s':{'value':'x'},'i':{'value':7},'d':{'value':0.25},'b':{'value':false}}"));
    const cJSON *vars = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_value(&s, vars, "s"), "String \"x\"");
    CHECK_STR(sc_value(&s, vars, "i"), "Integer 7");
    CHECK_STR(sc_value(&s, vars, "d"), "Double 0.25");
    CHECK_STR(sc_value(&s, vars, "b"), "Boolean false");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* scoping                                                                                        */
/* ---------------------------------------------------------------------------------------------- */

static void test_set_variable_updates_the_scope_that_has_it_and_creates_new_ones_on_the_instance(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'l':{'value':5,'type':'Integer'},"
              "'g':{'value':6,'type':'Integer'}}}",
          sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    /* l lived on the subprocess scope, which is gone now; g went to the instance */
    CHECK_STR(sc_var(&s, "g"), "Integer 6");
    CHECK_STR(sc_var(&s, "l"), "(absent)");
    CHECK_STR(sc_str(sc_event(&s, "variableUpdate", NULL, NULL, 0), "name"), "l");
    CHECK_STR(sc_str(sc_event(&s, "variableCreate", NULL, NULL, 0), "name"), "g");
    sc_close(&s);
}

static void test_the_nearest_definition_of_a_variable_wins_when_reading(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, "'variables':{'x':{'value':'outer','type':'String'}}"));
    const cJSON *at_task = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK_STR(sc_value(&s, at_task, "x"), "String \"inner\"");
    CHECK_STR(sc_value(&s, at_task, "l"), "Long 1"); /* a JUEL integer literal is a Long */
    CHECK_STR(sc_var(&s, "x"), "String \"outer\"");
    CHECK_STR(sc_var(&s, "l"), "(absent)");
    sc_close(&s);
}

static void test_the_variables_query_answers_for_an_activity_instance_locally_or_with_its_ancestors(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, "'variables':{'top':{'value':1,'type':'Integer'}}"));
    const char *sub = sc_instance_of(&s, "sub");
    const cJSON *local = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}", sub);
    CHECK_STR(sc_names(&s, local), "l,x");
    const cJSON *all = sc_query(&s, "{'command':'variables','activityInstanceId':'%s'}", sub);
    CHECK_STR(sc_names(&s, all), "l,top,x");
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_names(&s, root), "top");
    s.quiet = true;
    sc_query(&s, "{'command':'variables','activityInstanceId':'nope'}");
    CHECK(cJSON_GetObjectItemCaseSensitive(s.query, "error") != NULL);
    sc_close(&s);
}

static void test_modify_variables_is_local_to_the_execution_by_default(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, NULL));
    const char *sub_exec = execution_of(&s, "sub");
    CHECK(sub_exec && strcmp(sub_exec, sc_instance_id(&s)) != 0);
    sc_do(&s, "{'command':'modifyVariables','executionId':'%s','modifications':{'m':{'value':1,'type':'Integer'}}}",
          sub_exec);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "m"), "(absent)");
    const cJSON *local = sc_query(&s, "{'command':'variables','executionId':'%s','local':true}", sub_exec);
    CHECK_STR(sc_value(&s, local, "m"), "Integer 1");
    sc_close(&s);
}

static void test_modify_variables_non_local_walks_up_to_the_scope_that_has_the_variable(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, NULL));
    const char *task_exec = sc_str(sc_entry(&s, "tasks", "taskDefinitionKey", "inner", 0), "executionId");
    const char *sub = sc_instance_of(&s, "sub");
    sc_do(&s, "{'command':'modifyVariables','executionId':'%s','local':false,"
              "'modifications':{'l':{'value':9,'type':'Integer'},'fresh':{'value':true,'type':'Boolean'}}}",
          task_exec);
    CHECK(sc_ok(&s));
    const cJSON *sub_vars = sc_query(&s, "{'command':'variables','activityInstanceId':'%s','local':true}", sub);
    CHECK_STR(sc_value(&s, sub_vars, "l"), "Integer 9");
    CHECK_STR(sc_value(&s, sub_vars, "fresh"), "(absent)");
    CHECK_STR(sc_var(&s, "fresh"), "Boolean true");
    sc_close(&s);
}

static void test_modify_variables_deletes_where_the_variable_lives(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, "'variables':{'top':{'value':1,'type':'Integer'}}"));
    const char *task_exec = sc_str(sc_entry(&s, "tasks", "taskDefinitionKey", "inner", 0), "executionId");
    sc_do(&s, "{'command':'modifyVariables','executionId':'%s','local':false,'deletions':['l','top','nothing']}",
          task_exec);
    CHECK(sc_ok(&s));
    CHECK(sc_events(&s, "variableDelete", NULL, NULL) == 2);
    const cJSON *at_task = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK_STR(sc_names(&s, at_task), "x");
    sc_close(&s);
}

static void test_modify_variables_on_the_instance_by_default(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'modifyVariables','modifications':{'v':{'value':'x','type':'String'}}}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "v"), "String \"x\"");
    const cJSON *created = sc_event(&s, "variableCreate", NULL, NULL, 0);
    CHECK_STR(sc_str(created, "executionId"), sc_instance_id(&s));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(created, "initial")));
    sc_close(&s);
}

static void test_modify_variables_of_an_unknown_execution_fails(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'modifyVariables','executionId':'nope','modifications':{'v':{'value':1}}}");
    CHECK_STR(sc_error_type(&s), "NotFoundException");
    sc_close(&s);
}

/* The ABI's taskId parameter names a user task: local variables are the task's own (Camunda's
 * TaskService.setVariablesLocal). */
static void test_modify_variables_with_a_task_id_sets_task_local_variables(void) {
    scenario s;
    CHECK(sc_open(&s, SCOPED));
    CHECK(sc_start(&s, NULL));
    const char *task = sc_task(&s, "inner");
    sc_do(&s, "{'command':'modifyVariables','taskId':'%s','modifications':{'tv':{'value':1,'type':'Integer'}}}", task);
    CHECK(sc_ok(&s));
    const cJSON *task_local = sc_query(&s, "{'command':'variables','taskId':'%s','local':true}", task);
    CHECK_STR(sc_value(&s, task_local, "tv"), "Integer 1");
    CHECK_STR(sc_var(&s, "tv"), "(absent)");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* input / output mappings                                                                        */
/* ---------------------------------------------------------------------------------------------- */

/* start → a (inputs: literal, expression, list, map, null; output result = ${doubled + 1}) → b → end */
static const char *IO_TASK =
    M_PROC(M_START ",{'type':'userTask','id':'a','inputOutput':{'inputParameters':["
                   "{'name':'greeting','value':'hello'},"
                   "{'name':'doubled','value':'${n * 2}'},"
                   "{'name':'items','list':[{'value':'one'},{'value':'${n}'}]},"
                   "{'name':'table','map':[{'key':'k','value':'${n}'},{'key':'w','value':'v'}]},"
                   "{'name':'nothing'}],"
                   "'outputParameters':[{'name':'result','value':'${doubled + 1}'}]}},"
           M_USER("b") "," M_END,
           "'start->a->b->end'");

static void test_input_mappings_create_variables_local_to_the_activity(void) {
    scenario s;
    CHECK(sc_open(&s, IO_TASK));
    CHECK(sc_start(&s, "'variables':{'n':{'value':3,'type':'Integer'}}"));
    CHECK_STR(sc_tree(&s), "proc(a)");
    const cJSON *at_task = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_value(&s, at_task, "greeting"), "String \"hello\"");
    CHECK_STR(sc_value(&s, at_task, "doubled"), "Long 6");
    CHECK_STR(sc_str(cJSON_GetObjectItemCaseSensitive(at_task, "items"), "type"), "Json");
    CHECK_STR(text_of(&s, at_task, "items"), "[\"one\",3]");
    CHECK_STR(text_of(&s, at_task, "table"), "{\"k\":3,\"w\":\"v\"}");
    CHECK_STR(sc_value(&s, at_task, "nothing"), "Null null");
    /* none of them is visible on the instance */
    const cJSON *root = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_names(&s, root), "n");
    /* the task's activity has its own scope execution holding them */
    const char *task_exec = sc_str(sc_entry(&s, "tasks", "taskDefinitionKey", "a", 0), "executionId");
    CHECK(task_exec && strcmp(task_exec, sc_instance_id(&s)) != 0);
    sc_close(&s);
}

static void test_output_mappings_write_to_the_parent_scope_when_the_activity_ends(void) {
    scenario s;
    CHECK(sc_open(&s, IO_TASK));
    CHECK(sc_start(&s, "'variables':{'n':{'value':3,'type':'Integer'}}"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b)");
    const cJSON *root = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_names(&s, root), "n,result");
    CHECK_STR(sc_value(&s, root, "result"), "Long 7");
    sc_close(&s);
}

static void test_a_subprocess_output_mapping_reads_its_local_variables(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'subProcess','id':'sub','inputOutput':{"
                                     "'inputParameters':[{'name':'inside','value':'in-${base}'}],"
                                     "'outputParameters':[{'name':'out','value':'${inside}'}]},'elements':["
                                     "{'type':'startEvent','id':'s1'}," M_USER("inner") ",{'type':'endEvent','id':'e1'}],"
                                     "'flows':['s1->inner->e1']}," M_USER("a") "," M_END,
                             "'start->sub->a->end'")));
    CHECK(sc_start(&s, "'variables':{'base':{'value':'x','type':'String'}}"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "inner"));
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_names(&s, root), "base,out");
    CHECK_STR(sc_value(&s, root, "out"), "String \"in-x\"");
    sc_close(&s);
}

static void test_skip_io_mappings_at_start_skips_input_mappings(void) {
    scenario s;
    CHECK(sc_open(&s, IO_TASK));
    CHECK(sc_start(&s, "'skipIoMappings':true,'variables':{'n':{'value':3,'type':'Integer'}}"));
    const cJSON *at_task = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_names(&s, at_task), "n");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* execution listeners                                                                            */
/* ---------------------------------------------------------------------------------------------- */

static void test_start_and_end_expression_listeners_run_when_the_activity_starts_and_ends(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','listeners':["
                                     "{'event':'start','expression':'${execution.setVariable(`started`, true)}'},"
                                     "{'event':'end','expression':'${execution.setVariable(`ended`, execution.activityId)}'}]},"
                             M_USER("b") "," M_END,
                             "'start->a->b->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_var(&s, "started"), "Boolean true");
    CHECK_STR(sc_var(&s, "ended"), "(absent)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "ended"), "String \"a\"");
    sc_close(&s);
}

static void test_a_take_listener_runs_when_its_flow_is_taken(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START "," M_USER("a") "," M_END,
                             "'a->end',{'id':'toA','sourceRef':'start','targetRef':'a','listeners':["
                             "{'event':'take','expression':'${execution.setVariable(`taken`, true)}'}]}")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_var(&s, "taken"), "Boolean true");
    sc_close(&s);
}

static void test_class_listeners_call_the_host_in_camunda_order(void) {
    sc_delegates_reset();
    sc_delegate("L", "{}");
    scenario s;
    CHECK(sc_open(&s, "{'id':'proc','listeners':[{'event':'start','class':'L'},{'event':'end','class':'L'}],"
                      "'elements':[" M_START ",{'type':'userTask','id':'a','listeners':[{'event':'start','class':'L'},"
                      "{'event':'end','class':'L'}]}," M_END "],"
                      "'flows':['start->a',{'id':'toEnd','sourceRef':'a','targetRef':'end','listeners':"
                      "[{'event':'take','class':'L'}]}]}"));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_calls, "L:start:proc L:start:a ");
    sc_calls[0] = '\0';
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK(strncmp(sc_calls, "L:end:a L:take:", strlen("L:end:a L:take:")) == 0);
    CHECK(strstr(sc_calls, "L:end:proc ") != NULL);
    sc_close(&s);
}

static void test_a_delegate_expression_listener_may_set_variables(void) {
    sc_delegates_reset();
    sc_delegate("audit", "{'variables':{'audited':{'value':true,'type':'Boolean'}}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','listeners':["
                                     "{'event':'start','delegateExpression':'${audit}'}]}," M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_calls, "audit:start:a ");
    CHECK_STR(sc_var(&s, "audited"), "Boolean true");
    sc_close(&s);
}

static void test_a_failing_listener_fails_the_command(void) {
    sc_delegates_reset();
    sc_delegate("L", "{'error':{'message':'listener broke'}}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','listeners':[{'event':'end','class':'L'}]},"
                             M_USER("b") "," M_END,
                             "'start->a->b->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    const char *message = sc_error_message(&s);
    CHECK(message && strstr(message, "listener broke") != NULL);
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

static void test_skip_custom_listeners_at_start_calls_no_listener(void) {
    sc_delegates_reset();
    sc_delegate("L", "{}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','listeners':[{'event':'start','class':'L'}]}," M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, "'skipCustomListeners':true"));
    CHECK_STR(sc_calls, "");
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
}

/* Cancelling an activity runs its end listeners (unless the request skips them). */
static void test_deleting_an_instance_runs_end_listeners_unless_skipped(void) {
    sc_delegates_reset();
    sc_delegate("L", "{}");
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','listeners':[{'event':'end','class':'L'}]}," M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'delete'}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "L:end:a ");
    sc_close(&s);
    sc_calls[0] = '\0';
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'userTask','id':'a','listeners':[{'event':'end','class':'L'}]}," M_END,
                             "'start->a->end'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'delete','skipCustomListeners':true}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "");
    sc_close(&s);
}

/* A concurrent execution is no scope: setVariable from a parallel branch goes to the instance. */
static void test_a_variable_set_in_a_parallel_branch_lands_on_the_process_instance(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'parallelGateway','id':'fork'}," M_USER("a") "," M_USER("b"),
                             "'start->fork->a', 'fork->b'")));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s','variables':{'fromA':{'value':1,'type':'Integer'}}}",
          sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_value(&s, root, "fromA"), "Integer 1");
    CHECK_STR(sc_str(sc_event(&s, "variableCreate", NULL, NULL, 0), "executionId"), sc_instance_id(&s));
    sc_close(&s);
}

static void test_expressions_can_read_the_business_key_and_the_current_activity(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'serviceTask','id':'svc','expression':"
                                     "'${execution.processBusinessKey}/${execution.activityId}','resultVariable':'where'},"
                             M_USER("a"),
                             "'start->svc->a'")));
    CHECK(sc_start(&s, "'businessKey':'bk-7'"));
    CHECK_STR(sc_var(&s, "where"), "String \"bk-7/svc\"");
    sc_close(&s);
}

int main(void) {
    RUN(test_variables_of_every_type_come_back_with_their_type_and_value);
    RUN(test_a_value_that_does_not_fit_its_type_is_refused);
    RUN(test_a_typed_value_without_a_type_is_inferred_from_the_json);
    RUN(test_set_variable_updates_the_scope_that_has_it_and_creates_new_ones_on_the_instance);
    RUN(test_the_nearest_definition_of_a_variable_wins_when_reading);
    RUN(test_a_variable_set_in_a_parallel_branch_lands_on_the_process_instance);
    RUN(test_expressions_can_read_the_business_key_and_the_current_activity);
    RUN(test_the_variables_query_answers_for_an_activity_instance_locally_or_with_its_ancestors);
    RUN(test_modify_variables_is_local_to_the_execution_by_default);
    RUN(test_modify_variables_non_local_walks_up_to_the_scope_that_has_the_variable);
    RUN(test_modify_variables_deletes_where_the_variable_lives);
    RUN(test_modify_variables_on_the_instance_by_default);
    RUN(test_modify_variables_of_an_unknown_execution_fails);
    RUN(test_modify_variables_with_a_task_id_sets_task_local_variables);
    RUN(test_input_mappings_create_variables_local_to_the_activity);
    RUN(test_output_mappings_write_to_the_parent_scope_when_the_activity_ends);
    RUN(test_a_subprocess_output_mapping_reads_its_local_variables);
    RUN(test_skip_io_mappings_at_start_skips_input_mappings);
    RUN(test_start_and_end_expression_listeners_run_when_the_activity_starts_and_ends);
    RUN(test_a_take_listener_runs_when_its_flow_is_taken);
    RUN(test_class_listeners_call_the_host_in_camunda_order);
    RUN(test_a_delegate_expression_listener_may_set_variables);
    RUN(test_a_failing_listener_fails_the_command);
    RUN(test_skip_custom_listeners_at_start_calls_no_listener);
    RUN(test_deleting_an_instance_runs_end_listeners_unless_skipped);
    detour_set_host_invoke(NULL);
    return CHECK_SUMMARY();
}
