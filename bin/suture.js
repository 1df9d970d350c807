#!/usr/bin/env node
import { loadTypescriptFast } from '../dist/typescript-loader.js';

// Before any command module loads the TypeScript compiler.
loadTypescriptFast();
const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`suture: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
