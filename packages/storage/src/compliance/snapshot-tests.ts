import { expect, it } from 'vitest';
import { isStorageError } from '../errors.js';
import { concat, errorOf, type Harness, recordFor } from './harness.js';

async function* chunked(data: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  // Reuse one buffer to check the store copies/writes each chunk before pulling the next.
  const scratch = new Uint8Array(size);
  for (let at = 0; at < data.length; at += size) {
    const n = Math.min(size, data.length - at);
    scratch.set(data.subarray(at, at + n));
    yield scratch.subarray(0, n);
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export function snapshotTests(h: Harness): void {
  it('saves, lists and opens snapshots; latest is the highest zxid; survives reopen', async () => {
    let s = await h.fresh();
    expect(await s.snapshots.latest()).toBeUndefined();
    const small = recordFor(7n, 1000);
    const big = recordFor(9n, 3 * 1024 * 1024 + 17);
    const a = await s.snapshots.save(7n, small);
    expect(a).toMatchObject({ zxid: 7n, size: 1000 });
    const b = await s.snapshots.save(0x2_0000_0005n, chunked(big, 64 * 1024));
    expect(b.size).toBe(big.length);
    await s.snapshots.save(3n, [recordFor(3n, 10), recordFor(4n, 20)]);
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([3n, 7n, 0x2_0000_0005n]);
    s = await h.reopen(s);
    const latest = await s.snapshots.latest();
    expect(latest?.zxid).toBe(0x2_0000_0005n);
    expect(same(await concat(s.snapshots.open(latest!)), big)).toBe(true);
    const three = (await s.snapshots.list())[0]!;
    const expected = new Uint8Array([...recordFor(3n, 10), ...recordFor(4n, 20)]);
    expect(same(await concat(s.snapshots.open(three)), expected)).toBe(true);
    expect(same(await concat(s.snapshots.open((await s.snapshots.list())[1]!)), small)).toBe(true);
  });

  it('an empty snapshot round-trips; saving the same zxid again replaces it', async () => {
    let s = await h.fresh();
    await s.snapshots.save(5n, new Uint8Array(0));
    s = await h.reopen(s);
    const info = await s.snapshots.latest();
    expect(info?.size).toBe(0);
    expect((await concat(s.snapshots.open(info!))).length).toBe(0);
    await s.snapshots.save(5n, recordFor(5n, 33));
    expect((await s.snapshots.list()).length).toBe(1);
    expect(same(await concat(s.snapshots.open((await s.snapshots.latest())!)), recordFor(5n, 33))).toBe(true);
  });

  it('removes snapshots', async () => {
    let s = await h.fresh();
    const a = await s.snapshots.save(1n, recordFor(1n));
    await s.snapshots.save(2n, recordFor(2n));
    await s.snapshots.remove(a);
    await s.snapshots.remove(a);
    s = await h.reopen(s);
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([2n]);
  });

  it('never exposes a snapshot whose data failed half way', async () => {
    let s = await h.fresh();
    await s.snapshots.save(1n, recordFor(1n));
    async function* failing(): AsyncIterable<Uint8Array> {
      yield recordFor(2n, 5000);
      throw new Error('serializer failed');
    }
    const err = await errorOf(() => s.snapshots.save(2n, failing()));
    expect((err as Error).message).toContain('serializer failed');
    expect((await s.snapshots.latest())?.zxid).toBe(1n);
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([1n]);
    s = await h.reopen(s);
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([1n]);
  });

  it('a snapshot interrupted by a crash is never returned', async (ctx) => {
    if (h.setup.crash === undefined) return ctx.skip();
    const s = await h.fresh();
    await s.snapshots.save(1n, recordFor(1n));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let yielded!: () => void;
    const started = new Promise<void>((r) => (yielded = r));
    async function* slow(): AsyncIterable<Uint8Array> {
      yield recordFor(2n, 4096);
      yielded();
      await gate;
      yield recordFor(3n, 4096);
    }
    const saving = s.snapshots.save(2n, slow());
    await started;
    const after = h.track(await h.setup.crash(s));
    expect((await after.snapshots.latest())?.zxid).toBe(1n);
    release();
    await saving.catch(() => undefined);
    expect((await after.snapshots.list()).map((i) => i.zxid)).toEqual([1n]);
    const again = await h.reopen(after);
    expect((await again.snapshots.list()).map((i) => i.zxid)).toEqual([1n]);
  });

  it('latest skips a corrupt newer snapshot; opening it raises CorruptSnapshotError', async (ctx) => {
    if (h.setup.corruptSnapshot === undefined) return ctx.skip();
    const s = await h.fresh();
    await s.snapshots.save(5n, recordFor(5n, 2000));
    const newer = await s.snapshots.save(10n, recordFor(10n, 2000));
    const after = h.track(await h.setup.corruptSnapshot(s, newer));
    expect((await after.snapshots.latest())?.zxid).toBe(5n);
    const err = await errorOf(() => concat(after.snapshots.open(newer)));
    expect(isStorageError(err, 'CORRUPT_SNAPSHOT')).toBe(true);
  });

  it('epochs start undefined and are durable once set', async () => {
    let s = await h.fresh();
    expect(s.epochs.acceptedEpoch()).toBeUndefined();
    expect(s.epochs.currentEpoch()).toBeUndefined();
    await s.epochs.setAcceptedEpoch(3);
    await s.epochs.setCurrentEpoch(2);
    expect(s.epochs.acceptedEpoch()).toBe(3);
    expect(s.epochs.currentEpoch()).toBe(2);
    s = await h.reopen(s);
    expect(s.epochs.acceptedEpoch()).toBe(3);
    expect(s.epochs.currentEpoch()).toBe(2);
    await s.epochs.setCurrentEpoch(0xffff_ffff);
    if (h.setup.crash !== undefined) s = h.track(await h.setup.crash(s));
    else s = await h.reopen(s);
    expect(s.epochs.currentEpoch()).toBe(0xffff_ffff);
    expect(await errorOf(() => s.epochs.setAcceptedEpoch(-1))).toBeInstanceOf(RangeError);
  });
}
