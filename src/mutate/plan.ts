// Which mutants each file has, and the instrumented copy that holds them all. This is the part
// that needs the TypeScript compiler, so run.ts loads it on demand: the test workers boot while
// typescript loads.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type ts from 'typescript';
import { findMutations, parseSource, syntaxErrors } from '../repair/operators/index.js';
import { MutateError } from './errors.js';
import { instrument, type NumberedMutation } from './schemata.js';

export interface PlannedFile {
  path: string;
  text: string;
  source: ts.SourceFile;
  mutants: NumberedMutation[];
}

export function planMutants(projectDir: string, paths: readonly string[], lines?: Readonly<Record<string, readonly number[]>>): PlannedFile[] {
  let nextId = 1;
  return paths.map((file) => {
    const text = readFileSync(path.join(projectDir, file), 'utf8');
    const source = parseSource(file, text);
    const errors = syntaxErrors(source);
    if (errors.length > 0) {
      throw new MutateError(`${file}:${errors[0]}: the file does not parse; fix it or leave it out of the files to mutate`);
    }
    const wanted = lines?.[file] ? new Set(lines[file]) : undefined;
    const mutations = findMutations(source).filter((m) => !wanted || wanted.has(source.getLineAndCharacterOfPosition(m.start).line + 1));
    return { path: file, text, source, mutants: mutations.map((mutation) => ({ id: nextId++, mutation })) };
  });
}

/** Writes each file's instrumented copy into the sandbox; returns the ids that could not be placed. */
export function writeInstrumented(planned: readonly PlannedFile[], sandboxDir: string): Set<number> {
  const unplaced = new Set<number>();
  for (const file of planned) {
    const instrumented = instrument(file.source, file.mutants);
    instrumented.unplaced.forEach((id) => unplaced.add(id));
    writeFileSync(path.join(sandboxDir, file.path), instrumented.code);
  }
  return unplaced;
}
