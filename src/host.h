/*
 * host.h — the core's one way out: asking the host to run a delegate.
 *
 * host_invoke sends a request document (see detour.h: {"delegate":...,"event":...,...}) and
 * returns the host's NUL-terminated JSON reply, which the caller owns and frees with detour_free
 * (the host allocated it with detour_alloc). NULL means the host has no such delegate, or no host
 * is attached. `req` need not be NUL-terminated; `len` is its length in bytes.
 *
 * Natively the host is the function set with detour_set_host_invoke. In WebAssembly it is the
 * import env.detour_host_invoke, unless a function was set (which only C code inside the module
 * can do).
 */
#ifndef DETOUR_HOST_H
#define DETOUR_HOST_H

#include <stddef.h>

char *host_invoke(const char *req, size_t len);

#endif
