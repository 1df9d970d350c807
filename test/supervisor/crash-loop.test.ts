// When a worker dies the supervisor restarts it after a back-off that doubles up to a cap, and
// gives up, with a reason, when deaths pile up inside the window; old deaths stop counting.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrashLoop, DEFAULT_CRASH_LOOP, type RestartDecision } from '../../src/supervisor/crash-loop.js';

const delay = (d: RestartDecision): number => {
  assert.equal(d.restart, true, JSON.stringify(d));
  return (d as { delayMs: number }).delayMs;
};

describe('CrashLoop', () => {
  test('the back-off doubles with each death in the window and stops at maxBackoffMs', () => {
    const loop = new CrashLoop({ maxRestarts: 10, windowMs: 60_000, backoffMs: 100, maxBackoffMs: 500 });
    const delays = [0, 1, 2, 3, 4, 5].map((i) => delay(loop.onDeath(1_000 + i)));
    assert.deepEqual(delays, [100, 200, 400, 500, 500, 500]);
  });

  test('more than maxRestarts deaths inside the window stop restarts, with a reason naming the count and limit', () => {
    const loop = new CrashLoop({ maxRestarts: 3, windowMs: 10_000, backoffMs: 10, maxBackoffMs: 1_000 });
    for (let i = 0; i < 3; i++) assert.equal(loop.onDeath(i * 1_000).restart, true);
    const decision = loop.onDeath(3_000);
    assert.equal(decision.restart, false);
    assert.ok(!decision.restart);
    assert.match(decision.reason, /4 worker deaths within 10s/);
    assert.match(decision.reason, /limit 3/);
  });

  test('deaths older than the window are forgotten: restarts resume at the first back-off', () => {
    const loop = new CrashLoop({ maxRestarts: 2, windowMs: 10_000, backoffMs: 100, maxBackoffMs: 5_000 });
    assert.equal(delay(loop.onDeath(0)), 100);
    assert.equal(delay(loop.onDeath(1_000)), 200);
    // 20s later both earlier deaths are outside the window
    assert.equal(delay(loop.onDeath(21_000)), 100);
    assert.equal(loop.recentDeaths, 1);
  });

  test('a service that crashes slowly, once per window, is restarted forever', () => {
    const loop = new CrashLoop({ maxRestarts: 1, windowMs: 1_000, backoffMs: 50, maxBackoffMs: 5_000 });
    for (let i = 0; i < 20; i++) assert.equal(delay(loop.onDeath(i * 1_001)), 50);
  });

  test('a death exactly one window ago still counts', () => {
    const loop = new CrashLoop({ maxRestarts: 1, windowMs: 1_000, backoffMs: 50, maxBackoffMs: 5_000 });
    loop.onDeath(0);
    assert.equal(loop.onDeath(1_000).restart, false);
  });

  test('the defaults allow five quick restarts and refuse the sixth', () => {
    const loop = new CrashLoop(DEFAULT_CRASH_LOOP);
    const decisions = Array.from({ length: 6 }, (_, i) => loop.onDeath(i * 10));
    assert.deepEqual(decisions.map((d) => d.restart), [true, true, true, true, true, false]);
    assert.deepEqual(decisions.slice(0, 5).map(delay), [100, 200, 400, 800, 1600]);
  });
});
