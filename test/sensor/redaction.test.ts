// Secrets never leave the worker: headers, query parameters and bodies are redacted before a
// request is shipped, and everything that is not a secret is kept as sent.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SENSOR_SETTINGS, REDACTED } from '../../src/model/messages.js';
import { redactBody, redactHeaders, redactionRules, redactUrl } from '../../src/sensor/redaction.js';

const rules = redactionRules(DEFAULT_SENSOR_SETTINGS.redactHeaders, DEFAULT_SENSOR_SETTINGS.redactFields);
const ENCODED = encodeURIComponent(REDACTED);

describe('redactHeaders', () => {
  test('authorization, cookie and set-cookie values are replaced whatever the case of their names', () => {
    const out = redactHeaders(
      ['Host', 'api.test', 'AUTHORIZATION', 'Bearer abc.def', 'Cookie', 'sid=123', 'set-cookie', 'a=1', 'Accept', 'text/html'],
      rules,
    );
    assert.deepEqual(out, {
      host: 'api.test',
      authorization: REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      accept: 'text/html',
    });
    assert.ok(!JSON.stringify(out).includes('abc.def'));
    assert.ok(!JSON.stringify(out).includes('sid=123'));
  });

  test('repeated headers are joined with a comma, and a repeated secret header stays redacted', () => {
    const out = redactHeaders(['X-Forwarded-For', '10.0.0.1', 'x-forwarded-for', '10.0.0.2', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'], rules);
    assert.equal(out['x-forwarded-for'], '10.0.0.1, 10.0.0.2');
    assert.equal(out['set-cookie'], `${REDACTED}, ${REDACTED}`);
  });

  test('a header named in a custom list is redacted and the defaults no longer apply', () => {
    const custom = redactionRules(['X-Session'], []);
    const out = redactHeaders(['x-session', 's1', 'Authorization', 'Basic Zm9v'], custom);
    assert.equal(out['x-session'], REDACTED);
    assert.equal(out.authorization, 'Basic Zm9v');
  });
});

describe('redactUrl', () => {
  test('query parameters named like password, token or api_key are redacted; others and the path are untouched', () => {
    const out = redactUrl('/login/42?user=ann&password=hunter2&access_token=t0k&api_key=k3y&page=2', rules);
    assert.equal(out, `/login/42?user=ann&password=${ENCODED}&access_token=${ENCODED}&api_key=${ENCODED}&page=2`);
  });

  test('parameter names are matched case-insensitively and after percent-decoding', () => {
    const out = redactUrl('/x?Password=a&pass%77ord=b&q=c', rules);
    assert.equal(out, `/x?Password=${ENCODED}&pass%77ord=${ENCODED}&q=c`);
  });

  test('a URL without secrets, or without a query, is returned exactly as sent', () => {
    assert.equal(redactUrl('/search?q=a+b&page=3&sort=', rules), '/search?q=a+b&page=3&sort=');
    assert.equal(redactUrl('/orders/7', rules), '/orders/7');
  });
});

describe('redactBody', () => {
  test('JSON fields are redacted at any depth, inside arrays too, and other fields are kept', () => {
    const body = JSON.stringify({
      user: 'ann',
      password: 'hunter2',
      profile: { name: 'Ann', apiKey: 'k-1', nested: { clientSecret: 's-1', age: 30 } },
      sessions: [{ id: 1, token: 't-1' }, { id: 2, token: 't-2' }],
    });
    const out = JSON.parse(redactBody(body, 'application/json', rules));
    assert.deepEqual(out, {
      user: 'ann',
      password: REDACTED,
      profile: { name: 'Ann', apiKey: REDACTED, nested: { clientSecret: REDACTED, age: 30 } },
      sessions: [{ id: 1, token: REDACTED }, { id: 2, token: REDACTED }],
    });
  });

  test('a JSON body with no secrets is returned byte for byte, whitespace and key order included', () => {
    const body = '{ "b": 1,\n  "a": [1, 2.50, "x"] }';
    assert.equal(redactBody(body, 'application/json; charset=utf-8', rules), body);
  });

  test('a JSON body is recognised by its shape when the content type is missing', () => {
    const out = redactBody('{"password":"hunter2","n":1}', undefined, rules);
    assert.deepEqual(JSON.parse(out), { password: REDACTED, n: 1 });
  });

  test('a malformed JSON body still loses its secret values', () => {
    const body = '{"user":"ann","password":"x", "pin": 1234, "token": 99,';
    const out = redactBody(body, 'application/json', rules);
    assert.ok(out.includes(`"password":"${REDACTED}"`), out);
    assert.ok(out.includes(`"token": "${REDACTED}"`), out);
    assert.ok(out.includes('"user":"ann"'), out);
    assert.ok(out.includes('"pin": 1234'), out);
    assert.ok(!out.includes('"x"'), out);
  });

  test('a form-urlencoded body has its secret pairs redacted and the rest kept', () => {
    assert.equal(redactBody('user=a&password=b', 'application/x-www-form-urlencoded', rules), `user=a&password=${ENCODED}`);
  });

  test('a plain-text body without secrets is unchanged', () => {
    assert.equal(redactBody('hello world, 1+1=2', 'text/plain', rules), 'hello world, 1+1=2');
  });

  test('the configured field list is honoured: a custom field is redacted, a default-only one is not', () => {
    const custom = redactionRules([], ['ssn']);
    const out = JSON.parse(redactBody('{"SSN":"123-45-6789","password":"p","name":"n"}', 'application/json', custom));
    assert.deepEqual(out, { SSN: REDACTED, password: 'p', name: 'n' });
    assert.equal(redactBody('ssn=1&password=p', 'application/x-www-form-urlencoded', custom), `ssn=${ENCODED}&password=p`);
  });

  test(
    'a secret-named field holding a list or an object loses its whole value',
    () => {
      const out = redactBody('{"user":"ann","tokens":["t-1","t-2"],"credentials":{"key":"b-9"}}', 'application/json', rules);
      assert.deepEqual(JSON.parse(out), { user: 'ann', tokens: REDACTED, credentials: REDACTED });
    },
  );
});
