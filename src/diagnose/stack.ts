// Parses V8 stack text into frames.

import { fileURLToPath } from 'node:url';
import type { Frame } from '../model/fault.js';

// `at fn (file:line:col)`, `at async fn (file:line:col)`, `at new Fn (…)`, `at file:line:col`
const FRAME = /^\s*at (?:(?:async )?(?:new )?(.+?) \((.+?):(\d+):(\d+)\)|(?:async )?(.+?):(\d+):(\d+))\s*$/;

export function isAppFile(file: string): boolean {
  return !(
    file.startsWith('node:') ||
    file.startsWith('internal/') ||
    file.includes('/node_modules/') ||
    file.includes('\\node_modules\\') ||
    file === '<anonymous>' ||
    file.startsWith('evalmachine')
  );
}

function normaliseFile(file: string): string {
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return file;
    }
  }
  return file;
}

export function parseStack(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const named = m[2] !== undefined;
    const file = normaliseFile(named ? m[2]! : m[5]!);
    const frame: Frame = {
      file,
      line: Number(named ? m[3] : m[6]),
      column: Number(named ? m[4] : m[7]),
      app: isAppFile(file),
    };
    if (named) frame.fn = m[1]!;
    frames.push(frame);
  }
  return frames;
}
