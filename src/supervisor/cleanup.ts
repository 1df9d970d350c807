// Everything a heal starts (sandboxes, oracle processes, test runs) registers how to undo it, so a
// heal stopped by a signal removes its sandboxes and stops its processes instead of orphaning them.

const undo = new Map<symbol, () => void>();

export function track(stop: () => void): () => void {
  const key = Symbol('cleanup');
  undo.set(key, stop);
  return () => undo.delete(key);
}

/** Runs every registered clean-up once, newest first. Synchronous: safe in a signal handler before exit. */
export function cleanupAll(): void {
  for (const [key, stop] of [...undo].reverse()) {
    undo.delete(key);
    try {
      stop();
    } catch {
      // best effort: the rest still run
    }
  }
}
