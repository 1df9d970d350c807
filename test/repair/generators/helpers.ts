// Shared by the generator tests: a little project on disk, an incident pointing into it the way a
// real V8 stack would, and candidates applied back to text, parsed and imported.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Frame, Incident } from '../../../src/model/fault.js';
import type { Candidate } from '../../../src/model/repair.js';
import type { RecordedRequest } from '../../../src/model/request.js';
import { parseSource, syntaxErrors } from '../../../src/repair/operators/index.js';

export interface Project {
  root: string;
  write(rel: string, text: string): string;
  remove(): void;
}

export function project(prefix: string): Project {
  // realpath: frames carry real paths, and os.tmpdir() may be a symlink.
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `suture-${prefix}-`)));
  return {
    root,
    write(rel, text) {
      const file = path.join(root, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** A stack frame at the `occurrence`-th `needle` in `text`, 1-based line and column as V8 prints them. */
export function frameAt(file: string, text: string, needle: string, fn?: string, occurrence = 1): Frame {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${needle} not found ${occurrence} times in ${file}`);
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { file, line, column, app: true, ...(fn ? { fn } : {}) };
}

let ids = 0;
export function incidentOf(opts: { errorClass: string; message: string; frames: Frame[]; requests?: RecordedRequest[]; cwd: string }): Incident {
  const top = opts.frames.find((f) => f.app);
  return {
    id: `inc-${++ids}`,
    signature: `${opts.errorClass}:${opts.message}`,
    errorClass: opts.errorClass,
    messagePattern: opts.message,
    message: opts.message,
    origin: 'uncaughtException',
    count: 1,
    firstSeen: new Date(0).toISOString(),
    lastSeen: new Date(0).toISOString(),
    frames: opts.frames,
    ...(top ? { location: top } : {}),
    requests: opts.requests ?? [],
    reproduced: 'always',
    service: { command: ['node', 'server.mjs'], cwd: opts.cwd },
  };
}

let reqs = 0;
export function request(method: string, url: string, body?: unknown, status = 200): RecordedRequest {
  return {
    id: `1-${++reqs}`,
    method,
    url,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), bodyEncoding: 'utf8' as const }),
    startedAt: 0,
    status,
  };
}

/** The candidate's edits applied to the original text of `rel` (offsets are into the original). */
export function applied(root: string, candidate: Candidate, rel: string): string {
  let text = fs.readFileSync(path.join(root, rel), 'utf8');
  const edits = candidate.edits.filter((e) => e.file === rel).sort((a, b) => b.start - a.start);
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

export function syntaxOf(fileName: string, text: string): string[] {
  return syntaxErrors(parseSource(fileName, text));
}

let patched = 0;
/** Imports `text` as an ES module written into `dir` (next to the originals its imports name). */
export async function importText<T>(dir: string, text: string): Promise<T> {
  const file = path.join(dir, `patched-${++patched}.mjs`);
  fs.writeFileSync(file, text);
  return (await import(pathToFileURL(file).href)) as T;
}

/** A response object that records what a handler answered. */
export function fakeResponse() {
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as string | undefined,
    headersSent: false,
    setHeader(name: string, value: string) {
      res.headers[name.toLowerCase()] = value;
    },
    end(body?: string) {
      res.body = body;
      res.headersSent = true;
    },
  };
  return res;
}

/** A fake incoming request as a handler reads it (the body already collected). */
export function fakeRequest(method: string, url: string, rawBody?: string) {
  return { method, url, headers: {}, rawBody };
}

/** A POST /orders handler that totals an order, and a router that calls it. */
export const ORDERS = `// POST /orders: totals an order.
export function handle(req, res) {
  const order = JSON.parse(req.rawBody);
  const total = order.items.reduce((sum, item) => sum + item.price * item.qty, 0);
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id: order.id, total }));
}
`;

export const ROUTER = `import { handle } from './orders.mjs';

export function route(req, res) {
  if (req.url.startsWith('/orders')) return handle(req, res);
  res.statusCode = 404;
  res.end();
}
`;
