// static.js — the dry-run page (web/, docs/dry-run.md) served by the service at `/`: index.html at
// `/`, the files under web/ at their paths, nothing else. The REST API keeps its base path: the
// server asks this module only for paths outside /engine-rest.
//
// Invariants: only GET and HEAD; a path resolves to a regular file inside the root or to nothing
// (no `..`, no dot-files, no NUL, symlinks followed only within the root); a directory answers
// with its index.html. `/config.json` is the one file the service answers itself: it tells the
// page where the service is, while the copy in web/ (engineRest: null) tells a page opened from
// a plain static server that there is none.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's directory in this checkout. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.bpmn': 'application/xml',
  '.xml': 'application/xml',
};

/**
 * A handler for the page under `root`: (req, res, pathname) → Promise<boolean>, true when it
 * answered (a file, or a 404 for a GET/HEAD it cannot serve), false for other methods (the
 * caller's 404/405 applies). `engineRest`: the REST base path /config.json names.
 */
export function createSiteHandler(root, { engineRest }) {
  let realRoot; // resolved on first use: the directory may be created after the service starts
  return async function serveSite(req, res, pathname) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (pathname === '/config.json') {
      reply(req, res, 200, 'application/json', JSON.stringify({ engineRest }));
      return true;
    }
    realRoot ??= await realpath(root).catch(() => null);
    const file = realRoot && (await resolveFile(realRoot, pathname));
    if (!file) {
      reply(req, res, 404, 'text/plain; charset=utf-8', 'Not found\n');
      return true;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': file.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
    return true;
  };
}

// The regular file a URL path names inside `root` → {path, size}, or null.
async function resolveFile(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter(Boolean);
  if (decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s.startsWith('.'))) return null;
  let path = join(root, ...segments);
  try {
    let info = await stat(path);
    if (info.isDirectory()) {
      path = join(path, 'index.html');
      info = await stat(path);
    }
    if (!info.isFile()) return null;
    const real = await realpath(path);
    if (!real.startsWith(root + sep)) return null; // a symlink out of the root
    return { path: real, size: info.size };
  } catch {
    return null;
  }
}

function reply(req, res, status, type, text) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : text);
}
