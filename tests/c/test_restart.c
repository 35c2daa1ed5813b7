/*
 * test_restart.c — the `restart` command (Camunda's process instance restart, semantics.md §2)
 * through the public ABI: the refusals and their order, which variables the new instance gets
 * (the last values of the process-level ones, or with initialVariables those it was started with),
 * their delivery on the last instruction and when they count as initial, the three instruction
 * types, business key, tenant, restartedProcessInstanceId, the skip flags, and malformed input.
 *
 * The historic rows are made the way the host makes them (js/history-rows.js): an instance runs
 * through the core and its history events are folded into rows, so a restart here reads what a
 * real one would read.
 */
#include "check.h"
#include "scenario.h"

/* An ended instance of M_ONE_TASK that never ran (the rows a test writes by hand refer to it). */
#define ENDED "{'id':'old','processDefinitionId':'proc:1:test','businessKey':'bk','tenantId':null,'endTime':1}"
#define AT_A "[{'type':'startBeforeActivity','activityId':'a'}]"

/* ---------------------------------------------------------------------------------------------- */
/* historic rows from history events                                                              */
/* ---------------------------------------------------------------------------------------------- */

typedef struct historic {
    cJSON *instance;  /* the historic process instance row (NULL before its start was seen) */
    cJSON *variables; /* historic variable instance rows, one per variableInstanceId */
    cJSON *details;   /* historic detail rows, one per variable event */
} historic;

static void copy_field(cJSON *to, const char *to_name, const cJSON *from, const char *from_name) {
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(from, from_name);
    cJSON_DeleteItemFromObjectCaseSensitive(to, to_name);
    cJSON_AddItemToObject(to, to_name, f ? cJSON_Duplicate(f, 1) : cJSON_CreateNull());
}

/* Folds the history events of the scenario's last command into the rows. */
static void historic_record(historic *h, scenario *s) {
    if (!h->variables) h->variables = cJSON_CreateArray();
    if (!h->details) h->details = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, sc_history_events(s)) {
        const char *type = sc_str(e, "type");
        if (!type) continue;
        if (strcmp(type, "processInstanceStart") == 0) {
            cJSON_Delete(h->instance);
            h->instance = cJSON_CreateObject();
            copy_field(h->instance, "id", e, "processInstanceId");
            copy_field(h->instance, "processDefinitionId", e, "processDefinitionId");
            copy_field(h->instance, "businessKey", e, "businessKey");
            copy_field(h->instance, "tenantId", e, "tenantId");
            cJSON_AddNullToObject(h->instance, "endTime");
        } else if (strcmp(type, "processInstanceEnd") == 0) {
            copy_field(h->instance, "endTime", e, "endTime");
        } else if (strncmp(type, "variable", 8) == 0) {
            const char *id = sc_str(e, "variableInstanceId");
            cJSON *row = NULL, *r;
            cJSON_ArrayForEach(r, h->variables) {
                if (strcmp(sc_str(r, "id"), id) == 0) row = r;
            }
            if (!row) {
                row = cJSON_CreateObject();
                cJSON_AddStringToObject(row, "id", id);
                copy_field(row, "name", e, "name");
                copy_field(row, "executionId", e, "executionId");
                cJSON_AddItemToArray(h->variables, row);
            }
            copy_field(row, "type", e, "valueType");
            copy_field(row, "value", e, "value");
            copy_field(row, "valueInfo", e, "valueInfo");
            cJSON_DeleteItemFromObjectCaseSensitive(row, "state");
            cJSON_AddStringToObject(row, "state", strcmp(type, "variableDelete") == 0 ? "DELETED" : "CREATED");
            cJSON *detail = cJSON_CreateObject();
            copy_field(detail, "variableName", e, "name");
            copy_field(detail, "variableType", e, "valueType");
            copy_field(detail, "value", e, "value");
            copy_field(detail, "valueInfo", e, "valueInfo");
            copy_field(detail, "executionId", e, "executionId");
            copy_field(detail, "initial", e, "initial");
            cJSON_AddItemToArray(h->details, detail);
        }
    }
}

static void historic_free(historic *h) {
    cJSON_Delete(h->instance);
    cJSON_Delete(h->variables);
    cJSON_Delete(h->details);
    memset(h, 0, sizeof *h);
}

/* Runs `restart` of h's instance; `fmt` (printf, compact notation) gives the other fields,
 * instructions included. */
static const cJSON *restart(scenario *s, const historic *h, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *extra = sc_vprintf(fmt, ap);
    va_end(ap);
    char *instance = cJSON_PrintUnformatted(h->instance);
    char *variables = cJSON_PrintUnformatted(h->variables);
    char *details = cJSON_PrintUnformatted(h->details);
    const cJSON *out = sc_do(s, "{'command':'restart','historicProcessInstance':%s,'historicVariableInstances':%s,"
                                "'historicDetails':%s,%s}",
                             instance, variables, details, extra);
    free(instance);
    free(variables);
    free(details);
    free(extra);
    return out;
}

