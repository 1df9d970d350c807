import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMutations, parseSource } from '../../src/repair/operators/index.js';
import { instrument } from '../../src/mutate/schemata.js';

// Semicolon-free on purpose: instrumented expression statements must not join the line above.
const program = `'use strict'
const out = []
const user = { name: ' Ada ', tags: ['a', 'b'], address: null }
let total = 0
for (let i = 0, guard = 0; i < 3 && guard++ < 10; i++) {
  total += i * 2
}
out.push(total)
;[total] = [total + 1]
out.push(total, user?.address?.city ?? 'none', user.name.trim().toUpperCase())
const grade = (n) => n >= 90 ? 'A' : n > 50 ? 'B' : 'C'
out.push(grade(95), grade(60), grade(10))
function kind(x) {
  switch (typeof x) {
    case 'number': return -x
    case 'string': return x.startsWith('a') ? \`a:\${x}\` : ''
    default:
  }
  return !x
}
out.push(kind(2), kind('ab'), kind('b'), kind(null))
out.push(/^[a-c]+$/.test('abc'), user.tags.filter((t) => t !== 'a').length, { n: 1 }.n)
const pick = () => ({ ok: true })
out.push(pick().ok)
`;

function evaluate(code: string, activeMutant: number): string {
  (globalThis as Record<string, unknown>).__sutureMutants = { active: activeMutant, depth: 0, coverage: false, seen: new Set(), hit: null };
  try {
    return JSON.stringify(new Function(`${code}\nreturn out;`)());
  } catch (error) {
    return `throws ${(error as Error).constructor.name}`;
  } finally {
    delete (globalThis as Record<string, unknown>).__sutureMutants;
  }
}

test('schemata: each switched-on mutant behaves exactly like the mutant applied to the source', () => {
  const source = parseSource('program.js', program);
  const mutations = findMutations(source);
  assert.ok(mutations.length > 60, `enough mutants to be meaningful (${mutations.length})`);
  const numbered = mutations.map((mutation, i) => ({ id: i + 1, mutation }));
  const { code, unplaced } = instrument(source, numbered);
  assert.deepEqual(unplaced, []);
  assert.equal(evaluate(code, -1), evaluate(program, -1), 'with no mutant active the program is unchanged');
  let differing = 0;
  for (const { id, mutation } of numbered) {
    const direct = program.slice(0, mutation.start) + mutation.replacement + program.slice(mutation.end);
    const expected = evaluate(direct, -1);
    assert.equal(evaluate(code, id), expected, `mutant ${id} ${mutation.operator} ${mutation.original} -> ${mutation.replacement}`);
    if (expected !== evaluate(program, -1)) differing++;
  }
  assert.ok(differing > mutations.length / 2, 'most mutants change the program\'s output');
});

test('schemata: the helper keeps a shebang first and the use strict directive a directive', () => {
  const text = '#!/usr/bin/env node\n"use strict";\nmodule.exports = 1 + 2;\n';
  const source = parseSource('bin.cjs', text);
  const { code } = instrument(source, findMutations(source).map((mutation, i) => ({ id: i + 1, mutation })));
  assert.ok(code.startsWith('#!/usr/bin/env node\n// @ts-nocheck\n"use strict";\nfunction __suture_m('));
  assert.match(code, /__suture_m\(1\) \? \(1 - 2\) : \(1 \+ 2\)/);
});
