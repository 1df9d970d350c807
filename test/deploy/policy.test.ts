// judgePatch: which validated patches a person may approve (inside every limit of the policy) and
// which Suture may deploy on its own (`mode: auto`, and tests strong enough to vouch for it).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig, type PolicyConfig } from '../../src/config/config.js';
import { judgePatch } from '../../src/deploy/policy.js';
import type { CandidateKind, Patch, Validation } from '../../src/model/repair.js';

const SOURCES = defaultConfig('/srv/app').sources;

function policy(over: Partial<PolicyConfig> = {}): PolicyConfig {
  return { ...defaultConfig('/srv/app').policy, ...over };
}

interface PatchOptions {
  files?: string[];
  kind?: CandidateKind;
  diffLines?: number;
  passed?: boolean;
  reason?: string;
  mutationScore?: Validation['mutationScore'];
}

function patch(o: PatchOptions = {}): Patch {
  const check = { total: 1, statuses: [400], failed: 0, failures: [] };
  const validation: Validation = {
    candidate: 'c1',
    passed: o.passed ?? true,
    tests: { ok: true, baselineRed: false },
    trigger: check,
    earlier: { total: 0, statuses: [], failed: 0, failures: [] },
    variants: { total: 0, statuses: [], failed: 0, failures: [] },
    behaviour: { total: 10, preserved: 10, fraction: 1, differences: [] },
    durationMs: 1,
  };
  if (o.reason !== undefined) validation.reason = o.reason;
  if (o.mutationScore !== undefined) validation.mutationScore = o.mutationScore;
  const files = o.files ?? ['src/shipping.js'];
  return {
    id: 'p1',
    incident: 'i1',
    candidate: {
      id: 'c1',
      incident: 'i1',
      kind: o.kind ?? 'guard',
      description: 'a guard',
      edits: files.map((file) => ({ file, start: 0, end: 0, text: '' })),
      diff: '',
      diffLines: o.diffLines ?? 2,
      distance: 0,
    },
    validation,
    status: 'proposed',
    createdAt: new Date(0).toISOString(),
    diffFile: '.suture/patches/p1.diff',
    secondsToPatch: 1,
  };
}

describe('judgePatch', () => {
  test('propose mode: a patch inside every limit may be approved by a person, never deployed automatically', () => {
    assert.deepEqual(judgePatch(patch(), policy({ mode: 'propose' }), SOURCES), { allowed: true, automatic: false, reasons: [] });
  });

  test('auto mode: the same patch is deployed without a person', () => {
    assert.deepEqual(judgePatch(patch(), policy({ mode: 'auto' }), SOURCES), { allowed: true, automatic: true, reasons: [] });
  });

  test('a patch over maxDiffLines is outside the policy, in either mode; one at the limit is inside', () => {
    for (const mode of ['propose', 'auto'] as const) {
      const v = judgePatch(patch({ diffLines: 41 }), policy({ mode, maxDiffLines: 40 }), SOURCES);
      assert.equal(v.allowed, false);
      assert.equal(v.automatic, false);
      assert.deepEqual(v.reasons, ['it changes 41 lines, over policy.maxDiffLines (40)']);
    }
    assert.equal(judgePatch(patch({ diffLines: 40 }), policy({ maxDiffLines: 40 }), SOURCES).allowed, true);
  });

  test('a kind not in policy.kinds is outside the policy', () => {
    const v = judgePatch(patch({ kind: 'mutation' }), policy({ mode: 'auto', kinds: ['guard', 'input-validation'] }), SOURCES);
    assert.equal(v.allowed, false);
    assert.equal(v.automatic, false);
    assert.deepEqual(v.reasons, ['its kind "mutation" is not in policy.kinds (guard, input-validation)']);
  });

  test('with paths null, the repair sources decide which files a patch may edit', () => {
    assert.equal(judgePatch(patch({ files: ['src/routes/orders.js', 'server.js'] }), policy({ paths: null }), SOURCES).allowed, true);
    const v = judgePatch(patch({ files: ['src/shipping.js', 'test/shipping.test.js'] }), policy({ paths: null }), ['src/**']);
    assert.equal(v.allowed, false);
    assert.deepEqual(v.reasons, ['it edits test/shipping.test.js, outside sources (src/**)']);
  });

  test('policy.paths, when set, replaces the sources', () => {
    const inside = judgePatch(patch({ files: ['src/routes/orders.js'] }), policy({ paths: ['src/routes/**'] }), SOURCES);
    assert.equal(inside.allowed, true);
    const v = judgePatch(patch({ files: ['src/shipping.js'] }), policy({ paths: ['src/routes/**'] }), SOURCES);
    assert.equal(v.allowed, false);
    assert.deepEqual(v.reasons, ['it edits src/shipping.js, outside policy.paths (src/routes/**)']);
  });

  test('Windows separators in an edit are read as forward slashes', () => {
    assert.equal(judgePatch(patch({ files: ['src\\shipping.js'] }), policy(), ['src/**']).allowed, true);
  });

  test('a patch whose validation failed is never allowed, and says why', () => {
    const v = judgePatch(patch({ passed: false, reason: 'recorded traffic changed' }), policy({ mode: 'auto' }), SOURCES);
    assert.equal(v.allowed, false);
    assert.equal(v.automatic, false);
    assert.deepEqual(v.reasons, ['its validation failed (recorded traffic changed)']);
  });

  test('every broken limit is listed', () => {
    const v = judgePatch(patch({ passed: false, diffLines: 99, kind: 'mutation', files: ['test/a.js'] }), policy({ kinds: ['guard'] }), ['src/**']);
    assert.equal(v.allowed, false);
    assert.equal(v.reasons.length, 4, v.reasons.join('\n'));
  });

  test('a weak mutation score blocks automatic deployment but leaves the patch for a person to approve', () => {
    const weak = { score: 25, killed: 1, mutants: 4, weak: true };
    const auto = judgePatch(patch({ mutationScore: weak }), policy({ mode: 'auto' }), SOURCES);
    assert.equal(auto.allowed, true);
    assert.equal(auto.automatic, false);
    assert.equal(auto.reasons.length, 1);
    assert.match(auto.reasons[0]!, /kill few mutants \(score 25\): left for a person to approve/);

    const propose = judgePatch(patch({ mutationScore: weak }), policy({ mode: 'propose' }), SOURCES);
    assert.deepEqual(propose, { allowed: true, automatic: false, reasons: [] });

    const strong = judgePatch(patch({ mutationScore: { score: 90, killed: 9, mutants: 10, weak: false } }), policy({ mode: 'auto' }), SOURCES);
    assert.deepEqual(strong, { allowed: true, automatic: true, reasons: [] });

    const none = judgePatch(patch({ mutationScore: { score: null, killed: 0, mutants: 0, weak: true } }), policy({ mode: 'auto' }), SOURCES);
    assert.equal(none.automatic, false);
    assert.match(none.reasons[0]!, /score n\/a/);
  });
});
