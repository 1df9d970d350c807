// Input filters learned from an incident's faulting requests against recorded normal traffic: the
// features every faulting request shares and no normal request has; refused whenever a filter
// would block normal traffic or nothing separates the two.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockedCount, describeFilter, learnInputFilter } from '../../src/detect/input-filter.js';
import type { RecordedRequest } from '../../src/model/request.js';
import { featuresOf, matchesFilter } from '../../src/model/shield.js';

let seq = 0;
function req(method: string, url: string, body?: unknown): RecordedRequest {
  const r: RecordedRequest = { id: `t-${++seq}`, method, url, headers: {}, startedAt: 0 };
  if (body !== undefined) {
    r.body = typeof body === 'string' ? body : JSON.stringify(body);
    r.bodyEncoding = 'utf8';
  }
  return r;
}

const order = (customer: unknown, items: unknown = [{ sku: 'MUG-01', quantity: 1 }]) => req('POST', '/orders', { customer, items });
const normalOrders = [
  order({ name: 'Ada', address: { city: 'London', country: 'GB' } }),
  order({ name: 'Grace', address: { street: '1 Main St', city: 'Arlington', country: 'US' } }),
  order({ name: 'Linus', address: { city: 'Helsinki', country: 'FI' } }, [{ sku: 'CAP-03', quantity: 2 }]),
];

describe('learnInputFilter', () => {
  test('a missing field is the filter, said once at the top of what is missing', () => {
    const learned = learnInputFilter([order({ name: 'Alan', email: 'a@example.com' })], normalOrders);
    assert.ok('filter' in learned, JSON.stringify(learned));
    assert.deepEqual(learned.filter.predicates, [{ path: 'body.customer.address', is: 'missing' }]);
    assert.equal(describeFilter(learned.filter), 'POST /orders where body.customer.address missing');
    assert.equal(learned.checked, 3);
    // It blocks the faulting input and its variants, and no normal request.
    assert.equal(blockedCount(learned.filter, normalOrders), 0);
    assert.equal(blockedCount(learned.filter, [order({ name: 'Someone else' })]), 1);
  });

  test('a wrong type and a zero are told apart from the normal values', () => {
    const cancel = (reason: unknown) => req('POST', '/orders/3/cancel', { reason });
    const byType = learnInputFilter([cancel(42)], [cancel('changed my mind'), cancel('duplicate')]);
    assert.ok('filter' in byType);
    assert.deepEqual(byType.filter.predicates, [{ path: 'body.reason', is: 'number' }]);
    assert.equal(byType.filter.route, 'POST /orders/:id/cancel');

    const histogram = (buckets: number) => req('POST', '/reports/histogram', { values: [1, 2], buckets });
    const byZero = learnInputFilter([histogram(0)], [histogram(4), histogram(10)]);
    assert.ok('filter' in byZero);
    assert.deepEqual(byZero.filter.predicates, [{ path: 'body.buckets', is: 'number:zero' }]);
  });

  test('a body that is not JSON is a feature; query values are classed as numbers', () => {
    const malformed = learnInputFilter([req('PUT', '/profiles/1', '{"displayName": "Ada')], [req('PUT', '/profiles/1', { displayName: 'Ada' })]);
    assert.ok('filter' in malformed);
    assert.deepEqual(malformed.filter.predicates, [{ path: 'body', is: 'unparsed' }]);
    const negative = learnInputFilter([req('GET', '/items?limit=-1')], [req('GET', '/items?limit=10'), req('GET', '/items')]);
    assert.ok('filter' in negative);
    assert.deepEqual(negative.filter.predicates, [{ path: 'query.limit', is: 'number:negative' }]);
  });

  test('with nothing structural to go on, the exact path is the filter', () => {
    const learned = learnInputFilter([req('GET', '/invoices/999/total')], [req('GET', '/invoices/1/total'), req('GET', '/invoices/2/total')]);
    assert.ok('filter' in learned);
    assert.deepEqual(learned.filter.predicates, [{ path: 'path', is: 'value:/invoices/999/total' }]);
  });

  test('refused when the faulting request looks like normal traffic: it would block normal requests', () => {
    const learned = learnInputFilter([req('GET', '/ticket')], [req('GET', '/ticket'), req('GET', '/ticket')]);
    assert.deepEqual(learned, { refused: 'every feature of the faulting request also occurs in recorded normal traffic on GET /ticket: a filter would block normal requests' });
  });

  test('refused without recorded normal traffic on the route to check against', () => {
    const learned = learnInputFilter([order({ name: 'Alan' })], [req('GET', '/orders/1')]);
    assert.deepEqual(learned, { refused: 'no recorded normal traffic on POST /orders to check a filter against' });
  });

  test('only features every faulting request shares are used', () => {
    const learned = learnInputFilter([order({ name: 'Alan' }), order({ name: 'Kurt', email: 'k@example.com' })], normalOrders);
    assert.ok('filter' in learned);
    // Only one of them sent an email: the filter is the missing address alone, and blocks a third such order.
    assert.deepEqual(learned.filter.predicates, [{ path: 'body.customer.address', is: 'missing' }]);
    assert.ok(matchesFilter(learned.filter, featuresOf('/orders', JSON.stringify({ customer: { name: 'X' }, items: [] }))));
  });
});
