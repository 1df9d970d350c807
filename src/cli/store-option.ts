// Resolves which store a command reads: --store, else the config's store, else the default.

import type { SutureConfig } from '../config/config.js';
import { openStore, storeFilePath } from '../store/open.js';
import type { Store } from '../store/store.js';

/** The store's absolute file path, for processes that open it themselves. */
export function storeFile(config: SutureConfig, flag: string | undefined): string {
  return storeFilePath(flag ?? config.store, flag ? process.cwd() : config.root);
}

export function openConfiguredStore(config: SutureConfig, flag: string | undefined, mustExist: boolean): Store {
  return openStore(flag ?? config.store, flag ? process.cwd() : config.root, {
    mustExist,
    limits: { requestsPerIncident: config.recording.requestsPerIncident, trafficPerRoute: config.recording.trafficPerRoute },
  });
}
