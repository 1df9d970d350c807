// Throughput overhead of running a service under Suture, against the same service bare and under
// OpenTelemetry's Node SDK auto-instrumentation, one worker each, on the example's cheap JSON
// endpoint.
//
// This machine's speed drifts by tens of percent from one minute to the next, which drowns a
// few-percent overhead when contenders are measured one after the other. So each contender is
// measured at the same moment as bare node: both services are pinned to CPU 0, where they share
// the core evenly, and each is saturated by its own load generator on CPU 1 (bench/overhead/load.mjs:
// keep-alive connections, closed loop, a fraction of a service's CPU per request, so the generators
// are never the bottleneck). Whatever slows the
// core slows both, and the ratio of their throughputs is the ratio of their costs. A control pair
// (bare node against another bare node) prints the method's own noise. Every pair is a fresh bare
// node and a fresh contender; rounds rotate the order of the pairs.
//
//   node --import tsx bench/overhead/run.ts [--example orders] [--rounds 5] [--cycles 2] [--seconds 5] [--warmup 3] [--connections 32]
//       [--only control,suture,traced,otel] [--preload FILE ...]
//
// --preload adds a contender: bare node with FILE preloaded (--import, or --require for .cjs), to
// find out what a piece of the sensor costs by the same method; --only narrows the standard ones.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadExample } from '../../src/examples.js';
import { startPlain, startSuture, type Contender } from '../lib/contenders.js';
import { BENCH_DIR, cpuMicros, freePort, machine, median, REPO_DIR, runBenchmark, startProcess } from '../lib/processes.js';

/** Bad options: one line naming the problem, exit 2. */
function usage(message: string): never {
  process.stderr.write(`bench/overhead: ${message}\n`);
  process.exit(2);
}

const { values: opts } = parseArgs({
  options: {
    example: { type: 'string', default: 'orders' },
    rounds: { type: 'string', default: '5' },
    cycles: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string', default: 'control,suture,traced,otel' },
    preload: { type: 'string', multiple: true, default: [] },
  },
});
const STANDARD = ['control', 'suture', 'traced', 'otel'];
const only = opts.only.split(',').filter(Boolean);
for (const name of only) if (!STANDARD.includes(name)) usage(`--only takes ${STANDARD.join(', ')}; not "${name}"`);
const preloads = opts.preload.map((file) => path.resolve(file));
for (const file of preloads) if (!fs.existsSync(file)) usage(`--preload ${file}: no such file`);
if (only.length === 0 && preloads.length === 0) usage('nothing to measure: give --only a contender or --preload a file');
const rounds = Number(opts.rounds);
const cycles = Number(opts.cycles);
const seconds = Number(opts.seconds);
const warmup = Number(opts.warmup);
const connections = Number(opts.connections);
if (!(rounds >= 1 && rounds <= 20) || !(cycles >= 1 && cycles <= 100) || !(seconds >= 1 && seconds <= 120) || !(warmup >= 0 && warmup <= 60) || !(connections >= 1 && connections <= 1024)) {
  usage('--rounds in [1, 20], --cycles in [1, 100], --seconds in [1, 120], --warmup in [0, 60], --connections in [1, 1024]');
}

const example = loadExample(path.join(REPO_DIR, 'examples', opts.example));
const OTEL_SETUP = path.join(BENCH_DIR, 'overhead', 'otel-setup.mjs');

/** Stands in for an OpenTelemetry collector: accepts OTLP/HTTP exports and discards them, counting what arrived. */
async function startSink(): Promise<{ port: number; stats: { exports: number; bytes: number }; close(): Promise<void> }> {
  const stats = { exports: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => (stats.bytes += c.length));
    req.on('end', () => {
      stats.exports++;
      // An empty body is a valid, empty ExportTraceServiceResponse.
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' }).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Trial {
  /** Requests answered per second. */
  rps: number;
  /** CPU (every process of the service, supervisor included) per request, microseconds. */
  cpuPerRequest: number;
  p99: number;
  errors: number;
  non2xx: number;
}

interface Pair {
  name: string;
  start(): Promise<Contender>;
  /** Contender ÷ bare node, one value per cycle: throughput, and bare CPU per request ÷ the contender's. */
  rpsRatios: number[];
  cpuRatios: number[];
  contender: Trial[];
  /** Share of CPU 0 the two services used during the cycle: near 1 when the load saturates them. */
  busy: number[];
  problems: number;
}

const LOADER = path.join(BENCH_DIR, 'overhead', 'load.mjs');

/** Moves every thread of these processes (and children they fork later) onto one CPU. */
function pin(pids: readonly number[], cpu: number): void {
  for (const pid of pids) {
    const r = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`taskset could not pin pid ${pid} to CPU ${cpu} (is util-linux installed?)`);
  }
}

interface Loader {
  go(): void;
  result: Promise<{ requests: number; p99: number; errors: number; non2xx: number }>;
}

/** Starts a loader for one service on CPU 1; it waits for `go()`. Resolves once it is ready. */
async function loaderOnCpu1(port: number, durationS: number): Promise<Loader> {
  const req = example.json;
  const body = req.body === undefined ? [] : [typeof req.body === 'string' ? req.body : JSON.stringify(req.body)];
  const args = ['-c', '1', process.execPath, LOADER, `http://127.0.0.1:${port}${req.path}`, String(connections), String(durationS), req.method, JSON.stringify(req.headers ?? {}), ...body];
  const proc = startProcess('load', 'taskset', args, { cwd: BENCH_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  const result = proc.exited.then((code) => {
    const line = proc.output.find((l) => l.startsWith('{'));
    if (code !== 0 || line === undefined) throw new Error(`the load generator exited ${code}: ${proc.output.slice(-3).join(' | ')}`);
    return JSON.parse(line) as { requests: number; p99: number; errors: number; non2xx: number };
  });
  const ready = new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (proc.output.includes('ready')) resolve();
      else if (proc.child.exitCode !== null) reject(new Error(`the load generator exited before it was ready: ${proc.output.slice(-3).join(' | ')}`));
      else setTimeout(check, 10);
    };
    check();
  });
  await ready;
  return { go: () => proc.child.stdin?.end('go\n'), result };
}

