// Every folder in examples/ with an example.json: the contract is well formed, the example's own
// test suite passes, and under plain node (no Suture) it serves its normal traffic and dies on
// each of its seeded crash requests without answering.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/ports.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
const ORIGINS = ['uncaughtException', 'unhandledRejection'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface ExampleRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface CrashRequest extends ExampleRequest {
  kind: string;
  origin: string;
  error: string;
  file: string;
}

interface Example {
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

interface Response {
  status: number;
  body: string;
}

const examples = readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(EXAMPLES_DIR, entry.name, 'example.json')))
  .map((entry) => entry.name)
  .sort();

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A nested `node --test` must not report to our runner, and npm settings of the outer
    // run must not leak into the example's own npm.
    if (key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS' || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function runShell(command: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, shell: true, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      reject(new Error(`\`${command}\` in ${cwd} did not finish within ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function send(port: number, request: ExampleRequest, timeoutMs = 5000): Promise<Response> {
  const body =
    request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers, agent: false, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${request.method} ${request.path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

interface Service {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

async function startService(dir: string, example: Example): Promise<Service> {
  const port = await freePort();
  const [command, ...args] = example.command;
  const child = spawn(command === 'node' ? process.execPath : command!, args, {
    cwd: dir,
    env: childEnv({ PORT: String(port), NODE_OPTIONS: '--enable-source-maps' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout!.resume();
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const service = { child, port, exited, stderr: () => stderr };

  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${example.name} exited before it was healthy:\n${stderr}`);
    try {
      const res = await send(port, { method: 'GET', path: example.health }, 1000);
      if (res.status === 200) return service;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopService(service);
      throw new Error(`${example.name} was not healthy on port ${port} within 5 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stopService(service: Service): void {
  if (service.child.exitCode === null && service.child.signalCode === null && service.child.pid !== undefined) {
    process.kill(service.child.pid, 'SIGKILL');
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function assertRequest(request: unknown, where: string): asserts request is ExampleRequest {
  assert.ok(request && typeof request === 'object', `${where} is an object`);
  const r = request as Record<string, unknown>;
  assert.ok(METHODS.includes(r.method as string), `${where}.method is an HTTP method`);
  assert.ok(typeof r.path === 'string' && r.path.startsWith('/'), `${where}.path starts with /`);
  if (r.headers !== undefined) {
    assert.ok(r.headers && typeof r.headers === 'object', `${where}.headers is an object`);
    for (const [name, value] of Object.entries(r.headers)) {
      assert.equal(name, name.toLowerCase(), `${where}.headers names are lower case`);
      assert.equal(typeof value, 'string', `${where}.headers.${name} is a string`);
    }
  }
}

for (const name of examples) {
  const dir = path.join(EXAMPLES_DIR, name);
  const example = JSON.parse(readFileSync(path.join(dir, 'example.json'), 'utf8')) as Example;

  describe(`examples/${name}`, () => {
    test('example.json has the documented shape', () => {
      assert.equal(example.name, name);
      assert.ok(typeof example.description === 'string' && example.description.length > 0);
      assert.ok(Array.isArray(example.command) && example.command.length > 0);
      assert.ok(example.command.every((part) => typeof part === 'string'));
      assert.equal(typeof example.test, 'string');
      assert.ok(example.build === null || typeof example.build === 'string');
      assert.ok(typeof example.health === 'string' && example.health.startsWith('/'));

      assert.ok(Array.isArray(example.normal) && example.normal.length >= 5 && example.normal.length <= 10);
      example.normal.forEach((request, i) => assertRequest(request, `normal[${i}]`));
      assert.ok(
        example.normal.some((r) => typeof r.headers?.authorization === 'string'),
        'a normal request carries an authorization header',
      );
      assert.ok(
        example.normal.some((r) => r.body !== null && typeof r.body === 'object' && 'password' in r.body),
        'a normal request has a JSON body with a password field',
      );

      assert.ok(Array.isArray(example.crash) && example.crash.length > 0);
      example.crash.forEach((crash, i) => {
        assertRequest(crash, `crash[${i}]`);
        assert.ok(typeof crash.kind === 'string' && crash.kind.length > 0);
        assert.ok(ORIGINS.includes(crash.origin), `crash[${i}].origin is one of ${ORIGINS.join(', ')}`);
        assert.match(crash.error, /^[A-Z][A-Za-z]*Error$/);
        assert.ok(existsSync(path.join(dir, crash.file)), `crash[${i}].file ${crash.file} exists`);
      });

      assertRequest(example.json, 'json');
      assert.equal(example.json.method, 'GET');
      assert.equal(example.json.body, undefined);
    });

    test('its own test suite passes', { timeout: 60_000 }, async () => {
      const entry = example.command.at(-1)!;
      if (example.build && !existsSync(path.join(dir, entry))) {
        const build = await runShell(example.build, dir, 60_000);
        assert.equal(build.code, 0, `build failed:\n${build.output}`);
      }
      const result = await runShell(example.test, dir, 50_000);
      assert.equal(result.code, 0, `\`${example.test}\` failed:\n${result.output}`);
    });

    test('plain node serves every normal request and stays up', { timeout: 20_000 }, async () => {
      const service = await startService(dir, example);
      try {
        for (const request of [...example.normal, example.json]) {
          const res = await send(service.port, request);
          assert.ok(res.status >= 200 && res.status < 500, `${request.method} ${request.path} answered ${res.status}: ${res.body}`);
        }
        const health = await send(service.port, { method: 'GET', path: example.health });
        assert.equal(health.status, 200);
        assert.equal(service.child.exitCode, null);
      } finally {
        stopService(service);
      }
    });

    for (const crash of example.crash) {
      test(`plain node dies on the ${crash.kind} request without answering`, { timeout: 20_000 }, async () => {
        const service = await startService(dir, example);
        try {
          const answer = await send(service.port, crash).then(
            (res) => `answered ${res.status}: ${res.body}`,
            () => null,
          );
          assert.equal(answer, null, `${crash.method} ${crash.path} should not be answered`);
          const exit = await within(service.exited, 5000);
          assert.notEqual(exit, 'timeout', `${name} still running 5 s after the crash request`);
          assert.notEqual(exit === 'timeout' ? null : exit.code, 0);
          const stderr = service.stderr();
          assert.match(stderr, new RegExp(`^${crash.error}: `, 'm'));
          assert.ok(stderr.includes(path.join(dir, crash.file)), `stack points into ${crash.file}:\n${stderr}`);
        } finally {
          stopService(service);
        }
      });
    }
  });
}
