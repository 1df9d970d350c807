// Optional chains short-circuit as a whole: `a?.b.c` is undefined when a is. Wrapping an inner
// link in a conditional, `(m ? x : a?.b).c`, would break that, so a mutation inside a chain is
// moved up to the chain's outermost node.
import ts from 'typescript';
import type { Mutation } from './operator.js';

/**
 * The mutation restated on the root of the optional chain containing `node`, `undefined` when
 * `node` is not inside a chain, or `null` when the mutation cannot be placed safely.
 */
export function liftToChainRoot(node: ts.Node, source: ts.SourceFile, start: number, end: number, text: string): Omit<Mutation, 'operator' | 'description' | 'kind'> | undefined | null {
  let root: ts.Node = node;
  while (isChainLink(root.parent, root)) root = root.parent;
  if (isDeleteOperand(root)) return null;
  if (root === node) return undefined;
  const rootStart = root.getStart(source);
  const whole = source.text.slice(rootStart, root.end);
  return {
    start: rootStart,
    end: root.end,
    original: whole,
    replacement: whole.slice(0, start - rootStart) + text + whole.slice(end - rootStart),
  };
}

function isChainLink(parent: ts.Node | undefined, child: ts.Node): parent is ts.Node {
  if (!parent || !(parent.flags & ts.NodeFlags.OptionalChain)) return false;
  return (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent) ||
    ts.isNonNullExpression(parent)) && parent.expression === child;
}

// `delete (m ? x : a?.b)` deletes nothing: the operand of delete must stay a reference.
function isDeleteOperand(node: ts.Node): boolean {
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return parent !== undefined && ts.isDeleteExpression(parent) && (node.flags & ts.NodeFlags.OptionalChain) !== 0;
}
