// The IPC protocol between the sensor (inside a worker) and the supervisor.
// Every message carries `suture: <kind>` so it never collides with the app's own IPC or Node's cluster messages.

import type { FaultReport } from './fault.js';
import type { RecordedRequest } from './request.js';
import type { Shield } from './shield.js';

export interface MetricsSample {
  pid: number;
  at: number;
  /** Event-loop delay over the last interval, milliseconds. */
  loopDelayMeanMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  /** GC pauses during the interval. */
  gcCount: number;
  gcMs: number;
  /** Requests finished during the interval, and how many of them were 5xx. */
  requests: number;
  errors5xx: number;
  inFlight: number;
  /** Durations (ms) of requests answered during the interval, most recent first, at most 200. */
  latencies: number[];
}

export type SensorMessage =
  | { suture: 'hello'; pid: number; sensorVersion: string }
  | { suture: 'fault'; fault: FaultReport }
  | { suture: 'metrics'; sample: MetricsSample; traffic: RecordedRequest[] }
  | { suture: 'drained'; pid: number }
  /** The oracle wrote its coverage since the last take (NODE_V8_COVERAGE) and reset the counters. */
  | { suture: 'coverage-taken'; seq: number };

export type SupervisorMessage =
  /** Stop accepting, finish in-flight requests, then exit. */
  | { suture: 'drain'; timeoutMs: number }
  /** Oracle only: write V8 coverage collected since the last take, then reset it. */
  | { suture: 'take-coverage'; seq: number }
  /** Start tracing each request's async context (the service has faulted). */
  | { suture: 'trace-context' }
  /**
   * Close each connection open now after its next response, once: keep-alive clients reconnect and
   * the cluster's round robin spreads them over every worker, a new canary included.
   */
  | { suture: 'rebalance' }
  /** Raise an input filter now (execution transactions reach new workers through their settings). */
  | { suture: 'shield'; shield: Shield }
  | { suture: 'shield-lift'; id: string };

export function isSensorMessage(msg: unknown): msg is SensorMessage {
  return typeof msg === 'object' && msg !== null && typeof (msg as { suture?: unknown }).suture === 'string';
}

/** Settings the supervisor hands to the sensor through the SUTURE_SENSOR environment variable (JSON). */
export interface SensorSettings {
  /** Largest request body kept, bytes. */
  bodyLimit: number;
  /** Header names (lower case) whose values are redacted. */
  redactHeaders: string[];
  /** Body and query field names matched case-insensitively as substrings, redacted. */
  redactFields: string[];
  /** What happens to a worker after a fault: recycle it (default) or keep it serving. */
  containment: 'recycle' | 'continue';
  /** Ring buffer size for recorded requests. */
  bufferSize: number;
  /** Normal requests shipped to the supervisor per metrics interval, at most. */
  samplePerInterval: number;
  /** Metrics interval, milliseconds. */
  intervalMs: number;
  /**
   * Trace each request's async context from the start (`always`), or only once the service has
   * faulted (`on-fault`): on Node 20 the promise hooks behind that context cost most of the
   * sensor's CPU, and a healthy service never needs it.
   */
  traceContext: 'always' | 'on-fault';
  /** Live shields up when the worker starts. */
  shields: Shield[];
}

export const DEFAULT_SENSOR_SETTINGS: SensorSettings = {
  bodyLimit: 16 * 1024,
  redactHeaders: ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token'],
  redactFields: ['password', 'passwd', 'token', 'secret', 'apikey', 'api_key', 'api-key', 'authorization', 'credential'],
  containment: 'recycle',
  bufferSize: 256,
  samplePerInterval: 20,
  intervalMs: 1000,
  traceContext: 'on-fault',
  shields: [],
};

export const REDACTED = '[REDACTED]';
