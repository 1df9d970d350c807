// Terminal output: event lines for the live log and the demo timeline, and plain tables.

import path from 'node:path';
import type { SutureEvent } from '../model/event.js';
import type { Frame, Incident } from '../model/fault.js';
import type { Diagnosis, Patch } from '../model/repair.js';
import type { IncidentSummary } from '../store/store.js';

const useColor = process.stderr.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const dim = paint(2);
export const bold = paint(1);

type Req = { method: string; url: string } | undefined;
const req = (r: unknown) => (r ? `${(r as Req)!.method} ${(r as Req)!.url}` : '');

/** One line describing an event, or null for events not worth a line. */
export function describeEvent(e: SutureEvent): string | null {
  switch (e.type) {
    case 'start':
      return `supervising ${(e.command as string[]).join(' ')} with ${e.workers} worker(s)${e.port != null ? ` on port ${e.port}` : ''}`;
    case 'service':
      if (e.state === 'serving') return green(`serving: workers ${(e.workers as number[]).join(', ')}${e.port ? ` on port ${e.port}` : ''}`);
      if (e.state === 'failing') return red(String(e.reason));
      if (e.state === 'stopping') return `stopping (${e.reason}): draining in-flight requests`;
      if (e.state === 'tracing') return `tracing request context from now on (${String(e.reason)})`;
      return null;
    case 'worker':
      if (e.action === 'exit' && !e.expected) return yellow(`worker ${e.pid} died (${e.signal ? `signal ${e.signal}` : `code ${e.code}`})`);
      if (e.action === 'restart') return `restarting worker slot ${e.slot} in ${e.delayMs} ms (${e.recentDeaths} recent death(s))`;
      return null;
    case 'fault':
      return red(`fault ${e.errorClass}: ${e.message}`) + dim(` at ${e.location ?? '?'}${e.request ? ` during ${req(e.request)}` : ''} (${e.origin}, worker ${e.pid})`);
    case 'incident':
      return bold(`incident ${e.incident} opened`) + dim(` ${e.signature}`);
    case 'shield':
      if (e.action === 'contain') return green(`contained: ${req(e.request)} answered ${e.answered}; other requests unaffected`);
      if (e.action === 'recycle' && e.phase === 'start') return `recycling worker ${e.pid}: replacement starting`;
      if (e.action === 'recycle' && e.phase === 'done') return green(`worker ${e.pid} drained and replaced by ${e.replacement ?? '?'}, no request dropped`);
      if (e.action === 'raise') return green(`shield up for incident ${e.incident}: ${e.description}`) + dim(` (until ${e.expiresAt})`);
      if (e.action === 'lift') return `shield ${e.shield} lifted: ${e.reason}`;
      if (e.action === 'refused') return yellow(`no ${e.kind} shield for incident ${e.incident}: ${e.reason}`);
      return null;
    case 'deploy':
      if (e.phase === 'canary') return `canary: patch ${e.patch} on ${e.workers} of ${e.of} worker(s)`;
      if (e.phase === 'promote') return green(`canary passed for patch ${e.patch}: ${e.reason}; promoting`);
      if (e.phase === 'done') return green(`patch ${e.patch} deployed to every worker in ${e.seconds} s`);
      if (e.phase === 'approved') return `patch ${e.patch} approved by ${e.actor}`;
      if (e.phase === 'held') return yellow(`patch ${e.patch} left for a person: ${e.reason}`);
      return null;
    case 'rollback':
      if (e.phase === 'start') return red(`canary failed for patch ${e.patch}: ${e.reason}; rolling back`);
      if (e.phase === 'done') return yellow(`patch ${e.patch} rolled back in ${e.seconds} s`);
      return null;
    case 'stop':
      return `stopped (exit ${e.code})`;
    case 'diagnosis':
      return e.reproduced === 'never'
        ? yellow(`incident ${e.incident} did not reproduce on replay: kept, not repaired`)
        : `incident ${e.incident} confirmed by replay (${e.reproduced}, ${e.replays} replays)${e.suspicious ? dim(`; most suspicious: ${e.suspicious}`) : ''}`;
    case 'candidate':
      return dim(`candidate ${e.candidate} (${e.kind}): ${e.description}`);
    case 'validation':
      return e.passed
        ? green(`validated ${e.candidate}: tests pass, trigger fixed${e.variants ? `, variants ${e.variants}` : ''}${e.preserved ? `, normal responses unchanged ${e.preserved}` : ''}`)
        : dim(`rejected ${e.candidate}: ${e.reason}`);
    case 'patch':
      return bold(green(`patch ${e.patch} proposed for incident ${e.incident}: ${e.description}`)) + dim(` (${e.file})`);
    default:
      return `${e.type}${e.incident ? ` ${e.incident}` : ''}`;
  }
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function where(frame: Frame | undefined, root: string): string {
  if (!frame) return '?';
  return `${path.relative(root, frame.file) || frame.file}:${frame.line}`;
}

export function incidentsTable(incidents: IncidentSummary[]): string {
  return table([
    ['ID', 'COUNT', 'REPRO', 'LAST SEEN', 'ERROR', 'WHERE'],
    ...incidents.map((i) => [
      i.id,
      String(i.count),
      i.reproduced,
      i.lastSeen.replace('T', ' ').slice(0, 19),
      `${i.errorClass}: ${i.messagePattern}`.slice(0, 80),
      where(i.location, i.service.cwd),
    ]),
  ]);
}

export function incidentDetail(incident: Incident): string {
  const root = incident.service.cwd;
  const lines = [
    bold(`incident ${incident.id}`),
    `  error       ${incident.errorClass}: ${incident.message}`,
    `  signature   ${incident.signature}`,
    `  origin      ${incident.origin}`,
    `  seen        ${incident.count} time(s), first ${incident.firstSeen}, last ${incident.lastSeen}`,
    `  reproduced  ${incident.reproduced}`,
    `  where       ${where(incident.location, root)}`,
    `  service     ${incident.service.command.join(' ')}  (in ${root})`,
    '',
    '  stack (source-mapped):',
    ...incident.frames.map((f) => {
      const text = `${f.fn ?? '<anonymous>'} ${where(f, root)}${f.generated ? dim(`  (from ${path.relative(root, f.generated.file)}:${f.generated.line})`) : ''}`;
      return f.app ? `    ${text}` : dim(`    ${text}`);
    }),
    '',
    `  triggering requests (${incident.requests.length}, redacted):`,
  ];
  for (const r of incident.requests) {
    lines.push(`    ${r.method} ${r.url}${r.status ? ` → ${r.status}` : ''}  ${dim(new Date(r.startedAt).toISOString())}`);
    for (const [name, value] of Object.entries(r.headers)) lines.push(dim(`      ${name}: ${value}`));
    if (r.body !== undefined) lines.push(`      body: ${r.body.length > 400 ? `${r.body.slice(0, 400)}…` : r.body}${r.bodyTruncated ? ' (truncated)' : ''}`);
  }
  return lines.join('\n');
}

export function diagnosisDetail(d: Diagnosis, root: string): string {
  const lines = [bold('diagnosis'), `  reproduced  ${d.reproduced} (${d.replays} replays)`];
  const loc = d.localisation;
  if (loc) {
    lines.push(`  suspicious statements (Ochiai over ${loc.failingRuns} failing and ${loc.passingRuns} passing replays):`);
    for (const s of loc.ranking.slice(0, 5)) lines.push(`    ${s.score.toFixed(2)}  ${path.relative(root, s.file)}:${s.line}  ${dim(`(failing ${s.failed}, passing ${s.passed})`)}`);
  }
  return lines.join('\n');
}

function colourDiff(diff: string): string {
  return diff
    .trimEnd()
    .split('\n')
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? green(l) : l.startsWith('-') && !l.startsWith('---') ? red(l) : l.startsWith('@@') ? dim(l) : l))
    .map((l) => `    ${l}`)
    .join('\n');
}

