// core.js — the glue between JavaScript and the engine core (dist/detour-core.wasm): JSON documents
// in, JSON documents out (docs/core-abi.md, src/detour.h).
//
// Isomorphic on purpose: only the WebAssembly API, TextEncoder/TextDecoder and fetch, so the same
// file runs in Node and in browsers. The wasi build and the Emscripten STANDALONE_WASM build export
// the same ABI and import the same env.detour_host_invoke, so one loader serves both.
//
// Ownership (the ABI's rule): every buffer this file gets from detour_alloc it frees, every result
// document the core returns it frees with detour_free, whatever happens in between.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

const WASI_ENOSYS = 52;

/** A failure reported by the core: {"error":{"type":"<Camunda exception>","message":"..."}}. */
export class CoreError extends Error {
  constructor(type, message) {
    super(message);
    this.name = 'CoreError';
    this.type = type;
  }
}

/** Thrown by the wasi shim when the module calls proc_exit: the core must never exit. */
class ProcExit extends Error {
  constructor(code) {
    super(`the core called proc_exit(${code})`);
    this.code = code;
  }
}

/**
 * Loads the core from bytes (ArrayBuffer or a typed array), a compiled WebAssembly.Module, or a
 * URL (a URL object or string, fetched with fetch). Returns a ready Core.
 */
export async function loadCore(source) {
  const module = await toModule(source);
  const core = new Core();
  const instance = await WebAssembly.instantiate(module, importsFor(module, core));
  core._attach(instance);
  return core;
}

async function toModule(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof source === 'string' || source instanceof URL) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`cannot fetch the core from ${source}: HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  throw new TypeError('loadCore: expected bytes, a WebAssembly.Module or a URL');
}

/**
 * The import object, built from what the module actually imports: env.detour_host_invoke goes to
 * the core's host function; anything else gets a harmless shim, so a build that pulls in a stray
 * libc import (stdio, clocks, environment) still loads. The core does no I/O, so none of them
 * should ever matter.
 */
function importsFor(module, core) {
  const imports = {};
  for (const { module: ns, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') {
      throw new Error(`the core imports a ${kind} (${ns}.${name}); only functions are supported`);
    }
    imports[ns] ??= {};
    if (ns === 'env' && name === 'detour_host_invoke') {
      imports[ns][name] = (ptr, len) => core._hostInvoke(ptr, len);
    } else if (ns === 'wasi_snapshot_preview1' || ns === 'wasi_unstable') {
      imports[ns][name] = wasiShim(name, core);
    } else {
      imports[ns][name] = () => 0; // e.g. emscripten_notify_memory_growth
    }
  }
  return imports;
}

function wasiShim(name, core) {
  switch (name) {
    case 'proc_exit':
      return (code) => { throw new ProcExit(code); };
    case 'fd_write':
      // Swallow the bytes but report them written, so libc does not retry forever.
      return (fd, iovs, iovsLen, nwritten) => {
        const view = new DataView(core.memory.buffer);
        let total = 0;
        for (let i = 0; i < iovsLen; i++) total += view.getUint32(iovs + i * 8 + 4, true);
        view.setUint32(nwritten, total, true);
        return 0;
      };
    case 'environ_sizes_get':
    case 'args_sizes_get':
      return (countPtr, sizePtr) => {
        const view = new DataView(core.memory.buffer);
        view.setUint32(countPtr, 0, true);
        view.setUint32(sizePtr, 0, true);
        return 0;
      };
    case 'environ_get':
    case 'args_get':
      return () => 0;
    default:
      return () => WASI_ENOSYS;
  }
}

/** One instantiated core. All calls are synchronous; documents are plain objects or JSON text. */
export class Core {
  constructor() {
    this._exports = null;
    this._host = null;
  }

  _attach(instance) {
    const x = instance.exports;
    for (const fn of ['detour_alloc', 'detour_free', 'detour_compile', 'detour_execute', 'detour_release']) {
      if (typeof x[fn] !== 'function') throw new Error(`the module does not export ${fn}: not a Detour core`);
    }
    if (!(x.memory instanceof WebAssembly.Memory)) throw new Error('the module does not export its memory');
    this._exports = x;
    if (typeof x._initialize === 'function') x._initialize(); // reactor: run the constructors once
  }

  /** The module's linear memory (its byteLength shows whether anything leaks). */
  get memory() {
    return this._exports.memory;
  }

  /**
   * Sets the host delegate hook: fn(request) → reply object ({variables} / {bpmnError} / {error})
   * or null when the host has no such delegate. It runs synchronously inside execute().
   */
  setHostInvoke(fn) {
    this._host = fn;
  }

  /** Compiles a model document → {handle, definition}. Throws CoreError (e.g. ParseException). */
  compile(modelDoc) {
    return parseResult(this.compileJSON(toText(modelDoc)));
  }

  /**
   * Runs a command against a compiled model → the result document. Throws CoreError.
   * `texts` (optional): members of the command given as JSON text (a string, or its UTF-8 bytes as
   * a Uint8Array), e.g. {state: stateBytes}, put into the command document as they are (they
   * replace members of the same name in `command`): a big document serialized (and encoded) once
   * is passed again without JSON.stringify (or TextEncoder).
   */
  execute(handle, command, texts) {
    const parts = texts ? withTexts(command, texts) : [toText(command)];
    return parseResult(this._callParts((ptr, len) => this._exports.detour_execute(handle, ptr, len), parts));
  }

  /** Releases a compiled model; false if the handle was unknown. */
  release(handle) {
    return this._exports.detour_release(handle) === 0;
  }

  /** compile() on JSON text, returning the core's JSON text as is (errors included). */
  compileJSON(text) {
    return this._call((ptr, len) => this._exports.detour_compile(ptr, len), text);
  }

  /** execute() on JSON text, returning the core's JSON text as is (errors included). */
  executeJSON(handle, text) {
    return this._call((ptr, len) => this._exports.detour_execute(handle, ptr, len), text);
  }

  _call(fn, text) {
    return this._callParts(fn, [text]);
  }

  // Copies the parts of a text (strings, or UTF-8 bytes) one after the other into a fresh core
  // buffer, runs fn(ptr, len), and returns the result text; both buffers are freed whatever happens.
  _callParts(fn, parts) {
    const x = this._exports;
    const input = this._write(parts, false);
    let out = 0;
    try {
      out = fn(input.ptr, input.len);
      if (out === 0) throw new CoreError('ProcessEngineException', 'the core returned no result (out of memory?)');
      return this._readString(out);
    } finally {
      if (out !== 0) x.detour_free(out);
      x.detour_free(input.ptr);
    }
  }

  // Writes a text into a detour_alloc buffer as UTF-8 (NUL-terminated when `terminate`; the ABI
  // passes lengths, but replies to the host hook must be C strings). `parts`: a string, or an
  // array of strings and Uint8Arrays (UTF-8 bytes, copied as they are) making up the text.
  _write(parts, terminate) {
    if (typeof parts === 'string') parts = [parts];
    // UTF-8 takes at most 3 bytes per UTF-16 unit: encode straight into a buffer that size.
    let size = 1;
    for (const part of parts) size += typeof part === 'string' ? part.length * 3 : part.length;
    const ptr = this._exports.detour_alloc(size);
    if (ptr === 0) throw new CoreError('ProcessEngineException', `the core could not allocate ${size} bytes`);
    // A fresh view after the call: detour_alloc may have grown (and so detached) the old buffer.
    const mem = new Uint8Array(this._exports.memory.buffer, ptr, size);
    let written = 0;
    for (const part of parts) {
      if (typeof part === 'string') {
        written += encoder.encodeInto(part, mem.subarray(written)).written;
      } else {
        mem.set(part, written);
        written += part.length;
      }
    }
    if (terminate) mem[written] = 0;
    return { ptr, len: written };
  }

  _readString(ptr) {
    const mem = new Uint8Array(this._exports.memory.buffer);
    const end = nulFrom(mem, ptr);
    if (end < 0) throw new CoreError('ProcessEngineException', 'the core returned an unterminated string');
    return decoder.decode(mem.subarray(ptr, end));
  }

  // env.detour_host_invoke: the core asks the host to run a delegate. Returns a reply buffer the
  // core owns, or 0 ("no such delegate"). Nothing may be thrown back into the core: a failing host
  // function becomes an {"error"} reply.
  _hostInvoke(ptr, len) {
    if (!this._host) return 0;
    let reply;
    try {
      const request = JSON.parse(decoder.decode(new Uint8Array(this._exports.memory.buffer, ptr, len)));
      reply = this._host(request);
    } catch (e) {
      reply = { error: { message: e?.message ?? String(e) } };
    }
    if (reply == null) return 0;
    let text;
    try {
      text = JSON.stringify(reply);
    } catch (e) {
      text = JSON.stringify({ error: { message: `the delegate's reply is not JSON: ${e.message}` } });
    }
    try {
      return this._write(text, true).ptr;
    } catch {
      return 0;
    }
  }
}

