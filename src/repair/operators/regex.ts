import ts from 'typescript';
import type { MutationOperator } from './operator.js';
import { mutatePattern } from './regex-pattern.js';

export const regex: MutationOperator = {
  name: 'Regex',
  *mutate(node, source) {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.getText(source);
      const close = text.lastIndexOf('/');
      const flags = text.slice(close + 1);
      for (const mutation of mutatePattern(text.slice(1, close))) {
        if (isValidRegex(mutation.pattern, flags)) yield { text: `/${mutation.pattern}/${flags}`, description: mutation.description };
      }
    } else if (ts.isStringLiteral(node) && isRegExpConstructorPattern(node)) {
      const flagsNode = (node.parent as ts.NewExpression).arguments?.[1];
      const flags = flagsNode && ts.isStringLiteral(flagsNode) ? flagsNode.text : '';
      for (const mutation of mutatePattern(node.text)) {
        if (isValidRegex(mutation.pattern, flags)) yield { text: JSON.stringify(mutation.pattern), description: mutation.description };
      }
    }
  },
};

function isRegExpConstructorPattern(node: ts.StringLiteral): boolean {
  const parent = node.parent;
  return ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'RegExp' && parent.arguments?.[0] === node;
}

// A mutant that is not a valid pattern would be a SyntaxError on load, not a test of the tests.
function isValidRegex(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}
