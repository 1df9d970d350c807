// Input validation at the route's entry: find the request feature that separates the incident's
// faulting requests from recorded normal traffic on the same route (a missing field, a wrong type,
// an out-of-range value), and answer 400 for it in the handler, before the faulting code runs.

import ts from 'typescript';
import { routeOf, type RecordedRequest } from '../../model/request.js';
import type { CandidateGenerator, DraftCandidate, RepairContext } from '../generator.js';
import { enclosingFunction, indentAt, indentUnit, loadSource, nodeAt, offsetOf, responseInScope, type FunctionNode, type LoadedSource } from '../source.js';

type Kind = 'missing' | 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object';
interface Value {
  kind: Kind;
  num?: number;
}
/** A feature is where a value sits in a request: `path.3`, `query.page`, `body.customer.address`. */
type Features = Map<string, Value>;

function kindOf(v: unknown): Kind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'missing';
}

function flatten(prefix: string, v: unknown, out: Features, depth: number): void {
  out.set(prefix, { kind: kindOf(v), ...(typeof v === 'number' ? { num: v } : {}) });
  if (depth >= 4 || v === null || typeof v !== 'object' || Array.isArray(v)) return;
  for (const [k, child] of Object.entries(v)) if (/^[A-Za-z_$][\w$]*$/.test(k)) flatten(`${prefix}.${k}`, child, out, depth + 1);
}

export function featuresOf(req: RecordedRequest): Features {
  const out: Features = new Map();
  const [pathname = '/', query = ''] = req.url.split('?');
  pathname.split('/').forEach((seg, i) => {
    if (i === 0) return;
    const n = Number(seg);
    out.set(`path.${i}`, seg !== '' && Number.isFinite(n) ? { kind: 'number', num: n } : { kind: 'string' });
  });
  for (const [k, v] of new URLSearchParams(query)) {
    const n = Number(v);
    out.set(`query.${k}`, v !== '' && Number.isFinite(n) ? { kind: 'number', num: n } : { kind: 'string' });
  }
  if (req.body !== undefined && req.bodyEncoding !== 'base64') {
    try {
      flatten('body', JSON.parse(req.body), out, 0);
    } catch {
      // not JSON: the body's fields are not features
    }
  }
  return out;
}

export interface Separator {
  feature: string;
  test: 'missing' | 'type' | 'below';
  /** The type normal requests have (for `type`) or the lowest valid value (for `below`). */
  expected?: Kind;
  bound?: number;
  describe: string;
}

/** Features on which every faulting request differs from every normal one, most telling first. */
export function separators(faulting: RecordedRequest[], normal: RecordedRequest[]): Separator[] {
  if (faulting.length === 0 || normal.length === 0) return [];
  const f = faulting.map(featuresOf);
  const n = normal.map(featuresOf);
  const keys = new Set([...f, ...n].flatMap((m) => [...m.keys()]));
  const out: Separator[] = [];
  for (const key of keys) {
    if (key === 'body') continue;
    const fv = f.map((m) => m.get(key) ?? { kind: 'missing' as const });
    const nv = n.map((m) => m.get(key) ?? { kind: 'missing' as const });
    const fk = new Set(fv.map((v) => v.kind));
    const nk = new Set(nv.map((v) => v.kind));
    const disjoint = [...fk].every((k) => !nk.has(k));
    if (disjoint) {
      if (fk.size === 1 && fk.has('missing')) out.push({ feature: key, test: 'missing', describe: `${key} is missing` });
      else if (nk.size === 1 && !nk.has('missing')) {
        const expected = [...nk][0]!;
        out.push({ feature: key, test: 'type', expected, describe: `${key} is given but not ${expected === 'array' ? 'an array' : `a ${expected}`}` });
      }
      continue;
    }
    if (fk.size === 1 && nk.size === 1 && fk.has('number') && nk.has('number')) {
      const fnums = fv.map((v) => v.num!);
      const nnums = nv.map((v) => v.num!);
      const [fmax, nmin] = [Math.max(...fnums), Math.min(...nnums)];
      // Only the sign boundary (a zero or negative count, size or index) is learned. A bound taken
      // from the smallest or largest value seen would refuse the next legitimate value past it
      // (the next invoice id, the next size up), which recorded traffic cannot show.
      if (fmax <= 0 && nmin > 0) out.push({ feature: key, test: 'below', bound: 1, describe: `${key} is below 1` });
    }
  }
  const order = { missing: 0, type: 1, below: 2 };
  // `body.a.b is missing` says nothing more than `body.a is missing`.
  const missing = out.filter((s) => s.test === 'missing').map((s) => s.feature);
  return out.filter((s) => !missing.some((m) => s.feature.startsWith(`${m}.`))).sort((a, b) => order[a.test] - order[b.test] || a.feature.split('.').length - b.feature.split('.').length);
}

