// What suture and a long-lived test worker say to each other over the IPC channel. One run at a
// time: suture sends `run`, the worker answers `result`; a worker that hangs is killed, not asked.
import type { RunConfig } from '../runtime.js';

/** How a worker is started: argv[2] of the worker process, as JSON. */
export interface WorkerArgs {
  /** Suture's pid: the worker ends itself (and its process group) when suture is gone. */
  parentPid: number;
  /** The project (sandbox) root; modules below it, outside node_modules, load afresh per run. */
  root: string;
  /** Runner words from the test script (mocha / vitest CLI arguments). */
  runnerArgs: string[];
  /** Project-relative test files when suture knows them (node:test). */
  testFiles?: string[];
  /** Written by suture for the runner, e.g. vitest's setup file. */
  setupFile?: string;
}

export interface RunRequest {
  type: 'run';
  /** Project-relative test files, in order; null runs the whole suite. */
  files: string[] | null;
  config: RunConfig;
  /** Stop at the first failing test. */
  bail: boolean;
}

export interface RunReport {
  type: 'result';
  failed: boolean;
  /** The active mutant exceeded its hit limit: an endless loop, judged a timeout. */
  limitReached: boolean;
  durationMs: number;
  /** The first failing test file, when known. */
  failedFile?: string;
  /** Something of the run is still going (a test hanging): do not send this worker more runs. */
  replaceWorker?: boolean;
}

/** Suture to worker: the project is instrumented, load what the runner needs of it. */
export interface StartRequest {
  type: 'start';
}

/** Worker to suture, in order: `loaded` (the runner itself), then `ready` (or `unusable`), then results. */
export type WorkerMessage =
  | { type: 'loaded' }
  | { type: 'ready'; testFiles: string[] }
  /** The project uses something a worker cannot honour: suture runs fresh processes instead. */
  | { type: 'unusable'; reason: string }
  | RunReport;
