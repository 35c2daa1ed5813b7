/*
 * fuzz_core.c — libFuzzer target for the core's JSON entry points.
 *
 * The first byte of an input selects the entry point (its value modulo 4; the seed corpus uses
 * the digits '0'..'3'), the rest is the document:
 *   0  detour_compile(rest); a handle it returns is released again
 *   1  detour_execute(handle of tests/fuzz/model.json, rest)
 *   2  detour_execute(handles never compiled: -1, 0, 1 << 30, rest)
 *   3  rest split at the first '\n': detour_compile(first part), then detour_execute(that handle,
 *      second part), then detour_release
 * A fake host answers delegate calls in turn with nothing, variables, a BPMN error, a failure
 * and malformed JSON, starting at the reply the first byte's upper bits pick (so each input
 * replays the same way). Every result is freed, so LeakSanitizer reports anything the core loses.
 * The model compiled at start-up stays compiled for the whole run (reachable, not a leak).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "detour.h"

#ifndef DETOUR_FUZZ_MODEL
#define DETOUR_FUZZ_MODEL "tests/fuzz/model.json"
#endif

static int32_t model_handle = 1;
static unsigned host_turn; /* which reply the fake host gives next */

static char *fuzz_host_invoke(const char *request, size_t len) {
    static const char *const replies[] = {
        NULL,
        "{\"variables\":{\"approved\":{\"type\":\"Boolean\",\"value\":true}}}",
        "{\"bpmnError\":{\"errorCode\":\"E1\"}}",
        "{\"error\":{\"message\":\"delegate failed\"}}",
        "{\"variables\":",
    };
    (void)request;
    (void)len;
    const char *reply = replies[host_turn++ % (sizeof replies / sizeof replies[0])];
    if (!reply) return NULL;
    size_t n = strlen(reply);
    char *out = detour_alloc(n + 1);
    if (out) memcpy(out, reply, n + 1);
    return out;
}

/* The "handle" of a compile result, or -1. */
static int32_t handle_of(const char *result) {
    cJSON *doc = result ? cJSON_Parse(result) : NULL;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(doc, "handle");
    int32_t handle = cJSON_IsNumber(h) ? (int32_t)h->valuedouble : -1;
    cJSON_Delete(doc);
    return handle;
}

static int32_t compile_and_free(const char *text, size_t len) {
    char *result = detour_compile(text, len);
    int32_t handle = handle_of(result);
    detour_free(result);
    return handle;
}

static void execute_and_free(int32_t handle, const char *text, size_t len) {
    detour_free(detour_execute(handle, text, len));
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    detour_set_host_invoke(fuzz_host_invoke);
    FILE *f = fopen(DETOUR_FUZZ_MODEL, "rb");
    if (!f) return 0;
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    int32_t handle = compile_and_free(text, n);
    if (handle >= 0) model_handle = handle;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    host_turn = data[0] >> 2;
    const char *rest = (const char *)data + 1;
    size_t len = size - 1;
    switch (data[0] % 4) {
    case 0: {
        int32_t handle = compile_and_free(rest, len);
        if (handle >= 0) detour_release(handle);
        break;
    }
    case 1:
        execute_and_free(model_handle, rest, len);
        break;
    case 2:
        execute_and_free(-1, rest, len);
        execute_and_free(0, rest, len);
        execute_and_free(1 << 30, rest, len);
        break;
    case 3: {
        const char *nl = memchr(rest, '\n', len);
        size_t first = nl ? (size_t)(nl - rest) : len;
        int32_t handle = compile_and_free(rest, first);
        size_t second_off = nl ? first + 1 : len;
        execute_and_free(handle, rest + second_off, len - second_off);
        if (handle >= 0) detour_release(handle);
        break;
    }
    }
    return 0;
}
