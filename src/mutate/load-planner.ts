// Loads the planner (operators and schemata, which need the TypeScript compiler) on demand,
// through the fast way of loading the compiler (see src/typescript-loader.ts).
import { loadTypescriptFast } from '../typescript-loader.js';

export async function loadPlanner(): Promise<typeof import('./plan.js')> {
  loadTypescriptFast();
  return import('./plan.js');
}
