// The one interface every stage uses to keep state. SQLite is the embedded default; the interface
// is async so that a PostgreSQL backend for fleets can sit behind it unchanged.

import type { AuditEntry, AuditHead, AuditInput } from '../model/audit.js';
import type { FaultOrigin, Frame, Incident, ReproStatus, ServiceSpec } from '../model/fault.js';
import type { Candidate, Diagnosis, Patch, PatchStatus, Validation } from '../model/repair.js';
import type { RecordedRequest } from '../model/request.js';

/** One fault, already mapped and grouped, as the supervisor hands it to the store. */
export interface FaultRecord {
  signature: string;
  id: string;
  errorClass: string;
  messagePattern: string;
  message: string;
  origin: FaultOrigin;
  frames: Frame[];
  location?: Frame;
  request?: RecordedRequest;
  at: string;
  service: ServiceSpec;
}

export interface IncidentSummary {
  id: string;
  errorClass: string;
  messagePattern: string;
  origin: FaultOrigin;
  count: number;
  firstSeen: string;
  lastSeen: string;
  location?: Frame;
  reproduced: ReproStatus;
  service: ServiceSpec;
}

export interface Store {
  /** Adds a fault to its incident, opening the incident if it is the first of its signature. Atomic. */
  recordFault(fault: FaultRecord): Promise<{ incident: Incident; opened: boolean }>;
  listIncidents(): Promise<IncidentSummary[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  setReproduced(id: string, status: ReproStatus): Promise<void>;
  /** Keeps recorded normal traffic, bounded per route. */
  recordTraffic(requests: readonly RecordedRequest[]): Promise<void>;
  trafficFor(route: string, limit: number): Promise<RecordedRequest[]>;
  /** Recent recorded normal traffic on any route, newest first. */
  recentTraffic(limit: number): Promise<RecordedRequest[]>;
  saveDiagnosis(diagnosis: Diagnosis): Promise<void>;
  getDiagnosis(incident: string): Promise<Diagnosis | undefined>;
  /** Replaces an incident's validated candidates, best first. */
  saveCandidates(incident: string, ranked: { candidate: Candidate; validation: Validation }[]): Promise<void>;
  candidatesFor(incident: string): Promise<{ candidate: Candidate; validation: Validation }[]>;
  savePatch(patch: Patch): Promise<void>;
  setPatchStatus(id: string, status: PatchStatus): Promise<void>;
  getPatch(id: string): Promise<Patch | undefined>;
  listPatches(): Promise<Patch[]>;
  /**
   * Appends one audit entry, chained to the last one, and moves the trail's head to it. Atomic and
   * serialised across processes: two writers never fork the chain.
   */
  appendAudit(input: AuditInput): Promise<AuditEntry>;
  /** Audit entries oldest first; with `incident`, only that incident's. */
  listAudit(options?: { incident?: string }): Promise<AuditEntry[]>;
  /** Every audit entry and the head, read at one instant (what verification needs). */
  auditTrail(): Promise<{ entries: AuditEntry[]; head: AuditHead | undefined }>;
  close(): Promise<void>;
}

export interface StoreLimits {
  /** Triggering requests kept per incident. */
  requestsPerIncident: number;
  /** Normal requests kept per route. */
  trafficPerRoute: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = { requestsPerIncident: 10, trafficPerRoute: 50 };

/** A store that cannot be opened or read: the message names the file and what to do. */
export class StoreError extends Error {}
