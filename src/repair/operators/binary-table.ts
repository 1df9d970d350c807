// Shared by the operators that swap one binary operator for others listed in a table.
import ts from 'typescript';
import type { Replacement } from './operator.js';
import { replaceToken } from './text.js';

export type OperatorTable = Readonly<Record<string, readonly string[]>>;

export function* swapBinaryOperator(
  node: ts.Node,
  source: ts.SourceFile,
  table: OperatorTable,
  accept: (node: ts.BinaryExpression) => boolean = () => true,
): Iterable<Replacement> {
  if (!ts.isBinaryExpression(node)) return;
  const operator = node.operatorToken.getText(source);
  const replacements = table[operator];
  if (!replacements || !accept(node)) return;
  for (const replacement of replacements) {
    yield {
      text: replaceToken(node, node.operatorToken, source, replacement),
      description: `replaced ${operator} with ${replacement}`,
    };
  }
}
