// `suture approve`, `reject` and `rollback` as a user runs them, on a copy of the orders example in
// a real git repository with no `suture run` live: one-line errors with the right exit codes, the
// policy's limits, a branch per approved patch, and the actor of each decision in the audit trail.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadExample } from '../../src/examples.js';
import type { AuditEntry } from '../../src/model/audit.js';
import type { Patch } from '../../src/model/repair.js';
import { replacementPatch } from '../helpers/patch.js';
import { openStore } from '../../src/store/open.js';
import { EXAMPLES, suture, tempDir } from '../helpers/suture.js';

const example = loadExample(path.join(EXAMPLES, 'orders'));
const SHIPPING = 'src/shipping.js';
const FIND = '  const zone = zoneFor(customer.address.country);';
const GUARD = "  if (customer.address == null) {\n    throw Object.assign(new Error('customer.address is required'), { status: 400 });\n  }\n" + FIND;

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

/** A copy of the orders example in a fresh git repository with one commit. */
function repository(): string {
  const dir = tempDir('suture-cli-deploy-');
  fs.cpSync(example.dir, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.suture`) && !src.includes('node_modules') });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Dev');
  git(dir, 'config', 'user.email', 'dev@example.com');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

interface Setup {
  dir: string;
  store: string;
  incident: string;
  patch: string;
  original: string;
}

/** A store (outside the repository) holding one incident in shipping.js and a proposed guard patch for it. */
async function setup(patchId = 'a1b2c3d4e5f6'): Promise<Setup> {
  const dir = repository();
  const store = path.join(tempDir('suture-cli-store-'), 'suture.db');
  const original = fs.readFileSync(path.join(dir, SHIPPING), 'utf8');
  const s = openStore(store, dir);
  try {
    const location = { fn: 'shippingFor', file: path.join(dir, SHIPPING), line: 16, column: 40, app: true };
    const { incident } = await s.recordFault({
      signature: "TypeError: Cannot read properties of undefined (reading 'country') @ src/shipping.js:shippingFor",
      id: 'f00dfeed01',
      errorClass: 'TypeError',
      messagePattern: "Cannot read properties of undefined (reading 'country')",
      message: "Cannot read properties of undefined (reading 'country')",
      origin: 'uncaughtException',
      frames: [location],
      location,
      at: new Date().toISOString(),
      service: { command: example.command, cwd: dir },
    });
    const patch = replacementPatch({
      root: dir,
      file: SHIPPING,
      find: FIND,
      replace: GUARD,
      id: patchId,
      incident: incident.id,
      kind: 'input-validation',
      description: 'refuse an order without customer.address',
      validation: {
        variants: { total: 2, statuses: [400, 400], failed: 0, failures: [] },
        behaviour: { total: 12, preserved: 12, fraction: 1, differences: [] },
      },
    });
    await s.savePatch(patch);
    return { dir, store, incident: incident.id, patch: patchId, original };
  } finally {
    await s.close();
  }
}

async function readPatch(store: string, id: string): Promise<Patch> {
  const s = openStore(store, process.cwd(), { mustExist: true });
  try {
    return (await s.getPatch(id))!;
  } finally {
    await s.close();
  }
}

function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${text}`);
  return lines[0]!;
}

