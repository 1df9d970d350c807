// Live shields: protections raised without a source change while a patch is on its way. An input
// filter refuses requests with the features that set an incident's faulting requests apart from
// normal traffic; an execution transaction makes a throw inside one function come back as an error
// value. The feature extraction lives here because both the sensor (matching) and the supervisor
// (learning) use it, and the sensor may import nothing but the model.

export type FeatureClass =
  | 'missing'
  | 'null'
  | 'string'
  | 'string:empty'
  | 'number'
  | 'number:zero'
  | 'number:negative'
  | 'boolean'
  | 'array'
  | 'array:empty'
  | 'object'
  | 'unparsed'
  | `value:${string}`;

/** `path` has `is`: e.g. `body.customer.address` is `missing`, `query.count` is `number:zero`. */
export interface Predicate {
  path: string;
  is: FeatureClass;
}

export interface InputFilter {
  /** `METHOD /masked/path`, as routeOf() gives it. */
  route: string;
  /** A request matches when every predicate holds. */
  predicates: Predicate[];
}

export interface TransactionTarget {
  /** Absolute path of the file, as the worker loads it. */
  file: string;
  /** The function wrapped, and the line the fault was raised on. */
  fn: string;
  line: number;
  /** The file's text with the function wrapped: served in place of the file at module load. */
  source: string;
}

export type ShieldKind = 'input-filter' | 'transaction';

export interface Shield {
  id: string;
  incident: string;
  kind: ShieldKind;
  description: string;
  raisedAt: string;
  expiresAt: string;
  filter?: InputFilter;
  transaction?: TransactionTarget;
}

/** Status of a shield refused by the filter: a blocked request gets it, with a JSON body naming the shield. */
export const SHIELD_STATUS = 422;

const MAX_DEPTH = 4;

function classOf(value: unknown): FeatureClass {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'array:empty' : 'array';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'string:empty' : 'string';
    case 'number':
      return value === 0 ? 'number:zero' : value < 0 ? 'number:negative' : 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'unparsed';
  }
}

function flatten(value: unknown, prefix: string, out: Map<string, FeatureClass>, depth: number): void {
  out.set(prefix, classOf(value));
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (value.length > 0) flatten(value[0], `${prefix}.0`, out, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) flatten(v, `${prefix}.${key}`, out, depth + 1);
}

/** A query value is text: numbers are classed as numbers so `?count=0` and `?count=5` differ. */
function queryClass(value: string): FeatureClass {
  if (value === '') return 'string:empty';
  if (/^-?\d+(\.\d+)?$/.test(value)) return classOf(Number(value));
  return 'string';
}

/** The features of one request: its exact path, its query parameters and its JSON body's fields. */
export function featuresOf(url: string, body: string | undefined): Map<string, FeatureClass> {
  const out = new Map<string, FeatureClass>();
  const q = url.indexOf('?');
  out.set('path', `value:${q < 0 ? url : url.slice(0, q)}`);
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(url.slice(q + 1))) out.set(`query.${key}`, queryClass(value));
  }
  if (body !== undefined && body !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      out.set('body', 'unparsed');
      return out;
    }
    flatten(parsed, 'body', out, 0);
  }
  return out;
}

export function matchesFilter(filter: InputFilter, features: Map<string, FeatureClass>): boolean {
  for (const p of filter.predicates) if ((features.get(p.path) ?? 'missing') !== p.is) return false;
  return true;
}

/** Whether any predicate looks at the body: then the body must be read before the request is let through. */
export function readsBody(filter: InputFilter): boolean {
  return filter.predicates.some((p) => p.path === 'body' || p.path.startsWith('body.'));
}
