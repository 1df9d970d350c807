// The ways the benchmarks run an example service: bare `node`, PM2 cluster mode, `suture run`, and
// node with OpenTelemetry's auto-instrumentation. Each starts on a port of 127.0.0.1, answers its
// health route before it is measured, and stops by PID, reporting any process it left behind.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitForHealth, type Example } from '../../src/examples.js';
import { BENCH_DIR, freePort, isAlive, nodeCommand, onCleanup, startProcess, stopPids, stopProcess, SUTURE_BIN, tempDir, waitForExit, type Running } from './processes.js';

const run = promisify(execFile);

export interface Contender {
  name: string;
  port: number;
  /** Every PID that belongs to this contender (supervisors, daemons, workers) as far as we know. */
  pids(): Promise<number[]>;
  /** Stops it; returns a line for each process that had to be killed or outlived the stop. */
  stop(): Promise<string[]>;
}

const HEALTH_TIMEOUT_MS = 30_000;

function baseEnv(port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', ...extra };
}

async function healthy(example: Example, port: number, proc: Running | null): Promise<void> {
  try {
    await waitForHealth(port, example, HEALTH_TIMEOUT_MS, proc?.exited);
  } catch (err) {
    const tail = proc ? `\n${proc.output.slice(-10).join('\n')}` : '';
    throw new Error(`${(err as Error).message}${tail}`);
  }
}

/** `node server.js`, one process; nothing restarts it. */
export async function startPlain(example: Example, extraNodeArgs: string[] = [], extraEnv: Record<string, string> = {}, name = 'node'): Promise<Contender> {
  const port = await freePort();
  const { exe, args } = nodeCommand(example.command);
  const proc = startProcess(name, exe, [...extraNodeArgs, ...args], { cwd: example.dir, env: baseEnv(port, extraEnv) });
  await healthy(example, port, proc);
  return {
    name,
    port,
    pids: async () => (isAlive(proc.pid) ? [proc.pid] : []),
    async stop() {
      const wasAlive = proc.child.exitCode === null && proc.child.signalCode === null;
      const started = Date.now();
      await stopProcess(proc, 5_000);
      return wasAlive && Date.now() - started > 5_000 ? [`${name} pid ${proc.pid} needed SIGKILL`] : [];
    },
  };
}

export interface SutureContender extends Contender {
  eventsFile: string;
  events(): Record<string, unknown>[];
  /** The store the run uses, for `suture approve --store` and friends. */
  store: string;
  /** The config file written for the run, when a config was given. */
  configFile: string | null;
}

