// Tracks every HTTP request the service handles: its async context (so a fault can be traced back
// to it), a bounded copy of its body, and its outcome. This is the sensor's hot path: one small
// object per request, no closures, no header parsing until a request is actually shipped.

import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { routeOf, type RecordedRequest } from '../model/request.js';
import { redactBody, redactHeaders, redactUrl, type RedactionRules } from './redaction.js';

export interface RequestContext {
  seq: number;
  method: string;
  url: string;
  rawHeaders: string[];
  /** performance.now() at start. */
  start: number;
  /** Allocated on the first body chunk; GET requests never allocate it. */
  chunks: Buffer[] | null;
  bodyBytes: number;
  truncated: boolean;
  /** Set until the response finishes; the fault path needs it to answer. */
  res: ServerResponse | null;
  status: number;
  durationMs: number;
  faulted: boolean;
  /** Refused by a shield: the input of a known fault, not normal traffic, so never sampled. */
  refused: boolean;
}

interface RequestStartMessage {
  request: IncomingMessage;
  response: ServerResponse;
}

const kContext = Symbol('suture.request');
/** performance.now() of the first request seen on a connection. */
const kFirstSeen = Symbol('suture.firstSeen');
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT']);

type WithContext = { [kContext]?: RequestContext };

export class RequestTracker {
  readonly als = new AsyncLocalStorage<RequestContext>();
  /**
   * Whether each request enters its own async context. Off until the service faults (or always,
   * by setting): on Node 20 the promise hooks behind AsyncLocalStorage run for every promise.
   */
  tracing = false;
  /** The request whose start was published last: a synchronous throw in dispatch belongs to it. */
  lastStarted: RequestContext | undefined;
  /** Recently finished requests, oldest overwritten first. */
  private readonly ring: (RequestContext | undefined)[];
  private ringNext = 0;
  private seq = 0;
  /** Requests settled into the ring so far, and how many of them a sample has already looked at. */
  private settled = 0;
  private sampledUpTo = 0;
  private timedUpTo = 0;
  readonly inFlight = new Set<RequestContext>();
  finishedInInterval = 0;
  errorsInInterval = 0;
  draining = false;
  /**
   * A rebalance: connections first seen before `rebalanceFrom` close after their next response, once
   * each, so keep-alive clients reconnect and the cluster's round robin spreads them over every
   * worker. 0 when none is asked for.
   */
  rebalanceFrom = 0;

  constructor(
    private readonly bodyLimit: number,
    bufferSize: number,
    private readonly rules: RedactionRules,
  ) {
    this.ring = new Array(bufferSize);
  }

  install(): void {
    dc.subscribe('http.server.request.start', this.onStart);
    dc.subscribe('http.server.response.finish', this.onFinish);
  }

  /**
   * Captures the body as Node pushes it into this request's stream, so the app reads it unchanged
   * and in its own time. Only requests whose method carries a body are wrapped: patching the
   * shared prototype instead would slow every request's parser path, body or not.
   */
  private captureBody(request: IncomingMessage, ctx: RequestContext): void {
    const push = request.push;
    const limit = this.bodyLimit;
    request.push = function pushWithCapture(this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
      if (chunk !== null) captureChunk(ctx, chunk, encoding, limit);
      return push.call(this, chunk, encoding);
    };
  }

  private readonly onStart = (message: unknown): void => {
    const { request, response } = message as RequestStartMessage;
    const ctx: RequestContext = {
      seq: ++this.seq,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      rawHeaders: request.rawHeaders,
      start: performance.now(),
      chunks: null,
      bodyBytes: 0,
      truncated: false,
      res: response,
      status: 0,
      durationMs: -1,
      faulted: false,
      refused: false,
    };
    (response as ServerResponse & WithContext)[kContext] = ctx;
    if (!BODILESS.has(ctx.method)) this.captureBody(request, ctx);
    this.inFlight.add(ctx);
    // A draining worker answers what it has and lets each connection close behind its response.
    const socket = request.socket as typeof request.socket & { [kFirstSeen]?: number };
    const firstSeen = (socket[kFirstSeen] ??= ctx.start);
    if (this.draining || firstSeen < this.rebalanceFrom) response.shouldKeepAlive = false;
    this.lastStarted = ctx;
    if (this.tracing) this.als.enterWith(ctx);
  };

  private readonly onFinish = (message: unknown): void => {
    const { response } = message as RequestStartMessage;
    const ctx = (response as ServerResponse & WithContext)[kContext];
    if (ctx === undefined) return;
    this.settle(ctx, response.statusCode);
  };