function toText(doc) {
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}

// The command document's text as parts (strings and UTF-8 bytes): the command object with the
// members in `texts` (name → JSON text or its bytes) spliced in as they are.
function withTexts(command, texts) {
  if (typeof command !== 'object' || command === null) throw new TypeError('execute: members as text need a command object');
  const rest = { ...command };
  const parts = [];
  for (const [name, text] of Object.entries(texts)) {
    if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
      throw new TypeError(`execute: member '${name}' must be JSON text (a string or a Uint8Array)`);
    }
    delete rest[name];
    parts.push(`${parts.length ? ',' : '{'}${JSON.stringify(name)}:`, text);
  }
  const restText = JSON.stringify(rest);
  if (!parts.length) return [restText];
  parts.push(restText.length > 2 ? `,${restText.slice(1)}` : '}');
  return parts;
}

// The index of the first 0 byte at or after `start` in `bytes` (a view of the whole memory), or
// -1. Four bytes at a time (a zero byte of v shows in (v - 0x01…) & ~v & 0x80…): a result document
// runs to megabytes, and this is three times faster than indexOf.
function nulFrom(bytes, start) {
  let i = start;
  for (; i < bytes.length && (bytes.byteOffset + i) & 3; i++) if (bytes[i] === 0) return i;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (bytes.length - i) >> 2);
  let k = 0;
  while (k < words.length && ((words[k] - 0x01010101) & ~words[k] & 0x80808080) === 0) k++;
  for (i += k * 4; i < bytes.length; i++) if (bytes[i] === 0) return i;
  return -1;
}

function parseResult(text) {
  const doc = JSON.parse(text);
  if (doc && typeof doc === 'object' && doc.error && typeof doc.error === 'object' && !('state' in doc) && !('result' in doc)) {
    throw new CoreError(doc.error.type ?? 'ProcessEngineException', doc.error.message ?? '');
  }
  return doc;
}
