// The embedded SQLite store on real files: faults group into incidents, recorded requests and
// traffic stay bounded, data survives a restart, and a file that is not ours is refused untouched.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { RecordedRequest } from '../../src/model/request.js';
import { openStore } from '../../src/store/open.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StoreError, type FaultRecord, type Store } from '../../src/store/store.js';

let dir: string;
const open: Store[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-store-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openAt(file: string, limits?: { requestsPerIncident?: number; trafficPerRoute?: number }): Store {
  const store = SqliteStore.open(file, limits ? { limits } : {});
  open.push(store);
  return store;
}

const request = (id: string, url = '/orders/1', method = 'GET'): RecordedRequest => ({ id, method, url, headers: { host: 'x' }, startedAt: 1_700_000_000_000 });

function fault(overrides: Partial<FaultRecord> = {}): FaultRecord {
  return {
    signature: "TypeError: Cannot read properties of undefined (reading 'country') @ src/users.ts:region",
    id: 'a1b2c3d4e5',
    errorClass: 'TypeError',
    messagePattern: "Cannot read properties of undefined (reading 'country')",
    message: "Cannot read properties of undefined (reading 'country')",
    origin: 'uncaughtException',
    frames: [{ fn: 'region', file: '/srv/app/src/users.ts', line: 12, column: 5, app: true }],
    location: { fn: 'region', file: '/srv/app/src/users.ts', line: 12, column: 5, app: true },
    at: '2025-01-01T00:00:00.000Z',
    service: { command: ['node', 'dist/server.js'], cwd: '/srv/app' },
    ...overrides,
  };
}

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    return err;
  }
  assert.fail('the store opened');
}

describe('SqliteStore', () => {
  test('the first fault of a signature opens an incident; the next one adds to its count', async () => {
    const store = openAt(path.join(dir, 'suture.db'));
    const first = await store.recordFault(fault({ request: request('1-1') }));
    assert.equal(first.opened, true);
    assert.equal(first.incident.id, 'a1b2c3d4e5');
    assert.equal(first.incident.count, 1);

    const second = await store.recordFault(fault({ id: 'ignored999', message: 'last raw message', at: '2025-01-02T00:00:00.000Z', request: request('1-2') }));
    assert.equal(second.opened, false);
    assert.equal(second.incident.id, 'a1b2c3d4e5');
    assert.equal(second.incident.count, 2);
    assert.equal(second.incident.firstSeen, '2025-01-01T00:00:00.000Z');
    assert.equal(second.incident.lastSeen, '2025-01-02T00:00:00.000Z');
    assert.equal(second.incident.message, 'last raw message');
    assert.deepEqual(second.incident.requests.map((r) => r.id), ['1-1', '1-2']);

    const other = await store.recordFault(fault({ signature: 'RangeError: x @ src/a.ts:f', id: 'ffffffffff', errorClass: 'RangeError' }));
    assert.equal(other.opened, true);
    assert.equal((await store.listIncidents()).length, 2);
  });

  test('an incident keeps only the most recent requestsPerIncident triggering requests, oldest first', async () => {
    const store = openAt(path.join(dir, 'suture.db'), { requestsPerIncident: 3 });
    for (let i = 1; i <= 5; i++) await store.recordFault(fault({ request: request(`1-${i}`) }));
    const incident = await store.getIncident('a1b2c3d4e5');
    assert.equal(incident?.count, 5);
    assert.deepEqual(incident?.requests.map((r) => r.id), ['1-3', '1-4', '1-5']);
  });

  test('recordTraffic keeps at most trafficPerRoute per route; /orders/1 and /orders/2 share a route', async () => {
    const store = openAt(path.join(dir, 'suture.db'), { trafficPerRoute: 2 });
    await store.recordTraffic([request('r1', '/orders/1'), request('r2', '/orders/2?x=1'), request('h1', '/health')]);
    await store.recordTraffic([request('r3', '/orders/3'), request('p1', '/orders/4', 'POST')]);
    assert.deepEqual((await store.trafficFor('GET /orders/:id', 10)).map((r) => r.id), ['r3', 'r2']);
    assert.deepEqual((await store.trafficFor('GET /health', 10)).map((r) => r.id), ['h1']);
    assert.deepEqual((await store.trafficFor('POST /orders/:id', 10)).map((r) => r.id), ['p1']);
    assert.deepEqual((await store.trafficFor('GET /orders/:id', 1)).map((r) => r.id), ['r3']);
  });

  test('incidents, their requests and traffic survive closing and reopening the file', async () => {
    const file = path.join(dir, 'nested', 'suture.db'); // the folder is created on first open
    const store = SqliteStore.open(file);
    await store.recordFault(fault({ request: request('1-1') }));
    await store.recordFault(fault());
    await store.setReproduced('a1b2c3d4e5', 'always');
    await store.recordTraffic([request('t1', '/users/7')]);
    await store.close();

    const again = openAt(file, {});
    const incident = await again.getIncident('a1b2c3d4e5');
    assert.equal(incident?.count, 2);
    assert.equal(incident?.reproduced, 'always');
    assert.deepEqual(incident?.requests.map((r) => r.id), ['1-1']);
    assert.deepEqual(incident?.location, fault().location);
    assert.deepEqual(incident?.service, fault().service);
    const [summary] = await again.listIncidents();
    assert.equal(summary?.count, 2);
    assert.deepEqual((await again.trafficFor('GET /users/:id', 10)).map((r) => r.id), ['t1']);
    assert.equal((await again.recordFault(fault())).opened, false);
  });

  test('a file of random bytes is refused with a StoreError naming it, and its bytes are left as they were', () => {
    const file = path.join(dir, 'not-a-db.db');
    const bytes = randomBytes(8192);
    fs.writeFileSync(file, bytes);
    const err = storeError(() => SqliteStore.open(file));
    assert.ok(err.message.includes(file), err.message);
    assert.match(err.message, /move it aside or point --store at another file/);
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  test('a store written by a newer Suture (higher user_version) is refused and says so', async () => {
    const file = path.join(dir, 'suture.db');
    await SqliteStore.open(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const err = storeError(() => SqliteStore.open(file));
    assert.match(err.message, /written by a newer Suture \(schema 99/);
    assert.match(err.message, /upgrade suture/);
  });

  test('mustExist on a missing path is refused and creates neither the file nor its folder', () => {
    const file = path.join(dir, 'missing', 'suture.db');
    const err = storeError(() => SqliteStore.open(file, { mustExist: true }));
    assert.match(err.message, /no store at/);
    assert.ok(err.message.includes(file));
    assert.equal(fs.existsSync(path.dirname(file)), false);
  });
});

describe('openStore', () => {
  test('a relative path or sqlite: URL is resolved against the given folder', async () => {
    const a = openStore('.suture/suture.db', dir);
    open.push(a);
    assert.ok(fs.existsSync(path.join(dir, '.suture', 'suture.db')));
    const b = openStore('sqlite:other.db', dir);
    open.push(b);
    assert.ok(fs.existsSync(path.join(dir, 'other.db')));
  });

  test('a PostgreSQL URL is refused without echoing its password', () => {
    const err = storeError(() => openStore('postgres://admin:hunter2@db:5432/suture', dir));
    assert.match(err.message, /not supported yet/);
    assert.ok(!err.message.includes('hunter2'), err.message);
  });

  test('mustExist passes through: a missing store is refused and not created', () => {
    storeError(() => openStore('gone.db', dir, { mustExist: true }));
    assert.equal(fs.existsSync(path.join(dir, 'gone.db')), false);
  });
});
