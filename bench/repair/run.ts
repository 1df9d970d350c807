// Time to a validated patch: for every crash case of every bundled example, record an incident
// under `suture run`, then time the on-demand `suture heal <id> --json` (confirm by replay,
// localise, generate candidates, validate each in a sandbox). The same-run baseline is one run of
// the example's own test suite (`npm test`), timed right after each heal on the same machine, so
// the printed ratio says how many test-suite runs a heal costs.
//
//   node --import tsx bench/repair/run.ts [--only orders,billing] [--heal-timeout 300] [--out DIR]
//
// Every process is started with spawn and stopped by PID; temp dirs live under os.tmpdir(). The
// heal writes under <example>/.suture/ (patches/<candidate>.diff, sandboxes/): the run snapshots
// that folder before each heal and afterwards removes exactly what the heal added (restoring a
// diff file it overwrote, since candidate ids are content hashes and may repeat across runs).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeIdleSockets, listExamples, sendExampleRequest, waitForHealth, type CrashRequest, type Example } from '../../src/examples.js';
import type { HealReport } from '../../src/model/repair.js';
import { freePort, machine, median, onCleanup, REPO_DIR, runBenchmark, sleep, startProcess, stopPids, stopProcess, SUTURE_BIN, tempDir, type Running } from '../lib/processes.js';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    'heal-timeout': { type: 'string', default: '300' },
    out: { type: 'string' },
  },
});
const HEAL_TIMEOUT_MS = Number(opts['heal-timeout']) * 1000;
if (!(HEAL_TIMEOUT_MS >= 10_000 && HEAL_TIMEOUT_MS <= 1_800_000)) throw new Error('--heal-timeout must be in [10, 1800] seconds');
const only = opts.only ? new Set(opts.only.split(',').map((s) => s.trim())) : null;
const TARGET_MEDIAN_S = 30;
const NORMAL_ROUNDS = 3;
/** The sensor ships a traffic sample once a second: wait for it to reach the store. */
const SAMPLE_WAIT_MS = 1_500;
const TEST_TIMEOUT_MS = 180_000;

interface Case {
  example: Example;
  crash: CrashRequest;
  label: string;
}

interface Result {
  label: string;
  kind: string;
  report?: HealReport;
  error?: string;
  faultTs?: string;
  healWallS?: number;
  testWallS?: number;
  testOk?: boolean;
  leftovers: string[];
}

// ---- .suture/ snapshots: remove only what the heal added ------------------------------------

interface Snapshot {
  root: string;
  /** Relative path → file contents (null for a directory), for every entry under <root>/.suture. */
  entries: Map<string, Buffer | null>;
}

function snapshotSuture(root: string): Snapshot {
  const entries = new Map<string, Buffer | null>();
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(abs);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      entries.set(rel, null);
      // Sandboxes are whole project copies: note the folder, not its contents.
      if (path.dirname(rel) === path.join('.suture', 'sandboxes')) return;
      for (const name of fs.readdirSync(abs)) walk(path.join(rel, name));
    } else if (stat.isFile()) {
      entries.set(rel, fs.readFileSync(abs));
    } else {
      entries.set(rel, null);
    }
  };
  walk('.suture');
  return { root, entries };
}

/**
 * Undoes what one heal added under <root>/.suture: the diff files and sandboxes named after its
 * candidates (or, without a report, named as heal names them), then the folders it created if they
 * are empty. Entries other runs add meanwhile (a concurrent heal or mutation run) are left alone.
 * Restores a pre-existing diff file the heal overwrote. Returns what it touched.
 */
