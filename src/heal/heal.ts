// From an incident to a validated patch: confirm the fault by replay, localise it by coverage,
// generate candidate edits, validate each in a sandbox, rank them, and propose the best as a diff.

import fs from 'node:fs';
import path from 'node:path';
import { buildCommand, type SutureConfig } from '../config/config.js';
import { recordAudit } from '../deploy/audit.js';
import { spectrumOf, type Spectrum } from '../diagnose/coverage.js';
import { localisation } from '../diagnose/localise.js';
import { Oracle, type ReplayResponse } from '../diagnose/oracle.js';
import { FaultIntake } from '../diagnose/intake.js';
import { AUTOMATIC_ACTOR, type AuditInput } from '../model/audit.js';
import type { EventType } from '../model/event.js';
import type { Incident, ReproStatus } from '../model/fault.js';
import type { Candidate, Diagnosis, HealReport, Patch, Validation } from '../model/repair.js';
import { routeOf, type RecordedRequest } from '../model/request.js';
import { mutationScoreFor } from '../mutate/index.js';
import { directGenerators, generateCandidates, repairContext, searchGenerators } from '../repair/candidates.js';
import type { Store } from '../store/store.js';
import { mapPool, poolSize } from '../validate/pool.js';
import { rank, type Ranked } from '../validate/rank.js';
import { createSandbox } from '../validate/sandbox.js';
import { faultKind, measureTests, sendAndObserve, validateCandidate, type ValidationPlan } from '../validate/validate.js';
import { variantsOf } from '../validate/variants.js';

export interface HealOptions {
  store: Store;
  config: SutureConfig;
  /** Writes a line to the event log (and wherever else the caller wants events). */
  emit?: (type: EventType, fields: Record<string, unknown>) => void;
  progress?: (line: string) => void;
  /** Replays used to confirm the fault (default 3). */
  confirmations?: number;
}

const NORMAL_PER_ROUTE = 20;
const NORMAL_OTHER_ROUTES = 10;
const PASSING_RUNS = 10;

/** Replays the trigger and normal traffic on one coverage-collecting oracle: confirmation and spectra at once. */
export async function diagnose(incident: Incident, normal: RecordedRequest[], confirmations: number): Promise<Diagnosis> {
  const oracle = await Oracle.start(incident.service, { coverage: true });
  const intake = new FaultIntake(incident.service.cwd, incident.service);
  const failing: Spectrum[] = [];
  const passing: Spectrum[] = [];
  let replays = 0;
  let hits = 0;
  try {
    await oracle.takeCoverage(); // start-up, not any request's
    const triggers = incident.requests;
    for (let i = 0; i < Math.max(confirmations, triggers.length) && !oracle.hasExited; i++) {
      const req = triggers[i % triggers.length]!;
      const { faults } = await sendAndObserve(oracle, req, 5_000);
      const spectrum = spectrumOf(await oracle.takeCoverage());
      replays++;
      if (faults.some((f) => intake.toRecord(f).signature === incident.signature)) {
        hits++;
        failing.push(spectrum);
      }
    }
    for (const req of normal.slice(0, PASSING_RUNS)) {
      if (oracle.hasExited) break;
      const { response, faults } = await sendAndObserve(oracle, req, 5_000);
      const spectrum = spectrumOf(await oracle.takeCoverage());
      if (faults.length === 0 && (response.status ?? 500) < 500) passing.push(spectrum);
    }
  } finally {
    await oracle.stop();
  }
  const reproduced: ReproStatus = hits === 0 ? 'never' : hits === replays ? 'always' : 'sometimes';
  const diagnosis: Diagnosis = { incident: incident.id, reproduced, replays };
  if (failing.length > 0) diagnosis.localisation = localisation(incident.frames, failing, passing);
  return diagnosis;
}

