// store-databases.js — what the store test files share: temp SQLite files and fresh PostgreSQL
// databases (one throw-away cluster per test file, a database per call), a tracker that closes
// every store a test opened, and describe() for a backend that fails — not skips — when
// PostgreSQL is missing, unless DETOUR_SKIP_POSTGRES=1.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import pg from 'pg';

import { postgresAvailability, skipPostgres, startPostgres } from './postgres.js';

export const pgState = postgresAvailability();

/**
 * The databases of one test file → {temp, tempFile(), freshPostgresUrl()}; everything is removed
 * (temp dir) or stopped (cluster) after the file's tests. `prefix` names the PostgreSQL databases.
 */
export function testDatabases(prefix) {
  const temp = mkdtempSync(join(tmpdir(), `detour-${prefix}-`));
  let files = 0;
  let databases = 0;
  let cluster = null;
  after(async () => {
    rmSync(temp, { recursive: true, force: true });
    if (!cluster) return;
    const c = await cluster;
    await c.admin.end();
    c.stop();
  });
  return {
    temp,
    tempFile: () => join(temp, `store-${++files}.db`),
    async freshPostgresUrl() {
      cluster ??= startPostgres().then(async (c) => {
        const admin = new pg.Client({ connectionString: c.url });
        await admin.connect();
        return { ...c, admin };
      });
      const c = await cluster;
      const name = `${prefix}${++databases}`;
      await c.admin.query(`CREATE DATABASE ${name}`);
      return c.url.replace(/\/postgres$/, `/${name}`);
    },
  };
}

/** {store, another(): a second store on the same database, close(): closes all of them, ...extra}. */
export function tracked(store, open, extra) {
  const opened = [store];
  return {
    ...extra,
    store,
    another: async () => {
      const s = await open();
      opened.push(s);
      return s;
    },
    close: async () => {
      for (const s of opened) await s.close();
    },
  };
}

/** describe() for a backend ({name, postgres?}): PostgreSQL's fail with the reason when it is missing, unless skipped. */
export function describeBackend(backend, name, body) {
  if (!backend.postgres) return describe(`${backend.name}: ${name}`, body);
  if (skipPostgres) return describe(`${backend.name}: ${name}`, { skip: 'DETOUR_SKIP_POSTGRES=1' }, body);
  if (!pgState.available) {
    return describe(`${backend.name}: ${name}`, () => {
      test('PostgreSQL is available (set DETOUR_SKIP_POSTGRES=1 to skip)', () => assert.fail(`PostgreSQL is not available: ${pgState.reason}`));
    });
  }
  return describe(`${backend.name}: ${name}`, body);
}
