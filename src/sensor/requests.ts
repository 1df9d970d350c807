// Tracks every HTTP request the service handles: its async context (so a fault can be traced back
// to it), a bounded copy of its body, and its outcome. This is the sensor's hot path. Per request it
// allocates one small object and adds no property to Node's objects: a request is found again at
// its finish through its connection, whose slot for it was made when the connection was accepted
// (a property added to every response would cost a hidden-class transition and a property store
// allocation per request, measurably). Requests in flight are a linked list, not a Set, and what
// is kept after a request finishes is numbers, so nothing of it outlives the young generation but
// the last few requests kept whole for the traffic sample.
// Requests are seen through Node's diagnostics_channel (`http.server.request.start`, published
// before the server emits 'request', and `http.server.response.finish`), for HTTP and HTTPS alike.

import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { routeOf, type RecordedRequest } from '../model/request.js';
import { redactBody, redactHeaders, redactUrl, type RedactionRules } from './redaction.js';

/** One request, from its start until it leaves the tracker. */
export class RequestContext {
  /** Allocated on the first body chunk; GET requests never allocate it. */
  chunks: Buffer[] | null = null;
  bodyBytes = 0;
  truncated = false;
  status = 0;
  durationMs = -1;
  faulted = false;
  /** Refused by a shield: the input of a known fault, not normal traffic, so never sampled. */
  refused = false;
  /** Neighbours in the tracker's list of requests in flight. */
  prev: RequestContext | null = null;
  next: RequestContext | null = null;
  /** The next request in flight on the same connection (pipelined), answered after this one. */
  nextOnSocket: RequestContext | null = null;

  constructor(
    readonly seq: number,
    readonly method: string,
    readonly url: string,
    readonly rawHeaders: string[],
    /** performance.now() at start. */
    readonly start: number,
    /** Set until the response finishes; the fault path needs it to answer. */
    public res: ServerResponse | null,
  ) {}
}

interface RequestMessage {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

/** performance.now() when a connection was accepted. */
const kAccepted = Symbol('suture.accepted');
/** On a connection: the first of its requests still in flight; HTTP/1.1 answers them in order. */
const kRequests = Symbol('suture.requests');

type Stamped = Socket & { [kAccepted]?: number; [kRequests]?: RequestContext | null };

function hasBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && method !== 'TRACE' && method !== 'CONNECT';
}

export class RequestTracker {
  readonly als = new AsyncLocalStorage<RequestContext>();
  /**
   * Whether each request enters its own async context. Off until the service faults (or always,
   * by setting): on Node 20 the promise hooks behind AsyncLocalStorage run for every promise.
   */
  tracing = false;
  /** The request whose start was published last: a synchronous throw in dispatch belongs to it. */
  lastStarted: RequestContext | undefined;
  private seq = 0;
  /** Requests in flight: a doubly linked list, newest at the head. */
  private head: RequestContext | null = null;
  private open = 0;
  /** Durations, statuses and request lines of recently finished requests, oldest overwritten first. */
  private readonly durations: Float64Array;
  private readonly statuses: Uint16Array;
  private readonly methods: string[];
  private readonly urls: string[];
  private next = 0;
  /** Requests finished so far, and how many of them a latency sample has already looked at. */
  private finished = 0;
  private timedUpTo = 0;
  /** The last requests finished whole (not faulted, not refused): the traffic sample's candidates. */
  private readonly kept: (RequestContext | undefined)[];
  private keptNext = 0;
  private keptTotal = 0;
  private sampledUpTo = 0;
  finishedInInterval = 0;
  errorsInInterval = 0;
  draining = false;
  /**
   * A rebalance: connections accepted before `rebalanceFrom` close after their next response, once
   * each, so keep-alive clients reconnect and the cluster's round robin spreads them over every
   * worker. 0 when none is asked for.
   */
  rebalanceFrom = 0;

