// `suture demo`: runs a bundled example under a real `suture run`, mixes normal traffic with the
// input that crashes it, prints the timeline as it happens, replays the incident, and sums up.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { freePort } from '../../ports.js';
import { readEvents } from '../../supervisor/event-log.js';
import { openStore } from '../../store/open.js';
import { closeIdleSockets, loadExample, sendExampleRequest, waitForHealth } from '../../examples.js';
import { UsageError } from '../errors.js';
import type { Patch } from '../../model/repair.js';
import { bold, describeEvent, dim, green, patchDetail, red } from '../format.js';
import { wholeNumber } from './options.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(PACKAGE_ROOT, 'bin/suture.js');
export const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

interface DemoOptions {
  example: string;
  seconds: number;
  concurrency: number;
  healSeconds: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the bundled example, end to end, with a printed timeline')
    .option('-e, --example <name>', 'which example under examples/', 'orders')
    .option('-s, --seconds <n>', 'how long to send traffic', wholeNumber('--seconds', 2, 600), 8)
    .option('--concurrency <n>', 'concurrent normal clients', wholeNumber('--concurrency', 1, 256), 4)
    .option('--heal-seconds <n>', 'how long to wait for healing to finish', wholeNumber('--heal-seconds', 10, 3600), 180)
    .action(async (opts: DemoOptions) => {
      process.exitCode = await demo(opts);
    });
}

