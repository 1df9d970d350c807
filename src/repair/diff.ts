// Unified diffs of one file before and after an edit, as `git apply` and `patch -p1` read them.

/** Lines with their newline kept, so a last line without one differs from the same line with one. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const NO_NEWLINE = '\\ No newline at end of file';

/** Lines added plus lines removed, counted inside hunks (a removed `--x` is a change, not a header). */
export function diffSize(diff: string): number {
  let count = 0;
  let inHunk = false;
  const lines = diff.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      inHunk = false;
      i++;
    } else if (l.startsWith('@@')) inHunk = true;
    else if (inHunk && (l.startsWith('+') || l.startsWith('-'))) count++;
  }
  return count;
}

/**
 * A unified diff with `context` lines around each change. Changes made by one candidate are
 * local, so the file is split into the common head, the changed middle and the common tail, and
 * the middle is diffed by longest common subsequence.
 */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  if (head === a.length && head === b.length) return '';
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  // LCS table over the changed middle (small: one function at most).
  const n = midA.length;
  const m = midB.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  type Op = { tag: ' ' | '-' | '+'; line: string };
  const ops: Op[] = [];
  for (let k = Math.max(0, head - context); k < head; k++) ops.push({ tag: ' ', line: a[k]! });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      ops.push({ tag: ' ', line: midA[i]! });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ tag: '-', line: midA[i++]! });
    else ops.push({ tag: '+', line: midB[j++]! });
  }
  for (let k = a.length - tail; k < Math.min(a.length, a.length - tail + context); k++) ops.push({ tag: ' ', line: a[k]! });

  const startA = Math.max(0, head - context);
  const countA = ops.filter((o) => o.tag !== '+').length;
  const countB = ops.filter((o) => o.tag !== '-').length;
  const header = `@@ -${countA === 0 ? startA : startA + 1},${countA} +${countB === 0 ? startA : startA + 1},${countB} @@`;
  const body = ops.flatMap((o) => (o.line.endsWith('\n') ? [`${o.tag}${o.line.slice(0, -1)}`] : [`${o.tag}${o.line}`, NO_NEWLINE]));
  return [`--- a/${file}`, `+++ b/${file}`, header, ...body].join('\n') + '\n';
}
