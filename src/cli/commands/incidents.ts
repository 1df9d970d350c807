// `suture incidents`, `suture show <id>`, `suture replay <id>`: what happened, and does it happen again.

import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import type { Incident } from '../../model/fault.js';
import type { Store } from '../../store/store.js';
import { UsageError } from '../errors.js';
import { bold, diagnosisDetail, dim, green, incidentDetail, incidentsTable, patchDetail, red } from '../format.js';
import { openConfiguredStore } from '../store-option.js';
import { wholeNumber } from './options.js';

interface StoreOptions {
  store?: string;
  config?: string;
  json?: boolean;
}

async function withStore<T>(opts: StoreOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = await loadConfig(process.cwd(), opts.config);
  const store = openConfiguredStore(config, opts.store, true);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function findIncident(store: Store, id: string): Promise<Incident> {
  const exact = await store.getIncident(id);
  if (exact) return exact;
  const matches = (await store.listIncidents()).filter((i) => i.id.startsWith(id));
  if (matches.length === 1) return (await store.getIncident(matches[0]!.id))!;
  if (matches.length > 1) throw new UsageError(`incident id ${id} is ambiguous (${matches.map((m) => m.id).join(', ')}); give more characters`);
  throw new UsageError(`no incident ${id}; list them with suture incidents`);
}

const storeFlags = (cmd: Command) =>
  cmd.option('--store <path>', 'the store (default .suture/suture.db)').option('-c, --config <file>', 'config file').option('--json', 'print JSON');

export function registerIncidents(program: Command): void {
  storeFlags(program.command('incidents').description('list incidents, most recent first')).action(async (opts: StoreOptions) =>
    withStore(opts, async (store) => {
      const incidents = await store.listIncidents();
      if (opts.json) process.stdout.write(`${JSON.stringify(incidents, null, 2)}\n`);
      else if (incidents.length === 0) process.stdout.write('no incidents recorded\n');
      else process.stdout.write(`${incidentsTable(incidents)}\n`);
    }),
  );

  storeFlags(
    program
      .command('show')
      .description('an incident (stack, requests, diagnosis, best patch) or a patch (diff and validation evidence)')
      .argument('<id>', 'incident or patch id (a unique prefix will do)'),
  ).action(async (id: string, opts: StoreOptions) =>
    withStore(opts, async (store) => {
      const patch = (await store.listPatches()).find((p) => p.id === id || (id.length >= 4 && p.id.startsWith(id)));
      if (patch && !(await store.getIncident(id))) {
        process.stdout.write(opts.json ? `${JSON.stringify(patch, null, 2)}\n` : `${patchDetail(patch, process.cwd())}\n`);
        return;
      }
      const incident = await findIncident(store, id);
      const diagnosis = await store.getDiagnosis(incident.id);
      const patches = (await store.listPatches()).filter((p) => p.incident === incident.id);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...incident, diagnosis, patches }, null, 2)}\n`);
      else {
        process.stdout.write(`${incidentDetail(incident)}\n`);
        if (diagnosis) process.stdout.write(`\n${diagnosisDetail(diagnosis, incident.service.cwd)}\n`);
        if (patches[0]) process.stdout.write(`\n${patchDetail(patches[0], incident.service.cwd)}\n`);
      }
    }),
  );

  storeFlags(
    program
      .command('replay')
      .description("replay an incident's triggering requests against a fresh instance of the service")
      .argument('<id>', 'incident id (a unique prefix will do)')
      .option('--times <n>', 'replay each request this many times', wholeNumber('--times', 1, 100), 1),
  ).action(async (id: string, opts: StoreOptions & { times: number }) =>
    withStore(opts, async (store) => {
      const incident = await findIncident(store, id);
      const progress = opts.json ? undefined : (line: string) => process.stderr.write(`${dim('replay')} ${line}\n`);
      const { replayIncident } = await import('../../diagnose/replay.js');
      const result = await replayIncident(incident, { times: opts.times, ...(progress ? { onProgress: progress } : {}) });
      await store.setReproduced(incident.id, result.reproduced);
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const hits = result.attempts.filter((a) => a.reproduced).length;
        const verdict = result.reproduced === 'never' ? green('does not reproduce') : red(`reproduces (${result.reproduced})`);
        process.stdout.write(`${bold(`incident ${incident.id}`)}: ${verdict}, ${hits}/${result.attempts.length} replays faulted\n`);
      }
      // Exit status tells scripts whether the fault is live: 0 reproduced, 3 not.
      process.exitCode = result.reproduced === 'never' ? 3 : 0;
    }),
  );
}
