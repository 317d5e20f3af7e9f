import { describe, expect, it } from 'vitest';
import { type CorruptLogError, isStorageError, memoryStorage, type MemoryStorage } from '../src/index.js';

const quiet = { warn: () => undefined };
const rec = (z: bigint, size = 10): Uint8Array => Uint8Array.from({ length: size }, (_, i) => Number(z) + i);

async function zxids(s: MemoryStorage): Promise<bigint[]> {
  const out: bigint[] = [];
  for await (const e of s.txnLog.read(0n)) out.push(e.zxid);
  return out;
}

function append(s: MemoryStorage, from: bigint, to: bigint): void {
  for (let z = from; z <= to; z++) s.txnLog.append(z, rec(z));
}

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  return undefined;
}

/** A sync delay the test releases by hand: no timers involved. */
function manualDelay() {
  const waiting: Array<{ kind: string; release: () => void }> = [];
  return {
    waiting,
    delay: (kind: string) => new Promise<void>((release) => waiting.push({ kind, release })),
    releaseNext: () => waiting.shift()!.release(),
  };
}

describe('memory storage: crash', () => {
  it('keeps the requested prefix of unsynced records', async () => {
    const s = await memoryStorage({ logger: quiet });
    append(s, 1n, 5n);
    await s.txnLog.sync();
    append(s, 6n, 9n);
    const after = s.crash({ keepUnsynced: 2 });
    expect(await zxids(after)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(isStorageError(await errorOf(() => s.txnLog.append(10n, rec(10n))), 'STORAGE_CLOSED')).toBe(true);
  });

  it('tears the next unsynced record by the rng and recovery drops it with a warning', async () => {
    const warnings: string[] = [];
    const s = await memoryStorage({ logger: { warn: (m) => warnings.push(m) } });
    append(s, 1n, 3n);
    await s.txnLog.sync();
    s.txnLog.append(4n, rec(4n, 50));
    const after = s.crash({ tearLastUnsynced: true, rng: () => 0.999 });
    expect(after.recovery.tornTail).toEqual({ file: 'log.1', offset: 24 + 3 * 26, droppedBytes: 65 });
    expect(warnings).toHaveLength(1);
    expect(await zxids(after)).toEqual([1n, 2n, 3n]);
    expect(after.crash().recovery.tornTail).toBeUndefined();
  });

  it('a sync still waiting on a slow disk rejects when the instance crashes, and its records are lost', async () => {
    const disk = manualDelay();
    const s = await memoryStorage({ logger: quiet, syncDelay: disk.delay });
    append(s, 1n, 3n);
    const pending = s.txnLog.sync();
    const after = s.crash();
    disk.releaseNext();
    expect(isStorageError(await errorOf(pending), 'STORAGE_CLOSED')).toBe(true);
    expect(await zxids(after)).toEqual([]);
  });

  it('an epoch write that has not completed is lost by a crash', async () => {
    const disk = manualDelay();
    const s = await memoryStorage({ logger: quiet, syncDelay: disk.delay });
    const setting = s.epochs.setAcceptedEpoch(9);
    const after = s.crash();
    disk.releaseNext();
    await errorOf(setting);
    expect(after.epochs.acceptedEpoch()).toBeUndefined();
  });
});

describe('memory storage: slow disk hook', () => {
  it('never runs two log batches at once; callers arriving meanwhile share the next batch', async () => {
    const disk = manualDelay();
    const s = await memoryStorage({ logger: quiet, syncDelay: disk.delay });
    s.txnLog.append(1n, rec(1n));
    const first = s.txnLog.sync();
    expect(disk.waiting.map((w) => w.kind)).toEqual(['log']);
    append(s, 2n, 10n);
    const joiners = [s.txnLog.sync(), s.txnLog.sync(), s.txnLog.sync()];
    expect(disk.waiting).toHaveLength(1);
    expect(s.txnLog.stats().syncs).toBe(1);
    disk.releaseNext();
    expect(await first).toBe(1n);
    expect(disk.waiting).toHaveLength(1);
    expect(s.txnLog.stats().syncs).toBe(2);
    disk.releaseNext();
    expect(await Promise.all(joiners)).toEqual([10n, 10n, 10n]);
    expect(s.txnLog.stats()).toMatchObject({ appends: 10, syncs: 2, durableZxid: 10n, pendingRecords: 0 });
  });
});

describe('memory storage: faults', () => {
  it('setFull fails log syncs, snapshot saves and epoch writes with StorageFullError, across crashes', async () => {
    const s = await memoryStorage({ logger: quiet });
    s.setFull(true);
    append(s, 1n, 2n);
    expect(isStorageError(await errorOf(s.txnLog.sync()), 'STORAGE_FULL')).toBe(true);
    expect(isStorageError(await errorOf(s.snapshots.save(1n, rec(1n))), 'STORAGE_FULL')).toBe(true);
    expect(isStorageError(await errorOf(s.epochs.setCurrentEpoch(1)), 'STORAGE_FULL')).toBe(true);
    const after = s.crash();
    after.txnLog.append(1n, rec(1n));
    expect(isStorageError(await errorOf(after.txnLog.sync()), 'STORAGE_FULL')).toBe(true);
    const freed = after.crash();
    freed.setFull(false);
    freed.txnLog.append(1n, rec(1n));
    expect(await freed.txnLog.sync()).toBe(1n);
  });

  it('a record corrupted under a live instance fails the read that reaches it', async () => {
    const s = await memoryStorage({ logger: quiet });
    append(s, 1n, 4n);
    await s.txnLog.sync();
    s.corruptRecord(3n);
    const seen: bigint[] = [];
    const err = await errorOf(async () => {
      for await (const e of s.txnLog.read(0n)) seen.push(e.zxid);
    });
    expect(seen).toEqual([1n, 2n]);
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    expect((err as CorruptLogError).file).toBe('log.1');
    expect((err as CorruptLogError).offset).toBe(24 + 2 * 26);
    expect(() => s.crash()).toThrow(/corrupt transaction log log\.1 at offset 76/);
  });

  it('purge reports removed segments by name', async () => {
    const s = await memoryStorage({ logger: quiet });
    for (let r = 0n; r < 5n; r++) {
      append(s, r * 10n + 1n, r * 10n + 10n);
      await s.txnLog.sync();
      await s.snapshots.save(r * 10n + 10n, rec(r));
      s.txnLog.rollover();
    }
    const result = await s.purge(3);
    expect(result.removedLogSegments).toEqual(['log.1', 'log.b', 'log.15']);
    expect(result.removedSnapshots.map((i) => i.name)).toEqual(['snapshot.a', 'snapshot.14']);
    expect(s.txnLog.baseZxid()).toBe(30n);
  });
});
