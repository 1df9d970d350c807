// `suture.config.json` (or `.js` / `.mjs`) in the service's root. Every field is optional; a wrong
// one is reported by name with what was expected, never silently ignored.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SENSOR_SETTINGS } from '../model/messages.js';
import { DEFAULT_CRASH_LOOP, type CrashLoopPolicy } from '../supervisor/crash-loop.js';
import { DEFAULT_STORE_LIMITS } from '../store/store.js';
import { DEFAULT_STORE_PATH } from '../store/open.js';

export interface RecordingConfig {
  bodyLimit: number;
  redactHeaders: string[];
  redactFields: string[];
  bufferSize: number;
  samplePerInterval: number;
  requestsPerIncident: number;
  trafficPerRoute: number;
  /** When workers start tracing each request's async context; see SensorSettings.traceContext. */
  traceContext: 'always' | 'on-fault';
}

export interface CanaryConfig {
  /** Workers restarted on the patched code first; the rest are the baseline they are compared with. */
  workers: number;
  /** Shortest comparison window, and the longest before the canary is judged on what it has. */
  windowMs: number;
  maxWindowMs: number;
  /** Requests the canary must have answered before it can be promoted. */
  minRequests: number;
}

export interface PolicyConfig {
  /** `propose`: patches wait for a person; `auto`: a validated patch inside the limits rolls out by canary. */
  mode: 'propose' | 'auto';
  /** Largest patch (lines added plus removed) that may be deployed. */
  maxDiffLines: number;
  /** Patch kinds that may be deployed. */
  kinds: string[];
  /** Files a deployed patch may edit (globs relative to the root); null: the repair's `sources`. */
  paths: string[] | null;
  /** Raise live shields automatically within a second of an incident's first fault. */
  shields: boolean;
  /** How long a live shield stays up unless a patch for its incident is promoted first. */
  shieldTtlMs: number;
  canary: CanaryConfig;
}

export interface HealConfig {
  /** Diagnose and repair each new incident while `suture run` serves. */
  auto: boolean;
  /** Time budget of one candidate's validation (build, tests, replays). */
  candidateTimeoutMs: number;
  /** Measure the mutation score of the tests on the chosen patch's lines. */
  mutationScore: boolean;
}

export interface SutureConfig {
  /** Where the config was read from, or null for defaults only. */
  file: string | null;
  root: string;
  command: string[];
  workers: number;
  port: number | null;
  test: string;
  build: string | null;
  sources: string[];
  containment: 'recycle' | 'continue';
  crashLoop: CrashLoopPolicy;
  shutdownTimeoutMs: number;
  recording: RecordingConfig;
  policy: PolicyConfig;
  heal: HealConfig;
  store: string;
  events: string | null;
  dashboard: { port: number };
}

export class ConfigError extends Error {}

export const CONFIG_FILES = ['suture.config.json', 'suture.config.mjs', 'suture.config.js'];

export function defaultConfig(root: string): SutureConfig {
  return {
    file: null,
    root,
    command: [],
    workers: 2,
    port: null,
    test: 'npm test',
    build: null,
    sources: ['src/**', 'lib/**', '*.js', '*.mjs', '*.cjs', '*.ts'],
    containment: 'recycle',
    crashLoop: { ...DEFAULT_CRASH_LOOP },
    shutdownTimeoutMs: 10_000,
    recording: {
      bodyLimit: DEFAULT_SENSOR_SETTINGS.bodyLimit,
      redactHeaders: [...DEFAULT_SENSOR_SETTINGS.redactHeaders],
      redactFields: [...DEFAULT_SENSOR_SETTINGS.redactFields],
      bufferSize: DEFAULT_SENSOR_SETTINGS.bufferSize,
      samplePerInterval: DEFAULT_SENSOR_SETTINGS.samplePerInterval,
      traceContext: DEFAULT_SENSOR_SETTINGS.traceContext,
      ...DEFAULT_STORE_LIMITS,
    },
    policy: {
      mode: 'propose',
      maxDiffLines: 40,
      kinds: ['guard', 'input-validation', 'error-virtualisation', 'mutation'],
      paths: null,
      shields: true,
      shieldTtlMs: 30 * 60_000,
      canary: { workers: 1, windowMs: 10_000, maxWindowMs: 60_000, minRequests: 50 },
    },
    heal: { auto: true, candidateTimeoutMs: 60_000, mutationScore: true },
    store: DEFAULT_STORE_PATH,
    events: null,
    dashboard: { port: 7300 },
  };
}

type Check = (value: unknown, where: string) => unknown;

const int = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (v, where) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(`${where} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got ${JSON.stringify(v)}`);
  }
  return v;
};
const str: Check = (v, where) => {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(`${where} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
};
const strOrNull: Check = (v, where) => (v === null ? null : str(v, where));
const oneOf = (...allowed: string[]): Check => (v, where) => {
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new ConfigError(`${where} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v;
};
const bool: Check = (v, where) => {
  if (typeof v !== 'boolean') throw new ConfigError(`${where} must be true or false, got ${JSON.stringify(v)}`);
  return v;
};
const strings: Check = (v, where) => {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    throw new ConfigError(`${where} must be a list of strings, got ${JSON.stringify(v)}`);
  }
  return v;
};
const command: Check = (v, where) => {
  if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
  const list = strings(v, where) as string[];
  if (list.length === 0) throw new ConfigError(`${where} must not be empty; e.g. ["node", "server.js"]`);
  return list;
};

