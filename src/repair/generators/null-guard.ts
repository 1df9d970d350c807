// Guards for reading a property of undefined or null: optional chaining at the faulting access,
// a bounds check when the missing value came from an index, and an early return when it is absent.

import ts from 'typescript';
import type { CandidateGenerator, DraftCandidate, RepairFrame } from '../generator.js';
import { ancestors, enclosingStatement, errorValueFor, indentAt } from '../source.js';

const READING = /Cannot read properties of (?:undefined|null) \(reading '([^']+)'\)|Cannot destructure property '([^']+)'/;

type Access = ts.PropertyAccessExpression | ts.ElementAccessExpression;

function accessAt(frame: RepairFrame, property: string): Access | null {
  for (const n of ancestors(frame.node)) {
    if (ts.isPropertyAccessExpression(n) && n.name.text === property) return n;
    if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === property) return n;
    if (ts.isStatement(n)) break;
  }
  return null;
}

function isAssignmentTarget(node: ts.Node): boolean {
  const p = node.parent;
  return !!p && ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

export const nullGuard: CandidateGenerator = {
  name: 'null-guard',
  *generate(ctx) {
    const m = READING.exec(ctx.incident.message);
    const top = ctx.frames[0];
    if (!m || !top || top.distance !== 0) return;
    const access = accessAt(top, m[1] ?? m[2]!);
    if (!access || isAssignmentTarget(access)) return;
    const { text } = top.source;
    const file = top.source.file;
    const object = access.expression;
    const objectText = object.getText(top.source.ast);

    // a.b.c → a.b?.c   a[i].c → a[i]?.c
    if (!access.questionDotToken) {
      const from = object.end;
      const to = ts.isPropertyAccessExpression(access) ? access.name.getStart(top.source.ast) : access.argumentExpression.getStart(top.source.ast) - 1;
      const joint = text.slice(from, to);
      yield {
        kind: 'guard',
        description: `optional chaining: ${objectText}?.${m[1] ?? m[2]} yields undefined when ${objectText} is missing`,
        distance: 0,
        edits: [{ file, start: from, end: to, text: ts.isPropertyAccessExpression(access) ? joint.replace('.', '?.') : '?.' }],
      } satisfies DraftCandidate;
    }

    const statement = enclosingStatement(access);
    if (!statement || !top.fn) return;
    const at = statement.getStart(top.source.ast);
    const indent = indentAt(text, at);
    const value = errorValueFor(top.fn, top.source);
    const ret = value === 'undefined' ? 'return;' : `return ${value};`;

    // The missing value came from an index: check the bounds before using it.
    if (ts.isElementAccessExpression(object) && !ts.isStringLiteralLike(object.argumentExpression)) {
      const arr = object.expression.getText(top.source.ast);
      const index = object.argumentExpression.getText(top.source.ast);
      yield {
        kind: 'guard',
        description: `bounds check: return early when ${index} is outside ${arr}`,
        distance: 0,
        edits: [{ file, start: at, end: at, text: `if (!(${index} >= 0 && ${index} < ${arr}.length)) ${ret}\n${indent}` }],
      };
    }
    yield {
      kind: 'guard',
      description: `null check: return early when ${objectText} is missing`,
      distance: 0,
      edits: [{ file, start: at, end: at, text: `if (${objectText} == null) ${ret}\n${indent}` }],
    };
  },
};
