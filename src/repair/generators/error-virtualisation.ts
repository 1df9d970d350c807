// Error virtualisation (after the Worm Vaccine): the faulting function, then its caller, then the
// next caller up, is made to turn the error into a value its callers already handle: an error value
// of its return type, or, where an HTTP response is in scope, a 400 answer from the handler.

import ts from 'typescript';
import type { CandidateGenerator, DraftCandidate, RepairFrame } from '../generator.js';
import path from 'node:path';
import { enclosingStatement, errorValueFor, functionName, indentAt, indentUnit, responseInScope } from '../source.js';

/** A function's name, or where it is when it has none. */
function nameOf(frame: RepairFrame): string {
  const name = frame.fn ? functionName(frame.fn) : '<anonymous>';
  return name === '<anonymous>' ? `the callback at ${path.basename(frame.source.file)}:${frame.frame.line}` : name;
}

/** How many frames up the stack to try. */
const DEPTH = 4;

function reindent(text: string, extra: string): string {
  return text.replace(/\n(?=[^\n])/g, `\n${extra}`);
}

/** Wraps the statement at the frame, and the rest of its block, in a try that answers 400. */
function answerAtHandler(frame: RepairFrame, res: string): DraftCandidate | null {
  const statement = enclosingStatement(frame.node);
  if (!statement) return null;
  const block = statement.parent;
  if (!ts.isBlock(block)) return null;
  const ast = frame.source.ast;
  const index = block.statements.indexOf(statement);
  // Declarations after the statement may be used later in the block, so the try takes the block's tail.
  const tail = block.statements.slice(index);
  const start = statement.getStart(ast);
  const end = tail[tail.length - 1]!.end;
  const indent = indentAt(frame.source.text, start);
  const unit = indentUnit(frame.source.text);
  const body = reindent(frame.source.text.slice(start, end), unit);
  const text = [
    'try {',
    `${indent}${unit}${body}`,
    `${indent}} catch (error) {`,
    `${indent}${unit}if (!${res}.headersSent) {`,
    `${indent}${unit}${unit}${res}.statusCode = 400;`,
    `${indent}${unit}${unit}${res}.setHeader('content-type', 'application/json');`,
    `${indent}${unit}${unit}${res}.end(JSON.stringify({ error: 'Bad Request' }));`,
    `${indent}${unit}}`,
    `${indent}}`,
  ].join('\n');
  const name = nameOf(frame);
  return {
    kind: 'error-virtualisation',
    description: `answer 400 from ${name} when the request makes it throw`,
    distance: frame.distance,
    edits: [{ file: frame.source.file, start, end, text }],
  };
}

/** Wraps the function's body in a try that returns an error value of its return type. */
function returnErrorValue(frame: RepairFrame): DraftCandidate | null {
  const fn = frame.fn;
  if (!fn?.body) return null;
  const ast = frame.source.ast;
  const value = errorValueFor(fn, frame.source);
  const name = nameOf(frame);
  const unit = indentUnit(frame.source.text);
  if (ts.isBlock(fn.body)) {
    if (fn.body.statements.length === 0) return null;
    const first = fn.body.statements[0]!;
    const start = first.getStart(ast);
    const end = fn.body.statements[fn.body.statements.length - 1]!.end;
    const indent = indentAt(frame.source.text, start);
    const text = [
      'try {',
      `${indent}${unit}${reindent(frame.source.text.slice(start, end), unit)}`,
      `${indent}} catch (error) {`,
      `${indent}${unit}return ${value};`,
      `${indent}}`,
    ].join('\n');
    return {
      kind: 'error-virtualisation',
      description: `make ${name} return ${value} instead of throwing`,
      distance: frame.distance,
      edits: [{ file: frame.source.file, start, end, text }],
    };
  }
  // An arrow function with an expression body becomes a block.
  const start = fn.body.getStart(ast);
  const expr = frame.source.text.slice(start, fn.body.end);
  return {
    kind: 'error-virtualisation',
    description: `make ${name} return ${value} instead of throwing`,
    distance: frame.distance,
    edits: [{ file: frame.source.file, start, end: fn.body.end, text: `{ try { return ${expr}; } catch (error) { return ${value}; } }` }],
  };
}

export const errorVirtualisation: CandidateGenerator = {
  name: 'error-virtualisation',
  *generate(ctx) {
    for (const frame of ctx.frames) {
      if (frame.distance >= DEPTH) break;
      const res = responseInScope(frame.node);
      const candidate = res ? answerAtHandler(frame, res) : returnErrorValue(frame);
      if (candidate) yield candidate;
    }
  },
};
