// The request tracker against a real HTTP server in this process: every finished request is
// sampled once, redacted, with its status and a bounded copy of its body, and code running for a
// request (even after a timer) can find that request's context.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_SENSOR_SETTINGS, REDACTED } from '../../src/model/messages.js';
import { redactionRules } from '../../src/sensor/redaction.js';
import type { Shield } from '../../src/model/shield.js';
import { RequestTracker, type RequestContext } from '../../src/sensor/requests.js';
import { liftShield, raiseShield } from '../../src/sensor/shields.js';

const BODY_LIMIT = 64;
const tracker = new RequestTracker(BODY_LIMIT, 32, redactionRules(DEFAULT_SENSOR_SETTINGS.redactHeaders, DEFAULT_SENSOR_SETTINGS.redactFields));
// install() subscribes to diagnostics_channel: once per process.
tracker.tracing = true;
tracker.install();

type Route = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;
const routes = new Map<string, Route>();
/** Resolves when the server has finished the response for a path (after the tracker has seen it). */
const finished = new Map<string, { promise: Promise<void>; resolve: () => void }>();

function expectFinish(path: string): Promise<void> {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  finished.set(path, { promise, resolve });
  return promise;
}

/** An input filter, live for a minute, refusing requests on `route` where `field` is missing. */
function missingFieldFilter(incident: string, route: string, field: string): Shield {
  const now = Date.now();
  return {
    id: `${incident}-filter`,
    incident,
    kind: 'input-filter',
    description: `refuse ${route} where ${field} is missing`,
    raisedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 60_000).toISOString(),
    filter: { route, predicates: [{ path: field, is: 'missing' }] },
  };
}

let server: http.Server;
let base: string;

before(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    // Registered after the server's own finish listener, which publishes http.server.response.finish.
    res.on('finish', () => finished.get(path)?.resolve());
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = routes.get(path);
      if (route) route(req, res, Buffer.concat(chunks));
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  routes.clear();
  finished.clear();
  tracker.takeSample(1000); // start each test with nothing unshipped
});

/** Sends a request and waits until the server side has finished it. */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const done = expectFinish(path.split('?')[0]!);
  const res = await fetch(base + path, init);
  await res.arrayBuffer();
  await done;
  return res;
}