/* Whether the last command returned nothing but its error. */
static bool only_error(scenario *s) {
    return s->last && cJSON_GetArraySize(s->last) == 1 && cJSON_GetObjectItemCaseSensitive(s->last, "error");
}

/* start → a (input `seen`: whether `v` is visible there) → b (the same) → end */
#define M_SEEN_TASK(id)                                                                     \
    "{'type':'userTask','id':'" id "','inputOutput':{'inputParameters':[{'name':'seen',"   \
    "'value':'${execution.hasVariable(`v`)}'}]}}"
#define M_SEEN M_PROC(M_START "," M_SEEN_TASK("a") "," M_SEEN_TASK("b") "," M_END, "'start->a->b->end'")

/* The history of an instance of M_SEEN that was started with v = 1 and w = "x" (business key
 * "order-7"); a listener-free update set v = 2 and u = true, w was removed, and the task scope of
 * `a` had its own `seen`; it was deleted at a. */
static void run_historic(scenario *s, historic *h) {
    memset(h, 0, sizeof *h);
    CHECK(sc_open(s, M_SEEN));
    CHECK(sc_start(s, "'businessKey':'order-7','variables':{'v':{'value':1,'type':'Integer'},"
                      "'w':{'value':'x','type':'String'}}"));
    historic_record(h, s);
    sc_do(s, "{'command':'modifyVariables','modifications':{'v':{'value':2,'type':'Integer'},"
             "'u':{'value':true,'type':'Boolean'}},'deletions':['w']}");
    CHECK(sc_ok(s));
    historic_record(h, s);
    sc_do(s, "{'command':'delete'}");
    CHECK(sc_ok(s));
    historic_record(h, s);
    CHECK(sc_ended(s));
}

/* ---------------------------------------------------------------------------------------------- */
/* refusals                                                                                       */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_restart_without_instructions_is_refused_before_anything_else(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    const char *expected = "BadUserRequestException: Restart instructions cannot be empty: instructions is empty";
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED "}");
    CHECK_STR(sc_error(&s), expected);
    CHECK(only_error(&s));
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':[]}");
    CHECK_STR(sc_error(&s), expected);
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':null}");
    CHECK_STR(sc_error(&s), expected);
    /* checked before the historic instance (semantics.md §2.2 1 before 7a) */
    sc_do(&s, "{'command':'restart','historicProcessInstance':null,'instructions':[]}");
    CHECK_STR(sc_error(&s), expected);
    CHECK(s.state == NULL);
    sc_close(&s);
}

static void test_a_restart_of_a_historic_instance_that_was_not_found_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    const char *expected =
        "BadUserRequestException: Historic process instance cannot be found: historicProcessInstanceId is null";
    sc_do(&s, "{'command':'restart','historicProcessInstance':null,'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), expected);
    CHECK(only_error(&s));
    sc_do(&s, "{'command':'restart','instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), expected);
    sc_close(&s);
}

static void test_a_historic_instance_that_has_not_ended_cannot_be_restarted(void) {
    scenario s;
    historic h;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    memset(&h, 0, sizeof h);
    historic_record(&h, &s);
    restart(&s, &h, "'instructions':" AT_A);
    char expected[256];
    snprintf(expected, sizeof expected,
             "ProcessEngineException: ENGINE-13040 Historic process instance '%s' cannot be restarted. It is not "
             "completed or terminated.",
             sc_instance_id(&s));
    CHECK_STR(sc_error(&s), expected);
    CHECK(only_error(&s));
    /* an absent endTime is the same as null */
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':'old','processDefinitionId':'proc:1:test'},"
              "'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13040 Historic process instance 'old' cannot be "
                            "restarted. It is not completed or terminated.");
    historic_free(&h);
    sc_close(&s);
}

static void test_a_historic_instance_of_another_definition_cannot_be_restarted(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':'old','processDefinitionId':'proc:2:test',"
              "'endTime':1},'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13039 Historic process instance 'old' cannot be "
                            "restarted. Its process definition 'proc:2:test' does not match given process "
                            "definition 'proc:1:test'");
    CHECK(only_error(&s));
    /* the definition the caller asked for, not the model's, is the one compared */
    sc_do(&s, "{'command':'restart','processDefinitionId':'proc:3:test','historicProcessInstance':" ENDED ","
              "'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13039 Historic process instance 'old' cannot be "
                            "restarted. Its process definition 'proc:1:test' does not match given process "
                            "definition 'proc:3:test'");
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':'old','endTime':1},'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "ProcessEngineException: ENGINE-13039 Historic process instance 'old' cannot be "
                            "restarted. Its process definition 'null' does not match given process definition "
                            "'proc:1:test'");
    sc_close(&s);
}

