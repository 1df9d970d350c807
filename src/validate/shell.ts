// Runs a project's own commands (tests, build) in a sandbox, bounded in time. The command gets a
// process group of its own, so a hanging run is stopped with everything it started, by PID.

import { spawn } from 'node:child_process';
import { cleanEnv } from '../supervisor/launch.js';
import { track } from '../supervisor/cleanup.js';

export interface CommandResult {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
  /** The last part of stdout and stderr together. */
  output: string;
  durationMs: number;
}

const OUTPUT_TAIL = 4000;

export function runCommand(command: string, cwd: string, timeoutMs: number, env: Record<string, string> = {}): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...cleanEnv(process.env), CI: 'true', ...env } });
    let output = '';
    const keep = (c: Buffer) => {
      output += c.toString('utf8');
      if (output.length > OUTPUT_TAIL * 2) output = output.slice(-OUTPUT_TAIL);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let timedOut = false;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is already gone
      }
    };
    const untrack = track(() => kill('SIGKILL'));
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 2_000).unref();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      untrack();
      resolve({ ok: false, code: null, timedOut, output: err.message, durationMs: Date.now() - started });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      untrack();
      // Whatever the command left running in its group goes with it.
      kill('SIGKILL');
      resolve({ ok: code === 0 && !timedOut, code, timedOut, output: output.slice(-OUTPUT_TAIL), durationMs: Date.now() - started });
    });
  });
}
