// Availability under a crash storm: a share of the requests crash the service, the rest are the
// example's normal traffic. Compares, in one run, plain node (one process, nothing restarts it),
// PM2 cluster mode and `suture run`, by the share of normal requests answered correctly.
//
//   node --import tsx bench/availability/run.ts [--example orders] [--seconds 20] [--concurrency 32] [--crash-share 0.05]

import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadExample } from '../../src/examples.js';
import { startPlain, startPm2, startSuture, type Contender, type SutureContender } from '../lib/contenders.js';
import { machine, REPO_DIR, runBenchmark, sleep } from '../lib/processes.js';
import { formatTable, pct, RECONNECT_PAUSE_MS, REQUEST_TIMEOUT_MS, storm, type Tally } from '../lib/storm.js';

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

interface Row {
  name: string;
  tally: Tally;
  notes: string[];
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
  for (const l of formatTable(header, lines)) console.log(l);
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
  const tally = await storm(example, c.port, { seconds, concurrency, crashShare });
  const notes = before ? await before(c) : [];
  // A shield refuses only inputs it has told apart from recorded normal traffic: this should stay 0.
  if (tally.normalRefused > 0) notes.push(`normal requests refused by a shield (counted as failures): ${tally.normalRefused}`);
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
