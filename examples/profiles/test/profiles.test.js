import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';

describe('profiles API', () => {
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

  test('GET /profiles/:id returns a seeded profile', async () => {
    const res = await api.request('GET', '/profiles/1');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/json/);
    assert.deepEqual(res.json, {
      id: 1,
      username: 'ada',
      displayName: 'Ada Lovelace',
      bio: 'Notes on the Analytical Engine, with an algorithm for Bernoulli numbers.',
      links: [{ url: 'https://example.org/notes-on-the-engine', host: 'example.org' }],
      avatar: null,
      version: 1,
    });
  });

  test('GET /profiles/:id is 404 for an unknown profile and 400 for a malformed id', async () => {
    assert.equal((await api.request('GET', '/profiles/999')).status, 404);
    assert.equal((await api.request('GET', '/profiles/ada')).status, 400);
    assert.equal((await api.request('GET', '/profiles/%E0%A4%A')).status, 400);
  });

  test('PUT /profiles/:id updates the given fields and keeps the rest', async () => {
    const res = await api.request('PUT', '/profiles/3', {
      body: { displayName: '  A. M. Turing ', links: ['https://Example.com/computable-numbers#intro', 'http://bletchley.example.org'] },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      id: 3,
      username: 'alan',
      displayName: 'A. M. Turing',
      bio: '',
      links: [
        { url: 'https://example.com/computable-numbers', host: 'example.com' },
        { url: 'http://bletchley.example.org/', host: 'bletchley.example.org' },
      ],
      avatar: null,
      version: 2,
    });

    const bio = await api.request('PUT', '/profiles/3', { body: { bio: 'On computable numbers.' } });
    assert.equal(bio.json.bio, 'On computable numbers.');
    assert.equal(bio.json.displayName, 'A. M. Turing');
    assert.equal(bio.json.version, 3);

    const stored = await api.request('GET', '/profiles/3');
    assert.deepEqual(stored.json, bio.json);
  });

  test('PUT /profiles/:id accepts merge-patch documents and an empty body', async () => {
    const patch = await api.request('PUT', '/profiles/2', {
      headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
      body: { bio: 'Nanoseconds are 30 cm long.' },
    });
    assert.equal(patch.status, 200);
    assert.equal(patch.json.bio, 'Nanoseconds are 30 cm long.');
    assert.equal(patch.json.links.length, 2);

    const empty = await api.request('PUT', '/profiles/2', { body: '' });
    assert.equal(empty.status, 200);
    assert.equal(empty.json.bio, 'Nanoseconds are 30 cm long.');
  });

  test('PUT /profiles/:id validates the update', async () => {
    const cases = [
      [{ displayName: '   ' }, 'displayName must be a non-empty string'],
      [{ displayName: 'x'.repeat(61) }, 'displayName is limited to 60 characters'],
      [{ bio: 42 }, 'bio must be a string'],
      [{ links: 'https://example.com' }, 'links must be an array of URLs'],
      [{ links: ['ftp://example.com/file'] }, 'links[0] must be an http or https URL'],
      [{ links: Array.from({ length: 6 }, (_, i) => `https://example.com/${i}`) }, 'at most 5 links are allowed'],
      [['displayName'], 'body must be a JSON object'],
    ];
    for (const [body, message] of cases) {
      const res = await api.request('PUT', '/profiles/1', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error, message);
    }
  });

  test('PUT /profiles/:id needs a JSON body and a known profile', async () => {
    const text = await api.request('PUT', '/profiles/1', { headers: { 'content-type': 'text/plain' }, body: 'Ada' });
    assert.equal(text.status, 415);
    const missing = await api.request('PUT', '/profiles/999', { body: { displayName: 'Nobody' } });
    assert.equal(missing.status, 404);
    assert.equal((await api.request('PUT', '/profiles/zero', { body: {} })).status, 400);
  });

  test('POST /profiles/:id/avatar stores the avatar with its thumbnails', async () => {
    const res = await api.request('POST', '/profiles/1/avatar', {
      body: { url: 'https://cdn.example.net/avatars/ada.png', width: 64, height: 64 },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.avatar, {
      url: 'https://cdn.example.net/avatars/ada.png',
      width: 64,
      height: 64,
      thumbnails: [
        { size: 32, url: 'https://cdn.example.net/avatars/ada.png?s=32' },
        { size: 64, url: 'https://cdn.example.net/avatars/ada.png?s=64' },
      ],
    });
    assert.equal((await api.request('GET', '/profiles/1')).json.avatar.width, 64);
  });

  test('POST /profiles/:id/avatar rejects bad images and unknown profiles', async () => {
    const square = await api.request('POST', '/profiles/1/avatar', { body: { url: 'https://cdn.example.net/a.png', width: 64, height: 32 } });
    assert.equal(square.json.error, 'avatar must be square');
    const plain = await api.request('POST', '/profiles/1/avatar', { body: { url: 'http://cdn.example.net/a.png', width: 64, height: 64 } });
    assert.equal(plain.json.error, 'url must be an https URL');
    const tiny = await api.request('POST', '/profiles/1/avatar', { body: { url: 'https://cdn.example.net/a.png', width: 8, height: 8 } });
    assert.equal(tiny.json.error, 'width must be an integer from 32 to 2048');
    assert.equal((await api.request('POST', '/profiles/1/avatar', { body: '{"url": ' })).status, 400);
    const missing = await api.request('POST', '/profiles/999/avatar', { body: { url: 'https://cdn.example.net/a.png', width: 64, height: 64 } });
    assert.equal(missing.status, 404);
  });

  test('unknown routes and methods', async () => {
    assert.equal((await api.request('GET', '/nope')).status, 404);
    assert.equal((await api.request('DELETE', '/profiles/1')).status, 405);
  });
});
