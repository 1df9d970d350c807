// Ochiai and rankStatements over hand-made spectra of real files: statements run only by failing
// replays outrank statements every replay runs.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { statementsOf, type Spectrum } from '../../src/diagnose/coverage.js';
import { localisation, ochiai, rankStatements } from '../../src/diagnose/localise.js';

const PRICE = `function price(order) {
  const base = order.qty * 10;
  if (order.coupon) {
    return base - order.coupon.amount;
  }
  return base;
}
module.exports = { price };
`;

let dir: string;
let file: string;
let other: string;
/** Statement index by a snippet of its text. */
let idx: (snippet: string, f?: string) => number;

before(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'suture-localise-')));
  file = path.join(dir, 'price.js');
  other = path.join(dir, 'log.js');
  fs.writeFileSync(file, PRICE);
  fs.writeFileSync(other, 'const log = [];\nfunction note(m) { log.push(m); }\nmodule.exports = { note };\n');
  idx = (snippet, f = file) => {
    const script = statementsOf(f)!;
    const i = script.statements.findIndex((s) => script.text.slice(s.start, s.end).startsWith(snippet));
    assert.ok(i >= 0, `no statement ${snippet}`);
    return i;
  };
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (entries: [string, number[]][]): Spectrum => new Map(entries.map(([f, is]) => [f, new Set(is)]));

describe('ochiai', () => {
  test('failed / sqrt(totalFailed * (failed + passed))', () => {
    assert.equal(ochiai(2, 0, 2), 1);
    assert.equal(ochiai(2, 2, 4), 0.5);
    assert.equal(ochiai(1, 3, 1), 0.5);
    assert.ok(Math.abs(ochiai(2, 3, 2) - 2 / Math.sqrt(10)) < 1e-12);
  });
  test('zero when no failing run executed it, or there are no failing runs', () => {
    assert.equal(ochiai(0, 5, 3), 0);
    assert.equal(ochiai(0, 0, 0), 0);
    assert.equal(ochiai(1, 0, 0), 0);
  });
  test('a statement run only by failing runs outranks one run by all', () => {
    assert.ok(ochiai(3, 0, 3) > ochiai(3, 4, 3));
    assert.ok(ochiai(1, 0, 3) > ochiai(1, 2, 3));
  });
});

describe('rankStatements', () => {
  test('statementsOf finds the statements in order, blocks and function declarations excluded', () => {
    const script = statementsOf(file)!;
    assert.deepEqual(script.statements.map((s) => PRICE.slice(s.start, s.end).split('\n')[0]), [
      '  const base = order.qty * 10;'.trim(),
      'if (order.coupon) {',
      'return base - order.coupon.amount;',
      'return base;',
      'module.exports = { price };',
    ]);
  });

  test('the coupon line, run only when failing, ranks first; lines run by no failing run are left out', () => {
    const common = [idx('const base'), idx('if (order.coupon)')];
    const failing = [run([[file, [...common, idx('return base - ')]]]), run([[file, [...common, idx('return base - ')]]])];
    const passing = [1, 2, 3].map(() => run([[file, [...common, idx('return base;')]]]));
    const ranking = rankStatements(failing, passing);
    assert.deepEqual(ranking[0], { file, line: 4, score: 1, failed: 2, passed: 0 });
    assert.deepEqual(ranking.slice(1).map((s) => [s.line, s.failed, s.passed]), [[2, 2, 3], [3, 2, 3]]);
    assert.ok(Math.abs(ranking[1]!.score - 2 / Math.sqrt(10)) < 1e-12);
    assert.ok(!ranking.some((s) => s.line === 6), 'return base; ran in no failing run');
  });

  test('across files, ties broken by fewer passing runs, then file and line; the limit applies', () => {
    const failing = [run([[file, [idx('return base - ')]], [other, [idx('log.push', other), idx('const log', other)]]])];
    const passing = [run([[other, [idx('const log', other)]]])];
    const ranking = rankStatements(failing, passing);
    assert.deepEqual(ranking.map((s) => [path.basename(s.file), s.line, s.passed]), [['log.js', 2, 0], ['price.js', 4, 0], ['log.js', 1, 1]]);
    assert.equal(rankStatements(failing, passing, undefined, 1).length, 1);
  });

  test('two statements on one line keep the line once, with its best score', () => {
    const failing = [run([[other, [idx('log.push', other)]]])];
    const passing = [run([[other, [idx('log.push', other)]]]), run([[other, [idx('log.push', other)]]])];
    const ranking = rankStatements(failing, passing);
    assert.equal(ranking.length, 1);
    assert.equal(ranking[0]!.line, 2);
  });

  test('no failing runs: nothing is suspicious', () => {
    assert.deepEqual(rankStatements([], [run([[file, [0, 1, 3]]])]), []);
  });

  test('localisation keeps the app frames and counts the runs', () => {
    const failing = [run([[file, [idx('return base - ')]]])];
    const loc = localisation(
      [
        { file: 'node:internal/x', line: 1, column: 1, app: false },
        { file, line: 4, column: 32, app: true, fn: 'price' },
      ],
      failing,
      [run([[file, [idx('const base')]]])],
    );
    assert.deepEqual(loc.stack, [{ file, line: 4, column: 32, fn: 'price' }]);
    assert.equal(loc.failingRuns, 1);
    assert.equal(loc.passingRuns, 1);
    assert.equal(loc.ranking[0]!.line, 4);
  });
});
