// The supervisor's live shields: raised at an incident's first fault when the policy allows, sent
// to every worker (and to each new one), lifted when they expire or when a patch for their incident
// is promoted. An input filter is tried first; when no filter is safe, the faulting function is
// wrapped in an execution transaction, which takes effect through a rolling restart.

import path from 'node:path';
import type { SutureConfig } from '../config/config.js';
import { recordAudit } from '../deploy/audit.js';
import { describeFilter, learnInputFilter } from '../detect/input-filter.js';
import { AUTOMATIC_ACTOR } from '../model/audit.js';
import type { Incident } from '../model/fault.js';
import type { SupervisorMessage } from '../model/messages.js';
import { routeOf } from '../model/request.js';
import type { Shield, TransactionTarget } from '../model/shield.js';
import type { Store } from '../store/store.js';

export interface ShieldHost {
  readonly config: SutureConfig;
  readonly store: Store;
  broadcast(message: SupervisorMessage): void;
  emitEvent(fields: Record<string, unknown>): void;
  warn(message: string): void;
  /** Restarts every worker, each replacement serving before its predecessor drains. */
  restartAll(reason: string): Promise<unknown>;
}

/** Recorded normal traffic a filter is learned from and checked against. */
const TRAFFIC_CHECKED = 200;
/** How soon a shield refused for want of recorded traffic is tried again (the sensor ships traffic each second). */
const RETRY_MS = 2_000;

export class ShieldBoard {
  private readonly shields = new Map<string, Shield>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly tried = new Set<string>();

  constructor(private readonly host: ShieldHost) {}

  /** Shields up now, for the settings of a worker about to start. */
  active(): Shield[] {
    return [...this.shields.values()];
  }

  /** Raises the first safe shield for an incident, once per incident. */
  async raiseFor(incident: Incident): Promise<Shield | null> {
    if (this.tried.has(incident.id)) return null;
    this.tried.add(incident.id);
    const { store, config } = this.host;
    const route = incident.requests[0] ? routeOf(incident.requests[0].method, incident.requests[0].url) : null;
    const normal = route ? await store.trafficFor(route, TRAFFIC_CHECKED) : [];
    const learned = learnInputFilter(incident.requests, normal);
    const now = Date.now();
    const base = { incident: incident.id, raisedAt: new Date(now).toISOString(), expiresAt: new Date(now + config.policy.shieldTtlMs).toISOString() };
    if ('filter' in learned) {
      const shield: Shield = { id: `${incident.id}-filter`, kind: 'input-filter', description: `refuse ${describeFilter(learned.filter)}`, filter: learned.filter, ...base };
      this.up(shield, { checkedAgainst: learned.checked, route: learned.filter.route, predicates: learned.filter.predicates });
      return shield;
    }
    this.host.emitEvent({ incident: incident.id, action: 'refused', kind: 'input-filter', reason: learned.refused });
    const transaction = await transactionFor(config, incident);
    if ('refused' in transaction) {
      this.host.emitEvent({ incident: incident.id, action: 'refused', kind: 'transaction', reason: transaction.refused });
      // Normal traffic may yet be recorded on the route: try the filter again at a later fault.
      if (learned.refused.startsWith('no recorded normal traffic')) setTimeout(() => this.tried.delete(incident.id), RETRY_MS).unref();
      return null;
    }
    const shield: Shield = {
      id: `${incident.id}-transaction`,
      kind: 'transaction',
      description: `${transaction.description} (execution transaction, no file changed)`,
      transaction: transaction.target,
      ...base,
    };
    this.up(shield, { filterRefused: learned.refused, file: path.relative(config.root, transaction.target.file), fn: transaction.target.fn, line: transaction.target.line });
    // Module code is loaded once: the wrapped function takes effect in workers started from now on.
    await this.restartAll(`activating shield ${shield.id}`);
    return shield;
  }

