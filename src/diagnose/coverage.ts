// Reads V8 block coverage written by an oracle (NODE_V8_COVERAGE + v8.takeCoverage) and turns it
// into per-statement execution spectra of the service's own files.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { isAppFile } from './stack.js';

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}
export interface FunctionCoverage {
  functionName: string;
  ranges: Range[];
}
interface ScriptCoverage {
  url: string;
  functions: FunctionCoverage[];
}

/** Statements of one generated script, as offset ranges. */
export interface ScriptStatements {
  file: string;
  text: string;
  statements: { start: number; end: number }[];
}

/** Which statements ran in one take: file → set of statement indexes. */
export type Spectrum = Map<string, Set<number>>;

function toPath(url: string): string | null {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return null;
    }
  }
  return path.isAbsolute(url) ? url : null;
}

/** One take: the functions that ran in each of the service's own files. */
export type CoverageTake = Map<string, FunctionCoverage[]>;

/** Reads every coverage file in `dir` not yet `seen`, oldest first, one take each; keeps the scripts under `root`. */
export function readCoverageFiles(dir: string, seen: Set<string>, root: string): CoverageTake[] {
  const takes: CoverageTake[] = [];
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('coverage-') && f.endsWith('.json') && !seen.has(f)).sort();
  for (const name of files) {
    seen.add(name);
    let parsed: { result: ScriptCoverage[] };
    try {
      parsed = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    const take: CoverageTake = new Map();
    for (const script of parsed.result) {
      const file = toPath(script.url);
      if (!file || !isAppFile(file) || !file.startsWith(root + path.sep)) continue;
      take.set(file, script.functions);
    }
    takes.push(take);
  }
  return takes;
}

const statementCache = new Map<string, ScriptStatements>();

export function statementsOf(file: string): ScriptStatements | null {
  const cached = statementCache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  // V8 offsets count the CommonJS wrapper out; they index the file's own text.
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const statements: { start: number; end: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStatement(node) && !ts.isBlock(node) && !ts.isFunctionDeclaration(node) && !ts.isClassDeclaration(node) && !ts.isImportDeclaration(node)) {
      statements.push({ start: node.getStart(source), end: node.end });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const result = { file, text, statements };
  statementCache.set(file, result);
  return result;
}

/** The execution count at `offset`: the innermost range containing it decides (V8's block coverage rule). */
function countAt(functions: FunctionCoverage[], offset: number): number {
  let best: Range | null = null;
  for (const fn of functions) {
    for (const r of fn.ranges) {
      if (r.startOffset <= offset && offset < r.endOffset && (best === null || r.endOffset - r.startOffset <= best.endOffset - best.startOffset)) {
        best = r;
      }
    }
  }
  return best?.count ?? 0;
}

/**
 * The statements that ran in the given takes (usually one; more when a take's acknowledgement came
 * late). Each take is read on its own: a branch one take skipped must not hide that another ran it.
 * Functions absent from a take did not run in it.
 */
export function spectrumOf(takes: CoverageTake | CoverageTake[]): Spectrum {
  const spectrum: Spectrum = new Map();
  for (const take of Array.isArray(takes) ? takes : [takes]) {
    for (const [file, functions] of take) {
      const script = statementsOf(file);
      if (!script) continue;
      const ran = spectrum.get(file) ?? new Set<number>();
      script.statements.forEach((s, i) => {
        if (countAt(functions, s.start) > 0) ran.add(i);
      });
      if (ran.size > 0) spectrum.set(file, ran);
    }
  }
  return spectrum;
}
