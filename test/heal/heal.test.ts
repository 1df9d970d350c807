// `suture heal` on every bundled crash kind, end to end: a real service under `suture run`, real
// traffic, a real crash; then a patch that is checked again here, independently of Suture's own
// validation: applied with `git apply` to a copy, the example's tests run, the trigger replayed.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { verifyAudit } from '../../src/deploy/audit.js';
import { Oracle } from '../../src/diagnose/oracle.js';
import { listExamples, type Example } from '../../src/examples.js';
import type { HealReport } from '../../src/model/repair.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createSandbox, type Sandbox } from '../../src/validate/sandbox.js';
import { EXAMPLES, recordIncident, stopAll, suture, tempDir } from '../helpers/suture.js';

after(stopAll);

function heal(cwd: string, id: string, store: string): { code: number; report: HealReport } {
  const r = suture(['heal', id, '--store', store, '--json'], cwd, 240_000);
  assert.ok(r.stdout.trim().startsWith('{'), `heal printed no report: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as HealReport };
}

/** A copy of the example inside it (so its build resolves the same packages), as Suture's sandboxes are made. */
function copyExample(example: Example): Sandbox {
  return createSandbox(example.dir, 'test-check');
}

const cases = listExamples(EXAMPLES).flatMap((example) => example.crash.map((crash, index) => ({ example, crash, index })));

describe('suture heal: every crash kind gets a validated patch', () => {
  test('the bundled examples cover the six crash kinds', () => {
    const kinds = new Set(cases.map((c) => c.crash.kind));
    for (const kind of ['missing-field', 'unhandled-rejection', 'out-of-range-index', 'invalid-arithmetic', 'malformed-body']) assert.ok(kinds.has(kind), kind);
    // The sixth, a wrong type, is the orders cancel input (a number where a string belongs).
    assert.ok(cases.some((c) => c.example.name === 'orders' && JSON.stringify(c.crash.body).includes('"reason":42')));
  });

  for (const { example, crash, index } of cases) {
    test(`${example.name}: ${crash.kind} (${crash.method} ${crash.path})`, async () => {
      const { id, store } = await recordIncident(example, index);
      const { code, report } = heal(example.dir, id, store);
      assert.equal(code, 0, `no patch: ${report.note}; ${report.ranked.map((r) => `${r.candidate.description}: ${r.validation.reason}`).join(' | ')}`);
      assert.equal(report.diagnosis.reproduced, 'always');
      assert.ok(report.diagnosis.localisation && report.diagnosis.localisation.ranking.length > 0, 'statements were ranked');
      const patch = report.patch!;
      const v = patch.validation;
      assert.equal(v.passed, true);
      assert.equal(v.tests.ok, true);
      assert.equal(v.trigger.failed, 0);
      assert.equal(v.variants.failed, 0);
      assert.ok(v.variants.total > 0, 'variants were tried');
      assert.ok(v.behaviour.total > 0, 'recorded normal traffic was compared');
      assert.equal(v.behaviour.preserved, v.behaviour.total);
      assert.equal(fs.readFileSync(patch.diffFile, 'utf8'), patch.candidate.diff);
      // The report says how far the project's tests can judge a change at the patched lines.
      const strength = v.mutationScore!;
      assert.ok(strength, 'the mutation score of the tests around the patch was measured');
      assert.ok(strength.killed <= strength.mutants);
      if (strength.score !== null) assert.equal(strength.weak, strength.score < 50);

      // The heal left its audit entries: the validation that chose the patch, then the proposal.
      const audit = SqliteStore.open(store, { mustExist: true });
      try {
        const entries = (await audit.listAudit({ incident: id })).filter((e) => e.action === 'candidate-validated' || e.action === 'patch-proposed');
        assert.deepEqual(entries.map((e) => [e.action, e.actor]), [
          ['candidate-validated', 'suture'],
          ['patch-proposed', 'suture'],
        ]);
        const best = (entries[0]!.evidence as { passed: number; best: { candidate: string; traffic: { compared: number }; mutationScore: unknown } });
        assert.equal(best.passed, report.passed);
        assert.equal(best.best.candidate, patch.id);
        assert.equal(best.best.traffic.compared, v.behaviour.total);
        assert.deepEqual(best.best.mutationScore, strength);
        assert.equal(entries[1]!.patch, patch.id);
        assert.equal((entries[1]!.evidence as { diffLines: number }).diffLines, patch.candidate.diffLines);
        const { entries: all, head } = await audit.auditTrail();
        assert.equal(verifyAudit(all, head).ok, true);
      } finally {
        await audit.close();
      }

      // Independently: the diff applies with git, the example's own tests pass, the trigger no longer faults.
      const sandbox = copyExample(example);
      const copy = sandbox.dir;
      try {
        // Outside any repository (the ceiling stops git finding Suture's own), paths are the copy's.
        execFileSync('git', ['apply', '-'], { cwd: copy, input: patch.candidate.diff, env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(copy) } });
        assert.notEqual(fs.readFileSync(path.join(copy, patch.candidate.edits[0]!.file), 'utf8'), fs.readFileSync(path.join(example.dir, patch.candidate.edits[0]!.file), 'utf8'));
        if (example.build) assert.equal(spawnSync(example.build, { cwd: copy, shell: true }).status, 0, 'the patched example builds');
        const tests = spawnSync(example.test, { cwd: copy, shell: true, encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: '' } });
        assert.equal(tests.status, 0, tests.stdout + tests.stderr);
        const oracle = await Oracle.start({ command: example.command, cwd: copy });
        try {
          const body = crash.body === undefined ? undefined : typeof crash.body === 'string' ? crash.body : JSON.stringify(crash.body);
          const res = await oracle.send({ id: 't', method: crash.method, url: crash.path, headers: crash.headers ?? {}, ...(body !== undefined ? { body } : {}), startedAt: 0 });
          assert.ok(res.status !== undefined && res.status < 500, `trigger answered ${res.status ?? res.error}`);
          await oracle.waitForFaults(1, 300);
          assert.equal(oracle.faults.length, 0, 'no fault on the trigger');
        } finally {
          await oracle.stop();
        }
      } finally {
        sandbox.remove();
      }
    });
  }
});

describe('suture heal: failure paths', () => {
  test('an incident that no longer reproduces is kept, marked, and not repaired', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'server.mjs'),
      "import http from 'node:http';\nhttp.createServer((req, res) => {\n  if (req.url === '/crash') return setTimeout(() => { const user = undefined; res.end(user.name); }, 5);\n  res.end('ok');\n}).listen(Number(process.env.PORT));\n",
    );
    const { id, store } = await recordIncident({ dir, command: ['node', 'server.mjs'], normal: [{ method: 'GET', path: '/' }], crash: [{ method: 'GET', path: '/crash' }] }, 0);
    fs.writeFileSync(path.join(dir, 'server.mjs'), fs.readFileSync(path.join(dir, 'server.mjs'), 'utf8').replace('res.end(user.name)', "res.end('fixed')"));
    const { code, report } = heal(dir, id, store);
    assert.equal(code, 3);
    assert.equal(report.diagnosis.reproduced, 'never');
    assert.equal(report.candidates, 0);
    assert.equal(report.patch, undefined);
    assert.match(report.note!, /did not reproduce/);
    const shown = JSON.parse(suture(['show', id, '--json', '--store', store], dir).stdout) as { reproduced: string; patches: unknown[] };
    assert.equal(shown.reproduced, 'never');
    assert.deepEqual(shown.patches, []);
    // Nothing was validated or proposed, so the audit trail says neither.
    const audit = JSON.parse(suture(['audit', '--json', '--incident', id, '--store', store], dir).stdout) as { action: string }[];
    assert.deepEqual(audit.filter((e) => e.action === 'candidate-validated' || e.action === 'patch-proposed'), []);
  });

  test('a test suite that was red before any patch is compared against that baseline, and said so', async () => {
    const orders = listExamples(EXAMPLES).find((e) => e.name === 'orders')!;
    const sandbox = copyExample(orders);
    const copy = sandbox.dir;
    try {
      fs.writeFileSync(path.join(copy, 'test', 'known-broken.test.js'), "import test from 'node:test';\nimport assert from 'node:assert';\ntest('a known failure', () => assert.equal(1, 2));\n");
      const { id, store } = await recordIncident({ ...orders, dir: copy }, 0);
      const { code, report } = heal(copy, id, store);
      assert.equal(report.baseline.testsOk, false);
      assert.equal(code, 0, report.note);
      assert.equal(report.patch!.validation.tests.baselineRed, true);
      assert.equal(report.patch!.validation.tests.ok, true);
    } finally {
      sandbox.remove();
    }
  });
});
