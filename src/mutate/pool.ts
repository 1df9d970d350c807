/**
 * Runs `work` over `items` with at most `concurrency` in flight; results keep input order. Each
 * call gets the index of its lane (0 .. concurrency-1): lanes own their long-lived test worker.
 */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, work: (item: T, lane: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (index: number): Promise<void> => {
    while (next < items.length) {
      const item = next++;
      results[item] = await work(items[item]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, (_, index) => lane(index)));
  return results;
}
