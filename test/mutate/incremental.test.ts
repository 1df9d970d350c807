import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runMutationTesting, type MutationRun } from '../../src/mutate/index.js';
import { copyFixture, type FixtureCopy } from './helpers/fixture.js';
import { findMutant } from './helpers/expectations.js';

let fixture: FixtureCopy;
let first: MutationRun;

before(async () => {
  fixture = copyFixture('node-test');
  first = await runMutationTesting({ cwd: fixture.dir, quiet: true, incremental: true });
});
after(() => fixture.dispose());

const mutate = () => runMutationTesting({ cwd: fixture.dir, quiet: true, incremental: true });

test('incremental: the first run executes every covered mutant and saves its state', () => {
  assert.equal(first.executed, 17);
  assert.equal(first.reused, 0);
  assert.ok(existsSync(path.join(fixture.dir, '.suture/mutation-incremental.json')));
});

test('incremental: an unchanged project reruns nothing and keeps every status', async () => {
  const second = await mutate();
  assert.equal(second.executed, 0);
  assert.equal(second.reused, 17);
  assert.deepEqual(second.tally, first.tally);
  assert.equal(findMutant(second, 'src/math.ts', 'UpdateOperator', 'i--').status, 'Timeout');
});

test('incremental: changing one source file reruns only that file\'s mutants', async () => {
  const file = path.join(fixture.dir, 'src/text.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace('text.toUpperCase()', 'text.trim().toUpperCase()'));
  const third = await mutate();
  const textMutants = third.files.find((f) => f.path === 'src/text.ts')!.mutants.filter((m) => m.status !== 'NoCoverage');
  assert.equal(third.executed, textMutants.length);
  assert.ok(textMutants.every((m) => !m.reused));
  assert.ok(third.files.find((f) => f.path === 'src/math.ts')!.mutants.every((m) => m.status === 'NoCoverage' || m.reused));
});

test('incremental: changing a test file reruns the mutants it covers', async () => {
  appendFileSync(path.join(fixture.dir, 'test/math.spec.ts'), "\ntest('adds zero', () => assert.equal(add(1, 0), 1));\n");
  const fourth = await mutate();
  const mathMutants = fourth.files.find((f) => f.path === 'src/math.ts')!.mutants.filter((m) => m.status !== 'NoCoverage');
  const textMutants = fourth.files.find((f) => f.path === 'src/text.ts')!.mutants.filter((m) => m.status !== 'NoCoverage');
  assert.equal(fourth.executed, mathMutants.length);
  assert.equal(fourth.executed, 15);
  assert.equal(fourth.reused, textMutants.length);
  assert.ok(textMutants.every((m) => m.reused));
});
