// The supervisor: runs the user's service as N cluster workers with the sensor preloaded, serving
// one port; replaces workers that die (backing off, and giving up on a crash loop); turns each
// fault into an incident; recycles damaged workers without dropping a request; drains on shutdown.

import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { SutureConfig } from '../config/config.js';
import { FaultIntake } from '../diagnose/intake.js';
import type { EventType } from '../model/event.js';
import type { FaultReport, ServiceSpec } from '../model/fault.js';
import { isSensorMessage, type MetricsSample, type SensorMessage, type SensorSettings, type SupervisorMessage } from '../model/messages.js';
import type { Store } from '../store/store.js';
import { parseNodeCommand, SENSOR_URL, type NodeCommand } from './launch.js';
import { CrashLoop } from './crash-loop.js';
import { eventOf, type EventLog } from './event-log.js';
import { HealQueue } from './heal-queue.js';
import { recordAudit } from '../deploy/audit.js';
import { approvePatch } from '../deploy/decisions.js';
import { judgePatch } from '../deploy/policy.js';
import { AUTOMATIC_ACTOR } from '../model/audit.js';
import type { Rollout } from '../model/repair.js';
import { listenControl, type ControlRequest } from './control.js';
import { runCanary, type RolloutHost, type RolloutProgress } from './rollout.js';
import { ShieldBoard } from './shields.js';
import fs from 'node:fs';

/** The least time between two recycles of one worker slot, so a crash storm contains requests instead of churning processes. */
const RECYCLE_COOLDOWN_MS = 2_000;
const STDERR_TAIL_LINES = 20;
/** Metric samples and faults kept for canary comparisons. */
const HISTORY_MS = 3 * 60_000;
/** How long a restarted slot may take to listen before the restart counts as failed. */
const SLOT_START_TIMEOUT_MS = 60_000;

type WorkerPhase = 'starting' | 'listening' | 'draining' | 'exited';

/** Whether a process with this PID exists (EPERM: it does, as another user's). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface WorkerState {
  worker: Worker;
  pid: number;
  slot: number;
  phase: WorkerPhase;
  startedAt: number;
  /** The worker this one is starting up to replace. */
  replaces?: WorkerState;
  recycling: boolean;
  /** The sensor has said hello: it is listening for the supervisor's messages. */
  ready: boolean;
  /** Set on a worker drained because a replacement took its place. */
  replacedBy?: WorkerState;
  stderrTail: string[];
  killTimer?: NodeJS.Timeout;
  /** Ids of the shields in its settings, fixed at fork. */
  shieldsAtFork: string[];
  /** The file its sensor reads its settings from, when they were too large for the environment; removed once read. */
  settingsFile?: string;
}

export interface SupervisorOptions {
  config: SutureConfig;
  store: Store;
  events?: EventLog | null;
  /** The store's file: with it, new incidents are healed while the service runs (config `heal.auto`). */
  storePath?: string;
  /** Trace request context from the first worker on, even with `recording.traceContext: "on-fault"` (the service has faulted before). */
  traceFromStart?: boolean;
}

export type SupervisorState = 'starting' | 'serving' | 'failing' | 'stopping' | 'stopped';

/** Builds the settings the sensor reads from SUTURE_SENSOR. */
export function sensorSettings(config: SutureConfig): SensorSettings {
  const r = config.recording;
  return {
    bodyLimit: r.bodyLimit,
    redactHeaders: r.redactHeaders,
    redactFields: r.redactFields,
    containment: config.containment,
    bufferSize: r.bufferSize,
    samplePerInterval: r.samplePerInterval,
    intervalMs: 1000,
    traceContext: r.traceContext,
    shields: [],
  };
}

