// A long-lived node:test worker. Each test file runs inside a suite of its own, so the file's
// top-level tests and hooks (a `before` that starts a server, an `after` that stops it) belong to
// that run and end with it. node:test marks a failing test by setting process.exitCode, which is
// read and reset around each file.
//
// An uncaught exception or unhandled rejection fails a node:test run whatever happens next (the
// harness fails the test it came from, or sets exitCode), so it is a kill at once. It often
// comes from a server under test whose request then never gets an answer: when the file has not
// finished shortly after, the worker answers anyway and asks to be replaced, instead of letting
// the run hang until the timeout.
import { describe, mock } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { currentTestGlobal } from '../runtime.js';
import { FreshModules } from './fresh-modules.js';
import { serve, type TestSession } from './serve.js';

const graceMs = 100;

await serve(async (args) => {
  const modules = new FreshModules(args.root);
  return async () => session(args.testFiles ?? [], modules);
});

function session(testFiles: string[], modules: FreshModules): TestSession {
  let onUncaught: (() => void) | undefined;
  const uncaught = (): void => onUncaught?.();
  process.on('uncaughtException', uncaught);
  process.on('unhandledRejection', uncaught);
  return {
    testFiles,
    async run(files, bail) {
      let failedFile: string | undefined;
      for (const file of files ?? testFiles) {
        modules.next();
        process.exitCode = undefined;
        (globalThis as Record<string, unknown>)[currentTestGlobal] = modules.absolute(file);
        const errored = new Promise<'stuck'>((resolve) => {
          onUncaught = () => {
            onUncaught = undefined;
            void delay(graceMs).then(() => resolve('stuck'));
          };
        });
        const finished = describe(file, async () => {
          await import(modules.url(file));
        }).then(() => 'finished' as const);
        const ended = await Promise.race([finished, errored]);
        onUncaught = undefined;
        if (ended === 'stuck') return { failed: true, failedFile: file, replaceWorker: true };
        mock.restoreAll();
        const failed = process.exitCode !== undefined && process.exitCode !== 0;
        process.exitCode = undefined;
        if (failed) {
          failedFile ??= file;
          if (bail) break;
        }
      }
      return failedFile ? { failed: true, failedFile } : { failed: false };
    },
  };
}
