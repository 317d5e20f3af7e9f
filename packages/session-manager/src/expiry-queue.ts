/**
 * Items grouped into buckets of a fixed width (the expiration interval, normally tickTime). An item
 * updated at `now` with `timeoutMs` lands in the bucket at the first multiple of the interval that is
 * strictly greater than `now + timeoutMs` (ExpiryQueue.roundToNextInterval), which gives every item
 * up to one interval of grace and lets a whole bucket expire at once.
 *
 * Pure: time is an argument. update and remove are O(1); poll and nextExpirationTime are
 * O(number of buckets), which is about maxTimeout / interval + 1.
 */
export class ExpiryQueue<T> {
  readonly expirationIntervalMs: number;
  /** item -> the time of the bucket that holds it */
  private readonly expiryOf = new Map<T, number>();
  /** bucket time -> items, in the order they entered the bucket */
  private readonly buckets = new Map<number, Set<T>>();
  /** earliest bucket time, valid unless `minStale` */
  private minTime: number | undefined = undefined;
  private minStale = false;

  constructor(expirationIntervalMs: number) {
    if (!Number.isInteger(expirationIntervalMs) || expirationIntervalMs <= 0) {
      throw new RangeError(`expiration interval must be a positive integer, got ${expirationIntervalMs}`);
    }
    this.expirationIntervalMs = expirationIntervalMs;
  }

  /** The bucket a deadline falls in: the next multiple of the interval strictly after `time`. */
  roundToNextInterval(time: number): number {
    const interval = this.expirationIntervalMs;
    return (Math.floor(time / interval) + 1) * interval;
  }

  /**
   * Adds the item, or moves it to the bucket for `now + timeoutMs`. Returns the new bucket time, or
   * undefined when the item was already in that bucket (nothing changed).
   */
  update(item: T, timeoutMs: number, now: number): number | undefined {
    const next = this.roundToNextInterval(now + timeoutMs);
    const prev = this.expiryOf.get(item);
    if (prev === next) return undefined;

    let bucket = this.buckets.get(next);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(next, bucket);
      if (!this.minStale && (this.minTime === undefined || next < this.minTime)) this.minTime = next;
    }
    bucket.add(item);
    this.expiryOf.set(item, next);
    if (prev !== undefined) this.leaveBucket(item, prev);
    return next;
  }

  /** Removes the item; returns the bucket time it was in, or undefined if it was not queued. */
  remove(item: T): number | undefined {
    const time = this.expiryOf.get(item);
    if (time === undefined) return undefined;
    this.expiryOf.delete(item);
    this.leaveBucket(item, time);
    return time;
  }

  /** The bucket time of a queued item. */
  expirationOf(item: T): number | undefined {
    return this.expiryOf.get(item);
  }

  has(item: T): boolean {
    return this.expiryOf.has(item);
  }

  /** Number of queued items. */
  get size(): number {
    return this.expiryOf.size;
  }

  /** Number of non-empty buckets. */
  get bucketCount(): number {
    return this.buckets.size;
  }

  /** Time of the earliest non-empty bucket: when the next poll can return something. */
  nextExpirationTime(): number | undefined {
    if (this.minStale) {
      let min: number | undefined;
      for (const time of this.buckets.keys()) if (min === undefined || time < min) min = time;
      this.minTime = min;
      this.minStale = false;
    }
    return this.minTime;
  }

  /**
   * Removes and returns every item whose bucket time is <= now: earlier buckets first, and within
   * a bucket in the order items entered it. An item expires exactly when now reaches its bucket time.
   */
  poll(now: number): T[] {
    const first = this.nextExpirationTime();
    if (first === undefined || first > now) return [];
    const due: number[] = [];
    for (const time of this.buckets.keys()) if (time <= now) due.push(time);
    if (due.length > 1) due.sort((a, b) => a - b);
    const expired: T[] = [];
    for (const time of due) {
      const bucket = this.buckets.get(time)!;
      this.buckets.delete(time);
      for (const item of bucket) {
        this.expiryOf.delete(item);
        expired.push(item);
      }
    }
    this.minStale = true;
    return expired;
  }

  /** Buckets in time order (for `dump`-style reports). Allocates; not for hot paths. */
  snapshotBuckets(): Array<{ expiresAt: number; items: T[] }> {
    return [...this.buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([expiresAt, items]) => ({ expiresAt, items: [...items] }));
  }

  private leaveBucket(item: T, time: number): void {
    const bucket = this.buckets.get(time);
    if (bucket === undefined) return;
    bucket.delete(item);
    if (bucket.size === 0) {
      this.buckets.delete(time);
      if (time === this.minTime) this.minStale = true;
    }
  }
}
