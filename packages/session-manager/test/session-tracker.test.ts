import { ErrorCode } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { SessionTracker, TouchBatch } from '../src/index.js';

const TICK = 2000;

describe('SessionTracker expiry', () => {
  it('expires a session at its bucket and not before', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    expect(t.add(1n, 10000, 1000)).toBe(true); // 11000 -> bucket 12000
    expect(t.get(1n)).toEqual({ id: 1n, timeoutMs: 10000, closing: false, owner: undefined, expiresAt: 12000 });
    expect(t.nextExpirationTime()).toBe(12000);
    expect(t.expire(11999)).toEqual([]);
    expect(t.expire(12000)).toEqual([1n]);
    // expired: closing, out of the queue, still tracked until remove()
    expect(t.isClosing(1n)).toBe(true);
    expect(t.get(1n)?.expiresAt).toBeUndefined();
    expect(t.has(1n)).toBe(true);
    expect(t.expire(100000)).toEqual([]);
    expect(t.remove(1n)).toBe(true);
    expect(t.has(1n)).toBe(false);
    expect(t.size).toBe(0);
  });

  it('a touch moves the session to a later bucket', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    t.add(1n, 6000, 0); // 6000 -> 8000
    t.add(2n, 6000, 0);
    expect(t.touch(1n, 5000)).toBe(true); // 11000 -> 12000
    expect(t.get(1n)?.expiresAt).toBe(12000);
    expect(t.expire(8000)).toEqual([2n]);
    expect(t.expire(11999)).toEqual([]);
    expect(t.expire(12000)).toEqual([1n]);
  });

  it('expires several buckets in one call, earliest first', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    t.add(3n, 9000, 0); // 10000
    t.add(1n, 4000, 0); // 6000
    t.add(2n, 5000, 0); // 6000
    expect(t.expire(20000)).toEqual([1n, 2n, 3n]);
    expect(t.closingSize).toBe(3);
  });

  it('touch uses an explicit timeout when given (the connection negotiated one)', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    t.add(1n, 4000, 0);
    expect(t.touch(1n, 1000, 20000)).toBe(true); // 21000 -> 22000
    expect(t.get(1n)?.expiresAt).toBe(22000);
    expect(t.timeoutOf(1n)).toBe(4000); // stored timeout unchanged
  });

  it('add of a known id keeps its timeout but reschedules (trackSession)', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    expect(t.add(1n, 4000, 0)).toBe(true);
    expect(t.add(1n, 30000, 1000)).toBe(false);
    expect(t.get(1n)).toMatchObject({ timeoutMs: 4000, expiresAt: 32000 });
  });

  it('restore tracks snapshot sessions relative to now', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    t.restore([[5n, 4000], [6n, 8000]], 100000);
    expect([...t.timeouts()]).toEqual([[5n, 4000], [6n, 8000]]);
    expect(t.expiryBuckets()).toEqual([
      { expiresAt: 106000, sessionIds: [5n] },
      { expiresAt: 110000, sessionIds: [6n] },
    ]);
    expect(t.bucketCount).toBe(2);
  });
});

describe('SessionTracker closing', () => {
  it('touch is refused for unknown and closing sessions', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    expect(t.touch(9n, 0)).toBe(false);
    t.add(1n, 4000, 0);
    t.setClosing(1n);
    expect(t.isClosing(1n)).toBe(true);
    expect(t.touch(1n, 1000)).toBe(false);
    expect(t.get(1n)?.expiresAt).toBe(6000); // not moved
    t.setClosing(1n); // idempotent
    expect(t.closingSize).toBe(1);
    t.setClosing(42n); // unknown: no-op
    expect(t.isClosing(42n)).toBe(false);
  });

  it('a session already closing is not reported by expire (its closeSession is in flight)', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    t.add(1n, 4000, 0);
    t.add(2n, 4000, 0);
    t.setClosing(1n);
    expect(t.expire(6000)).toEqual([2n]);
    expect(t.closingSize).toBe(2);
    expect(t.get(1n)?.expiresAt).toBeUndefined();
    expect(t.nextExpirationTime()).toBeUndefined();
  });

  it('remove of an unknown session returns false; remove keeps counts right', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    expect(t.remove(1n)).toBe(false);
    t.add(1n, 4000, 0);
    t.setClosing(1n);
    t.remove(1n);
    expect(t.closingSize).toBe(0);
    expect(t.nextExpirationTime()).toBeUndefined();
  });
});

