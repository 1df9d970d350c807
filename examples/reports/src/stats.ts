// Bucket sizing for histograms: round widths to 1, 2, 2.5 or 5 times a power of ten so that
// bucket edges read well on a chart axis.

const NICE_STEPS = [1, 2, 2.5, 5, 10];

export function niceWidth(range: number, buckets: number): number {
  if (range === 0) return 1;
  const raw = range / buckets;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = NICE_STEPS.find((candidate) => candidate * magnitude >= raw) ?? 10;
  return step * magnitude;
}

export function bucketBounds(min: number, max: number, width: number): { start: number; slots: number } {
  const start = Math.floor(min / width) * width;
  const slots = Math.max(1, Math.ceil((max - start) / width));
  return { start, slots };
}
