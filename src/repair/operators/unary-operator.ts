import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { nodeText } from './text.js';

const replacements: ReadonlyMap<ts.PrefixUnaryOperator, string> = new Map([
  [ts.SyntaxKind.PlusToken, '-'],
  [ts.SyntaxKind.MinusToken, '+'],
  [ts.SyntaxKind.TildeToken, ''],
]);

export const unaryOperator: MutationOperator = {
  name: 'UnaryOperator',
  *mutate(node, source) {
    if (!ts.isPrefixUnaryExpression(node)) return;
    const replacement = replacements.get(node.operator);
    if (replacement === undefined) return;
    const original = ts.tokenToString(node.operator);
    yield {
      text: replacement + nodeText(node.operand, source),
      description: replacement ? `replaced unary ${original} with ${replacement}` : `removed unary ${original}`,
    };
  },
};