/** Recorded normal traffic to the incident's routes, plus a few requests elsewhere as a wider check. */
async function normalTraffic(store: Store, incident: Incident): Promise<RecordedRequest[]> {
  const routes = [...new Set(incident.requests.map((r) => routeOf(r.method, r.url)))];
  const onRoutes = (await Promise.all(routes.map((r) => store.trafficFor(r, NORMAL_PER_ROUTE)))).flat();
  const others = (await store.recentTraffic(200)).filter((r) => !routes.includes(routeOf(r.method, r.url)));
  // Oldest first, as the service saw them, so stateful routes replay the same way on every instance.
  const pick = [...onRoutes, ...others.slice(0, NORMAL_OTHER_ROUTES)].filter((r) => (r.status ?? 200) < 500);
  return pick.sort((a, b) => a.startedAt - b.startedAt);
}

/** The unpatched project's answers: its tests, its responses to normal traffic, its faults on each variant. */
async function measureBaseline(root: string, incident: Incident, config: SutureConfig, normal: RecordedRequest[], variants: RecordedRequest[], timeoutMs: number) {
  const sandbox = createSandbox(root, 'baseline');
  try {
    const tests = await measureTests(sandbox.dir, config.test, timeoutMs);
    const oracle = await Oracle.start(incident.service);
    const kept: RecordedRequest[] = [];
    const expected: ReplayResponse[] = [];
    const variantBaseline: (string | null)[] = [];
    try {
      // A recorded request the unpatched service faults on when replayed (its state came from
      // requests not in the sample) says nothing about normal behaviour: it is left out.
      for (const req of normal) {
        const { response, faults } = await sendAndObserve(oracle, req);
        if (faults.length > 0 || response.error !== undefined || (response.status ?? 500) >= 500) continue;
        kept.push(req);
        expected.push(response);
      }
      for (const req of variants) {
        const { faults } = await sendAndObserve(oracle, req);
        variantBaseline.push(faults[0] ? faultKind(faults[0]) : null);
      }
    } finally {
      await oracle.stop();
    }
    return { tests, normal: kept, expected, variantBaseline };
  } finally {
    sandbox.remove();
  }
}

