import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStorage, FORMAT_DIR, readLogFile, readLogFileHeader, readSnapshotFile } from '../src/index.js';
import { captureLogger, removeTempDirs, tempDir } from './helpers.js';

afterEach(removeTempDirs);

describe('dump helpers', () => {
  it('readLogFile yields records with offsets; readSnapshotFile streams content', async () => {
    const dir = await tempDir();
    const s = await fileStorage({ dataDir: dir, preAllocSize: 8192, logger: captureLogger() });
    s.txnLog.append(0x2_0000_0001n, Buffer.from('first'));
    s.txnLog.append(0x2_0000_0002n, Buffer.from('second!'));
    await s.txnLog.sync();
    await s.snapshots.save(0x2_0000_0002n, [Buffer.from('tree '), Buffer.from('bytes')]);
    await s.close();
    const logPath = join(dir, FORMAT_DIR, 'log.200000001');
    const records = [];
    for await (const r of readLogFile(logPath)) records.push(r);
    expect(records.map((r) => [r.offset, r.zxid, Buffer.from(r.record).toString()])).toEqual([
      [24, 0x2_0000_0001n, 'first'],
      [24 + 16 + 5, 0x2_0000_0002n, 'second!'],
    ]);
    expect(await readLogFileHeader(logPath)).toEqual({ version: 1, prevZxid: 0n });
    const snap = await readSnapshotFile(join(dir, FORMAT_DIR, 'snapshot.200000002'));
    expect(snap.zxid).toBe(0x2_0000_0002n);
    expect(snap.size).toBe(10);
    const parts: Buffer[] = [];
    for await (const c of snap.chunks) parts.push(Buffer.from(c));
    expect(Buffer.concat(parts).toString()).toBe('tree bytes');
  });
});
