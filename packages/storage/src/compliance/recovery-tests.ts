import { expect, it } from 'vitest';
import { CorruptLogError, isStorageError, MissingSnapshotError } from '../errors.js';
import type { Storage } from '../storage.js';
import { appendRange, errorOf, type Harness, range, readAll, recordFor, zxidsOf } from './harness.js';

export function recoveryTests(h: Harness): void {
  it('a crash loses only unsynced records', async (ctx) => {
    if (h.setup.crash === undefined) return ctx.skip();
    let s = await h.fresh();
    appendRange(s, 1n, 5n);
    await s.txnLog.sync();
    appendRange(s, 6n, 8n);
    s = h.track(await h.setup.crash(s));
    expect(await zxidsOf(s)).toEqual(range(1n, 5n));
    expect(s.txnLog.lastZxid()).toBe(5n);
    appendRange(s, 6n, 7n);
    await s.txnLog.sync();
    s = h.track(await h.setup.crash(s));
    expect(await zxidsOf(s)).toEqual(range(1n, 7n));
  });

  it('a crash with a sync in flight keeps at least what resolved syncs covered', async (ctx) => {
    if (h.setup.crash === undefined) return ctx.skip();
    let s = await h.fresh();
    appendRange(s, 1n, 3n);
    const first = await s.txnLog.sync();
    appendRange(s, 4n, 6n);
    const inflight = s.txnLog.sync();
    inflight.catch(() => undefined);
    s = h.track(await h.setup.crash(s));
    const zxids = await zxidsOf(s);
    expect(zxids.slice(0, 3)).toEqual(range(1n, first));
    expect(zxids).toEqual(range(1n, BigInt(zxids.length)));
  });

  it('a torn tail is dropped with a report and the log continues', async (ctx) => {
    if (h.setup.crashTearing === undefined) return ctx.skip();
    let s = await h.fresh();
    appendRange(s, 1n, 5n);
    await s.txnLog.sync();
    s.txnLog.append(6n, recordFor(6n, 300));
    s = h.track(await h.setup.crashTearing(s));
    expect(s.recovery.tornTail).toBeDefined();
    expect(s.recovery.warnings.length).toBeGreaterThan(0);
    expect(await zxidsOf(s)).toEqual(range(1n, 5n));
    s.txnLog.append(6n, recordFor(60n));
    await s.txnLog.sync();
    s = await h.reopen(s);
    expect(s.recovery.tornTail).toBeUndefined();
    const all = await readAll(s);
    expect(all.map((e) => e.zxid)).toEqual(range(1n, 6n));
    expect(Buffer.from(all[5]!.record).equals(Buffer.from(recordFor(60n)))).toBe(true);
  });

  it('a corrupt record followed by valid ones raises CorruptLogError naming file and offset', async (ctx) => {
    if (h.setup.corruptRecord === undefined) return ctx.skip();
    const s = await h.fresh();
    appendRange(s, 1n, 10n);
    await s.txnLog.sync();
    let err: unknown;
    try {
      const after = h.track(await h.setup.corruptRecord(s, 4n));
      err = await errorOf(() => readAll(after));
    } catch (e) {
      err = e;
    }
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    const corrupt = err as CorruptLogError;
    expect(typeof corrupt.file).toBe('string');
    expect(corrupt.file.length).toBeGreaterThan(0);
    expect(corrupt.offset).toBeGreaterThan(0);
    expect(corrupt.message).toContain(corrupt.file);
  });

  it('recoveryPlan: no snapshot on a complete log replays from the start', async () => {
    const s = await h.fresh();
    appendRange(s, 1n, 3n);
    await s.txnLog.sync();
    expect(await s.recoveryPlan()).toEqual({ snapshot: undefined, replayFrom: 1n });
    await s.snapshots.save(2n, recordFor(2n));
    const plan = await s.recoveryPlan();
    expect(plan.snapshot?.zxid).toBe(2n);
    expect(plan.replayFrom).toBe(3n);
  });

  it('purge keeps the newest snapshots and the log needed to replay from the oldest kept', async () => {
    let s = await h.fresh();
    // Ten rounds of: 10 records, then a snapshot at the last one and a log rollover.
    for (let round = 0n; round < 10n; round++) {
      appendRange(s, round * 10n + 1n, round * 10n + 10n);
      await s.txnLog.sync();
      await s.snapshots.save(round * 10n + 10n, recordFor(round));
      s.txnLog.rollover();
    }
    appendRange(s, 101n, 105n);
    await s.txnLog.sync();
    expect(await errorOf(() => s.purge(2))).toBeInstanceOf(RangeError);
    const result = await s.purge(3);
    expect(result.removedSnapshots.map((i) => i.zxid)).toEqual(range(1n, 7n).map((r) => r * 10n));
    s = await h.reopen(s);
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([80n, 90n, 100n]);
    expect(s.txnLog.baseZxid() <= 80n).toBe(true);
    expect(await zxidsOf(s, 81n)).toEqual(range(81n, 105n));
    expect((await s.recoveryPlan()).snapshot?.zxid).toBe(100n);
  });

  it('a missing required snapshot raises MissingSnapshotError', async (ctx) => {
    if (h.setup.corruptSnapshot === undefined) return ctx.skip();
    let s: Storage = await h.fresh();
    for (let round = 0n; round < 4n; round++) {
      appendRange(s, round * 10n + 1n, round * 10n + 10n);
      await s.txnLog.sync();
      await s.snapshots.save(round * 10n + 10n, recordFor(round));
      s.txnLog.rollover();
    }
    appendRange(s, 41n, 42n);
    await s.txnLog.sync();
    await s.purge(3);
    const base = s.txnLog.baseZxid();
    expect(base > 0n).toBe(true);
    // Damage every snapshot at or after the base: recovery cannot bridge the purged records.
    for (const info of await s.snapshots.list()) s = h.track(await h.setup.corruptSnapshot(s, info));
    const err = await errorOf(() => s.recoveryPlan());
    expect(isStorageError(err, 'MISSING_SNAPSHOT')).toBe(true);
    expect((err as MissingSnapshotError).requiredZxid).toBe(base);
  });

  for (const code of ['ENOSPC', 'EIO'] as const) {
    it(`a failed log sync (${code}) fails the log: pending and later syncs reject, appends throw`, async (ctx) => {
      if (h.setup.failNextLogSync === undefined) return ctx.skip();
      const s = await h.fresh();
      appendRange(s, 1n, 3n);
      await s.txnLog.sync();
      h.setup.failNextLogSync(s, code);
      appendRange(s, 4n, 6n);
      const failing = s.txnLog.sync();
      s.txnLog.append(7n, recordFor(7n));
      const queued = s.txnLog.sync();
      const expected = code === 'ENOSPC' ? 'STORAGE_FULL' : 'STORAGE_FAILED';
      expect(isStorageError(await errorOf(() => failing), expected)).toBe(true);
      expect(isStorageError(await errorOf(() => queued), expected)).toBe(true);
      expect(isStorageError(await errorOf(() => s.txnLog.sync()), expected)).toBe(true);
      expect(isStorageError(await errorOf(() => s.txnLog.append(8n, recordFor(8n))), expected)).toBe(true);
      expect(s.txnLog.stats().durableZxid).toBe(3n);
      const after = await h.reopen(s);
      const zxids = await zxidsOf(after);
      expect(zxids.slice(0, 3)).toEqual(range(1n, 3n));
    });
  }
}
