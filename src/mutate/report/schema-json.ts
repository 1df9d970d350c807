// The mutation-testing-report-schema (schemaVersion 1) document that StrykerJS and PIT tools read.
import type { MutationRun } from '../result.js';

export interface SchemaMutant {
  id: string;
  mutatorName: string;
  replacement: string;
  description: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  status: string;
  statusReason?: string;
  coveredBy?: string[];
  killedBy?: string[];
  static?: boolean;
}

export interface SchemaReport {
  schemaVersion: '1';
  thresholds: { high: number; low: number; break?: number };
  projectRoot: string;
  files: Record<string, { language: string; source: string; mutants: SchemaMutant[] }>;
  testFiles: Record<string, { tests: Array<{ id: string; name: string }> }>;
  framework: { name: string; version: string };
}

export function toSchemaReport(run: Omit<MutationRun, 'reportFiles'>, breakAt?: number): SchemaReport {
  const files: SchemaReport['files'] = {};
  const testFiles = new Set<string>();
  for (const file of run.files) {
    files[file.path] = {
      language: file.language,
      source: file.source,
      mutants: file.mutants.map((m) => {
        m.coveredBy.forEach((t) => testFiles.add(t));
        return {
          id: String(m.id),
          mutatorName: m.mutation.operator,
          replacement: m.mutation.replacement,
          description: m.mutation.description,
          location: m.location,
          status: m.status,
          ...(m.statusReason ? { statusReason: m.statusReason } : {}),
          ...(m.coveredBy.length > 0 ? { coveredBy: m.coveredBy } : {}),
          ...(m.killedBy ? { killedBy: m.killedBy } : {}),
          ...(m.isStatic ? { static: true } : {}),
        };
      }),
    };
  }
  return {
    schemaVersion: '1',
    thresholds: { high: 80, low: 60, ...(breakAt !== undefined ? { break: breakAt } : {}) },
    projectRoot: run.projectDir,
    files,
    // Test ids are the test files: coverage and selection are per file.
    testFiles: Object.fromEntries([...testFiles].sort().map((t) => [t, { tests: [{ id: t, name: t }] }])),
    framework: { name: 'suture', version: '0.1.0' },
  };
}
