// Error virtualisation: the faulting function and its callers turn the error into a value their
// callers handle, or into a 400 answer where an HTTP response is in scope.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateCandidates, repairContext } from '../../../src/repair/candidates.js';
import { errorVirtualisation } from '../../../src/repair/generators/error-virtualisation.js';
import { ORDERS, ROUTER, applied, fakeRequest, fakeResponse, frameAt, importText, incidentOf, project, syntaxOf, type Project } from './helpers.js';

const QTY = `export function parseQty(raw: string): number {
  const n = Number.parseInt(raw.trim(), 10);
  if (Number.isNaN(n)) throw new Error('not a number');
  return n;
}
`;

const FIRST = `export const firstName = (list) => list[0].name;
`;

const CHAIN = `export function a(x) { return b(x) + 1; }
export function b(x) { return c(x) + 1; }
export function c(x) { return d(x) + 1; }
export function d(x) { return e(x) + 1; }
export function e(x) { return x.value.length; }
`;

const CALLBACK = `export function lengths(rows) {
  return rows.map((row) => row.tags.length);
}
`;

type Handler = (req: unknown, res: ReturnType<typeof fakeResponse>) => void;

let p: Project;
before(() => {
  p = project('error-virt');
  p.write('src/orders.mjs', ORDERS);
  p.write('src/router.mjs', ROUTER);
  p.write('src/qty.ts', QTY);
  p.write('src/first.mjs', FIRST);
  p.write('src/chain.mjs', CHAIN);
  p.write('src/lengths.mjs', CALLBACK);
});
after(() => p.remove());

function contextFor(frames: ReturnType<typeof frameAt>[], message: string) {
  const incident = incidentOf({ errorClass: 'TypeError', message, frames, cwd: p.root });
  return repairContext({ root: p.root, incident, ranking: [], normal: [], sources: ['src/**'] });
}

describe('error virtualisation', () => {
  test('in a handler and its router: answer 400, nearest frame first', async () => {
    const ctx = contextFor(
      [frameAt(`${p.root}/src/orders.mjs`, ORDERS, 'reduce(', 'handle'), frameAt(`${p.root}/src/router.mjs`, ROUTER, 'handle(req, res)', 'route')],
      "Cannot read properties of undefined (reading 'reduce')",
    );
    assert.equal(ctx.frames.length, 2);
    const candidates = generateCandidates(ctx, [errorVirtualisation]);
    assert.deepEqual(candidates.map((c) => [c.kind, c.description, c.distance, c.edits[0]!.file]), [
      ['error-virtualisation', 'answer 400 from handle when the request makes it throw', 0, 'src/orders.mjs'],
      ['error-virtualisation', 'answer 400 from route when the request makes it throw', 1, 'src/router.mjs'],
    ]);

    const faulting = () => fakeRequest('POST', '/orders', JSON.stringify({ id: 7 }));
    const normal = () => fakeRequest('POST', '/orders', JSON.stringify({ id: 1, items: [{ price: 2, qty: 3 }] }));
    const { handle: original } = await importText<{ handle: Handler }>(path.join(p.root, 'src'), ORDERS);
    const expected = fakeResponse();
    original(normal(), expected);
    assert.equal(expected.body, '{"id":1,"total":6}');

    for (const [c, rel, name] of [[candidates[0]!, 'src/orders.mjs', 'handle'], [candidates[1]!, 'src/router.mjs', 'route']] as const) {
      const text = applied(p.root, c, rel);
      assert.deepEqual(syntaxOf(rel, text), []);
      assert.match(text, /\} catch \(error\) \{\n {4}if \(!res\.headersSent\) \{\n {6}res\.statusCode = 400;/);
      const mod = await importText<Record<string, Handler>>(path.join(p.root, 'src'), text);
      const bad = fakeResponse();
      assert.doesNotThrow(() => mod[name]!(faulting(), bad));
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(bad.body!), { error: 'Bad Request' });
      const good = fakeResponse();
      mod[name]!(normal(), good);
      assert.deepEqual([good.statusCode, good.body], [expected.statusCode, expected.body]);
    }
  });

  test('a function with a return type annotation returns a value of that type', () => {
    const ctx = contextFor([frameAt(`${p.root}/src/qty.ts`, QTY, 'trim(', 'parseQty')], 'raw.trim is not a function');
    const [c] = generateCandidates(ctx, [errorVirtualisation]);
    assert.equal(c!.description, 'make parseQty return 0 instead of throwing');
    const text = applied(p.root, c!, 'src/qty.ts');
    assert.deepEqual(syntaxOf('qty.ts', text), []);
    assert.match(text, /^export function parseQty\(raw: string\): number \{\n {2}try \{\n {4}const n = /);
    assert.match(text, /\n {2}\} catch \(error\) \{\n {4}return 0;\n {2}\}\n\}\n$/);
  });

  test('an arrow function with an expression body becomes a block', async () => {
    const ctx = contextFor([frameAt(`${p.root}/src/first.mjs`, FIRST, 'name;', 'firstName')], "Cannot read properties of undefined (reading 'name')");
    const [c] = generateCandidates(ctx, [errorVirtualisation]);
    assert.equal(c!.description, 'make firstName return undefined instead of throwing');
    const text = applied(p.root, c!, 'src/first.mjs');
    assert.deepEqual(syntaxOf('first.mjs', text), []);
    const { firstName } = await importText<{ firstName(l: unknown[]): unknown }>(p.root, text);
    assert.equal(firstName([]), undefined);
    assert.equal(firstName([{ name: 'Ada' }]), 'Ada');
  });

  test('an anonymous callback is named by where it is', () => {
    const ctx = contextFor([frameAt(`${p.root}/src/lengths.mjs`, CALLBACK, 'length);', '<anonymous>')], "Cannot read properties of undefined (reading 'length')");
    const [c] = generateCandidates(ctx, [errorVirtualisation]);
    assert.equal(c!.description, 'make the callback at lengths.mjs:2 return undefined instead of throwing');
    assert.deepEqual(syntaxOf('lengths.mjs', applied(p.root, c!, 'src/lengths.mjs')), []);
  });

  test('tries at most four functions up the stack, each at its own distance', async () => {
    const file = `${p.root}/src/chain.mjs`;
    const frames = [
      frameAt(file, CHAIN, 'length;', 'e'),
      frameAt(file, CHAIN, 'e(x)', 'd'),
      frameAt(file, CHAIN, 'd(x) +', 'c'),
      frameAt(file, CHAIN, 'c(x) +', 'b'),
      frameAt(file, CHAIN, 'b(x) +', 'a'),
    ];
    const ctx = contextFor(frames, "Cannot read properties of undefined (reading 'length')");
    assert.equal(ctx.frames.length, 5);
    const candidates = generateCandidates(ctx, [errorVirtualisation]);
    assert.deepEqual(candidates.map((c) => [c.description, c.distance]), [
      // e returns a property, which says nothing about its type; its callers return sums.
      ['make e return undefined instead of throwing', 0],
      ['make d return 0 instead of throwing', 1],
      ['make c return 0 instead of throwing', 2],
      ['make b return 0 instead of throwing', 3],
    ]);
    const onFault = [NaN, 3, 2, 1];
    for (const [i, c] of candidates.entries()) {
      const text = applied(p.root, c, 'src/chain.mjs');
      assert.deepEqual(syntaxOf('chain.mjs', text), []);
      const mod = await importText<{ a(x: unknown): number }>(p.root, text);
      assert.equal(mod.a({}), onFault[i], `with ${c.description}`);
      assert.equal(mod.a({ value: 'abc' }), 7);
    }
  });
});
