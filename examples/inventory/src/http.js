'use strict';

// JSON in, JSON out, and a tiny pattern router on top of node:http.

const MAX_BODY_BYTES = 64 * 1024;

function readJson(req, callback) {
  const chunks = [];
  let size = 0;
  let finished = false;
  const finish = (err, value) => {
    if (finished) return;
    finished = true;
    callback(err, value);
  };
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      finish(new Error('request body too large'));
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return finish(null, {});
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return finish(new Error('request body is not valid JSON'));
    }
    finish(null, value);
  });
  req.on('error', finish);
}

function sendJson(res, status, body) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function sendError(res, status, message) {
  sendJson(res, status, { error: message });
}

function bearerToken(req) {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization || '');
  return match ? match[1].trim() : null;
}

function createRouter() {
  const routes = [];

  function add(method, pattern, handler) {
    const segments = pattern.split('/');
    routes.push({ method, segments, handler });
  }

  function matchSegments(segments, parts) {
    if (segments.length !== parts.length) return null;
    const params = {};
    for (let i = 0; i < segments.length; i++) {
      if (segments[i].startsWith(':')) params[segments[i].slice(1)] = parts[i];
      else if (segments[i] !== parts[i]) return null;
    }
    return params;
  }

  function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let parts;
    try {
      parts = url.pathname.split('/').map(decodeURIComponent);
    } catch {
      return sendError(res, 400, `malformed path: ${url.pathname}`);
    }
    let allowed = false;
    for (const route of routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== req.method) {
        allowed = true;
        continue;
      }
      return route.handler(req, res, params, url.searchParams);
    }
    if (allowed) sendError(res, 405, `method ${req.method} not allowed on ${url.pathname}`);
    else sendError(res, 404, `no route for ${req.method} ${url.pathname}`);
  }

  return { add, handle };
}

module.exports = { readJson, sendJson, sendError, bearerToken, createRouter };
