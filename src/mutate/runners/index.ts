import type { Project } from '../project.js';
import { mochaRunner } from './mocha.js';
import { nodeTestRunner } from './node-test.js';
import type { RunnerAdapter } from './runner.js';
import { vitestRunner } from './vitest.js';

export type { RunnerAdapter, RunMode, TestCommand, WorkerPlan } from './runner.js';

export function createRunner(project: Project, sandboxDir: string): RunnerAdapter {
  switch (project.runner) {
    case 'node': return nodeTestRunner(sandboxDir, project.testCommand);
    case 'vitest': return vitestRunner(sandboxDir, project.testCommand);
    case 'mocha': return mochaRunner(sandboxDir, project.testCommand);
  }
}
