import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { copyFixture, repoRoot, type FixtureCopy } from './helpers/fixture.js';

const copies: FixtureCopy[] = [];
after(() => copies.forEach((c) => c.dispose()));

function fixture(name: string): string {
  const copy = copyFixture(name);
  copies.push(copy);
  return copy.dir;
}

function suture(cwd: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/mutate/helpers/cli.ts'), 'mutate', '--cwd', cwd, ...args], { cwd: repoRoot, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

test('cli: an unknown runner is a one-line error naming the fix', () => {
  const result = suture(fixture('mocha'), '--runner', 'jest');
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'suture mutate: unknown runner "jest": use --runner node, vitest or mocha');
});

test('cli: a project without a test command is refused', () => {
  const dir = fixture('mocha');
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "x", "type": "module" }');
  const result = suture(dir);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^suture mutate: no test command found in .*package\.json: add a "test" script/);
  assert.equal(result.stderr.split('\n').length, 1);
});

test('cli: a file that does not parse is named with its position', () => {
  const dir = fixture('mocha');
  writeFileSync(path.join(dir, 'src/broken.js'), 'export function (\n');
  const result = suture(dir, 'src/broken.js');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^suture mutate: src\/broken\.js:1:\d+ .*does not parse/);
});

test('cli: a red test suite is refused before mutating', () => {
  const dir = fixture('mocha');
  mkdirSync(path.join(dir, 'test'), { recursive: true });
  writeFileSync(path.join(dir, 'test/red.spec.js'), "it('fails', () => { throw new Error('red'); });\n");
  const result = suture(dir, 'src/text.js');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^suture mutate: the test suite fails before mutating \(exit code 1\): make the tests pass first/);
});

test('cli: --json prints the summary and --threshold fails a low score', () => {
  const dir = fixture('mocha');
  const result = suture(dir, 'src/math.js', '--json', '--threshold', '95');
  assert.equal(result.code, 1);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.total, 17);
  assert.equal(summary.survived, 1);
  assert.ok(summary.score < 95);
  assert.match(result.stderr, /mutation score .* is below the threshold 95/);
});
