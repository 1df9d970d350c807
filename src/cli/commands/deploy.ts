// `suture approve <id>`, `suture reject <id>`, `suture rollback <id>`: a person's decisions on a
// validated patch. Approve applies it (a branch and commit in git), rebuilds, and when a `suture
// run` is live for the project, rolls it out by canary and waits for the verdict.

import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { actorName, approvePatch, rejectPatch, rollbackPatch } from '../../deploy/decisions.js';
import type { Patch, Rollout } from '../../model/repair.js';
import type { Store } from '../../store/store.js';
import { sendControl } from '../../supervisor/control.js';
import { UsageError } from '../errors.js';
import { bold, dim, green, red, yellow } from '../format.js';
import { openConfiguredStore } from '../store-option.js';

interface DecisionOptions {
  store?: string;
  config?: string;
  actor?: string;
  json?: boolean;
  reason?: string;
  rollout?: boolean;
}

export async function findPatch(store: Store, id: string): Promise<Patch> {
  const exact = await store.getPatch(id);
  if (exact) return exact;
  const matches = (await store.listPatches()).filter((p) => p.id.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UsageError(`patch id ${id} is ambiguous (${matches.map((m) => m.id).join(', ')}); give more characters`);
  throw new UsageError(`no patch ${id}; list them with suture patches`);
}

const say = (line: string) => process.stderr.write(`${dim('suture')} ${line}\n`);

function withDecisionFlags(cmd: Command): Command {
  return cmd
    .option('--store <path>', 'the store (default .suture/suture.db)')
    .option('-c, --config <file>', 'config file')
    .option('--actor <name>', 'who decides, for the audit trail (default $SUTURE_ACTOR or the login name)')
    .option('--json', 'print the patch as JSON');
}

export function registerDeploy(program: Command): void {
  withDecisionFlags(
    program
      .command('approve')
      .description('apply a proposed patch (on branch suture/<id> in git), rebuild, and roll it out by canary when a suture run is live')
      .argument('<id>', 'patch id (a unique prefix will do)')
      .option('--no-rollout', 'apply and rebuild only, even with a suture run live'),
  ).action(async (id: string, opts: DecisionOptions) => {
    const config = await loadConfig(process.cwd(), opts.config);
    const store = openConfiguredStore(config, opts.store, true);
    const actor = actorName(opts.actor);
    let patch: Patch;
    let rollout: Rollout | null = null;
    try {
      const found = await findPatch(store, id);
      const { deployment } = await approvePatch(config, store, found.id, actor);
      say(green(`patch ${found.id} approved by ${actor}: `) + (deployment.mode === 'git' ? `committed ${deployment.commit?.slice(0, 12)} on branch ${deployment.branch}` : `applied to ${deployment.files.join(', ')}`));
      if (opts.rollout !== false) {
        const live = await sendControl(config.root, { op: 'canary', patch: found.id, actor }, (line) => say(line));
        if (live === null) say(dim('no suture run is live for this project: the patch takes effect when the service next starts'));
        else rollout = live.result as Rollout;
      }
      patch = (await store.getPatch(found.id))!;
    } finally {
      await store.close();
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(patch, null, 2)}\n`);
    else process.stdout.write(`${bold(`patch ${patch.id}`)}: ${patch.status}${rollout ? ` (${rollout.reason})` : ''}\n`);
    // A canary that rolled the patch back did its job, but the patch is not deployed: say so in the exit code.
    process.exitCode = rollout?.outcome === 'rolled-back' ? 1 : 0;
    if (rollout?.outcome === 'rolled-back') process.stderr.write(`suture approve: ${red(`the canary rolled patch ${patch.id} back: ${rollout.reason}`)}\n`);
  });

  withDecisionFlags(
    program
      .command('reject')
      .description('reject a proposed patch; it stays on record, never applied')
      .argument('<id>', 'patch id (a unique prefix will do)')
      .option('--reason <text>', 'why, for the audit trail'),
  ).action(async (id: string, opts: DecisionOptions) => {
    const config = await loadConfig(process.cwd(), opts.config);
    const store = openConfiguredStore(config, opts.store, true);
    try {
      const found = await findPatch(store, id);
      const patch = await rejectPatch(store, found.id, actorName(opts.actor), opts.reason);
      if (opts.json) process.stdout.write(`${JSON.stringify(patch, null, 2)}\n`);
      else process.stdout.write(`${bold(`patch ${patch.id}`)}: rejected\n`);
    } finally {
      await store.close();
    }
  });

  withDecisionFlags(
    program
      .command('rollback')
      .description('take an approved or deployed patch out of the source tree, rebuild, and restart a live suture run on the old code')
      .argument('<id>', 'patch id (a unique prefix will do)')
      .option('--reason <text>', 'why, for the audit trail'),
  ).action(async (id: string, opts: DecisionOptions) => {
    const config = await loadConfig(process.cwd(), opts.config);
    const store = openConfiguredStore(config, opts.store, true);
    const actor = actorName(opts.actor);
    let patch: Patch;
    try {
      const found = await findPatch(store, id);
      patch = await rollbackPatch(config, store, found.id, actor, opts.reason ?? `rolled back by ${actor}`);
      say(yellow(`patch ${patch.id} taken out of the source tree`));
      const live = await sendControl(config.root, { op: 'restart', reason: `rollback of patch ${patch.id}` }, (line) => say(line));
      if (live) say(green('every worker restarted on the code without the patch'));
    } finally {
      await store.close();
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(patch, null, 2)}\n`);
    else process.stdout.write(`${bold(`patch ${patch.id}`)}: rolled back\n`);
  });
}
