// static.test.js — the service serves the page's directory outside /engine-rest (js/rest/static.js):
// index.html at `/`, files with their content types, /config.json naming the REST base, and
// nothing outside the directory — no `..` (plain or encoded), no dot-file, no symlink out.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createEngine } from '../../js/index.js';
import { startRestServer } from '../../js/rest/server.js';

describe('the service serves the page', () => {
  let dir;
  let engine;
  let rest;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'detour-static-'));
    const web = join(dir, 'web');
    mkdirSync(join(web, 'dist'), { recursive: true });
    mkdirSync(join(web, 'sub'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>page</title>');
    writeFileSync(join(web, 'dist', 'app.js'), 'export {};');
    writeFileSync(join(web, 'dist', 'core.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
    writeFileSync(join(web, 'sub', 'index.html'), 'sub');
    writeFileSync(join(web, '.secret'), 'hidden');
    writeFileSync(join(dir, 'outside.txt'), 'outside');
    symlinkSync(join(dir, 'outside.txt'), join(web, 'link.txt'));
    engine = await createEngine();
    rest = await startRestServer({ engine, port: 0, host: '127.0.0.1', web, log: () => {} });
  });

  after(async () => {
    await rest?.close();
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A raw request: the path goes out exactly as written (fetch would normalize `..`).
  function request(path, method = 'GET') {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: rest.port, path, method }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], length: res.headers['content-length'], body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers / with index.html and files under it with their content types', async () => {
    assert.deepEqual(await request('/'), { status: 200, type: 'text/html; charset=utf-8', length: '34', body: '<!doctype html><title>page</title>' });
    assert.equal((await request('/index.html')).status, 200);
    assert.equal((await request('/dist/app.js')).type, 'text/javascript; charset=utf-8');
    assert.equal((await request('/dist/core.wasm')).type, 'application/wasm');
    assert.equal((await request('/sub/')).body, 'sub');
    const head = await request('/', 'HEAD');
    assert.deepEqual([head.status, head.length, head.body], [200, '34', '']);
  });

  it('tells the page where the REST API is in /config.json', async () => {
    const res = await request('/config.json');
    assert.equal(res.type, 'application/json');
    assert.deepEqual(JSON.parse(res.body), { engineRest: '/engine-rest' });
  });

  it('serves nothing outside the directory, no dot-file and no unknown path', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/sub/..%2f..%2foutside.txt', '/dist/%2e%2e%2f%2e%2e%2foutside.txt', '/.secret', '/link.txt', '/missing.js', '/dist/%00', '/%E0%A4%A']) {
      const res = await request(path);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(res.body, /outside|hidden/, path);
    }
  });

  it('leaves /engine-rest and other methods to the REST API', async () => {
    const engines = await request('/engine-rest/engine');
    assert.equal(engines.status, 200);
    assert.deepEqual(JSON.parse(engines.body), [{ name: 'default' }]);
    const unknown = await request('/engine-rest/index.html');
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).type, 'NotFoundException');
    const post = await request('/', 'POST');
    assert.equal(post.status, 404);
    assert.equal(JSON.parse(post.body).type, 'NotFoundException');
  });
});