interface Handler {
  fn: FunctionNode;
  source: LoadedSource;
  req: string;
  res: string;
}

/** Route handlers that ran for the faulting request: functions taking (req, res) in the stack or among the statements that ran. */
function handlersFor(ctx: RepairContext): Handler[] {
  const found = new Map<string, Handler>();
  const consider = (source: LoadedSource, node: ts.Node) => {
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      const [first, second] = fn.parameters;
      if (!first || !second || !ts.isIdentifier(first.name) || !ts.isIdentifier(second.name)) continue;
      if (!/^(req|request)$/.test(first.name.text) || responseInScope(fn.body ?? fn) !== second.name.text) continue;
      found.set(`${source.file}:${fn.pos}`, { fn, source, req: first.name.text, res: second.name.text });
    }
  };
  for (const frame of ctx.frames) consider(frame.source, frame.node);
  for (const s of ctx.ranking) {
    if (s.failed === 0 || !ctx.editable(s.file)) continue;
    const source = loadSource(s.file);
    if (source) consider(source, nodeAt(source, offsetOf(source, s.line, 1) + indentAt(source.text, offsetOf(source, s.line, 1) + 1).length));
  }
  return [...found.values()];
}

/** Where a handler has the parsed JSON body: the variable's name (or its destructured fields) and where it is set. */
interface BodySite {
  name: string;
  fields?: Set<string>;
  /** Insert the check here: after the statement that sets it, or first in the callback that receives it. */
  at: number;
  /** A statement at the insertion point's indentation. */
  indentFrom: ts.Node;
}

const READS_BODY = /json|body|payload|parse/i;

function bodySite(h: Handler): BodySite | null {
  const body = h.fn.body;
  if (!body || !ts.isBlock(body)) return null;
  const ast = h.source.ast;
  const reads = (e: ts.Node) => READS_BODY.test(e.getText(ast)) && e.getText(ast).includes(h.req);
  for (const statement of body.statements) {
    // const body = await readJson(req);   const { a, b } = JSON.parse(raw);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (!d.initializer || !reads(d.initializer)) continue;
        if (ts.isIdentifier(d.name)) return { name: d.name.text, at: statement.end, indentFrom: statement };
        if (ts.isObjectBindingPattern(d.name)) {
          const fields = new Set(d.name.elements.filter((e) => !e.propertyName && ts.isIdentifier(e.name)).map((e) => (e.name as ts.Identifier).text));
          return { name: '', fields, at: statement.end, indentFrom: statement };
        }
      }
    }
    let site: BodySite | null = null;
    const visit = (n: ts.Node): void => {
      if (site) return;
      // body = await readJson(req);  (often inside a try)
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && reads(n.right)) {
        site = { name: n.left.text, at: statement.end, indentFrom: statement };
        return;
      }
      // readJson(req).then((body) => { … })
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'then' && reads(n.expression.expression)) {
        const callback = n.arguments[0];
        if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) && ts.isBlock(callback.body) && callback.body.statements[0]) {
          const param = callback.parameters[0];
          if (param && ts.isIdentifier(param.name)) {
            const first = callback.body.statements[0];
            site = { name: param.name.text, at: first.getStart(ast), indentFrom: first };
            return;
          }
        }
      }
      if (!ts.isFunctionLike(n) || n === statement) ts.forEachChild(n, visit);
    };
    visit(statement);
    if (site) return site;
  }
  return null;
}

