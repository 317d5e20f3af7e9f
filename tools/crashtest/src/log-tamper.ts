// Damaging the txn log of a stopped server on purpose: cutting the last segment at a byte
// offset (a torn write, or a lost tail of synced data), flipping one byte in the middle.
import { open, readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { readSnapshotRecords } from '@zk/datatree';
import { readLogFile, readSnapshotFile } from '@zk/storage-file';
import type { Rng } from './rng.js';

const HEADER = 24;
const FRAME_OVERHEAD = 16;

export interface Frame {
  offset: number;
  size: number;
  zxid: bigint;
}

/** Log segments of `logDir` (the zkts-v1 directory), oldest first. */
export async function logSegments(logDir: string): Promise<string[]> {
  const names = (await readdir(logDir)).filter((n) => /^log\.[0-9a-f]+$/.test(n));
  names.sort((a, b) => (BigInt('0x' + a.slice(4)) < BigInt('0x' + b.slice(4)) ? -1 : 1));
  return names.map((n) => join(logDir, n));
}

/**
 * The complete frames of a segment, up to the first bad one or the end of data. A segment whose
 * header is incomplete (a SIGKILL while it was being created) has none.
 */
export async function framesOf(file: string): Promise<Frame[]> {
  const out: Frame[] = [];
  try {
    for await (const r of readLogFile(file)) out.push({ offset: r.offset, size: FRAME_OVERHEAD + r.record.length, zxid: r.zxid });
  } catch {
    // CorruptLogError: stop at the bad frame (recovery will judge it)
  }
  return out;
}

export interface Cut {
  file: string;
  /** The segment now ends (or its data ends) here. */
  at: number;
  mode: 'truncate' | 'zero-fill';
  dataEnd: number;
  /** What recovery should say: a torn tail at `tornAt`, a removed segment, or nothing. */
  expect: { kind: 'torn'; tornAt: number } | { kind: 'header' } | { kind: 'clean' };
  /** Last zxid whose frame is still complete (undefined: none in this segment). */
  lastKept: bigint | undefined;
  framesCut: number;
}

/** Cuts the last segment at a seeded offset, by truncating the file or zeroing its tail. */
export async function cutLastSegment(logDir: string, r: Rng): Promise<Cut | undefined> {
  const segs = await logSegments(logDir);
  const file = segs[segs.length - 1];
  if (file === undefined) return undefined;
  const frames = await framesOf(file);
  const last = frames[frames.length - 1];
  const dataEnd = last === undefined ? HEADER : last.offset + last.size;
  let at: number;
  const x = r();
  if (x < 0.1) at = r.int(0, HEADER - 1);
  else if (x < 0.2 && frames.length > 0) at = r.pick(frames).offset;
  else at = r.int(HEADER, dataEnd);
  const mode = r.chance(0.5) ? 'truncate' : 'zero-fill';
  const torn = frames.find((f) => f.offset < at && at < f.offset + f.size);
  // Cutting inside a frame's length word keeps only its high bytes; when they are zero the word
  // reads as 0 (zero-fill) or as zero bytes before the end of the file (truncate): a clean end of
  // data, not a torn frame.
  let tornReadsAsEnd = false;
  if (torn !== undefined && at - torn.offset < 4) {
    const h = await open(file, 'r');
    try {
      const b = Buffer.alloc(at - torn.offset);
      await h.read(b, 0, b.length, torn.offset);
      tornReadsAsEnd = b.every((x) => x === 0);
    } finally {
      await h.close();
    }
  }
  if (mode === 'truncate') {
    await truncate(file, at);
  } else {
    const h = await open(file, 'r+');
    try {
      const zeros = Buffer.alloc(Math.max(0, dataEnd - at));
      if (zeros.length > 0) await h.write(zeros, 0, zeros.length, at);
      await h.datasync();
    } finally {
      await h.close();
    }
  }
  const kept = frames.filter((f) => f.offset + f.size <= at);
  let expect: Cut['expect'];
  // Truncating below 24 bytes leaves an incomplete header. Zeroing from `at` damages the header
  // only when it reaches the CRC-covered 16 bytes or the CRC itself (bytes 20..23 are reserved, 0).
  if ((mode === 'truncate' && at < HEADER) || (mode === 'zero-fill' && at < HEADER - 4)) expect = { kind: 'header' };
  else if (torn !== undefined && !tornReadsAsEnd) expect = { kind: 'torn', tornAt: torn.offset };
  else expect = { kind: 'clean' };
  return {
    file, at, mode, dataEnd, expect,
    lastKept: kept.length > 0 ? kept[kept.length - 1]!.zxid : undefined,
    framesCut: frames.length - kept.length,
  };
}

export interface Flip {
  file: string;
  /** Offset of the damaged frame (what CorruptLogError must name). */
  frameOffset: number;
  byteOffset: number;
  restore(): Promise<void>;
}

/**
 * Flips one byte inside a frame that has valid frames after it (so recovery cannot take it for
 * a torn tail), in the newest segment that has at least two frames.
 */
export async function flipMidLog(logDir: string, r: Rng): Promise<Flip | undefined> {
  const segs = await logSegments(logDir);
  for (let i = segs.length - 1; i >= 0; i--) {
    const file = segs[i]!;
    const frames = await framesOf(file);
    if (frames.length < 2) continue;
    const f = frames[r.int(0, frames.length - 2)]!;
    // anywhere in the CRC-covered part (zxid and payload)
    const byteOffset = f.offset + 8 + r.int(0, f.size - 9);
    const h = await open(file, 'r+');
    const b = Buffer.alloc(1);
    try {
      await h.read(b, 0, 1, byteOffset);
      const orig = b[0]!;
      b[0] = orig ^ (1 << r.int(0, 7));
      await h.write(b, 0, 1, byteOffset);
      await h.datasync();
      return {
        file, frameOffset: f.offset, byteOffset,
        async restore() {
          const h2 = await open(file, 'r+');
          try {
            await h2.write(Buffer.from([orig]), 0, 1, byteOffset);
            await h2.datasync();
          } finally {
            await h2.close();
          }
        },
      };
    } finally {
      await h.close();
    }
  }
  return undefined;
}

/** zxid of the last complete frame in the log (undefined when the log holds none). */
export async function logEnd(logDir: string): Promise<bigint | undefined> {
  const segs = await logSegments(logDir);
  for (let i = segs.length - 1; i >= 0; i--) {
    const frames = await framesOf(segs[i]!);
    const last = frames[frames.length - 1];
    if (last !== undefined) return last.zxid;
  }
  return undefined;
}

/**
 * The newest readable snapshot's start zxid and the zxid its (fuzzy) content reaches
 * (`digestZxid`): recovery is exact only if the log still holds every txn up to that one.
 */
export async function newestSnapshot(snapDir: string): Promise<{ file: string; zxid: bigint; digestZxid: bigint } | undefined> {
  const names = (await readdir(snapDir)).filter((n) => /^snapshot\.[0-9a-f]+$/.test(n));
  names.sort((a, b) => (BigInt('0x' + a.slice(9)) > BigInt('0x' + b.slice(9)) ? -1 : 1));
  for (const n of names) {
    const file = join(snapDir, n);
    try {
      const snap = await readSnapshotFile(file);
      let digestZxid: bigint | undefined;
      for await (const r of readSnapshotRecords(snap.chunks)) if (r.kind === 'end') digestZxid = r.digestZxid;
      if (digestZxid !== undefined) return { file, zxid: snap.zxid, digestZxid };
    } catch {
      // unreadable: recovery skips it too
    }
  }
  return undefined;
}