async function demo(opts: DemoOptions): Promise<number> {
  const dir = path.join(EXAMPLES_DIR, opts.example);
  if (!fs.existsSync(path.join(dir, 'example.json'))) {
    const known = fs.readdirSync(EXAMPLES_DIR).filter((d) => fs.existsSync(path.join(EXAMPLES_DIR, d, 'example.json')));
    throw new UsageError(`no example named ${opts.example}; choose one of ${known.join(', ')}`);
  }
  const example = loadExample(dir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-demo-'));
  const storeFile = path.join(work, 'suture.db');
  const eventsFile = path.join(work, 'events.jsonl');
  const port = await freePort();
  const t0 = Date.now();
  const stamp = () => dim(`+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`);
  const say = (line: string) => process.stdout.write(`${stamp()}  ${line}\n`);

  process.stdout.write(`${bold('Suture demo')}: ${example.name} — ${example.description}\n`);
  process.stdout.write(dim(`store ${storeFile}\nevents ${eventsFile}\n\n`));

  const child = spawn(
    process.execPath,
    [BIN, 'run', '--workers', '2', '--port', String(port), '--events', eventsFile, '--store', storeFile, '--quiet', '--', ...example.command],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let supervisorErr = '';
  child.stderr!.on('data', (c: Buffer) => (supervisorErr += c.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));

  let printed = 0;
  const printEvents = () => {
    const events = readEvents(eventsFile);
    for (const e of events.slice(printed)) {
      const line = describeEvent(e);
      if (line) say(line);
    }
    printed = events.length;
  };
  const tail = setInterval(printEvents, 100);

  let normalSent = 0;
  let normalOk = 0;
  let crashSent = 0;
  let crashContained = 0;
  let crashRefused = 0;
  let healthyAfter = false;
  let incidentIds: string[] = [];
  try {
    await waitForHealth(port, example, 20_000, exited);
    say(`${example.command.join(' ')} is up on 127.0.0.1:${port}; sending traffic for ${opts.seconds}s`);

    const trafficStart = Date.now();
    const deadline = trafficStart + opts.seconds * 1000;
    // The first crash comes once some normal traffic is recorded: shields and repairs learn from it.
    const crashTimes = [0.3, 0.55, 0.8].map((f) => trafficStart + (deadline - trafficStart) * f);
    const clients = Array.from({ length: opts.concurrency }, async (_, c) => {
      let i = c;
      while (Date.now() < deadline) {
        const req = example.normal[i++ % example.normal.length]!;
        normalSent++;
        const res = await sendExampleRequest(port, req);
        if (res.status !== undefined && res.status < 500) normalOk++;
      }
    });
    const crasher = (async () => {
      for (let k = 0; k < crashTimes.length; k++) {
        await new Promise((r) => setTimeout(r, Math.max(0, crashTimes[k]! - Date.now())));
        const crash = example.crash[k % example.crash.length]!;
        say(`sending the crashing input: ${crash.method} ${crash.path} (${crash.kind})`);
        crashSent++;
        const res = await sendExampleRequest(port, crash);
        if (res.status === 500) crashContained++;
        if (res.status === 422) crashRefused++;
        say(
          res.status === 500
            ? green(`→ 500 for the crashing request`)
            : res.status === 422
              ? green(`→ 422: refused by the shield raised at this incident's first fault; the app never saw it`)
              : red(`→ ${res.status ?? res.error} for the crashing request`),
        );
      }
    })();
    await Promise.all([...clients, crasher]);
    const health = await sendExampleRequest(port, { method: 'GET', path: example.health });
    healthyAfter = health.status === 200;
    say(healthyAfter ? green(`GET ${example.health} → 200: the service is still serving`) : red(`GET ${example.health} → ${health.status ?? health.error}`));
    // Healing runs beside the service: wait until every incident has its outcome.
    say('waiting for healing: replay, localisation, candidates validated in sandboxes');
    const settled = () => {
      const events = readEvents(eventsFile);
      const opened = events.filter((e) => e.type === 'incident').map((e) => e.incident);
      const done = new Set(events.filter((e) => e.type === 'patch' || (e.type === 'diagnosis' && e.reproduced === 'never')).map((e) => e.incident));
      return opened.every((id) => done.has(id));
    };
    const healDeadline = Date.now() + opts.healSeconds * 1000;
    while (!settled() && Date.now() < healDeadline) await new Promise((r) => setTimeout(r, 200));
    if (!settled()) say(red(`healing did not finish within ${opts.healSeconds}s`));
  } finally {
    closeIdleSockets();
    child.kill('SIGTERM');
    const code = await exited;
    clearInterval(tail);
    printEvents();
    if (code !== 0) process.stdout.write(red(`suture run exited with ${code}: ${supervisorErr.trim().split('\n').pop()}\n`));
  }

  const store = openStore(storeFile, work, { mustExist: true });
  const patches: Patch[] = [];
  try {
    incidentIds = (await store.listIncidents()).map((i) => i.id);
    patches.push(...(await store.listPatches()));
  } finally {
    await store.close();
  }
  for (const patch of patches) process.stdout.write(`\n${patchDetail(patch, example.dir)}\n`);

  const events = readEvents(eventsFile);
  const recycled = events.filter((e) => e.type === 'shield' && e.action === 'recycle' && e.phase === 'done').length;
  const share = normalSent === 0 ? 0 : (100 * normalOk) / normalSent;
  const patched = new Set(patches.map((p) => p.incident));
  const ok = normalSent > 0 && normalOk === normalSent && crashContained + crashRefused === crashSent && healthyAfter && incidentIds.every((id) => patched.has(id));
  process.stdout.write(`\n${bold('Summary')}\n`);
  process.stdout.write(`  normal requests answered   ${normalOk}/${normalSent} (${share.toFixed(2)}%)\n`);
  process.stdout.write(`  crashing requests contained ${crashContained}/${crashSent} (answered 500, worker kept serving)\n`);
  process.stdout.write(`  refused by a shield         ${crashRefused}/${crashSent} (answered 422 before reaching the app)\n`);
  const shields = events.filter((e) => e.type === 'shield' && e.action === 'raise').map((e) => String(e.description));
  process.stdout.write(`  shields raised             ${shields.length === 0 ? 'none' : shields.join('; ')}\n`);
  process.stdout.write(`  incidents                  ${incidentIds.join(', ') || 'none'}\n`);
  process.stdout.write(`  workers recycled           ${recycled}\n`);
  process.stdout.write(`  validated patches          ${patches.length} for ${incidentIds.length} incident(s): ${patches.map((p) => `${p.id} (${p.secondsToPatch.toFixed(1)} s after the fault)`).join(', ') || 'none'}\n`);
  process.stdout.write(`  still serving afterwards   ${healthyAfter ? 'yes' : 'no'}\n`);
  process.stdout.write(`\n  see: suture incidents --store ${storeFile}\n       suture show ${incidentIds[0] ?? '<id>'} --store ${storeFile}\n       suture patches --store ${storeFile}\n`);
  process.stdout.write(
    ok
      ? green('\nThe service stayed up through every crash, and each fault has a tested patch waiting for review (nothing was applied).\n')
      : red('\nSomething went wrong: see above.\n'),
  );
  return ok ? 0 : 1;
}