describe('SessionTracker owners (checkSession / setOwner)', () => {
  const a = { name: 'cnxn-a' };
  const b = { name: 'cnxn-b' };

  it('first check claims the session, a different owner gets SESSIONMOVED', () => {
    const t = new SessionTracker<object>({ tickTimeMs: TICK });
    t.add(1n, 4000, 0);
    expect(t.checkSession(1n, a)).toBe(ErrorCode.OK);
    expect(t.get(1n)?.owner).toBe(a);
    expect(t.checkSession(1n, a)).toBe(ErrorCode.OK);
    expect(t.checkSession(1n, b)).toBe(ErrorCode.SESSIONMOVED);
  });

  it('setOwner moves ownership (reconnect); the old owner is then SESSIONMOVED', () => {
    const t = new SessionTracker<object>({ tickTimeMs: TICK });
    t.add(1n, 4000, 0);
    expect(t.setOwner(1n, a)).toBe(ErrorCode.OK);
    expect(t.setOwner(1n, b)).toBe(ErrorCode.OK);
    expect(t.checkSession(1n, a)).toBe(ErrorCode.SESSIONMOVED);
    expect(t.checkSession(1n, b)).toBe(ErrorCode.OK);
  });

  it('unknown or closing sessions are SESSIONEXPIRED for both', () => {
    const t = new SessionTracker<object>({ tickTimeMs: TICK });
    expect(t.checkSession(1n, a)).toBe(ErrorCode.SESSIONEXPIRED);
    expect(t.setOwner(1n, a)).toBe(ErrorCode.SESSIONEXPIRED);
    t.add(1n, 4000, 0);
    t.setOwner(1n, a);
    t.setClosing(1n);
    expect(t.checkSession(1n, a)).toBe(ErrorCode.SESSIONEXPIRED);
    expect(t.setOwner(1n, b)).toBe(ErrorCode.SESSIONEXPIRED);
    expect(t.get(1n)?.owner).toBe(a);
  });
});

describe('SessionTracker iteration and counts', () => {
  it('ids, timeouts, size', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    t.add(3n, 4000, 0);
    t.add(1n, 6000, 0);
    expect([...t.ids()]).toEqual([3n, 1n]);
    expect(new Map(t.timeouts())).toEqual(new Map([[3n, 4000], [1n, 6000]]));
    expect(t.size).toBe(2);
    expect(t.tickTimeMs).toBe(TICK);
  });

  it('scales: 100k sessions touched and expired', () => {
    const t = new SessionTracker({ tickTimeMs: TICK });
    for (let i = 0; i < 100_000; i++) t.add(BigInt(i), 10000, 0);
    for (let i = 0; i < 100_000; i += 2) t.touch(BigInt(i), 5000);
    const expired = t.expire(12000);
    expect(expired).toHaveLength(50_000);
    expect(expired[0]).toBe(1n);
    expect(t.expire(16000)).toHaveLength(50_000);
  });
});

describe('TouchBatch', () => {
  it('collects the latest timeout per session and drains', () => {
    const batch = new TouchBatch();
    batch.touch(1n, 4000);
    batch.touch(2n, 6000);
    batch.touch(1n, 5000);
    expect(batch.size).toBe(2);
    batch.touch(3n, 1);
    batch.remove(3n);
    expect(batch.drain()).toEqual(new Map([[1n, 5000], [2n, 6000]]));
    expect(batch.size).toBe(0);
    expect(batch.drain()).toEqual(new Map());
  });
});
