// Judges a canary: workers on the patched code against the workers still on the old code, over the
// same window of live traffic. Pure functions over metric samples; the supervisor collects them.
//
// Each signal gets a one-sided test (is the canary worse?) and a practical floor (worse by enough
// to matter), so noise does not roll back a good patch and a real regression is not waved through:
// - 5xx and faults: binomial tail of the canary's error count under the baseline's error rate;
// - latency: Mann-Whitney U on per-request durations, and a median at least 1.5x and 2 ms above the
//   baseline's (a fresh process answers a fraction of a millisecond slower while its code warms up);
// - event-loop delay: Mann-Whitney U on per-second p99s, at least 1.5x and 20 ms worse;
// - heap: least-squares slope over the second half of a window of 20 s or more (a fresh process
//   grows while it warms up), over 1 MiB/s faster than the baseline's.

import type { MetricsSample } from '../model/messages.js';
import type { WindowStats } from '../model/repair.js';

export const SIGNIFICANCE = 0.01;
const LATENCY_RATIO = 1.5;
const LATENCY_FLOOR_MS = 2;
const LOOP_RATIO = 1.5;
const LOOP_FLOOR_MS = 20;
const HEAP_SLOPE_MARGIN = 1024 * 1024;
const HEAP_MIN_WINDOW_MS = 20_000;

export interface GroupWindow {
  workers: number[];
  samples: MetricsSample[];
  /** Faults raised by these workers during the window. */
  faults: number;
}

export interface CanaryVerdict {
  verdict: 'promote' | 'rollback' | 'wait';
  reason: string;
  canary: WindowStats;
  baseline: WindowStats;
}

export interface CanaryLimits {
  windowMs: number;
  maxWindowMs: number;
  minRequests: number;
}

/** ln Γ(x), Lanczos approximation: enough for binomial coefficients of request counts. */
function logGamma(x: number): number {
  const g = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  for (let i = 0; i < 8; i++) a += g[i]! / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let sum = 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let i = k; i <= n; i++) {
    sum += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * lp + (n - i) * lq);
  }
  return Math.min(1, sum);
}

