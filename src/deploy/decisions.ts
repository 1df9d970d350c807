// Approve, reject and roll back a patch: the decisions a person (or Suture, under `policy.mode:
// auto`) takes on a validated patch. Each one changes the patch's status, leaves an audit entry
// with its evidence, and, for approve and rollback, changes the source tree and rebuilds.

import os from 'node:os';
import path from 'node:path';
import { buildCommand, type SutureConfig } from '../config/config.js';
import { AUTOMATIC_ACTOR } from '../model/audit.js';
import type { Incident } from '../model/fault.js';
import type { Deployment, Patch } from '../model/repair.js';
import type { Store } from '../store/store.js';
import { runCommand } from '../validate/shell.js';
import { applyPatch, DeployError, revertPatch } from './apply.js';
import { recordAudit } from './audit.js';
import { judgePatch } from './policy.js';

const BUILD_TIMEOUT_MS = 10 * 60_000;

/** The person acting: `--actor`, else SUTURE_ACTOR, else the login name. */
export function actorName(flag?: string): string {
  if (flag) return flag;
  if (process.env.SUTURE_ACTOR) return process.env.SUTURE_ACTOR;
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown user';
  }
}

async function patchOrFail(store: Store, id: string): Promise<Patch> {
  const patch = await store.getPatch(id);
  if (!patch) throw new DeployError(`no patch ${id}; \`suture patches\` lists them`);
  return patch;
}

/** The validation evidence in a form both a commit message and an audit entry can carry. */
export function evidenceOf(patch: Patch): Record<string, unknown> {
  const v = patch.validation;
  return {
    kind: patch.candidate.kind,
    description: patch.candidate.description,
    diffLines: patch.candidate.diffLines,
    tests: v.tests.ok ? (v.tests.baselineRed ? 'no new failure (suite already red)' : 'passed') : 'failed',
    trigger: v.trigger.statuses,
    earlier: `${v.earlier.total - v.earlier.failed}/${v.earlier.total}`,
    traffic: `${v.behaviour.preserved}/${v.behaviour.total} unchanged`,
    variants: `${v.variants.total - v.variants.failed}/${v.variants.total}`,
    mutationScore: v.mutationScore ? { score: v.mutationScore.score, killed: v.mutationScore.killed, mutants: v.mutationScore.mutants, weak: v.mutationScore.weak } : null,
  };
}

export function commitMessage(patch: Patch, incident: Incident | undefined, actor: string): string {
  const v = patch.validation;
  const where = incident?.location ? ` at ${incident.location.file.startsWith('/') ? path.basename(incident.location.file) : incident.location.file}:${incident.location.line}` : '';
  const lines = [
    `suture: ${patch.candidate.description} (incident ${patch.incident})`,
    '',
    incident
      ? `Incident ${incident.id}: ${incident.errorClass}: ${incident.messagePattern}${where}, ${incident.count} fault(s) since ${incident.firstSeen}.`
      : `Incident ${patch.incident}.`,
    `Patch ${patch.id} (${patch.candidate.kind}), ${patch.candidate.diffLines} line(s) changed.`,
    '',
    'Validated in a sandbox:',
    `- project tests: ${v.tests.ok ? (v.tests.baselineRed ? 'no new failure (the suite was already red)' : 'passed') : 'FAILED'}`,
    `- triggering request(s) answered: ${v.trigger.statuses.join(', ') || 'none'}`,
    `- earlier faulting inputs: ${v.earlier.total - v.earlier.failed}/${v.earlier.total} no longer fault`,
    `- recorded normal traffic: ${v.behaviour.preserved}/${v.behaviour.total} responses unchanged`,
    `- input variants: ${v.variants.total - v.variants.failed}/${v.variants.total} without a fault`,
  ];
  if (v.mutationScore) {
    const ms = v.mutationScore;
    lines.push(`- mutation score of the tests on the patched lines: ${ms.score === null ? 'n/a' : `${ms.score}%`} (${ms.killed}/${ms.mutants} killed)${ms.weak ? ' WEAK' : ''}`);
  }
  lines.push('', `Approved by ${actor === AUTOMATIC_ACTOR ? 'Suture (policy.mode auto)' : actor}.`);
  return `${lines.join('\n')}\n`;
}

