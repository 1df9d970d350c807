// Diagnosis, candidates, validations and patches: what healing produces from an incident.

import type { ReproStatus } from './fault.js';

/** A statement ranked by spectrum-based suspiciousness (Ochiai) over failing and passing replays. */
export interface SuspiciousStatement {
  /** Original source file (absolute), after source mapping. */
  file: string;
  line: number;
  score: number;
  /** Failing runs that executed it, passing runs that executed it. */
  failed: number;
  passed: number;
}

export interface Localisation {
  /** The faulting function and its callers, top of the stack first: `file:line fn`. */
  stack: { file: string; line: number; column: number; fn?: string }[];
  ranking: SuspiciousStatement[];
  failingRuns: number;
  passingRuns: number;
}

export interface Diagnosis {
  incident: string;
  reproduced: ReproStatus;
  replays: number;
  localisation?: Localisation;
}

export type CandidateKind = 'guard' | 'input-validation' | 'error-virtualisation' | 'mutation';

/** One textual change to one original source file. */
export interface Edit {
  /** Path relative to the project root. */
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface Candidate {
  id: string;
  incident: string;
  kind: CandidateKind;
  description: string;
  edits: Edit[];
  /** Unified diff against the original source. */
  diff: string;
  /** Lines added plus lines removed. */
  diffLines: number;
  /** How far from the fault the change is: 0 at the faulting frame, 1 at its caller… */
  distance: number;
}

export interface RequestCheck {
  total: number;
  /** The status each request was answered with (0 when it got no answer). */
  statuses: number[];
  /** Requests that still faulted (or answered 5xx). */
  failed: number;
  failures: { request: string; reason: string }[];
}

export interface Validation {
  candidate: string;
  passed: boolean;
  /** Why it did not pass, when it did not. */
  reason?: string;
  build?: { ok: boolean; output?: string };
  tests: { ok: boolean; /** The suite was already red before the patch; `ok` then means no new failure. */ baselineRed: boolean; output?: string };
  trigger: RequestCheck;
  earlier: RequestCheck;
  variants: RequestCheck;
  behaviour: { total: number; preserved: number; fraction: number; differences: { request: string; expected: string; got: string }[] };
  /**
   * Mutation score of the project's tests on the patch's hunk (the changed lines and 3 around them):
   * how far those tests can judge a change there. `score` is null when there are no mutants there or
   * no test reaches them; `weak` flags a patch validated by tests that kill under half of them.
   */
  mutationScore?: { score: number | null; killed: number; mutants: number; weak: boolean };
  durationMs: number;
}

/**
 * proposed → approved (applied to the source tree) → deployed (promoted to every worker), or
 * rolled-back (taken out again, by a canary's verdict or a person); a proposal may be rejected.
 */
export type PatchStatus = 'proposed' | 'approved' | 'rejected' | 'deployed' | 'rolled-back';

/** How a patch was put into the source tree, so it can be taken out again. */
export interface Deployment {
  mode: 'git' | 'plain';
  appliedAt: string;
  /** Project-relative files the patch edits. */
  files: string[];
  branch?: string;
  /** The branch (or commit, when HEAD was detached) the patch branch started from. */
  baseBranch?: string;
  baseCommit?: string;
  commit?: string;
}

/** What a canary rollout concluded, and why. */
export interface Rollout {
  outcome: 'promoted' | 'rolled-back';
  reason: string;
  startedAt: string;
  finishedAt: string;
  canary: WindowStats;
  baseline: WindowStats;
}

/** One group of workers over a canary window. */
export interface WindowStats {
  workers: number[];
  requests: number;
  errors5xx: number;
  faults: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  loopDelayP99Ms: number | null;
  /** Heap growth, bytes per second, by least squares over the window. */
  heapSlope: number | null;
}

export interface Patch {
  id: string;
  incident: string;
  candidate: Candidate;
  validation: Validation;
  status: PatchStatus;
  createdAt: string;
  /** Where the diff was written: `.suture/patches/<id>.diff`. */
  diffFile: string;
  /** Seconds from the incident's first fault to this validated patch. */
  secondsToPatch: number;
  deployment?: Deployment;
  rollout?: Rollout;
  /** Who approved, rejected or rolled it back last, and when. */
  decidedBy?: { actor: string; at: string; action: string };
}

export interface HealReport {
  incident: string;
  diagnosis: Diagnosis;
  candidates: number;
  validated: number;
  passed: number;
  patch?: Patch;
  /** Every candidate with its validation, best first. */
  ranked: { candidate: Candidate; validation: Validation }[];
  /** The suite before any patch. */
  baseline: { testsOk: boolean; output?: string };
  durationMs: number;
  note?: string;
}
