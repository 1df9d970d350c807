// Rolls an approved patch out by canary: the canary workers restart on the patched code, and are
// compared with the workers still on the old code over a window of live traffic. A clean window
// promotes the patch (a rolling restart of the rest); a regression takes the patch out of the
// source tree and restarts the canaries on the old code. Every restart starts the replacement
// first and drains the old worker, so neither outcome fails a request.

import type { SutureConfig } from '../config/config.js';
import { recordAudit } from '../deploy/audit.js';
import { evidenceOf, rollbackPatch } from '../deploy/decisions.js';
import { judgeCanary, type CanaryVerdict, type GroupWindow } from '../detect/canary.js';
import type { MetricsSample } from '../model/messages.js';
import type { Patch, Rollout } from '../model/repair.js';
import type { Store } from '../store/store.js';

/** What the rollout needs from the supervisor, and nothing more. */
export interface RolloutHost {
  readonly config: SutureConfig;
  readonly store: Store;
  /** The pid serving each slot now. */
  slotPids(): number[];
  /** Starts a replacement for the slot (it loads the code on disk now) and resolves once it listens; the old worker drains. */
  restartSlot(slot: number, reason: string): Promise<number>;
  /** Metric samples received since `since` (ms epoch), every worker. */
  samplesSince(since: number): MetricsSample[];
  /** Faults per pid since `since`. */
  faultsSince(since: number): Map<number, number>;
  emitEvent(type: 'deploy' | 'rollback', fields: Record<string, unknown>): void;
  /** Asks these workers to close their keep-alive connections for a while, so clients reconnect across every worker. */
  rebalance(pids: readonly number[]): void;
  /** The patch is live everywhere: its incident's shields are no longer needed. */
  liftShields(incident: string, reason: string): Promise<void>;
  /** The supervisor is stopping: give up. */
  readonly stopping: boolean;
}

export type RolloutProgress = (line: string) => void;

