'use strict';

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { startServer } = require('./helpers');

describe('items API', () => {
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

  test('GET /items summarises every item', async () => {
    const res = await api.request('GET', '/items');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.items, [
      { sku: 'BOOT-100', name: 'Trail boot', variants: 4, available: 25 },
      { sku: 'JACKET-200', name: 'Rain jacket', variants: 3, available: 16 },
      { sku: 'TENT-300', name: 'Two-person tent', variants: 2, available: 8 },
      { sku: 'LAMP-400', name: 'Head lamp', variants: 1, available: 30 },
    ]);
  });

  test('GET /items?warehouse= filters by warehouse', async () => {
    const res = await api.request('GET', '/items?warehouse=south');
    assert.deepEqual(res.json.items.map((item) => item.sku), ['TENT-300', 'LAMP-400']);
  });

  test('GET /items/:sku shows each variant', async () => {
    const res = await api.request('GET', '/items/TENT-300');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      sku: 'TENT-300',
      name: 'Two-person tent',
      warehouse: 'south',
      variants: [
        { sku: 'TENT-300', index: 0, label: 'green', stock: 6, reserved: 0, available: 6 },
        { sku: 'TENT-300', index: 1, label: 'orange', stock: 2, reserved: 0, available: 2 },
      ],
    });
  });

  test('GET /items/:sku is 404 for an unknown sku', async () => {
    const res = await api.request('GET', '/items/NOPE-1');
    assert.equal(res.status, 404);
    assert.equal(res.json.error, 'no item with sku NOPE-1');
  });

  test('GET /items/:sku/variants/:index shows one variant', async () => {
    const res = await api.request('GET', '/items/BOOT-100/variants/1');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { sku: 'BOOT-100', index: 1, label: 'EU 41', stock: 8, reserved: 0, available: 8 });
    const last = await api.request('GET', '/items/BOOT-100/variants/3');
    assert.equal(last.json.label, 'EU 43');
  });

  test('GET /items/:sku/variants/:index rejects a malformed index', async () => {
    assert.equal((await api.request('GET', '/items/BOOT-100/variants/-1')).status, 400);
    assert.equal((await api.request('GET', '/items/BOOT-100/variants/one')).status, 400);
    assert.equal((await api.request('GET', '/items/NOPE-1/variants/0')).status, 404);
  });

  test('unknown routes and methods', async () => {
    assert.equal((await api.request('GET', '/nope')).status, 404);
    assert.equal((await api.request('DELETE', '/items')).status, 405);
    assert.equal((await api.request('GET', '/items/%E0%A4%A')).status, 400);
  });
});
