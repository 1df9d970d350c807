// `suture run` with real workers, real HTTP and a real store.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Incident } from '../../src/model/fault.js';
import { closeIdleSockets, loadExample, sendExampleRequest } from '../../src/examples.js';
import { EXAMPLES, SERVICES, isAlive, startSuture, stopAll, suture, tempDir, waitFor } from '../helpers/suture.js';

after(stopAll);

const get = (port: number, p: string) => sendExampleRequest(port, { method: 'GET', path: p });

describe('suture run', () => {
  test('a crashing request gets a 500 while the same worker finishes its other in-flight requests', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 1, config: { recording: { traceContext: 'always' } } });
    const slow = Array.from({ length: 5 }, () => get(run.port, '/slow?ms=600'));
    await new Promise((r) => setTimeout(r, 150));
    const crash = await get(run.port, '/crash');
    assert.equal(crash.status, 500);
    for (const res of await Promise.all(slow)) assert.deepEqual([res.status, res.body], [200, '{"slept":600}']);
    // The damaged worker is replaced, and the service keeps answering throughout.
    await waitFor('the recycle to finish', () => run.events().some((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'done'));
    assert.equal((await get(run.port, '/health')).status, 200);
    const shield = run.events().find((e) => e.type === 'shield' && e.action === 'contain');
    assert.equal(shield?.answered, 500);
    assert.equal(await run.stop(), 0);
  });

  test('before its first fault a service is not traced; that fault is still contained, and every later one is traced to its request', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 2 });
    // Several requests in flight in one worker: without a traced context, the fault's request cannot be told apart.
    const slow = Array.from({ length: 4 }, () => get(run.port, '/slow?ms=600'));
    await new Promise((r) => setTimeout(r, 150));
    const first = get(run.port, '/crash');
    for (const res of await Promise.all(slow)) assert.deepEqual([res.status, res.body], [200, '{"slept":600}']);
    // The faulting request is the one still open after the grace period: it gets a 500, not a dropped connection.
    assert.equal((await first).status, 500);
    await waitFor('tracing to start', () => run.events().some((e) => e.type === 'service' && e.state === 'tracing'));
    const firstFault = run.events().find((e) => e.type === 'fault')!;
    assert.equal(firstFault.request, undefined);
    // Every worker now traces: with requests in flight again, the next crash is answered at once and recorded with its request.
    const slowAgain = Array.from({ length: 4 }, () => get(run.port, '/slow?ms=400'));
    await new Promise((r) => setTimeout(r, 100));
    const second = await get(run.port, '/crash');
    assert.equal(second.status, 500);
    for (const res of await Promise.all(slowAgain)) assert.equal(res.status, 200);
    const faults = run.events().filter((e) => e.type === 'fault');
    assert.equal(faults.length, 2);
    assert.equal(faults[1]!.attribution, 'context');
    assert.deepEqual(faults[1]!.request, { method: 'GET', url: '/crash' });
    assert.equal(await run.stop(), 0);
  });

  test('before tracing, a throw during dispatch and a fault with one request in flight are still traced to their request', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 1, config: { containment: 'continue' } });
    const slow = Array.from({ length: 3 }, () => get(run.port, '/slow?ms=500'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await get(run.port, '/boom?page=7')).status, 500);
    for (const res of await Promise.all(slow)) assert.equal(res.status, 200);
    await waitFor('the fault event', () => run.events().some((e) => e.type === 'fault'));
    const dispatch = run.events().find((e) => e.type === 'fault')!;
    assert.equal(dispatch.attribution, 'dispatch');
    assert.deepEqual(dispatch.request, { method: 'GET', url: '/boom?page=7' });
    assert.equal(await run.stop(), 0);

    const alone = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 1, config: { containment: 'continue' } });
    assert.equal((await get(alone.port, '/crash')).status, 500);
    await waitFor('the fault event', () => alone.events().some((e) => e.type === 'fault'));
    const only = alone.events().find((e) => e.type === 'fault')!;
    assert.equal(only.attribution, 'only-in-flight');
    assert.deepEqual(only.request, { method: 'GET', url: '/crash' });
    assert.equal(await alone.stop(), 0);
  });

  test('normal traffic keeps being answered while crashes are contained and workers recycled', async () => {
    const example = loadExample(path.join(EXAMPLES, 'orders'));
    // Containment alone: with shields a repeated crash may be refused with a 422 before it faults.
    const run = await startSuture({ cwd: example.dir, command: example.command, workers: 2, config: { policy: { shields: false } } });
    let failures = 0;
    let sent = 0;
    const deadline = Date.now() + 2500;
    const clients = Array.from({ length: 6 }, async (_, c) => {
      for (let i = c; Date.now() < deadline; i++) {
        const res = await sendExampleRequest(run.port, example.normal[i % example.normal.length]!);
        sent++;
        if (res.status === undefined || res.status >= 500) failures++;
      }
    });
    const crashes = (async () => {
      for (let k = 0; k < 4; k++) {
        await new Promise((r) => setTimeout(r, 400));
        assert.equal((await sendExampleRequest(run.port, example.crash[k % 2]!)).status, 500);
      }
    })();
    await Promise.all([...clients, crashes]);
    assert.ok(sent > 50, `sent ${sent}`);
    assert.equal(failures, 0, `${failures} of ${sent} normal requests failed`);
    assert.equal(await run.stop(), 0);
  });

  test('the incident holds the source-mapped stack and the request with its secrets redacted', async () => {
    const example = loadExample(path.join(EXAMPLES, 'reports'));
    const crash = example.crash[0]!;
    const run = await startSuture({ cwd: example.dir, command: example.command, workers: 1 });
    const res = await sendExampleRequest(run.port, {
      ...crash,
      path: `${crash.path}?api_key=sk-live-0001`,
      headers: { ...crash.headers, authorization: 'Bearer very-secret-token-42', cookie: 'sid=cookie-secret-77' },
      body: { ...(crash.body as object), password: 'hunter2-do-not-store' },
    });
    assert.equal(res.status, 500);
    await waitFor('the incident', () => run.events().some((e) => e.type === 'incident'));
    assert.equal(await run.stop(), 0);

    const listed = suture(['incidents', '--json', '--store', run.store]);
    assert.equal(listed.code, 0, listed.stderr);
    const [summary] = JSON.parse(listed.stdout) as { id: string }[];
    const shown = suture(['show', summary!.id, '--json', '--store', run.store]);
    assert.equal(shown.code, 0, shown.stderr);
    const incident = JSON.parse(shown.stdout) as Incident;

    assert.equal(incident.errorClass, crash.error);
    assert.equal(path.relative(example.dir, incident.location!.file), crash.file);
    const source = fs.readFileSync(path.join(example.dir, crash.file), 'utf8').split('\n');
    assert.match(source[incident.location!.line - 1]!, /new Array/, 'the location points at the throwing line of the .ts source');
    assert.ok(incident.location!.generated?.file.endsWith('.js'), 'the generated position is kept too');
    assert.ok(incident.frames.filter((f) => f.app).every((f) => f.file.endsWith('.ts')));

    const recorded = incident.requests[0]!;
    assert.equal(recorded.headers.authorization, '[REDACTED]');
    assert.equal(recorded.headers.cookie, '[REDACTED]');
    assert.ok(!recorded.url.includes('sk-live-0001'));
    assert.deepEqual(JSON.parse(recorded.body!), { ...(crash.body as object), password: '[REDACTED]' });
    // Nowhere in the store's files, WAL included, does a secret appear.
    for (const file of fs.readdirSync(path.dirname(run.store)).filter((f) => f.startsWith('suture.db'))) {
      const bytes = fs.readFileSync(path.join(path.dirname(run.store), file)).toString('latin1');
      for (const secret of ['very-secret-token-42', 'cookie-secret-77', 'hunter2-do-not-store', 'sk-live-0001']) {
        assert.ok(!bytes.includes(secret), `${secret} found in ${file}`);
      }
    }

    // Replay: a fresh instance, the recorded request, the same fault.
    const replay = suture(['replay', incident.id, '--json', '--store', run.store]);
    assert.equal(replay.code, 0, replay.stderr);
    const result = JSON.parse(replay.stdout) as { reproduced: string; oraclePid: number; attempts: { status?: number }[] };
    assert.equal(result.reproduced, 'always');
    assert.equal(result.attempts[0]!.status, 500);
    assert.equal(isAlive(result.oraclePid), false, 'the oracle is stopped');
    const after = JSON.parse(suture(['show', incident.id, '--json', '--store', run.store]).stdout) as Incident;
    assert.equal(after.reproduced, 'always');
  });

  test('unhandled rejections are contained and recorded like exceptions', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 1 });
    const res = await get(run.port, '/reject?id=7');
    assert.equal(res.status, 500);
    await waitFor('the incident', () => run.events().some((e) => e.type === 'incident'));
    const fault = run.events().find((e) => e.type === 'fault')!;
    assert.equal(fault.origin, 'unhandledRejection');
    assert.deepEqual(fault.request, { method: 'GET', url: '/reject?id=7' });
    assert.match(String(fault.location), /^slow\.mjs:\d+$/);
    // Same fault, other values: the same incident.
    assert.equal((await get(run.port, '/reject?id=8')).status, 500);
    await waitFor('the second fault', () => run.events().filter((e) => e.type === 'fault').length === 2);
    assert.equal(run.events().filter((e) => e.type === 'incident').length, 1);
    assert.equal(await run.stop(), 0);
  });

  test('settings too large for the environment reach each worker through a file that is removed once read', async () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(SERVICES, 'slow.mjs'), path.join(dir, 'slow.mjs'));
    // 6000 field names are about 100 KiB of settings; the last one is what shows they arrived.
    const redactFields = [...Array.from({ length: 6000 }, (_, i) => `unused-field-${i}`), 'zz-last-secret'];
    // One left behind by a supervisor killed before its worker read it: removed at the next start.
    const deadPid = spawnSync('true').pid!;
    fs.mkdirSync(path.join(dir, '.suture'));
    fs.writeFileSync(path.join(dir, '.suture', `sensor-settings-${deadPid}-1.json`), '{}');
    const run = await startSuture({ cwd: dir, command: ['node', 'slow.mjs'], workers: 2, config: { recording: { redactFields } } });
    const settingsFiles = () => (fs.existsSync(path.join(dir, '.suture')) ? fs.readdirSync(path.join(dir, '.suture')).filter((f) => f.startsWith('sensor-settings-')) : []);
    assert.equal((await get(run.port, '/crash?zz-last-secret=s3cret-value&id=1')).status, 500);
    await waitFor('the fault', () => run.events().some((e) => e.type === 'fault'));
    const fault = run.events().find((e) => e.type === 'fault')!;
    assert.deepEqual(fault.request, { method: 'GET', url: '/crash?zz-last-secret=%5BREDACTED%5D&id=1' });
    // Every worker forked so far (the first two, the damaged one's replacement) has read its file.
    await waitFor('the replacement', () => run.events().some((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'done'));
    const count = (action: string) => run.events().filter((e) => e.type === 'worker' && e.action === action).length;
    await waitFor('every forked worker to listen', () => count('listening') >= count('fork'));
    assert.deepEqual(settingsFiles(), []);
    assert.equal(await run.stop(), 0, run.stderr());
    assert.deepEqual(settingsFiles(), []);
  });

  test('a replay of a fault that no longer happens says so', async () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(SERVICES, 'slow.mjs'), path.join(dir, 'service.mjs'));
    const run = await startSuture({ cwd: dir, command: ['node', 'service.mjs'], workers: 1 });
    assert.equal((await get(run.port, '/crash')).status, 500);
    await waitFor('the incident', () => run.events().some((e) => e.type === 'incident'));
    assert.equal(await run.stop(), 0);
    // Someone fixes the bug: the same request now succeeds.
    const fixed = fs.readFileSync(path.join(dir, 'service.mjs'), 'utf8').replace('res.end(session.user)', "res.end('fixed')");
    fs.writeFileSync(path.join(dir, 'service.mjs'), fixed);
    const id = run.events().find((e) => e.type === 'incident')!.incident!;
    const replay = suture(['replay', id, '--json', '--store', run.store]);
    assert.equal(replay.code, 3, replay.stderr);
    assert.equal((JSON.parse(replay.stdout) as { reproduced: string }).reproduced, 'never');
  });

  test('a crash loop backs off, then the service is marked failing instead of restarting forever', async () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(SERVICES, 'dies-after-listening.mjs'), path.join(dir, 'service.mjs'));
    fs.writeFileSync(path.join(dir, 'suture.config.json'), JSON.stringify({ crashLoop: { maxRestarts: 3, windowMs: 20_000, backoffMs: 50 } }));
    const run = await startSuture({ cwd: dir, command: ['node', 'service.mjs'], workers: 1, waitServing: false });
    const code = await run.exited;
    assert.equal(code, 1);
    const delays = run.events().filter((e) => e.type === 'worker' && e.action === 'restart').map((e) => e.delayMs);
    assert.deepEqual(delays, [50, 100, 200]);
    assert.ok(run.events().some((e) => e.type === 'service' && e.state === 'failing'));
    const last = run.stderr().trim().split('\n').pop()!;
    assert.match(last, /^suture: service failing: 4 worker deaths within 20s \(limit 3\); last worker exited with code 3 \(lost connection to the database\)$/);
    for (const pid of run.workerPids()) assert.equal(isAlive(pid), false);
  });

  test('SIGTERM drains: in-flight requests finish, then every worker and the supervisor exit', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 2 });
    const workers = run.workerPids();
    assert.equal(workers.length, 2);
    const inFlight = Array.from({ length: 4 }, () => get(run.port, '/slow?ms=800'));
    await new Promise((r) => setTimeout(r, 200));
    const code = await run.stop('SIGTERM');
    assert.equal(code, 0);
    for (const res of await Promise.all(inFlight)) assert.equal(res.status, 200);
    for (const pid of workers) assert.equal(isAlive(pid), false, `worker ${pid} is gone`);
    const exits = run.events().filter((e) => e.type === 'worker' && e.action === 'exit');
    assert.ok(exits.every((e) => e.expected === true && e.code === 0));
  });

  test('a new incident is healed while the service keeps serving, and the patch is in the log and the store', async () => {
    const example = loadExample(path.join(EXAMPLES, 'orders'));
    const run = await startSuture({ cwd: example.dir, command: example.command, workers: 1, heal: true });
    for (let round = 0; round < 3; round++) for (const req of example.normal) await sendExampleRequest(run.port, req);
    await new Promise((r) => setTimeout(r, 1_300));
    assert.equal((await sendExampleRequest(run.port, example.crash[0]!)).status, 500);
    // Serving goes on while the heal runs beside it.
    let served = 0;
    while (!run.events().some((e) => e.type === 'patch')) {
      const res = await sendExampleRequest(run.port, example.normal[served % example.normal.length]!);
      assert.ok(res.status !== undefined && res.status < 500, `normal request answered ${res.status ?? res.error} during the heal`);
      served++;
      if (served > 20_000) assert.fail('no patch');
      await new Promise((r) => setTimeout(r, 20));
    }
    const types = run.events().map((e) => e.type);
    for (const type of ['incident', 'diagnosis', 'candidate', 'validation', 'patch']) assert.ok(types.includes(type as never), type);
    assert.ok(types.indexOf('diagnosis') < types.indexOf('patch'));
    const patchEvent = run.events().find((e) => e.type === 'patch')!;
    closeIdleSockets();
    assert.equal(await run.stop(), 0);
    const listed = JSON.parse(suture(['patches', '--json', '--store', run.store], example.dir).stdout) as { id: string; incident: string; status: string }[];
    assert.deepEqual(listed.map((p) => [p.id, p.incident, p.status]), [[patchEvent.patch, patchEvent.incident, 'proposed']]);
  });

  test('SIGKILL of the supervisor loses no stored incident, and its workers go with it', async () => {
    const run = await startSuture({ cwd: SERVICES, command: ['node', 'slow.mjs'], workers: 2 });
    const workers = run.workerPids();
    // Keep faults flowing so the kill lands while the store is being written.
    let stop = false;
    const storm = (async () => {
      for (let i = 0; !stop; i++) await get(run.port, i % 2 ? '/crash' : `/reject?id=${i}`);
    })();
    await waitFor('both incidents', () => run.events().filter((e) => e.type === 'incident').length === 2);
    await waitFor('more faults', () => run.events().filter((e) => e.type === 'fault').length >= 6);
    run.child.kill('SIGKILL');
    await run.exited;
    stop = true;
    await storm;
    const seen = run.events();
    const opened = seen.filter((e) => e.type === 'incident').map((e) => e.incident).sort();
    const faults = seen.filter((e) => e.type === 'fault').length;

    const listed = suture(['incidents', '--json', '--store', run.store]);
    assert.equal(listed.code, 0, listed.stderr);
    const stored = JSON.parse(listed.stdout) as { id: string; count: number }[];
    assert.deepEqual(stored.map((i) => i.id).sort(), opened);
    // Every fault the log reported was committed first (the store is written before the event).
    const counted = stored.reduce((n, i) => n + i.count, 0);
    assert.ok(counted >= faults, `store counted ${counted}, log reported ${faults}`);
    await waitFor('orphaned workers to exit', () => workers.every((pid) => !isAlive(pid)), 10_000);
  });
});
