// Code-mutation search: the mutation operators applied at the most suspicious statements, within a
// budget. Each mutant is a candidate; validation decides which, if any, removes the fault.

import type { CandidateGenerator, DraftCandidate } from '../generator.js';
import { findMutations } from '../operators/index.js';
import { loadSource } from '../source.js';

/** Statements searched, most suspicious first, and mutants tried in all. */
const STATEMENTS = 6;
const BUDGET = 12;

export const mutationSearch: CandidateGenerator = {
  name: 'mutation-search',
  *generate(ctx) {
    // Suspicious lines from localisation; without coverage, the faulting frames' lines.
    const lines = ctx.ranking.length > 0
      ? ctx.ranking.filter((s) => ctx.editable(s.file)).slice(0, STATEMENTS).map((s) => ({ file: s.file, line: s.line }))
      : ctx.frames.slice(0, 3).map((f) => ({ file: f.source.file, line: f.frame.line }));
    let yielded = 0;
    for (const [rank, { file, line }] of lines.entries()) {
      const source = loadSource(file);
      if (!source) continue;
      for (const mutation of findMutations(source.ast)) {
        if (source.ast.getLineAndCharacterOfPosition(mutation.start).line + 1 !== line) continue;
        if (yielded++ >= BUDGET) return;
        yield {
          kind: 'mutation',
          description: `${mutation.operator} at ${line}: ${mutation.description}`,
          distance: Math.min(rank, 9),
          edits: [{ file, start: mutation.start, end: mutation.end, text: mutation.replacement }],
        } satisfies DraftCandidate;
      }
    }
  },
};
