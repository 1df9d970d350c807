// Regular-expression pattern mutations, the level-1 set of weapon-regex (what StrykerJS uses):
// anchor removal, (predefined/unicode) class negation, quantifier removal, lookaround negation.

export interface PatternMutation {
  pattern: string;
  description: string;
}

const predefinedNegation: Readonly<Record<string, string>> = { d: 'D', D: 'd', s: 'S', S: 's', w: 'W', W: 'w' };
const boundedQuantifier = /^\{\d+(,\d*)?\}/;

export function mutatePattern(pattern: string): PatternMutation[] {
  const out: PatternMutation[] = [];
  const splice = (start: number, end: number, text: string, description: string) =>
    out.push({ pattern: pattern.slice(0, start) + text + pattern.slice(end), description });
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === '\\') {
      const next = pattern[i + 1] ?? '';
      if (predefinedNegation[next]) splice(i, i + 2, `\\${predefinedNegation[next]}`, `negated \\${next}`);
      if ((next === 'p' || next === 'P') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i);
        if (close > 0) splice(i, i + 2, next === 'p' ? '\\P' : '\\p', `negated \\${next}{...}`);
      }
      i += 2;
    } else if (char === '[') {
      const end = classEnd(pattern, i);
      if (pattern[i + 1] === '^') splice(i, i + 2, '[', 'removed character class negation');
      else splice(i, i + 1, '[^', 'negated character class');
      i = end;
    } else if (char === '^') {
      splice(i, i + 1, '', 'removed ^ anchor');
      i++;
    } else if (char === '$') {
      splice(i, i + 1, '', 'removed $ anchor');
      i++;
    } else if (char === '(' && pattern[i + 1] === '?') {
      const look = /^\(\?(<?)([=!])/.exec(pattern.slice(i));
      if (look) {
        const sign = look[2] === '=' ? '!' : '=';
        const at = i + 2 + look[1]!.length;
        splice(at, at + 1, sign, 'negated lookaround');
      }
      i += 2;
    } else if (char === '*' || char === '+' || char === '?' || (char === '{' && boundedQuantifier.test(pattern.slice(i)))) {
      const length = char === '{' ? boundedQuantifier.exec(pattern.slice(i))![0].length : 1;
      const lazy = pattern[i + length] === '?' ? 1 : 0;
      splice(i, i + length + lazy, '', `removed quantifier ${pattern.slice(i, i + length + lazy)}`);
      i += length + lazy;
    } else {
      i++;
    }
  }
  return out;
}

// Index just past the `]` that closes the class opened at `start`.
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}
