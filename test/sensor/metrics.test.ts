// The health samples a worker's sensor sends its supervisor each interval, from a real service
// forked with the sensor preloaded and an IPC channel, as `suture run` starts its workers: request
// counts, latencies, event-loop delay, heap, RSS and GC, each reflecting what the service did.

import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { MetricsSample, SensorMessage } from '../../src/model/messages.js';
import { ROOT, tempDir, waitFor } from '../helpers/suture.js';

const SENSOR = path.join(ROOT, 'dist', 'sensor', 'index.js');
const INTERVAL_MS = 200;

// /block holds the event loop for 150 ms; /slow answers after 60 ms; /gc forces full collections.
const SERVICE = `
import http from 'node:http';
const server = http.createServer((req, res) => {
  if (req.url === '/block') { const until = Date.now() + 150; while (Date.now() < until); }
  if (req.url === '/gc') { for (let i = 0; i < 3; i++) globalThis.gc(); }
  if (req.url === '/fail') { res.statusCode = 503; }
  const answer = () => res.setHeader('content-type', 'application/json').end('{"ok":true}');
  if (req.url === '/slow') setTimeout(answer, 60); else answer();
});
server.listen(0, '127.0.0.1', () => process.send({ listening: server.address().port }));
`;

let child: ChildProcess;
let port = 0;
const samples: MetricsSample[] = [];

before(async () => {
  const dir = tempDir();
  const file = path.join(dir, 'service.mjs');
  fs.writeFileSync(file, SERVICE);
  child = fork(file, [], {
    execArgv: ['--expose-gc', '--import', SENSOR],
    env: { ...process.env, SUTURE_SENSOR: JSON.stringify({ intervalMs: INTERVAL_MS }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  child.on('message', (msg: SensorMessage | { listening: number }) => {
    if ('listening' in msg) port = msg.listening;
    else if (msg.suture === 'metrics') samples.push(msg.sample);
  });
  await waitFor('the service to listen', () => port > 0);
});

after(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid!, 'SIGKILL');
    await exited;
  }
});

function get(urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** The samples sent from now until `count` more have arrived. */
async function nextSamples(count: number): Promise<MetricsSample[]> {
  const from = samples.length;
  await waitFor(`${count} metrics samples`, () => samples.length >= from + count, 10_000);
  return samples.slice(from, from + count);
}

test('each interval reports the requests finished in it, the 5xx among them and their latencies', async () => {
  await nextSamples(1);
  const from = samples.length;
  for (let i = 0; i < 5; i++) await get('/ok');
  await get('/slow');
  assert.equal(await get('/fail'), 503);
  await nextSamples(2);
  const window = samples.slice(from);
  const sum = (f: (s: MetricsSample) => number) => window.reduce((n, s) => n + f(s), 0);
  assert.equal(sum((s) => s.requests), 7);
  assert.equal(sum((s) => s.errors5xx), 1);
  const latencies = window.flatMap((s) => s.latencies);
  assert.equal(latencies.length, 7);
  assert.ok(latencies.some((ms) => ms >= 55), `the 60 ms request among ${latencies.join(', ')}`);
  assert.equal(window.at(-1)!.inFlight, 0);
  for (const s of window) assert.equal(s.pid, child.pid);
});

test('a blocked event loop shows in the delay of the interval it happened in', async () => {
  await nextSamples(1);
  const from = samples.length;
  await get('/block');
  await nextSamples(2);
  const worst = Math.max(...samples.slice(from).map((s) => s.loopDelayMaxMs));
  assert.ok(worst >= 100, `event-loop delay max ${worst} ms after a 150 ms block`);
  // Each interval is measured afresh: an idle one afterwards does not carry the block over.
  const [idle] = await nextSamples(1);
  assert.ok(idle!.loopDelayMaxMs < worst, `idle interval max ${idle!.loopDelayMaxMs} ms against ${worst} ms`);
});

test('garbage collections are counted with their pause time, and memory is reported', async () => {
  await nextSamples(1);
  const from = samples.length;
  await get('/gc');
  await nextSamples(2);
  const window = samples.slice(from);
  const count = window.reduce((n, s) => n + s.gcCount, 0);
  const ms = window.reduce((n, s) => n + s.gcMs, 0);
  assert.ok(count >= 3, `${count} collections after three forced full collections`);
  assert.ok(ms > 0, `collections took ${ms} ms`);
  const last = window.at(-1)!;
  assert.ok(last.heapUsed > 0 && last.heapUsed <= last.heapTotal, `heap ${last.heapUsed} of ${last.heapTotal}`);
  assert.ok(last.rss >= last.heapUsed, `rss ${last.rss} against heap used ${last.heapUsed}`);
});
