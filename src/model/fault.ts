// Faults seen in a worker, and the incidents they are grouped into.

import type { RecordedRequest } from './request.js';

/** One frame of a stack trace, after source mapping when a map was found. */
export interface Frame {
  fn?: string;
  file: string;
  line: number;
  column: number;
  /** True for frames in the user's own code (not node internals, not node_modules). */
  app: boolean;
  /** Where the frame pointed before source mapping, when a map moved it. */
  generated?: { file: string; line: number; column: number };
}

export type FaultOrigin = 'uncaughtException' | 'unhandledRejection';

/** What a sensor reports for one uncaught error. Stack is raw (unmapped) text. */
export type FaultAttribution = 'context' | 'dispatch' | 'only-in-flight' | 'none';

export interface FaultReport {
  origin: FaultOrigin;
  errorClass: string;
  message: string;
  stack: string;
  /** The request whose async context raised the fault, when there was one. */
  request?: RecordedRequest;
  /** Whether the sensor answered that request with a 500 (false when headers had already gone out). */
  answered500: boolean;
  /**
   * How the request was found: its traced async context; the request being dispatched when the
   * throw happened; the only request in flight; or not at all (`none`: the requests in flight at
   * that moment are answered 500 if still open after a grace period).
   */
  attribution: FaultAttribution;
  /** Whether the worker was tracing async context when the fault happened. */
  traced: boolean;
  pid: number;
  at: number;
}

export type ReproStatus = 'unconfirmed' | 'always' | 'sometimes' | 'never';

export interface Incident {
  id: string;
  /** Stable grouping key: error class, masked message, top application frame. */
  signature: string;
  errorClass: string;
  /** Message with values masked, e.g. `Cannot read properties of undefined (reading '<str>')`. */
  messagePattern: string;
  /** The last raw message seen. */
  message: string;
  origin: FaultOrigin;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Source-mapped stack of the first occurrence. */
  frames: Frame[];
  /** Top application frame, the fault's location in the user's source. */
  location?: Frame;
  /** Up to K triggering requests, oldest first. */
  requests: RecordedRequest[];
  reproduced: ReproStatus;
  /** The command the service ran under when the incident was opened, so it can be replayed. */
  service: ServiceSpec;
}

/** How to start the service again: used by replay and, later, by sandboxes. */
export interface ServiceSpec {
  command: string[];
  cwd: string;
}
