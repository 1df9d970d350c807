import type { MutationOperator } from './operator.js';
import { swapBinaryOperator, type OperatorTable } from './binary-table.js';

const replacements: OperatorTable = { '&&': ['||'], '||': ['&&'], '??': ['&&'] };

export const logicalOperator: MutationOperator = {
  name: 'LogicalOperator',
  mutate: (node, source) => swapBinaryOperator(node, source, replacements),
};
