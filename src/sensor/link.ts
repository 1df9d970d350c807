// The sensor's line to the supervisor: Node's IPC channel when the worker has one, else nothing
// (a service started with the sensor but without Suture keeps running and logs faults to stderr).

import type { SensorMessage } from '../model/messages.js';

export function connected(): boolean {
  return typeof process.send === 'function' && process.connected;
}

export function send(message: SensorMessage, done?: () => void): void {
  if (!connected()) {
    done?.();
    return;
  }
  try {
    process.send!(message, undefined, {}, () => done?.());
  } catch {
    // the channel closed between the check and the send: the supervisor is gone, nothing to tell
    done?.();
  }
}
