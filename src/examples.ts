// The bundled examples' contract (examples/<name>/example.json), read by the demo, tests and benchmarks.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export interface ExampleRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent JSON-encoded when not a string. */
  body?: unknown;
}

export interface CrashRequest extends ExampleRequest {
  kind: string;
  origin: 'uncaughtException' | 'unhandledRejection';
  error: string;
  file: string;
}

export interface Example {
  dir: string;
  name: string;
  description: string;
  command: string[];
  test: string;
  build: string | null;
  health: string;
  normal: ExampleRequest[];
  crash: CrashRequest[];
  json: ExampleRequest;
}

export function loadExample(dir: string): Example {
  const file = path.join(dir, 'example.json');
  let raw: Omit<Example, 'dir'>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw.command) || !Array.isArray(raw.normal) || !Array.isArray(raw.crash) || raw.crash.length === 0) {
    throw new Error(`${file}: needs command, normal and crash lists`);
  }
  return { ...raw, dir };
}

export function listExamples(examplesDir: string): Example[] {
  return fs
    .readdirSync(examplesDir)
    .filter((d) => fs.existsSync(path.join(examplesDir, d, 'example.json')))
    .sort()
    .map((d) => loadExample(path.join(examplesDir, d)));
}

export interface ExampleResponse {
  status?: number;
  body?: string;
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Closes the idle keep-alive sockets of example requests, so a draining server need not wait them out. */
export function closeIdleSockets(): void {
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}

export function sendExampleRequest(port: number, req: ExampleRequest, timeoutMs = 10_000): Promise<ExampleResponse> {
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err) => resolve({ error: err.message }));
    r.end(body);
  });
}

/** Polls the example's health route until it answers 200, the process exits, or time runs out. */
export async function waitForHealth(port: number, example: Pick<Example, 'health'>, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited?.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the supervisor exited before the service was serving');
    const res = await sendExampleRequest(port, { method: 'GET', path: example.health }, 1000);
    if (res.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the service did not answer GET ${example.health} within ${timeoutMs} ms`);
}
