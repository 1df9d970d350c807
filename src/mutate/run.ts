// One mutation-testing run: plan mutants, instrument a sandbox copy once, run a coverage pass,
// then run each covered mutant against only the tests that reach it.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type ts from 'typescript';
import { findMutations, parseSource, syntaxErrors } from '../repair/operators/index.js';
import { killAllChildren, runChild, type ChildRun } from './child-process.js';
import { readCoverage } from './coverage.js';
import { MutateError } from './errors.js';
import { IncrementalState, hashText, mutantKey } from './incremental.js';
import { mapConcurrent } from './pool.js';
import { createProgress } from './progress.js';
import { readProject } from './project.js';
import { renderHtml } from './report/html.js';
import { toSchemaReport } from './report/schema-json.js';
import type { FileResult, MutantResult, MutationRun } from './result.js';
import { tally } from './result.js';
import { createRunner, type RunnerAdapter } from './runners/index.js';
import { coverageEnv, mutantEnv } from './runtime.js';
import { createSandbox } from './sandbox.js';
import { instrument, type NumberedMutation } from './schemata.js';
import { selectSourceFiles } from './source-files.js';

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
}

interface PlannedFile {
  path: string;
  text: string;
  source: ts.SourceFile;
  mutants: NumberedMutation[];
}

interface Job {
  result: MutantResult;
  tests: string[] | undefined;
  fileHash: string;
}

export async function runMutationTesting(options: MutateOptions): Promise<MutationRun> {
  const started = performance.now();
  const projectDir = path.resolve(options.cwd);
  const project = readProject(projectDir, options.runner);
  const planned = planMutants(projectDir, selectSourceFiles(projectDir, options.files), options.lines);
  const reportDir = options.reportDir === null ? undefined : path.resolve(projectDir, options.reportDir ?? 'reports/mutation');
  const sandbox = await createSandbox(projectDir, reportDir ? [reportDir] : []);
  const onInterrupt = (): void => {
    killAllChildren();
    sandbox.dispose();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    const runner = createRunner(project, sandbox.dir);
    const unplaced = new Set<number>();
    for (const file of planned) {
      const instrumented = instrument(file.source, file.mutants);
      instrumented.unplaced.forEach((id) => unplaced.add(id));
      writeFileSync(path.join(sandbox.dir, file.path), instrumented.code);
    }
    const env = childEnv();
    const coverageDir = path.join(sandbox.dir, '.suture-coverage');
    mkdirSync(coverageDir);
    const dryRun = await runChild({ ...runner.command(undefined, 'coverage'), cwd: sandbox.dir, env: { ...env, [coverageEnv]: coverageDir } });
    if (dryRun.exitCode !== 0) await explainRedSuite(runner, planned, sandbox.dir, env, dryRun);
    const knownTests = runner.testFiles ? new Set(runner.testFiles()) : undefined;
    const coverage = readCoverage(coverageDir, sandbox.dir, knownTests);
    const allTests = [...new Set([...coverage.values()].flatMap((c) => [...c.tests]))].sort();
    const testHashes = new Map(allTests.map((t) => [t, hashOf(path.join(projectDir, t))]));
    const timeoutMs = (options.timeoutFactor ?? 1.5) * dryRun.durationMs + (options.timeoutMs ?? 3000);

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
        jobs.push({ result, tests: runsAll ? undefined : result.coveredBy, fileHash });
      }
      files.push({ path: file.path, language: /\.[cm]?tsx?$/.test(file.path) ? 'typescript' : 'javascript', source: file.text, mutants: results });
    }

    const concurrency = options.concurrency ?? os.availableParallelism();
    const timeouts = await perFileTimeouts(runner, jobs, sandbox.dir, env, concurrency, options.timeoutFactor ?? 1.5, options.timeoutMs ?? 3000);
    const progress = createProgress(jobs.length, process.stderr, options.quiet);
    const execute = mutantExecutor(runner, sandbox.dir, env, timeoutMs, timeouts);
    await mapConcurrent(jobs, concurrency, async (job) => {
      const { result } = job;
      const outcome = await execute(result.id, job.tests);
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
    process.removeListener('SIGINT', onInterrupt);
    sandbox.dispose();
  }
}

interface MutantOutcome {
  status: 'Killed' | 'Survived' | 'Timeout';
  killedBy?: string[];
  durationMs: number;
}

/**
 * When files run one by one, each gets its own timeout from a clean run of that file alone: far
 * tighter than one derived from the whole suite, which matters for every mutant that hangs.
 * A file that fails on its own (order-dependent tests) sends its mutants back to whole-suite runs.
 */
async function perFileTimeouts(runner: RunnerAdapter, jobs: Job[], cwd: string, env: NodeJS.ProcessEnv, concurrency: number, factor: number, constantMs: number): Promise<Map<string, number>> {
  const timeouts = new Map<string, number>();
  if (!runner.runsFilesSeparately) return timeouts;
  const files = [...new Set(jobs.flatMap((job) => job.tests ?? []))];
  const runs = await mapConcurrent(files, concurrency, (file) => runChild({ ...runner.command([file], 'mutant'), cwd, env }));
  const failing = new Set<string>();
  files.forEach((file, i) => {
    const run = runs[i]!;
    if (run.exitCode === 0) timeouts.set(file, factor * run.durationMs + constantMs);
    else failing.add(file);
  });
  for (const job of jobs) if (job.tests?.some((t) => failing.has(t))) job.tests = undefined;
  return timeouts;
}

function mutantExecutor(runner: RunnerAdapter, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number, perFile: ReadonlyMap<string, number>) {
  // Files that killed mutants before are likely to kill the next one: try them first.
  const kills = new Map<string, number>();
  const runOnce = (id: number, tests: readonly string[] | undefined): Promise<ChildRun> => runChild({
    ...runner.command(tests, 'mutant'),
    cwd,
    env: { ...env, [mutantEnv]: String(id) },
    timeoutMs: tests?.length === 1 ? perFile.get(tests[0]!) ?? timeoutMs : timeoutMs,
    ...(runner.failurePattern ? { failurePattern: runner.failurePattern } : {}),
  });
  const judge = (run: ChildRun): MutantOutcome['status'] => (run.timedOut ? 'Timeout' : run.exitCode === 0 && !run.failedEarly ? 'Survived' : 'Killed');
  return async (id: number, tests: readonly string[] | undefined): Promise<MutantOutcome> => {
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

function planMutants(projectDir: string, paths: readonly string[], lines: MutateOptions['lines']): PlannedFile[] {
  let nextId = 1;
  return paths.map((file) => {
    const text = readFileSync(path.join(projectDir, file), 'utf8');
    const source = parseSource(file, text);
    const errors = syntaxErrors(source);
    if (errors.length > 0) {
      throw new MutateError(`${file}:${errors[0]}: the file does not parse; fix it or leave it out of the files to mutate`);
    }
    const wanted = lines?.[file] ? new Set(lines[file]) : undefined;
    const mutations = findMutations(source).filter((m) => !wanted || wanted.has(source.getLineAndCharacterOfPosition(m.start).line + 1));
    return { path: file, text, source, mutants: mutations.map((mutation) => ({ id: nextId++, mutation })) };
  });
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