/** Standard normal upper tail. */
function normalUpperTail(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erfc.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** One-sided Mann-Whitney U: the p-value for "values in `a` tend to be larger than in `b`" (normal approximation, tie-corrected). */
export function mannWhitneyGreater(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return 1;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2;
    const ties = j - i + 1;
    if (ties > 1) tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (u - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  return normalUpperTail(z);
}

export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Least-squares slope of heap used over time, bytes per second; null with fewer than 3 points. */
export function heapSlope(samples: readonly MetricsSample[]): number | null {
  if (samples.length < 3) return null;
  const t0 = samples[0]!.at;
  const xs = samples.map((s) => (s.at - t0) / 1000);
  const ys = samples.map((s) => s.heapUsed);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

function perWorkerSlope(group: GroupWindow): number | null {
  const slopes = group.workers.map((pid) => heapSlope(group.samples.filter((s) => s.pid === pid))).filter((s): s is number => s !== null);
  return slopes.length === 0 ? null : Math.max(...slopes);
}

export function summarise(group: GroupWindow): WindowStats {
  const latencies = group.samples.flatMap((s) => s.latencies ?? []);
  return {
    workers: group.workers,
    requests: group.samples.reduce((n, s) => n + s.requests, 0),
    errors5xx: group.samples.reduce((n, s) => n + s.errors5xx, 0),
    faults: group.faults,
    latencyP50Ms: quantile(latencies, 0.5),
    latencyP99Ms: quantile(latencies, 0.99),
    loopDelayP99Ms: quantile(group.samples.map((s) => s.loopDelayP99Ms), 0.5),
    heapSlope: perWorkerSlope(group),
  };
}

const ms = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

/** The canary's verdict so far: roll back at the first significant regression, promote once the window is full and clean. */
export function judgeCanary(canaryGroup: GroupWindow, baselineGroup: GroupWindow, elapsedMs: number, limits: CanaryLimits): CanaryVerdict {
  const canary = summarise(canaryGroup);
  const baseline = summarise(baselineGroup);
  const out = (verdict: CanaryVerdict['verdict'], reason: string): CanaryVerdict => ({ verdict, reason, canary, baseline });

  // Errors: 5xx answers and faults, against the baseline's rate (with one error of prior, so a clean baseline is not a rate of zero).
  // A fault whose request was answered 500 is in both counts: count it once.
  const canaryErrors = Math.max(canary.errors5xx, canary.faults);
  const baselineErrors = Math.max(baseline.errors5xx, baseline.faults);
  if (canaryErrors > 0) {
    const n = Math.max(canary.requests, canaryErrors);
    const rate = (baselineErrors + 1) / (baseline.requests + 2);
    const p = binomialUpperTail(canaryErrors, n, rate);
    if (p < SIGNIFICANCE) {
      return out('rollback', `error rate: canary ${canaryErrors}/${n} 5xx or faults against baseline ${baselineErrors}/${baseline.requests} (binomial p=${p.toExponential(1)})`);
    }
  }
  const canaryLat = canaryGroup.samples.flatMap((s) => s.latencies ?? []);
  const baseLat = baselineGroup.samples.flatMap((s) => s.latencies ?? []);
  if (canaryLat.length >= 20 && baseLat.length >= 20 && canary.latencyP50Ms !== null && baseline.latencyP50Ms !== null) {
    const p = mannWhitneyGreater(canaryLat, baseLat);
    if (p < SIGNIFICANCE && canary.latencyP50Ms > baseline.latencyP50Ms * LATENCY_RATIO && canary.latencyP50Ms - baseline.latencyP50Ms > LATENCY_FLOOR_MS) {
      return out('rollback', `latency: canary p50 ${ms(canary.latencyP50Ms)} / p99 ${ms(canary.latencyP99Ms)} against baseline p50 ${ms(baseline.latencyP50Ms)} / p99 ${ms(baseline.latencyP99Ms)} (Mann-Whitney p=${p.toExponential(1)})`);
    }
  }
  const canaryLoop = canaryGroup.samples.map((s) => s.loopDelayP99Ms);
  const baseLoop = baselineGroup.samples.map((s) => s.loopDelayP99Ms);
  if (canaryLoop.length >= 5 && baseLoop.length >= 5 && canary.loopDelayP99Ms !== null && baseline.loopDelayP99Ms !== null) {
    const p = mannWhitneyGreater(canaryLoop, baseLoop);
    if (p < SIGNIFICANCE && canary.loopDelayP99Ms > baseline.loopDelayP99Ms * LOOP_RATIO && canary.loopDelayP99Ms - baseline.loopDelayP99Ms > LOOP_FLOOR_MS) {
      return out('rollback', `event-loop delay: canary p99 ${ms(canary.loopDelayP99Ms)} against baseline ${ms(baseline.loopDelayP99Ms)} (Mann-Whitney p=${p.toExponential(1)})`);
    }
  }
  if (elapsedMs < limits.windowMs) return out('wait', `window ${Math.round(elapsedMs / 1000)}/${Math.round(limits.windowMs / 1000)} s`);
  // A fresh process's heap grows while it warms up: judge the slope only on the second half of a long enough window.
  const settledSlope = elapsedMs >= HEAP_MIN_WINDOW_MS ? perWorkerSlope({ ...canaryGroup, samples: canaryGroup.samples.filter((s) => s.at >= canaryGroup.samples[0]!.at + elapsedMs / 2) }) : null;
  if (settledSlope !== null && settledSlope > (baseline.heapSlope ?? 0) + HEAP_SLOPE_MARGIN) {
    return out('rollback', `heap: canary grows ${(settledSlope / 1024 / 1024).toFixed(1)} MiB/s against baseline ${((baseline.heapSlope ?? 0) / 1024 / 1024).toFixed(1)} MiB/s`);
  }
  if (canary.requests < limits.minRequests) {
    if (elapsedMs < limits.maxWindowMs) return out('wait', `canary has answered ${canary.requests}/${limits.minRequests} requests`);
    return out('rollback', `too little traffic to judge: the canary answered ${canary.requests} request(s) in ${Math.round(elapsedMs / 1000)} s, fewer than policy.canary.minRequests (${limits.minRequests})`);
  }
  return out('promote', `no regression over ${Math.round(elapsedMs / 1000)} s: ${canary.requests} canary requests, ${canaryErrors} errors, p50 ${ms(canary.latencyP50Ms)} against ${ms(baseline.latencyP50Ms)}`);
}
