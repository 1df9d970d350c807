// A sandbox: a temporary copy of the user's project with one candidate applied, where its build,
// tests and replays run away from the user's tree. It lives under <root>/.suture/sandboxes so that
// the project's tools resolve their packages exactly as they do from the project itself.

import fs from 'node:fs';
import path from 'node:path';
import type { Candidate } from '../model/repair.js';
import { track } from '../supervisor/cleanup.js';

// Skipped at any depth; the second set only at the project's top, where tools write their output.
const SKIP = new Set(['node_modules', '.git', '.suture']);
const SKIP_AT_TOP = new Set(['coverage', 'reports']);

export interface Sandbox {
  dir: string;
  remove(): void;
}

function copyTree(from: string, to: string, top = true): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      if (top && SKIP_AT_TOP.has(entry.name)) continue;
      if (SKIP.has(entry.name)) {
        // Dependencies are shared, not copied: a link is instant and resolves the same packages.
        if (entry.name === 'node_modules') fs.symlinkSync(src, dst, 'dir');
        continue;
      }
      copyTree(src, dst, false);
    } else if (entry.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(src), dst);
    } else if (entry.isFile()) {
      fs.copyFileSync(src, dst);
    }
  }
}

export function createSandbox(root: string, name: string, candidate?: Candidate): Sandbox {
  const base = path.join(root, '.suture', 'sandboxes');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `${name}-`));
  const untrack = track(() => fs.rmSync(dir, { recursive: true, force: true }));
  copyTree(root, dir);
  if (candidate) applyEdits(dir, candidate);
  return {
    dir,
    remove: () => {
      untrack();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Applies a candidate's edits to the files under `dir` (offsets are into the original text). */
export function applyEdits(dir: string, candidate: Candidate): void {
  const byFile = new Map<string, Candidate['edits']>();
  for (const e of candidate.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const target = path.join(dir, file);
    let text = fs.readFileSync(target, 'utf8');
    for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    fs.writeFileSync(target, text);
  }
}
