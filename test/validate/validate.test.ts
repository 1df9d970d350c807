// Validation's failure paths on real sandboxes: a candidate that hangs is stopped within its
// budget; one that breaks the build is rejected before anything runs.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Incident } from '../../src/model/fault.js';
import type { Candidate } from '../../src/model/repair.js';
import { diffSize, unifiedDiff } from '../../src/repair/diff.js';
import { validateCandidate, type ValidationPlan } from '../../src/validate/validate.js';
import { EXAMPLES, isAlive } from '../helpers/suture.js';

function candidateFor(root: string, file: string, from: string, to: string): Candidate {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const start = text.indexOf(from);
  assert.ok(start >= 0, `${from} is in ${file}`);
  const after = text.slice(0, start) + to + text.slice(start + from.length);
  const diff = unifiedDiff(file, text, after);
  return { id: 'test', incident: 'i', kind: 'guard', description: 'test', edits: [{ file, start, end: start + from.length, text: to }], diff, diffLines: diffSize(diff), distance: 0 };
}

function planFor(root: string, command: string[], trigger: { method: string; url: string }, build: string | null, timeoutMs: number): ValidationPlan {
  const incident: Incident = {
    id: 'i', signature: 's', errorClass: 'TypeError', messagePattern: 'x', message: 'x', origin: 'uncaughtException', count: 1,
    firstSeen: new Date().toISOString(), lastSeen: new Date().toISOString(), frames: [], reproduced: 'always',
    requests: [{ id: 'r1', method: trigger.method, url: trigger.url, headers: {}, startedAt: Date.now() }],
    service: { command, cwd: root },
  };
  return { root, incident, test: 'npm test', build, baseline: { ok: true, failures: 0, output: '' }, normal: [], expected: [], variants: [], variantBaseline: [], timeoutMs };
}

describe('validating a candidate', () => {
  test('a candidate that makes the service hang is rejected within its budget, and its processes are stopped', async () => {
    const root = path.join(EXAMPLES, 'inventory');
    const candidate = candidateFor(root, 'src/stock.js', 'function variantAvailability(item, index) {', 'function variantAvailability(item, index) {\n  for (;;) {}');
    const plan = planFor(root, ['node', 'server.js'], { method: 'GET', url: '/items/BOOT-100/variants/0' }, null, 20_000);
    const before = new Set(fs.readdirSync(path.join(root, '.suture', 'sandboxes'), { withFileTypes: true }).map((d) => d.name));
    const v = await validateCandidate(plan, candidate);
    assert.equal(v.passed, false);
    assert.match(v.reason!, /still faults \(no response \(timeout\)\)/);
    assert.ok(v.durationMs < 20_000, `took ${v.durationMs} ms`);
    const after = fs.readdirSync(path.join(root, '.suture', 'sandboxes')).filter((n) => !before.has(n));
    assert.deepEqual(after, [], 'the sandbox was removed');
    // The looping oracle was killed: no process runs the sandbox's server any more.
    const running = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && isAlive(Number(p))).filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('.suture/sandboxes/test-');
      } catch {
        return false;
      }
    });
    assert.deepEqual(running, []);
  });

  test('a candidate that breaks the build is rejected by the build, before tests or replays', async () => {
    const root = path.join(EXAMPLES, 'reports');
    const candidate = candidateFor(root, 'src/histogram.ts', 'export function buildHistogram', 'export function buildHistogram(: number');
    const plan = planFor(root, ['node', 'dist/server.js'], { method: 'GET', url: '/health' }, 'npm run build', 60_000);
    const v = await validateCandidate(plan, candidate);
    assert.equal(v.passed, false);
    assert.equal(v.reason, 'the build failed');
    assert.equal(v.build?.ok, false);
    assert.match(v.build?.output ?? '', /histogram\.ts/);
    assert.equal(v.trigger.total, 0, 'nothing was replayed');
  });
});
