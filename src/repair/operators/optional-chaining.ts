import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { spliceNode } from './text.js';

export const optionalChaining: MutationOperator = {
  name: 'OptionalChaining',
  *mutate(node, source) {
    if (!(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node))) return;
    const token = node.questionDotToken;
    if (!token) return;
    // `a?.b` -> `a.b`, but `a?.[i]` -> `a[i]` and `f?.()` -> `f()`: the dot goes only for a name.
    const keep = ts.isPropertyAccessExpression(node) ? '.' : '';
    yield {
      text: spliceNode(node, source, token.getStart(source), token.end, keep),
      description: 'removed optional chaining',
    };
  },
};
