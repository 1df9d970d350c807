// Runs the real `suture` CLI as a child process for tests, and stops every process it started by PID.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/ports.js';
import type { SutureEvent } from '../../src/model/event.js';
import { readEvents } from '../../src/supervisor/event-log.js';
import { closeIdleSockets, sendExampleRequest, type ExampleRequest } from '../../src/examples.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/suture.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const SERVICES = path.join(ROOT, 'test/fixtures/services');

export function tempDir(prefix = 'suture-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs a suture command to completion. */
export function suture(args: string[], cwd = ROOT, timeoutMs = 60_000): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningSuture {
  child: ChildProcess;
  port: number;
  dir: string;
  store: string;
  eventsFile: string;
  stderr: () => string;
  events: () => SutureEvent[];
  workerPids: () => number[];
  exited: Promise<number>;
  /** Sends a signal to the supervisor (by PID) and waits for its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number>;
}

export interface StartOptions {
  cwd: string;
  command: string[];
  workers?: number;
  extraArgs?: string[];
  /** Wait until every worker is listening (default true). */
  waitServing?: boolean;
  /** Heal new incidents while running (default false: most tests are about serving). */
  heal?: boolean;
  /** Settings merged over the service folder's own config. */
  config?: Record<string, unknown>;
  /** An existing store to use (default: a new one in a temp dir). */
  store?: string;
}

const running = new Set<RunningSuture>();

export async function startSuture(options: StartOptions): Promise<RunningSuture> {
  const dir = tempDir();
  const port = await freePort();
  const store = options.store ?? path.join(dir, 'suture.db');
  const eventsFile = path.join(dir, 'events.jsonl');
  // The service folder's own config, if any, with healing set as the test asks.
  const own = path.join(options.cwd, 'suture.config.json');
  const config = { ...(fs.existsSync(own) ? JSON.parse(fs.readFileSync(own, 'utf8')) : {}), ...options.config, heal: { auto: options.heal ?? false } };
  const configFile = path.join(dir, 'suture.config.json');
  fs.writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--workers', String(options.workers ?? 2), '--port', String(port), '--events', eventsFile, '--store', store, '--config', configFile, ...(options.extraArgs ?? []), '--', ...options.command],
    { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  let done = false;
  void exited.then(() => (done = true));
  const events = () => readEvents(eventsFile);
  const run: RunningSuture = {
    child,
    port,
    dir,
    store,
    eventsFile,
    stderr: () => stderr,
    events,
    workerPids: () => {
      const live = new Set<number>();
      for (const e of events()) {
        if (e.type === 'worker' && e.action === 'fork') live.add(e.pid as number);
        if (e.type === 'worker' && e.action === 'exit') live.delete(e.pid as number);
      }
      return [...live];
    },
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
      return exited;
    },
  };
  running.add(run);
  void exited.then(() => running.delete(run));
  if (options.waitServing !== false) {
    await waitFor('the service to be serving', () => done || events().some((e) => e.type === 'service' && e.state === 'serving'));
    if (done) throw new Error(`suture run exited early: ${stderr}`);
  }
  return run;
}

/** Kills every supervisor a test left running, and every worker it had forked, by PID. */
export async function stopAll(): Promise<void> {
  for (const run of [...running]) {
    const workers = run.workerPids();
    run.child.kill('SIGKILL');
    await run.exited;
    for (const pid of workers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

export interface IncidentSource {
  dir: string;
  command: string[];
  normal: ExampleRequest[];
  crash: ExampleRequest[];
}

/**
 * Runs the service under `suture run` (one worker, no healing), sends its normal traffic three
 * times so some of it is recorded, then the crash at `crashIndex`; stops, and returns the incident.
 */
export async function recordIncident(source: IncidentSource, crashIndex: number): Promise<{ id: string; store: string; run: RunningSuture }> {
  const run = await startSuture({ cwd: source.dir, command: source.command, workers: 1 });
  for (let round = 0; round < 3; round++) for (const req of source.normal) await sendExampleRequest(run.port, req);
  // The sensor ships its traffic sample once a second.
  await new Promise((r) => setTimeout(r, 1_300));
  const res = await sendExampleRequest(run.port, source.crash[crashIndex]!);
  if (res.status !== 500) throw new Error(`the crash request answered ${res.status ?? res.error}, not 500`);
  await waitFor('the incident', () => run.events().some((e) => e.type === 'incident'));
  closeIdleSockets();
  const code = await run.stop();
  if (code !== 0) throw new Error(`suture run exited ${code}: ${run.stderr()}`);
  return { id: run.events().find((e) => e.type === 'incident')!.incident!, store: run.store, run };
}
