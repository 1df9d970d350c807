// variantsOf: the same request with fields dropped, types changed, numbers at their boundaries,
// numeric path segments at theirs, and malformed bodies malformed otherwise; at most 12.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordedRequest } from '../../src/model/request.js';
import { variantsOf } from '../../src/validate/variants.js';

function post(url: string, body: string): RecordedRequest {
  return { id: '42-7', method: 'POST', url, headers: { 'content-type': 'application/json' }, body, bodyEncoding: 'utf8', startedAt: 1000, status: 500 };
}

const bodies = (vs: RecordedRequest[]) => vs.map((v) => v.body);
const parsed = (vs: RecordedRequest[]) => vs.flatMap((v) => {
  try {
    return [JSON.parse(v.body!) as Record<string, unknown>];
  } catch {
    return [];
  }
});

describe('variantsOf', () => {
  test('a small JSON body: a field dropped, its type changed, a number at its boundaries', () => {
    const req = post('/cart', '{"sku":"A-1","qty":3}');
    const vs = variantsOf(req);
    const objs = parsed(vs);
    assert.ok(objs.some((o) => !('sku' in o) && o.qty === 3), 'sku dropped');
    assert.ok(objs.some((o) => !('qty' in o) && o.sku === 'A-1'), 'qty dropped');
    assert.ok(objs.some((o) => o.sku === 42), 'sku as a number');
    assert.ok(objs.some((o) => o.sku === ''), 'sku empty');
    assert.ok(objs.some((o) => o.qty === '3'), 'qty as a string');
    for (const n of [0, -1, 4, 1e9]) assert.ok(objs.some((o) => o.qty === n), `qty=${n}`);
    // and the body cut in half, no longer JSON
    assert.ok(vs.some((v) => v.body === '{"sku":"A-'));
    for (const v of vs) {
      assert.equal(v.method, 'POST');
      assert.equal(v.url, '/cart');
      assert.ok(v.id.startsWith('42-7~'), v.id);
    }
    assert.equal(new Set(vs.map((v) => v.id)).size, vs.length);
    assert.equal(new Set(bodies(vs)).size, vs.length, 'no variant twice');
  });

  test('nested fields are dropped and nulled too', () => {
    const vs = variantsOf(post('/customers', '{"address":{"country":"US"}}'));
    const objs = parsed(vs);
    assert.ok(objs.some((o) => !('address' in o)));
    assert.ok(objs.some((o) => o.address === null));
    assert.ok(objs.some((o) => typeof o.address === 'object' && o.address !== null && !('country' in o.address)));
    assert.ok(objs.some((o) => (o.address as { country?: unknown })?.country === 42));
  });

  test('numeric path segments get boundary values, the query kept', () => {
    const req: RecordedRequest = { id: '1-1', method: 'GET', url: '/invoices/17/lines?page=2', headers: {}, startedAt: 0 };
    const vs = variantsOf(req);
    assert.deepEqual(vs.map((v) => v.url), ['/invoices/0/lines?page=2', '/invoices/-1/lines?page=2', '/invoices/18/lines?page=2', '/invoices/99999/lines?page=2']);
    assert.ok(vs.every((v) => v.body === undefined));
    const zero = variantsOf({ ...req, url: '/invoices/0' });
    assert.deepEqual(zero.map((v) => v.url), ['/invoices/-1', '/invoices/1', '/invoices/99999']);
  });

  test('a malformed body gets other malformed bodies', () => {
    const vs = variantsOf(post('/orders', '{"items": [1, 2'));
    assert.deepEqual(bodies(vs), ['', '{"items', 'not json']);
    assert.ok(vs.every((v) => v.url === '/orders' && v.method === 'POST'));
  });

  test('a large body gives at most 12 variants, spread over its fields', () => {
    const body: Record<string, unknown> = {};
    for (let i = 0; i < 10; i++) body[`field${i}`] = i % 2 ? i : `v${i}`;
    const vs = variantsOf(post('/orders/5', JSON.stringify(body)));
    assert.equal(vs.length, 12);
    const touched = new Set(vs.flatMap((v) => (v.id.match(/field\d/g) ?? [])));
    assert.ok(touched.size >= 5, `only ${[...touched].join(',')} varied`);
  });

  test('the original request is not mutated', () => {
    const req = post('/orders/5?x=1', '{"customer":{"id":9,"tags":["a"]},"qty":2}');
    const snapshot = structuredClone(req);
    const vs = variantsOf(req);
    assert.ok(vs.length > 0);
    assert.deepEqual(req, snapshot);
    assert.ok(vs.every((v) => v !== req && v.headers === req.headers));
  });

  test('a base64 body and no body: only path variants', () => {
    assert.deepEqual(variantsOf({ id: '1', method: 'PUT', url: '/blob', headers: {}, body: 'AAEC', bodyEncoding: 'base64', startedAt: 0 }), []);
    assert.deepEqual(variantsOf({ id: '1', method: 'GET', url: '/health', headers: {}, startedAt: 0 }), []);
  });
});
