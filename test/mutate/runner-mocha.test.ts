import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { runMutationTesting, type MutationRun } from '../../src/mutate/index.js';
import { copyFixture, type FixtureCopy } from './helpers/fixture.js';
import { assertKnownMutants } from './helpers/expectations.js';

let fixture: FixtureCopy;
let run: MutationRun;

before(async () => {
  fixture = copyFixture('mocha');
  run = await runMutationTesting({ cwd: fixture.dir, quiet: true });
});
after(() => fixture.dispose());

test('mocha: detects the runner from package.json', () => {
  assert.equal(run.runner, 'mocha');
});

test('mocha: known mutants are killed, survive, time out, lack coverage or are static', () => {
  assertKnownMutants(run, 'js');
});

test('mocha: writes the JSON and HTML reports', () => {
  assert.ok(existsSync(run.reportFiles.json));
  assert.ok(existsSync(run.reportFiles.html));
});
