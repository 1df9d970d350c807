// The projects the benchmark mutates with both tools, and the files each one mutates. The
// examples are sliced to a few files so one run of the whole bench stays within minutes.
import path from 'node:path';

export interface BenchProject {
  name: string;
  /** What is copied into a fresh temp dir before each tool runs: [absolute from, relative to]. */
  copies: Array<[string, string]>;
  /** Package.json to write when the source has none (the Suture slice). */
  manifest?: object;
  mutate: string[];
  runner: 'node' | 'mocha' | 'vitest';
  /** Test files for Stryker's tap runner (node:test projects). */
  testFiles?: string[];
  /** Node flags for the tap runner, e.g. to load tsx. */
  nodeArgs?: string[];
}

export function benchProjects(repoRoot: string): BenchProject[] {
  const fixtures = path.join(repoRoot, 'test/fixtures/mutate');
  const examples = path.join(repoRoot, 'examples');
  return [
    { name: 'fixture node:test (ts)', copies: [[path.join(fixtures, 'node-test'), '.']], mutate: ['src/**/*.ts'], runner: 'node', testFiles: ['test/*.spec.ts'], nodeArgs: ['--import', 'tsx'] },
    { name: 'fixture vitest (ts)', copies: [[path.join(fixtures, 'vitest'), '.']], mutate: ['src/**/*.ts'], runner: 'vitest' },
    { name: 'fixture mocha (js)', copies: [[path.join(fixtures, 'mocha'), '.']], mutate: ['src/**/*.js'], runner: 'mocha' },
    { name: 'examples/inventory', copies: [[path.join(examples, 'inventory'), '.']], mutate: ['src/stock.js', 'src/reservations.js'], runner: 'node', testFiles: ['test/*.test.js'] },
    { name: 'examples/orders', copies: [[path.join(examples, 'orders'), '.']], mutate: ['src/pricing.js', 'src/shipping.js', 'src/validation.js'], runner: 'node', testFiles: ['test/*.test.js'] },
    { name: 'examples/reports', copies: [[path.join(examples, 'reports'), '.']], mutate: ['dist/summary.js', 'dist/histogram.js', 'dist/stats.js'], runner: 'node', testFiles: ['test/*.test.js'] },
    {
      name: 'suture src/repair/operators',
      copies: [
        [path.join(repoRoot, 'src/repair/operators'), 'src/repair/operators'],
        [path.join(repoRoot, 'test/repair/operators.test.ts'), 'test/repair/operators.test.ts'],
      ],
      manifest: { name: 'suture-operators-slice', private: true, type: 'module', scripts: { test: 'node --import tsx --test test/repair/operators.test.ts' } },
      mutate: ['binary-table', 'equality-operator', 'unary-operator'].map((f) => `src/repair/operators/${f}.ts`),
      runner: 'node',
      testFiles: ['test/repair/operators.test.ts'],
      nodeArgs: ['--import', 'tsx'],
    },
  ];
}