async function rebuild(config: SutureConfig): Promise<void> {
  const build = buildCommand(config);
  if (build === null) return;
  const result = await runCommand(build, config.root, BUILD_TIMEOUT_MS);
  if (!result.ok) {
    const last = result.output.trim().split('\n').slice(-1)[0] ?? '';
    throw new DeployError(`the build (${build}) failed${result.timedOut ? ' (timed out)' : ''}: ${last}`);
  }
}

export interface Approval {
  patch: Patch;
  deployment: Deployment;
}

/**
 * Applies a proposed patch inside the policy's limits and rebuilds. A build that fails takes the
 * patch out again. The patch is then `approved`: in the source tree, not yet rolled out.
 */
export async function approvePatch(config: SutureConfig, store: Store, id: string, actor: string): Promise<Approval> {
  const patch = await patchOrFail(store, id);
  if (patch.status !== 'proposed') throw new DeployError(`patch ${id} is ${patch.status}, not proposed; only a proposed patch can be approved`);
  const verdict = judgePatch(patch, config.policy, config.sources);
  if (!verdict.allowed) throw new DeployError(`patch ${id} is outside the policy: ${verdict.reasons.join('; ')}; it stays proposed`);
  const incident = await store.getIncident(patch.incident);
  const deployment = applyPatch(config.root, patch, commitMessage(patch, incident, actor), actor);
  try {
    await rebuild(config);
  } catch (err) {
    revertPatch(config.root, patch, deployment, `suture: take out patch ${id}, whose build failed\n`, actor);
    throw err;
  }
  const approved: Patch = { ...patch, status: 'approved', deployment, decidedBy: { actor, at: new Date().toISOString(), action: 'approve' } };
  await store.savePatch(approved);
  await recordAudit(store, {
    action: 'patch-approved',
    actor,
    incident: patch.incident,
    patch: id,
    summary: deployment.mode === 'git' ? `applied on branch ${deployment.branch} as ${deployment.commit?.slice(0, 12)}` : `applied in place to ${deployment.files.join(', ')}`,
    evidence: { ...evidenceOf(patch), deployment },
  });
  return { patch: approved, deployment };
}

export async function rejectPatch(store: Store, id: string, actor: string, reason?: string): Promise<Patch> {
  const patch = await patchOrFail(store, id);
  if (patch.status !== 'proposed') throw new DeployError(`patch ${id} is ${patch.status}, not proposed; ${patch.status === 'approved' || patch.status === 'deployed' ? `use \`suture rollback ${id}\`` : 'nothing to reject'}`);
  const rejected: Patch = { ...patch, status: 'rejected', decidedBy: { actor, at: new Date().toISOString(), action: 'reject' } };
  await store.savePatch(rejected);
  await recordAudit(store, {
    action: 'patch-rejected',
    actor,
    incident: patch.incident,
    patch: id,
    summary: reason ? `rejected: ${reason}` : 'rejected',
    evidence: { ...evidenceOf(patch), reason: reason ?? null },
  });
  return rejected;
}

/** Takes an approved or deployed patch out of the source tree and rebuilds. */
export async function rollbackPatch(config: SutureConfig, store: Store, id: string, actor: string, reason: string): Promise<Patch> {
  const patch = await patchOrFail(store, id);
  if (patch.status !== 'approved' && patch.status !== 'deployed') {
    throw new DeployError(`patch ${id} is ${patch.status}; only an approved or deployed patch can be rolled back`);
  }
  if (!patch.deployment) throw new DeployError(`patch ${id} has no record of how it was applied; take it out by hand`);
  const reverted = revertPatch(config.root, patch, patch.deployment, `suture: roll back patch ${id} (incident ${patch.incident})\n\n${reason}\nRolled back by ${actor}.\n`, actor);
  await rebuild(config);
  const rolledBack: Patch = { ...patch, status: 'rolled-back', decidedBy: { actor, at: new Date().toISOString(), action: 'rollback' } };
  await store.savePatch(rolledBack);
  await recordAudit(store, {
    action: 'patch-rolled-back',
    actor,
    incident: patch.incident,
    patch: id,
    summary: reverted.alreadyOut ? `rolled back (the patch was already out of the working tree): ${reason}` : `rolled back: ${reason}`,
    evidence: { reason, deployment: patch.deployment, revertCommit: reverted.commit ?? null, alreadyOut: reverted.alreadyOut ?? false },
  });
  return rolledBack;
}
