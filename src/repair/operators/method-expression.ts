import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { nodeText, replaceToken } from './text.js';

// Method name -> replacement method, or null to remove the call and keep its receiver.
const pairs: ReadonlyArray<readonly [string, string | null]> = [
  ['charAt', null],
  ['endsWith', 'startsWith'],
  ['every', 'some'],
  ['filter', null],
  ['reverse', null],
  ['slice', null],
  ['sort', null],
  ['substr', null],
  ['substring', null],
  ['toLocaleLowerCase', 'toLocaleUpperCase'],
  ['toLowerCase', 'toUpperCase'],
  ['trim', null],
  ['trimEnd', 'trimStart'],
  ['min', 'max'],
  ['setDate', 'setTime'],
  ['setFullYear', 'setMonth'],
  ['setHours', 'setMinutes'],
  ['setSeconds', 'setMilliseconds'],
  ['setUTCDate', 'setTime'],
  ['setUTCFullYear', 'setUTCMonth'],
  ['setUTCHours', 'setUTCMinutes'],
  ['setUTCSeconds', 'setUTCMilliseconds'],
];
const oneWay = new Set(['setUTCDate']);

const replacements = new Map<string, string | null>(pairs);
for (const [from, to] of pairs) if (to && !oneWay.has(from)) replacements.set(to, from);

export const methodExpression: MutationOperator = {
  name: 'MethodExpression',
  *mutate(node, source) {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const callee = node.expression;
    if (!ts.isIdentifier(callee.name) || callee.expression.kind === ts.SyntaxKind.SuperKeyword) return;
    const method = callee.name.text;
    const replacement = replacements.get(method);
    if (replacement === undefined) return;
    yield replacement === null
      ? { text: nodeText(callee.expression, source), description: `removed .${method}()` }
      : { text: replaceToken(node, callee.name, source, replacement), description: `replaced ${method} with ${replacement}` };
  },
};
