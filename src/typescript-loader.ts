// `import ts from 'typescript'` costs about 0.5 s more than `require('typescript')` on Node 20:
// the ESM loader first scans the 9 MB CommonJS file for named exports, which Suture's default
// imports never use. A resolve hook hands Suture's own modules a one-line ES module whose default
// export is the required compiler: the same object, without the scan. Only imports of `typescript`
// made from Suture's own files are redirected; the user's code never goes through it.
import { register } from 'node:module';

const hooks = `
import { fileURLToPath } from 'node:url';
let own = '';
export function initialize(data) { own = data.own; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (specifier !== 'typescript' || !context.parentURL || !context.parentURL.startsWith(own) || !result.url.startsWith('file:')) return result;
  const file = JSON.stringify(fileURLToPath(result.url));
  const source = 'import { createRequire } from "node:module"; export default createRequire(' + file + ')(' + file + ');';
  return { url: 'data:text/javascript,' + encodeURIComponent(source), format: 'module', shortCircuit: true };
}
`;

let registered = false;

/** Installs the hook once per process; modules importing `typescript` after this load it fast. */
export function loadTypescriptFast(): void {
  if (registered) return;
  registered = true;
  // Suture's own tree: src/ (or dist/), this module's folder.
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { own: new URL('./', import.meta.url).href } });
}
