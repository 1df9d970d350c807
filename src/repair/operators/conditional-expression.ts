import ts from 'typescript';
import type { MutationOperator, Replacement } from './operator.js';
import { logicalParent, spliceNode, unwrapParens } from './text.js';

const booleanOperators = new Set(['!=', '!==', '&&', '<', '<=', '==', '===', '>', '>=', '||']);

export const conditionalExpression: MutationOperator = {
  name: 'ConditionalExpression',
  *mutate(node, source) {
    if (isLoopTest(node)) {
      yield toLiteral('false');
    } else if (isIfTest(node)) {
      yield toLiteral('true');
      yield toLiteral('false');
    } else if (ts.isBinaryExpression(node) && booleanOperators.has(node.operatorToken.getText(source))) {
      const parent = logicalParent(node);
      const parentOperator = parent && ts.isBinaryExpression(parent) ? parent.operatorToken.getText(source) : '';
      // In `x || y`, `true` for x equals mutating the whole condition; likewise `false` in `x && y`.
      if (parentOperator !== '||') yield toLiteral('true');
      if (parentOperator !== '&&') yield toLiteral('false');
    } else if (ts.isForStatement(node) && !node.condition && !ts.isLabeledStatement(node.parent)) {
      yield forWithFalseCondition(node, source);
    } else if ((ts.isCaseClause(node) || ts.isDefaultClause(node)) && node.statements.length > 0) {
      yield emptyCase(node, source);
    }
  },
};

function toLiteral(value: 'true' | 'false'): Replacement {
  return { text: value, description: `replaced condition with ${value}` };
}

function isLoopTest(node: ts.Node): boolean {
  if (ts.isParenthesizedExpression(node)) return false;
  const parent = logicalParent(node);
  if (!parent) return false;
  const test = ts.isForStatement(parent) ? parent.condition
    : ts.isWhileStatement(parent) || ts.isDoStatement(parent) ? parent.expression : undefined;
  return test !== undefined && unwrapParens(test) === node;
}

function isIfTest(node: ts.Node): boolean {
  if (ts.isParenthesizedExpression(node)) return false;
  const parent = logicalParent(node);
  return parent !== undefined && ts.isIfStatement(parent) && unwrapParens(parent.expression) === node;
}

function forWithFalseCondition(node: ts.ForStatement, source: ts.SourceFile): Replacement {
  const semicolon = node.getChildren(source).find((child) => child.kind === ts.SyntaxKind.SemicolonToken);
  const at = semicolon ? semicolon.end : node.getStart(source);
  return {
    text: spliceNode(node, source, at, at, 'false'),
    description: 'replaced empty for condition with false',
    kind: 'statement',
  };
}

// Emptying a clause makes it fall through to the next one, as removing its statements would.
function emptyCase(node: ts.CaseOrDefaultClause, source: ts.SourceFile): Replacement {
  const first = node.statements[0]!;
  const last = node.statements[node.statements.length - 1]!;
  return {
    text: '',
    description: 'removed the statements of a switch case',
    start: first.getStart(source),
    end: last.end,
    kind: 'statement',
  };
}
