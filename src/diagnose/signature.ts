// Groups faults into incidents: the same error class, the same message once values are masked,
// raised at the same place in the user's source.

import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Frame } from '../model/fault.js';

const MASKS: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '<email>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b[0-9a-f]{12,}\b/gi, '<hex>'],
  [/"(?:[^"\\]|\\.)*"/g, '<str>'],
  [/`(?:[^`\\]|\\.)*`/g, '<str>'],
];
// Single-quoted text and numbers in one pass, so a number inside a kept name is not masked.
const QUOTED_OR_NUMBER = /'(?:[^'\\]|\\.)*'|-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi;
const IDENTIFIER = /^'[A-Za-z_$][\w$.]{0,63}'$/;

export function maskMessage(message: string): string {
  let out = message.length > 500 ? message.slice(0, 500) : message;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  // Single-quoted text is masked unless it is an identifier, as in V8's `(reading 'country')`,
  // which names the property and tells one bug from another.
  return out.replace(QUOTED_OR_NUMBER, (match) => (match.startsWith("'") ? (IDENTIFIER.test(match) ? match : '<str>') : '<n>'));
}

export function topAppFrame(frames: readonly Frame[]): Frame | undefined {
  return frames.find((f) => f.app);
}

// Names V8 gives to anonymous callbacks by where they were called from: they say nothing of the code.
const CALLER_NAMES = /<anonymous>|^(?:Timeout\._onTimeout|Immediate\.|process\.|Object\.<anonymous>|Promise\.then)/;

/** The human-readable grouping key. Named functions group by name, so edits above them do not split an incident. */
export function signatureOf(errorClass: string, message: string, location: Frame | undefined, root: string): string {
  const named = location?.fn !== undefined && !CALLER_NAMES.test(location.fn);
  const where = location ? `${path.relative(root, location.file) || location.file}:${named ? location.fn : location.line}` : 'no-app-frame';
  return `${errorClass}: ${maskMessage(message)} @ ${where}`;
}

/** A short, stable id for an incident, derived from its signature so the same fault keeps its id across runs. */
export function incidentId(signature: string): string {
  return createHash('sha256').update(signature).digest('hex').slice(0, 10);
}
