// Suture's programmatic surface.
export * from './model/index.js';
export { Supervisor } from './supervisor/supervisor.js';
export { loadConfig, resolveConfig, ConfigError, type SutureConfig } from './config/config.js';
export { openStore } from './store/open.js';
export type { Store } from './store/store.js';
export { replayIncident } from './diagnose/replay.js';
export { Oracle } from './diagnose/oracle.js';
