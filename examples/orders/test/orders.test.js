import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';

const customer = {
  name: 'Margaret Hamilton',
  email: 'margaret@example.com',
  address: { street: '75 Vassar St', city: 'Cambridge', country: 'US' },
};

describe('orders API', () => {
  let api;
  before(async () => {
    api = await startServer();
  });
  after(() => api.close());

  test('GET /health answers ok', async () => {
    const res = await api.request('GET', '/health');
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"ok":true}');
  });

  test('GET /orders/:id returns a seeded order', async () => {
    const res = await api.request('GET', '/orders/1');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    assert.equal(res.json.id, 1);
    assert.equal(res.json.customer.name, 'Grace Hopper');
    assert.equal(res.json.total, 2900);
  });

  test('GET /orders/:id is 404 for an unknown order and 400 for a malformed id', async () => {
    assert.equal((await api.request('GET', '/orders/999')).status, 404);
    assert.equal((await api.request('GET', '/orders/abc')).status, 400);
    assert.equal((await api.request('GET', '/orders/%E0%A4%A')).status, 400);
  });

  test('GET /orders lists order summaries', async () => {
    const res = await api.request('GET', '/orders');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.orders[0], { id: 1, status: 'placed', customer: 'Grace Hopper', total: 2900, currency: 'USD' });
  });

  test('POST /orders prices lines and ships domestic orders', async () => {
    const res = await api.request('POST', '/orders', {
      body: { customer, items: [{ sku: 'MUG-01', quantity: 1 }, { sku: 'CAP-03', quantity: 2 }] },
    });
    assert.equal(res.status, 201);
    assert.equal(res.json.status, 'placed');
    assert.deepEqual(
      res.json.lines.map((line) => [line.sku, line.quantity, line.lineTotal]),
      [['MUG-01', 1, 1200], ['CAP-03', 2, 3600]],
    );
    assert.equal(res.json.subtotal, 4800);
    assert.equal(res.json.shipping, 500);
    assert.equal(res.json.total, 5300);

    const stored = await api.request('GET', `/orders/${res.json.id}`);
    assert.deepEqual(stored.json, res.json);
  });

  test('POST /orders gives a volume discount and free domestic shipping on large orders', async () => {
    const res = await api.request('POST', '/orders', { body: { customer, items: [{ sku: 'PEN-05', quantity: 3 }] } });
    assert.equal(res.status, 201);
    assert.equal(res.json.subtotal, 13500);
    assert.equal(res.json.discount, 1350);
    assert.equal(res.json.shipping, 0);
    assert.equal(res.json.total, 12150);
  });

  test('POST /orders charges EU and international rates', async () => {
    const eu = await api.request('POST', '/orders', {
      body: { customer: { ...customer, address: { city: 'Berlin', country: 'de' } }, items: [{ sku: 'TEE-02', quantity: 1 }] },
    });
    assert.equal(eu.json.shipping, 1500);
    const intl = await api.request('POST', '/orders', {
      body: { customer: { ...customer, address: { city: 'Tokyo', country: 'JP' } }, items: [{ sku: 'TEE-02', quantity: 1 }] },
    });
    assert.equal(intl.json.shipping, 2500);
  });

  test('POST /orders rejects invalid bodies and unknown products', async () => {
    assert.equal((await api.request('POST', '/orders', { body: '{not json' })).status, 400);
    assert.equal((await api.request('POST', '/orders', { body: { customer, items: [] } })).status, 400);
    assert.equal((await api.request('POST', '/orders', { body: { items: [{ sku: 'MUG-01', quantity: 1 }] } })).status, 400);
    assert.equal(
      (await api.request('POST', '/orders', { body: { customer, items: [{ sku: 'MUG-01', quantity: 0 }] } })).status,
      400,
    );
    const unknown = await api.request('POST', '/orders', { body: { customer, items: [{ sku: 'NOPE-99', quantity: 1 }] } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.json.error, 'unknown product(s): NOPE-99');
  });

  test('POST /orders/:id/cancel cancels a placed order once', async () => {
    const res = await api.request('POST', '/orders/2/cancel', { body: { reason: '  changed my mind  ' } });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'cancelled');
    assert.equal(res.json.cancellation, 'changed my mind');
    const again = await api.request('POST', '/orders/2/cancel', { body: { reason: 'again' } });
    assert.equal(again.status, 409);
  });

  test('POST /orders/:id/cancel without a reason records a default note', async () => {
    const placed = await api.request('POST', '/orders', { body: { customer, items: [{ sku: 'BAG-04', quantity: 1 }] } });
    const res = await api.request('POST', `/orders/${placed.json.id}/cancel`, { body: {} });
    assert.equal(res.status, 200);
    assert.equal(res.json.cancellation, 'no reason given');
  });

  test('POST /orders/:id/cancel is 404 for an unknown order', async () => {
    assert.equal((await api.request('POST', '/orders/999/cancel', { body: { reason: 'x' } })).status, 404);
  });

  test('unknown routes and methods', async () => {
    assert.equal((await api.request('GET', '/nope')).status, 404);
    assert.equal((await api.request('DELETE', '/orders/1')).status, 405);
  });
});