export class Supervisor extends EventEmitter {
  state: SupervisorState = 'starting';
  readonly workers = new Set<WorkerState>();
  private readonly slots: (WorkerState | null)[];
  private readonly lastRecycle: number[];
  private readonly crashLoop: CrashLoop;
  private readonly node: NodeCommand;
  private readonly intake: FaultIntake;
  private readonly service: ServiceSpec;
  private everListened = false;
  private faultQueue: Promise<void> = Promise.resolve();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code once the supervisor has stopped. */
  readonly done = new Promise<number>((resolve) => (this.resolveDone = resolve));
  readonly latestMetrics = new Map<number, MetricsSample>();
  failure: string | null = null;
  private readonly heals: HealQueue | null;
  /** Whether workers trace each request's async context (from the start, or since the first fault). */
  tracing: boolean;
  private readonly awaitingRequest = new Set<string>();
  private readonly history: MetricsSample[] = [];
  private readonly faultLog: { pid: number; at: number }[] = [];
  private rolloutRunning: string | null = null;
  private control: { close(): Promise<void> } | null = null;
  readonly shields: ShieldBoard;
  private settingsFiles = 0;

  constructor(private readonly options: SupervisorOptions) {
    super();
    const { config } = options;
    this.heals =
      config.heal.auto && options.storePath
        ? new HealQueue({
            cwd: config.root,
            store: options.storePath,
            configFile: config.file,
            onEvent: ({ ts: _ts, type, ...fields }) => {
              this.emitEvent(type, fields);
              if (type === 'patch' && typeof fields.patch === 'string' && config.policy.mode === 'auto') void this.autoDeploy(fields.patch);
            },
            onWarning: (message) => this.emit('warning', message),
          })
        : null;
    this.node = parseNodeCommand(config.command);
    this.service = { command: config.command, cwd: config.root };
    this.intake = new FaultIntake(config.root, this.service);
    this.crashLoop = new CrashLoop(config.crashLoop);
    this.slots = new Array(config.workers).fill(null);
    this.lastRecycle = new Array(config.workers).fill(0);
    this.tracing = config.recording.traceContext === 'always' || options.traceFromStart === true;
    this.shields = new ShieldBoard({
      config,
      store: options.store,
      broadcast: (message) => {
        for (const ws of this.workers) if (ws.ready) this.sendTo(ws, message);
      },
      emitEvent: (fields) => this.emitEvent('shield', fields),
      warn: (message) => this.emit('warning', message),
      restartAll: (reason) => this.restartAll(reason),
    });
  }