export function patchDetail(p: Patch, root: string): string {
  const v = p.validation;
  const rel = root ? path.relative(root, p.diffFile) || p.diffFile : p.diffFile;
  return [
    bold(`patch ${p.id}`) + ` for incident ${p.incident} (${p.status})`,
    `  change      ${p.candidate.kind}: ${p.candidate.description}`,
    `  diff        ${rel} (${p.candidate.diffLines} line(s))`,
    `  evidence    tests ${v.tests.ok ? 'pass' : 'fail'}${v.tests.baselineRed ? ' (suite was red before the patch; no new failure)' : ''}${v.build ? `, build ${v.build.ok ? 'ok' : 'failed'}` : ''}`,
    `              trigger no longer faults (${v.trigger.total - v.trigger.failed}/${v.trigger.total}), earlier faulting requests ${v.earlier.total - v.earlier.failed}/${v.earlier.total}`,
    `              variants handled ${v.variants.total - v.variants.failed}/${v.variants.total}, normal responses unchanged ${v.behaviour.preserved}/${v.behaviour.total} (${(v.behaviour.fraction * 100).toFixed(0)}%)`,
    ...(v.mutationScore
      ? [
          v.mutationScore.mutants === 0
            ? `              mutation score: no mutants around the patched lines`
            : v.mutationScore.score === null
              ? `              mutation score: ${red('no test reaches the patched lines; the tests cannot judge this patch')}`
              : `              mutation score of the tests around the patched lines ${v.mutationScore.score}% (${v.mutationScore.killed}/${v.mutationScore.mutants} mutants killed)${v.mutationScore.weak ? red(' — weak: these tests barely judge this patch') : ''}`,
        ]
      : []),
    `  time        ${p.secondsToPatch.toFixed(1)} s from the first fault`,
    '',
    colourDiff(p.candidate.diff),
  ].join('\n');
}

export function patchesTable(patches: Patch[]): string {
  return table([
    ['ID', 'INCIDENT', 'STATUS', 'KIND', 'LINES', 'UNCHANGED', 'CHANGE'],
    ...patches.map((p) => [
      p.id,
      p.incident,
      p.status,
      p.candidate.kind,
      String(p.candidate.diffLines),
      `${p.validation.behaviour.preserved}/${p.validation.behaviour.total}`,
      p.candidate.description.slice(0, 70),
    ]),
  ]);
}
