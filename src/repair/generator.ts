// The contract every candidate generator implements: given what diagnosis learned about an
// incident, propose source edits. Adding a kind of repair is adding one file under generators/.

import type ts from 'typescript';
import type { Frame, Incident } from '../model/fault.js';
import type { CandidateKind, SuspiciousStatement } from '../model/repair.js';
import type { RecordedRequest } from '../model/request.js';
import type { FunctionNode, LoadedSource } from './source.js';

/** One application frame of the fault's stack, with its parsed source. */
export interface RepairFrame {
  frame: Frame;
  source: LoadedSource;
  /** Offset of the frame's position in the source. */
  pos: number;
  node: ts.Node;
  fn: FunctionNode | null;
  /** 0 for the faulting frame, 1 for its caller, and so on (one per distinct function). */
  distance: number;
}

export interface RepairContext {
  root: string;
  incident: Incident;
  frames: RepairFrame[];
  ranking: SuspiciousStatement[];
  /** Recorded normal requests to the incident's routes. */
  normal: RecordedRequest[];
  /** Whether the repair may edit this (absolute) file. */
  editable: (file: string) => boolean;
}

export interface DraftEdit {
  /** Absolute path. */
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface DraftCandidate {
  kind: CandidateKind;
  description: string;
  distance: number;
  edits: DraftEdit[];
}

export interface CandidateGenerator {
  readonly name: string;
  generate(ctx: RepairContext): Iterable<DraftCandidate>;
}
