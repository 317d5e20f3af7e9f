// Small, exact statistics over samples: median (the figure the tables report), min/max and
// nearest-rank percentiles. Nothing here reads a clock.

/** Median of the samples (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const s = [...finite].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** [min, max] of the finite samples; [NaN, NaN] for none. */
export function minMax(values: readonly number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Number.POSITIVE_INFINITY ? [Number.NaN, Number.NaN] : [lo, hi];
}

/**
 * Nearest-rank percentile of an ascending array: the smallest sample such that at least p% of
 * the samples are <= it (p in (0, 100]); p = 0 gives the minimum. NaN for an empty array.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[n - 1]!;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1]!;
}

/** Percentiles of unsorted samples (sorts a copy). */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  return ps.map((p) => percentileSorted(s, p));
}

/** A summary of repeated measurements of one figure. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  const [min, max] = minMax(values);
  return { median: median(values), min, max, n: values.filter((v) => Number.isFinite(v)).length };
}