static void test_an_unknown_target_of_the_first_instruction_is_refused_with_camundas_message(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startBeforeActivity','activityId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Element 'nope' does not exist in process proc:1:test: "
                            "targetElement is null");
    CHECK(only_error(&s));
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startTransition','transitionId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Element 'nope' does not exist in process proc:1:test: "
                            "targetElement is null");
    /* the process itself is no element to start at */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startBeforeActivity','activityId':'proc'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Element 'proc' does not exist in process proc:1:test: "
                            "targetElement is null");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startAfterActivity','activityId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start after activity 'nope'; Activity "
                            "'nope' does not exist: activity is null");
    /* a later instruction fails as it runs, with the instruction's message */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startBeforeActivity','activityId':'a'},"
              "{'type':'startBeforeActivity','activityId':'nope'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: Cannot perform instruction: Start before activity 'nope'; Element "
                            "'nope' does not exist in process 'proc:1:test': element is null");
    CHECK(only_error(&s));
    CHECK(s.state == NULL);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* variables                                                                                      */
/* ---------------------------------------------------------------------------------------------- */

static void test_a_restart_restores_the_last_values_of_the_process_variables(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    /* the task scope's own `seen` is in the rows, on another execution */
    const cJSON *row;
    int local_rows = 0;
    cJSON_ArrayForEach(row, h.variables) {
        if (strcmp(sc_str(row, "name"), "seen") == 0 && strcmp(sc_str(row, "executionId"), sc_str(h.instance, "id")))
            local_rows++;
    }
    CHECK(local_rows == 1);
    restart(&s, &h, "'instructions':[{'type':'startBeforeActivity','activityId':'b'}]");
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    /* v as updated, u created after the start; w was removed; `seen` of a's scope stays behind */
    CHECK_STR(sc_names(&s, root), "u,v");
    CHECK_STR(sc_value(&s, root, "v"), "Integer 2");
    CHECK_STR(sc_value(&s, root, "u"), "Boolean true");
    /* b's input mapping, run after the variables were set, sees them */
    const cJSON *at_b = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "b"));
    CHECK_STR(sc_value(&s, at_b, "seen"), "Boolean true");
    historic_free(&h);
    sc_close(&s);
}

static void test_a_restart_with_initial_variables_restores_the_values_the_instance_was_started_with(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    restart(&s, &h, "'initialVariables':true,'instructions':[{'type':'startBeforeActivity','activityId':'b'}]");
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    /* v as it was at the start, w although removed later; u was set after the start */
    CHECK_STR(sc_names(&s, root), "v,w");
    CHECK_STR(sc_value(&s, root, "v"), "Integer 1");
    CHECK_STR(sc_value(&s, root, "w"), "String \"x\"");
    historic_free(&h);
    sc_close(&s);
}

static void test_restored_values_keep_their_types(void) {
    scenario s;
    historic h = {0};
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, "'variables':{'l':{'value':5000000000,'type':'Long'},'d':{'value':1.5,'type':'Double'},"
                       "'t':{'value':'2026-01-01T10:00:00.000+0000','type':'Date'},"
                       "'j':{'value':'[1,2]','type':'Json'},'n':{'value':null,'type':'Null'},"
                       "'i':{'value':3,'type':'Integer'}}"));
    historic_record(&h, &s);
    sc_do(&s, "{'command':'delete'}");
    historic_record(&h, &s);
    restart(&s, &h, "'instructions':" AT_A);
    CHECK(sc_ok(&s));
    const cJSON *vars = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_value(&s, vars, "l"), "Long 5000000000");
    CHECK_STR(sc_value(&s, vars, "d"), "Double 1.5");
    CHECK_STR(sc_value(&s, vars, "t"), "Date \"2026-01-01T10:00:00.000+0000\"");
    CHECK_STR(sc_value(&s, vars, "j"), "Json \"[1,2]\"");
    CHECK_STR(sc_value(&s, vars, "n"), "Null null");
    CHECK_STR(sc_value(&s, vars, "i"), "Integer 3");
    historic_free(&h);
    sc_close(&s);
}

static void test_an_instance_started_at_several_activities_has_no_initial_variables_to_restore(void) {
    scenario s;
    historic h = {0};
    CHECK(sc_open(&s, M_SEEN));
    CHECK(sc_start(&s, "'variables':{'v':{'value':1,'type':'Integer'}},'startInstructions':["
                       "{'type':'startBeforeActivity','activityId':'a'},"
                       "{'type':'startBeforeActivity','activityId':'b'}]"));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "variableCreate", "name", "v", 0), "initial")));
    historic_record(&h, &s);
    sc_do(&s, "{'command':'delete'}");
    historic_record(&h, &s);
    restart(&s, &h, "'initialVariables':true,'instructions':" AT_A);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_names(&s, sc_query(&s, "{'command':'variables','local':true}")), "");
    /* the last values are there all the same */
    restart(&s, &h, "'instructions':" AT_A);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "v"), "Integer 1");
    historic_free(&h);
    sc_close(&s);
}

