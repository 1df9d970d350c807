// Plays suture for the worker lifetime test: starts two node:test workers on the project in
// argv[2], leaves one idle and sets the other spinning in an endless test with no timeout, prints
// both pids, then waits to be killed.
import { TestWorker, type WorkerSpec } from '../../../src/mutate/workers/test-worker.js';

const root = process.argv[2]!;
const spec: WorkerSpec = {
  kind: 'node-test',
  nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '--test-reporter-destination=/dev/null'],
  args: { root, runnerArgs: [], testFiles: ['test/spin.spec.ts'] },
};
const env = { ...process.env };
delete env.NODE_TEST_CONTEXT;
const idle = new TestWorker(spec, root, env, Promise.resolve());
const spinning = new TestWorker(spec, root, env, Promise.resolve());
await Promise.all([idle.started, spinning.started]);
void spinning.run({ type: 'run', files: ['test/spin.spec.ts'], config: { active: -1, coverageDir: '', hitLimit: 0 }, bail: true });
process.stdout.write(`${JSON.stringify({ idle: idle.pid, spinning: spinning.pid })}\n`);
setInterval(() => {}, 60_000);
