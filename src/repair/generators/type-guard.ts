// Guards for calling a method on a value of the wrong type (`x.trim is not a function`): coerce the
// value to the type the method belongs to, or return early when it is not of that type.

import ts from 'typescript';
import type { CandidateGenerator } from '../generator.js';
import { ancestors, enclosingStatement, errorValueFor, indentAt } from '../source.js';

const NOT_A_FUNCTION = /^(.+?)\.([\w$]+) is not a function$/;

// Which type a method name belongs to decides the check and the coercion.
const STRING_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'split', 'startsWith', 'endsWith', 'padStart', 'padEnd', 'replace', 'replaceAll', 'charAt', 'substring', 'localeCompare', 'normalize', 'match']);
const ARRAY_METHODS = new Set(['map', 'filter', 'reduce', 'forEach', 'some', 'every', 'find', 'findIndex', 'flatMap', 'join', 'sort', 'push']);
const NUMBER_METHODS = new Set(['toFixed', 'toPrecision']);

function typeOf(method: string): { check: (v: string) => string; coerce: (v: string) => string; name: string } | null {
  if (STRING_METHODS.has(method)) return { name: 'string', check: (v) => `typeof ${v} !== 'string'`, coerce: (v) => `String(${v})` };
  if (ARRAY_METHODS.has(method)) return { name: 'array', check: (v) => `!Array.isArray(${v})`, coerce: (v) => `(Array.isArray(${v}) ? ${v} : [])` };
  if (NUMBER_METHODS.has(method)) return { name: 'number', check: (v) => `typeof ${v} !== 'number'`, coerce: (v) => `Number(${v})` };
  return null;
}

export const typeGuard: CandidateGenerator = {
  name: 'type-guard',
  *generate(ctx) {
    const m = NOT_A_FUNCTION.exec(ctx.incident.message);
    const top = ctx.frames[0];
    if (!m || !top || top.distance !== 0) return;
    const method = m[2]!;
    const call = ancestors(top.node).find(
      (n): n is ts.CallExpression => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === method,
    );
    if (!call) return;
    const callee = call.expression as ts.PropertyAccessExpression;
    const receiver = callee.expression;
    const receiverText = receiver.getText(top.source.ast);
    const file = top.source.file;
    const type = typeOf(method);
    if (type) {
      yield {
        kind: 'guard',
        description: `type coercion: call ${method} on ${type.coerce(receiverText)}`,
        distance: 0,
        edits: [{ file, start: receiver.getStart(top.source.ast), end: receiver.end, text: type.coerce(receiverText) }],
      };
    }
    const statement = enclosingStatement(call);
    if (statement && top.fn) {
      const at = statement.getStart(top.source.ast);
      const value = errorValueFor(top.fn, top.source);
      const check = type ? type.check(receiverText) : `typeof ${receiverText}?.${method} !== 'function'`;
      yield {
        kind: 'guard',
        description: `type check: return early when ${receiverText} is not ${type ? `a ${type.name}` : `something with ${method}()`}`,
        distance: 0,
        edits: [{ file, start: at, end: at, text: `if (${check}) ${value === 'undefined' ? 'return;' : `return ${value};`}\n${indentAt(top.source.text, at)}` }],
      };
    }
  },
};