static void test_restored_variables_are_delivered_on_the_last_instruction_only(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    restart(&s, &h, "'instructions':[{'type':'startBeforeActivity','activityId':'a'},"
                    "{'type':'startBeforeActivity','activityId':'b'}]");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    /* a's input mapping ran before the variables were there, b's after */
    const cJSON *at_a = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_value(&s, at_a, "seen"), "Boolean false");
    const cJSON *at_b = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "b"));
    CHECK_STR(sc_value(&s, at_b, "seen"), "Boolean true");
    /* non-local: on the instance, not on b's token */
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_names(&s, root), "u,v");
    historic_free(&h);
    sc_close(&s);
}

static void test_restored_variables_are_initial_only_with_a_single_instruction(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    restart(&s, &h, "'instructions':[{'type':'startBeforeActivity','activityId':'b'}]");
    CHECK(sc_ok(&s));
    CHECK(sc_events(&s, "variableCreate", "name", "v") == 1);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "variableCreate", "name", "v", 0), "initial")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "variableCreate", "name", "u", 0), "initial")));
    /* what the input mapping creates is not */
    const cJSON *seen = sc_event(&s, "variableCreate", "name", "seen", 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(seen, "initial")));
    restart(&s, &h, "'instructions':[{'type':'startBeforeActivity','activityId':'a'},"
                    "{'type':'startBeforeActivity','activityId':'b'}]");
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "variableCreate", "name", "v", 0), "initial")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "variableCreate", "name", "u", 0), "initial")));
    historic_free(&h);
    sc_close(&s);
}

static void test_a_restart_of_a_restart_with_initial_variables_gets_the_same_values(void) {
    scenario s;
    historic h, again = {0};
    run_historic(&s, &h);
    restart(&s, &h, "'initialVariables':true,'instructions':" AT_A);
    CHECK(sc_ok(&s));
    historic_record(&again, &s);
    sc_do(&s, "{'command':'delete'}");
    historic_record(&again, &s);
    restart(&s, &again, "'initialVariables':true,'instructions':" AT_A);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_names(&s, sc_query(&s, "{'command':'variables','local':true}")), "v,w");
    CHECK_STR(sc_var(&s, "v"), "Integer 1");
    historic_free(&h);
    historic_free(&again);
    sc_close(&s);
}

static void test_variables_the_last_instruction_carries_win_over_restored_ones(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    restart(&s, &h, "'instructions':[{'type':'startBeforeActivity','activityId':'a'},"
                    "{'type':'startBeforeActivity','activityId':'b','variables':{'v':{'value':'mine','type':'String'},"
                    "'z':{'value':9,'type':'Integer'}}}]");
    CHECK(sc_ok(&s));
    const cJSON *root = sc_query(&s, "{'command':'variables','local':true}");
    CHECK_STR(sc_names(&s, root), "u,v,z");
    CHECK_STR(sc_value(&s, root, "v"), "String \"mine\"");
    /* the restored value is never set: the instruction's replaces it */
    CHECK(sc_events(&s, "variableCreate", "name", "v") == 1);
    CHECK(sc_events(&s, "variableUpdate", "name", "v") == 0);
    /* variables of an earlier instruction are its own: set when it runs, overwritten by the restored ones */
    restart(&s, &h, "'instructions':[{'type':'startBeforeActivity','activityId':'a','variables':"
                    "{'v':{'value':'early','type':'String'}}},{'type':'startBeforeActivity','activityId':'b'}]");
    CHECK(sc_ok(&s));
    const cJSON *at_a = sc_query(&s, "{'command':'variables','taskId':'%s'}", sc_task(&s, "a"));
    CHECK_STR(sc_value(&s, at_a, "seen"), "Boolean true");
    CHECK_STR(sc_var(&s, "v"), "Integer 2");
    historic_free(&h);
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* the new instance                                                                               */
/* ---------------------------------------------------------------------------------------------- */

static void test_each_instruction_type_starts_the_new_instance_where_it_says(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startBeforeActivity','activityId':'c'}]}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(c)");
    CHECK_STR(sc_str(s.state, "startActivityId"), "c");
    CHECK(sc_event(&s, "activityInstanceStart", "activityId", "start", 0) == NULL);
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startAfterActivity','activityId':'a'}]}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(join)");
    CHECK_STR(sc_str(s.state, "startActivityId"), "join");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startTransition','transitionId':'fork_b'},"
              "{'type':'startBeforeActivity','activityId':'a'}]}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(a,b)");
    CHECK_STR(sc_str(s.state, "startActivityId"), "b");
    CHECK_STR(sc_str(sc_event(&s, "processInstanceStart", NULL, NULL, 0), "startActivityId"), "b");
    /* it runs on as any instance */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    CHECK_STR(sc_tree(&s), "proc(c)");
    sc_close(&s);
}

