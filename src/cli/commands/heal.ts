// `suture heal <id>` and `suture patches`: turn an incident into a validated patch, and list patches.

import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import type { EventType } from '../../model/event.js';
import { cleanupAll } from '../../supervisor/cleanup.js';
import { EventLog, eventOf } from '../../supervisor/event-log.js';
import { bold, dim, green, patchDetail, patchesTable, red } from '../format.js';
import { openConfiguredStore } from '../store-option.js';
import { findIncident } from './incidents.js';

interface HealOptions {
  store?: string;
  config?: string;
  events?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerHeal(program: Command): void {
  program
    .command('heal')
    .description('(re)run diagnosis and repair for an incident: confirm, localise, generate and validate candidate patches')
    .argument('<id>', 'incident id (a unique prefix will do)')
    .option('--store <path>', 'the store (default .suture/suture.db)')
    .option('-c, --config <file>', 'config file')
    .option('--events <file>', "append diagnosis, candidate, validation and patch events to this file ('-' for stdout)")
    .option('-q, --quiet', 'no progress lines')
    .option('--json', 'print the heal report as JSON')
    .action(async (id: string, opts: HealOptions) => {
      const config = await loadConfig(process.cwd(), opts.config);
      const store = openConfiguredStore(config, opts.store, true);
      const toStdout = opts.events === '-';
      const events = opts.events && !toStdout ? new EventLog(path.resolve(opts.events)) : null;
      // Stopped by a signal, a heal removes its sandboxes and stops the processes it started.
      const onSignal = (signal: NodeJS.Signals) => {
        cleanupAll();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const incident = await findIncident(store, id);
        const progress = opts.quiet || opts.json ? undefined : (line: string) => process.stderr.write(`${dim('heal')} ${line}\n`);
        const emit = (type: EventType, fields: Record<string, unknown>) => {
          const event = eventOf(type, fields);
          if (toStdout) process.stdout.write(`${JSON.stringify(event)}\n`);
          else events?.write(event);
        };
        // Loaded here: the repair engine brings the TypeScript compiler, which `suture run` never needs.
        const { heal } = await import('../../heal/heal.js');
        const report = await heal(incident.id, { store, config, emit, ...(progress ? { progress } : {}) });
        if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else if (toStdout) {
          // the events were the output
        } else if (report.patch) {
          process.stdout.write(`${patchDetail(report.patch, config.root)}\n`);
          process.stdout.write(dim(`\n${report.candidates} candidate(s), ${report.passed} passed validation, ${(report.durationMs / 1000).toFixed(1)} s\n`));
        } else {
          process.stdout.write(`${bold(`incident ${incident.id}`)}: ${red(report.note ?? 'no patch')} (${report.candidates} candidate(s), ${report.passed} passed)\n`);
          for (const r of report.ranked.slice(0, 5)) process.stdout.write(dim(`  ${r.candidate.kind} ${r.candidate.id}: ${r.candidate.description} — ${r.validation.reason}\n`));
        }
        // 0: a validated patch; 3: none (the incident did not reproduce, or no candidate passed).
        process.exitCode = report.patch ? 0 : 3;
      } finally {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        events?.close();
        await store.close();
      }
    });

  program
    .command('patches')
    .description('validated patches, most recent first')
    .option('--store <path>', 'the store (default .suture/suture.db)')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON')
    .action(async (opts: HealOptions) => {
      const config = await loadConfig(process.cwd(), opts.config);
      const store = openConfiguredStore(config, opts.store, true);
      try {
        const patches = await store.listPatches();
        if (opts.json) process.stdout.write(`${JSON.stringify(patches, null, 2)}\n`);
        else process.stdout.write(patches.length === 0 ? 'no patches yet\n' : `${patchesTable(patches)}\n${green(`\nsee one with: suture show <id>`)}\n`);
      } finally {
        await store.close();
      }
    });
}
