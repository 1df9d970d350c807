// runCommand: exit code and output captured; a command that hangs is stopped at the timeout with
// everything it started, checked by PID.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { runCommand } from '../../src/validate/shell.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-shell-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) for a killed process to leave the process table; signals are delivered asynchronously. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
  return !alive(pid);
}

function pidIn(output: string): number {
  const m = /PID=(\d+)/.exec(output);
  assert.ok(m, `no PID in output: ${output}`);
  return Number(m[1]);
}

describe('runCommand', () => {
  test('captures the exit code and both streams, in the working directory', async () => {
    fs.writeFileSync(path.join(dir, 'marker.txt'), 'here');
    const r = await runCommand('cat marker.txt; echo " out"; echo err >&2; exit 3', dir, 10_000);
    assert.equal(r.code, 3);
    assert.equal(r.ok, false);
    assert.equal(r.timedOut, false);
    assert.match(r.output, /here out/);
    assert.match(r.output, /err/);
    const ok = await runCommand('node -e "process.stdout.write(String(1 + 1))"', dir, 10_000);
    assert.deepEqual([ok.ok, ok.code, ok.output], [true, 0, '2']);
  });

  test('passes extra environment and sets CI, without the test runner context', async () => {
    const r = await runCommand('echo "$SUTURE_X:$EXTRA:$CI:${NODE_TEST_CONTEXT:-none}"', dir, 10_000, { EXTRA: 'yes' });
    assert.equal(r.output.trim(), ':yes:true:none');
  });

  test('keeps the tail of a long output', async () => {
    const r = await runCommand('node -e "for (let i = 0; i < 5000; i++) console.log(\'line \' + i)"', dir, 10_000);
    assert.ok(r.ok);
    assert.ok(r.output.length <= 4000);
    assert.match(r.output, /line 4999\n$/);
    assert.doesNotMatch(r.output, /line 0\n/);
  });

  test('a command that hangs is stopped at the timeout', async () => {
    const r = await runCommand('sleep 30', dir, 300);
    assert.equal(r.timedOut, true);
    assert.equal(r.ok, false);
    assert.notEqual(r.code, 0);
  });

  test('a shell waiting on a background child: both stopped, the child gone by PID', async () => {
    const r = await runCommand('sleep 30 & echo "PID=$!"; wait', dir, 500);
    assert.equal(r.timedOut, true);
    assert.equal(r.ok, false);
    const pid = pidIn(r.output);
    assert.equal(await gone(pid), true, `sleep ${pid} still running`);
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  });

  test('a command that exits leaving a background child: the child is stopped with it', async () => {
    const r = await runCommand('sleep 30 >/dev/null 2>&1 & echo "PID=$!"', dir, 10_000);
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 0);
    const pid = pidIn(r.output);
    assert.equal(await gone(pid), true, `sleep ${pid} still running`);
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  });

  test('a node process that ignores SIGTERM is killed too', async () => {
    const script = path.join(dir, 'stubborn.cjs');
    fs.writeFileSync(script, "process.on('SIGTERM', () => {}); console.log('PID=' + process.pid); setInterval(() => {}, 1000);\n");
    const r = await runCommand(`node ${JSON.stringify(script)}`, dir, 500);
    assert.equal(r.timedOut, true);
    const pid = pidIn(r.output);
    assert.equal(await gone(pid), true);
  });

  test('a missing working directory is reported, not thrown', async () => {
    const r = await runCommand('true', path.join(dir, 'nope'), 1000);
    assert.equal(r.ok, false);
    assert.equal(r.code, null);
    assert.match(r.output, /ENOENT/);
  });
});
