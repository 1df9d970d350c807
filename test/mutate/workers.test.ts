import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fixturesDir, repoRoot } from './helpers/fixture.js';

// Named like the sandbox suture makes, which its workers remove when suture dies.
const sandbox = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'suture-mutate-')));
cpSync(path.join(fixturesDir, 'node-test'), sandbox, { recursive: true });
symlinkSync(path.join(repoRoot, 'node_modules'), path.join(sandbox, 'node_modules'), 'dir');
after(() => rmSync(sandbox, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readStat(pid));
  } catch {
    return false;
  }
}

function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return ') Z ';
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (check()) return true;
  return check();
}

test('workers: a worker ends when suture dies, idle or stuck in an endless loop, and removes the sandbox', async () => {
  writeFileSync(path.join(sandbox, 'test/spin.spec.ts'), "import { test } from 'node:test';\ntest('spins', () => { for (;;) {} });\n");
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const suture = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/mutate/helpers/hold-worker.ts'), sandbox], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = await new Promise<{ idle: number; spinning: number }>((resolve, reject) => {
    let out = '';
    suture.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
    });
    suture.once('exit', (code) => reject(new Error(`the helper exited early (${code})`)));
  });
  try {
    assert.ok(alive(pids.idle) && alive(pids.spinning), 'both workers run');
    process.kill(suture.pid!, 'SIGKILL');
    assert.ok(await waitFor(() => !alive(pids.idle), 20_000), 'the idle worker ended with its parent');
    assert.ok(await waitFor(() => !alive(pids.spinning), 20_000), 'the spinning worker ended with its parent');
    assert.ok(await waitFor(() => !existsSync(sandbox), 20_000), 'the sandbox is gone');
  } finally {
    for (const pid of [suture.pid!, pids.idle, pids.spinning]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  }
});
