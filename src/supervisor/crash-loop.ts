// Decides whether a dead worker is restarted, and after how long. Restarts back off exponentially;
// too many in one window mark the service failing, rather than restarting forever.

export interface CrashLoopPolicy {
  /** Restarts allowed within `windowMs` before the service is marked failing. */
  maxRestarts: number;
  windowMs: number;
  /** First back-off delay; doubles with each restart still inside the window. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_CRASH_LOOP: CrashLoopPolicy = { maxRestarts: 5, windowMs: 30_000, backoffMs: 100, maxBackoffMs: 5_000 };

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; reason: string };

export class CrashLoop {
  private readonly deaths: number[] = [];

  constructor(private readonly policy: CrashLoopPolicy) {}

  /** Records an unexpected worker death at `now` (ms) and says what to do. */
  onDeath(now: number): RestartDecision {
    const since = now - this.policy.windowMs;
    while (this.deaths.length > 0 && this.deaths[0]! < since) this.deaths.shift();
    this.deaths.push(now);
    const recent = this.deaths.length;
    if (recent > this.policy.maxRestarts) {
      return {
        restart: false,
        reason: `${recent} worker deaths within ${Math.round(this.policy.windowMs / 1000)}s (limit ${this.policy.maxRestarts})`,
      };
    }
    const delayMs = Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** (recent - 1));
    return { restart: true, delayMs };
  }

  get recentDeaths(): number {
    return this.deaths.length;
  }
}
