#!/usr/bin/env node
import { loadTypescriptFast } from '../dist/typescript-loader.js';

// Before any command module loads the TypeScript compiler. `suture run`, the long-lived supervisor,
// never loads it (repairs run in child processes), so it is spared the hook's loader thread.
if (process.argv[2] !== 'run') loadTypescriptFast();
const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`suture: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
