// node:test: `node [flags] --test files`. Node 20 does not expand globs in --test arguments, so
// we do. Each test file runs in its own process (or, in a long-lived worker, in a suite of its
// own over freshly loaded modules), which is what attributes coverage to a file.
import os from 'node:os';
import { MutateError } from '../errors.js';
import { findFiles, isGlob } from '../glob.js';
import type { RunnerAdapter, TestCommand } from './runner.js';
import { splitArgs } from './runner.js';

const flagsWithValue = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--test-reporter',
  '--test-reporter-destination', '--test-name-pattern', '--test-concurrency', '--conditions', '-C', '--env-file']);
const nodeDefaults = ['**/*.test.?(c|m)js', '**/*-test.?(c|m)js', '**/*_test.?(c|m)js', '**/test-*.?(c|m)js', '**/test.?(c|m)js', '**/test/**/*.?(c|m)js'];

export function nodeTestRunner(sandboxDir: string, words: readonly string[]): RunnerAdapter {
  const rest = words[0] === 'tsx' ? ['--import', 'tsx', ...words.slice(1)] : words.slice(1);
  const { flags, positional } = splitArgs(rest, flagsWithValue);
  const kept = stripReporters(flags).filter((flag) => flag !== '--test');
  const patterns = positional.length > 0 ? positional : nodeDefaults;
  const allFiles = (): string[] => {
    const files = positional.length > 0 && !positional.some(isGlob) ? positional.map((f) => f.replace(/^\.\//, '')) : findFiles(sandboxDir, patterns);
    if (files.length === 0) throw new MutateError(`no test files match ${patterns.join(' ')}: fix the "test" script's file arguments`);
    return files;
  };
  return {
    name: 'node',
    runsFilesSeparately: true,
    isolatesFiles: !kept.includes('--experimental-test-isolation=none'),
    failurePattern: /^\s*not ok \d+/m,
    // A process a test spawns (a server under test) reports its own script as argv[1].
    testFiles: allFiles,
    worker: () => ({
      spec: {
        kind: 'node-test',
        // Results come from process.exitCode; the TAP output is not read.
        nodeArgs: [...kept.filter((flag) => !flag.startsWith('--watch') && flag !== '--experimental-test-coverage'),
          '--test-reporter=tap', `--test-reporter-destination=${os.devNull}`],
        args: { root: sandboxDir, runnerArgs: [], testFiles: allFiles() },
      },
      coverageByFile: true,
    }),
    command(files, mode): TestCommand {
      // A lone file runs without the --test orchestrator: one process instead of two.
      if (mode === 'mutant' && files?.length === 1) return { command: process.execPath, args: [...kept, '--test-reporter=tap', files[0]!] };
      return { command: process.execPath, args: [...kept, '--test', '--test-reporter=tap', ...(files ?? allFiles())] };
    },
  };
}

function stripReporters(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (flag === '--test-reporter' || flag === '--test-reporter-destination') i++;
    else if (!flag.startsWith('--test-reporter')) out.push(flag);
  }
  return out;
}
