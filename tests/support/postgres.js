// tests/support/postgres.js — a throw-away PostgreSQL cluster for tests: initdb into a temp
// directory, start it on 127.0.0.1 at a free port (its unix socket in that directory too), hand
// back its URL; stop() kills it and removes the directory.
//
// PostgreSQL refuses to run as root: as root the cluster belongs to the unprivileged `postgres`
// system user (the Debian package creates it) and its programs run through runuser.
// Durability is off (fsync, synchronous_commit, full_page_writes): the cluster dies with the test.

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUN_AS = 'postgres';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Where initdb and pg_ctl are: PATH first, then /usr/lib/postgresql/<newest>/bin. → {initdb, pgCtl} or null. */
export function findPostgres() {
  const onPath = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || null;
  const initdb = onPath('initdb');
  const pgCtl = onPath('pg_ctl');
  if (initdb && pgCtl) return { initdb, pgCtl };
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => b - a);
  for (const v of versions) {
    const bin = join(base, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
  }
  return null;
}

/** Whether a cluster can be started here. → {available: true} or {available: false, reason}. */
export function postgresAvailability() {
  if (!findPostgres()) return { available: false, reason: 'initdb/pg_ctl not found on PATH nor under /usr/lib/postgresql/*/bin' };
  if (process.getuid?.() === 0 && !systemUser(RUN_AS)) {
    return { available: false, reason: `running as root and there is no '${RUN_AS}' system user to run PostgreSQL as` };
  }
  return { available: true };
}

/** True when the PostgreSQL tests may be skipped (DETOUR_SKIP_POSTGRES=1); otherwise they must run. */
export const skipPostgres = process.env.DETOUR_SKIP_POSTGRES === '1';

function systemUser(name) {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const uid = Number(r.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh cluster. → {url, stop()} with url postgres://postgres@127.0.0.1:<port>/postgres
 * (trust authentication). stop() also runs at process exit and on SIGINT/SIGTERM/SIGHUP, so a
 * failed or interrupted test leaves nothing behind.
 */
export async function startPostgres() {
  const availability = postgresAvailability();
  if (!availability.available) throw new Error(`PostgreSQL is not available: ${availability.reason}`);
  const { initdb, pgCtl } = findPostgres();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? systemUser(RUN_AS) : null;
  const run = (program, args) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', RUN_AS, '--', program, ...args]] : [program, args];
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };

  const dir = mkdtempSync(join(tmpdir(), 'detour-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      try {
        run(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w']);
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', stop);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  // A test run that is interrupted or killed (a timeout) must not leave a server behind either.
  const onSignal = (signal) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.on('exit', stop);
  for (const signal of SIGNALS) process.once(signal, onSignal);

  try {
    run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        run(pgCtl, ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', options]);
        started = true;
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
      } catch (e) {
        // Someone took the port between freePort() and the start: try another.
        if (attempt >= 3) throw new Error(`pg_ctl start failed: ${e.stderr || e.message}`);
      }
    }
  } catch (e) {
    stop();
    throw e;
  }
}
