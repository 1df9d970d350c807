// A lean closed-loop HTTP/1.1 load generator for the overhead benchmark: N keep-alive connections,
// each sending the next request as soon as the previous response has fully arrived. autocannon
// spends more CPU per request than the service it measures (about 80 µs against 60–70 µs here), so
// two of it on one CPU cannot saturate two services on the other; this spends a few µs: one
// pre-encoded request, one write per request, and only the status line and Content-Length of
// each response are read.
//
// Prints `ready` once connected, starts on the first line read from stdin (so two of them start
// together), and prints the result as one JSON line: requests answered in the window, errors,
// non-2xx answers and the 99th-percentile latency in ms.
//
//   node bench/overhead/load.mjs <url> <connections> <seconds> [method] [headers-json] [body]

import net from 'node:net';
import { performance } from 'node:perf_hooks';

const [url, connArg, secondsArg, method = 'GET', headersArg = '{}', body = ''] = process.argv.slice(2);
const connections = Number(connArg);
const seconds = Number(secondsArg);
if (!url || !(connections >= 1) || !(seconds > 0)) {
  process.stderr.write('usage: load.mjs <url> <connections> <seconds> [method] [headers-json] [body]\n');
  process.exit(2);
}
const target = new URL(url);
if (target.protocol !== 'http:') {
  process.stderr.write(`load.mjs: only http: URLs, not ${target.protocol}\n`);
  process.exit(2);
}
const port = Number(target.port || 80);
const headers = { host: target.host, connection: 'keep-alive', ...JSON.parse(headersArg) };
if (body !== '') headers['content-length'] = String(Buffer.byteLength(body));
const request = Buffer.from(
  `${method} ${target.pathname}${target.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n${body}`,
);

const HEADER_END = Buffer.from('\r\n\r\n');
const stats = { requests: 0, errors: 0, non2xx: 0 };
/** Latencies in 0.1 ms buckets up to 10 s; the last bucket holds everything slower. */
const histogram = new Uint32Array(100_001);
let measuring = false;
let stopping = false;

function fail(message) {
  process.stderr.write(`load.mjs: ${message}\n`);
  process.exit(1);
}

/** One keep-alive connection, one request at a time. */
function open() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname, port, noDelay: true });
    let pending = null;
    let sentAt = 0;
    /** Bytes of the current response still to come once its headers are read; -1 while reading headers. */
    let remaining = -1;
    let status = 0;
    const send = () => {
      if (stopping) return socket.end();
      sentAt = performance.now();
      socket.write(request);
    };
    const done = () => {
      if (measuring) {
        stats.requests++;
        if (status < 200 || status > 299) stats.non2xx++;
        histogram[Math.min(histogram.length - 1, Math.round((performance.now() - sentAt) * 10))]++;
      }
      remaining = -1;
      send();
    };
    socket.on('data', (chunk) => {
      let data = pending === null ? chunk : Buffer.concat([pending, chunk]);
      pending = null;
      while (data.length > 0) {
        if (remaining < 0) {
          const end = data.indexOf(HEADER_END);
          if (end < 0) {
            pending = data;
            return;
          }
          const head = data.toString('latin1', 0, end);
          status = Number(head.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (length === null) fail('the service answered without Content-Length; this generator reads only such responses');
          remaining = Number(length[1]);
          data = data.subarray(end + HEADER_END.length);
        }
        const take = Math.min(remaining, data.length);
        remaining -= take;
        data = data.subarray(take);
        if (remaining === 0) done();
      }
    });
    socket.on('error', () => {
      if (measuring) stats.errors++;
    });
    socket.on('close', () => {
      if (!stopping) fail('the service closed a connection mid-run');
    });
    socket.once('connect', () => resolve({ socket, send }));
  });
}

const conns = await Promise.all(Array.from({ length: connections }, open));
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
measuring = true;
for (const c of conns) c.send();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
measuring = false;
stopping = true;

let seen = 0;
let p99 = 0;
const total = stats.requests;
for (let i = 0; i < histogram.length; i++) {
  seen += histogram[i];
  if (seen >= total * 0.99) {
    p99 = i / 10;
    break;
  }
}
process.stdout.write(`${JSON.stringify({ ...stats, p99 })}\n`);
for (const c of conns) c.socket.destroy();
process.exit(0);
