// Mutation search: operators applied at the most suspicious lines (or, without a ranking, at the
// faulting frames' lines), within a budget; each mutant is a candidate that parses.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCandidates, repairContext, searchGenerators } from '../../../src/repair/candidates.js';
import type { SuspiciousStatement } from '../../../src/model/repair.js';
import { applied, frameAt, importText, incidentOf, project, syntaxOf, type Project } from './helpers.js';

// An off-by-one: the loop reads one element past the end.
const SUM = `export function sumPrices(items) {
  let total = 0;
  for (let i = 0; i <= items.length; i++) {
    total += items[i].price;
  }
  return total;
}
`;

let p: Project;
let file: string;
before(() => {
  p = project('mutation');
  file = p.write('src/sum.mjs', SUM);
});
after(() => p.remove());

const lineOf = (needle: string) => SUM.slice(0, SUM.indexOf(needle)).split('\n').length;

function contextFor(ranking: SuspiciousStatement[], sources = ['src/**']) {
  const incident = incidentOf({
    errorClass: 'TypeError',
    message: "Cannot read properties of undefined (reading 'price')",
    frames: [frameAt(file, SUM, 'price;', 'sumPrices')],
    cwd: p.root,
  });
  return repairContext({ root: p.root, incident, ranking, normal: [], sources });
}

describe('mutation search', () => {
  test('mutants of the most suspicious line first, every one parses, and one fixes the loop bound', async () => {
    const loop = lineOf('i <= items.length');
    const ranking: SuspiciousStatement[] = [
      { file, line: loop, score: 1, failed: 1, passed: 0 },
      { file, line: lineOf('total += '), score: 0.7, failed: 1, passed: 1 },
    ];
    const candidates = generateCandidates(contextFor(ranking), searchGenerators);
    assert.ok(candidates.length > 0 && candidates.length <= 12, `${candidates.length} candidates`);
    assert.ok(candidates.every((c) => c.kind === 'mutation'));
    assert.match(candidates[0]!.description, new RegExp(`^\\w+ at ${loop}: `));
    assert.equal(candidates[0]!.distance, 0);
    const distances = candidates.map((c) => c.distance);
    assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
    for (const c of candidates) assert.deepEqual(syntaxOf('sum.mjs', applied(p.root, c, 'src/sum.mjs')), [], c.description);

    const fix = candidates.find((c) => c.description === `EqualityOperator at ${loop}: replaced <= with <`);
    assert.ok(fix, candidates.map((c) => c.description).join('\n'));
    assert.match(fix.diff, /^\+ {2}for \(let i = 0; i < items\.length; i\+\+\) \{$/m);
    const { sumPrices } = await importText<{ sumPrices(items: { price: number }[]): number }>(p.root, applied(p.root, fix, 'src/sum.mjs'));
    assert.equal(sumPrices([{ price: 2 }, { price: 3 }]), 5);
  });

  test('without a ranking it mutates the faulting line', () => {
    const candidates = generateCandidates(contextFor([]), searchGenerators);
    assert.ok(candidates.length > 0);
    const line = lineOf('total += ');
    for (const c of candidates) assert.match(c.description, new RegExp(` at ${line}: `));
  });

  test('ranked lines in files outside the sources are skipped', () => {
    const other = p.write('lib/other.mjs', 'export const f = (a, b) => a < b;\n');
    const candidates = generateCandidates(contextFor([{ file: other, line: 1, score: 1, failed: 1, passed: 0 }, { file, line: lineOf('i <= items'), score: 0.5, failed: 1, passed: 1 }]), searchGenerators);
    assert.ok(candidates.length > 0);
    assert.ok(candidates.every((c) => c.edits.every((e) => e.file === 'src/sum.mjs')));
  });
});
