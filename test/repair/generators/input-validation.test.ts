// Input validation: the request feature that separates faulting requests from normal traffic on
// the same route, learned from recorded requests, and the 400 check placed in the handler.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { directGenerators, generateCandidates, repairContext } from '../../../src/repair/candidates.js';
import { inputValidation, separators } from '../../../src/repair/generators/input-validation.js';
import type { RecordedRequest } from '../../../src/model/request.js';
import { ORDERS, ROUTER, applied, fakeRequest, fakeResponse, frameAt, importText, incidentOf, project, request, syntaxOf, type Project } from './helpers.js';

describe('separators', () => {
  test('a field every faulting request lacks and every normal one has', () => {
    const seps = separators(
      [request('POST', '/orders', { id: 7, customer: 'c-1' })],
      [request('POST', '/orders', { id: 1, customer: 'c-2', items: [{ price: 2 }] }), request('POST', '/orders', { id: 2, customer: 'c-3', items: [] })],
    );
    assert.deepEqual(seps, [{ feature: 'body.items', test: 'missing', describe: 'body.items is missing' }]);
  });

  test('a field of the wrong type', () => {
    const seps = separators(
      [request('POST', '/cart', { sku: 'A-1', qty: '3' }), request('POST', '/cart', { sku: 'B-2', qty: 'two' })],
      [request('POST', '/cart', { sku: 'A-1', qty: 3 }), request('POST', '/cart', { sku: 'C-9', qty: 1 })],
    );
    assert.deepEqual(seps, [{ feature: 'body.qty', test: 'type', expected: 'number', describe: 'body.qty is given but not a number' }]);
    const arrays = separators([request('POST', '/tags', { tags: 'vip' })], [request('POST', '/tags', { tags: ['vip'] })]);
    assert.deepEqual(arrays.map((s) => s.describe), ['body.tags is given but not an array']);
  });

  test('a zero or negative count, in the body or the query', () => {
    assert.deepEqual(
      separators([request('POST', '/slots', { count: 0 }), request('POST', '/slots', { count: -2 })], [request('POST', '/slots', { count: 1 }), request('POST', '/slots', { count: 12 })]),
      [{ feature: 'body.count', test: 'below', bound: 1, describe: 'body.count is below 1' }],
    );
    assert.deepEqual(separators([request('GET', '/rows?size=0')], [request('GET', '/rows?size=5'), request('GET', '/rows?size=50')]).map((s) => s.describe), ['query.size is below 1']);
  });

  test('an id larger than any seen is not turned into a bound', () => {
    const seps = separators([request('GET', '/invoices/1001')], [request('GET', '/invoices/5'), request('GET', '/invoices/17'), request('GET', '/invoices/998')]);
    assert.deepEqual(seps, []);
    const body = separators([request('POST', '/pay', { invoice: 90001 })], [request('POST', '/pay', { invoice: 12 }), request('POST', '/pay', { invoice: 400 })]);
    assert.deepEqual(body, []);
  });

  test('a missing parent field hides its missing children', () => {
    const seps = separators(
      [request('POST', '/customers', { name: 'Ada' })],
      [request('POST', '/customers', { name: 'Grace', address: { country: 'US', zip: '10001', geo: { lat: 1 } } })],
    );
    assert.deepEqual(seps.map((s) => s.feature), ['body.address']);
  });

  test('missing before wrong type before range, shallower first', () => {
    const seps = separators(
      [request('POST', '/x', { a: { b: 'x' }, n: 0 })],
      [request('POST', '/x', { a: { b: 1 }, n: 4, c: true })],
    );
    assert.deepEqual(seps.map((s) => `${s.test} ${s.feature}`), ['missing body.c', 'type body.a.b', 'below body.n']);
  });

  test('nothing without faulting or without normal requests, or when they overlap', () => {
    assert.deepEqual(separators([], [request('POST', '/x', { a: 1 })]), []);
    assert.deepEqual(separators([request('POST', '/x', { a: 1 })], []), []);
    assert.deepEqual(separators([request('POST', '/x', { a: 'q' })], [request('POST', '/x', { a: 1 }), request('POST', '/x', { a: 'z' })]), []);
  });
});