  /**
   * `bufferSize` finished requests are remembered by their duration (latencies, a route's p99);
   * the last `sampleSize` of them whole, for the traffic sample.
   */
  constructor(
    private readonly bodyLimit: number,
    bufferSize: number,
    private readonly rules: RedactionRules,
    sampleSize = 20,
  ) {
    this.durations = new Float64Array(bufferSize);
    this.statuses = new Uint16Array(bufferSize);
    this.methods = new Array<string>(bufferSize).fill('');
    this.urls = new Array<string>(bufferSize).fill('');
    this.kept = new Array(Math.max(1, sampleSize));
  }

  install(): void {
    dc.subscribe('net.server.socket', onAccepted);
    dc.subscribe('http.server.request.start', this.onStart);
    dc.subscribe('http.server.response.finish', this.onFinish);
  }

  private readonly onStart = (message: unknown): void => {
    const { request, response, socket } = message as RequestMessage;
    this.start(request, response, socket);
  };

  private readonly onFinish = (message: unknown): void => {
    const { response, socket } = message as RequestMessage;
    this.finish(response, socket);
  };

  /** Requests in flight. */
  get inFlightCount(): number {
    return this.open;
  }

  /** The requests in flight, newest first. */
  inFlight(): RequestContext[] {
    const out: RequestContext[] = [];
    for (let ctx = this.head; ctx !== null; ctx = ctx.next) out.push(ctx);
    return out;
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

  /** A request has reached its server. */
  start(request: IncomingMessage, response: ServerResponse, socket: Socket = request.socket): void {
    const method = request.method ?? 'GET';
    const ctx = new RequestContext(++this.seq, method, request.url ?? '/', request.rawHeaders, performance.now(), response);
    const stamped = socket as Stamped;
    const first = stamped[kRequests];
    if (first === undefined || first === null) stamped[kRequests] = ctx;
    else {
      let last = first;
      while (last.nextOnSocket !== null) last = last.nextOnSocket;
      last.nextOnSocket = ctx;
    }
    if (hasBody(method)) this.captureBody(request, ctx);
    const head = this.head;
    if (head !== null) head.prev = ctx;
    ctx.next = head;
    this.head = ctx;
    this.open++;
    // A draining worker answers what it has and lets each connection close behind its response.
    if (this.draining || (this.rebalanceFrom !== 0 && (stamped[kAccepted] ?? Infinity) < this.rebalanceFrom)) {
      response.shouldKeepAlive = false;
    }
    this.lastStarted = ctx;
    if (this.tracing) this.als.enterWith(ctx);
  }

  /** A response has been handed to the operating system whole. */
  finish(response: ServerResponse, socket: Socket = response.req.socket): void {
    const ctx = takeFromSocket(socket, response);
    if (ctx !== null) this.settle(ctx, response.statusCode);
  }

  /** Marks a request done: out of the in-flight list, its duration remembered. */
  settle(ctx: RequestContext, status: number): void {
    if (ctx.res === null) return;
    ctx.status = status;
    ctx.durationMs = performance.now() - ctx.start;
    ctx.res = null;
    const { prev, next } = ctx;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next !== null) next.prev = prev;
    ctx.prev = ctx.next = null;
    if (this.lastStarted === ctx) this.lastStarted = undefined;
    this.open--;
    this.finishedInInterval++;
    if (status >= 500) this.errorsInInterval++;
    const i = this.next;
    this.durations[i] = ctx.durationMs;
    this.statuses[i] = status;
    this.methods[i] = ctx.method;
    this.urls[i] = ctx.url;
    this.next = i + 1 === this.durations.length ? 0 : i + 1;
    this.finished++;
    if (status > 0 && !ctx.faulted && !ctx.refused) {
      this.kept[this.keptNext] = ctx;
      this.keptNext = (this.keptNext + 1) % this.kept.length;
      this.keptTotal++;
    }
  }

