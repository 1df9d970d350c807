// The known mutants of the math fixture, shared by every runner's test.
import assert from 'node:assert/strict';
import type { MutantResult, MutationRun } from '../../../src/mutate/index.js';

export function findMutant(run: MutationRun, file: string, operator: string, replacement: string): MutantResult {
  const mutant = run.files.find((f) => f.path === file)?.mutants.find((m) => m.mutation.operator === operator && m.mutation.replacement === replacement);
  assert.ok(mutant, `no ${operator} mutant "${replacement}" in ${file}`);
  return mutant;
}

export function assertKnownMutants(run: MutationRun, ext: 'ts' | 'js'): void {
  const math = `src/math.${ext}`;
  const limit = findMutant(run, math, 'ArithmeticOperator', '10 / 2');
  assert.equal(limit.status, 'Killed');
  assert.equal(limit.isStatic, true);
  assert.equal(findMutant(run, math, 'ArithmeticOperator', 'a - b').status, 'Killed');
  assert.equal(findMutant(run, math, 'ArithmeticOperator', 'a - b').isStatic, false);
  assert.equal(findMutant(run, math, 'EqualityOperator', 'age > 18').status, 'Survived');
  assert.equal(findMutant(run, math, 'UpdateOperator', 'i--').status, 'Timeout');
  assert.equal(findMutant(run, math, 'ArithmeticOperator', 'x / 2').status, 'NoCoverage');
  const shout = findMutant(run, `src/text.${ext}`, 'MethodExpression', 'text.toLowerCase()');
  assert.equal(shout.status, 'Killed');
  // Per-file coverage: the text mutant is run with the text tests only.
  assert.deepEqual(shout.coveredBy, [`test/text.spec.${ext}`]);
  assert.equal(run.tally.total, 19);
  assert.equal(run.tally.survived, 1);
  assert.equal(run.tally.timeout, 1);
  assert.equal(run.tally.noCoverage, 2);
  assert.equal(run.executed, 17);
}
