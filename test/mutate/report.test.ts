import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { runMutationTesting, type MutationRun } from '../../src/mutate/index.js';
import { copyFixture, type FixtureCopy } from './helpers/fixture.js';

let fixture: FixtureCopy;
let run: MutationRun;

before(async () => {
  fixture = copyFixture('mocha');
  run = await runMutationTesting({ cwd: fixture.dir, quiet: true, files: ['src/text.js'], reportDir: 'out/mutation' });
});
after(() => fixture.dispose());

const statuses = new Set(['Killed', 'Survived', 'NoCoverage', 'Timeout', 'CompileError', 'RuntimeError', 'Ignored']);

function assertPosition(value: unknown): void {
  const position = value as { line: unknown; column: unknown };
  assert.ok(Number.isInteger(position.line) && (position.line as number) >= 1, 'line is a 1-based integer');
  assert.ok(Number.isInteger(position.column) && (position.column as number) >= 1, 'column is a 1-based integer');
}

test('report: mutation.json has the mutation-testing-report-schema shape', () => {
  assert.ok(run.reportFiles.json.endsWith('out/mutation/mutation.json'));
  const report = JSON.parse(readFileSync(run.reportFiles.json, 'utf8'));
  assert.equal(report.schemaVersion, '1');
  assert.equal(typeof report.thresholds.high, 'number');
  assert.equal(typeof report.thresholds.low, 'number');
  assert.deepEqual(Object.keys(report.files), ['src/text.js']);
  const file = report.files['src/text.js'];
  assert.equal(file.language, 'javascript');
  assert.equal(file.source, readFileSync(`${fixture.dir}/src/text.js`, 'utf8'));
  assert.ok(file.mutants.length > 0);
  const ids = new Set<string>();
  for (const mutant of file.mutants) {
    assert.equal(typeof mutant.id, 'string');
    assert.ok(!ids.has(mutant.id), 'ids are unique');
    ids.add(mutant.id);
    assert.equal(typeof mutant.mutatorName, 'string');
    assert.equal(typeof mutant.replacement, 'string');
    assert.ok(statuses.has(mutant.status), `known status ${mutant.status}`);
    assertPosition(mutant.location.start);
    assertPosition(mutant.location.end);
    if (mutant.coveredBy) for (const t of mutant.coveredBy) assert.ok(report.testFiles[t], `coveredBy ${t} names a test file`);
  }
  const lowered = file.mutants.find((m: { replacement: string }) => m.replacement === 'text.toLowerCase()');
  assert.deepEqual(lowered.location, { start: { line: 2, column: 10 }, end: { line: 2, column: 28 } });
});

test('report: mutation.html is self-contained and carries the report', () => {
  const html = readFileSync(run.reportFiles.html, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)=/i, 'no external scripts or styles');
  assert.match(html, /<style>/);
  assert.ok(html.includes('text.toLowerCase()'));
});
