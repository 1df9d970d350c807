import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { nodeText } from './text.js';

const swapped: Readonly<Record<string, string>> = { '++': '--', '--': '++' };

export const updateOperator: MutationOperator = {
  name: 'UpdateOperator',
  *mutate(node, source) {
    if (!ts.isPrefixUnaryExpression(node) && !ts.isPostfixUnaryExpression(node)) return;
    const original = ts.tokenToString(node.operator) ?? '';
    const replacement = swapped[original];
    if (!replacement) return;
    const operand = nodeText(node.operand, source);
    yield {
      text: ts.isPrefixUnaryExpression(node) ? replacement + operand : operand + replacement,
      description: `replaced ${original} with ${replacement}`,
    };
  },
};
