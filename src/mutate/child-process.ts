// Runs one test command as a child process group, so a hung mutant and everything it spawned
// (node --test workers, vitest forks) is killed by PID when its time is up.
import { spawn } from 'node:child_process';

export interface ChildRun {
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped as soon as the output showed a failing test. */
  failedEarly: boolean;
  durationMs: number;
  /** The last part of stdout and stderr, for error messages. */
  output: string;
}

export interface ChildOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  failurePattern?: RegExp;
}

const running = new Set<number>();
const outputLimit = 16_384;

export function runChild(options: ChildOptions): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    running.add(pid);
    let output = '';
    let timedOut = false;
    let failedEarly = false;
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-outputLimit);
      if (!failedEarly && options.failurePattern?.test(output)) {
        failedEarly = true;
        killGroup(pid);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(pid);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      // Grandchildren may outlive the leader (a worker stuck in a loop): end the group too.
      killGroup(pid);
      running.delete(pid);
      resolve({ exitCode, timedOut, failedEarly, durationMs: performance.now() - started, output });
    });
  });
}

/** Registers a process group that `killAllChildren` must end (long-lived test workers). */
export function trackGroup(pid: number): void {
  running.add(pid);
}

export function untrackGroup(pid: number): void {
  running.delete(pid);
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/** Kills every child group still running, workers included; called when suture is interrupted. */
export function killAllChildren(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}
