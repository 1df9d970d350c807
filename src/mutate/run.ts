// One mutation-testing run: plan mutants, instrument a sandbox copy once, run a coverage pass,
// then run each covered mutant against only the tests that reach it, in long-lived test workers
// (or fresh processes where a worker cannot run the suite).
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type ts from 'typescript';
import { killAllChildren, runChild, type ChildRun } from './child-process.js';
import { readCoverage } from './coverage.js';
import { MutateError } from './errors.js';
import { coverageInWorkers, perFileTimeouts, processExecutor, workerExecutor, type MutantExecutor, type TimeoutPolicy } from './execute.js';
import { IncrementalState, hashText, mutantKey } from './incremental.js';
import { loadPlanner } from './load-planner.js';
import { mapConcurrent } from './pool.js';
import type { PlannedFile } from './plan.js';
import { createProgress } from './progress.js';
import { readProject } from './project.js';
import { renderHtml } from './report/html.js';
import { toSchemaReport } from './report/schema-json.js';
import type { FileResult, MutantResult, MutationRun } from './result.js';
import { tally } from './result.js';
import { createRunner, type RunnerAdapter } from './runners/index.js';
import { coverageEnv, mutantEnv } from './runtime.js';
import { createSandbox } from './sandbox.js';
import { selectSourceFiles } from './source-files.js';
import { WorkerLanes } from './workers/test-worker.js';

export interface MutateOptions {
  /** Project root (holds package.json). */
  cwd: string;
  /** Files, directories or globs to mutate, relative to cwd; default: the project's sources. */
  files?: readonly string[];
  runner?: string;
  concurrency?: number;
  /** Mutant timeout = timeoutFactor * normal suite duration + timeoutMs. */
  timeoutFactor?: number;
  timeoutMs?: number;
  incremental?: boolean;
  /** Where mutation.json and mutation.html go, relative to cwd; null writes no report. */
  reportDir?: string | null;
  /** Keep only mutants starting on these lines, per project-relative file. */
  lines?: Readonly<Record<string, readonly number[]>>;
  /** No progress output. */
  quiet?: boolean;
  /**
   * Keep the test runner loaded in one long-lived worker per lane (default). false runs every
   * mutant in a fresh process of the test command: slower, for suites that need that.
   */
  workers?: boolean;
}

interface Job {
  result: MutantResult;
  tests: string[] | undefined;
  fileHash: string;
  /** How often the coverage run reached the mutant: its hit limit in a worker. */
  hits: number;
}

interface Execution {
  execute: MutantExecutor;
  /** Test files whose mutants must run the whole suite (they fail when run alone). */
  failingAlone: ReadonlySet<string>;
}

