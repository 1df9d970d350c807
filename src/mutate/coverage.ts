// Reads what the helper recorded during the coverage run: per mutant, the test files that
// reached it and whether it was reached while modules were loading.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface MutantCoverage {
  /** Project-relative test files that reached the mutant while a test was running. */
  tests: Set<string>;
  /** Reached during module load: which test needs it is unknown, so all tests run it. */
  isStatic: boolean;
  /** Reached outside any known test (e.g. in a mocha `before` hook): all tests run it too. */
  unattributed: boolean;
  /** How often the coverage run reached it (0 when the run could not count). */
  hits: number;
}

export function readCoverage(coverageDir: string, sandboxDir: string, knownTests?: ReadonlySet<string>): Map<number, MutantCoverage> {
  const byMutant = new Map<number, MutantCoverage>();
  const entryOf = (id: number): MutantCoverage => {
    let entry = byMutant.get(id);
    if (!entry) byMutant.set(id, (entry = { tests: new Set(), isStatic: false, unattributed: false, hits: 0 }));
    return entry;
  };
  for (const name of readdirSync(coverageDir)) {
    for (const line of readFileSync(path.join(coverageDir, name), 'utf8').split('\n')) {
      if (!line) continue;
      const record = parseLine(line);
      if (!record) continue;
      if ('c' in record) {
        for (const [id, count] of Object.entries(record.c)) entryOf(Number(id)).hits += count;
        continue;
      }
      const hit = record;
      const entry = entryOf(hit.id);
      const recorded = testPath(hit.t, sandboxDir);
      const test = recorded && (!knownTests || knownTests.has(recorded)) ? recorded : undefined;
      if (hit.s) entry.isStatic = true;
      if (test) entry.tests.add(test);
      else if (!hit.s) entry.unattributed = true;
    }
  }
  return byMutant;
}

type CoverageLine = { t: string; id: number; s: 0 | 1 } | { c: Record<string, number> };

// A process killed while writing (a test that kills a server it spawned) may leave half a line.
function parseLine(line: string): CoverageLine | undefined {
  try {
    return JSON.parse(line) as CoverageLine;
  } catch {
    return undefined;
  }
}

function testPath(recorded: string, sandboxDir: string): string | undefined {
  if (!recorded) return undefined;
  const absolute = recorded.startsWith('file://') ? new URL(recorded).pathname : recorded;
  const relative = path.relative(sandboxDir, absolute).split(path.sep).join('/');
  if (relative.startsWith('..') || path.isAbsolute(relative) || relative.includes('node_modules/')) return undefined;
  return relative;
}
