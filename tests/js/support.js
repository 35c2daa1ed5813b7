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

/** A BPMN document with one executable process `id` whose elements are `body` (and `extraDefinitions` beside it: messages, errors). */
export function processXml(id, body, extraDefinitions = '') {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://detour.test/engine" id="defs_${id}">
  ${extraDefinitions}
  <bpmn:process id="${id}" isExecutable="true">
    ${body}
  </bpmn:process>
</bpmn:definitions>`;
}
