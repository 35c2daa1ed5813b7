/*
 * test_batch_split.c — the `splitBatch` command (a batch seed job's split of its remaining ids,
 * docs/batches.md, semantics.md §3.4) through the public ABI: chunk sizes, the per-seed limit,
 * what is left, that it needs no state, and that malformed input is refused cleanly (the suite
 * runs under ASan/UBSan, so a leak or overread fails it).
 */
#include "check.h"
#include "scenario.h"

/* Runs splitBatch raw (no now / idSeed / state filled in) → the compact text of its result or error. */
static const char *split(scenario *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = sc_quotes(sc_vprintf(fmt, ap));
    va_end(ap);
    sc_raw(s, text, strlen(text));
    free(text);
    return s->last_text;
}

static void test_splits_into_jobs_of_invocations_per_batch_job_up_to_batch_jobs_per_seed(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK_STR(split(&s,
                    "{'command':'splitBatch','remaining':['a','b','c','d','e','f','g'],'batchJobsPerSeed':2,"
                    "'invocationsPerBatchJob':3}"),
              "{\"result\":{\"jobs\":[[\"a\",\"b\",\"c\"],[\"d\",\"e\",\"f\"]],\"remaining\":[\"g\"]}}");
    /* the last chunk may be smaller; nothing left */
    CHECK_STR(split(&s,
                    "{'command':'splitBatch','remaining':['a','b','c','d','e'],'batchJobsPerSeed':10,"
                    "'invocationsPerBatchJob':2}"),
              "{\"result\":{\"jobs\":[[\"a\",\"b\"],[\"c\",\"d\"],[\"e\"]],\"remaining\":[]}}");
    /* Camunda's defaults: one id per job */
    CHECK_STR(split(&s,
                    "{'command':'splitBatch','remaining':['x','y','z'],'batchJobsPerSeed':2,"
                    "'invocationsPerBatchJob':1}"),
              "{\"result\":{\"jobs\":[[\"x\"],[\"y\"]],\"remaining\":[\"z\"]}}");
    sc_close(&s);
}

static void test_an_empty_remaining_list_gives_no_jobs(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK_STR(split(&s, "{'command':'splitBatch','remaining':[],'batchJobsPerSeed':1,'invocationsPerBatchJob':1}"),
              "{\"result\":{\"jobs\":[],\"remaining\":[]}}");
    sc_close(&s);
}

static void test_order_and_escaping_are_kept(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    const char *cmd = "{\"command\":\"splitBatch\",\"remaining\":[\"q\\\"x\",\"b\\\\\",\"\\u00e9\"],"
                      "\"batchJobsPerSeed\":5,\"invocationsPerBatchJob\":2}";
    sc_raw(&s, cmd, strlen(cmd));
    CHECK_STR(s.last_text, "{\"result\":{\"jobs\":[[\"q\\\"x\",\"b\\\\\"],[\"\xc3\xa9\"]],\"remaining\":[]}}");
    sc_close(&s);
}

static void test_huge_limits_do_not_overflow(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK_STR(split(&s,
                    "{'command':'splitBatch','remaining':['a','b'],'batchJobsPerSeed':2147483647,"
                    "'invocationsPerBatchJob':2147483647}"),
              "{\"result\":{\"jobs\":[[\"a\",\"b\"]],\"remaining\":[]}}");
    sc_close(&s);
}

static void test_it_needs_no_state_and_ignores_one(void) {
    scenario s;
    CHECK(sc_open(&s, M_ONE_TASK));
    CHECK(sc_start(&s, NULL));
    /* sc_do fills in now, idSeed and the state: all ignored */
    sc_do(&s, "{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':1,'invocationsPerBatchJob':1}");
    CHECK(sc_ok(&s));
    CHECK_STR(s.last_text, "{\"result\":{\"jobs\":[[\"a\"]],\"remaining\":[]}}");
    CHECK(!sc_ended(&s));
    sc_close(&s);
}

static void test_malformed_input_is_refused(void) {
    scenario s;
    CHECK(sc_open_with(&s, M_ONE_TASK, true));
    const char *ids = "InvalidRequestException: remaining must be an array of strings";
    const char *per_seed = "InvalidRequestException: batchJobsPerSeed must be a positive integer";
    const char *per_job = "InvalidRequestException: invocationsPerBatchJob must be a positive integer";
    const struct {
        const char *command;
        const char *error;
    } cases[] = {
        {"{'command':'splitBatch','batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':null,'batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':'a','batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':{'a':1},'batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':['a',1],'batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':['a',null],'batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':[['a']],'batchJobsPerSeed':1,'invocationsPerBatchJob':1}", ids},
        {"{'command':'splitBatch','remaining':['a'],'invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':0,'invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':-3,'invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':1.5,'invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':'2','invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':1e300,'invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':2147483648,'invocationsPerBatchJob':1}", per_seed},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':1}", per_job},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':1,'invocationsPerBatchJob':null}", per_job},
        {"{'command':'splitBatch','remaining':['a'],'batchJobsPerSeed':1,'invocationsPerBatchJob':true}", per_job},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        split(&s, "%s", cases[i].command);
        CHECK_STR(sc_error(&s), cases[i].error);
    }
    /* not JSON at all, or truncated */
    const char *broken = "{\"command\":\"splitBatch\",\"remaining\":[\"a\"";
    sc_raw(&s, broken, strlen(broken));
    CHECK(sc_error_type(&s) != NULL);
    sc_raw(&s, broken, 5);
    CHECK(sc_error_type(&s) != NULL);
    sc_close(&s);
}

int main(void) {
    RUN(test_splits_into_jobs_of_invocations_per_batch_job_up_to_batch_jobs_per_seed);
    RUN(test_an_empty_remaining_list_gives_no_jobs);
    RUN(test_order_and_escaping_are_kept);
    RUN(test_huge_limits_do_not_overflow);
    RUN(test_it_needs_no_state_and_ignores_one);
    RUN(test_malformed_input_is_refused);
    return CHECK_SUMMARY();
}
