import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CorruptLogError, isStorageError } from '@zk/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { readLogFile } from '../src/dump.js';
import { FORMAT_DIR, openFileStorage } from '../src/file-storage.js';
import { FRAME_HEADER_SIZE } from '../src/log-format.js';
import { captureLogger, FaultFs, flipByte, removeTempDirs, tempDir } from './helpers.js';

const PREALLOC = 8192;

function rec(zxid: bigint, size = 40): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (Number(zxid) * 37 + i * 11 + 1) & 0xff);
}

async function open(dir: string, logger = captureLogger(), fs = new FaultFs()) {
  return openFileStorage({ dataDir: dir, preAllocSize: PREALLOC, logger }, fs);
}

async function zxids(storage: Awaited<ReturnType<typeof open>>): Promise<bigint[]> {
  const out: bigint[] = [];
  for await (const e of storage.txnLog.read(0n)) out.push(e.zxid);
  return out;
}

async function logFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, FORMAT_DIR))).filter((n) => n.startsWith('log.')).sort();
}

/** Writes records 1..n (one batch each) and returns the segment path and each record's offset. */
async function writeLog(dir: string, n: number): Promise<{ path: string; offsets: number[] }> {
  const s = await open(dir);
  for (let z = 1n; z <= BigInt(n); z++) {
    s.txnLog.append(z, rec(z));
    await s.txnLog.sync();
  }
  await s.close();
  const path = join(dir, FORMAT_DIR, 'log.1');
  const offsets: number[] = [];
  for await (const r of readLogFile(path)) offsets.push(r.offset);
  return { path, offsets };
}

afterEach(removeTempDirs);

describe('torn tail', () => {
  const FRAME = FRAME_HEADER_SIZE + 40;

  for (const layout of ['preallocated', 'cut at end of file'] as const) {
    it(`is truncated at every byte offset of the last record (${layout})`, async () => {
      const source = await tempDir();
      const { path, offsets } = await writeLog(source, 6);
      const full = await readFile(path);
      const lastAt = offsets[5]!;
      for (let keep = 0; keep < FRAME; keep++) {
        const dir = await tempDir();
        const bytes = Buffer.from(full);
        if (layout === 'preallocated') bytes.fill(0, lastAt + keep, lastAt + FRAME);
        const torn = layout === 'preallocated' ? bytes : bytes.subarray(0, lastAt + keep);
        await writeFile(join(await mkFormatDir(dir), 'log.1'), torn);
        const logger = captureLogger();
        let s = await open(dir, logger);
        expect(await zxids(s)).toEqual([1n, 2n, 3n, 4n, 5n]);
        const leftNonZero = torn.subarray(lastAt).some((b) => b !== 0);
        if (leftNonZero) {
          expect(s.recovery.tornTail).toMatchObject({ file: join(dir, FORMAT_DIR, 'log.1'), offset: lastAt });
          expect(logger.warnings.some((w) => w.includes('torn tail'))).toBe(true);
        } else {
          expect(s.recovery.tornTail).toBeUndefined();
        }
        s.txnLog.append(6n, rec(60n));
        await s.txnLog.sync();
        s = await reopen(s, dir);
        const all: Uint8Array[] = [];
        for await (const e of s.txnLog.read(6n)) all.push(e.record);
        expect(await zxids(s)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
        expect(Buffer.from(all[0]!).equals(Buffer.from(rec(60n)))).toBe(true);
        expect(s.recovery.tornTail).toBeUndefined();
        await s.close();
      }
    });
  }

  it('removes a last segment whose header never made it to disk', async () => {
    const dir = await tempDir();
    await writeLog(dir, 3);
    await writeFile(join(dir, FORMAT_DIR, 'log.4'), Buffer.alloc(10));
    const logger = captureLogger();
    const s = await open(dir, logger);
    expect(await zxids(s)).toEqual([1n, 2n, 3n]);
    expect(await logFiles(dir)).toEqual(['log.1']);
    expect(logger.warnings.some((w) => w.includes('incomplete header'))).toBe(true);
    await s.close();
  });
});

describe('mid-log corruption', () => {
  it('a flipped byte anywhere in a middle record names the file and the record offset', async () => {
    const source = await tempDir();
    const { path, offsets } = await writeLog(source, 6);
    const full = await readFile(path);
    const at = offsets[2]!;
    for (let i = 0; i < FRAME_HEADER_SIZE + 40; i++) {
      const dir = await tempDir();
      const file = join(await mkFormatDir(dir), 'log.1');
      await writeFile(file, full);
      await flipByte(file, at + i);
      const err = await open(dir).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
      expect((err as CorruptLogError).file).toBe(file);
      expect((err as CorruptLogError).offset).toBe(at);
      expect((err as Error).message).toContain(`${file} at offset ${at}`);
    }
  });

  it('a bad record at the end of a segment that is not the last is corruption, not a torn tail', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    for (let z = 1n; z <= 3n; z++) s.txnLog.append(z, rec(z));
    await s.txnLog.sync();
    s.txnLog.rollover();
    s.txnLog.append(4n, rec(4n));
    await s.close();
    const first = join(dir, FORMAT_DIR, 'log.1');
    const offsets: number[] = [];
    for await (const r of readLogFile(first)) offsets.push(r.offset);
    await flipByte(first, offsets[2]! + 20);
    const err = await open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    expect((err as CorruptLogError).file).toBe(first);
    expect((err as CorruptLogError).offset).toBe(offsets[2]);
  });

  it('a damaged header of a segment that is not the last is corruption at offset 0', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    s.txnLog.append(1n, rec(1n));
    await s.txnLog.sync();
    s.txnLog.rollover();
    s.txnLog.append(2n, rec(2n));
    await s.close();
    await flipByte(join(dir, FORMAT_DIR, 'log.1'), 2);
    const err = await open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    expect((err as CorruptLogError).offset).toBe(0);
  });

  it('a missing segment in the middle breaks the chain', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    for (const z of [1n, 2n, 3n]) {
      s.txnLog.append(z, rec(z));
      await s.txnLog.sync();
      s.txnLog.rollover();
    }
    await s.close();
    await truncate(join(dir, FORMAT_DIR, 'log.2'), 0);
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, FORMAT_DIR, 'log.2'));
    const err = await open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    expect((err as CorruptLogError).file).toBe(join(dir, FORMAT_DIR, 'log.3'));
  });
});

