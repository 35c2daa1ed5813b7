// browser/support.js — what the browser tests share: the page built (scripts/build-web.sh),
// Debian's chromium launched through playwright-core, a page that records every console error,
// page error and request to another origin (a test asserts none), screenshots under
// tests/artifacts/browser/, and a tiny static file server standing in for "any static host".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'tests/artifacts/browser');
export const CHROMIUM = process.env.DETOUR_CHROMIUM || '/usr/bin/chromium';

/** Why the browser tests cannot run here (no chromium), or null. */
export const noBrowser = existsSync(CHROMIUM) ? null : `no chromium at ${CHROMIUM}: bash scripts/bootstrap.sh --with-browser`;

/** Builds web/dist when its sources are newer (as scripts/start.sh and scripts/test.sh do). */
export function buildPage() {
  execFileSync('bash', ['scripts/build-web.sh'], { cwd: ROOT, stdio: 'inherit' });
}

/** Debian's chromium, headless. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh page (its own context) that records problems: {page, problems, check()}. check()
 * asserts there was no console error, no uncaught page error and no request outside `origin`.
 */
export async function openPage(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) problems.push(`request outside the origin: ${url}`);
  });
  return {
    page,
    problems,
    check: () => assert.deepEqual(problems, [], 'the page reported problems'),
    close: () => context.close(),
  };
}

/** Saves a full-page screenshot as tests/artifacts/browser/<name>.png → its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A plain static file server over `dir` on a free loopback port → {url, close()}. Knows nothing of Detour. */
export async function staticServer(dir) {
  const root = normalize(dir + sep);
  const server = http.createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
