'use strict';

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');
const { startServer } = require('./helpers');

describe('reservations', () => {
  let api;
  before(async () => {
    api = await startServer();
  });
  after(() => api.close());

  test('POST /reservations holds stock and lowers availability', async () => {
    const res = await api.request('POST', '/reservations', { body: { sku: 'JACKET-200', variant: 1, quantity: 4 } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.json, { id: 1, sku: 'JACKET-200', variant: 1, quantity: 4, available: 5 });

    const variant = await api.request('GET', '/items/JACKET-200/variants/1');
    assert.deepEqual(variant.json, { sku: 'JACKET-200', index: 1, label: 'M', stock: 9, reserved: 4, available: 5 });
  });

  test('POST /reservations refuses more than is available', async () => {
    const res = await api.request('POST', '/reservations', { body: { sku: 'BOOT-100', variant: 2, quantity: 1 } });
    assert.equal(res.status, 409);
    assert.deepEqual(res.json, { error: 'only 0 available', available: 0 });
  });

  test('POST /reservations refuses a variant the item does not have', async () => {
    const res = await api.request('POST', '/reservations', { body: { sku: 'LAMP-400', variant: 3, quantity: 1 } });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'LAMP-400 has 1 variant(s); no variant 3');
  });

  test('POST /reservations validates the body', async () => {
    assert.equal((await api.request('POST', '/reservations', { body: '{oops' })).status, 400);
    assert.equal((await api.request('POST', '/reservations', { body: { variant: 0, quantity: 1 } })).status, 400);
    assert.equal((await api.request('POST', '/reservations', { body: { sku: 'LAMP-400', variant: 0, quantity: 0 } })).status, 400);
    assert.equal((await api.request('POST', '/reservations', { body: { sku: 'NOPE', variant: 0, quantity: 1 } })).status, 404);
  });
});

describe('staff accounts', () => {
  let api;
  before(async () => {
    api = await startServer({ adminToken: 'test-token' });
  });
  after(() => api.close());

  test('POST /sessions signs in with the right password only', async () => {
    const ok = await api.request('POST', '/sessions', { body: { username: 'grace', password: 'compile-the-cobol' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { username: 'grace', role: 'supervisor' });
    const wrong = await api.request('POST', '/sessions', { body: { username: 'grace', password: 'nope' } });
    assert.equal(wrong.status, 401);
  });

  test('POST /admin/users needs the admin token and creates users once', async () => {
    const body = { username: 'linus', password: 'penguin-power', role: 'picker' };
    assert.equal((await api.request('POST', '/admin/users', { body })).status, 401);
    const headers = { authorization: 'Bearer test-token' };
    const created = await api.request('POST', '/admin/users', { headers, body });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json, { username: 'linus', role: 'picker' });
    assert.equal((await api.request('POST', '/admin/users', { headers, body })).status, 409);
  });
});
