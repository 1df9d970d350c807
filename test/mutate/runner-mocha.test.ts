import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runMutationTesting } from '../../src/mutate/index.js';
import { copyFixture } from './helpers/fixture.js';
import { findMutant } from './helpers/expectations.js';
import { runnerContract } from './helpers/runner-contract.js';

runnerContract('mocha', 'mocha');

test('mocha: a worker reads .mocharc.yml through mocha itself', async () => {
  const fixture = copyFixture('mocha');
  try {
    rmSync(path.join(fixture.dir, '.mocharc.json'));
    writeFileSync(path.join(fixture.dir, '.mocharc.yml'), "spec:\n  - 'test/**/*.spec.js'\n");
    const run = await runMutationTesting({ cwd: fixture.dir, quiet: true, files: ['src/text.js'] });
    assert.equal(findMutant(run, 'src/text.js', 'MethodExpression', 'text.toLowerCase()').status, 'Killed');
    assert.equal(run.tally.killed, run.executed);
  } finally {
    fixture.dispose();
  }
});
