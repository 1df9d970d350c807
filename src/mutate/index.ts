// Public surface of mutation testing, for the CLI and for the healing work.
import { runMutationTesting, type MutateOptions } from './run.js';
import type { Tally } from './result.js';

export { runMutationTesting, type MutateOptions } from './run.js';
export { MutateError } from './errors.js';
export type { FileResult, MutantResult, MutantStatus, MutationRun, Tally } from './result.js';
export { toSchemaReport, type SchemaReport } from './report/schema-json.js';

export interface LineScore extends Tally {
  /** Mutants run in this call (the rest had no covering test or were ignored). */
  executed: number;
}

/**
 * How far the project's tests can be trusted to judge a change to these lines: the mutation
 * score of the mutants that start on them (all of each file's lines when `lines` is omitted).
 * Writes no report and leaves the project untouched.
 */
export async function mutationScoreFor(
  projectDir: string,
  files: readonly string[],
  lines?: Readonly<Record<string, readonly number[]>>,
  options: Omit<MutateOptions, 'cwd' | 'files' | 'lines' | 'reportDir'> = {},
): Promise<LineScore> {
  const run = await runMutationTesting({ quiet: true, ...options, cwd: projectDir, files, ...(lines ? { lines } : {}), reportDir: null });
  return { ...run.tally, executed: run.executed };
}