describe('RequestTracker', () => {
  test('takeSample returns a finished POST with its status, redacted headers, URL and body', async () => {
    routes.set('/login', (_req, res) => res.writeHead(201, { 'content-type': 'text/plain' }).end('ok'));
    const body = JSON.stringify({ user: 'ann', password: 'hunter2' });
    const res = await send('/login?next=%2Fhome&token=abc', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret', 'x-trace': 't-1' },
      body,
    });
    assert.equal(res.status, 201);

    const sample = tracker.takeSample(10);
    assert.equal(sample.length, 1);
    const rec = sample[0]!;
    assert.equal(rec.method, 'POST');
    assert.equal(rec.url, `/login?next=%2Fhome&token=${encodeURIComponent(REDACTED)}`);
    assert.equal(rec.status, 201);
    assert.equal(rec.headers.authorization, REDACTED);
    assert.equal(rec.headers['x-trace'], 't-1');
    assert.equal(rec.headers['content-type'], 'application/json');
    assert.equal(rec.bodyEncoding, 'utf8');
    assert.deepEqual(JSON.parse(rec.body!), { user: 'ann', password: REDACTED });
    assert.equal(rec.bodyTruncated, undefined);
    assert.ok(rec.durationMs !== undefined && rec.durationMs >= 0);
    assert.match(rec.id, new RegExp(`^${process.pid}-\\d+$`));
    assert.ok(!JSON.stringify(rec).includes('hunter2'));
    assert.ok(!JSON.stringify(rec).includes('s3cret'));
  });

  test('a rebalance closes each connection open at that moment once, after its next response, and leaves new ones alive', async () => {
    routes.set('/r', (req, res) => res.end(String((req.socket as { remotePort?: number }).remotePort)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ port: string; connection: string | undefined }>((resolve, reject) => {
        const done = expectFinish('/r');
        http
          .get(`${base}/r`, { agent }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => void done.then(() => resolve({ port: body, connection: res.headers.connection })));
          })
          .on('error', reject);
      });
    try {
      const first = await get();
      assert.equal(first.connection, 'keep-alive');
      tracker.rebalanceFrom = performance.now();
      const closing = await get();
      assert.equal(closing.port, first.port, 'the old connection serves one more request');
      assert.equal(closing.connection, 'close');
      const fresh = await get();
      assert.notEqual(fresh.port, first.port, 'the client reconnected');
      assert.equal(fresh.connection, 'keep-alive');
      assert.equal((await get()).port, fresh.port, 'the new connection is kept');
    } finally {
      tracker.rebalanceFrom = 0;
      agent.destroy();
    }
  });

  test('a GET records no body', async () => {
    routes.set('/ping', (_req, res) => res.end('pong'));
    await send('/ping');
    const [rec] = tracker.takeSample(10);
    assert.equal(rec?.url, '/ping');
    assert.equal(rec?.status, 200);
    assert.equal(rec?.body, undefined);
  });

  test('a body over the limit is cut and marked truncated, while the app still receives all of it', async () => {
    let received: Buffer | undefined;
    routes.set('/upload', (_req, res, body) => {
      received = body;
      res.end();
    });
    const body = 'abcdefghij'.repeat(20); // 200 bytes, limit is 64
    await send('/upload', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });

    assert.equal(received?.toString('utf8'), body);
    const [rec] = tracker.takeSample(10);
    assert.equal(rec?.body, body.slice(0, BODY_LIMIT));
    assert.equal(rec?.bodyTruncated, true);
  });

  test('a body of exactly the limit is kept whole and not marked truncated', async () => {
    routes.set('/exact', (_req, res) => res.end());
    const body = 'x'.repeat(BODY_LIMIT);
    await send('/exact', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    const [rec] = tracker.takeSample(10);
    assert.equal(rec?.body, body);
    assert.equal(rec?.bodyTruncated, undefined);
  });

  test('a binary body is recorded as base64', async () => {
    routes.set('/bin', (_req, res) => res.end());
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    await send('/bin', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    const [rec] = tracker.takeSample(10);
    assert.equal(rec?.bodyEncoding, 'base64');
    assert.deepEqual(Buffer.from(rec!.body!, 'base64'), bytes);
  });

  test('current() inside the handler, and inside a timer started by it, is that request', async () => {
    const seen: { sync?: RequestContext; timer?: RequestContext } = {};
    routes.set('/ctx', (_req, res) => {
      seen.sync = tracker.current();
      setTimeout(() => {
        seen.timer = tracker.current();
        res.end();
      }, 1);
    });
    await send('/ctx?n=1', { headers: { 'x-id': 'one' } });

    assert.equal(seen.timer?.url, '/ctx?n=1');
    assert.equal(seen.sync?.url, '/ctx?n=1');
    assert.equal(seen.timer, seen.sync);
    assert.ok(seen.timer!.rawHeaders.includes('one'));
  });

  test('two requests in flight at once each see their own context', async () => {
    let arrived = 0;
    const seen = new Map<string, string | undefined>();
    const handler: Route = (req, res) => {
      arrived++;
      // Each handler waits on its own async chain until both requests are in flight.
      const wait = (): void => {
        if (arrived < 2) return void setImmediate(wait);
        seen.set(req.url!, tracker.current()?.url);
        res.end();
      };
      wait();
    };
    routes.set('/c1', handler);
    routes.set('/c2', handler);
    await Promise.all([send('/c1?who=1'), send('/c2?who=2')]);
    assert.equal(seen.get('/c1?who=1'), '/c1?who=1');
    assert.equal(seen.get('/c2?who=2'), '/c2?who=2');
    assert.equal(tracker.takeSample(10).length, 2);
  });

  test('outside any request there is no context', () => {
    assert.equal(tracker.current(), undefined);
  });

  test('takeSample never returns the same request twice, and returns newest first', async () => {
    routes.set('/one', (_req, res) => res.end());
    routes.set('/two', (_req, res) => res.end());
    await send('/one');
    await send('/two');
    const first = tracker.takeSample(10);
    assert.deepEqual(first.map((r) => r.url), ['/two', '/one']);
    assert.deepEqual(tracker.takeSample(10), []);
    await send('/one?again=1');
    assert.deepEqual(tracker.takeSample(10).map((r) => r.url), ['/one?again=1']);
  });

  test('a request a shield refused is not sampled: it is the input of a known fault, not normal traffic', async () => {
    routes.set('/orders', (_req, res) => res.writeHead(201).end());
    const shield = missingFieldFilter('i1', 'POST /orders', 'body.address');
    raiseShield(shield);
    try {
      const json = { 'content-type': 'application/json' };
      // The app never sees a refused request, so this waits on the client's side only.
      const refused = await fetch(`${base}/orders`, { method: 'POST', headers: json, body: '{"name":"ann"}' });
      await refused.arrayBuffer();
      assert.equal(refused.status, 422);
      assert.equal((await send('/orders', { method: 'POST', headers: json, body: '{"name":"ann","address":"1 Main St"}' })).status, 201);
      assert.deepEqual(tracker.takeSample(10).map((r) => r.status), [201]);
    } finally {
      liftShield(shield.id);
    }
  });

  test('requests in flight are counted until each finishes, in whatever order they finish', async () => {
    const release = new Map<string, () => void>();
    let arrived!: () => void;
    const allArrived = new Promise<void>((resolve) => (arrived = resolve));
    const handler: Route = (req, res) => {
      release.set(req.url!, () => res.end());
      if (release.size === 3) arrived();
    };
    for (const p of ['/f1', '/f2', '/f3']) routes.set(p, handler);
    const before = tracker.inFlightCount;
    const pending = ['/f1', '/f2', '/f3'].map((p) => send(p));
    await allArrived;
    assert.equal(tracker.inFlightCount, before + 3);
    release.get('/f2')!();
    await pending[1];
    assert.equal(tracker.inFlightCount, before + 2);
    assert.deepEqual(
      tracker.inFlight().map((c) => c.url).filter((u) => u.startsWith('/f')).sort(),
      ['/f1', '/f3'],
    );
    release.get('/f1')!();
    release.get('/f3')!();
    await Promise.all(pending);
    assert.equal(tracker.inFlightCount, before);
    const sampled = tracker.takeSample(10).map((r) => r.url);
    assert.equal(sampled.length, 3);
    assert.equal(sampled[2], '/f2', 'the first to finish is the oldest in the sample');
    assert.deepEqual(sampled.slice(0, 2).sort(), ['/f1', '/f3']);
  });

  test('pipelined requests on one connection are each matched to their own response, whatever order the app ends them in', async () => {
    const ends = new Map<string, () => void>();
    let arrived!: () => void;
    const allArrived = new Promise<void>((resolve) => (arrived = resolve));
    const handler: Route = (req, res) => {
      const status = 200 + Number(req.url!.slice(-1));
      ends.set(req.url!, () => res.writeHead(status, { 'content-length': '0' }).end());
      if (ends.size === 3) arrived();
    };
    for (const p of ['/pipe1', '/pipe2', '/pipe3']) routes.set(p, handler);
    const before = tracker.inFlightCount;
    const done = Promise.all(['/pipe1', '/pipe2', '/pipe3'].map((p) => expectFinish(p)));
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    // All three in one write: the server has them in flight together on one connection.
    socket.write(['/pipe1', '/pipe2', '/pipe3'].map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
    try {
      await allArrived;
      assert.equal(tracker.inFlightCount, before + 3);
      // Ended last to first: Node still sends (and finishes) them in request order.
      ends.get('/pipe3')!();
      ends.get('/pipe2')!();
      ends.get('/pipe1')!();
      await done;
      assert.equal(tracker.inFlightCount, before);
      const sampled = tracker.takeSample(10);
      assert.deepEqual(
        sampled.map((r) => [r.url, r.status]).sort(),
        [['/pipe1', 201], ['/pipe2', 202], ['/pipe3', 203]],
      );
      const statuses = () => [...received.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
      for (let i = 0; i < 100 && statuses().length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(statuses(), ['201', '202', '203']);
    } finally {
      socket.destroy();
    }
  });

  test('a request whose client went away unanswered leaves the in-flight count at the next sweep', async () => {
    let arrived!: () => void;
    const came = new Promise<void>((resolve) => (arrived = resolve));
    routes.set('/abandoned', () => arrived()); // never answers
    const before = tracker.inFlightCount;
    const controller = new AbortController();
    const request = fetch(`${base}/abandoned`, { signal: controller.signal }).catch(() => 'aborted');
    await came;
    assert.equal(tracker.inFlightCount, before + 1);
    controller.abort();
    assert.equal(await request, 'aborted');
    // The server learns of the close on its next turn of the event loop.
    for (let i = 0; i < 100 && tracker.inFlightCount > before; i++) {
      await new Promise((r) => setTimeout(r, 10));
      tracker.sweep();
    }
    assert.equal(tracker.inFlightCount, before);
    assert.deepEqual(tracker.takeSample(10), [], 'an unanswered request is not normal traffic');
  });

  test('takeLatencies returns each answered request once, newest first, at most the buffer (32) of them', async () => {
    routes.set('/lat', (_req, res) => res.end());
    tracker.takeLatencies(1000);
    for (let i = 0; i < 3; i++) await send('/lat');
    const three = tracker.takeLatencies(1000);
    assert.equal(three.length, 3);
    assert.ok(three.every((d) => d >= 0 && d < 5_000));
    assert.deepEqual(tracker.takeLatencies(1000), []);
    for (let i = 0; i < 40; i++) await send(`/lat?i=${i}`);
    assert.equal(tracker.takeLatencies(1000).length, 32);
  });

  test("routeP99 is the slow tail of the request's own route, once five of them are remembered", async () => {
    routes.set('/p99/fast', (_req, res) => res.end());
    routes.set('/p99/slow', (_req, res) => void setTimeout(() => res.end(), 40));
    for (let i = 0; i < 4; i++) await send('/p99/slow');
    const probe = (url: string) => ({ method: 'GET', url }) as RequestContext;
    assert.equal(tracker.routeP99(probe('/p99/slow')), undefined, 'four are too few');
    await send('/p99/slow');
    for (let i = 0; i < 10; i++) await send('/p99/fast');
    const slow = tracker.routeP99(probe('/p99/slow'));
    const fast = tracker.routeP99(probe('/p99/fast'));
    assert.ok(slow !== undefined && slow >= 35, `slow route p99 ${slow}`);
    assert.ok(fast !== undefined && fast < slow, `fast route p99 ${fast} is its own, not the slow route's`);
  });

  test('an HTTPS server is tracked and screened like an HTTP one', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-tls-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    if (made.status !== 0) return t.skip('openssl could not make a test certificate');
    const tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => tls.close(() => resolve())));
    const port = (tls.address() as AddressInfo).port;
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port, path, rejectUnauthorized: false, agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    const shield = missingFieldFilter('i2', 'GET /secure/export', 'query.format');
    raiseShield(shield);
    try {
      assert.equal(await get('/secure/export'), 422);
      assert.equal(await get('/secure/export?format=json'), 200);
    } finally {
      liftShield(shield.id);
    }
    // The finish is tracked on the server's side once the client has read the response.
    for (let i = 0; i < 50 && tracker.inFlight().some((c) => c.url.startsWith('/secure/')); i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(tracker.takeSample(10).map((r) => `${r.url} ${r.status}`), ['/secure/export?format=json 200']);
  });

  test('takeSample returns at most the requested number', async () => {
    routes.set('/n', (_req, res) => res.end());
    for (let i = 0; i < 4; i++) await send(`/n?i=${i}`);
    const sample = tracker.takeSample(2);
    assert.deepEqual(sample.map((r) => r.url), ['/n?i=3', '/n?i=2']);
  });

  test(
    'a slow request that finishes after a later request was sampled is still sampled',
    async () => {
      let releaseSlow!: () => void;
      const slowArrived = new Promise<void>((arrived) => {
        routes.set('/slow', (_req, res) => {
          releaseSlow = () => res.end();
          arrived();
        });
      });
      routes.set('/fast', (_req, res) => res.end());
      const slow = send('/slow');
      await slowArrived;
      await send('/fast');
      assert.deepEqual(tracker.takeSample(10).map((r) => r.url), ['/fast']);
      releaseSlow();
      await slow;
      assert.deepEqual(tracker.takeSample(10).map((r) => r.url), ['/slow']);
    },
  );
});
