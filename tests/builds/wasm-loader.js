// wasm-loader.js — the smallest loader for a Detour core module (wasi or Emscripten build), for
// tests/builds only: the real glue is js/core.js. It satisfies the imports the builds have:
// env.detour_host_invoke (the host delegate hook), env.emscripten_notify_memory_growth (no-op) and
// the few wasi_snapshot_preview1 functions wasi-libc links but the core never calls (they answer
// ENOSYS). Any other import is an error, so a build that starts needing I/O is noticed.
import { readFile } from 'node:fs/promises';

const ENOSYS = 52;

export async function loadCore(path) {
  const module = await WebAssembly.compile(await readFile(path));
  let exports;
  let host = () => null;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  const writeString = (text) => {
    const bytes = encoder.encode(text);
    const ptr = exports.detour_alloc(bytes.length + 1);
    if (!ptr) throw new Error('detour_alloc failed');
    const mem = new Uint8Array(exports.memory.buffer);
    mem.set(bytes, ptr);
    mem[ptr + bytes.length] = 0;
    return [ptr, bytes.length];
  };
  const readString = (ptr, len) => {
    const mem = new Uint8Array(exports.memory.buffer);
    let end = ptr;
    if (len === undefined) while (mem[end] !== 0) end++;
    else end = ptr + len;
    return decoder.decode(mem.subarray(ptr, end));
  };
  const takeString = (ptr) => {
    if (!ptr) return null;
    const text = readString(ptr);
    exports.detour_free(ptr);
    return text;
  };

  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') throw new Error(`unexpected import ${imp.module}.${imp.name} (${imp.kind})`);
    let fn;
    if (imp.module === 'env' && imp.name === 'detour_host_invoke') {
      fn = (ptr, len) => {
        const reply = host(readString(ptr, len));
        return reply == null ? 0 : writeString(reply)[0];
      };
    } else if (imp.module === 'env' && imp.name === 'emscripten_notify_memory_growth') {
      fn = () => {};
    } else if (imp.module === 'wasi_snapshot_preview1') {
      fn = imp.name === 'proc_exit'
        ? (code) => { throw new Error(`the core called proc_exit(${code})`); }
        : () => ENOSYS;
    } else {
      throw new Error(`unexpected import ${imp.module}.${imp.name}`);
    }
    (imports[imp.module] ??= {})[imp.name] = fn;
  }

  const instance = await WebAssembly.instantiate(module, imports);
  exports = instance.exports;
  if (exports._initialize) exports._initialize();

  const withInput = (text, call) => {
    const [ptr, len] = writeString(text);
    try {
      return call(ptr, len);
    } finally {
      exports.detour_free(ptr);
    }
  };
  return {
    module,
    setHost(fn) { host = fn; },
    compile: (text) => withInput(text, (p, n) => takeString(exports.detour_compile(p, n))),
    execute: (handle, text) => withInput(text, (p, n) => takeString(exports.detour_execute(handle, p, n))),
    release: (handle) => exports.detour_release(handle),
  };
}
