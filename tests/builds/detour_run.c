/*
 * detour_run.c — runs one prepared scenario through the native core and prints every call and
 * its result, so tests/builds/scenarios.test.js can compare the native build with the two
 * WebAssembly builds (loaded through js/core.js) byte for byte. CMake builds it into
 * build/test/detour_run, with the sanitized core (ASan + UBSan).
 *
 * Input (stdin), made by tests/builds/runners.js from a scenario in tests/builds/scenarios/:
 *   {"model":"<model document text>", "commands":["<command text>", ...],
 *    "handle":N or null,                       (execute against N instead of the compiled handle)
 *    "delegates":{"<name>":"<reply text>" or null, ...}}
 * Output (stdout): a JSON array of events, in call order:
 *   {"call":"compile","result":"<text>"}  {"call":"invoke","request":"<text>"}
 *   {"call":"execute","result":"<text>"}  {"call":"release","released":true|false}
 * Results are carried as JSON strings, so the comparison is of the exact bytes the core returned.
 * Everything allocated is freed (the sanitized build's leak check runs at exit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "detour.h"

static cJSON *events;          /* the output array */
static const cJSON *delegates; /* the scenario's "delegates" object (may be NULL) */

static void add_event(const char *call, const char *key, const char *text) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "call", call);
    cJSON_AddStringToObject(e, key, text ? text : "(null)");
    cJSON_AddItemToArray(events, e);
}

/* The host: answers a delegate request with the scenario's reply for that delegate name. */
static char *run_host_invoke(const char *request, size_t len) {
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    memcpy(copy, request, len);
    copy[len] = '\0';
    add_event("invoke", "request", copy);
    cJSON *req = cJSON_Parse(copy);
    free(copy);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(req, "delegate");
    const cJSON *reply = cJSON_IsString(name)
                             ? cJSON_GetObjectItemCaseSensitive(delegates, name->valuestring)
                             : NULL;
    char *out = NULL;
    if (cJSON_IsString(reply)) {
        size_t n = strlen(reply->valuestring);
        out = detour_alloc(n + 1);
        if (out) memcpy(out, reply->valuestring, n + 1);
    }
    cJSON_Delete(req);
    return out;
}

static char *read_all(FILE *f) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) break;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf) buf[len] = '\0';
    return buf;
}

int main(void) {
    char *input = read_all(stdin);
    cJSON *scenario = input ? cJSON_Parse(input) : NULL;
    free(input);
    const cJSON *model = cJSON_GetObjectItemCaseSensitive(scenario, "model");
    const cJSON *commands = cJSON_GetObjectItemCaseSensitive(scenario, "commands");
    if (!cJSON_IsString(model) || !cJSON_IsArray(commands)) {
        fprintf(stderr, "detour_run: expected {\"model\":\"...\",\"commands\":[\"...\"]} on stdin\n");
        cJSON_Delete(scenario);
        return 2;
    }
    delegates = cJSON_GetObjectItemCaseSensitive(scenario, "delegates");
    events = cJSON_CreateArray();
    detour_set_host_invoke(run_host_invoke);

    char *compiled = detour_compile(model->valuestring, strlen(model->valuestring));
    add_event("compile", "result", compiled);
    cJSON *compiled_doc = compiled ? cJSON_Parse(compiled) : NULL;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(compiled_doc, "handle");
    int32_t handle = cJSON_IsNumber(h) ? (int32_t)h->valuedouble : -1;
    cJSON_Delete(compiled_doc);
    detour_free(compiled);

    const cJSON *override = cJSON_GetObjectItemCaseSensitive(scenario, "handle");
    int32_t run_handle = cJSON_IsNumber(override) ? (int32_t)override->valuedouble : handle;

    const cJSON *command;
    cJSON_ArrayForEach(command, commands) {
        const char *text = cJSON_IsString(command) ? command->valuestring : "";
        char *result = detour_execute(run_handle, text, strlen(text));
        add_event("execute", "result", result);
        detour_free(result);
    }

    cJSON *release = cJSON_CreateObject();
    cJSON_AddStringToObject(release, "call", "release");
    cJSON_AddBoolToObject(release, "released", detour_release(handle) == 0);
    cJSON_AddItemToArray(events, release);

    char *out = cJSON_PrintUnformatted(events);
    int status = out ? 0 : 1;
    if (out) puts(out);
    free(out);
    cJSON_Delete(events);
    cJSON_Delete(scenario);
    detour_set_host_invoke(NULL);
    return status;
}
