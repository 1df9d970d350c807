// Input filters inside the worker: a request on a shielded route whose features match the filter is
// answered 422 before the app sees it. Filters on the body hold the request back until its body has
// arrived, then hand it to the app with the body replayed, unchanged. Until the first filter is
// raised nothing is hooked: an unshielded service pays nothing. HTTP and HTTPS servers are screened.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { featuresOf, matchesFilter, readsBody, SHIELD_STATUS, type Shield } from '../model/shield.js';
import { routeOf } from '../model/request.js';
import { markRefused } from './requests.js';

/** A body larger than this is let through unscreened rather than held in memory. */
const MAX_HELD_BYTES = 1024 * 1024;

const filters = new Map<string, Shield[]>();
let hooked = false;

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

function refuse(res: ServerResponse, shield: Shield): void {
  if (res.headersSent || res.destroyed) return;
  // Recorded as normal traffic, it would teach later filters and patches that this input is normal.
  markRefused(res);
  res.statusCode = SHIELD_STATUS;
  res.setHeader('content-type', 'application/json');
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ error: 'request refused by a Suture shield: it matches the input of a known fault', shield: shield.id, incident: shield.incident }));
}

function firstMatch(shields: Shield[], url: string, body: string | undefined): Shield | undefined {
  const features = featuresOf(url, body);
  return shields.find((s) => matchesFilter(s.filter!, features));
}

/** Holds the body back from the app until it is complete, then decides. */
function screenWithBody(server: http.Server, emit: Emit, req: IncomingMessage, res: ServerResponse, shields: Shield[]): boolean {
  const push = req.push;
  const held: { chunk: unknown; encoding?: BufferEncoding }[] = [];
  let bytes = 0;
  const release = (): void => {
    req.push = push;
    emit.call(server, 'request', req, res);
    for (const h of held) push.call(req, h.chunk, h.encoding);
  };
  req.push = function hold(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) {
      const body = Buffer.concat(held.map((h) => (Buffer.isBuffer(h.chunk) ? h.chunk : Buffer.from(String(h.chunk), h.encoding)))).toString('utf8');
      const match = firstMatch(shields, req.url ?? '/', body);
      if (match) {
        req.push = push;
        refuse(res, match);
        return false;
      }
      release();
      return push.call(req, null);
    }
    held.push({ chunk, encoding });
    bytes += Buffer.isBuffer(chunk) ? chunk.length : String(chunk).length;
    // Too large to hold: hand it over as it is.
    if (bytes > MAX_HELD_BYTES) release();
    return true;
  } as typeof req.push;
  return true;
}

/**
 * Screens a request against the filters raised on its route: answers it 422 when it matches, or
 * holds it until its body can be judged. Returns true when it has taken the request over.
 */
function screenRequest(server: http.Server, emit: Emit, req: IncomingMessage, res: ServerResponse): boolean {
  const shields = filters.get(routeOf(req.method ?? 'GET', req.url ?? '/'));
  if (shields === undefined) return false;
  if (shields.some((s) => readsBody(s.filter!))) return screenWithBody(server, emit, req, res, shields);
  const match = firstMatch(shields, req.url ?? '/', undefined);
  if (match === undefined) return false;
  refuse(res, match);
  req.resume();
  return true;
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  for (const proto of [http.Server.prototype, https.Server.prototype] as unknown as { emit: Emit }[]) {
    const emit = proto.emit;
    proto.emit = function emitScreened(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'request' && filters.size > 0 && screenRequest(this, emit, args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
      return emit.call(this, event, ...args);
    };
  }
}

export function raiseShield(shield: Shield): void {
  if (shield.kind !== 'input-filter' || !shield.filter) return;
  hook();
  const list = (filters.get(shield.filter.route) ?? []).filter((s) => s.id !== shield.id);
  list.push(shield);
  filters.set(shield.filter.route, list);
}

export function liftShield(id: string): void {
  for (const [route, list] of filters) {
    const kept = list.filter((s) => s.id !== id);
    if (kept.length === 0) filters.delete(route);
    else filters.set(route, kept);
  }
}
