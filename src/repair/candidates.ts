// Runs the generators over an incident's stack and turns their drafts into candidates: edits
// relative to the project root, with a unified diff each, duplicates dropped.

import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Frame, Incident } from '../model/fault.js';
import type { Candidate, SuspiciousStatement } from '../model/repair.js';
import type { RecordedRequest } from '../model/request.js';
import { globToRegExp } from '../mutate/glob.js';
import { diffSize, unifiedDiff } from './diff.js';
import type { CandidateGenerator, DraftCandidate, RepairContext, RepairFrame } from './generator.js';
import { errorVirtualisation } from './generators/error-virtualisation.js';
import { inputValidation } from './generators/input-validation.js';
import { mutationSearch } from './generators/mutation-search.js';
import { nullGuard } from './generators/null-guard.js';
import { rangeGuard } from './generators/range-guard.js';
import { typeGuard } from './generators/type-guard.js';
import { enclosingFunction, loadSource, nodeAt, offsetOf } from './source.js';

/** Generators whose candidates are validated first; mutation search runs only when none of them passes. */
export const directGenerators: readonly CandidateGenerator[] = [nullGuard, typeGuard, rangeGuard, inputValidation, errorVirtualisation];
export const searchGenerators: readonly CandidateGenerator[] = [mutationSearch];

export interface CandidateInput {
  root: string;
  incident: Incident;
  ranking: SuspiciousStatement[];
  normal: RecordedRequest[];
  /** Glob-like patterns of files the repair may edit, relative to root. */
  sources: string[];
}

export function editableFilter(root: string, sources: string[]): (file: string) => boolean {
  const patterns = sources.map(globToRegExp);
  return (file) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (rel.startsWith('..') || rel.includes('node_modules/') || rel.startsWith('.suture/')) return false;
    return patterns.some((p) => p.test(rel));
  };
}

/** The incident's application frames in editable files, one per distinct function, with parsed sources. */
export function repairFrames(incident: Incident, editable: (file: string) => boolean): RepairFrame[] {
  const frames: RepairFrame[] = [];
  const seen = new Set<string>();
  for (const frame of incident.frames.filter((f: Frame) => f.app)) {
    if (!editable(frame.file)) continue;
    const source = loadSource(frame.file);
    if (!source) continue;
    const pos = offsetOf(source, frame.line, frame.column);
    const node = nodeAt(source, pos);
    const fn = enclosingFunction(node);
    const key = fn ? `${frame.file}:${fn.pos}` : `${frame.file}:${frame.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    frames.push({ frame, source, pos, node, fn, distance: frames.length });
  }
  return frames;
}

export function repairContext(input: CandidateInput): RepairContext {
  const editable = editableFilter(input.root, input.sources);
  return { root: input.root, incident: input.incident, frames: repairFrames(input.incident, editable), ranking: input.ranking, normal: input.normal, editable };
}

/** Applies a draft's edits to the original sources and makes a candidate with its diff. */
export function toCandidate(ctx: RepairContext, draft: DraftCandidate): Candidate | null {
  const byFile = new Map<string, DraftCandidate['edits']>();
  for (const edit of draft.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  const diffs: string[] = [];
  for (const [file, edits] of byFile) {
    const source = loadSource(file);
    if (!source) return null;
    let text = source.text;
    for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    const diff = unifiedDiff(path.relative(ctx.root, file).split(path.sep).join('/'), source.text, text);
    if (diff === '') return null;
    diffs.push(diff);
  }
  const diff = diffs.join('');
  const id = createHash('sha256').update(diff).digest('hex').slice(0, 8);
  return {
    id,
    incident: ctx.incident.id,
    kind: draft.kind,
    description: draft.description,
    edits: draft.edits.map((e) => ({ ...e, file: path.relative(ctx.root, e.file).split(path.sep).join('/') })),
    diff,
    diffLines: diffSize(diff),
    distance: draft.distance,
  };
}

export function generateCandidates(ctx: RepairContext, generators: readonly CandidateGenerator[]): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const generator of generators) {
    for (const draft of generator.generate(ctx)) {
      const candidate = toCandidate(ctx, draft);
      if (!candidate || seen.has(candidate.diff)) continue;
      seen.add(candidate.diff);
      out.push(candidate);
    }
  }
  return out;
}
