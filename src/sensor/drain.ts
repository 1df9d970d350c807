// Graceful stop on the supervisor's word: stop accepting, let in-flight requests finish, close
// each connection behind its last response, then exit. Used for recycling and for shutdown.
//
// Idle keep-alive connections are not cut: a server closing a socket at the instant a client reuses
// it makes that request fail. Instead each request still arriving on one is answered with
// `Connection: close`, and clients drop idle sockets before the server's keep-alive timeout (the
// `Keep-Alive: timeout` hint Node sends), so the worker exits once every connection is gone.

import net from 'node:net';
import type { RequestTracker } from './requests.js';
import { send } from './link.js';

const servers = new Set<net.Server>();

/** Remembers every server the app starts listening, so a drain can close them all. */
export function trackServers(): void {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenTracked(this: net.Server, ...args: unknown[]) {
    servers.add(this);
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
}

export function drain(tracker: RequestTracker, timeoutMs: number): void {
  if (tracker.draining) return;
  tracker.draining = true;
  let open = servers.size;
  for (const server of servers) {
    // net's close, not http's: http.Server#close would also cut idle keep-alive connections.
    net.Server.prototype.close.call(server, () => open--);
  }
  for (const ctx of tracker.inFlight()) if (ctx.res !== null) ctx.res.shouldKeepAlive = false;

  const deadline = Date.now() + timeoutMs;
  const check = setInterval(() => {
    tracker.sweep();
    if ((tracker.inFlightCount > 0 || open > 0) && Date.now() < deadline) return;
    clearInterval(check);
    // Tell the supervisor before going, then exit whatever timers the app still holds.
    send({ suture: 'drained', pid: process.pid }, () => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  }, 20);
}
