// The range guard on RangeErrors from an array length, a repeat count or a digits argument: the
// argument is clamped to a valid value where it is used.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateCandidates, repairContext } from '../../../src/repair/candidates.js';
import { rangeGuard } from '../../../src/repair/generators/range-guard.js';
import { applied, frameAt, importText, incidentOf, project, syntaxOf, type Project } from './helpers.js';

const SLOTS = `// Empty delivery slots for a day.
export function emptySlots(n) {
  const slots = new Array(n).fill(null);
  return slots;
}
`;

const RULER = `export function ruler(width, margin) {
  return '-'.repeat(width - margin) + '|';
}
`;

const MONEY = `export function money(amount, digits) {
  return amount.toFixed(digits);
}
`;

let p: Project;
before(() => {
  p = project('range-guard');
  p.write('src/slots.mjs', SLOTS);
  p.write('src/ruler.mjs', RULER);
  p.write('src/money.mjs', MONEY);
});
after(() => p.remove());

function contextFor(rel: string, text: string, needle: string, message: string, errorClass = 'RangeError') {
  const frames = [
    // A builtin at the top of the stack, as V8 reports String.prototype.repeat.
    { fn: 'String.repeat', file: '<anonymous>', line: 0, column: 0, app: false },
    frameAt(`${p.root}/${rel}`, text, needle),
  ];
  const incident = incidentOf({ errorClass, message, frames, cwd: p.root });
  return repairContext({ root: p.root, incident, ranking: [], normal: [], sources: ['src/**'] });
}

describe('range guard', () => {
  test('new Array(n) with an invalid length: the length is clamped', async () => {
    const ctx = contextFor('src/slots.mjs', SLOTS, 'new Array', 'Invalid array length');
    const candidates = generateCandidates(ctx, [rangeGuard]);
    assert.deepEqual(candidates.map((c) => [c.kind, c.description, c.distance]), [['guard', 'range check: clamp the array length n to a valid value', 0]]);
    const text = applied(p.root, candidates[0]!, 'src/slots.mjs');
    assert.match(text, /new Array\(\(Number\.isInteger\(n\) && n >= 0 \? n : 0\)\)/);
    assert.deepEqual(syntaxOf('slots.mjs', text), []);
    const original = (await importText<{ emptySlots(n: number): unknown[] }>(p.root, SLOTS)).emptySlots;
    assert.throws(() => original(-1), RangeError);
    const { emptySlots } = await importText<{ emptySlots(n: number): unknown[] }>(p.root, text);
    assert.deepEqual(emptySlots(-1), []);
    assert.deepEqual(emptySlots(2.5), []);
    assert.deepEqual(emptySlots(3), original(3));
  });

  test("'-'.repeat(width - margin) with a negative count: the compound count is clamped whole", async () => {
    const ctx = contextFor('src/ruler.mjs', RULER, 'repeat(', 'Invalid count value: -3');
    const candidates = generateCandidates(ctx, [rangeGuard]);
    assert.deepEqual(candidates.map((c) => c.description), ['range check: clamp the repeat count width - margin to a valid value']);
    const text = applied(p.root, candidates[0]!, 'src/ruler.mjs');
    assert.deepEqual(syntaxOf('ruler.mjs', text), []);
    const original = (await importText<{ ruler(w: number, m: number): string }>(p.root, RULER)).ruler;
    assert.throws(() => original(2, 5), RangeError);
    const { ruler } = await importText<{ ruler(w: number, m: number): string }>(p.root, text);
    assert.equal(ruler(2, 5), '|');
    assert.equal(ruler(6, 2), original(6, 2));
  });

  test('toFixed(digits) out of range: digits clamped to 0..100', async () => {
    const ctx = contextFor('src/money.mjs', MONEY, 'toFixed(', 'toFixed() digits argument must be between 0 and 100');
    const candidates = generateCandidates(ctx, [rangeGuard]);
    assert.equal(candidates.length, 1);
    const text = applied(p.root, candidates[0]!, 'src/money.mjs');
    assert.deepEqual(syntaxOf('money.mjs', text), []);
    const { money } = await importText<{ money(a: number, d: number): string }>(p.root, text);
    assert.equal(money(1.5, -2), '2');
    assert.equal(money(1.5, 2), '1.50');
  });

  test('nothing for a TypeError or a RangeError it has no rule for', () => {
    assert.deepEqual([...rangeGuard.generate(contextFor('src/slots.mjs', SLOTS, 'new Array', 'Invalid array length', 'TypeError'))], []);
    assert.deepEqual([...rangeGuard.generate(contextFor('src/slots.mjs', SLOTS, 'new Array', 'Maximum call stack size exceeded'))], []);
  });
});
