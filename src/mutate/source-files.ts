// Which files to mutate: the ones named on the command line, or the project's sources.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MutateError } from './errors.js';
import { findFiles, isGlob } from './glob.js';

const extensions = '{js,mjs,cjs,jsx,ts,mts,cts,tsx}';
const notSources = ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.{test,spec}.*', '**/*-test.*', '**/*_test.*', 'test/**', 'tests/**',
  '**/__tests__/**', '**/*.config.*', 'dist/**', 'build/**', 'reports/**', '.suture-*'];

export function selectSourceFiles(projectDir: string, requested: readonly string[] | undefined): string[] {
  if (requested && requested.length > 0) {
    const found = new Set<string>();
    for (const entry of requested) {
      const relative = path.relative(projectDir, path.resolve(projectDir, entry)).split(path.sep).join('/');
      if (isGlob(entry)) {
        findFiles(projectDir, [relative]).forEach((f) => found.add(f));
      } else if (existsSync(path.join(projectDir, relative)) && statSync(path.join(projectDir, relative)).isDirectory()) {
        findFiles(projectDir, [`${relative}/**/*.${extensions}`], notSources).forEach((f) => found.add(f));
      } else if (existsSync(path.join(projectDir, relative))) {
        found.add(relative);
      } else {
        throw new MutateError(`file not found: ${entry} (paths are relative to ${projectDir})`);
      }
    }
    return [...found].sort();
  }
  const root = ['src', 'lib'].find((dir) => existsSync(path.join(projectDir, dir)));
  const files = findFiles(projectDir, [root ? `${root}/**/*.${extensions}` : `**/*.${extensions}`], notSources);
  if (files.length === 0) {
    throw new MutateError(`no source files to mutate in ${projectDir}: name them, e.g. suture mutate "src/**/*.ts"`);
  }
  return files;
}
