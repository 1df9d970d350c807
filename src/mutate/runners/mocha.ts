// mocha: one process runs every file, so root hooks tell the helper which test file is running.
// Config `spec` entries add to command-line files, so subset runs use a copy of the config
// without them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MutateError } from '../errors.js';
import { currentTestGlobal } from '../runtime.js';
import type { RunnerAdapter } from './runner.js';
import { splitArgs } from './runner.js';
import { resolveBin } from './vitest.js';

const flagsWithValue = new Set(['--require', '-r', '--reporter', '-R', '--timeout', '-t', '--ui', '-u', '--extension', '--config',
  '--grep', '-g', '--file', '--ignore', '--spec', '--node-option', '-n', '--import', '--reporter-option', '--slow', '-s']);

const hooks = `// Written by suture mutate: tells the mutant helper which test file is running.
globalThis.${currentTestGlobal} = '';
exports.mochaHooks = {
  beforeEach() { globalThis.${currentTestGlobal} = (this.currentTest && this.currentTest.file) || ''; },
  afterEach() { globalThis.${currentTestGlobal} = ''; },
};
`;

export function mochaRunner(sandboxDir: string, words: readonly string[]): RunnerAdapter {
  const bin = resolveBin(sandboxDir, 'mocha', 'bin/mocha.js');
  const { flags, positional } = splitArgs(words.slice(words[0] === 'npx' ? 2 : 1), flagsWithValue);
  const hooksFile = path.join(sandboxDir, '.suture-mocha-hooks.cjs');
  writeFileSync(hooksFile, hooks);
  // Only the fresh-process commands need it (and refuse .mocharc.yml); workers use mocha's loader.
  let subsetConfig: string[] | undefined;
  return {
    name: 'mocha',
    runsFilesSeparately: false,
    isolatesFiles: false,
    worker: () => ({
      spec: { kind: 'mocha', nodeArgs: [], args: { root: sandboxDir, runnerArgs: [...flags, ...positional] } },
      // One mocha run loads every file in one process: root hooks in one file apply to all.
      coverageByFile: false,
    }),
    command(files, mode) {
      const coverage = mode === 'coverage' ? ['--require', hooksFile] : ['--bail'];
      if (!files) return { command: process.execPath, args: [bin, ...flags, ...coverage, ...positional] };
      subsetConfig ??= writeConfigWithoutSpec(sandboxDir);
      return { command: process.execPath, args: [bin, ...flags, ...subsetConfig, ...coverage, ...files] };
    },
  };
}

function writeConfigWithoutSpec(sandboxDir: string): string[] {
  const names = ['.mocharc.json', '.mocharc.jsonc', '.mocharc.cjs', '.mocharc.js', '.mocharc.yml', '.mocharc.yaml'];
  const found = names.find((name) => existsSync(path.join(sandboxDir, name)));
  let config: Record<string, unknown> = {};
  if (found?.endsWith('.yml') || found?.endsWith('.yaml')) {
    throw new MutateError(`${found} is not supported: convert it to .mocharc.json`);
  } else if (found?.endsWith('.js') || found?.endsWith('.cjs')) {
    config = createRequire(path.join(sandboxDir, 'package.json'))(path.join(sandboxDir, found)) as Record<string, unknown>;
  } else if (found) {
    const text = readFileSync(path.join(sandboxDir, found), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    config = JSON.parse(text) as Record<string, unknown>;
  }
  const manifest = JSON.parse(readFileSync(path.join(sandboxDir, 'package.json'), 'utf8')) as { mocha?: Record<string, unknown> };
  const merged: Record<string, unknown> = { ...manifest.mocha, ...config };
  delete merged.spec;
  const file = path.join(sandboxDir, '.suture-mocharc.json');
  writeFileSync(file, JSON.stringify(merged));
  return ['--config', file, '--no-package'];
}
