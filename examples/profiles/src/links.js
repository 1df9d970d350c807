// Links shown on a profile: absolute http(s) URLs, stored with their host for display.

const SCHEMES = new Set(['http:', 'https:']);
const MAX_URL_LENGTH = 2000;

export function normalizeLink(raw) {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) return null;
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (!SCHEMES.has(url.protocol) || url.username !== '' || url.password !== '') return null;
  url.hash = '';
  return { url: url.href, host: url.hostname };
}