function accessExpression(feature: string, h: Handler, body: BodySite | null): string | null {
  const [root, ...rest] = feature.split('.');
  if (root === 'path') return `new URL(${h.req}.url, 'http://localhost').pathname.split('/')[${rest[0]}]`;
  if (root === 'query') return `new URL(${h.req}.url, 'http://localhost').searchParams.get(${JSON.stringify(rest.join('.'))})`;
  if (root !== 'body' || !body || rest.length === 0) return null;
  if (body.fields) {
    if (!body.fields.has(rest[0]!)) return null;
    return [rest[0], ...rest.slice(1)].join('?.');
  }
  return [body.name, ...rest].join('?.');
}

function condition(sep: Separator, expr: string, numeric: boolean): string {
  const value = numeric ? `Number(${expr})` : expr;
  switch (sep.test) {
    case 'missing':
      return `${expr} === undefined`;
    case 'type': {
      // Only a value that is there and of the wrong type: a missing optional field is another feature.
      const present = `${expr} !== undefined && `;
      if (sep.expected === 'array') return `${present}!Array.isArray(${expr})`;
      if (sep.expected === 'null') return `${present}${expr} !== null`;
      if (sep.expected === 'object') return `${present}(typeof ${expr} !== 'object' || ${expr} === null)`;
      return `${present}typeof ${expr} !== '${sep.expected}'`;
    }
    case 'below':
      return `!(${value} >= ${sep.bound})`;
  }
}

/** `req.method === 'POST' && /^\/orders\/[^/]+\/cancel$/.test(…)`: the check applies to the faulting route only. */
function routeCondition(h: Handler, faulting: RecordedRequest): string {
  const pathname = faulting.url.split('?')[0] ?? '/';
  const pattern = pathname
    .split('/')
    .map((seg) => (/^\d+$/.test(seg) || /^[0-9a-f]{8,}$/i.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('\\/');
  return `${h.req}.method === ${JSON.stringify(faulting.method)} && /^${pattern}$/.test(new URL(${h.req}.url, 'http://localhost').pathname)`;
}

export const inputValidation: CandidateGenerator = {
  name: 'input-validation',
  *generate(ctx) {
    const route = (r: RecordedRequest) => routeOf(r.method, r.url);
    const routes = new Set(ctx.incident.requests.map(route));
    const normal = ctx.normal.filter((r) => routes.has(route(r)) && (r.status ?? 200) < 500);
    const seps = separators(ctx.incident.requests, normal).slice(0, 2);
    const faulting = ctx.incident.requests[ctx.incident.requests.length - 1];
    if (seps.length === 0 || !faulting) return;
    for (const h of handlersFor(ctx)) {
      const body = bodySite(h);
      for (const sep of seps) {
        const expr = accessExpression(sep.feature, h, body);
        if (!expr) continue;
        const fromUrl = !sep.feature.startsWith('body.');
        const first = (h.fn.body as ts.Block).statements[0];
        const site = fromUrl ? (first ? { at: first.getStart(h.source.ast), indentFrom: first } : null) : body;
        if (!site) continue;
        const indent = indentAt(h.source.text, site.indentFrom.getStart(h.source.ast));
        const unit = indentUnit(h.source.text);
        const check = [
          `if (${routeCondition(h, faulting)} && ${condition(sep, expr, fromUrl)}) {`,
          `${indent}${unit}${h.res}.statusCode = 400;`,
          `${indent}${unit}${h.res}.setHeader('content-type', 'application/json');`,
          `${indent}${unit}${h.res}.end(JSON.stringify({ error: ${JSON.stringify(`invalid request: ${sep.describe}`)} }));`,
          `${indent}${unit}return;`,
          `${indent}}`,
        ].join('\n');
        const before = site.at === site.indentFrom.getStart(h.source.ast);
        yield {
          kind: 'input-validation',
          description: `reject with 400 when ${sep.describe} (learned from ${ctx.incident.requests.length} faulting and ${normal.length} normal requests)`,
          distance: ctx.frames.length,
          edits: [{ file: h.source.file, start: site.at, end: site.at, text: before ? `${check}\n${indent}` : `\n${indent}${check}` }],
        } satisfies DraftCandidate;
      }
    }
  },
};
