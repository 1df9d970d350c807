// Execution transactions inside the worker: a file with a wrapped function is served from the
// supervisor's text instead of from disk, at module load, for both ESM (a loader hook) and
// CommonJS (the `.js` extension handler). Nothing on disk changes; a restart without the shield
// loads the file as written.

import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { TransactionTarget } from '../model/shield.js';

type Extension = (module: { _compile(source: string, filename: string): unknown }, filename: string) => void;

export function installTransactions(targets: readonly TransactionTarget[]): void {
  if (targets.length === 0) return;
  const byFile = new Map(targets.map((t) => [t.file, t.source]));
  const byUrl: Record<string, string> = {};
  for (const t of targets) byUrl[pathToFileURL(t.file).href] = t.source;
  register(new URL('./transaction-hooks.js', import.meta.url), { data: { sources: byUrl } });
  const extensions = (Module as unknown as { _extensions: Record<string, Extension> })._extensions;
  for (const ext of ['.js', '.cjs']) {
    const original = extensions[ext]!;
    extensions[ext] = function loadWrapped(module, filename) {
      const source = byFile.get(filename);
      if (source === undefined) return original(module, filename);
      module._compile(source, filename);
    };
  }
}
