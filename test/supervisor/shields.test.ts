// Live shields with real workers and real HTTP: an input filter learned from an incident stops a
// crash storm while normal traffic (bodies included) passes unchanged; a filter that cannot be told
// apart from normal traffic is refused, and the faulting function is wrapped in an execution
// transaction instead; shields expire and are audited.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { closeIdleSockets, loadExample, sendExampleRequest } from '../../src/examples.js';
import { openStore } from '../../src/store/open.js';
import { verifyAudit } from '../../src/deploy/audit.js';
import { EXAMPLES, SERVICES, startSuture, stopAll, suture, waitFor } from '../helpers/suture.js';

after(stopAll);

const example = loadExample(path.join(EXAMPLES, 'orders'));

async function auditActions(store: string): Promise<string[]> {
  const s = openStore(store, process.cwd(), { mustExist: true });
  try {
    const { entries, head } = await s.auditTrail();
    assert.equal(verifyAudit(entries, head).ok, true);
    return entries.map((e) => e.action);
  } finally {
    await s.close();
  }
}

describe('live shields', () => {
  test('an input filter learned from the first fault stops a crash storm; normal requests, bodies included, pass unchanged', async () => {
    const run = await startSuture({ cwd: example.dir, command: example.command, workers: 2 });
    // Record normal traffic first: the filter is learned against it.
    for (let round = 0; round < 3; round++) for (const req of example.normal) await sendExampleRequest(run.port, req);
    await new Promise((r) => setTimeout(r, 1_300));
    assert.equal((await sendExampleRequest(run.port, example.crash[0]!)).status, 500);
    await waitFor('the shield', () => run.events().some((e) => e.type === 'shield' && e.action === 'raise'));
    const raised = run.events().find((e) => e.type === 'shield' && e.action === 'raise')!;
    assert.equal(raised.kind, 'input-filter');
    assert.match(String(raised.description), /^refuse POST \/orders where body\.customer\.address missing/);

    // The storm: every crashing request is refused with a 422, none reaches the app, no worker is recycled again.
    closeIdleSockets();
    const recyclesBefore = run.events().filter((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'start').length;
    for (let i = 0; i < 20; i++) {
      const storm = await sendExampleRequest(run.port, example.crash[0]!);
      assert.equal(storm.status, 422);
      assert.match(storm.body, /refused by a Suture shield/);
      // Normal traffic in between reaches the app as before: never refused, never a fault.
      const req = example.normal[i % example.normal.length]!;
      const { status, body } = await sendExampleRequest(run.port, req);
      assert.doesNotMatch(body, /Suture shield/, `${req.method} ${req.path}`);
      assert.ok(status !== undefined && status < 500, `${req.method} ${req.path}: ${status}`);
    }
    const faults = run.events().filter((e) => e.type === 'fault').length;
    assert.equal(faults, 1);
    const recyclesAfter = run.events().filter((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'start').length;
    assert.equal(recyclesAfter, recyclesBefore);

    // `suture shields` shows it; lifting it by hand lets the crash through again.
    const listed = suture(['shields', '--json', '--config', path.join(run.dir, 'suture.config.json')], example.dir);
    assert.equal(listed.code, 0, listed.stderr);
    const shields = JSON.parse(listed.stdout) as { id: string }[];
    assert.equal(shields.length, 1);
    const lifted = suture(['shields', '--lift', shields[0]!.id, '--actor', 'dana', '--config', path.join(run.dir, 'suture.config.json')], example.dir);
    assert.equal(lifted.code, 0, lifted.stderr);
    closeIdleSockets();
    assert.equal((await sendExampleRequest(run.port, example.crash[0]!)).status, 500);
    closeIdleSockets();
    assert.equal(await run.stop(), 0);
    const actions = await auditActions(run.store);
    assert.ok(actions.includes('incident-opened'));
    assert.ok(actions.includes('shield-raised'));
    assert.ok(actions.includes('shield-lifted'));
  });

  test('a filter that would block normal traffic is refused; the faulting function is wrapped in a transaction instead, and the shield expires', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'tickets.mjs'], workers: 1, config: { containment: 'continue', recording: { traceContext: 'always' }, policy: { shieldTtlMs: 6_000 } } });
    // Four good tickets are recorded as normal traffic; the fifth jams.
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await sendExampleRequest(run.port, { method: 'GET', path: '/ticket' })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    await new Promise((r) => setTimeout(r, 1_300));
    assert.equal((await sendExampleRequest(run.port, { method: 'GET', path: '/ticket' })).status, 500);
    await waitFor('the transaction', () => run.events().some((e) => e.type === 'shield' && e.action === 'raise'), 30_000);
    const refused = run.events().find((e) => e.type === 'shield' && e.action === 'refused' && e.kind === 'input-filter');
    assert.match(String(refused?.reason), /every feature of the faulting request also occurs in recorded normal traffic on GET \/ticket/);
    const raised = run.events().find((e) => e.type === 'shield' && e.action === 'raise')!;
    assert.equal(raised.kind, 'transaction');
    // The transaction is in the restarted worker's loaded code: its fifth ticket is answered 400, not a fault.
    await waitFor('the restart', () => run.events().some((e) => e.type === 'worker' && e.action === 'restart-slot'));
    await waitFor('the new worker', () => run.events().filter((e) => e.type === 'worker' && e.action === 'listening').length >= 2);
    closeIdleSockets();
    const after: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) after.push((await sendExampleRequest(run.port, { method: 'GET', path: '/ticket' })).status);
    assert.deepEqual(after, [200, 200, 200, 200, 400]);
    assert.equal(run.events().filter((e) => e.type === 'fault').length, 1);
    // The TTL lifts it, with another rolling restart, and the fault is back.
    await waitFor('the shield to expire', () => run.events().some((e) => e.type === 'shield' && e.action === 'lift'), 20_000);
    const lift = run.events().find((e) => e.type === 'shield' && e.action === 'lift')!;
    assert.match(String(lift.reason), /expired/);
    closeIdleSockets();
    assert.equal(await run.stop(), 0, run.stderr());
  });
});
