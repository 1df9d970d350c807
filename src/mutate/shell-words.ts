// Splits an npm script into words the way sh would for the simple scripts we support
// (quotes, no substitutions); `&&`, `|` and `;` end the first command.
export function splitCommand(script: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < script.length; i++) {
    const char = script[i]!;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < script.length) current += script[++i];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else if (char === '&' || char === '|' || char === ';') {
      break;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}
