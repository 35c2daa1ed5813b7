// scenario.js — the scenario format of tests/builds/scenarios/ (described in its README.md):
// reading a scenario file, making its model document (from BPMN with js/bpmn.js when it names a
// fixture) and turning its command documents into command texts, references resolved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { bpmnToModels } from '../../js/bpmn.js';
import { root } from './builds.js';

export const scenarioDir = join(root, 'tests', 'builds', 'scenarios');
const fixtureDir = join(root, 'tests', 'fixtures', 'bpmn');

const asText = (doc) => (typeof doc === 'string' ? doc : JSON.stringify(doc));

/** The scenario file `name` (in scenarios/) as written. */
export function readScenario(name) {
  return JSON.parse(readFileSync(join(scenarioDir, name), 'utf8'));
}

/**
 * The scenario ready to run: {model: text, commands: [document or text], handle: N or null,
 * delegates: {name: reply document or null}, endsInstance: boolean}.
 */
export async function prepareScenario(scenario) {
  return {
    model: scenario.bpmn ? await modelFromFixture(scenario.bpmn) : asText(scenario.model),
    commands: scenario.commands ?? [],
    handle: Number.isInteger(scenario.handle) ? scenario.handle : null,
    delegates: scenario.delegates ?? {},
    endsInstance: scenario.endsInstance === true,
  };
}

// The model document of the one process in a BPMN fixture, deployed as version 1 of its key.
async function modelFromFixture(file) {
  const models = await bpmnToModels(readFileSync(join(fixtureDir, file), 'utf8'));
  if (models.length !== 1) throw new Error(`${file}: expected one process, found ${models.length}`);
  const [{ key, name, process }] = models;
  return JSON.stringify({ definition: { id: `${key}:1:1`, key, name, version: 1, tenantId: null }, process });
}

const REFERENCE = /^@(previous|\d+)(?:\.(.+))?$/;

/**
 * The text of command number `index`: a text is taken as it is; in a document, references are
 * replaced from `results` (the parsed results of the commands before it, null where a result was
 * not JSON). A reference that finds nothing throws: the scenario no longer does what it says.
 */
export function commandText(command, index, results) {
  if (typeof command === 'string') return command;
  const resolve = (value) => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    }
    const match = typeof value === 'string' && REFERENCE.exec(value);
    if (!match) return value;
    const [, from, path] = match;
    let found;
    let where;
    if (from === 'previous' && path === undefined) {
      found = results.findLast((r) => r?.state !== undefined)?.state;
      where = 'no result before it has a state';
    } else if (path !== undefined) {
      const n = from === 'previous' ? results.length - 1 : Number(from);
      found = path.split('.').reduce((v, key) => v?.[key], results[n]);
      where = n < results.length
        ? `result ${n} is ${JSON.stringify(results[n])?.slice(0, 300)}`
        : `there is no result ${n} before it`;
    } else {
      where = 'a numbered reference needs a path';
    }
    if (found === undefined) throw new Error(`command ${index}: "${value}" refers to nothing: ${where}`);
    return found;
  };
  return JSON.stringify(resolve(command));
}
