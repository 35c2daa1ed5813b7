// runners.js — runs a prepared scenario (scenario.js) through one build of the core and records
// every call between host and core, in order, as events:
//   {call:"compile", result:"<text>"}   {call:"invoke", request:<delegate request document>}
//   {call:"execute", result:"<text>"}   {call:"release", released:true|false}
// Results are the core's texts exactly as returned, so comparing events compares bytes. A delegate
// request is compared as a document: js/core.js hands the host a parsed request. Delegate replies
// reach every build as the same text, JSON.stringify of the scenario's reply.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { loadCore } from '../../js/core.js';
import { BUILDS } from './builds.js';
import { commandText } from './scenario.js';

const handleOf = (compiled) => {
  try {
    const { handle } = JSON.parse(compiled);
    return typeof handle === 'number' ? handle : -1;
  } catch {
    return -1; // not JSON: the comparison with the other builds reports it
  }
};

const parsedOrNull = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * Runs the scenario through a wasm module loaded with the real glue, js/core.js. Without `texts`,
 * command documents are resolved against this run's own results; returns {events, texts,
 * results}, `texts` being the command texts it sent, for the other builds to get the same.
 */
export async function runThroughGlue(wasmPath, scenario, texts = null) {
  const core = await loadCore(readFileSync(wasmPath));
  const events = [];
  core.setHostInvoke((request) => {
    events.push({ call: 'invoke', request });
    return scenario.delegates[request.delegate] ?? null;
  });
  const compiled = core.compileJSON(scenario.model);
  events.push({ call: 'compile', result: compiled });
  const handle = handleOf(compiled);
  const sent = [];
  const results = [];
  scenario.commands.forEach((command, i) => {
    const text = texts ? texts[i] : commandText(command, i, results);
    sent.push(text);
    const result = core.executeJSON(scenario.handle ?? handle, text);
    events.push({ call: 'execute', result });
    results.push(parsedOrNull(result));
  });
  events.push({ call: 'release', released: core.release(handle) });
  return { events, texts: sent, results };
}

/** Runs the scenario, with these command texts, through the native core (tests/builds/detour_run.c). */
export function runNative(scenario, texts) {
  const delegates = Object.fromEntries(Object.entries(scenario.delegates)
    .map(([name, reply]) => [name, reply == null ? null : JSON.stringify(reply)]));
  const input = JSON.stringify({ model: scenario.model, commands: texts, handle: scenario.handle, delegates });
  const run = spawnSync(BUILDS.native.path, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, `detour_run failed (status ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout).map((e) => (e.call === 'invoke' ? { ...e, request: parsedOrNull(e.request) ?? e.request } : e));
}
