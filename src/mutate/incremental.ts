// Incremental mode: a mutant's earlier result stands when its file's content, the set of test
// files covering it and each of those files' contents are all unchanged.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MutantStatus } from './result.js';

export const incrementalFile = '.suture/mutation-incremental.json';

interface StoredMutant {
  status: MutantStatus;
  coveredBy: string[];
  isStatic: boolean;
  killedBy?: string[];
}

interface StoredState {
  version: 1;
  files: Record<string, { hash: string; mutants: Record<string, StoredMutant> }>;
  tests: Record<string, string>;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function mutantKey(m: { operator: string; start: number; end: number; replacement: string }): string {
  return `${m.operator}:${m.start}:${m.end}:${m.replacement}`;
}

export class IncrementalState {
  private constructor(private readonly previous: StoredState, private readonly next: StoredState) {}

  static load(projectDir: string): IncrementalState {
    const file = path.join(projectDir, incrementalFile);
    let previous: StoredState = { version: 1, files: {}, tests: {} };
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8')) as StoredState;
        if (parsed.version === 1) previous = parsed;
      } catch {
        // A corrupt state file only costs a full run.
      }
    }
    return new IncrementalState(previous, { version: 1, files: {}, tests: {} });
  }

  /** The earlier result, if the mutant and every test covering it are unchanged. */
  reusable(file: string, fileHash: string, key: string, coveredBy: readonly string[], testHashes: ReadonlyMap<string, string>): StoredMutant | undefined {
    const stored = this.previous.files[file];
    if (!stored || stored.hash !== fileHash) return undefined;
    const mutant = stored.mutants[key];
    if (!mutant) return undefined;
    const before = [...mutant.coveredBy].sort().join('\n');
    if (before !== [...coveredBy].sort().join('\n')) return undefined;
    for (const test of coveredBy) {
      if (this.previous.tests[test] === undefined || this.previous.tests[test] !== testHashes.get(test)) return undefined;
    }
    return mutant;
  }

  record(file: string, fileHash: string, key: string, mutant: StoredMutant): void {
    const entry = (this.next.files[file] ??= { hash: fileHash, mutants: {} });
    entry.mutants[key] = mutant;
  }

  recordTests(testHashes: ReadonlyMap<string, string>): void {
    for (const [test, hash] of testHashes) this.next.tests[test] = hash;
  }

  save(projectDir: string): void {
    const file = path.join(projectDir, incrementalFile);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(this.next)}\n`);
  }
}
