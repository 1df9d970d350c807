// Spectrum-based fault localisation: statements that run in failing replays and rarely in passing
// ones are suspicious. Ochiai: failed(s) / sqrt(totalFailed * (failed(s) + passed(s))).

import type { Frame } from '../model/fault.js';
import type { Localisation, SuspiciousStatement } from '../model/repair.js';
import { statementsOf, type Spectrum } from './coverage.js';
import { SourceMapper } from './source-map.js';

export function ochiai(failed: number, passed: number, totalFailed: number): number {
  if (failed === 0 || totalFailed === 0) return 0;
  return failed / Math.sqrt(totalFailed * (failed + passed));
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return { line, column: offset - lastBreak };
}

/** Ranks statements by suspiciousness, mapped back to original sources, best first. */
export function rankStatements(failing: Spectrum[], passing: Spectrum[], mapper = new SourceMapper(), limit = 500): SuspiciousStatement[] {
  const counts = new Map<string, { file: string; index: number; failed: number; passed: number }>();
  const tally = (runs: Spectrum[], key: 'failed' | 'passed') => {
    for (const run of runs) {
      for (const [file, indexes] of run) {
        for (const index of indexes) {
          const id = `${file}#${index}`;
          const entry = counts.get(id) ?? { file, index, failed: 0, passed: 0 };
          entry[key]++;
          counts.set(id, entry);
        }
      }
    }
  };
  tally(failing, 'failed');
  tally(passing, 'passed');

  // Several generated statements can map to one original line: keep the line's best score.
  const byLine = new Map<string, SuspiciousStatement>();
  for (const entry of counts.values()) {
    const score = ochiai(entry.failed, entry.passed, failing.length);
    if (score === 0) continue;
    const script = statementsOf(entry.file)!;
    const { line, column } = lineOf(script.text, script.statements[entry.index]!.start);
    const mapped = mapper.mapFrame({ file: entry.file, line, column, app: true });
    const key = `${mapped.file}:${mapped.line}`;
    const prev = byLine.get(key);
    if (!prev || prev.score < score) byLine.set(key, { file: mapped.file, line: mapped.line, score, failed: entry.failed, passed: entry.passed });
  }
  return [...byLine.values()]
    .sort((a, b) => b.score - a.score || a.passed - b.passed || a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, limit);
}

export function localisation(frames: Frame[], failing: Spectrum[], passing: Spectrum[]): Localisation {
  return {
    stack: frames.filter((f) => f.app).map((f) => ({ file: f.file, line: f.line, column: f.column, ...(f.fn ? { fn: f.fn } : {}) })),
    ranking: rankStatements(failing, passing),
    failingRuns: failing.length,
    passingRuns: passing.length,
  };
}
