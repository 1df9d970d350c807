// The console summary: one row per file and a total.
import type { MutationRun, Tally } from '../result.js';
import { tally } from '../result.js';

export function formatSummary(run: MutationRun): string {
  const header = ['file', 'score', 'killed', 'survived', 'timeout', 'no cov', 'static', 'ignored'];
  const row = (name: string, t: Tally, statics: number) => [name, formatScore(t.score), t.killed, t.survived, t.timeout, t.noCoverage, statics, t.ignored + t.errors].map(String);
  const rows = run.files.map((f) => row(f.path, tally(f.mutants), f.mutants.filter((m) => m.isStatic).length));
  rows.push(row('all files', run.tally, run.files.reduce((n, f) => n + f.mutants.filter((m) => m.isStatic).length, 0)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.slice(0, -1).map(line), rule, line(rows[rows.length - 1]!),
    '',
    `${run.tally.total} mutants, ${run.executed} run, ${run.reused} reused, in ${(run.durationMs / 1000).toFixed(1)} s (${run.runner})`,
    `report: ${run.reportFiles.json}`,
    `html:   ${run.reportFiles.html}`].join('\n');
}

export function formatScore(score: number): string {
  return Number.isNaN(score) ? 'n/a' : score.toFixed(2);
}

export function summaryJson(run: MutationRun): object {
  return {
    ...run.tally,
    score: Number.isNaN(run.tally.score) ? null : Number(run.tally.score.toFixed(2)),
    executed: run.executed,
    reused: run.reused,
    durationMs: Math.round(run.durationMs),
    runner: run.runner,
    files: Object.fromEntries(run.files.map((f) => {
      const t = tally(f.mutants);
      return [f.path, { ...t, score: Number.isNaN(t.score) ? null : Number(t.score.toFixed(2)) }];
    })),
    report: run.reportFiles,
  };
}
