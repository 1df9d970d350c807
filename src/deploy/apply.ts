// Puts a validated patch into the user's source tree, and takes it out again. In a git repository
// the patch lands on a new branch `suture/<id>` as one commit; elsewhere it is applied in place.
// `git apply` does the work in both cases: it refuses a patch whose context no longer matches.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Deployment, Patch } from '../model/repair.js';

export class DeployError extends Error {}

interface Git {
  (args: string[], input?: string): string;
}

function gitIn(root: string, env: Record<string, string> = {}): Git {
  return (args, input) => {
    try {
      return execFileSync('git', args, {
        cwd: root,
        input,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: 30_000,
        env: { ...process.env, ...env },
      }).trim();
    } catch (err) {
      const e = err as { code?: string; stderr?: string; message: string };
      if (e.code === 'ENOENT') throw new DeployError('git is not installed: Suture applies patches with `git apply`; install git');
      const detail = (e.stderr ?? e.message).trim().split('\n').filter(Boolean).slice(-1)[0] ?? e.message;
      throw new DeployError(`git ${args[0]} failed: ${detail}`);
    }
  };
}

/** The repository holding `root`, and root's path inside it; null when root is not in one. */
function repositoryOf(root: string): { top: string; prefix: string } | null {
  try {
    const out = execFileSync('git', ['rev-parse', '--show-toplevel', '--show-prefix'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [top, prefix = ''] = out.split('\n');
    return { top: top!, prefix: prefix.trim() };
  } catch {
    return null;
  }
}

/**
 * `git apply` for a project at `prefix` inside the repository. Run from the top with
 * `--directory=<prefix>`: run from the subdirectory, git adds the prefix itself and `--directory`
 * would add it a second time.
 */
function applierAt(repo: { top: string; prefix: string }): (flags: string[], diff: string) => string {
  const git = gitIn(repo.top);
  const directory = repo.prefix ? [`--directory=${repo.prefix.replace(/\/$/, '')}`] : [];
  return (flags, diff) => git(['apply', ...flags, ...directory, '-'], diff);
}

export const branchFor = (patch: Pick<Patch, 'id'>): string => `suture/${patch.id}`;

const filesOf = (patch: Patch): string[] => [...new Set(patch.candidate.edits.map((e) => e.file.split(path.sep).join('/')))];

/** An identity for Suture's commits when the repository has none configured. */
function identityEnv(git: Git, actor: string): Record<string, string> {
  let configured = '';
  try {
    configured = git(['config', 'user.email']);
  } catch {
    configured = '';
  }
  const name = actor === 'suture' ? 'Suture' : actor;
  return configured ? { GIT_AUTHOR_NAME: name } : { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: 'suture@localhost', GIT_COMMITTER_NAME: 'Suture', GIT_COMMITTER_EMAIL: 'suture@localhost' };
}

/**
 * Applies the patch's diff to `root`. In a git repository: checks that the files it edits have no
 * uncommitted change, creates branch `suture/<id>` from HEAD and commits the patch there alone.
 */
export function applyPatch(root: string, patch: Patch, message: string, actor: string): Deployment {
  const files = filesOf(patch);
  const repo = repositoryOf(root);
  const appliedAt = new Date().toISOString();
  if (repo === null) {
    // Not a repository: `git apply` acts as a careful `patch`; the ceiling keeps it from finding one above.
    const git = gitIn(root, { GIT_CEILING_DIRECTORIES: path.dirname(root) });
    try {
      git(['apply', '--check', '-'], patch.candidate.diff);
    } catch (err) {
      throw new DeployError(`patch ${patch.id} no longer applies to ${files.join(', ')} (${(err as Error).message}); run \`suture heal ${patch.incident}\` again`);
    }
    git(['apply', '-'], patch.candidate.diff);
    return { mode: 'plain', appliedAt, files };
  }
  const git = gitIn(root);
  const apply = applierAt(repo);
  const dirty = git(['status', '--porcelain', '--', ...files]);
  if (dirty !== '') {
    throw new DeployError(`${files.join(', ')} ha${files.length === 1 ? 's' : 've'} uncommitted changes; commit or stash them, then approve again`);
  }
  try {
    apply(['--check'], patch.candidate.diff);
  } catch (err) {
    throw new DeployError(`patch ${patch.id} no longer applies to ${files.join(', ')} (${(err as Error).message}); run \`suture heal ${patch.incident}\` again`);
  }
  const branch = branchFor(patch);
  if (git(['branch', '--list', branch]) !== '') throw new DeployError(`branch ${branch} already exists; delete it (git branch -D ${branch}) to approve again`);
  let baseBranch = git(['rev-parse', '--abbrev-ref', 'HEAD']);
  const baseCommit = git(['rev-parse', 'HEAD']);
  if (baseBranch === 'HEAD') baseBranch = baseCommit;
  git(['checkout', '-q', '-b', branch]);
  try {
    apply([], patch.candidate.diff);
    const paths = files.map((f) => path.join(root, f));
    git(['add', '--', ...paths]);
    const env = identityEnv(git, actor);
    gitIn(root, env)(['commit', '-q', '--no-verify', '-F', '-', '--', ...paths], message);
  } catch (err) {
    // Leave the user where they were.
    try {
      // From HEAD, not the index: the failed commit may have staged the patched file already.
      git(['checkout', '-q', 'HEAD', '--', ...files.map((f) => path.join(root, f))]);
    } catch {
      // nothing applied
    }
    git(['checkout', '-q', baseBranch]);
    git(['branch', '-q', '-D', branch]);
    throw err;
  }
  return { mode: 'git', appliedAt, files, branch, baseBranch, baseCommit, commit: git(['rev-parse', 'HEAD']) };
}

/**
 * Takes an applied patch out again. In git: back to the base branch when the patch commit is still
 * the tip of its branch and checked out (the branch stays, for the record); otherwise a commit that
 * reverses it. Elsewhere: the diff applied in reverse.
 */
export function revertPatch(root: string, patch: Patch, deployment: Deployment, message: string, actor: string): { commit?: string; alreadyOut?: true } {
  const files = filesOf(patch);
  if (deployment.mode === 'plain') {
    const git = gitIn(root, { GIT_CEILING_DIRECTORIES: path.dirname(root) });
    try {
      git(['apply', '-R', '--check', '-'], patch.candidate.diff);
    } catch (err) {
      if (applies(() => git(['apply', '--check', '-'], patch.candidate.diff))) return { alreadyOut: true };
      throw new DeployError(`patch ${patch.id} cannot be reversed: ${files.join(', ')} changed since it was applied (${(err as Error).message})`);
    }
    git(['apply', '-R', '-'], patch.candidate.diff);
    return {};
  }
  const repo = repositoryOf(root);
  if (repo === null) throw new DeployError(`${root} is no longer a git repository; patch ${patch.id} was applied with git`);
  const git = gitIn(root);
  const apply = applierAt(repo);
  const head = git(['rev-parse', 'HEAD']);
  const current = git(['rev-parse', '--abbrev-ref', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', ...files]);
  if (current === deployment.branch && head === deployment.commit && dirty === '' && deployment.baseBranch) {
    git(['checkout', '-q', deployment.baseBranch]);
    return { commit: git(['rev-parse', 'HEAD']) };
  }
  try {
    apply(['-R', '--check'], patch.candidate.diff);
  } catch (err) {
    // The patch is not in the working tree at all (say the user went back to the base branch): nothing to take out.
    if (applies(() => apply(['--check'], patch.candidate.diff))) return { alreadyOut: true };
    throw new DeployError(`patch ${patch.id} cannot be reversed: ${files.join(', ')} changed since it was applied (${(err as Error).message})`);
  }
  apply(['-R'], patch.candidate.diff);
  if (dirty !== '') return {}; // the user's own uncommitted work is in these files: leave committing to them
  const paths = files.map((f) => path.join(root, f));
  git(['add', '--', ...paths]);
  gitIn(root, identityEnv(git, actor))(['commit', '-q', '--no-verify', '-F', '-', '--', ...paths], message);
  return { commit: git(['rev-parse', 'HEAD']) };
}

function applies(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}