describe('suture approve, reject and rollback', () => {
  test('approve of an unknown patch: one line, exit 2', async () => {
    const s = await setup();
    const r = suture(['approve', 'nope', '--store', s.store], s.dir);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(oneLine(r.stderr), 'suture approve: no patch nope; list them with suture patches');
    assert.equal(r.stdout, '');
  });

  test('reject, then approve of the rejected patch: a one-line error, exit 1, and it stays rejected', async () => {
    const s = await setup();
    const rejected = suture(['reject', s.patch, '--store', s.store, '--actor', 'bob', '--reason', 'not this way'], s.dir);
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.equal(rejected.stdout.trim(), `patch ${s.patch}: rejected`);

    const approved = suture(['approve', s.patch, '--store', s.store, '--actor', 'alice'], s.dir);
    assert.equal(approved.code, 1, approved.stderr);
    assert.equal(oneLine(approved.stderr), `suture approve: patch ${s.patch} is rejected, not proposed; only a proposed patch can be approved`);
    assert.equal((await readPatch(s.store, s.patch)).status, 'rejected');
    assert.equal(fs.readFileSync(path.join(s.dir, SHIPPING), 'utf8'), s.original);
    assert.equal(git(s.dir, 'branch', '--list', 'suture/*'), '');

    const again = suture(['reject', s.patch, '--store', s.store], s.dir);
    assert.equal(again.code, 1);
    assert.match(oneLine(again.stderr), /is rejected, not proposed; nothing to reject/);
  });

  test('approve of a patch outside the policy names the limit; the patch stays proposed and the source unchanged', async () => {
    const s = await setup();
    const config = path.join(tempDir('suture-cli-config-'), 'strict.json');
    fs.writeFileSync(config, JSON.stringify({ policy: { maxDiffLines: 1 } }));
    const r = suture(['approve', s.patch, '--store', s.store, '--config', config, '--actor', 'alice'], s.dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(oneLine(r.stderr), new RegExp(`^suture approve: patch ${s.patch} is outside the policy: it changes 3 lines, over policy\\.maxDiffLines \\(1\\); it stays proposed$`));
    assert.equal((await readPatch(s.store, s.patch)).status, 'proposed');
    assert.equal(fs.readFileSync(path.join(s.dir, SHIPPING), 'utf8'), s.original);
    assert.equal(git(s.dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(git(s.dir, 'branch', '--list', 'suture/*'), '');
  });

  test('approve with no run live commits the patch on its branch; rollback takes it out; the audit trail names who did each', async () => {
    const s = await setup();
    // A unique prefix of the id will do.
    const approved = suture(['approve', s.patch.slice(0, 6), '--store', s.store, '--actor', 'alice'], s.dir);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout.trim(), `patch ${s.patch}: approved`);
    assert.match(approved.stderr, new RegExp(`patch ${s.patch} approved by alice: committed [0-9a-f]{12} on branch suture/${s.patch}`));
    assert.match(approved.stderr, /no suture run is live for this project: the patch takes effect when the service next starts/);

    assert.equal(git(s.dir, 'rev-parse', '--abbrev-ref', 'HEAD'), `suture/${s.patch}`);
    assert.equal(git(s.dir, 'show', '--name-only', '--format=', 'HEAD'), SHIPPING);
    assert.match(git(s.dir, 'log', '-1', '--format=%B'), new RegExp(`incident ${s.incident}[\\s\\S]*Approved by alice\\.`));
    assert.match(fs.readFileSync(path.join(s.dir, SHIPPING), 'utf8'), /customer\.address is required/);
    const patch = await readPatch(s.store, s.patch);
    assert.equal(patch.status, 'approved');
    assert.equal(patch.deployment?.branch, `suture/${s.patch}`);
    assert.equal(patch.deployment?.baseBranch, 'main');
    assert.equal(patch.decidedBy?.actor, 'alice');

    // Approving twice is refused: it is no longer a proposal.
    const twice = suture(['approve', s.patch, '--store', s.store], s.dir);
    assert.equal(twice.code, 1);
    assert.match(oneLine(twice.stderr), /is approved, not proposed/);

    const rolledBack = suture(['rollback', s.patch, '--store', s.store, '--actor', 'carol', '--reason', 'wrong status code', '--json'], s.dir);
    assert.equal(rolledBack.code, 0, rolledBack.stderr);
    assert.equal((JSON.parse(rolledBack.stdout) as Patch).status, 'rolled-back');
    assert.match(rolledBack.stderr, new RegExp(`patch ${s.patch} taken out of the source tree`));
    assert.equal(git(s.dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(fs.readFileSync(path.join(s.dir, SHIPPING), 'utf8'), s.original);
    assert.equal(git(s.dir, 'status', '--porcelain'), '');
    assert.equal((await readPatch(s.store, s.patch)).status, 'rolled-back');

    const again = suture(['rollback', s.patch, '--store', s.store], s.dir);
    assert.equal(again.code, 1);
    assert.equal(oneLine(again.stderr), `suture rollback: patch ${s.patch} is rolled-back; only an approved or deployed patch can be rolled back`);

    const audit = suture(['audit', '--json', '--store', s.store], s.dir);
    assert.equal(audit.code, 0, audit.stderr);
    const entries = JSON.parse(audit.stdout) as AuditEntry[];
    const decisions = entries.filter((e) => e.patch === s.patch).map((e) => `${e.action}:${e.actor}`);
    assert.deepEqual(decisions, ['patch-approved:alice', 'patch-rolled-back:carol']);
    const rollback = entries.find((e) => e.action === 'patch-rolled-back')!;
    assert.equal(rollback.summary, 'rolled back: wrong status code');
    assert.equal(suture(['audit', '--verify', '--store', s.store], s.dir).code, 0);
  });

  test('reject records the actor and the reason; SUTURE_ACTOR stands in for --actor', async () => {
    const s = await setup();
    const r = suture(['reject', s.patch, '--store', s.store, '--reason', 'a 400 is wrong here', '--json'], s.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Patch).status, 'rejected');
    const audit = JSON.parse(suture(['audit', '--json', '--store', s.store], s.dir).stdout) as AuditEntry[];
    const entry = audit.find((e) => e.action === 'patch-rejected')!;
    assert.equal(entry.summary, 'rejected: a 400 is wrong here');
    assert.ok(entry.actor.length > 0);

    const t = await setup();
    const env = process.env.SUTURE_ACTOR;
    process.env.SUTURE_ACTOR = 'dana';
    try {
      assert.equal(suture(['reject', t.patch, '--store', t.store], t.dir).code, 0);
    } finally {
      if (env === undefined) delete process.env.SUTURE_ACTOR;
      else process.env.SUTURE_ACTOR = env;
    }
    const trail = JSON.parse(suture(['audit', '--json', '--store', t.store], t.dir).stdout) as AuditEntry[];
    assert.equal(trail.find((e) => e.action === 'patch-rejected')?.actor, 'dana');
  });

  test('--help of each lists its options', () => {
    const common = ['--store <path>', '--config <file>', '--actor <name>', '--json'];
    for (const [command, own] of [
      ['approve', ['--no-rollout']],
      ['reject', ['--reason <text>']],
      ['rollback', ['--reason <text>']],
    ] as const) {
      const r = suture([command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Usage: suture ${command} \\[options\\] <id>`, 'm'));
      for (const option of [...common, ...own]) assert.ok(r.stdout.includes(option), `suture ${command} --help lists ${option}:\n${r.stdout}`);
    }
  });
});
