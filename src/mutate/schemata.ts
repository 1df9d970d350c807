// Mutant schemata: all mutants of a file in one instrumented copy, chosen at run time.
// Expressions become `(__suture_m(3) ? (mutant) : __suture_m(4) ? (mutant) : (original))`,
// statements `{ if (__suture_m(7)) { mutant } else { original } }`. Nested mutants are kept in
// the original branch only, so exactly one mutant is ever live.
import ts from 'typescript';
import type { Mutation } from '../repair/operators/index.js';
import { runtimeHelper } from './runtime.js';

export interface NumberedMutation {
  id: number;
  mutation: Mutation;
}

interface Site {
  start: number;
  end: number;
  kind: Mutation['kind'];
  mutants: NumberedMutation[];
  children: Site[];
}

export interface Instrumented {
  code: string;
  /** Ids that could not be placed (overlapping ranges); report them as ignored. */
  unplaced: number[];
}

export function instrument(source: ts.SourceFile, mutants: readonly NumberedMutation[]): Instrumented {
  const { roots, unplaced } = buildSiteTree(mutants);
  const asiGuards = statementStarts(source);
  const text = source.text;
  const emit = (start: number, end: number, children: readonly Site[]): string => {
    let out = '';
    let at = start;
    for (const child of children) {
      out += text.slice(at, child.start) + emitSite(child);
      at = child.end;
    }
    return out + text.slice(at, end);
  };
  const emitSite = (site: Site): string => {
    const original = emit(site.start, site.end, site.children);
    if (site.kind === 'statement') {
      const branches = site.mutants.map((m) => `if (__suture_m(${m.id})) { ${m.mutation.replacement} }`).join(' else ');
      return `{ ${branches} else { ${original} } }`;
    }
    const branches = site.mutants.map((m) => `__suture_m(${m.id}) ? (${m.mutation.replacement}) : `).join('');
    // An expression statement after a line without `;` must not become a call of that line.
    const guard = asiGuards.has(site.start) ? ';' : '';
    return `${guard}(${branches}(${original}))`;
  };
  const body = emit(0, text.length, roots);
  return { code: withHelper(body, source), unplaced };
}

function buildSiteTree(mutants: readonly NumberedMutation[]): { roots: Site[]; unplaced: number[] } {
  const byRange = new Map<string, Site>();
  for (const numbered of mutants) {
    const { start, end, kind } = numbered.mutation;
    const key = `${start}:${end}:${kind}`;
    let site = byRange.get(key);
    if (!site) byRange.set(key, (site = { start, end, kind, mutants: [], children: [] }));
    site.mutants.push(numbered);
  }
  const sites = [...byRange.values()].sort((a, b) => a.start - b.start || b.end - a.end || (a.kind === 'statement' ? -1 : 1));
  const roots: Site[] = [];
  const stack: Site[] = [];
  const unplaced: number[] = [];
  for (const site of sites) {
    while (stack.length > 0 && stack[stack.length - 1]!.end <= site.start) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && site.end > parent.end) {
      unplaced.push(...site.mutants.map((m) => m.id));
      continue;
    }
    (parent ? parent.children : roots).push(site);
    stack.push(site);
  }
  return { roots, unplaced };
}

// Starts of expression statements that sit in a statement list, where ASI matters.
function statementStarts(source: ts.SourceFile): Set<number> {
  const starts = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) && (ts.isBlock(node.parent) || ts.isSourceFile(node.parent) || ts.isCaseOrDefaultClause(node.parent) || ts.isModuleBlock(node.parent))) {
      starts.add(node.getStart(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return starts;
}

// The helper goes after a shebang and the directive prologue (`'use strict'` must stay first);
// enter/leave around the module body let the helper tell load-time (static) hits from test hits.
function withHelper(body: string, source: ts.SourceFile): string {
  let insertAt = 0;
  for (const statement of source.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) insertAt = statement.end;
    else break;
  }
  const shebang = body.startsWith('#!') ? body.indexOf('\n') + 1 : 0;
  if (insertAt === 0) insertAt = shebang;
  // Positions before insertAt are untouched by instrumentation, so the offset is still valid.
  // `@ts-nocheck` must lead the file; a build that type-checks would reject the schemata.
  const prologue = body.slice(shebang, insertAt);
  const sep = prologue && !prologue.endsWith('\n') ? '\n' : '';
  return `${body.slice(0, shebang)}// @ts-nocheck\n${prologue}${sep}${runtimeHelper}\n__suture_enter();\n${body.slice(insertAt)}\n;__suture_leave();\n`;
}