  /**
   * What a new worker's sensor is told, through SUTURE_SENSOR, or through a file it names when the
   * settings are too large for the environment (a transaction's source). The file is the worker's
   * alone and is removed once its sensor has read it (at its hello) or the worker has exited.
   */
  private sensorEnv(): { value: string; file?: string } {
    const settings = JSON.stringify({ ...sensorSettings(this.options.config), traceContext: this.tracing ? 'always' : 'on-fault', shields: this.shields.active() });
    if (settings.length < 64 * 1024) return { value: settings };
    const file = path.join(this.options.config.root, '.suture', `sensor-settings-${process.pid}-${++this.settingsFiles}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, settings);
    return { value: `@${file}`, file };
  }

  private removeSettingsFile(ws: WorkerState): void {
    if (ws.settingsFile === undefined) return;
    fs.rmSync(ws.settingsFile, { force: true });
    ws.settingsFile = undefined;
  }

  /** Settings files left by a supervisor that was killed before its workers had read them. */
  private removeStaleSettingsFiles(): void {
    const dir = path.join(this.options.config.root, '.suture');
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const owner = /^sensor-settings-(\d+)-\d+\.json$/.exec(name);
      if (owner !== null && !isAlive(Number(owner[1]))) fs.rmSync(path.join(dir, name), { force: true });
    }
  }

  /** Starts the workers; resolves once every slot is listening, or rejects when the service fails before that. */
  start(): Promise<void> {
    const { config } = this.options;
    if (!cluster.isPrimary) throw new Error('the supervisor must run in the primary process');
    this.removeStaleSettingsFiles();
    cluster.setupPrimary({
      exec: path.resolve(config.root, this.node.script),
      args: this.node.args,
      execArgv: [...this.node.nodeArgs, '--import', SENSOR_URL],
      cwd: config.root,
      silent: true,
    });
    this.emitEvent('start', {
      command: config.command,
      workers: config.workers,
      port: config.port,
      pid: process.pid,
    });
    for (let slot = 0; slot < config.workers; slot++) this.fork(slot);
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.state === 'failing' || this.state === 'stopped') {
          this.off('state', check);
          reject(new Error(this.failure ?? 'the service stopped before it was serving'));
        } else if (this.state === 'serving') {
          this.off('state', check);
          resolve();
        }
      };
      this.on('state', check);
    });
  }

  private setState(state: SupervisorState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private fork(slot: number, replaces?: WorkerState): WorkerState {
    const { config } = this.options;
    const shieldsAtFork = this.shields.active().map((s) => s.id);
    const settings = this.sensorEnv();
    const env: Record<string, string> = {
      SUTURE_SENSOR: settings.value,
      SUTURE_WORKER_SLOT: String(slot),
    };
    if (config.port !== null) env.PORT = String(config.port);
    const worker = cluster.fork(env);
    const ws: WorkerState = {
      worker,
      pid: worker.process.pid ?? -1,
      slot,
      phase: 'starting',
      startedAt: Date.now(),
      recycling: false,
      ready: false,
      stderrTail: [],
      shieldsAtFork,
      settingsFile: settings.file,
    };
    if (replaces) ws.replaces = replaces;
    else this.slots[slot] = ws;
    this.workers.add(ws);

    worker.process.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    worker.process.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const lines = chunk.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      ws.stderrTail.push(...lines);
      if (ws.stderrTail.length > STDERR_TAIL_LINES) ws.stderrTail.splice(0, ws.stderrTail.length - STDERR_TAIL_LINES);
    });
    worker.on('listening', (address: { port?: number; address?: string | null }) => this.onListening(ws, address));
    worker.on('message', (msg: unknown) => {
      if (isSensorMessage(msg)) this.onSensorMessage(ws, msg);
    });
    worker.on('exit', (code: number | null, signal: string | null) => this.onExit(ws, code, signal));
    // An IPC error on a dying worker is expected; the exit handler deals with the worker.
    worker.on('error', () => {});
    this.emitEvent('worker', { action: 'fork', pid: ws.pid, slot, replaces: replaces?.pid });
    return ws;
  }

  private onListening(ws: WorkerState, address: { port?: number; address?: string | null }): void {
    if (ws.phase !== 'starting') return;
    ws.phase = 'listening';
    this.everListened = true;
    this.emitEvent('worker', { action: 'listening', pid: ws.pid, slot: ws.slot, port: address.port });
    this.emit('worker-listening', ws);
    const old = ws.replaces;
    if (old) {
      // The replacement is serving: now the damaged worker may stop accepting and drain.
      delete ws.replaces;
      this.slots[ws.slot] = ws;
      this.lastRecycle[ws.slot] = Date.now();
      old.replacedBy = ws;
      this.drainWorker(old);
    }
    if (this.state === 'starting' && this.slots.every((s) => s !== null && s.phase === 'listening')) {
      this.setState('serving');
      this.emitEvent('service', { state: 'serving', workers: this.slots.map((s) => s!.pid), port: address.port });
    }
  }

  private onSensorMessage(ws: WorkerState, msg: SensorMessage): void {
    switch (msg.suture) {
      case 'fault':
        this.faultLog.push({ pid: msg.fault.pid, at: Date.now() });
        while (this.faultLog.length > 0 && this.faultLog[0]!.at < Date.now() - HISTORY_MS) this.faultLog.shift();
        if (!msg.fault.traced) this.startTracing(msg.fault.pid);
        this.faultQueue = this.faultQueue.then(() => this.onFault(ws, msg.fault)).catch((err: unknown) => {
          this.emit('warning', `could not record a fault: ${(err as Error).message}`);
        });
        break;
      case 'metrics':
        this.latestMetrics.set(msg.sample.pid, msg.sample);
        this.history.push(msg.sample);
        while (this.history.length > 0 && this.history[0]!.at < Date.now() - HISTORY_MS) this.history.shift();
        this.emit('metrics', msg.sample);
        if (msg.traffic.length > 0) {
          this.options.store.recordTraffic(msg.traffic).catch((err: unknown) => {
            this.emit('warning', `could not record traffic: ${(err as Error).message}`);
          });
        }
        break;
      case 'hello':
        ws.ready = true;
        this.removeSettingsFile(ws);
        // A worker forked just before the first fault has missed the word to trace.
        if (this.tracing) this.sendTo(ws, { suture: 'trace-context' });
        // So has one forked just before a filter was raised or lifted: a broadcast reaches only workers that said hello.
        this.catchUpShields(ws);
        // A drain decided before the sensor could hear it is delivered now.
        if (ws.phase === 'draining') this.sendDrain(ws);
        break;
      case 'drained':
        break;
    }
  }

  private catchUpShields(ws: WorkerState): void {
    const active = this.shields.active();
    for (const shield of active) if (shield.kind === 'input-filter' && !ws.shieldsAtFork.includes(shield.id)) this.sendTo(ws, { suture: 'shield', shield });
    for (const id of ws.shieldsAtFork) if (!active.some((s) => s.id === id)) this.sendTo(ws, { suture: 'shield-lift', id });
  }

  /** The service has faulted: every worker, and every worker started from now on, traces request context. */
  private startTracing(faultedPid: number): void {
    if (this.tracing) return;
    this.tracing = true;
    for (const ws of this.workers) if (ws.ready && ws.pid !== faultedPid) this.sendTo(ws, { suture: 'trace-context' });
    this.emitEvent('service', { state: 'tracing', reason: `first fault, in worker ${faultedPid}` });
  }

  private async onFault(ws: WorkerState, fault: FaultReport): Promise<void> {
    const record = this.intake.toRecord(fault);
    const { incident, opened } = await this.options.store.recordFault(record);
    const location = record.location ? `${this.intake.relative(record.location.file)}:${record.location.line}` : undefined;
    const request = fault.request ? { method: fault.request.method, url: fault.request.url } : undefined;
    this.emitEvent('fault', {
      incident: incident.id,
      pid: fault.pid,
      origin: fault.origin,
      attribution: fault.attribution,
      errorClass: fault.errorClass,
      message: fault.message,
      location,
      request,
    });
    if (opened) {
      this.emitEvent('incident', {
        incident: incident.id,
        action: 'opened',
        signature: incident.signature,
        location,
      });
      await recordAudit(this.options.store, {
        action: 'incident-opened',
        actor: AUTOMATIC_ACTOR,
        incident: incident.id,
        summary: `${incident.errorClass}: ${incident.messagePattern}${location ? ` at ${location}` : ''}`,
        evidence: { signature: incident.signature, origin: fault.origin, location: location ?? null, request: request ?? null, pid: fault.pid, attribution: fault.attribution },
      }, (line) => this.emit('warning', line));
    }
    // Healing needs a request to replay: an incident opened by a fault no request was found for
    // waits for its next occurrence, which is traced.
    if (fault.request && this.options.config.policy.shields) {
      // Raised beside the recycle, not after it: the next faulting request is refused, not contained.
      void this.shields.raiseFor(incident).catch((err: unknown) => this.emit('warning', `could not raise a shield for incident ${incident.id}: ${(err as Error).message}`));
    }
    if (fault.request && (opened || this.awaitingRequest.delete(incident.id))) this.heals?.enqueue(incident.id);
    else if (opened) this.awaitingRequest.add(incident.id);
    if (fault.request) {
      this.emitEvent('shield', {
        incident: incident.id,
        action: 'contain',
        pid: fault.pid,
        request,
        answered: fault.answered500 ? 500 : 'connection closed',
      });
    }
    if (this.options.config.containment === 'recycle') this.recycle(ws, incident.id);
  }

  /** Replaces a damaged worker: the replacement starts first; the damaged one drains once it is serving. */
  private recycle(ws: WorkerState, incident: string): void {
    if (this.state === 'stopping' || this.state === 'stopped' || ws.phase !== 'listening' || ws.recycling) return;
    if (this.slots[ws.slot] !== ws) return;
    const wait = this.lastRecycle[ws.slot]! + RECYCLE_COOLDOWN_MS - Date.now();
    ws.recycling = true;
    if (wait > 0) {
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        ws.recycling = false;
        this.recycle(ws, incident);
      }, wait);
      this.restartTimers.add(timer);
      return;
    }
    this.lastRecycle[ws.slot] = Date.now();
    this.emitEvent('shield', { incident, action: 'recycle', phase: 'start', pid: ws.pid, slot: ws.slot });
    this.fork(ws.slot, ws);
  }

  private drainWorker(ws: WorkerState): void {
    if (ws.phase === 'draining' || ws.phase === 'exited') return;
    ws.phase = 'draining';
    const timeoutMs = this.options.config.shutdownTimeoutMs;
    // Messages reaching a worker before its sensor listens are lost: those wait for its hello.
    if (ws.ready) this.sendDrain(ws);
    ws.killTimer = setTimeout(() => {
      if (ws.phase !== 'exited') ws.worker.process.kill('SIGKILL');
    }, timeoutMs + 2_000);
  }

  private sendDrain(ws: WorkerState): void {
    this.sendTo(ws, { suture: 'drain', timeoutMs: this.options.config.shutdownTimeoutMs });
  }

  private sendTo(ws: WorkerState, message: SupervisorMessage): void {
    try {
      ws.worker.send(message);
    } catch {
      // the channel is already gone: the worker is exiting, and its kill timer or exit handler deals with it
    }
  }

  private onExit(ws: WorkerState, code: number | null, signal: string | null): void {
    const phase = ws.phase;
    ws.phase = 'exited';
    if (ws.killTimer) clearTimeout(ws.killTimer);
    this.removeSettingsFile(ws);
    this.workers.delete(ws);
    this.latestMetrics.delete(ws.pid);
    this.emitEvent('worker', { action: 'exit', pid: ws.pid, slot: ws.slot, code, signal, expected: phase === 'draining' });
    this.emit('worker-exit', ws);

    if (phase === 'draining') {
      if (ws.replacedBy) {
        this.emitEvent('shield', { action: 'recycle', phase: 'done', pid: ws.pid, replacement: ws.replacedBy.pid, slot: ws.slot });
      } else if (this.slots[ws.slot] === ws) {
        this.slots[ws.slot] = null;
      }
      this.maybeStopped();
      return;
    }
    if (this.state === 'stopping' || this.state === 'stopped') {
      if (this.slots[ws.slot] === ws) this.slots[ws.slot] = null;
      this.maybeStopped();
      return;
    }

    // An unexpected death. A replacement that dies leaves the damaged worker it was to replace serving.
    if (ws.replaces) {
      ws.replaces.recycling = false;
    } else if (this.slots[ws.slot] === ws) {
      this.slots[ws.slot] = null;
    }
    const decision = this.crashLoop.onDeath(Date.now());
    if (!decision.restart) {
      this.fail(ws, code, signal, decision.reason);
      return;
    }
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'failing') return;
      if (this.slots[ws.slot] === null) this.fork(ws.slot);
    }, decision.delayMs);
    this.restartTimers.add(timer);
    this.emitEvent('worker', { action: 'restart', slot: ws.slot, delayMs: decision.delayMs, recentDeaths: this.crashLoop.recentDeaths });
  }

  private fail(ws: WorkerState, code: number | null, signal: string | null, reason: string): void {
    const last = ws.stderrTail.filter((l) => !l.startsWith('    at ')).slice(-1)[0];
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    this.failure = `service failing: ${reason}; last worker ${how}${last ? ` (${last.trim()})` : ''}`;
    this.setState('failing');
    this.emitEvent('service', { state: 'failing', reason: this.failure, live: this.workers.size });
    // With workers still serving, keep them and stop restarting; with none left there is nothing to supervise.
    if (this.workers.size === 0 || !this.everListened) void this.stop('failing');
  }

  /** Drains every worker (in-flight requests finish), then stops. A second call kills what is left. */
  async stop(reason: string): Promise<number> {
    if (this.state === 'stopping') {
      for (const ws of this.workers) ws.worker.process.kill('SIGKILL');
      return this.done;
    }
    if (this.state === 'stopped') return this.done;
    const failing = this.state === 'failing' || reason === 'failing';
    this.state = 'stopping';
    this.emit('state', 'stopping');
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    this.emitEvent('service', { state: 'stopping', reason });
    this.healsStopped = this.heals?.stop() ?? Promise.resolve();
    void this.control?.close();
    this.shields.stop();
    for (const ws of this.workers) this.drainWorker(ws);
    this.exitCode = failing ? 1 : 0;
    this.maybeStopped();
    return this.done;
  }

  private exitCode = 0;
  private healsStopped: Promise<void> = Promise.resolve();

  /** Whether a heal is running or waiting. */
  get healing(): boolean {
    return this.heals?.busy ?? false;
  }

  private maybeStopped(): void {
    if (this.state !== 'stopping' || this.workers.size > 0) return;
    this.state = 'stopped';
    void Promise.all([this.faultQueue, this.healsStopped]).then(() => {
      this.emitEvent('stop', { code: this.exitCode });
      this.emit('state', 'stopped');
      this.resolveDone(this.exitCode);
    });
  }

  /**
   * Opens the control socket `suture approve` and `rollback` reach this run through. Refuses when
   * another live run serves the same project.
   */
  async openControl(): Promise<void> {
    this.control = await listenControl(this.options.config.root, (request, progress) => this.onControl(request, progress));
  }

  /** The pid serving each slot. */
  slotPids(): number[] {
    return this.slots.map((ws) => ws?.pid ?? -1);
  }

  /**
   * Restarts one slot on the code now on disk: the replacement starts first and the old worker
   * drains once it listens. Resolves with the new pid.
   */
  restartSlot(slot: number, reason: string): Promise<number> {
    const old = this.slots[slot];
    if (this.state === 'stopping' || this.state === 'stopped') return Promise.reject(new Error('the service is stopping'));
    if (old && (old.phase !== 'listening' || old.recycling)) return Promise.reject(new Error(`worker slot ${slot} is already being replaced; try again`));
    if (old) old.recycling = true;
    this.emitEvent('worker', { action: 'restart-slot', slot, pid: old?.pid, reason });
    const ws = old ? this.fork(slot, old) : this.fork(slot);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.off('worker-listening', onListening);
        this.off('worker-exit', onExit);
      };
      const onListening = (w: WorkerState) => {
        if (w !== ws) return;
        done();
        resolve(ws.pid);
      };
      const onExit = (w: WorkerState) => {
        if (w !== ws) return;
        done();
        reject(new Error(`the new worker for slot ${slot} exited before it was serving${ws.stderrTail.length ? ` (${ws.stderrTail.slice(-1)[0]!.trim()})` : ''}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the new worker for slot ${slot} did not listen within ${SLOT_START_TIMEOUT_MS / 1000} s`));
      }, SLOT_START_TIMEOUT_MS);
      this.on('worker-listening', onListening);
      this.on('worker-exit', onExit);
    });
  }

  /**
   * Restarts every slot in turn, each replacement serving before its predecessor drains. A slot
   * already being replaced (a recycle) is waited for and then restarted too: its replacement may
   * have been forked before what this restart is for, such as a transaction shield's code.
   */
  async restartAll(reason: string): Promise<number[]> {
    const pids: number[] = [];
    for (let slot = 0; slot < this.slots.length; slot++) {
      await this.slotSettled(slot, SLOT_START_TIMEOUT_MS);
      pids.push(await this.restartSlot(slot, reason));
    }
    return pids;
  }

  /** Resolves once the slot's worker listens and is not being replaced, or when the time is up (restartSlot then says why). */
  private async slotSettled(slot: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ws = this.slots[slot];
      if (!ws || (ws.phase === 'listening' && !ws.recycling)) return;
      if (this.state === 'stopping' || this.state === 'stopped' || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Rolls out an approved patch by canary; one rollout at a time. */
  async rollout(patchId: string, actor: string, progress: RolloutProgress): Promise<Rollout> {
    if (this.state !== 'serving') throw new Error(`the service is ${this.state}; a canary needs it serving`);
    if (this.rolloutRunning) throw new Error(`patch ${this.rolloutRunning} is being rolled out; wait for it to finish`);
    const patch = await this.options.store.getPatch(patchId);
    if (!patch) throw new Error(`no patch ${patchId} in the store this run uses`);
    if (patch.status !== 'approved') throw new Error(`patch ${patchId} is ${patch.status}; only an approved patch is rolled out`);
    this.rolloutRunning = patchId;
    const supervisor = this;
    const host: RolloutHost = {
      config: this.options.config,
      store: this.options.store,
      slotPids: () => this.slotPids(),
      // A slot still being recycled after a fault (an approval right after the crash) is waited for, not refused.
      restartSlot: async (slot, reason) => {
        await this.slotSettled(slot, SLOT_START_TIMEOUT_MS);
        return this.restartSlot(slot, reason);
      },
      samplesSince: (since) => this.history.filter((s) => s.at >= since),
      faultsSince: (since) => {
        const counts = new Map<number, number>();
        for (const f of this.faultLog) if (f.at >= since) counts.set(f.pid, (counts.get(f.pid) ?? 0) + 1);
        return counts;
      },
      emitEvent: (type, fields) => this.emitEvent(type, fields),
      liftShields: (incident, reason) => this.shields.liftFor(incident, reason),
      rebalance: (pids) => {
        for (const ws of this.workers) if (ws.ready && pids.includes(ws.pid)) this.sendTo(ws, { suture: 'rebalance' });
      },
      get stopping() {
        return supervisor.state === 'stopping' || supervisor.state === 'stopped';
      },
    };
    try {
      return await runCanary(host, patch, actor, (line) => {
        this.emit('rollout-progress', line);
        progress(line);
      });
    } finally {
      this.rolloutRunning = null;
    }
  }

  /** `policy.mode: auto`: a validated patch inside the policy is approved by Suture and rolled out. */
  private async autoDeploy(patchId: string): Promise<void> {
    const { config, store } = this.options;
    try {
      const patch = await store.getPatch(patchId);
      if (!patch) return;
      const verdict = judgePatch(patch, config.policy, config.sources);
      if (!verdict.automatic) {
        this.emitEvent('deploy', { incident: patch.incident, patch: patchId, phase: 'held', reason: verdict.reasons.join('; ') });
        return;
      }
      await approvePatch(config, store, patchId, AUTOMATIC_ACTOR);
      this.emitEvent('deploy', { incident: patch.incident, patch: patchId, phase: 'approved', actor: AUTOMATIC_ACTOR });
      await this.rollout(patchId, AUTOMATIC_ACTOR, () => {});
    } catch (err) {
      this.emit('warning', `automatic deploy of patch ${patchId} stopped: ${(err as Error).message}`);
    }
  }

  private async onControl(request: ControlRequest, progress: RolloutProgress): Promise<unknown> {
    switch (request.op) {
      case 'status':
        return { state: this.state, pid: process.pid, workers: this.slotPids(), tracing: this.tracing, rollout: this.rolloutRunning, shields: this.shields.active().map(({ transaction, ...s }) => ({ ...s, transaction: transaction ? { file: transaction.file, fn: transaction.fn, line: transaction.line } : undefined })) };
      case 'shield-lift':
        if (!(await this.shields.lift(request.shield, `lifted by ${request.actor}`, request.actor))) throw new Error(`no shield ${request.shield} is up; \`suture shields\` lists them`);
        return { lifted: request.shield };
      case 'canary':
        return this.rollout(request.patch, request.actor, progress);
      case 'restart':
        progress(`restarting ${this.slots.length} worker(s) one at a time (${request.reason})`);
        return { workers: await this.restartAll(request.reason) };
      default:
        throw new Error(`unknown control request "${(request as { op: string }).op}"`);
    }
  }

  private emitEvent(type: EventType, fields: Record<string, unknown>): void {
    const event = eventOf(type, fields);
    this.options.events?.write(event);
    this.emit('event', event);
  }
}
