// The audit trail in the SQLite store, on real files: entries chain across store handles and across
// processes appending at once, come back exactly as hashed, and cannot be rewritten through Suture.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { verifyAudit } from '../../src/deploy/audit.js';
import { AUTOMATIC_ACTOR, auditHash, GENESIS_HASH, type AuditInput } from '../../src/model/audit.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APPENDER = path.join(ROOT, 'test/store/helpers/append-audit.ts');

let dir: string;
const open: Store[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-audit-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openAt(file: string): Store {
  const store = SqliteStore.open(file);
  open.push(store);
  return store;
}

const input = (overrides: Partial<AuditInput> = {}): AuditInput => ({
  action: 'incident-opened',
  actor: AUTOMATIC_ACTOR,
  incident: 'a1b2c3d4e5',
  summary: 'incident a1b2c3d4e5 opened',
  evidence: { signature: 'TypeError @ src/users.ts:region' },
  ...overrides,
});

describe('SqliteStore audit trail', () => {
  test('entries appended through two handles on one file form one chain, numbered from 1, starting at zeros', async () => {
    const file = path.join(dir, 'suture.db');
    const supervisor = openAt(file);
    const cli = openAt(file);
    const first = await supervisor.appendAudit(input());
    const second = await cli.appendAudit(input({ action: 'patch-approved', actor: 'alice', patch: 'p1', summary: 'approved p1' }));
    const third = await supervisor.appendAudit(input({ action: 'patch-deployed', patch: 'p1', summary: 'deployed p1' }));

    assert.deepEqual([first.seq, second.seq, third.seq], [1, 2, 3]);
    assert.equal(first.prev, GENESIS_HASH);
    assert.equal(second.prev, first.hash);
    assert.equal(third.prev, second.hash);
    assert.match(first.hash, /^[0-9a-f]{64}$/);

    const listed = await cli.listAudit();
    assert.deepEqual(listed, [first, second, third]);
    const { entries, head } = await supervisor.auditTrail();
    assert.deepEqual(head, { seq: 3, hash: third.hash });
    assert.deepEqual(verifyAudit(entries, head), { ok: true, entries: 3, problems: [] });
  });

  test('an entry reads back exactly as it was hashed: undefined evidence fields dropped, absent incident and patch absent', async () => {
    const store = openAt(path.join(dir, 'suture.db'));
    const written = await store.appendAudit({ action: 'shield-raised', actor: AUTOMATIC_ACTOR, summary: 'blocked a signature', evidence: { kept: [1, 'two', { b: 2, a: 1 }], dropped: undefined } });
    assert.deepEqual(written.evidence, { kept: [1, 'two', { b: 2, a: 1 }] });
    assert.equal('incident' in written, false);
    assert.equal('patch' in written, false);
    const [read] = await store.listAudit();
    assert.deepEqual(read, written);
    const { hash, ...content } = read!;
    assert.equal(auditHash(content), hash);
  });

  test('listAudit filters by incident, oldest first; entries survive reopening', async () => {
    const file = path.join(dir, 'suture.db');
    const store = SqliteStore.open(file);
    await store.appendAudit(input({ incident: 'aaa' }));
    await store.appendAudit(input({ incident: 'bbb' }));
    await store.appendAudit(input({ incident: 'aaa', action: 'candidate-validated', summary: 'validated' }));
    await store.close();

    const again = openAt(file);
    assert.deepEqual((await again.listAudit({ incident: 'aaa' })).map((e) => [e.seq, e.action]), [
      [1, 'incident-opened'],
      [3, 'candidate-validated'],
    ]);
    assert.equal((await again.listAudit()).length, 3);
    assert.equal((await again.appendAudit(input())).seq, 4);
  });

  test("the store's own SQL cannot rewrite or remove an entry", async () => {
    const file = path.join(dir, 'suture.db');
    const store = openAt(file);
    await store.appendAudit(input());
    const raw = new Database(file);
    try {
      assert.throws(() => raw.prepare("UPDATE audit SET summary = 'nothing happened' WHERE seq = 1").run(), /append-only/);
      assert.throws(() => raw.prepare('DELETE FROM audit WHERE seq = 1').run(), /append-only/);
    } finally {
      raw.close();
    }
    assert.equal((await store.listAudit())[0]!.summary, 'incident a1b2c3d4e5 opened');
  });

  test('two processes appending at once keep a single unbroken chain', async () => {
    const file = path.join(dir, 'suture.db');
    await SqliteStore.open(file).close(); // migrated once, before either writer starts
    const perWriter = 150;
    const writers = ['supervisor', 'heal'].map((name) => {
      const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, file, name, String(perWriter)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.startsWith('ready\n') && resolve());
        child.once('exit', () => reject(new Error(`${name} exited before it was ready: ${stderr}`)));
      });
      const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
      return { name, child, ready, exited, output: () => ({ stdout, stderr }) };
    });
    // Both open and waiting before either appends, so their appends overlap.
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin.end('go\n');
    const codes = await Promise.all(writers.map((w) => w.exited));
    for (const [i, w] of writers.entries()) assert.equal(codes[i], 0, `${w.name}: ${w.output().stderr}`);

    const seqsOf = writers.map((w) => JSON.parse(w.output().stdout.trim().split('\n').pop()!) as number[]);
    const all = seqsOf.flat().sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 2 * perWriter }, (_, i) => i + 1), 'every seq taken exactly once');

    const store = openAt(file);
    const { entries, head } = await store.auditTrail();
    assert.equal(entries.length, 2 * perWriter);
    assert.deepEqual(verifyAudit(entries, head), { ok: true, entries: 2 * perWriter, problems: [] });
    for (const name of ['supervisor', 'heal']) {
      // Each writer's own entries are in the order it wrote them.
      const mine = entries.filter((e) => e.actor === name).map((e) => (e.evidence as { i: number }).i);
      assert.deepEqual(mine, Array.from({ length: perWriter }, (_, i) => i));
    }
  });
});
