// Availability under a crash storm: a share of the requests crash the service, the rest are the
// example's normal traffic. Compares, in one run, plain node (one process, nothing restarts it),
// PM2 cluster mode and `suture run`, by the share of normal requests answered correctly.
//
//   node --import tsx bench/availability/run.ts [--example orders] [--seconds 20] [--concurrency 32] [--crash-share 0.05]

import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadExample, type Example, type ExampleRequest } from '../../src/examples.js';
import { startPlain, startPm2, startSuture, type Contender, type SutureContender } from '../lib/contenders.js';
import { machine, REPO_DIR, runBenchmark, sleep } from '../lib/processes.js';

const REQUEST_TIMEOUT_MS = 5_000;
/** A client's pause after a refused or reset connection, so a dead port does not swamp the count with sub-millisecond failures. */
const RECONNECT_PAUSE_MS = 10;
const WORKERS = 2;

const { values: opts } = parseArgs({
  options: {
    example: { type: 'string', default: 'orders' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    'crash-share': { type: 'string', default: '0.05' },
    only: { type: 'string' },
  },
});
const seconds = Number(opts.seconds);
const concurrency = Number(opts.concurrency);
const crashShare = Number(opts['crash-share']);
if (!(seconds > 0 && seconds <= 600) || !(concurrency >= 1 && concurrency <= 1024) || !(crashShare >= 0 && crashShare < 1)) {
  throw new Error('--seconds must be in (0, 600], --concurrency in [1, 1024], --crash-share in [0, 1)');
}

interface Prepared {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function prepare(req: ExampleRequest): Prepared {
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return { method: req.method, path: req.path, headers, body };
}

type Outcome = { status: number } | { error: 'timeout' | 'connection' };

function send(agent: http.Agent, port: number, req: Prepared): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0 }));
      res.on('error', () => done({ error: 'connection' }));
    });
    const timer = setTimeout(() => {
      done({ error: 'timeout' });
      r.destroy();
    }, REQUEST_TIMEOUT_MS);
    r.on('error', () => done({ error: 'connection' }));
    r.end(req.body);
  });
}

interface Tally {
  normalSent: number;
  normalOk: number;
  normal5xx: number;
  normalConnErrors: number;
  normalTimeouts: number;
  crashSent: number;
  /** The longest time, in ms, in which no normal request was answered correctly. */
  longestOutageMs: number;
}

