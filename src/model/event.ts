// Events written to the event log (`suture run --events FILE`), one JSON object per line.
// The `type` values are a public contract (see DESIGN.md): extend, never rename.

export type EventType =
  | 'start'
  | 'stop'
  | 'worker'
  | 'fault'
  | 'incident'
  | 'shield'
  | 'service'
  | 'diagnosis'
  | 'candidate'
  | 'validation'
  | 'patch'
  | 'deploy'
  | 'rollback'
  | 'anomaly'
  | 'attack';

export interface SutureEvent {
  ts: string;
  type: EventType;
  incident?: string;
  [field: string]: unknown;
}

/** Shield actions taken in issue-2 scope: containing a request, and recycling a worker. */
export type ShieldAction = 'contain' | 'recycle';
