// Approval, canary and rollback against a live `suture run` of a real service in a real git
// repository: a good patch is promoted to every worker, a patch that answers 5xx on another route
// or runs 10x slower is rolled back by the canary, and no normal request fails on the way.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { closeIdleSockets, loadExample, sendExampleRequest, type ExampleRequest } from '../../src/examples.js';
import type { AuditEntry } from '../../src/model/audit.js';
import type { Patch } from '../../src/model/repair.js';
import { openStore } from '../../src/store/open.js';
import { replacementPatch } from '../helpers/patch.js';
import { BIN, EXAMPLES, recordIncident, startSuture, stopAll, suture, tempDir, waitFor, type RunningSuture } from '../helpers/suture.js';

after(stopAll);

const example = loadExample(path.join(EXAMPLES, 'orders'));
const CANARY = { workers: 1, windowMs: 3_000, maxWindowMs: 15_000, minRequests: 20 };

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

/** A copy of the orders example in a fresh git repository with one commit. */
function repository(): string {
  const dir = tempDir('suture-deploy-');
  fs.cpSync(example.dir, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.suture`) && !src.includes('node_modules') });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'initial');
  git(dir, 'config', 'user.name', 'Dev');
  git(dir, 'config', 'user.email', 'dev@example.com');
  return dir;
}

/** Steady normal traffic on the routes given; counts answers that are not what normal traffic gets. */
function steadyLoad(run: RunningSuture, requests: readonly ExampleRequest[]) {
  let stop = false;
  const stats = { sent: 0, failed: [] as string[] };
  const clients = Array.from({ length: 4 }, async (_, c) => {
    for (let i = c; !stop; i++) {
      const req = requests[i % requests.length]!;
      const res = await sendExampleRequest(run.port, req);
      stats.sent++;
      if (res.status === undefined || res.status >= 500) stats.failed.push(`${req.method} ${req.path}: ${res.status ?? res.error}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  return {
    stats,
    async end() {
      stop = true;
      await Promise.all(clients);
      return stats;
    },
  };
}

/** Runs a suture command in the background, so a test can keep sending traffic while it works. */
function sutureAsync(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function readPatch(store: string, id: string): Promise<Patch> {
  const s = openStore(store, process.cwd(), { mustExist: true });
  try {
    return (await s.getPatch(id))!;
  } finally {
    await s.close();
  }
}

async function audit(store: string): Promise<AuditEntry[]> {
  const s = openStore(store, process.cwd(), { mustExist: true });
  try {
    return await s.listAudit();
  } finally {
    await s.close();
  }
}

/** Stores a hand-made patch for an incident, validated as far as the sandbox could tell: what the canary must catch. */
async function storeBadPatch(store: string, dir: string, incident: string, id: string, file: string, find: string, replace: string): Promise<void> {
  const patch = replacementPatch({ root: dir, file, find, replace, id, incident, description: `hand-made regression ${id}` });
  const s = openStore(store, dir, { mustExist: true });
  try {
    await s.savePatch(patch);
  } finally {
    await s.close();
  }
}

const normalGets = example.normal.filter((r) => r.method === 'GET');

describe('approve, canary and rollback', () => {
  test('an approved patch lands on branch suture/<id>, passes its canary and is promoted to every worker; rollback takes it out again', async () => {
    const dir = repository();
    const incident = await recordIncident({ ...example, dir }, 0);
    const healed = suture(['heal', incident.id, '--store', incident.store, '--json'], dir, 240_000);
    assert.equal(healed.code, 0, healed.stderr);
    const patchId = (JSON.parse(healed.stdout) as { patch: Patch }).patch.id;

    const run = await startSuture({ cwd: dir, command: example.command, workers: 2, store: incident.store, config: { policy: { canary: CANARY } } });
    const before = run.workerPids().sort();
    const load = steadyLoad(run, example.normal);
    const approved = await sutureAsync(['approve', patchId, '--store', incident.store, '--actor', 'alice'], dir);
    const stats = await load.end();
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /deployed/);

    // Every worker now runs the patched code, and no normal request failed while they were replaced.
    assert.deepEqual(stats.failed, [], `${stats.failed.length} of ${stats.sent} normal requests failed`);
    assert.ok(stats.sent > 50, `sent ${stats.sent}`);
    const serving = run.events().filter((e) => e.type === 'service' && e.state === 'serving');
    assert.equal(serving.length, 1);
    // The last replaced worker may still be draining its keep-alive connections.
    await waitFor('the replaced workers to exit', () => run.workerPids().length === 2, 30_000);
    const after = run.workerPids().sort();
    assert.ok(after.every((pid) => !before.includes(pid)), `workers ${before} were all replaced: ${after}`);
    // Keep-alive sockets to the drained workers are gone; fresh connections reach the new ones.
    closeIdleSockets();
    const crash = await sendExampleRequest(run.port, example.crash[0]!);
    assert.ok(crash.status !== undefined && crash.status < 500, `the crash request is answered ${crash.status} by the patched code`);

    // The branch and the commit, with the evidence in its message.
    assert.equal(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), `suture/${patchId}`);
    const message = git(dir, 'log', '-1', '--format=%B');
    assert.match(message, new RegExp(`incident ${incident.id}`));
    assert.match(message, /project tests: passed/);
    assert.match(message, /Approved by alice\./);
    assert.equal(git(dir, 'log', '-1', '--format=%an'), 'alice');
    assert.equal(git(dir, 'status', '--porcelain', '--untracked-files=no'), '');

    const deployed = await readPatch(incident.store, patchId);
    assert.equal(deployed.status, 'deployed');
    assert.equal(deployed.rollout?.outcome, 'promoted');
    const phases = run.events().filter((e) => e.type === 'deploy').map((e) => e.phase);
    assert.deepEqual(phases, ['canary', 'promote', 'done']);
    const actions = (await audit(incident.store)).map((e) => `${e.action}:${e.actor}`);
    for (const expected of ['patch-approved:alice', 'canary-started:alice', 'canary-promoted:alice', 'patch-deployed:alice']) assert.ok(actions.includes(expected), `${expected} in ${actions}`);

    // Rollback: back on main, the file as it was, every worker restarted on it.
    const rolledBack = await sutureAsync(['rollback', patchId, '--store', incident.store, '--actor', 'bob', '--reason', 'not wanted'], dir);
    assert.equal(rolledBack.code, 0, rolledBack.stderr);
    assert.equal(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(git(dir, 'status', '--porcelain', '--untracked-files=no'), '');
    assert.equal((await readPatch(incident.store, patchId)).status, 'rolled-back');
    closeIdleSockets();
    assert.equal((await sendExampleRequest(run.port, example.crash[0]!)).status, 500, 'the old code crashes again');
    const last = (await audit(incident.store)).filter((e) => e.action === 'patch-rolled-back').pop();
    assert.equal(last?.actor, 'bob');
    closeIdleSockets();
    assert.equal(await run.stop(), 0);
  });

  test('with policy.mode auto, a validated patch is approved by Suture and rolled out by canary while the service serves', async () => {
    const dir = repository();
    const run = await startSuture({ cwd: dir, command: example.command, workers: 2, heal: true, config: { policy: { mode: 'auto', canary: CANARY } } });
    for (let round = 0; round < 3; round++) for (const req of example.normal) await sendExampleRequest(run.port, req);
    await new Promise((r) => setTimeout(r, 1_300));
    assert.equal((await sendExampleRequest(run.port, example.crash[0]!)).status, 500);
    const load = steadyLoad(run, normalGets);
    await waitFor('the automatic rollout', () => run.events().some((e) => e.type === 'deploy' && e.phase === 'done'), 240_000);
    const stats = await load.end();
    assert.deepEqual(stats.failed, []);
    const patchId = run.events().find((e) => e.type === 'patch')!.patch as string;
    const phases = run.events().filter((e) => e.type === 'deploy').map((e) => e.phase);
    assert.deepEqual(phases, ['approved', 'canary', 'promote', 'done']);
    assert.equal((await readPatch(run.store, patchId)).status, 'deployed');
    assert.equal(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), `suture/${patchId}`);
    assert.match(git(dir, 'log', '-1', '--format=%B'), /Approved by Suture \(policy\.mode auto\)\./);
    const entries = await audit(run.store);
    assert.equal(entries.find((e) => e.action === 'patch-approved')?.actor, 'suture');
    // The incident's shield came down when its patch was promoted.
    const shieldEvents = run.events().filter((e) => e.type === 'shield' && (e.action === 'raise' || e.action === 'lift')).map((e) => e.action);
    assert.deepEqual(shieldEvents, ['raise', 'lift']);
    closeIdleSockets();
    assert.equal(await run.stop(), 0);
  });

  for (const regression of [
    {
      name: 'answers 5xx on another route',
      file: 'src/routes/orders.js',
      find: "  sendJson(res, 200, { orders: await listOrders() });",
      replace: "  sendError(res, 503, 'listing is unavailable');",
      reason: /error rate/,
    },
    {
      name: 'responds 10x slower',
      file: 'src/routes/orders.js',
      find: '  const id = parseOrderId(params.id);',
      replace: '  const until = Date.now() + 25;\n  while (Date.now() < until);\n  const id = parseOrderId(params.id);',
      reason: /latency/,
    },
  ]) {
    test(`a patch that ${regression.name} is rolled back by its canary, and the source is as it was`, async () => {
      const dir = repository();
      const run = await startSuture({ cwd: dir, command: example.command, workers: 2, config: { policy: { canary: CANARY } } });
      assert.equal((await sendExampleRequest(run.port, example.crash[0]!)).status, 500);
      await waitFor('the incident', () => run.events().some((e) => e.type === 'incident'));
      const incident = run.events().find((e) => e.type === 'incident')!.incident!;
      const id = `bad-${regression.reason.source.replace(/\W/g, '')}`;
      await storeBadPatch(run.store, dir, incident, id, regression.file, regression.find, regression.replace);
      const original = fs.readFileSync(path.join(dir, regression.file), 'utf8');

      // The broken route is in the load on purpose: the canary sees it; only its own answers may fail.
      const load = steadyLoad(run, normalGets);
      const approved = await sutureAsync(['approve', id, '--store', run.store, '--actor', 'carol'], dir);
      const stats = await load.end();
      assert.equal(approved.code, 1, approved.stderr);
      assert.match(approved.stderr, new RegExp(`the canary rolled patch ${id} back: .*${regression.reason.source}`));

      const patch = await readPatch(run.store, id);
      assert.equal(patch.status, 'rolled-back');
      assert.equal(patch.rollout?.outcome, 'rolled-back');
      assert.equal(fs.readFileSync(path.join(dir, regression.file), 'utf8'), original);
      assert.equal(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
      const rollback = run.events().filter((e) => e.type === 'rollback').map((e) => e.phase);
      assert.deepEqual(rollback, ['start', 'done']);
      // Only the canary's own regression failed requests: the restarts themselves dropped none.
      const unexpected = stats.failed.filter((f) => !(regression.reason.source === 'error rate' && f.startsWith('GET /orders: 503')));
      assert.deepEqual(unexpected, []);
      // After the rollback every worker answers the old way again.
      closeIdleSockets();
      const list = await sendExampleRequest(run.port, { method: 'GET', path: '/orders' });
      assert.equal(list.status, 200);
      const actions = (await audit(run.store)).map((e) => e.action);
      for (const a of ['patch-approved', 'canary-started', 'canary-rolled-back', 'patch-rolled-back']) assert.ok(actions.includes(a as never), `${a} in ${actions}`);
      closeIdleSockets();
      assert.equal(await run.stop(), 0);
    });
  }
});
