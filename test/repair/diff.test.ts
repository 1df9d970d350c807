// unifiedDiff as git and patch read it: every diff is applied with the real tools to the before-text
// in a temp repository and must yield exactly the after-text.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { diffSize, unifiedDiff } from '../../src/repair/diff.js';

let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-diff-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `before` to a fresh file, applies the diff with `git apply` and returns the file's new text. */
function gitApply(beforeText: string, afterText: string): { diff: string; result: string } {
  const name = `src/file${n++}.js`;
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, beforeText);
  const diff = unifiedDiff(name, beforeText, afterText);
  const patchFile = path.join(dir, `${n}.diff`);
  fs.writeFileSync(patchFile, diff);
  const check = spawnSync('git', ['apply', '--check', patchFile], { cwd: dir, encoding: 'utf8' });
  assert.equal(check.status, 0, `git apply --check refused:\n${diff}\n${check.stderr}`);
  const apply = spawnSync('git', ['apply', patchFile], { cwd: dir, encoding: 'utf8' });
  assert.equal(apply.status, 0, apply.stderr);
  return { diff, result: fs.readFileSync(file, 'utf8') };
}

/** The same with `patch -p1`, from a plain directory. */
function patchApply(beforeText: string, afterText: string): string {
  const name = `lib/p${n++}.js`;
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, beforeText);
  const diff = unifiedDiff(name, beforeText, afterText);
  const dry = spawnSync('patch', ['-p1', '--dry-run', '--batch'], { cwd: dir, input: diff, encoding: 'utf8' });
  assert.equal(dry.status, 0, `patch --dry-run refused:\n${diff}\n${dry.stdout}${dry.stderr}`);
  const real = spawnSync('patch', ['-p1', '--batch', '--no-backup-if-mismatch'], { cwd: dir, input: diff, encoding: 'utf8' });
  assert.equal(real.status, 0, real.stdout + real.stderr);
  return fs.readFileSync(file, 'utf8');
}

const MODULE = [
  "import { lookup } from './db.js';",
  '',
  'export function shippingZone(customer) {',
  '  const country = customer.address.country;',
  "  if (country === 'US') return 'domestic';",
  "  return 'international';",
  '}',
  '',
  'export function total(items) {',
  '  let sum = 0;',
  '  for (const item of items) sum += item.price;',
  '  return sum;',
  '}',
  '',
  'export function label(order) {',
  '  return `#${order.id}`;',
  '}',
  '',
].join('\n');

const edits: { name: string; after: string }[] = [
  {
    name: 'insert a guard line',
    after: MODULE.replace('  const country', '  if (customer.address == null) return;\n  const country'),
  },
  {
    name: 'replace inside a line',
    after: MODULE.replace('customer.address.country', 'customer.address?.country'),
  },
  {
    name: 'wrap a block in try/catch',
    after: MODULE.replace(
      '  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n',
      '  try {\n    let sum = 0;\n    for (const item of items) sum += item.price;\n    return sum;\n  } catch (error) {\n    return 0;\n  }\n',
    ),
  },
  { name: 'change the first line', after: MODULE.replace("from './db.js'", "from './store.js'") },
  { name: 'insert before the first line', after: `'use strict';\n${MODULE}` },
  { name: 'change the last line', after: MODULE.replace('  return `#${order.id}`;\n}\n', '  return `#${order.id}`;\n}\nexport default label;\n') },
  { name: 'delete a line', after: MODULE.replace("  if (country === 'US') return 'domestic';\n", '') },
  {
    name: 'two separate changes far apart',
    after: MODULE.replace('customer.address.country', 'customer.address?.country').replace('`#${order.id}`', '`#${order?.id}`'),
  },
];

