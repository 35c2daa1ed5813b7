// store/open.js — a store from a URL (DETOUR_DB):
//   memory:                        MemoryStore (gone with the process)
//   sqlite::memory:                SqliteStore in memory
//   sqlite:path/to/file.db         SqliteStore on a file, relative to the working directory or
//   sqlite:/absolute/file.db       absolute (sqlite:///absolute/file.db too); creates the directory
//   postgres://… / postgresql://…  PostgresStore
// The SQL stores are imported only when asked for, so `memory:` needs neither native module.

import { resolve } from 'node:path';

import { MemoryStore } from './memory.js';

/** → a migrated, ready store for `url`. */
export async function openStore(url) {
  if (typeof url !== 'string' || !url) throw new Error('openStore: a store URL is required (memory:, sqlite:<path>, postgres://…)');
  if (url === 'memory:') return new MemoryStore();
  if (url.startsWith('sqlite:')) {
    const { SqliteStore } = await import('./sqlite.js');
    let path = url.slice('sqlite:'.length);
    if (path === ':memory:') return new SqliteStore(':memory:');
    if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs/path → /abs/path
    if (!path) throw new Error(`openStore: '${url}' names no file (sqlite:<path> or sqlite::memory:)`);
    return new SqliteStore(resolve(path));
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(url);
  }
  // Only the scheme: the rest of a URL may hold a password.
  throw new Error(`openStore: unknown store URL scheme '${url.split(':')[0]}:' (use memory:, sqlite:<path>, sqlite::memory: or postgres://…)`);
}
