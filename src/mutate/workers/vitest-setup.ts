// The setup file suture writes into the project for its vitest workers: vitest runs tests in
// other threads, so the run's mutant (or coverage) travels by `provide()` / `inject()`.
import { configGlobal, stateGlobal } from '../runtime.js';

export const providedKey = 'sutureConfig';
export const vitestSetupFile = '.suture-vitest-setup.mjs';

export const vitestSetupSource = `// Written by suture mutate: the mutant (or coverage) of this run, for the injected helper.
import { afterAll, inject } from 'vitest';
globalThis.${configGlobal} = inject('${providedKey}');
delete globalThis.${stateGlobal};
afterAll(() => { const state = globalThis.${stateGlobal}; if (state) state.flush(); });
`;