export async function runMutationTesting(options: MutateOptions): Promise<MutationRun> {
  const started = performance.now();
  const projectDir = path.resolve(options.cwd);
  const project = readProject(projectDir, options.runner);
  const sourceFiles = selectSourceFiles(projectDir, options.files);
  const reportDir = options.reportDir === null ? undefined : path.resolve(projectDir, options.reportDir ?? 'reports/mutation');
  const sandbox = await createSandbox(projectDir, reportDir ? [reportDir] : []);
  let lanes: WorkerLanes | undefined;
  const onInterrupt = (): void => {
    killAllChildren();
    sandbox.dispose();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    const runner = createRunner(project, sandbox.dir);
    const env = childEnv();
    const concurrency = options.concurrency ?? os.availableParallelism();
    const timeouts: TimeoutPolicy = { factor: options.timeoutFactor ?? 1.5, constantMs: options.timeoutMs ?? 3000 };
    // The workers boot (node, tsx, the test runner) while typescript loads and files are instrumented.
    const plan = runner.worker && options.workers !== false ? runner.worker() : undefined;
    let instrumented = (): void => {};
    if (plan) lanes = new WorkerLanes(plan.spec, sandbox.dir, env, new Promise((resolve) => { instrumented = resolve; }), concurrency);
    const { planMutants, writeInstrumented } = await loadPlanner();
    const planned = planMutants(projectDir, sourceFiles, options.lines);
    const unplaced = writeInstrumented(planned, sandbox.dir);
    instrumented();

    const coverageDir = path.join(sandbox.dir, '.suture-coverage');
    mkdirSync(coverageDir);
    let execution: (jobs: Job[]) => Promise<Execution>;
    if (lanes && plan) {
      const measured = await coverageInWorkers(lanes, plan.coverageByFile, coverageDir);
      if (measured.ok) {
        const workerLanes = lanes;
        // A mutant whose worker died is judged by a fresh process, which also pays the start-up.
        const freshMs = timeouts.factor * (measured.suiteMs + measured.bootMs) + timeouts.constantMs;
        const fresh = processExecutor(runner, sandbox.dir, env, freshMs, new Map());
        execution = async () => ({ execute: workerExecutor(workerLanes, runner, measured, timeouts, fresh), failingAlone: new Set() });
      } else {
        lanes.close();
        lanes = undefined;
        rmSync(coverageDir, { recursive: true, force: true });
        mkdirSync(coverageDir);
        execution = await freshProcesses(runner, planned, sandbox.dir, env, coverageDir, concurrency, timeouts);
        if (!options.quiet) process.stderr.write(`suture mutate: ${measured.reason}; each mutant runs in a fresh process instead\n`);
      }
    } else {
      execution = await freshProcesses(runner, planned, sandbox.dir, env, coverageDir, concurrency, timeouts);
    }
    const knownTests = runner.testFiles ? new Set(runner.testFiles()) : undefined;
    const coverage = readCoverage(coverageDir, sandbox.dir, knownTests);
    const allTests = [...new Set([...coverage.values()].flatMap((c) => [...c.tests]))].sort();
    const testHashes = new Map(allTests.map((t) => [t, hashOf(path.join(projectDir, t))]));

    const incremental = options.incremental ? IncrementalState.load(projectDir) : undefined;
    const files: FileResult[] = [];
    const jobs: Job[] = [];
    let reused = 0;
    for (const file of planned) {
      const fileHash = hashText(file.text);
      const results: MutantResult[] = [];
      for (const { id, mutation } of file.mutants) {
        const result: MutantResult = {
          id, file: file.path, mutation, location: locationOf(file.source, mutation.start, mutation.end),
          status: 'NoCoverage', coveredBy: [], isStatic: false, reused: false,
        };
        results.push(result);
        const covered = coverage.get(id);
        if (unplaced.has(id)) {
          result.status = 'Ignored';
          result.statusReason = 'overlaps another mutant and cannot be placed in the schema';
          continue;
        }
        if (!covered || (!covered.isStatic && !covered.unattributed && covered.tests.size === 0)) continue;
        result.isStatic = covered.isStatic;
        const runsAll = covered.unattributed || (covered.isStatic && !runner.isolatesFiles) || covered.tests.size === 0;
        result.coveredBy = runsAll ? allTests : [...covered.tests].sort();
        const previous = incremental?.reusable(file.path, fileHash, mutantKey(mutation), result.coveredBy, testHashes);
        if (previous) {
          result.status = previous.status;
          result.killedBy = previous.killedBy;
          result.reused = true;
          reused++;
          incremental?.record(file.path, fileHash, mutantKey(mutation), previous);
          continue;
        }
        jobs.push({ result, tests: runsAll ? undefined : result.coveredBy, fileHash, hits: covered.hits });
      }
      files.push({ path: file.path, language: /\.[cm]?tsx?$/.test(file.path) ? 'typescript' : 'javascript', source: file.text, mutants: results });
    }

    const { execute, failingAlone } = await execution(jobs);
    for (const job of jobs) if (job.tests?.some((t) => failingAlone.has(t))) job.tests = undefined;
    const progress = createProgress(jobs.length, process.stderr, options.quiet);
    await mapConcurrent(jobs, concurrency, async (job, lane) => {
      const { result } = job;
      const outcome = await execute(result.id, job.tests, lane, job.hits);
      result.status = outcome.status;
      result.durationMs = outcome.durationMs;
      if (outcome.killedBy) result.killedBy = outcome.killedBy;
      incremental?.record(result.file, job.fileHash, mutantKey(result.mutation), {
        status: result.status, coveredBy: result.coveredBy, isStatic: result.isStatic, ...(result.killedBy ? { killedBy: result.killedBy } : {}),
      });
      progress.tick();
    });
    progress.done();
    if (incremental) {
      incremental.recordTests(testHashes);
      incremental.save(projectDir);
    }

    const all = files.flatMap((f) => f.mutants);
    const run: Omit<MutationRun, 'reportFiles'> = {
      projectDir, runner: runner.name, files, tally: tally(all), executed: jobs.length, reused, durationMs: performance.now() - started,
    };
    const reportFiles = reportDir ? writeReports(run, reportDir) : { json: '', html: '' };
    return { ...run, reportFiles };
  } finally {
    lanes?.close();
    process.removeListener('SIGINT', onInterrupt);
    sandbox.dispose();
  }
}