static void test_the_new_instance_records_which_instance_it_restarts(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    const char *old = sc_str(h.instance, "id");
    restart(&s, &h, "'processInstanceId':'fresh','instructions':" AT_A);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(sc_result(&s), "processInstanceId"), "fresh");
    CHECK_STR(sc_instance_id(&s), "fresh");
    CHECK_STR(sc_str(s.state, "restartedProcessInstanceId"), old);
    const cJSON *start = sc_event(&s, "processInstanceStart", NULL, NULL, 0);
    CHECK_STR(sc_str(start, "processInstanceId"), "fresh");
    CHECK_STR(sc_str(start, "restartedProcessInstanceId"), old);
    CHECK_STR(sc_str(start, "startActivityId"), "a");
    /* without an id one is made from the idSeed; the same historic instance restarts again */
    restart(&s, &h, "'instructions':" AT_A);
    CHECK(sc_ok(&s));
    const char *generated = sc_str(sc_result(&s), "processInstanceId");
    CHECK(generated && strcmp(generated, "fresh") != 0 && strcmp(generated, old) != 0);
    CHECK_STR(sc_str(s.state, "restartedProcessInstanceId"), old);
    historic_free(&h);
    sc_close(&s);
}

static void test_the_business_key_is_kept_unless_without_business_key(void) {
    scenario s;
    historic h;
    run_historic(&s, &h);
    restart(&s, &h, "'instructions':" AT_A);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(s.state, "businessKey"), "order-7");
    CHECK_STR(sc_str(sc_event(&s, "processInstanceStart", NULL, NULL, 0), "businessKey"), "order-7");
    restart(&s, &h, "'withoutBusinessKey':true,'instructions':" AT_A);
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s.state, "businessKey")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(sc_event(&s, "processInstanceStart", NULL, NULL, 0),
                                                        "businessKey")));
    /* a businessKey of the command is no restart parameter */
    restart(&s, &h, "'businessKey':'other','instructions':" AT_A);
    CHECK_STR(sc_str(s.state, "businessKey"), "order-7");
    historic_free(&h);
    sc_close(&s);
}

/* Compiles `process` (compact notation) as a definition of tenant `tenant`. */
static bool open_owned_by(scenario *s, const char *process, const char *tenant) {
    memset(s, 0, sizeof *s);
    s->now = SC_T0;
    s->seed = 1;
    char *text = sc_model_document(process);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "definition"), "tenantId",
                                           cJSON_CreateString(tenant));
    text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    char *out = detour_compile(text, strlen(text));
    free(text);
    s->compiled = cJSON_Parse(out);
    detour_free(out);
    const cJSON *handle = cJSON_GetObjectItemCaseSensitive(s->compiled, "handle");
    if (!cJSON_IsNumber(handle)) return false;
    s->handle = (int32_t)handle->valuedouble;
    return true;
}

static void test_a_shared_definition_keeps_the_historic_tenant_and_an_owned_one_its_own(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':'old','processDefinitionId':'proc:1:test',"
              "'tenantId':'acme','endTime':1},'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(s.state, "tenantId"), "acme");
    CHECK_STR(sc_str(sc_event(&s, "processInstanceStart", NULL, NULL, 0), "tenantId"), "acme");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s.state, "tenantId")));
    /* a tenantId of the command is no restart parameter */
    sc_do(&s, "{'command':'restart','tenantId':'evil','historicProcessInstance':" ENDED ",'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s.state, "tenantId")));
    sc_close(&s);
    CHECK(open_owned_by(&s, M_ONE_TASK, "owner"));
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':'old','processDefinitionId':'proc:1:test',"
              "'tenantId':'acme','endTime':1},'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(s.state, "tenantId"), "owner");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_str(s.state, "tenantId"), "owner");
    sc_close(&s);
}

/* start listener L on the process and on a; a maps x = 1 */
#define M_LISTENED                                                                                              \
    "{'id':'proc','listeners':[{'event':'start','class':'L'}],'elements':[" M_START ",{'type':'userTask',"     \
    "'id':'a','listeners':[{'event':'start','class':'L'}],'inputOutput':{'inputParameters':[{'name':'x',"      \
    "'value':'1'}]}}," M_END "],'flows':['start->a->end']}"

static void test_listeners_and_input_mappings_run_unless_skipped(void) {
    sc_delegates_reset();
    sc_delegate("L", "{}");
    scenario s;
    CHECK(sc_open(&s, M_LISTENED));
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "L:start:proc L:start:a ");
    CHECK(sc_events(&s, "variableCreate", "name", "x") == 1);
    sc_calls[0] = '\0';
    sc_do(&s, "{'command':'restart','skipCustomListeners':true,'historicProcessInstance':" ENDED ","
              "'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "");
    CHECK(sc_events(&s, "variableCreate", "name", "x") == 1);
    sc_do(&s, "{'command':'restart','skipIoMappings':true,'historicProcessInstance':" ENDED ","
              "'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK_STR(sc_calls, "L:start:proc L:start:a ");
    CHECK(sc_events(&s, "variableCreate", "name", "x") == 0);
    CHECK_STR(sc_tree(&s), "proc(a)");
    sc_close(&s);
    detour_set_host_invoke(NULL);
}

/* ---------------------------------------------------------------------------------------------- */
/* the start command's initial variables                                                          */
/* ---------------------------------------------------------------------------------------------- */

static bool initial_of(scenario *s, const char *name) {
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sc_event(s, "variableCreate", "name", name, 0), "initial"));
}