function restoreSuture(before: Snapshot, candidateIds: readonly string[] | null): string[] {
  const after = snapshotSuture(before.root);
  const touched: string[] = [];
  const patches = path.join('.suture', 'patches');
  const sandboxes = path.join('.suture', 'sandboxes');
  const id = candidateIds ? `(?:${candidateIds.map((c) => c.replace(/[^\w-]/g, '')).join('|')})` : '[0-9a-f]{6,}';
  const ourDiff = new RegExp(`^${id}\\.diff$`);
  const ourSandbox = new RegExp(`^(?:baseline|${id})-[A-Za-z0-9]{6}$`);
  const ours = (rel: string) =>
    (path.dirname(rel) === patches && ourDiff.test(path.basename(rel))) || (path.dirname(rel) === sandboxes && ourSandbox.test(path.basename(rel)));
  for (const rel of after.entries.keys()) {
    if (before.entries.has(rel) || !ours(rel)) continue;
    fs.rmSync(path.join(before.root, rel), { recursive: true, force: true });
    touched.push(`removed ${rel}`);
  }
  for (const rel of [sandboxes, patches, '.suture']) {
    if (before.entries.has(rel) || !after.entries.has(rel)) continue;
    try {
      fs.rmdirSync(path.join(before.root, rel)); // only when empty
      touched.push(`removed ${rel}`);
    } catch {
      touched.push(`kept ${rel} (another run's files are in it)`);
    }
  }
  for (const [rel, content] of before.entries) {
    if (content === null || path.dirname(rel) !== patches) continue;
    const now = after.entries.get(rel);
    if (now === undefined || now === null || !now.equals(content)) {
      fs.writeFileSync(path.join(before.root, rel), content);
      touched.push(`restored ${rel}`);
    }
  }
  return touched;
}

// ---- child processes ----------------------------------------------------------------------------

/** Runs a command to completion (bounded); stops it by PID, then its process group, on timeout. */
async function runToEnd(name: string, command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | string; stdout: string; stderr: string; ms: number; timedOut: boolean }> {
  const started = performance.now();
  // detached: its own process group, so helpers it starts (npm → node --test, oracles, sandboxes'
  // servers) can be stopped by that group's id if it overruns.
  const proc = startProcess(name, command, args, { cwd, detached: true, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  proc.child.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  proc.child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void killGroup(proc);
  }, timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, stdout, stderr, ms: performance.now() - started, timedOut };
}

async function killGroup(proc: Running): Promise<void> {
  const pgid = proc.pid;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    // gone
  }
  await sleep(3_000);
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // gone
  }
}

function readEvents(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line being written
    }
  }
  return out;
}

// ---- one case -------------------------------------------------------------------------------

/** Records the incident: serves normal traffic, sends the crash, waits for the fault, stops suture. */
async function recordIncident(c: Case, dir: string): Promise<{ store: string; incident: string; faultTs: string }> {
  const { example, crash } = c;
  const store = path.join(dir, 'suture.db');
  const events = path.join(dir, 'events.jsonl');
  const config = path.join(dir, 'suture.config.json');
  // Measure the on-demand path on its own: no automatic heal while `suture run` serves.
  fs.writeFileSync(config, JSON.stringify({ heal: { auto: false } }));
  const port = await freePort();
  const sup = startProcess(`suture ${c.label}`, process.execPath, [SUTURE_BIN, 'run', '--workers', '1', '--port', String(port), '--store', store, '--events', events, '--config', config, '--quiet', '--', ...example.command], { cwd: example.dir, env: { ...process.env, PORT: String(port) } });
  const workerPids = () => readEvents(events).filter((e) => e.type === 'worker' && e.action === 'fork').map((e) => e.pid as number);
  try {
    await waitForHealth(port, example, 20_000, sup.exited);
    for (let round = 0; round < NORMAL_ROUNDS; round++) {
      for (const req of example.normal) {
        const res = await sendExampleRequest(port, req);
        if (res.error) throw new Error(`${c.label}: normal request ${req.method} ${req.path} failed: ${res.error}`);
      }
    }
    await sleep(SAMPLE_WAIT_MS);
    const crashRes = await sendExampleRequest(port, crash);
    const deadline = Date.now() + 15_000;
    let fault: Record<string, unknown> | undefined;
    while (Date.now() < deadline) {
      fault = readEvents(events).find((e) => e.type === 'fault' && typeof e.incident === 'string');
      if (fault && readEvents(events).some((e) => e.type === 'incident' && e.incident === fault!.incident)) break;
      await sleep(100);
    }
    if (!fault) throw new Error(`${c.label}: no fault event within 15 s of the crash request (it answered ${crashRes.status ?? crashRes.error})\n${sup.output.join('\n')}`);
    // Let the supervisor finish writing the incident and its requests.
    await sleep(500);
    return { store, incident: fault.incident as string, faultTs: fault.ts as string };
  } finally {
    closeIdleSockets();
    const pids = workerPids();
    await stopProcess(sup, 15_000);
    const stubborn = await stopPids(pids, 3_000);
    if (stubborn.length > 0) process.stderr.write(`${c.label}: worker(s) ${stubborn.join(', ')} outlived the supervisor and were killed\n`);
  }
}

