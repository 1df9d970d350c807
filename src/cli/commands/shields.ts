// `suture shields`: the live shields of the project's running `suture run`, and lifting one by hand.

import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { actorName } from '../../deploy/decisions.js';
import type { Shield } from '../../model/shield.js';
import { sendControl } from '../../supervisor/control.js';
import { UsageError } from '../errors.js';
import { bold, dim } from '../format.js';

interface ShieldsOptions {
  config?: string;
  json?: boolean;
  lift?: string;
  actor?: string;
}

export function registerShields(program: Command): void {
  program
    .command('shields')
    .description('live shields of the running suture run: input filters and execution transactions, with their expiry')
    .option('-c, --config <file>', 'config file')
    .option('--lift <id>', 'lift this shield now')
    .option('--actor <name>', 'who lifts it, for the audit trail (default $SUTURE_ACTOR or the login name)')
    .option('--json', 'print JSON')
    .action(async (opts: ShieldsOptions) => {
      const config = await loadConfig(process.cwd(), opts.config);
      if (opts.lift) {
        const lifted = await sendControl(config.root, { op: 'shield-lift', shield: opts.lift, actor: actorName(opts.actor) });
        if (lifted === null) throw new UsageError(`no suture run is live for ${config.root}; shields exist only while it runs`);
        process.stdout.write(opts.json ? `${JSON.stringify(lifted.result)}\n` : `shield ${opts.lift} lifted\n`);
        return;
      }
      const status = await sendControl(config.root, { op: 'status' });
      if (status === null) throw new UsageError(`no suture run is live for ${config.root}; shields exist only while it runs`);
      const shields = (status.result as { shields: Shield[] }).shields;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(shields, null, 2)}\n`);
        return;
      }
      if (shields.length === 0) process.stdout.write('no shield is up\n');
      for (const s of shields) process.stdout.write(`${bold(s.id)} ${s.kind}: ${s.description} ${dim(`(incident ${s.incident}, until ${s.expiresAt})`)}\n`);
    });
}