/** `suture run --workers N -- <example command>`. */
/** `config`, when given, is written to a file and passed with --config, over the example's own settings. */
export async function startSuture(example: Example, workers: number, name = 'suture', config?: Record<string, unknown>): Promise<SutureContender> {
  const port = await freePort();
  const dir = tempDir('suture');
  const configArgs: string[] = [];
  if (config) {
    const own = path.join(example.dir, 'suture.config.json');
    const merged = { ...(fs.existsSync(own) ? (JSON.parse(fs.readFileSync(own, 'utf8')) as Record<string, unknown>) : {}), ...config };
    fs.writeFileSync(path.join(dir, 'suture.config.json'), JSON.stringify(merged));
    configArgs.push('--config', path.join(dir, 'suture.config.json'));
  }
  const eventsFile = path.join(dir, 'events.jsonl');
  const store = path.join(dir, 'suture.db');
  const proc = startProcess(
    name,
    process.execPath,
    [SUTURE_BIN, 'run', '--workers', String(workers), '--port', String(port), '--quiet', '--events', eventsFile, '--store', store, ...configArgs, '--', ...example.command],
    { cwd: example.dir, env: baseEnv(port) },
  );
  await healthy(example, port, proc);
  const events = (): Record<string, unknown>[] => {
    if (!fs.existsSync(eventsFile)) return [];
    return fs
      .readFileSync(eventsFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  const workerPids = () => events().filter((e) => e.type === 'worker' && e.action === 'fork').map((e) => e.pid as number);
  return {
    name,
    port,
    eventsFile,
    events,
    store,
    configFile: config ? path.join(dir, 'suture.config.json') : null,
    pids: async () => [proc.pid, ...workerPids()].filter(isAlive),
    async stop() {
      const problems: string[] = [];
      const started = Date.now();
      await stopProcess(proc, 15_000);
      if (Date.now() - started > 15_000) problems.push(`${name}: the supervisor (pid ${proc.pid}) did not stop within 15 s of SIGTERM and was killed`);
      const left = await waitForExit(workerPids(), 3_000);
      if (left.length > 0) {
        problems.push(`${name}: worker pid(s) ${left.join(', ')} outlived the supervisor; killed`);
        await stopPids(left, 2_000);
      }
      return problems;
    },
  };
}

/** PM2 cluster mode (`pm2 start <script> -i N`) with a private PM2_HOME, so its daemon is ours alone. */
export interface Pm2Contender extends Contender {
  /** PM2's own account of its instances: status and restarts. */
  describe(): Promise<string>;
}

export async function startPm2(example: Example, instances: number, name = 'pm2'): Promise<Pm2Contender> {
  const port = await freePort();
  const home = tempDir('pm2');
  const pm2 = path.join(BENCH_DIR, 'node_modules', 'pm2', 'bin', 'pm2');
  if (!fs.existsSync(pm2)) throw new Error(`${pm2} is missing; run npm run bench:setup (npm install --prefix bench)`);
  const env = baseEnv(port, { PM2_HOME: home });
  const pm2Cmd = (args: string[]) => run(process.execPath, [pm2, ...args], { cwd: example.dir, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  const { args } = nodeCommand(example.command);
  const [script, ...scriptArgs] = args;
  if (script === undefined || script.startsWith('-')) throw new Error(`pm2: cannot run ${example.command.join(' ')} (node flags before the script)`);

  const daemonPid = (): number | null => {
    try {
      return Number(fs.readFileSync(path.join(home, 'pm2.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  };
  const seen = new Set<number>();
  const appPids = async (): Promise<number[]> => {
    try {
      const { stdout } = await pm2Cmd(['jlist']);
      const list = JSON.parse(stdout.slice(stdout.indexOf('['))) as { pid: number }[];
      return list.map((p) => p.pid).filter((p) => p > 0);
    } catch {
      return [];
    }
  };
  const remember = async () => {
    const d = daemonPid();
    if (d) seen.add(d);
    for (const p of await appPids()) seen.add(p);
  };
  const kill = async (): Promise<string[]> => {
    const problems: string[] = [];
    await remember().catch(() => {});
    try {
      await pm2Cmd(['kill']);
    } catch (err) {
      problems.push(`pm2 kill failed: ${(err as Error).message.split('\n')[0]}`);
    }
    for (const pid of pidsWithEnv(`PM2_HOME=${home}`)) seen.add(pid);
    const left = await waitForExit([...seen], 5_000);
    if (left.length > 0) {
      problems.push(`pm2: pid(s) ${left.join(', ')} outlived \`pm2 kill\`; killed by PID`);
      await stopPids(left, 2_000);
    }
    return problems;
  };
  let stopped = false;
  onCleanup(async () => {
    if (!stopped) await kill();
  });

  await pm2Cmd(['start', script, '-i', String(instances), '--name', `bench-${example.name}`, ...(scriptArgs.length ? ['--', ...scriptArgs] : [])]);
  await remember();
  await healthy(example, port, null);
  await remember();
  return {
    name,
    port,
    pids: async () => {
      await remember();
      return [...seen].filter(isAlive);
    },
    async stop() {
      stopped = true;
      return kill();
    },
    describe: async () => describePm2(await pm2Cmd(['jlist']).then((r) => r.stdout).catch(() => '[]')),
  };
}

/** PIDs whose environment holds this exact entry (Linux /proc), so a daemon's children are found even when PM2 does not list them. */
function pidsWithEnv(entry: string): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

export function describePm2(jlist: string): string {
  try {
    const list = JSON.parse(jlist.slice(jlist.indexOf('['))) as { pid: number; pm2_env: { status: string; restart_time: number; unstable_restarts: number } }[];
    return list.map((p) => `${p.pm2_env.status}, ${p.pm2_env.restart_time} restarts`).join('; ');
  } catch {
    return 'unknown';
  }
}
