// Opens the store a URL or path names. SQLite is the only backend so far.

import path from 'node:path';
import type { Store, StoreLimits } from './store.js';
import { StoreError } from './store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export const DEFAULT_STORE_PATH = '.suture/suture.db';

export function openStore(location: string, cwd: string, options: { mustExist?: boolean; limits?: Partial<StoreLimits> } = {}): Store {
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new StoreError(`PostgreSQL stores are not supported yet (${location.replace(/\/\/[^@]*@/, '//…@')}); use a SQLite path`);
  }
  const file = location.startsWith('sqlite:') ? location.slice('sqlite:'.length).replace(/^\/\//, '') : location;
  return SqliteStore.open(path.resolve(cwd, file), options);
}
