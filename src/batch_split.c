/*
 * batch_split.c — the `splitBatch` command (docs/core-abi.md, docs/batches.md): one run of a
 * batch's seed job over the ids no seed job has handed out yet. It takes up to batchJobsPerSeed
 * chunks of invocationsPerBatchJob ids each, in order (the last chunk may be smaller), and
 * returns them with the ids left for the next seed job (Camunda's BatchSeedJobHandler /
 * BatchJobHandler.createJobs, semantics.md §3.4). The host and the browser's dry run split alike.
 *
 * It reads no state: the compiled model it runs under is only the ABI's entry (the host passes
 * the batch's definition's handle). Malformed input is refused with InvalidRequestException and
 * nothing else; ids are copied as they are (JSON strings, escaped again on output).
 */
#include "batch_split.h"

#include <stdint.h>

#include "json_writer.h"

/* A positive integer parameter (required). */
static bool positive_int(const cJSON *cmd, const char *name, int64_t *out, error *err) {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(cmd, name);
    if (!cJSON_IsNumber(p) || p->valuedouble != p->valuedouble || p->valuedouble < 1 || p->valuedouble > 2147483647.0 ||
        p->valuedouble != (double)(int64_t)p->valuedouble)
        return error_set(err, ERR_INVALID_REQUEST, "%s must be a positive integer", name);
    *out = (int64_t)p->valuedouble;
    return true;
}

char *batch_split_run(const cJSON *cmd, error *err) {
    const cJSON *remaining = cJSON_GetObjectItemCaseSensitive(cmd, "remaining");
    if (!cJSON_IsArray(remaining)) {
        error_set(err, ERR_INVALID_REQUEST, "remaining must be an array of strings");
        return NULL;
    }
    for (const cJSON *id = remaining->child; id; id = id->next) {
        if (!cJSON_IsString(id) || !id->valuestring) {
            error_set(err, ERR_INVALID_REQUEST, "remaining must be an array of strings");
            return NULL;
        }
    }
    int64_t per_seed, per_job;
    if (!positive_int(cmd, "batchJobsPerSeed", &per_seed, err) ||
        !positive_int(cmd, "invocationsPerBatchJob", &per_job, err))
        return NULL;

    json_writer out = {0};
    jw_object_begin(&out);
    jw_key(&out, "result");
    jw_object_begin(&out);
    jw_key(&out, "jobs");
    jw_array_begin(&out);
    const cJSON *id = remaining->child;
    for (int64_t job = 0; id && job < per_seed; job++) {
        jw_array_begin(&out);
        for (int64_t n = 0; id && n < per_job; n++, id = id->next) jw_string(&out, id->valuestring);
        jw_array_end(&out);
    }
    jw_array_end(&out);
    jw_key(&out, "remaining");
    jw_array_begin(&out);
    for (; id; id = id->next) jw_string(&out, id->valuestring);
    jw_array_end(&out);
    jw_object_end(&out);
    jw_object_end(&out);
    return jw_take(&out);
}
