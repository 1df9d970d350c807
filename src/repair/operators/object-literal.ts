import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { isAssignmentPattern } from './text.js';
import { isConstAsserted } from './array-declaration.js';

export const objectLiteral: MutationOperator = {
  name: 'ObjectLiteral',
  *mutate(node) {
    if (ts.isObjectLiteralExpression(node) && node.properties.length > 0 && !isAssignmentPattern(node) && !isConstAsserted(node)) {
      yield { text: '{}', description: 'emptied an object literal' };
    }
  },
};
