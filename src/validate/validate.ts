// Validates one candidate in its own sandbox: build, the project's tests, the triggering request,
// every earlier faulting request, variants of the trigger, and recorded normal traffic whose
// responses must not change. Everything runs on the sandbox's own port and is stopped by PID.

import path from 'node:path';
import { Oracle, type ReplayResponse } from '../diagnose/oracle.js';
import { maskMessage } from '../diagnose/signature.js';
import type { FaultReport, Incident } from '../model/fault.js';
import type { Candidate, RequestCheck, Validation } from '../model/repair.js';
import type { RecordedRequest } from '../model/request.js';
import { createSandbox } from './sandbox.js';
import { runCommand } from './shell.js';

/** What every candidate of one incident is checked against, measured once on the unpatched project. */
export interface ValidationPlan {
  root: string;
  incident: Incident;
  test: string | null;
  build: string | null;
  baseline: TestBaseline;
  /** Recorded normal requests and the unpatched service's answers to them, in order. */
  normal: RecordedRequest[];
  expected: ReplayResponse[];
  variants: RecordedRequest[];
  /** For each variant, the fault class it raised on the unpatched service, or null. */
  variantBaseline: (string | null)[];
  timeoutMs: number;
}

export interface TestBaseline {
  ok: boolean;
  failures: number | null;
  output: string;
}

/** A fault's class and masked message: the same fault after a patch has moved its line. */
export function faultKind(f: Pick<FaultReport, 'errorClass' | 'message'>): string {
  return `${f.errorClass}: ${maskMessage(f.message)}`;
}

