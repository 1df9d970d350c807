// A long-lived vitest worker: one Vitest instance (config, Vite server, transform cache) per
// worker process, created through vitest's Node API from the project's own vitest. Tests still
// run in vitest's pool (a fresh thread per file unless the project turns isolation off), so
// modules load afresh per file; a setup file reads the run's mutant with `inject()`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type TestSession } from './serve.js';
import { providedKey } from './vitest-setup.js';

interface TestModule {
  moduleId: string;
  state(): string;
}

interface TestSpecification {
  moduleId: string;
}

interface TestProject {
  config: { setupFiles: string[]; bail?: number };
}

interface Vitest {
  config: { bail?: number };
  projects: TestProject[];
  provide(key: string, value: unknown): void;
  globTestSpecifications(filters?: string[]): Promise<TestSpecification[]>;
  runTestSpecifications(specifications: TestSpecification[]): Promise<{ testModules: TestModule[]; unhandledErrors: unknown[] }>;
}

interface VitestNode {
  createVitest(mode: 'test', options: Record<string, unknown>, viteOverrides?: Record<string, unknown>): Promise<Vitest>;
  parseCLI(argv: string[], config?: { allowUnknownOptions?: boolean }): { filter: string[]; options: Record<string, unknown> };
}

await serve(async (args) => {
  const resolveFrom = createRequire(path.join(args.root, 'package.json'));
  const entry = path.join(path.dirname(resolveFrom.resolve('vitest/package.json')), 'dist/node.js');
  const vitestNode = (await import(pathToFileURL(entry).href)) as VitestNode;
  // The config may import project files: only once suture has instrumented them.
  return async () => prepare(vitestNode, args.root, args.runnerArgs, args.setupFile!);
});

async function prepare(vitestNode: VitestNode, root: string, runnerArgs: string[], setupFile: string): Promise<TestSession> {
  const { filter, options } = vitestNode.parseCLI(['vitest', 'run', ...runnerArgs], { allowUnknownOptions: true });
  const vitest = await vitestNode.createVitest('test', {
    ...options,
    // Worker threads start faster than forks (StrykerJS forces them too); the test script's
    // --pool wins. One file at a time per worker: suture runs one worker per CPU.
    pool: options.pool ?? 'threads',
    maxWorkers: 1,
    watch: false,
    silent: true,
    reporters: [{}],
    coverage: { enabled: false },
    bail: 0,
  });
  for (const project of vitest.projects) project.config.setupFiles = [setupFile, ...project.config.setupFiles];
  const specifications = await vitest.globTestSpecifications(filter);
  const toRelative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  return {
    testFiles: specifications.map((s) => toRelative(s.moduleId)),
    async run(files, bail, config) {
      vitest.provide(providedKey, config);
      vitest.config.bail = bail ? 1 : 0;
      for (const project of vitest.projects) project.config.bail = vitest.config.bail;
      const wanted = files && new Set(files);
      const chosen = wanted ? specifications.filter((s) => wanted.has(toRelative(s.moduleId))) : specifications;
      const result = await vitest.runTestSpecifications(chosen);
      const failedModule = result.testModules.find((m) => m.state() === 'failed');
      if (failedModule) return { failed: true, failedFile: toRelative(failedModule.moduleId) };
      return { failed: result.unhandledErrors.length > 0 };
    },
  };
}
