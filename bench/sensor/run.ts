// Micro-benchmarks of the sensor's hot functions, each as a ratio against a baseline measured in the
// same run (the shape of undici's benchmarks/): per-request tracking, end to end and function by
// function, and redaction of a typical recorded request. Needs a built dist/ (npm run build).
//
//   node --import tsx bench/sensor/run.ts [--rounds 5]

import { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_DIR, machine, median, REPO_DIR, runBenchmark, startProcess } from '../lib/processes.js';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(opts.rounds);
if (!(rounds >= 1 && rounds <= 50)) throw new Error('--rounds in [1, 50]');

const DIST = path.join(REPO_DIR, 'dist', 'sensor');
const { RequestTracker } = (await import(pathToFileURL(path.join(DIST, 'requests.js')).href)) as typeof import('../../src/sensor/requests.js');
const redaction = (await import(pathToFileURL(path.join(DIST, 'redaction.js')).href)) as typeof import('../../src/sensor/redaction.js');
const { DEFAULT_SENSOR_SETTINGS } = (await import(pathToFileURL(path.join(REPO_DIR, 'dist', 'model', 'messages.js')).href)) as typeof import('../../src/model/messages.js');

let blackhole = 0;

/** Nanoseconds per call of fn, timed over batches for about `ms`. */
function timePerOp(fn: () => unknown, ms: number): number {
  let n = 0;
  let batch = 64;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) if (fn() === blackhole) blackhole++;
    n += batch;
    if (batch < 65_536) batch *= 2;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / n;
}

/** Interleaves baseline and contender over the rounds; returns median ns/op of each. */
function compare(baseline: () => unknown, contender: () => unknown): { base: number; cont: number } {
  timePerOp(baseline, 200);
  timePerOp(contender, 200);
  const b: number[] = [];
  const c: number[] = [];
  for (let r = 0; r < rounds; r++) {
    b.push(timePerOp(baseline, 300));
    c.push(timePerOp(contender, 300));
  }
  return { base: median(b), cont: median(c) };
}

const rows: string[][] = [];
function report(what: string, baselineName: string, base: number, cont: number, unit = 'ns/op'): void {
  const fmt = (x: number) => (unit === 'ns/op' ? `${x.toFixed(0)} ns` : `${x.toFixed(0)} req/s`);
  rows.push([what, fmt(cont), `${baselineName} ${fmt(base)}`, (cont / base).toFixed(3)]);
}

// --- per-request tracking, function by function -------------------------------------------------

const socket = new net.Socket();
const rawHeaders = ['Host', '127.0.0.1:3101', 'User-Agent', 'bench/1.0', 'Accept', 'application/json', 'Connection', 'keep-alive'];

/** What Node itself allocates for every request: the request and response objects. */
function nodeRequestObjects(): ServerResponse {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/orders/1?expand=items';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.rawHeaders = rawHeaders;
  return new ServerResponse(req);
}

const tracker = new RequestTracker(
  DEFAULT_SENSOR_SETTINGS.bodyLimit,
  DEFAULT_SENSOR_SETTINGS.bufferSize,
  redaction.redactionRules(DEFAULT_SENSOR_SETTINGS.redactHeaders, DEFAULT_SENSOR_SETTINGS.redactFields),
);
// What the tracker's emit hooks call for each request: start at the server's 'request', finish at the response's 'finish'.
function trackedRequest(): ServerResponse {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/orders/1?expand=items';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.rawHeaders = rawHeaders;
  const res = new ServerResponse(req);
  tracker.start(req, res);
  res.statusCode = 200;
  tracker.finish(res);
  return res;
}

// --- a typical recorded request, for redaction -----------------------------------------------------

