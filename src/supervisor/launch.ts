// How the service is launched, by the supervisor's workers and by the oracle alike: the user's
// `node [node-flags] script [args]` command split into its parts, and the sensor preloaded.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The sensor's entry, passed to `node --import`: the compiled sensor beside this module, or, when
 * this module runs from TypeScript source (tests), the package's built one: a user's service never
 * loads a TypeScript loader.
 */
export const SENSOR_URL = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.resolve(here, '../sensor/index.js');
  return pathToFileURL(fs.existsSync(beside) ? beside : path.resolve(here, '../../dist/sensor/index.js')).href;
})();

export interface NodeCommand {
  /** Node's own flags from the command, before the script. */
  nodeArgs: string[];
  script: string;
  args: string[];
}

// Node flags that take their value as the next argument (the `--flag=value` form needs no entry).
const FLAGS_WITH_VALUE = new Set([
  '-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions',
  '--env-file', '--title', '--inspect-port', '--input-type', '--stack-trace-limit', '--max-old-space-size',
  '--unhandled-rejections', '--dns-result-order', '--diagnostic-dir', '--redirect-warnings', '--heapsnapshot-signal',
  '--heapsnapshot-near-heap-limit', '--report-dir', '--report-directory', '--report-filename', '--report-signal',
  '--secure-heap', '--secure-heap-min', '--heap-prof-dir', '--heap-prof-name', '--heap-prof-interval',
  '--cpu-prof-dir', '--cpu-prof-name', '--cpu-prof-interval', '--icu-data-dir', '--openssl-config',
  '--tls-cipher-list', '--tls-keylog', '--trace-event-categories', '--trace-event-file-pattern',
  '--use-largepages', '--watch-path', '--experimental-policy', '--policy-integrity', '--disable-warning',
  '--max-http-header-size', '--inspect-publish-uid', '--experimental-default-type', '--env-file-if-exists',
  '--max-semi-space-size', '--stack-size', '--test-reporter', '--test-reporter-destination',
]);
const FLAGS_WITHOUT_SCRIPT = new Set(['-e', '--eval', '-p', '--print', '-i', '--interactive', '-c', '--check', '-v', '--version', '-h', '--help']);

export class CommandError extends Error {}

export function parseNodeCommand(command: readonly string[]): NodeCommand {
  if (command.length === 0) throw new CommandError('no command to supervise; usage: suture run [options] -- node server.js');
  const exe = path.basename(command[0]!);
  if (!/^node(\.exe)?$|^nodejs$/.test(exe)) {
    throw new CommandError(
      `the command must start with node (got "${command[0]}"); run the service's entry file directly, e.g. suture run -- node dist/server.js`,
    );
  }
  const nodeArgs: string[] = [];
  let i = 1;
  for (; i < command.length; i++) {
    const arg = command[i]!;
    if (!arg.startsWith('-')) break;
    if (FLAGS_WITHOUT_SCRIPT.has(arg.split('=')[0]!)) {
      throw new CommandError(`node ${arg} runs no script file to supervise; give the service's entry file, e.g. node server.js`);
    }
    nodeArgs.push(arg);
    if (FLAGS_WITH_VALUE.has(arg) && i + 1 < command.length) nodeArgs.push(command[++i]!);
  }
  const script = command[i];
  if (script === undefined) throw new CommandError('the node command names no script file; e.g. suture run -- node server.js');
  return { nodeArgs, script, args: command.slice(i + 1) };
}

/**
 * The environment for a process Suture starts on the user's behalf (oracle, sandbox tests), less the
 * variables that would make it behave as part of Suture's own run: a test runner's context, npm's
 * script variables, and node options meant for the parent.
 */
export function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS' || key === 'NODE_V8_COVERAGE' || key.startsWith('npm_') || key.startsWith('SUTURE_')) continue;
    out[key] = value;
  }
  return out;
}
