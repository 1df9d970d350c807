// Opens the store a URL or path names. SQLite is the only backend so far.

import path from 'node:path';
import type { Store, StoreLimits } from './store.js';
import { StoreError } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export const DEFAULT_STORE_PATH = '.suture/suture.db';

/** The absolute file a SQLite store location (`path` or `sqlite:path`) names, relative to `cwd`. */
export function storeFilePath(location: string, cwd: string): string {
  const file = location.startsWith('sqlite:') ? location.slice('sqlite:'.length).replace(/^\/\//, '') : location;
  return path.resolve(cwd, file);
}

export function openStore(location: string, cwd: string, options: { mustExist?: boolean; limits?: Partial<StoreLimits> } = {}): Store {
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new StoreError(`PostgreSQL stores are not supported yet (${location.replace(/\/\/[^@]*@/, '//…@')}); use a SQLite path`);
  }
  return SqliteStore.open(storeFilePath(location, cwd), options);
}
