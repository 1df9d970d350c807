import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';

describe('finance staff accounts', () => {
  let api;
  before(async () => {
    api = await startServer({ adminToken: 'test-admin-token' });
  });
  after(() => api.close());

  const admin = { authorization: 'Bearer test-admin-token' };

  test('POST /sessions signs in a known user', async () => {
    const res = await api.request('POST', '/sessions', { body: { username: 'annie', password: 'ledger-balance' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { username: 'annie', role: 'accountant' });
  });

  test('POST /sessions rejects a wrong password', async () => {
    const res = await api.request('POST', '/sessions', { body: { username: 'annie', password: 'ledger-imbalance' } });
    assert.equal(res.status, 401);
  });

  test('POST /admin/users needs the admin token', async () => {
    const res = await api.request('POST', '/admin/users', { body: { username: 'joan', password: 'long-enough' } });
    assert.equal(res.status, 401);
  });

  test('POST /admin/users creates a user who can then sign in', async () => {
    const created = await api.request('POST', '/admin/users', {
      headers: admin,
      body: { username: 'joan', password: 'reconciliation', role: 'clerk' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json, { username: 'joan', role: 'clerk' });

    const duplicate = await api.request('POST', '/admin/users', {
      headers: admin,
      body: { username: 'joan', password: 'reconciliation' },
    });
    assert.equal(duplicate.status, 409);

    const session = await api.request('POST', '/sessions', { body: { username: 'joan', password: 'reconciliation' } });
    assert.equal(session.status, 200);
  });

  test('POST /admin/users validates the new account', async () => {
    const res = await api.request('POST', '/admin/users', { headers: admin, body: { username: 'x', password: 'short' } });
    assert.equal(res.status, 400);
  });
});
