// Suture's side of the long-lived test workers: one per concurrency lane, each a process group
// of its own. A worker that hangs past its timeout or dies is killed by PID and replaced; the
// replacement boots while suture judges the mutant that ended the old one.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killGroup, trackGroup, untrackGroup } from '../child-process.js';
import type { RunReport, RunRequest, StartRequest, WorkerArgs, WorkerMessage } from './protocol.js';

export type WorkerKind = 'node-test' | 'mocha' | 'vitest';

export interface WorkerSpec {
  kind: WorkerKind;
  /** Node flags of the worker process: the project's own (e.g. `--import tsx`). */
  nodeArgs: string[];
  args: Omit<WorkerArgs, 'parentPid'>;
}

export type WorkerOutcome =
  | { kind: 'result'; report: RunReport }
  | { kind: 'timeout' }
  /** The worker died or could not start; `output` is the end of what it printed. */
  | { kind: 'crashed'; output: string };

/** `bootMs`: from spawn to ready, what a fresh process of the runner costs before any test. */
export type WorkerStart = { ok: true; testFiles: string[]; bootMs: number } | { ok: false; reason: string };

const outputLimit = 8192;
const bootTimeoutMs = 60_000;
/**
 * ESM generations of the project's modules accumulate in node:test and mocha workers: start
 * afresh now and then. A vitest worker loads test modules in vitest's own threads, not in itself.
 */
const runsPerWorker: Record<WorkerKind, number> = { 'node-test': 100, mocha: 100, vitest: Number.POSITIVE_INFINITY };

export class TestWorker {
  readonly started: Promise<WorkerStart>;
  runs = 0;
  private readonly child: ChildProcess;
  readonly pid: number | undefined;
  private pending: ((outcome: WorkerOutcome) => void) | undefined;
  private output = '';

  /** `instrumented` resolves once the project's files are final: the worker may load them then. */
  constructor(spec: WorkerSpec, cwd: string, env: NodeJS.ProcessEnv, instrumented: Promise<void>) {
    const args: WorkerArgs = { ...spec.args, parentPid: process.pid };
    const { entry, loader } = workerEntry(spec.kind, spec.nodeArgs);
    this.child = spawn(process.execPath, [...loader, ...spec.nodeArgs, entry, JSON.stringify(args)], {
      cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json',
    });
    this.pid = this.child.pid;
    if (this.pid !== undefined) trackGroup(this.pid);
    const keep = (chunk: Buffer): void => { this.output = (this.output + chunk.toString()).slice(-outputLimit); };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    // Boot = loading the runner + preparing it for the project; the wait for suture's
    // instrumentation in between is not the worker's.
    let phaseStarted = performance.now();
    let bootMs = 0;
    this.started = new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          resolve({ ok: false, reason: `the worker did not start within ${bootTimeoutMs / 1000} s` });
          this.kill();
        }, bootTimeoutMs);
      };
      arm();
      this.child.on('message', (message: WorkerMessage) => {
        if (message.type === 'loaded') {
          clearTimeout(timer);
          bootMs += performance.now() - phaseStarted;
          void instrumented.then(() => {
            if (!this.child.connected) return;
            phaseStarted = performance.now();
            arm();
            this.child.send({ type: 'start' } satisfies StartRequest, () => {});
          });
        } else if (message.type === 'ready') {
          clearTimeout(timer);
          resolve({ ok: true, testFiles: message.testFiles, bootMs: bootMs + performance.now() - phaseStarted });
        } else if (message.type === 'unusable') {
          clearTimeout(timer);
          resolve({ ok: false, reason: message.reason });
        } else {
          this.settle({ kind: 'result', report: message });
        }
      });
      this.child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: error.message });
        this.settle({ kind: 'crashed', output: `${this.output}\n${error.message}` });
      });
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.pid !== undefined) untrackGroup(this.pid);
        const tail = lastLines(this.output);
        resolve({ ok: false, reason: `the worker exited (${signal ?? `code ${code}`}) before it was ready${tail ? `: ${tail}` : ''}` });
        this.settle({ kind: 'crashed', output: this.output });
      });
    });
  }

  /** Runs one request; past `timeoutMs` the worker is killed and the outcome is a timeout. */
  run(request: RunRequest, timeoutMs?: number): Promise<WorkerOutcome> {
    this.runs++;
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        this.pending = undefined;
        this.kill();
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.pending = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      if (!this.child.connected) this.settle({ kind: 'crashed', output: this.output });
      else this.child.send(request, (error) => { if (error) this.settle({ kind: 'crashed', output: `${this.output}\n${error.message}` }); });
    });
  }

  kill(): void {
    if (this.pid === undefined) return;
    killGroup(this.pid);
    untrackGroup(this.pid);
  }

  private settle(outcome: WorkerOutcome): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(outcome);
  }
}

/**
 * One worker per lane, replaced when it times out, dies or has run its share. A lane's worker
 * starts when the lane is first used; a few start at once, to boot while suture plans mutants.
 */
export class WorkerLanes {
  private readonly workers: Array<TestWorker | undefined>;

  constructor(private readonly spec: WorkerSpec, private readonly cwd: string, private readonly env: NodeJS.ProcessEnv,
    private readonly instrumented: Promise<void>, count: number, eager = 4) {
    this.workers = Array.from({ length: count }, () => undefined);
    for (let lane = 0; lane < Math.min(count, eager); lane++) this.worker(lane);
  }

  get size(): number {
    return this.workers.length;
  }

  /** The first lane's worker ready (it lists the test files), or why it could not start. */
  start(): Promise<WorkerStart> {
    return this.worker(0).started;
  }

  async run(lane: number, request: RunRequest, timeoutMs?: number): Promise<WorkerOutcome> {
    const worker = this.worker(lane);
    const start = await worker.started;
    if (!start.ok) {
      this.replace(lane);
      return { kind: 'crashed', output: start.reason };
    }
    const outcome = await worker.run(request, timeoutMs);
    if (outcome.kind !== 'result' || outcome.report.replaceWorker || worker.runs >= runsPerWorker[this.spec.kind]) this.replace(lane);
    return outcome;
  }

  close(): void {
    for (const worker of this.workers) worker?.kill();
  }

  private worker(lane: number): TestWorker {
    return (this.workers[lane] ??= new TestWorker(this.spec, this.cwd, this.env, this.instrumented));
  }

  private replace(lane: number): void {
    this.workers[lane]?.kill();
    this.workers[lane] = new TestWorker(this.spec, this.cwd, this.env, this.instrumented);
  }
}

// Built code runs the compiled worker; from source (suture's own tests) the worker is a .ts
// file and needs tsx, resolved from suture's own dependencies.
function workerEntry(kind: WorkerKind, nodeArgs: readonly string[]): { entry: string; loader: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./${kind}-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  const hasTsx = nodeArgs.some((arg) => arg.includes('tsx'));
  return { entry, loader: fromSource && !hasTsx ? ['--import', import.meta.resolve('tsx')] : [] };
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).map((l) => l.trim()).join(' | ').slice(0, 400);
}
