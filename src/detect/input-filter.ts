// Learns an input filter for an incident: the request features every faulting request shares and no
// recorded normal request on the same route has. A filter that would have blocked any recorded
// normal request is refused, never raised.

import { featuresOf, matchesFilter, type FeatureClass, type InputFilter, type Predicate } from '../model/shield.js';
import { routeOf, type RecordedRequest } from '../model/request.js';

/** Enough to pin the faulting input down; more only narrows the filter further. */
const MAX_PREDICATES = 3;

export type LearnedFilter = { filter: InputFilter; checked: number } | { refused: string };

const textBody = (r: RecordedRequest): string | undefined => (r.bodyEncoding === 'base64' ? undefined : r.body);

/** How many of these requests the filter would block. */
export function blockedCount(filter: InputFilter, requests: readonly RecordedRequest[]): number {
  let n = 0;
  for (const r of requests) if (routeOf(r.method, r.url) === filter.route && matchesFilter(filter, featuresOf(r.url, textBody(r)))) n++;
  return n;
}

export function learnInputFilter(faulting: readonly RecordedRequest[], normal: readonly RecordedRequest[]): LearnedFilter {
  if (faulting.length === 0) return { refused: 'the incident has no recorded request to learn from' };
  const route = routeOf(faulting[0]!.method, faulting[0]!.url);
  const bad = faulting.filter((r) => routeOf(r.method, r.url) === route).map((r) => featuresOf(r.url, textBody(r)));
  const good = normal.filter((r) => routeOf(r.method, r.url) === route).map((r) => featuresOf(r.url, textBody(r)));
  if (good.length === 0) return { refused: `no recorded normal traffic on ${route} to check a filter against` };

  const paths = new Set<string>();
  for (const f of [...bad, ...good]) for (const p of f.keys()) paths.add(p);
  const separating: Predicate[] = [];
  for (const path of [...paths].sort()) {
    const is: FeatureClass = bad[0]!.get(path) ?? 'missing';
    if (!bad.every((f) => (f.get(path) ?? 'missing') === is)) continue;
    if (good.some((f) => (f.get(path) ?? 'missing') === is)) continue;
    separating.push({ path, is });
  }
  // A field under a missing or unparsed one follows from it: say it once, at the top.
  const essential = separating.filter((p) => !separating.some((q) => q !== p && p.path.startsWith(`${q.path}.`)));
  // Strong: a field normal traffic has, here with another type or value class, or missing where
  // normal traffic always has it. Weak: a field normal traffic never sends (it may be incidental).
  const strong = essential.filter((p) =>
    p.path !== 'path' && (p.is === 'missing' ? good.every((f) => f.has(p.path)) : good.some((f) => f.has(p.path))),
  );
  const weak = essential.filter((p) => p.path !== 'path' && !strong.includes(p));
  // Prefer what the input looks like over its exact path: it covers variants too.
  const predicates = (strong.length > 0 ? strong : weak.length > 0 ? weak : essential.filter((p) => p.path === 'path')).slice(0, MAX_PREDICATES);
  if (predicates.length === 0) {
    return { refused: `every feature of the faulting request also occurs in recorded normal traffic on ${route}: a filter would block normal requests` };
  }
  const filter: InputFilter = { route, predicates };
  const blocked = blockedCount(filter, normal);
  if (blocked > 0) return { refused: `the filter would have blocked ${blocked} recorded normal request(s) on ${route}` };
  return { filter, checked: good.length };
}

export function describeFilter(filter: InputFilter): string {
  const parts = filter.predicates.map((p) => (p.is === 'missing' ? `${p.path} missing` : p.is.startsWith('value:') ? `${p.path} = ${p.is.slice(6)}` : `${p.path} is ${p.is}`));
  return `${filter.route} where ${parts.join(' and ')}`;
}
