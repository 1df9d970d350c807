// Throughput overhead of running a service under Suture, against the same service bare and under
// OpenTelemetry's Node SDK auto-instrumentation, one worker each, measured with autocannon on the
// example's cheap JSON endpoint. Contenders are interleaved over several rounds; medians are compared.
//
//   node --import tsx bench/overhead/run.ts [--example orders] [--rounds 5] [--seconds 10] [--warmup 2] [--connections 32]

import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadExample } from '../../src/examples.js';
import { startPlain, startSuture, type Contender } from '../lib/contenders.js';
import { BENCH_DIR, cpuMicros, freePort, machine, median, REPO_DIR, runBenchmark } from '../lib/processes.js';

const { values: opts } = parseArgs({
  options: {
    example: { type: 'string', default: 'orders' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
  },
});
const rounds = Number(opts.rounds);
const seconds = Number(opts.seconds);
const warmup = Number(opts.warmup);
const connections = Number(opts.connections);
if (!(rounds >= 1 && rounds <= 20) || !(seconds >= 1 && seconds <= 120) || !(warmup >= 0 && warmup <= 60) || !(connections >= 1 && connections <= 1024)) {
  throw new Error('--rounds in [1, 20], --seconds in [1, 120], --warmup in [0, 60], --connections in [1, 1024]');
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
  rps: number;
  /** Server CPU (every process of the contender) per request, microseconds: steadier than throughput on a noisy machine. */
  cpuPerRequest: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function load(port: number, durationS: number): Promise<autocannon.Result> {
  const req = example.json;
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  return autocannon({
    url: `http://127.0.0.1:${port}${req.path}`,
    method: req.method as autocannon.Request['method'],
    headers: req.headers,
    body,
    connections,
    duration: durationS,
    timeout: 5,
  });
}

interface ContenderSpec {
  name: string;
  start(): Promise<Contender>;
  trials: Trial[];
}

runBenchmark(async () => {
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
  const specs: ContenderSpec[] = [
    { name: 'node', start: () => startPlain(example), trials: [] },
    { name: 'suture run -w 1', start: () => startSuture(example, 1), trials: [] },
    // The same, tracing request context from the start, as a service that has faulted is run.
    { name: 'suture, traced', start: () => startSuture(example, 1, 'suture', { recording: { traceContext: 'always' } }), trials: [] },
    { name: 'node + otel auto', start: () => startPlain(example, ['--import', OTEL_SETUP], otelEnv, 'otel'), trials: [] },
  ];

  const req = example.json;
  console.log(`Throughput overhead — example "${example.name}", ${req.method} ${req.path}, autocannon ${connections} connections, one worker each`);
  console.log('compared: bare node | suture run --workers 1 (supervisor + cluster round-robin + sensor; request context traced from the first fault on, the default) | the same with recording.traceContext "always" | node --import bench/overhead/otel-setup.mjs (OpenTelemetry auto-instrumentation, ESM hook + register)');
  console.log(`OpenTelemetry: SDK defaults (BatchSpanProcessor, all default auto-instrumentations), spans exported as OTLP/HTTP protobuf to a discarding sink on 127.0.0.1:${sink.port}`);
  console.log(`${rounds} rounds × ${seconds} s (after ${warmup} s warm-up), contenders interleaved, a fresh process per trial; medians compared`);
  console.log(`machine: ${machine()}, ${new Date().toISOString()}`);
  console.log('');

  const problems: string[] = [];
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contender always runs first or last.
    const order = specs.map((_, i) => specs[(i + round) % specs.length]!);
    for (const spec of order) {
      const c = await spec.start();
      try {
        if (warmup > 0) await load(c.port, warmup);
        const pids = await c.pids();
        const cpuBefore = cpuMicros(pids);
        const r = await load(c.port, seconds);
        const cpuPerRequest = (cpuMicros(pids) - cpuBefore) / Math.max(1, r.requests.total);
        const trial: Trial = { rps: r.requests.average, cpuPerRequest, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
        spec.trials.push(trial);
        console.log(
          `round ${round + 1}  ${spec.name.padEnd(17)} ${trial.rps.toFixed(0).padStart(7)} req/s  p99 ${String(trial.p99).padStart(4)} ms  ${trial.cpuPerRequest.toFixed(1).padStart(6)} µs CPU/req` +
            (trial.errors || trial.non2xx ? `  (${trial.errors} errors, ${trial.non2xx} non-2xx)` : ''),
        );
      } finally {
        problems.push(...(await c.stop()));
      }
    }
  }
  await sink.close();

  // Two views of the same trials: the ratio of medians, and the median of each round's ratio (the
  // contenders of one round ran minutes apart at most, so background load hits them alike).
  const bare = median(specs[0]!.trials.map((t) => t.rps));
  // CPU per request is the steadier view on a shared machine: bare node's CPU over the contender's, so 1.0 is free.
  const bareCpu = median(specs[0]!.trials.map((t) => t.cpuPerRequest));
  console.log('');
  console.log(`${'contender'.padEnd(17)} ${'median req/s'.padStart(12)}  ${'vs node'.padStart(7)}  ${'per-round ratios (median, range)'.padStart(32)}  ${'median p99'.padStart(10)}  ${'CPU/req'.padStart(9)}  ${'bare/CPU'.padStart(8)}`);
  for (const spec of specs) {
    const rps = median(spec.trials.map((t) => t.rps));
    const p99 = median(spec.trials.map((t) => t.p99));
    const perRound = spec.trials.map((t, i) => t.rps / specs[0]!.trials[i]!.rps);
    const range = `${median(perRound).toFixed(3)} (${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)})`;
    const cpu = median(spec.trials.map((t) => t.cpuPerRequest));
    console.log(
      `${spec.name.padEnd(17)} ${rps.toFixed(0).padStart(12)}  ${(rps / bare).toFixed(3).padStart(7)}  ${range.padStart(32)}  ${`${p99} ms`.padStart(10)}` +
        `  ${`${cpu.toFixed(1)} µs`.padStart(9)}  ${(bareCpu / cpu).toFixed(3).padStart(8)}`,
    );
  }
  console.log('');
  console.log(`OpenTelemetry exported ${sink.stats.exports} OTLP requests (${(sink.stats.bytes / 1024 / 1024).toFixed(1)} MiB) to the sink`);
  for (const p of problems) console.log(`LEFT BEHIND: ${p}`);
  if (problems.length === 0) console.log('every contender stopped cleanly (checked by PID)');
});
