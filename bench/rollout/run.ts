// Deploying a change under a steady load: one promotion (the patch Suture's heal proposed for a real
// incident, approved while the load runs, canary then rolling restart) and one rollback (a patch
// that answers 503 on GET /orders, caught by its canary), against the plain way of loading new
// code — stop `node server.js`, start it again — under the same load, in the same run. Prints the
// normal requests that failed in each (target 0) and the seconds each took.
//
//   node --import tsx bench/rollout/run.ts [--concurrency 4] [--pause-ms 10]

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadExample, sendExampleRequest, waitForHealth, type ExampleRequest } from '../../src/examples.js';
import type { Patch } from '../../src/model/repair.js';
import { replacementPatch } from '../../test/helpers/patch.js';
import { openStore } from '../../src/store/open.js';
import { startSuture, type SutureContender } from '../lib/contenders.js';
import { prepare, REQUEST_TIMEOUT_MS, send } from '../lib/storm.js';
import { freePort, machine, nodeCommand, REPO_DIR, runBenchmark, sleep, startProcess, stopProcess, SUTURE_BIN, tempDir } from '../lib/processes.js';

const { values: opts } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '4' },
    'pause-ms': { type: 'string', default: '10' },
  },
});
const concurrency = Number(opts.concurrency);
const pauseMs = Number(opts['pause-ms']);
if (!(concurrency >= 1 && concurrency <= 64) || !(pauseMs >= 0 && pauseMs <= 1000)) throw new Error('--concurrency in [1, 64], --pause-ms in [0, 1000]');

/** A client's pause after a refused or reset connection, as in bench/availability. */
const RECONNECT_PAUSE_MS = 10;
const WORKERS = 2;
/** The product's default canary policy, spelled out so the figures say what they were measured with. */
const CANARY = { workers: 1, windowMs: 10_000, maxWindowMs: 60_000, minRequests: 50 };
const HEAL_TIMEOUT_MS = 100_000;
/** The whole run stops itself after this, whatever state it is in. */
const DEADLINE_MS = 175_000;

const example = loadExample(path.join(REPO_DIR, 'examples', 'orders'));
const normalGets = example.normal.filter((r) => r.method === 'GET');
const preparedGets = normalGets.map(prepare);
/** The route the bad patch breaks: its 503s are the canary's regression, not a failed deploy. */
const BROKEN = { method: 'GET', path: '/orders' };
const BAD_FILE = 'src/routes/orders.js';
const BAD_FIND = '  sendJson(res, 200, { orders: await listOrders() });';
const BAD_REPLACE = "  sendError(res, 503, 'listing is unavailable');";

// ---------------------------------------------------------------------------------------------
// Load

interface Tally {
  name: string;
  sent: number;
  ok: number;
  /** Normal requests answered 5xx, refused, reset or timed out, by what happened. */
  failed: Map<string, number>;
  /** 503s on the broken route while a bad canary served it. */
  regression: number;
  startedAt: number;
  endedAt: number;
  lastOkAt: number;
  /** The longest time in which no normal request was answered correctly. */
  longestOutageMs: number;
}

const failures = (t: Tally) => [...t.failed.values()].reduce((a, b) => a + b, 0);
const describeFailures = (t: Tally) => (t.failed.size === 0 ? 'none' : [...t.failed].map(([k, n]) => `${n}× ${k}`).join(', '));

function newTally(name: string): Tally {
  const now = Date.now();
  return { name, sent: 0, ok: 0, failed: new Map(), regression: 0, startedAt: now, endedAt: now, lastOkAt: now, longestOutageMs: 0 };
}

/**
 * `concurrency` keep-alive clients cycling the example's normal GET requests, each pausing
 * `pauseMs` between requests. Results go to the current phase's tally, by the time they complete.
 */
class SteadyLoad {
  private stopped = false;
  private clients: Promise<void>[] = [];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  tally: Tally = newTally('warm-up');
  readonly phases: Tally[] = [];
  /** Whether a 5xx on this request is the bad canary's own answer. */
  regression: ((req: ExampleRequest, status: number) => boolean) | null = null;

  constructor(private readonly port: number) {}

  start(): void {
    this.clients = Array.from({ length: concurrency }, (_, c) => this.client(c));
  }

