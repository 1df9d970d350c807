import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';

describe('support staff accounts', () => {
  let api;
  before(async () => {
    api = await startServer({ adminToken: 'test-admin-token' });
  });
  after(() => api.close());

  const admin = { authorization: 'Bearer test-admin-token' };

  test('POST /sessions signs in a known user', async () => {
    const res = await api.request('POST', '/sessions', { body: { username: 'radia', password: 'spanning-tree' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { username: 'radia', role: 'moderator' });
  });

  test('POST /sessions rejects a wrong password and a malformed body', async () => {
    const wrong = await api.request('POST', '/sessions', { body: { username: 'radia', password: 'shortest-path' } });
    assert.equal(wrong.status, 401);
    assert.equal((await api.request('POST', '/sessions', { body: '{"username": "radia"' })).status, 400);
  });

  test('POST /admin/users needs the admin token', async () => {
    const res = await api.request('POST', '/admin/users', { body: { username: 'vint', password: 'long-enough' } });
    assert.equal(res.status, 401);
  });

  test('POST /admin/users creates a user who can then sign in', async () => {
    const created = await api.request('POST', '/admin/users', {
      headers: admin,
      body: { username: 'frances', password: 'optimising-compilers', role: 'support' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json, { username: 'frances', role: 'support' });

    const duplicate = await api.request('POST', '/admin/users', {
      headers: admin,
      body: { username: 'frances', password: 'optimising-compilers' },
    });
    assert.equal(duplicate.status, 409);

    const session = await api.request('POST', '/sessions', { body: { username: 'frances', password: 'optimising-compilers' } });
    assert.equal(session.status, 200);
  });

  test('POST /admin/users validates the new account', async () => {
    const res = await api.request('POST', '/admin/users', { headers: admin, body: { username: 'x', password: 'short' } });
    assert.equal(res.status, 400);
  });
});
