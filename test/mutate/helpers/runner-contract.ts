// What every runner adapter must do, in long-lived workers and in fresh processes alike: one
// shared contract, run by each runner's test file (as Hono's routers share common.case.test).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runMutationTesting, type MutationRun } from '../../../src/mutate/index.js';
import { assertKnownMutants, findMutant } from './expectations.js';
import { copyFixture, type FixtureCopy } from './fixture.js';

export type FixtureName = 'node-test' | 'vitest' | 'mocha';

const ext = (name: FixtureName): 'ts' | 'js' => (name === 'mocha' ? 'js' : 'ts');

// A mutant evaluated once, before the loop, makes the loop endless: the hit limit counts reaches
// of the active mutant only, so just the timeout can end it, by killing the worker.
const stepsSource = (typed: boolean) => `export function stepsTo(target${typed ? ': number' : ''})${typed ? ': number' : ''} {
  const direction = target >= 0 ? 1 : -1;
  let position = 0;
  let steps = 0;
  while (position !== target) {
    position += direction;
    steps++;
  }
  return steps;
}
`;

function stepsTest(name: FixtureName): string {
  const testImport = name === 'vitest' ? "import { test } from 'vitest';\n" : name === 'node-test' ? "import { test } from 'node:test';\n" : '';
  const call = name === 'mocha' ? 'it' : 'test';
  return `${testImport}import assert from 'node:assert/strict';\nimport { stepsTo } from '../src/steps.${ext(name)}';\n\n${call}('counts steps', () => assert.equal(stepsTo(3), 3));\n`;
}

/** A fixture copy with src/steps and its test added (and listed in the node:test script). */
function withSteps(name: FixtureName): FixtureCopy {
  const copy = copyFixture(name);
  writeFileSync(path.join(copy.dir, `src/steps.${ext(name)}`), stepsSource(ext(name) === 'ts'));
  writeFileSync(path.join(copy.dir, `test/steps.spec.${ext(name)}`), stepsTest(name));
  if (name === 'node-test') {
    const manifestPath = path.join(copy.dir, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { scripts: { test: string } };
    manifest.scripts.test += ' test/steps.spec.ts';
    writeFileSync(manifestPath, JSON.stringify(manifest));
  }
  return copy;
}

/** Processes started for this test process's runs (workers name suture's pid in their argv). */
function workerProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(`"parentPid":${process.pid}`) && !/\) Z /.test(stat)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export function runnerContract(name: FixtureName, runnerName: string): void {
  const copies: FixtureCopy[] = [];
  const fixture = (copy: FixtureCopy): string => {
    copies.push(copy);
    return copy.dir;
  };
  let inWorkers: MutationRun;
  before(async () => {
    inWorkers = await runMutationTesting({ cwd: fixture(copyFixture(name)), quiet: true });
  });
  after(() => copies.forEach((c) => c.dispose()));

  test(`${runnerName}: detects the runner from package.json`, () => {
    assert.equal(inWorkers.runner, runnerName);
  });

  test(`${runnerName}: in workers, known mutants are killed, survive, time out, lack coverage or are static`, () => {
    assertKnownMutants(inWorkers, ext(name));
  });

  test(`${runnerName}: writes the JSON and HTML reports`, () => {
    assert.match(readFileSync(inWorkers.reportFiles.json, 'utf8'), /"schemaVersion": "1"/);
    assert.match(readFileSync(inWorkers.reportFiles.html, 'utf8'), /^<!doctype html>/);
  });

  test(`${runnerName}: in fresh processes (--no-workers), the same mutants get the same statuses`, async () => {
    const fresh = await runMutationTesting({ cwd: fixture(copyFixture(name)), quiet: true, workers: false });
    assertKnownMutants(fresh, ext(name));
    const statuses = (run: MutationRun) => run.files.flatMap((f) => f.mutants.map((m) => `${m.id} ${m.status} ${m.isStatic}`));
    assert.deepEqual(statuses(fresh), statuses(inWorkers));
  });

  test(`${runnerName}: an endless loop the hit limit cannot see times out, and the replaced worker runs the rest`, async () => {
    const file = `src/steps.${ext(name)}`;
    // One lane, so the mutants after each timeout run in the worker that replaced the killed one.
    const run = await runMutationTesting({ cwd: fixture(withSteps(name)), quiet: true, files: [file], concurrency: 1, timeoutMs: 2000 });
    assert.equal(findMutant(run, file, 'EqualityOperator', 'target < 0').status, 'Timeout');
    assert.equal(findMutant(run, file, 'ConditionalExpression', 'false').status, 'Timeout');
    assert.equal(findMutant(run, file, 'EqualityOperator', 'target > 0').status, 'Survived');
    assert.equal(findMutant(run, file, 'UpdateOperator', 'steps--').status, 'Killed');
    assert.equal(findMutant(run, file, 'EqualityOperator', 'position === target').status, 'Killed');
    // Reached on every pass of the loop: the hit limit ends these at once.
    assert.equal(findMutant(run, file, 'AssignmentOperator', 'position -= direction').status, 'Timeout');
    assert.equal(run.tally.errors, 0);
    assert.equal(findMutant(run, file, 'UnaryOperator', '+1').status, 'NoCoverage');
  });

  test(`${runnerName}: an incremental rerun of an unchanged project reruns nothing and keeps every status`, async () => {
    const dir = fixture(copyFixture(name));
    const first = await runMutationTesting({ cwd: dir, quiet: true, incremental: true });
    const second = await runMutationTesting({ cwd: dir, quiet: true, incremental: true });
    assert.equal(first.executed, 17);
    assert.equal(second.executed, 0);
    assert.equal(second.reused, 17);
    assert.deepEqual(second.tally, first.tally);
    assert.equal(findMutant(second, `src/math.${ext(name)}`, 'UpdateOperator', 'i--').status, 'Timeout');
  });

  test(`${runnerName}: no test worker outlives its run`, async () => {
    // A worker killed by PID a moment ago may not have gone yet.
    for (let i = 0; i < 40 && workerProcesses().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(workerProcesses(), []);
  });
}
