// `suture mutate [files...]`: mutation testing of the project's own test suite.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { MutateError, runMutationTesting } from '../../mutate/index.js';
import { formatScore, formatSummary, summaryJson } from '../../mutate/report/summary.js';

interface MutateFlags {
  runner?: string;
  concurrency?: number;
  threshold?: number;
  incremental?: boolean;
  workers: boolean;
  json?: boolean;
  reportDir: string;
  timeoutFactor: number;
  timeoutMs: number;
  cwd: string;
}

export function registerMutate(program: Command): void {
  program
    .command('mutate')
    .description('mutation testing of the project\'s test suite')
    .argument('[files...]', 'files, directories or globs to mutate (default: src/ or lib/)')
    .option('--runner <name>', 'test runner: node, vitest or mocha (default: detected from package.json)')
    .option('--concurrency <n>', 'parallel test workers or processes (default: available CPUs)', positiveInt)
    .option('--threshold <score>', 'exit non-zero when the mutation score is below this (0-100)', score)
    .option('--incremental', 'reuse results of unchanged mutants from .suture/mutation-incremental.json')
    .option('--no-workers', 'run each mutant in a fresh process of the test command instead of long-lived test workers')
    .option('--json', 'print the summary as JSON')
    .option('--report-dir <dir>', 'where mutation.json and mutation.html go', 'reports/mutation')
    .option('--timeout-factor <x>', 'mutant timeout = factor * normal test time + --timeout-ms', positiveNumber, 1.5)
    .option('--timeout-ms <ms>', 'constant part of the mutant timeout', positiveNumber, 3000)
    .option('--cwd <dir>', 'project root', process.cwd())
    .action(async (files: string[], flags: MutateFlags) => {
      try {
        const run = await runMutationTesting({
          cwd: flags.cwd,
          files,
          ...(flags.runner !== undefined ? { runner: flags.runner } : {}),
          ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
          timeoutFactor: flags.timeoutFactor,
          timeoutMs: flags.timeoutMs,
          incremental: flags.incremental === true,
          workers: flags.workers,
          reportDir: flags.reportDir,
        });
        process.stdout.write(`${flags.json ? JSON.stringify(summaryJson(run), null, 2) : formatSummary(run)}\n`);
        if (flags.threshold !== undefined && !(run.tally.score >= flags.threshold)) {
          process.stderr.write(`suture mutate: mutation score ${formatScore(run.tally.score)} is below the threshold ${flags.threshold}\n`);
          process.exitCode = 1;
        }
      } catch (error) {
        if (!(error instanceof MutateError)) throw error;
        process.stderr.write(`suture mutate: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

function score(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expected a score between 0 and 100');
  return n;
}
