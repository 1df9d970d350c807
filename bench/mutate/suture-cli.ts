// `suture mutate` for the benchmark, without depending on the lead's src/cli/main.ts wiring.
import { Command } from 'commander';
import { registerMutate } from '../../src/cli/commands/mutate.js';

const program = new Command('suture');
registerMutate(program);
await program.parseAsync(process.argv);
