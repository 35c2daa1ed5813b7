// index.js — the package entry for Node (`detour`): the engine with the core loaded from
// dist/detour-core.wasm. Browsers import `detour/core` (js/core.js) and js/engine.js directly and
// load the module with loadCore(url).
import { readFile } from 'node:fs/promises';

import { loadCore } from './core.js';
import { Engine } from './engine.js';
import { MemoryStore } from './store/memory.js';

export { loadCore, Core, CoreError } from './core.js';
export { Engine, BpmnError } from './engine.js';
export { MemoryStore } from './store/memory.js';

/** Where the wasi build of the core lands (npm run build). */
export const CORE_PATH = new URL('../dist/detour-core.wasm', import.meta.url);

/**
 * An Engine ready to use: {core, store, clock, ids, delegates} as for new Engine(); the core
 * defaults to a fresh instance of dist/detour-core.wasm, the store to a MemoryStore.
 */
export async function createEngine({ core, store = new MemoryStore(), ...options } = {}) {
  core ??= await loadCore(await readFile(CORE_PATH));
  return new Engine({ core, store, ...options });
}
