// candidates.ts as the heal loop uses it: which files may be edited, which frames are repaired,
// how drafts become candidates with diffs, and duplicates dropped.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CandidateGenerator } from '../../../src/repair/generator.js';
import { directGenerators, editableFilter, generateCandidates, repairContext, searchGenerators, toCandidate } from '../../../src/repair/candidates.js';
import { frameAt, incidentOf, project, type Project } from './helpers.js';

const ZONE = `export function shippingZone(customer) {
  const country = customer.address.country;
  return country === 'US' ? 'domestic' : 'international';
}
`;
const CALLER = `import { shippingZone } from './zone.mjs';
export function quote(customer) {
  return { zone: shippingZone(customer) };
}
export function quoteAll(customers) {
  return customers.map((c) => quote(c));
}
`;

let p: Project;
before(() => {
  p = project('candidates');
  p.write('src/zone.mjs', ZONE);
  p.write('src/caller.mjs', CALLER);
});
after(() => p.remove());

describe('editableFilter', () => {
  test('honours the patterns, relative to the root', () => {
    const editable = editableFilter(p.root, ['src/**', '*.mjs', 'lib/?.js']);
    assert.equal(editable(path.join(p.root, 'src/zone.mjs')), true);
    assert.equal(editable(path.join(p.root, 'src/deep/er/x.ts')), true);
    assert.equal(editable(path.join(p.root, 'server.mjs')), true);
    assert.equal(editable(path.join(p.root, 'lib/a.js')), true);
    assert.equal(editable(path.join(p.root, 'lib/ab.js')), false);
    assert.equal(editable(path.join(p.root, 'test/zone.test.mjs')), false);
    assert.equal(editable(path.join(p.root, 'tools/server.mjs')), false, '*.mjs is the top level only');
    assert.equal(editable(path.join(path.dirname(p.root), 'elsewhere', 'src', 'zone.mjs')), false);
    assert.equal(editable(path.join(p.root, 'src.mjs')), true);
  });

  test('never node_modules or .suture, whatever the patterns say', () => {
    const editable = editableFilter(p.root, ['**', 'node_modules/**', '.suture/**', 'src/**']);
    assert.equal(editable(path.join(p.root, 'node_modules/express/index.js')), false);
    assert.equal(editable(path.join(p.root, 'src/node_modules/local/index.js')), false);
    assert.equal(editable(path.join(p.root, '.suture/sandboxes/c-1/src/zone.mjs')), false);
    assert.equal(editable(path.join(p.root, 'src/zone.mjs')), true);
  });

  test('regex characters in a pattern are literal', () => {
    const editable = editableFilter(p.root, ['src/a+b.js']);
    assert.equal(editable(path.join(p.root, 'src/a+b.js')), true);
    assert.equal(editable(path.join(p.root, 'src/aab.js')), false);
  });

  test('src/**/*.js matches a file directly in src/, as globs do', {
  }, () => {
    const editable = editableFilter(p.root, ['src/**/*.js']);
    assert.equal(editable(path.join(p.root, 'src/a/index.js')), true);
    assert.equal(editable(path.join(p.root, 'src/index.js')), true);
  });
});