const recorded = {
  method: 'POST',
  url: '/admin/users?invite=1&token=abc123&source=console',
  rawHeaders: [
    'Host', '127.0.0.1:3101',
    'User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    'Accept', 'application/json',
    'Content-Type', 'application/json',
    'Authorization', 'Bearer orders-admin-token',
    'Cookie', 'session=8f14e45fceea167a5a36dedd4bea2543',
    'X-Request-Id', '6f1c2a90-8a3e-4d3b-9f5e-1d2c3b4a5f60',
    'Content-Length', '312',
  ],
  body: JSON.stringify({
    username: 'barbara',
    password: 'liskov-substitution',
    role: 'clerk',
    profile: { name: 'Barbara Liskov', email: 'barbara@example.com', address: { street: '32 Vassar St', city: 'Cambridge', country: 'US' } },
    preferences: { theme: 'dark', apiKey: 'k-12345', notifications: ['email', 'sms'] },
  }),
};
const rules = redaction.redactionRules(DEFAULT_SENSOR_SETTINGS.redactHeaders, DEFAULT_SENSOR_SETTINGS.redactFields);

function redactRecorded(): string {
  const headers = redaction.redactHeaders(recorded.rawHeaders, rules);
  const url = redaction.redactUrl(recorded.url, rules);
  const body = redaction.redactBody(recorded.body, headers['content-type'], rules);
  return url + body + headers.host;
}

function stringifyRecorded(): string {
  return JSON.stringify(recorded);
}

// --- end to end: an http server and client in one process, with and without the sensor preloaded -

async function loopback(withSensor: boolean, seconds: number): Promise<number> {
  const script = path.join(BENCH_DIR, 'sensor', 'loopback.mjs');
  const args = [...(withSensor ? ['--import', pathToFileURL(path.join(DIST, 'index.js')).href] : []), script, String(seconds), '16'];
  const proc = startProcess(withSensor ? 'loopback+sensor' : 'loopback', process.execPath, args, { env: { ...process.env, SUTURE_SENSOR: '' } });
  let out = '';
  proc.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await proc.exited;
  if (code !== 0) throw new Error(`loopback${withSensor ? ' with the sensor' : ''} exited with ${code}: ${proc.output.slice(-5).join('\n')}`);
  return (JSON.parse(out.trim().split('\n').pop()!) as { rps: number }).rps;
}

runBenchmark(async () => {
  console.log("Sensor micro-benchmarks — each Suture function against a baseline timed in the same run");
  console.log(`per-request tracking: the tracker's start + finish (what its emit hooks call) on top of Node's own IncomingMessage + ServerResponse;`);
  console.log(`  end to end: http server + keep-alive client in one process (16 in flight, 1 POST in 4), bare vs --import dist/sensor/index.js`);
  console.log(`redaction: redactHeaders + redactUrl + redactBody of a recorded POST (8 headers, query with a token, 300-byte JSON body with secrets) vs JSON.stringify of it`);
  console.log(`${rounds} interleaved rounds, medians; machine: ${machine()}, ${new Date().toISOString()}`);
  console.log('');

  const t = compare(nodeRequestObjects, trackedRequest);
  report("tracked request (Node's req/res + tracker)", "Node's req/res alone", t.base, t.cont);
  rows.push(['  → tracking cost per request', `${(t.cont - t.base).toFixed(0)} ns`, '', '']);

  const r = compare(stringifyRecorded, redactRecorded);
  report('redact a recorded request', 'JSON.stringify', r.base, r.cont);

  const bare: number[] = [];
  const sensor: number[] = [];
  const e2eRounds = Math.min(rounds, 3);
  for (let i = 0; i < e2eRounds; i++) {
    bare.push(await loopback(false, 2));
    sensor.push(await loopback(true, 2));
  }
  report(`loopback http, ${e2eRounds} × 2 s (throughput)`, 'bare', median(bare), median(sensor), 'req/s');

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length), ['benchmark', 'suture', 'baseline', 'ratio'][i]!.length));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(['benchmark', 'suture', 'baseline', 'ratio']));
  for (const row of rows) console.log(fmt(row));
  console.log('');
  console.log('ratio: suture time ÷ baseline time (lower is better), or for loopback suture throughput ÷ bare throughput (higher is better)');
  if (blackhole === -1) console.log('');
});
