// spectrumOf over coverage V8 really wrote: a script takes coverage between two calls that take
// different branches; each take holds the branch taken in it and not the other.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readCoverageFiles, spectrumOf, statementsOf } from '../../src/diagnose/coverage.js';

const SCRIPT = `import v8 from 'node:v8';
import { pad } from './node_modules/pad/index.mjs';

export function classify(n) {
  let label;
  if (n > 0) {
    label = 'positive';
  } else {
    label = 'not positive';
  }
  return pad(label);
}

classify(1);
v8.takeCoverage();
classify(-1);
v8.takeCoverage();
v8.stopCoverage();
`;

let root: string;
let covDir: string;
let script: string;
let takes: string[];

before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'suture-coverage-')));
  covDir = path.join(root, '.suture', 'coverage');
  fs.mkdirSync(covDir, { recursive: true });
  script = path.join(root, 'classify.mjs');
  fs.writeFileSync(script, SCRIPT);
  fs.mkdirSync(path.join(root, 'node_modules/pad'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules/pad/index.mjs'), 'export const pad = (s) => ` ${s} `;\n');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'NODE_OPTIONS' && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  execFileSync(process.execPath, [script], { cwd: root, env: { ...env, NODE_V8_COVERAGE: covDir } });
  takes = fs.readdirSync(covDir).filter((f) => f.startsWith('coverage-') && f.endsWith('.json')).sort();
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Index of the statement starting with `snippet`. */
function statement(snippet: string): number {
  const s = statementsOf(script)!;
  const i = s.statements.findIndex((st) => s.text.slice(st.start, st.end).startsWith(snippet));
  assert.ok(i >= 0, snippet);
  return i;
}

describe('V8 coverage to spectra', () => {
  test('two takes were written', () => {
    assert.equal(takes.length, 2, takes.join(', '));
  });

  test('the first take holds the branch taken first and not the other', () => {
    const seen = new Set(takes.slice(1));
    const coverage = readCoverageFiles(covDir, seen, root);
    assert.equal(coverage.length, 1, 'one take');
    assert.deepEqual([...coverage[0]!.keys()], [script]);
    const ran = spectrumOf(coverage).get(script)!;
    assert.ok(ran.has(statement("label = 'positive'")));
    assert.ok(!ran.has(statement("label = 'not positive'")));
    assert.ok(ran.has(statement('classify(1)')));
  });

  test('the second take holds the branch taken second and not the other', () => {
    const coverage = readCoverageFiles(covDir, new Set([takes[0]!]), root);
    const ran = spectrumOf(coverage).get(script)!;
    assert.ok(ran.has(statement("label = 'not positive'")), 'else branch ran in take 2');
    assert.ok(!ran.has(statement("label = 'positive'")), 'then branch did not run in take 2');
    assert.ok(ran.has(statement('return pad(label)')));
    assert.ok(!ran.has(statement('classify(1)')), 'the first call was before this take');
  });

  test('reading with a new seen set returns every take, marks them seen, skips node_modules and files outside the root', () => {
    const seen = new Set<string>();
    const coverage = readCoverageFiles(covDir, seen, root);
    assert.deepEqual([...seen].sort(), takes);
    assert.equal(coverage.length, 2);
    for (const take of coverage) assert.deepEqual([...take.keys()], [script]);
    assert.ok(spectrumOf(coverage).get(script)!.has(statement('return pad(label)')));
    assert.equal(readCoverageFiles(covDir, seen, root).length, 0, 'nothing new to read');
    assert.ok(readCoverageFiles(covDir, new Set(), path.join(root, 'elsewhere')).every((take) => take.size === 0));
  });

  test('two takes read together give the statements that ran in either', {
  }, () => {
    const ran = spectrumOf(readCoverageFiles(covDir, new Set(), root)).get(script)!;
    assert.ok(ran.has(statement("label = 'positive'")));
    assert.ok(ran.has(statement("label = 'not positive'")));
  });

  test('a file with no statement run is absent from the spectrum', () => {
    const none = spectrumOf(new Map([[script, [{ functionName: '', ranges: [{ startOffset: 0, endOffset: SCRIPT.length, count: 0 }] }]]]));
    assert.equal(none.size, 0);
  });
});
