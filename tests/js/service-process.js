// service-process.js — what the tests of the service as a process share (service, two-node and
// race tests): `node js/main.js` spawned with an environment, its start line awaited, a free
// loopback port, and a small JSON client.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { root } from './support.js';

/** The one line main.js logs when it serves. */
export const START_LINE = /^detour: serving (http:\/\/\S+) \(store (.+), job executor (on|off)\)$/;

/** A port nothing listens on right now (127.0.0.1). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node js/main.js` with `env` added to this process's environment. → {child, exited,
 * stdout(), stderr()}; exited resolves to {code, signal}. Output is collected, not shown.
 */
export function spawnMain(env) {
  const child = spawn(process.execPath, [join(root, 'js', 'main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

/**
 * Spawns a service on a free port and waits for its start line. → spawnMain's object plus
 * {url (…/engine-rest), api (client)}. Throws with the process's output if it exits first.
 */
export async function startMain(env, { timeoutMs = 15000 } = {}) {
  const port = await freePort();
  const proc = spawnMain({ PORT: String(port), ...env });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = proc.stdout().split('\n')[0];
    if (proc.stdout().includes('\n')) {
      const match = START_LINE.exec(line);
      if (!match) throw new Error(`unexpected start line: ${line}`);
      const url = match[1].replace('localhost', '127.0.0.1');
      return { ...proc, port, url, line, api: client(url) };
    }
    const done = await Promise.race([proc.exited, sleep(10)]);
    if (done) throw new Error(`the service exited (${JSON.stringify(done)}): ${proc.stderr()}`);
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      throw new Error(`no start line within ${timeoutMs} ms: ${proc.stderr()}`);
    }
  }
}

/** A JSON client: api.get(path), post, put, delete → {status, body}. */
export function client(baseUrl) {
  const call = async (method, path, body) => {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    baseUrl,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    delete: (path) => call('DELETE', path),
  };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` until it holds; throws naming `what` after timeoutMs. */
export async function waitFor(what, condition, { timeoutMs = 10000, intervalMs = 20 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}
