// Small text helpers shared by operators: operators build replacements by splicing source text,
// so comments, formatting and type annotations inside a node survive the mutation.
import ts from 'typescript';

export function nodeText(node: ts.Node, source: ts.SourceFile): string {
  return source.text.slice(node.getStart(source), node.end);
}

/** The node's text with the sub-range [start, end) (absolute positions) replaced by `text`. */
export function spliceNode(node: ts.Node, source: ts.SourceFile, start: number, end: number, text: string): string {
  const from = node.getStart(source);
  const whole = source.text.slice(from, node.end);
  return whole.slice(0, start - from) + text + whole.slice(end - from);
}

/** Replace one token (child) of `node`, e.g. the operator of a binary expression. */
export function replaceToken(node: ts.Node, token: ts.Node, source: ts.SourceFile, text: string): string {
  return spliceNode(node, source, token.getStart(source), token.end, text);
}

/** The parent, looking through parentheses (Babel, which StrykerJS uses, has no paren nodes). */
export function logicalParent(node: ts.Node): ts.Node | undefined {
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) parent = parent.parent;
  return parent;
}

/** The node itself, looking through parentheses. */
export function unwrapParens(node: ts.Node): ts.Node {
  let inner = node;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  return inner;
}

export function isStringLike(node: ts.Node): boolean {
  const inner = unwrapParens(node);
  return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) || ts.isTemplateExpression(inner);
}

/** True when an array/object literal is a destructuring target (`[a, b] = xs`), not a value. */
export function isAssignmentPattern(node: ts.Node): boolean {
  let child: ts.Node = node;
  let parent = child.parent;
  for (;;) {
    while (parent && ts.isParenthesizedExpression(parent)) { child = parent; parent = parent.parent; }
    if (!parent) return false;
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (parent.left === child) return true;
      // `[a = 1] = xs`: the `a = 1` element sits inside a pattern; keep climbing through it.
      if (!ts.isArrayLiteralExpression(parent.parent) && !ts.isPropertyAssignment(parent.parent)) return false;
    } else if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.initializer === child) {
      return true;
    } else if (
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isObjectLiteralExpression(parent) &&
      !ts.isPropertyAssignment(parent) &&
      !ts.isShorthandPropertyAssignment(parent) &&
      !ts.isSpreadElement(parent) &&
      !ts.isSpreadAssignment(parent)
    ) {
      return false;
    }
    child = parent;
    parent = parent.parent;
  }
}
