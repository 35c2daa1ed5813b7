/*
 * detour.c — the ABI (detour.h): buffers, compiled-model handles, and turning every outcome into
 * one JSON document, errors included.
 *
 * Handles index a fixed table of compiled models; a released slot is reused. Input is parsed
 * with an explicit length, so buffers need no terminator and bytes past `len` are never read.
 */
#include "detour.h"

#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "commands.h"
#include "error.h"
#include "model.h"

#define MAX_MODELS 4096
/* cJSON recurses per nesting level; hostile input must not exhaust the stack. */
#define MAX_INPUT_NESTING 512

static model *models[MAX_MODELS];

void *detour_alloc(size_t size) { return malloc(size ? size : 1); }

void detour_free(void *ptr) { free(ptr); }

static char *print(cJSON *doc) {
    char *out = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return out;
}

static char *error_document(error *err) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(doc, "error");
    cJSON_AddStringToObject(e, "type", err->type ? err->type : ERR_ENGINE);
    cJSON_AddStringToObject(e, "message", err->message ? err->message : "");
    error_clear(err);
    return print(doc);
}

/* Rejects nesting deeper than MAX_INPUT_NESTING before cJSON's recursive parser sees it. */
static bool nesting_ok(const char *json, size_t len) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > MAX_INPUT_NESTING) return false;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return true;
}

static cJSON *parse(const char *json, size_t len, error *err) {
    if (!json || !nesting_ok(json, len)) {
        error_set(err, ERR_INVALID_REQUEST, "The document is not valid JSON or nests too deeply");
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(json, len);
    if (!doc) error_set(err, ERR_INVALID_REQUEST, "The document is not valid JSON");
    return doc;
}

char *detour_compile(const char *model_json, size_t len) {
    error err = {0};
    cJSON *doc = parse(model_json, len, &err);
    if (!doc) return error_document(&err);
    model *m = model_compile(doc, &err);
    cJSON_Delete(doc);
    if (!m) return error_document(&err);
    int32_t slot = -1;
    for (int32_t i = 0; i < MAX_MODELS && slot < 0; i++)
        if (!models[i]) slot = i;
    if (slot < 0) {
        model_free(m);
        error_set(&err, ERR_ENGINE, "Too many compiled models (%d); release some", MAX_MODELS);
        return error_document(&err);
    }
    models[slot] = m;
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "handle", slot + 1);
    cJSON_AddItemToObject(out, "definition", model_summary(m));
    return print(out);
}

char *detour_execute(int32_t handle, const char *command_json, size_t len) {
    error err = {0};
    if (handle < 1 || handle > MAX_MODELS || !models[handle - 1]) {
        error_set(&err, ERR_ENGINE, "Unknown model handle %d", (int)handle);
        return error_document(&err);
    }
    cJSON *cmd = parse(command_json, len, &err);
    if (!cmd) return error_document(&err);
    cJSON *result = commands_run(models[handle - 1], cmd, &err);
    cJSON_Delete(cmd);
    if (!result) return error_document(&err);
    return print(result);
}

int32_t detour_release(int32_t handle) {
    if (handle < 1 || handle > MAX_MODELS || !models[handle - 1]) return -1;
    model_free(models[handle - 1]);
    models[handle - 1] = NULL;
    return 0;
}
