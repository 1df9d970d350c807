import ts from 'typescript';
import type { MutationOperator } from './operator.js';

export const blockStatement: MutationOperator = {
  name: 'BlockStatement',
  *mutate(node) {
    if (ts.isBlock(node) && node.statements.length > 0 && !isConstructorThatMustCallSuperFirst(node)) {
      yield { text: '{}', description: 'emptied a block', kind: 'statement' };
    }
  },
};

const parameterPropertyModifiers = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.OverrideKeyword,
]);

// A derived constructor with parameter properties or initialised fields must start with super():
// wrapping its body in a mutant switch is a compile error, as StrykerJS also found.
function isConstructorThatMustCallSuperFirst(block: ts.Block): boolean {
  const constructor = block.parent;
  if (!ts.isConstructorDeclaration(constructor)) return false;
  const hasParameterProperties = constructor.parameters.some((p) => ts.getModifiers(p)?.some((m) => parameterPropertyModifiers.has(m.kind)));
  const hasInitialisedFields = constructor.parent.members.some((m) => ts.isPropertyDeclaration(m) && m.initializer !== undefined);
  return (hasParameterProperties || hasInitialisedFields) && callsSuper(block);
}

function callsSuper(node: ts.Node): boolean {
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) return true;
  if (ts.isFunctionLike(node) && !ts.isArrowFunction(node)) return false;
  return ts.forEachChild(node, callsSuper) ?? false;
}
