// A throwaway copy of the project where instrumented files are written; the user's tree is
// never touched. node_modules is linked, not copied: the nearest one up the tree, so projects
// that rely on an ancestor's node_modules (monorepos, our fixtures) resolve the same packages.
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const neverCopied = new Set(['node_modules', '.git', '.suture', 'coverage']);

export interface Sandbox {
  dir: string;
  dispose(): void;
}

export async function createSandbox(projectDir: string, excluded: readonly string[] = []): Promise<Sandbox> {
  // The real path: test runners report files by it (process.cwd(), vitest), and coverage must match.
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'suture-mutate-')));
  const skip = new Set(excluded.map((p) => path.resolve(projectDir, p)));
  await cp(projectDir, dir, {
    recursive: true,
    filter: (source) => !neverCopied.has(path.basename(source)) && !skip.has(path.resolve(source)),
  });
  const modules = nearestNodeModules(projectDir);
  if (modules) symlinkSync(modules, path.join(dir, 'node_modules'), 'dir');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function nearestNodeModules(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
