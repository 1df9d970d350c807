// The `suture` command line.

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { StoreError } from '../store/store.js';
import { CommandError } from '../supervisor/launch.js';
import { DeployError } from '../deploy/apply.js';
import { ControlError } from '../supervisor/control.js';
import { registerAudit } from './commands/audit.js';
import { registerDemo } from './commands/demo.js';
import { registerDeploy } from './commands/deploy.js';
import { registerHeal } from './commands/heal.js';
import { registerIncidents } from './commands/incidents.js';
import { registerMutate } from './commands/mutate.js';
import { registerRun } from './commands/run.js';
import { registerShields } from './commands/shields.js';
import { UsageError } from './errors.js';

export const VERSION = '0.1.0';

/** Commander's messages, folded to the one line every Suture error is. */
const oneLine = (text: string) => text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ');

export function buildProgram(): Command {
  const program = new Command('suture')
    .description('Self-healing runtime for Node.js services')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`suture: ${oneLine(text)} (see suture --help)\n`),
    });
  registerRun(program);
  registerIncidents(program);
  registerHeal(program);
  registerDeploy(program);
  registerShields(program);
  registerMutate(program);
  registerDemo(program);
  registerAudit(program);
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({
      outputError: (text, write) => write(`suture ${cmd.name()}: ${oneLine(text)} (see suture ${cmd.name()} --help)\n`),
    });
  }
  return program;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return err.exitCode === 1 ? 2 : err.exitCode;
    }
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof StoreError || err instanceof CommandError || err instanceof DeployError || err instanceof ControlError) {
      const cmd = program.args[0];
      process.stderr.write(`suture${cmd && program.commands.some((c) => c.name() === cmd) ? ` ${cmd}` : ''}: ${err.message}\n`);
      return err instanceof UsageError ? err.exitCode : 1;
    }
    throw err;
  }
}
