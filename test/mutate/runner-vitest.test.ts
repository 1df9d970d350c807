import { runnerContract } from './helpers/runner-contract.js';

runnerContract('vitest', 'vitest');
