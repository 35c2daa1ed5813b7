/*
 * batch_split.h — the `splitBatch` command: how a batch's seed job hands out its remaining
 * instance ids as execution jobs (semantics.md §3.4, docs/batches.md). Stateless: it needs no
 * instance, only the command document.
 */
#ifndef DETOUR_BATCH_SPLIT_H
#define DETOUR_BATCH_SPLIT_H

#include "cJSON.h"
#include "error.h"

/* {remaining: [ids], batchJobsPerSeed, invocationsPerBatchJob} → the result document's text
 * {"result":{"jobs":[[ids],...],"remaining":[ids]}} (caller frees), or NULL with err set. */
char *batch_split_run(const cJSON *cmd, error *err);

#endif
