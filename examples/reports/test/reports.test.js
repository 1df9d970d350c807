// Runs against the compiled output in dist/; build first (npm run build).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';

describe('reports API', () => {
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

  test('GET /reports/regions lists the regions with sales', async () => {
    const res = await api.request('GET', '/reports/regions');
    assert.deepEqual(res.json, { regions: ['apac', 'eu', 'us'] });
  });

  test('GET /reports/summary totals a region', async () => {
    const res = await api.request('GET', '/reports/summary?region=eu');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      region: 'eu',
      orders: 6,
      units: 15,
      revenue: '1199.00',
      averageOrder: '199.83',
      topProduct: { name: 'Trail boot', revenue: '516.00' },
      months: [
        { month: '2024-01', revenue: '476.00' },
        { month: '2024-02', revenue: '276.00' },
        { month: '2024-03', revenue: '447.00' },
      ],
    });
  });

  test('GET /reports/summary needs a known region', async () => {
    assert.equal((await api.request('GET', '/reports/summary')).status, 400);
    const unknown = await api.request('GET', '/reports/summary?region=mars');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error, 'unknown region mars; known: apac, eu, us');
  });

  test('POST /reports/histogram counts values into nicely sized buckets', async () => {
    const res = await api.request('POST', '/reports/histogram', { body: { values: [12, 30, 45, 80, 99, 3], buckets: 4 } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      count: 6,
      min: 3,
      max: 99,
      width: 25,
      buckets: [
        { from: '0.00', to: '25.00', count: 2 },
        { from: '25.00', to: '50.00', count: 2 },
        { from: '50.00', to: '75.00', count: 0 },
        { from: '75.00', to: '100.00', count: 2 },
      ],
    });
  });

  test('POST /reports/histogram handles fractional and identical values', async () => {
    const small = await api.request('POST', '/reports/histogram', { body: { values: [0.1, 0.35, 0.6], buckets: 2 } });
    assert.equal(small.status, 200);
    assert.equal(small.json.width, 0.25);
    assert.deepEqual(small.json.buckets, [
      { from: '0.00', to: '0.25', count: 1 },
      { from: '0.25', to: '0.50', count: 1 },
      { from: '0.50', to: '0.75', count: 1 },
    ]);

    const same = await api.request('POST', '/reports/histogram', { body: { values: [7, 7, 7], buckets: 3 } });
    assert.equal(same.status, 200);
    assert.deepEqual(same.json.buckets, [{ from: '7.00', to: '8.00', count: 3 }]);
  });

  test('POST /reports/histogram validates its input', async () => {
    const post = (body) => api.request('POST', '/reports/histogram', { body });
    assert.equal((await post('{nope')).status, 400);
    assert.equal((await post([1, 2])).status, 400);
    assert.equal((await post({ values: [], buckets: 3 })).status, 400);
    assert.equal((await post({ values: [1, 'two'], buckets: 3 })).status, 400);
    assert.equal((await post({ values: [1, 2], buckets: 2.5 })).status, 400);
    assert.equal((await post({ values: [1, 2], buckets: 500 })).status, 400);
  });

  test('unknown routes and methods', async () => {
    assert.equal((await api.request('GET', '/nope')).status, 404);
    assert.equal((await api.request('GET', '/reports/histogram')).status, 405);
  });
});

describe('analyst accounts', () => {
  let api;
  before(async () => {
    api = await startServer({ adminToken: 'test-token' });
  });
  after(() => api.close());

  test('POST /sessions checks the password', async () => {
    const ok = await api.request('POST', '/sessions', { body: { username: 'katherine', password: 'orbital-mechanics' } });
    assert.deepEqual([ok.status, ok.json], [200, { username: 'katherine', role: 'admin' }]);
    const wrong = await api.request('POST', '/sessions', { body: { username: 'katherine', password: 'guess' } });
    assert.equal(wrong.status, 401);
  });

  test('POST /admin/users needs the admin token and creates users once', async () => {
    const body = { username: 'dorothy', password: 'fortran-for-all', role: 'analyst' };
    assert.equal((await api.request('POST', '/admin/users', { body })).status, 401);
    const headers = { authorization: 'Bearer test-token' };
    const created = await api.request('POST', '/admin/users', { headers, body });
    assert.deepEqual([created.status, created.json], [201, { username: 'dorothy', role: 'analyst' }]);
    assert.equal((await api.request('POST', '/admin/users', { headers, body })).status, 409);
  });
});
