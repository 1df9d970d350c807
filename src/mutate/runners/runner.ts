// The contract of a test-runner adapter: how to run all tests or a subset as a child process,
// and how to keep the runner loaded in long-lived workers.
import type { WorkerSpec } from '../workers/test-worker.js';

export interface TestCommand {
  command: string;
  args: string[];
}

export type RunMode = 'coverage' | 'mutant';

export interface RunnerAdapter {
  readonly name: string;
  /** Runs the given project-relative test files, or the whole suite when `files` is undefined. */
  command(files: readonly string[] | undefined, mode: RunMode): TestCommand;
  /** Output that already proves a test failed, so a mutant run can stop early. */
  readonly failurePattern?: RegExp;
  /**
   * Each test file loads modules afresh (its own process or isolated context), so a static
   * mutant can only matter to the files that loaded it; otherwise static mutants run all tests.
   */
  readonly isolatesFiles: boolean;
  /**
   * Running covering files one process each, in turn, beats one run of them all: no
   * orchestrator process, and the first failing file ends the mutant's run.
   */
  readonly runsFilesSeparately: boolean;
  /** The suite's test files when the adapter knows them; coverage keyed elsewhere is unattributed. */
  testFiles?(): string[];
  /** How to run the suite in long-lived workers; without it every run is a fresh process. */
  worker?(): WorkerPlan;
}

export interface WorkerPlan {
  spec: WorkerSpec;
  /**
   * The coverage run goes file by file, spread over the workers (each file loads modules afresh
   * anyway); otherwise it is one run of the whole suite, as the runner would do it.
   */
  coverageByFile: boolean;
}

/** Splits runner words into flags (with their values) and positional arguments. */
export function splitArgs(words: readonly string[], flagsWithValue: ReadonlySet<string>): { flags: string[]; positional: string[] } {
  const flags: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      flags.push(word);
      if (!word.includes('=') && flagsWithValue.has(word) && i + 1 < words.length) flags.push(words[++i]!);
    } else {
      positional.push(word);
    }
  }
  return { flags, positional };
}
