// A patch made by hand, as if a heal had validated it: one text replacement in one file, with its
// unified diff taken from the file as it is now. Deploy tests and benchmarks use it for patches
// whose validation is beside the point (a canary must catch a regression the sandbox missed).

import fs from 'node:fs';
import path from 'node:path';
import type { CandidateKind, Patch, Validation } from '../../src/model/repair.js';
import { diffSize, unifiedDiff } from '../../src/repair/diff.js';

export interface ReplacementPatch {
  /** The project root; `file` is relative to it. */
  root: string;
  file: string;
  find: string;
  replace: string;
  id: string;
  incident: string;
  kind?: CandidateKind;
  description?: string;
  /** Validation fields that differ from a plain pass (tests pass, the trigger answered 400). */
  validation?: Partial<Validation>;
}

export function replacementPatch(p: ReplacementPatch): Patch {
  const before = fs.readFileSync(path.join(p.root, p.file), 'utf8');
  const start = before.indexOf(p.find);
  if (start < 0) throw new Error(`${p.file} no longer holds the text the patch replaces: ${p.find}`);
  const after = before.slice(0, start) + p.replace + before.slice(start + p.find.length);
  const diff = unifiedDiff(p.file, before, after);
  const none = { total: 0, statuses: [], failed: 0, failures: [] };
  return {
    id: p.id,
    incident: p.incident,
    candidate: {
      id: p.id,
      incident: p.incident,
      kind: p.kind ?? 'guard',
      description: p.description ?? `replace ${p.find.trim()}`,
      edits: [{ file: p.file, start, end: start + p.find.length, text: p.replace }],
      diff,
      diffLines: diffSize(diff),
      distance: 0,
    },
    validation: {
      candidate: p.id,
      passed: true,
      tests: { ok: true, baselineRed: false },
      trigger: { total: 1, statuses: [400], failed: 0, failures: [] },
      earlier: none,
      variants: none,
      behaviour: { total: 10, preserved: 10, fraction: 1, differences: [] },
      durationMs: 1,
      ...p.validation,
    },
    status: 'proposed',
    createdAt: new Date().toISOString(),
    diffFile: `.suture/patches/${p.id}.diff`,
    secondsToPatch: 1,
  };
}
