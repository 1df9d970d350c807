// A long-lived mocha worker: mocha, its options (`.mocharc.*`, package.json, the test script's
// arguments, read by mocha's own loader) and `--require` plugins load once; each run builds a
// new Mocha instance over freshly loaded test files, which is what `mocha <files>` does in a new
// process, minus the start-up.
import { createRequire } from 'node:module';
import path from 'node:path';
import { currentTestGlobal } from '../runtime.js';
import { FreshModules } from './fresh-modules.js';
import { serve, type TestSession } from './serve.js';

interface MochaTest {
  file?: string;
}

interface MochaRunner {
  on(event: 'fail', listener: (test: MochaTest) => void): void;
}

interface MochaSuite {
  emit(event: string, ...args: unknown[]): void;
  beforeEach(fn: (this: { currentTest?: MochaTest }) => void): void;
  afterEach(fn: () => void): void;
}

interface MochaInstance {
  suite: MochaSuite;
  run(done: (failures: number) => void): void;
  dispose(): void;
}

type MochaOptions = Record<string, unknown> & { _?: unknown[]; require?: string[]; file?: string[] };

interface MochaModules {
  Mocha: new (options: Record<string, unknown>) => MochaInstance;
  loadOptions(argv: string[]): MochaOptions;
  handleRequires(requires?: string[]): Promise<Record<string, unknown>>;
  collectFiles(options: Record<string, unknown>): { files: string[]; unmatchedFiles: unknown[] };
}

// Options that make mocha spawn or watch instead of running in this process.
const unsupported = ['parallel', 'watch', 'node-option', 'inspect', 'inspect-brk'];

await serve(async (args) => {
  const load = createRequire(path.join(args.root, 'package.json'));
  const mocha: MochaModules = {
    Mocha: load('mocha') as MochaModules['Mocha'],
    loadOptions: (load('mocha/lib/cli/options') as { loadOptions: MochaModules['loadOptions'] }).loadOptions,
    handleRequires: (load('mocha/lib/cli/run-helpers') as { handleRequires: MochaModules['handleRequires'] }).handleRequires,
    collectFiles: load('mocha/lib/cli/collect-files') as MochaModules['collectFiles'],
  };
  const modules = new FreshModules(args.root);
  return async () => prepare(mocha, args.root, args.runnerArgs, modules);
});

async function prepare(mocha: MochaModules, root: string, runnerArgs: string[], modules: FreshModules): Promise<TestSession | string> {
  const options = mocha.loadOptions(runnerArgs);
  const blocking = unsupported.find((name) => options[name]);
  if (blocking) return `mocha option --${blocking} needs a process of its own`;
  const plugins = await mocha.handleRequires(options.require);
  const collected = mocha.collectFiles({
    ignore: options.ignore ?? [], extension: options.extension ?? [], file: options.file ?? [],
    recursive: options.recursive, sort: options.sort, spec: (options._ ?? []).map(String),
  });
  const suiteFiles = collected.files;
  // `--file` entries are loaded before the specs in every run, whole suite or subset.
  const alwaysLoaded = (options.file ?? []).map((file) => path.resolve(root, file));
  const toRelative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const globals = globalThis as Record<string, unknown>;
  return {
    testFiles: suiteFiles.map(toRelative),
    async run(files, bail) {
      const wanted = files === null ? suiteFiles : [...new Set([...alwaysLoaded, ...files.map((f) => path.resolve(root, f))])];
      modules.next();
      let failedFile: string | undefined;
      function FailureReporter(runner: MochaRunner): void {
        runner.on('fail', (test) => { failedFile ??= test.file; });
      }
      const instance = new mocha.Mocha({ ...options, ...plugins, reporter: FailureReporter, bail, parallel: false });
      // Coverage names the test file of each hit, as the root hooks of a mocha process do.
      instance.suite.beforeEach(function () { globals[currentTestGlobal] = this.currentTest?.file ?? ''; });
      instance.suite.afterEach(() => { globals[currentTestGlobal] = ''; });
      for (const file of wanted) {
        instance.suite.emit('pre-require', globalThis, file, instance);
        const exported = await import(modules.url(file));
        instance.suite.emit('require', exported, file, instance);
        instance.suite.emit('post-require', globalThis, file, instance);
      }
      const failures = await new Promise<number>((resolve) => instance.run(resolve));
      instance.dispose();
      if (failures === 0) return { failed: false };
      return { failed: true, ...(failedFile ? { failedFile: toRelative(failedFile) } : {}) };
    },
  };
}
