// Processes and ports for the benchmarks: every child is started with spawn, tracked by PID and
// stopped by PID (SIGTERM, then SIGKILL after a grace period), also when the run fails or is
// interrupted. Nothing here matches processes by name.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(BENCH_DIR, '..');
export const SUTURE_BIN = path.join(REPO_DIR, 'bin', 'suture.js');

export interface Running {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** The last lines the process wrote, for error messages. */
  output: string[];
}

const running = new Set<Running>();
const cleanups: (() => Promise<void> | void)[] = [];
const tempDirs: string[] = [];

export function startProcess(name: string, command: string, args: string[], options: SpawnOptions = {}): Running {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') output.push(line);
    if (output.length > 40) output.splice(0, output.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const proc: Running = { name, child, pid: child.pid, exited, output };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until every PID is gone or the time is up; returns the PIDs still alive. */
export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** SIGTERM, then SIGKILL after the grace period. Resolves once the process has exited. */
export async function stopProcess(proc: Running, graceMs = 5_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Stops processes we did not spawn ourselves (PM2's, a supervisor's workers) by PID. Returns the ones that needed SIGKILL. */
export async function stopPids(pids: readonly number[], graceMs = 5_000): Promise<number[]> {
  const alive = pids.filter(isAlive);
  for (const pid of alive) signal(pid, 'SIGTERM');
  const stubborn = await waitForExit(alive, graceMs);
  for (const pid of stubborn) signal(pid, 'SIGKILL');
  await waitForExit(stubborn, 2_000);
  return stubborn;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `suture-bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

let cleaning: Promise<void> | null = null;

/** Stops every child still running and runs the registered cleanups, once. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`cleanup: ${(err as Error).message}\n`);
      }
    }
    await Promise.all([...running].map((p) => stopProcess(p, 3_000)));
    for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}

/** Runs a benchmark's main function with cleanup on success, error, Ctrl-C and SIGTERM. */
export function runBenchmark(main: () => Promise<void>): void {
  const interrupted = (sig: NodeJS.Signals) => {
    process.stderr.write(`\n${sig}: stopping the contenders…\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  main()
    .then(
      () => cleanup(),
      async (err: unknown) => {
        process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        await cleanup();
        process.exitCode = 1;
      },
    )
    .finally(() => {
      // Open keep-alive sockets and timers must not hold the run open once it is done.
      setTimeout(() => process.exit(), 200).unref();
    });
}

/** A port on 127.0.0.1 that was free a moment ago. */
export { freePort } from '../../src/ports.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The example's command with `node` replaced by this Node binary. */
export function nodeCommand(command: readonly string[]): { exe: string; args: string[] } {
  const [first, ...rest] = command;
  if (first === undefined || !/^node(\.exe)?$/.test(path.basename(first))) throw new Error(`expected a node command, got ${command.join(' ')}`);
  return { exe: process.execPath, args: rest };
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** CPU time (user + system) the given processes have used so far, in microseconds; processes gone are skipped. */
export function cpuMicros(pids: readonly number[]): number {
  const tick = 1e6 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) * tick;
  }
  return total;
}
