import { runnerContract } from './helpers/runner-contract.js';

runnerContract('node-test', 'node');
