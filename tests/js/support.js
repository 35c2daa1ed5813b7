// support.js — what the Node tests of the engine share: the compiled core module (built by
// npm run build) and the BPMN fixtures.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const wasmPath = join(root, 'dist', 'detour-core.wasm');
assert.ok(existsSync(wasmPath), `${wasmPath} is missing: run npm run build`);
/** dist/detour-core.wasm, compiled once; each test instantiates its own core from it. */
export const coreModule = await WebAssembly.compile(readFileSync(wasmPath));

/** The text of tests/fixtures/bpmn/<name>. */
export const fixture = (name) => readFileSync(join(root, 'tests', 'fixtures', 'bpmn', name), 'utf8');

/** 2026-01-01T09:00:00Z: the instant the engine tests start at. */
export const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
