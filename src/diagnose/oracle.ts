// The oracle: a fresh, single instance of the service with the sensor preloaded, on a free port of
// its own, used to replay recorded inputs and see whether they fault. It is always stopped by PID.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SENSOR_SETTINGS, isSensorMessage, type SensorMessage, type SensorSettings } from '../model/messages.js';
import type { FaultReport, ServiceSpec } from '../model/fault.js';
import type { RecordedRequest } from '../model/request.js';
import { cleanEnv, parseNodeCommand, SENSOR_URL } from '../supervisor/launch.js';
import { track } from '../supervisor/cleanup.js';
import { readCoverageFiles, type CoverageTake } from './coverage.js';
import { freePort } from '../ports.js';

export interface ReplayResponse {
  status?: number;
  body?: string;
  /** A transport failure instead of a response: `socket hang up`, `timeout`… */
  error?: string;
  durationMs: number;
}

export interface OracleOptions {
  readyTimeoutMs?: number;
  /** Collect V8 block coverage (for localisation); takes are read with `takeCoverage()`. */
  coverage?: boolean;
  sensor?: Partial<SensorSettings>;
  env?: Record<string, string>;
}

const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']);

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class Oracle {
  readonly faults: FaultReport[] = [];
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly stderr: string[] = [];
  private faultWaiters: (() => void)[] = [];
  private coverageDir: string | null = null;
  private readonly coverageSeen = new Set<string>();
  private coverageSeq = 0;
  private readonly coverageWaiters = new Map<number, () => void>();

  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (msg: unknown) => {
      if (!isSensorMessage(msg)) return;
      const m = msg as SensorMessage;
      if (m.suture === 'fault') {
        this.faults.push(m.fault);
        for (const wake of this.faultWaiters.splice(0)) wake();
      } else if (m.suture === 'coverage-taken') {
        this.coverageWaiters.get(m.seq)?.();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
      if (this.stderr.length > 40) this.stderr.splice(0, this.stderr.length - 40);
    });
    child.stdout?.resume();
    const untrack = track(() => {
      child.kill('SIGKILL');
      if (this.coverageDir) fs.rmSync(this.coverageDir, { recursive: true, force: true });
    });
    child.on('exit', (code, signal) => {
      untrack();
      this.exited = { code, signal };
      for (const wake of this.faultWaiters.splice(0)) wake();
      for (const wake of this.coverageWaiters.values()) wake();
    });
  }

  private root = '';

  /** Coverage of the service's own files since the last take (the first take covers start-up). */
  async takeCoverage(timeoutMs = 5_000): Promise<CoverageTake[]> {
    if (!this.coverageDir) throw new Error('this oracle was started without coverage');
    if (this.exited) return [];
    const seq = ++this.coverageSeq;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.coverageWaiters.set(seq, () => {
        clearTimeout(timer);
        this.coverageWaiters.delete(seq);
        resolve();
      });
      this.child.send({ suture: 'take-coverage', seq });
    });
    return readCoverageFiles(this.coverageDir, this.coverageSeen, this.root);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get hasExited(): boolean {
    return this.exited !== null;
  }

  static async start(service: ServiceSpec, options: OracleOptions = {}): Promise<Oracle> {
    const cmd = parseNodeCommand(service.command);
    const port = await freePort();
    const sensor: SensorSettings = { ...DEFAULT_SENSOR_SETTINGS, ...options.sensor, containment: 'continue', traceContext: 'always' };
    const coverageDir = options.coverage ? fs.mkdtempSync(path.join(os.tmpdir(), 'suture-coverage-')) : null;
    const child = spawn(
      process.execPath,
      [...cmd.nodeArgs, '--import', SENSOR_URL, path.resolve(service.cwd, cmd.script), ...cmd.args],
      {
        cwd: service.cwd,
        env: {
          ...cleanEnv(process.env),
          ...options.env,
          PORT: String(port),
          SUTURE_SENSOR: JSON.stringify(sensor),
          SUTURE_ROLE: 'oracle',
          ...(coverageDir ? { NODE_V8_COVERAGE: coverageDir } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const oracle = new Oracle(port, child);
    oracle.coverageDir = coverageDir;
    oracle.root = service.cwd;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      if (oracle.exited) {
        const last = oracle.stderr.filter((l) => !l.startsWith('    at ')).slice(-1)[0];
        throw new Error(`the service exited before listening (code ${oracle.exited.code})${last ? `: ${last.trim()}` : ''}`);
      }
      if (await canConnect(port)) return oracle;
      await new Promise((r) => setTimeout(r, 50));
    }
    await oracle.stop();
    throw new Error(`the service did not listen on PORT=${port} within ${options.readyTimeoutMs ?? 15_000} ms; does it read process.env.PORT?`);
  }

  /** Sends one recorded request and waits for its response (or transport failure). */
  send(req: RecordedRequest, timeoutMs = 10_000): Promise<ReplayResponse> {
    const body = req.body === undefined ? undefined : Buffer.from(req.body, req.bodyEncoding === 'base64' ? 'base64' : 'utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_HEADERS.has(name)) headers[name] = value;
    if (body) headers['content-length'] = String(body.length);
    headers.connection = 'close';
    const started = Date.now();
    return new Promise((resolve) => {
      const request = http.request(
        { host: '127.0.0.1', port: this.port, method: req.method, path: req.url, headers, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < 1 << 20) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - started }));
          res.on('error', (err) => resolve({ status: res.statusCode, error: err.message, durationMs: Date.now() - started }));
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', (err) => resolve({ error: err.message, durationMs: Date.now() - started }));
      request.end(body);
    });
  }

  /** Waits until `count` faults have been reported, the process exits, or `ms` pass. */
  async waitForFaults(count: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.faults.length < count && !this.exited && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.faultWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Stops the instance by PID: SIGTERM, then SIGKILL if it has not gone within two seconds. */
  async stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) {
      if (this.coverageDir) fs.rmSync(this.coverageDir, { recursive: true, force: true });
      return;
    }
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
    await gone;
    clearTimeout(timer);
    if (this.coverageDir) fs.rmSync(this.coverageDir, { recursive: true, force: true });
  }
}
