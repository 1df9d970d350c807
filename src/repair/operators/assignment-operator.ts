import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { swapBinaryOperator, type OperatorTable } from './binary-table.js';
import { isStringLike } from './text.js';

const replacements: OperatorTable = {
  '+=': ['-='],
  '-=': ['+='],
  '*=': ['/='],
  '/=': ['*='],
  '%=': ['*='],
  '<<=': ['>>='],
  '>>=': ['<<='],
  '&=': ['|='],
  '|=': ['&='],
  '&&=': ['||='],
  '||=': ['&&='],
  '??=': ['&&='],
};

const logicalAssignments = new Set(['&&=', '||=', '??=']);

export const assignmentOperator: MutationOperator = {
  name: 'AssignmentOperator',
  mutate: (node, source) => swapBinaryOperator(node, source, replacements, (binary) => acceptsString(binary, source)),
};

// `s += 'x'` on a string: `-=` only produces NaN, so only logical assignments are mutated there.
function acceptsString(node: ts.BinaryExpression, source: ts.SourceFile): boolean {
  return !isStringLike(node.right) || logicalAssignments.has(node.operatorToken.getText(source));
}