describe('unifiedDiff applies with git apply and yields the after-text', () => {
  for (const edit of edits) {
    test(edit.name, () => {
      assert.notEqual(edit.after, MODULE);
      const { diff, result } = gitApply(MODULE, edit.after);
      assert.equal(result, edit.after);
      assert.match(diff, /^--- a\/src\/file\d+\.js\n\+\+\+ b\/src\/file\d+\.js\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    });
    test(`${edit.name} (patch -p1)`, () => {
      assert.equal(patchApply(MODULE, edit.after), edit.after);
    });
  }

  test('an edit to a file whose last line has no newline, away from that line', () => {
    const beforeText = 'const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\nconst e = 5;\nexport { a, b, c, d, e };';
    const afterText = beforeText.replace('const a = 1;', 'const a = 10;');
    assert.equal(gitApply(beforeText, afterText).result, afterText);
  });

  test('an edit to the last line of a file that has no trailing newline', {
  }, () => {
    const beforeText = 'export function f(x) {\n  return x.a.b;\n}';
    const afterText = 'export function f(x) {\n  return x.a?.b;\n}';
    assert.equal(gitApply(beforeText, afterText).result, afterText);
  });

  test('adding or removing only the final newline is a change', {
  }, () => {
    assert.notEqual(unifiedDiff('a.js', 'a\nb\n', 'a\nb'), '');
  });

  test('a new file from an empty one', () => {
    const { diff, result } = gitApply('', 'export const x = 1;\n');
    assert.equal(result, 'export const x = 1;\n');
    assert.match(diff, /@@ -0,0 \+1,1 @@/);
  });
});

describe('unifiedDiff shape', () => {
  test('identical texts give an empty diff', () => {
    assert.equal(unifiedDiff('a.js', MODULE, MODULE), '');
    assert.equal(unifiedDiff('a.js', '', ''), '');
  });

  test('a replaced line is listed as its removal, then its addition, with 3 lines of context', () => {
    const diff = unifiedDiff('src/zone.js', MODULE, MODULE.replace('customer.address.country', 'customer.address?.country'));
    assert.equal(
      diff,
      [
        '--- a/src/zone.js',
        '+++ b/src/zone.js',
        '@@ -1,7 +1,7 @@',
        " import { lookup } from './db.js';",
        ' ',
        ' export function shippingZone(customer) {',
        '-  const country = customer.address.country;',
        '+  const country = customer.address?.country;',
        "   if (country === 'US') return 'domestic';",
        "   return 'international';",
        ' }',
        '',
      ].join('\n'),
    );
  });

  test('removals come before additions when several lines are replaced', () => {
    const afterText = MODULE.replace('  let sum = 0;\n  for (const item of items) sum += item.price;\n', '  const sum = items.reduce((s, item) => s + item.price, 0);\n  void lookup;\n');
    const body = unifiedDiff('a.js', MODULE, afterText).split('\n').slice(3).filter((l) => l.startsWith('+') || l.startsWith('-'));
    assert.deepEqual(body.map((l) => l[0]), ['-', '-', '+', '+']);
    const lastMinus = body.lastIndexOf(body.filter((l) => l.startsWith('-')).at(-1)!);
    const firstPlus = body.findIndex((l) => l.startsWith('+'));
    assert.ok(lastMinus < firstPlus);
  });

  test('diffSize counts added and removed lines, not the file headers', () => {
    const one = unifiedDiff('a.js', MODULE, MODULE.replace('customer.address.country', 'customer.address?.country'));
    assert.equal(diffSize(one), 2);
    const wrap = unifiedDiff('a.js', MODULE, edits[2]!.after);
    // 3 lines removed, 7 added (try, 3 re-indented, catch, return, close)
    assert.equal(diffSize(wrap), 10);
    const insert = unifiedDiff('a.js', MODULE, edits[0]!.after);
    assert.equal(diffSize(insert), 1);
    assert.equal(diffSize(''), 0);
  });

  test('diffSize counts a removed `--retries;` or an added `++attempts;` line', {
  }, () => {
    assert.equal(diffSize(unifiedDiff('a.js', 'a\n--retries;\nb\n', 'a\nb\n')), 1);
    assert.equal(diffSize(unifiedDiff('a.js', 'a\nb\n', 'a\n++attempts;\nb\n')), 1);
  });
});
