import { describe, expect, it } from 'vitest';
import { median, minMax, percentileSorted, percentiles, summarize } from '../src/stats.js';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('ignores NaN and is NaN for no samples', () => {
    expect(median([Number.NaN, 5, 1])).toBe(3);
    expect(median([])).toBeNaN();
    expect(median([Number.NaN])).toBeNaN();
  });
});

describe('minMax / summarize', () => {
  it('reports the extremes of the finite samples', () => {
    expect(minMax([5, -1, Number.NaN, 9])).toEqual([-1, 9]);
    expect(minMax([])).toEqual([Number.NaN, Number.NaN]);
    expect(summarize([10, 30, 20, Number.NaN])).toEqual({ median: 20, min: 10, max: 30, n: 3 });
  });
});

describe('nearest-rank percentiles', () => {
  const s = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  it('returns the smallest sample with at least p% at or below it', () => {
    expect(percentileSorted(s, 50)).toBe(50);
    expect(percentileSorted(s, 99)).toBe(99);
    expect(percentileSorted(s, 99.9)).toBe(100);
    expect(percentileSorted(s, 0)).toBe(1);
    expect(percentileSorted(s, 100)).toBe(100);
    expect(percentileSorted([42], 99)).toBe(42);
    expect(percentileSorted([], 50)).toBeNaN();
  });
  it('sorts unsorted input first', () => {
    expect(percentiles([5, 1, 4, 2, 3], [20, 60, 100])).toEqual([1, 3, 5]);
  });
});