describe('segments', () => {
  it('names segments by first zxid, preallocates, grows in preAllocSize steps, and rolls over', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    s.txnLog.append(0x1_0000_0001n, rec(1n));
    await s.txnLog.sync();
    const first = join(dir, FORMAT_DIR, 'log.100000001');
    expect((await stat(first)).size).toBe(PREALLOC);
    s.txnLog.append(0x1_0000_0002n, rec(2n, PREALLOC * 2));
    await s.txnLog.sync();
    expect((await stat(first)).size).toBe(PREALLOC * 3);
    s.txnLog.rollover();
    s.txnLog.append(0x1_0000_0003n, rec(3n));
    s.txnLog.append(0x1_0000_0004n, rec(4n));
    await s.txnLog.sync();
    expect(await logFiles(dir)).toEqual(['log.100000001', 'log.100000003']);
    await s.close();
  });

  it('truncateAfter removes whole later segments and cuts the one holding the zxid', async () => {
    const dir = await tempDir();
    let s = await open(dir);
    for (let seg = 0n; seg < 3n; seg++) {
      s.txnLog.rollover();
      for (let i = 1n; i <= 3n; i++) s.txnLog.append(seg * 3n + i, rec(seg * 3n + i));
      await s.txnLog.sync();
    }
    expect(await logFiles(dir)).toEqual(['log.1', 'log.4', 'log.7']);
    await s.txnLog.truncateAfter(5n);
    expect(await logFiles(dir)).toEqual(['log.1', 'log.4']);
    s.txnLog.append(6n, rec(66n));
    await s.close();
    s = await open(dir);
    expect(await zxids(s)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    await s.txnLog.truncateAfter(0n);
    expect(await logFiles(dir)).toEqual(['log.1']);
    s.txnLog.append(0x5_0000_0001n, rec(9n));
    await s.txnLog.sync();
    expect(await logFiles(dir)).toEqual(['log.500000001']);
    await s.close();
    s = await open(dir);
    expect(await zxids(s)).toEqual([0x5_0000_0001n]);
    await s.close();
  });

  it('keeps the log in dataLogDir when given', async () => {
    const dataDir = await tempDir();
    const dataLogDir = await tempDir();
    const s = await openFileStorage({ dataDir, dataLogDir, preAllocSize: PREALLOC, logger: captureLogger() }, new FaultFs());
    s.txnLog.append(1n, rec(1n));
    await s.snapshots.save(1n, rec(1n));
    await s.close();
    expect(await readdir(join(dataLogDir, FORMAT_DIR))).toEqual(['log.1']);
    expect(await readdir(join(dataDir, FORMAT_DIR))).toEqual(['snapshot.1']);
  });
});

async function mkFormatDir(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  const d = join(dir, FORMAT_DIR);
  await mkdir(d, { recursive: true });
  return d;
}

async function reopen(s: Awaited<ReturnType<typeof open>>, dir: string) {
  await s.close();
  return open(dir);
}
