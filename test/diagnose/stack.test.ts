// parseStack on stacks V8 really produced: thrown from an ESM module on disk (file:// URLs), from
// async functions and constructors, through node_modules and through Node's own internals.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isAppFile, parseStack } from '../../src/diagnose/stack.js';

let dir: string;
let appFile: string;
let libFile: string;
let app: {
  plain(): string;
  viaAsync(): Promise<string>;
  viaNew(): string;
  viaLibrary(): string;
  viaTimer(): Promise<string>;
  viaUrl(): string;
};

// Line numbers below are asserted: keep this text as it is.
const APP = `import { callBack } from './node_modules/lib/index.mjs';
export function plain() {
  try { throw new Error('plain'); } catch (e) { return e.stack; }
}
async function inner() {
  await null;
  throw new Error('async');
}
export async function viaAsync() {
  try { await inner(); } catch (e) { return e.stack; }
}
class Widget {
  constructor() { throw new Error('ctor'); }
}
export function viaNew() {
  try { new Widget(); } catch (e) { return e.stack; }
}
export function viaLibrary() {
  try { callBack(() => { throw new Error('lib'); }); } catch (e) { return e.stack; }
}
export function viaTimer() {
  return new Promise((resolve) => setTimeout(() => { try { throw new Error('timer'); } catch (e) { resolve(e.stack); } }, 0));
}
export function viaUrl() {
  try { new URL('not a url'); } catch (e) { return e.stack; }
}
`;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-stack-'));
  appFile = path.join(dir, 'my app', 'app.mjs'); // a space, so the file URL is percent-encoded
  libFile = path.join(dir, 'my app', 'node_modules', 'lib', 'index.mjs');
  fs.mkdirSync(path.dirname(libFile), { recursive: true });
  fs.writeFileSync(libFile, 'export function callBack(fn) {\n  return fn();\n}\n');
  fs.writeFileSync(appFile, APP);
  app = await import(pathToFileURL(appFile).href);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parseStack', () => {
  test('a frame from an ESM module becomes a plain path with its line and column, and the message line is skipped', () => {
    const stack = app.plain();
    assert.ok(stack.includes('file://'), stack); // the raw stack really carries a file URL
    const frames = parseStack(stack);
    // V8 names a function called through the module namespace `Module.plain`; the name is kept as printed.
    assert.deepEqual(frames[0], { fn: 'Module.plain', file: appFile, line: 3, column: 15, app: true });
  });

  test('an async function frame keeps its function name and location', async () => {
    const stack = await app.viaAsync();
    assert.match(stack, /at async Module\.viaAsync \(file:/);
    const frames = parseStack(stack).filter((f) => f.file === appFile);
    assert.deepEqual(frames, [
      { fn: 'inner', file: appFile, line: 7, column: 9, app: true },
      { fn: 'Module.viaAsync', file: appFile, line: 10, column: 9, app: true },
    ]);
  });

  test('a constructor frame (`at new Widget`) is named after the class', () => {
    const stack = app.viaNew();
    assert.match(stack, /at new Widget/);
    const frames = parseStack(stack);
    assert.deepEqual(frames[0], { fn: 'Widget', file: appFile, line: 13, column: 25, app: true });
    assert.equal(frames[1]?.fn, 'Module.viaNew');
  });

  test('a node_modules frame is parsed and marked as not the app', () => {
    const frames = parseStack(app.viaLibrary());
    const lib = frames.find((f) => f.file === libFile);
    assert.ok(lib, JSON.stringify(frames));
    assert.equal(lib.app, false);
    assert.equal(lib.line, 2);
    assert.equal(lib.fn, 'callBack');
    // the frames either side are the user's
    assert.equal(frames[0]?.file, appFile);
    assert.equal(frames[0]?.app, true);
  });

  test("Node's internal frames (node:internal/…) are marked as not the app", async () => {
    const frames = parseStack(await app.viaTimer());
    assert.equal(frames[0]?.file, appFile);
    assert.equal(frames[0]?.app, true);
    const internal = frames.filter((f) => f.file.startsWith('node:internal/'));
    assert.ok(internal.length > 0, JSON.stringify(frames));
    assert.ok(internal.every((f) => !f.app));
  });

  test('an error raised inside a Node constructor has its internal `new` frame first, then the app frame', () => {
    const frames = parseStack(app.viaUrl());
    assert.equal(frames[0]?.fn, 'URL');
    assert.match(frames[0]!.file, /^node:internal\//);
    assert.equal(frames[0]?.app, false);
    const top = frames.find((f) => f.app);
    assert.equal(top?.fn, 'Module.viaUrl');
    assert.equal(top?.line, 25);
  });

  test('lines that are not frames (message, blank, `at async Promise.all (index 0)`) yield nothing', () => {
    assert.deepEqual(parseStack('Error: boom\n    with a second line\n\n    at async Promise.all (index 0)'), []);
  });

  test('an anonymous frame (`at file:line:col`) has a location and no function name', () => {
    const frames = parseStack('Error: x\n    at /srv/app/server.js:10:5\n    at async file:///srv/app/main.mjs:3:1');
    assert.deepEqual(frames, [
      { file: '/srv/app/server.js', line: 10, column: 5, app: true },
      { file: '/srv/app/main.mjs', line: 3, column: 1, app: true },
    ]);
  });
});

describe('isAppFile', () => {
  test('user files are the app; node builtins, node_modules and native frames are not', () => {
    assert.equal(isAppFile('/srv/app/src/server.js'), true);
    assert.equal(isAppFile('node:fs'), false);
    assert.equal(isAppFile('node:internal/process/task_queues'), false);
    assert.equal(isAppFile('/srv/app/node_modules/express/lib/router.js'), false);
    assert.equal(isAppFile('C:\\srv\\app\\node_modules\\x\\index.js'), false);
    assert.equal(isAppFile('<anonymous>'), false);
  });
});
