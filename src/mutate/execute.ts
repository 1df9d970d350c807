// Running mutants, two ways behind one signature. Long-lived workers (the default) keep the test
// runner loaded and switch the mutant per run; fresh processes run the real test command for
// each mutant, and judge whatever a worker could not (it died mid-run, or the suite only passes
// in a process of its own).
import { runChild, type ChildRun } from './child-process.js';
import { mapConcurrent } from './pool.js';
import { mutantEnv } from './runtime.js';
import type { RunnerAdapter } from './runners/index.js';
import type { WorkerLanes, WorkerOutcome } from './workers/test-worker.js';

export interface MutantOutcome {
  status: 'Killed' | 'Survived' | 'Timeout';
  killedBy?: string[];
  durationMs: number;
}

/** Runs mutant `id` against `tests` (undefined: the whole suite) on a lane of the pool. */
export type MutantExecutor = (id: number, tests: readonly string[] | undefined, lane: number, hits: number) => Promise<MutantOutcome>;

export interface TimeoutPolicy {
  factor: number;
  constantMs: number;
}

// As StrykerJS does: a mutant reached 100 times as often as in the coverage run is looping.
// The floor keeps a mutant reached once or twice from being cut off by an ordinary loop.
const hitLimitFactor = 100;
const minHitLimit = 1000;

export function hitLimitFor(hits: number): number {
  return hits > 0 ? Math.max(minHitLimit, hitLimitFactor * hits) : 0;
}

export interface WorkerCoverage {
  ok: true;
  /** Duration of each test file's coverage run in a warm worker (per-file coverage only). */
  fileMs: Map<string, number>;
  suiteMs: number;
  testFiles: string[];
  /** What starting the runner in a fresh process costs (the first worker's boot). */
  bootMs: number;
}

/**
 * The coverage run in the workers: file by file across lanes, or the whole suite in one. Any
 * failure (a red suite, or a suite that only passes in a process of its own) is reported, and
 * run.ts falls back to the fresh-process coverage run, which tells the two apart.
 */
export async function coverageInWorkers(lanes: WorkerLanes, coverageByFile: boolean, coverageDir: string): Promise<WorkerCoverage | { ok: false; reason: string }> {
  const start = await lanes.start();
  if (!start.ok) return start;
  const config = { active: -1, coverageDir, hitLimit: 0 };
  const fileMs = new Map<string, number>();
  if (!coverageByFile) {
    const outcome = await lanes.run(0, { type: 'run', files: null, config, bail: false });
    const problem = coverageProblem(outcome, 'the test suite');
    return problem ? { ok: false, reason: problem } : { ok: true, fileMs, suiteMs: reportOf(outcome).durationMs, testFiles: start.testFiles, bootMs: start.bootMs };
  }
  if (start.testFiles.length === 0) return { ok: false, reason: 'no test files found' };
  const outcomes = await mapConcurrent(start.testFiles, lanes.size, (file, lane) => lanes.run(lane, { type: 'run', files: [file], config, bail: false }));
  let suiteMs = 0;
  for (const [i, file] of start.testFiles.entries()) {
    const outcome = outcomes[i]!;
    const problem = coverageProblem(outcome, file);
    if (problem) return { ok: false, reason: problem };
    fileMs.set(file, reportOf(outcome).durationMs);
    suiteMs += reportOf(outcome).durationMs;
  }
  return { ok: true, fileMs, suiteMs, testFiles: start.testFiles, bootMs: start.bootMs };
}

function coverageProblem(outcome: WorkerOutcome, what: string): string | undefined {
  if (outcome.kind === 'crashed') return `the test worker died running ${what}`;
  if (outcome.kind === 'timeout') return `${what} timed out in a test worker`;
  if (outcome.report.failed) return `${what} fails in a long-lived test worker`;
  return undefined;
}

function reportOf(outcome: WorkerOutcome): { durationMs: number } {
  return outcome.kind === 'result' ? outcome.report : { durationMs: 0 };
}

/**
 * Mutants in the workers. Timeouts come from the warm coverage run of the same files. A worker
 * that dies mid-run (a test calling process.exit, a crash) is replaced and the mutant is judged
 * by a fresh process instead, as it always was.
 */