export async function heal(incidentId: string, options: HealOptions): Promise<HealReport> {
  const started = Date.now();
  const { store, config } = options;
  const emit = options.emit ?? (() => {});
  const say = options.progress ?? (() => {});
  const incident = await store.getIncident(incidentId);
  if (!incident) throw new Error(`no incident ${incidentId}`);
  const root = incident.service.cwd.startsWith(config.root + path.sep) || incident.service.cwd === config.root ? config.root : incident.service.cwd;
  const normal = await normalTraffic(store, incident);

  // The unpatched project's baseline does not depend on the diagnosis: measure both at once.
  const variants = incident.requests.slice(-1).flatMap(variantsOf);
  const timeoutMs = config.heal.candidateTimeoutMs;
  say(`confirming: replaying ${incident.requests.length} triggering request(s) with coverage; baseline: tests, ${normal.length} normal responses, ${variants.length} variants`);
  const baselineRun = measureBaseline(root, incident, config, normal, variants, timeoutMs);
  baselineRun.catch(() => {}); // awaited below; a diagnosis failure must not leave it unobserved
  const diagnosis = await diagnose(incident, normal, options.confirmations ?? 3);
  await store.saveDiagnosis(diagnosis);
  await store.setReproduced(incident.id, diagnosis.reproduced);
  const top = diagnosis.localisation?.ranking[0];
  emit('diagnosis', {
    incident: incident.id,
    reproduced: diagnosis.reproduced,
    replays: diagnosis.replays,
    suspicious: top ? `${path.relative(root, top.file)}:${top.line} (${top.score.toFixed(2)})` : undefined,
  });
  const report: HealReport = { incident: incident.id, diagnosis, candidates: 0, validated: 0, passed: 0, ranked: [], baseline: { testsOk: true }, durationMs: 0 };
  if (diagnosis.reproduced === 'never') {
    await baselineRun.catch(() => {});
    report.note = 'the fault did not reproduce on replay: the incident is kept, marked unconfirmed, and not repaired';
    report.durationMs = Date.now() - started;
    return report;
  }

  const ctx = repairContext({ root, incident, ranking: diagnosis.localisation?.ranking ?? [], normal, sources: config.sources });
  const baseline = await baselineRun;
  report.baseline = { testsOk: baseline.tests.ok, ...(baseline.tests.ok ? {} : { output: baseline.tests.output }) };
  if (!baseline.tests.ok) say(`the test suite is already red before any patch (${baseline.tests.failures ?? '?'} failing): candidates must not add failures`);
  const plan: ValidationPlan = { root, incident, test: config.test, build: buildCommand(config, root), baseline: baseline.tests, normal: baseline.normal, expected: baseline.expected, variants, variantBaseline: baseline.variantBaseline, timeoutMs };

  const results: Ranked[] = [];
  const validateAll = async (candidates: Candidate[]) => {
    report.candidates += candidates.length;
    for (const c of candidates) emit('candidate', { incident: incident.id, candidate: c.id, kind: c.kind, description: c.description, diffLines: c.diffLines, distance: c.distance });
    say(`validating ${candidates.length} candidate(s) in sandboxes, ${poolSize()} at a time`);
    const validations = await mapPool(candidates, poolSize(), async (c) => {
      const v: Validation = await validateCandidate(plan, c);
      report.validated++;
      if (v.passed) report.passed++;
      emit('validation', {
        incident: incident.id,
        candidate: c.id,
        passed: v.passed,
        reason: v.reason,
        preserved: v.behaviour.total ? `${v.behaviour.preserved}/${v.behaviour.total}` : undefined,
        variants: v.variants.total ? `${v.variants.total - v.variants.failed}/${v.variants.total}` : undefined,
        ms: v.durationMs,
      });
      say(`${v.passed ? 'passed' : 'failed'} ${c.kind} ${c.id}: ${c.description}${v.reason ? ` (${v.reason})` : ''}`);
      return v;
    });
    candidates.forEach((candidate, i) => results.push({ candidate, validation: validations[i]! }));
  };

  await validateAll(generateCandidates(ctx, directGenerators));
  if (report.passed === 0) {
    const mutants = generateCandidates(ctx, searchGenerators).filter((m) => !results.some((r) => r.candidate.diff === m.diff));
    if (mutants.length > 0) {
      say('no direct repair passed: searching code mutations at the most suspicious statements');
      await validateAll(mutants);
    }
  }

  report.ranked = rank(results);
  await store.saveCandidates(incident.id, report.ranked);
  const best = report.ranked[0];
  if (best?.validation.passed) {
    const dir = path.join(config.root, '.suture', 'patches');
    fs.mkdirSync(dir, { recursive: true });
    const diffFile = path.join(dir, `${best.candidate.id}.diff`);
    fs.writeFileSync(diffFile, best.candidate.diff);
    const patch: Patch = {
      id: best.candidate.id,
      incident: incident.id,
      candidate: best.candidate,
      validation: best.validation,
      status: 'proposed',
      createdAt: new Date().toISOString(),
      diffFile,
      secondsToPatch: (Date.now() - Date.parse(incident.firstSeen)) / 1000,
    };
    if (config.heal.mutationScore) {
      say('measuring the mutation score of the tests on the patched lines');
      const measured = await testStrength(root, best.candidate);
      if (measured) patch.validation = { ...patch.validation, mutationScore: measured };
    }
    await store.savePatch(patch);
    report.patch = patch;
    await recordAudit(store, validatedEntry(incident.id, report, patch.validation));
    await recordAudit(store, {
      action: 'patch-proposed',
      actor: AUTOMATIC_ACTOR,
      incident: incident.id,
      patch: patch.id,
      summary: `proposed patch ${patch.id} (${best.candidate.kind}, ${best.candidate.diffLines} diff line(s)): ${best.candidate.description}`,
      evidence: {
        status: patch.status,
        kind: best.candidate.kind,
        description: best.candidate.description,
        diffFile: path.relative(config.root, diffFile),
        diffLines: best.candidate.diffLines,
        files: [...new Set(best.candidate.edits.map((e) => e.file))],
        secondsToPatch: Math.round(patch.secondsToPatch * 10) / 10,
      },
    });
    emit('patch', { incident: incident.id, patch: patch.id, kind: best.candidate.kind, description: best.candidate.description, file: path.relative(config.root, diffFile), status: 'proposed', mutationScore: patch.validation.mutationScore?.score ?? undefined, weakTests: patch.validation.mutationScore?.weak || undefined });
  } else {
    report.note = report.candidates === 0 ? 'no candidate could be generated for this fault' : 'no candidate passed validation';
    if (report.validated > 0) await recordAudit(store, validatedEntry(incident.id, report, undefined));
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** The audit entry for one heal's validation: how many candidates passed, and the evidence for the best (or why the top ones failed). */
function validatedEntry(incident: string, report: HealReport, best: Validation | undefined): AuditInput {
  const counts = { candidates: report.candidates, validated: report.validated, passed: report.passed };
  const top = report.ranked[0];
  if (!best || !top) {
    return {
      action: 'candidate-validated',
      actor: AUTOMATIC_ACTOR,
      incident,
      summary: `none of ${report.validated} candidate(s) passed validation`,
      evidence: { ...counts, rejected: report.ranked.slice(0, 5).map((r) => ({ candidate: r.candidate.id, kind: r.candidate.kind, reason: r.validation.reason })) },
    };
  }
  const c = top.candidate;
  const check = (r: Validation['trigger']) => ({ total: r.total, failed: r.failed, statuses: r.statuses });
  return {
    action: 'candidate-validated',
    actor: AUTOMATIC_ACTOR,
    incident,
    summary:
      `${report.passed} of ${report.validated} candidate(s) passed; best ${c.kind} ${c.id}: tests ${best.tests.ok ? 'pass' : 'fail'}, ` +
      `trigger fixed ${best.trigger.total - best.trigger.failed}/${best.trigger.total}, normal responses unchanged ${best.behaviour.preserved}/${best.behaviour.total}, ` +
      `variants ${best.variants.total - best.variants.failed}/${best.variants.total}` +
      (best.mutationScore ? `, mutation score ${best.mutationScore.score === null ? 'n/a' : `${best.mutationScore.score}%`}` : ''),
    evidence: {
      ...counts,
      best: {
        candidate: c.id,
        kind: c.kind,
        description: c.description,
        diffLines: c.diffLines,
        build: best.build ? { ok: best.build.ok } : undefined,
        tests: { ok: best.tests.ok, baselineRed: best.tests.baselineRed },
        trigger: check(best.trigger),
        earlier: check(best.earlier),
        variants: { total: best.variants.total, failed: best.variants.failed },
        traffic: { compared: best.behaviour.total, preserved: best.behaviour.preserved },
        mutationScore: best.mutationScore ?? null,
        durationMs: best.durationMs,
      },
    },
  };
}

/** The original lines around a candidate's change (1-based, per file relative to the root): its hunk, with the diff's 3 lines of context. */
export function patchedLines(root: string, candidate: Candidate, context = 3): Record<string, number[]> {
  const lines: Record<string, number[]> = {};
  for (const edit of candidate.edits) {
    const text = fs.readFileSync(path.join(root, edit.file), 'utf8');
    const first = Math.max(1, text.slice(0, edit.start).split('\n').length - context);
    const last = text.slice(0, Math.max(edit.start, edit.end)).split('\n').length + context;
    const set = new Set(lines[edit.file] ?? []);
    for (let l = first; l <= last; l++) set.add(l);
    lines[edit.file] = [...set].sort((a, b) => a - b);
  }
  return lines;
}

/** Mutation score of the project's tests on the lines a patch changes, or undefined when it cannot be measured. */
async function testStrength(root: string, candidate: Candidate): Promise<Validation['mutationScore']> {
  const lines = patchedLines(root, candidate);
  try {
    const tally = await mutationScoreFor(root, Object.keys(lines), lines);
    const score = Number.isFinite(tally.score) ? Math.round(tally.score * 10) / 10 : null;
    return { score, killed: tally.killed + tally.timeout, mutants: tally.total, weak: tally.total > 0 && (score === null || score < 50) };
  } catch {
    // The project's runner could not be driven (no test script, a red suite): say nothing rather than guess.
    return undefined;
  }
}
