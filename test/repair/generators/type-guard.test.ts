// The type guard on "x.method is not a function": coerce the receiver to the method's type, or
// return early when it is not of that type.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { directGenerators, generateCandidates, repairContext } from '../../../src/repair/candidates.js';
import { typeGuard } from '../../../src/repair/generators/type-guard.js';
import { applied, frameAt, importText, incidentOf, project, syntaxOf, type Project } from './helpers.js';

const REASONS = `// Cancellation reasons are compared case-insensitively.
export function normaliseReason(reason) {
  const text = reason.trim().toLowerCase();
  return text.length > 0 ? text : 'unspecified';
}
`;

const TAGS = `export function tagList(tags) {
  return tags.map((t) => t.toUpperCase()).join(',');
}
`;

const CALLBACK = `export function notify(hooks, event) {
  return hooks.onEvent(event);
}
`;

let p: Project;
before(() => {
  p = project('type-guard');
  p.write('src/reasons.mjs', REASONS);
  p.write('src/tags.mjs', TAGS);
  p.write('src/notify.mjs', CALLBACK);
});
after(() => p.remove());

function contextFor(rel: string, text: string, needle: string, message: string) {
  const incident = incidentOf({ errorClass: 'TypeError', message, frames: [frameAt(`${p.root}/${rel}`, text, needle)], cwd: p.root });
  return repairContext({ root: p.root, incident, ranking: [], normal: [], sources: ['src/**'] });
}

describe('type guard on a method missing from the receiver', () => {
  test('a string method: coerce with String(), or return early when it is not a string', async () => {
    const ctx = contextFor('src/reasons.mjs', REASONS, 'trim()', 'reason.trim is not a function');
    const candidates = generateCandidates(ctx, [typeGuard]);
    assert.deepEqual(candidates.map((c) => [c.kind, c.description]), [
      ['guard', 'type coercion: call trim on String(reason)'],
      ['guard', 'type check: return early when reason is not a string'],
    ]);
    assert.match(candidates[0]!.diff, /^\+  const text = String\(reason\)\.trim\(\)\.toLowerCase\(\);$/m);
    // Its only return is a conditional, which says nothing errorValueFor reads: a bare return.
    assert.match(candidates[1]!.diff, /^\+  if \(typeof reason !== 'string'\) return;$/m);

    const original = (await importText<{ normaliseReason(r: unknown): string }>(p.root, REASONS)).normaliseReason;
    assert.throws(() => original(42), /reason\.trim is not a function/);
    const onFault = ['42', undefined];
    for (const [i, c] of candidates.entries()) {
      const text = applied(p.root, c, 'src/reasons.mjs');
      assert.deepEqual(syntaxOf('reasons.mjs', text), []);
      const { normaliseReason } = await importText<{ normaliseReason(r: unknown): string | undefined }>(p.root, text);
      assert.equal(normaliseReason(42), onFault[i]);
      for (const normal of ['  Too Late ', '', 'DUPLICATE']) assert.equal(normaliseReason(normal), original(normal));
    }
  });

  test('an array method: fall back to an empty array', async () => {
    const ctx = contextFor('src/tags.mjs', TAGS, 'map(', 'tags.map is not a function');
    const candidates = generateCandidates(ctx, [typeGuard]);
    assert.deepEqual(candidates.map((c) => c.description), [
      'type coercion: call map on (Array.isArray(tags) ? tags : [])',
      'type check: return early when tags is not a array',
    ]);
    const original = (await importText<{ tagList(t: unknown): string }>(p.root, TAGS)).tagList;
    for (const c of candidates) {
      const text = applied(p.root, c, 'src/tags.mjs');
      assert.deepEqual(syntaxOf('tags.mjs', text), []);
      const { tagList } = await importText<{ tagList(t: unknown): string | undefined }>(p.root, text);
      assert.doesNotThrow(() => tagList('vip'));
      assert.equal(tagList(['vip', 'eu']), original(['vip', 'eu']));
    }
  });

  test('a method of no known type: only the check that it is callable', async () => {
    const ctx = contextFor('src/notify.mjs', CALLBACK, 'onEvent(', 'hooks.onEvent is not a function');
    const candidates = generateCandidates(ctx, [typeGuard]);
    assert.deepEqual(candidates.map((c) => c.description), ['type check: return early when hooks is not something with onEvent()']);
    const text = applied(p.root, candidates[0]!, 'src/notify.mjs');
    assert.match(text, /if \(typeof hooks\?\.onEvent !== 'function'\) return;/);
    const { notify } = await importText<{ notify(h: unknown, e: string): unknown }>(p.root, text);
    assert.equal(notify({}, 'x'), undefined);
    assert.equal(notify({ onEvent: (e: string) => `got ${e}` }, 'x'), 'got x');
  });

  test('every direct candidate for the incident parses', () => {
    const ctx = contextFor('src/reasons.mjs', REASONS, 'trim()', 'reason.trim is not a function');
    const candidates = generateCandidates(ctx, directGenerators);
    assert.deepEqual(candidates.map((c) => c.kind), ['guard', 'guard', 'error-virtualisation']);
    for (const c of candidates) assert.deepEqual(syntaxOf('reasons.mjs', applied(p.root, c, 'src/reasons.mjs')), []);
  });

  test('nothing for a message that is not "is not a function"', () => {
    const ctx = contextFor('src/reasons.mjs', REASONS, 'trim()', "Cannot read properties of undefined (reading 'trim')");
    assert.deepEqual([...typeGuard.generate(ctx)], []);
  });
});