describe('repairContext and candidates', () => {
  function incident() {
    return incidentOf({
      errorClass: 'TypeError',
      message: "Cannot read properties of undefined (reading 'country')",
      frames: [
        frameAt(`${p.root}/src/zone.mjs`, ZONE, 'country;', 'shippingZone'),
        frameAt(`${p.root}/src/caller.mjs`, CALLER, 'shippingZone(customer)', 'quote'),
        frameAt(`${p.root}/src/caller.mjs`, CALLER, 'quote(c)', '<anonymous>'),
        { file: 'node:internal/array', line: 1, column: 1, app: false },
        frameAt(`${p.root}/src/caller.mjs`, CALLER, 'customers.map', 'quoteAll'),
        // quote again (recursion or a second call site): the same function is repaired once.
        frameAt(`${p.root}/src/caller.mjs`, CALLER, 'shippingZone(customer)', 'quote'),
      ],
      cwd: p.root,
    });
  }

  test('one repair frame per distinct application function, distances in stack order', () => {
    const ctx = repairContext({ root: p.root, incident: incident(), ranking: [], normal: [], sources: ['src/**'] });
    assert.deepEqual(
      ctx.frames.map((f) => [path.basename(f.frame.file), f.frame.fn, f.distance]),
      [['zone.mjs', 'shippingZone', 0], ['caller.mjs', 'quote', 1], ['caller.mjs', '<anonymous>', 2], ['caller.mjs', 'quoteAll', 3]],
    );
    assert.equal(ctx.frames[1]!.node.getText(ctx.frames[1]!.source.ast), 'shippingZone');
    assert.equal(ctx.editable(`${p.root}/src/zone.mjs`), true);
  });

  test('generators are exported in the order the heal loop validates them', () => {
    assert.deepEqual(directGenerators.map((g) => g.name), ['null-guard', 'type-guard', 'range-guard', 'input-validation', 'error-virtualisation']);
    assert.deepEqual(searchGenerators.map((g) => g.name), ['mutation-search']);
  });

  test('candidate diffs apply with git apply to the project and carry relative paths', () => {
    const ctx = repairContext({ root: p.root, incident: incident(), ranking: [], normal: [], sources: ['src/**'] });
    const candidates = generateCandidates(ctx, directGenerators);
    assert.ok(candidates.length >= 5);
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    for (const c of candidates) {
      assert.ok(c.edits.every((e) => !path.isAbsolute(e.file) && e.file.startsWith('src/')));
      const patchFile = path.join(p.root, '.suture-test.diff');
      fs.writeFileSync(patchFile, c.diff);
      const check = spawnSync('git', ['apply', '--check', patchFile], { cwd: p.root, encoding: 'utf8' });
      fs.rmSync(patchFile);
      assert.equal(check.status, 0, `${c.description}\n${c.diff}\n${check.stderr}`);
    }
    fs.rmSync(path.join(p.root, '.git'), { recursive: true, force: true });
  });

  test('toCandidate: edits to several files make one diff; an edit that changes nothing gives null', () => {
    const ctx = repairContext({ root: p.root, incident: incident(), ranking: [], normal: [], sources: ['src/**'] });
    const zone = `${p.root}/src/zone.mjs`;
    const caller = `${p.root}/src/caller.mjs`;
    const at = ZONE.indexOf('.country');
    const c = toCandidate(ctx, {
      kind: 'guard',
      description: 'two files',
      distance: 1,
      edits: [
        { file: zone, start: at, end: at + 1, text: '?.' },
        { file: caller, start: CALLER.indexOf('shippingZone(customer)'), end: CALLER.indexOf('shippingZone(customer)'), text: 'customer && ' },
      ],
    });
    assert.ok(c);
    assert.deepEqual(c.edits.map((e) => e.file), ['src/zone.mjs', 'src/caller.mjs']);
    assert.equal(c.diffLines, 4);
    assert.equal((c.diff.match(/^--- a\//gm) ?? []).length, 2);
    assert.match(c.diff, /^\+  return \{ zone: customer && shippingZone\(customer\) \};$/m);
    assert.equal(c.distance, 1);
    assert.equal(toCandidate(ctx, { kind: 'guard', description: 'no-op', distance: 0, edits: [{ file: zone, start: at, end: at + 1, text: '.' }] }), null);
    assert.equal(toCandidate(ctx, { kind: 'guard', description: 'gone', distance: 0, edits: [{ file: `${p.root}/src/missing.mjs`, start: 0, end: 0, text: 'x' }] }), null);
  });

  test('two generators proposing the same diff give one candidate, the first one', () => {
    const ctx = repairContext({ root: p.root, incident: incident(), ranking: [], normal: [], sources: ['src/**'] });
    const at = ZONE.indexOf('.country');
    const same = (name: string): CandidateGenerator => ({
      name,
      *generate() {
        yield { kind: 'guard', description: `from ${name}`, distance: 0, edits: [{ file: `${p.root}/src/zone.mjs`, start: at, end: at + 1, text: '?.' }] };
      },
    });
    const candidates = generateCandidates(ctx, [same('first'), same('second')]);
    assert.deepEqual(candidates.map((c) => c.description), ['from first']);
  });
});
