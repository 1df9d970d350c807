// vitest: `vitest run [flags] [file filters]`. The injected helper reads the running file from
// vitest's worker state, so one run attributes coverage per test file.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MutateError } from '../errors.js';
import { vitestSetupFile, vitestSetupSource } from '../workers/vitest-setup.js';
import type { RunnerAdapter } from './runner.js';
import { splitArgs } from './runner.js';

const flagsWithValue = new Set(['--config', '-c', '--root', '-r', '--dir', '--reporter', '--pool', '--project', '--environment', '--maxWorkers', '--testTimeout', '-t', '--testNamePattern']);

export function vitestRunner(sandboxDir: string, words: readonly string[]): RunnerAdapter {
  const bin = resolveBin(sandboxDir, 'vitest', 'vitest.mjs');
  const rest = words.slice(words[0] === 'npx' ? 2 : 1).filter((w) => w !== 'run' && w !== 'watch' && w !== '--run');
  const { flags, positional } = splitArgs(rest, flagsWithValue);
  // Worker threads start faster than forks (StrykerJS forces them too). The coverage run uses
  // them as well, so a suite that cannot run in threads fails the green-suite check up front.
  const pool = flags.some((f) => f.startsWith('--pool')) ? [] : ['--pool=threads'];
  return {
    name: 'vitest',
    runsFilesSeparately: false,
    isolatesFiles: !flags.includes('--no-isolate'),
    worker() {
      const setupFile = path.join(sandboxDir, vitestSetupFile);
      writeFileSync(setupFile, vitestSetupSource);
      return { spec: { kind: 'vitest', nodeArgs: [], args: { root: sandboxDir, runnerArgs: rest, setupFile } }, coverageByFile: true };
    },
    command(files, mode) {
      const extra = mode === 'mutant' ? ['--bail=1', '--reporter=dot'] : [];
      return { command: process.execPath, args: [bin, 'run', ...flags, ...pool, ...extra, ...(files ?? positional)] };
    },
  };
}

export function resolveBin(sandboxDir: string, pkg: string, relativeBin: string): string {
  try {
    const manifest = createRequire(path.join(sandboxDir, 'package.json')).resolve(`${pkg}/package.json`);
    return path.join(path.dirname(manifest), relativeBin);
  } catch {
    throw new MutateError(`cannot resolve ${pkg} from ${sandboxDir}: install it in the project (npm i -D ${pkg})`);
  }
}
