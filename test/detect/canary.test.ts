// The canary's statistics and verdicts as pure functions over metric samples: the binomial tail and
// the Mann-Whitney test against values worked out by hand or by SciPy, and judgeCanary promoting a
// clean canary, waiting for its window, and rolling back each kind of regression but not noise.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binomialUpperTail, heapSlope, judgeCanary, mannWhitneyGreater, quantile, summarise, type CanaryLimits, type GroupWindow } from '../../src/detect/canary.js';
import type { MetricsSample } from '../../src/model/messages.js';

const close = (actual: number, expected: number, tolerance: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);

const T0 = 1_700_000_000_000;
const MiB = 1024 * 1024;

/** One second of one worker's metrics, as the sensor reports it. */
function sample(pid: number, second: number, fields: Partial<MetricsSample> = {}): MetricsSample {
  return {
    pid,
    at: T0 + second * 1000,
    loopDelayMeanMs: 1,
    loopDelayP99Ms: 5,
    loopDelayMaxMs: 8,
    heapUsed: 20 * MiB,
    heapTotal: 40 * MiB,
    rss: 80 * MiB,
    gcCount: 0,
    gcMs: 0,
    requests: 0,
    errors5xx: 0,
    inFlight: 0,
    latencies: [],
    ...fields,
  };
}

/** Latencies around `median` ms with a small deterministic spread (±20%). */
function latencies(count: number, median: number, seed = 0): number[] {
  return Array.from({ length: count }, (_, i) => median * (0.8 + (((i + seed) * 7919) % 41) / 100));
}

interface GroupOptions {
  pid?: number;
  seconds?: number;
  requestsPerSecond?: number;
  latencyMs?: number;
  /** 5xx answers over the whole window, one per second from the first until used up. */
  errors5xx?: number;
  faults?: number;
  /** Heap growth in bytes per second. */
  heapGrowth?: number;
}

/** A group of one worker with a sample each second of `seconds`. */
function group(o: GroupOptions = {}): GroupWindow {
  const pid = o.pid ?? 100;
  const seconds = o.seconds ?? 10;
  const perSecond = o.requestsPerSecond ?? 20;
  let errorsLeft = o.errors5xx ?? 0;
  const samples = Array.from({ length: seconds }, (_, s) => {
    const errors = Math.min(errorsLeft, perSecond);
    errorsLeft -= errors;
    return sample(pid, s + 1, {
      requests: perSecond,
      errors5xx: errors,
      latencies: latencies(perSecond, o.latencyMs ?? 5, s * pid),
      heapUsed: 20 * MiB + (o.heapGrowth ?? 0) * (s + 1),
    });
  });
  return { workers: [pid], samples, faults: o.faults ?? 0 };
}

const LIMITS: CanaryLimits = { windowMs: 10_000, maxWindowMs: 60_000, minRequests: 50 };
const canary = (o: GroupOptions = {}) => group({ pid: 1, ...o });
const baseline = (o: GroupOptions = {}) => group({ pid: 2, ...o });

