// Bad input to the CLI: one line on stderr naming the problem and the fix, a non-zero exit, no data lost.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SERVICES, suture, tempDir } from '../helpers/suture.js';

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  return lines[0]!;
}

describe('bad input', () => {
  test('an unknown flag is named, with where to find the right ones', () => {
    const r = suture(['run', '--wrokers', '2', '--', 'node', 'slow.mjs'], SERVICES);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /^suture run: unknown option '--wrokers'.*--workers.*see suture run --help/);
  });

  test('an unknown command suggests the right one', () => {
    const r = suture(['incidnets']);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /^suture: unknown command 'incidnets'.*incidents/);
  });

  test('run without a command says how to give one', () => {
    const dir = tempDir();
    const r = suture(['run'], dir);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /^suture run: no command to supervise; usage: suture run \[options\] -- node server\.js/);
  });

  test('a command that is not node, or a missing entry file, is refused before anything starts', () => {
    const notNode = suture(['run', '--', 'python3', 'app.py'], SERVICES);
    assert.equal(notNode.code, 1);
    assert.match(oneLine(notNode.stderr), /^suture run: the command must start with node/);
    const missing = suture(['run', '--', 'node', 'nope.js'], SERVICES);
    assert.equal(missing.code, 2);
    assert.match(oneLine(missing.stderr), /^suture run: the service's entry file nope\.js does not exist/);
  });

  test('a bad flag value names the flag and the range', () => {
    const r = suture(['run', '--workers', 'many', '--', 'node', 'slow.mjs'], SERVICES);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /--workers takes a whole number from 1 up/);
  });

  test('a malformed config names the file and the problem', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'suture.config.json'), '{ "workers": 2, }');
    const syntax = suture(['incidents'], dir);
    assert.equal(syntax.code, 1);
    assert.match(oneLine(syntax.stderr), /^suture incidents: suture\.config\.json: not valid JSON .*; fix the syntax$/);

    fs.writeFileSync(path.join(dir, 'suture.config.json'), JSON.stringify({ containment: 'explode' }));
    const value = suture(['run', '--', 'node', 'x.js'], dir);
    assert.equal(value.code, 1);
    assert.match(oneLine(value.stderr), /suture\.config\.json: containment must be one of "recycle", "continue", got "explode"/);
  });

  test('a store that is not a database is reported and left untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'suture.db');
    const bytes = crypto.randomBytes(8192);
    fs.writeFileSync(file, bytes);
    const r = suture(['incidents', '--store', file], dir);
    assert.equal(r.code, 1);
    assert.match(oneLine(r.stderr), /^suture incidents: .*suture\.db.*; move it aside or point --store at another file$/);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.deepEqual(fs.readdirSync(dir), ['suture.db']);
  });

  test('reading a store that does not exist says how to make one, and creates nothing', () => {
    const dir = tempDir();
    const r = suture(['incidents'], dir);
    assert.equal(r.code, 1);
    assert.match(oneLine(r.stderr), /^suture incidents: no store at .*; run the service under suture run first, or pass --store PATH$/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('an unknown incident id says how to list them', async () => {
    const dir = tempDir();
    const store = path.join(dir, 'suture.db');
    await SqliteStore.open(store).close();
    const r = suture(['show', 'abc123', '--store', store], dir);
    assert.equal(r.code, 2);
    assert.equal(oneLine(r.stderr), 'suture show: no incident abc123; list them with suture incidents');
  });

  test('a command that exits at once fails with its reason, not a restart loop', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(SERVICES, 'exits-at-once.mjs'), path.join(dir, 'server.mjs'));
    fs.writeFileSync(path.join(dir, 'suture.config.json'), JSON.stringify({ crashLoop: { maxRestarts: 2, backoffMs: 20 } }));
    const r = suture(['run', '--quiet', '--store', path.join(dir, 's.db'), '--', 'node', 'server.mjs'], dir);
    assert.equal(r.code, 1);
    // The service's own stderr passes through; Suture's verdict is its last line.
    const last = r.stderr.trim().split('\n').pop()!;
    assert.match(last, /^suture: service failing: 3 worker deaths within 30s \(limit 2\); last worker exited with code 1 \(Error: DATABASE_URL is not set\)$/);
  });
});
