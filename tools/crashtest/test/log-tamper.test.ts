// The log damage helpers against the real file backend: what they predict is what recovery does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStorageError } from '@zk/storage';
import { fileStorage } from '@zk/storage-file';
import { cutLastSegment, flipMidLog, framesOf, logEnd, logSegments } from '../src/log-tamper.js';
import { rng } from '../src/rng.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtest-tamper-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLog(records: number): Promise<string> {
  const s = await fileStorage({ dataDir: dir, preAllocSize: 64 * 1024, logger: { warn: () => undefined } });
  for (let i = 1; i <= records; i++) s.txnLog.append(BigInt(i), new Uint8Array(10 + (i % 30)).fill(i));
  await s.txnLog.sync();
  await s.close();
  return join(dir, 'zkts-v1');
}

async function reopen(): Promise<{ warnings: string[]; last: bigint }> {
  const warnings: string[] = [];
  const s = await fileStorage({ dataDir: dir, preAllocSize: 64 * 1024, logger: { warn: (m) => warnings.push(m) } });
  const last = s.txnLog.lastZxid();
  await s.close();
  return { warnings, last };
}

describe('log damage helpers', () => {
  it('cutLastSegment predicts what recovery reports and keeps (many seeds)', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      await rm(dir, { recursive: true, force: true });
      const logDir = await writeLog(20);
      const cut = (await cutLastSegment(logDir, rng(seed)))!;
      const { warnings, last } = await reopen();
      const ctx = `seed ${seed}: ${JSON.stringify({ at: cut.at, mode: cut.mode, expect: cut.expect })} -> ${warnings.join(' | ')}`;
      if (cut.expect.kind === 'torn') {
        expect(warnings.some((w) => w.includes(cut.file) && w.includes(`offset ${cut.expect.kind === 'torn' ? cut.expect.tornAt : -1}`)), ctx).toBe(true);
      } else if (cut.expect.kind === 'header') {
        expect(warnings.some((w) => w.includes(cut.file)), ctx).toBe(true);
      } else {
        expect(warnings, ctx).toEqual([]);
      }
      expect(last, ctx).toBe(cut.lastKept ?? 0n);
    }
  });

  it('flipMidLog damages a frame with valid frames after it: recovery refuses, naming file and offset', async () => {
    const logDir = await writeLog(30);
    const flip = (await flipMidLog(logDir, rng(3)))!;
    await expect(fileStorage({ dataDir: dir, logger: { warn: () => undefined } })).rejects.toSatisfy(
      (e: unknown) => isStorageError(e, 'CORRUPT_LOG') && (e as Error).message.includes(`${flip.file} at offset ${flip.frameOffset}`),
    );
    await flip.restore();
    expect((await reopen()).last).toBe(30n);
  });

  it('segments, frames and the log end', async () => {
    const logDir = await writeLog(5);
    const segs = await logSegments(logDir);
    expect(segs).toHaveLength(1);
    expect((await framesOf(segs[0]!)).map((f) => f.zxid)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(await logEnd(logDir)).toBe(5n);
  });
});
