// The operator set and the walk that applies it to a source file. Adding an operator is adding
// one file and one line in `allOperators`.
import ts from 'typescript';
import type { Mutation, MutationOperator } from './operator.js';
import { canMutate, canMutateInside } from './skip.js';
import { liftToChainRoot } from './chain.js';
import { arithmeticOperator } from './arithmetic-operator.js';
import { arrayDeclaration } from './array-declaration.js';
import { arrowFunction } from './arrow-function.js';
import { assignmentOperator } from './assignment-operator.js';
import { blockStatement } from './block-statement.js';
import { booleanLiteral } from './boolean-literal.js';
import { conditionalExpression } from './conditional-expression.js';
import { equalityOperator } from './equality-operator.js';
import { logicalOperator } from './logical-operator.js';
import { methodExpression } from './method-expression.js';
import { objectLiteral } from './object-literal.js';
import { optionalChaining } from './optional-chaining.js';
import { regex } from './regex.js';
import { stringLiteral } from './string-literal.js';
import { unaryOperator } from './unary-operator.js';
import { updateOperator } from './update-operator.js';

export type { Mutation, MutationKind, MutationOperator, Replacement } from './operator.js';

export const allOperators: readonly MutationOperator[] = [
  arithmeticOperator,
  arrayDeclaration,
  arrowFunction,
  assignmentOperator,
  blockStatement,
  booleanLiteral,
  conditionalExpression,
  equalityOperator,
  logicalOperator,
  methodExpression,
  objectLiteral,
  optionalChaining,
  regex,
  stringLiteral,
  unaryOperator,
  updateOperator,
];

export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName) || fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Syntax errors of a parsed file, as `line:column message` strings (empty when it parses). */
export function syntaxErrors(source: ts.SourceFile): string[] {
  const diagnostics = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics.map((d) => {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/** Every mutation the operators produce for a file, in source order. */
export function findMutations(source: ts.SourceFile, operators: readonly MutationOperator[] = allOperators): Mutation[] {
  const mutations: Mutation[] = [];
  const visit = (node: ts.Node): void => {
    if (canMutate(node, source)) {
      for (const operator of operators) {
        for (const replacement of operator.mutate(node, source)) {
          const start = replacement.start ?? node.getStart(source);
          const end = replacement.end ?? node.end;
          const kind = replacement.kind ?? 'expression';
          const lifted = kind === 'expression' ? liftToChainRoot(node, source, start, end, replacement.text) : undefined;
          if (lifted === null) continue;
          const placed = lifted ?? { start, end, original: source.text.slice(start, end), replacement: replacement.text };
          mutations.push({ ...placed, operator: operator.name, description: replacement.description, kind });
        }
      }
    }
    if (canMutateInside(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return mutations.sort((a, b) => a.start - b.start || b.end - a.end);
}
