// Suture's `mutate` against StrykerJS 9.6.1 on the same projects, files and operator set, in one
// run, side by side: wall time, ratio, mutant counts and mutation scores.
// Run: node --import tsx bench/mutate/run.ts [--only <name substring>]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProjects, type BenchProject } from './projects.js';
import { buildSutureMutate } from './build.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const strykerHomes = [path.join(repoRoot, 'bench/node_modules'), '/tmp/stryker-peer/node_modules'];
const concurrency = os.availableParallelism();

interface Outcome {
  seconds: number;
  mutants: number;
  score: number;
  /** Per mutated place (file, range, operator): the statuses there. */
  places?: Map<string, string[]>;
  error?: string;
}

function strykerBin(): string | undefined {
  for (const home of strykerHomes) {
    const bin = path.join(home, '@stryker-mutator/core/bin/stryker.js');
    if (existsSync(bin)) return bin;
  }
  return undefined;
}

function prepare(project: BenchProject): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'suture-bench-mutate-'));
  for (const [from, to] of project.copies) {
    // Earlier runs' outputs are not part of the project (`reports` only below the project root).
    cpSync(from, path.join(dir, to), { recursive: true, filter: (src) => src === from || !['node_modules', 'reports', '.suture', '.stryker-tmp'].includes(path.basename(src)) });
  }
  if (project.manifest) writeFileSync(path.join(dir, 'package.json'), JSON.stringify(project.manifest));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

interface ReportMutant {
  status: string;
  mutatorName: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

// Score over the mutation-testing-report-schema JSON both tools write, computed the same way.
function readReport(file: string): { mutants: number; score: number; places: Map<string, string[]> } {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { mutants: ReportMutant[] }> };
  const all = Object.values(report.files).flatMap((f) => f.mutants);
  const count = (...statuses: string[]) => all.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  const places = new Map<string, string[]>();
  for (const [name, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      const { start, end } = m.location;
      const key = `${name}:${start.line}:${start.column}-${end.line}:${end.column} ${m.mutatorName}`;
      places.set(key, [...(places.get(key) ?? []), m.status].sort());
    }
  }
  return { mutants: all.length, score: valid ? (detected / valid) * 100 : Number.NaN, places };
}

/** Mutated places where the two tools detected a different number of mutants. */
function differences(a: Map<string, string[]>, b: Map<string, string[]>): string[] {
  const detected = (statuses: string[] = []) => statuses.filter((s) => s === 'Killed' || s === 'Timeout').length;
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((key) => detected(a.get(key)) !== detected(b.get(key)))
    .map((key) => `${key}: suture ${(a.get(key) ?? ['-']).join(',')} / stryker ${(b.get(key) ?? ['-']).join(',')}`);
}

function timed(command: string, args: string[], cwd: string): { seconds: number; ok: boolean; output: string } {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { seconds: (performance.now() - started) / 1000, ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}

function runSuture(project: BenchProject, cli: string): Outcome {
  const dir = prepare(project);
  try {
    const run = timed(process.execPath, [cli, 'mutate', '--cwd', dir, '--json', '--concurrency', String(concurrency), ...project.mutate], repoRoot);
    if (!run.ok) return { seconds: run.seconds, mutants: 0, score: Number.NaN, error: lastLine(run.output) };
    return { seconds: run.seconds, ...readReport(path.join(dir, 'reports/mutation/mutation.json')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runStryker(project: BenchProject, bin: string): Outcome {
  const dir = prepare(project);
  try {
    const config: Record<string, unknown> = {
      mutate: project.mutate,
      testRunner: project.runner === 'node' ? 'tap' : project.runner,
      coverageAnalysis: 'perTest',
      concurrency,
      reporters: ['json'],
      timeoutMS: 3000,
      timeoutFactor: 1.5,
      ignoreStatic: false,
      cleanTempDir: 'always',
      disableTypeChecks: true,
      checkers: [],
    };
    if (project.runner === 'node') {
      config.tap = { testFiles: project.testFiles, nodeArgs: ['-r', '{{hookFile}}', ...(project.nodeArgs ?? [])], forceBail: true };
    }
    writeFileSync(path.join(dir, 'stryker.config.json'), JSON.stringify(config, null, 2));
    const run = timed(process.execPath, [bin, 'run', 'stryker.config.json'], dir);
    if (!run.ok) return { seconds: run.seconds, mutants: 0, score: Number.NaN, error: lastLine(run.output) };
    return { seconds: run.seconds, ...readReport(path.join(dir, 'reports/mutation/mutation.json')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastLine(output: string): string {
  const lines = output.trim().split('\n').filter((l) => /error/i.test(l));
  return (lines[lines.length - 1] ?? output.trim().split('\n').pop() ?? '').slice(0, 200);
}

const fmtScore = (s: number) => (Number.isNaN(s) ? 'n/a' : s.toFixed(2));

function main(): void {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const bin = strykerBin();
  if (!bin) {
    console.error(`StrykerJS not found in ${strykerHomes.join(' or ')}: npm install --prefix bench --no-audit --no-fund`);
    process.exitCode = 1;
    return;
  }
  const build = buildSutureMutate(repoRoot);
  try {
    compare(bin, build.cli, only);
  } finally {
    build.dispose();
  }
}

function compare(bin: string, sutureCli: string, only: string | undefined): void {
  console.log(`suture mutate vs StrykerJS 9.6.1 (${path.dirname(path.dirname(path.dirname(bin)))}), concurrency ${concurrency}, node ${process.version}`);
  const header = ['project', 'suture s', 'stryker s', 'ratio', 'mutants S/St', 'score S', 'score St', 'Δscore'];
  console.log(header.join(' | '));
  const ratios: number[] = [];
  for (const project of benchProjects(repoRoot)) {
    if (only && !project.name.includes(only)) continue;
    const suture = runSuture(project, sutureCli);
    const stryker = runStryker(project, bin);
    const ratio = stryker.seconds / suture.seconds;
    if (!suture.error && !stryker.error) ratios.push(ratio);
    console.log([
      project.name,
      suture.seconds.toFixed(1),
      stryker.seconds.toFixed(1),
      `${ratio.toFixed(2)}x`,
      `${suture.mutants}/${stryker.mutants}`,
      fmtScore(suture.score),
      fmtScore(stryker.score),
      fmtScore(Math.abs(suture.score - stryker.score)),
    ].join(' | '));
    if (suture.places && stryker.places) for (const line of differences(suture.places, stryker.places)) console.log(`  differs at ${line}`);
    if (suture.error) console.log(`  suture failed: ${suture.error}`);
    if (stryker.error) console.log(`  stryker failed: ${stryker.error}`);
  }
  if (ratios.length > 0) {
    const geomean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    console.log(`geometric mean speed-up (Stryker time / Suture time): ${geomean.toFixed(2)}x over ${ratios.length} projects`);
  }
}

main();
