/*
 * detour.h — the whole ABI of the Detour engine core.
 *
 * The core is pure: JSON documents in, JSON documents out. It keeps no state between calls except
 * compiled models, which the host asks for and releases by handle. Time and id seeds come from
 * the host inside each command; nothing here reads a clock or does I/O.
 *
 * Ownership: every function returning `char *` returns a NUL-terminated UTF-8 JSON document that
 * the caller owns and frees with detour_free. Input buffers stay owned by the caller; they need not
 * be NUL-terminated (the length is given). Every result is either a success document or
 * {"error":{"type":"...","message":"..."}}; malformed input never aborts the module.
 *
 * The command and document formats are described in docs/core-abi.md.
 */
#ifndef DETOUR_H
#define DETOUR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Memory shared with the host (the wasm glue writes inputs into buffers from detour_alloc). */
void *detour_alloc(size_t size);
void detour_free(void *ptr);

/* Compiles a model document (made by js/bpmn.js) once.
 * → {"handle":N,"definition":{...summary...}} or an error (unsupported elements are named). */
char *detour_compile(const char *model_json, size_t len);

/* Runs one command (start, completeTask, executeJob, ...) against a compiled model.
 * → {"state":…, "history":[…], "index":{…}, "result":…} or an error; on error nothing changed. */
char *detour_execute(int32_t handle, const char *command_json, size_t len);

/* Releases a compiled model. Returns 0, or -1 for an unknown handle. */
int32_t detour_release(int32_t handle);

/*
 * Host delegates (camunda:class, camunda:delegateExpression, listener classes) are functions the
 * host registers. The core calls out through this single hook with a request document
 *   {"delegate":"<name>","event":"start|end|take|execute","execution":{...},"variables":{...}}
 * and receives a NUL-terminated JSON reply allocated with detour_alloc (the core frees it):
 *   {"variables":{...}}                      success, variables to set (Camunda scoping)
 *   {"bpmnError":{"errorCode":"..."},"variables":{...}}  a BPMN error thrown by the delegate
 *                                            (after setting the variables, which stay)
 *   {"error":{"message":"..."}}              the delegate failed (an exception)
 * NULL means the host has no such delegate. In wasm the hook is the import env.detour_host_invoke;
 * natively it is set with detour_set_host_invoke (NULL by default: no delegates).
 */
typedef char *(*detour_host_invoke_fn)(const char *request_json, size_t len);
void detour_set_host_invoke(detour_host_invoke_fn fn);

#ifdef __cplusplus
}
#endif

#endif
