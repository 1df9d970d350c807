// The outcome of a mutation run, independent of how it is printed or stored.
import type { Mutation } from '../repair/operators/index.js';

export type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored';

export interface Position {
  line: number;
  column: number;
}

export interface MutantResult {
  id: number;
  file: string;
  mutation: Mutation;
  location: { start: Position; end: Position };
  status: MutantStatus;
  statusReason?: string;
  coveredBy: string[];
  killedBy?: string[];
  isStatic: boolean;
  /** Taken from the incremental file instead of being run again. */
  reused: boolean;
  durationMs?: number;
}

export interface FileResult {
  path: string;
  language: 'javascript' | 'typescript';
  source: string;
  mutants: MutantResult[];
}

export interface Tally {
  total: number;
  killed: number;
  survived: number;
  timeout: number;
  noCoverage: number;
  ignored: number;
  errors: number;
  /** Detected / (detected + undetected) * 100; NaN when nothing was valid. */
  score: number;
}

export interface MutationRun {
  projectDir: string;
  runner: string;
  files: FileResult[];
  tally: Tally;
  /** Mutants whose tests were actually run in this invocation. */
  executed: number;
  reused: number;
  durationMs: number;
  reportFiles: { json: string; html: string };
}

export function tally(mutants: readonly MutantResult[]): Tally {
  const count = (status: MutantStatus) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return {
    total: mutants.length,
    killed,
    survived,
    timeout,
    noCoverage,
    ignored: count('Ignored'),
    errors: count('CompileError') + count('RuntimeError'),
    score: valid === 0 ? Number.NaN : ((killed + timeout) / valid) * 100,
  };
}