static void test_a_start_records_its_variables_as_initial_only_with_at_most_one_start_instruction(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    CHECK(sc_start(&s, "'variables':{'v':{'value':1,'type':'Integer'}}"));
    CHECK(initial_of(&s, "v"));
    CHECK(sc_start(&s, "'variables':{'v':{'value':1,'type':'Integer'}},"
                       "'startInstructions':[{'type':'startBeforeActivity','activityId':'a'}]"));
    CHECK(initial_of(&s, "v"));
    CHECK(sc_start(&s, "'variables':{'v':{'value':1,'type':'Integer'}},'startInstructions':["
                       "{'type':'startBeforeActivity','activityId':'a'},"
                       "{'type':'startBeforeActivity','activityId':'b'}]"));
    CHECK(sc_event(&s, "variableCreate", "name", "v", 0) != NULL);
    CHECK(!initial_of(&s, "v"));
    /* a start instruction's own variables are not the instance's initial ones */
    CHECK(sc_start(&s, "'startInstructions':[{'type':'startBeforeActivity','activityId':'a','variables':"
                       "{'w':{'value':1,'type':'Integer'}}}]"));
    CHECK(sc_event(&s, "variableCreate", "name", "w", 0) != NULL);
    CHECK(!initial_of(&s, "w"));
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* malformed input                                                                                */
/* ---------------------------------------------------------------------------------------------- */

static void test_malformed_command_fields_are_refused(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    s.quiet = true;
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':'a'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: instructions must be an array");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':{'type':'startBeforeActivity'}}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: instructions must be an array");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':[1]}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: instructions must be objects");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':[{},[]]}");
    CHECK_STR(sc_error(&s), "NotValidException: type is null");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':[[{'type':'x'}]]}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: instructions must be objects");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startBeforeActivity'}]}");
    CHECK_STR(sc_error(&s), "NotValidException: activityId is null");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ","
              "'instructions':[{'type':'startBeforeActivity','activityId':7}]}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: activityId must be a string");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':[{'type':'jump'}]}");
    CHECK_STR(sc_error(&s), "BadUserRequestException: Unsupported start instruction type 'jump'");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':[{'type':7}]}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: type must be a string");
    sc_do(&s, "{'command':'restart','processDefinitionId':7,'historicProcessInstance':" ENDED ","
              "'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: processDefinitionId must be a string");
    sc_do(&s, "{'command':'restart','processInstanceId':[],'historicProcessInstance':" ENDED ","
              "'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: processInstanceId must be a string");
    /* the historic instance: anything but an object was not found; an object needs an id */
    sc_do(&s, "{'command':'restart','historicProcessInstance':'old','instructions':" AT_A "}");
    CHECK_STR(sc_error_type(&s), "BadUserRequestException");
    sc_do(&s, "{'command':'restart','historicProcessInstance':[" ENDED "],'instructions':" AT_A "}");
    CHECK_STR(sc_error_type(&s), "BadUserRequestException");
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'endTime':1},'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: historicProcessInstance.id must be a string");
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':7,'endTime':1},'instructions':" AT_A "}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: historicProcessInstance.id must be a string");
    /* the row lists */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A ","
              "'historicVariableInstances':{'v':{'name':'v','executionId':'old','value':1}}}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: historicVariableInstances must be an array");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A ","
              "'historicVariableInstances':'v'}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: historicVariableInstances must be an array");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A ","
              "'initialVariables':true,'historicDetails':7}");
    CHECK_STR(sc_error(&s), "InvalidRequestException: historicDetails must be an array");
    CHECK(only_error(&s));
    CHECK(s.state == NULL);
    sc_close(&s);
}