const ROWS = `export function listRows(req, res) {
  const size = Number(new URL(req.url, 'http://localhost').searchParams.get('size'));
  const rows = new Array(size - 1).fill('row');
  res.end(JSON.stringify(rows));
}
`;

const CART = `export function addToCart(req, res) {
  const { sku, qty } = JSON.parse(req.rawBody);
  const label = sku + ' x' + qty.toFixed(0);
  res.end(label);
}
`;

type Handler = (req: unknown, res: ReturnType<typeof fakeResponse>) => void;

let p: Project;
before(() => {
  p = project('input-validation');
  p.write('src/orders.mjs', ORDERS);
  p.write('src/router.mjs', ROUTER);
  p.write('src/rows.mjs', ROWS);
  p.write('src/cart.mjs', CART);
});
after(() => p.remove());

async function answer(dir: string, text: string, name: string, req: unknown) {
  const mod = await importText<Record<string, Handler>>(dir, text);
  const res = fakeResponse();
  mod[name]!(req, res);
  return res;
}

describe('input validation candidates', () => {
  const faulting = [request('POST', '/orders', { id: 7, customer: 'c-1' }, 500)];
  const normal: RecordedRequest[] = [
    request('POST', '/orders', { id: 1, customer: 'c-2', items: [{ price: 2, qty: 3 }] }),
    request('POST', '/orders', { id: 2, customer: 'c-3', items: [] }),
    // Another route, and a request that failed: neither is normal traffic for this incident.
    request('GET', '/health'),
    request('POST', '/orders', { id: 3 }, 502),
  ];

  function ordersContext() {
    const incident = incidentOf({
      errorClass: 'TypeError',
      message: "Cannot read properties of undefined (reading 'reduce')",
      frames: [frameAt(`${p.root}/src/orders.mjs`, ORDERS, 'reduce(', 'handle'), frameAt(`${p.root}/src/router.mjs`, ROUTER, 'handle(req, res)', 'route')],
      requests: faulting,
      cwd: p.root,
    });
    return repairContext({ root: p.root, incident, ranking: [], normal, sources: ['src/**'] });
  }

  test('a missing body field: checked right after the body is parsed, for this route only', async () => {
    const ctx = ordersContext();
    const candidates = generateCandidates(ctx, [inputValidation]);
    assert.deepEqual(candidates.map((c) => [c.kind, c.description, c.distance, c.edits[0]!.file]), [
      ['input-validation', 'reject with 400 when body.items is missing (learned from 1 faulting and 2 normal requests)', 2, 'src/orders.mjs'],
    ]);
    const text = applied(p.root, candidates[0]!, 'src/orders.mjs');
    assert.deepEqual(syntaxOf('orders.mjs', text), []);
    const lines = text.split('\n');
    assert.equal(lines[2], '  const order = JSON.parse(req.rawBody);');
    assert.equal(lines[3], `  if (req.method === "POST" && /^\\/orders$/.test(new URL(req.url, 'http://localhost').pathname) && order?.items === undefined) {`);

    const dir = path.join(p.root, 'src');
    const bad = await answer(dir, text, 'handle', fakeRequest('POST', '/orders', faulting[0]!.body));
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(JSON.parse(bad.body!), { error: 'invalid request: body.items is missing' });
    const good = await answer(dir, text, 'handle', fakeRequest('POST', '/orders', normal[0]!.body));
    const before = await answer(dir, ORDERS, 'handle', fakeRequest('POST', '/orders', normal[0]!.body));
    assert.deepEqual([good.statusCode, good.body], [before.statusCode, before.body]);
    assert.equal(good.body, '{"id":1,"total":6}');
  });

  test('with the other direct generators: guards first, the validation, then 400 answers', () => {
    const candidates = generateCandidates(ordersContext(), directGenerators);
    assert.deepEqual(candidates.map((c) => c.kind), ['guard', 'guard', 'input-validation', 'error-virtualisation', 'error-virtualisation']);
    for (const c of candidates) {
      for (const rel of new Set(c.edits.map((e) => e.file))) assert.deepEqual(syntaxOf(rel, applied(p.root, c, rel)), [], c.description);
    }
  });

  test('a non-positive query value: checked first in the handler, as a number', async () => {
    const incident = incidentOf({
      errorClass: 'RangeError',
      message: 'Invalid array length',
      frames: [frameAt(`${p.root}/src/rows.mjs`, ROWS, 'new Array', 'listRows')],
      requests: [request('GET', '/rows?size=0', undefined, 500)],
      cwd: p.root,
    });
    const ctx = repairContext({ root: p.root, incident, ranking: [], normal: [request('GET', '/rows?size=5'), request('GET', '/rows?size=20')], sources: ['src/**'] });
    const candidates = generateCandidates(ctx, [inputValidation]);
    assert.deepEqual(candidates.map((c) => c.description), ['reject with 400 when query.size is below 1 (learned from 1 faulting and 2 normal requests)']);
    const text = applied(p.root, candidates[0]!, 'src/rows.mjs');
    assert.deepEqual(syntaxOf('rows.mjs', text), []);
    assert.match(text.split('\n')[1]!, /^ {2}if \(req\.method === "GET" && .* && !\(Number\(new URL\(req\.url, 'http:\/\/localhost'\)\.searchParams\.get\("size"\)\) >= 1\)\) \{$/);
    for (const url of ['/rows?size=0', '/rows?size=-4']) assert.equal((await answer(p.root, text, 'listRows', fakeRequest('GET', url))).statusCode, 400);
    const good = await answer(p.root, text, 'listRows', fakeRequest('GET', '/rows?size=3'));
    assert.deepEqual([good.statusCode, good.body], [200, '["row","row"]']);
  });

  test('a destructured body: the check reads the destructured name', async () => {
    const incident = incidentOf({
      errorClass: 'TypeError',
      message: 'qty.toFixed is not a function',
      frames: [frameAt(`${p.root}/src/cart.mjs`, CART, 'toFixed(', 'addToCart')],
      requests: [request('POST', '/cart', { sku: 'A-1', qty: '3' }, 500)],
      cwd: p.root,
    });
    const ctx = repairContext({ root: p.root, incident, ranking: [], normal: [request('POST', '/cart', { sku: 'A-1', qty: 3 })], sources: ['src/**'] });
    const candidates = generateCandidates(ctx, [inputValidation]);
    assert.equal(candidates.length, 1);
    const text = applied(p.root, candidates[0]!, 'src/cart.mjs');
    assert.deepEqual(syntaxOf('cart.mjs', text), []);
    assert.match(text, /&& typeof qty !== 'number'\) \{/);
    assert.equal((await answer(p.root, text, 'addToCart', fakeRequest('POST', '/cart', '{"sku":"A-1","qty":"3"}'))).statusCode, 400);
    assert.equal((await answer(p.root, text, 'addToCart', fakeRequest('POST', '/cart', '{"sku":"A-1","qty":3}'))).body, 'A-1 x3');
  });

  test('no candidate without normal traffic on the route, or when an id is merely larger', () => {
    const ctx = ordersContext();
    ctx.normal = [request('GET', '/health')];
    assert.deepEqual([...inputValidation.generate(ctx)], []);
    const incident = incidentOf({
      errorClass: 'TypeError',
      message: "Cannot read properties of undefined (reading 'reduce')",
      frames: [frameAt(`${p.root}/src/orders.mjs`, ORDERS, 'reduce(', 'handle')],
      requests: [request('POST', '/orders/1001', { items: [] }, 500)],
      cwd: p.root,
    });
    const byId = repairContext({ root: p.root, incident, ranking: [], normal: [request('POST', '/orders/3', { items: [] }), request('POST', '/orders/77', { items: [] })], sources: ['src/**'] });
    assert.deepEqual([...inputValidation.generate(byId)], []);
  });
});
