import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BUCKETS, Histogram, bucketOf, bucketRange } from '../src/histogram.js';
import { percentileSorted } from '../src/stats.js';

describe('histogram buckets', () => {
  it('are exact below 256 µs', () => {
    for (const v of [0, 1, 17, 255]) {
      expect(bucketRange(bucketOf(v))).toEqual([v, v]);
    }
  });
  it('tile the value range without gaps or overlaps', () => {
    let expectedLo = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      const [lo, hi] = bucketRange(i);
      expect(lo).toBe(expectedLo);
      expect(hi).toBeGreaterThanOrEqual(lo);
      expectedLo = hi + 1;
    }
    expect(expectedLo).toBe(2 ** 31);
  });
  it('put every value into the bucket whose range holds it, with < 1% width', () => {
    for (const v of [256, 257, 511, 512, 1000, 12345, 999_999, 2 ** 30 + 5, 2 ** 31 - 1]) {
      const [lo, hi] = bucketRange(bucketOf(v));
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThanOrEqual(hi);
      expect((hi - lo + 1) / lo).toBeLessThan(0.01);
    }
  });
  it('clamp negative and huge values', () => {
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(1e12)).toBe(HISTOGRAM_BUCKETS - 1);
  });
});

describe('Histogram percentiles', () => {
  // A deterministic, skewed sample set (LCG), 1 µs .. ~1 s.
  const samples: number[] = [];
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    samples.push(Math.floor(Math.exp((x / 2 ** 32) * 14)));
  }
  const sorted = [...samples].sort((a, b) => a - b);

  it('match exact nearest-rank percentiles within the bucket precision', () => {
    const h = new Histogram();
    for (const v of samples) h.record(v);
    for (const p of [1, 50, 90, 99, 99.9]) {
      const exact = percentileSorted(sorted, p);
      expect(Math.abs(h.percentile(p) - exact)).toBeLessThanOrEqual(Math.max(1, exact * 0.008));
    }
    expect(h.percentile(0)).toBe(sorted[0]);
    expect(h.percentile(100)).toBe(sorted[sorted.length - 1]);
    expect(h.count).toBe(samples.length);
  });

  it('merge like recording everything in one', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    samples.forEach((v, i) => {
      (i % 3 === 0 ? a : b).record(v);
      all.record(v);
    });
    const m = Histogram.fromData(a.toData());
    m.merge(b.toData());
    expect(m.count).toBe(all.count);
    expect(m.min).toBe(all.min);
    expect(m.max).toBe(all.max);
    for (const p of [50, 99, 99.9]) expect(m.percentile(p)).toBe(all.percentile(p));
  });

  it('recordN counts n samples of one value; an empty histogram has no percentiles', () => {
    const h = new Histogram();
    expect(h.percentile(50)).toBeNaN();
    h.recordN(1000, 3);
    h.record(10);
    expect(h.count).toBe(4);
    expect(h.percentile(25)).toBe(10);
    expect(Math.abs(h.percentile(50) - 1000)).toBeLessThan(8);
    expect(h.mean()).toBeCloseTo(752.5);
  });
});
