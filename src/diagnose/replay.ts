// Replays an incident's triggering requests against an oracle and says whether the fault comes back.

import type { Incident, ReproStatus } from '../model/fault.js';
import { FaultIntake } from './intake.js';
import { Oracle, type OracleOptions } from './oracle.js';

export interface ReplayAttempt {
  request: { id: string; method: string; url: string };
  status?: number;
  error?: string;
  /** The same fault as the incident (same signature). */
  reproduced: boolean;
  /** Faults raised by the request that are not the incident's. */
  otherFaults: { errorClass: string; message: string }[];
}

export interface ReplayResult {
  incident: string;
  reproduced: ReproStatus;
  attempts: ReplayAttempt[];
  oraclePid: number;
}

/** How long after a response a fault may still arrive (the sensor answers 500 and reports at once, over IPC). */
const FAULT_SETTLE_MS = 500;

export async function replayIncident(
  incident: Incident,
  options: OracleOptions & { times?: number; onProgress?: (line: string) => void } = {},
): Promise<ReplayResult> {
  if (incident.requests.length === 0) {
    throw new Error(`incident ${incident.id} has no recorded request to replay (the fault was raised outside any request)`);
  }
  const intake = new FaultIntake(incident.service.cwd, incident.service);
  const times = Math.max(1, options.times ?? 1);
  const oracle = await Oracle.start(incident.service, options);
  options.onProgress?.(`oracle pid ${oracle.pid} listening on 127.0.0.1:${oracle.port}`);
  const attempts: ReplayAttempt[] = [];
  try {
    for (let round = 0; round < times; round++) {
      for (const req of incident.requests) {
        if (oracle.hasExited) break;
        const before = oracle.faults.length;
        const response = await oracle.send(req);
        // A 500 or a dropped connection is the sign a fault may be on its way; wait for its report.
        const suspicious = response.error !== undefined || (response.status ?? 0) >= 500;
        await oracle.waitForFaults(before + 1, suspicious ? FAULT_SETTLE_MS * 4 : FAULT_SETTLE_MS / 5);
        const raised = oracle.faults.slice(before).map((f) => intake.toRecord(f));
        const attempt: ReplayAttempt = {
          request: { id: req.id, method: req.method, url: req.url },
          reproduced: raised.some((r) => r.signature === incident.signature),
          otherFaults: raised.filter((r) => r.signature !== incident.signature).map((r) => ({ errorClass: r.errorClass, message: r.message })),
        };
        if (response.status !== undefined) attempt.status = response.status;
        if (response.error !== undefined) attempt.error = response.error;
        attempts.push(attempt);
        options.onProgress?.(
          `${req.method} ${req.url} → ${response.status ?? response.error}${attempt.reproduced ? ' (fault reproduced)' : ''}`,
        );
      }
    }
  } finally {
    await oracle.stop();
  }
  const hits = attempts.filter((a) => a.reproduced).length;
  const reproduced: ReproStatus = hits === 0 ? 'never' : hits === attempts.length ? 'always' : 'sometimes';
  return { incident: incident.id, reproduced, attempts, oraclePid: oracle.pid };
}
