// The null guard on "Cannot read properties of undefined": optional chaining, bounds check and
// early return, generated from an incident whose frame points at the real faulting access.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { directGenerators, generateCandidates, repairContext } from '../../../src/repair/candidates.js';
import { nullGuard } from '../../../src/repair/generators/null-guard.js';
import { applied, frameAt, importText, incidentOf, project, syntaxOf, type Project } from './helpers.js';

const ZONE = `// Shipping zones by the customer's country.
export function shippingZone(customer) {
  const country = customer.address.country;
  if (country === 'US') return 'domestic';
  return 'international';
}
`;

const PRICES = `export function priceInCents(items, i) {
  return items[i].price * 100;
}
`;

let p: Project;
before(() => {
  p = project('null-guard');
  p.write('src/zone.mjs', ZONE);
  p.write('src/prices.mjs', PRICES);
});
after(() => p.remove());

function contextFor(rel: string, text: string, needle: string, property: string) {
  const file = `${p.root}/${rel}`;
  const incident = incidentOf({
    errorClass: 'TypeError',
    message: `Cannot read properties of undefined (reading '${property}')`,
    frames: [
      frameAt(file, text, needle),
      { file: `${p.root}/node_modules/express/lib/router/layer.js`, line: 95, column: 5, app: false },
      { file: 'node:internal/process/task_queues', line: 95, column: 5, app: false },
    ],
    cwd: p.root,
  });
  return repairContext({ root: p.root, incident, ranking: [], normal: [], sources: ['src/**'] });
}

describe('null guard on a property read of an undefined object', () => {
  test('the frame resolves to the faulting access in shippingZone', () => {
    const ctx = contextFor('src/zone.mjs', ZONE, 'country;', 'country');
    assert.equal(ctx.frames.length, 1);
    assert.equal(ctx.frames[0]!.node.getText(ctx.frames[0]!.source.ast), 'country');
    assert.equal(ctx.frames[0]!.distance, 0);
  });

  test('optional chaining then an early return, both at distance 0', () => {
    const ctx = contextFor('src/zone.mjs', ZONE, 'country;', 'country');
    const candidates = generateCandidates(ctx, [nullGuard]);
    assert.deepEqual(
      candidates.map((c) => [c.kind, c.description, c.distance]),
      [
        ['guard', 'optional chaining: customer.address?.country yields undefined when customer.address is missing', 0],
        ['guard', 'null check: return early when customer.address is missing', 0],
      ],
    );
    const [chain, check] = candidates;
    assert.match(chain!.diff, /^-  const country = customer\.address\.country;$/m);
    assert.match(chain!.diff, /^\+  const country = customer\.address\?\.country;$/m);
    assert.equal(chain!.diffLines, 2);
    // The function returns strings, so the early return returns the empty string.
    assert.match(check!.diff, /^\+  if \(customer\.address == null\) return '';$/m);
    assert.equal(check!.diffLines, 1);
    for (const c of candidates) {
      assert.deepEqual(c.edits.map((e) => e.file), ['src/zone.mjs']);
      assert.equal(c.incident, ctx.incident.id);
      assert.match(c.id, /^[0-9a-f]{8}$/);
    }
  });

  test('each guard parses, stops the throw on the faulting input and keeps normal results', async () => {
    const ctx = contextFor('src/zone.mjs', ZONE, 'country;', 'country');
    const original = (await importText<{ shippingZone(c: unknown): string }>(p.root, ZONE)).shippingZone;
    assert.throws(() => original({ name: 'Ada' }), /reading 'country'/);
    const expected = { chain: 'international', check: '' };
    const candidates = generateCandidates(ctx, [nullGuard]);
    for (const [i, c] of candidates.entries()) {
      const text = applied(p.root, c, 'src/zone.mjs');
      assert.deepEqual(syntaxOf('zone.mjs', text), []);
      const { shippingZone } = await importText<{ shippingZone(c: unknown): string }>(p.root, text);
      assert.equal(shippingZone({ name: 'Ada' }), i === 0 ? expected.chain : expected.check);
      for (const normal of [{ address: { country: 'US' } }, { address: { country: 'FR' } }]) assert.equal(shippingZone(normal), original(normal));
    }
  });

  test('an index read adds a bounds check between the chain and the null check', async () => {
    const ctx = contextFor('src/prices.mjs', PRICES, 'price *', 'price');
    const candidates = generateCandidates(ctx, [nullGuard]);
    assert.deepEqual(candidates.map((c) => c.description), [
      'optional chaining: items[i]?.price yields undefined when items[i] is missing',
      'bounds check: return early when i is outside items',
      'null check: return early when items[i] is missing',
    ]);
    assert.match(candidates[1]!.diff, /^\+  if \(!\(i >= 0 && i < items\.length\)\) return 0;$/m);
    assert.match(candidates[2]!.diff, /^\+  if \(items\[i\] == null\) return 0;$/m);
    const original = (await importText<{ priceInCents(a: unknown[], i: number): number }>(p.root, PRICES)).priceInCents;
    for (const c of candidates) {
      const text = applied(p.root, c, 'src/prices.mjs');
      assert.deepEqual(syntaxOf('prices.mjs', text), []);
      const { priceInCents } = await importText<{ priceInCents(a: unknown[], i: number): number }>(p.root, text);
      assert.doesNotThrow(() => priceInCents([{ price: 2 }], 3));
      assert.equal(priceInCents([{ price: 2 }, { price: 5 }], 1), original([{ price: 2 }, { price: 5 }], 1));
    }
  });

  test('the direct generators put guards before error virtualisation and drop nothing that parses', () => {
    const ctx = contextFor('src/zone.mjs', ZONE, 'country;', 'country');
    const candidates = generateCandidates(ctx, directGenerators);
    assert.deepEqual(candidates.map((c) => c.kind), ['guard', 'guard', 'error-virtualisation']);
    assert.equal(candidates[2]!.description, "make shippingZone return '' instead of throwing");
    for (const c of candidates) assert.deepEqual(syntaxOf('zone.mjs', applied(p.root, c, 'src/zone.mjs')), []);
    assert.equal(new Set(candidates.map((c) => c.diff)).size, candidates.length);
  });

  test('no null guard for another error, or when the property is not read at the frame', () => {
    const other = contextFor('src/zone.mjs', ZONE, 'country;', 'country');
    other.incident.message = 'customer.address.country is not a function';
    assert.deepEqual([...nullGuard.generate(other)], []);
    const elsewhere = contextFor('src/zone.mjs', ZONE, 'country;', 'zipCode');
    assert.deepEqual([...nullGuard.generate(elsewhere)], []);
  });

  test('a frame in a file outside the sources gives no candidates', () => {
    const ctx = contextFor('src/zone.mjs', ZONE, 'country;', 'country');
    const locked = repairContext({ root: p.root, incident: ctx.incident, ranking: [], normal: [], sources: ['lib/**'] });
    assert.equal(locked.frames.length, 0);
    assert.deepEqual(generateCandidates(locked, directGenerators), []);
  });
});