  private up(shield: Shield, evidence: Record<string, unknown>): void {
    this.shields.set(shield.id, shield);
    if (shield.kind === 'input-filter') this.host.broadcast({ suture: 'shield', shield });
    const ttl = Date.parse(shield.expiresAt) - Date.now();
    const timer = setTimeout(() => {
      this.lift(shield.id, 'expired (policy.shieldTtlMs)').catch((err: unknown) => this.host.warn(`lifting shield ${shield.id}: ${(err as Error).message}`));
    }, ttl);
    timer.unref();
    this.timers.set(shield.id, timer);
    this.host.emitEvent({ incident: shield.incident, action: 'raise', kind: shield.kind, shield: shield.id, description: shield.description, expiresAt: shield.expiresAt });
    void recordAudit(this.host.store, {
      action: 'shield-raised',
      actor: AUTOMATIC_ACTOR,
      incident: shield.incident,
      summary: shield.description,
      evidence: { shield: shield.id, kind: shield.kind, expiresAt: shield.expiresAt, ...evidence },
    }, (line) => this.host.warn(line));
  }

  async lift(id: string, reason: string, actor = AUTOMATIC_ACTOR): Promise<boolean> {
    const shield = this.shields.get(id);
    if (!shield) return false;
    this.shields.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (shield.kind === 'input-filter') this.host.broadcast({ suture: 'shield-lift', id });
    this.host.emitEvent({ incident: shield.incident, action: 'lift', kind: shield.kind, shield: id, reason });
    await recordAudit(this.host.store, { action: 'shield-lifted', actor, incident: shield.incident, summary: `${shield.description}: lifted, ${reason}`, evidence: { shield: id, kind: shield.kind, reason } }, (line) =>
      this.host.warn(line),
    );
    // A transaction lives in the loaded code: only restarted workers are free of it.
    if (shield.kind === 'transaction') await this.restartAll(`lifting shield ${id}`);
    return true;
  }

  /** Lifts every shield of an incident (its patch was promoted). */
  async liftFor(incident: string, reason: string, actor = AUTOMATIC_ACTOR): Promise<void> {
    for (const shield of [...this.shields.values()]) if (shield.incident === incident) await this.lift(shield.id, reason, actor);
  }

  /** A restart cut short (the service is stopping) is reported, never thrown into a timer. */
  private async restartAll(reason: string): Promise<void> {
    try {
      await this.host.restartAll(reason);
    } catch (err) {
      this.host.warn(`${reason}: ${(err as Error).message}`);
    }
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/**
 * A function on the fault's stack wrapped so that a throw inside it answers 4xx at the handler:
 * the error-virtualisation repair, served at module load instead of written. Only wraps that refuse
 * the request are used: one that returns a made-up value would accept the faulting input (an order
 * placed with shipping 0), and nothing has validated that.
 */
async function transactionFor(config: SutureConfig, incident: Incident): Promise<{ target: TransactionTarget; description: string } | { refused: string }> {
  const frames = incident.frames.filter((f) => f.app);
  if (frames.length === 0) return { refused: 'no application frame in the stack to wrap' };
  const loadable = frames.filter((f) => /\.(c|m)?js$/.test(f.file));
  if (loadable.length === 0) return { refused: `${path.basename(frames[0]!.file)} is compiled before it runs; a transaction wraps only code Node loads as written` };
  // TypeScript's parser is heavy: loaded only when a transaction is built, never in a worker.
  const [{ generateCandidates, repairContext }, { errorVirtualisation }, fs] = await Promise.all([
    import('../repair/candidates.js'),
    import('../repair/generators/error-virtualisation.js'),
    import('node:fs'),
  ]);
  const ctx = repairContext({ root: config.root, incident, ranking: [], normal: [], sources: config.sources });
  const files = new Set(loadable.map((f) => f.file));
  const refusing = generateCandidates(ctx, [errorVirtualisation]).filter((c) => {
    const edited = new Set(c.edits.map((e) => path.resolve(config.root, e.file)));
    return edited.size === 1 && files.has([...edited][0]!) && /^answer 4\d\d\b/.test(c.description);
  });
  const best = refusing.sort((a, b) => a.distance - b.distance)[0];
  if (!best) return { refused: 'no function on the stack has the request\'s response in scope to answer 4xx from; a wrap that returns a made-up value is not raised unvalidated' };
  const file = path.resolve(config.root, best.edits[0]!.file);
  const frame = loadable.find((f) => f.file === file)!;
  let source = fs.readFileSync(file, 'utf8');
  for (const edit of [...best.edits].sort((a, b) => b.start - a.start)) source = source.slice(0, edit.start) + edit.text + source.slice(edit.end);
  return { target: { file, fn: frame.fn ?? '<anonymous>', line: frame.line, source }, description: best.description };
}
