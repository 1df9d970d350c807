// The loop every long-lived test worker runs: start the runner once, then run one request at a
// time with the requested mutant switched on. The worker never outlives suture: it ends its
// process group when the IPC channel closes, and a watchdog thread does the same (removing the
// sandbox suture left) when suture dies, even while the main thread spins in an endless loop.
import { existsSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { configGlobal, coverageEnv, currentTestGlobal, mutantEnv, stateGlobal, type RunConfig, type RunState } from '../runtime.js';
import type { RunReport, RunRequest, WorkerArgs, WorkerMessage } from './protocol.js';

export interface SessionRun {
  failed: boolean;
  failedFile?: string;
  /** The run left the runner unusable (a test still hanging): suture replaces this worker. */
  replaceWorker?: boolean;
}

/** A test runner kept loaded: runs project-relative test files (null: the whole suite). */
export interface TestSession {
  testFiles: string[];
  run(files: string[] | null, bail: boolean, config: RunConfig): Promise<SessionRun>;
}

/**
 * Starting a runner has two steps. The first loads the runner itself and may run while suture
 * is still instrumenting the project; the second (after suture's `start`) may load project
 * files: mocha's `--require` modules, vitest's config. A string is why the runner cannot work here.
 */
export type LoadRunner = (args: WorkerArgs) => Promise<PrepareSession | string>;
export type PrepareSession = () => Promise<TestSession | string>;

type Globals = Record<string, unknown>;

export async function serve(load: LoadRunner): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
  const sandbox = sandboxOf(args.root);
  watchParent(args.parentPid, sandbox);
  // The IPC channel closes when suture dies (suture itself ends workers with SIGKILL).
  process.on('disconnect', () => {
    removeSandbox(sandbox);
    endGroup();
  });
  const prepare = await attempt(() => load(args));
  if (typeof prepare === 'string') {
    send({ type: 'unusable', reason: prepare });
    return;
  }
  let session: TestSession | undefined;
  const limitFile = path.join(args.root, `.suture-limit-${process.pid}`);
  process.on('message', (message: { type: 'start' } | RunRequest) => {
    if (message?.type === 'start' && !session) {
      void attempt(prepare).then((prepared) => {
        if (typeof prepared === 'string') return send({ type: 'unusable', reason: prepared });
        session = prepared;
        send({ type: 'ready', testFiles: prepared.testFiles });
      });
    } else if (message?.type === 'run' && session) {
      void runOnce(session, message, limitFile).then(send);
    }
  });
  send({ type: 'loaded' });
}

async function attempt<T>(step: () => Promise<T | string>): Promise<T | string> {
  try {
    return await step();
  } catch (error) {
    return `the runner did not start in a worker: ${(error as Error).message ?? String(error)}`;
  }
}

async function runOnce(session: TestSession, request: RunRequest, limitFile: string): Promise<RunReport> {
  const globals = globalThis as Globals;
  const config: RunConfig = { ...request.config, limitFile };
  globals[configGlobal] = config;
  delete globals[stateGlobal];
  // Processes a test spawns (a server under test) take the mutant from the env, as before.
  setEnv(mutantEnv, config.active >= 0 ? String(config.active) : undefined);
  setEnv(coverageEnv, config.coverageDir || undefined);
  rmSync(limitFile, { force: true });
  const started = performance.now();
  let outcome: SessionRun;
  try {
    outcome = await session.run(request.files, request.bail, config);
  } catch (error) {
    outcome = { failed: true };
    process.stderr.write(`suture worker: ${(error as Error).stack ?? String(error)}\n`);
  }
  const durationMs = performance.now() - started;
  const state = globals[stateGlobal] as RunState | undefined;
  state?.flush();
  const limitReached = state?.limitReached === true || existsSync(limitFile);
  globals[currentTestGlobal] = '';
  return {
    type: 'result', failed: outcome.failed, limitReached, durationMs,
    ...(outcome.failedFile ? { failedFile: outcome.failedFile } : {}), ...(outcome.replaceWorker ? { replaceWorker: true } : {}),
  };
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function endGroup(): void {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
}

/** The sandbox suture made (a `suture-mutate-*` temp dir), which a worker may remove if suture dies. */
function sandboxOf(root: string): string {
  return path.basename(root).startsWith('suture-mutate-') && path.dirname(root) === realpathSync(os.tmpdir()) ? root : '';
}

function removeSandbox(sandbox: string): void {
  try {
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  } catch {
    // Another worker is removing it too.
  }
}

// A thread of its own keeps running while the main thread spins in a mutant's loop. Suture
// removes its sandbox when it ends; when it is killed instead, its workers remove it.
function watchParent(parentPid: number, sandbox: string): void {
  const source = `
    const { rmSync } = require('node:fs');
    const { workerData } = require('node:worker_threads');
    setInterval(() => {
      if (process.ppid === workerData.parentPid) return;
      if (workerData.sandbox) { try { rmSync(workerData.sandbox, { recursive: true, force: true }); } catch {} }
      try { process.kill(-workerData.pid, 'SIGKILL'); } catch { process.kill(workerData.pid, 'SIGKILL'); }
    }, 250);
  `;
  const watchdog = new Worker(source, { eval: true, execArgv: [], workerData: { parentPid, pid: process.pid, sandbox } });
  watchdog.unref();
}
