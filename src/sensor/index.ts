// The sensor, preloaded into each worker with `node --import suture/sensor`. It records requests,
// contains faults, samples health and obeys the supervisor. It imports nothing heavy: Node built-ins
// and Suture's model types only.

import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SENSOR_SETTINGS, isSensorMessage, type SensorSettings, type SupervisorMessage } from '../model/messages.js';
import { drain, trackServers } from './drain.js';
import { installFaultHandlers } from './faults.js';
import { connected, send } from './link.js';
import { startMetrics } from './metrics.js';
import { redactionRules } from './redaction.js';
import { RequestTracker } from './requests.js';
import { liftShield, raiseShield } from './shields.js';
import { installTransactions } from './transactions.js';

export const SENSOR_VERSION = '1';

function readSettings(): SensorSettings {
  let raw = process.env.SUTURE_SENSOR;
  if (!raw) return DEFAULT_SENSOR_SETTINGS;
  try {
    // Settings too large for the environment (a transaction's source) come in a file.
    if (raw.startsWith('@')) raw = readFileSync(raw.slice(1), 'utf8');
    return { ...DEFAULT_SENSOR_SETTINGS, ...(JSON.parse(raw) as Partial<SensorSettings>) };
  } catch {
    process.stderr.write('[suture sensor] SUTURE_SENSOR is not valid JSON; using default settings\n');
    return DEFAULT_SENSOR_SETTINGS;
  }
}

/** Oracle instances run under NODE_V8_COVERAGE; this writes what ran since the last take and resets it. */
function takeCoverage(seq: number): void {
  if (process.env.NODE_V8_COVERAGE) v8.takeCoverage();
  send({ suture: 'coverage-taken', seq });
}

function install(): void {
  const settings = readSettings();
  const tracker = new RequestTracker(
    settings.bodyLimit,
    settings.bufferSize,
    redactionRules(settings.redactHeaders, settings.redactFields),
    settings.samplePerInterval,
  );
  tracker.tracing = settings.traceContext === 'always';
  for (const shield of settings.shields) raiseShield(shield);
  installTransactions(settings.shields.flatMap((s) => (s.kind === 'transaction' && s.transaction ? [s.transaction] : [])));
  tracker.install();
  trackServers();
  installFaultHandlers(tracker);
  startMetrics(tracker, settings.intervalMs, settings.samplePerInterval);

  if (connected()) {
    // The supervisor owns shutdown: a Ctrl-C reaching the whole process group must not kill
    // workers mid-request; the supervisor drains them instead.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => drain(tracker, 10_000));
    process.on('message', (msg: unknown) => {
      if (!isSensorMessage(msg)) return;
      const m = msg as unknown as SupervisorMessage;
      if (m.suture === 'drain') drain(tracker, m.timeoutMs);
      else if (m.suture === 'take-coverage') takeCoverage(m.seq);
      else if (m.suture === 'trace-context') tracker.tracing = true;
      else if (m.suture === 'shield') raiseShield(m.shield);
      else if (m.suture === 'shield-lift') liftShield(m.id);
      else if (m.suture === 'rebalance') tracker.rebalanceFrom = performance.now();
    });
    // An orphaned worker is a bug: when the supervisor goes, so do we.
    process.on('disconnect', () => drain(tracker, 5_000));
    send({ suture: 'hello', pid: process.pid, sensorVersion: SENSOR_VERSION });
  }
}

install();
