import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp } from '../../src/mutate/glob.js';
import { splitCommand } from '../../src/mutate/shell-words.js';

test('glob: ** spans directories, * stays within one, braces and ?(x) alternate', () => {
  const matches = (glob: string, file: string) => globToRegExp(glob).test(file);
  assert.ok(matches('test/**/*.spec.ts', 'test/a.spec.ts'));
  assert.ok(matches('test/**/*.spec.ts', 'test/deep/er/a.spec.ts'));
  assert.ok(!matches('test/*.spec.ts', 'test/deep/a.spec.ts'));
  assert.ok(matches('src/**/*.{js,ts}', 'src/x.ts'));
  assert.ok(!matches('src/**/*.{js,ts}', 'src/x.tsx'));
  assert.ok(matches('**/*.test.?(c|m)js', 'a/b.test.mjs'));
  assert.ok(matches('**/*.test.?(c|m)js', 'b.test.js'));
  assert.ok(!matches('**/*.test.?(c|m)js', 'b.test.ts'));
  assert.ok(matches('./test/*.js', 'test/a.js'));
});

test('shell words: quotes group, && ends the first command', () => {
  assert.deepEqual(splitCommand('node --import tsx --test "test/**/*.spec.ts" \'b c\''), ['node', '--import', 'tsx', '--test', 'test/**/*.spec.ts', 'b c']);
  assert.deepEqual(splitCommand('mocha --bail && echo done'), ['mocha', '--bail']);
  assert.deepEqual(splitCommand(''), []);
});
