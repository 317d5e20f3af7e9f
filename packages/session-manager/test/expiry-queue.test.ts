import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from '../src/index.js';

describe('ExpiryQueue bucket rounding', () => {
  const q = new ExpiryQueue<string>(2000);

  it('rounds to the next multiple strictly after the deadline', () => {
    expect(q.roundToNextInterval(0)).toBe(2000);
    expect(q.roundToNextInterval(1)).toBe(2000);
    expect(q.roundToNextInterval(1999)).toBe(2000);
    expect(q.roundToNextInterval(2000)).toBe(4000);
    expect(q.roundToNextInterval(5999)).toBe(6000);
    expect(q.roundToNextInterval(6000)).toBe(8000);
  });

  it('puts an item at roundToNextInterval(now + timeout)', () => {
    const queue = new ExpiryQueue<string>(2000);
    expect(queue.update('a', 4000, 1000)).toBe(6000); // 5000 -> 6000
    expect(queue.update('b', 4000, 0)).toBe(6000); // 4000 is a multiple: still the next one up
    expect(queue.update('c', 4000, 1999)).toBe(6000);
    expect(queue.update('d', 4000, 2000)).toBe(8000);
    expect(queue.expirationOf('a')).toBe(6000);
    expect(queue.size).toBe(4);
    expect(queue.bucketCount).toBe(2);
  });

  it('rejects a bad interval', () => {
    expect(() => new ExpiryQueue(0)).toThrow(RangeError);
    expect(() => new ExpiryQueue(2.5)).toThrow(RangeError);
  });
});

describe('ExpiryQueue update / remove / poll', () => {
  it('returns undefined when an update lands in the same bucket', () => {
    const q = new ExpiryQueue<string>(2000);
    expect(q.update('a', 4000, 1000)).toBe(6000);
    expect(q.update('a', 4000, 1500)).toBeUndefined(); // 5500 -> still 6000
    expect(q.update('a', 4000, 2000)).toBe(8000);
    expect(q.bucketCount).toBe(1); // the emptied 6000 bucket is gone
  });

  it('expires exactly when now reaches the bucket time, not before', () => {
    const q = new ExpiryQueue<string>(2000);
    q.update('a', 4000, 1000); // 6000
    expect(q.poll(5999)).toEqual([]);
    expect(q.has('a')).toBe(true);
    expect(q.poll(6000)).toEqual(['a']);
    expect(q.has('a')).toBe(false);
    expect(q.poll(6000)).toEqual([]);
    expect(q.size).toBe(0);
  });

  it('poll returns every due bucket, earliest first, in bucket insertion order', () => {
    const q = new ExpiryQueue<string>(1000);
    q.update('late', 5000, 0); // 6000
    q.update('x', 1000, 0); // 2000
    q.update('y', 1500, 0); // 2000
    q.update('early', 500, 0); // 1000
    q.update('never', 50000, 0); // 51000
    expect(q.nextExpirationTime()).toBe(1000);
    expect(q.poll(6000)).toEqual(['early', 'x', 'y', 'late']);
    expect(q.nextExpirationTime()).toBe(51000);
    expect(q.size).toBe(1);
  });

  it('a touch moves the item to a later bucket', () => {
    const q = new ExpiryQueue<string>(1000);
    q.update('a', 3000, 0); // 4000
    q.update('b', 3000, 0); // 4000
    q.update('a', 3000, 2500); // 6000
    expect(q.poll(4000)).toEqual(['b']);
    expect(q.poll(5999)).toEqual([]);
    expect(q.poll(6000)).toEqual(['a']);
  });

  it('remove takes the item out and reports its bucket', () => {
    const q = new ExpiryQueue<string>(1000);
    q.update('a', 3000, 0);
    expect(q.remove('a')).toBe(4000);
    expect(q.remove('a')).toBeUndefined();
    expect(q.poll(10000)).toEqual([]);
    expect(q.nextExpirationTime()).toBeUndefined();
  });

  it('nextExpirationTime follows the earliest non-empty bucket', () => {
    const q = new ExpiryQueue<string>(1000);
    expect(q.nextExpirationTime()).toBeUndefined();
    q.update('a', 3000, 0); // 4000
    q.update('b', 1000, 0); // 2000
    expect(q.nextExpirationTime()).toBe(2000);
    q.update('b', 1000, 3500); // 5000
    expect(q.nextExpirationTime()).toBe(4000);
    q.remove('a');
    expect(q.nextExpirationTime()).toBe(5000);
    q.update('c', 0, 100); // 1000
    expect(q.nextExpirationTime()).toBe(1000);
  });

  it('snapshotBuckets lists buckets in time order', () => {
    const q = new ExpiryQueue<string>(1000);
    q.update('b', 5000, 0);
    q.update('a', 1000, 0);
    q.update('c', 5000, 0);
    expect(q.snapshotBuckets()).toEqual([
      { expiresAt: 2000, items: ['a'] },
      { expiresAt: 6000, items: ['b', 'c'] },
    ]);
  });
});
