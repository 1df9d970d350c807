// The user's `node [flags] script [args]` command is split so the supervisor can add the sensor
// to node's flags; anything that is not a node command running a script file is refused with a
// message that says what to run instead.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandError, parseNodeCommand } from '../../src/supervisor/launch.js';

function refusal(command: string[]): CommandError {
  try {
    parseNodeCommand(command);
  } catch (err) {
    assert.ok(err instanceof CommandError, `expected a CommandError, got ${String(err)}`);
    return err;
  }
  assert.fail(`parseNodeCommand accepted ${JSON.stringify(command)}`);
}

describe('parseNodeCommand', () => {
  test('splits node flags (space and = forms), the script and its arguments', () => {
    assert.deepEqual(
      parseNodeCommand(['node', '-r', 'dotenv/config', '--enable-source-maps', '--max-old-space-size=512', '--import', 'tsx', 'dist/server.js', '--port', '3000', '-v']),
      {
        nodeArgs: ['-r', 'dotenv/config', '--enable-source-maps', '--max-old-space-size=512', '--import', 'tsx'],
        script: 'dist/server.js',
        args: ['--port', '3000', '-v'],
      },
    );
  });

  test('a flag value that looks like a script is kept with its flag', () => {
    assert.deepEqual(parseNodeCommand(['node', '--require', './setup.js', '--env-file', '.env', 'server.js']), {
      nodeArgs: ['--require', './setup.js', '--env-file', '.env'],
      script: 'server.js',
      args: [],
    });
  });

  test('a node found by path, or nodejs, is accepted', () => {
    assert.equal(parseNodeCommand(['/usr/local/bin/node', 'app.mjs']).script, 'app.mjs');
    assert.equal(parseNodeCommand(['nodejs', 'app.mjs']).script, 'app.mjs');
  });

  test('a command that is not node is refused with how to run the entry file directly', () => {
    for (const command of [['npm', 'start'], ['ts-node', 'server.ts'], ['nodemon', 'server.js']]) {
      const err = refusal(command);
      assert.match(err.message, new RegExp(`must start with node \\(got "${command[0]}"\\)`));
      assert.match(err.message, /suture run -- node dist\/server\.js/);
    }
  });

  test('node -e, -p and --eval are refused: they run no script file', () => {
    for (const flag of ['-e', '-p', '--eval']) {
      const err = refusal(['node', flag, 'console.log(1)']);
      assert.match(err.message, new RegExp(`node ${flag} runs no script file`));
      assert.match(err.message, /node server\.js/);
    }
  });

  test('a node command without a script is refused with an example', () => {
    for (const command of [['node'], ['node', '--enable-source-maps'], ['node', '-r', 'dotenv/config']]) {
      const err = refusal(command);
      assert.match(err.message, /names no script file/);
      assert.match(err.message, /suture run -- node server\.js/);
    }
  });

  test('an empty command is refused with the usage', () => {
    assert.match(refusal([]).message, /usage: suture run \[options\] -- node server\.js/);
  });

  test(
    'a value-taking flag node accepts in the space form (--unhandled-rejections strict) keeps its value',
    () => {
      assert.deepEqual(parseNodeCommand(['node', '--unhandled-rejections', 'strict', 'server.js']), {
        nodeArgs: ['--unhandled-rejections', 'strict'],
        script: 'server.js',
        args: [],
      });
    },
  );
});
