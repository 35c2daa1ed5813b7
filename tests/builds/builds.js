// builds.js — where the three builds of the core are, and whether each one is there and current.
// scripts/build.sh makes them: `npm run build` the native runner and the wasi module,
// `npm run build:emscripten` the Emscripten module (scripts/test.sh does both).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BUILDS = {
  native: { path: join(root, 'build', 'test', 'detour_run'), how: 'npm run build' },
  wasi: { path: join(root, 'dist', 'detour-core.wasm'), how: 'npm run build' },
  emscripten: { path: join(root, 'dist', 'emscripten', 'detour-core.wasm'), how: 'npm run build:emscripten' },
};

/** Fails the test, naming the command that makes the build, when a build is missing. */
export function need(...names) {
  for (const name of names) {
    const { path, how } = BUILDS[name];
    assert.ok(existsSync(path), `${path} is missing: run ${how}`);
  }
}

/**
 * A note for a failure message when some of the named builds are older than src/: a stale build
 * explains a difference better than any diff does. Empty when all are current.
 */
export function staleness(...names) {
  const src = join(root, 'src');
  const newest = Math.max(...readdirSync(src).map((f) => statSync(join(src, f)).mtimeMs));
  const stale = names.filter((name) => statSync(BUILDS[name].path).mtimeMs < newest);
  return stale.length
    ? ` — note: older than src/: ${stale.map((name) => `${BUILDS[name].path} (${BUILDS[name].how})`).join(', ')}`
    : '';
}