function section(shape: Record<string, Check>): Check {
  return (v, where) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${where} must be an object, got ${JSON.stringify(v)}`);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(v)) {
      const check = shape[key];
      if (!check) {
        const known = Object.keys(shape).join(', ');
        throw new ConfigError(`${where ? `${where}.` : ''}${key} is not a known setting (known: ${known})`);
      }
      out[key] = check(value, where ? `${where}.${key}` : key);
    }
    return out;
  };
}

const SHAPE = section({
  command,
  workers: int(1, 256),
  port: (v, where) => (v === null ? null : int(0, 65535)(v, where)),
  test: str,
  build: strOrNull,
  sources: strings,
  containment: oneOf('recycle', 'continue'),
  crashLoop: section({ maxRestarts: int(0), windowMs: int(1), backoffMs: int(0), maxBackoffMs: int(0) }),
  shutdownTimeoutMs: int(0),
  recording: section({
    bodyLimit: int(0),
    redactHeaders: strings,
    redactFields: strings,
    bufferSize: int(1),
    samplePerInterval: int(0),
    requestsPerIncident: int(1),
    trafficPerRoute: int(0),
    traceContext: oneOf('always', 'on-fault'),
  }),
  policy: section({
    mode: oneOf('propose', 'auto'),
    maxDiffLines: int(1),
    kinds: (v, where) => {
      const list = strings(v, where) as string[];
      const known = ['guard', 'input-validation', 'error-virtualisation', 'mutation'];
      const bad = list.find((k) => !known.includes(k));
      if (bad !== undefined) throw new ConfigError(`${where} has unknown patch kind "${bad}" (known: ${known.join(', ')})`);
      return list;
    },
    paths: (v, where) => (v === null ? null : strings(v, where)),
    shields: bool,
    shieldTtlMs: int(1000),
    canary: section({ workers: int(1), windowMs: int(1000), maxWindowMs: int(1000), minRequests: int(1) }),
  }),
  heal: section({ auto: bool, candidateTimeoutMs: int(1000), mutationScore: bool }),
  store: str,
  events: strOrNull,
  dashboard: section({ port: int(0, 65535) }),
});

/** Validates a parsed config object and merges it over the defaults. */
export function resolveConfig(raw: unknown, root: string, file: string | null): SutureConfig {
  const label = file ? path.basename(file) : 'config';
  let checked: Record<string, unknown>;
  try {
    checked = SHAPE(raw, '') as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${label}: ${err.message}`);
    throw err;
  }
  const base = defaultConfig(root);
  const merged: SutureConfig = { ...base, file, root };
  const out = mergeSettings(merged as unknown as Record<string, unknown>, checked) as unknown as SutureConfig;
  if (out.policy.canary.maxWindowMs < out.policy.canary.windowMs) {
    throw new ConfigError(`${label}: policy.canary.maxWindowMs (${out.policy.canary.maxWindowMs}) must not be below policy.canary.windowMs (${out.policy.canary.windowMs})`);
  }
  return out;
}

const isSection = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Settings given override defaults key by key, at every depth; lists replace. */
function mergeSettings(base: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(given)) {
    const current = base[key];
    out[key] = isSection(current) && isSection(value) ? mergeSettings(current, value) : value;
  }
  return out;
}

/** The build command: the configured one, else `npm run build` when package.json has a build script. */
export function buildCommand(config: SutureConfig, projectRoot = config.root): string | null {
  if (config.build !== null) return config.build;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts?.build ? 'npm run build' : null;
  } catch {
    return null;
  }
}

/** Finds and loads the config: an explicit file, else the first of CONFIG_FILES in `root`, else defaults. */
export async function loadConfig(root: string, explicit?: string): Promise<SutureConfig> {
  let file: string | null = null;
  if (explicit) {
    file = path.resolve(root, explicit);
    if (!fs.existsSync(file)) throw new ConfigError(`config file ${explicit} does not exist; check the path given to --config`);
  } else {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(root, name);
      if (fs.existsSync(candidate)) {
        file = candidate;
        break;
      }
    }
  }
  if (!file) return defaultConfig(root);
  const label = path.basename(file);
  let raw: unknown;
  if (file.endsWith('.json')) {
    const text = fs.readFileSync(file, 'utf8');
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`${label}: not valid JSON (${(err as Error).message}); fix the syntax`);
    }
  } else {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      raw = mod.default ?? mod;
    } catch (err) {
      throw new ConfigError(`${label}: failed to load (${(err as Error).message.split('\n')[0]}); fix the module so it exports the config as default`);
    }
  }
  // A config found in the service's folder makes that folder the root; one named with --config
  // (say ops/prod.json) configures the service in the folder suture runs from.
  return resolveConfig(raw, explicit ? root : path.dirname(file), file);
}
