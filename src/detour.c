/*
 * detour.c — the ABI (detour.h): buffers, compiled-model handles, and turning every outcome into
 * one JSON document, errors included.
 *
 * Handles index a fixed table of compiled models; a released slot is reused. Input is read with
 * an explicit length (json_reader.h), so buffers need no terminator and bytes past `len` are
 * never read; documents nesting deeper than JSON_READ_MAX_DEPTH are refused.
 */
#include "detour.h"

#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "commands.h"
#include "error.h"
#include "json_reader.h"
#include "json_writer.h"
#include "model.h"

#define MAX_MODELS 4096

static model *models[MAX_MODELS];

void *detour_alloc(size_t size) { return malloc(size ? size : 1); }

void detour_free(void *ptr) { free(ptr); }

static char *print(cJSON *doc) {
    char *out = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    return out;
}

static char *error_document(error *err) {
    json_writer w = {0};
    jw_object_begin(&w);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_key_string(&w, "type", err->type ? err->type : ERR_ENGINE);
    jw_key_string(&w, "message", err->message ? err->message : "");
    jw_object_end(&w);
    jw_object_end(&w);
    error_clear(err);
    return jw_take(&w);
}

/* Reads a document into doc; false with err set when it is not JSON. */
static bool parse(json_doc *doc, const char *json, size_t len, error *err) {
    if (!json) *doc = (json_doc){0};
    switch (json ? json_read(doc, json, len) : JSON_READ_TOO_DEEP) {
    case JSON_READ_OK: return true;
    case JSON_READ_TOO_DEEP:
        return error_set(err, ERR_INVALID_REQUEST, "The document is not valid JSON or nests too deeply");
    case JSON_READ_INVALID: break;
    }
    return error_set(err, ERR_INVALID_REQUEST, "The document is not valid JSON");
}

char *detour_compile(const char *model_json, size_t len) {
    error err = {0};
    json_doc doc;
    if (!parse(&doc, model_json, len, &err)) return error_document(&err);
    model *m = model_compile(doc.root, &err);
    json_doc_free(&doc);
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
    json_doc cmd;
    if (!parse(&cmd, command_json, len, &err)) return error_document(&err);
    char *result = commands_run(models[handle - 1], cmd.root, &err);
    json_doc_free(&cmd);
    if (!result) return error_document(&err);
    return result;
}

int32_t detour_release(int32_t handle) {
    if (handle < 1 || handle > MAX_MODELS || !models[handle - 1]) return -1;
    model_free(models[handle - 1]);
    models[handle - 1] = NULL;
    return 0;
}
