// The crash storm bench/availability and bench/shield send: `concurrency` keep-alive clients for a
// number of seconds, exactly `crashShare` of the requests (spread evenly) crash-inducing ones from
// example.crash, the rest cycling example.normal. Counts how each normal and each crash request was
// answered, telling a Suture shield's refusal (422 with the shield's JSON body) from the app's own 422.

import http from 'node:http';
import type { Example, ExampleRequest } from '../../src/examples.js';
import { SHIELD_STATUS } from '../../src/model/shield.js';
import { sleep } from './processes.js';

export const REQUEST_TIMEOUT_MS = 5_000;
/** A client's pause after a refused or reset connection, so a dead port does not swamp the count with sub-millisecond failures. */
export const RECONNECT_PAUSE_MS = 10;

export interface StormOptions {
  seconds: number;
  concurrency: number;
  /** Share of the requests that are crash-inducing, in [0, 1). 0 sends normal traffic only (a warm-up). */
  crashShare: number;
}

/** A request ready to send: its body serialised, its Content-Length set. */
export interface Prepared {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function prepare(req: ExampleRequest): Prepared {
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return { method: req.method, path: req.path, headers, body };
}

/** `shield` names the Suture shield that refused the request, when one did. */
export type Outcome = { status: number; shield?: string } | { error: 'timeout' | 'connection' };

/** Only a 422 body is read: it may be a shield's refusal, which names the shield. */
function shieldOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { shield?: unknown };
    return typeof parsed.shield === 'string' ? parsed.shield : undefined;
  } catch {
    return undefined;
  }
}

/** One request on a keep-alive agent: its status (and refusing shield), or why it got none within REQUEST_TIMEOUT_MS. */
export function send(agent: http.Agent, port: number, req: Prepared): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status === SHIELD_STATUS) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status, shield: shieldOf(Buffer.concat(chunks).toString('utf8')) }));
      } else {
        res.resume();
        res.on('end', () => done({ status }));
      }
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

/** How the crash requests of one kind were answered. */
export interface CrashTally {
  kind: string;
  sent: number;
  /** 500: the fault was contained and the request answered. */
  answered500: number;
  /** Refused by a Suture shield before the app saw it. */
  refused: number;
  /** Anything else: another status, a connection error, a timeout. */
  other: Map<string, number>;
}

export interface Tally {
  normalSent: number;
  /** Answered 2xx-4xx by the service (as it answers when not crashing). */
  normalOk: number;
  normal5xx: number;
  normalConnErrors: number;
  normalTimeouts: number;
  /** Normal requests a Suture shield refused: failures, not counted in normalOk. */
  normalRefused: number;
  crashSent: number;
  crash: CrashTally[];
  /** The longest time, in ms, in which no normal request was answered correctly. */
  longestOutageMs: number;
}

export async function storm(example: Example, port: number, options: StormOptions): Promise<Tally> {
  const { seconds, concurrency, crashShare } = options;
  const normal = example.normal.map(prepare);
  const crash = example.crash.map(prepare);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const t: Tally = {
    normalSent: 0,
    normalOk: 0,
    normal5xx: 0,
    normalConnErrors: 0,
    normalTimeouts: 0,
    normalRefused: 0,
    crashSent: 0,
    crash: example.crash.map((c) => ({ kind: c.kind, sent: 0, answered500: 0, refused: 0, other: new Map() })),
    longestOutageMs: 0,
  };
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
        const i = ++t.crashSent % crash.length;
        const c = t.crash[i]!;
        c.sent++;
        const o = await send(agent, port, crash[i]!);
        if ('status' in o && o.shield !== undefined) c.refused++;
        else if ('status' in o && o.status === 500) c.answered500++;
        else {
          const what = 'status' in o ? String(o.status) : o.error;
          c.other.set(what, (c.other.get(what) ?? 0) + 1);
        }
        if ('error' in o && o.error === 'connection') await sleep(RECONNECT_PAUSE_MS);
        continue;
      }
      const o = await send(agent, port, normal[t.normalSent++ % normal.length]!);
      if ('status' in o && o.shield !== undefined) t.normalRefused++;
      else if ('status' in o && o.status < 500) {
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

export function pct(x: number): string {
  return `${(x * 100).toFixed(x >= 0.9995 && x < 1 ? 3 : 2)}%`;
}

/** Rows of cells as an aligned table: the first column left-aligned, the rest right-aligned. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), ...rows.map(fmt)];
}