async function storm(example: Example, port: number): Promise<Tally> {
  const normal = example.normal.map(prepare);
  const crash = example.crash.map(prepare);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const t: Tally = { normalSent: 0, normalOk: 0, normal5xx: 0, normalConnErrors: 0, normalTimeouts: 0, crashSent: 0, longestOutageMs: 0 };
  const start = Date.now();
  const deadline = start + seconds * 1000;
  let seq = 0;
  let lastOk = start;
  const user = async () => {
    while (Date.now() < deadline) {
      const n = seq++;
      // Exactly crashShare of the sequence, spread evenly: request n crashes when it crosses the next whole share.
      const isCrash = Math.floor((n + 1) * crashShare) > Math.floor(n * crashShare);
      if (isCrash) {
        t.crashSent++;
        const o = await send(agent, port, crash[t.crashSent % crash.length]!);
        if ('error' in o && o.error === 'connection') await sleep(RECONNECT_PAUSE_MS);
        continue;
      }
      const o = await send(agent, port, normal[t.normalSent++ % normal.length]!);
      if ('status' in o && o.status < 500) {
        t.normalOk++;
        const now = Date.now();
        if (now - lastOk > t.longestOutageMs) t.longestOutageMs = now - lastOk;
        lastOk = now;
      } else if ('status' in o) t.normal5xx++;
      else if (o.error === 'timeout') t.normalTimeouts++;
      else {
        t.normalConnErrors++;
        await sleep(RECONNECT_PAUSE_MS);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, user));
  const end = Math.max(Date.now(), deadline);
  if (end - lastOk > t.longestOutageMs) t.longestOutageMs = end - lastOk;
  agent.destroy();
  return t;
}

interface Row {
  name: string;
  tally: Tally;
  notes: string[];
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x >= 0.9995 && x < 1 ? 3 : 2)}%`;
}

function printTable(rows: Row[]): void {
  const header = ['contender', 'normal ok', 'ok / sent', '5xx', 'conn err', 'timeout', 'crash sent', 'longest outage'];
  const lines = rows.map((r) => {
    const t = r.tally;
    return [
      r.name,
      pct(t.normalSent ? t.normalOk / t.normalSent : 0),
      `${t.normalOk} / ${t.normalSent}`,
      String(t.normal5xx),
      String(t.normalConnErrors),
      String(t.normalTimeouts),
      String(t.crashSent),
      `${(t.longestOutageMs / 1000).toFixed(2)} s`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  for (const r of rows) for (const n of r.notes) console.log(`  ${r.name}: ${n}`);
}

async function measure<C extends Contender>(
  name: string,
  start: () => Promise<C>,
  before?: (c: C) => Promise<string[]>,
  after?: (c: C) => string[],
): Promise<Row> {
  process.stderr.write(`· ${name}: starting… `);
  const c = await start();
  process.stderr.write(`healthy on 127.0.0.1:${c.port}; storming for ${seconds} s… `);
  const pidsBefore = await c.pids();
  const tally = await storm(example, c.port);
  const notes = before ? await before(c) : [];
  const pidsAfter = await c.pids();
  process.stderr.write('stopping… ');
  const problems = await c.stop();
  process.stderr.write('done\n');
  if (after) notes.push(...after(c));
  const all = [...new Set([...pidsBefore, ...pidsAfter])];
  notes.push(`pids seen: ${all.join(', ')}; ${problems.length ? 'see below' : 'none left running after stop (checked by PID)'}`);
  for (const p of problems) notes.push(`LEFT BEHIND: ${p}`);
  return { name, tally, notes };
}

function sutureNotes(c: SutureContender): string[] {
  const events = c.events();
  const count = (pred: (e: Record<string, unknown>) => boolean) => events.filter(pred).length;
  const recycles = count((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'done');
  const started = count((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'start');
  const faults = count((e) => e.type === 'fault');
  const contained = count((e) => e.type === 'shield' && e.action === 'contain');
  const exits = count((e) => e.type === 'worker' && e.action === 'exit' && e.expected === false);
  return [`worker recycles: ${recycles} done (${started} started); faults recorded: ${faults}, requests contained: ${contained}, unexpected worker exits: ${exits}`];
}

const example = loadExample(path.join(REPO_DIR, 'examples', opts.example));

runBenchmark(async () => {
  console.log(`Availability under a crash storm — example "${example.name}", ${seconds} s each, concurrency ${concurrency}, ${pct(crashShare)} crash requests`);
  console.log(`compared: node ${example.command.slice(1).join(' ')} (1 process, nothing restarts it) | PM2 cluster mode (-i ${WORKERS}) | suture run --workers ${WORKERS}`);
  console.log(`traffic: 127.0.0.1 only; crash requests from example.crash (${example.crash.map((c) => c.kind).join(', ')}), normal ones cycle example.normal (${example.normal.length})`);
  console.log(`a normal request counts as answered when it gets a 2xx-4xx; a 5xx, connection error or ${REQUEST_TIMEOUT_MS / 1000} s timeout is a failure (clients pause ${RECONNECT_PAUSE_MS} ms after a connection error)`);
  console.log(`machine: ${machine()}, ${new Date().toISOString()}`);
  console.log('');

  const only = opts.only?.split(',');
  const rows: Row[] = [];
  if (!only || only.includes('node')) rows.push(await measure('node', () => startPlain(example)));
  if (!only || only.includes('pm2')) {
    rows.push(
      await measure(`pm2 -i ${WORKERS}`, () => startPm2(example, WORKERS), async (c) => [`instances after the storm: ${await c.describe()}`]),
    );
  }
  if (!only || only.includes('suture')) {
    rows.push(
      await measure(
        `suture -w ${WORKERS}`,
        () => startSuture(example, WORKERS),
        // Recycles still under way finish within the cooldown and drain time.
        async () => (await sleep(3_000), []),
        sutureNotes,
      ),
    );
  }
  console.log('');
  printTable(rows);
});
