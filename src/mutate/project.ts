// Reads what we need from the user's project: its package.json test script and which runner it uses.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MutateError } from './errors.js';
import { splitCommand } from './shell-words.js';

export const runnerNames = ['node', 'vitest', 'mocha'] as const;
export type RunnerName = (typeof runnerNames)[number];

export interface Project {
  dir: string;
  runner: RunnerName;
  /** Words of the test script's first command, e.g. `node --import tsx --test test/*.spec.ts`. */
  testCommand: string[];
}

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function readProject(dir: string, runner?: string): Project {
  if (runner !== undefined && !(runnerNames as readonly string[]).includes(runner)) {
    throw new MutateError(`unknown runner "${runner}": use --runner node, vitest or mocha`);
  }
  const manifestPath = path.join(dir, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new MutateError(`no package.json in ${dir}: run suture mutate in the project root or pass --cwd <dir>`);
  }
  let manifest: PackageJson;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  } catch (error) {
    throw new MutateError(`${manifestPath} is not valid JSON (${(error as Error).message}): fix it and rerun`);
  }
  const script = manifest.scripts?.test ?? '';
  const words = splitCommand(script);
  const detected = (runner as RunnerName | undefined) ?? detectRunner(words, manifest);
  if (!detected) {
    throw new MutateError(`no test command found in ${manifestPath}: add a "test" script running node --test, vitest or mocha, or pass --runner`);
  }
  return { dir, runner: detected, testCommand: words.length > 0 ? words : defaultCommand(detected) };
}

function detectRunner(words: string[], manifest: PackageJson): RunnerName | undefined {
  const bin = path.basename(words[0] === 'npx' ? words[1] ?? '' : words[0] ?? '');
  if (bin === 'vitest') return 'vitest';
  if (bin === 'mocha' || bin === '_mocha') return 'mocha';
  if ((bin === 'node' || bin === 'tsx') && words.includes('--test')) return 'node';
  const deps = { ...manifest.dependencies, ...manifest.devDependencies };
  if (words.length === 0 && deps.vitest) return 'vitest';
  if (words.length === 0 && deps.mocha) return 'mocha';
  return undefined;
}

function defaultCommand(runner: RunnerName): string[] {
  return runner === 'node' ? ['node', '--test'] : [runner];
}
