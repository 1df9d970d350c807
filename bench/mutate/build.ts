// Compiles the code `suture mutate` runs to plain JS in a temp dir, so the benchmark times what a
// user runs (node on compiled output, as bin/suture.js does), not tsx compiling on the fly.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const roots = ['src/mutate', 'src/repair/operators', 'src/cli/commands/mutate.ts', 'bench/mutate/suture-cli.ts'];

export interface Build {
  /** Path of the compiled CLI entry. */
  cli: string;
  dispose(): void;
}

export function buildSutureMutate(repoRoot: string): Build {
  const out = mkdtempSync(path.join(os.tmpdir(), 'suture-bench-build-'));
  for (const file of roots.flatMap((root) => tsFiles(path.join(repoRoot, root)))) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const target = path.join(out, path.relative(repoRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }');
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  return { cli: path.join(out, 'bench/mutate/suture-cli.js'), dispose: () => rmSync(out, { recursive: true, force: true }) };
}

function tsFiles(entry: string): string[] {
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry).flatMap((name) => tsFiles(path.join(entry, name))).filter((f) => f.endsWith('.ts'));
}
