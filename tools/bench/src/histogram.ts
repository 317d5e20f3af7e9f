// A mergeable latency histogram in integer microseconds with bounded relative error, so that every
// worker can record every reply without storing samples, and the main thread can add the workers'
// counts. Values below 256 µs are exact; above, each power of two is split into 128 buckets
// (relative error < 0.8%). Percentiles are nearest-rank, reported as the bucket's midpoint
// (clamped to the exact min and max seen).

const EXACT = 256; // values 0..255 get a bucket each
const SUB = 128; // buckets per power of two above that
const SUB_BITS = 7;
/** Largest value kept apart (~35 minutes); larger values land in the last bucket. */
export const HISTOGRAM_MAX_US = 0x7fffffff;
export const HISTOGRAM_BUCKETS = EXACT + (31 - 8) * SUB;

/** Bucket index of a non-negative value (µs); fractions are truncated. */
export function bucketOf(valueUs: number): number {
  const v = valueUs <= 0 ? 0 : valueUs >= HISTOGRAM_MAX_US ? HISTOGRAM_MAX_US : Math.floor(valueUs);
  if (v < EXACT) return v;
  const mag = 31 - Math.clz32(v); // v in [2^mag, 2^(mag+1)), mag in 8..30
  const shift = mag - SUB_BITS;
  return EXACT + (mag - 8) * SUB + ((v >>> shift) - SUB);
}

/** [lowest, highest] value (µs, inclusive) that falls into bucket `i`. */
export function bucketRange(i: number): [number, number] {
  if (i < EXACT) return [i, i];
  const k = i - EXACT;
  const mag = 8 + Math.floor(k / SUB);
  const sub = k % SUB;
  const shift = mag - SUB_BITS;
  const lo = (SUB + sub) * 2 ** shift;
  return [lo, lo + 2 ** shift - 1];
}

export interface HistogramData {
  counts: number[];
  count: number;
  min: number;
  max: number;
  sum: number;
}

export class Histogram {
  readonly counts = new Float64Array(HISTOGRAM_BUCKETS);
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;
  sum = 0;

  record(valueUs: number): void {
    const v = valueUs < 0 ? 0 : valueUs;
    this.counts[bucketOf(v)]! += 1;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Adds `n` samples of the same value (several replies that arrived in one read). */
  recordN(valueUs: number, n: number): void {
    if (n <= 0) return;
    const v = valueUs < 0 ? 0 : valueUs;
    this.counts[bucketOf(v)]! += n;
    this.count += n;
    this.sum += v * n;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  merge(other: Histogram | HistogramData): void {
    const c = other.counts;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      const x = c[i] ?? 0;
      if (x !== 0) this.counts[i]! += x;
    }
    this.count += other.count;
    this.sum += other.sum;
    if (other.count > 0) {
      if (other.min < this.min) this.min = other.min;
      if (other.max > this.max) this.max = other.max;
    }
  }

  /** Nearest-rank percentile in µs (p in [0, 100]); NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const [lo, hi] = bucketRange(i);
        const mid = lo === hi ? lo : (lo + hi) / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  /** A structured-clone friendly copy (sparse counts would be smaller, but this is ~4k numbers). */
  toData(): HistogramData {
    return { counts: Array.from(this.counts), count: this.count, min: this.min, max: this.max, sum: this.sum };
  }

  static fromData(d: HistogramData): Histogram {
    const h = new Histogram();
    h.merge(d);
    return h;
  }
}