  private async client(c: number): Promise<void> {
    for (let i = c; !this.stopped; i++) {
      const at = i % normalGets.length;
      const req = normalGets[at]!;
      const o = await send(this.agent, this.port, preparedGets[at]!);
      const t = this.tally;
      t.sent++;
      const now = Date.now();
      if ('status' in o && o.status < 500) {
        t.ok++;
        t.longestOutageMs = Math.max(t.longestOutageMs, now - t.lastOkAt);
        t.lastOkAt = now;
      } else if ('status' in o && this.regression?.(req, o.status)) {
        t.regression++;
      } else {
        const what = 'status' in o ? `${req.method} ${req.path} → ${o.status}` : o.error === 'timeout' ? `${req.method} ${req.path} timed out` : `${req.method} ${req.path} connection refused/reset`;
        t.failed.set(what, (t.failed.get(what) ?? 0) + 1);
        if ('error' in o && o.error === 'connection') await sleep(RECONNECT_PAUSE_MS);
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  }

  /** Closes the current phase and starts counting the next. */
  enter(name: string): Tally {
    this.close();
    this.tally = newTally(name);
    return this.tally;
  }

  private close(): void {
    const t = this.tally;
    t.endedAt = Date.now();
    t.longestOutageMs = Math.max(t.longestOutageMs, t.endedAt - t.lastOkAt);
    this.phases.push(t);
  }

  async stop(): Promise<Tally[]> {
    this.close();
    this.stopped = true;
    await Promise.all(this.clients);
    this.agent.destroy();
    return this.phases;
  }
}

// ---------------------------------------------------------------------------------------------
// The service, its repository and its patches

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A copy of the example in a fresh git repository with one commit, as a user's project would be. */
function repository(): string {
  const dir = tempDir('rollout');
  fs.cpSync(example.dir, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.suture`) && !src.includes('node_modules') });
  fs.writeFileSync(path.join(dir, '.gitignore'), '.suture/\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@localhost');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the orders service');
  return dir;
}

async function withStore<T>(file: string, dir: string, fn: (store: ReturnType<typeof openStore>) => Promise<T>): Promise<T> {
  const store = openStore(file, dir, { mustExist: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A hand-made patch that passed "validation" but answers 503 on GET /orders: what the canary must catch. */
async function storeBadPatch(file: string, dir: string, incident: string, id: string): Promise<void> {
  const patch = replacementPatch({ root: dir, file: BAD_FILE, find: BAD_FIND, replace: BAD_REPLACE, id, incident, description: 'a regression: GET /orders answers 503' });
  await withStore(file, dir, (s) => s.savePatch(patch));
}

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** A crash, then the proposed patch of the heal `suture run` starts for it. */
async function healIncident(run: SutureContender): Promise<{ incident: string; patch: string; seconds: number }> {
  // Recorded normal traffic is what a heal checks the patch against.
  for (let round = 0; round < 3; round++) for (const req of example.normal) await sendExampleRequest(run.port, req);
  await sleep(1_300);
  const crashedAt = Date.now();
  for (let attempt = 0; ; attempt++) {
    const sentAt = Date.now();
    const res = await sendExampleRequest(run.port, example.crash[0]!);
    if (res.status !== 500) throw new Error(`the crash request answered ${res.status ?? res.error}, not 500`);
    const incident = await waitUntil('the incident', 10_000, () => run.events().find((e) => e.type === 'incident')?.incident as string | undefined);
    // A fault with its request is healed at once; one no request was attributed to waits for its
    // next, traced, occurrence.
    const healing = await waitUntil('the fault to be recorded', 5_000, () => {
      const fault = run.events().find((e) => e.type === 'fault' && e.incident === incident && Date.parse(e.ts as string) >= sentAt - 5);
      return fault ? fault.request !== undefined : undefined;
    });
    if (healing) {
      const patch = await waitUntil('the heal to propose a patch', HEAL_TIMEOUT_MS, () => run.events().find((e) => e.type === 'patch' && e.incident === incident)?.patch as string | undefined);
      return { incident, patch, seconds: (Date.now() - crashedAt) / 1000 };
    }
    if (attempt >= 2) throw new Error(`no heal started for incident ${incident} after ${attempt + 1} crashes`);
  }
}

interface Approval {
  code: number;
  wallSeconds: number;
  stderr: string;
}

/** `suture approve <id>` as a person runs it, while the load goes on. */
async function approve(run: SutureContender, dir: string, id: string): Promise<Approval> {
  const started = Date.now();
  const args = [SUTURE_BIN, 'approve', id, '--store', run.store, '--actor', 'bench'];
  if (run.configFile) args.push('--config', run.configFile);
  const proc = startProcess(`suture approve ${id}`, process.execPath, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  proc.child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await proc.exited;
  return { code: typeof code === 'number' ? code : 128, wallSeconds: (Date.now() - started) / 1000, stderr };
}

interface Rollout {
  label: string;
  tally: Tally;
  approval: Approval;
  patch: Patch;
  /** Seconds from the canary's start to the patch running everywhere, or being out again (the event's `seconds`). */
  eventSeconds: number | null;
}

async function rollout(label: string, run: SutureContender, dir: string, load: SteadyLoad, id: string, outcome: 'deployed' | 'rolled-back'): Promise<Rollout> {
  process.stderr.write(`· ${label}: suture approve ${id} under load… `);
  const tally = load.enter(label);
  const approval = await approve(run, dir, id);
  load.enter(`after ${label}`);
  const patch = await withStore(run.store, dir, async (s) => (await s.getPatch(id))!);
  const eventType = outcome === 'deployed' ? 'deploy' : 'rollback';
  const done = run.events().find((e) => e.type === eventType && e.patch === id && e.phase === 'done');
  process.stderr.write(`${patch.status} (exit ${approval.code}, ${approval.wallSeconds.toFixed(1)} s)\n`);
  if (patch.status !== outcome) {
    throw new Error(`patch ${id} ended ${patch.status}, not ${outcome}: ${approval.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { label, tally, approval, patch, eventSeconds: typeof done?.seconds === 'number' ? done.seconds : null };
}

// ---------------------------------------------------------------------------------------------
// The peer: loading new code by stopping node and starting it again

async function plainRestart(dir: string): Promise<{ tally: Tally; gapSeconds: number }> {
  process.stderr.write('· peer: node server.js, stopped and started again under the same load… ');
  const port = await freePort();
  const { exe, args } = nodeCommand(example.command);
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' };
  const first = startProcess('node (before)', exe, args, { cwd: dir, env });
  await waitForHealth(port, example, 30_000, first.exited);
  const load = new SteadyLoad(port);
  load.start();
  await sleep(3_000);
  const tally = load.enter('plain restart');
  const stoppedAt = Date.now();
  await stopProcess(first, 5_000);
  const second = startProcess('node (after)', exe, args, { cwd: dir, env });
  await waitForHealth(port, example, 30_000, second.exited);
  const gapSeconds = (Date.now() - stoppedAt) / 1000;
  await sleep(3_000);
  await load.stop();
  await stopProcess(second, 5_000);
  process.stderr.write(`${failures(tally)} failed, back after ${gapSeconds.toFixed(2)} s\n`);
  return { tally, gapSeconds };
}

// ---------------------------------------------------------------------------------------------

const s1 = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} s`);

function printRollout(r: Rollout): void {
  const t = r.tally;
  const ro = r.patch.rollout;
  console.log(`${r.label}: patch ${r.patch.id} (${r.patch.candidate.kind}: ${r.patch.candidate.description}) → ${r.patch.status}`);
  console.log(`  failed normal requests: ${failures(t)} of ${t.sent} (${describeFailures(t)})`);
  if (t.regression > 0) console.log(`  answered by the canary's regression (GET /orders → 503 from the canary, excluded above): ${t.regression}`);
  console.log(`  longest time without a correct answer: ${(t.longestOutageMs / 1000).toFixed(2)} s`);
  console.log(`  seconds: approve → ${r.patch.status} ${s1(r.approval.wallSeconds)} wall (suture approve exited ${r.approval.code}); canary start → done ${s1(r.eventSeconds)} (event)`);
  if (ro) {
    console.log(`  canary verdict: ${ro.reason}`);
    console.log(`  canary ${ro.canary.requests} req, ${ro.canary.errors5xx} 5xx, p50 ${ro.canary.latencyP50Ms?.toFixed(1) ?? 'n/a'} ms | baseline ${ro.baseline.requests} req, ${ro.baseline.errors5xx} 5xx, p50 ${ro.baseline.latencyP50Ms?.toFixed(1) ?? 'n/a'} ms`);
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  console.log('Rollout under load — example "orders", suture run --workers 2, default canary policy (1 canary worker, window 10 s, ≥ 50 requests)');
  console.log(`load: ${concurrency} keep-alive clients cycling ${normalGets.map((r) => `${r.method} ${r.path}`).join(', ')}, ${pauseMs} ms between requests, 127.0.0.1 only`);
  console.log(`a normal request fails on a 5xx, a refused or reset connection, or no answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
  console.log(`machine: ${machine()}, ${new Date().toISOString()}`);
  console.log('');

  const dir = repository();
  process.stderr.write('· suture run: starting… ');
  const run = await startSuture({ ...example, dir }, WORKERS, 'suture', { policy: { canary: CANARY } });
  process.stderr.write(`healthy on 127.0.0.1:${run.port}\n· a crash (example.crash[0], ${example.crash[0]!.kind}) and the heal it starts… `);
  let load: SteadyLoad | null = null;
  let stopped = false;
  try {
    const healed = await healIncident(run);
    process.stderr.write(`patch ${healed.patch} proposed ${healed.seconds.toFixed(1)} s after the crash\n`);

    load = new SteadyLoad(run.port);
    load.start();
    await sleep(3_000);
    const promotion = await rollout('promotion', run, dir, load, healed.patch, 'deployed');
    await sleep(2_000);

    const badId = `bad${Date.now().toString(16).slice(-9)}`;
    await storeBadPatch(run.store, dir, healed.incident, badId);
    load.regression = (req, status) => status === 503 && req.method === BROKEN.method && req.path === BROKEN.path;
    const rollback = await rollout('rollback', run, dir, load, badId, 'rolled-back');
    load.regression = null;
    await sleep(2_000);
    const phases = await load.stop();
    load = null;
    const between = phases.filter((p) => p !== promotion.tally && p !== rollback.tally);

    process.stderr.write('· suture run: stopping… ');
    const problems = await run.stop();
    stopped = true;
    process.stderr.write(problems.length ? `${problems.join('; ')}\n` : 'stopped, no process left (checked by PID)\n');

    const peer = await plainRestart(dir);

    console.log(`heal: incident ${healed.incident} → patch ${healed.patch} proposed ${healed.seconds.toFixed(1)} s after the crash (suture run healing it, before the load)`);
    console.log('');
    printRollout(promotion);
    console.log('');
    printRollout(rollback);
    console.log('');
    const quiet = between.reduce((n, t) => n + failures(t), 0);
    console.log(`outside the two rollouts (warm-up and after each): ${quiet} failed of ${between.reduce((n, t) => n + t.sent, 0)}`);
    console.log('');
    const p = peer.tally;
    console.log(`peer — plain node restart (SIGTERM, start again on the same port): failed normal requests ${failures(p)} of ${p.sent} (${describeFailures(p)}); back after ${peer.gapSeconds.toFixed(2)} s; longest time without a correct answer ${(p.longestOutageMs / 1000).toFixed(2)} s`);
    const ours = failures(promotion.tally) + failures(rollback.tally);
    const perChange = ours / 2;
    console.log(
      `ratio — failed normal requests per code change, suture rollout ÷ plain restart: ${perChange} ÷ ${failures(p)} = ${failures(p) === 0 ? 'n/a (the restart failed none either)' : (perChange / failures(p)).toFixed(3)}` +
        `; longest outage: ${(Math.max(promotion.tally.longestOutageMs, rollback.tally.longestOutageMs) / 1000).toFixed(2)} s ÷ ${(p.longestOutageMs / 1000).toFixed(2)} s`,
    );
    console.log(`target 0 failed normal requests in each rollout: ${failures(promotion.tally) === 0 && failures(rollback.tally) === 0 ? 'met' : 'NOT met'}`);
    console.log(`(bench wall time ${((Date.now() - startedAt) / 1000).toFixed(0)} s)`);
  } finally {
    if (load) await load.stop();
    if (!stopped) await run.stop();
  }
}

runBenchmark(() =>
  Promise.race([
    main(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the benchmark ran over ${DEADLINE_MS / 1000} s and was stopped`)), DEADLINE_MS).unref()),
  ]),
);
