// GET /engine, GET /version, unknown paths and the server's request handling (bodies, base paths).
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { describeRest } from './support.js';

describeRest('REST basics', (ctx) => {
  it('lists the default engine and the version', async () => {
    assert.deepEqual((await ctx.api.get('/engine')).body, [{ name: 'default' }]);
    const v = await ctx.api.get('/version');
    assert.equal(v.status, 200);
    assert.equal(v.body.version, '7.24.0');
  });

  it('serves the default engine under its name too', async () => {
    const r = await fetch(ctx.url + '/engine/default/version');
    assert.equal(r.status, 200);
    const unknown = await fetch(ctx.url + '/engine/other/version');
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).type, 'RestException');
  });

  it('answers unknown paths with 404 and wrong methods with 405, as error bodies', async () => {
    const r = await ctx.api.get('/no-such-resource');
    assert.equal(r.status, 404);
    assert.deepEqual(Object.keys(r.body).sort(), ['code', 'message', 'type']);
    assert.equal((await ctx.api.delete('/version')).status, 405);
  });

  it('rejects malformed JSON with InvalidRequestException and an empty message', async () => {
    const r = await ctx.api.call('POST', '/message', '{"messageName": ', { 'content-type': 'application/json' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { type: 'InvalidRequestException', message: '', code: null });
  });

  it('rejects a body over the limit with 400 and keeps serving', async () => {
    const big = JSON.stringify({ messageName: 'x'.repeat(17 * 1024 * 1024) });
    const r = await ctx.api.call('POST', '/message', big, { 'content-type': 'application/json' });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /exceeds the limit/);
    assert.equal((await ctx.api.get('/version')).status, 200);
  });
});
