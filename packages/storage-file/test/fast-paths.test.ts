import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CorruptLogError, isStorageError } from '@zk/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { readLogFile } from '../src/dump.js';
import { FORMAT_DIR, openFileStorage } from '../src/file-storage.js';
import { type FileSystem, nodeFileSystem } from '../src/fs.js';
import { captureLogger, FaultFs, flipByte, removeTempDirs, tempDir } from './helpers.js';

afterEach(removeTempDirs);

const rec = (z: bigint, size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => (Number(z) * 31 + i * 7 + 3) & 0xff);

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('log fast paths', () => {
  async function open(dir: string, fs: FileSystem = new FaultFs(), preAllocSize = 64 * 1024) {
    return openFileStorage({ dataDir: dir, preAllocSize, logger: captureLogger() }, fs);
  }

  it('reads records across read windows, in order and byte for byte; a break closes cleanly', async () => {
    const dir = await tempDir();
    let s = await open(dir, new FaultFs(), 4 << 20);
    const sizes: number[] = [];
    let total = 0;
    for (let z = 1n; total < 5 << 20; z++) {
      const size = Number(z % 7n) === 0 ? 300_000 : 10 + Number((z * 97n) % 4000n);
      s.txnLog.append(z, rec(z, size));
      sizes.push(size);
      total += size;
      if (z % 50n === 0n) s.txnLog.rollover();
    }
    await s.close();
    s = await open(dir, new FaultFs(), 4 << 20);
    let z = 0n;
    for await (const e of s.txnLog.read(1n)) {
      z++;
      expect(e.zxid).toBe(z);
      expect(Buffer.from(e.record).equals(Buffer.from(rec(z, sizes[Number(z) - 1]!)))).toBe(true);
    }
    expect(Number(z)).toBe(sizes.length);
    let n = 0;
    for await (const e of s.txnLog.read(100n)) {
      expect(e.zxid).toBe(100n + BigInt(n));
      if (++n === 3) break;
    }
    const again: bigint[] = [];
    for await (const e of s.txnLog.read(BigInt(sizes.length) - 1n)) again.push(e.zxid);
    expect(again).toEqual([BigInt(sizes.length) - 1n, BigInt(sizes.length)]);
    await s.close();
  });

  it('a read reaching a record damaged after the open yields the records before it, then names file and offset', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    for (let z = 1n; z <= 20n; z++) s.txnLog.append(z, rec(z, 100));
    await s.txnLog.sync();
    const file = join(dir, FORMAT_DIR, 'log.1');
    const offsets: number[] = [];
    for await (const r of readLogFile(file)) offsets.push(r.offset);
    await flipByte(file, offsets[12]! + 30);
    const seen: bigint[] = [];
    const err = await errorOf(
      (async () => {
        for await (const e of s.txnLog.read(1n)) seen.push(e.zxid);
      })(),
    );
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i + 1)));
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    expect((err as CorruptLogError).file).toBe(file);
    expect((err as CorruptLogError).offset).toBe(offsets[12]);
    await s.close().catch(() => undefined);
  });

  it('an older segment whose records reach the next segment is not read past its end of data', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    for (let z = 1n; z <= 6n; z++) {
      s.txnLog.append(z, rec(z, 50));
      if (z === 3n) s.txnLog.rollover();
    }
    await s.close();
    // Non-zero bytes in the preallocated tail of the first segment, far after its data: the chain
    // to log.4 accounts for every record, so the open does not read them (no record is lost).
    const first = join(dir, FORMAT_DIR, 'log.1');
    const bytes = await readFile(first);
    bytes[bytes.length - 100] = 0x55;
    await writeFile(first, bytes);
    const s2 = await open(dir);
    const all: bigint[] = [];
    for await (const e of s2.txnLog.read(1n)) all.push(e.zxid);
    expect(all).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    await s2.close();
  });

  it('an older segment ending early (a zeroed length word) breaks the chain: corruption at that record', async () => {
    const dir = await tempDir();
    const s = await open(dir);
    for (let z = 1n; z <= 6n; z++) {
      s.txnLog.append(z, rec(z, 50));
      if (z === 3n) s.txnLog.rollover();
    }
    await s.close();
    const first = join(dir, FORMAT_DIR, 'log.1');
    const offsets: number[] = [];
    for await (const r of readLogFile(first)) offsets.push(r.offset);
    const bytes = await readFile(first);
    bytes.fill(0, offsets[1]!, offsets[1]! + 4);
    await writeFile(first, bytes);
    const err = await errorOf(open(dir));
    expect(isStorageError(err, 'CORRUPT_LOG')).toBe(true);
    expect((err as CorruptLogError).file).toBe(first);
    expect((err as CorruptLogError).offset).toBe(offsets[1]);
  });
});

describe('snapshot checksum once', () => {
  const content = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 13) & 0xff);

  async function concat(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
    const out: Uint8Array[] = [];
    for await (const c of chunks) out.push(c);
    return Buffer.concat(out);
  }

  it('open() after latest() streams an unchanged snapshot without checking it again; a changed file is checked', async () => {
    const dir = await tempDir();
    // identity() that never changes: a file altered after latest() then goes unchecked, which
    // shows the second pass is skipped; the real identity changes with the file.
    const frozen: FileSystem = {
      ...nodeFileSystem,
      open: async (path, mode) => ({ ...(await nodeFileSystem.open(path, mode)), identity: async () => 'same' }),
    };
    const s = await openFileStorage({ dataDir: dir, logger: captureLogger() }, frozen);
    const info = await s.snapshots.save(7n, content);
    expect((await s.snapshots.latest())?.zxid).toBe(7n);
    const path = join(dir, FORMAT_DIR, info.name);
    await flipByte(path, 24 + 1000);
    const skipped = await concat(s.snapshots.open(info));
    expect(skipped[1000]).toBe(content[1000]! ^ 0xff);
    await s.close();

    const real = await openFileStorage({ dataDir: dir, logger: captureLogger() }, nodeFileSystem);
    await flipByte(path, 24 + 1000); // repaired
    expect((await real.snapshots.latest())?.zxid).toBe(7n);
    expect((await concat(real.snapshots.open(info))).equals(Buffer.from(content))).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    await flipByte(path, 24 + 2000);
    const err = await errorOf(concat(real.snapshots.open(info)));
    expect(isStorageError(err, 'CORRUPT_SNAPSHOT')).toBe(true);
    await real.close();
  });

  it('latest() checks a snapshot larger than its read window, and finds a flipped byte in its last piece', async () => {
    const dir = await tempDir();
    const big = Uint8Array.from({ length: 9 * 1024 * 1024 + 123 }, (_, i) => (i * 7 + (i >> 12)) & 0xff);
    const s = await openFileStorage({ dataDir: dir, logger: captureLogger() }, new FaultFs());
    await s.snapshots.save(3n, content);
    const info = await s.snapshots.save(9n, big);
    expect((await s.snapshots.latest())?.zxid).toBe(9n);
    expect((await concat(s.snapshots.open(info))).equals(Buffer.from(big))).toBe(true);
    await s.close();
    await flipByte(join(dir, FORMAT_DIR, info.name), 24 + big.length - 5);
    const logger = captureLogger();
    const again = await openFileStorage({ dataDir: dir, logger }, new FaultFs());
    expect((await again.snapshots.latest())?.zxid).toBe(3n);
    expect(logger.warnings.some((w) => w.includes('checksum mismatch'))).toBe(true);
    await again.close();
  });
});