describe('binomialUpperTail', () => {
  test('matches closed forms: P(X ≥ 1) = 1 - q^n, P(X ≥ n) = p^n, a symmetric tail', () => {
    close(binomialUpperTail(1, 10, 0.1), 1 - 0.9 ** 10, 1e-12, 'P(X≥1 | 10, 0.1)');
    close(binomialUpperTail(1, 1000, 0.001), 1 - 0.999 ** 1000, 1e-10, 'P(X≥1 | 1000, 0.001)');
    close(binomialUpperTail(5, 5, 0.5), 1 / 32, 1e-12, 'P(X≥5 | 5, 0.5)');
    // 1 - (C(10,0) + C(10,1) + C(10,2)) / 2^10
    close(binomialUpperTail(3, 10, 0.5), 1 - 56 / 1024, 1e-12, 'P(X≥3 | 10, 0.5)');
    close(binomialUpperTail(6, 10, 0.5), 386 / 1024, 1e-12, 'P(X≥6 | 10, 0.5)');
  });

  test('matches SciPy (binom.sf) in the rates a canary meets', () => {
    // binom.sf(k - 1, n, p) in SciPy 1.17
    close(binomialUpperTail(3, 200, 1 / 202), 0.07803196743353678, 1e-10, 'P(X≥3 | 200, 1/202)');
    close(binomialUpperTail(5, 200, 1 / 202), 0.003400073441074346, 1e-11, 'P(X≥5 | 200, 1/202)');
    close(binomialUpperTail(30, 1000, 0.02), 0.02069651867323949, 1e-10, 'P(X≥30 | 1000, 0.02)');
    const tiny = binomialUpperTail(20, 200, 1 / 202);
    close(tiny / 5.39128354219089e-20, 1, 1e-6, 'relative error of P(X≥20 | 200, 1/202)');
    close(binomialUpperTail(2, 10_000, 1e-6) / 4.966301258705844e-5, 1, 1e-6, 'relative error of P(X≥2 | 10000, 1e-6)');
  });

  test('edges: k ≤ 0 is certain, k > n impossible, p of 0 or 1, and never above 1', () => {
    assert.equal(binomialUpperTail(0, 10, 0.3), 1);
    assert.equal(binomialUpperTail(-1, 10, 0.3), 1);
    assert.equal(binomialUpperTail(11, 10, 0.3), 0);
    assert.equal(binomialUpperTail(1, 0, 0.3), 0);
    assert.equal(binomialUpperTail(1, 10, 0), 0);
    assert.equal(binomialUpperTail(10, 10, 1), 1);
    for (const [k, n, p] of [[1, 5000, 0.9], [1, 50, 0.999], [2, 3, 0.5]] as const) {
      const v = binomialUpperTail(k, n, p);
      assert.ok(v >= 0 && v <= 1, `P(X≥${k} | ${n}, ${p}) = ${v}`);
    }
  });
});

describe('mannWhitneyGreater', () => {
  test('a clearly larger sample gives p < 0.01; the same test the other way round gives p near 1', () => {
    const small = Array.from({ length: 30 }, (_, i) => 5 + (i % 7) * 0.1);
    const large = Array.from({ length: 30 }, (_, i) => 50 + (i % 7));
    assert.ok(mannWhitneyGreater(large, small) < 0.01);
    assert.ok(mannWhitneyGreater(small, large) > 0.99);
  });

  test('the same distribution gives p > 0.05', () => {
    const a = latencies(100, 5, 0);
    const b = latencies(100, 5, 13);
    assert.ok(mannWhitneyGreater(a, b) > 0.05, String(mannWhitneyGreater(a, b)));
    assert.ok(mannWhitneyGreater(a, [...a]) > 0.05);
  });

  test('ties get mid-ranks and the tie-corrected variance (SciPy mannwhitneyu, asymptotic, continuity)', () => {
    const a = [3, 4, 4, 5, 6, 6, 6, 8, 9, 9];
    const b = [1, 2, 2, 3, 4, 4, 5, 5, 6, 7];
    close(mannWhitneyGreater(a, b), 0.0257381343168628, 1e-6, 'p(a > b)');
    close(mannWhitneyGreater(b, a), 0.9785077195493883, 1e-6, 'p(b > a)');
    close(mannWhitneyGreater([1, 1, 2, 2, 2, 3], [1, 2, 2, 3, 3, 3, 3]), 0.9261134606790908, 1e-6, 'p with heavy ties');
  });

  test('all values tied, or an empty sample, is no evidence at all: p = 1', () => {
    assert.equal(mannWhitneyGreater([5, 5, 5], [5, 5, 5, 5]), 1);
    assert.equal(mannWhitneyGreater([], [1, 2, 3]), 1);
    assert.equal(mannWhitneyGreater([1, 2, 3], []), 1);
  });
});