  /** Drops requests whose connection went away without a response (client aborts), so they are not counted as in flight. */
  sweep(): void {
    for (let ctx = this.head; ctx !== null; ) {
      const next = ctx.next;
      const res = ctx.res;
      // A response destroyed before it finished was never answered: status 0.
      if (res === null || res.writableFinished) this.settle(ctx, res?.statusCode ?? 0);
      else if (res.destroyed) this.settle(ctx, 0);
      ctx = next;
    }
  }

  current(): RequestContext | undefined {
    return this.als.getStore();
  }

  /**
   * Up to `max` requests finished since the last call, most recently finished first, redacted.
   * Faulted ones are left out (they are shipped with their fault), and so are those a shield
   * refused and those never answered. At most the tracker's sample size are remembered between calls.
   */
  takeSample(max: number): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    const n = this.kept.length;
    const fresh = Math.min(this.keptTotal - this.sampledUpTo, n, max);
    for (let i = 1; i <= fresh; i++) out.push(this.record(this.kept[(this.keptNext - i + n) % n]!));
    this.sampledUpTo = this.keptTotal;
    return out;
  }

  /**
   * The 99th-percentile duration (ms) of recent requests answered on the same route as `ctx`, or
   * undefined with fewer than 5 of them remembered.
   */
  routeP99(ctx: RequestContext): number | undefined {
    const route = routeOf(ctx.method, ctx.url);
    const durations: number[] = [];
    const n = Math.min(this.finished, this.durations.length);
    for (let i = 0; i < n; i++) {
      const status = this.statuses[i]!;
      if (status > 0 && status < 500 && routeOf(this.methods[i]!, this.urls[i]!) === route) durations.push(this.durations[i]!);
    }
    if (durations.length < 5) return undefined;
    durations.sort((a, b) => a - b);
    return durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.99))];
  }

  /** Durations (ms) of up to `max` requests answered since the last call, most recent first: what a canary is judged on. */
  takeLatencies(max: number): number[] {
    const out: number[] = [];
    const n = this.durations.length;
    const fresh = Math.min(this.finished - this.timedUpTo, n);
    for (let i = 1; i <= fresh && out.length < max; i++) {
      const at = (this.next - i + n) % n;
      if (this.statuses[at]! > 0) out.push(Math.round(this.durations[at]! * 100) / 100);
    }
    this.timedUpTo = this.finished;
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

/**
 * Stamps each accepted connection with its time, for rebalancing, and makes its slot for requests
 * in flight, so that no request adds a property to it. (An HTTPS request's socket is the TLS socket
 * wrapping this one: it gets its slot from its first request.)
 */
function onAccepted(message: unknown): void {
  const socket = (message as { socket: Stamped }).socket;
  socket[kAccepted] = performance.now();
  socket[kRequests] = null;
}

/** This response's request among those in flight on its connection, or null. */
function findOnSocket(socket: Socket | null, response: ServerResponse): RequestContext | null {
  let ctx = socket === null ? null : ((socket as Stamped)[kRequests] ?? null);
  while (ctx !== null && ctx.res !== response) ctx = ctx.nextOnSocket;
  return ctx;
}

/**
 * Takes this response's request off its connection's list, with any before it already settled
 * (answered by a fault handler or swept), and returns it; null if it is not there.
 */
function takeFromSocket(socket: Socket | null, response: ServerResponse): RequestContext | null {
  if (socket === null) return null;
  const stamped = socket as Stamped;
  let prev: RequestContext | null = null;
  let ctx = stamped[kRequests] ?? null;
  while (ctx !== null) {
    const next = ctx.nextOnSocket;
    const found = ctx.res === response;
    if (found || ctx.res === null) {
      if (prev === null) stamped[kRequests] = next;
      else prev.nextOnSocket = next;
      ctx.nextOnSocket = null;
      if (found) return ctx;
    } else prev = ctx;
    ctx = next;
  }
  return null;
}

/** Marks the request behind this response as refused by a shield. */
export function markRefused(response: ServerResponse): void {
  const ctx = findOnSocket(response.req.socket, response);
  if (ctx !== null) ctx.refused = true;
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