async function runCase(c: Case): Promise<Result> {
  const result: Result = { label: c.label, kind: c.crash.kind, leftovers: [] };
  const dir = tempDir(`repair-${c.example.name}`);
  const before = snapshotSuture(c.example.dir);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    result.leftovers = restoreSuture(before, result.report ? result.report.ranked.map((x) => x.candidate.id) : null);
  };
  onCleanup(restore);
  try {
    process.stderr.write(`${c.label}: recording the incident… `);
    const { store, incident, faultTs } = await recordIncident(c, dir);
    result.faultTs = faultTs;
    process.stderr.write(`incident ${incident}; healing… `);
    const heal = await runToEnd(`heal ${c.label}`, process.execPath, [SUTURE_BIN, 'heal', incident, '--store', store, '--json'], c.example.dir, HEAL_TIMEOUT_MS);
    result.healWallS = heal.ms / 1000;
    if (heal.timedOut) throw new Error(`heal did not finish within ${HEAL_TIMEOUT_MS / 1000} s`);
    try {
      result.report = JSON.parse(heal.stdout) as HealReport;
    } catch {
      throw new Error(`heal exited ${heal.code} without a JSON report: ${(heal.stderr || heal.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    }
    if (opts.out) {
      fs.mkdirSync(opts.out, { recursive: true });
      fs.writeFileSync(path.join(opts.out, `${c.label.replace(/[^\w.-]+/g, '_')}.json`), heal.stdout);
    }
    process.stderr.write(`${result.healWallS.toFixed(1)} s; npm test… `);
    // Restore first, so the test run sees the example as it was.
    restore();
    const test = await runToEnd(`npm test ${c.example.name}`, 'npm', ['test', '--silent'], c.example.dir, TEST_TIMEOUT_MS);
    result.testWallS = test.ms / 1000;
    result.testOk = test.code === 0;
    process.stderr.write(`${result.testWallS.toFixed(1)} s\n`);
  } catch (err) {
    result.error = (err as Error).message;
    process.stderr.write(`failed: ${result.error.split('\n')[0]}\n`);
  } finally {
    restore();
  }
  return result;
}

// ---- output ---------------------------------------------------------------------------------

function table(rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function secondsToPatch(r: Result): number | undefined {
  if (!r.report?.patch || !r.faultTs) return undefined;
  return (Date.parse(r.report.patch.createdAt) - Date.parse(r.faultTs)) / 1000;
}

function print(results: Result[]): void {
  const header = ['case', 'kind', 'confirmed', 'cands', 'validated', 'passed', 'behaviour', 'patch', 'incident→patch', 'heal wall', 'npm test', 'heal ÷ test'];
  const rows = [header];
  for (const r of results) {
    const rep = r.report;
    const p = rep?.patch;
    const b = p?.validation.behaviour;
    const s = secondsToPatch(r);
    rows.push([
      r.label,
      r.kind,
      rep ? rep.diagnosis.reproduced : '—',
      rep ? String(rep.candidates) : '—',
      rep ? String(rep.validated) : '—',
      rep ? String(rep.passed) : '—',
      b ? `${b.preserved}/${b.total}` : '—',
      p ? p.candidate.kind : r.error ? 'error' : 'none',
      s !== undefined ? `${s.toFixed(1)} s` : '—',
      r.healWallS !== undefined ? `${r.healWallS.toFixed(1)} s` : '—',
      r.testWallS !== undefined ? `${r.testWallS.toFixed(2)} s${r.testOk ? '' : ' (red)'}` : '—',
      r.healWallS !== undefined && r.testWallS ? `${(r.healWallS / r.testWallS).toFixed(1)}×` : '—',
    ]);
  }
  process.stdout.write(`${table(rows, new Set([3, 4, 5, 6, 8, 9, 10, 11]))}\n\n`);

  const times = results.map(secondsToPatch).filter((s): s is number => s !== undefined);
  const patched = times.length;
  const med = patched > 0 ? median(times) : NaN;
  const heals = results.map((r) => r.healWallS).filter((s): s is number => s !== undefined);
  const ratios = results.filter((r) => r.healWallS !== undefined && r.testWallS).map((r) => r.healWallS! / r.testWallS!);
  process.stdout.write(`validated patch: ${patched} / ${results.length} cases\n`);
  process.stdout.write(`median incident→validated patch: ${patched ? `${med.toFixed(1)} s` : '—'} (target < ${TARGET_MEDIAN_S} s: ${patched === results.length && med < TARGET_MEDIAN_S ? 'met' : 'not met'})\n`);
  if (heals.length) process.stdout.write(`median heal wall time: ${median(heals).toFixed(1)} s; median heal ÷ one test-suite run: ${ratios.length ? `${median(ratios).toFixed(1)}×` : '—'}\n`);
  process.stdout.write(`(incident→patch: the fault event's ts to the patch's createdAt; it includes the ~1 s to stop suture and start the heal. The report's own secondsToPatch, from the incident's firstSeen: ${results.map((r) => (r.report?.patch ? r.report.patch.secondsToPatch.toFixed(1) : '—')).join(', ')} s.)\n`);

  // Anything odd: cases without a patch, failed candidates' reasons, leftovers, errors.
  const notes: string[] = [];
  for (const r of results) {
    if (r.error) notes.push(`${r.label}: ${r.error.split('\n')[0]}`);
    const rep = r.report;
    if (rep) {
      if (!rep.patch) notes.push(`${r.label}: no patch — ${rep.note ?? 'no note'}`);
      if (!rep.baseline.testsOk) notes.push(`${r.label}: the example's suite was red before any patch`);
      const failed = rep.ranked.filter((x) => !x.validation.passed);
      if (failed.length > 0) {
        const reasons = new Map<string, number>();
        for (const x of failed) {
          const key = `${x.candidate.kind}: ${x.validation.reason ?? '(no reason)'}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
        notes.push(`${r.label}: ${failed.length} candidate(s) failed validation:${[...reasons].map(([k, n]) => `\n      ${n} × ${k}`).join('')}`);
      }
      if (rep.patch) notes.push(`${r.label}: chose ${rep.patch.candidate.kind} ${rep.patch.candidate.id} — ${rep.patch.candidate.description} (${rep.patch.candidate.diffLines} diff lines, distance ${rep.patch.candidate.distance})`);
    }
    if (r.testOk === false) notes.push(`${r.label}: npm test exited non-zero in the example folder`);
    const unexpected = r.leftovers.filter((l) => !/^(removed|restored) \.suture\/patches\/[^/]+\.diff$|^removed \.suture(\/patches)?$/.test(l));
    if (unexpected.length > 0) notes.push(`${r.label}: cleaned up after the heal: ${unexpected.join(', ')}`);
  }
  if (notes.length > 0) process.stdout.write(`\nnotes:\n${notes.map((n) => `  ${n}`).join('\n')}\n`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(REPO_DIR, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build first');
  const examples = listExamples(path.join(REPO_DIR, 'examples')).filter((e) => !only || only.has(e.name));
  const cases: Case[] = examples.flatMap((example) =>
    example.crash.map((crash) => ({ example, crash, label: example.crash.length > 1 ? `${example.name}/${crash.kind}` : example.name })),
  );
  if (cases.length === 0) throw new Error('no cases selected');
  process.stdout.write(`repair: ${cases.length} crash case(s), suture run --workers 1 then suture heal <id> --json; baseline: one npm test run per case\n${machine()}\n\n`);
  const results: Result[] = [];
  for (const c of cases) results.push(await runCase(c));
  process.stdout.write('\n');
  print(results);
}

runBenchmark(main);