describe('quantile, heapSlope and summarise', () => {
  test('quantile picks from the sorted values; none gives null', () => {
    assert.equal(quantile([], 0.5), null);
    assert.equal(quantile([3, 1, 2], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99), 10);
  });

  test('heapSlope is bytes per second by least squares; fewer than three points is null', () => {
    const growing = [0, 1, 2, 3, 4].map((s) => sample(1, s, { heapUsed: 10 * MiB + s * 2 * MiB }));
    close(heapSlope(growing)!, 2 * MiB, 1e-6);
    assert.equal(heapSlope(growing.slice(0, 2)), null);
    assert.equal(heapSlope([sample(1, 0), sample(1, 0), sample(1, 0)]), null, 'three samples at one instant have no slope');
  });

  test('summarise adds requests, 5xx and faults over the window and takes the worst worker heap slope', () => {
    const two: GroupWindow = {
      workers: [1, 2],
      samples: [0, 1, 2, 3].flatMap((s) => [
        sample(1, s, { requests: 10, errors5xx: 1, latencies: [4, 6], heapUsed: 10 * MiB }),
        sample(2, s, { requests: 5, latencies: [5], heapUsed: 10 * MiB + s * MiB }),
      ]),
      faults: 2,
    };
    const stats = summarise(two);
    assert.equal(stats.requests, 60);
    assert.equal(stats.errors5xx, 4);
    assert.equal(stats.faults, 2);
    assert.equal(stats.latencyP50Ms, 5);
    close(stats.heapSlope!, MiB, 1e-6);
  });
});

