// A request as the sensor recorded it: already redacted, bounded in size, safe to store.

export interface RecordedRequest {
  /** Unique within one worker run: `<pid>-<seq>`. */
  id: string;
  method: string;
  /** Path and query, as received (query secrets redacted). */
  url: string;
  headers: Record<string, string>;
  /** Request body as UTF-8 text (binary bodies are base64 with `bodyEncoding: 'base64'`), at most the configured limit. */
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  /** True when the body was longer than the limit and cut. */
  bodyTruncated?: boolean;
  /** Epoch milliseconds when the request started. */
  startedAt: number;
  /** Response status, when the response finished. */
  status?: number;
  /** Duration in milliseconds, when the response finished. */
  durationMs?: number;
}

/** Route key used to group recorded traffic: method plus path with ids masked. */
export function routeOf(method: string, url: string): string {
  const path = url.split('?')[0] ?? '/';
  const masked = path
    .split('/')
    .map((seg) => (/^\d+$/.test(seg) || /^[0-9a-f]{8,}$/i.test(seg) || /^[0-9a-f-]{36}$/i.test(seg) ? ':id' : seg))
    .join('/');
  return `${method.toUpperCase()} ${masked}`;
}
