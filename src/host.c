/*
 * host.c — routes host_invoke to the host: a registered function pointer natively, the import
 * env.detour_host_invoke in WebAssembly.
 *
 * The import is declared with explicit import_module/import_name attributes, so both wasi clang
 * (wasm-ld lets symbols with an explicit import name stay undefined) and Emscripten (where
 * wasm/host_library.js names it) produce the same import, (i32 req, i32 len) -> i32 reply.
 */
#include "host.h"

#include "detour.h"

#ifdef __wasm__
__attribute__((import_module("env"), import_name("detour_host_invoke"))) extern char *
host_import_invoke(const char *request_json, size_t len);
#endif

/* The registered host; NULL until detour_set_host_invoke is called. */
static detour_host_invoke_fn host_fn;

void detour_set_host_invoke(detour_host_invoke_fn fn) { host_fn = fn; }

char *host_invoke(const char *req, size_t len) {
    if (host_fn) return host_fn(req, len);
#ifdef __wasm__
    return host_import_invoke(req, len);
#else
    return NULL;
#endif
}
