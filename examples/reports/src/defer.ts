// Runs CPU-heavy report work on a later turn of the event loop, so requests already queued
// (health checks above all) are answered first.

export function deferred<T>(task: () => T): Promise<T> {
  return new Promise((resolve) => {
    setImmediate(() => resolve(task()));
  });
}
