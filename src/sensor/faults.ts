// Catches what would kill the worker (uncaught exceptions, unhandled rejections), answers the
// request that raised it with a 500 so its client is not left hanging, and reports the fault.

import type { FaultOrigin, FaultReport } from '../model/fault.js';
import type { RequestTracker } from './requests.js';
import { connected, send } from './link.js';

const BODY_500 = JSON.stringify({ error: 'Internal Server Error' });

function describe(error: unknown): { errorClass: string; message: string; stack: string } {
  if (error instanceof Error) {
    return { errorClass: error.constructor?.name || error.name || 'Error', message: error.message, stack: error.stack ?? '' };
  }
  return { errorClass: error === null ? 'null' : typeof error, message: String(error), stack: '' };
}

export function installFaultHandlers(tracker: RequestTracker): void {
  const onFault = (error: unknown, origin: FaultOrigin): void => {
    const ctx = tracker.current();
    let answered500 = false;
    if (ctx !== undefined) {
      ctx.faulted = true;
      const res = ctx.res;
      if (res !== null && !res.destroyed) {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json');
          res.setHeader('connection', 'close');
          res.end(BODY_500);
          answered500 = true;
        } else {
          // Half a response is worse than none: cut it so the client sees the failure.
          res.destroy();
        }
      }
      tracker.settle(ctx, 500);
    }
    const fault: FaultReport = {
      origin,
      ...describe(error),
      answered500,
      pid: process.pid,
      at: Date.now(),
    };
    if (ctx !== undefined) fault.request = tracker.record(ctx);
    if (connected()) send({ suture: 'fault', fault });
    else process.stderr.write(`[suture sensor] contained ${origin}: ${fault.stack || fault.message}\n`);
  };
  process.on('uncaughtException', (error) => onFault(error, 'uncaughtException'));
  process.on('unhandledRejection', (reason) => onFault(reason, 'unhandledRejection'));
}
