// Faults group into incidents by error class, masked message and location: ids and values in a
// message must not split an incident, while the property a TypeError names, and where it was raised, must.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Frame } from '../../src/model/fault.js';
import { incidentId, maskMessage, signatureOf, topAppFrame } from '../../src/diagnose/signature.js';

const ROOT = '/srv/app';
const at = (file: string, line: number, fn?: string): Frame => ({ file: path.join(ROOT, file), line, column: 7, app: true, ...(fn ? { fn } : {}) });

describe('maskMessage', () => {
  test('numbers, uuids, emails, hex ids and quoted strings are masked', () => {
    assert.equal(
      maskMessage('order 42 of ann.lee+x@shop.example.com (123e4567-e89b-12d3-a456-426614174000) costs -3.5: "gold" `tier` \'a b\' 0xff 5f1d7a9c3b2e4d6f'),
      'order <n> of <email> (<uuid>) costs <n>: <str> <str> <str> <hex> <hex>',
    );
  });

  test("the property V8 names in `(reading 'country')` is kept", () => {
    assert.equal(
      maskMessage("Cannot read properties of undefined (reading 'country')"),
      "Cannot read properties of undefined (reading 'country')",
    );
  });

  test('words that merely contain digits or hex letters are not masked', () => {
    assert.equal(maskMessage('v2 decade failed at step2'), 'v2 decade failed at step2');
  });

  test(
    'an identifier in single quotes followed by a quoted value: the identifier is kept and the value masked',
    () => {
      assert.equal(maskMessage("Unknown field 'email' for customer 'bob smith'"), "Unknown field 'email' for customer <str>");
    },
  );
});

describe('signatureOf', () => {
  test('two messages differing only in ids give the same signature', () => {
    const where = at('src/orders.ts', 12, 'loadOrder');
    const a = signatureOf('NotFoundError', 'order 1001 for user 7f3e2a10-0000-4000-8000-000000000001 not found', where, ROOT);
    const b = signatureOf('NotFoundError', 'order 2 for user 9a9a9a9a-1111-4111-8111-111111111111 not found', where, ROOT);
    assert.equal(a, b);
    assert.equal(a, 'NotFoundError: order <n> for user <uuid> not found @ src/orders.ts:loadOrder');
  });

  test('different properties read from undefined give different signatures', () => {
    const where = at('src/users.ts', 3, 'region');
    assert.notEqual(
      signatureOf('TypeError', "Cannot read properties of undefined (reading 'country')", where, ROOT),
      signatureOf('TypeError', "Cannot read properties of undefined (reading 'city')", where, ROOT),
    );
  });

  test('the same error at different places gives different signatures', () => {
    const msg = "Cannot read properties of undefined (reading 'country')";
    const sigs = new Set([
      signatureOf('TypeError', msg, at('src/a.ts', 10, 'handler'), ROOT),
      signatureOf('TypeError', msg, at('src/b.ts', 10, 'handler'), ROOT),
      signatureOf('TypeError', msg, at('src/a.ts', 10, 'other'), ROOT),
      signatureOf('TypeError', msg, undefined, ROOT),
      signatureOf('RangeError', msg, at('src/a.ts', 10, 'handler'), ROOT),
    ]);
    assert.equal(sigs.size, 5);
  });

  test('a named function keeps its signature when lines above it move', () => {
    assert.equal(
      signatureOf('Error', 'x', at('src/a.ts', 10, 'handler'), ROOT),
      signatureOf('Error', 'x', at('src/a.ts', 42, 'handler'), ROOT),
    );
  });

  test('an anonymous function is told apart by its line', () => {
    assert.notEqual(
      signatureOf('Error', 'x', at('src/a.ts', 10, '<anonymous>'), ROOT),
      signatureOf('Error', 'x', at('src/a.ts', 11, '<anonymous>'), ROOT),
    );
    assert.equal(signatureOf('Error', 'x', at('src/a.ts', 10), ROOT), 'Error: x @ src/a.ts:10');
  });

  test('topAppFrame skips node internals and node_modules', () => {
    const frames: Frame[] = [
      { file: 'node:internal/url', line: 1, column: 1, app: false },
      { file: '/srv/app/node_modules/x/i.js', line: 2, column: 1, app: false },
      at('src/a.ts', 3, 'mine'),
    ];
    assert.equal(topAppFrame(frames)?.fn, 'mine');
    assert.equal(topAppFrame(frames.slice(0, 2)), undefined);
  });
});

describe('incidentId', () => {
  test('is 10 lowercase hex characters and the same for the same signature on every run', () => {
    const id = incidentId('TypeError: x @ a.ts:f');
    assert.match(id, /^[0-9a-f]{10}$/);
    // sha256 of the signature, computed outside this code: a changed id would split existing incidents
    assert.equal(id, '46cf3c828d');
    assert.equal(incidentId('TypeError: x @ a.ts:f'), id);
  });

  test('differs between signatures', () => {
    assert.notEqual(incidentId('TypeError: x @ a.ts:f'), incidentId('TypeError: x @ a.ts:g'));
  });
});
