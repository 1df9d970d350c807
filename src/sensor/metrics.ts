// Samples the worker's health once an interval: event-loop delay, heap, RSS, GC pauses and request
// counts; ships them with a small sample of recent (redacted) traffic.

import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { MetricsSample } from '../model/messages.js';
import type { RequestTracker } from './requests.js';
import { send } from './link.js';

const NS_PER_MS = 1e6;
/** Request durations shipped per interval: enough for a rank test between canary and baseline. */
const LATENCIES_PER_INTERVAL = 200;

export function startMetrics(tracker: RequestTracker, intervalMs: number, samplePerInterval: number): () => void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let gcCount = 0;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMs += entry.duration;
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  const timer = setInterval(() => {
    tracker.sweep();
    const mem = process.memoryUsage();
    const sample: MetricsSample = {
      pid: process.pid,
      at: Date.now(),
      loopDelayMeanMs: (loop.mean || 0) / NS_PER_MS,
      loopDelayP99Ms: loop.percentile(99) / NS_PER_MS,
      loopDelayMaxMs: loop.max / NS_PER_MS,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      rss: mem.rss,
      gcCount,
      gcMs,
      requests: tracker.finishedInInterval,
      errors5xx: tracker.errorsInInterval,
      inFlight: tracker.inFlightCount,
      latencies: tracker.takeLatencies(LATENCIES_PER_INTERVAL),
    };
    loop.reset();
    gcCount = 0;
    gcMs = 0;
    tracker.finishedInInterval = 0;
    tracker.errorsInInterval = 0;
    send({ suture: 'metrics', sample, traffic: tracker.takeSample(samplePerInterval) });
  }, intervalMs);
  timer.unref();

  return () => {
    clearInterval(timer);
    loop.disable();
    gc.disconnect();
  };
}
