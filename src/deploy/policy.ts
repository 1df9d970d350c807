// Whether a validated patch may be deployed: the operator's limits (size, kinds, paths) and mode.
// A patch outside them stays a proposal, whoever asks.

import { globToRegExp } from '../mutate/glob.js';
import type { PolicyConfig } from '../config/config.js';
import type { Patch } from '../model/repair.js';

export interface PolicyVerdict {
  /** Inside every limit: a person may approve it. */
  allowed: boolean;
  /** Allowed, and the mode lets Suture deploy it without a person. */
  automatic: boolean;
  /** Each limit the patch breaks, worded for the operator. */
  reasons: string[];
}

export function judgePatch(patch: Patch, policy: PolicyConfig, sources: readonly string[]): PolicyVerdict {
  const reasons: string[] = [];
  const { candidate, validation } = patch;
  if (!validation.passed) reasons.push(`its validation failed (${validation.reason ?? 'see the report'})`);
  if (candidate.diffLines > policy.maxDiffLines) {
    reasons.push(`it changes ${candidate.diffLines} lines, over policy.maxDiffLines (${policy.maxDiffLines})`);
  }
  if (!policy.kinds.includes(candidate.kind)) reasons.push(`its kind "${candidate.kind}" is not in policy.kinds (${policy.kinds.join(', ')})`);
  const globs = policy.paths ?? [...sources];
  const patterns = globs.map(globToRegExp);
  for (const file of new Set(candidate.edits.map((e) => e.file.split('\\').join('/')))) {
    if (!patterns.some((p) => p.test(file))) reasons.push(`it edits ${file}, outside ${policy.paths ? 'policy.paths' : 'sources'} (${globs.join(', ')})`);
  }
  const allowed = reasons.length === 0;
  let automatic = allowed && policy.mode === 'auto';
  // Tests that kill few mutants on the patched lines cannot vouch for it: a person decides.
  if (automatic && validation.mutationScore?.weak) {
    automatic = false;
    reasons.push(`the tests on its lines kill few mutants (score ${validation.mutationScore.score ?? 'n/a'}): left for a person to approve`);
  }
  return { allowed, automatic, reasons };
}
