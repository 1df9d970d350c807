// The embedded store: one SQLite file in WAL mode. Every write is one transaction, so a supervisor
// killed at any instant leaves each incident either fully recorded or not at all.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH, type AuditEntry, type AuditHead, type AuditInput } from '../../model/audit.js';
import type { Incident, ReproStatus } from '../../model/fault.js';
import type { Candidate, Diagnosis, Patch, PatchStatus, Validation } from '../../model/repair.js';
import { routeOf, type RecordedRequest } from '../../model/request.js';
import {
  DEFAULT_STORE_LIMITS,
  StoreError,
  type FaultRecord,
  type IncidentSummary,
  type Store,
  type StoreLimits,
} from '../store.js';
import { MIGRATIONS } from './migrations.js';

interface IncidentRow {
  id: string;
  signature: string;
  error_class: string;
  message_pattern: string;
  message: string;
  origin: Incident['origin'];
  count: number;
  first_seen: string;
  last_seen: string;
  frames: string;
  location: string | null;
  reproduced: ReproStatus;
  service: string;
}

interface AuditRow {
  seq: number;
  at: string;
  action: AuditEntry['action'];
  actor: string;
  incident_id: string | null;
  patch_id: string | null;
  summary: string;
  evidence: string;
  prev: string;
  hash: string;
}

function auditEntryOf(r: AuditRow): AuditEntry {
  let evidence: Record<string, unknown>;
  try {
    evidence = JSON.parse(r.evidence) as Record<string, unknown>;
  } catch {
    // Edited into something that is not JSON: still listed (its hash then fails verification), never a crash.
    evidence = { unreadable: r.evidence };
  }
  const entry: AuditEntry = { seq: r.seq, at: r.at, action: r.action, actor: r.actor, summary: r.summary, evidence, prev: r.prev, hash: r.hash };
  if (r.incident_id !== null) entry.incident = r.incident_id;
  if (r.patch_id !== null) entry.patch = r.patch_id;
  return entry;
}

export interface OpenOptions {
  /** Open an existing store only; never create one (read-only commands). */
  mustExist?: boolean;
  limits?: Partial<StoreLimits>;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly limits: StoreLimits;

  private constructor(db: Database.Database, limits: StoreLimits) {
    this.db = db;
    this.limits = limits;
  }

