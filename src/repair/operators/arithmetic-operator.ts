import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { swapBinaryOperator, type OperatorTable } from './binary-table.js';
import { isStringLike } from './text.js';

const replacements: OperatorTable = { '+': ['-'], '-': ['+'], '*': ['/'], '/': ['*'], '%': ['*'] };

export const arithmeticOperator: MutationOperator = {
  name: 'ArithmeticOperator',
  mutate: (node, source) => swapBinaryOperator(node, source, replacements, isNumeric),
};

// `'a' + b` is concatenation: swapping it for `-` yields NaN, a mutant every test kills for free.
function isNumeric(node: ts.BinaryExpression): boolean {
  const left = ts.isBinaryExpression(node.left) ? node.left.right : node.left;
  return !isStringLike(node.right) && !isStringLike(left);
}
