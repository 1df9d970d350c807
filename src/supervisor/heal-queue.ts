// Heals new incidents while the service runs: one `suture heal` child process at a time, so a slow
// or failing repair can never block or bring down the supervisor. The child streams its events
// back as JSON lines; the supervisor writes them to the event log, staying its only writer.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SutureEvent } from '../model/event.js';
import { cleanEnv } from './launch.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/suture.js');

export interface HealQueueOptions {
  cwd: string;
  store: string;
  configFile: string | null;
  onEvent: (event: SutureEvent) => void;
  onWarning: (message: string) => void;
}

export class HealQueue {
  private readonly waiting: string[] = [];
  private readonly seen = new Set<string>();
  private running: ChildProcess | null = null;
  private finished: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: HealQueueOptions) {}

  enqueue(incident: string): void {
    if (this.stopped || this.seen.has(incident)) return;
    this.seen.add(incident);
    this.waiting.push(incident);
    this.next();
  }

  get busy(): boolean {
    return this.running !== null || this.waiting.length > 0;
  }

  private next(): void {
    if (this.running || this.stopped) return;
    const incident = this.waiting.shift();
    if (!incident) return;
    const args = [BIN, 'heal', incident, '--store', this.options.store, '--events', '-', '--quiet'];
    if (this.options.configFile) args.push('--config', this.options.configFile);
    const child = spawn(process.execPath, args, { cwd: this.options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(process.env) });
    this.running = child;
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          this.options.onEvent(JSON.parse(line) as SutureEvent);
        } catch {
          // not an event line: ignore it
        }
      }
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr = (stderr + text).slice(-2000);
      // A lost audit entry must be seen even when the heal itself succeeds.
      for (const line of text.split('\n')) if (line.startsWith('suture: audit entry not recorded')) this.options.onWarning(line.slice('suture: '.length));
    });
    this.finished = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.running = null;
        // 0: a patch; 3: no patch (not reproduced, or nothing passed); the events say which.
        if (!this.stopped && code !== 0 && code !== 3) {
          this.options.onWarning(`heal of incident ${incident} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop() ?? ''}`);
        }
        resolve();
        this.next();
      });
    });
  }

  /** Stops a running heal by PID (it removes its own sandboxes) and drops the queue. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    const child = this.running;
    if (child) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await this.finished;
      clearTimeout(timer);
    }
  }
}
