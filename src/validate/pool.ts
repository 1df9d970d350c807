// Runs jobs with at most `size` at once, in order of submission.

import os from 'node:os';

export function poolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export async function mapPool<T, R>(items: readonly T[], size: number, job: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}
