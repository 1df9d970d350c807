// Graceful stop on the supervisor's word: stop accepting, let in-flight requests finish, close
// each connection behind its last response, then exit. Used for recycling and for shutdown.

import net from 'node:net';
import type { RequestTracker } from './requests.js';
import { send } from './link.js';

const servers = new Set<net.Server>();

/** Remembers every server the app starts listening, so a drain can close them all. */
export function trackServers(): void {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenTracked(this: net.Server, ...args: unknown[]) {
    servers.add(this);
    this.once('close', () => servers.delete(this));
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
}

export function drain(tracker: RequestTracker, timeoutMs: number): void {
  if (tracker.draining) return;
  tracker.draining = true;
  for (const server of servers) {
    server.close();
    (server as net.Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
  }
  for (const ctx of tracker.inFlight) if (ctx.res !== null) ctx.res.shouldKeepAlive = false;

  const deadline = Date.now() + timeoutMs;
  const check = setInterval(() => {
    tracker.sweep();
    for (const server of servers) (server as net.Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
    if (tracker.inFlight.size > 0 && Date.now() < deadline) return;
    clearInterval(check);
    // Tell the supervisor before going, then exit whatever timers the app still holds.
    send({ suture: 'drained', pid: process.pid }, () => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  }, 20);
}
