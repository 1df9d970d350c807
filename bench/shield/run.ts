// Live shields under bench/availability's crash storm: `suture run` with `policy.shields` off and on,
// in one run, each after a short warm-up of normal traffic (a filter is learned against recorded
// normal traffic, as in a real service). Prints the share of normal requests answered correctly,
// how the crash requests were answered (500 contained, 422 refused by a shield, other), worker
// recycles, faults, the time from an incident's first fault to its shield, and the ratios.
//
//   node --import tsx bench/shield/run.ts [--example orders] [--seconds 20] [--concurrency 32] [--crash-share 0.05] [--warm-up 3] [--out DIR]
//
// --out keeps each contender's event log (DIR/<contender>.events.jsonl).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadExample } from '../../src/examples.js';
import { routeOf } from '../../src/model/request.js';
import { featuresOf, matchesFilter, SHIELD_STATUS, type InputFilter } from '../../src/model/shield.js';
import { openStore } from '../../src/store/open.js';
import { startSuture, type SutureContender } from '../lib/contenders.js';
import { machine, REPO_DIR, runBenchmark, sleep } from '../lib/processes.js';
import { formatTable, pct, RECONNECT_PAUSE_MS, REQUEST_TIMEOUT_MS, storm, type Tally } from '../lib/storm.js';

const WORKERS = 2;
/** Time for the sensors' once-a-second traffic sample of the warm-up to reach the store. */
const SAMPLE_SETTLE_MS = 1_300;
/** Recycles still under way when the storm ends finish within the cooldown and drain time. */
const AFTER_STORM_MS = 3_000;
/** The whole run stops itself after this, whatever state it is in. */
const DEADLINE_MS = 170_000;

