import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { nodeText } from './text.js';

export const booleanLiteral: MutationOperator = {
  name: 'BooleanLiteral',
  *mutate(node, source) {
    if (node.kind === ts.SyntaxKind.TrueKeyword) yield { text: 'false', description: 'replaced true with false' };
    if (node.kind === ts.SyntaxKind.FalseKeyword) yield { text: 'true', description: 'replaced false with true' };
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      yield { text: nodeText(node.operand, source), description: 'removed negation' };
    }
  },
};
