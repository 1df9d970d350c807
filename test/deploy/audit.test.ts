// Verifying the audit trail on a real store file tampered with by raw SQL, as someone with the file
// could: an edited entry and a removed one (in the middle or at the end) are found and named by
// seq; a whole rewritten chain is not (the documented limit). And a failed audit write is visible.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { recordAudit, verifyAudit } from '../../src/deploy/audit.js';
import { AUTOMATIC_ACTOR, auditHash, GENESIS_HASH, type AuditAction, type AuditEntry } from '../../src/model/audit.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-audit-verify-'));
  file = path.join(dir, 'suture.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ACTIONS: AuditAction[] = ['incident-opened', 'shield-raised', 'candidate-validated', 'patch-proposed', 'patch-approved'];

/** A store holding five entries, closed again. */
async function trailOfFive(): Promise<AuditEntry[]> {
  const store = SqliteStore.open(file);
  try {
    const entries: AuditEntry[] = [];
    for (const [i, action] of ACTIONS.entries()) {
      entries.push(
        await store.appendAudit({ action, actor: i === 4 ? 'alice' : AUTOMATIC_ACTOR, incident: 'a1b2c3d4e5', ...(i >= 3 ? { patch: 'p1' } : {}), summary: `${action} #${i + 1}`, evidence: { step: i + 1 } }),
      );
    }
    return entries;
  } finally {
    await store.close();
  }
}

/** Raw SQL on the file, past the append-only triggers, as someone with write access to it could. */
function tamper(...statements: string[]): void {
  const raw = new Database(file);
  try {
    raw.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    for (const sql of statements) raw.exec(sql);
  } finally {
    raw.close();
  }
}

async function verifyFile() {
  const store = SqliteStore.open(file, { mustExist: true });
  try {
    const { entries, head } = await store.auditTrail();
    return verifyAudit(entries, head);
  } finally {
    await store.close();
  }
}

describe('verifyAudit', () => {
  test('an untouched trail is intact', async () => {
    await trailOfFive();
    assert.deepEqual(await verifyFile(), { ok: true, entries: 5, problems: [] });
  });

  test('an empty trail with no head is intact', () => {
    assert.deepEqual(verifyAudit([], undefined), { ok: true, entries: 0, problems: [] });
  });

  test("an entry whose summary was edited is caught by its own hash, and named by its seq", async () => {
    await trailOfFive();
    tamper("UPDATE audit SET summary = 'nothing to see' WHERE seq = 3");
    const result = await verifyFile();
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[3, 'edited']]);
    assert.match(result.problems[0]!.detail, /entry 3 \(candidate-validated\) does not match its hash/);
  });

  test('an edited entry given a freshly computed hash is caught by the next entry’s link', async () => {
    const entries = await trailOfFive();
    const forged = { ...entries[2]!, summary: 'nothing to see' };
    const { hash: _old, ...content } = forged;
    tamper(`UPDATE audit SET summary = 'nothing to see', hash = '${auditHash(content)}' WHERE seq = 3`);
    const result = await verifyFile();
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[3, 'edited']]);
    assert.match(result.problems[0]!.detail, /the chain breaks between entries 3 and 4/);
  });

  test('an edited evidence field, even one no longer valid JSON, is caught', async () => {
    await trailOfFive();
    tamper(`UPDATE audit SET evidence = '{"step": 99}' WHERE seq = 2`, `UPDATE audit SET evidence = 'not json' WHERE seq = 4`);
    assert.deepEqual((await verifyFile()).problems.map((p) => [p.seq, p.problem]), [
      [2, 'edited'],
      [4, 'edited'],
    ]);
  });

  test('a deleted middle entry is caught as a gap, once', async () => {
    await trailOfFive();
    tamper('DELETE FROM audit WHERE seq = 3');
    const result = await verifyFile();
    assert.equal(result.ok, false);
    assert.equal(result.entries, 4);
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[3, 'removed']]);
    assert.match(result.problems[0]!.detail, /entry 3 is missing/);
  });

  test('deleted entries renumbered to close the gap are caught by the broken link', async () => {
    await trailOfFive();
    tamper('DELETE FROM audit WHERE seq = 3', 'UPDATE audit SET seq = seq - 1 WHERE seq > 3', 'UPDATE audit_head SET seq = 4');
    const result = await verifyFile();
    assert.equal(result.ok, false);
    // The renumbered entries no longer match their hashes, and entry 3's link names the removed one.
    assert.ok(result.problems.some((p) => p.seq === 2 && p.problem === 'edited' && /chain breaks between entries 2 and 3/.test(p.detail)), JSON.stringify(result.problems));
  });

  test('a deleted last entry is caught by the head', async () => {
    await trailOfFive();
    tamper('DELETE FROM audit WHERE seq = 5');
    const result = await verifyFile();
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[5, 'removed']]);
    assert.match(result.problems[0]!.detail, /entry 5 is missing from the end \(the head names entry 5, the last one kept is 4\)/);
  });

  test('after the last entries are deleted, the next append leaves the gap in place', async () => {
    await trailOfFive();
    tamper('DELETE FROM audit WHERE seq >= 4');
    const store = SqliteStore.open(file);
    const next = await store.appendAudit({ action: 'patch-rejected', actor: 'bob', patch: 'p1', summary: 'rejected p1', evidence: {} });
    await store.close();
    assert.equal(next.seq, 6);
    assert.deepEqual((await verifyFile()).problems.map((p) => [p.seq, p.problem]), [[4, 'removed']]);
  });

  test('an edited last entry given a freshly computed hash is caught by the head', async () => {
    const entries = await trailOfFive();
    const { hash: _old, ...content } = { ...entries[4]!, actor: 'mallory' };
    tamper(`UPDATE audit SET actor = 'mallory', hash = '${auditHash(content)}' WHERE seq = 5`);
    const result = await verifyFile();
    assert.deepEqual(result.problems.map((p) => [p.seq, p.problem]), [[5, 'edited']]);
    assert.match(result.problems[0]!.detail, /entry 5 is not the one the head names/);
  });

  test('a removed head record is reported', async () => {
    await trailOfFive();
    tamper('DELETE FROM audit_head');
    assert.deepEqual((await verifyFile()).problems.map((p) => [p.seq, p.problem]), [[5, 'removed']]);
  });

  test('entries out of seq order are reported', async () => {
    const entries = await trailOfFive();
    const result = verifyAudit([entries[0]!, entries[2]!, entries[1]!], { seq: 3, hash: entries[2]!.hash });
    assert.ok(result.problems.some((p) => p.problem === 'out-of-order' && p.seq === 2), JSON.stringify(result.problems));
  });

  test('the limit: a whole chain rewritten and re-hashed, head included, verifies as intact', async () => {
    const entries = await trailOfFive();
    let prev = GENESIS_HASH;
    const forged = entries.map((e) => {
      const content = { ...e, summary: e.seq === 4 ? 'patch proposed by nobody' : e.summary, prev };
      delete (content as Partial<AuditEntry>).hash;
      const hash = auditHash(content);
      prev = hash;
      return { ...content, hash };
    });
    tamper(...forged.map((e) => `UPDATE audit SET summary = '${e.summary}', prev = '${e.prev}', hash = '${e.hash}' WHERE seq = ${e.seq}`), `UPDATE audit_head SET hash = '${prev}'`);
    assert.equal((await verifyFile()).ok, true);
  });
});

describe('recordAudit', () => {
  test('writes the entry and returns it', async () => {
    const store = SqliteStore.open(file);
    try {
      const entry = await recordAudit(store, { action: 'shield-lifted', actor: AUTOMATIC_ACTOR, summary: 'lifted', evidence: {} });
      assert.ok(!(entry instanceof Error));
      assert.equal(entry.seq, 1);
    } finally {
      await store.close();
    }
  });

  test('a failed write does not throw: it is reported in one line naming the action, and returned as an Error', async () => {
    const store = SqliteStore.open(file);
    await store.close(); // a closed database: every write fails
    const lines: string[] = [];
    const result = await recordAudit(store, { action: 'patch-deployed', actor: 'alice', incident: 'a1b2', patch: 'p1', summary: 'deployed', evidence: {} }, (line) => lines.push(line));
    assert.ok(result instanceof Error);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^suture: audit entry not recorded \(patch-deployed for incident a1b2, patch p1 by alice\): .*not open/);
  });
});
