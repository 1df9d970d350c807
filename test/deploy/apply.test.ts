// applyPatch and revertPatch with real git in temp directories: in place outside a repository, on a
// branch `suture/<id>` as one commit inside one (also for a project in a subdirectory of a
// repository), refusing to touch uncommitted work or a patch whose context has moved on.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyPatch, branchFor, DeployError, revertPatch } from '../../src/deploy/apply.js';
import type { Patch } from '../../src/model/repair.js';
import { replacementPatch } from '../helpers/patch.js';

const dirs: string[] = [];
const saved = { ceiling: process.env.GIT_CEILING_DIRECTORIES, global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };

before(() => {
  // No repository above the temp dir is ever found, and no user or system git config leaks in:
  // each repository below sets the identity it needs.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-apply-home-'));
  dirs.push(home);
  fs.writeFileSync(path.join(home, 'gitconfig'), '');
  process.env.GIT_CEILING_DIRECTORIES = os.tmpdir();
  process.env.GIT_CONFIG_GLOBAL = path.join(home, 'gitconfig');
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});

after(() => {
  for (const [key, value] of [['GIT_CEILING_DIRECTORIES', saved.ceiling], ['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.nosystem]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const ORDERS = `export function total(order) {
  let sum = 0;
  for (const item of order.items) sum += item.price * item.quantity;
  return sum;
}

export function shipping(customer) {
  return customer.address.country === 'US' ? 5 : 15;
}
`;
const PRICING = 'export const VAT = 0.2;\n';
const FIND = "  return customer.address.country === 'US' ? 5 : 15;";
const GUARD = "  if (customer.address == null) return 0;\n  return customer.address.country === 'US' ? 5 : 15;";

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-apply-'));
  dirs.push(dir);
  return dir;
}

function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A project with two source files, outside any repository. */
function project(root = tempDir()): string {
  write(root, 'src/orders.js', ORDERS);
  write(root, 'src/pricing.js', PRICING);
  return root;
}

/** A git repository on `main` holding `files` (project-relative to `sub`), one commit, with an identity unless told not to. */
function repository(options: { sub?: string; identity?: boolean } = {}): { top: string; root: string } {
  const top = tempDir();
  git(top, 'init', '-q', '-b', 'main');
  if (options.identity !== false) {
    git(top, 'config', 'user.name', 'Dev');
    git(top, 'config', 'user.email', 'dev@example.com');
  }
  const root = options.sub ? path.join(top, options.sub) : top;
  project(root);
  write(top, 'README.md', '# shop\n');
  git(top, 'add', '-A');
  git(top, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'initial');
  return { top, root };
}

/** A validated patch replacing `find` with `replace` in `file`, its diff made from the file as it is now. */
function patchFor(root: string, file: string, find: string, replace: string, id = 'p1'): Patch {
  return replacementPatch({ root, file, find, replace, id, incident: 'inc1', description: 'guard customer.address' });
}

const patched = ORDERS.replace(FIND, GUARD);
const MESSAGE = 'suture: guard customer.address (incident inc1)\n\nValidated in a sandbox.\n';

describe('applyPatch and revertPatch outside a repository', () => {
  test('apply edits the file in place; revert restores it byte for byte', () => {
    const root = project();
    // A last line without a newline must survive both ways.
    write(root, 'src/orders.js', ORDERS.trimEnd());
    const original = fs.readFileSync(path.join(root, 'src/orders.js'));
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    assert.equal(deployment.mode, 'plain');
    assert.deepEqual(deployment.files, ['src/orders.js']);
    assert.equal(read(root, 'src/orders.js'), patched.trimEnd());
    assert.equal(fs.existsSync(path.join(root, '.git')), false, 'no repository was created');
    revertPatch(root, patch, deployment, 'roll back', 'alice');
    assert.ok(fs.readFileSync(path.join(root, 'src/orders.js')).equals(original), 'the bytes are as they were');
    assert.equal(read(root, 'src/pricing.js'), PRICING);
  });

  test('a patch whose context no longer matches is refused, with the hint to heal again', () => {
    const root = project();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const edited = ORDERS.replace("=== 'US' ? 5 : 15", "=== 'US' ? 4 : 12");
    write(root, 'src/orders.js', edited);
    assert.throws(() => applyPatch(root, patch, MESSAGE, 'alice'), (err: Error) => {
      assert.ok(err instanceof DeployError);
      assert.match(err.message, /^patch p1 no longer applies to src\/orders\.js \(.*\); run `suture heal inc1` again$/);
      return true;
    });
    assert.equal(read(root, 'src/orders.js'), edited, 'the file is untouched');
  });

  test('revert refuses when the patched lines were changed since', () => {
    const root = project();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    const edited = patched.replace('return 0;', 'return 1;');
    write(root, 'src/orders.js', edited);
    assert.throws(() => revertPatch(root, patch, deployment, 'roll back', 'alice'), /patch p1 cannot be reversed: src\/orders\.js changed since it was applied/);
    assert.equal(read(root, 'src/orders.js'), edited);
  });
});

describe('applyPatch in a git repository', () => {
  test('commits the patch alone on branch suture/<id>, leaving other staged and unstaged work as it was', () => {
    const { root } = repository();
    const base = git(root, 'rev-parse', 'HEAD');
    // Work in progress on other files: one staged, one only in the working tree.
    write(root, 'src/pricing.js', 'export const VAT = 0.25;\n');
    write(root, 'src/new.js', 'export const draft = true;\n');
    git(root, 'add', 'src/new.js');
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);

    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    assert.equal(deployment.mode, 'git');
    assert.equal(deployment.branch, 'suture/p1');
    assert.equal(branchFor(patch), 'suture/p1');
    assert.equal(deployment.baseBranch, 'main');
    assert.equal(deployment.baseCommit, base);
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'suture/p1');
    assert.equal(deployment.commit, git(root, 'rev-parse', 'HEAD'));
    assert.equal(git(root, 'rev-list', '--count', `${base}..HEAD`), '1');
    assert.equal(git(root, 'show', '--name-only', '--format=', 'HEAD'), 'src/orders.js');
    assert.equal(git(root, 'log', '-1', '--format=%B'), MESSAGE.trim());
    assert.equal(git(root, 'log', '-1', '--format=%an <%ae>'), 'alice <dev@example.com>', 'the actor is the author');
    assert.equal(git(root, 'show', 'HEAD:src/orders.js') + '\n', patched);
    // The user's work is exactly where it was: staged stays staged, unstaged stays unstaged.
    assert.equal(git(root, 'diff', '--cached', '--name-only'), 'src/new.js');
    assert.equal(git(root, 'diff', '--name-only'), 'src/pricing.js');
    assert.equal(read(root, 'src/pricing.js'), 'export const VAT = 0.25;\n');
  });

  test('refuses when the patched file has uncommitted changes, naming the file, and creates no branch', () => {
    const { root } = repository();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const edited = ORDERS.replace('let sum = 0;', 'let sum = 0; // draft');
    write(root, 'src/orders.js', edited);
    assert.throws(() => applyPatch(root, patch, MESSAGE, 'alice'), /^Error: src\/orders\.js has uncommitted changes; commit or stash them, then approve again$/);
    git(root, 'add', 'src/orders.js');
    assert.throws(() => applyPatch(root, patch, MESSAGE, 'alice'), /src\/orders\.js has uncommitted changes/, 'a staged change counts too');
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(git(root, 'branch', '--list', 'suture/*'), '');
    assert.equal(read(root, 'src/orders.js'), edited);
  });

  test('refuses when branch suture/<id> already exists, and stays on the current branch', () => {
    const { root } = repository();
    git(root, 'branch', 'suture/p1');
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    assert.throws(() => applyPatch(root, patch, MESSAGE, 'alice'), /branch suture\/p1 already exists; delete it \(git branch -D suture\/p1\) to approve again/);
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(read(root, 'src/orders.js'), ORDERS);
  });

  test('a patch whose context no longer matches the committed file is refused with the hint to heal again', () => {
    const { root } = repository();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    write(root, 'src/orders.js', ORDERS.replace("? 5 : 15", '? 6 : 16'));
    git(root, 'commit', '-q', '-am', 'new shipping rates');
    assert.throws(() => applyPatch(root, patch, MESSAGE, 'alice'), /^Error: patch p1 no longer applies to src\/orders\.js \(git apply failed: .*\); run `suture heal inc1` again$/);
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(git(root, 'branch', '--list', 'suture/*'), '');
    assert.equal(git(root, 'status', '--porcelain'), '');
  });

  test('a project in a subdirectory of the repository: the patch lands at the right path, and comes out again', () => {
    const { top, root } = repository({ sub: 'services/orders' });
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    assert.equal(deployment.mode, 'git');
    assert.deepEqual(deployment.files, ['src/orders.js']);
    assert.equal(git(top, 'show', '--name-only', '--format=', 'HEAD'), 'services/orders/src/orders.js');
    assert.equal(read(root, 'src/orders.js'), patched);
    assert.equal(fs.existsSync(path.join(top, 'src/orders.js')), false, 'nothing was written at the top of the repository');
    assert.equal(git(top, 'status', '--porcelain'), '');

    // Merged into main and built on: the rollback is a reverse commit, in the subdirectory too.
    git(top, 'checkout', '-q', 'main');
    git(top, 'merge', '-q', '--ff-only', 'suture/p1');
    write(top, 'README.md', '# shop\n\nnow with a guard\n');
    git(top, 'commit', '-q', '-am', 'docs');
    const reverted = revertPatch(root, patch, deployment, 'suture: roll back patch p1\n', 'bob');
    assert.equal(read(root, 'src/orders.js'), ORDERS);
    assert.equal(git(top, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(reverted.commit, git(top, 'rev-parse', 'HEAD'));
    assert.equal(git(top, 'show', '--name-only', '--format=', 'HEAD'), 'services/orders/src/orders.js');
    assert.equal(git(top, 'status', '--porcelain'), '');
  });

  test('without a git identity configured, Suture commits as itself with the actor as author', () => {
    const { root } = repository({ identity: false });
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    applyPatch(root, patch, MESSAGE, 'carol');
    assert.equal(git(root, 'log', '-1', '--format=%an <%ae> / %cn <%ce>'), 'carol <suture@localhost> / Suture <suture@localhost>');
  });

  test('a commit that fails leaves the user on their branch with the file as it was and no patch branch', () => {
    const { root } = repository();
    // Signing demanded, with a signing program that always fails: the commit step fails.
    git(root, 'config', 'commit.gpgsign', 'true');
    git(root, 'config', 'gpg.program', 'false');
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    assert.throws(() => applyPatch(root, patch, MESSAGE, 'alice'), /git commit failed/);
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(git(root, 'branch', '--list', 'suture/*'), '');
    assert.equal(read(root, 'src/orders.js'), ORDERS);
    assert.equal(git(root, 'status', '--porcelain'), '', 'nothing is left staged or changed');
  });
});

describe('revertPatch in a git repository', () => {
  test('still on the patch branch: back to the base branch, the branch kept for the record', () => {
    const { root } = repository();
    const base = git(root, 'rev-parse', 'HEAD');
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    const reverted = revertPatch(root, patch, deployment, 'suture: roll back patch p1\n', 'bob');
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(reverted.commit, base);
    assert.equal(git(root, 'rev-parse', 'HEAD'), base, 'no commit was made');
    assert.equal(read(root, 'src/orders.js'), ORDERS);
    assert.equal(git(root, 'branch', '--list', 'suture/p1'), 'suture/p1');
  });

  test('from a detached HEAD: back to the commit it started from', () => {
    const { root } = repository();
    const base = git(root, 'rev-parse', 'HEAD');
    git(root, 'checkout', '-q', '--detach');
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    assert.equal(deployment.baseBranch, base);
    revertPatch(root, patch, deployment, 'roll back', 'bob');
    assert.equal(git(root, 'rev-parse', 'HEAD'), base);
    assert.equal(read(root, 'src/orders.js'), ORDERS);
  });

  test('after the user moved on (a commit on top): a commit that reverses the patch, keeping their work', () => {
    const { root } = repository();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    write(root, 'src/pricing.js', 'export const VAT = 0.25;\n');
    git(root, 'commit', '-q', '-am', 'new VAT');
    const mine = git(root, 'rev-parse', 'HEAD');
    const reverted = revertPatch(root, patch, deployment, 'suture: roll back patch p1 (incident inc1)\n\ncanary verdict: error rate\n', 'bob');
    assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD'), 'suture/p1');
    assert.equal(git(root, 'rev-parse', 'HEAD~1'), mine, 'the reverse commit sits on top of the user\'s');
    assert.equal(reverted.commit, git(root, 'rev-parse', 'HEAD'));
    assert.equal(git(root, 'log', '-1', '--format=%s'), 'suture: roll back patch p1 (incident inc1)');
    assert.equal(git(root, 'log', '-1', '--format=%an'), 'bob');
    assert.equal(git(root, 'show', '--name-only', '--format=', 'HEAD'), 'src/orders.js');
    assert.equal(read(root, 'src/orders.js'), ORDERS);
    assert.equal(read(root, 'src/pricing.js'), 'export const VAT = 0.25;\n');
    assert.equal(git(root, 'status', '--porcelain'), '');
  });

  test('after the user went back to the base branch without merging: nothing to take out, and no commit made', () => {
    const { root } = repository();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    git(root, 'checkout', '-q', 'main');
    const head = git(root, 'rev-parse', 'HEAD');
    const reverted = revertPatch(root, patch, deployment, 'suture: roll back patch p1\n', 'bob');
    assert.deepEqual(reverted, { alreadyOut: true });
    assert.equal(git(root, 'rev-parse', 'HEAD'), head);
    assert.equal(read(root, 'src/orders.js'), ORDERS);
  });

  test('refuses to reverse a patch whose lines were changed in a later commit', () => {
    const { root } = repository();
    const patch = patchFor(root, 'src/orders.js', FIND, GUARD);
    const deployment = applyPatch(root, patch, MESSAGE, 'alice');
    write(root, 'src/orders.js', patched.replace('return 0;', 'return 2;'));
    git(root, 'commit', '-q', '-am', 'free shipping is not free');
    const head = git(root, 'rev-parse', 'HEAD');
    assert.throws(() => revertPatch(root, patch, deployment, 'roll back', 'bob'), /patch p1 cannot be reversed: src\/orders\.js changed since it was applied/);
    assert.equal(git(root, 'rev-parse', 'HEAD'), head);
  });
});