static void test_odd_historic_rows_are_skipped_or_read_as_far_as_they_go(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A ","
              "'historicVariableInstances':[1,'x',null,[],{},{'name':7,'executionId':'old'},"
              "{'name':'noExecution','value':1},{'name':'elsewhere','executionId':'other','value':1},"
              "{'name':'gone','executionId':'old','value':1,'state':'DELETED'},"
              "{'name':'bare','executionId':'old'},"
              "{'name':'inferred','executionId':'old','type':7,'value':5,'valueInfo':'odd'},"
              "{'name':'later','executionId':'old','type':'Integer','value':1,'state':7},"
              "{'name':'later','executionId':'old','type':'String','value':'two','valueInfo':{}}],"
              "'historicDetails':[{'variableName':'fromDetails','executionId':'old','initial':true,'value':1}]}");
    CHECK(sc_ok(&s));
    const cJSON *vars = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_names(&s, vars), "bare,inferred,later");
    CHECK_STR(sc_value(&s, vars, "bare"), "Null null");
    CHECK_STR(sc_value(&s, vars, "inferred"), "Integer 5");
    CHECK_STR(sc_value(&s, vars, "later"), "String \"two\"");
    /* the same with initial details */
    sc_do(&s, "{'command':'restart','initialVariables':true,'historicProcessInstance':" ENDED ","
              "'instructions':" AT_A ",'historicVariableInstances':[{'name':'last','executionId':'old','value':1}],"
              "'historicDetails':[1,null,{},{'variableName':7,'executionId':'old','initial':true},"
              "{'variableName':'notInitial','executionId':'old','value':1},"
              "{'variableName':'truthy','executionId':'old','initial':'yes','value':1},"
              "{'variableName':'elsewhere','executionId':'other','initial':true,'value':1},"
              "{'variableName':'first','executionId':'old','initial':true,'variableType':'Long','value':3}]}");
    CHECK(sc_ok(&s));
    vars = sc_query(&s, "{'command':'variables'}");
    CHECK_STR(sc_names(&s, vars), "first");
    CHECK_STR(sc_value(&s, vars, "first"), "Long 3");
    /* a value that does not convert fails the restart with the conversion's message */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",'instructions':" AT_A ","
              "'historicVariableInstances':[{'name':'n','executionId':'old','type':'Integer','value':'abc'}]}");
    CHECK_STR(sc_error_type(&s), "InvalidRequestException");
    CHECK(only_error(&s));
    /* odd business key and tenant of the historic row are ignored */
    sc_do(&s, "{'command':'restart','historicProcessInstance':{'id':'old','processDefinitionId':'proc:1:test',"
              "'businessKey':7,'tenantId':[],'endTime':1},'instructions':" AT_A "}");
    CHECK(sc_ok(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s.state, "businessKey")));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(s.state, "tenantId")));
    sc_close(&s);
}

static void test_malformed_instruction_variables_are_refused_with_restored_ones_too(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    const char *rows = "'historicVariableInstances':[{'name':'v','executionId':'old','type':'Integer','value':1}]";
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'a','variables':[]}]}",
          rows);
    CHECK_STR(sc_error(&s), "InvalidRequestException: variables must be an object");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'a','variables':'v'}]}",
          rows);
    CHECK_STR(sc_error(&s), "InvalidRequestException: variables must be an object");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'a','variables':{'w':5}}]}",
          rows);
    CHECK_STR(sc_error(&s), "InvalidRequestException: A variable value must be a JSON object {type, value, valueInfo}");
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'a','variables':"
              "{'w':{'value':1,'type':'Frobnitz'}}}]}",
          rows);
    CHECK_STR(sc_error(&s), "InvalidRequestException: Unsupported value type 'Frobnitz'");
    CHECK(only_error(&s));
    /* null variables are none; the restored ones still come */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'a','variables':null}]}",
          rows);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "v"), "Integer 1");
    /* a last instruction that is no object fails as it runs, restored variables or not */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,"
              "'instructions':[{'type':'startBeforeActivity','activityId':'a'},'b']}",
          rows);
    CHECK_STR(sc_error(&s), "InvalidRequestException: instructions must be objects");
    /* flags of another type count as absent, as for start */
    sc_do(&s, "{'command':'restart','historicProcessInstance':" ENDED ",%s,'initialVariables':'yes',"
              "'withoutBusinessKey':1,'instructions':" AT_A "}",
          rows);
    CHECK(sc_ok(&s));
    CHECK_STR(sc_var(&s, "v"), "Integer 1");
    CHECK_STR(sc_str(s.state, "businessKey"), "bk");
    sc_close(&s);
}

/* ---------------------------------------------------------------------------------------------- */
/* what a dry run asks for: the tree in the result, no state document                             */
/* ---------------------------------------------------------------------------------------------- */

/* A member of `parent` as compact text (NULL when absent); kept until sc_close. */
static const char *text_of(scenario *s, const cJSON *parent, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(parent, key);
    return item ? sc_keep(s, cJSON_PrintUnformatted(item)) : NULL;
}

#define RESTART_AT(instructions, options)                                                                 \
    "{'command':'restart','now':1767225600123,'idSeed':'0000000000000000000000000000abcd',"               \
    "'historicProcessInstance':" ENDED ",'instructions':" instructions options "}"

