// scenarios.test.js — the three builds of the core (native, wasi clang, Emscripten) are one engine:
// each scenario in scenarios/ (format: scenarios/README.md) runs through the native core
// (build/test/detour_run, ASan + UBSan) and through both wasm modules loaded with the real glue,
// js/core.js, and every call must give the same result, byte for byte.
//
// The wasi run makes the command texts from its own results (task ids, job ids, state documents);
// the native and Emscripten builds are given exactly those texts. Identical output at every step
// means each build would have made the same commands itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';

import { BUILDS, need, staleness } from './builds.js';
import { runNative, runThroughGlue } from './runners.js';
import { prepareScenario, readScenario, scenarioDir } from './scenario.js';

const summary = (event) => (event ? `${event.call} ${JSON.stringify(event.result ?? event.request ?? event.released).slice(0, 120)}` : 'nothing');

// Compares two builds' events call by call, so a failure names the first call that differs.
function assertSameEvents(name, actual, expected, hint) {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    assert.deepEqual(actual[i], expected[i],
      `${name} differs from the native build at call ${i}: native gave ${summary(expected[i])}${hint}`);
  }
}

for (const file of readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).sort()) {
  const written = readScenario(file);
  test(`${file}: ${written.description}`, async (t) => {
    need('native', 'wasi', 'emscripten');
    const scenario = await prepareScenario(written);
    const wasi = await runThroughGlue(BUILDS.wasi.path, scenario);
    const native = runNative(scenario, wasi.texts);

    await t.test('the wasi module, loaded through js/core.js, answers exactly as the native build', () => {
      assertSameEvents('the wasi module', wasi.events, native, staleness('wasi', 'native'));
    });
    await t.test('the Emscripten module, loaded through js/core.js, answers exactly as the native build', async () => {
      const emscripten = await runThroughGlue(BUILDS.emscripten.path, scenario, wasi.texts);
      assertSameEvents('the Emscripten module', emscripten.events, native, staleness('emscripten', 'native'));
    });
    if (scenario.endsInstance) {
      await t.test('the last command ends the instance', () => {
        assert.equal(wasi.results.at(-1)?.state?.ended, true,
          `the scenario stopped short: the last result is ${JSON.stringify(wasi.results.at(-1))?.slice(0, 300)}`);
      });
    }
  });
}