/**
 * The fresh-process way: the real test command runs the coverage pass (which is also the
 * green-suite check), then each mutant. Returns how to run the mutants once they are known.
 */
async function freshProcesses(runner: RunnerAdapter, planned: readonly PlannedFile[], sandboxDir: string, env: NodeJS.ProcessEnv, coverageDir: string,
  concurrency: number, timeouts: TimeoutPolicy): Promise<(jobs: Job[]) => Promise<Execution>> {
  const dryRun = await runChild({ ...runner.command(undefined, 'coverage'), cwd: sandboxDir, env: { ...env, [coverageEnv]: coverageDir } });
  if (dryRun.exitCode !== 0) await explainRedSuite(runner, planned, sandboxDir, env, dryRun);
  const suiteTimeoutMs = timeouts.factor * dryRun.durationMs + timeouts.constantMs;
  return async (jobs) => {
    const files = [...new Set(jobs.flatMap((job) => job.tests ?? []))];
    const perFile = await perFileTimeouts(runner, files, sandboxDir, env, concurrency, timeouts);
    return { execute: processExecutor(runner, sandboxDir, env, suiteTimeoutMs, perFile.timeouts), failingAlone: perFile.failing };
  };
}

// Children must not inherit the markers of a test runner suture itself may be running under:
// node:test switches a nested `node --test` into its child protocol when it sees this variable.
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [mutantEnv, coverageEnv, 'NODE_TEST_CONTEXT']) delete env[key];
  return env;
}

async function explainRedSuite(runner: RunnerAdapter, planned: readonly PlannedFile[], sandboxDir: string, env: NodeJS.ProcessEnv, dryRun: ChildRun): Promise<never> {
  for (const file of planned) writeFileSync(path.join(sandboxDir, file.path), file.text);
  const plain = await runChild({ ...runner.command(undefined, 'coverage'), cwd: sandboxDir, env });
  const tail = lastLines(plain.exitCode !== 0 ? plain.output : dryRun.output);
  if (plain.exitCode !== 0) {
    throw new MutateError(`the test suite fails before mutating (exit code ${plain.exitCode}): make the tests pass first; last output: ${tail}`);
  }
  throw new MutateError(`the tests pass but fail once instrumented (exit code ${dryRun.exitCode}): leave the offending file out of [files...] and report a bug; last output: ${tail}`);
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).map((l) => l.trim()).join(' | ').slice(0, 400);
}

function locationOf(source: ts.SourceFile, start: number, end: number): MutantResult['location'] {
  const from = source.getLineAndCharacterOfPosition(start);
  const to = source.getLineAndCharacterOfPosition(end);
  return { start: { line: from.line + 1, column: from.character + 1 }, end: { line: to.line + 1, column: to.character + 1 } };
}

function hashOf(file: string): string {
  return existsSync(file) ? hashText(readFileSync(file, 'utf8')) : '';
}

function writeReports(run: Omit<MutationRun, 'reportFiles'>, reportDir: string): MutationRun['reportFiles'] {
  mkdirSync(reportDir, { recursive: true });
  const report = toSchemaReport(run);
  const json = path.join(reportDir, 'mutation.json');
  const html = path.join(reportDir, 'mutation.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderHtml(report));
  return { json, html };
}
