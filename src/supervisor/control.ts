// The control socket of a live `suture run`: how `suture approve`, `rollback` and `shield` reach the
// supervisor serving the same project. A Unix socket in the project's `.suture/` folder, JSON lines
// both ways: one request, any number of progress lines, then one final line (`done` or `error`).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type ControlRequest =
  | { op: 'status' }
  | { op: 'canary'; patch: string; actor: string }
  | { op: 'restart'; reason: string }
  | { op: 'shield-lift'; shield: string; actor: string };

export type ControlReply = { progress: string } | { done: true; result: unknown } | { error: string };

export type ControlHandler = (request: ControlRequest, progress: (line: string) => void) => Promise<unknown>;

/** Unix socket paths are limited to about 100 bytes; a long project path gets one under the temp dir. */
export function controlSocketPath(root: string): string {
  const inProject = path.join(root, '.suture', 'run.sock');
  if (Buffer.byteLength(inProject) < 100) return inProject;
  return path.join(os.tmpdir(), `suture-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.sock`);
}

function connect(file: string): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect(file);
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}

export class ControlError extends Error {}

/** Listens for control requests. Refuses when another live `suture run` already serves this project. */
export async function listenControl(root: string, handle: ControlHandler): Promise<{ file: string; close(): Promise<void> }> {
  const file = controlSocketPath(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) {
    const other = await connect(file);
    if (other) {
      other.destroy();
      throw new ControlError(`another suture run is live for ${root} (control socket ${file}); stop it first`);
    }
    fs.rmSync(file, { force: true }); // left by a supervisor that was killed
  }
  const server = net.createServer((socket) => {
    let buffer = '';
    const reply = (r: ControlReply) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`);
    };
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline < 0) {
        if (buffer.length > 64 * 1024) socket.destroy();
        return;
      }
      const line = buffer.slice(0, newline);
      buffer = '';
      let request: ControlRequest;
      try {
        request = JSON.parse(line) as ControlRequest;
        if (typeof request !== 'object' || request === null || typeof request.op !== 'string') throw new Error('no op');
      } catch {
        reply({ error: 'not a control request (one JSON object with an "op" per line)' });
        socket.end();
        return;
      }
      handle(request, (progress) => reply({ progress })).then(
        (result) => {
          reply({ done: true, result: result ?? null });
          socket.end();
        },
        (err: unknown) => {
          reply({ error: err instanceof Error ? err.message : String(err) });
          socket.end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  server.unref();
  return {
    file,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}

/**
 * Sends one request to the live `suture run` of a project. Resolves with its result; null when no
 * run is live there. Progress lines go to `onProgress` as they arrive.
 */
export async function sendControl(root: string, request: ControlRequest, onProgress: (line: string) => void = () => {}): Promise<{ result: unknown } | null> {
  const file = controlSocketPath(root);
  if (!fs.existsSync(file)) return null;
  const socket = await connect(file);
  if (!socket) return null;
  return new Promise((resolve, reject) => {
    let buffer = '';
    let settled = false;
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const reply = JSON.parse(buffer.slice(0, newline)) as ControlReply;
        buffer = buffer.slice(newline + 1);
        if ('progress' in reply) onProgress(reply.progress);
        else if ('error' in reply) {
          settled = true;
          reject(new ControlError(reply.error));
        } else {
          settled = true;
          resolve({ result: reply.result });
        }
      }
    });
    socket.on('close', () => {
      if (!settled) reject(new ControlError('the live suture run closed the control connection without an answer (did it stop?)'));
    });
    socket.on('error', () => {});
    socket.write(`${JSON.stringify(request)}\n`);
  });
}
