// server.js — the HTTP side of the service: Camunda's base paths, request bodies (JSON, with a
// size limit), the router, and error bodies. Routes live in routes/*.js.
//
// Paths: /engine-rest/<path> and /engine-rest/engine/default/<path> (the default engine under
// its name); GET /engine-rest/engine lists the engine. A request never crashes the process: every
// failure becomes a {type, message, code} body, and one that is not an expected error is logged.
// Every other path is the dry-run page's (web/, served by static.js).

import http from 'node:http';

import { bodyTooLarge, errorResponse, RestError } from './errors.js';
import { Reply, Router } from './router.js';
import { registerRoutes } from './routes/index.js';
import { createSiteHandler, WEB_ROOT } from './static.js';

export const BASE_PATH = '/engine-rest';
export const ENGINE_NAME = 'default';
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The request handler: (req, res) → Promise. Options: engine (required), services (extra objects
 * the routes may use, e.g. the job executor), bodyLimit (bytes), log (line → void), web (the
 * page's directory served outside /engine-rest; false: none).
 */
export function createRestHandler({ engine, services = {}, bodyLimit = DEFAULT_BODY_LIMIT, log = (line) => console.error(line), web = WEB_ROOT }) {
  const router = new Router();
  registerRoutes(router);
  const site = web ? createSiteHandler(web, { engineRest: BASE_PATH }) : null;

  return async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    if (site && !isRestPath(url.pathname) && (await site(req, res, url.pathname))) return;
    let answer;
    try {
      const located = locate(url.pathname);
      if (!located) throw notFound();
      const match = router.match(req.method, located.path);
      if (!match.handler) throw match.status === 405 ? notAllowed() : notFound();
      const ctx = {
        req,
        method: req.method,
        path: located.path,
        params: match.params,
        search: url.searchParams,
        body: isMultipart(req) ? undefined : await readJson(req, bodyLimit),
        engine,
        services,
        bodyLimit,
        baseUrl: `${req.headers['x-forwarded-proto'] ?? 'http'}://${req.headers.host ?? 'localhost'}${located.base}`,
      };
      const result = await match.handler(ctx);
      answer = result instanceof Reply ? result : result === undefined ? new Reply(204) : new Reply(200, result);
    } catch (e) {
      const { status, body, bug } = errorResponse(e);
      if (bug) log(`detour: ${req.method} ${url.pathname} failed: ${e?.stack ?? e}`);
      answer = new Reply(status, body);
    }
    send(res, answer);
  };
}

/** Starts an http.Server on `port` (0: any) → {server, port, close()}; close() lets in-flight requests finish. */
export async function startRestServer({ port = 8080, host, ...options }) {
  const handle = createRestHandler(options);
  const inFlight = new Set();
  const server = http.createServer((req, res) => {
    const done = handle(req, res);
    inFlight.add(done);
    done.finally(() => inFlight.delete(done));
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: server.address().port,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

// '/engine-rest/x' and '/engine-rest/engine/default/x' → {base, path: '/x'}; GET /engine-rest/engine
// → path '/engine'. Other engine names are unknown, as on a server with one engine.
function locate(pathname) {
  if (!isRestPath(pathname)) return null;
  const rest = pathname.slice(BASE_PATH.length) || '/';
  const named = /^\/engine\/([^/]+)(\/.*)?$/.exec(rest);
  if (named) {
    if (decodeURIComponent(named[1]) !== ENGINE_NAME) {
      throw new RestError(404, `Process engine with name ${decodeURIComponent(named[1])} does not exist`, { type: 'RestException' });
    }
    return { base: `${BASE_PATH}/engine/${named[1]}`, path: named[2] ?? '/' };
  }
  return { base: BASE_PATH, path: rest };
}

function isRestPath(pathname) {
  return pathname === BASE_PATH || pathname.startsWith(`${BASE_PATH}/`);
}

function notFound() {
  return new RestError(404, 'HTTP 404 Not Found', { type: 'NotFoundException' });
}

function notAllowed() {
  return new RestError(405, 'HTTP 405 Method Not Allowed', { type: 'NotAllowedException' });
}

function isMultipart(req) {
  return /^multipart\//i.test(req.headers['content-type'] ?? '');
}

// The body as JSON (null when empty). Over the limit: 400 as soon as the limit is passed, without
// buffering the rest; not JSON: 400 with the empty message Jackson's mapping errors get.
async function readJson(req, limit) {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    throw bodyTooLarge(limit);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw bodyTooLarge(limit);
    }
    chunks.push(chunk);
  }
  if (!size) return null;
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new RestError(400, '');
  }
}

function send(res, { status, body, headers }) {
  if (res.headersSent) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  // a string or bytes with a content type of their own go out as they are (resource data, XML)
  const isRaw = (typeof body === 'string' || Buffer.isBuffer(body)) && headers?.['content-type'];
  const payload = isRaw ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}
