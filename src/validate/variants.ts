// Variants of a faulting request: the same request with other fields missing, other wrong types,
// boundary values. A patch should handle them too, not just the one input that was seen.

import type { RecordedRequest } from '../model/request.js';

const MAX_VARIANTS = 12;

function setPath(obj: unknown, keys: string[], value: unknown | typeof REMOVE): unknown {
  if (keys.length === 0) return value;
  const [head, ...rest] = keys;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return obj;
  const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  if (rest.length === 0 && value === REMOVE) delete copy[head!];
  else copy[head!] = setPath(copy[head!], rest, value);
  return copy;
}
const REMOVE = Symbol('remove');

/** Every field of a JSON value with its path, parents before children. */
function fields(v: unknown, prefix: string[] = [], depth = 0, out: { path: string[]; value: unknown }[] = []): { path: string[]; value: unknown }[] {
  if (depth > 3 || v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, child] of Object.entries(v)) {
    const path = [...prefix, k];
    out.push({ path, value: child });
    fields(child, path, depth + 1, out);
  }
  return out;
}

function withBody(req: RecordedRequest, body: unknown, label: string): RecordedRequest {
  return { ...req, id: `${req.id}~${label}`, body: JSON.stringify(body), bodyEncoding: 'utf8' };
}

export function variantsOf(req: RecordedRequest): RecordedRequest[] {
  const out: RecordedRequest[] = [];
  // Path: numeric segments at their boundaries.
  const [pathname = '/', query] = req.url.split('?');
  const segments = pathname.split('/');
  segments.forEach((seg, i) => {
    if (!/^\d+$/.test(seg)) return;
    for (const v of ['0', '-1', String(Number(seg) + 1), '99999']) {
      if (v === seg) continue;
      const copy = [...segments];
      copy[i] = v;
      out.push({ ...req, id: `${req.id}~path${i}=${v}`, url: copy.join('/') + (query !== undefined ? `?${query}` : '') });
    }
  });
  if (req.body !== undefined && req.bodyEncoding !== 'base64') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body);
    } catch {
      // A malformed body: other malformations of it.
      out.push({ ...req, id: `${req.id}~empty`, body: '' });
      out.push({ ...req, id: `${req.id}~truncated`, body: req.body.slice(0, Math.max(1, Math.floor(req.body.length / 2))) });
      out.push({ ...req, id: `${req.id}~not-json`, body: 'not json' });
      return out.slice(0, MAX_VARIANTS);
    }
    for (const { path, value } of fields(parsed)) {
      const name = path.join('.');
      out.push(withBody(req, setPath(parsed, path, REMOVE), `without-${name}`));
      if (typeof value === 'number') {
        for (const v of [0, -1, value + 1, 1e9]) if (v !== value) out.push(withBody(req, setPath(parsed, path, v), `${name}=${v}`));
        out.push(withBody(req, setPath(parsed, path, String(value)), `${name}-as-string`));
      } else if (typeof value === 'string') {
        out.push(withBody(req, setPath(parsed, path, ''), `${name}-empty`));
        out.push(withBody(req, setPath(parsed, path, 42), `${name}-as-number`));
      } else {
        out.push(withBody(req, setPath(parsed, path, null), `${name}-null`));
      }
    }
    out.push({ ...req, id: `${req.id}~truncated`, body: req.body.slice(0, Math.floor(req.body.length / 2)) });
  }
  // Spread the budget over kinds of change rather than exhausting it on the first field.
  const picked: RecordedRequest[] = [];
  const step = Math.max(1, Math.floor(out.length / MAX_VARIANTS));
  for (let i = 0; i < out.length && picked.length < MAX_VARIANTS; i += step) picked.push(out[i]!);
  return picked;
}
