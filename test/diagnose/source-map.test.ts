// Frames in compiled JavaScript are mapped back to the user's TypeScript with the service's own
// source maps (a .map file beside the output, or an inline data: URL); without a usable map a
// frame is returned as it was.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { SourceMapper } from '../../src/diagnose/source-map.js';
import { parseStack } from '../../src/diagnose/stack.js';
import type { Frame } from '../../src/model/fault.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPORTS = path.join(ROOT, 'examples/reports');
const HISTOGRAM_JS = path.join(REPORTS, 'dist/histogram.js');
const HISTOGRAM_TS = path.join(REPORTS, 'src/histogram.ts');

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `"${needle}" not found`);
  return { line: index + 1, column: lines[index]!.indexOf(needle) + 1 };
}

const frameAt = (file: string, line: number, column: number, fn = 'f'): Frame => ({ fn, file, line, column, app: true });

let tmp: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-srcmap-'));
  const stale = !fs.existsSync(HISTOGRAM_JS) || fs.statSync(HISTOGRAM_JS).mtimeMs < fs.statSync(HISTOGRAM_TS).mtimeMs;
  if (stale) execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPORTS, 'tsconfig.json')], { cwd: ROOT });
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('SourceMapper', () => {
  test('a frame in the reports example’s compiled histogram.js maps to the line in histogram.ts', () => {
    const generated = position(fs.readFileSync(HISTOGRAM_JS, 'utf8'), 'new Array(slots)');
    const original = position(fs.readFileSync(HISTOGRAM_TS, 'utf8'), 'new Array<number>(slots)');
    const frame = frameAt(HISTOGRAM_JS, generated.line, generated.column, 'histogram');

    const mapped = new SourceMapper().mapFrame(frame);
    assert.equal(mapped.file, HISTOGRAM_TS);
    assert.equal(mapped.line, original.line);
    assert.equal(mapped.column, original.column);
    assert.equal(mapped.fn, 'histogram');
    assert.equal(mapped.app, true);
    assert.deepEqual(mapped.generated, { file: HISTOGRAM_JS, line: generated.line, column: generated.column });
  });

  test('a real error thrown from a file with an inline data: source map is mapped to its TypeScript line', () => {
    const source = [
      'interface Order {',
      '  id: number;',
      '  total?: number;',
      '}',
      'type Id = number;',
      '',
      'export function total(order: Order, _id: Id): number {',
      '  if (order.total === undefined) throw new Error(`order ${order.id} has no total`);',
      '  return order.total;',
      '}',
      '',
    ].join('\n');
    const out = ts.transpileModule(source, {
      fileName: 'orders.ts',
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true, inlineSourceMap: true },
    });
    assert.match(out.outputText, /sourceMappingURL=data:application\/json;base64,/);
    const dir = path.join(tmp, 'inline');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    const jsFile = path.join(dir, 'orders.js');
    fs.writeFileSync(jsFile, out.outputText);
    fs.writeFileSync(path.join(dir, 'orders.ts'), source);

    // A plain node child (no tsx, no --enable-source-maps) gives the raw stack a worker's sensor sees.
    const script = `import(${JSON.stringify(pathToFileURL(jsFile).href)}).then((m) => { try { m.total({ id: 7 }, 7); } catch (e) { process.stdout.write(e.stack); } });`;
    const stack = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.match(stack, /^Error: order 7 has no total/);
    const top = parseStack(stack)[0]!;
    assert.equal(top.file, jsFile);
    const expected = position(source, 'throw new Error');
    assert.notEqual(top.line, expected.line); // the erased types moved the line: mapping has work to do

    const mapped = new SourceMapper().mapFrame(top);
    assert.equal(mapped.file, path.join(dir, 'orders.ts'));
    assert.equal(mapped.line, expected.line);
    assert.deepEqual(mapped.generated, { file: jsFile, line: top.line, column: top.column });
  });

  test('a hand-written .map beside the file, with a sourceRoot, resolves sources against it', () => {
    const dir = path.join(tmp, 'handmade', 'dist');
    fs.mkdirSync(dir, { recursive: true });
    const jsFile = path.join(dir, 'x.js');
    fs.writeFileSync(jsFile, 'a;\nb;\n//# sourceMappingURL=x.js.map\n');
    // line 1 col 0 -> src/x.ts line 1 col 0; line 2 col 0 -> src/x.ts line 5 col 2
    fs.writeFileSync(path.join(dir, 'x.js.map'), JSON.stringify({ version: 3, sources: ['x.ts'], sourceRoot: '../src/', names: [], mappings: 'AAAA;AAIE' }));
    const mapped = new SourceMapper().mapFrame(frameAt(jsFile, 2, 1));
    assert.equal(mapped.file, path.join(tmp, 'handmade', 'src', 'x.ts'));
    assert.equal(mapped.line, 5);
    assert.equal(mapped.column, 3);
  });

  test('a file with no source map is returned unchanged', () => {
    const jsFile = path.join(tmp, 'plain.js');
    fs.writeFileSync(jsFile, 'export const x = 1;\nthrow new Error("x");\n');
    const frame = frameAt(jsFile, 2, 7);
    assert.deepEqual(new SourceMapper().mapFrame(frame), frame);
  });

  test('a file whose map is malformed (bad JSON, bad base64 JSON) is returned unchanged', () => {
    const badFile = path.join(tmp, 'bad.js');
    fs.writeFileSync(badFile, 'x;\n//# sourceMappingURL=bad.js.map\n');
    fs.writeFileSync(path.join(tmp, 'bad.js.map'), '{"version":3, "sources": [');
    const badInline = path.join(tmp, 'bad-inline.js');
    fs.writeFileSync(badInline, `x;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from('{nope').toString('base64')}\n`);
    const missing = path.join(tmp, 'missing-map.js');
    fs.writeFileSync(missing, 'x;\n//# sourceMappingURL=does-not-exist.js.map\n');

    const mapper = new SourceMapper();
    for (const file of [badFile, badInline, missing]) {
      const frame = frameAt(file, 1, 1);
      assert.deepEqual(mapper.mapFrame(frame), frame, file);
    }
  });

  test('frames outside the app, non-JS files and files that do not exist are left alone', () => {
    const mapper = new SourceMapper();
    const lib: Frame = { ...frameAt(HISTOGRAM_JS, 9, 20), app: false };
    assert.deepEqual(mapper.mapFrame(lib), lib);
    const tsFrame = frameAt(HISTOGRAM_TS, 1, 1);
    assert.deepEqual(mapper.mapFrame(tsFrame), tsFrame);
    const gone = frameAt(path.join(tmp, 'gone.js'), 1, 1);
    assert.deepEqual(mapper.mapFrame(gone), gone);
  });

  test('a map added after the first lookup is picked up once the file changes', () => {
    const jsFile = path.join(tmp, 'later.js');
    fs.writeFileSync(jsFile, 'a;\nb;\n');
    const mapper = new SourceMapper();
    const frame = frameAt(jsFile, 2, 1);
    assert.deepEqual(mapper.mapFrame(frame), frame);
    fs.writeFileSync(path.join(tmp, 'later.js.map'), JSON.stringify({ version: 3, sources: ['later.ts'], names: [], mappings: 'AAAA;AAEA' }));
    fs.writeFileSync(jsFile, 'a;\nb;\n//# sourceMappingURL=later.js.map\n');
    const future = new Date(Date.now() + 10_000);
    fs.utimesSync(jsFile, future, future); // a distinct mtime whatever the filesystem's resolution
    const mapped = mapper.mapFrame(frame);
    assert.equal(mapped.file, path.join(tmp, 'later.ts'));
    assert.equal(mapped.line, 3);
  });
});
