import type { MutationOperator } from './operator.js';
import { swapBinaryOperator, type OperatorTable } from './binary-table.js';

const replacements: OperatorTable = {
  '<': ['<=', '>='],
  '<=': ['<', '>'],
  '>': ['>=', '<='],
  '>=': ['>', '<'],
  '==': ['!='],
  '!=': ['=='],
  '===': ['!=='],
  '!==': ['==='],
};

export const equalityOperator: MutationOperator = {
  name: 'EqualityOperator',
  mutate: (node, source) => swapBinaryOperator(node, source, replacements),
};
