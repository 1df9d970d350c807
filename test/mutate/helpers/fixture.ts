// Copies a fixture project to a temp dir (runs write reports and .suture/ state into it) and
// links it to the repository's node_modules, where mocha, vitest and tsx are installed.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixturesDir = path.join(repoRoot, 'test/fixtures/mutate');

export interface FixtureCopy {
  dir: string;
  dispose(): void;
}

export function copyFixture(name: string): FixtureCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), `suture-fixture-${name}-`));
  cpSync(path.join(fixturesDir, name), dir, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