/** Failing test count from the common reporters' summaries, when one can be read. */
export function failureCount(output: string): number | null {
  const patterns = [/^# fail (\d+)/m, /^ℹ fail (\d+)/m, /(\d+) failing/, /Tests\s+(\d+) failed/, /(\d+) failed/];
  for (const p of patterns) {
    const m = p.exec(output);
    if (m) return Number(m[1]);
  }
  return null;
}

export async function measureTests(dir: string, test: string | null, timeoutMs: number): Promise<TestBaseline> {
  if (!test) return { ok: true, failures: 0, output: '' };
  const r = await runCommand(test, dir, timeoutMs);
  return { ok: r.ok, failures: r.ok ? 0 : failureCount(r.output), output: r.timedOut ? `timed out after ${timeoutMs} ms\n${r.output}` : r.output };
}

interface Sent {
  response: ReplayResponse;
  faults: FaultReport[];
}

/** Sends a request and collects the faults it raised (the sensor reports them at once, over IPC). */
export async function sendAndObserve(oracle: Oracle, req: RecordedRequest, timeoutMs = 3_000): Promise<Sent> {
  const before = oracle.faults.length;
  const response = await oracle.send(req, timeoutMs);
  const suspicious = response.error !== undefined || (response.status ?? 0) >= 500;
  await oracle.waitForFaults(before + 1, suspicious ? 1_500 : 30);
  return { response, faults: oracle.faults.slice(before) };
}

const label = (r: RecordedRequest) => `${r.method} ${r.url}`;

/** Recorded requests answer in milliseconds; a candidate that makes one take seconds has broken it. */
const REQUEST_TIMEOUT_MS = 2_000;

async function checkFaulting(oracle: Oracle, requests: RecordedRequest[]): Promise<RequestCheck> {
  const check = emptyCheck(requests.length);
  for (const req of requests) {
    const { response, faults } = await sendAndObserve(oracle, req, REQUEST_TIMEOUT_MS);
    check.statuses.push(response.status ?? 0);
    const reason = faults.length > 0 ? faultKind(faults[0]!) : response.error ? `no response (${response.error})` : (response.status ?? 0) >= 500 ? `answered ${response.status}` : null;
    if (reason) {
      check.failed++;
      check.failures.push({ request: label(req), reason });
    }
  }
  return check;
}

function emptyCheck(total = 0): RequestCheck {
  return { total, statuses: [], failed: 0, failures: [] };
}

function failValidation(candidate: Candidate, started: number, reason: string, partial: Partial<Validation> = {}): Validation {
  return {
    candidate: candidate.id,
    passed: false,
    reason,
    tests: { ok: false, baselineRed: false },
    trigger: emptyCheck(),
    earlier: emptyCheck(),
    variants: emptyCheck(),
    behaviour: { total: 0, preserved: 0, fraction: 0, differences: [] },
    ...partial,
    durationMs: Date.now() - started,
  };
}

export async function validateCandidate(plan: ValidationPlan, candidate: Candidate): Promise<Validation> {
  const started = Date.now();
  const deadline = started + plan.timeoutMs;
  const left = () => Math.max(1_000, deadline - Date.now());
  const sandbox = createSandbox(plan.root, candidate.id, candidate);
  let oracle: Oracle | null = null;
  try {
    let build: Validation['build'];
    if (plan.build) {
      const r = await runCommand(plan.build, sandbox.dir, left());
      build = { ok: r.ok, ...(r.ok ? {} : { output: r.output }) };
      if (!r.ok) return failValidation(candidate, started, r.timedOut ? 'the build timed out' : 'the build failed', { build });
    }

    const cwd = path.join(sandbox.dir, path.relative(plan.root, plan.incident.service.cwd));
    const start = () => Oracle.start({ command: plan.incident.service.command, cwd }, { readyTimeoutMs: Math.min(15_000, left()) });

    // The triggering and earlier faulting requests first, on an instance of their own: the most
    // decisive check, and cheap, so most failing candidates stop here.
    oracle = await start();
    const requests = plan.incident.requests;
    const trigger = await checkFaulting(oracle, requests.slice(-1));
    const earlier = await checkFaulting(oracle, requests.slice(0, -1));
    await oracle.stop();
    oracle = null;
    if (trigger.failed > 0 || earlier.failed > 0) {
      const reason = trigger.failed > 0 ? `the triggering request still faults (${trigger.failures[0]!.reason})` : `${earlier.failed} earlier faulting request(s) still fault`;
      return failValidation(candidate, started, reason, { ...(build ? { build } : {}), trigger, earlier });
    }

    const run = await measureTests(sandbox.dir, plan.test, left());
    const baselineRed = !plan.baseline.ok;
    // A suite that was red before the patch passes when the patch adds no failure to it.
    const testsOk = run.ok || (baselineRed && run.failures !== null && plan.baseline.failures !== null && run.failures <= plan.baseline.failures);
    const tests: Validation['tests'] = { ok: testsOk, baselineRed, ...(testsOk ? {} : { output: run.output }) };
    const partial = { ...(build ? { build } : {}), tests, trigger, earlier };
    if (!testsOk) return failValidation(candidate, started, baselineRed ? 'the patch adds failing tests to a suite that was already red' : "the project's tests fail", partial);

    // Normal traffic on a fresh instance, in recorded order, as the unpatched instance got it.
    oracle = await start();
    const behaviour: Validation['behaviour'] = { total: plan.normal.length, preserved: 0, fraction: 1, differences: [] };
    for (const [i, req] of plan.normal.entries()) {
      if (Date.now() > deadline) return failValidation(candidate, started, `timed out after ${plan.timeoutMs} ms`, { ...partial, behaviour });
      const { response } = await sendAndObserve(oracle, req, REQUEST_TIMEOUT_MS);
      const want = plan.expected[i]!;
      if (response.status === want.status && response.body === want.body) behaviour.preserved++;
      else if (behaviour.differences.length < 5) {
        behaviour.differences.push({ request: label(req), expected: `${want.status ?? want.error} ${want.body?.slice(0, 200) ?? ''}`, got: `${response.status ?? response.error} ${response.body?.slice(0, 200) ?? ''}` });
      }
    }
    behaviour.fraction = behaviour.total === 0 ? 1 : behaviour.preserved / behaviour.total;

    const incidentKind = faultKind(plan.incident);
    const variants = emptyCheck(plan.variants.length);
    for (const [i, req] of plan.variants.entries()) {
      if (Date.now() > deadline) return failValidation(candidate, started, `timed out after ${plan.timeoutMs} ms`, { ...partial, behaviour, variants });
      const { response, faults } = await sendAndObserve(oracle, req, REQUEST_TIMEOUT_MS);
      const kinds = faults.map(faultKind);
      // A variant fails the patch when it raises the incident's fault, or a fault the unpatched
      // service did not raise for it (a fault both share is another, older bug).
      const bad = kinds.find((k) => k === incidentKind || k !== plan.variantBaseline[i]);
      if (bad !== undefined || response.error !== undefined) {
        variants.failed++;
        variants.failures.push({ request: label(req), reason: bad ?? `no response (${response.error})` });
        // A hanging candidate would spend a timeout on every variant: one failure decides.
        if (response.error !== undefined) break;
      }
    }

    const reasons = [
      variants.failed > 0 ? `${variants.failed} of ${variants.total} variants fault` : null,
      behaviour.preserved < behaviour.total ? `${behaviour.total - behaviour.preserved} of ${behaviour.total} normal responses changed` : null,
    ].filter((r): r is string => r !== null);
    return {
      candidate: candidate.id,
      passed: reasons.length === 0,
      ...(reasons.length ? { reason: reasons.join('; ') } : {}),
      ...partial,
      variants,
      behaviour,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    return failValidation(candidate, started, (err as Error).message);
  } finally {
    await oracle?.stop();
    sandbox.remove();
  }
}
