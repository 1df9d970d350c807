// Orders validated candidates: passing first; then more normal behaviour preserved, more variants
// handled; then a patch that refuses the faulting request (4xx) before one that accepts it with
// made-up values (2xx: an order without an address, charged no shipping); then a smaller diff, a
// change closer to the fault, and finer kinds before coarser ones.

import type { Candidate, CandidateKind, Validation } from '../model/repair.js';

const KIND_ORDER: Record<CandidateKind, number> = { guard: 0, 'input-validation': 1, 'error-virtualisation': 2, mutation: 3 };

export interface Ranked {
  candidate: Candidate;
  validation: Validation;
}

const variantsHandled = (v: Validation) => (v.variants.total === 0 ? 1 : (v.variants.total - v.variants.failed) / v.variants.total);
const refusesTrigger = (v: Validation) => v.trigger.statuses.length > 0 && v.trigger.statuses.every((s) => s >= 400 && s < 500);

export function compareRanked(a: Ranked, b: Ranked): number {
  return (
    Number(b.validation.passed) - Number(a.validation.passed) ||
    b.validation.behaviour.fraction - a.validation.behaviour.fraction ||
    variantsHandled(b.validation) - variantsHandled(a.validation) ||
    Number(refusesTrigger(b.validation)) - Number(refusesTrigger(a.validation)) ||
    a.candidate.diffLines - b.candidate.diffLines ||
    a.candidate.distance - b.candidate.distance ||
    KIND_ORDER[a.candidate.kind] - KIND_ORDER[b.candidate.kind] ||
    a.candidate.id.localeCompare(b.candidate.id)
  );
}

export function rank(results: Ranked[]): Ranked[] {
  return [...results].sort(compareRanked);
}
