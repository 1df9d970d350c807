import ts from 'typescript';
import type { MutationOperator } from './operator.js';

const filler = 'Stryker was here!';

export const stringLiteral: MutationOperator = {
  name: 'StringLiteral',
  *mutate(node, source) {
    if (ts.isStringLiteral(node) && isMutableString(node)) {
      const quote = source.text[node.getStart(source)] ?? '"';
      const text = node.text.length === 0 ? `${quote}${filler}${quote}` : `${quote}${quote}`;
      yield { text, description: node.text.length === 0 ? 'filled an empty string' : 'emptied a string' };
    }
    if ((ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && !ts.isTaggedTemplateExpression(node.parent)) {
      const empty = ts.isNoSubstitutionTemplateLiteral(node) && node.text.length === 0;
      yield { text: empty ? `\`${filler}\`` : '``', description: empty ? 'filled an empty template' : 'emptied a template' };
    }
  },
};

// Strings that name modules, properties, symbols or directives are identifiers in disguise.
function isMutableString(node: ts.StringLiteral): boolean {
  const parent = node.parent;
  if (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    ts.isImportTypeNode(parent) ||
    ts.isModuleDeclaration(parent) ||
    ts.isJsxAttribute(parent) ||
    ts.isExpressionStatement(parent) ||
    ts.isLiteralTypeNode(parent) ||
    ts.isImportAttribute(parent)
  ) {
    return false;
  }
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) ||
       ts.isPropertySignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) {
    return false;
  }
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression;
    if (callee.kind === ts.SyntaxKind.ImportKeyword) return false;
    if (ts.isIdentifier(callee) && (callee.text === 'require' || callee.text === 'Symbol')) return false;
  }
  return true;
}
