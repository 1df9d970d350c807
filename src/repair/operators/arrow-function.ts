import ts from 'typescript';
import type { MutationOperator } from './operator.js';

export const arrowFunction: MutationOperator = {
  name: 'ArrowFunction',
  *mutate(node) {
    if (!ts.isArrowFunction(node) || ts.isBlock(node.body)) return;
    if (ts.isIdentifier(node.body) && node.body.text === 'undefined') return;
    yield { text: '() => undefined', description: 'replaced arrow function body with undefined' };
  },
};
