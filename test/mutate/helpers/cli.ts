// A stand-in for the suture binary in tests: a commander program with only `mutate` registered.
import { Command } from 'commander';
import { registerMutate } from '../../../src/cli/commands/mutate.js';

const program = new Command('suture').exitOverride();
registerMutate(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = (error as { exitCode?: number }).exitCode ?? 1;
}
