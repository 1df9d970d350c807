// Reading the user's source for repair: parse once, find the node at a stack position, and the
// statement and function around it.

import fs from 'node:fs';
import ts from 'typescript';
import { parseSource } from './operators/index.js';

export interface LoadedSource {
  file: string;
  text: string;
  ast: ts.SourceFile;
}

const cache = new Map<string, LoadedSource>();

export function loadSource(file: string): LoadedSource | null {
  const hit = cache.get(file);
  if (hit) return hit;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const loaded = { file, text, ast: parseSource(file, text) };
  cache.set(file, loaded);
  return loaded;
}

export function offsetOf(source: LoadedSource, line: number, column: number): number {
  const lineStart = source.ast.getPositionOfLineAndCharacter(Math.max(0, line - 1), 0);
  return Math.min(source.text.length, lineStart + Math.max(0, column - 1));
}

/** The innermost node whose own text (trivia excluded) contains `pos`. */
export function nodeAt(source: LoadedSource, pos: number): ts.Node {
  let found: ts.Node = source.ast;
  const visit = (node: ts.Node) => {
    if (node.getStart(source.ast) <= pos && pos < node.end) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(source.ast, visit);
  return found;
}

export function ancestors(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  for (let n: ts.Node | undefined = node; n; n = n.parent) out.push(n);
  return out;
}

/** The statement holding `node` that sits directly in a block, a case clause or the file. */
export function enclosingStatement(node: ts.Node): ts.Statement | null {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isStatement(n) && n.parent && (ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent))) {
      return n;
    }
    if (ts.isFunctionLike(n) && n !== node) return null;
  }
  return null;
}

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export function enclosingFunction(node: ts.Node): FunctionNode | null {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) return n;
  }
  return null;
}

export function indentAt(text: string, pos: number): string {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The indentation unit the file uses (two spaces when it cannot tell). */
export function indentUnit(text: string): string {
  const m = /\n( +|\t)\S/.exec(text);
  return m ? m[1]! : '  ';
}

/** The name of a function node, as a person would write it. */
export function functionName(fn: FunctionNode): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '<anonymous>';
}

const RESPONSE_NAMES = new Set(['res', 'response', 'reply']);

/** A parameter named like an HTTP response in scope at `node`, when one is: the handler's way to answer. */
export function responseInScope(node: ts.Node): string | null {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    for (const p of fn.parameters) if (ts.isIdentifier(p.name) && RESPONSE_NAMES.has(p.name.text)) return p.name.text;
  }
  return null;
}

/**
 * A value of the function's return type, for a function that must return without doing its work:
 * from its TypeScript annotation where present, else from what its other return statements return.
 */
export function errorValueFor(fn: FunctionNode, source: LoadedSource): string {
  const isAsync = fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  let type = fn.type?.getText(source.ast) ?? '';
  if (isAsync) type = /^Promise<(.*)>$/s.exec(type)?.[1] ?? type;
  const fromType = valueForType(type);
  if (fromType !== null) return fromType;
  const returned: ts.Expression[] = [];
  const visit = (n: ts.Node) => {
    if (n !== fn && (ts.isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
    ts.forEachChild(n, visit);
  };
  if (fn.body && ts.isBlock(fn.body)) visit(fn.body);
  else if (fn.body) returned.push(fn.body as ts.Expression);
  for (const e of returned) {
    const value = valueForExpression(e);
    if (value !== null) return value;
  }
  return 'undefined';
}

function valueForType(type: string): string | null {
  const t = type.trim();
  if (!t) return null;
  if (t === 'number') return '0';
  if (t === 'string') return "''";
  if (t === 'boolean') return 'false';
  if (t === 'void' || t === 'undefined') return 'undefined';
  if (/\[\]$/.test(t) || /^(ReadonlyArray|Array)</.test(t)) return '[]';
  if (/\bnull\b/.test(t)) return 'null';
  if (/\bundefined\b/.test(t)) return 'undefined';
  return null;
}

function valueForExpression(e: ts.Expression): string | null {
  if (ts.isNumericLiteral(e) || (ts.isBinaryExpression(e) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken].includes(e.operatorToken.kind) && !ts.isStringLiteral(e.left))) return '0';
  if (ts.isStringLiteral(e) || ts.isTemplateExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) return "''";
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  if (ts.isArrayLiteralExpression(e)) return '[]';
  if (e.kind === ts.SyntaxKind.NullKeyword) return 'null';
  return null;
}
