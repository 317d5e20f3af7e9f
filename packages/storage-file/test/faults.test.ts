import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isStorageError } from '@zk/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { FORMAT_DIR, openFileStorage } from '../src/file-storage.js';
import { captureLogger, FaultFs, removeTempDirs, tempDir } from './helpers.js';

afterEach(removeTempDirs);

const rec = (n: number, size = 32): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (n + i) & 0xff);

async function open(dir: string, fs = new FaultFs(), forceSync = true) {
  return openFileStorage({ dataDir: dir, preAllocSize: 16 * 1024, logger: captureLogger(), forceSync }, fs);
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('group commit on disk', () => {
  it('1000 appends and 100 concurrent syncs cost one batch and one fdatasync', async () => {
    const fs = new FaultFs();
    const s = await open(await tempDir(), fs);
    s.txnLog.append(1n, rec(1));
    await s.txnLog.sync(); // creates the segment (its own header fsync is not a log datasync batch)
    const syncs = s.txnLog.stats().syncs;
    const datasyncs = fs.logDatasyncs;
    for (let z = 2n; z <= 1001n; z++) s.txnLog.append(z, rec(Number(z)));
    await Promise.all(Array.from({ length: 100 }, () => s.txnLog.sync()));
    expect(s.txnLog.stats().syncs - syncs).toBe(1);
    expect(fs.logDatasyncs - datasyncs).toBe(1);
    await s.close();
  });

  it('interleaved append+sync while a batch is in flight: two fdatasyncs for 200 records', async () => {
    const fs = new FaultFs();
    const s = await open(await tempDir(), fs);
    s.txnLog.append(1n, rec(1));
    await s.txnLog.sync();
    const datasyncs = fs.logDatasyncs;
    const waits: Array<Promise<bigint>> = [];
    for (let z = 2n; z <= 201n; z++) {
      s.txnLog.append(z, rec(Number(z)));
      waits.push(s.txnLog.sync());
    }
    await Promise.all(waits);
    expect(fs.logDatasyncs - datasyncs).toBe(2);
    await s.close();
  });

  it('with O_DSYNC segments a batch needs no fdatasync, except one that creates or grows a segment', async () => {
    const fs = new FaultFs();
    fs.offerSyncWrites = true;
    const dir = await tempDir();
    let s = await open(dir, fs);
    s.txnLog.append(1n, rec(1));
    await s.txnLog.sync();
    expect(fs.logDatasyncs).toBe(1); // the new segment's length
    for (let z = 2n; z <= 50n; z++) {
      s.txnLog.append(z, rec(Number(z)));
      await s.txnLog.sync();
    }
    expect(fs.logDatasyncs).toBe(1);
    // 16 KiB preallocated: 1,000 more 100-byte records grow the segment several times.
    for (let z = 51n; z <= 1050n; z++) {
      s.txnLog.append(z, rec(Number(z), 100));
      await s.txnLog.sync();
    }
    const grows = fs.logDatasyncs - 1;
    expect(grows).toBeGreaterThanOrEqual(5);
    expect(grows).toBeLessThan(20);
    await s.close();
    s = await open(dir);
    expect(s.txnLog.lastZxid()).toBe(1050n);
    await s.close();
  });

  it('forceSync: false never fdatasyncs the log (unsafe) but data is still written', async () => {
    const fs = new FaultFs();
    const dir = await tempDir();
    let s = await open(dir, fs, false);
    for (let z = 1n; z <= 10n; z++) s.txnLog.append(z, rec(Number(z)));
    await s.txnLog.sync();
    expect(fs.logDatasyncs).toBe(0);
    await s.close();
    s = await open(dir);
    expect(s.txnLog.lastZxid()).toBe(10n);
    await s.close();
  });
});

describe('I/O failures', () => {
  it('a write that half-lands then hits ENOSPC fails the log; restart drops the torn part', async () => {
    const fs = new FaultFs();
    const dir = await tempDir();
    const s = await open(dir, fs);
    for (let z = 1n; z <= 5n; z++) s.txnLog.append(z, rec(Number(z)));
    await s.txnLog.sync();
    fs.partialLogWrite = true;
    for (let z = 6n; z <= 9n; z++) s.txnLog.append(z, rec(Number(z), 100));
    const err = await errorOf(s.txnLog.sync());
    expect(isStorageError(err, 'STORAGE_FULL')).toBe(true);
    expect((err as Error).message).toContain('ENOSPC');
    await s.close();
    const after = await open(dir);
    const seen: bigint[] = [];
    for await (const e of after.txnLog.read(0n)) seen.push(e.zxid);
    expect(seen.slice(0, 5)).toEqual([1n, 2n, 3n, 4n, 5n]);
    // Whatever landed is a prefix of what was appended, never a hole.
    expect(seen).toEqual(seen.map((_, i) => BigInt(i + 1)));
    await after.close();
  });

  it('a snapshot save hitting ENOSPC rejects with StorageFullError and leaves no file behind', async () => {
    const fs = new FaultFs();
    const dir = await tempDir();
    const s = await open(dir, fs);
    await s.snapshots.save(1n, rec(1));
    fs.failAnyWrite = 'ENOSPC';
    const err = await errorOf(s.snapshots.save(2n, rec(2, 5000)));
    fs.failAnyWrite = undefined;
    expect(isStorageError(err, 'STORAGE_FULL')).toBe(true);
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([1n]);
    expect((await readdir(join(dir, FORMAT_DIR))).filter((n) => n.startsWith('snapshot'))).toEqual(['snapshot.1']);
    await s.close();
  });

  it('an epoch write hitting EIO rejects with StorageFailedError and keeps the old value', async () => {
    const fs = new FaultFs();
    const dir = await tempDir();
    const s = await open(dir, fs);
    await s.epochs.setAcceptedEpoch(4);
    fs.failAnyWrite = 'EIO';
    const err = await errorOf(s.epochs.setAcceptedEpoch(5));
    fs.failAnyWrite = undefined;
    expect(isStorageError(err, 'STORAGE_FAILED')).toBe(true);
    expect((err as Error).message).toContain('acceptedEpoch');
    expect(s.epochs.acceptedEpoch()).toBe(4);
    await s.close();
    const after = await open(dir);
    expect(after.epochs.acceptedEpoch()).toBe(4);
    await after.close();
  });
});

describe('epoch and snapshot files', () => {
  it('epoch files hold the decimal value, like ZooKeeper; a garbled one stops the open naming it', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    await s.epochs.setCurrentEpoch(7);
    await s.close();
    const path = join(dir, FORMAT_DIR, 'currentEpoch');
    expect(await readFile(path, 'utf8')).toBe('7\n');
    await writeFile(path, 'seven\n');
    const err = await errorOf(open(dir));
    expect(isStorageError(err, 'STORAGE_FAILED')).toBe(true);
    expect((err as Error).message).toContain(path);
  });

  it('a snapshot cut short under its final name is skipped with a warning; temp files are cleaned up', async () => {
    const dir = await tempDir();
    let s = await open(dir);
    await s.snapshots.save(5n, rec(5, 3000));
    await s.snapshots.save(9n, rec(9, 3000));
    await s.close();
    const snapDir = join(dir, FORMAT_DIR);
    const nine = join(snapDir, 'snapshot.9');
    await writeFile(nine, (await readFile(nine)).subarray(0, 1000));
    await writeFile(join(snapDir, 'snapshot.c.3.tmp'), 'partial');
    const logger = captureLogger();
    s = await openFileStorage({ dataDir: dir, logger }, new FaultFs());
    expect((await s.snapshots.list()).map((i) => i.zxid)).toEqual([5n]);
    expect((await s.snapshots.latest())?.zxid).toBe(5n);
    expect(logger.warnings.some((w) => w.includes(nine))).toBe(true);
    expect(await readdir(snapDir)).not.toContain('snapshot.c.3.tmp');
    await s.close();
  });
});
