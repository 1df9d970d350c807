// Request body reader for profile edits. The profile editor autosaves while people type, so this
// path skips the promise wrapper of http.js and hands the parsed document straight to a callback.

const MAX_PROFILE_BYTES = 16 * 1024;
const JSON_TYPES = new Set(['application/json', 'application/merge-patch+json']);

export class BodyError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function mediaType(req) {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function encodingOf(req) {
  const match = /;\s*charset="?([\w-]+)"?/i.exec(req.headers['content-type'] ?? '');
  const charset = match ? match[1].toLowerCase() : 'utf-8';
  return charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8';
}

function parseDocument(buffer, encoding) {
  const text = buffer.toString(encoding);
  return text.trim() === '' ? {} : JSON.parse(text);
}

export function collectJson(req, callback) {
  if (!JSON_TYPES.has(mediaType(req))) {
    req.resume();
    callback(new BodyError(415, 'content-type must be application/json'));
    return;
  }
  const encoding = encodingOf(req);
  const chunks = [];
  let size = 0;
  let settled = false;
  req.on('data', (chunk) => {
    if (settled) return;
    size += chunk.length;
    if (size > MAX_PROFILE_BYTES) {
      settled = true;
      callback(new BodyError(413, `profile updates are limited to ${MAX_PROFILE_BYTES} bytes`));
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    callback(null, parseDocument(Buffer.concat(chunks), encoding));
  });
  req.on('error', (err) => {
    if (settled) return;
    settled = true;
    callback(err);
  });
}
