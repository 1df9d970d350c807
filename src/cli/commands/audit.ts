// `suture audit`: every action taken, by whom and on which evidence; `--verify` checks the chain.

import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { verifyAudit } from '../../deploy/audit.js';
import type { AuditEntry } from '../../model/audit.js';
import { UsageError } from '../errors.js';
import { green, red, table } from '../format.js';
import { openConfiguredStore } from '../store-option.js';

interface AuditOptions {
  store?: string;
  config?: string;
  json?: boolean;
  verify?: boolean;
  incident?: string;
}

export function auditTable(entries: readonly AuditEntry[]): string {
  return table([
    ['SEQ', 'TIME', 'ACTOR', 'ACTION', 'INCIDENT', 'PATCH', 'SUMMARY'],
    ...entries.map((e) => [String(e.seq), e.at.replace('T', ' ').slice(0, 19), e.actor, e.action, e.incident ?? '-', e.patch ?? '-', e.summary]),
  ]);
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the audit trail: every action taken, by whom, on which evidence, oldest first')
    .option('--verify', 'check that no entry was edited or removed; exit 0 if intact, 1 if not')
    .option('--incident <id>', "only this incident's entries (listing only; --verify checks the whole trail)")
    .option('--store <path>', 'the store (default .suture/suture.db)')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON')
    .action(async (opts: AuditOptions) => {
      if (opts.verify && opts.incident !== undefined) {
        throw new UsageError('--verify checks the whole trail, not one incident; drop --incident');
      }
      const config = await loadConfig(process.cwd(), opts.config);
      const store = openConfiguredStore(config, opts.store, true);
      try {
        if (opts.verify) {
          const { entries, head } = await store.auditTrail();
          const result = verifyAudit(entries, head);
          if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          else if (result.ok) process.stdout.write(`${green('audit trail intact')}: ${result.entries} entries, head ${head ? head.hash.slice(0, 12) : 'none'}\n`);
          else for (const p of result.problems) process.stdout.write(`${red(`audit entry ${p.seq} ${p.problem}`)}: ${p.detail}\n`);
          process.exitCode = result.ok ? 0 : 1;
          return;
        }
        let incident = opts.incident;
        if (incident !== undefined && !(await store.getIncident(incident))) {
          // A unique prefix will do, as everywhere else incident ids are taken.
          const matches = (await store.listIncidents()).filter((i) => i.id.startsWith(incident!));
          if (matches.length > 1) throw new UsageError(`incident id ${incident} is ambiguous (${matches.map((m) => m.id).join(', ')}); give more characters`);
          if (matches.length === 1) incident = matches[0]!.id;
        }
        const entries = await store.listAudit(incident === undefined ? {} : { incident });
        if (opts.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        else if (entries.length === 0) process.stdout.write(incident === undefined ? 'no audit entries recorded\n' : `no audit entries for incident ${incident}\n`);
        else process.stdout.write(`${auditTable(entries)}\n`);
      } finally {
        await store.close();
      }
    });
}