const TICK_MS = 1_000;
/** With one worker there is no live baseline: the worker's own last minute on the old code stands in. */
const HISTORY_BASELINE_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCanary(host: RolloutHost, patch: Patch, actor: string, progress: RolloutProgress): Promise<Rollout> {
  const { config, store } = host;
  const limits = config.policy.canary;
  const slots = host.slotPids().length;
  const canarySlots = Array.from({ length: slots > 1 ? Math.min(limits.workers, slots - 1) : 1 }, (_, i) => i);
  const startedAt = new Date().toISOString();
  const before = Date.now();
  const oldPids = host.slotPids();

  await recordAudit(store, {
    action: 'canary-started',
    actor,
    incident: patch.incident,
    patch: patch.id,
    summary: `canary on ${canarySlots.length} of ${slots} worker(s) for at least ${Math.round(limits.windowMs / 1000)} s`,
    evidence: { canarySlots, windowMs: limits.windowMs, maxWindowMs: limits.maxWindowMs, minRequests: limits.minRequests },
  });
  host.emitEvent('deploy', { incident: patch.incident, patch: patch.id, phase: 'canary', workers: canarySlots.length, of: slots });
  progress(`canary: restarting ${canarySlots.length} of ${slots} worker(s) on the patched code`);
  const canaryPids: number[] = [];
  for (const slot of canarySlots) canaryPids.push(await host.restartSlot(slot, `canary for patch ${patch.id}`));
  // Keep-alive clients stay on the workers they first reached: make them reconnect, so the canary gets its share.
  host.rebalance(host.slotPids().filter((pid) => !canaryPids.includes(pid)));
  const windowStart = Date.now();

  let verdict: CanaryVerdict;
  for (;;) {
    await sleep(TICK_MS);
    if (host.stopping) throw new Error('the service is stopping; the canary was abandoned with the patch applied');
    const now = Date.now();
    const current = host.slotPids();
    // A canary restarted (say after a fault) is still a canary: the slot is what counts.
    const canaryNow = new Set([...canaryPids, ...canarySlots.map((s) => current[s]!)]);
    const samples = host.samplesSince(windowStart);
    const faults = host.faultsSince(windowStart);
    const canary: GroupWindow = {
      workers: [...canaryNow],
      samples: samples.filter((s) => canaryNow.has(s.pid)),
      faults: [...canaryNow].reduce((n, pid) => n + (faults.get(pid) ?? 0), 0),
    };
    let baseline: GroupWindow;
    if (slots > 1) {
      const basePids = current.filter((_, slot) => !canarySlots.includes(slot));
      baseline = { workers: basePids, samples: samples.filter((s) => basePids.includes(s.pid)), faults: basePids.reduce((n, pid) => n + (faults.get(pid) ?? 0), 0) };
    } else {
      const history = host.samplesSince(before - HISTORY_BASELINE_MS).filter((s) => oldPids.includes(s.pid) && s.at <= windowStart);
      baseline = { workers: oldPids, samples: history, faults: 0 };
    }
    verdict = judgeCanary(canary, baseline, now - windowStart, limits);
    if (verdict.verdict !== 'wait') break;
    progress(`canary: ${verdict.reason}; ${verdict.canary.requests} canary request(s), ${verdict.canary.errors5xx} 5xx`);
  }

  const finish = (outcome: Rollout['outcome']): Rollout => ({
    outcome,
    reason: verdict.reason,
    startedAt,
    finishedAt: new Date().toISOString(),
    canary: verdict.canary,
    baseline: verdict.baseline,
  });

  if (verdict.verdict === 'promote') {
    progress(`canary passed: ${verdict.reason}; promoting to every worker`);
    host.emitEvent('deploy', { incident: patch.incident, patch: patch.id, phase: 'promote', reason: verdict.reason });
    for (let slot = 0; slot < slots; slot++) {
      if (!canarySlots.includes(slot)) await host.restartSlot(slot, `promoting patch ${patch.id}`);
    }
    const rollout = finish('promoted');
    const latest = (await store.getPatch(patch.id)) ?? patch;
    await store.savePatch({ ...latest, status: 'deployed', rollout });
    await recordAudit(store, { action: 'canary-promoted', actor, incident: patch.incident, patch: patch.id, summary: verdict.reason, evidence: { canary: verdict.canary, baseline: verdict.baseline } });
    await recordAudit(store, {
      action: 'patch-deployed',
      actor,
      incident: patch.incident,
      patch: patch.id,
      summary: `running on all ${slots} worker(s)`,
      evidence: { ...evidenceOf(patch), deployment: latest.deployment ?? null, rollout },
    });
    await host.liftShields(patch.incident, `patch ${patch.id} promoted`);
    host.emitEvent('deploy', { incident: patch.incident, patch: patch.id, phase: 'done', status: 'deployed', seconds: Math.round((Date.now() - before) / 100) / 10 });
    progress(`deployed: patch ${patch.id} runs on all ${slots} worker(s)`);
    return rollout;
  }

  progress(`canary failed: ${verdict.reason}; rolling back`);
  host.emitEvent('rollback', { incident: patch.incident, patch: patch.id, phase: 'start', reason: verdict.reason });
  await recordAudit(store, { action: 'canary-rolled-back', actor, incident: patch.incident, patch: patch.id, summary: verdict.reason, evidence: { canary: verdict.canary, baseline: verdict.baseline } });
  // The old code goes back on disk first, so the canaries' replacements load it.
  await rollbackPatch(config, store, patch.id, actor, `canary verdict: ${verdict.reason}`);
  for (const slot of canarySlots) await host.restartSlot(slot, `rolling back patch ${patch.id}`);
  const rollout = finish('rolled-back');
  const latest = (await store.getPatch(patch.id)) ?? patch;
  await store.savePatch({ ...latest, rollout });
  host.emitEvent('rollback', { incident: patch.incident, patch: patch.id, phase: 'done', reason: verdict.reason, seconds: Math.round((Date.now() - before) / 100) / 10 });
  progress(`rolled back: patch ${patch.id} is out of the source tree and off every worker`);
  return rollout;
}
