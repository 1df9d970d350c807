// Redacts secrets from a request before it leaves the worker. Runs only when a request is
// shipped (a fault, or the per-interval traffic sample), never on the per-request hot path.

import { REDACTED } from '../model/messages.js';

export interface RedactionRules {
  /** Header names, lower case. */
  headers: ReadonlySet<string>;
  /** Field-name fragments, lower case, matched as substrings of a field name. */
  fields: readonly string[];
}

export function redactionRules(headers: readonly string[], fields: readonly string[]): RedactionRules {
  return {
    headers: new Set(headers.map((h) => h.toLowerCase())),
    fields: fields.map((f) => f.toLowerCase()),
  };
}

export function isSecretField(name: string, rules: RedactionRules): boolean {
  const lower = name.toLowerCase();
  for (const fragment of rules.fields) if (lower.includes(fragment)) return true;
  return false;
}

/** Headers from Node's flat rawHeaders list, with secret headers redacted. Repeated headers are joined with ', '. */
export function redactHeaders(rawHeaders: readonly string[], rules: RedactionRules): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rules.headers.has(name) ? REDACTED : rawHeaders[i + 1]!;
    const prev = out[name];
    out[name] = prev === undefined ? value : `${prev}, ${value}`;
  }
  return out;
}

/** The URL with secret query parameters redacted; the path is kept as sent. */
export function redactUrl(url: string, rules: RedactionRules): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url.slice(q + 1);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // a malformed escape is kept as sent; the raw name is still checked
    }
    return eq >= 0 && isSecretField(name, rules) ? `${rawName}=${encodeURIComponent(REDACTED)}` : pair;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

function redactValue(value: unknown, rules: RedactionRules, depth: number): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, rules, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // A secret-named field loses its whole value, be it a string, a list of tokens or a credentials object.
    out[k] = isSecretField(k, rules) && v !== null ? REDACTED : redactValue(v, rules, depth + 1);
  }
  return out;
}

// Matches `"name": "value"` or `"name": 123` pairs in text that is not valid JSON, so a malformed body still loses its secrets.
const JSON_PAIR = /("([^"\\]{1,128})"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false)/g;
const FORM_PAIR = /(^|[&;\s])([^=&;\s]{1,128})=([^&;\s]*)/g;

/**
 * Redacts a textual body by its content type: JSON bodies field by field (re-serialised only when
 * something was redacted, so a byte-exact replay stays possible otherwise), form bodies pair by pair,
 * and anything else by the JSON and form patterns it happens to contain.
 */
export function redactBody(body: string, contentType: string | undefined, rules: RedactionRules): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || /^\s*[[{]/.test(body)) {
    try {
      const parsed: unknown = JSON.parse(body);
      const redacted = redactValue(parsed, rules, 0);
      const text = JSON.stringify(redacted);
      return text === JSON.stringify(parsed) ? body : text;
    } catch {
      // malformed JSON: fall through to the pattern pass
    }
  }
  let out = body.replace(JSON_PAIR, (whole, head: string, name: string) =>
    isSecretField(name, rules) ? `${head}"${REDACTED}"` : whole,
  );
  out = out.replace(FORM_PAIR, (whole, lead: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    return isSecretField(decoded, rules) ? `${lead}${name}=${encodeURIComponent(REDACTED)}` : whole;
  });
  return out;
}
