// createSandbox: a copy of the project under <root>/.suture/sandboxes with one candidate applied,
// node_modules linked, .git and .suture left out, removed cleanly, the user's tree untouched.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Candidate } from '../../src/model/repair.js';
import { applyEdits, createSandbox } from '../../src/validate/sandbox.js';

const ZONE = `export function shippingZone(customer) {
  const country = customer.address.country;
  return country === 'US' ? 'domestic' : 'international';
}
`;

let root: string;
let sandboxes: { remove(): void }[] = [];

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** Every file under `dir` with its content, symlinks as `-> target`, skipping `.suture`. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (r === '.suture') continue;
      if (e.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
      else if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

function candidate(edits: Candidate['edits']): Candidate {
  return { id: 'c0ffee00', incident: 'i1', kind: 'guard', description: 'optional chaining', edits, diff: '', diffLines: 2, distance: 0 };
}

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'suture-sandbox-')));
  write('package.json', '{"name":"shop","type":"module"}\n');
  write('src/zone.mjs', ZONE);
  write('src/util/money.mjs', 'export const cents = (n) => Math.round(n * 100);\n');
  write('test/zone.test.mjs', "import './../src/zone.mjs';\n");
  write('node_modules/left-pad/index.js', 'module.exports = (s) => s;\n');
  write('.git/HEAD', 'ref: refs/heads/main\n');
  write('.suture/store.json', '{}\n');
  fs.symlinkSync('zone.mjs', path.join(root, 'src/zone-link.mjs'));
  sandboxes = [];
});
afterEach(() => {
  for (const s of sandboxes) s.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('createSandbox', () => {
  test('copies the project under .suture/sandboxes, links node_modules, skips .git and .suture', () => {
    const before = snapshot(root);
    const box = createSandbox(root, 'c0ffee00');
    sandboxes.push(box);
    assert.equal(path.dirname(box.dir), path.join(root, '.suture', 'sandboxes'));
    assert.match(path.basename(box.dir), /^c0ffee00-/);
    assert.equal(fs.readFileSync(path.join(box.dir, 'src/zone.mjs'), 'utf8'), ZONE);
    assert.equal(fs.readFileSync(path.join(box.dir, 'src/util/money.mjs'), 'utf8'), before['src/util/money.mjs']);
    assert.equal(fs.readFileSync(path.join(box.dir, 'test/zone.test.mjs'), 'utf8'), before['test/zone.test.mjs']);
    assert.equal(fs.readFileSync(path.join(box.dir, 'package.json'), 'utf8'), before['package.json']);

    const nm = path.join(box.dir, 'node_modules');
    assert.ok(fs.lstatSync(nm).isSymbolicLink(), 'node_modules is a link, not a copy');
    assert.equal(fs.realpathSync(nm), path.join(root, 'node_modules'));
    assert.equal(fs.readFileSync(path.join(nm, 'left-pad/index.js'), 'utf8'), 'module.exports = (s) => s;\n');
    assert.equal(fs.existsSync(path.join(box.dir, '.git')), false);
    assert.equal(fs.existsSync(path.join(box.dir, '.suture')), false);
    assert.equal(fs.readlinkSync(path.join(box.dir, 'src/zone-link.mjs')), 'zone.mjs');
    assert.deepEqual(snapshot(root), before);
  });

  test("applies a candidate's edits in the copy only", () => {
    const before = snapshot(root);
    const at = ZONE.indexOf('.country');
    const money = 'export const cents = (n) => Math.round(n * 100);\n';
    const box = createSandbox(root, 'guard', candidate([
      { file: 'src/zone.mjs', start: at, end: at + 1, text: '?.' },
      // Two edits to one file, given out of order: offsets are into the original text.
      { file: 'src/util/money.mjs', start: money.indexOf('n * 100'), end: money.indexOf('n * 100') + 1, text: '(Number(n) || 0)' },
      { file: 'src/util/money.mjs', start: money.indexOf('cents'), end: money.indexOf('cents') + 5, text: 'toCents' },
    ]));
    sandboxes.push(box);
    assert.equal(fs.readFileSync(path.join(box.dir, 'src/zone.mjs'), 'utf8'), ZONE.replace('address.country', 'address?.country'));
    assert.equal(fs.readFileSync(path.join(box.dir, 'src/util/money.mjs'), 'utf8'), 'export const toCents = (n) => Math.round((Number(n) || 0) * 100);\n');
    assert.deepEqual(snapshot(root), before);
  });

  test('remove() deletes the sandbox and nothing else; sandboxes do not nest', () => {
    const one = createSandbox(root, 'a');
    const two = createSandbox(root, 'b');
    sandboxes.push(two);
    assert.notEqual(one.dir, two.dir);
    assert.equal(fs.existsSync(path.join(two.dir, '.suture')), false);
    one.remove();
    assert.equal(fs.existsSync(one.dir), false);
    assert.ok(fs.existsSync(two.dir));
    assert.ok(fs.existsSync(path.join(root, 'node_modules/left-pad/index.js')), 'the linked node_modules survives');
    assert.ok(fs.existsSync(path.join(root, 'src/zone.mjs')));
    two.remove();
    assert.equal(fs.existsSync(two.dir), false);
  });

  test('applyEdits rewrites files under another directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-apply-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src/zone.mjs'), ZONE);
      applyEdits(dir, candidate([{ file: 'src/zone.mjs', start: 0, end: 0, text: "'use strict';\n" }]));
      assert.equal(fs.readFileSync(path.join(dir, 'src/zone.mjs'), 'utf8'), `'use strict';\n${ZONE}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('source directories named like build output (src/reports, src/coverage) are copied', {
  }, () => {
    write('src/reports/monthly.mjs', 'export const monthly = () => [];\n');
    write('src/coverage/plans.mjs', 'export const plans = [];\n');
    const box = createSandbox(root, 'nested');
    sandboxes.push(box);
    assert.ok(fs.existsSync(path.join(box.dir, 'src/reports/monthly.mjs')));
    assert.ok(fs.existsSync(path.join(box.dir, 'src/coverage/plans.mjs')));
  });
});
