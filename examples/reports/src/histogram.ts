// Histograms of numeric values over evenly sized buckets.

import { formatAmount } from './money.js';
import { bucketBounds, niceWidth } from './stats.js';

export interface Bucket {
  from: string;
  to: string;
  count: number;
}

export interface Histogram {
  count: number;
  min: number;
  max: number;
  width: number;
  buckets: Bucket[];
}

export function buildHistogram(values: readonly number[], requestedBuckets: number): Histogram {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const width = niceWidth(max - min, requestedBuckets);
  const { start, slots } = bucketBounds(min, max, width);

  const counts = new Array<number>(slots).fill(0);
  for (const value of values) {
    const slot = Math.min(Math.floor((value - start) / width), slots - 1);
    counts[slot] = (counts[slot] ?? 0) + 1;
  }

  return {
    count: values.length,
    min,
    max,
    width,
    buckets: counts.map((count, i) => ({
      from: formatAmount(start + i * width),
      to: formatAmount(start + (i + 1) * width),
      count,
    })),
  };
}