describe('judgeCanary', () => {
  test('promotes a clean canary once the window is over and it has answered enough requests', () => {
    const v = judgeCanary(canary(), baseline(), 10_000, LIMITS);
    assert.equal(v.verdict, 'promote', v.reason);
    assert.equal(v.canary.requests, 200);
    assert.equal(v.baseline.requests, 200);
    assert.match(v.reason, /no regression over 10 s: 200 canary requests, 0 errors/);
  });

  test('waits while the window is still open, however clean the canary', () => {
    const v = judgeCanary(canary({ seconds: 5 }), baseline({ seconds: 5 }), 5_000, LIMITS);
    assert.equal(v.verdict, 'wait');
    assert.match(v.reason, /window 5\/10 s/);
  });

  test('rolls back a canary answering significantly more 5xx than its baseline, before the window is over', () => {
    const v = judgeCanary(canary({ seconds: 3, errors5xx: 10 }), baseline({ seconds: 3 }), 3_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /^error rate: canary 10\/60 5xx or faults against baseline 0\/60 \(binomial p=/);
  });

  test('does not roll back a single 5xx among many requests against a clean baseline', () => {
    const v = judgeCanary(canary({ errors5xx: 1 }), baseline(), 10_000, LIMITS);
    assert.equal(v.verdict, 'promote', v.reason);
    // Nor a few, when the baseline fails at the same rate.
    const same = judgeCanary(canary({ errors5xx: 4 }), baseline({ errors5xx: 4 }), 10_000, LIMITS);
    assert.equal(same.verdict, 'promote', same.reason);
  });

  test('rolls back a canary whose faults stand out, even with few requests', () => {
    const v = judgeCanary(canary({ seconds: 2, requestsPerSecond: 5, faults: 3 }), baseline({ seconds: 2 }), 2_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /error rate: canary 3\/10 5xx or faults/);
  });

  test('counts faults beyond the requests answered (a worker that died mid-request)', () => {
    const v = judgeCanary({ workers: [1], samples: [], faults: 4 }, baseline(), 1_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /canary 4\/4 5xx or faults/);
  });

  test('rolls back a canary 10x slower than its baseline', () => {
    const v = judgeCanary(canary({ seconds: 2, latencyMs: 50 }), baseline({ seconds: 2, latencyMs: 5 }), 2_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /^latency: canary p50 [45]\d\.\d ms \/ p99 [\d.]+ ms against baseline p50 5\.0 ms/);
  });

  test('lets a canary 1.1x slower through: significant, but under the practical floor', () => {
    const v = judgeCanary(canary({ latencyMs: 5.5 }), baseline({ latencyMs: 5 }), 10_000, LIMITS);
    assert.ok(mannWhitneyGreater(canary({ latencyMs: 5.5 }).samples.flatMap((s) => s.latencies), baseline().samples.flatMap((s) => s.latencies)) < 0.01, 'the test alone would call it slower');
    assert.equal(v.verdict, 'promote', v.reason);
  });

  test('lets a fresh canary a fraction of a millisecond slower through, even at 1.6x', () => {
    // Measured in bench/rollout: a good patch's canary at p50 0.8 ms against a warm baseline at 0.5 ms.
    const v = judgeCanary(canary({ latencyMs: 0.8 }), baseline({ latencyMs: 0.5 }), 10_000, LIMITS);
    assert.equal(v.verdict, 'promote', v.reason);
    const slow = judgeCanary(canary({ latencyMs: 3 }), baseline({ latencyMs: 0.5 }), 10_000, LIMITS);
    assert.equal(slow.verdict, 'rollback', 'but 2.5 ms slower is a regression');
    assert.match(slow.reason, /^latency/);
  });

  test('judges latency only on 20 or more durations a side', () => {
    const v = judgeCanary(canary({ seconds: 1, requestsPerSecond: 19, latencyMs: 100 }), baseline({ seconds: 1 }), 1_000, LIMITS);
    assert.equal(v.verdict, 'wait', v.reason);
  });

  test('rolls back a canary whose event-loop delay is far above the baseline', () => {
    const slowLoop = canary();
    for (const s of slowLoop.samples) s.loopDelayP99Ms = 80;
    const v = judgeCanary(slowLoop, baseline(), 5_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /^event-loop delay: canary p99 80\.0 ms against baseline 5\.0 ms/);
  });

  test('waits for traffic up to maxWindowMs, then rolls back for too little of it', () => {
    const quiet = () => canary({ seconds: 10, requestsPerSecond: 1 });
    const waiting = judgeCanary(quiet(), baseline(), 30_000, LIMITS);
    assert.equal(waiting.verdict, 'wait');
    assert.match(waiting.reason, /canary has answered 10\/50 requests/);
    const v = judgeCanary(quiet(), baseline(), 60_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /too little traffic to judge: the canary answered 10 request\(s\) in 60 s, fewer than policy.canary.minRequests \(50\)/);
  });

  test('a canary with no samples at all is rolled back for too little traffic, not a crash', () => {
    const v = judgeCanary({ workers: [1], samples: [], faults: 0 }, baseline(), 60_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /too little traffic/);
  });

  test('judges the heap slope only on windows of 20 s or more, and then on their second half', () => {
    // 3 MiB/s of growth over 30 s against a flat baseline.
    const leaking = () => canary({ seconds: 30, heapGrowth: 3 * MiB });
    const short = judgeCanary(canary({ seconds: 15, heapGrowth: 3 * MiB }), baseline({ seconds: 15 }), 15_000, LIMITS);
    assert.equal(short.verdict, 'promote', `a 15 s window is not judged on its heap: ${short.reason}`);
    const v = judgeCanary(leaking(), baseline({ seconds: 30 }), 30_000, LIMITS);
    assert.equal(v.verdict, 'rollback');
    assert.match(v.reason, /^heap: canary grows 3\.0 MiB\/s against baseline 0\.0 MiB\/s/);

    // A canary warming up (fast growth in its first half only) is not a leak.
    const warming = canary({ seconds: 30 });
    warming.samples.forEach((s, i) => (s.heapUsed = 20 * MiB + Math.min(i, 14) * 3 * MiB));
    const warm = judgeCanary(warming, baseline({ seconds: 30 }), 30_000, LIMITS);
    assert.equal(warm.verdict, 'promote', warm.reason);

    // Nor is growth the baseline shows as well.
    const both = judgeCanary(leaking(), baseline({ seconds: 30, heapGrowth: 3 * MiB }), 30_000, LIMITS);
    assert.equal(both.verdict, 'promote', both.reason);
  });
});
