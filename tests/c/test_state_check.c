/*
 * test_state_check.c — a well-formed state document that the executor could not have produced
 * is refused before any command runs on it, with the state left as it was.
 */
#include "check.h"
#include "scenario.h"

static const char *MODEL = M_PROC(M_START "," M_USER("a") ",{'type':'parallelGateway','id':'fork'}," M_USER("b") ","
                                                         M_USER("c") "," M_END,
                                  "'start->a->fork->b', 'fork->c'");

/* Runs `command` on the current state after `tamper` changed a copy of it; expects a refusal. */
static void expect_refused(scenario *s, void (*tamper)(cJSON *state), const char *command_fmt, const char *arg) {
    cJSON *saved = cJSON_Duplicate(s->state, 1);
    tamper(s->state);
    sc_do(s, command_fmt, arg);
    const char *message = sc_error_message(s);
    CHECK(message && strstr(message, "Invalid state document: ") == message);
    cJSON_Delete(s->state);
    s->state = saved;
}

static cJSON *first_execution(cJSON *state) {
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(state, "executions"), 0);
}

static void take_the_token_off_the_root(cJSON *state) {
    cJSON_ReplaceItemInObjectCaseSensitive(first_execution(state), "activityId", cJSON_CreateNull());
}

static void move_the_token_to_another_activity(cJSON *state) {
    cJSON_ReplaceItemInObjectCaseSensitive(first_execution(state), "activityId", cJSON_CreateString("end"));
}

static void make_the_root_concurrent(cJSON *state) {
    cJSON_ReplaceItemInObjectCaseSensitive(first_execution(state), "isConcurrent", cJSON_CreateTrue());
}

static void test_a_task_whose_execution_holds_no_token_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, MODEL));
    CHECK(sc_start(&s, NULL));
    expect_refused(&s, take_the_token_off_the_root, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    expect_refused(&s, move_the_token_to_another_activity, "{'command':'completeTask','taskId':'%s'}",
                   sc_task(&s, "a"));
    expect_refused(&s, make_the_root_concurrent, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    /* the untouched state still works */
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    CHECK_STR(sc_tree(&s), "proc(b,c)");
    sc_close(&s);
}

/* In the forked state the concurrent children hold the tokens; the root must hold none. */
static void give_the_inactive_root_a_token(cJSON *state) {
    cJSON_ReplaceItemInObjectCaseSensitive(first_execution(state), "activityId", cJSON_CreateString("a"));
}

static void test_a_scope_holding_a_token_beside_concurrent_children_is_refused(void) {
    scenario s;
    CHECK(sc_open(&s, MODEL));
    CHECK(sc_start(&s, NULL));
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "a"));
    CHECK(sc_ok(&s));
    expect_refused(&s, give_the_inactive_root_a_token, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "b"));
    sc_close(&s);
}

int main(void) {
    RUN(test_a_task_whose_execution_holds_no_token_is_refused);
    RUN(test_a_scope_holding_a_token_beside_concurrent_children_is_refused);
    return CHECK_SUMMARY();
}
