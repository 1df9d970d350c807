import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';

const lines = [
  { description: 'Cipher machine rental (week)', amount: 30000, quantity: 2 },
  { description: '  Rotor set  ', amount: 4500, quantity: 3 },
];

describe('invoices API', () => {
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

  test('GET /invoices/:id returns a seeded invoice', async () => {
    const res = await api.request('GET', '/invoices/1');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    assert.equal(res.json.number, 'INV-0001');
    assert.equal(res.json.customer.name, 'Analytical Engines Ltd');
    assert.equal(res.json.lines.length, 2);
    assert.equal(res.json.total, 168000);
    assert.equal(res.json.status, 'paid');
  });

  test('GET /invoices/:id is 404 for an unknown invoice and 400 for a malformed id', async () => {
    const missing = await api.request('GET', '/invoices/999');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error, 'invoice 999 not found');
    assert.equal((await api.request('GET', '/invoices/INV-0001')).status, 400);
    assert.equal((await api.request('GET', '/invoices/%E0%A4%A')).status, 400);
  });

  test('GET /invoices/:id/total works out tax and the balance due', async () => {
    const paid = await api.request('GET', '/invoices/1/total');
    assert.equal(paid.status, 200);
    assert.deepEqual(paid.json, {
      id: 1,
      number: 'INV-0001',
      currency: 'GBP',
      subtotal: 140000,
      taxRate: 0.2,
      tax: 28000,
      total: 168000,
      paid: 168000,
      due: 0,
    });

    const partly = await api.request('GET', '/invoices/2/total');
    assert.deepEqual(partly.json, {
      id: 2,
      number: 'INV-0002',
      currency: 'USD',
      subtotal: 250000,
      taxRate: 0,
      tax: 0,
      total: 250000,
      paid: 100000,
      due: 150000,
    });

    const open = await api.request('GET', '/invoices/3/total');
    assert.equal(open.json.tax, 31692);
    assert.equal(open.json.due, 198492);
  });

  test('GET /invoices/:id/total rejects a malformed id', async () => {
    const res = await api.request('GET', '/invoices/0/total');
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'invalid invoice id: 0');
  });

  test('POST /invoices prices the lines and adds VAT for the customer country', async () => {
    const res = await api.request('POST', '/invoices', { body: { customerId: 'CUST-1004', lines } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.json, {
      id: 4,
      number: 'INV-0004',
      customerId: 'CUST-1004',
      customer: { name: 'Bletchley Ciphers BV', country: 'NL' },
      currency: 'EUR',
      status: 'open',
      lines: [
        { description: 'Cipher machine rental (week)', amount: 30000, quantity: 2, lineTotal: 60000 },
        { description: 'Rotor set', amount: 4500, quantity: 3, lineTotal: 13500 },
      ],
      subtotal: 73500,
      taxRate: 0.21,
      tax: 15435,
      total: 88935,
      amountPaid: 0,
    });

    const stored = await api.request('GET', '/invoices/4');
    assert.deepEqual(stored.json, res.json);
    const balance = await api.request('GET', '/invoices/4/total');
    assert.equal(balance.json.due, 88935);
  });

  test('POST /invoices bills customers outside the VAT table without tax', async () => {
    const res = await api.request('POST', '/invoices', {
      body: { customerId: 'CUST-1002', lines: [{ description: 'Training day', amount: 0, quantity: 1 }] },
    });
    assert.equal(res.status, 201);
    assert.equal(res.json.currency, 'USD');
    assert.equal(res.json.tax, 0);
    assert.equal(res.json.total, 0);
  });

  test('POST /invoices rejects invalid bodies and unknown customers', async () => {
    const cases = [
      ['{"customerId": ', 'request body is not valid JSON'],
      [[], 'body must be a JSON object'],
      [{ customerId: 'ACME', lines }, 'customerId must look like CUST-1234'],
      [{ customerId: 'CUST-1001', lines: [] }, 'lines must be a non-empty array'],
      [{ customerId: 'CUST-1001', lines: [{ amount: 100, quantity: 1 }] }, 'lines[0].description is required'],
      [{ customerId: 'CUST-1001', lines: [{ description: 'Refund', amount: -100, quantity: 1 }] }, 'lines[0].amount must be an integer from 0 to 10000000 (minor units)'],
      [{ customerId: 'CUST-1001', lines: [{ description: 'Cards', amount: 12.5, quantity: 1 }] }, 'lines[0].amount must be an integer from 0 to 10000000 (minor units)'],
      [{ customerId: 'CUST-1001', lines: [{ description: 'Cards', amount: 100, quantity: 0 }] }, 'lines[0].quantity must be an integer from 1 to 10000'],
    ];
    for (const [body, message] of cases) {
      const res = await api.request('POST', '/invoices', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error, message);
    }
    const unknown = await api.request('POST', '/invoices', { body: { customerId: 'CUST-9999', lines } });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.json.error, 'unknown customer: CUST-9999');
  });

  test('unknown routes and methods', async () => {
    assert.equal((await api.request('GET', '/nope')).status, 404);
    assert.equal((await api.request('DELETE', '/invoices/1')).status, 405);
    assert.equal((await api.request('GET', '/invoices')).status, 405);
  });
});