static void test_with_activity_instances_a_restart_returns_the_new_instances_tree(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    const char *both = "[{'type':'startTransition','transitionId':'fork_b'},{'type':'startBeforeActivity','activityId':'a'}]";
    sc_do(&s, RESTART_AT("%s", ""), both);
    CHECK(sc_ok(&s));
    const char *state = text_of(&s, s.last, "state"), *history = text_of(&s, s.last, "history");
    const char *index = text_of(&s, s.last, "index");
    const char *tree = sc_keep(&s, cJSON_PrintUnformatted(sc_activity_instances(&s)));
    sc_do(&s, RESTART_AT("%s", ",'withActivityInstances':true"), both);
    CHECK(sc_ok(&s));
    const cJSON *result = sc_result(&s);
    CHECK(cJSON_GetArraySize(result) == 2);
    CHECK(sc_str(result, "processInstanceId") && strcmp(sc_str(result, "processInstanceId"), sc_instance_id(&s)) == 0);
    CHECK_STR(text_of(&s, result, "activityInstances"), tree);
    CHECK_STR(text_of(&s, s.last, "state"), state);
    CHECK_STR(text_of(&s, s.last, "history"), history);
    CHECK_STR(text_of(&s, s.last, "index"), index);
    /* a restart that runs to the end right away has no tree */
    sc_do(&s, RESTART_AT("[{'type':'startAfterActivity','activityId':'c'}]", ",'withActivityInstances':true"));
    CHECK(sc_ok(&s));
    CHECK(sc_ended(&s));
    CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(sc_result(&s), "activityInstances")));
    /* a restart reads no instance: there is no tree before it, asked for or not */
    sc_do(&s, RESTART_AT(AT_A, ",'withActivityInstancesBefore':true"));
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetArraySize(sc_result(&s)) == 1);
    sc_close(&s);
}

static void test_omit_state_leaves_the_new_instances_state_document_out(void) {
    scenario s;
    CHECK(sc_open(&s, M_PARALLEL));
    sc_do(&s, RESTART_AT(AT_A, ",'withActivityInstances':true"));
    CHECK(sc_ok(&s));
    const char *history = text_of(&s, s.last, "history"), *index = text_of(&s, s.last, "index");
    const char *result = text_of(&s, s.last, "result");
    sc_do(&s, RESTART_AT(AT_A, ",'withActivityInstances':true,'omitState':true"));
    CHECK(sc_ok(&s));
    CHECK(cJSON_GetObjectItemCaseSensitive(s.last, "state") == NULL);
    CHECK(cJSON_GetArraySize(s.last) == 3);
    CHECK_STR(text_of(&s, s.last, "history"), history);
    CHECK_STR(text_of(&s, s.last, "index"), index);
    CHECK_STR(text_of(&s, s.last, "result"), result);
    /* a refusal is the error alone */
    s.quiet = true;
    sc_do(&s, RESTART_AT("[]", ",'withActivityInstances':true,'omitState':true"));
    CHECK(only_error(&s));
    sc_close(&s);
}

int main(void) {
    RUN(test_a_restart_without_instructions_is_refused_before_anything_else);
    RUN(test_a_restart_of_a_historic_instance_that_was_not_found_is_refused);
    RUN(test_a_historic_instance_that_has_not_ended_cannot_be_restarted);
    RUN(test_a_historic_instance_of_another_definition_cannot_be_restarted);
    RUN(test_an_unknown_target_of_the_first_instruction_is_refused_with_camundas_message);
    RUN(test_a_restart_restores_the_last_values_of_the_process_variables);
    RUN(test_a_restart_with_initial_variables_restores_the_values_the_instance_was_started_with);
    RUN(test_restored_values_keep_their_types);
    RUN(test_an_instance_started_at_several_activities_has_no_initial_variables_to_restore);
    RUN(test_restored_variables_are_delivered_on_the_last_instruction_only);
    RUN(test_restored_variables_are_initial_only_with_a_single_instruction);
    RUN(test_a_restart_of_a_restart_with_initial_variables_gets_the_same_values);
    RUN(test_variables_the_last_instruction_carries_win_over_restored_ones);
    RUN(test_each_instruction_type_starts_the_new_instance_where_it_says);
    RUN(test_the_new_instance_records_which_instance_it_restarts);
    RUN(test_the_business_key_is_kept_unless_without_business_key);
    RUN(test_a_shared_definition_keeps_the_historic_tenant_and_an_owned_one_its_own);
    RUN(test_listeners_and_input_mappings_run_unless_skipped);
    RUN(test_a_start_records_its_variables_as_initial_only_with_at_most_one_start_instruction);
    RUN(test_malformed_command_fields_are_refused);
    RUN(test_odd_historic_rows_are_skipped_or_read_as_far_as_they_go);
    RUN(test_malformed_instruction_variables_are_refused_with_restored_ones_too);
    RUN(test_with_activity_instances_a_restart_returns_the_new_instances_tree);
    RUN(test_omit_state_leaves_the_new_instances_state_document_out);
    detour_set_host_invoke(NULL);
    return CHECK_SUMMARY();
}
