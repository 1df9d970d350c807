// rank: passing before failing, then behaviour preserved, variants handled, the faulting request
// refused rather than accepted, a smaller diff, a change closer to the fault, a finer kind.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Candidate, CandidateKind, Validation } from '../../src/model/repair.js';
import { compareRanked, rank, type Ranked } from '../../src/validate/rank.js';

function ranked(id: string, opts: { passed?: boolean; fraction?: number; variants?: [number, number]; diffLines?: number; distance?: number; kind?: CandidateKind; triggerStatus?: number } = {}): Ranked {
  const candidate: Candidate = { id, incident: 'i1', kind: opts.kind ?? 'guard', description: id, edits: [], diff: '', diffLines: opts.diffLines ?? 2, distance: opts.distance ?? 0 };
  const [total, failed] = opts.variants ?? [4, 0];
  const validation: Validation = {
    candidate: id,
    passed: opts.passed ?? true,
    tests: { ok: true, baselineRed: false },
    trigger: { total: 1, statuses: [opts.triggerStatus ?? 200], failed: 0, failures: [] },
    earlier: { total: 0, statuses: [], failed: 0, failures: [] },
    variants: { total, statuses: [], failed, failures: [] },
    behaviour: { total: 10, preserved: Math.round((opts.fraction ?? 1) * 10), fraction: opts.fraction ?? 1, differences: [] },
    durationMs: 5,
  };
  return { candidate, validation };
}

const order = (rs: Ranked[]) => rank(rs).map((r) => r.candidate.id);

describe('rank', () => {
  test('a passing candidate before a failing one, whatever else', () => {
    assert.deepEqual(order([ranked('fails', { passed: false, diffLines: 1, kind: 'guard' }), ranked('passes', { diffLines: 40, distance: 3, kind: 'mutation', fraction: 0.5 })]), ['passes', 'fails']);
  });

  test('then more normal behaviour preserved', () => {
    assert.deepEqual(order([ranked('half', { fraction: 0.5, diffLines: 1 }), ranked('all', { fraction: 1, diffLines: 9 })]), ['all', 'half']);
  });

  test('then a patch that refuses the faulting request (4xx) before one that accepts it with made-up values', () => {
    assert.deepEqual(order([ranked('accepts', { triggerStatus: 201, diffLines: 1 }), ranked('refuses', { triggerStatus: 400, diffLines: 9, distance: 3 })]), ['refuses', 'accepts']);
    assert.deepEqual(order([ranked('refuses', { triggerStatus: 404, variants: [4, 1] }), ranked('accepts', { triggerStatus: 200 })]), ['accepts', 'refuses']);
  });

  test('then more variants handled (none run counts as all handled)', () => {
    assert.deepEqual(order([ranked('some', { variants: [4, 2], diffLines: 1 }), ranked('every', { variants: [4, 0], diffLines: 9 })]), ['every', 'some']);
    assert.deepEqual(order([ranked('some', { variants: [4, 1] }), ranked('none-run', { variants: [0, 0] })]), ['none-run', 'some']);
  });

  test('then a smaller diff', () => {
    assert.deepEqual(order([ranked('big', { diffLines: 12 }), ranked('small', { diffLines: 1, distance: 2, kind: 'mutation' })]), ['small', 'big']);
  });

  test('then closer to the fault', () => {
    assert.deepEqual(order([ranked('caller', { distance: 1 }), ranked('fault', { distance: 0, kind: 'mutation' })]), ['fault', 'caller']);
  });

  test('then guard, input validation, error virtualisation, mutation', () => {
    const kinds: CandidateKind[] = ['mutation', 'error-virtualisation', 'guard', 'input-validation'];
    assert.deepEqual(order(kinds.map((k) => ranked(k, { kind: k }))), ['guard', 'input-validation', 'error-virtualisation', 'mutation']);
  });

  test('ties broken by id; rank returns a new array and leaves its input alone', () => {
    const input = [ranked('b'), ranked('a')];
    const out = rank(input);
    assert.deepEqual(out.map((r) => r.candidate.id), ['a', 'b']);
    assert.deepEqual(input.map((r) => r.candidate.id), ['b', 'a']);
    assert.equal(compareRanked(input[0]!, input[0]!), 0);
  });

  test('a full mix sorts by every key in turn', () => {
    const rs = [
      ranked('m-fail', { passed: false }),
      ranked('ev', { kind: 'error-virtualisation', diffLines: 9 }),
      ranked('g-far', { distance: 2, diffLines: 9 }),
      ranked('g-near', { distance: 0, diffLines: 9 }),
      ranked('tiny', { diffLines: 1, kind: 'mutation' }),
      ranked('lossy', { fraction: 0.9, diffLines: 1 }),
    ];
    assert.deepEqual(order(rs), ['tiny', 'g-near', 'ev', 'g-far', 'lossy', 'm-fail']);
  });
});