  static open(file: string, options: OpenOptions = {}): SqliteStore {
    const fix = `move it aside or point --store at another file`;
    if (options.mustExist && !fs.existsSync(file)) {
      throw new StoreError(`no store at ${file}; run the service under suture run first, or pass --store PATH`);
    }
    try {
      if (!options.mustExist) fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (err) {
      throw new StoreError(`cannot create the store's folder ${path.dirname(file)} (${(err as Error).message}); pass --store PATH`);
    }
    let db: Database.Database;
    try {
      db = new Database(file, { fileMustExist: options.mustExist ?? false });
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      // NORMAL is durable against a killed process (the WAL is in the OS's hands once written);
      // only a power loss could lose the last transactions.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    } catch (err) {
      throw new StoreError(`cannot open the store ${file}: ${(err as Error).message}; ${fix}`);
    }
    const store = new SqliteStore(db, { ...DEFAULT_STORE_LIMITS, ...options.limits });
    try {
      store.migrate();
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError(`the store ${file} is not a readable Suture database (${(err as Error).message}); ${fix}`);
    }
    return store;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreError(`the store was written by a newer Suture (schema ${version}, this one knows ${MIGRATIONS.length}); upgrade suture`);
    }
    // Touch the schema even when there is nothing to migrate, so a file that is not SQLite fails here.
    this.db.prepare('SELECT count(*) FROM sqlite_master').get();
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  async recordFault(fault: FaultRecord): Promise<{ incident: Incident; opened: boolean }> {
    const write = this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id FROM incidents WHERE signature = ?').get(fault.signature) as { id: string } | undefined;
      const id = existing?.id ?? fault.id;
      if (existing) {
        this.db
          .prepare('UPDATE incidents SET count = count + 1, last_seen = ?, message = ? WHERE id = ?')
          .run(fault.at, fault.message, id);
      } else {
        this.db
          .prepare(
            `INSERT INTO incidents (id, signature, error_class, message_pattern, message, origin, count, first_seen, last_seen, frames, location, service)
             VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            fault.signature,
            fault.errorClass,
            fault.messagePattern,
            fault.message,
            fault.origin,
            fault.at,
            fault.at,
            JSON.stringify(fault.frames),
            fault.location ? JSON.stringify(fault.location) : null,
            JSON.stringify(fault.service),
          );
      }
      if (fault.request) {
        this.db.prepare('INSERT INTO incident_requests (incident_id, request, at) VALUES (?, ?, ?)').run(id, JSON.stringify(fault.request), fault.at);
        this.db
          .prepare(
            `DELETE FROM incident_requests WHERE incident_id = ? AND seq NOT IN
               (SELECT seq FROM incident_requests WHERE incident_id = ? ORDER BY seq DESC LIMIT ?)`,
          )
          .run(id, id, this.limits.requestsPerIncident);
      }
      return { id, opened: !existing };
    });
    const { id, opened } = write.immediate();
    return { incident: this.readIncident(id)!, opened };
  }

  async listIncidents(): Promise<IncidentSummary[]> {
    const rows = this.db.prepare('SELECT * FROM incidents ORDER BY last_seen DESC').all() as IncidentRow[];
    return rows.map((r) => {
      const summary: IncidentSummary = {
        id: r.id,
        errorClass: r.error_class,
        messagePattern: r.message_pattern,
        origin: r.origin,
        count: r.count,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        reproduced: r.reproduced,
        service: JSON.parse(r.service),
      };
      if (r.location) summary.location = JSON.parse(r.location);
      return summary;
    });
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return this.readIncident(id);
  }

  private readIncident(id: string): Incident | undefined {
    const r = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(id) as IncidentRow | undefined;
    if (!r) return undefined;
    const requests = (
      this.db.prepare('SELECT request FROM incident_requests WHERE incident_id = ? ORDER BY seq').all(id) as { request: string }[]
    ).map((row) => JSON.parse(row.request) as RecordedRequest);
    const incident: Incident = {
      id: r.id,
      signature: r.signature,
      errorClass: r.error_class,
      messagePattern: r.message_pattern,
      message: r.message,
      origin: r.origin,
      count: r.count,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      frames: JSON.parse(r.frames),
      requests,
      reproduced: r.reproduced,
      service: JSON.parse(r.service),
    };
    if (r.location) incident.location = JSON.parse(r.location);
    return incident;
  }

  async setReproduced(id: string, status: ReproStatus): Promise<void> {
    this.db.prepare('UPDATE incidents SET reproduced = ? WHERE id = ?').run(status, id);
  }

  async recordTraffic(requests: readonly RecordedRequest[]): Promise<void> {
    if (requests.length === 0) return;
    const at = new Date().toISOString();
    const insert = this.db.prepare('INSERT INTO traffic (route, request, at) VALUES (?, ?, ?)');
    const trim = this.db.prepare(
      `DELETE FROM traffic WHERE route = ? AND seq NOT IN (SELECT seq FROM traffic WHERE route = ? ORDER BY seq DESC LIMIT ?)`,
    );
    this.db.transaction(() => {
      const routes = new Set<string>();
      for (const req of requests) {
        const route = routeOf(req.method, req.url);
        routes.add(route);
        insert.run(route, JSON.stringify(req), at);
      }
      for (const route of routes) trim.run(route, route, this.limits.trafficPerRoute);
    }).immediate();
  }

  async trafficFor(route: string, limit: number): Promise<RecordedRequest[]> {
    const rows = this.db.prepare('SELECT request FROM traffic WHERE route = ? ORDER BY seq DESC LIMIT ?').all(route, limit) as { request: string }[];
    return rows.map((row) => JSON.parse(row.request) as RecordedRequest);
  }

  async recentTraffic(limit: number): Promise<RecordedRequest[]> {
    const rows = this.db.prepare('SELECT request FROM traffic ORDER BY seq DESC LIMIT ?').all(limit) as { request: string }[];
    return rows.map((row) => JSON.parse(row.request) as RecordedRequest);
  }

  async saveDiagnosis(diagnosis: Diagnosis): Promise<void> {
    this.db
      .prepare('INSERT INTO diagnoses (incident_id, diagnosis, at) VALUES (?, ?, ?) ON CONFLICT(incident_id) DO UPDATE SET diagnosis = excluded.diagnosis, at = excluded.at')
      .run(diagnosis.incident, JSON.stringify(diagnosis), new Date().toISOString());
  }

  async getDiagnosis(incident: string): Promise<Diagnosis | undefined> {
    const row = this.db.prepare('SELECT diagnosis FROM diagnoses WHERE incident_id = ?').get(incident) as { diagnosis: string } | undefined;
    return row ? (JSON.parse(row.diagnosis) as Diagnosis) : undefined;
  }

  async saveCandidates(incident: string, ranked: { candidate: Candidate; validation: Validation }[]): Promise<void> {
    const at = new Date().toISOString();
    const insert = this.db.prepare('INSERT INTO candidates (incident_id, id, rank, candidate, validation, at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM candidates WHERE incident_id = ?').run(incident);
      ranked.forEach((r, i) => insert.run(incident, r.candidate.id, i, JSON.stringify(r.candidate), JSON.stringify(r.validation), at));
    }).immediate();
  }

  async candidatesFor(incident: string): Promise<{ candidate: Candidate; validation: Validation }[]> {
    const rows = this.db.prepare('SELECT candidate, validation FROM candidates WHERE incident_id = ? ORDER BY rank').all(incident) as { candidate: string; validation: string }[];
    return rows.map((r) => ({ candidate: JSON.parse(r.candidate) as Candidate, validation: JSON.parse(r.validation) as Validation }));
  }

  async savePatch(patch: Patch): Promise<void> {
    this.db
      .prepare('INSERT INTO patches (id, incident_id, status, created_at, patch) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, patch = excluded.patch')
      .run(patch.id, patch.incident, patch.status, patch.createdAt, JSON.stringify(patch));
  }

  async setPatchStatus(id: string, status: PatchStatus): Promise<void> {
    const patch = await this.getPatch(id);
    if (!patch) return;
    this.db.prepare('UPDATE patches SET status = ?, patch = ? WHERE id = ?').run(status, JSON.stringify({ ...patch, status }), id);
  }

  async getPatch(id: string): Promise<Patch | undefined> {
    const row = this.db.prepare('SELECT patch FROM patches WHERE id = ?').get(id) as { patch: string } | undefined;
    return row ? (JSON.parse(row.patch) as Patch) : undefined;
  }

  async listPatches(): Promise<Patch[]> {
    const rows = this.db.prepare('SELECT patch FROM patches ORDER BY created_at DESC').all() as { patch: string }[];
    return rows.map((r) => JSON.parse(r.patch) as Patch);
  }

  async appendAudit(input: AuditInput): Promise<AuditEntry> {
    const append = this.db.transaction((): AuditEntry => {
      // The head, not the newest row, says where the chain goes on: were the newest rows removed,
      // the next entry leaves a gap that verification sees, instead of quietly reusing their numbers.
      const head =
        (this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined) ??
        (this.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as AuditHead | undefined);
      const unhashed: Omit<AuditEntry, 'hash'> = {
        seq: (head?.seq ?? 0) + 1,
        at: new Date().toISOString(),
        action: input.action,
        actor: input.actor,
        summary: input.summary,
        // Kept as JSON gives it back, so the hash of what is read equals the hash of what was written.
        evidence: JSON.parse(JSON.stringify(input.evidence ?? {})) as Record<string, unknown>,
        prev: head?.hash ?? GENESIS_HASH,
      };
      if (input.incident !== undefined) unhashed.incident = input.incident;
      if (input.patch !== undefined) unhashed.patch = input.patch;
      const entry: AuditEntry = { ...unhashed, hash: auditHash(unhashed) };
      this.db
        .prepare('INSERT INTO audit (seq, at, action, actor, incident_id, patch_id, summary, evidence, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entry.seq, entry.at, entry.action, entry.actor, entry.incident ?? null, entry.patch ?? null, entry.summary, JSON.stringify(entry.evidence), entry.prev, entry.hash);
      this.db
        .prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash')
        .run(entry.seq, entry.hash);
      return entry;
    });
    // IMMEDIATE takes the write lock before the head is read: the supervisor, a heal process and
    // the CLI appending at once are serialised, so no two entries ever claim the same predecessor.
    return append.immediate();
  }

  async listAudit(options: { incident?: string } = {}): Promise<AuditEntry[]> {
    const rows =
      options.incident === undefined
        ? (this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[])
        : (this.db.prepare('SELECT * FROM audit WHERE incident_id = ? ORDER BY seq').all(options.incident) as AuditRow[]);
    return rows.map(auditEntryOf);
  }

  async auditTrail(): Promise<{ entries: AuditEntry[]; head: AuditHead | undefined }> {
    // One read transaction, one snapshot: an append landing between the two reads would otherwise
    // look like a removed entry.
    return this.db.transaction(() => {
      const entries = (this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[]).map(auditEntryOf);
      const head = this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined;
      return { entries, head };
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