/** Loads both services at once for `durationS`; returns each one's trial and the share of CPU 0 they used. */
async function together(a: { port: number; pids: number[] }, b: { port: number; pids: number[] }, durationS: number): Promise<{ a: Trial; b: Trial; busy: number }> {
  // Both loaders are started and ready before either sends a request, so the services share the core throughout.
  const [la, lb] = await Promise.all([loaderOnCpu1(a.port, durationS), loaderOnCpu1(b.port, durationS)]);
  const cpuA = cpuMicros(a.pids);
  const cpuB = cpuMicros(b.pids);
  const started = performance.now();
  la.go();
  lb.go();
  const [ra, rb] = await Promise.all([la.result, lb.result]);
  const wallUs = (performance.now() - started) * 1000;
  const usedA = cpuMicros(a.pids) - cpuA;
  const usedB = cpuMicros(b.pids) - cpuB;
  const trial = (r: typeof ra, used: number): Trial => ({
    rps: r.requests / durationS,
    cpuPerRequest: used / Math.max(1, r.requests),
    p99: r.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  });
  return { a: trial(ra, usedA), b: trial(rb, usedB), busy: (usedA + usedB) / wallUs };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
}

runBenchmark(async () => {
  if (process.platform !== 'linux' || os.cpus().length < 2 || spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('this benchmark pins processes with taskset: it needs Linux, util-linux and at least 2 CPUs');
  }
  // The bench itself (the OTLP sink, the bookkeeping) stays off the services' CPU.
  pin([process.pid], 1);
  const sink = await startSink();
  const otelEnv = {
    OTEL_SERVICE_NAME: example.name,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${sink.port}/v1/traces`,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    // The default detectors also probe cloud metadata services (169.254.169.254…); traffic stays on 127.0.0.1.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
  const pair = (name: string, start: () => Promise<Contender>): Pair => ({ name, start, rpsRatios: [], cpuRatios: [], contender: [], busy: [], problems: 0 });
  const standard: Record<string, Pair> = {
    control: pair('node (control)', () => startPlain(example, [], {}, 'node-control')),
    suture: pair('suture run -w 1', () => startSuture(example, 1)),
    // The same, tracing request context from the start, as a service that has faulted is run.
    traced: pair('suture, traced', () => startSuture(example, 1, 'suture', { recording: { traceContext: 'always' } })),
    otel: pair('node + otel auto', () => startPlain(example, ['--import', OTEL_SETUP], otelEnv, 'otel')),
  };
  const pairs: Pair[] = [
    ...only.map((name) => standard[name]!),
    ...preloads.map((file, i) =>
      pair(`preload ${i + 1}`, () => startPlain(example, [file.endsWith('.cjs') ? '--require' : '--import', file], {}, `preload-${i + 1}`)),
    ),
  ];
  const bareTrials: Trial[] = [];

  const req = example.json;
  console.log(`Throughput overhead — example "${example.name}", ${req.method} ${req.path}, one worker each, each contender measured at the same moment as bare node`);
  console.log('contenders: bare node (control: a second bare node) | suture run --workers 1 (supervisor + cluster round-robin + sensor; request context traced from the first fault on, the default) | the same with recording.traceContext "always" | node --import bench/overhead/otel-setup.mjs (OpenTelemetry auto-instrumentation, ESM hook + register)');
  preloads.forEach((file, i) => console.log(`preload ${i + 1}: node with ${file} preloaded`));
  console.log(`OpenTelemetry: SDK defaults (BatchSpanProcessor, all default auto-instrumentations), spans exported as OTLP/HTTP protobuf to a discarding sink on 127.0.0.1:${sink.port}`);
  console.log(`method: bare node and the contender pinned to CPU 0 (all their processes and threads), each loaded by its own closed-loop generator (bench/overhead/load.mjs, ${connections} keep-alive connections) pinned to CPU 1`);
  console.log(`${rounds} rounds (pairs in rotated order, fresh processes for every pair) × ${cycles} cycles of ${seconds} s per pair after ${warmup} s warm-up`);
  console.log(`machine: ${machine()}, ${new Date().toISOString()}`);
  console.log('');

  const problems: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < pairs.length; k++) {
      const p = pairs[(k + round) % pairs.length]!;
      // A fresh bare node for every pair, so neither side of a pair has run longer than the other.
      const bare = await startPlain(example);
      let c: Contender | null = null;
      try {
        c = await p.start();
        const barePids = await bare.pids();
        const pids = await c.pids();
        pin([...barePids, ...pids], 0);
        const a = { port: bare.port, pids: barePids };
        const b = { port: c.port, pids };
        if (warmup > 0) await together(a, b, warmup);
        for (let cycle = 0; cycle < cycles; cycle++) {
          // Workers the supervisor forked since (none, unless one was replaced) inherit the pinning.
          b.pids = await c.pids();
          const t = await together(a, b, seconds);
          bareTrials.push(t.a);
          p.contender.push(t.b);
          p.rpsRatios.push(t.b.rps / t.a.rps);
          p.cpuRatios.push(t.a.cpuPerRequest / t.b.cpuPerRequest);
          p.busy.push(t.busy);
          const bad = t.a.errors + t.a.non2xx + t.b.errors + t.b.non2xx;
          if (bad > 0) p.problems += bad;
          console.log(
            `round ${round + 1} ${p.name.padEnd(17)} node ${t.a.rps.toFixed(0).padStart(6)} req/s ${t.a.cpuPerRequest.toFixed(1).padStart(5)} µs/req | ` +
              `${t.b.rps.toFixed(0).padStart(6)} req/s ${t.b.cpuPerRequest.toFixed(1).padStart(5)} µs/req | throughput ${(t.b.rps / t.a.rps).toFixed(3)}  CPU ${(t.a.cpuPerRequest / t.b.cpuPerRequest).toFixed(3)}  CPU 0 busy ${(t.busy * 100).toFixed(0)}%` +
              (bad > 0 ? `  (${t.a.errors + t.b.errors} errors, ${t.a.non2xx + t.b.non2xx} non-2xx)` : ''),
          );
        }
      } finally {
        if (c !== null) problems.push(...(await c.stop()));
        problems.push(...(await bare.stop()));
      }
    }
  }
  await sink.close();

  // Ratios are taken within each cycle, where both services ran at the same moment; the median
  // over every cycle of every round is the result. "CPU" is bare node's CPU per request over the
  // contender's (all its processes, supervisor included), so 1.0 is free.
  console.log('');
  console.log(
    `${'contender'.padEnd(17)} ${'throughput vs node, median (IQR)'.padStart(32)}  ${'CPU vs node, median (IQR)'.padStart(25)}  ${'req/s'.padStart(7)}  ${'p99'.padStart(6)}  ${'CPU/req'.padStart(9)}  ${'CPU 0 busy'.padStart(10)}`,
  );
  const row = (name: string, rps: number[], cpu: number[], trials: Trial[], busy: number[]) => {
    const spread = (v: number[]) => `${median(v).toFixed(3)} (${quantile(v, 0.25).toFixed(3)}–${quantile(v, 0.75).toFixed(3)})`;
    console.log(
      `${name.padEnd(17)} ${spread(rps).padStart(32)}  ${spread(cpu).padStart(25)}  ${median(trials.map((t) => t.rps)).toFixed(0).padStart(7)}  ${`${median(trials.map((t) => t.p99)).toFixed(1)} ms`.padStart(6)}` +
        `  ${`${median(trials.map((t) => t.cpuPerRequest)).toFixed(1)} µs`.padStart(9)}  ${busy.length ? `${(median(busy) * 100).toFixed(0)}%`.padStart(10) : ''.padStart(10)}`,
    );
  };
  row('node', [1], [1], bareTrials, []);
  for (const p of pairs) row(p.name, p.rpsRatios, p.cpuRatios, p.contender, p.busy);
  console.log('');
  for (const p of pairs) if (p.problems > 0) console.log(`${p.name}: ${p.problems} failed or non-2xx responses during its cycles`);
  console.log(`OpenTelemetry exported ${sink.stats.exports} OTLP requests (${(sink.stats.bytes / 1024 / 1024).toFixed(1)} MiB) to the sink`);
  for (const p of problems) console.log(`LEFT BEHIND: ${p}`);
  if (problems.length === 0) console.log('every contender stopped cleanly (checked by PID)');
});