export function workerExecutor(lanes: WorkerLanes, runner: RunnerAdapter, coverage: WorkerCoverage, timeouts: TimeoutPolicy, fresh: MutantExecutor): MutantExecutor {
  const kills = new Map<string, number>();
  const timeoutFor = (files: readonly string[] | null): number => {
    const normal = files ? files.reduce((sum, f) => sum + (coverage.fileMs.get(f) ?? coverage.suiteMs), 0) : coverage.suiteMs;
    return timeouts.factor * normal + timeouts.constantMs;
  };
  const runOnce = async (id: number, files: string[] | null, lane: number, hits: number): Promise<MutantOutcome & { failedFile?: string }> => {
    const started = performance.now();
    const config = { active: id, coverageDir: '', hitLimit: hitLimitFor(hits) };
    const outcome = await lanes.run(lane, { type: 'run', files, config, bail: true }, timeoutFor(files));
    const durationMs = performance.now() - started;
    if (outcome.kind === 'timeout') return { status: 'Timeout', durationMs };
    if (outcome.kind === 'crashed') return fresh(id, files ?? undefined, lane, hits);
    const { report } = outcome;
    if (report.limitReached) return { status: 'Timeout', durationMs };
    if (!report.failed) return { status: 'Survived', durationMs };
    return { status: 'Killed', durationMs, ...(report.failedFile ? { failedFile: report.failedFile } : {}) };
  };
  return async (id, tests, lane, hits) => {
    if (!runner.runsFilesSeparately) {
      const outcome = await runOnce(id, tests ? [...tests] : null, lane, hits);
      const named = outcome.failedFile && (!tests || tests.includes(outcome.failedFile)) ? [outcome.failedFile] : tests?.length === 1 ? [...tests] : undefined;
      return { status: outcome.status, durationMs: outcome.durationMs, ...(outcome.status === 'Killed' && named ? { killedBy: named } : {}) };
    }
    // Files that killed mutants before are likely to kill the next one: try them first.
    const ordered = [...(tests ?? coverage.testFiles)].sort((a, b) => (kills.get(b) ?? 0) - (kills.get(a) ?? 0));
    let durationMs = 0;
    for (const test of ordered) {
      const outcome = await runOnce(id, [test], lane, hits);
      durationMs += outcome.durationMs;
      if (outcome.status === 'Killed') kills.set(test, (kills.get(test) ?? 0) + 1);
      if (outcome.status !== 'Survived') return { status: outcome.status, durationMs, ...(outcome.status === 'Killed' ? { killedBy: [test] } : {}) };
    }
    return { status: 'Survived', durationMs };
  };
}

/**
 * When files run one by one, each gets its own timeout from a clean run of that file alone: far
 * tighter than one derived from the whole suite, which matters for every mutant that hangs.
 * Files that fail on their own (order-dependent tests) are returned: their mutants go back to
 * whole-suite runs.
 */
export async function perFileTimeouts(runner: RunnerAdapter, files: readonly string[], cwd: string, env: NodeJS.ProcessEnv, concurrency: number, timeouts: TimeoutPolicy): Promise<{ timeouts: Map<string, number>; failing: Set<string> }> {
  const byFile = new Map<string, number>();
  const failing = new Set<string>();
  if (!runner.runsFilesSeparately) return { timeouts: byFile, failing };
  const runs = await mapConcurrent(files, concurrency, (file) => runChild({ ...runner.command([file], 'mutant'), cwd, env }));
  files.forEach((file, i) => {
    const run = runs[i]!;
    if (run.exitCode === 0) byFile.set(file, timeouts.factor * run.durationMs + timeouts.constantMs);
    else failing.add(file);
  });
  return { timeouts: byFile, failing };
}

/** Each mutant as fresh processes of the real test command, with `SUTURE_MUTANT` set. */
export function processExecutor(runner: RunnerAdapter, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, perFile: ReadonlyMap<string, number>): MutantExecutor {
  const kills = new Map<string, number>();
  const runOnce = (id: number, tests: readonly string[] | undefined): Promise<ChildRun> => runChild({
    ...runner.command(tests, 'mutant'),
    cwd,
    env: { ...env, [mutantEnv]: String(id) },
    timeoutMs: tests?.length === 1 ? perFile.get(tests[0]!) ?? timeoutMs : timeoutMs,
    ...(runner.failurePattern ? { failurePattern: runner.failurePattern } : {}),
  });
  const judge = (run: ChildRun): MutantOutcome['status'] => (run.timedOut ? 'Timeout' : run.exitCode === 0 && !run.failedEarly ? 'Survived' : 'Killed');
  return async (id, tests) => {
    if (!tests || !runner.runsFilesSeparately) {
      const run = await runOnce(id, tests);
      const status = judge(run);
      return { status, durationMs: run.durationMs, ...(status === 'Killed' && tests?.length === 1 ? { killedBy: [...tests] } : {}) };
    }
    const ordered = [...tests].sort((a, b) => (kills.get(b) ?? 0) - (kills.get(a) ?? 0));
    let durationMs = 0;
    for (const test of ordered) {
      const run = await runOnce(id, [test]);
      durationMs += run.durationMs;
      const status = judge(run);
      if (status === 'Killed') kills.set(test, (kills.get(test) ?? 0) + 1);
      if (status !== 'Survived') return { status, durationMs, ...(status === 'Killed' ? { killedBy: [test] } : {}) };
    }
    return { status: 'Survived', durationMs };
  };
}
