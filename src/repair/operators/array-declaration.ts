import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { isAssignmentPattern, nodeText, spliceNode } from './text.js';

export const arrayDeclaration: MutationOperator = {
  name: 'ArrayDeclaration',
  *mutate(node, source) {
    if (ts.isArrayLiteralExpression(node) && !isAssignmentPattern(node) && !isConstAsserted(node)) {
      yield node.elements.length > 0
        ? { text: '[]', description: 'emptied an array' }
        : { text: '["Stryker was here"]', description: 'filled an empty array' };
    }
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'Array') {
      const args = node.arguments ?? ts.factory.createNodeArray();
      const prefix = spliceNode(node, source, node.expression.end, node.end, '');
      const typeArgs = node.typeArguments ? `<${node.typeArguments.map((t) => nodeText(t, source)).join(', ')}>` : '';
      yield args.length > 0
        ? { text: `${prefix}${typeArgs}()`, description: 'removed Array constructor arguments' }
        : { text: `${prefix}${typeArgs}([])`, description: 'filled an empty Array constructor' };
    }
  },
};

// `[...] as const` only accepts a literal operand: wrapping it in a conditional fails type checking.
export function isConstAsserted(node: ts.Node): boolean {
  const parent = node.parent;
  return (ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent)) && ts.isConstTypeReference(parent.type);
}
