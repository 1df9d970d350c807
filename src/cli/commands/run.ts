// `suture run [options] -- <command...>`: supervise a service and keep it serving.

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import type { SutureEvent } from '../../model/event.js';
import { EventLog } from '../../supervisor/event-log.js';
import { parseNodeCommand } from '../../supervisor/launch.js';
import { Supervisor } from '../../supervisor/supervisor.js';
import { UsageError } from '../errors.js';
import { describeEvent, dim } from '../format.js';
import { openConfiguredStore, storeFile } from '../store-option.js';
import { wholeNumber } from './options.js';

interface RunOptions {
  workers?: number;
  port?: number;
  events?: string;
  store?: string;
  config?: string;
  quiet?: boolean;
  json?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('supervise a service: keep it serving through crashes and record what happened')
    .argument('[command...]', 'the service command, after --, e.g. -- node server.js')
    .option('-w, --workers <n>', 'worker processes (default 2, or the config)', wholeNumber('--workers', 1))
    .option('-p, --port <port>', 'the port the service serves; handed to it as PORT', wholeNumber('--port', 0, 65535))
    .option('--events <file>', 'append one JSON event per line to this file')
    .option('--store <path>', 'the store (default .suture/suture.db)')
    .option('-c, --config <file>', 'config file (default suture.config.json|mjs|js)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--json', 'print events as JSON lines on stderr instead of text')
    .passThroughOptions()
    .action(async (command: string[], opts: RunOptions) => {
      process.exitCode = await run(command, opts);
    });
}

async function run(commandArgs: string[], opts: RunOptions): Promise<number> {
  const config = await loadConfig(process.cwd(), opts.config);
  if (commandArgs.length > 0) config.command = commandArgs;
  if (opts.workers !== undefined) config.workers = opts.workers;
  if (opts.port !== undefined) config.port = opts.port;
  if (opts.events !== undefined) config.events = opts.events;
  if (config.command.length === 0) {
    throw new UsageError('no command to supervise; usage: suture run [options] -- node server.js (or set "command" in suture.config.json)');
  }
  const node = parseNodeCommand(config.command);
  const script = path.resolve(config.root, node.script);
  if (!fs.existsSync(script)) throw new UsageError(`the service's entry file ${node.script} does not exist in ${config.root}; check the command`);

  const store = openConfiguredStore(config, opts.store, false);
  const events = config.events ? new EventLog(path.resolve(process.cwd(), config.events)) : null;
  // A service that has faulted before is traced from its first request.
  const traceFromStart = (await store.listIncidents()).some((i) => i.service.cwd === config.root);
  const supervisor = new Supervisor({ config, store, events, storePath: storeFile(config, opts.store), traceFromStart });
  const print = (line: string) => process.stderr.write(`${dim('suture')} ${line}\n`);
  supervisor.on('event', (e: SutureEvent) => {
    if (opts.quiet) return;
    if (opts.json) process.stderr.write(`${JSON.stringify(e)}\n`);
    else {
      const line = describeEvent(e);
      if (line) print(line);
    }
  });
  supervisor.on('warning', (message: string) => print(`warning: ${message}`));

  try {
    await supervisor.openControl();
  } catch (err) {
    // Two runs of one project (say on two ports) both serve; decisions reach the first.
    if (!opts.quiet) print(`warning: ${(err as Error).message.replace(/; stop it first$/, '')}: approve and rollback will reach that run, not this one`);
  }
  const onSignal = (signal: NodeJS.Signals) => void supervisor.stop(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await supervisor.start().catch(() => {
      // the failure is reported below, once the supervisor has stopped
    });
    const code = await supervisor.done;
    if (code !== 0 && supervisor.failure) process.stderr.write(`suture: ${supervisor.failure}\n`);
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    events?.close();
    await store.close();
  }
}
