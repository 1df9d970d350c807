// Guards for values out of their valid range where they are used: an array length, a repeat count,
// a digits argument. The value is clamped to a valid one (an invalid number becomes the minimum).

import ts from 'typescript';
import type { CandidateGenerator } from '../generator.js';
import { ancestors } from '../source.js';

const RULES: { message: RegExp; match: (n: ts.Node) => ts.Expression | undefined; clamp: (v: string) => string; what: string }[] = [
  {
    message: /Invalid array length/,
    match: (n) =>
      (ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'Array' && n.arguments?.length === 1 ? n.arguments[0] : undefined,
    clamp: (v) => `(Number.isInteger(${v}) && ${v} >= 0 ? ${v} : 0)`,
    what: 'array length',
  },
  {
    message: /Invalid count value/,
    match: (n) => (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'repeat' ? n.arguments[0] : undefined),
    clamp: (v) => `(Number.isFinite(${v}) && ${v} >= 0 ? Math.floor(${v}) : 0)`,
    what: 'repeat count',
  },
  {
    message: /argument must be between 0 and 100|toFixed\(\) digits/,
    match: (n) => (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^to(Fixed|Precision)$/.test(n.expression.name.text) ? n.arguments[0] : undefined),
    clamp: (v) => `Math.min(100, Math.max(0, Number.isFinite(${v}) ? ${v} : 0))`,
    what: 'digits argument',
  },
];

export const rangeGuard: CandidateGenerator = {
  name: 'range-guard',
  *generate(ctx) {
    const top = ctx.frames[0];
    if (!top || top.distance !== 0 || ctx.incident.errorClass !== 'RangeError') return;
    for (const rule of RULES) {
      if (!rule.message.test(ctx.incident.message)) continue;
      for (const n of ancestors(top.node)) {
        const arg = rule.match(n);
        if (!arg) continue;
        const text = arg.getText(top.source.ast);
        // A compound argument is evaluated once by clamping a parenthesised copy: it has no side effects to repeat in these positions.
        const value = ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg) ? text : `(${text})`;
        yield {
          kind: 'guard',
          description: `range check: clamp the ${rule.what} ${text} to a valid value`,
          distance: 0,
          edits: [{ file: top.source.file, start: arg.getStart(top.source.ast), end: arg.end, text: rule.clamp(value) }],
        };
        break;
      }
    }
  },
};
