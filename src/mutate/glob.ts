// Just enough globbing for test and source patterns (`**`, `*`, `?`, `{a,b}`, `?(x|y)`), so the
// runner adapters do not depend on a glob package or on Node versions that glob `--test` args.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const skippedDirectories = new Set(['node_modules', '.git', '.suture', 'coverage']);

export function globToRegExp(glob: string): RegExp {
  let pattern = glob.replace(/^\.\//, '');
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?' && pattern[i + 1] === '(') {
      const close = pattern.indexOf(')', i);
      out += `(?:${pattern.slice(i + 2, close).split('|').map(escape).join('|')})?`;
      i = close;
    } else if (char === '?') out += '[^/]';
    else if (char === '{') {
      const close = pattern.indexOf('}', i);
      out += `(?:${pattern.slice(i + 1, close).split(',').map((part) => globToRegExp(part).source.slice(1, -1)).join('|')})`;
      i = close;
    } else if (char === '[') {
      const close = pattern.indexOf(']', i);
      out += pattern.slice(i, close + 1);
      i = close;
    } else out += escape(char);
  }
  pattern = out;
  return new RegExp(`^${pattern}$`);
}

function escape(text: string): string {
  return text.replace(/[.+^$()|\\\]\[{}]/g, '\\$&');
}

/** Project-relative POSIX paths of the files under `root` matching any of `globs`. */
export function findFiles(root: string, globs: readonly string[], ignore: readonly string[] = []): string[] {
  const include = globs.map(globToRegExp);
  const exclude = ignore.map(globToRegExp);
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skippedDirectories.has(entry.name)) walk(relative);
      } else if (include.some((re) => re.test(relative)) && !exclude.some((re) => re.test(relative))) {
        found.push(relative);
      }
    }
  };
  walk('');
  return found.sort();
}

export function isGlob(text: string): boolean {
  return /[*?{[]/.test(text);
}
