// The audit trail: one append-only entry per action Suture or a person takes, each linked to the
// one before by its hash, so an edited or removed entry shows. The hash is defined here, once, so
// every store backend writes and every verifier checks the same bytes.

import { createHash } from 'node:crypto';

export type AuditAction =
  | 'incident-opened'
  | 'shield-raised'
  | 'shield-lifted'
  | 'candidate-validated'
  | 'patch-proposed'
  | 'patch-approved'
  | 'patch-rejected'
  | 'patch-deployed'
  | 'patch-rolled-back'
  | 'canary-started'
  | 'canary-promoted'
  | 'canary-rolled-back';

/** Who acted: Suture itself, or a named user. */
export const AUTOMATIC_ACTOR = 'suture';

/** What a caller hands the store; the store adds the sequence number, time and chain links. */
export interface AuditInput {
  action: AuditAction;
  /** AUTOMATIC_ACTOR, or the name of the person who acted. */
  actor: string;
  incident?: string;
  patch?: string;
  /** One line a person reads. */
  summary: string;
  /** What the action was based on; plain JSON (undefined fields are dropped, as JSON drops them). */
  evidence: Record<string, unknown>;
}

export interface AuditEntry extends AuditInput {
  /** 1, 2, 3… with no gaps. */
  seq: number;
  /** ISO-8601, when the store committed the entry. */
  at: string;
  /** The previous entry's hash; GENESIS_HASH for the first. */
  prev: string;
  /** sha256 (hex) of auditContent(this entry). */
  hash: string;
}

/** The last entry the store wrote, kept apart from the entries so that removing the newest ones shows. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  // A JSON round trip first, so what is hashed is exactly what a store can keep and give back.
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : sorted(JSON.parse(text));
}

function sorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sorted).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sorted(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The text an entry's hash covers: every field but the hash itself. */
export function auditContent(entry: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    actor: entry.actor,
    incident: entry.incident ?? null,
    patch: entry.patch ?? null,
    summary: entry.summary,
    evidence: entry.evidence,
    prev: entry.prev,
  });
}

export function auditHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(auditContent(entry)).digest('hex');
}
