// The contract every code-mutation operator implements. Operators are pure: they read one AST
// node and yield textual replacements; they never print ASTs or touch files.
import ts from 'typescript';

/** One way to change a node: the new text for the node's range (or for a sub-range of it). */
export interface Replacement {
  /** New source text for [start, end). */
  text: string;
  /** Short human-readable explanation, e.g. `replaced < with <=`. */
  description: string;
  /** Range to replace; defaults to the node's own range (without leading trivia). */
  start?: number;
  end?: number;
  /** `statement` when the range holds statements rather than one expression. */
  kind?: MutationKind;
}

export type MutationKind = 'expression' | 'statement';

export interface MutationOperator {
  /** Stable operator name, matching StrykerJS's mutator names where they overlap. */
  readonly name: string;
  mutate(node: ts.Node, source: ts.SourceFile): Iterable<Replacement>;
}

/** A mutation ready to apply: replace source.text[start, end) with `replacement`. */
export interface Mutation {
  operator: string;
  start: number;
  end: number;
  original: string;
  replacement: string;
  description: string;
  kind: MutationKind;
}