  /** Marks a request done and moves it to the ring of recent requests. */
  settle(ctx: RequestContext, status: number): void {
    if (ctx.res === null) return;
    ctx.status = status;
    ctx.durationMs = performance.now() - ctx.start;
    ctx.res = null;
    this.inFlight.delete(ctx);
    this.finishedInInterval++;
    if (status >= 500) this.errorsInInterval++;
    this.ring[this.ringNext] = ctx;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    this.settled++;
  }

  /** Drops requests whose connection went away without a response (client aborts), so they are not counted as in flight. */
  sweep(): void {
    for (const ctx of this.inFlight) {
      const res = ctx.res;
      if (res === null || res.destroyed || res.writableFinished) this.settle(ctx, res?.statusCode ?? 0);
    }
  }

  current(): RequestContext | undefined {
    return this.als.getStore();
  }

  /**
   * Up to `max` requests finished since the last call, most recently finished first, redacted.
   * Faulted ones are left out (they are shipped with their fault), and so are those a shield refused.
   */
  takeSample(max: number): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const n = this.ring.length;
    const fresh = Math.min(this.settled - this.sampledUpTo, n);
    for (let i = 1; i <= fresh && out.length < max; i++) {
      const ctx = this.ring[(this.ringNext - i + n) % n]!;
      if (!ctx.faulted && !ctx.refused) out.push(this.record(ctx));
    }
    this.sampledUpTo = this.settled;
    return out;
  }

  /**
   * The 99th-percentile duration (ms) of recent requests answered on the same route as `ctx`, or
   * undefined with fewer than 5 of them in the ring.
   */
  routeP99(ctx: RequestContext): number | undefined {
    const route = routeOf(ctx.method, ctx.url);
    const durations: number[] = [];
    for (const other of this.ring) {
      if (other !== undefined && other.status > 0 && other.status < 500 && routeOf(other.method, other.url) === route) durations.push(other.durationMs);
    }
    if (durations.length < 5) return undefined;
    durations.sort((a, b) => a - b);
    return durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.99))];
  }

  /** Durations (ms) of up to `max` requests answered since the last call, most recent first: what a canary is judged on. */
  takeLatencies(max: number): number[] {
    const out: number[] = [];
    const n = this.ring.length;
    const fresh = Math.min(this.settled - this.timedUpTo, n);
    for (let i = 1; i <= fresh && out.length < max; i++) {
      const ctx = this.ring[(this.ringNext - i + n) % n]!;
      if (ctx.status > 0) out.push(Math.round(ctx.durationMs * 100) / 100);
    }
    this.timedUpTo = this.settled;
    return out;
  }

  /** The redacted, shippable form of a request. */
  record(ctx: RequestContext): RecordedRequest {
    const headers = redactHeaders(ctx.rawHeaders, this.rules);
    const rec: RecordedRequest = {
      id: `${process.pid}-${ctx.seq}`,
      method: ctx.method,
      url: redactUrl(ctx.url, this.rules),
      headers,
      startedAt: Math.round(performance.timeOrigin + ctx.start),
    };
    if (ctx.chunks !== null && ctx.bodyBytes > 0) {
      const buf = Buffer.concat(ctx.chunks, ctx.bodyBytes);
      const text = buf.toString('utf8');
      if (Buffer.byteLength(text) === buf.length && !text.includes('\uFFFD')) {
        rec.body = redactBody(text, headers['content-type'], this.rules);
        rec.bodyEncoding = 'utf8';
      } else {
        rec.body = buf.toString('base64');
        rec.bodyEncoding = 'base64';
      }
      if (ctx.truncated) rec.bodyTruncated = true;
    }
    if (ctx.status > 0) rec.status = ctx.status;
    if (ctx.durationMs >= 0) rec.durationMs = Math.round(ctx.durationMs * 100) / 100;
    return rec;
  }
}

/** Marks the request behind this response as refused by a shield. */
export function markRefused(response: ServerResponse): void {
  const ctx = (response as ServerResponse & WithContext)[kContext];
  if (ctx !== undefined) ctx.refused = true;
}

function captureChunk(ctx: RequestContext, chunk: unknown, encoding: BufferEncoding | undefined, limit: number): void {
  const buf = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, encoding) : null;
  if (buf === null) return;
  const room = limit - ctx.bodyBytes;
  if (room <= 0) {
    ctx.truncated = true;
    return;
  }
  const kept = buf.length <= room ? buf : buf.subarray(0, room);
  if (kept.length < buf.length) ctx.truncated = true;
  // A copy: Node may reuse the parser's buffer once the app has consumed the chunk.
  (ctx.chunks ??= []).push(Buffer.from(kept));
  ctx.bodyBytes += kept.length;
}
