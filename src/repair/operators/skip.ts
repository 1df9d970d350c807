// Where mutating is unsafe or meaningless: type-only syntax, module specifiers, ambient
// declarations, decorators, enums. These subtrees are neither mutated nor entered.
import ts from 'typescript';

export function canMutateInside(node: ts.Node): boolean {
  if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return false;
  if (
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isImportDeclaration(node) ||
    ts.isImportEqualsDeclaration(node) ||
    ts.isExportDeclaration(node) ||
    ts.isDecorator(node) ||
    ts.isHeritageClause(node) ||
    ts.isTypeParameterDeclaration(node) ||
    ts.isModuleDeclaration(node)
  ) {
    return false;
  }
  if (hasDeclareModifier(node)) return false;
  // Overload signatures and abstract members have no body to run.
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) && !node.body) return false;
  return true;
}

export function canMutate(node: ts.Node, source: ts.SourceFile): boolean {
  if (!canMutateInside(node)) return false;
  // Nothing to gain from mutating generated or marked code.
  return !isDisabledByComment(node, source);
}

function hasDeclareModifier(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  return ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
}

// `// suture-disable-next-line` opts the next line out, like StrykerJS's disable comments.
const disabledLinesCache = new WeakMap<ts.SourceFile, ReadonlySet<number>>();

function isDisabledByComment(node: ts.Node, source: ts.SourceFile): boolean {
  let lines = disabledLinesCache.get(source);
  if (!lines) {
    const found = new Set<number>();
    for (const match of source.text.matchAll(/\/[/*]\s*suture-disable-next-line/g)) {
      found.add(source.getLineAndCharacterOfPosition(match.index).line + 1);
    }
    lines = found;
    disabledLinesCache.set(source, lines);
  }
  return lines.size > 0 && lines.has(source.getLineAndCharacterOfPosition(node.getStart(source)).line);
}
