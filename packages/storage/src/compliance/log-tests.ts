import { expect, it } from 'vitest';
import { isStorageError } from '../errors.js';
import { appendRange, errorOf, type Harness, range, readAll, recordFor, zxidsOf } from './harness.js';

const E1 = 0x1_0000_0000n; // first zxid of epoch 1 is E1 + 1n

export function logTests(h: Harness): void {
  it('starts empty', async () => {
    const s = await h.fresh();
    expect(s.txnLog.lastZxid()).toBe(0n);
    expect(s.txnLog.baseZxid()).toBe(0n);
    expect(await readAll(s)).toEqual([]);
    expect(s.recovery.tornTail).toBeUndefined();
  });

  it('returns every synced record after reopen, in order and byte for byte', async () => {
    let s = await h.fresh();
    const sizes = [0, 1, 7, 100, 4096, 1 << 20];
    const written = sizes.map((size, i) => ({ zxid: E1 + BigInt(i + 1), record: recordFor(E1 + BigInt(i + 1), size) }));
    for (const w of written) s.txnLog.append(w.zxid, w.record);
    expect(await s.txnLog.sync()).toBe(written[written.length - 1]!.zxid);
    s = await h.reopen(s);
    expect(s.txnLog.lastZxid()).toBe(written[written.length - 1]!.zxid);
    const read = await readAll(s);
    expect(read.map((e) => e.zxid)).toEqual(written.map((w) => w.zxid));
    read.forEach((e, i) => expect(Buffer.from(e.record).equals(Buffer.from(written[i]!.record))).toBe(true));
  });

  it('keeps records across epochs and many sync batches', async () => {
    let s = await h.fresh();
    appendRange(s, E1 + 1n, E1 + 50n);
    await s.txnLog.sync();
    appendRange(s, 2n * E1 + 1n, 2n * E1 + 50n);
    await s.txnLog.sync();
    s = await h.reopen(s);
    expect(await zxidsOf(s)).toEqual([...range(E1 + 1n, E1 + 50n), ...range(2n * E1 + 1n, 2n * E1 + 50n)]);
  });

  it('reads from the middle (inclusive), between zxids, and past the end', async () => {
    let s = await h.fresh();
    for (let i = 1n; i <= 20n; i++) s.txnLog.append(i * 2n, recordFor(i * 2n));
    await s.txnLog.sync();
    s = await h.reopen(s);
    expect(await zxidsOf(s, 20n)).toEqual(range(10n, 20n).map((i) => i * 2n));
    expect(await zxidsOf(s, 21n)).toEqual(range(11n, 20n).map((i) => i * 2n));
    expect(await zxidsOf(s, 41n)).toEqual([]);
  });

  it('reads see unsynced records appended before the read, not those appended after', async () => {
    const s = await h.fresh();
    appendRange(s, 1n, 5n);
    await s.txnLog.sync();
    appendRange(s, 6n, 8n);
    const reader = s.txnLog.read(4n);
    appendRange(s, 9n, 9n);
    const seen: bigint[] = [];
    for await (const e of reader) seen.push(e.zxid);
    expect(seen).toEqual([4n, 5n, 6n, 7n, 8n]);
  });

  it('enforces strictly increasing zxids, also after reopen', async () => {
    let s = await h.fresh();
    expect(isStorageError(await errorOf(() => s.txnLog.append(0n, recordFor(0n))), 'ZXID_ORDER')).toBe(true);
    s.txnLog.append(5n, recordFor(5n));
    expect(isStorageError(await errorOf(() => s.txnLog.append(5n, recordFor(5n))), 'ZXID_ORDER')).toBe(true);
    expect(isStorageError(await errorOf(() => s.txnLog.append(4n, recordFor(4n))), 'ZXID_ORDER')).toBe(true);
    s.txnLog.append(E1 + 1n, recordFor(E1 + 1n));
    await s.txnLog.sync();
    s = await h.reopen(s);
    expect(isStorageError(await errorOf(() => s.txnLog.append(E1 + 1n, recordFor(0n))), 'ZXID_ORDER')).toBe(true);
    s.txnLog.append(E1 + 2n, recordFor(E1 + 2n));
    expect(await zxidsOf(s)).toEqual([5n, E1 + 1n, E1 + 2n]);
  });

  it('copies appended buffers and hands out buffers the caller owns', async () => {
    const s = await h.fresh();
    const buf = recordFor(1n, 16);
    const original = buf.slice();
    s.txnLog.append(1n, buf);
    buf.fill(0xee);
    await s.txnLog.sync();
    buf.fill(0xdd);
    const [first] = await readAll(s);
    expect(Buffer.from(first!.record).equals(Buffer.from(original))).toBe(true);
    first!.record.fill(0x11);
    const [again] = await readAll(s);
    expect(Buffer.from(again!.record).equals(Buffer.from(original))).toBe(true);
  });

  it('group commit: concurrent syncs over many appends share one batch', async () => {
    const s = await h.fresh();
    const before = s.txnLog.stats().syncs;
    appendRange(s, 1n, 200n);
    const results = await Promise.all(Array.from({ length: 100 }, () => s.txnLog.sync()));
    expect(results.every((z) => z === 200n)).toBe(true);
    expect(s.txnLog.stats().syncs - before).toBe(1);
    expect(s.txnLog.stats().appends).toBe(200);
    expect(s.txnLog.stats().durableZxid).toBe(200n);
    expect(s.txnLog.stats().pendingRecords).toBe(0);
  });

  it('group commit: callers arriving during a batch join the next one (never more than one in flight)', async () => {
    const s = await h.fresh();
    const before = s.txnLog.stats().syncs;
    const waits: Array<Promise<bigint>> = [];
    for (let z = 1n; z <= 50n; z++) {
      s.txnLog.append(z, recordFor(z));
      waits.push(s.txnLog.sync());
    }
    const results = await Promise.all(waits);
    // The first call starts batch 1 with record 1; the other 49 arrive while it runs and share batch 2.
    expect(s.txnLog.stats().syncs - before).toBe(2);
    results.forEach((z, i) => expect(z >= BigInt(i + 1)).toBe(true));
    expect(results[results.length - 1]).toBe(50n);
  });

  it('sync with nothing new resolves without a batch', async () => {
    const s = await h.fresh();
    appendRange(s, 1n, 3n);
    await s.txnLog.sync();
    const before = s.txnLog.stats().syncs;
    expect(await s.txnLog.sync()).toBe(3n);
    await Promise.all([s.txnLog.sync(), s.txnLog.sync()]);
    expect(s.txnLog.stats().syncs).toBe(before);
  });

  it('close syncs pending records', async () => {
    let s = await h.fresh();
    appendRange(s, 1n, 4n);
    s = await h.reopen(s);
    expect(await zxidsOf(s)).toEqual(range(1n, 4n));
  });

  it('rejects use after close', async () => {
    const s = await h.fresh();
    await s.close();
    expect(isStorageError(await errorOf(() => s.txnLog.append(1n, recordFor(1n))), 'STORAGE_CLOSED')).toBe(true);
    expect(isStorageError(await errorOf(() => s.txnLog.sync()), 'STORAGE_CLOSED')).toBe(true);
  });

  it('truncateAfter drops durable and pending records above the zxid, durably', async () => {
    let s = await h.fresh();
    appendRange(s, 1n, 10n);
    await s.txnLog.sync();
    appendRange(s, 11n, 12n);
    await s.txnLog.truncateAfter(5n);
    expect(s.txnLog.lastZxid()).toBe(5n);
    expect(await zxidsOf(s)).toEqual(range(1n, 5n));
    s.txnLog.append(6n, recordFor(600n));
    await s.txnLog.sync();
    s = await h.reopen(s);
    const all = await readAll(s);
    expect(all.map((e) => e.zxid)).toEqual(range(1n, 6n));
    expect(Buffer.from(all[5]!.record).equals(Buffer.from(recordFor(600n)))).toBe(true);
  });

  it('truncateAfter a zxid between records, and to 0 (empty log)', async () => {
    let s = await h.fresh();
    for (const z of [2n, 4n, 6n, 8n]) s.txnLog.append(z, recordFor(z));
    await s.txnLog.sync();
    await s.txnLog.truncateAfter(5n);
    expect(s.txnLog.lastZxid()).toBe(4n);
    await s.txnLog.truncateAfter(0n);
    expect(s.txnLog.lastZxid()).toBe(0n);
    expect(await zxidsOf(s)).toEqual([]);
    s.txnLog.append(1n, recordFor(1n));
    await s.txnLog.sync();
    s = await h.reopen(s);
    expect(await zxidsOf(s)).toEqual([1n]);
  });

  it('records appended right after an unawaited truncateAfter land after it', async () => {
    let s = await h.fresh();
    appendRange(s, 1n, 10n);
    const first = s.txnLog.sync();
    appendRange(s, 11n, 12n);
    const queued = s.txnLog.sync();
    const truncated = s.txnLog.truncateAfter(4n);
    s.txnLog.append(5n, recordFor(500n));
    const after = s.txnLog.sync();
    await Promise.all([first, queued, truncated]);
    expect(await after).toBe(5n);
    s = await h.reopen(s);
    const all = await readAll(s);
    expect(all.map((e) => e.zxid)).toEqual(range(1n, 5n));
    expect(Buffer.from(all[4]!.record).equals(Buffer.from(recordFor(500n)))).toBe(true);
  });

  it('a read issued right after an unawaited truncateAfter sees the new history only', async () => {
    const s = await h.fresh();
    appendRange(s, 1n, 10n);
    await s.txnLog.sync();
    const truncated = s.txnLog.truncateAfter(4n);
    s.txnLog.append(5n, recordFor(500n));
    const read = await readAll(s);
    expect(read.map((e) => e.zxid)).toEqual(range(1n, 5n));
    expect(Buffer.from(read[4]!.record).equals(Buffer.from(recordFor(500n)))).toBe(true);
    await truncated;
    await s.txnLog.sync();
    expect(await zxidsOf(s)).toEqual(range(1n, 5n));
  });

  it('truncateAfter below the purged base is refused', async () => {
    const s = await h.fresh();
    appendRange(s, 1n, 5n);
    await s.txnLog.sync();
    s.txnLog.rollover();
    appendRange(s, 6n, 10n);
    await s.txnLog.sync();
    await s.txnLog.purgeBefore(8n);
    const base = s.txnLog.baseZxid();
    if (base === 0n) return; // a backend without segments may keep everything
    expect(await errorOf(() => s.txnLog.truncateAfter(base - 1n))).toBeInstanceOf(RangeError);
    await s.txnLog.truncateAfter(base);
    expect(s.txnLog.lastZxid()).toBe(base);
  });

  it('rollover + purgeBefore keep every record at or after the zxid', async () => {
    let s = await h.fresh();
    for (let seg = 0n; seg < 4n; seg++) {
      if (seg > 0n) s.txnLog.rollover();
      appendRange(s, seg * 10n + 1n, seg * 10n + 10n);
      await s.txnLog.sync();
    }
    await s.txnLog.purgeBefore(25n);
    expect(s.txnLog.baseZxid() <= 24n).toBe(true);
    const remaining = await zxidsOf(s);
    expect(remaining.slice(remaining.indexOf(25n))).toEqual(range(25n, 40n));
    s = await h.reopen(s);
    expect(await zxidsOf(s, 25n)).toEqual(range(25n, 40n));
    expect(s.txnLog.lastZxid()).toBe(40n);
    expect(s.txnLog.baseZxid() <= 24n).toBe(true);
  });
}
