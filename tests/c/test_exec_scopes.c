/*
 * test_exec_scopes.c — how tokens move between executions when scopes fork, merge and hold
 * activities with their own scope (input/output mappings on events).
 */
#include "check.h"
#include "scenario.h"

/* A branch that ends at once merges the last sibling into the scope before that sibling has
 * started; the sibling must still run. */
static void test_a_fork_whose_first_branch_ends_at_once_still_starts_the_other_branch(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'parallelGateway','id':'fork'},{'type':'endEvent','id':'quick'},"
                                     M_USER("slow") "," M_END,
                             "'start->fork->quick', 'fork->slow->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(slow)");
    sc_do(&s, "{'command':'completeTask','taskId':'%s'}", sc_task(&s, "slow"));
    CHECK(sc_ended(&s));
    sc_close(&s);
}

static void test_three_branches_where_two_end_at_once_leave_the_third_running(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'parallelGateway','id':'fork'},{'type':'endEvent','id':'e1'},"
                                     "{'type':'endEvent','id':'e2'}," M_USER("slow") "," M_END,
                             "'start->fork->e1', 'fork->e2', 'fork->slow->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK_STR(sc_tree(&s), "proc(slow)");
    sc_close(&s);
}

/* Input/output mappings give an event its own scope (as in Camunda); the token still ends or
 * passes through once. */
static void test_events_with_input_output_mappings_run_once_with_their_own_scope(void) {
    scenario s;
    CHECK(sc_open(&s, M_PROC(M_START ",{'type':'intermediateThrowEvent','id':'thr','inputOutput':{"
                                     "'inputParameters':[{'name':'x','value':'1'}],"
                                     "'outputParameters':[{'name':'y','value':'${x}'}]}},"
                                     "{'type':'endEvent','id':'end','inputOutput':{'inputParameters':[{'name':'z','value':'2'}]}}",
                             "'start->thr->end'")));
    CHECK(sc_start(&s, NULL));
    CHECK(sc_ended(&s));
    CHECK(sc_events(&s, "activityInstanceEnd", "activityId", "thr") == 1);
    CHECK(sc_events(&s, "activityInstanceEnd", "activityId", "end") == 1);
    const cJSON *y = sc_event(&s, "variableCreate", "name", "y", 0);
    CHECK(y != NULL);
    sc_close(&s);
}

int main(void) {
    RUN(test_a_fork_whose_first_branch_ends_at_once_still_starts_the_other_branch);
    RUN(test_three_branches_where_two_end_at_once_leave_the_third_running);
    RUN(test_events_with_input_output_mappings_run_once_with_their_own_scope);
    return CHECK_SUMMARY();
}
