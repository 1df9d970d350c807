// `suture audit` as a user runs it: the trail as a table or JSON, and `--verify` exiting 0 on an
// intact trail and 1, one line per problem, on a store edited behind Suture's back.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { AUTOMATIC_ACTOR, type AuditEntry } from '../../src/model/audit.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { suture, tempDir } from '../helpers/suture.js';

/** A store with three entries: an incident opened, a patch proposed, and a person approving it. */
async function storeWithTrail(): Promise<{ dir: string; file: string; entries: AuditEntry[] }> {
  const dir = tempDir();
  const file = path.join(dir, 'suture.db');
  const store = SqliteStore.open(file);
  try {
    const entries = [
      await store.appendAudit({ action: 'incident-opened', actor: AUTOMATIC_ACTOR, incident: 'a1b2c3d4e5', summary: 'incident a1b2c3d4e5 opened: TypeError', evidence: { count: 1 } }),
      await store.appendAudit({ action: 'patch-proposed', actor: AUTOMATIC_ACTOR, incident: 'a1b2c3d4e5', patch: 'p1', summary: 'proposed patch p1', evidence: { diffLines: 2 } }),
      await store.appendAudit({ action: 'patch-approved', actor: 'alice', incident: 'ffffffffff', patch: 'p2', summary: 'alice approved p2', evidence: {} }),
    ];
    return { dir, file, entries };
  } finally {
    await store.close();
  }
}

function tamper(file: string, sql: string): void {
  const raw = new Database(file);
  try {
    raw.exec(`DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; ${sql}`);
  } finally {
    raw.close();
  }
}

function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${text}`);
  return lines[0]!;
}

describe('suture audit', () => {
  test('lists the trail oldest first: time, actor, action, incident, patch, summary', async () => {
    const { dir, file } = await storeWithTrail();
    const r = suture(['audit', '--store', file], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, /^SEQ\s+TIME\s+ACTOR\s+ACTION\s+INCIDENT\s+PATCH\s+SUMMARY$/);
    assert.match(lines[1]!, /^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+suture\s+incident-opened\s+a1b2c3d4e5\s+-\s+incident a1b2c3d4e5 opened: TypeError$/);
    assert.match(lines[3]!, /^3\s+.*alice\s+patch-approved\s+ffffffffff\s+p2\s+alice approved p2$/);

    const json = suture(['audit', '--json', '--incident', 'a1b2c3d4e5', '--store', file], dir);
    assert.equal(json.code, 0, json.stderr);
    const entries = JSON.parse(json.stdout) as AuditEntry[];
    assert.deepEqual(entries.map((e) => [e.seq, e.action, e.actor]), [
      [1, 'incident-opened', 'suture'],
      [2, 'patch-proposed', 'suture'],
    ]);
    assert.deepEqual(entries[1]!.evidence, { diffLines: 2 });
    assert.equal(entries[1]!.prev, entries[0]!.hash);
  });

  test('--verify on an intact trail prints its size and head, and exits 0', async () => {
    const { dir, file, entries } = await storeWithTrail();
    const r = suture(['audit', '--verify', '--store', file], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(oneLine(r.stdout), `audit trail intact: 3 entries, head ${entries[2]!.hash.slice(0, 12)}`);
  });

  test('--verify after an entry was edited exits 1 with one line naming it', async () => {
    const { dir, file } = await storeWithTrail();
    tamper(file, "UPDATE audit SET actor = 'suture' WHERE seq = 3");
    const r = suture(['audit', '--verify', '--store', file], dir);
    assert.equal(r.code, 1);
    assert.match(oneLine(r.stdout), /^audit entry 3 edited: entry 3 \(patch-approved\) does not match its hash/);
  });

  test('--verify after an entry was deleted exits 1 with one line naming it; --json gives the problems', async () => {
    const { dir, file } = await storeWithTrail();
    tamper(file, 'DELETE FROM audit WHERE seq = 2');
    const r = suture(['audit', '--verify', '--store', file], dir);
    assert.equal(r.code, 1);
    assert.match(oneLine(r.stdout), /^audit entry 2 removed: entry 2 is missing/);
    const json = suture(['audit', '--verify', '--json', '--store', file], dir);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), { ok: false, entries: 2, problems: [{ seq: 2, problem: 'removed', detail: 'entry 2 is missing (the trail goes from 1 to 3)' }] });
  });

  test('an empty trail lists nothing and verifies as intact', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'suture.db');
    await SqliteStore.open(file).close();
    assert.equal(suture(['audit', '--store', file], dir).stdout, 'no audit entries recorded\n');
    const r = suture(['audit', '--verify', '--store', file], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'audit trail intact: 0 entries, head none\n');
  });

  test('bad input: no store, or --verify with --incident, is one line and a non-zero exit', async () => {
    const dir = tempDir();
    const missing = suture(['audit', '--verify'], dir);
    assert.equal(missing.code, 1);
    assert.match(oneLine(missing.stderr), /^suture audit: no store at .*; run the service under suture run first, or pass --store PATH$/);

    const { file } = await storeWithTrail();
    const both = suture(['audit', '--verify', '--incident', 'a1b2', '--store', file], dir);
    assert.equal(both.code, 2);
    assert.equal(oneLine(both.stderr), 'suture audit: --verify checks the whole trail, not one incident; drop --incident');
  });
});