const { values: opts } = parseArgs({
  options: {
    example: { type: 'string', default: 'orders' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
    'crash-share': { type: 'string', default: '0.05' },
    'warm-up': { type: 'string', default: '3' },
    out: { type: 'string' },
  },
});
const seconds = Number(opts.seconds);
const concurrency = Number(opts.concurrency);
const crashShare = Number(opts['crash-share']);
const warmUp = Number(opts['warm-up']);
if (!(seconds > 0 && seconds <= 60) || !(concurrency >= 1 && concurrency <= 1024) || !(crashShare > 0 && crashShare < 1) || !(warmUp >= 0 && warmUp <= 30)) {
  throw new Error('--seconds must be in (0, 60], --concurrency in [1, 1024], --crash-share in (0, 1), --warm-up in [0, 30]');
}

const example = loadExample(path.join(REPO_DIR, 'examples', opts.example));
const CONTENDERS = [
  { name: 'shields off', shields: false },
  { name: 'shields on', shields: true },
];

type Event = Record<string, unknown>;

/** One incident of the storm, as the event log tells it. */
interface IncidentView {
  id: string;
  /** The example's crash kind whose request faulted (by method and path), else the first request that did. */
  kind: string;
  /** Faults by the request they were attributed to: a crash kind, a normal request's method and path, or `no request`. */
  requests: Map<string, number>;
  faults: number;
  firstFaultAt: number;
  raised: { at: number; kind: string; description: string } | null;
  refused: { kind: string; reason: string }[];
}

interface Result {
  name: string;
  warmUp: Tally;
  tally: Tally;
  recyclesStarted: number;
  recyclesDone: number;
  /** Workers restarted to put a transaction shield in (or take one out): `worker` `restart-slot` events. */
  shieldRestarts: number;
  faults: number;
  unexpectedExits: number;
  incidents: IncidentView[];
  /** Shield-refused requests the store now holds as recorded normal traffic. */
  refusedRecorded: number;
  notes: string[];
}

function kindOf(request: unknown): string {
  const r = request as { method?: string; url?: string } | undefined;
  if (!r?.method || !r.url) return 'no request';
  const urlPath = r.url.split('?')[0];
  return example.crash.find((c) => c.method === r.method && c.path === urlPath)?.kind ?? `${r.method} ${r.url}`;
}

const crashKinds = new Set(example.crash.map((c) => c.kind));

function incidentsOf(events: Event[]): IncidentView[] {
  const byId = new Map<string, IncidentView>();
  for (const e of events) {
    const id = e.incident as string | undefined;
    if (!id) continue;
    const at = Date.parse(e.ts as string);
    if (e.type === 'fault') {
      let view = byId.get(id);
      if (!view) byId.set(id, (view = { id, kind: 'no request', requests: new Map(), faults: 0, firstFaultAt: at, raised: null, refused: [] }));
      const kind = kindOf(e.request);
      view.requests.set(kind, (view.requests.get(kind) ?? 0) + 1);
      // The service's first fault may have no request attributed to it, and a normal request may fault too: a crash kind names the incident.
      if (crashKinds.has(kind) ? !crashKinds.has(view.kind) : view.kind === 'no request') view.kind = kind;
      view.faults++;
    }
    const view = byId.get(id);
    if (!view || e.type !== 'shield') continue;
    if (e.action === 'raise' && !view.raised) view.raised = { at, kind: e.kind as string, description: e.description as string };
    if (e.action === 'refused') view.refused.push({ kind: e.kind as string, reason: e.reason as string });
  }
  return [...byId.values()];
}

/** Recorded normal traffic that a raised filter matches and that was answered with the shield's status: requests the shield refused, kept as if normal. */
async function refusedInRecordedTraffic(c: SutureContender, events: Event[]): Promise<number> {
  const filters = events.filter((e) => e.type === 'shield' && e.action === 'raise' && e.kind === 'input-filter').map((e) => e.shield as string);
  if (filters.length === 0) return 0;
  const store = openStore(c.store, example.dir, { mustExist: true });
  try {
    const audit = await store.listAudit();
    const learned = audit
      .filter((a) => a.action === 'shield-raised' && filters.includes(String((a.evidence as { shield?: unknown }).shield)))
      .map((a) => a.evidence as { route: string; predicates: InputFilter['predicates'] });
    let n = 0;
    for (const f of learned) {
      for (const r of await store.trafficFor(f.route, 10_000)) {
        if (r.status === SHIELD_STATUS && routeOf(r.method, r.url) === f.route && matchesFilter(f, featuresOf(r.url, r.bodyEncoding === 'base64' ? undefined : r.body))) n++;
      }
    }
    return n;
  } finally {
    await store.close();
  }
}

async function measure(name: string, shields: boolean): Promise<Result> {
  process.stderr.write(`· ${name}: starting… `);
  const c = await startSuture(example, WORKERS, `suture (${name})`, { policy: { shields } });
  process.stderr.write(`healthy on 127.0.0.1:${c.port}; warm-up ${warmUp} s… `);
  const warm = await storm(example, c.port, { seconds: warmUp, concurrency, crashShare: 0 });
  await sleep(SAMPLE_SETTLE_MS);
  process.stderr.write(`storming for ${seconds} s… `);
  const pidsBefore = await c.pids();
  const tally = await storm(example, c.port, { seconds, concurrency, crashShare });
  await sleep(AFTER_STORM_MS);
  const pidsAfter = await c.pids();
  process.stderr.write('stopping… ');
  const problems = await c.stop();
  process.stderr.write('done\n');

  const events = c.events();
  if (opts.out) {
    fs.mkdirSync(opts.out, { recursive: true });
    fs.copyFileSync(c.eventsFile, path.join(opts.out, `${name.replace(/\W+/g, '-')}.events.jsonl`));
  }
  const count = (pred: (e: Event) => boolean) => events.filter(pred).length;
  const notes: string[] = [];
  const all = [...new Set([...pidsBefore, ...pidsAfter])];
  notes.push(`pids seen: ${all.join(', ')}; ${problems.length ? 'see below' : 'none left running after stop (checked by PID)'}`);
  for (const p of problems) notes.push(`LEFT BEHIND: ${p}`);
  return {
    name,
    warmUp: warm,
    tally,
    recyclesStarted: count((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'start'),
    recyclesDone: count((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'done'),
    shieldRestarts: count((e) => e.type === 'worker' && e.action === 'restart-slot' && /shield/.test(String(e.reason))),
    faults: count((e) => e.type === 'fault'),
    unexpectedExits: count((e) => e.type === 'worker' && e.action === 'exit' && e.expected === false),
    incidents: incidentsOf(events),
    refusedRecorded: await refusedInRecordedTraffic(c, events),
    notes,
  };
}

const share = (t: Tally) => (t.normalSent ? t.normalOk / t.normalSent : 0);
const sum = (t: Tally, f: (c: Tally['crash'][number]) => number) => t.crash.reduce((n, c) => n + f(c), 0);
const others = (m: Map<string, number>) => (m.size === 0 ? '' : ` (${[...m].map(([k, n]) => `${n}× ${k}`).join(', ')})`);

function printIncident(contender: string, i: IncidentView, prefix = '      '): void {
  const by = [...i.requests].map(([k, n]) => `${n}× ${k}`).join(', ');
  console.log(`${prefix}incident ${i.id}: ${i.faults} fault(s) (${by})`);
  if (i.raised) console.log(`${prefix}  ${i.raised.kind} raised ${i.raised.at - i.firstFaultAt} ms after the first fault: ${i.raised.description}`);
  for (const ref of i.refused) console.log(`${prefix}  ${ref.kind} refused: ${ref.reason}`);
  if (!i.raised && i.refused.length === 0) console.log(`${prefix}  no shield event${contender === 'shields off' ? ' (shields off)' : ''}`);
}

function print(results: Result[]): void {
  const header = ['contender', 'normal ok', 'ok / sent', 'refused', '5xx', 'conn err', 'timeout', 'crash sent', '500', '422 shield', 'other', 'recycles', 'faults', 'longest outage'];
  const rows = results.map((r) => {
    const t = r.tally;
    return [
      r.name,
      pct(share(t)),
      `${t.normalOk} / ${t.normalSent}`,
      String(t.normalRefused),
      String(t.normal5xx),
      String(t.normalConnErrors),
      String(t.normalTimeouts),
      String(t.crashSent),
      String(sum(t, (c) => c.answered500)),
      String(sum(t, (c) => c.refused)),
      String(sum(t, (c) => [...c.other.values()].reduce((a, b) => a + b, 0))),
      String(r.recyclesStarted),
      String(r.faults),
      `${(t.longestOutageMs / 1000).toFixed(2)} s`,
    ];
  });
  for (const l of formatTable(header, rows)) console.log(l);
  for (const r of results) {
    const w = r.warmUp;
    console.log(`  ${r.name}: warm-up ${pct(share(w))} normal ok (${w.normalOk} / ${w.normalSent}); recycles ${r.recyclesDone} done (${r.recyclesStarted} started); rolling restarts for shields: ${r.shieldRestarts} worker(s); unexpected worker exits: ${r.unexpectedExits}`);
    for (const c of r.tally.crash) {
      const incidents = r.incidents.filter((i) => i.kind === c.kind);
      console.log(`  ${r.name}: ${c.kind}: sent ${c.sent}, 500 × ${c.answered500}, shield 422 × ${c.refused}, other × ${[...c.other.values()].reduce((a, b) => a + b, 0)}${others(c.other)}; faults ${incidents.reduce((n, i) => n + i.faults, 0)}`);
      for (const i of incidents) printIncident(r.name, i);
    }
    for (const i of r.incidents.filter((i) => !crashKinds.has(i.kind))) printIncident(r.name, i, `  ${r.name}: `);
    if (r.refusedRecorded > 0) console.log(`  ${r.name}: recorded normal traffic holds ${r.refusedRecorded} request(s) a shield refused (status ${SHIELD_STATUS}, matching its filter)`);
    for (const n of r.notes) console.log(`  ${r.name}: ${n}`);
  }
  const off = results.find((r) => r.name === 'shields off');
  const on = results.find((r) => r.name === 'shields on');
  if (off && on) {
    const ratio = off.recyclesStarted === 0 ? 'n/a' : (on.recyclesStarted / off.recyclesStarted).toFixed(3);
    const diff = (share(on.tally) - share(off.tally)) * 100;
    console.log('');
    console.log(
      `ratio — worker recycles, shields on ÷ off: ${on.recyclesStarted} ÷ ${off.recyclesStarted} = ${ratio}` +
        `; faults: ${on.faults} ÷ ${off.faults}` +
        `; normal ok: ${pct(share(on.tally))} − ${pct(share(off.tally))} = ${diff >= 0 ? '+' : ''}${diff.toFixed(3)} points`,
    );
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  console.log(`Live shields under a crash storm — example "${example.name}", suture run --workers ${WORKERS}, ${seconds} s each, concurrency ${concurrency}, ${pct(crashShare)} crash requests`);
  console.log(`compared: policy.shields false | policy.shields true (other settings the defaults, healing on); each after a ${warmUp} s warm-up of normal traffic only`);
  console.log(`traffic: 127.0.0.1 only; crash requests from example.crash (${example.crash.map((c) => `${c.kind}: ${c.method} ${c.path}`).join('; ')}), normal ones cycle example.normal (${example.normal.length})`);
  console.log(`a normal request counts as answered when it gets a 2xx-4xx that is not a shield's refusal; a 5xx, connection error or ${REQUEST_TIMEOUT_MS / 1000} s timeout is a failure (clients pause ${RECONNECT_PAUSE_MS} ms after a connection error)`);
  console.log(`machine: ${machine()}, ${new Date().toISOString()}`);
  console.log('');
  const results: Result[] = [];
  for (const c of CONTENDERS) results.push(await measure(c.name, c.shields));
  print(results);
  console.log(`(bench wall time ${((Date.now() - startedAt) / 1000).toFixed(0)} s)`);
}

runBenchmark(() =>
  Promise.race([
    main(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the benchmark ran over ${DEADLINE_MS / 1000} s and was stopped`)), DEADLINE_MS).unref()),
  ]),
);
