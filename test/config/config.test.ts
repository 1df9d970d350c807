// suture.config.json / .mjs in the service's root: every field optional and merged over the
// defaults; a wrong field is reported by name with what was expected, never silently ignored.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'suture-config-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const writeJson = (value: unknown, name = 'suture.config.json'): void => fs.writeFileSync(path.join(root, name), JSON.stringify(value));

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('the config was accepted');
}

describe('loadConfig', () => {
  test('with no config file, the defaults apply and no file is named', async () => {
    const config = await loadConfig(root);
    assert.equal(config.file, null);
    assert.equal(config.root, root);
    assert.equal(config.workers, 2);
    assert.equal(config.containment, 'recycle');
    assert.equal(config.test, 'npm test');
    assert.equal(config.store, '.suture/suture.db');
    assert.deepEqual(config.crashLoop, { maxRestarts: 5, windowMs: 30_000, backoffMs: 100, maxBackoffMs: 5_000 });
    assert.deepEqual(config.policy, {
      mode: 'propose',
      maxDiffLines: 40,
      kinds: ['guard', 'input-validation', 'error-virtualisation', 'mutation'],
      paths: null,
      shields: true,
      shieldTtlMs: 1_800_000,
      canary: { workers: 1, windowMs: 10_000, maxWindowMs: 60_000, minRequests: 50 },
    });
    assert.equal(config.recording.traceContext, 'on-fault');
    assert.equal(config.recording.bodyLimit, 16 * 1024);
    assert.ok(config.recording.redactHeaders.includes('authorization'));
  });

  test('a policy that is not allowed is refused by name: an unknown patch kind, a canary window longer than its limit', async () => {
    writeJson({ policy: { kinds: ['guard', 'rewrite-everything'] } });
    const kinds = await configError(loadConfig(root));
    assert.match(kinds.message, /policy\.kinds has unknown patch kind "rewrite-everything"/);
    writeJson({ policy: { canary: { windowMs: 30_000, maxWindowMs: 10_000 } } });
    const window = await configError(loadConfig(root));
    assert.match(window.message, /policy\.canary\.maxWindowMs \(10000\) must not be below policy\.canary\.windowMs \(30000\)/);
  });

  test('fields in suture.config.json are merged over the defaults, nested sections field by field', async () => {
    writeJson({ workers: 4, command: 'node  dist/server.js --port 8080', crashLoop: { maxRestarts: 3 }, recording: { redactFields: ['ssn'] } });
    const config = await loadConfig(root);
    assert.equal(config.file, path.join(root, 'suture.config.json'));
    assert.equal(config.workers, 4);
    assert.deepEqual(config.command, ['node', 'dist/server.js', '--port', '8080']);
    assert.deepEqual(config.crashLoop, { maxRestarts: 3, windowMs: 30_000, backoffMs: 100, maxBackoffMs: 5_000 });
    assert.deepEqual(config.recording.redactFields, ['ssn']); // a list replaces, it does not append
    assert.equal(config.recording.bodyLimit, 16 * 1024);
    assert.equal(config.containment, 'recycle');
  });

  test('an unknown field is refused by name, with the known ones listed', async () => {
    writeJson({ workers: 2, wokers: 4 });
    const err = await configError(loadConfig(root));
    assert.match(err.message, /^suture\.config\.json: wokers is not a known setting/);
    assert.match(err.message, /known: .*workers/);
  });

  test('an unknown field inside a section is refused with its full path', async () => {
    writeJson({ recording: { bodyLimt: 10 } });
    const err = await configError(loadConfig(root));
    assert.match(err.message, /recording\.bodyLimt is not a known setting/);
    assert.match(err.message, /bodyLimit/);
  });

  test('workers: "two" is refused naming the field, the expected range and the value', async () => {
    writeJson({ workers: 'two' });
    const err = await configError(loadConfig(root));
    assert.match(err.message, /workers must be a whole number from 1 to 256, got "two"/);
  });

  test('containment: "explode" is refused naming the allowed values', async () => {
    writeJson({ containment: 'explode' });
    const err = await configError(loadConfig(root));
    assert.match(err.message, /containment must be one of "recycle", "continue", got "explode"/);
  });

  test('a wrong type in a nested section names the nested field', async () => {
    writeJson({ policy: { mode: 'yolo' } });
    assert.match((await configError(loadConfig(root))).message, /policy\.mode must be one of "propose", "auto"/);
    writeJson({ crashLoop: { windowMs: 0 } });
    assert.match((await configError(loadConfig(root))).message, /crashLoop\.windowMs must be a whole number from 1 up, got 0/);
  });

  test('malformed JSON is reported with the file name and "not valid JSON"', async () => {
    fs.writeFileSync(path.join(root, 'suture.config.json'), '{ "workers": 2, }');
    const err = await configError(loadConfig(root));
    assert.match(err.message, /suture\.config\.json: not valid JSON/);
  });

  test('suture.config.mjs with a default export is loaded and validated', async () => {
    fs.writeFileSync(path.join(root, 'suture.config.mjs'), "export default { workers: 3, containment: 'continue', dashboard: { port: 7400 } };\n");
    const config = await loadConfig(root);
    assert.equal(config.file, path.join(root, 'suture.config.mjs'));
    assert.equal(config.workers, 3);
    assert.equal(config.containment, 'continue');
    assert.deepEqual(config.dashboard, { port: 7400 });
  });

  test('a wrong field in suture.config.mjs is refused like one in JSON', async () => {
    fs.writeFileSync(path.join(root, 'suture.config.mjs'), 'export default { workers: 0 };\n');
    const err = await configError(loadConfig(root));
    assert.match(err.message, /^suture\.config\.mjs: workers must be a whole number from 1 to 256, got 0/);
  });

  test('an explicit --config path is used instead of the root files', async () => {
    writeJson({ workers: 9 });
    fs.mkdirSync(path.join(root, 'ops'));
    fs.writeFileSync(path.join(root, 'ops', 'prod.json'), JSON.stringify({ workers: 5 }));
    const config = await loadConfig(root, 'ops/prod.json');
    assert.equal(config.workers, 5);
    assert.equal(config.file, path.join(root, 'ops', 'prod.json'));
  });

  test('a --config path that does not exist is refused, naming the path', async () => {
    const err = await configError(loadConfig(root, 'nope/suture.config.json'));
    assert.match(err.message, /config file nope\/suture\.config\.json does not exist/);
    assert.match(err.message, /--config/);
  });
});
