/*
 * detour_driver.c — the native core behind a line protocol, so JavaScript tests can run the same
 * commands through the native build as through the WebAssembly ones and compare the output.
 *
 * stdin: one JSON request per line
 *   {"op":"compile","doc":<model document>}
 *   {"op":"execute","handle":N,"command":<command document>}
 *   {"op":"release","handle":N}
 * stdout: one line per request: the core's result document exactly as the core wrote it
 * (release answers {"released":true|false}); a request the driver cannot read answers
 * {"error":{"type":"InvalidRequestException","message":...}}. Output is flushed per line, so a
 * caller may talk to the driver interactively.
 *
 * The documents are re-serialized with cJSON before they reach the core; the core parses them
 * again, so only their meaning matters. No host delegates are registered.
 *
 * Build (tests/js/builds-agree.test.js does this when build/detour-driver is missing or stale):
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -Isrc -I/usr/include/cjson $(ls src/[a-z]*.c)
 *      tests/c/tools/detour_driver.c -lcjson -lm -o build/detour-driver
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "detour.h"

static void reply_error(const char *message) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(doc, "error");
    cJSON_AddStringToObject(err, "type", "InvalidRequestException");
    cJSON_AddStringToObject(err, "message", message);
    char *text = cJSON_PrintUnformatted(doc);
    printf("%s\n", text ? text : "{}");
    free(text);
    cJSON_Delete(doc);
}

/* Prints the core's result (owned by us) and frees it. */
static void reply_result(char *result) {
    printf("%s\n", result ? result : "null");
    detour_free(result);
}

static void handle_line(const char *line) {
    cJSON *req = cJSON_Parse(line);
    if (!req || !cJSON_IsObject(req)) {
        reply_error("request is not a JSON object");
        cJSON_Delete(req);
        return;
    }
    const char *op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(req, "op"));
    const cJSON *handle = cJSON_GetObjectItemCaseSensitive(req, "handle");
    if (op && strcmp(op, "compile") == 0) {
        char *doc = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(req, "doc"));
        if (!doc) reply_error("compile: no doc");
        else reply_result(detour_compile(doc, strlen(doc)));
        free(doc);
    } else if (op && strcmp(op, "execute") == 0 && cJSON_IsNumber(handle)) {
        char *command = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(req, "command"));
        if (!command) reply_error("execute: no command");
        else reply_result(detour_execute((int32_t)handle->valuedouble, command, strlen(command)));
        free(command);
    } else if (op && strcmp(op, "release") == 0 && cJSON_IsNumber(handle)) {
        printf("{\"released\":%s}\n", detour_release((int32_t)handle->valuedouble) == 0 ? "true" : "false");
    } else {
        reply_error("unknown op (compile, execute with handle, release with handle)");
    }
    cJSON_Delete(req);
}

int main(void) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) != -1) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n == 0) continue;
        handle_line(line);
        fflush(stdout);
    }
    free(line);
    return 0;
}
