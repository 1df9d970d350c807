// Each run in a long-lived worker loads the project's own modules afresh, as a new process
// would: state a test leaves in a module does not leak into the next run, and a static mutant
// (evaluated while its module loads) is live in the run that asks for it. node_modules (the
// test runner, tsx, typescript...) stays loaded: that is the start-up a worker saves.
//
// CommonJS: the project's entries are dropped from require.cache before each run. ESM: the test
// file is imported with `?suture-run=<n>`, and a resolve hook gives the same query to every
// project module it imports, so the whole project graph is new for run n.
import { realpathSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const runParam = 'suture-run';

// Runs in the loader thread. Resolutions and loaded sources of project modules are the same in
// every generation (the instrumented files do not change during a run), so they are kept, and a
// new generation costs only the evaluation of the project's modules, not the hooks of tsx & co.
const hooks = `
let root = '';
const resolved = new Map();
const loaded = new Map();
const pattern = /[?&]${runParam}=(\\d+)/;
export function initialize(data) { root = data.root; }
function split(url) {
  const match = pattern.exec(url);
  return match ? { base: url.slice(0, match.index) + url.slice(match.index + match[0].length).replace(/^&/, '?'), run: match[1] } : undefined;
}
export async function resolve(specifier, context, next) {
  const parent = context.parentURL && split(context.parentURL);
  if (!parent) return next(specifier, context);
  const key = [specifier, parent.base, JSON.stringify(context.importAttributes || {}), String(context.conditions)].join('\\n');
  let result = resolved.get(key);
  if (!result) {
    result = await next(specifier, context);
    resolved.set(key, result);
  }
  if (!result.url.startsWith(root) || result.url.includes('/node_modules/')) return { ...result, shortCircuit: true };
  const url = new URL(result.url);
  url.searchParams.set('${runParam}', parent.run);
  return { ...result, url: url.href, shortCircuit: true };
}
export async function load(url, context, next) {
  const module = split(url);
  if (!module) return next(url, context);
  const key = module.base + '\\n' + JSON.stringify(context.importAttributes || {});
  let result = loaded.get(key);
  if (!result) {
    result = await next(url, context);
    // CommonJS comes back without source and is loaded (afresh: its cache is cleared) by
    // require; other formats (wasm) are not kept. A buffer is moved to the main thread when
    // sent, so the kept source is text.
    if (result.format !== 'module' && result.format !== 'json') return result;
    const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
    loaded.set(key, { ...result, source });
    return { ...result, source, shortCircuit: true };
  }
  return { ...result, shortCircuit: true };
}
`;

export class FreshModules {
  private readonly root: string;
  private run = 0;

  constructor(root: string) {
    this.root = realpathSync(root);
    register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { root: pathToFileURL(this.root).href + '/' } });
  }

  /** Forgets the project's CommonJS modules and starts a new ESM generation. */
  next(): void {
    this.run++;
    const cache = createRequire(path.join(this.root, 'package.json')).cache;
    const prefix = this.root + path.sep;
    for (const key of Object.keys(cache)) {
      if (key.startsWith(prefix) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete cache[key];
    }
  }

  /** The URL that imports `file` (project-relative or absolute) in the current generation. */
  url(file: string): string {
    const absolute = path.resolve(this.root, file);
    return `${pathToFileURL(absolute).href}?${runParam}=${this.run}`;
  }

  absolute(file: string): string {
    return path.resolve(this.root, file);
  }
}
