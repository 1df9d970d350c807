// Catches what would kill the worker (uncaught exceptions, unhandled rejections), answers the
// request that raised it with a 500 so its client is not left hanging, and reports the fault.
//
// The request is found through its traced async context. Before the worker traces (a service that
// has not faulted yet), a throw during dispatch belongs to the request being dispatched, and a
// fault with one request in flight to that request; otherwise the requests in flight are suspects,
// and any still open well past its route's usual duration, which the faulting one will be, is
// answered 500.

import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FaultAttribution, FaultOrigin, FaultReport } from '../model/fault.js';
import type { RequestContext, RequestTracker } from './requests.js';
import { connected, send } from './link.js';

const BODY_500 = JSON.stringify({ error: 'Internal Server Error' });
/** Long enough for healthy in-flight requests to finish; the faulting one never will. */
export const SUSPECT_GRACE_MS = 5_000;
/** The least time a suspect is given, however fast its route usually is. */
const SUSPECT_FLOOR_MS = 250;
/** Frames of Node's HTTP server that sit under a request handler called synchronously. */
const DISPATCH_FRAME = /\bparserOnIncoming \(node:_http_server/;

function describe(error: unknown): { errorClass: string; message: string; stack: string } {
  if (error instanceof Error) {
    return { errorClass: error.constructor?.name || error.name || 'Error', message: error.message, stack: error.stack ?? '' };
  }
  return { errorClass: error === null ? 'null' : typeof error, message: String(error), stack: '' };
}

/** Answers a request the app can no longer answer. Returns whether a 500 went out. */
function answer500(ctx: RequestContext): boolean {
  const res: ServerResponse | null = ctx.res;
  if (res === null || res.destroyed) return false;
  if (!res.headersSent) {
    res.statusCode = 500;
    res.setHeader('content-type', 'application/json');
    res.setHeader('connection', 'close');
    res.end(BODY_500);
    return true;
  }
  // Half a response is worse than none: cut it so the client sees the failure.
  res.destroy();
  return false;
}

/** Finds the faulting request without a traced context, when that can be done soundly. */
function untracedRequest(tracker: RequestTracker, stack: string): { ctx?: RequestContext; attribution: FaultAttribution } {
  const last = tracker.lastStarted;
  if (last !== undefined && last.res !== null && DISPATCH_FRAME.test(stack)) return { ctx: last, attribution: 'dispatch' };
  tracker.sweep();
  if (tracker.inFlightCount === 1) return { ctx: tracker.inFlight()[0]!, attribution: 'only-in-flight' };
  return { attribution: 'none' };
}

/**
 * Answers the suspects the app will not: each is given until ten times its route's recent p99 (at
 * least SUSPECT_FLOOR_MS), or SUSPECT_GRACE_MS when its route has too little history to say.
 */
function answerSuspectsLater(tracker: RequestTracker): void {
  const faultAt = performance.now();
  const suspects = tracker.inFlight().map((ctx) => {
    const p99 = tracker.routeP99(ctx);
    return { ctx, deadline: p99 === undefined ? faultAt + SUSPECT_GRACE_MS : Math.min(faultAt + SUSPECT_GRACE_MS, Math.max(ctx.start + 10 * p99, faultAt + SUSPECT_FLOOR_MS)) };
  });
  if (suspects.length === 0) return;
  const check = setInterval(() => {
    const now = performance.now();
    let open = 0;
    for (const s of suspects) {
      if (s.ctx.res === null) continue;
      if (now < s.deadline) {
        open++;
        continue;
      }
      s.ctx.faulted = true;
      answer500(s.ctx);
      tracker.settle(s.ctx, 500);
    }
    if (open === 0) clearInterval(check);
  }, 50);
  check.unref();
}

export function installFaultHandlers(tracker: RequestTracker): void {
  const onFault = (error: unknown, origin: FaultOrigin): void => {
    const described = describe(error);
    const traced = tracker.tracing;
    let ctx = tracker.current();
    let attribution: FaultAttribution = 'context';
    if (ctx === undefined) {
      if (traced) attribution = 'none';
      else ({ ctx, attribution } = untracedRequest(tracker, described.stack));
    }
    let answered500 = false;
    if (ctx !== undefined) {
      ctx.faulted = true;
      answered500 = answer500(ctx);
      tracker.settle(ctx, 500);
    } else if (!traced) {
      answerSuspectsLater(tracker);
    }
    // From the first fault on, every request is traced.
    tracker.tracing = true;
    const fault: FaultReport = { origin, ...described, answered500, attribution, traced, pid: process.pid, at: Date.now() };
    if (ctx !== undefined) fault.request = tracker.record(ctx);
    if (connected()) send({ suture: 'fault', fault });
    else process.stderr.write(`[suture sensor] contained ${origin}: ${fault.stack || fault.message}\n`);
  };
  process.on('uncaughtException', (error) => onFault(error, 'uncaughtException'));
  process.on('unhandledRejection', (reason) => onFault(reason, 'unhandledRejection'));
}
